//! Work the app does on its own, off the window's path: thumbnails still missing and OCR
//! of pending images and scans. One worker thread at a time, with its own connection to
//! the vault; asked again while it runs, it makes one more pass when done.
//!
//! OCR reports each voucher as it lands (`ocr-progress`: how many of this run's images
//! are read, and which voucher was just read) so the UI can say "Reading 3 of 14" and
//! update that row in place; a pass that changed something ends with `vault-changed` so
//! counts and order refresh.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use tauri::{AppHandle, Emitter, Manager, Runtime};
use vault_core::Vault;

use crate::AppState;

/// Name of the event the UI listens to; its payload says what changed.
pub const VAULT_CHANGED: &str = "vault-changed";

/// Name of the event that reports OCR as it goes; payload [`OcrProgress`].
pub const OCR_PROGRESS: &str = "ocr-progress";

/// Payload of [`OCR_PROGRESS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct OcrProgress {
    /// Vouchers read (or failed) in this run so far.
    pub done: u32,
    /// Vouchers this run has to read: those done plus those still waiting.
    pub total: u32,
    /// The voucher just read; `null` when the run starts or ends.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
}

/// How many vouchers one OCR step reads before the queue is looked at again.
const OCR_STEP: usize = 16;

/// Whether a worker runs, and whether it was asked again meanwhile.
#[derive(Debug, Default)]
pub struct Worker {
    enabled: AtomicBool,
    running: AtomicBool,
    again: AtomicBool,
}

impl Worker {
    pub fn new(enabled: bool) -> Worker {
        Worker {
            enabled: AtomicBool::new(enabled),
            ..Worker::default()
        }
    }

    /// Whether background work starts at all (tests turn it off).
    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    /// Whether a worker is running now.
    pub fn running(&self) -> bool {
        self.running.load(Ordering::Acquire)
    }
}

/// Tell the UI that the vault changed, and why.
pub fn changed<R: Runtime>(app: &AppHandle<R>, why: &str) {
    if let Err(e) = app.emit(VAULT_CHANGED, why) {
        eprintln!("receipt-vault: cannot emit {VAULT_CHANGED}: {e}");
    }
}

/// Start the worker, or make it run once more when it is already running.
pub fn kick<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let w = &state.worker;
    if !w.enabled() {
        return;
    }
    w.again.store(true, Ordering::Release);
    if w.running.swap(true, Ordering::AcqRel) {
        return;
    }
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("background".into())
        .spawn(move || {
            let state = app.state::<AppState>();
            loop {
                while state.worker.again.swap(false, Ordering::AcqRel) {
                    if let Ok(dir) = state.current_dir() {
                        one_pass(&app, dir);
                    }
                }
                state.worker.running.store(false, Ordering::Release);
                // Asked again between the last check and now: carry on if nobody else did.
                if !state.worker.again.load(Ordering::Acquire)
                    || state.worker.running.swap(true, Ordering::AcqRel)
                {
                    break;
                }
            }
        });
    if let Err(e) = spawned {
        w.running.store(false, Ordering::Release);
        eprintln!("receipt-vault: cannot start the background thread: {e}");
    }
}

/// Thumbnails, then OCR in steps; stops early when another vault was opened.
fn one_pass<R: Runtime>(app: &AppHandle<R>, dir: PathBuf) {
    let mut vault = match Vault::open(&dir) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("receipt-vault: background work: {e}");
            return;
        }
    };
    match vault.make_thumbnails() {
        Ok(0) => {}
        Ok(_) => changed(app, "thumbnails"),
        Err(e) => eprintln!("receipt-vault: thumbnails: {e}"),
    }
    let state = app.state::<AppState>();
    let waiting = match vault.ocr_queue_len() {
        Ok(n) => n as u32,
        Err(e) => {
            eprintln!("receipt-vault: OCR: {e}");
            return;
        }
    };
    // Even with nothing pending, a step runs: it puts back in the queue what waited for
    // Tesseract when Tesseract has been installed since.
    let (mut done, mut total) = (0u32, waiting);
    let mut read_any = false;
    if waiting > 0 {
        ocr_progress(app, done, total, None);
    }
    loop {
        if state.current_dir().ok().as_deref() != Some(dir.as_path()) {
            break;
        }
        let step = vault.ocr_pending(OCR_STEP, &mut |e| {
            done += 1;
            total = total.max(done);
            ocr_progress(app, done, total, Some(e.id));
        });
        match step {
            Ok(r) => {
                read_any |= r.done + r.failed + r.unavailable > 0;
                // Images added meanwhile join this run.
                total = done + r.remaining as u32;
                if r.remaining == 0 || r.done + r.failed == 0 {
                    break;
                }
            }
            Err(e) => {
                eprintln!("receipt-vault: OCR: {e}");
                break;
            }
        }
    }
    if total == 0 {
        return;
    }
    ocr_progress(app, total, total, None);
    if read_any {
        changed(app, "ocr");
    }
}

fn ocr_progress<R: Runtime>(app: &AppHandle<R>, done: u32, total: u32, id: Option<i64>) {
    if let Err(e) = app.emit(OCR_PROGRESS, OcrProgress { done, total, id }) {
        eprintln!("receipt-vault: cannot emit {OCR_PROGRESS}: {e}");
    }
}
