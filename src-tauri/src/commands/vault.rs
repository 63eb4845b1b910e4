//! The open vault: where it is, what it holds, whether OCR works; opening or creating
//! another one (remembered for the next start).

use std::path::PathBuf;
use std::sync::OnceLock;

use tauri::{AppHandle, Manager, Runtime};
use vault_core::Vault;

use crate::background;
use crate::{blocking, display, with_vault, AppState, IpcError, VaultInfo};

/// Ask [`ocr_status`] ahead of the first `vault_info` (start-up runs it on a thread).
pub(crate) fn warm_ocr_status() {
    let _ = ocr_status();
}

/// Whether OCR works on this machine (asked once: it runs `tesseract`).
fn ocr_status() -> &'static Result<(), String> {
    static STATUS: OnceLock<Result<(), String>> = OnceLock::new();
    STATUS.get_or_init(vault_core::capture::ocr::available)
}

fn info_of(v: &Vault) -> vault_core::Result<VaultInfo> {
    Ok(VaultInfo {
        dir: display(v.dir()),
        count: v.count()?,
        size_bytes: v.disk_usage()?,
        schema_version: vault_core::vault::db::SCHEMA_VERSION,
        ocr_available: false,
        ocr_reason: None,
    })
}

async fn vault_info_now<R: Runtime>(app: AppHandle<R>) -> Result<VaultInfo, IpcError> {
    let mut info = with_vault(app, |v| info_of(v)).await?;
    let ocr = blocking(|| Ok(ocr_status().clone())).await?;
    info.ocr_available = ocr.is_ok();
    info.ocr_reason = ocr.err();
    Ok(info)
}

/// Where the vault is, how many vouchers and bytes it holds, whether OCR works.
#[tauri::command]
pub(crate) async fn vault_info<R: Runtime>(app: AppHandle<R>) -> Result<VaultInfo, IpcError> {
    vault_info_now(app).await
}

async fn switch<R: Runtime>(
    app: AppHandle<R>,
    dir: String,
    create: bool,
) -> Result<VaultInfo, IpcError> {
    let handle = app.clone();
    blocking(move || {
        let dir = PathBuf::from(dir);
        if !dir.is_absolute() {
            return Err(IpcError::new(
                "invalid",
                format!("{} is not a full path to a folder", dir.display()),
            ));
        }
        handle.state::<AppState>().switch(dir, create)
    })
    .await?;
    background::changed(&app, "vault");
    background::kick(&app);
    vault_info_now(app).await
}

/// Switch to the existing vault in `dir`.
#[tauri::command]
pub(crate) async fn open_vault<R: Runtime>(
    app: AppHandle<R>,
    dir: String,
) -> Result<VaultInfo, IpcError> {
    switch(app, dir, false).await
}

/// Create a vault in `dir` (missing or empty; an existing vault there is opened) and
/// switch to it.
#[tauri::command]
pub(crate) async fn create_vault<R: Runtime>(
    app: AppHandle<R>,
    dir: String,
) -> Result<VaultInfo, IpcError> {
    switch(app, dir, true).await
}
