//! The Tauri shell of Receipt Vault.
//!
//! Deliberately thin: each command is one short `async fn` that runs one `vault_core`
//! call on a blocking thread and hands the result to the WebView. Rules live in
//! `vault_core`; this crate only opens the vault, serialises, and maps errors to
//! `{code, message}` so the UI can branch on the code and show the message.
//!
//! The vault is opened once at start-up. If that fails, the window still opens and every
//! command answers with the start-up error, so the UI explains what is wrong instead of
//! showing a blank screen.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use base64::Engine as _;
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime};
use vault_core::{Vault, VoucherSummary};

/// Environment variable that points the app at a vault folder.
pub const VAULT_DIR_ENV: &str = "RECEIPT_VAULT_DIR";

/// An error as it crosses IPC: a stable machine code and a message for people.
///
/// The codes are those of `vault_core::Error::code`, plus `internal` for failures of the
/// shell itself (a panicked worker thread).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpcError {
    pub code: String,
    pub message: String,
}

impl IpcError {
    fn internal(message: impl Into<String>) -> Self {
        IpcError {
            code: "internal".into(),
            message: message.into(),
        }
    }
}

impl From<vault_core::Error> for IpcError {
    fn from(e: vault_core::Error) -> Self {
        IpcError {
            code: e.code().into(),
            message: e.to_string(),
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for IpcError {}

/// What the app holds between commands.
pub struct AppState {
    /// `None` when opening failed (see `open_error`). `Vault` is `Send` but not `Sync`.
    vault: Mutex<Option<Vault>>,
    /// Why the vault could not be opened at start-up; every command returns it.
    open_error: Option<IpcError>,
    /// Where the vault is (or was looked for).
    dir: PathBuf,
}

impl AppState {
    /// Open the vault in `dir`, creating it if the folder is missing or empty.
    /// Never fails: a failure is kept and reported to the UI.
    pub fn open(dir: PathBuf) -> AppState {
        match Vault::open_or_create(&dir) {
            Ok(vault) => AppState {
                vault: Mutex::new(Some(vault)),
                open_error: None,
                dir,
            },
            Err(e) => AppState::failed(dir, e.into()),
        }
    }

    /// Open the vault named by `--vault DIR` on the command line, else
    /// `RECEIPT_VAULT_DIR`, else the default location.
    pub fn from_env() -> AppState {
        let mut args = std::env::args_os().skip(1);
        let mut from_args = None;
        while let Some(a) = args.next() {
            if a == "--vault" {
                from_args = args.next();
            } else if let Some(d) = a.to_str().and_then(|s| s.strip_prefix("--vault=")) {
                from_args = Some(d.into());
            }
        }
        match from_args
            .or_else(|| std::env::var_os(VAULT_DIR_ENV))
            .filter(|d| !d.is_empty())
        {
            Some(dir) => AppState::open(PathBuf::from(dir)),
            None => match vault_core::default_vault_dir() {
                Ok(dir) => AppState::open(dir),
                Err(e) => AppState::failed(PathBuf::new(), e.into()),
            },
        }
    }

    fn failed(dir: PathBuf, error: IpcError) -> AppState {
        AppState {
            vault: Mutex::new(None),
            open_error: Some(error),
            dir,
        }
    }

    /// The folder of the vault.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Why the vault could not be opened, if it could not.
    pub fn open_error(&self) -> Option<&IpcError> {
        self.open_error.as_ref()
    }
}

/// Run `f` on the open vault on a blocking thread (never on the main thread).
async fn with_vault<R, T, F>(app: AppHandle<R>, f: F) -> Result<T, IpcError>
where
    R: Runtime,
    T: Send + 'static,
    F: FnOnce(&mut Vault) -> vault_core::Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        if let Some(e) = &state.open_error {
            return Err(e.clone());
        }
        // A panic in an earlier command poisons the lock; the database is still
        // consistent (SQLite transactions), so carry on.
        let mut guard = state.vault.lock().unwrap_or_else(PoisonError::into_inner);
        let vault = guard
            .as_mut()
            .ok_or_else(|| IpcError::internal("no vault is open"))?;
        f(vault).map_err(IpcError::from)
    })
    .await
    .map_err(|e| IpcError::internal(format!("the vault worker failed: {e}")))?
}

/// Answer of `vault_info`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VaultInfo {
    /// The vault's folder, for display.
    pub dir: String,
    /// Vouchers not in the trash.
    pub count: i64,
}

/// Where the vault is and how many vouchers it holds.
#[tauri::command]
async fn vault_info<R: Runtime>(app: AppHandle<R>) -> Result<VaultInfo, IpcError> {
    with_vault(app, |v| {
        Ok(VaultInfo {
            dir: v.dir().display().to_string(),
            count: v.count()?,
        })
    })
    .await
}

/// A page of vouchers, newest first by `occurred_at`.
#[tauri::command]
async fn list_vouchers<R: Runtime>(
    app: AppHandle<R>,
    offset: i64,
    limit: i64,
) -> Result<Vec<VoucherSummary>, IpcError> {
    with_vault(app, move |v| v.list(offset, limit)).await
}

/// A voucher's thumbnail as a `data:image/jpeg;base64,…` URL, `None` if it has none.
#[tauri::command]
async fn thumbnail<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<Option<String>, IpcError> {
    let jpeg = with_vault(app, move |v| v.thumbnail(id)).await?;
    Ok(jpeg.map(|bytes| jpeg_data_url(&bytes)))
}

fn jpeg_data_url(jpeg: &[u8]) -> String {
    format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg)
    )
}

/// Register the app's commands. Used by [`run`] and by the unit tests (on the mock runtime).
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        vault_info,
        list_vouchers,
        thumbnail
    ])
}

/// Open the vault and run the app until its last window closes.
pub fn run() -> tauri::Result<()> {
    vault_core::quiet_guarded_panics();
    let state = AppState::from_env();
    if let Some(e) = state.open_error() {
        eprintln!(
            "receipt-vault: cannot open the vault at {}: {e}",
            state.dir().display()
        );
    } else {
        make_thumbnails_in_background(state.dir().to_path_buf());
    }
    with_commands(tauri::Builder::default())
        .manage(state)
        .run(tauri::generate_context!())
}

/// Thumbnails still pending (e.g. from `vault add --no-thumbnails`) are made on a
/// background thread with its own connection, off the window's path.
fn make_thumbnails_in_background(dir: PathBuf) {
    let spawned = std::thread::Builder::new()
        .name("thumbnails".into())
        .spawn(
            move || match Vault::open(&dir).and_then(|mut v| v.make_thumbnails()) {
                Ok(_) => {}
                Err(e) => eprintln!("receipt-vault: thumbnails: {e}"),
            },
        );
    if let Err(e) = spawned {
        eprintln!("receipt-vault: cannot start the thumbnail thread: {e}");
    }
}

#[cfg(test)]
mod tests;
