//! The OCR queue over the vault. `Vault::ocr_pending` (and `ocr_run`) take the vouchers
//! whose `ocr_state` is `pending`, read them on `WORKERS` threads without holding the write
//! lock, and `record` stores each result in its own short transaction (extracting the
//! payment facts again and reindexing), so a crash leaves the rest `pending` for next time.

use super::{Languages, OcrConfig, OcrError, MAX_INPUT_BYTES, WORKERS};
use crate::error::Result;
use crate::vault::model::{Kind, OcrState};
use crate::vault::store::ObjectStore;
use crate::vault::Vault;
use rusqlite::params;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// Progress of `ocr_pending`, once per voucher.
#[derive(Debug, Clone, Serialize)]
pub struct OcrEvent {
    pub id: i64,
    /// Vouchers finished in this run, including this one.
    pub done: usize,
    pub total: usize,
    pub state: OcrState,
    pub error: Option<String>,
    /// Time spent on this voucher's OCR.
    pub millis: u64,
}

/// What a run of `ocr_pending` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OcrRunReport {
    pub done: usize,
    pub failed: usize,
    pub unavailable: usize,
    /// Still pending after this run (more than `limit` were waiting).
    pub remaining: usize,
    /// Why OCR is unavailable, when it is.
    pub unavailable_reason: Option<String>,
}

/// Options of an OCR run.
#[derive(Debug, Clone, Default)]
pub struct OcrRun {
    pub config: OcrConfig,
    /// Also retry vouchers whose OCR failed.
    pub retry_failed: bool,
}

/// A voucher waiting for OCR: its id, the hash of its original, and its kind.
type Job = (i64, String, Kind);
/// One voucher's OCR as a worker sends it: its id, the text or why there is none, and the
/// time it took in milliseconds.
type Outcome = (i64, std::result::Result<String, OcrError>, u64);

impl Vault {
    /// Run OCR over pending vouchers, oldest first, at most `limit` of them. Vouchers left
    /// `unavailable` by an earlier run are retried once OCR is available. Never holds the
    /// write lock while OCR runs: each result is recorded in its own short transaction.
    pub fn ocr_pending(
        &mut self,
        limit: usize,
        progress: &mut dyn FnMut(OcrEvent),
    ) -> Result<OcrRunReport> {
        self.ocr_run(&OcrRun::default(), limit, progress)
    }

    /// `ocr_pending` with explicit options.
    pub fn ocr_run(
        &mut self,
        run: &OcrRun,
        limit: usize,
        progress: &mut dyn FnMut(OcrEvent),
    ) -> Result<OcrRunReport> {
        let mut report = OcrRunReport::default();
        let cfg = &run.config;
        let langs = match cfg.available() {
            Ok(l) => l,
            Err(reason) => {
                report.unavailable = self.mark_pending_unavailable(&reason)?;
                report.unavailable_reason = Some(reason);
                return Ok(report);
            }
        };
        self.requeue(run, &mut report)?;
        let todo = self.pending_batch(limit)?;
        self.read_and_record(cfg, &langs, &todo, &mut report, progress)?;
        report.remaining = self.conn.query_row(
            "SELECT count(*) FROM vouchers WHERE ocr_state = 'pending'",
            [],
            |r| r.get::<_, i64>(0),
        )? as usize;
        Ok(report)
    }

    /// Nothing can be read: say so on every waiting voucher. Returns how many there were.
    fn mark_pending_unavailable(&self, reason: &str) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE vouchers SET ocr_state = 'unavailable', ocr_error = ?1
             WHERE ocr_state = 'pending'",
            [reason],
        )?)
    }

    /// In one transaction: vouchers left `unavailable` go back to `pending` (PDFs only when
    /// `pdftoppm` runs), failed ones too when `run.retry_failed`; when PDFs cannot be
    /// rendered, the pending ones are marked `unavailable` and counted in `report`.
    fn requeue(&mut self, run: &OcrRun, report: &mut OcrRunReport) -> Result<()> {
        let pdf_ok = run.config.pdf_available();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE vouchers SET ocr_state = 'pending', ocr_error = NULL
             WHERE ocr_state = 'unavailable' AND (kind != 'pdf' OR ?1)",
            [pdf_ok.is_ok()],
        )?;
        if run.retry_failed {
            tx.execute(
                "UPDATE vouchers SET ocr_state = 'pending', ocr_error = NULL
                 WHERE ocr_state = 'failed'",
                [],
            )?;
        }
        if let Err(reason) = &pdf_ok {
            report.unavailable += tx.execute(
                "UPDATE vouchers SET ocr_state = 'unavailable', ocr_error = ?1
                 WHERE ocr_state = 'pending' AND kind = 'pdf'",
                [reason],
            )?;
            report.unavailable_reason = Some(reason.clone());
        }
        tx.commit()?;
        Ok(())
    }

    /// The pending vouchers this run reads: oldest first, at most `limit`.
    fn pending_batch(&self, limit: usize) -> Result<Vec<Job>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, sha256, kind FROM vouchers WHERE ocr_state = 'pending'
             ORDER BY added_at, id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit.min(i64::MAX as usize) as i64], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                Kind::parse(&r.get::<_, String>(2)?).unwrap_or(Kind::Other),
            ))
        })?;
        let todo = rows.collect::<rusqlite::Result<_>>()?;
        Ok(todo)
    }

    /// Reads `todo` on up to `WORKERS` threads and records each result on this thread as it
    /// arrives (in the order they finish), counting it in `report` and telling `progress`.
    fn read_and_record(
        &self,
        cfg: &OcrConfig,
        langs: &Languages,
        todo: &[Job],
        report: &mut OcrRunReport,
        progress: &mut dyn FnMut(OcrEvent),
    ) -> Result<()> {
        let total = todo.len();
        let next = AtomicUsize::new(0);
        let (store, conn) = (&self.store, &self.conn);
        std::thread::scope(|scope| -> Result<()> {
            let (tx, rx) = mpsc::channel::<Outcome>();
            for _ in 0..WORKERS.min(total) {
                let (tx, next) = (tx.clone(), &next);
                scope.spawn(move || ocr_worker(store, cfg, langs, todo, next, tx));
            }
            drop(tx);
            for (i, outcome) in rx.into_iter().enumerate() {
                record_outcome(conn, outcome, i + 1, total, report, progress)?;
            }
            Ok(())
        })
    }
}

