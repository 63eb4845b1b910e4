//! The Tauri shell of Receipt Vault.
//!
//! Deliberately thin: each command (in [`commands`]) is one short `async fn` that runs
//! one `vault_core` call on a blocking thread and hands the result to the WebView. Rules
//! live in `vault_core`; this crate opens the vault, serialises, reports progress through
//! channels, shows native dialogs and maps errors to `{code, message}` so the UI can
//! branch on the code and show the message.
//!
//! Quick commands share the app's connection (behind a mutex). Long work — imports,
//! exports, verifying the vault, thumbnails and OCR — opens a connection of its own on
//! its own thread, so the window keeps answering (SQLite WAL: readers never wait for the
//! writer).
//!
//! The vault is opened at start-up. If that fails, the window still opens and every
//! command answers with the start-up error, so the UI explains what is wrong instead of
//! showing a blank screen; the user can then open or create another vault.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tauri::{AppHandle, Manager, Runtime};
use vault_core::Vault;

pub mod background;
pub mod commands;
pub mod dto;
pub mod pick;
pub mod protocol;

pub use dto::{IpcError, VaultInfo};

/// Environment variable that points the app at a vault folder.
pub const VAULT_DIR_ENV: &str = "RECEIPT_VAULT_DIR";

impl IpcError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        IpcError {
            code: code.into(),
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        IpcError::new("internal", message)
    }
}

impl From<vault_core::Error> for IpcError {
    fn from(e: vault_core::Error) -> Self {
        IpcError::new(e.code(), e.to_string())
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for IpcError {}

/// The open vault (or why there is none) and where it is.
pub struct Current {
    /// `None` when opening failed (see `open_error`). `Vault` is `Send` but not `Sync`.
    pub vault: Option<Vault>,
    /// Why the vault could not be opened; every command returns it.
    pub open_error: Option<IpcError>,
    /// Where the vault is (or was looked for).
    pub dir: PathBuf,
}

impl Current {
    fn open(dir: PathBuf, create: bool) -> Current {
        let opened = if create {
            Vault::open_or_create(&dir)
        } else {
            Vault::open(&dir)
        };
        match opened {
            Ok(vault) => Current {
                vault: Some(vault),
                open_error: None,
                dir,
            },
            Err(e) => Current::failed(dir, e.into()),
        }
    }

    fn failed(dir: PathBuf, error: IpcError) -> Current {
        Current {
            vault: None,
            open_error: Some(error),
            dir,
        }
    }
}

/// What the app holds between commands.
pub struct AppState {
    current: Mutex<Current>,
    /// An import is running (only one at a time).
    pub(crate) importing: AtomicBool,
    pub(crate) worker: background::Worker,
    /// Where the last opened vault is remembered (`None`: not remembered).
    remember_in: Option<PathBuf>,
    /// The test seam of the pickers (see [`pick`]): answers instead of dialogs.
    pub(crate) test_pick: Option<String>,
}

impl AppState {
    /// Open the vault in `dir`, creating it if the folder is missing or empty.
    /// Never fails: a failure is kept and reported to the UI. No background work, and
    /// the choice of vault is not remembered (see [`AppState::from_env`]).
    pub fn open(dir: PathBuf) -> AppState {
        AppState {
            current: Mutex::new(Current::open(dir, true)),
            importing: AtomicBool::new(false),
            worker: background::Worker::new(false),
            remember_in: None,
            test_pick: None,
        }
    }

    /// Open the vault named by `--vault DIR` on the command line, else
    /// `RECEIPT_VAULT_DIR`, else the vault opened last, else the default location.
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
        let remember_in = last_vault_file();
        let last = remember_in
            .as_deref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .map(|s| s.trim_end_matches('\n').to_string())
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .filter(|d| d.join(vault_core::vault::DB_FILE).is_file());
        let current = match from_args
            .or_else(|| std::env::var_os(VAULT_DIR_ENV))
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or(last)
        {
            Some(dir) => Current::open(dir, true),
            None => match vault_core::default_vault_dir() {
                Ok(dir) => Current::open(dir, true),
                Err(e) => Current::failed(PathBuf::new(), e.into()),
            },
        };
        AppState {
            current: Mutex::new(current),
            importing: AtomicBool::new(false),
            worker: background::Worker::new(true),
            remember_in,
            test_pick: std::env::var(pick::TEST_PICK_ENV).ok(),
        }
    }

    /// Turn background work (thumbnails, OCR) on or off.
    pub fn with_background(mut self, on: bool) -> AppState {
        self.worker = background::Worker::new(on);
        self
    }

    /// Answer the pickers from `seam` instead of showing dialogs (see [`pick`]).
    pub fn with_test_pick(mut self, seam: Option<String>) -> AppState {
        self.test_pick = seam;
        self
    }

    /// Remember the opened vault in `file` (read by [`AppState::from_env`]).
    pub fn remembering_in(mut self, file: Option<PathBuf>) -> AppState {
        self.remember_in = file;
        self
    }

    /// The open vault, its folder and start-up error. A panic in an earlier command
    /// poisons the lock; the database is still consistent (SQLite transactions), so
    /// carry on.
    pub fn lock_current(&self) -> MutexGuard<'_, Current> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The folder of the vault.
    pub fn dir(&self) -> PathBuf {
        self.lock_current().dir.clone()
    }

    /// Why the vault could not be opened, if it could not.
    pub fn open_error(&self) -> Option<IpcError> {
        self.lock_current().open_error.clone()
    }

    /// The folder of the open vault, or why there is none.
    pub fn current_dir(&self) -> Result<PathBuf, IpcError> {
        let c = self.lock_current();
        match (&c.open_error, &c.vault) {
            (Some(e), _) => Err(e.clone()),
            (None, Some(_)) => Ok(c.dir.clone()),
            (None, None) => Err(IpcError::internal("no vault is open")),
        }
    }

    /// Switch to the vault in `dir` (`create`: make it when the folder is missing or
    /// empty). On failure the current vault stays open.
    pub fn switch(&self, dir: PathBuf, create: bool) -> Result<(), IpcError> {
        let next = Current::open(dir, create);
        if let Some(e) = next.open_error {
            return Err(e);
        }
        if let Some(file) = &self.remember_in {
            let remembered = file
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::write(file, format!("{}\n", next.dir.display())));
            if let Err(e) = remembered {
                eprintln!(
                    "receipt-vault: cannot remember the vault in {}: {e}",
                    file.display()
                );
            }
        }
        *self.lock_current() = next;
        Ok(())
    }
}

