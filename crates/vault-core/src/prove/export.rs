//! Evidence bundles (ZIP) and CSV export.
//!
//! A bundle holds the originals under `vouchers/` with safe ASCII names, `manifest.json`,
//! `manifest.csv`, `SHA256SUMS` (the format `sha256sum -c` reads) and `README.txt`.
//! Every original is re-hashed while it is copied: a corrupted object stops the export
//! instead of producing evidence that does not verify.

use crate::error::{Error, IoContext, Result};
use crate::vault::model::{DateSource, Kind, Voucher};
use crate::vault::money::format_minor;
use crate::vault::store::{copy_hashing, BUF_SIZE};
use crate::vault::Vault;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

pub const BUNDLE_FORMAT: &str = "receipt-vault-bundle";
pub const BUNDLE_VERSION: u32 = 1;

/// One voucher as described in a bundle's manifest and in CSV exports.
#[derive(Debug, Clone, Serialize)]
pub struct ManifestEntry {
    pub id: i64,
    pub file: String,
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub kind: Kind,
    pub original_name: String,
    pub title: String,
    pub occurred_at: String,
    pub occurred_source: String,
    pub added_at: String,
    pub merchant: Option<String>,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub amount_minor: Option<i64>,
    pub payment_method: Option<String>,
    pub order_ref: Option<String>,
    pub tags: Vec<String>,
    pub notes: String,
    pub parent_id: Option<i64>,
    /// The names of the files it was added from: file names only, never local folders
    /// (an attachment reads "mail.eml » invoice.pdf").
    pub sources: Vec<String>,
    pub email_from: Option<String>,
    pub email_subject: Option<String>,
    pub email_message_id: Option<String>,
}

#[derive(Debug, Serialize)]
struct Manifest<'a> {
    format: &'static str,
    version: u32,
    created_at: String,
    generator: String,
    vouchers: &'a [ManifestEntry],
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportSummary {
    pub path: PathBuf,
    /// Distinct vouchers asked for (an attachment its email pulled in is not counted).
    pub vouchers: usize,
    /// Originals written (the vouchers plus the attachments of their emails).
    pub files: usize,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

/// A source as it may leave the vault: the file name without its folders, and the
/// attachment or message part after " » " as it is ("order.eml » invoice.pdf").
///
/// A folder's name may itself hold " » " ("/home/anna » scans/x.pdf"), so the parts are
/// not told apart by " » ": everything up to the last path separator goes, wherever it
/// is. No folder can leave that way, and nothing returned holds a separator (an
/// attachment named with one keeps only what follows it).
pub fn source_name(source: &str) -> String {
    let name = source
        .rfind(['/', '\\'])
        .map_or(source, |i| &source[i + 1..]);
    name.trim().to_string()
}

/// Lowercase ASCII slug: letters and digits, runs of anything else as one '-'.
pub fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = fold_ascii(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= max {
            break;
        }
    }
    out.trim_matches('-').to_string()
}

fn fold_ascii(c: char) -> char {
    match c {
        'à'..='å' | 'À'..='Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è'..='ë' | 'È'..='Ë' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ß' => 's',
        _ => c,
    }
}

fn extension(media_type: &str, original_name: &str) -> String {
    let known = match media_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/bmp" => "bmp",
        "image/tiff" => "tif",
        "image/heif" => "heic",
        "application/pdf" => "pdf",
        "message/rfc822" => "eml",
        "text/html" => "html",
        "text/plain" => "txt",
        "application/zip" => "zip",
        _ => "",
    };
    if !known.is_empty() {
        return known.into();
    }
    let ext = Path::new(original_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| slug(e, 8))
        .unwrap_or_default();
    if ext.is_empty() || ext.len() > 6 {
        "bin".into()
    } else {
        ext
    }
}

