//! The MIT receipt templates (Postmark, Mailgun) that some emails fill instead of a
//! generated layout: loading them from the corpora folder, turning the Mailgun sample
//! values into placeholders, and filling the placeholders with a receipt's values.

use super::{esc, fmt_date, fmt_money, Receipt};
use crate::rng::Rng;
use chrono::Duration;
use std::path::Path;

/// The MIT receipt templates, when present.
pub struct Templates {
    /// (name, html, text)
    pub(super) list: Vec<(String, String, Option<String>)>,
}

impl Templates {
    pub fn load(dir: &Path) -> Templates {
        let mut list = Vec::new();
        for layout in ["basic", "basic-full", "plain"] {
            for kind in ["receipt", "invoice"] {
                let d = dir.join("templates-inlined").join(layout).join(kind);
                if let Ok(html) = std::fs::read_to_string(d.join("content.html")) {
                    let txt = std::fs::read_to_string(d.join("content.txt")).ok();
                    list.push((format!("postmark-{layout}-{kind}"), html, txt));
                }
            }
        }
        if let Ok(html) =
            std::fs::read_to_string(dir.join("mailgun/templates/inlined/billing.html"))
        {
            // This template carries sample values, not placeholders: turn them into
            // placeholders, or every email built from it would state Acme's $33.98.
            if let Some(html) = mailgun_placeholders(&html) {
                list.push(("mailgun-billing".into(), html, None));
            }
        }
        Templates { list }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }
}

/// The mailgun billing template with its sample values ("$33.98 Paid", "Acme Inc.",
/// "Invoice #12345", "June 01 2014", three "Service N" rows) replaced by the placeholders
/// [`fill`] knows. `None` when the template does not have the expected shape.
pub(super) fn mailgun_placeholders(html: &str) -> Option<String> {
    let first = html.find("Service 1")?;
    let last = html.find("Service 3")?;
    let row_start = html[..first].rfind("<tr")?;
    let row_end = first + html[first..].find("</tr>")? + "</tr>".len();
    let rows_end = last + html[last..].find("</tr>")? + "</tr>".len();
    let row = html[row_start..row_end]
        .replace("Service 1", "{{description}}")
        .replace("$ 19.99", "{{amount}}");
    if !row.contains("{{amount}}") {
        return None;
    }
    let mut out = String::new();
    out.push_str(&html[..row_start]);
    out.push_str("{{#each invoice_details}}");
    out.push_str(&row);
    out.push_str("{{/each}}");
    out.push_str(&html[rows_end..]);
    let out = out
        .replace("$33.98 Paid", "{{total}} Paid")
        .replace("$ 33.98", "{{total}}")
        .replace("Lee Munroe", "{{name}}")
        .replace("Invoice #12345", "{{invoice_id}}")
        .replace("June 01 2014", "{{date}}")
        .replace("Acme Inc.", "[Company Name, LLC]")
        .replace("support@acme.inc", "support@example.com");
    ["33.98", "12345", "2014", "Acme"]
        .iter()
        .all(|sample| !out.contains(sample))
        .then_some(out)
}

/// Fill a Handlebars-style template with the receipt's values (only the placeholders
/// these templates use; `{{#each ...}}` blocks repeat for every item).
pub(super) fn fill(tpl: &str, r: &Receipt) -> String {
    let mut out = String::new();
    let mut rest = tpl;
    while let Some(start) = rest.find("{{#each") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(open_end) = after.find("}}") else {
            break;
        };
        let Some(close) = after.find("{{/each}}") else {
            break;
        };
        let block = &after[open_end + 2..close];
        for (name, q, p) in &r.items {
            out.push_str(
                &block
                    .replace("{{description}}", &esc(&format!("{name} × {q}")))
                    .replace("{{amount}}", &esc(&fmt_money(q * p, &r.cur))),
            );
        }
        rest = &after[close + "{{/each}}".len()..];
    }
    out.push_str(rest);
    let money = esc(&fmt_money(r.total, &r.cur));
    let (brand, last4) = r.pay_text.rsplit_once(' ').unwrap_or(("Card", "0000"));
    let mut s = out
        .replace("{{total}}", &money)
        .replace("{{ purchase_date }}", &esc(&r.date_text))
        .replace("{{purchase_date}}", &esc(&r.date_text))
        .replace("{{date}}", &esc(&r.date_text))
        .replace(
            "{{receipt_id}}",
            &esc(&format!("{} {}", r.order_label, r.order)),
        )
        .replace(
            "{{invoice_id}}",
            &esc(&format!("{} {}", r.order_label, r.order)),
        )
        .replace("{{name}}", "Alex")
        .replace("{{credit_card_brand}}", &esc(brand))
        .replace("{{credit_card_last_four}}", &esc(last4));
    for (ph, days) in [
        ("{{expiration_date}}", 60),
        ("{{ due_date }}", 14),
        ("{{due_date}}", 14),
    ] {
        s = s.replace(
            ph,
            &esc(&fmt_date(
                r.date + Duration::days(days),
                r.lang,
                &mut Rng::new(days as u64),
            )),
        );
    }
    s = s
        .replace("[Product Name]", &esc(r.merchant))
        .replace("[Company Name, LLC]", &esc(r.merchant))
        .replace("[Credit Card Statement Name]", &esc(r.merchant));
    // Any placeholder left is emptied, as a sender's template engine would.
    let mut clean = String::new();
    let mut rest = s.as_str();
    while let Some(a) = rest.find("{{") {
        clean.push_str(&rest[..a]);
        match rest[a..].find("}}") {
            Some(b) => rest = &rest[a + b + 2..],
            None => {
                rest = "";
            }
        }
    }
    clean.push_str(rest);
    clean
}
