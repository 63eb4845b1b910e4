//! Text preparation, shared by every reader: the capped and normalised text cut into
//! lines, slicing on char boundaries, keyword regexes, and the document-wide cues ([`Ctx`]:
//! which dollar, yen or krona, day or month first, the currency a till receipt names once).
//! Also the status lines of payment apps ("Payment successful", "支付成功"), which both the
//! amount and the merchant readers look at.

use std::sync::LazyLock;

use regex::Regex;

use crate::understand::text::is_cjk_char;
use crate::vault::money::Currency;

use super::country::{country_cues, CUE_BYTES};
use super::keywords::kw_regex;
use super::scored::{MAX_BYTES, MAX_LINES, MAX_PIECE_BYTES};

fn floor_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    let mut i = i;
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    let mut i = i;
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// At most the first `max` bytes of `s`, cut on a char boundary.
pub(super) fn head(s: &str, max: usize) -> &str {
    &s[..floor_boundary(s, max)]
}

/// At most the last `max` bytes of `s`, cut on a char boundary.
pub(super) fn tail(s: &str, max: usize) -> &str {
    &s[ceil_boundary(s, s.len().saturating_sub(max))..]
}

/// `&s[a..b]`, or "" when the range is out of order or not on char boundaries.
pub(super) fn slice(s: &str, a: usize, b: usize) -> &str {
    s.get(a..b).unwrap_or("")
}

/// The capped text with full-width ASCII folded to ASCII ("１２，０００" -> "12,000"),
/// the ideographic space turned into a space, the minus sign into '-', and invisible
/// characters (zero-width spaces, soft hyphens, BOM) removed.
pub(super) fn normalize_text(text: &str) -> String {
    head(text, MAX_BYTES)
        .chars()
        .filter_map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => Some(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)),
            '\u{3000}' => Some(' '),
            // Full-width currency signs: ￥ ￡ ￠ ￦.
            '\u{FFE5}' => Some('¥'),
            '\u{FFE1}' => Some('£'),
            '\u{FFE0}' => Some('¢'),
            '\u{FFE6}' => Some('₩'),
            '\u{2212}' => Some('-'),
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => None,
            _ => Some(c),
        })
        .collect()
}

/// Lines of `text`, long lines cut into pieces, at most [`MAX_LINES`] of them.
pub(super) fn split_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for raw in text.split(['\n', '\r']) {
        let mut line = raw;
        while line.len() > MAX_PIECE_BYTES {
            let hard = floor_boundary(line, MAX_PIECE_BYTES);
            let cut = line[..hard]
                .rfind(char::is_whitespace)
                .filter(|&p| p > MAX_PIECE_BYTES / 2)
                .unwrap_or(hard);
            if cut == 0 {
                break;
            }
            out.push(&line[..cut]);
            line = &line[cut..];
            if out.len() >= MAX_LINES {
                return out;
            }
        }
        out.push(line);
        if out.len() >= MAX_LINES {
            break;
        }
    }
    out
}

pub(super) fn is_gap(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{A0}' | '\u{202F}' | '\u{2009}' | '\u{2007}'
    )
}

/// Is `needle` in `hay` with no ASCII letter or digit right before or after it?
fn contains_code(hay: &str, needle: &str) -> bool {
    count_code(hay, needle) > 0
}

fn count_code(hay: &str, needle: &str) -> usize {
    hay.match_indices(needle)
        .filter(|(i, _)| {
            let before = hay[..*i].chars().next_back();
            let after = hay[i + needle.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric())
                && !after.is_some_and(|c| c.is_ascii_alphanumeric())
        })
        .count()
}

/// Is the marker `m` (e.g. "CA$") in `hay` with no letter right before it?
fn contains_marker(hay: &str, m: &str) -> bool {
    hay.match_indices(m).any(|(i, _)| {
        !hay[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic)
    })
}

