//! Amounts in one line: a number as receipts write it ("1.234,56", "1'234.50", "12,-")
//! with the currency marker before or after it ("€", "US$", "EUR", "kr", "円"), normalised
//! to a plain decimal. Which of them is the total is decided in `total.rs`; what the words
//! next to them say, in `amount_classes.rs`.

use std::sync::LazyLock;

use regex::Regex;

use crate::vault::model::Money;
use crate::vault::money::{Currency, Decimal};

use super::text::{is_gap, Ctx, CurSource};

/// A currency marker as written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Sym {
    Code(&'static str),
    Iso(Currency),
    Dollar,
    /// "£": sterling, unless the receipt's country pays in another currency.
    Pound,
    Yen,
    Kr,
}

impl Sym {
    /// The currency and whether it was guessed from context.
    fn resolve(self, ctx: &Ctx) -> Option<(Currency, bool)> {
        match self {
            Sym::Code(c) => Currency::parse(c).map(|c| (c, false)),
            Sym::Iso(c) => Some((c, false)),
            Sym::Dollar => match ctx.local_for_sign("USD").filter(|_| ctx.dollar == "USD") {
                Some(local) => Currency::parse(local).map(|c| (c, true)),
                None => Currency::parse(ctx.dollar).map(|c| (c, ctx.dollar == "USD")),
            },
            Sym::Pound => match ctx.local_for_sign("GBP") {
                Some(local) => Currency::parse(local).map(|c| (c, true)),
                None => Currency::parse("GBP").map(|c| (c, false)),
            },
            Sym::Yen => Currency::parse(ctx.yen).map(|c| (c, true)),
            // "kr" in a document that names another currency is OCR noise or a word.
            Sym::Kr => match ctx.doc_currency {
                Some((c, CurSource::Named)) if !matches!(c, "SEK" | "NOK" | "DKK") => None,
                _ => Currency::parse(ctx.kr).map(|c| (c, true)),
            },
        }
    }
}

/// Markers written before the number.
const PREFIX_SYMS: &[(&str, Sym)] = &[
    ("US$", Sym::Code("USD")),
    ("CA$", Sym::Code("CAD")),
    ("C$", Sym::Code("CAD")),
    ("AU$", Sym::Code("AUD")),
    ("A$", Sym::Code("AUD")),
    ("NZ$", Sym::Code("NZD")),
    ("HK$", Sym::Code("HKD")),
    ("SG$", Sym::Code("SGD")),
    ("S$", Sym::Code("SGD")),
    ("NT$", Sym::Code("TWD")),
    ("MX$", Sym::Code("MXN")),
    ("R$", Sym::Code("BRL")),
    ("$", Sym::Dollar),
    ("€", Sym::Code("EUR")),
    ("EURO", Sym::Code("EUR")),
    ("Euro", Sym::Code("EUR")),
    ("£", Sym::Pound),
    ("¥", Sym::Yen),
    ("￥", Sym::Yen),
    ("₹", Sym::Code("INR")),
    ("Rs.", Sym::Code("INR")),
    ("₩", Sym::Code("KRW")),
    ("₽", Sym::Code("RUB")),
    ("₺", Sym::Code("TRY")),
    ("₪", Sym::Code("ILS")),
    ("฿", Sym::Code("THB")),
    ("₫", Sym::Code("VND")),
    ("₱", Sym::Code("PHP")),
    ("₴", Sym::Code("UAH")),
    ("₦", Sym::Code("NGN")),
    ("zł", Sym::Code("PLN")),
    ("Kč", Sym::Code("CZK")),
    ("RM", Sym::Code("MYR")),
    ("RMB", Sym::Code("CNY")),
    ("人民币", Sym::Code("CNY")),
    ("人民幣", Sym::Code("CNY")),
    ("Rp", Sym::Code("IDR")),
    ("Rp.", Sym::Code("IDR")),
    ("SFr.", Sym::Code("CHF")),
    ("Fr.", Sym::Code("CHF")),
    ("kr", Sym::Kr),
    ("kr.", Sym::Kr),
    ("Kr", Sym::Kr),
    ("Kr.", Sym::Kr),
];

