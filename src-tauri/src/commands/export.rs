//! What leaves the vault: evidence bundles and CSV, written atomically, with progress.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime};
use vault_core::{ExportSummary, Vault};

use super::PROGRESS_EVERY;
use crate::dto::{ExportTarget, Progress};
use crate::{with_own_vault, IpcError};

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
pub(crate) async fn export_bundle<R: Runtime>(
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
pub(crate) async fn export_csv<R: Runtime>(
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