/// `2026-10-03_amazon_49.99-EUR_1a2b3c4d.png`: readable, ASCII, no path separators.
pub fn bundle_name(v: &Voucher) -> String {
    let s = &v.summary;
    // A date known only from the file or the import is no payment date.
    let date = if is_payment_date(s.occurred_source) {
        s.occurred_at.get(..10).unwrap_or("undated")
    } else {
        "undated"
    };
    let who = s
        .merchant
        .as_deref()
        .map(|m| slug(m, 32))
        .filter(|m| !m.is_empty())
        .or_else(|| {
            let t = slug(&s.title, 32);
            (!t.is_empty()).then_some(t)
        })
        .unwrap_or_else(|| "voucher".into());
    let amount = s
        .amount
        .map(|a| format!("_{}-{}", format_minor(a.minor, a.currency), a.currency))
        .unwrap_or_default();
    let sha8 = s.sha256.get(..8).unwrap_or("");
    format!(
        "{date}_{who}{amount}_{sha8}.{}",
        extension(&s.media_type, &s.original_name)
    )
}

/// Whether a date is the payment's, not the file's modification time or the import time.
fn is_payment_date(source: DateSource) -> bool {
    !matches!(source, DateSource::FileMtime | DateSource::Added)
}

fn stored_not_deflated(media_type: &str) -> bool {
    media_type.starts_with("image/")
        || media_type.starts_with("video/")
        || media_type.starts_with("audio/")
        || matches!(
            media_type,
            "application/pdf"
                | "application/zip"
                | "application/gzip"
                | "application/x-7z-compressed"
        )
}

pub(crate) fn manifest_entry(v: &Voucher, file: String) -> ManifestEntry {
    let s = &v.summary;
    ManifestEntry {
        id: s.id,
        file,
        sha256: s.sha256.clone(),
        size: s.size,
        media_type: s.media_type.clone(),
        kind: s.kind,
        original_name: s.original_name.clone(),
        title: s.title.clone(),
        occurred_at: s.occurred_at.clone(),
        occurred_source: s.occurred_source.as_str().into(),
        added_at: s.added_at.clone(),
        merchant: s.merchant.clone(),
        amount: s.amount.map(|a| format_minor(a.minor, a.currency)),
        currency: s.amount.map(|a| a.currency.code().to_string()),
        amount_minor: s.amount.map(|a| a.minor),
        payment_method: v.payment_method.as_ref().map(|f| f.value.clone()),
        order_ref: v.order_ref.as_ref().map(|f| f.value.clone()),
        tags: s.tags.clone(),
        notes: v.notes.clone(),
        parent_id: s.parent_id,
        sources: v.sources.iter().map(|s| source_name(&s.path)).collect(),
        email_from: v.email.as_ref().map(|e| e.from.clone()),
        email_subject: v.email.as_ref().map(|e| e.subject.clone()),
        email_message_id: v.email.as_ref().and_then(|e| e.message_id.clone()),
    }
}

const CSV_HEADER: &[&str] = &[
    "id",
    "date",
    "merchant",
    "amount",
    "currency",
    "payment_method",
    "order_ref",
    "kind",
    "title",
    "tags",
    "notes",
    "original_name",
    FILE_COLUMN,
    "sha256",
    "size",
    "occurred_at",
    "occurred_source",
    "added_at",
    "parent_id",
    "email_from",
    "email_subject",
];

/// The column naming a voucher's file in a bundle; a CSV exported alone has no files
/// and leaves it out.
const FILE_COLUMN: &str = "file";

/// Excel reads a CSV as UTF-8 only with a byte order mark.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn write_csv_row<W: Write>(
    w: &mut csv::Writer<W>,
    e: &ManifestEntry,
    with_file: bool,
) -> csv::Result<()> {
    // The payment date; empty when only the file's or the import's time is known (the
    // occurred_at and occurred_source columns still say what is known).
    let date = if is_payment_date(DateSource::parse(&e.occurred_source)) {
        e.occurred_at.get(..10).unwrap_or("")
    } else {
        ""
    };
    let row = [
        e.id.to_string(),
        date.to_string(),
        csv_safe(e.merchant.as_deref().unwrap_or("")),
        e.amount.clone().unwrap_or_default(),
        e.currency.clone().unwrap_or_default(),
        csv_safe(e.payment_method.as_deref().unwrap_or("")),
        csv_safe(e.order_ref.as_deref().unwrap_or("")),
        e.kind.as_str().to_string(),
        csv_safe(&e.title),
        csv_safe(&e.tags.join(", ")),
        csv_safe(&e.notes),
        csv_safe(&e.original_name),
        e.file.clone(),
        e.sha256.clone(),
        e.size.to_string(),
        e.occurred_at.clone(),
        e.occurred_source.clone(),
        e.added_at.clone(),
        e.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        csv_safe(e.email_from.as_deref().unwrap_or("")),
        csv_safe(e.email_subject.as_deref().unwrap_or("")),
    ];
    w.write_record(
        row.iter()
            .zip(CSV_HEADER)
            .filter(|(_, h)| with_file || **h != FILE_COLUMN)
            .map(|(v, _)| v),
    )
}

