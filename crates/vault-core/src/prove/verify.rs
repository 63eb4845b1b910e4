//! Verification of the vault (every object re-hashed, the database checked) and of
//! exported bundles.

use crate::error::{Error, IoContext, Result};
use crate::prove::export::BUNDLE_FORMAT;
use crate::vault::store::{hash_file, hash_reader, is_sha256_hex};
use crate::vault::Vault;
use rusqlite::OptionalExtension;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A voucher's original is gone.
    Missing,
    /// A voucher's original no longer has the bytes its name promises.
    Corrupted,
    /// An object no voucher refers to (harmless; e.g. left by an interrupted add).
    Orphan,
    /// A derived object (thumbnail) is gone or damaged; it can be made again.
    Derived,
    /// SQLite integrity or foreign-key check failed.
    Database,
    /// A file in the object store that is not an object.
    Stray,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    pub kind: ProblemKind,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub voucher_id: Option<i64>,
    pub sha256: Option<String>,
    /// The file name the voucher was added as, when the problem is a voucher's.
    pub name: Option<String>,
    /// A recorded source still holds the original's bytes: `Vault::repair` can put them back.
    pub repairable: bool,
    pub detail: String,
}

impl Problem {
    fn of_vault(kind: ProblemKind, sha256: Option<String>, detail: String) -> Problem {
        Problem {
            kind,
            voucher_id: None,
            sha256,
            name: None,
            repairable: false,
            detail,
        }
    }
}

/// What `Vault::repair` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RepairOutcome {
    /// The original was put back.
    pub repaired: bool,
    /// The source it was restored from.
    pub from: Option<String>,
    /// What happened, for people.
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VerifyReport {
    /// Objects re-hashed.
    pub checked: usize,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    /// True when nothing that matters is wrong (orphans and derived objects do not count).
    pub fn ok(&self) -> bool {
        !self.problems.iter().any(|p| {
            matches!(
                p.kind,
                ProblemKind::Missing | ProblemKind::Corrupted | ProblemKind::Database
            )
        })
    }
}

impl Vault {
    /// Re-hash every object and check the database. Streams: memory does not grow
    /// with the size of the vault's files.
    pub fn verify(&self, progress: &mut dyn FnMut(usize, usize)) -> Result<VerifyReport> {
        self.verify_ids(None, progress)
    }

    /// Re-hash one voucher's original.
    pub fn verify_voucher(&self, id: i64) -> Result<VerifyReport> {
        self.summary(id)?;
        self.verify_ids(Some(id), &mut |_, _| {})
    }

