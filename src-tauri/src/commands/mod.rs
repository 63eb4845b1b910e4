//! The commands the UI invokes: one short function per use case, each one `vault_core`
//! call (see `ui/src/lib/ipc.ts` for the caller). Arguments arrive camelCase from JS.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use base64::Engine as _;
use tauri::ipc::{Channel, InvokeBody, Request};
use tauri::{AppHandle, Manager, Runtime, WebviewWindow};
use vault_core::html::SafeHtml;
use vault_core::{
    Edit, ExportSummary, Facets, Outcome, RepairOutcome, SavedSearch, Scope, SearchPage,
    SearchRequest, Vault, Voucher, VoucherSummary,
};

use crate::background;
use crate::dto::{
    Duplicate, ExportTarget, Failure, FileOutcome, ImportEvent, ImportSummary, Progress, SaveKind,
    VerifySummary,
};
use crate::pick::{self, Dialog};
use crate::{blocking, display, with_own_vault, with_vault, AppState, IpcError, VaultInfo};

/// Every command, for `invoke_handler`.
pub fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        vault_info,
        list_vouchers,
        thumbnail,
        facets,
        search,
        get_voucher,
        summaries,
        email_html,
        edit_voucher,
        set_reviewed,
        trash,
        restore,
        empty_trash,
        save_search,
        delete_saved_search,
        import_paths,
        import_bytes,
        pick_files,
        pick_folder,
        pick_save,
        export_bundle,
        export_csv,
        show_in_folder,
        open_original,
        verify_vault,
        verify_voucher,
        repair_voucher,
        open_vault,
        create_vault,
    ]
}

/// Progress is sent at most this often (and always at the end).
const PROGRESS_EVERY: Duration = Duration::from_millis(50);

/// Ask [`ocr_status`] ahead of the first `vault_info` (start-up runs it on a thread).
pub(crate) fn warm_ocr_status() {
    let _ = ocr_status();
}

/// Whether OCR works on this machine (asked once: it runs `tesseract`).
fn ocr_status() -> &'static Result<(), String> {
    static STATUS: OnceLock<Result<(), String>> = OnceLock::new();
    STATUS.get_or_init(vault_core::ocr::available)
}

fn info_of(v: &Vault) -> vault_core::Result<VaultInfo> {
    Ok(VaultInfo {
        dir: display(v.dir()),
        count: v.count()?,
        size_bytes: v.disk_usage()?,
        schema_version: vault_core::db::SCHEMA_VERSION,
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
async fn vault_info<R: Runtime>(app: AppHandle<R>) -> Result<VaultInfo, IpcError> {
    vault_info_now(app).await
}

/// A page of vouchers, newest first by `occurred_at` (superseded by `search`).
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

pub(crate) fn jpeg_data_url(jpeg: &[u8]) -> String {
    format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg)
    )
}

/// Counts for the sidebar, tags and saved searches.
#[tauri::command]
async fn facets<R: Runtime>(app: AppHandle<R>) -> Result<Facets, IpcError> {
    with_vault(app, |v| v.facets()).await
}

/// One page of a search within a scope. A bad query answers `bad_query`.
#[tauri::command]
async fn search<R: Runtime>(app: AppHandle<R>, req: SearchRequest) -> Result<SearchPage, IpcError> {
    let page = with_vault(app, move |v| v.search_page(&req)).await;
    crate::trace_startup("first page answered");
    page
}

/// Everything about one voucher, without the raw HTML of an email (see `email_html`).
#[tauri::command]
async fn get_voucher<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<Voucher, IpcError> {
    with_vault(app, move |v| v.get(id)).await.map(without_html)
}

/// The list rows of these vouchers, in the order asked (ids not in the vault are left
/// out): the UI replaces rows in place as OCR reads them.
#[tauri::command]
async fn summaries<R: Runtime>(
    app: AppHandle<R>,
    ids: Vec<i64>,
) -> Result<Vec<VoucherSummary>, IpcError> {
    with_vault(app, move |v| v.summaries(&ids)).await
}

pub(crate) fn without_html(mut v: Voucher) -> Voucher {
    if let Some(e) = v.email.as_mut() {
        e.html = None;
    }
    v
}

/// An email's HTML body, sanitised, and how many remote resources were blocked.
#[tauri::command]
async fn email_html<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<SafeHtml, IpcError> {
    with_vault(app, move |v| v.email_html(id)).await
}

/// Change a voucher's facts, tags or notes; edited facts become the user's.
#[tauri::command]
async fn edit_voucher<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    edit: Edit,
) -> Result<Voucher, IpcError> {
    with_vault(app, move |v| v.edit(id, &edit))
        .await
        .map(without_html)
}