/// Spreadsheets run cells that start with = + - @ as formulas: neutralise them.
fn csv_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn csv_bytes(entries: &[ManifestEntry], with_file: bool) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(UTF8_BOM.to_vec());
    let inv = |e: csv::Error| Error::Invalid(format!("CSV: {e}"));
    w.write_record(
        CSV_HEADER
            .iter()
            .filter(|h| with_file || **h != FILE_COLUMN),
    )
    .map_err(inv)?;
    for e in entries {
        write_csv_row(&mut w, e, with_file).map_err(inv)?;
    }
    w.into_inner()
        .map_err(|e| Error::Invalid(format!("CSV: {e}")))
}

const README: &str = "Receipt Vault evidence bundle
=============================

This archive holds original files (vouchers) exactly as they were kept, byte for byte,
with a list of their SHA-256 checksums so that anyone can check that none was changed.

  vouchers/       the original files; names read date_merchant_amount-currency_hash
  manifest.json   everything known about each voucher (machine-readable)
  manifest.csv    the same as a spreadsheet
  SHA256SUMS      the SHA-256 checksum of every file above

How to verify (Linux, macOS with coreutils, Windows with WSL or Git Bash):

  unzip bundle.zip -d bundle && cd bundle && sha256sum -c SHA256SUMS

Every line must end in OK. Each voucher's checksum is also its name in the vault
it came from, so the same check works against the vault (`vault verify`).
On macOS without coreutils: shasum -a 256 -c SHA256SUMS
";

impl Vault {
    /// The vouchers to export for `ids`: each one, plus the attachments of emails, in
    /// date order like the CSV (oldest payment first, undated last, then by id), each
    /// attachment right after the email it came in.
    fn export_set(&self, ids: &[i64]) -> Result<Vec<i64>> {
        // What each voucher carries, below it (depth first).
        let below = |id: i64| -> Result<Vec<i64>> {
            let mut out = Vec::new();
            let mut seen = HashSet::from([id]);
            let mut stack = self.get(id)?.attachments;
            stack.reverse();
            while let Some(a) = stack.pop() {
                if !seen.insert(a) {
                    continue;
                }
                out.push(a);
                let mut more = self.get(a)?.attachments;
                more.reverse();
                stack.extend(more);
            }
            Ok(out)
        };
        // The roots: vouchers asked for that no other voucher asked for carries (an
        // attachment asked for with its email follows the email).
        let mut asked: Vec<(i64, Vec<i64>)> = Vec::new();
        let mut carried = HashSet::new();
        let mut seen = HashSet::new();
        for &id in ids {
            if seen.insert(id) {
                let under = below(id)?;
                carried.extend(under.iter().copied());
                asked.push((id, under));
            }
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT dated, occurred_ts FROM vouchers WHERE id = ?1")?;
        let mut roots = Vec::with_capacity(asked.len());
        let mut left = Vec::new();
        for (id, under) in asked {
            if carried.contains(&id) {
                // Written after the email that carries it (or last, should no root
                // reach it).
                left.push((id, under));
                continue;
            }
            let (dated, ts): (bool, i64) = stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            roots.push(((!dated, ts, id), under));
        }
        roots.sort_unstable_by_key(|(key, _)| *key);
        let mut out = Vec::new();
        let mut written = HashSet::new();
        let roots = roots.into_iter().map(|((_, _, id), under)| (id, under));
        for (id, under) in roots.chain(left) {
            for v in std::iter::once(id).chain(under) {
                if written.insert(v) {
                    out.push(v);
                }
            }
        }
        Ok(out)
    }

    /// Refuse to write an export inside the vault's own folder: renaming it into place
    /// could replace `vault.db` or an original.
    pub fn check_export_destination(&self, out: &Path) -> Result<()> {
        let parent = match out.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.to_path_buf(),
            None => std::env::current_dir().at(out)?,
        };
        let parent = fs::canonicalize(&parent).at(&parent)?;
        let vault = fs::canonicalize(&self.dir).at(&self.dir)?;
        if parent.starts_with(&vault) {
            return Err(Error::Invalid(format!(
                "{} is inside the vault's own folder; export to another folder",
                out.display()
            )));
        }
        Ok(())
    }

