//! Media type detection from content, never from the file name.

use crate::vault::model::Kind;

/// Media type of an mbox mailbox.
pub const MBOX: &str = "application/mbox";

/// How many leading bytes detection looks at.
pub const SNIFF_LEN: usize = 8192;

/// Detect the media type and kind of a file from its first bytes.
pub fn detect(head: &[u8]) -> (String, Kind) {
    if let Some(t) = infer::get(head) {
        let mime = t.mime_type();
        let kind = match mime {
            "application/pdf" => Kind::Pdf,
            m if m.starts_with("image/") => Kind::Image,
            "message/rfc822" => Kind::Email,
            _ => Kind::Other,
        };
        // infer calls some text formats by other names; trust it for binary formats only.
        if kind != Kind::Other || !looks_textual(head) {
            return (mime.to_string(), kind);
        }
    }
    // PDFs may start with junk before the header; readers accept %PDF within the first KiB.
    if find(&head[..head.len().min(1024)], b"%PDF-").is_some() {
        return ("application/pdf".into(), Kind::Pdf);
    }
    if !looks_textual(head) {
        return ("application/octet-stream".into(), Kind::Other);
    }
    if looks_like_email(head) {
        // A mailbox (a mail client's export): "From " separator lines between messages.
        if head.starts_with(b"From ") {
            return (MBOX.into(), Kind::Other);
        }
        return ("message/rfc822".into(), Kind::Email);
    }
    let lower: Vec<u8> = head
        .iter()
        .take(1024)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let trimmed = trim_start(&lower);
    if trimmed.starts_with(b"<!doctype html") || trimmed.starts_with(b"<html") {
        return ("text/html".into(), Kind::Text);
    }
    ("text/plain".into(), Kind::Text)
}

fn trim_start(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[start..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Text: no NUL bytes and few control characters in the sample. Legacy 8-bit charsets count.
fn looks_textual(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    let mut control = 0usize;
    for &b in head {
        if b == 0 {
            return false;
        }
        if b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b) {
            control += 1;
        }
    }
    control * 100 <= head.len()
}

/// An RFC 5322 message: it begins with header fields, and among the first of them are
/// fields every mail has (From/Date/Subject/Received/...), or it is an mbox "From " line.
fn looks_like_email(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines();
    let mut known = 0;
    let mut seen = 0;
    if let Some(first) = text.lines().next() {
        if first.starts_with("From ") && first.len() > 5 {
            // mbox separator line: the message follows.
            lines.next();
        }
    }
    for line in lines.take(60) {
        if line.is_empty() {
            break;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            continue; // folded continuation
        }
        let Some((name, _)) = line.split_once(':') else {
            return false;
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
            return false;
        }
        seen += 1;
        let n = name.to_ascii_lowercase();
        if matches!(
            n.as_str(),
            "from"
                | "to"
                | "date"
                | "subject"
                | "received"
                | "message-id"
                | "mime-version"
                | "return-path"
                | "delivered-to"
                | "content-type"
        ) {
            known += 1;
        }
    }
    seen >= 2 && known >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        let cases: &[(&[u8], &str, Kind)] = &[
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png", Kind::Image),
            (b"\xff\xd8\xff\xe0\0\x10JFIF\0", "image/jpeg", Kind::Image),
            (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf", Kind::Pdf),
            (
                b"From: Shop <a@b.example>\r\nTo: me@example.com\r\nSubject: Receipt\r\n\r\nHi",
                "message/rfc822",
                Kind::Email,
            ),
            (
                b"Return-Path: <x@y>\nReceived: from a\n\tby b\nDate: Fri, 3 Oct 2026 10:00:00 +0000\n\nbody",
                "message/rfc822",
                Kind::Email,
            ),
            (
                b"From shop@x.example Sat Oct  3 10:00:00 2026\nFrom: Shop <shop@x.example>\nSubject: r\n\nbody",
                "application/mbox",
                Kind::Other,
            ),
            (b"Total: 19.99 USD\nThanks!", "text/plain", Kind::Text),
            (b"<!DOCTYPE html><html><body>x</body></html>", "text/html", Kind::Text),
            (b"\0\x01\x02\x03\x04garbage", "application/octet-stream", Kind::Other),
            (b"Note: this is text\nnot an email", "text/plain", Kind::Text),
        ];
        for (bytes, mime, kind) in cases {
            let (m, k) = detect(bytes);
            assert_eq!(
                (m.as_str(), k),
                (*mime, *kind),
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn zip_is_other() {
        let (m, k) = detect(b"PK\x03\x04\x14\0\0\0\0\0");
        assert_eq!(k, Kind::Other);
        assert_eq!(m, "application/zip");
    }
}