/// One worker thread: takes the next voucher of `todo` until none is left, reads it and
/// sends the outcome; stops early when the receiving side is gone.
fn ocr_worker(
    store: &ObjectStore,
    cfg: &OcrConfig,
    langs: &Languages,
    todo: &[Job],
    next: &AtomicUsize,
    tx: mpsc::Sender<Outcome>,
) {
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some((id, sha, kind)) = todo.get(i) else {
            break;
        };
        let started = Instant::now();
        let result = read_voucher(store, cfg, langs, sha, *kind);
        let ms = started.elapsed().as_millis() as u64;
        if tx.send((*id, result, ms)).is_err() {
            break;
        }
    }
}

/// The OCR of one voucher: its original read (at most `MAX_INPUT_BYTES`), then recognised
/// as a PDF or an image in a guarded thread under a time limit.
fn read_voucher(
    store: &ObjectStore,
    cfg: &OcrConfig,
    langs: &Languages,
    sha: &str,
    kind: Kind,
) -> std::result::Result<String, OcrError> {
    store
        .read_capped(sha, MAX_INPUT_BYTES)
        .map_err(|e| OcrError::BadInput(e.to_string()))
        .and_then(|bytes| {
            let cfg = cfg.clone();
            let langs = langs.clone();
            // Image decoders are third-party code over hostile input.
            crate::guard::run("ocr", cfg.timeout * 4, move || match kind {
                Kind::Pdf => cfg.recognize_pdf_with(&bytes, &langs),
                _ => cfg.recognize_image_with(&bytes, &langs),
            })
            .map_err(|e| OcrError::BadInput(format!("OCR {e}")))
            .and_then(|r| r)
        })
}

/// Records one voucher's outcome, counts it in `report` and tells `progress` (`done` of
/// `total` vouchers finished).
fn record_outcome(
    conn: &rusqlite::Connection,
    (id, result, millis): Outcome,
    done: usize,
    total: usize,
    report: &mut OcrRunReport,
    progress: &mut dyn FnMut(OcrEvent),
) -> Result<()> {
    let (state, error) = match &result {
        Ok(_) => (OcrState::Done, None),
        Err(e) => (e.state(), Some(e.to_string())),
    };
    record(
        conn,
        id,
        state,
        result.as_deref().unwrap_or(""),
        error.as_deref(),
    )?;
    match state {
        OcrState::Done => report.done += 1,
        OcrState::Unavailable => report.unavailable += 1,
        _ => report.failed += 1,
    }
    progress(OcrEvent {
        id,
        done,
        total,
        state,
        error,
        millis,
    });
    Ok(())
}

/// Record one OCR result, then extract the payment facts again over the voucher's text and
/// its OCR text (the user's own values stay), and update the search index.
fn record(
    conn: &rusqlite::Connection,
    id: i64,
    state: OcrState,
    text: &str,
    error: Option<&str>,
) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let r = (|| -> Result<()> {
        let changed = conn.execute(
            "UPDATE vouchers SET ocr_state = ?2, ocr_text = ?3, ocr_error = ?4
             WHERE id = ?1 AND ocr_state = 'pending'",
            params![id, state.as_str(), text, error],
        )?;
        if changed == 1 && state == OcrState::Done && !text.trim().is_empty() {
            let own: String =
                conn.query_row("SELECT text FROM vouchers WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            let mut warnings = Vec::new();
            let facts = crate::capture::facts::extract_guarded(
                &crate::capture::facts::with_ocr_text(&own, text),
                None,
                None,
                true,
                crate::vault::settings::default_currency_of(conn)?,
                &mut warnings,
            );
            crate::capture::facts::apply_facts(conn, id, &facts, &warnings)?;
        }
        crate::vault::index::reindex(conn, id)?;
        Ok(())
    })();
    match r {
        Ok(()) => {
            conn.execute_batch("COMMIT")?;
            Ok(())
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}