    /// Write an evidence bundle of `ids` (and the attachments of emails among them) to `out`.
    /// The file appears only when complete (temp file, fsync, rename).
    pub fn export_bundle(
        &self,
        ids: &[i64],
        out: &Path,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ExportSummary> {
        if ids.is_empty() {
            return Err(Error::Invalid(
                "nothing to export: no vouchers selected".into(),
            ));
        }
        self.check_export_destination(out)?;
        let asked: HashSet<i64> = ids.iter().copied().collect();
        let ids = self.export_set(ids)?;
        let tmp = part_path(out);
        let result = self.write_bundle(&ids, &tmp, progress);
        match result {
            Ok(bytes) => {
                fs::rename(&tmp, out).at(out)?;
                if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                    let _ = File::open(dir).and_then(|d| d.sync_all());
                }
                Ok(ExportSummary {
                    path: out.to_path_buf(),
                    vouchers: asked.len(),
                    files: ids.len(),
                    bytes,
                })
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                Err(e)
            }
        }
    }

    fn write_bundle(
        &self,
        ids: &[i64],
        tmp: &Path,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<u64> {
        let file = File::create(tmp).at(tmp)?;
        let mut zip = zip::ZipWriter::new(BufWriter::with_capacity(BUF_SIZE, file));
        let zerr = |e: zip::result::ZipError| Error::io(tmp, std::io::Error::other(e));
        let mut entries = Vec::with_capacity(ids.len());
        let mut names = HashSet::new();
        let mut sums = String::new();
        let mut total_bytes = 0u64;
        for (i, &id) in ids.iter().enumerate() {
            let v = self.get(id)?;
            let mut name = bundle_name(&v);
            if !names.insert(name.clone()) {
                name = format!("{}_{}", v.summary.id, name);
                names.insert(name.clone());
            }
            let path = format!("vouchers/{name}");
            let method = if stored_not_deflated(&v.summary.media_type) {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            };
            let opts = SimpleFileOptions::default()
                .compression_method(method)
                .large_file(v.summary.size >= 0xFFFF_FFFF)
                .unix_permissions(0o644);
            zip.start_file(path.as_str(), opts).map_err(zerr)?;
            let obj_path = self
                .store
                .existing(&v.summary.sha256)
                .map_err(|e| match e {
                    Error::Io { path, source } if source.kind() == std::io::ErrorKind::NotFound => {
                        Error::BadFile {
                            path,
                            reason: format!(
                                "voucher {id}'s original is missing from the vault; run `vault verify`"
                            ),
                        }
                    }
                    other => other,
                })?;
            let mut src = File::open(&obj_path).map_err(|e| Error::io(&obj_path, e))?;
            let (sha, n) = copy_hashing(&mut src, &obj_path, &mut zip, tmp)?;
            total_bytes += n;
            if sha != v.summary.sha256 {
                return Err(Error::BadFile {
                    path: obj_path,
                    reason: format!(
                        "voucher {id} is corrupted in the vault (its bytes no longer match its SHA-256); run `vault verify`"
                    ),
                });
            }
            sums.push_str(&format!("{sha}  {path}\n"));
            entries.push(manifest_entry(&v, path));
            progress(i + 1, ids.len());
        }
        let manifest = Manifest {
            format: BUNDLE_FORMAT,
            version: BUNDLE_VERSION,
            created_at: crate::vault::now_utc(),
            generator: format!("Receipt Vault {}", env!("CARGO_PKG_VERSION")),
            vouchers: &entries,
        };
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| Error::Invalid(format!("manifest: {e}")))?;
        let csv = csv_bytes(&entries, true)?;
        let deflate = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .unix_permissions(0o644);
        for (name, data) in [("manifest.json", &json), ("manifest.csv", &csv)] {
            zip.start_file(name, deflate).map_err(zerr)?;
            zip.write_all(data).at(tmp)?;
            sums.push_str(&format!("{}  {name}\n", hex::encode(Sha256::digest(data))));
        }
        zip.start_file("SHA256SUMS", deflate).map_err(zerr)?;
        zip.write_all(sums.as_bytes()).at(tmp)?;
        zip.start_file("README.txt", deflate).map_err(zerr)?;
        zip.write_all(README.as_bytes()).at(tmp)?;
        let w = zip.finish().map_err(zerr)?;
        let file = w.into_inner().map_err(|e| Error::io(tmp, e.into_error()))?;
        file.sync_all().at(tmp)?;
        Ok(total_bytes)
    }