/// Markers written after the number.
const SUFFIX_SYMS: &[(&str, Sym)] = &[
    ("€", Sym::Code("EUR")),
    ("Euro", Sym::Code("EUR")),
    ("Euros", Sym::Code("EUR")),
    ("euro", Sym::Code("EUR")),
    ("euros", Sym::Code("EUR")),
    ("EURO", Sym::Code("EUR")),
    ("$", Sym::Dollar),
    ("US$", Sym::Code("USD")),
    ("£", Sym::Pound),
    ("¥", Sym::Yen),
    ("￥", Sym::Yen),
    ("円", Sym::Code("JPY")),
    ("元", Sym::Code("CNY")),
    ("원", Sym::Code("KRW")),
    ("zł", Sym::Code("PLN")),
    ("Kč", Sym::Code("CZK")),
    ("kr", Sym::Kr),
    ("kr.", Sym::Kr),
    ("Kr", Sym::Kr),
    ("Ft", Sym::Code("HUF")),
    ("lei", Sym::Code("RON")),
    ("₽", Sym::Code("RUB")),
    ("руб", Sym::Code("RUB")),
    ("₺", Sym::Code("TRY")),
    ("TL", Sym::Code("TRY")),
    ("₹", Sym::Code("INR")),
    ("₩", Sym::Code("KRW")),
    ("₫", Sym::Code("VND")),
    ("₴", Sym::Code("UAH")),
    ("₪", Sym::Code("ILS")),
    ("฿", Sym::Code("THB")),
    ("RMB", Sym::Code("CNY")),
    ("Fr.", Sym::Code("CHF")),
];

/// ISO codes that are also common upper-case words; only accepted next to a number
/// with decimals ("TOP 10" is not money, "TOP 10.00" may be).
const WORDY_CODES: &[&str] = &[
    "ALL", "AMD", "BAM", "BOB", "CUP", "DOP", "GEL", "MAD", "MOP", "NAD", "PEN", "SOS", "TOP",
    "TRY",
];

/// Allows at most two gap characters between a marker and its number.
fn short_gap(gap: &str) -> bool {
    gap.chars().count() <= 2
}

/// A currency marker at the end of `before` (the text left of a number) and where it starts.
fn prefix_sym(before: &str) -> Option<(Sym, usize)> {
    let trimmed = before.trim_end_matches(is_gap);
    if !short_gap(&before[trimmed.len()..]) {
        return None;
    }
    let mut best: Option<(Sym, usize)> = None;
    let mut best_len = 0;
    for &(m, sym) in PREFIX_SYMS {
        if m.len() <= best_len || !trimmed.ends_with(m) {
            continue;
        }
        let start = trimmed.len() - m.len();
        if m.starts_with(|c: char| c.is_alphabetic())
            && trimmed[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        best = Some((sym, start));
        best_len = m.len();
    }
    if best.is_some() {
        return best;
    }
    // An ISO code: "EUR 12,50", "CHF 1'234.50".
    let bytes = trimmed.as_bytes();
    if bytes.len() >= 3 && bytes[bytes.len() - 3..].iter().all(u8::is_ascii_uppercase) {
        let start = trimmed.len() - 3;
        let code = &trimmed[start..];
        let lead = trimmed[..start].chars().next_back();
        if !lead.is_some_and(char::is_alphanumeric) {
            if let Some(c) = Currency::parse(code) {
                return Some((Sym::Iso(c), start));
            }
        }
    }
    None
}

/// A currency marker at the start of `after` (the text right of a number) and the byte
/// offset in `after` where it ends.
fn suffix_sym(after: &str) -> Option<(Sym, usize)> {
    let trimmed = after.trim_start_matches(is_gap);
    let gap = after.len() - trimmed.len();
    if !short_gap(&after[..gap]) {
        return None;
    }
    let mut best: Option<(Sym, usize)> = None;
    let mut best_len = 0;
    for &(m, sym) in SUFFIX_SYMS {
        if m.len() <= best_len || !trimmed.starts_with(m) {
            continue;
        }
        let needs_boundary = m
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphabetic() && (c as u32) < 0x2E80);
        if needs_boundary
            && trimmed[m.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        best = Some((sym, gap + m.len()));
        best_len = m.len();
    }
    if best.is_some() {
        return best;
    }
    let bytes = trimmed.as_bytes();
    if bytes.len() >= 3 && bytes[..3].iter().all(u8::is_ascii_uppercase) {
        let code = &trimmed[..3];
        let next = trimmed[3..].chars().next();
        if !next.is_some_and(char::is_alphanumeric) {
            if let Some(c) = Currency::parse(code) {
                return Some((Sym::Iso(c), gap + 3));
            }
        }
    }
    None
}

/// A number as written on receipts: "49.99", "1.234,56", "1,234.56", "1 234,56",
/// "1'234.50", "3,000", "12,-".
static RE_NUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:[0-9]{1,3}(?:[.,'’\u{A0}\u{202F}\u{2009} ][0-9]{3})+|[0-9]+)(?:[.,](?:[0-9]{1,3}|-{1,2}))?",
    )
    .expect("valid regex")
});

