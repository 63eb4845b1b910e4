//! Adding files: store the bytes, recognise duplicates, read what the file says, and
//! record it, in batched transactions. One bad file never aborts a batch.

use crate::capture::analyse::{analyse, name_mismatch, Analysis};
use crate::capture::batch::{Batch, IDLE_COMMIT_MS};
use crate::capture::facts::{tax_minor, text_date, Confidences};
use crate::error::{Error, IoContext, Result};
use crate::vault::model::{DateSource, Kind};
use crate::vault::money::Currency;
use crate::vault::store::{ObjectStore, Stored};
use crate::vault::{now_utc, Vault};
use chrono::{DateTime, FixedOffset, Local};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// How deep attachments of attached emails are followed.
const MAX_DEPTH: u32 = 4;

pub use crate::capture::batch::set_idle_commit_for_tests;

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Added {
        id: i64,
        /// Vouchers made from the file's attachments (emails).
        attachments: Vec<i64>,
    },
    /// The same bytes are already in the vault; the path was recorded as another source.
    Duplicate {
        id: i64,
    },
    /// Kept as a voucher (never lose a file), but its content could not be read: a
    /// damaged or truncated file, or one whose name claims a type its bytes are not.
    Unreadable {
        id: i64,
        code: String,
        /// Why, e.g. "the PDF could not be parsed: …".
        reason: String,
    },
    Failed {
        code: String,
        reason: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: PathBuf,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Progress of an `add`, once per file.
#[derive(Debug, Clone, Serialize)]
pub struct AddEvent {
    pub done: usize,
    pub total: usize,
    pub report: FileReport,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AddReport {
    /// Vouchers added from the files given (unreadable ones included: they are kept).
    pub added: usize,
    /// Of those, how many could not be read (`Outcome::Unreadable`).
    pub unreadable: usize,
    pub duplicates: usize,
    pub failed: usize,
    pub files: Vec<FileReport>,
}

impl AddReport {
    /// Count one file's outcome.
    fn count(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Added { .. } => self.added += 1,
            Outcome::Unreadable { .. } => {
                self.added += 1;
                self.unreadable += 1;
            }
            Outcome::Duplicate { .. } => self.duplicates += 1,
            Outcome::Failed { .. } => self.failed += 1,
        }
    }

    /// Files a worker thread left when it died: each reported as failed.
    fn unprocessed(&mut self, files: &[std::result::Result<PathBuf, (PathBuf, Error)>]) {
        for f in files {
            let path = match f {
                Ok(p) => p.clone(),
                Err((p, _)) => p.clone(),
            };
            self.failed += 1;
            self.files.push(FileReport {
                path,
                outcome: Outcome::Failed {
                    code: "internal".into(),
                    reason: "the file was not processed (a worker thread failed)".into(),
                },
            });
        }
    }
}

/// A file whose bytes are in the store, waiting for its rows.
struct StoredFile {
    stored: Stored,
    name: String,
    source: String,
    mtime: Option<DateTime<FixedOffset>>,
    /// Read by the worker, unless the bytes were already in the vault.
    analysis: Option<Analysis>,
}

/// The email an attachment came in.
struct ParentEmail {
    id: i64,
    date: Option<DateTime<FixedOffset>>,
    /// How deep in attached emails (1 for a direct attachment).
    depth: u32,
}

/// How many threads store objects during `add_paths`.
const STORE_WORKERS: usize = 4;

/// Store one file's bytes (worker threads). Nothing is written to the database.
fn store_file(store: &ObjectStore, path: &Path) -> Result<StoredFile> {
    let meta = fs::metadata(path).at(path)?;
    if !meta.is_file() {
        return Err(Error::BadFile {
            path: path.into(),
            reason: "not a regular file".into(),
        });
    }
    if meta.len() == 0 {
        return Err(Error::BadFile {
            path: path.into(),
            reason: "the file is empty (0 bytes): nothing to keep".into(),
        });
    }
    let mut file = File::open(path).at(path)?;
    let stored = store.put(&mut file, path)?;
    let mtime = meta
        .modified()
        .ok()
        .map(|t| DateTime::<Local>::from(t).fixed_offset());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let source = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    Ok(StoredFile {
        stored,
        name,
        source: source.to_string_lossy().into_owned(),
        mtime,
        analysis: None,
    })
}

/// One of the threads that store objects for `add_paths`: takes the next file, stores its
/// bytes and, unless the vault has them already, reads what they say. Sends each result
/// with its index; stops when the files run out or the receiver is gone.
fn store_worker(
    next: &AtomicUsize,
    to_store: &[Option<&Path>],
    store: &ObjectStore,
    db_path: &Path,
    default: Option<Currency>,
    tx: mpsc::SyncSender<(usize, Option<Result<StoredFile>>)>,
) {
    // A read-only connection of the worker's own, to skip analysing
    // bytes the vault already has.
    let reader =
        rusqlite::Connection::open_with_flags(db_path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(entry) = to_store.get(i) else { break };
        let stored = entry.map(|p| {
            store_file(store, p).map(|mut f| {
                let known = reader.as_ref().is_some_and(|c| {
                    c.query_row(
                        "SELECT 1 FROM vouchers WHERE sha256 = ?1",
                        [&f.stored.sha256],
                        |_| Ok(()),
                    )
                    .is_ok()
                });
                if !known {
                    f.analysis = analyse(store, &f.stored, default).ok();
                }
                f
            })
        });
        if tx.send((i, stored)).is_err() {
            break;
        }
    }
}

fn failed(e: &Error) -> Outcome {
    Outcome::Failed {
        code: e.code().into(),
        reason: e.to_string(),
    }
}

/// Code of `Outcome::Unreadable`.
pub const UNREADABLE: &str = "unreadable";

/// Expand folders (recursively, in name order) into the files to add.
pub fn collect_files(paths: &[PathBuf]) -> Vec<std::result::Result<PathBuf, (PathBuf, Error)>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            for entry in walkdir::WalkDir::new(p)
                .follow_links(true)
                .sort_by_file_name()
            {
                match entry {
                    Ok(e) if e.file_type().is_file() => out.push(Ok(e.into_path())),
                    Ok(_) => {}
                    Err(e) => {
                        let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| p.clone());
                        let err = e
                            .into_io_error()
                            .map(|io| Error::io(&path, io))
                            .unwrap_or_else(|| Error::BadFile {
                                path: path.clone(),
                                reason: "filesystem loop".into(),
                            });
                        out.push(Err((path, err)));
                    }
                }
            }
        } else {
            out.push(Ok(p.clone()));
        }
    }
    out
}