    /// One CSV row per voucher (each once), oldest payment first and the vouchers
    /// without a payment date last, for reconciliation in a spreadsheet. UTF-8 with a
    /// byte order mark, so that spreadsheets read it as UTF-8.
    pub fn export_csv(&self, ids: &[i64], out: &mut dyn Write) -> Result<usize> {
        let mut seen = HashSet::new();
        let mut rows = Vec::with_capacity(ids.len());
        let mut stmt = self
            .conn
            .prepare_cached("SELECT dated, occurred_ts FROM vouchers WHERE id = ?1")?;
        for &id in ids {
            if !seen.insert(id) {
                continue;
            }
            let v = self.get(id)?;
            let (dated, ts): (bool, i64) = stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.push(((!dated, ts, id), manifest_entry(&v, String::new())));
        }
        rows.sort_by_key(|(key, _)| *key);
        let entries: Vec<ManifestEntry> = rows.into_iter().map(|(_, e)| e).collect();
        let bytes = csv_bytes(&entries, false)?;
        out.write_all(&bytes).at("csv output")?;
        Ok(entries.len())
    }
}

fn part_path(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".part");
    out.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slug("Amazon.de", 32), "amazon-de");
        assert_eq!(slug("../../etc/passwd", 32), "etc-passwd");
        assert_eq!(slug("Café Müller", 32), "cafe-muller");
        assert_eq!(slug("支付宝", 32), "");
        assert_eq!(slug("a\0b\\c/d", 32), "a-b-c-d");
    }

    #[test]
    fn extensions() {
        assert_eq!(extension("image/png", "x.jpeg"), "png");
        assert_eq!(extension("application/octet-stream", "data.ofx"), "ofx");
        assert_eq!(
            extension("application/octet-stream", "../../x.sh/.."),
            "bin"
        );
        assert_eq!(extension("application/octet-stream", "noext"), "bin");
    }

    #[test]
    fn sources_leave_without_their_folders() {
        assert_eq!(
            source_name("/home/anna/Downloads/invoice.pdf"),
            "invoice.pdf"
        );
        assert_eq!(
            source_name("/home/anna/mail/order.eml » receipt.pdf"),
            "order.eml » receipt.pdf"
        );
        assert_eq!(source_name("C:\\Users\\anna\\scan.png"), "scan.png");
        assert_eq!(source_name("pasted.png"), "pasted.png");
        assert_eq!(
            source_name("/home/anna/box.mbox » message 3"),
            "box.mbox » message 3"
        );
        // A folder whose name holds " » " leaves nothing of the folders either.
        assert_eq!(source_name("/home/anna » scans/x.pdf"), "x.pdf");
        assert_eq!(
            source_name("/home/anna » scans/mail.eml » receipt.pdf"),
            "mail.eml » receipt.pdf"
        );
        assert_eq!(source_name("C:\\Users\\anna » x\\scan.png"), "scan.png");
        for s in [
            "/home/anna » scans/x.pdf",
            "/home/anna/ » /x.eml » a/b.pdf",
            "\\\\server\\anna » share\\y.png » z",
            "/home/anna/",
        ] {
            let n = source_name(s);
            assert!(!n.contains(['/', '\\']) && !n.contains("anna"), "{s}: {n}");
        }
    }

    #[test]
    fn csv_cells_cannot_be_formulas() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("Total"), "Total");
    }
}
