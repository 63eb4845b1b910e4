//! Labels, comparison of extracted facts with them, and the causes of failures.

use chrono::{Datelike, NaiveDate};
use vault_core::understand::extract::Extracted;
use vault_core::vault::money::format_minor;
use vault_core::Money;

/// The known facts of one labelled voucher. `None` means "not on the voucher / not labelled":
/// that field is not scored for this voucher.
#[derive(Debug, Clone, Default)]
pub struct Label {
    pub merchant: Option<String>,
    pub amount: Option<Money>,
    pub date: Option<NaiveDate>,
    pub order_ref: Option<String>,
    pub payment: Option<String>,
    pub tax: Option<Money>,
    /// Other amounts printed on the voucher that are not the total, with what they are
    /// ("subtotal", "tax", "tip", "change", ...): a wrong pick equal to one is named.
    pub distractors: Vec<(Money, &'static str)>,
    /// Other dates printed on the voucher ("delivery", "coupon expiry", ...).
    pub other_dates: Vec<(NaiveDate, &'static str)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Amount,
    Date,
    Merchant,
    OrderRef,
    Payment,
    Tax,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Amount => "total (amount+currency)",
            Field::Date => "date",
            Field::Merchant => "merchant",
            Field::OrderRef => "order / invoice no.",
            Field::Payment => "payment method",
            Field::Tax => "tax",
        }
    }
}

/// The result of scoring one field of one voucher.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub field: Field,
    pub ok: bool,
    /// The extractor's confidence, when it gave a value.
    pub confidence: Option<f32>,
    /// A short, general cause of a failure ("took the subtotal", "no date found").
    pub cause: String,
    /// Expected and got, for the example shown next to the cause.
    pub detail: String,
}

pub fn show_money(m: &Money) -> String {
    format!("{} {}", format_minor(m.minor, m.currency), m.currency)
}

/// Score every labelled field. `ocr_text` is the OCR text for images: it tells a value
/// the OCR lost from one the extractor missed.
pub fn score(label: &Label, got: &Extracted, ocr_text: Option<&str>) -> Vec<Outcome> {
    // Generated text always carries its values.
    let text = ocr_text.unwrap_or("");
    let ocr = ocr_text.is_some();
    let mut out = Vec::new();
    if let Some(want) = &label.amount {
        out.push(score_money(
            Field::Amount,
            want,
            got.amount.as_ref().map(|s| (&s.value, s.confidence)),
            label,
            ocr.then_some(text),
        ));
    }
    if let Some(want) = &label.tax {
        out.push(score_money(
            Field::Tax,
            want,
            got.tax.as_ref().map(|s| (&s.value, s.confidence)),
            label,
            ocr.then_some(text),
        ));
    }
    if let Some(want) = label.date {
        out.push(score_date(want, got, label, ocr.then_some(text)));
    }
    if let Some(want) = &label.merchant {
        let g = got.merchant.as_ref();
        let ok = g.is_some_and(|g| merchant_matches(want, &g.value));
        let cause = match g {
            None => "no merchant found".to_string(),
            Some(_) if ok => String::new(),
            Some(_) if ocr && !contains_loose(text, want) => {
                "name not in the text (logo / OCR)".to_string()
            }
            Some(_) => "another line or name taken".to_string(),
        };
        out.push(Outcome {
            field: Field::Merchant,
            ok,
            confidence: g.map(|g| g.confidence),
            cause,
            detail: format!("want {want:?}, got {:?}", g.map(|g| g.value.as_str())),
        });
    }
    if let Some(want) = &label.order_ref {
        let g = got.order_ref.as_ref();
        let ok = g.is_some_and(|g| norm_ref(&g.value) == norm_ref(want));
        let cause = match g {
            None => "no reference found".to_string(),
            Some(_) if ok => String::new(),
            Some(g) if norm_ref(want).contains(&norm_ref(&g.value)) => {
                "reference cut short".to_string()
            }
            Some(_) => "another number taken".to_string(),
        };
        out.push(Outcome {
            field: Field::OrderRef,
            ok,
            confidence: g.map(|g| g.confidence),
            cause,
            detail: format!("want {want:?}, got {:?}", g.map(|g| g.value.as_str())),
        });
    }
    if let Some(want) = &label.payment {
        let g = got.payment_method.as_ref();
        let ok = g.is_some_and(|g| norm_alnum(&g.value) == norm_alnum(want));
        let cause = match g {
            None => "no payment method found".to_string(),
            Some(_) if ok => String::new(),
            Some(g) if norm_alnum(want).starts_with(&norm_alnum(&g.value)) => {
                "card digits missing".to_string()
            }
            Some(_) => "another method named".to_string(),
        };
        out.push(Outcome {
            field: Field::Payment,
            ok,
            confidence: g.map(|g| g.confidence),
            cause,
            detail: format!("want {want:?}, got {:?}", g.map(|g| g.value.as_str())),
        });
    }
    out
}

