//! Emails (.eml): headers, readable text body, HTML as received, and attachments.

use crate::model::EmailHeaders;
use chrono::{DateTime, FixedOffset, TimeZone};
use mail_parser::{Address, MessageParser, MimeHeaders};

/// Largest email the parser reads into memory.
pub const MAX_EMAIL_BYTES: u64 = 64 << 20;

/// A parsed email.
#[derive(Debug, Default)]
pub struct ParsedEmail {
    pub headers: EmailHeaders,
    pub date: Option<DateTime<FixedOffset>>,
    /// The body as readable text (HTML converted to text when there is no text part).
    pub text: String,
    pub attachments: Vec<Attachment>,
    pub warnings: Vec<String>,
}

#[derive(Debug)]
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

fn format_address(a: Option<&Address>) -> String {
    let Some(a) = a else { return String::new() };
    a.iter()
        .map(|addr| match (addr.name(), addr.address()) {
            (Some(n), Some(e)) if !n.trim().is_empty() => format!("{} <{}>", n.trim(), e),
            (_, Some(e)) => e.to_string(),
            (Some(n), None) => n.to_string(),
            (None, None) => String::new(),
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parse an email. Never fails: what cannot be read is reported in `warnings`.
pub fn parse(raw: &[u8]) -> ParsedEmail {
    let mut out = ParsedEmail::default();
    let Some(msg) = MessageParser::default().parse(raw) else {
        out.warnings
            .push("the email could not be parsed; kept as it is".into());
        out.text = String::from_utf8_lossy(raw).into_owned();
        return out;
    };
    out.headers.from = format_address(msg.from());
    out.headers.to = format_address(msg.to());
    out.headers.subject = msg.subject().unwrap_or_default().trim().to_string();
    out.headers.message_id = msg.message_id().map(str::to_string);
    match msg.date() {
        Some(d) if d.is_valid() => {
            let offset_secs = (d.tz_hour as i32 * 3600 + d.tz_minute as i32 * 60)
                * if d.tz_before_gmt { -1 } else { 1 };
            let parsed = FixedOffset::east_opt(offset_secs)
                .and_then(|tz| tz.timestamp_opt(d.to_timestamp(), 0).single());
            match parsed {
                Some(dt) => {
                    out.headers.date = Some(dt.to_rfc3339());
                    out.date = Some(dt);
                }
                None => out.warnings.push("the Date header is out of range".into()),
            }
        }
        Some(_) => out
            .warnings
            .push("the Date header is not a valid date".into()),
        None => {
            if msg.header_raw("Date").is_some() {
                out.warnings
                    .push("the Date header could not be read".into());
            }
        }
    }

    let text_parts = msg.text_body_count();
    let html_parts = msg.html_body_count();
    let mut text = String::new();
    for i in 0..text_parts.max(html_parts) {
        if let Some(t) = msg.body_text(i) {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(t.trim());
        }
    }
    out.text = text;
    if html_parts > 0 {
        out.headers.html = msg.body_html(0).map(|h| h.into_owned());
    }

    for part in msg.attachments() {
        let name = part
            .attachment_name()
            .map(str::to_string)
            .or_else(|| {
                part.message()
                    .and_then(|m| m.subject())
                    .map(|s| format!("{s}.eml"))
            })
            .unwrap_or_else(|| {
                let ext = part
                    .content_type()
                    .and_then(|ct| ct.subtype())
                    .unwrap_or("bin");
                format!("attachment.{ext}")
            });
        let bytes = part.contents().to_vec();
        if bytes.is_empty() {
            out.warnings
                .push(format!("attachment {name:?} is empty; skipped"));
            continue;
        }
        out.attachments.push(Attachment { name, bytes });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_headers_body_and_attachment() {
        let raw = b"From: \"Shop GmbH\" <orders@shop.example>\r\n\
To: me@example.com\r\n\
Subject: =?UTF-8?B?WW91ciByZWNlaXB0IOKCrA==?=\r\n\
Date: Fri, 03 Oct 2026 10:15:00 +0200\r\n\
Message-ID: <abc@shop.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<html><body><p>Total: <b>49.99 EUR</b></p><script>alert(1)</script></body></html>\r\n\
--b1\r\n\
Content-Type: application/pdf\r\n\
Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQKJcOkw7zDtsOfCg==\r\n\
--b1--\r\n";
        let e = parse(raw);
        assert_eq!(e.headers.from, "Shop GmbH <orders@shop.example>");
        assert_eq!(e.headers.subject, "Your receipt €");
        assert_eq!(e.headers.message_id.as_deref(), Some("abc@shop.example"));
        assert_eq!(e.date.unwrap().to_rfc3339(), "2026-10-03T10:15:00+02:00");
        assert!(e.text.contains("49.99 EUR"), "{}", e.text);
        assert!(e.headers.html.as_deref().unwrap().contains("<script>"));
        assert_eq!(e.attachments.len(), 1);
        assert_eq!(e.attachments[0].name, "invoice.pdf");
        assert!(e.attachments[0].bytes.starts_with(b"%PDF-1.4"));
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    }

    #[test]
    fn broken_date_is_a_warning_not_an_error() {
        let e = parse(b"From: a@b.example\r\nDate: yesterday-ish\r\nSubject: x\r\n\r\nbody");
        assert!(e.date.is_none());
        assert_eq!(e.warnings.len(), 1, "{:?}", e.warnings);
        assert_eq!(e.text, "body");
    }
}