/// Facts about the whole document that disambiguate symbols.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ctx {
    /// What a bare "$" means.
    pub(super) dollar: &'static str,
    /// What "¥" means: JPY, or CNY in Chinese texts.
    pub(super) yen: &'static str,
    /// The text says which: Chinese or Japanese writing, or a yuan or yen word.
    pub(super) yen_sure: bool,
    /// What "kr" means.
    pub(super) kr: &'static str,
    /// For "10/03/2026": Some(true) if day first, Some(false) if month first, None if unknown.
    pub(super) day_first: Option<bool>,
    /// The currency of a document whose amounts carry no marker (a till receipt with
    /// "EUR" once above the items, a Malaysian company's "Sdn Bhd", or only German
    /// words), and what said so.
    pub(super) doc_currency: Option<(&'static str, CurSource)>,
    /// The currency of the country the document's cues point to, if they agree on one.
    pub(super) country_currency: Option<&'static str>,
}

/// Currencies written with a bare "$".
const DOLLAR_CURRENCIES: &[&str] = &[
    "USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "MXN", "CLP", "COP", "ARS",
];

impl Ctx {
    /// What a bare "$" or "£" (`currency`: USD, GBP) stands for on a receipt whose
    /// country pays in another currency: that country's money, loosely marked ("$8.20"
    /// on a Malaysian slip) or misread (its tax code "S" read as "$"). `None` when the
    /// sign means what it says.
    pub(super) fn local_for_sign(&self, currency: &str) -> Option<&'static str> {
        self.country_currency
            .filter(|c| *c != currency && !(currency == "USD" && DOLLAR_CURRENCIES.contains(c)))
    }
}

/// What says which currency a document's bare amounts are in, surest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum CurSource {
    /// The document names it apart from its amounts ("EUR" above the items, "RM").
    Named,
    /// The country the document's own cues point to (its address, legal form, tax name,
    /// phone prefix).
    Country,
    /// Only the document's language suggests it.
    Language,
    /// Nothing in the document: the vault's default currency.
    Default,
}

impl Ctx {
    pub(super) fn detect(text: &str, subject: &str) -> Ctx {
        let both = [text, subject];
        let any_code = |c: &str| both.iter().any(|t| contains_code(t, c));
        let any_marker = |m: &str| both.iter().any(|t| contains_marker(t, m));
        let any_str = |m: &str| both.iter().any(|t| t.contains(m));

        // The country's cues are read at both ends of a long text only.
        let country = if text.len() <= 2 * CUE_BYTES {
            country_cues(&[text])
        } else {
            country_cues(&[head(text, CUE_BYTES), tail(text, CUE_BYTES)])
        };
        let mut dollar = "USD";
        if !(any_marker("US$") || any_code("USD")) {
            const VARIANTS: &[(&str, &str)] = &[
                ("CA$", "CAD"),
                ("C$", "CAD"),
                ("AU$", "AUD"),
                ("A$", "AUD"),
                ("NZ$", "NZD"),
                ("HK$", "HKD"),
                ("SG$", "SGD"),
                ("S$", "SGD"),
                ("NT$", "TWD"),
                ("MX$", "MXN"),
            ];
            const CODES: &[&str] = &["CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "MXN"];
            if let Some((_, c)) = VARIANTS.iter().find(|(m, _)| any_marker(m)) {
                dollar = c;
            } else if let Some(c) = CODES.iter().find(|c| any_code(c)) {
                dollar = c;
            } else if let Some(c) = country.currency.filter(|c| DOLLAR_CURRENCIES.contains(c)) {
                // An Australian shop's "$" is the Australian dollar.
                dollar = c;
            }
        }

        // Chinese text means yuan: Chinese characters and no Japanese kana (Japanese
        // writes kana on every receipt: particles, katakana names, "円"). A "¥" with
        // neither language nor currency word around it stays a guess (JPY) that goes to
        // review.
        let (chinese_text, kana_text) = script_cues(both.iter().copied());
        let chinese = ["元", "人民币", "人民幣", "支付宝", "微信"]
            .iter()
            .any(|m| any_str(m))
            || any_code("RMB")
            || any_code("CNY")
            || chinese_text;
        let japanese = kana_text || any_str("円") || any_code("JPY");
        let yen = if chinese && !(japanese && !any_str("元") && !any_code("CNY")) {
            "CNY"
        } else {
            "JPY"
        };
        // Han characters without a sign of Chinese ("合計 ¥3,000") lean Japanese; a "¥" in
        // a text with no CJK writing and no currency word at all is only a guess.
        let han = both.iter().any(|t| {
            t.chars()
                .any(|c| matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF))
        });
        let yen_sure = chinese || japanese || han;

        let kr = if any_code("NOK") {
            "NOK"
        } else if any_code("DKK") {
            "DKK"
        } else if any_code("ISK") {
            "ISK"
        } else {
            "SEK"
        };

        // Month-first dates go with US dollars; most other places write the day first.
        let dollars: usize = both
            .iter()
            .map(|t| t.matches('$').count() + count_code(t, "USD"))
            .sum();
        let others: usize = both
            .iter()
            .map(|t| {
                t.matches('€').count()
                    + t.matches('£').count()
                    + count_code(t, "EUR")
                    + count_code(t, "GBP")
            })
            .sum();
        let (us, eu) = match dollar {
            "USD" | "CAD" => (dollars, others),
            _ => (0, dollars + others),
        };
        // The country's custom, when its cues agree on one; else the currency signs.
        let day_first = match (country.day_first, us.cmp(&eu)) {
            (Some(custom), _) => custom,
            (None, std::cmp::Ordering::Greater) => Some(false),
            (None, std::cmp::Ordering::Less) => Some(true),
            (None, std::cmp::Ordering::Equal) => None,
        };
        Ctx {
            dollar,
            yen,
            yen_sure,
            kr,
            day_first,
            doc_currency: doc_currency(text, country.currency),
            country_currency: country.currency,
        }
    }
}

