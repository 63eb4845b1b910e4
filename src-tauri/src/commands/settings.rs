//! The vault's settings: for now its default currency (what a receipt's bare total is
//! taken to be in when nothing on the receipt tells).

use tauri::{AppHandle, Runtime};
use vault_core::DefaultCurrency;

use crate::{with_vault, IpcError};

/// The default currency in effect, whether a person chose it, and the system locale's.
#[tauri::command]
pub(crate) async fn default_currency<R: Runtime>(
    app: AppHandle<R>,
) -> Result<DefaultCurrency, IpcError> {
    with_vault(app, |v| v.default_currency()).await
}

/// Set the default currency (an ISO 4217 code); `None` or empty follows the system
/// locale again. A code that is not one answers `invalid`.
#[tauri::command]
pub(crate) async fn set_default_currency<R: Runtime>(
    app: AppHandle<R>,
    code: Option<String>,
) -> Result<DefaultCurrency, IpcError> {
    with_vault(app, move |v| v.set_default_currency(code.as_deref())).await
}
