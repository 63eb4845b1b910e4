//! Adding files: store the bytes, recognise duplicates, read what the file says, and
//! record it, in batched transactions. One bad file never aborts a batch.

use crate::capture::detect::{detect, SNIFF_LEN};
use crate::capture::email;
use crate::capture::media;
use crate::capture::pdf;
use crate::error::{Error, IoContext, Result};
use crate::guard;
use crate::understand::extract::{self, Hints};
use crate::vault::model::{DateSource, Kind};
use crate::vault::store::{ObjectStore, Stored};
use crate::vault::{now_utc, Vault};
use chrono::{DateTime, FixedOffset, Local, TimeZone};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Most text kept from a text file.
const MAX_TEXT_BYTES: u64 = 4 << 20;
/// Larger images are not searched for EXIF dates.
const MAX_EXIF_FILE: u64 = 64 << 20;
/// How deep attachments of attached emails are followed.
const MAX_DEPTH: u32 = 4;
/// Commit after this many files or this much time, whichever comes first.
const BATCH_FILES: usize = 500;
const BATCH_TIME: Duration = Duration::from_secs(2);
/// An open batch waiting this long (ms) for the next file commits, releasing the write
/// lock. Adjustable only so that tests can exercise the idle commit.
static IDLE_COMMIT_MS: AtomicU64 = AtomicU64::new(200);

#[doc(hidden)]
pub fn set_idle_commit_for_tests(ms: u64) {
    IDLE_COMMIT_MS.store(ms, Ordering::Relaxed);
}
/// How long a parser may take over one file.
const PARSE_LIMIT: Duration = Duration::from_secs(10);

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

fn failed(e: &Error) -> Outcome {
    Outcome::Failed {
        code: e.code().into(),
        reason: e.to_string(),
    }
}

/// The analysis of one object, before it is written to the database.
#[derive(Default)]
struct Analysis {
    media_type: String,
    kind: Option<Kind>,
    title: String,
    text: String,
    occurred: Option<(DateTime<FixedOffset>, DateSource)>,
    email: Option<email::ParsedEmail>,
    width: Option<u32>,
    height: Option<u32>,
    thumb_state: &'static str,
    warnings: Vec<String>,
    facts: extract::Extracted,
    /// Needs OCR (an image, or a PDF without a text layer): queued as `pending`.
    ocr: bool,
    /// Why the content could not be read at all (the file is kept all the same).
    unreadable: Option<String>,
}

/// Image formats the image reader decodes: one of these it cannot read is damaged.
const DECODABLE_IMAGES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/bmp",
    "image/tiff",
];

/// Code of `Outcome::Unreadable`.
pub const UNREADABLE: &str = "unreadable";