fn score_money(
    field: Field,
    want: &Money,
    got: Option<(&Money, f32)>,
    label: &Label,
    ocr_text: Option<&str>,
) -> Outcome {
    let lost = ocr_text.is_some_and(|t| !amount_in_text(want, t));
    let (ok, cause) = match got {
        Some((g, _)) if g == want => (true, String::new()),
        None if lost => (false, "value not in the text (OCR)".into()),
        None => (false, "none found".into()),
        Some((g, _)) if g.minor == want.minor => (
            false,
            format!("wrong currency ({} for {})", g.currency, want.currency),
        ),
        Some((g, _)) => {
            if let Some((_, what)) = label.distractors.iter().find(|(d, _)| d == g) {
                (false, format!("took the {what}"))
            } else if field == Field::Amount && label.tax.as_ref() == Some(g) {
                (false, "took the tax".into())
            } else if lost {
                (false, "value not in the text (OCR)".into())
            } else if g.currency != want.currency {
                (
                    false,
                    format!("wrong currency ({} for {})", g.currency, want.currency),
                )
            } else {
                (false, "took another amount".into())
            }
        }
    };
    Outcome {
        field,
        ok,
        confidence: got.map(|(_, c)| c),
        cause,
        detail: format!(
            "want {}, got {}",
            show_money(want),
            got.map(|(g, _)| show_money(g))
                .unwrap_or_else(|| "nothing".into())
        ),
    }
}

fn score_date(want: NaiveDate, got: &Extracted, label: &Label, ocr_text: Option<&str>) -> Outcome {
    let g = got.date.as_ref();
    let lost = ocr_text.is_some_and(|t| !date_in_text(want, t));
    let (ok, cause) = match g.map(|g| g.value) {
        Some(d) if d == want => (true, String::new()),
        None if lost => (false, "date not in the text (OCR)".into()),
        None => (false, "no date found".into()),
        Some(d) => {
            if d.day() == want.month() && d.month() == want.day() && d.year() == want.year() {
                (false, "day and month swapped".into())
            } else if let Some((_, what)) = label.other_dates.iter().find(|(o, _)| *o == d) {
                (false, format!("took the {what} date"))
            } else if lost {
                (false, "date not in the text (OCR)".into())
            } else {
                (false, "took another date".into())
            }
        }
    };
    Outcome {
        field: Field::Date,
        ok,
        confidence: g.map(|g| g.confidence),
        cause,
        detail: format!("want {want}, got {:?}", g.map(|g| g.value.to_string())),
    }
}

/// Legal forms and filler dropped before merchant names are compared.
const LEGAL_FORMS: &[&str] = &[
    "gmbh",
    "ag",
    "kg",
    "co",
    "ek",
    "e",
    "k",
    "ohg",
    "gbr",
    "ug",
    "mbh",
    "inc",
    "llc",
    "ltd",
    "limited",
    "plc",
    "corp",
    "corporation",
    "company",
    "sa",
    "sarl",
    "sas",
    "sl",
    "srl",
    "bv",
    "nv",
    "ab",
    "as",
    "oy",
    "kk",
    "sdn",
    "bhd",
    "pty",
    "the",
    "und",
    "and",
];

/// Lower-case words of a name, legal forms and punctuation removed.
pub fn norm_words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !LEGAL_FORMS.contains(w))
        .map(str::to_string)
        .collect()
}