/// Where the folder of the vault opened last is kept.
fn last_vault_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "receipt-vault")
        .map(|p| p.config_dir().join("last-vault"))
}

/// Run `f` on the app's vault on a blocking thread (never on the main thread). For
/// quick calls: the vault is locked while `f` runs.
pub(crate) async fn with_vault<R, T, F>(app: AppHandle<R>, f: F) -> Result<T, IpcError>
where
    R: Runtime,
    T: Send + 'static,
    F: FnOnce(&mut Vault) -> vault_core::Result<T> + Send + 'static,
{
    blocking(move || {
        let state = app.state::<AppState>();
        let mut current = state.lock_current();
        if let Some(e) = &current.open_error {
            return Err(e.clone());
        }
        let vault = current
            .vault
            .as_mut()
            .ok_or_else(|| IpcError::internal("no vault is open"))?;
        f(vault).map_err(IpcError::from)
    })
    .await
}

/// Run `f` on a connection of its own to the current vault, on a blocking thread: for
/// long work that must not hold up the app's connection.
pub(crate) async fn with_own_vault<R, T, F>(app: AppHandle<R>, f: F) -> Result<T, IpcError>
where
    R: Runtime,
    T: Send + 'static,
    F: FnOnce(&mut Vault) -> Result<T, IpcError> + Send + 'static,
{
    blocking(move || {
        let dir = app.state::<AppState>().current_dir()?;
        let mut vault = Vault::open(&dir)?;
        f(&mut vault)
    })
    .await
}

/// Run `f` on a blocking thread.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T, IpcError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, IpcError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| IpcError::internal(format!("the vault worker failed: {e}")))?
}

/// Register the app's commands and the `rvault:` scheme. Used by [`run`] and by the unit
/// tests (on the mock runtime).
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .register_asynchronous_uri_scheme_protocol(protocol::SCHEME, |ctx, request, responder| {
            let app = ctx.app_handle().clone();
            let method = request.method().as_str().to_string();
            let path = request.uri().path().to_string();
            let origin = request
                .headers()
                .get(tauri::http::header::ORIGIN)
                .and_then(|o| o.to_str().ok())
                .map(str::to_string);
            tauri::async_runtime::spawn_blocking(move || {
                let state = app.state::<AppState>();
                responder.respond(protocol::respond(&state, &method, &path, origin.as_deref()));
            });
        })
        .invoke_handler(commands::handler())
}

/// When the process started (for `RECEIPT_VAULT_TRACE_STARTUP`).
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// With `RECEIPT_VAULT_TRACE_STARTUP=1`, say once on stderr how long after start-up a
/// moment came (measuring the window's start without a WebDriver session attached).
pub(crate) fn trace_startup(what: &'static str) {
    static SAID: AtomicBool = AtomicBool::new(false);
    if std::env::var_os("RECEIPT_VAULT_TRACE_STARTUP").is_some()
        && !SAID.swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        if let Some(t) = STARTED.get() {
            eprintln!(
                "receipt-vault: {what} {} ms after start",
                t.elapsed().as_millis()
            );
        }
    }
}

/// Open the vault and run the app until its last window closes.
pub fn run() -> tauri::Result<()> {
    STARTED.get_or_init(std::time::Instant::now);
    vault_core::quiet_guarded_panics();
    let state = AppState::from_env();
    if let Some(e) = state.open_error() {
        eprintln!(
            "receipt-vault: cannot open the vault at {}: {e}",
            state.dir().display()
        );
    }
    with_commands(tauri::Builder::default())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .on_window_event(|window, event| {
            if matches!(
                event,
                tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)
            ) {
                save_window_state_soon(window.app_handle());
            }
        })
        .manage(state)
        .setup(|app| {
            // Ask whether OCR works once, off the window's path (it runs `tesseract`).
            std::thread::spawn(commands::warm_ocr_status);
            // Thumbnails and OCR wait until the window has shown its first page: on two
            // cores they would otherwise compete with start-up.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_secs(3));
                background::kick(&handle);
            });
            Ok(())
        })
        .run(tauri::generate_context!())
}

/// Remember the window's size and place half a second after it last changed. The plugin
/// saves on a normal exit; saving as it changes also keeps it when the app is killed or
/// the machine goes down.
fn save_window_state_soon<R: Runtime>(app: &AppHandle<R>) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use tauri_plugin_window_state::{AppHandleExt, StateFlags};
    static LATEST: AtomicU64 = AtomicU64::new(0);
    let mine = LATEST.fetch_add(1, Ordering::AcqRel) + 1;
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(500));
        if LATEST.load(Ordering::Acquire) == mine {
            if let Err(e) = app.save_window_state(StateFlags::all()) {
                eprintln!("receipt-vault: cannot remember the window's size: {e}");
            }
        }
    });
}

/// Path of `p` for display and for the UI.
pub(crate) fn display(p: &Path) -> String {
    p.display().to_string()
}

#[cfg(test)]
mod bindings;
#[cfg(test)]
mod tests;
