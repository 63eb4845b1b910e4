//! Emails (.eml): headers, readable text body, HTML as received, and attachments.

use crate::vault::model::EmailHeaders;
use chrono::{DateTime, FixedOffset, TimeZone};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    states::RawKind, BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};
use mail_parser::{Address, MessageParser, MimeHeaders, PartType};
use std::cell::RefCell;

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
    // The text alternative of each body part; an HTML-only part is converted keeping its
    // structure (rows on their own lines, cells apart), which mail-parser's converter glues.
    for i in 0..text_parts {
        let Some(part) = msg.text_part(i as u32) else {
            continue;
        };
        let t = match &part.body {
            PartType::Text(t) => t.trim().to_string(),
            PartType::Html(h) => html_to_text(h),
            _ => continue,
        };
        if t.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&t);
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

/// Elements whose text is not shown (their content is skipped).
const HIDDEN: &[&str] = &[
    "script", "style", "head", "title", "template", "noscript", "svg", "math", "object", "iframe",
    "select", "button",
];
/// Elements that start and end a line of their own.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// The separator between table cells on one line in [`html_to_text`].
pub const CELL_SEPARATOR: char = '\t';

#[derive(Default)]
struct TextSink {
    out: RefCell<String>,
    /// Depth of hidden elements we are inside (script, style, head, ...).
    hidden: RefCell<Vec<String>>,
    pre: RefCell<u32>,
}

impl TextSink {
    fn push_break(&self) {
        let mut out = self.out.borrow_mut();
        if !out.ends_with('\n') && !out.is_empty() {
            out.push('\n');
        }
    }

    fn push_cell(&self) {
        let mut out = self.out.borrow_mut();
        let line = out.rsplit('\n').next().unwrap_or("");
        if !line.trim().is_empty() && !line.ends_with(CELL_SEPARATOR) {
            out.push(CELL_SEPARATOR);
        }
    }

    fn push_text(&self, t: &str) {
        let pre = *self.pre.borrow() > 0;
        let mut out = self.out.borrow_mut();
        for c in t.chars() {
            match c {
                // Zero-width characters (preheader padding, soft hyphens) carry nothing.
                '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}'
                | '\u{034f}' => {}
                '\n' | '\r' if pre => out.push('\n'),
                c if c.is_whitespace() => {
                    if !out.ends_with([' ', '\n', CELL_SEPARATOR]) && !out.is_empty() {
                        out.push(' ');
                    }
                }
                c => out.push(c),
            }
        }
    }
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                let hidden_now = !self.hidden.borrow().is_empty();
                if HIDDEN.contains(&name) {
                    match tag.kind {
                        TagKind::StartTag if !tag.self_closing => {
                            self.hidden.borrow_mut().push(name.to_string());
                            return match name {
                                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                                "style" | "noscript" | "iframe" => {
                                    TokenSinkResult::RawData(RawKind::Rawtext)
                                }
                                "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                                _ => TokenSinkResult::Continue,
                            };
                        }
                        TagKind::EndTag => {
                            let mut h = self.hidden.borrow_mut();
                            if let Some(pos) = h.iter().rposition(|n| n == name) {
                                h.truncate(pos);
                            }
                        }
                        _ => {}
                    }
                    return TokenSinkResult::Continue;
                }
                if hidden_now {
                    return TokenSinkResult::Continue;
                }
                match (name, tag.kind) {
                    ("br", _) => {
                        self.out.borrow_mut().push('\n');
                    }
                    ("td" | "th", TagKind::StartTag) => self.push_cell(),
                    ("td" | "th", TagKind::EndTag) => self.push_cell(),
                    ("img", TagKind::StartTag) => {
                        // A logo or card brand drawn as an image still names itself.
                        let alt = tag
                            .attrs
                            .iter()
                            .find(|a| &*a.name.local == "alt")
                            .map(|a| a.value.trim().to_string())
                            .unwrap_or_default();
                        if !alt.is_empty() {
                            self.push_text(" ");
                            self.push_text(&alt);
                            self.push_text(" ");
                        }
                    }
                    (n, kind) if BLOCKS.contains(&n) => {
                        if n == "pre" {
                            let mut p = self.pre.borrow_mut();
                            *p = match kind {
                                TagKind::StartTag => p.saturating_add(1),
                                TagKind::EndTag => p.saturating_sub(1),
                            };
                        }
                        self.push_break();
                    }
                    _ => {}
                }
            }
            Token::CharacterTokens(t) if self.hidden.borrow().is_empty() => self.push_text(&t),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// HTML to readable text that keeps the layout's structure: block elements, rows and `<br>`
