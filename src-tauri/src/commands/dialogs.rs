//! The native file dialogs (see [`crate::pick`]): files, a folder, where to save.

use std::path::{Path, PathBuf};

use tauri::{Manager, Runtime, WebviewWindow};

use crate::dto::SaveKind;
use crate::pick::{self, Dialog};
use crate::{blocking, display, AppState, IpcError};

/// Show a dialog (or answer from the test seam) and wait for the choice.
async fn pick<R: Runtime>(
    window: WebviewWindow<R>,
    dialog: Dialog,
    title: Option<String>,
) -> Result<Vec<PathBuf>, IpcError> {
    let seam = window.state::<AppState>().test_pick.clone();
    if let Some(value) = seam {
        return pick::seam_answer(&value, &dialog).map_err(|m| IpcError::new("invalid", m));
    }
    let title = title.filter(|t| !t.trim().is_empty());
    blocking(move || Ok(pick::native(&window, &dialog, title.as_deref()))).await
}

fn strings(paths: Vec<PathBuf>) -> Vec<String> {
    paths.iter().map(|p| display(p)).collect()
}

/// "Add files…": the chosen files, empty when cancelled. Each picker takes its dialog's
/// title in the person's language (`title`, optional).
#[tauri::command]
pub(crate) async fn pick_files<R: Runtime>(
    window: WebviewWindow<R>,
    title: Option<String>,
) -> Result<Vec<String>, IpcError> {
    pick(window, Dialog::Files, title).await.map(strings)
}

/// "Add folder…" and "Open vault…": the chosen folder, `None` when cancelled.
#[tauri::command]
pub(crate) async fn pick_folder<R: Runtime>(
    window: WebviewWindow<R>,
    title: Option<String>,
) -> Result<Option<String>, IpcError> {
    Ok(strings(pick(window, Dialog::Folder, title).await?)
        .into_iter()
        .next())
}

/// Where to save an export: `defaultName` is suggested; `None` when cancelled.
#[tauri::command]
pub(crate) async fn pick_save<R: Runtime>(
    window: WebviewWindow<R>,
    default_name: String,
    kind: SaveKind,
    title: Option<String>,
) -> Result<Option<String>, IpcError> {
    let ext = match kind {
        SaveKind::Zip => "zip",
        SaveKind::Csv => "csv",
    };
    let name = match Path::new(&default_name).extension() {
        Some(e) if e.eq_ignore_ascii_case(ext) => default_name,
        _ => format!("{default_name}.{ext}"),
    };
    let chosen = pick(window, Dialog::Save { default_name: name }, title).await?;
    Ok(strings(chosen).into_iter().next())
}
