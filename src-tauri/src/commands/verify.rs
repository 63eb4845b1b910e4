//! Re-hashing originals (the vault or one voucher) and repairing one from its source.

use std::time::Instant;

use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime};
use vault_core::RepairOutcome;

use super::PROGRESS_EVERY;
use crate::dto::{Progress, VerifySummary};
use crate::{with_own_vault, with_vault, IpcError};

/// Re-hash every original and check the database, with progress through `on_event`.
#[tauri::command]
pub(crate) async fn verify_vault<R: Runtime>(
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
pub(crate) async fn verify_voucher<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
) -> Result<VerifySummary, IpcError> {
    let report = with_vault(app, move |v| v.verify_voucher(id)).await?;
    Ok(VerifySummary {
        ok: report.ok(),
        report,
    })
}

/// Put a missing or damaged original back from a place it was added from, when that
/// file still holds the same bytes (SHA-256 checked before anything is written).
#[tauri::command]
pub(crate) async fn repair_voucher<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
) -> Result<RepairOutcome, IpcError> {
    with_vault(app, move |v| v.repair(id)).await
}