/// end lines, table cells on one row are separated by [`CELL_SEPARATOR`] (a tab), script,
/// style and head content is left out, entities are decoded and whitespace collapsed.
pub fn html_to_text(html: &str) -> String {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tok = Tokenizer::new(TextSink::default(), TokenizerOpts::default());
    let _ = tok.feed(&input);
    tok.end();
    let raw = tok.sink.out.take();
    let mut out = String::with_capacity(raw.len());
    let mut blank = false;
    for line in raw.lines() {
        let cells: Vec<&str> = line
            .split(CELL_SEPARATOR)
            .map(|c| c.trim_matches(|ch: char| ch == ' ' || ch == '\u{a0}'))
            .filter(|c| !c.is_empty())
            .collect();
        if cells.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        let sep = CELL_SEPARATOR.to_string();
        out.push_str(&cells.join(&sep).replace('\u{a0}', " "));
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
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

    #[test]
    fn html_tables_keep_rows_and_cells_apart() {
        // The common shape of shop receipts: a label cell and an amount cell per row.
        let html = r#"<html><head><title>Ihre Bestellung</title>
<style>td { color: red; } .x::after { content: "Summe 99,99" }</style></head>
<body><table><tr><td>Bestell-Nr.</td><td>306048</td></tr>
<tr><td>Bestelldatum</td><td>31.07.26</td></tr>
<tr><th align="left">Summe</th><td align="right">&euro;&nbsp;152,19</td></tr>
<tr><td>Bezahlt mit</td><td><img src="cid:x" alt="JCB"> &bull;&bull;&bull;&bull; 0781</td></tr>
</table><script>var total = "1.00";</script><p>Danke &amp; bis bald!</p></body></html>"#;
        let t = html_to_text(html);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines,
            [
                "Bestell-Nr.\t306048",
                "Bestelldatum\t31.07.26",
                "Summe\t€ 152,19",
                "Bezahlt mit\tJCB •••• 0781",
                "Danke & bis bald!"
            ],
            "{t}"
        );
    }

    #[test]
    fn html_layout_tables_nested_in_cells_and_breaks() {
        // Stripe/Apple style: layout tables nested in cells, spacer cells, <br> inside a cell,
        // preheader padding with zero-width characters.
        let html = "<div style=\"display:none\">Receipt&zwnj;&nbsp;&zwnj;&nbsp;</div>\
<table width=\"100%\"><tr><td>&nbsp;</td><td>\
<table><tr><td><span>Amount paid</span><br><strong>$1,290.77</strong></td>\
<td width=\"20\"></td><td>Date paid<br>Oct 3, 2026</td></tr></table>\
<table><tr><td>Subtotal</td><td></td><td>$1,200.00</td></tr>\
<tr><td>Tax</td><td></td><td>$90.77</td></tr></table>\
</td><td>&nbsp;</td></tr></table><ul><li>Visa ending in 4242</li><li>Order #A-1009</li></ul>";
        let t = html_to_text(html);
        assert_eq!(
            t,
            "Receipt\nAmount paid\n$1,290.77\tDate paid\nOct 3, 2026\nSubtotal\t$1,200.00\n\
Tax\t$90.77\nVisa ending in 4242\nOrder #A-1009",
            "{t}"
        );
    }

    #[test]
    fn html_only_email_body_keeps_table_structure() {
        let raw = "From: Shop <orders@shop.example>\r\nSubject: Receipt\r\nMIME-Version: 1.0\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n\
<table><tr><td>Order number</td><td>486691</td></tr><tr><td>Total</td><td>290.77 USD</td></tr></table>";
        let e = parse(raw.as_bytes());
        assert_eq!(
            e.text, "Order number\t486691\nTotal\t290.77 USD",
            "{}",
            e.text
        );
    }

    #[test]
    fn text_part_wins_over_html_alternative() {
        let raw = "From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nTotal: 5.00 EUR\r\n--b\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n<p>Total <b>5.00 EUR</b></p>\r\n--b--\r\n";
        let e = parse(raw.as_bytes());
        assert_eq!(e.text, "Total: 5.00 EUR");
    }

    #[test]
    fn broken_html_never_panics_and_keeps_text() {
        for html in [
            "<td>a<td>b",
            "<<<>>>&#xFFFFFFFF;&bogus;",
            "<script>",
            "</table></td>x",
            "",
        ] {
            let _ = html_to_text(html);
        }
        assert_eq!(html_to_text("<td>a<td>b"), "a\tb");
        assert_eq!(html_to_text("<p>x</p><script>y"), "x");
    }
}
