//! Native file dialogs (`tauri-plugin-dialog`: GTK 3 on Linux) and the test seam that can
//! stand in for them.
//!
//! GTK dialogs cannot be driven over WebDriver, so when `RECEIPT_VAULT_TEST_PICK` is set
//! the pickers answer from it without showing anything (most end-to-end tests use it to
//! press the real buttons quickly). The real dialogs have their own end-to-end test, which
//! answers them under Xvfb with keystrokes as a person would. The value is either
//! - a JSON array of paths, or a single path: `pick_files` returns them all,
//!   `pick_folder` the first, `pick_save` the first (joined with the suggested file name
//!   when it is a folder); an empty array stands for "cancelled"; or
//! - a JSON object `{"files": [...], "folder": "...", "save": "..."}` with one answer per
//!   dialog (a missing key is "cancelled").

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tauri::{Runtime, WebviewWindow};
use tauri_plugin_dialog::{DialogExt, FilePath};

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

/// Show the native dialog for `dialog` over `window` and wait for the answer (empty when
/// cancelled). Blocks: call it on a blocking thread, never on the main thread.
///
/// `tauri-plugin-dialog` creates the GTK dialog on the main thread (which owns GTK's main
/// loop) and hands the answer to this thread. Driving rfd's blocking dialogs from the main
/// thread ourselves deadlocked the whole app (two threads on one GTK main context).
///
/// `title` is the dialog's title in the person's language (the UI translates it); without
/// one the English title is used.
pub fn native<R: Runtime>(
    window: &WebviewWindow<R>,
    dialog: &Dialog,
    title: Option<&str>,
) -> Picked {
    let mut d = window.dialog().file().set_parent(window);
    // Start in the home folder: GTK otherwise opens on "Recent", where a folder cannot
    // be chosen at all.
    if let Some(home) = directories::UserDirs::new().map(|u| u.home_dir().to_path_buf()) {
        d = d.set_directory(home);
    }
    let paths = |list: Option<Vec<FilePath>>| -> Picked {
        list.unwrap_or_default()
            .into_iter()
            .filter_map(|p| p.into_path().ok())
            .collect()
    };
    match dialog {
        Dialog::Files => paths(
            d.set_title(title.unwrap_or("Add files to the vault"))
                .blocking_pick_files(),
        ),
        Dialog::Folder => paths(
            d.set_title(title.unwrap_or("Choose a folder"))
                .blocking_pick_folder()
                .map(|p| vec![p]),
        ),
        Dialog::Save { default_name } => {
            let ext = Path::new(default_name)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default()
                .to_string();
            let d = if ext.is_empty() {
                d
            } else {
                d.add_filter(ext.to_uppercase(), &[ext.as_str()])
            };
            paths(
                d.set_title(title.unwrap_or("Export"))
                    .set_file_name(default_name.as_str())
                    .blocking_save_file()
                    .map(|p| vec![p]),
            )
        }
    }
}