    fn verify_ids(
        &self,
        only: Option<i64>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<VerifyReport> {
        let mut report = VerifyReport::default();
        if only.is_none() {
            self.check_database(&mut report)?;
        }
        let total: i64 = match only {
            Some(_) => 1,
            None => self
                .conn
                .query_row("SELECT count(*) FROM vouchers", [], |r| r.get(0))?,
        };
        let mut stmt = self.conn.prepare(
            "SELECT id, sha256, size, thumb_sha256, original_name FROM vouchers WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
        )?;
        let mut rows = stmt.query([only])?;
        let mut done = 0;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let sha: String = r.get(1)?;
            let size: i64 = r.get(2)?;
            let thumb: Option<String> = r.get(3)?;
            let name: String = r.get(4)?;
            let path = self.store.path(&sha);
            let who = format!("{name} (voucher {id})");
            let problem = match hash_file(&path) {
                Ok((actual, actual_size)) => {
                    report.checked += 1;
                    report.bytes += actual_size;
                    (actual != sha || actual_size as i64 != size).then(|| {
                        (ProblemKind::Corrupted, format!(
                            "{who}: the original's bytes changed (expected SHA-256 {sha}, {size} bytes; found {actual}, {actual_size} bytes)"
                        ))
                    })
                }
                Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                    Some((
                        ProblemKind::Missing,
                        format!("{who}: the original is missing ({})", path.display()),
                    ))
                }
                Err(e) => Some((
                    ProblemKind::Missing,
                    format!("{who}: the original cannot be read: {e}"),
                )),
            };
            if let Some((kind, mut detail)) = problem {
                let source = self.repair_source(id, &sha, size)?;
                match &source {
                    Some(src) => detail.push_str(&format!(
                        "; {src} still holds the same bytes: `vault repair {id}` puts them back"
                    )),
                    None => detail.push_str(
                        "; no recorded source still holds the same bytes (add the original again if you have it)",
                    ),
                }
                report.problems.push(Problem {
                    kind,
                    voucher_id: Some(id),
                    sha256: Some(sha.clone()),
                    name: Some(name.clone()),
                    repairable: source.is_some(),
                    detail,
                });
            }
            if let Some(t) = thumb {
                let ok = hash_file(&self.store.path(&t))
                    .map(|(h, _)| h == t)
                    .unwrap_or(false);
                if !ok {
                    report.problems.push(Problem {
                        kind: ProblemKind::Derived,
                        voucher_id: Some(id),
                        sha256: Some(t),
                        name: Some(name.clone()),
                        repairable: false,
                        detail: format!(
                            "{who}: its thumbnail is missing or damaged (it can be made again)"
                        ),
                    });
                }
            }
            done += 1;
            progress(done, total as usize);
        }
        if only.is_none() {
            self.check_orphans(&mut report)?;
        }
        Ok(report)
    }

    fn check_database(&self, report: &mut VerifyReport) -> Result<()> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let msgs: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for m in msgs.into_iter().filter(|m| m != "ok") {
            report.problems.push(Problem::of_vault(
                ProblemKind::Database,
                None,
                format!("database integrity: {m}"),
            ));
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let fks: Vec<(String, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (table, rowid) in fks {
            report.problems.push(Problem::of_vault(
                ProblemKind::Database,
                None,
                format!("database: row {rowid} of {table} refers to a voucher that does not exist"),
            ));
        }
        Ok(())
    }

    fn check_orphans(&self, report: &mut VerifyReport) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM vouchers WHERE sha256 = ?1)
                 OR EXISTS (SELECT 1 FROM vouchers WHERE thumb_sha256 = ?1)",
        )?;
        for h in self.store.iter_hashes() {
            let h = h?;
            if !is_sha256_hex(&h) {
                report.problems.push(Problem::of_vault(
                    ProblemKind::Stray,
                    None,
                    format!("a file that is not an object is in the store: {h}"),
                ));
                continue;
            }
            let referenced: bool = stmt.query_row([&h], |r| r.get(0))?;
            if !referenced {
                report.problems.push(Problem::of_vault(
                    ProblemKind::Orphan,
                    Some(h.clone()),
                    format!(
                        "object {h} belongs to no voucher (harmless; left by an interrupted add?)"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Where a voucher's original can be had again: the first recorded source that still
    /// holds its bytes, else an intact email in the vault it came attached to.
    fn repair_source(&self, id: i64, sha256: &str, size: i64) -> Result<Option<String>> {
        for src in self.source_paths(id)? {
            let p = Path::new(&src);
            if !fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() as i64 == size) {
                continue;
            }
            if hash_file(p).is_ok_and(|(h, _)| h == sha256) {
                return Ok(Some(src));
            }
        }
        Ok(self.attachment_in_emails(id, sha256)?.map(|(from, _)| from))
    }

    /// The bytes of a voucher as an attachment of an intact email in the vault, with a
    /// description of where they were found.
    fn attachment_in_emails(&self, id: i64, sha256: &str) -> Result<Option<(String, Vec<u8>)>> {
        let emails: Vec<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT e.sha256, e.original_name FROM attachments a \
                 JOIN vouchers e ON e.id = a.email_id \
                 WHERE a.voucher_id = ?1 AND e.kind = 'email' ORDER BY a.rowid",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (email_sha, email_name) in emails {
            let Ok(raw) = self
                .store
                .read_capped(&email_sha, crate::capture::email::MAX_EMAIL_BYTES)
            else {
                continue;
            };
            if hex::encode(Sha256::digest(&raw)) != email_sha {
                continue;
            }
            let want = sha256.to_string();
            // Hostile input: the parser runs guarded, like at import.
            let found = crate::guard::run("email", std::time::Duration::from_secs(10), move || {
                crate::capture::email::parse(&raw)
                    .attachments
                    .into_iter()
                    .find(|a| hex::encode(Sha256::digest(&a.bytes)) == want)
            });
            if let Ok(Some(att)) = found {
                return Ok(Some((
                    format!("{email_name} » {} (in the vault)", att.name),
                    att.bytes,
                )));
            }
        }
        Ok(None)
    }

    fn source_paths(&self, id: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT path FROM sources WHERE voucher_id = ?1 ORDER BY added_at, path",
        )?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Put back a voucher's missing or damaged original from the first recorded source
    /// whose bytes still hash right (written to a temp file, fsynced, renamed into place).
    /// An intact original is left alone.
    pub fn repair(&self, id: i64) -> Result<RepairOutcome> {
        let s = self.summary(id)?;
        let name = &s.original_name;
        let path = self.store.path(&s.sha256);
        if hash_file(&path).is_ok_and(|(h, n)| h == s.sha256 && n as i64 == s.size) {
            return Ok(RepairOutcome {
                repaired: false,
                from: None,
                message: format!(
                    "{name} (voucher {id}): the original is intact; nothing to repair"
                ),
            });
        }
        for src in self.source_paths(id)? {
            let p = Path::new(&src);
            if !fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() as i64 == s.size) {
                continue;
            }
            let Ok(mut f) = File::open(p) else { continue };
            match self.store.restore(&s.sha256, &mut f, p) {
                Ok(true) => {
                    return Ok(RepairOutcome {
                        repaired: true,
                        from: Some(src.clone()),
                        message: format!("{name} (voucher {id}): restored from {src}"),
                    })
                }
                Ok(false) => continue,
                // The source could not be read: try the next one.
                Err(Error::Io { path, .. }) if path == p => continue,
                Err(e) => return Err(e),
            }
        }
        if let Some((from, bytes)) = self.attachment_in_emails(id, &s.sha256)? {
            if self
                .store
                .restore(&s.sha256, &mut &bytes[..], Path::new(&from))?
            {
                return Ok(RepairOutcome {
                    repaired: true,
                    message: format!("{name} (voucher {id}): restored from {from}"),
                    from: Some(from),
                });
            }
        }
        Ok(RepairOutcome {
            repaired: false,
            from: None,
            message: format!(
                "{name} (voucher {id}): no recorded source still holds the same bytes; add the original again if you have it"
            ),
        })
    }

    /// A voucher id by hash, for reports.
    pub fn id_of(&self, sha256: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM vouchers WHERE sha256 = ?1", [sha256], |r| {
                r.get(0)
            })
            .optional()?)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct BundleReport {
    /// Files whose checksum was compared.
    pub checked: usize,
    pub problems: Vec<String>,
}