/// Normalise a number token to a plain decimal ("1.234,56" -> "1234.56").
/// A separator followed by one or two digits at the end is the decimal separator; one
/// followed by three digits is grouping, except after a lone "0" ("0.500") or for a
/// three-decimal currency with a single separator.
fn normalize_number(tok: &str, exponent: u32) -> Option<String> {
    let tok = tok.trim_end_matches('-').trim_end_matches(['.', ',']);
    let seps: Vec<(usize, char)> = tok
        .char_indices()
        .filter(|(_, c)| !c.is_ascii_digit())
        .collect();
    let Some(&(last_i, last_c)) = seps.last() else {
        return if tok.is_empty() {
            None
        } else {
            Some(tok.to_string())
        };
    };
    let frac = &tok[last_i + last_c.len_utf8()..];
    let int_part = &tok[..last_i];
    let decimal = matches!(last_c, '.' | ',')
        && match frac.len() {
            1 | 2 => true,
            3 => int_part == "0" || (exponent == 3 && seps.len() == 1),
            _ => false,
        };
    let (int_part, frac) = if decimal { (int_part, frac) } else { (tok, "") };
    let mut group_char = None;
    let mut digits = String::with_capacity(int_part.len());
    let mut groups: Vec<usize> = vec![0];
    for c in int_part.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            if let Some(n) = groups.last_mut() {
                *n += 1;
            }
        } else {
            if decimal && c == last_c {
                return None;
            }
            match group_char {
                None => group_char = Some(c),
                Some(g) if g != c => return None,
                Some(_) => {}
            }
            groups.push(0);
        }
    }
    if groups.len() > 1 {
        let first_ok = groups.first().is_some_and(|&n| (1..=3).contains(&n));
        if !first_ok || groups[1..].iter().any(|&n| n != 3) {
            return None;
        }
    }
    if digits.is_empty() {
        return None;
    }
    Some(if frac.is_empty() {
        digits
    } else {
        format!("{digits}.{frac}")
    })
}

/// An amount found in a line.
#[derive(Debug, Clone)]
pub(super) struct RawAmt {
    /// Byte span in the line, currency marker included.
    pub(super) start: usize,
    pub(super) end: usize,
    /// The currency and whether it was guessed; None for a bare number.
    pub(super) cur: Option<(Currency, bool)>,
    /// Plain decimal, e.g. "1234.56".
    pub(super) norm: String,
    pub(super) negative: bool,
}

impl RawAmt {
    pub(super) fn money(&self) -> Option<Money> {
        let (currency, _) = self.cur?;
        money_of(&self.norm, currency, self.negative)
    }
}

pub(super) fn money_of(norm: &str, currency: Currency, negative: bool) -> Option<Money> {
    let minor = Decimal::parse(norm)?.to_minor(currency)?;
    Some(Money {
        minor: if negative { -minor } else { minor },
        currency,
    })
}