/// Mark vouchers as checked by a person (or not); answers how many changed.
#[tauri::command]
async fn set_reviewed<R: Runtime>(
    app: AppHandle<R>,
    ids: Vec<i64>,
    reviewed: bool,
) -> Result<usize, IpcError> {
    with_vault(app, move |v| v.set_reviewed(&ids, reviewed)).await
}

#[tauri::command]
async fn trash<R: Runtime>(app: AppHandle<R>, ids: Vec<i64>) -> Result<usize, IpcError> {
    with_vault(app, move |v| v.trash(&ids)).await
}

#[tauri::command]
async fn restore<R: Runtime>(app: AppHandle<R>, ids: Vec<i64>) -> Result<usize, IpcError> {
    with_vault(app, move |v| v.restore(&ids)).await
}

/// Delete the vouchers in the Trash for good.
#[tauri::command]
async fn empty_trash<R: Runtime>(app: AppHandle<R>) -> Result<usize, IpcError> {
    with_vault(app, |v| v.empty_trash()).await
}

#[tauri::command]
async fn save_search<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    query: String,
    scope: Scope,
) -> Result<SavedSearch, IpcError> {
    with_vault(app, move |v| v.save_search(&name, &query, &scope)).await
}

#[tauri::command]
async fn delete_saved_search<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<(), IpcError> {
    with_vault(app, move |v| v.delete_saved_search(id)).await
}

/// Clears the import flag when the import ends, however it ends.
struct ImportGuard<R: Runtime>(AppHandle<R>);

impl<R: Runtime> ImportGuard<R> {
    fn take(app: &AppHandle<R>) -> Result<ImportGuard<R>, IpcError> {
        let busy = app
            .state::<AppState>()
            .importing
            .swap(true, Ordering::AcqRel);
        if busy {
            return Err(IpcError::new(
                "busy",
                "An import is already running; wait until it has finished.",
            ));
        }
        Ok(ImportGuard(app.clone()))
    }
}

impl<R: Runtime> Drop for ImportGuard<R> {
    fn drop(&mut self) {
        self.0
            .state::<AppState>()
            .importing
            .store(false, Ordering::Release);
    }
}

/// Add files and folders (dropped or picked), in the background on a connection of its
/// own, with progress through `on_event`. Only one import runs at a time (`busy`).
#[tauri::command]
async fn import_paths<R: Runtime>(
    app: AppHandle<R>,
    paths: Vec<String>,
    on_event: Channel<ImportEvent>,
) -> Result<ImportSummary, IpcError> {
    let guard = ImportGuard::take(&app)?;
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    let result = with_own_vault(app.clone(), move |v| {
        let _guard = guard;
        import_with_events(v, &paths, &|e| {
            let _ = on_event.send(e);
        })
    })
    .await;
    background::changed(&app, "import");
    background::kick(&app);
    result
}

/// The import itself, reporting through `send`.
pub(crate) fn import_with_events(
    v: &mut Vault,
    paths: &[PathBuf],
    send: &dyn Fn(ImportEvent),
) -> Result<ImportSummary, IpcError> {
    let mut summary = ImportSummary::default();
    let mut last_progress: Option<Instant> = None;
    let report = v.add_paths(paths, &mut |e| {
        let (done, total) = (e.done as u32, e.total as u32);
        if e.done == 1 {
            send(ImportEvent::Started { total });
        }
        let path = display(&e.report.path);
        if done == total || last_progress.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY) {
            last_progress = Some(Instant::now());
            send(ImportEvent::Progress {
                done,
                total,
                path: path.clone(),
            });
        }
        send(file_event(&mut summary, path, &e.report.outcome));
    })?;
    if report.files.is_empty() {
        send(ImportEvent::Started { total: 0 });
    }
    send(ImportEvent::Finished {
        summary: summary.clone(),
    });
    Ok(summary)
}