/// Merchant names match when, normalised (case, punctuation, legal forms, spaces), one
/// contains the other. A very short label ("dm") must be a whole word of the name.
pub fn merchant_matches(want: &str, got: &str) -> bool {
    let (ww, gw) = (norm_words(want), norm_words(got));
    if ww.is_empty() || gw.is_empty() {
        return false;
    }
    let (w, g) = (ww.concat(), gw.concat());
    if w.chars().count() <= 3 || g.chars().count() <= 3 {
        return ww.iter().any(|x| gw.contains(x)) && (ww.len() == 1 || gw.len() == 1 || w == g);
    }
    w.contains(&g) || g.contains(&w)
}

fn contains_loose(text: &str, name: &str) -> bool {
    let t: String = norm_words(text).concat();
    let n: String = norm_words(name).concat();
    !n.is_empty() && t.contains(&n)
}

pub fn norm_ref(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn norm_alnum(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Is the amount written somewhere in the text, with either decimal separator and
/// with or without grouping ("1.234,56", "1234.56")?
fn amount_in_text(m: &Money, text: &str) -> bool {
    let plain = format_minor(m.minor.abs(), m.currency);
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let mut grouped = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let with_frac = |i: &str| {
        if frac.is_empty() {
            i.to_string()
        } else {
            format!("{i}.{frac}")
        }
    };
    let hay: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\'' | '\u{A0}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let bounded = |needle: &str| {
        hay.match_indices(needle).any(|(i, _)| {
            let before = hay[..i].chars().next_back();
            let after = hay[i + needle.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_digit())
                && !after.is_some_and(|c| c.is_ascii_digit())
        })
    };
    bounded(&with_frac(int)) || bounded(&with_frac(&grouped))
}

/// Is the date written in the text in a numeric form (d.m.y, y-m-d, two-digit years)?
fn date_in_text(d: NaiveDate, text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let (y, m, dd) = (d.year(), d.month(), d.day());
    let yy = y % 100;
    [
        format!("{dd:02}.{m:02}.{y}"),
        format!("{dd:02}.{m:02}.{yy:02}"),
        format!("{dd}.{m}.{y}"),
        format!("{dd:02}/{m:02}/{y}"),
        format!("{dd:02}/{m:02}/{yy:02}"),
        format!("{m:02}/{dd:02}/{y}"),
        format!("{m:02}/{dd:02}/{yy:02}"),
        format!("{y}-{m:02}-{dd:02}"),
        format!("{y}/{m:02}/{dd:02}"),
        format!("{dd:02}-{m:02}-{y}"),
    ]
    .iter()
    .any(|f| t.contains(f.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vault_core::Currency;

    #[test]
    fn merchant_normalisation() {
        assert!(merchant_matches("aldi", "ALDI SÜD"));
        assert!(merchant_matches("aldi", "Aldi GmbH & Co. KG"));
        assert!(merchant_matches("mediamarkt", "Media Markt"));
        assert!(merchant_matches(
            "Northwind Outfitters",
            "northwind-outfitters"
        ));
        assert!(merchant_matches("dm", "dm-drogerie markt"));
        assert!(!merchant_matches("dm", "Admiral"));
        assert!(!merchant_matches("aldi", "Lidl"));
        assert!(!merchant_matches("real", ""));
        assert!(!merchant_matches("GmbH", "GmbH"));
    }

    #[test]
    fn amounts_found_in_text() {
        let eur = Currency::parse("EUR").unwrap();
        let m = Money {
            minor: 123456,
            currency: eur,
        };
        assert!(amount_in_text(&m, "SUMME 1.234,56"));
        assert!(amount_in_text(&m, "Total 1234.56"));
        assert!(!amount_in_text(&m, "Total 1234.57"));
        let small = Money {
            minor: 2423,
            currency: eur,
        };
        assert!(amount_in_text(&small, "ZU ZAHLEN 24,23"));
        assert!(!amount_in_text(&small, "ZU ZAHLEN 24,28"));
    }

    #[test]
    fn refs_normalise() {
        assert_eq!(norm_ref("#A-12 34"), "A1234");
    }
}