/// Amounts in one line: numbers with a currency marker, and bare numbers with decimals.
pub(super) fn find_amounts(line: &str, ctx: &Ctx) -> Vec<RawAmt> {
    let mut out = Vec::new();
    for m in RE_NUM.find_iter(line) {
        let (s, e) = (m.start(), m.end());
        let before = &line[..s];
        let after = &line[e..];
        let prev = before.chars().next_back();
        let next = after.chars().next();
        let digit_follows = |t: &str| t.starts_with(|d: char| d.is_ascii_digit());
        // Part of a date, a time, a version or a longer number: 03.10.2026, 12:30, 1.2.3.
        if let Some(c) = next {
            if c.is_ascii_digit()
                || (matches!(c, '.' | ',' | '/' | ':' | '-') && digit_follows(&after[1..]))
            {
                continue;
            }
        }
        if let Some(c) = prev {
            if c.is_ascii_digit()
                || (matches!(c, '.' | ',' | '/' | ':' | '-')
                    && before[..before.len() - 1].ends_with(|d: char| d.is_ascii_digit()))
            {
                continue;
            }
        }
        if after.trim_start_matches(is_gap).starts_with('%') {
            continue;
        }
        let pre = prefix_sym(before);
        let suf = suffix_sym(after);
        if pre.is_none() && prev.is_some_and(|c| c.is_alphanumeric() || "_#@&".contains(c)) {
            continue;
        }
        if suf.is_none() && next.is_some_and(|c| c.is_alphanumeric() || "_@".contains(c)) {
            continue;
        }
        let ambiguous = |s: Sym| matches!(s, Sym::Dollar | Sym::Yen | Sym::Kr);
        let (sym, start, end) = match (pre, suf) {
            (Some((p, ps)), Some((x, xe))) => {
                if ambiguous(p) && !ambiguous(x) {
                    (Some(x), ps, e + xe)
                } else {
                    (Some(p), ps, e)
                }
            }
            (Some((p, ps)), None) => (Some(p), ps, e),
            (None, Some((x, xe))) => (Some(x), s, e + xe),
            (None, None) => (None, s, e),
        };
        let cur = sym.and_then(|s| s.resolve(ctx));
        if sym.is_some() && cur.is_none() {
            continue;
        }
        let exponent = cur.map(|(c, _)| c.exponent()).unwrap_or(2);
        let Some(norm) = normalize_number(m.as_str(), exponent) else {
            continue;
        };
        let decimals = norm.contains('.');
        if cur.is_none() && !decimals {
            continue;
        }
        if let Some(Sym::Iso(c)) = sym {
            if !decimals && WORDY_CODES.contains(&c.code()) {
                continue;
            }
        }
        if !decimals {
            // "[3]" or "(2)": a count of items.
            if prev.is_some_and(|c| matches!(c, '[' | '('))
                || next.is_some_and(|c| matches!(c, ']' | ')'))
            {
                continue;
            }
            // "SUMME 3 EUR 152,00": the code belongs to the amount after it.
            if let (None, Some((_, xe))) = (pre, suf) {
                if after[xe..]
                    .trim_start_matches(is_gap)
                    .starts_with(|c: char| c.is_ascii_digit())
                {
                    continue;
                }
            }
        }
        let negative = line[..start].ends_with(['-', '–']);
        out.push(RawAmt {
            start,
            end,
            cur,
            norm,
            negative,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_normalisation() {
        let cases: &[(&str, u32, Option<&str>)] = &[
            ("1.234,56", 2, Some("1234.56")),
            ("1,234.56", 2, Some("1234.56")),
            ("1,234", 2, Some("1234")),
            ("1.234", 2, Some("1234")),
            ("12,5", 2, Some("12.5")),
            ("0.500", 3, Some("0.500")),
            ("1.500", 3, Some("1.500")),
            ("1'234.50", 2, Some("1234.50")),
            ("1 234 567,89", 2, Some("1234567.89")),
            ("12,-", 2, Some("12")),
            ("1,234,56", 2, None),
            ("1.234,567", 2, None),
            ("1234,5678", 2, None),
        ];
        for (tok, exp, want) in cases {
            assert_eq!(normalize_number(tok, *exp).as_deref(), *want, "{tok}");
        }
    }
}