/// Characters only Chinese writes (simplified forms, 您/們/這).
const CHINESE_ONLY: &str = "订单实额计费优们您這們这购买时间发货运说确认价总应谢欢钱户务银码号码";
/// Words of Chinese payment screens and receipts that Japanese writes otherwise (支払,
/// 取引, 収 ...).
const CHINESE_WORDS: &[&str] = &[
    "支付",
    "付款",
    "收款",
    "商户",
    "商戶",
    "交易",
    "零钱",
    "零錢",
    "微信",
    "支付宝",
    "支付寶",
    "人民币",
    "人民幣",
    "店铺",
    "转账",
    "轉帳",
];

/// (Chinese text, Japanese text): Han characters with a sign of Chinese ([`CHINESE_ONLY`],
/// [`CHINESE_WORDS`]) and no kana; any kana (hiragana, katakana, half-width katakana).
/// Han characters alone ("合計") say neither.
fn script_cues<'a>(texts: impl Iterator<Item = &'a str> + Clone) -> (bool, bool) {
    let (mut chinese, mut kana) = (false, false);
    for c in texts.clone().flat_map(str::chars) {
        match c as u32 {
            0x3040..=0x30FF | 0xFF66..=0xFF9D => kana = true,
            _ => chinese |= CHINESE_ONLY.contains(c),
        }
        if kana {
            return (false, true);
        }
    }
    let chinese = chinese
        || texts
            .into_iter()
            .any(|t| CHINESE_WORDS.iter().any(|w| t.contains(w)));
    (chinese, false)
}