/// One file's outcome as an event, counted into `summary`.
fn file_event(summary: &mut ImportSummary, path: String, outcome: &Outcome) -> ImportEvent {
    let (kind, id, existing_id, error) = match outcome {
        Outcome::Added { id, attachments } => {
            summary.added += 1 + attachments.len() as u32;
            summary.added_ids.push(*id);
            (FileOutcome::Added, Some(*id), None, None)
        }
        Outcome::Duplicate { id } => {
            summary.duplicates.push(Duplicate {
                path: path.clone(),
                id: *id,
            });
            (FileOutcome::Duplicate, None, Some(*id), None)
        }
        Outcome::Unreadable { id, code, reason } => {
            summary.added += 1;
            summary.added_ids.push(*id);
            summary.unreadable.push(Failure {
                path: path.clone(),
                code: code.clone(),
                message: reason.clone(),
            });
            summary.unreadable_ids.push(*id);
            (
                FileOutcome::Unreadable,
                Some(*id),
                None,
                Some(IpcError::new(code, reason.clone())),
            )
        }
        Outcome::Failed { code, reason } => {
            summary.failed.push(Failure {
                path: path.clone(),
                code: code.clone(),
                message: reason.clone(),
            });
            (
                FileOutcome::Failed,
                None,
                None,
                Some(IpcError::new(code, reason.clone())),
            )
        }
    };
    ImportEvent::File {
        path,
        outcome: kind,
        id,
        existing_id,
        error,
    }
}

/// Header of `import_bytes` with the (URI-encoded) name of what was pasted.
pub const FILE_NAME_HEADER: &str = "x-file-name";

/// Add one file from bytes (a pasted screenshot). The body is the raw bytes, not JSON;
/// the name comes URI-encoded in the `x-file-name` header.
#[tauri::command]
async fn import_bytes<R: Runtime>(
    app: AppHandle<R>,
    request: Request<'_>,
) -> Result<ImportSummary, IpcError> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(IpcError::new(
            "invalid",
            "import_bytes expects the file's bytes as the request body",
        ));
    };
    let bytes = bytes.clone();
    let name = pasted_name(
        request
            .headers()
            .get(FILE_NAME_HEADER)
            .and_then(|h| h.to_str().ok()),
    );
    let summary = with_vault(app.clone(), move |v| {
        let outcome = v.add_bytes(&bytes, &name)?;
        let mut summary = ImportSummary::default();
        file_event(&mut summary, name, &outcome);
        Ok(summary)
    })
    .await?;
    background::changed(&app, "import");
    background::kick(&app);
    Ok(summary)
}

