//! Opening an original with the system's viewer (a read-only copy, never the object) and
//! showing a file in its folder.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use vault_core::Vault;

use crate::{blocking, with_vault, IpcError};

/// Start `program arg` detached (the only outward actions of the app).
fn launch(program: &str, arg: &Path) -> Result<(), IpcError> {
    let child = std::process::Command::new(program)
        .arg(arg)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => IpcError::new(
                "no_viewer",
                format!("No program to open files was found ({program} is not installed)."),
            ),
            _ => IpcError::internal(format!("cannot start {program}: {e}")),
        })?;
    // Reap it, so no zombie stays behind.
    std::thread::spawn(move || {
        let mut child = child;
        let _ = child.wait();
    });
    Ok(())
}

/// Open the folder that holds `path` (e.g. an export) in the file manager.
#[tauri::command]
pub(crate) async fn show_in_folder(path: String) -> Result<(), IpcError> {
    blocking(move || {
        let p = PathBuf::from(&path);
        let folder = if p.is_dir() {
            p
        } else {
            p.parent()
                .filter(|d| d.is_dir())
                .map(Path::to_path_buf)
                .ok_or_else(|| IpcError::new("not_found", format!("{path}: no such folder")))?
        };
        launch("xdg-open", &folder)
    })
    .await
}

/// Extensions never handed to the system: opening them could run them.
const NEVER_OPEN: &[&str] = &[
    "bin", "desktop", "sh", "bash", "zsh", "exe", "msi", "bat", "cmd", "com", "jar", "py", "pl",
    "rb", "run", "appimage", "deb", "rpm", "js", "vbs", "ps1", "lnk", "scr",
];

/// A read-only copy of a voucher's original under `root`, named for the system viewer
/// (the object itself is never handed out: a viewer could change it).
pub(crate) fn viewer_copy(v: &Vault, id: i64, root: &Path) -> Result<PathBuf, IpcError> {
    let voucher = v.get(id)?;
    let name = vault_core::prove::export::bundle_name(&voucher);
    let ext = Path::new(&name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("bin")
        .to_ascii_lowercase();
    if NEVER_OPEN.contains(&ext.as_str()) {
        return Err(IpcError::new(
            "unsupported",
            format!(
                "{} cannot be opened safely with another program; export it instead",
                voucher.summary.original_name
            ),
        ));
    }
    let dir = root.join(id.to_string());
    let io = |e: std::io::Error| IpcError::new("io", format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(&dir).map_err(io)?;
    let out = dir.join(&name);
    if out.exists() {
        let _ = std::fs::remove_file(&out);
    }
    std::fs::copy(v.store().existing(&voucher.summary.sha256)?, &out).map_err(io)?;
    let mut perm = std::fs::metadata(&out).map_err(io)?.permissions();
    perm.set_readonly(true);
    std::fs::set_permissions(&out, perm).map_err(io)?;
    Ok(out)
}

/// Open a voucher's original with the system's viewer (a read-only copy of it).
#[tauri::command]
pub(crate) async fn open_original<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<(), IpcError> {
    let root = viewer_copies_dir()?;
    let copy = with_vault(app, move |v| Ok(viewer_copy(v, id, &root))).await??;
    blocking(move || launch("xdg-open", &copy)).await
}

/// Where copies for viewers go: the user's own cache folder (`~/.cache/receipt-vault/open`),
/// private (0700), never a shared temp folder another user could prepare.
fn viewer_copies_dir() -> Result<PathBuf, IpcError> {
    let dirs = directories::ProjectDirs::from("", "", "receipt-vault")
        .ok_or_else(|| IpcError::new("no_data_dir", "no cache folder for this user"))?;
    let dir = dirs.cache_dir().join("open");
    let io = |e: std::io::Error| IpcError::new("io", format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(&dir).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
    }
    Ok(dir)
}
