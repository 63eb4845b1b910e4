//! The voucher row as lists show it: the columns of a `VoucherSummary`, their mapping, the
//! "Needs review" condition and the newest-first order. Used by the vault's own listings
//! and by search, so it lives here, below both.

use crate::vault::model::*;
use crate::vault::money::Currency;
use rusqlite::Row;

/// The condition of "Needs review" on a row `v`: not in the Trash, not confirmed by a
/// person, OCR not still pending, and no amount (unless the email it came in has one), an
/// extracted amount below [`REVIEW_THRESHOLD`] (0.6, checked by a test), a date known only
/// from the file's mtime or the time it was added, a date read from the text with low
/// confidence, or an extracted merchant below the threshold (a headline or a guess).
macro_rules! needs_review_sql {
    () => {
        "(v.deleted_at IS NULL AND v.reviewed_at IS NULL AND v.ocr_state != 'pending' AND ( \
            (v.amount_minor IS NULL AND NOT EXISTS \
                (SELECT 1 FROM vouchers p WHERE p.id = v.parent_id AND p.amount_minor IS NOT NULL)) \
            OR (v.amount_minor IS NOT NULL AND v.amount_origin = 'extracted' AND coalesce(v.amount_conf, 1.0) < 0.6) \
            OR v.occurred_source IN ('file_mtime', 'added') \
            OR (v.occurred_source = 'text' AND coalesce(v.occurred_conf, 1.0) < 0.6) \
            OR (v.merchant IS NOT NULL AND v.merchant_origin = 'extracted' \
                AND coalesce(v.merchant_conf, 1.0) < 0.6)))"
    };
}
pub(crate) const NEEDS_REVIEW_SQL: &str = needs_review_sql!();

/// Columns read into a `VoucherSummary`, in the order `summary_from_row` expects.
pub(crate) const SUMMARY_COLS: &str = concat!(
    "v.id, v.sha256, v.size, v.kind, v.media_type, v.original_name, v.title, \
     v.added_at, v.occurred_at, v.occurred_source, v.merchant, v.amount_minor, v.currency, \
     v.thumb_sha256, v.parent_id, \
     (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM tags t WHERE t.voucher_id = v.id ORDER BY tag)), ",
    needs_review_sql!(),
    ", v.ocr_state, v.deleted_at"
);

/// A `VoucherSummary` from a row selected with [`SUMMARY_COLS`].
pub(crate) fn summary_from_row(r: &Row) -> rusqlite::Result<VoucherSummary> {
    let kind: String = r.get(3)?;
    let amount_minor: Option<i64> = r.get(11)?;
    let currency: Option<String> = r.get(12)?;
    let amount = match (amount_minor, currency.as_deref().and_then(Currency::parse)) {
        (Some(minor), Some(currency)) => Some(Money { minor, currency }),
        _ => None,
    };
    let tags: Option<String> = r.get(15)?;
    let thumb: Option<String> = r.get(13)?;
    let source: String = r.get(9)?;
    Ok(VoucherSummary {
        id: r.get(0)?,
        sha256: r.get(1)?,
        size: r.get(2)?,
        kind: Kind::parse(&kind).unwrap_or(Kind::Other),
        media_type: r.get(4)?,
        original_name: r.get(5)?,
        title: r.get(6)?,
        added_at: r.get(7)?,
        occurred_at: r.get(8)?,
        occurred_source: DateSource::parse(&source),
        merchant: r.get(10)?,
        amount_display: amount.map(|a| a.display()),
        amount,
        tags: tags
            .map(|t| t.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default(),
        has_thumbnail: thumb.is_some(),
        parent_id: r.get(14)?,
        needs_review: r.get(16)?,
        ocr_state: OcrState::parse(&r.get::<_, String>(17)?),
        deleted_at: r.get(18)?,
    })
}

/// Newest first: payment dates, newest first, then the vouchers without one (their
/// file's or import time, newest first). Walks `vouchers_live` backwards.
pub(crate) const NEWEST: &str = "v.dated DESC, v.occurred_ts DESC, v.id DESC";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_review_sql_uses_the_review_threshold() {
        let bound = format!("< {REVIEW_THRESHOLD:?})");
        assert_eq!(
            NEEDS_REVIEW_SQL.matches(&bound).count(),
            3,
            "{NEEDS_REVIEW_SQL}"
        );
        assert!(SUMMARY_COLS.contains(NEEDS_REVIEW_SQL));
    }
}