/// What a file's name claims: how to say it ("a PDF") and whether a detected media type
/// fits the claim.
type Claim = (&'static str, fn(&str) -> bool);

/// What a file's name says it is, for the name extensions whose content can be checked.
fn claimed_type(name: &str) -> Option<Claim> {
    fn pdf(m: &str) -> bool {
        m == "application/pdf"
    }
    fn image(m: &str) -> bool {
        m.starts_with("image/")
    }
    fn zip(m: &str) -> bool {
        m == "application/zip"
            || m.starts_with("application/vnd.openxmlformats")
            || m.starts_with("application/vnd.oasis.opendocument")
    }
    fn ole(m: &str) -> bool {
        matches!(m, "application/x-ole-storage" | "application/msword")
            || m.starts_with("application/vnd.ms-")
    }
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    let claim: Claim = match ext.as_str() {
        "pdf" => ("a PDF", pdf),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "bmp" | "tif" | "tiff" | "heic" | "heif"
        | "avif" => ("an image", image),
        "docx" | "xlsx" | "pptx" | "odt" | "ods" | "odp" | "zip" => ("a ZIP-based document", zip),
        "doc" | "xls" | "ppt" => ("an Office document", ole),
        _ => return None,
    };
    Some(claim)
}

/// A file whose name claims a type its bytes are not (random bytes named .pdf, an HTML
/// error page saved as invoice.pdf): why it is unreadable. Bytes of another readable
/// type (a PNG named .pdf) are fine: the content decides.
fn name_mismatch(name: &str, media_type: &str, kind: Kind) -> Option<String> {
    let (what, fits) = claimed_type(name)?;
    if fits(media_type) || !matches!(kind, Kind::Other | Kind::Text) {
        return None;
    }
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let found = match media_type {
        "application/octet-stream" => "unrecognised bytes".to_string(),
        m if m.starts_with("text/") => format!("text ({m})"),
        m => m.to_string(),
    };
    Some(format!(
        "the file is named .{ext} but its content is not {what} ({found}); kept as it is"
    ))
}

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
                scope.spawn(move || {
                    // A read-only connection of the worker's own, to skip analysing
                    // bytes the vault already has.
                    let reader = rusqlite::Connection::open_with_flags(
                        &db_path,
                        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                    )
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
                                    f.analysis = analyse(store, &f.stored).ok();
                                }
                                f
                            })
                        });
                        if tx.send((i, stored)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let mut waiting: BTreeMap<usize, Option<Result<StoredFile>>> = BTreeMap::new();
            let mut want = 0;
            while want < total {
                while let Some(stored) = waiting.remove(&want) {
                    batch.ensure_open()?;
                    let (path, outcome) = match (&files[want], stored) {
                        (Ok(path), Some(stored)) => {
                            (path.clone(), this.record_in_savepoint(stored))
                        }
                        (Err((path, e)), _) => (path.clone(), failed(e)),
                        (Ok(path), None) => (
                            path.clone(),
                            Outcome::Failed {
                                code: "internal".into(),
                                reason: format!("{}: the file was not stored", path.display()),
                            },
                        ),
                    };
                    match &outcome {
                        Outcome::Added { .. } => report.added += 1,
                        Outcome::Unreadable { .. } => {
                            report.added += 1;
                            report.unreadable += 1;
                        }
                        Outcome::Duplicate { .. } => report.duplicates += 1,
                        Outcome::Failed { .. } => report.failed += 1,
                    }
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
            for f in files.iter().skip(want) {
                let path = match f {
                    Ok(p) => p.clone(),
                    Err((p, _)) => p.clone(),
                };
                report.failed += 1;
                report.files.push(FileReport {
                    path,
                    outcome: Outcome::Failed {
                        code: "internal".into(),
                        reason: "the file was not processed (a worker thread failed)".into(),
                    },
                });
            }
            Ok(())
        });
        result?;
        batch.commit_now(&self.store)?;
        Ok(report)
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
            None => analyse(&self.store, stored)?,
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
        let kind = a.kind.unwrap_or(Kind::Other);
        if a.title.is_empty() {
            a.title = name.to_string();
        }
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
                parent.as_ref().map(|p| p.id),
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
        let id = self.conn.last_insert_rowid();
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

    /// Run extraction again over stored vouchers (all when `ids` is `None`), e.g. after the
    /// extractor improved. Values the user typed are never overwritten. Returns how many
    /// vouchers were looked at.
    pub fn reextract(&mut self, ids: Option<&[i64]>) -> Result<usize> {
        let targets: Vec<(i64, String, i64)> = match ids {
            Some(ids) => {
                let mut out = Vec::new();
                for &id in ids {
                    let s = self.summary(id)?;
                    out.push((id, s.sha256, s.size));
                }
                out
            }
            None => {
                let mut stmt = self
                    .conn
                    .prepare("SELECT id, sha256, size FROM vouchers ORDER BY id")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            }
        };
        let mut batch = Batch::new(&self.conn);
        for (id, sha256, size) in &targets {
            let stored = Stored {
                sha256: sha256.clone(),
                size: *size as u64,
                existed: true,
            };
            let mut a = match analyse(&self.store, &stored) {
                Ok(a) => a,
                // A missing or unreadable object is `verify`'s business; leave the row alone.
                Err(_) => continue,
            };
            let ocr_text: String =
                self.conn
                    .query_row("SELECT ocr_text FROM vouchers WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })?;
            if !ocr_text.trim().is_empty() {
                a.facts = extract_guarded(
                    &with_ocr_text(&a.text, &ocr_text),
                    None,
                    None,
                    true,
                    &mut a.warnings,
                );
            }
            batch.ensure_open()?;
            self.conn.execute(
                "UPDATE vouchers SET text = ?2 WHERE id = ?1",
                params![id, a.text],
            )?;
            apply_facts(&self.conn, *id, &a.facts, &[])?;
            crate::vault::index::reindex(&self.conn, *id)?;
            batch.tick(&self.store)?;
        }
        batch.commit_now(&self.store)?;
        Ok(targets.len())
    }

    /// Make the thumbnails still pending (off the ingest path). Returns how many were made.
    pub fn make_thumbnails(&mut self) -> Result<usize> {
        let pending: Vec<(i64, String)> = {
            let mut stmt = self.conn.prepare(
                "SELECT id, sha256 FROM vouchers WHERE thumb_state = 'pending' ORDER BY id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut made = 0;
        for (id, sha) in pending {
            let path = self.store.path(&sha);
            let p = path.clone();
            let result = guard::run("thumbnail", PARSE_LIMIT, move || {
                File::open(&p)
                    .map_err(|e| e.to_string())
                    .and_then(|f| media::thumbnail(media::buffered(f)))
            })
            .and_then(|r| r);
            match result {
                Ok(jpeg) => {
                    let t = self.store.put_bytes(&jpeg, &path)?;
                    self.store.sync()?;
                    self.conn.execute(
                        "UPDATE vouchers SET thumb_sha256 = ?2, thumb_state = 'done' WHERE id = ?1",
                        params![id, t.sha256],
                    )?;
                    made += 1;
                }
                Err(reason) => {
                    self.conn.execute(
                        "UPDATE vouchers SET thumb_state = 'failed',
                            warnings = json_insert(warnings, '$[#]', ?2) WHERE id = ?1",
                        params![id, format!("no thumbnail: {reason}")],
                    )?;
                }
            }
        }
        Ok(made)
    }
}

/// The whole object, unless it is larger than `max` (then a warning says it was kept
/// but not `what_not_done`).
fn read_if_small(
    store: &ObjectStore,
    stored: &Stored,
    max: u64,
    what: &str,
    what_not_done: &str,
    warnings: &mut Vec<String>,
) -> Result<Option<Vec<u8>>> {
    if stored.size > max {
        warnings.push(format!(
            "{what} larger than {} MiB: kept, not {what_not_done}",
            max >> 20
        ));
        return Ok(None);
    }
    store.read_capped(&stored.sha256, max).map(Some)
}

/// A payment date found in the text, as noon local time (the time of day is unknown).
fn text_date(facts: &extract::Extracted) -> Option<DateTime<FixedOffset>> {
    let naive = facts.date.as_ref()?.value.and_hms_opt(12, 0, 0)?;
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.fixed_offset())
}

/// The extractor's confidence per fact, as stored in the `*_conf` columns.
struct Confidences {
    merchant: Option<f64>,
    amount: Option<f64>,
    date: Option<f64>,
    order_ref: Option<f64>,
    payment_method: Option<f64>,
}

impl Confidences {
    fn of(f: &extract::Extracted) -> Confidences {
        fn c<T>(s: &Option<extract::Scored<T>>) -> Option<f64> {
            s.as_ref()
                .map(|s| (f64::from(s.confidence) * 1000.0).round() / 1000.0)
        }
        Confidences {
            merchant: c(&f.merchant),
            amount: c(&f.amount),
            date: c(&f.date),
            order_ref: c(&f.order_ref),
            payment_method: c(&f.payment_method),
        }
    }
}

/// The tax stated on the voucher, in minor units, when it is in the total's currency
/// (without a total, the voucher has no currency to state it in).
fn tax_minor(f: &extract::Extracted) -> Option<i64> {
    let tax = f.tax.as_ref()?.value;
    (f.amount.as_ref()?.value.currency == tax.currency).then_some(tax.minor)
}

/// A voucher's own text followed by its OCR text: what the extractor reads.
pub(crate) fn with_ocr_text(text: &str, ocr: &str) -> String {
    match (text.trim().is_empty(), ocr.trim().is_empty()) {
        (_, true) => text.to_string(),
        (true, false) => ocr.to_string(),
        (false, false) => format!("{text}\n{ocr}"),
    }
}

/// Date sources a payment date read from the text replaces: the fallbacks, a PDF's
/// creation date, and an earlier reading of the text. An EXIF date (when the photo was
/// taken) gives way only to a confident reading.
fn text_date_replaces(source: DateSource, confidence: f64) -> bool {
    match source {
        DateSource::Text | DateSource::PdfCreated | DateSource::FileMtime | DateSource::Added => {
            true
        }
        DateSource::Exif => confidence >= crate::vault::model::REVIEW_THRESHOLD,
        DateSource::User | DateSource::EmailDate => false,
    }
}

/// Store freshly extracted facts on a voucher: every fact the user did not set, their
/// confidences, the tax, and the date when the text's date is better evidence than the
/// one recorded. Shared by `reextract` and OCR. The caller reindexes.
pub(crate) fn apply_facts(
    conn: &Connection,
    id: i64,
    f: &extract::Extracted,
    warnings: &[String],
) -> Result<()> {
    let amount = f.amount.as_ref().map(|s| s.value);
    let conf = Confidences::of(f);
    let tax = f.tax.as_ref().map(|t| t.value);
    conn.execute(
        "UPDATE vouchers SET
            merchant = CASE WHEN merchant_origin = 'user' THEN merchant ELSE ?2 END,
            merchant_conf = CASE WHEN merchant_origin = 'user' THEN merchant_conf ELSE ?3 END,
            amount_minor = CASE WHEN amount_origin = 'user' THEN amount_minor ELSE ?4 END,
            currency = CASE WHEN amount_origin = 'user' THEN currency ELSE ?5 END,
            amount_exp = CASE WHEN amount_origin = 'user' THEN amount_exp ELSE ?6 END,
            amount_conf = CASE WHEN amount_origin = 'user' THEN amount_conf ELSE ?7 END,
            payment_method = CASE WHEN payment_method_origin = 'user' THEN payment_method ELSE ?8 END,
            payment_method_conf = CASE WHEN payment_method_origin = 'user' THEN payment_method_conf ELSE ?9 END,
            order_ref = CASE WHEN order_ref_origin = 'user' THEN order_ref ELSE ?10 END,
            order_ref_conf = CASE WHEN order_ref_origin = 'user' THEN order_ref_conf ELSE ?11 END,
            -- The tax, when it is in the currency the voucher ends up with.
            tax_minor = CASE WHEN ?13 IS NOT NULL
                AND ?13 = (CASE WHEN amount_origin = 'user' THEN currency ELSE ?5 END)
                THEN ?12 ELSE NULL END
         WHERE id = ?1",
        params![
            id,
            f.merchant.as_ref().map(|s| s.value.as_str()),
            conf.merchant,
            amount.map(|m| m.minor),
            amount.map(|m| m.currency.code().to_string()),
            amount.map(|m| m.currency.exponent()),
            conf.amount,
            f.payment_method.as_ref().map(|s| s.value.as_str()),
            conf.payment_method,
            f.order_ref.as_ref().map(|s| s.value.as_str()),
            conf.order_ref,
            tax.map(|t| t.minor),
            tax.map(|t| t.currency.code().to_string()),
        ],
    )?;
    let source: String = conn.query_row(
        "SELECT occurred_source FROM vouchers WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let source = DateSource::parse(&source);
    match (text_date(f), conf.date) {
        (Some(t), Some(c)) if text_date_replaces(source, c) => {
            conn.execute(
                "UPDATE vouchers SET occurred_at = ?2, occurred_ts = ?3, occurred_source = 'text',
                    occurred_conf = ?4 WHERE id = ?1",
                params![id, t.to_rfc3339(), t.timestamp(), c],
            )?;
        }
        _ if source != DateSource::Text => {
            conn.execute(
                "UPDATE vouchers SET occurred_conf = NULL WHERE id = ?1",
                [id],
            )?;
        }
        _ => {}
    }
    for w in warnings {
        conn.execute(
            "UPDATE vouchers SET warnings = json_insert(warnings, '$[#]', ?2) WHERE id = ?1",
            params![id, w],
        )?;
    }
    Ok(())
}

/// Read what a stored object says. Touches only the store (runs on worker threads).
fn analyse(store: &ObjectStore, stored: &Stored) -> Result<Analysis> {
    let path = store.path(&stored.sha256);
    let mut head = Vec::with_capacity(SNIFF_LEN);
    File::open(&path)
        .at(&path)?
        .take(SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .at(&path)?;
    let (media_type, kind) = detect(&head);
    let mut a = Analysis {
        media_type,
        kind: Some(kind),
        thumb_state: "none",
        ..Default::default()
    };
    match kind {
        Kind::Email => {
            if let Some(raw) = read_if_small(
                store,
                stored,
                email::MAX_EMAIL_BYTES,
                "email",
                "parsed",
                &mut a.warnings,
            )? {
                let mail = match guard::run("email", PARSE_LIMIT, move || email::parse(&raw)) {
                    Ok(m) => m,
                    Err(e) => {
                        let reason = format!("the email could not be parsed: the parser {e}");
                        a.unreadable = Some(reason.clone());
                        email::ParsedEmail {
                            warnings: vec![reason],
                            ..Default::default()
                        }
                    }
                };
                a.title = mail.headers.subject.clone();
                a.text = mail.text.clone();
                a.warnings.extend(mail.warnings.iter().cloned());
                a.occurred = mail.date.map(|d| (d, DateSource::EmailDate));
                a.facts = extract_guarded(
                    &format!("{}\n{}", mail.headers.subject, mail.text),
                    Some(&mail.headers.from),
                    Some(&mail.headers.subject),
                    false,
                    &mut a.warnings,
                );
                if a.facts.merchant.is_none() {
                    a.facts.merchant =
                        extract::merchant_from_sender(&mail.headers.from).map(|value| {
                            extract::Scored {
                                value,
                                confidence: 0.7,
                            }
                        });
                }
                a.email = Some(mail);
            }
        }
        Kind::Pdf => {
            if let Some(bytes) = read_if_small(
                store,
                stored,
                pdf::MAX_PDF_BYTES,
                "PDF",
                "read for text",
                &mut a.warnings,
            )? {
                let info = pdf::analyse(bytes);
                a.unreadable = info.unreadable.clone();
                // Even a damaged PDF goes to OCR: its renderer may read what is there.
                a.ocr = info.needs_ocr();
                a.title = info.title.unwrap_or_default();
                a.warnings.extend(info.warnings);
                a.facts = extract_guarded(&info.text, None, None, false, &mut a.warnings);
                a.text = info.text;
                a.occurred = info.created.map(|d| (d, DateSource::PdfCreated));
                // A payment date printed in the document beats the file's creation date.
                if let Some(t) = text_date(&a.facts) {
                    a.occurred = Some((t, DateSource::Text));
                }
            }
        }
        Kind::Image => {
            let p = path.clone();
            let size = stored.size;
            let read = guard::run("image-header", PARSE_LIMIT, move || {
                let dims = File::open(&p)
                    .map_err(|e| e.to_string())
                    .and_then(|f| media::dimensions(media::buffered(f)));
                // Some containers (TIFF) make the EXIF reader load the whole file.
                let exif = File::open(&p)
                    .ok()
                    .filter(|_| size <= MAX_EXIF_FILE)
                    .and_then(|f| media::exif_date(media::buffered(f)));
                (dims, exif)
            });
            let (dims, exif) = match read {
                Ok(r) => r,
                Err(e) => (Err(format!("the image reader {e}")), None),
            };
            match dims {
                Ok((w, h)) => {
                    a.width = Some(w);
                    a.height = Some(h);
                    match media::refuse_reason(w, h) {
                        Some(reason) => {
                            a.warnings.push(reason);
                            a.thumb_state = "refused";
                        }
                        None => a.thumb_state = "pending",
                    }
                }
                Err(e) => {
                    let reason = format!("the image could not be read: {e}; kept as it is");
                    a.warnings.push(reason.clone());
                    // Damaged, for a format the reader knows; a format or feature it
                    // does not know (HEIC, AVIF, a rare BMP header) or a size over its
                    // limits is no sign of damage.
                    let beyond_reader = ["support", "limit", "too large"]
                        .iter()
                        .any(|w| e.to_lowercase().contains(w));
                    if DECODABLE_IMAGES.contains(&a.media_type.as_str()) && !beyond_reader {
                        a.unreadable = Some(reason);
                    }
                    a.thumb_state = "failed";
                }
            }
            a.occurred = exif.map(|d| (d, DateSource::Exif));
            // Every image goes to the OCR queue; one that cannot be decoded fails there
            // with the reason.
            a.ocr = true;
        }
        Kind::Text => {
            let raw = {
                let mut v = Vec::new();
                File::open(&path)
                    .at(&path)?
                    .take(MAX_TEXT_BYTES)
                    .read_to_end(&mut v)
                    .at(&path)?;
                v
            };
            let text = String::from_utf8_lossy(&raw);
            a.text = if a.media_type == "text/html" {
                let html = text.into_owned();
                guard::run("html", PARSE_LIMIT, move || {
                    crate::capture::email::html_to_text(&html)
                })
                .unwrap_or_else(|e| {
                    a.warnings
                        .push(format!("the HTML could not be read: the converter {e}"));
                    String::new()
                })
            } else {
                text.into_owned()
            };
            a.facts = extract_guarded(&a.text, None, None, false, &mut a.warnings);
        }
        Kind::Other => {}
    }
    Ok(a)
}

/// The extractor over hostile text, on a guarded thread: a bug in it costs this file its
/// facts (with a warning), never the batch.
pub(crate) fn extract_guarded(
    text: &str,
    from: Option<&str>,
    subject: Option<&str>,
    ocr: bool,
    warnings: &mut Vec<String>,
) -> extract::Extracted {
    let text = extract_input(text).into_owned();
    let (from, subject) = (from.map(str::to_string), subject.map(str::to_string));
    let run = guard::run("extract", PARSE_LIMIT, move || {
        extract::extract(
            &text,
            &Hints {
                email_from: from.as_deref(),
                subject: subject.as_deref(),
                ocr,
            },
        )
    });
    run.unwrap_or_else(|e| {
        warnings.push(format!(
            "payment facts could not be read: the extractor {e}"
        ));
        extract::Extracted::default()
    })
}

/// What the extractor reads of a long text: the head (merchant, date, order number) and
/// the tail (totals). Receipts are short; this bounds the cost of long documents.
fn extract_input(text: &str) -> std::borrow::Cow<'_, str> {
    const HEAD: usize = 24 * 1024;
    const TAIL: usize = 8 * 1024;
    if text.len() <= HEAD + TAIL {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut h = HEAD;
    while !text.is_char_boundary(h) {
        h -= 1;
    }
    let mut t = text.len() - TAIL;
    while !text.is_char_boundary(t) {
        t += 1;
    }
    std::borrow::Cow::Owned(format!("{}\n{}", &text[..h], &text[t..]))
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

/// A transaction that commits every `BATCH_FILES` files or `BATCH_TIME`. Dropped
/// without `commit` (an error on the way), it rolls back what is not yet committed, so
/// the connection is never left inside a transaction.
struct Batch<'c> {
    conn: &'c Connection,
    files: usize,
    started: Instant,
    open: bool,
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl<'c> Batch<'c> {
    /// A batch whose transaction opens with the first write.
    fn new(conn: &'c Connection) -> Batch<'c> {
        Batch {
            conn,
            files: 0,
            started: Instant::now(),
            open: false,
        }
    }

    fn ensure_open(&mut self) -> Result<()> {
        if !self.open {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.open = true;
            self.files = 0;
            self.started = Instant::now();
        }
        Ok(())
    }

    /// One more file recorded; commit when the batch is full or old.
    fn tick(&mut self, store: &ObjectStore) -> Result<()> {
        self.files += 1;
        if self.files >= BATCH_FILES || self.started.elapsed() >= BATCH_TIME {
            self.commit_now(store)?;
        }
        Ok(())
    }

    /// Make the batch's objects durable, then commit its rows.
    fn commit_now(&mut self, store: &ObjectStore) -> Result<()> {
        if self.open {
            store.sync()?;
            self.conn.execute_batch("COMMIT")?;
            self.open = false;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_keep_head_and_tail() {
        let t = format!("Shop GmbH\n{}\nTotal: 9.99 EUR", "é".repeat(100_000));
        let x = extract_input(&t);
        assert!(x.len() < 40 * 1024);
        assert!(x.starts_with("Shop GmbH"));
        assert!(x.ends_with("Total: 9.99 EUR"));
        assert!(matches!(
            extract_input("short"),
            std::borrow::Cow::Borrowed("short")
        ));
    }

    #[test]
    fn an_html_receipt_keeps_its_table_cells_apart() {
        let dir = tempfile::tempdir().unwrap();
        let store = ObjectStore::new(dir.path());
        store.create_dirs().unwrap();
        let html = "<!DOCTYPE html><html><head><title>Receipt</title></head><body>\
            <h1>Lindenhof Buchhandlung</h1><table>\
            <tr><td>Paperback</td><td>12.50 EUR</td></tr>\
            <tr><td>Total</td><td>12.50 EUR</td></tr>\
            </table><p>Date: 2024-03-05</p></body></html>";
        let stored = store
            .put_bytes(html.as_bytes(), Path::new("receipt.html"))
            .unwrap();
        let a = analyse(&store, &stored).unwrap();
        assert_eq!(a.media_type, "text/html");
        assert!(a.text.contains("Total\t12.50 EUR"), "{:?}", a.text);
        let amount = a.facts.amount.expect("an amount");
        assert_eq!(amount.value.minor, 1250);
        assert_eq!(amount.value.currency.code(), "EUR");
    }
}