impl Vault {
    /// Add files and folders. Returns a report with one line per file; fails as a whole
    /// only when the vault itself cannot be written.
    pub fn add_paths(
        &mut self,
        paths: &[PathBuf],
        progress: &mut dyn FnMut(&AddEvent),
    ) -> Result<AddReport> {
        let files = collect_files(paths);
        let total = files.len();
        let to_store: Vec<Option<&Path>> = files
            .iter()
            .map(|f| f.as_ref().ok().map(PathBuf::as_path))
            .collect();
        let mut report = AddReport::default();
        let mut batch = Batch::new(&self.conn);
        let this: &Vault = self;
        let default = self.default_currency()?.currency;
        // Objects are stored by a few worker threads (their fsyncs overlap, and the file
        // system commits them together); analysis and database rows follow on this
        // thread, in input order.
        let next = AtomicUsize::new(0);
        let result = std::thread::scope(|scope| -> Result<()> {
            let (tx, rx) =
                mpsc::sync_channel::<(usize, Option<Result<StoredFile>>)>(STORE_WORKERS * 2);
            for _ in 0..STORE_WORKERS.min(total) {
                let tx = tx.clone();
                let (next, to_store, store) = (&next, &to_store, &this.store);
                let db_path = this.dir.join(crate::vault::DB_FILE);
                scope.spawn(move || store_worker(next, to_store, store, &db_path, default, tx));
            }
            drop(tx);
            let mut waiting: BTreeMap<usize, Option<Result<StoredFile>>> = BTreeMap::new();
            let mut want = 0;
            while want < total {
                while let Some(stored) = waiting.remove(&want) {
                    batch.ensure_open()?;
                    let (path, outcome) = this.record_one(&files[want], stored);
                    report.count(&outcome);
                    let file_report = FileReport { path, outcome };
                    want += 1;
                    progress(&AddEvent {
                        done: want,
                        total,
                        report: file_report.clone(),
                    });
                    report.files.push(file_report);
                    batch.tick(&this.store)?;
                }
                if want == total {
                    break;
                }
                // Waiting for a worker: do not sit on the write lock for long.
                let msg = if batch.open {
                    match rx.recv_timeout(Duration::from_millis(
                        IDLE_COMMIT_MS.load(Ordering::Relaxed),
                    )) {
                        Ok(m) => Some(m),
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            batch.commit_now(&this.store)?;
                            continue;
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => None,
                    }
                } else {
                    rx.recv().ok()
                };
                match msg {
                    Some((i, stored)) => {
                        waiting.insert(i, stored);
                    }
                    // Every worker is gone and the next file never came.
                    None => break,
                }
            }
            // Only if a worker died: say so for each file it left.
            report.unprocessed(&files[want..]);
            Ok(())
        });
        result?;
        batch.commit_now(&self.store)?;
        Ok(report)
    }

