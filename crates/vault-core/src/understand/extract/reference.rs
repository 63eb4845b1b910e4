//! The order, invoice, transaction or receipt number: a value of letters and digits after
//! one of many labels ("Order #", "Bestellnummer", "N° de commande", "注文番号"), the more
//! specific label winning, or an Amazon-style number without a label.

use std::sync::LazyLock;

use regex::Regex;

use super::scored::{scored, Scored, MAX_CANDIDATES};
use super::text::slice;

/// Between a label and its value: "is", colons, '#', "No.", dashes, spaces.
const REF_SEP: &str = r"(?:\s+(?:is|ist|est|es))?[\s:#.\-–№°]{0,12}[ \t]*";
/// The value itself (validated afterwards).
const REF_VALUE: &str = r"([A-Za-z0-9][A-Za-z0-9\-_/.#]{0,60})";

/// (labels, priority, bare): bare labels ("Order 1234") need the value on the same line.
const REF_LABELS: &[(&str, f32, bool)] = &[
    (
        r"(?-u:\b)order\s*(?:number|num(?:\.|(?-u:\b))|no(?:\.|(?-u:\b))|nr(?:\.|(?-u:\b))|id|ref(?:erence)?\.?|code|#)|(?-u:\b)bestell(?:ung)?\s*-?\s*(?:nummer|nr(?:\.|(?-u:\b))|no(?:\.|(?-u:\b)))|(?-u:\b)auftrags?\s*-?\s*(?:nummer|nr(?:\.|(?-u:\b)))|(?-u:\b)(?:order|ordre|bestillings|bestel)\s*-?\s*(?:nummer|nr(?:\.|(?-u:\b)))|(?-u:\b)(?:ordernr|ordrenr|bestillingsnr|bestelnr)\.?|(?-u:\b)n[°ºo]\.?\s*(?:de\s+)?commande|(?-u:\b)num[ée]ro\s+de\s+commande|(?-u:\b)commande\s*(?:n[°ºo]\.?|#|num[ée]ro)|(?-u:\b)r[ée]f[ée]rence\s+de\s+(?:la\s+)?commande|(?-u:\b)n[úu]mero\s+de\s+pedido|(?-u:\b)n[°º]\.?\s*(?:de\s+)?pedido|(?-u:\b)pedido\s*(?:n[°ºo]\.?|#|n[úu]mero)|(?-u:\b)numero\s+(?:dell'\s*)?ordine|(?-u:\b)ordine\s*(?:n\.?|#)|订单号码?|订单编号|訂單編號|訂單號碼?|ご?注文番号|주문번호",
        3.0,
        false,
    ),
    (
        r"(?-u:\b)invoice\s*(?:number|num(?:\.|(?-u:\b))|no(?:\.|(?-u:\b))|nr(?:\.|(?-u:\b))|id|#)|(?-u:\b)rechnungs\s*-?\s*(?:nummer|nr(?:\.|(?-u:\b)))|(?-u:\b)rechnung\s*(?:nr(?:\.|(?-u:\b))|#)|(?-u:\b)fa[ck]tu(?:ur|ra)\s*-?\s*(?:nummer|nr(?:\.|(?-u:\b)))|(?-u:\b)fakturanr(?:\.|(?-u:\b))|(?-u:\b)facture\s*(?:n[°ºo]\.?|#|num[ée]ro)|(?-u:\b)n[°º]\.?\s*(?:de\s+)?facture|(?-u:\b)num[ée]ro\s+de\s+facture|(?-u:\b)factura\s*(?:n[°ºo]\.?|#|n[úu]mero)|(?-u:\b)n[úu]mero\s+de\s+factura|(?-u:\b)fattura\s*(?:n\.?|#)|发票号码?|請求書番号|インボイス番号",
        3.0,
        false,
    ),
    (
        r"(?-u:\b)transaction\s*(?:id|number|no(?:\.|(?-u:\b))|#|ref(?:erence)?\.?|code)|(?-u:\b)transaktions\s*-?\s*(?:nummer|nr(?:\.|(?-u:\b))|id|code)|(?-u:\b)payment\s*(?:id|reference|ref\.?|number|#)|(?-u:\b)zahlungs\s*-?\s*(?:referenz|id|nummer)|(?-u:\b)id\s+de\s+(?:la\s+)?transac(?:tion|ci[óo]n)|(?-u:\b)n[úu]mero\s+de\s+transacci[óo]n|交易号|交易单号|交易流水号|流水号|商户单号|取引番号|決済番号|取引ID",
        2.5,
        false,
    ),
    (
        r"(?-u:\b)receipt\s*(?:number|num(?:\.|(?-u:\b))|no(?:\.|(?-u:\b))|nr(?:\.|(?-u:\b))|id|#)|(?-u:\b)beleg\s*-?\s*(?:nummer|nr(?:\.|(?-u:\b)))|(?-u:\b)bon\s*-?\s*(?:nummer|nr(?:\.|(?-u:\b)))|(?-u:\b)quittungs?\s*-?\s*(?:nummer|nr(?:\.|(?-u:\b)))|(?-u:\b)kvitt(?:o|erings?)\s*-?\s*(?:nummer|nr(?:\.|(?-u:\b)))|(?-u:\b)bon\s*nr(?:\.|(?-u:\b))|(?-u:\b)n[°º]\.?\s*(?:de\s+)?re[çc]u|(?-u:\b)recibo\s*(?:n[°ºo]\.?|#)|領収書番号|收据号|小票号",
        2.5,
        false,
    ),
    (
        r"(?-u:\b)confirmation\s*(?:number|no(?:\.|(?-u:\b))|#|code|id)|(?-u:\b)booking\s*(?:reference|ref\.?|number|no(?:\.|(?-u:\b))|#|id|code)|(?-u:\b)reservation\s*(?:number|no(?:\.|(?-u:\b))|#|code|id)|(?-u:\b)buchungs\s*-?\s*(?:nummer|nr(?:\.|(?-u:\b))|code)",
        2.0,
        false,
    ),
    (
        r"(?-u:\b)reference\s*(?:number|no(?:\.|(?-u:\b))|#|id|code)?|(?-u:\b)r[ée]f[ée]rence|(?-u:\b)referencia|(?-u:\b)referenz(?:nummer)?|(?-u:\b)verwendungszweck|参考号",
        1.5,
        false,
    ),
    (
        r"(?-u:\b)(?:order|commande|pedido|bestellung|ordine|invoice|rechnung|facture|factura|fattura|transaction|ref)(?-u:\b)\.?",
        1.0,
        true,
    ),
];