impl BundleReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Largest manifest or checksum list read from a bundle.
const MAX_MANIFEST: u64 = 64 << 20;

#[derive(serde::Deserialize)]
struct BundleManifest {
    format: String,
    vouchers: Vec<BundleManifestEntry>,
}

#[derive(serde::Deserialize)]
struct BundleManifestEntry {
    file: String,
    sha256: String,
}

/// The entry count the archive's end-of-central-directory record declares, if it can
/// be read (None for ZIP64 archives and archives that cannot be read).
fn central_directory_entries(f: &mut File) -> Option<usize> {
    use std::io::{Seek, SeekFrom};
    let len = f.metadata().ok()?.len();
    let tail = len.min(66_000);
    f.seek(SeekFrom::Start(len - tail)).ok()?;
    let mut buf = Vec::with_capacity(tail as usize);
    f.by_ref().take(tail).read_to_end(&mut buf).ok()?;
    f.seek(SeekFrom::Start(0)).ok()?;
    let pos = buf
        .windows(4)
        .rposition(|w| w == [0x50, 0x4b, 0x05, 0x06])?;
    let total = u16::from_le_bytes([*buf.get(pos + 10)?, *buf.get(pos + 11)?]);
    (total != 0xFFFF).then_some(total as usize)
}

/// Check an exported bundle: every file listed in SHA256SUMS is present with that hash,
/// every voucher file is listed, and the manifest agrees with both.
pub fn verify_bundle(path: &Path) -> Result<BundleReport> {
    let mut file = File::open(path).at(path)?;
    let declared = central_directory_entries(&mut file);
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| bad_bundle(path, format!("not a ZIP archive ({e})")))?;
    let mut report = BundleReport::default();
    // The reader keeps only the last of several entries with one name; an archive that
    // holds two files under one name could show a person a different file than was checked.
    if let Some(n) = declared {
        if n != zip.len() {
            report.problems.push(format!(
                "the archive lists {n} entries but only {} distinct names: some names appear twice",
                zip.len()
            ));
        }
    }
    let sums = String::from_utf8(read_small(&mut zip, path, "SHA256SUMS")?)
        .map_err(|_| bad_bundle(path, "SHA256SUMS is not text".into()))?;
    let listed = parse_sums(&sums, &mut report.problems);
    check_names(&zip, &listed, &mut report.problems);
    check_listed_files(&mut zip, &listed, &mut report);
    check_manifest(&mut zip, path, &listed, &mut report.problems);
    Ok(report)
}

fn bad_bundle(path: &Path, reason: String) -> Error {
    Error::BadBundle {
        path: path.to_path_buf(),
        reason,
    }
}