/// Currency codes and symbols a till receipt may print once, apart from its amounts.
const DOC_CODES: &[(&str, &str)] = &[
    ("EUR", "EUR"),
    ("EURO", "EUR"),
    ("Euro", "EUR"),
    ("€", "EUR"),
    ("CHF", "CHF"),
    ("GBP", "GBP"),
    ("£", "GBP"),
    ("USD", "USD"),
    ("SEK", "SEK"),
    ("NOK", "NOK"),
    ("DKK", "DKK"),
    ("PLN", "PLN"),
    ("CZK", "CZK"),
    ("CNY", "CNY"),
    ("RMB", "CNY"),
    ("人民币", "CNY"),
    ("人民幣", "CNY"),
    ("JPY", "JPY"),
    ("RM", "MYR"),
    ("MYR", "MYR"),
    ("SGD", "SGD"),
    ("AUD", "AUD"),
    ("NZD", "NZD"),
    ("CAD", "CAD"),
    ("HKD", "HKD"),
    ("INR", "INR"),
    ("IDR", "IDR"),
    ("THB", "THB"),
    ("KRW", "KRW"),
    ("MXN", "MXN"),
    ("BRL", "BRL"),
    ("ZAR", "ZAR"),
    ("HUF", "HUF"),
];

/// Words of languages spoken where the euro is the currency, used only when a document
/// names no currency at all.
static RE_EURO_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "summe",
        "zu zahlen",
        "mwst",
        "rückgeld",
        "wechselgeld",
        "betrag",
        "netto",
        "brutto",
        "kasse",
        "bon-nr*",
        "quittung",
        "kassenbon",
        "ttc",
        "tva",
        "à payer",
        "espèces",
        "iva",
        "importe",
        "efectivo",
        "totale",
        "scontrino",
        "contanti",
        "btw",
        "totaal",
    ])
});

/// The currency a document names apart from its amounts, else the one of the country its
/// cues point to (`country`), else a guess from its language.
fn doc_currency(text: &str, country: Option<&'static str>) -> Option<(&'static str, CurSource)> {
    // A code or currency word names the currency; a lone sign ("€", "£") may be OCR
    // noise, so the country's own currency goes before it.
    let named = |signs: bool| {
        let mut best: Option<(&'static str, usize)> = None;
        for (m, code) in DOC_CODES {
            if matches!(*m, "€" | "£") != signs {
                continue;
            }
            let n = if m.is_ascii() {
                count_code(text, m)
            } else {
                text.matches(m).count()
            };
            if n > 0 && best.is_none_or(|(_, b)| n > b) {
                best = Some((*code, n));
            }
        }
        best.map(|(c, _)| (c, CurSource::Named))
    };
    if let Some(found) = named(false) {
        return Some(found);
    }
    if let Some(c) = country {
        return Some((c, CurSource::Country));
    }
    if let Some(found) = named(true) {
        return Some(found);
    }
    // Chinese writing without a currency word: most likely yuan, a guess for review.
    if script_cues(std::iter::once(text)).0 {
        return Some(("CNY", CurSource::Language));
    }
    RE_EURO_WORDS
        .is_match(text)
        .then_some(("EUR", CurSource::Language))
}

/// Lines that name a currency apart from any number: "EUR" or "€" alone on a line (a till
/// receipt's column header), or at the end of a line of words with no digit ("Preis EUR").
/// Returns each currency and the number of such lines.
pub(super) fn standalone_currencies(lines: &[&str]) -> Vec<(Currency, usize)> {
    let mut out: Vec<(Currency, usize)> = Vec::new();
    for line in lines {
        if line.chars().any(|c| c.is_ascii_digit()) || line.len() > 80 {
            continue;
        }
        let last = line
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && !"€£".contains(c)))
            .rfind(|w| !w.is_empty());
        let Some(last) = last else {
            continue;
        };
        let Some(cur) = DOC_CODES
            .iter()
            .find(|(m, _)| *m == last)
            .and_then(|(_, c)| Currency::parse(c))
        else {
            continue;
        };
        match out.iter_mut().find(|(c, _)| *c == cur) {
            Some((_, n)) => *n += 1,
            None => out.push((cur, 1)),
        }
    }
    out
}