    /// Record the next file of `add_paths` in input order: its rows (in a savepoint), or
    /// why it failed.
    fn record_one(
        &self,
        file: &std::result::Result<PathBuf, (PathBuf, Error)>,
        stored: Option<Result<StoredFile>>,
    ) -> (PathBuf, Outcome) {
        match (file, stored) {
            (Ok(path), Some(stored)) => (path.clone(), self.record_in_savepoint(stored)),
            (Err((path, e)), _) => (path.clone(), failed(e)),
            (Ok(path), None) => (
                path.clone(),
                Outcome::Failed {
                    code: "internal".into(),
                    reason: format!("{}: the file was not stored", path.display()),
                },
            ),
        }
    }

    /// Add one file from bytes in memory (e.g. a pasted screenshot).
    pub fn add_bytes(&mut self, bytes: &[u8], name: &str) -> Result<Outcome> {
        if bytes.is_empty() {
            return Err(Error::BadFile {
                path: name.into(),
                reason: "nothing to keep: 0 bytes".into(),
            });
        }
        let stored = self.store.put_bytes(bytes, Path::new(name))?;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match self
            .record_stored(&stored, name, name, None, None)
            .and_then(|o| self.store.sync().map(|_| o))
        {
            Ok(outcome) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(outcome)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Record a stored file in its own savepoint, so that a failure undoes only its rows.
    fn record_in_savepoint(&self, stored: Result<StoredFile>) -> Outcome {
        let stored = match stored {
            Ok(s) => s,
            Err(e) => return failed(&e),
        };
        let result = (|| -> Result<Outcome> {
            self.conn.execute_batch("SAVEPOINT add_file")?;
            match self.record_stored(
                &stored.stored,
                &stored.name,
                &stored.source,
                stored.mtime,
                stored.analysis,
            ) {
                Ok(o) => {
                    self.conn.execute_batch("RELEASE add_file")?;
                    Ok(o)
                }
                Err(e) => {
                    self.conn
                        .execute_batch("ROLLBACK TO add_file; RELEASE add_file")?;
                    // Name the input file, not the object, in what the user reads.
                    Err(match e {
                        Error::Db(_) | Error::Io { .. } => Error::BadFile {
                            path: stored.source.clone().into(),
                            reason: e.to_string(),
                        },
                        other => other,
                    })
                }
            }
        })();
        result.unwrap_or_else(|e| failed(&e))
    }

    fn record_stored(
        &self,
        stored: &Stored,
        name: &str,
        source: &str,
        mtime: Option<DateTime<FixedOffset>>,
        analysed: Option<Analysis>,
    ) -> Result<Outcome> {
        if let Some(id) = self.find_by_sha256(&stored.sha256)? {
            add_source(&self.conn, id, source)?;
            return Ok(Outcome::Duplicate { id });
        }
        let fallback = match mtime {
            Some(t) => (t, DateSource::FileMtime),
            None => (now_fixed(), DateSource::Added),
        };
        let (id, attachments, unreadable) =
            self.ingest_object(stored, name, source, fallback, None, analysed)?;
        Ok(match unreadable {
            Some(reason) => Outcome::Unreadable {
                id,
                code: UNREADABLE.into(),
                reason,
            },
            None => Outcome::Added { id, attachments },
        })
    }

    /// Analyse a stored object and record it as a voucher (and its attachments as theirs).
    /// Returns its id, its attachments' and why its content is unreadable, if it is.
    fn ingest_object(
        &self,
        stored: &Stored,
        name: &str,
        source: &str,
        fallback: (DateTime<FixedOffset>, DateSource),
        parent: Option<ParentEmail>,
        analysed: Option<Analysis>,
    ) -> Result<(i64, Vec<i64>, Option<String>)> {
        let mut a = match analysed {
            Some(a) => a,
            None => analyse(&self.store, stored, self.default_currency()?.currency)?,
        };
        if a.unreadable.is_none() {
            if let Some(reason) = name_mismatch(name, &a.media_type, a.kind.unwrap_or(Kind::Other))
            {
                a.warnings.push(reason.clone());
                a.unreadable = Some(reason);
            }
        }
        // The best evidence of when the payment happened.
        let depth = parent.as_ref().map_or(0, |p| p.depth);
        let occurred = match (&a.occurred, parent.as_ref().and_then(|p| p.date)) {
            (Some((_, DateSource::EmailDate)), _) => a.occurred,
            (_, Some(parent_date)) => Some((parent_date, DateSource::EmailDate)),
            _ => a
                .occurred
                .or_else(|| text_date(&a.facts).map(|t| (t, DateSource::Text))),
        };
        let (occurred_at, occurred_source) = occurred.unwrap_or(fallback);
        if a.title.is_empty() {
            a.title = name.to_string();
        }
        let id = self.insert_voucher(
            stored,
            name,
            &a,
            (occurred_at, occurred_source),
            parent.as_ref().map(|p| p.id),
        )?;
        add_source(&self.conn, id, source)?;
        let mut attachment_ids = Vec::new();
        let mut warnings_late: Vec<String> = Vec::new();
        if let Some(mail) = a.email.take() {
            let h = &mail.headers;
            self.conn.execute(
                "INSERT INTO emails (voucher_id, from_addr, to_addr, subject, date, message_id, html)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, h.from, h.to, h.subject, h.date, h.message_id, h.html],
            )?;
            for att in mail.attachments {
                let att_source = format!("{source} » {}", att.name);
                if depth >= MAX_DEPTH {
                    warnings_late.push(format!(
                        "attachments nested deeper than {MAX_DEPTH} emails were not unpacked"
                    ));
                    break;
                }
                let parent = ParentEmail {
                    id,
                    date: mail.date,
                    depth: depth + 1,
                };
                let mut new_ids = self.ingest_child(
                    &att.bytes,
                    &att.name,
                    &att_source,
                    parent,
                    (occurred_at, occurred_source),
                )?;
                attachment_ids.append(&mut new_ids);
            }
        }
        if a.media_type == crate::capture::detect::MBOX {
            let mut children = self.ingest_mailbox(
                stored,
                source,
                id,
                depth,
                (occurred_at, occurred_source),
                &mut warnings_late,
            )?;
            attachment_ids.append(&mut children);
        }
        for w in warnings_late {
            self.conn.execute(
                "UPDATE vouchers SET warnings = json_insert(warnings, '$[#]', ?2) WHERE id = ?1",
                params![id, w],
            )?;
        }
        crate::vault::index::reindex(&self.conn, id)?;
        Ok((id, attachment_ids, a.unreadable))
    }

    /// The voucher's row, as analysed: its facts with their confidences, the date and
    /// where it came from, queued for OCR when it needs it. Returns its id.
    fn insert_voucher(
        &self,
        stored: &Stored,
        name: &str,
        a: &Analysis,
        (occurred_at, occurred_source): (DateTime<FixedOffset>, DateSource),
        parent_id: Option<i64>,
    ) -> Result<i64> {
        let kind = a.kind.unwrap_or(Kind::Other);
        let facts = &a.facts;
        let amount = facts.amount.as_ref().map(|s| s.value);
        let conf = Confidences::of(facts);
        let occurred_conf = (occurred_source == DateSource::Text)
            .then_some(conf.date)
            .flatten();
        self.conn.execute(
            "INSERT INTO vouchers (sha256, size, media_type, kind, original_name, added_at,
                occurred_at, occurred_ts, occurred_source, title, merchant, amount_minor, currency,
                amount_exp, payment_method, order_ref, text, parent_id, width, height, thumb_state,
                warnings, merchant_conf, amount_conf, occurred_conf, order_ref_conf,
                payment_method_conf, tax_minor, ocr_state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)",
            params![
                stored.sha256,
                stored.size as i64,
                a.media_type,
                kind.as_str(),
                name,
                now_utc(),
                occurred_at.to_rfc3339(),
                occurred_at.timestamp(),
                occurred_source.as_str(),
                a.title,
                facts.merchant.as_ref().map(|s| s.value.as_str()),
                amount.map(|m| m.minor),
                amount.map(|m| m.currency.code().to_string()),
                amount.map(|m| m.currency.exponent()),
                facts.payment_method.as_ref().map(|s| s.value.as_str()),
                facts.order_ref.as_ref().map(|s| s.value.as_str()),
                a.text,
                parent_id,
                a.width,
                a.height,
                a.thumb_state,
                serde_json::to_string(&a.warnings).unwrap_or_else(|_| "[]".into()),
                conf.merchant,
                conf.amount,
                occurred_conf,
                conf.order_ref,
                conf.payment_method,
                tax_minor(facts),
                if a.ocr { "pending" } else { "none" },
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Store a part of a container (an email's attachment, a mailbox's message), link it to
    /// the container, and record it unless the vault has those bytes already. Returns the
    /// vouchers made (the part and, in turn, its own parts).
    fn ingest_child(
        &self,
        bytes: &[u8],
        name: &str,
        child_source: &str,
        parent: ParentEmail,
        fallback: (DateTime<FixedOffset>, DateSource),
    ) -> Result<Vec<i64>> {
        let parent_id = parent.id;
        let stored = self.store.put_bytes(bytes, Path::new(child_source))?;
        if let Some(existing) = self.find_by_sha256(&stored.sha256)? {
            add_source(&self.conn, existing, child_source)?;
            link_attachment(&self.conn, parent_id, existing, name)?;
            return Ok(Vec::new());
        }
        let (child_id, nested, _) =
            self.ingest_object(&stored, name, child_source, fallback, Some(parent), None)?;
        link_attachment(&self.conn, parent_id, child_id, name)?;
        let mut ids = vec![child_id];
        ids.extend(nested);
        Ok(ids)
    }

    /// Each message of an mbox mailbox becomes an email voucher (with its attachments),
    /// linked to the mailbox. Streams: one message in memory at a time.
    fn ingest_mailbox(
        &self,
        stored: &Stored,
        source: &str,
        mailbox_id: i64,
        depth: u32,
        fallback: (DateTime<FixedOffset>, DateSource),
        warnings: &mut Vec<String>,
    ) -> Result<Vec<i64>> {
        let path = self.store.path(&stored.sha256);
        let file = File::open(&path).at(&path)?;
        let mut ids = Vec::new();
        let messages =
            mail_parser::mailbox::mbox::MessageIterator::new(std::io::BufReader::new(file));
        let mut messages_seen = 0;
        for (i, msg) in messages.enumerate() {
            let n = i + 1;
            messages_seen = n;
            let contents = match msg {
                Ok(m) => m.unwrap_contents(),
                Err(e) => {
                    warnings.push(format!(
                        "the mailbox could not be read after message {i}: {e}"
                    ));
                    break;
                }
            };
            if contents.iter().all(|b| b.is_ascii_whitespace()) {
                warnings.push(format!("message {n} of the mailbox is empty; skipped"));
                continue;
            }
            let parent = ParentEmail {
                id: mailbox_id,
                date: None,
                depth: depth + 1,
            };
            let mut new_ids = self.ingest_child(
                &contents,
                &format!("message-{n}.eml"),
                &format!("{source} » message {n}"),
                parent,
                fallback,
            )?;
            ids.append(&mut new_ids);
        }
        if messages_seen == 0 {
            warnings.push("the mailbox holds no messages".into());
        }
        Ok(ids)
    }
}

fn now_fixed() -> DateTime<FixedOffset> {
    chrono::Utc::now().fixed_offset()
}

fn link_attachment(conn: &Connection, email_id: i64, voucher_id: i64, name: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO attachments (email_id, voucher_id, name) VALUES (?1, ?2, ?3)",
        params![email_id, voucher_id, name],
    )?;
    Ok(())
}

fn add_source(conn: &Connection, id: i64, source: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO sources (voucher_id, path, added_at) VALUES (?1, ?2, ?3)",
        params![id, source, now_utc()],
    )?;
    Ok(())
}