/// A manifest or checksum list of the bundle, refused above `MAX_MANIFEST`.
fn read_small(zip: &mut zip::ZipArchive<File>, path: &Path, name: &str) -> Result<Vec<u8>> {
    let f = zip
        .by_name(name)
        .map_err(|_| bad_bundle(path, format!("{name} is missing")))?;
    let mut out = Vec::new();
    f.take(MAX_MANIFEST + 1)
        .read_to_end(&mut out)
        .map_err(|e| bad_bundle(path, format!("{name} cannot be read ({e})")))?;
    if out.len() as u64 > MAX_MANIFEST {
        return Err(bad_bundle(
            path,
            format!("{name} is larger than {} MiB", MAX_MANIFEST >> 20),
        ));
    }
    Ok(out)
}

/// The files SHA256SUMS lists, with their checksums; lines that are not
/// `<sha256>  <file>` and names listed twice with different sums are problems.
fn parse_sums(sums: &str, problems: &mut Vec<String>) -> HashMap<String, String> {
    let mut listed: HashMap<String, String> = HashMap::new();
    for (n, line) in sums.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed = line
            .split_once("  ")
            .or_else(|| line.split_once(" *"))
            .filter(|(h, _)| is_sha256_hex(h));
        match parsed {
            Some((h, name)) => {
                if let Some(prev) = listed.insert(name.to_string(), h.to_string()) {
                    if prev != h {
                        problems.push(format!(
                            "SHA256SUMS lists {name} twice with different checksums"
                        ));
                    }
                }
            }
            None => problems.push(format!(
                "SHA256SUMS line {} is not `<sha256>  <file>`",
                n + 1
            )),
        }
    }
    listed
}

/// Every voucher file must be listed, and no name may climb out of the folder it is
/// unpacked into.
fn check_names(
    zip: &zip::ZipArchive<File>,
    listed: &HashMap<String, String>,
    problems: &mut Vec<String>,
) {
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    for name in &names {
        if name.starts_with("vouchers/") && !name.ends_with('/') && !listed.contains_key(name) {
            problems.push(format!("{name} is in the bundle but not in SHA256SUMS"));
        }
        if name.split('/').any(|part| part == "..") || name.starts_with('/') || name.contains('\\')
        {
            problems.push(format!("{name}: unsafe path in the archive"));
        }
    }
}

/// Each listed file is present, as long as the archive declares, with its checksum.
fn check_listed_files(
    zip: &mut zip::ZipArchive<File>,
    listed: &HashMap<String, String>,
    report: &mut BundleReport,
) {
    let mut sorted: Vec<(&String, &String)> = listed.iter().collect();
    sorted.sort();
    for (name, expected) in sorted {
        let f = match zip.by_name(name) {
            Ok(f) => f,
            Err(_) => {
                report.problems.push(format!(
                    "{name}: listed in SHA256SUMS but missing from the bundle"
                ));
                continue;
            }
        };
        let declared = f.size();
        // Never read past the size the archive declares (a zip bomb stops there).
        let mut limited = f.take(declared.saturating_add(1));
        match hash_reader(&mut limited, Path::new(name)) {
            Ok((actual, n)) => {
                report.checked += 1;
                if n != declared {
                    report.problems.push(format!(
                        "{name}: holds {n} bytes but the archive declares {declared}"
                    ));
                } else if &actual != expected {
                    report.problems.push(format!(
                        "{name}: FAILED (SHA-256 is {actual}, SHA256SUMS says {expected})"
                    ));
                }
            }
            Err(e) => report
                .problems
                .push(format!("{name}: cannot be read ({e})")),
        }
    }
}

/// The manifest must describe the same files with the same hashes.
fn check_manifest(
    zip: &mut zip::ZipArchive<File>,
    path: &Path,
    listed: &HashMap<String, String>,
    problems: &mut Vec<String>,
) {
    let m = match read_small(zip, path, "manifest.json") {
        Ok(bytes) => match serde_json::from_slice::<BundleManifest>(&bytes) {
            Ok(m) => m,
            Err(e) => {
                problems.push(format!("manifest.json is not a valid manifest ({e})"));
                return;
            }
        },
        Err(e) => {
            problems.push(e.to_string());
            return;
        }
    };
    if m.format != BUNDLE_FORMAT {
        problems.push("manifest.json is not a Receipt Vault manifest".into());
    }
    let mut in_manifest = HashSet::new();
    for v in &m.vouchers {
        in_manifest.insert(v.file.clone());
        match listed.get(&v.file) {
            Some(h) if *h == v.sha256 => {}
            Some(_) => problems.push(format!(
                "{}: manifest.json and SHA256SUMS disagree on its SHA-256",
                v.file
            )),
            None => problems.push(format!(
                "{}: in manifest.json but not in SHA256SUMS",
                v.file
            )),
        }
    }
    for name in listed.keys().filter(|n| n.starts_with("vouchers/")) {
        if !in_manifest.contains(name) {
            problems.push(format!("{name}: not described in manifest.json"));
        }
    }
}
