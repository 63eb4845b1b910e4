//! Adding files: paths (dropped or picked) with progress through a channel, and pasted
//! bytes; one import at a time.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Instant;

use tauri::ipc::{Channel, InvokeBody, Request};
use tauri::{AppHandle, Manager, Runtime};
use vault_core::{Outcome, Vault};

use super::PROGRESS_EVERY;
use crate::background;
use crate::dto::{Duplicate, Failure, FileOutcome, ImportEvent, ImportSummary};
use crate::{display, with_own_vault, with_vault, AppState, IpcError};

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
pub(crate) async fn import_paths<R: Runtime>(
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
pub(crate) async fn import_bytes<R: Runtime>(
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