static RE_REFS: LazyLock<Vec<(Regex, f32, bool)>> = LazyLock::new(|| {
    REF_LABELS
        .iter()
        .map(|(labels, prio, bare)| {
            let re =
                Regex::new(&format!("(?i)({labels}){REF_SEP}{REF_VALUE}")).expect("valid regex");
            (re, *prio, *bare)
        })
        .collect()
});

/// Amazon-style order numbers without a label: 123-4567890-1234567.
static RE_AMAZON_ORDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([0-9]{3}-[0-9]{7}-[0-9]{7})(?-u:\b)").expect("valid regex")
});

static RE_WHOLE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.](?:[0-9]{4}|[0-9]{2}))$")
        .expect("valid regex")
});

fn is_ref_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.' | '#')
}

/// A reference value, trimmed, if it looks like one: 4..=40 chars of [A-Za-z0-9-_/.#]
/// with at least one digit, and not a date or a bare year.
fn clean_ref(v: &str) -> Option<String> {
    let v = v
        .trim_start_matches('#')
        .trim_end_matches(['.', '-', '/', '_', '#', ',']);
    let n = v.chars().count();
    if !(4..=40).contains(&n)
        || !v.chars().all(is_ref_char)
        || !v.chars().any(|c| c.is_ascii_digit())
        || RE_WHOLE_DATE.is_match(v)
    {
        return None;
    }
    if n == 4 && v.parse::<u32>().is_ok_and(|y| (1990..=2100).contains(&y)) {
        return None;
    }
    Some(v.to_string())
}

pub(super) fn extract_order_ref(text: &str) -> Option<Scored<String>> {
    let mut best: Option<(f32, usize, String)> = None;
    let mut consider = |prio: f32, pos: usize, value: String| {
        let better = match &best {
            None => true,
            Some((p, q, _)) => prio > *p || (prio == *p && pos < *q),
        };
        if better {
            best = Some((prio, pos, value));
        }
    };
    for (re, prio, bare) in RE_REFS.iter() {
        for (n, c) in re.captures_iter(text).enumerate() {
            if n >= MAX_CANDIDATES {
                break;
            }
            let (Some(label), Some(value)) = (c.get(1), c.get(2)) else {
                continue;
            };
            if *bare && slice(text, label.end(), value.start()).contains('\n') {
                continue;
            }
            // The value was cut short by the length limit: too long to be a reference.
            if text[value.end()..].starts_with(is_ref_char) {
                continue;
            }
            if let Some(v) = clean_ref(value.as_str()) {
                consider(*prio, label.start(), v);
            }
        }
    }
    if let Some(m) = RE_AMAZON_ORDER.find(text) {
        consider(0.9, m.start(), m.as_str().to_string());
    }
    let (prio, _, value) = best?;
    let conf = match prio {
        p if p >= 3.0 => 0.9,
        p if p >= 2.5 => 0.85,
        p if p >= 2.0 => 0.8,
        p if p >= 1.5 => 0.7,
        p if p >= 1.0 => 0.65,
        _ => 0.6,
    };
    Some(scored(value, conf))
}