/// The name a pasted file is kept under: the last component of what the UI sent
/// (percent-decoded), at most 200 characters, else "Pasted image".
pub(crate) fn pasted_name(header: Option<&str>) -> String {
    let decoded = header.map(percent_decode).unwrap_or_default();
    let base = decoded
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>();
    let base = base.trim();
    if base.is_empty() || base == "." || base == ".." {
        "Pasted image".to_string()
    } else {
        base.to_string()
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

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
async fn pick_files<R: Runtime>(
    window: WebviewWindow<R>,
    title: Option<String>,
) -> Result<Vec<String>, IpcError> {
    pick(window, Dialog::Files, title).await.map(strings)
}

/// "Add folder…" and "Open vault…": the chosen folder, `None` when cancelled.
#[tauri::command]
async fn pick_folder<R: Runtime>(
    window: WebviewWindow<R>,
    title: Option<String>,
) -> Result<Option<String>, IpcError> {
    Ok(strings(pick(window, Dialog::Folder, title).await?)
        .into_iter()
        .next())
}

/// Where to save an export: `defaultName` is suggested; `None` when cancelled.
#[tauri::command]
async fn pick_save<R: Runtime>(
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

/// The vouchers an export covers.
pub(crate) fn export_ids(v: &Vault, target: &ExportTarget) -> vault_core::Result<Vec<i64>> {
    match target {
        ExportTarget::Ids(ids) => Ok(ids.clone()),
        ExportTarget::Search { query, scope } => v.search_ids_in(query, scope),
    }
}

fn destination(dest: &str) -> Result<PathBuf, IpcError> {
    let p = PathBuf::from(dest);
    if !p.is_absolute() || p.file_name().is_none() {
        return Err(IpcError::new(
            "invalid",
            format!("{dest:?} is not a full path to a file"),
        ));
    }
    Ok(p)
}

/// Write an evidence bundle (ZIP with SHA256SUMS) of the selection or the current
/// search to `dest`, with progress through `on_event`.
#[tauri::command]
async fn export_bundle<R: Runtime>(
    app: AppHandle<R>,
    target: ExportTarget,
    dest: String,
    on_event: Channel<Progress>,
) -> Result<ExportSummary, IpcError> {
    let dest = destination(&dest)?;
    with_own_vault(app, move |v| {
        let ids = export_ids(v, &target)?;
        let mut last: Option<Instant> = None;
        Ok(v.export_bundle(&ids, &dest, &mut |done, total| {
            if done == total || last.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY) {
                last = Some(Instant::now());
                let _ = on_event.send(Progress {
                    done: done as u32,
                    total: total as u32,
                });
            }
        })?)
    })
    .await
}

/// Write one CSV row per voucher of the selection or the current search to `dest`
/// (complete or not at all); answers the number of rows.
#[tauri::command]
async fn export_csv<R: Runtime>(
    app: AppHandle<R>,
    target: ExportTarget,
    dest: String,
) -> Result<usize, IpcError> {
    let dest = destination(&dest)?;
    with_own_vault(app, move |v| {
        let ids = export_ids(v, &target)?;
        write_csv(v, &ids, &dest)
    })
    .await
}

pub(crate) fn write_csv(v: &Vault, ids: &[i64], dest: &Path) -> Result<usize, IpcError> {
    v.check_export_destination(dest)?;
    let io = |e: std::io::Error| IpcError::new("io", format!("{}: {e}", dest.display()));
    let mut part = dest.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    let result = (|| {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&part).map_err(io)?);
        let n = v.export_csv(ids, &mut f)?;
        let f = f.into_inner().map_err(|e| io(e.into_error()))?;
        f.sync_all().map_err(io)?;
        std::fs::rename(&part, dest).map_err(io)?;
        Ok(n)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    result
}

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
async fn show_in_folder(path: String) -> Result<(), IpcError> {
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
    let name = vault_core::export::bundle_name(&voucher);
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
async fn open_original<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<(), IpcError> {
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

/// Re-hash every original and check the database, with progress through `on_event`.
#[tauri::command]
async fn verify_vault<R: Runtime>(
    app: AppHandle<R>,
    on_event: Channel<Progress>,
) -> Result<VerifySummary, IpcError> {
    with_own_vault(app, move |v| {
        let mut last: Option<Instant> = None;
        let report = v.verify(&mut |done, total| {
            if done == total || last.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY) {
                last = Some(Instant::now());
                let _ = on_event.send(Progress {
                    done: done as u32,
                    total: total as u32,
                });
            }
        })?;
        Ok(VerifySummary {
            ok: report.ok(),
            report,
        })
    })
    .await
}

/// Re-hash one voucher's original.
#[tauri::command]
async fn verify_voucher<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<VerifySummary, IpcError> {
    let report = with_vault(app, move |v| v.verify_voucher(id)).await?;
    Ok(VerifySummary {
        ok: report.ok(),
        report,
    })
}

/// Put a missing or damaged original back from a place it was added from, when that
/// file still holds the same bytes (SHA-256 checked before anything is written).
#[tauri::command]
async fn repair_voucher<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<RepairOutcome, IpcError> {
    with_vault(app, move |v| v.repair(id)).await
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
async fn open_vault<R: Runtime>(app: AppHandle<R>, dir: String) -> Result<VaultInfo, IpcError> {
    switch(app, dir, false).await
}

/// Create a vault in `dir` (missing or empty; an existing vault there is opened) and
/// switch to it.
#[tauri::command]
async fn create_vault<R: Runtime>(app: AppHandle<R>, dir: String) -> Result<VaultInfo, IpcError> {
    switch(app, dir, true).await
}
