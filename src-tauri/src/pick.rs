//! Native file dialogs (rfd, GTK 3) and the test seam that stands in for them.
//!
//! GTK dialogs cannot be driven over WebDriver, so when `RECEIPT_VAULT_TEST_PICK` is set
//! the pickers answer from it without showing anything, and the end-to-end tests press
//! the real buttons. The value is either
//! - a JSON array of paths, or a single path: `pick_files` returns them all,
//!   `pick_folder` the first, `pick_save` the first (joined with the suggested file name
//!   when it is a folder); an empty array stands for "cancelled"; or
//! - a JSON object `{"files": [...], "folder": "...", "save": "..."}` with one answer per
//!   dialog (a missing key is "cancelled").

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Environment variable of the test seam.
pub const TEST_PICK_ENV: &str = "RECEIPT_VAULT_TEST_PICK";

/// Which dialog is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    Files,
    Folder,
    Save { default_name: String },
}

/// What a dialog answered: nothing (cancelled), or paths.
pub type Picked = Vec<PathBuf>;

#[derive(Deserialize)]
#[serde(untagged)]
enum Seam {
    List(Vec<PathBuf>),
    PerDialog {
        #[serde(default)]
        files: Vec<PathBuf>,
        folder: Option<PathBuf>,
        save: Option<PathBuf>,
    },
}

/// The answer of the test seam `value` for `dialog`, or an error message when the value
/// cannot be read (a broken test setup should fail loudly, not open a dialog).
pub fn seam_answer(value: &str, dialog: &Dialog) -> Result<Picked, String> {
    let trimmed = value.trim();
    let seam = if trimmed.starts_with('[') || trimmed.starts_with('{') {
        serde_json::from_str::<Seam>(trimmed)
            .map_err(|e| format!("{TEST_PICK_ENV} is not a JSON list or object of paths: {e}"))?
    } else {
        Seam::List(vec![PathBuf::from(trimmed)])
    };
    let (files, folder, save) = match seam {
        Seam::List(list) => {
            let first = list.first().cloned();
            (list, first.clone(), first)
        }
        Seam::PerDialog {
            files,
            folder,
            save,
        } => (files, folder, save),
    };
    Ok(match dialog {
        Dialog::Files => files,
        Dialog::Folder => folder.into_iter().collect(),
        Dialog::Save { default_name } => save
            .map(|p| save_target(&p, default_name))
            .into_iter()
            .collect(),
    })
}

/// A save answer that names a folder means "this file name in that folder".
fn save_target(answer: &Path, default_name: &str) -> PathBuf {
    if answer.is_dir() {
        answer.join(default_name)
    } else {
        answer.to_path_buf()
    }
}

/// Show the native dialog `d` (already given its parent window) as `dialog`, on the
/// thread that runs GTK. Empty when cancelled.
pub fn native(dialog: &Dialog, mut d: rfd::FileDialog) -> Picked {
    match dialog {
        Dialog::Files => d
            .set_title("Add files to the vault")
            .pick_files()
            .unwrap_or_default(),
        Dialog::Folder => d
            .set_title("Choose a folder")
            .pick_folder()
            .into_iter()
            .collect(),
        Dialog::Save { default_name } => {
            let ext = Path::new(default_name)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default()
                .to_string();
            if !ext.is_empty() {
                d = d.add_filter(ext.to_uppercase(), &[ext.as_str()]);
            }
            d.set_title("Export")
                .set_file_name(default_name.as_str())
                .save_file()
                .into_iter()
                .collect()
        }
    }
}
