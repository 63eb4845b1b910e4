//! The tax a voucher states (VAT, MwSt, TVA, sales tax, 消費税): amounts labelled as tax, in
//! the total's currency and below it. Several lines with their own rates ("7 %", "19 %")
//! are added up; a "Total tax" line states the sum itself.

use std::sync::LazyLock;

use regex::Regex;

use crate::vault::model::Money;

use super::amount::{find_amounts, money_of};
use super::amount_classes::{RE_AMT_NORMAL, RE_AMT_PAID, RE_AMT_STRONG, RE_INCL};
use super::keywords::kw_regex;
use super::scored::{scored, Scored, MAX_CANDIDATES, MAX_LABEL_CHARS};
use super::text::{slice, Ctx};

static RE_TAX: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "tax",
        "taxes",
        "sales tax",
        "vat",
        "gst",
        "hst",
        "pst",
        "qst",
        "sst",
        "ppn",
        "mwst",
        "mwst.",
        "ust",
        "umsatzsteuer",
        "mehrwertsteuer",
        "steuer",
        "steuerbetrag",
        "tva",
        "iva",
        "igv",
        "btw",
        "moms",
        "mva",
        "impuesto",
        "impuestos",
        "消費税",
        "税额",
        "税額",
        "税费",
        "税金",
        "税",
        "稅",
        "부가세",
    ])
});

/// Tax words that are not a tax amount: registration numbers, amounts before tax.
static RE_TAX_NOT: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "tax id",
        "tax no",
        "tax number",
        "tax reg*",
        "vat no",
        "vat number",
        "vat id",
        "vat reg*",
        "steuernummer",
        "steuer-nr*",
        "steuernr*",
        "ust-id*",
        "ustid*",
        "ust-nr*",
        "n° tva",
        "tva intra*",
        "before tax",
        "pre-tax",
        "excl*",
        "exkl*",
        "ohne",
        "hors taxe*",
        "tax free",
        "tax-free",
        "tax exempt",
        "steuerfrei",
        "netto*",
        "net",
        "税抜",
        "税前",
        "不含税",
    ])
});

/// The tax stated on the voucher: the amount(s) labelled as tax, in the total's currency
/// and below the total. Several tax lines with their own rates ("7 %", "19 %") are added up.
pub(super) fn extract_tax(
    lines: &[&str],
    ctx: &Ctx,
    total: Option<&Money>,
) -> Option<Scored<Money>> {
    // (money, line has a rate, line says it is the sum of the taxes, inherited label)
    let mut found: Vec<(Money, bool, bool, bool)> = Vec::new();
    let mut pending = false;
    for line in lines {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let raws = find_amounts(line, ctx);
        let is_tax = |seg: &str| RE_TAX.is_match(seg) && !RE_TAX_NOT.is_match(seg);
        if raws.is_empty() {
            pending = t.chars().count() <= MAX_LABEL_CHARS && is_tax(t);
            continue;
        }
        let above = std::mem::take(&mut pending);
        let has_rate = t.contains('%');
        let sums = RE_AMT_STRONG.is_match(t) || RE_AMT_NORMAL.is_match(t);
        let mut in_tax = false;
        let mut best: Option<Money> = None;
        let mut prev_end = 0;
        for (k, r) in raws.iter().enumerate() {
            let seg = slice(line, prev_end.min(r.start), r.start);
            prev_end = r.end;
            let seg_tax = is_tax(seg);
            let totalish = RE_AMT_PAID.is_match(seg)
                || ((RE_AMT_STRONG.is_match(seg) || RE_AMT_NORMAL.is_match(seg))
                    && (RE_INCL.is_match(seg) || !seg_tax));
            if totalish {
                in_tax = false;
                continue;
            }
            let continues = in_tax && !seg.chars().any(char::is_alphabetic);
            if !(seg_tax || continues || (k == 0 && above && seg.trim().is_empty())) {
                in_tax = false;
                continue;
            }
            in_tax = true;
            let currency = match (r.cur, total) {
                (Some((c, _)), _) => c,
                (None, Some(t)) => t.currency,
                (None, None) => continue,
            };
            let Some(m) = money_of(&r.norm, currency, r.negative) else {
                continue;
            };
            if m.minor <= 0 || total.is_some_and(|t| t.currency != m.currency || m.minor >= t.minor)
            {
                continue;
            }
            // "VAT 20% on £10.00: £2.00": the tax is the smaller amount.
            if best.is_none_or(|b| m.minor < b.minor) {
                best = Some(m);
            }
        }
        if let Some(m) = best {
            found.push((m, has_rate, sums, above));
        }
        if found.len() >= MAX_CANDIDATES {
            break;
        }
    }
    if found.is_empty() {
        return None;
    }
    // "Total tax" / "Summe MwSt" states the sum itself.
    if let Some(&(m, _, _, inh)) = found.iter().rev().find(|f| f.2) {
        return Some(scored(m, if inh { 0.75 } else { 0.85 }));
    }
    let mut distinct: Vec<Money> = found.iter().map(|f| f.0).collect();
    distinct.sort_by_key(|m| (m.currency, m.minor));
    distinct.dedup();
    if distinct.len() == 1 {
        let inh = found.iter().all(|f| f.3);
        return Some(scored(distinct[0], if inh { 0.75 } else { 0.85 }));
    }
    let same_currency = distinct.iter().all(|m| m.currency == distinct[0].currency);
    if same_currency && found.iter().all(|f| f.1) {
        // One line per rate: the tax is their sum.
        let mut sum = 0i64;
        let mut seen: Vec<Money> = Vec::new();
        for f in &found {
            if !seen.contains(&f.0) {
                seen.push(f.0);
                sum = sum.checked_add(f.0.minor)?;
            }
        }
        let m = Money {
            minor: sum,
            currency: distinct[0].currency,
        };
        if total.is_none_or(|t| m.minor < t.minor) {
            return Some(scored(m, 0.65));
        }
    }
    Some(scored(found[0].0, 0.45))
}
