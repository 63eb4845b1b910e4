//! What a stored object says, read before its row is written (on the import's worker
//! threads, touching only the store): its type from its bytes, its title, text and date,
//! its payment facts, whether it needs OCR, and why it is unreadable if it is.

use crate::capture::detect::{detect, SNIFF_LEN};
use crate::capture::facts::{extract_guarded, text_date};
use crate::capture::{email, media, pdf, PARSE_LIMIT};
use crate::error::{IoContext, Result};
use crate::guard;
use crate::understand::extract;
use crate::vault::model::{DateSource, Kind};
use crate::vault::money::Currency;
use crate::vault::store::{ObjectStore, Stored};
use chrono::{DateTime, FixedOffset};
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Most text kept from a text file.
const MAX_TEXT_BYTES: u64 = 4 << 20;
/// Larger images are not searched for EXIF dates.
const MAX_EXIF_FILE: u64 = 64 << 20;

/// The analysis of one object, before it is written to the database.
#[derive(Default)]
pub(super) struct Analysis {
    pub(super) media_type: String,
    pub(super) kind: Option<Kind>,
    pub(super) title: String,
    pub(super) text: String,
    pub(super) occurred: Option<(DateTime<FixedOffset>, DateSource)>,
    pub(super) email: Option<email::ParsedEmail>,
    pub(super) width: Option<u32>,
    pub(super) height: Option<u32>,
    pub(super) thumb_state: &'static str,
    pub(super) warnings: Vec<String>,
    pub(super) facts: extract::Extracted,
    /// Needs OCR (an image, or a PDF without a text layer): queued as `pending`.
    pub(super) ocr: bool,
    /// Why the content could not be read at all (the file is kept all the same).
    pub(super) unreadable: Option<String>,
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
pub(super) fn name_mismatch(name: &str, media_type: &str, kind: Kind) -> Option<String> {
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

/// Read what a stored object says. Touches only the store (runs on worker threads).
/// `default` is the vault's default currency, for totals whose currency the text leaves
/// open.
pub(super) fn analyse(
    store: &ObjectStore,
    stored: &Stored,
    default: Option<Currency>,
) -> Result<Analysis> {
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
        Kind::Email => read_email(store, stored, default, &mut a)?,
        Kind::Pdf => read_pdf(store, stored, default, &mut a)?,
        Kind::Image => read_image(&path, stored, &mut a),
        Kind::Text => read_text(&path, default, &mut a)?,
        Kind::Other => {}
    }
    Ok(a)
}

/// An email: headers, text, date sent, and the facts of subject and text (the sender's
/// name when the text names no merchant).
fn read_email(
    store: &ObjectStore,
    stored: &Stored,
    default: Option<Currency>,
    a: &mut Analysis,
) -> Result<()> {
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
            default,
            &mut a.warnings,
        );
        if a.facts.merchant.is_none() {
            a.facts.merchant =
                extract::merchant_from_sender(&mail.headers.from).map(|value| extract::Scored {
                    value,
                    confidence: 0.7,
                });
        }
        a.email = Some(mail);
    }
    Ok(())
}

/// A PDF: its text layer and creation date; a payment date printed in it wins.
fn read_pdf(
    store: &ObjectStore,
    stored: &Stored,
    default: Option<Currency>,
    a: &mut Analysis,
) -> Result<()> {
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
        a.facts = extract_guarded(&info.text, None, None, false, default, &mut a.warnings);
        a.text = info.text;
        a.occurred = info.created.map(|d| (d, DateSource::PdfCreated));
        // A payment date printed in the document beats the file's creation date.
        if let Some(t) = text_date(&a.facts) {
            a.occurred = Some((t, DateSource::Text));
        }
    }
    Ok(())
}

/// An image: its size (refused above the decoder's limits), its EXIF date, and a place
/// in the OCR queue.
fn read_image(path: &Path, stored: &Stored, a: &mut Analysis) {
    let p = path.to_path_buf();
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

/// A text or HTML file: its text (HTML converted, never rendered) and its facts.
fn read_text(path: &Path, default: Option<Currency>, a: &mut Analysis) -> Result<()> {
    let raw = {
        let mut v = Vec::new();
        File::open(path)
            .at(path)?
            .take(MAX_TEXT_BYTES)
            .read_to_end(&mut v)
            .at(path)?;
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
    a.facts = extract_guarded(&a.text, None, None, false, default, &mut a.warnings);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let a = analyse(&store, &stored, None).unwrap();
        assert_eq!(a.media_type, "text/html");
        assert!(a.text.contains("Total\t12.50 EUR"), "{:?}", a.text);
        let amount = a.facts.amount.expect("an amount");
        assert_eq!(amount.value.minor, 1250);
        assert_eq!(amount.value.currency.code(), "EUR");
    }
}
