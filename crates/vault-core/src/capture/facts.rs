//! The payment facts of captured text, written on the voucher's row: the extractor run on
//! a guarded thread, each fact with its confidence, never over a value a person set, and
//! the text's date where it is better evidence than the one recorded. Used by the import,
//! by re-extraction and by OCR.

use crate::capture::PARSE_LIMIT;
use crate::error::Result;
use crate::guard;
use crate::understand::extract::{self, Hints};
use crate::vault::model::DateSource;
use crate::vault::money::Currency;
use chrono::{DateTime, FixedOffset, Local, TimeZone};
use rusqlite::{params, Connection};

/// A payment date found in the text, as noon local time (the time of day is unknown).
pub(super) fn text_date(facts: &extract::Extracted) -> Option<DateTime<FixedOffset>> {
    let naive = facts.date.as_ref()?.value.and_hms_opt(12, 0, 0)?;
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.fixed_offset())
}

/// The extractor's confidence per fact, as stored in the `*_conf` columns.
pub(super) struct Confidences {
    pub(super) merchant: Option<f64>,
    pub(super) amount: Option<f64>,
    pub(super) date: Option<f64>,
    pub(super) order_ref: Option<f64>,
    pub(super) payment_method: Option<f64>,
}

impl Confidences {
    pub(super) fn of(f: &extract::Extracted) -> Confidences {
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
pub(super) fn tax_minor(f: &extract::Extracted) -> Option<i64> {
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

/// The extractor over hostile text, on a guarded thread: a bug in it costs this file its
/// facts (with a warning), never the batch.
pub(crate) fn extract_guarded(
    text: &str,
    from: Option<&str>,
    subject: Option<&str>,
    ocr: bool,
    default_currency: Option<Currency>,
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
                default_currency,
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
}