/// Words of a status line: what happened...
const STATUS_OUTCOMES: &[&str] = &[
    "successful",
    "successfully",
    "success",
    "succeeded",
    "complete",
    "completed",
    "sent",
    "received",
    "approved",
    "confirmed",
    "done",
    "paid",
    "erfolgreich",
    "abgeschlossen",
    "bezahlt",
    "gesendet",
    "bestätigt",
    "ausgeführt",
    "réussi",
    "effectué",
    "envoyé",
    "confirmé",
    "payé",
    "realizado",
    "completado",
    "exitoso",
    "pagado",
    "enviado",
    "confirmado",
    "riuscito",
    "effettuato",
    "completato",
    "pagato",
];

/// ... and to what, with the little words around.
const STATUS_SUBJECTS: &[&str] = &[
    "payment",
    "transaction",
    "transfer",
    "order",
    "purchase",
    "money",
    "top-up",
    "zahlung",
    "überweisung",
    "transaktion",
    "bestellung",
    "paiement",
    "virement",
    "commande",
    "pago",
    "transferencia",
    "pedido",
    "pagamento",
    "bonifico",
    "ordine",
    "your",
    "the",
    "has",
    "been",
    "was",
    "is",
    "ihre",
    "wurde",
    "ist",
    "votre",
    "a",
    "été",
    "su",
    "ha",
    "sido",
    "fue",
    "il",
    "è",
    "stato",
];

/// Status lines of payment apps in Chinese and Japanese (spaces removed).
static RE_CJK_STATUS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:支付|付款|交易|转账|轉帳|收款|充值|还款|還款|订单|訂單|已|お支払い?|支払い?|決済|取引)?(?:成功|完成|已完成|已支付|已付款|支付|付款|完了|が完了しました|完了しました)[!！。]?$")
        .expect("valid regex")
});

/// A payment app's headline or status line ("Payment successful", "支付成功", "Zahlung
/// erfolgreich", "Paiement réussi", "Paid"): it says what happened, never who was paid.
pub(super) fn is_status_line(line: &str) -> bool {
    let squashed: String = line
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '✓' | '✔' | '√'))
        .collect();
    if squashed.chars().any(is_cjk_char) {
        return RE_CJK_STATUS.is_match(&squashed);
    }
    let lower = line.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && words.len() <= 6
        && words.iter().any(|w| STATUS_OUTCOMES.contains(w))
        && words
            .iter()
            .all(|w| STATUS_OUTCOMES.contains(w) || STATUS_SUBJECTS.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_read_at_both_ends_only() {
        let cur = |t: &str| Ctx::detect(t, "").country_currency;
        let t = format!("Shop Sdn Bhd\n{}\n", "x ".repeat(100_000));
        assert_eq!(cur(&t), Some("MYR"));
        let t = format!(
            "{}\nPty Ltd South Africa\n{}",
            "y ".repeat(50_000),
            "z ".repeat(50_000)
        );
        assert_eq!(cur(&t), None);
    }

    #[test]
    fn standalone_currency_lines() {
        let eur = Currency::parse("EUR").unwrap();
        let lines = [
            "LIDL",
            "EUR",
            "Brot 1,99",
            "| € |",
            "Artikel Menge EUR",
            "EUR 2,00",
        ];
        assert_eq!(standalone_currencies(&lines), vec![(eur, 3)]);
        assert!(standalone_currencies(&["Europa", "Preis 3 EUR"]).is_empty());
    }

    #[test]
    fn status_lines_are_recognised_by_their_role() {
        for l in [
            "Payment successful",
            "Payment Successful!",
            "✓ Paid",
            "Your payment was successful",
            "Zahlung erfolgreich",
            "Überweisung ausgeführt",
            "Paiement réussi",
            "Pago realizado",
            "Pagamento riuscito",
            "支付成功",
            "付款成功",
            "交易成功",
            "已支付",
            "支払い完了",
            "お支払いが完了しました",
        ] {
            assert!(is_status_line(l), "{l}");
        }
        for l in [
            "Migros",
            "Success Bakery",
            "Paid Club Records",
            "瑞幸咖啡",
            "Payment Systems Ltd",
            "Order",
        ] {
            assert!(!is_status_line(l), "{l}");
        }
    }
}
