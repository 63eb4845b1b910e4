//! Which lines of a text can be a business name, and which never are: document titles,
//! greetings, street and postcode lines, headers, status lines, labels, a legal form
//! alone ("GmbH & Co. KG"). Mostly word tables; [`business_line`] applies them to one line
//! near the top of a receipt.

use std::sync::LazyLock;

use regex::Regex;

use crate::understand::text::RE_POSTCODE_LINE;

use super::amount::find_amounts;
use super::date::find_dates;
use super::text::{is_status_line, Ctx};

/// Lines that are a document title, not a business.
const TITLE_WORDS: &[&str] = &[
    "receipt",
    "receipts",
    "invoice",
    "tax",
    "sales",
    "order",
    "confirmation",
    "rechnung",
    "quittung",
    "kassenbon",
    "beleg",
    "kassenbeleg",
    "facture",
    "reçu",
    "ticket",
    "factura",
    "recibo",
    "customer",
    "merchant",
    "copy",
    "duplicate",
    "original",
    "page",
    "of",
    "your",
    "the",
    "payment",
    "purchase",
    "summary",
    "details",
    "bill",
    "statement",
    "simplified",
    "e-receipt",
    "ereceipt",
    "bestellbestätigung",
    "zahlungsbestätigung",
    "收据",
    "发票",
    "收據",
    "發票",
    "領収書",
    "领收书",
    "レシート",
    "購入明細",
    "明細書",
    "영수증",
];

const STREET_WORDS: &[&str] = &[
    "street",
    "st",
    "str",
    "straße",
    "strasse",
    "avenue",
    "ave",
    "road",
    "rd",
    "blvd",
    "boulevard",
    "lane",
    "ln",
    "drive",
    "dr",
    "way",
    "suite",
    "ste",
    "floor",
    "rue",
    "calle",
    "avenida",
    "plaza",
    "platz",
    "weg",
    "gasse",
    "allee",
    "via",
    "piazza",
    "box",
    "postfach",
    "hwy",
    "highway",
];

/// Words of table headers and labels, never of a business name.
pub(super) const HEADER_WORDS: &[&str] = &[
    "item",
    "items",
    "price",
    "qty",
    "quantity",
    "description",
    "amount",
    "total",
    "subtotal",
    "date",
    "time",
    "tel",
    "phone",
    "fax",
    "vat",
    "tax",
    "uid",
    "menge",
    "preis",
    "betrag",
    "summe",
    "artikel",
    "datum",
    "uhrzeit",
    "prix",
    "montant",
    "cantidad",
    "precio",
    "importe",
    "page",
    "seite",
    "order",
    "ordered",
    "invoice",
    "shipped",
    "shipping",
    "delivery",
];

/// Endings of street names written as one word ("Pohlweg 110", "Hauptstraße 5").
const STREET_SUFFIXES: &[&str] = &[
    "straße", "strasse", "str", "weg", "gasse", "allee", "platz", "ring", "damm", "ufer",
];

/// Words of receipt lines near the top that are not the business.
const NOT_NAME_WORDS: &[&str] = &[
    "öffnungszeiten",
    "oeffnungszeiten",
    "willkommen",
    "welcome",
    "kundenbeleg",
    "händlerbeleg",
    "filiale",
    "kasse",
    "eur",
    "euro",
    "usd",
    "gbp",
    "chf",
    "bienvenue",
    "bienvenido",
];

/// Legal forms: a line that carries one names the business ("Aldi GmbH & Co. KG").
pub(super) static RE_LEGAL_FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:gmbh|mbh|ag|kg|ohg|gbr|e\.\s?k\.|ug|ltd|limited|inc|llc|plc|sarl|sas|s\.a\.|s\.l\.|s\.r\.l\.|s\.p\.a\.|b\.v\.|n\.v\.|sdn\.?\s*bhd|bhd|berhad|s/b|pte|pty|pvt|plt|ltda|kft|oyj?|a/s|aps|s\.r\.o\.|sp\.\s?z\s?o\.o\.)(?-u:\b)|有限公司|株式会社|주식회사")
        .expect("valid regex")
});

const GREETINGS: &[&str] = &[
    "dear", "hi", "hello", "hey", "thank", "thanks", "danke", "merci", "gracias", "your", "ihre",
    "ihr", "votre", "vos", "su", "sus", "this", "we", "welcome", "hallo", "bonjour", "hola",
    "guten", "sehr", "liebe", "lieber", "please", "bitte",
];

pub(super) fn plausible_name(s: &str) -> Option<String> {
    let s = s.trim().trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '!' | ',' | ':' | ';' | '-' | '|' | '*' | '=')
    });
    let n = s.chars().count();
    if !(2..=60).contains(&n) || s.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return None;
    }
    Some(s.to_string())
}

/// A line without the OCR noise around a name and a logo's scrap before it.
fn strip_frame(line: &str) -> &str {
    // OCR noise around a name on a scanned receipt: "= DELPHIN", "LIDL |".
    let t = line.trim().trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '|' | '='
                    | '-'
                    | '_'
                    | ';'
                    | '~'
                    | '['
                    | ']'
                    | '*'
                    | '\''
                    | '"'
                    | '“'
                    | '‘'
                    | '’'
                    | '—'
                    | '«'
                    | '»'
                    | '°'
                    | '^'
            )
    });
    // A scrap of a logo before a semicolon: "fi; Holtkamp GmbH".
    match t.split_once(';') {
        Some((pre, rest)) if pre.trim().chars().count() <= 3 => rest.trim(),
        _ => t,
    }
}

/// Is `t` (a line without its frame) OCR noise or markup rather than words?
fn noise_or_markup(t: &str) -> bool {
    if t.contains(['|', '[', ']', '$', '~', '^', '\\']) {
        return true;
    }
    // Mostly one- and two-letter fragments: OCR of a logo ("Av olay e Y", "AL D I").
    let tokens: Vec<&str> = t.split_whitespace().collect();
    let short = tokens.iter().filter(|w| w.chars().count() <= 2).count();
    if tokens.len() >= 2 && short * 2 >= tokens.len() {
        return true;
    }
    if t.chars().any(|c| c.is_ascii_alphabetic())
        && t.chars().any(|c| ('\u{3040}'..='\u{9FFF}').contains(&c))
    {
        return true; // Latin and CJK mixed: noise
    }
    // Markup and structured data ("<OFX>", "{", "<?xml") are never a business name.
    t.contains(':') || t.contains('@') || t.contains("://") || t.contains(['<', '>', '{', '}', '='])
}

/// Could this line near the top of a receipt be the business name? The line is freed of
/// the noise around it ([`strip_frame`]), must not be noise or markup itself
/// ([`noise_or_markup`]), and its words must not make it anything else (a title, a label,
/// an address, a greeting, a sentence).
pub(super) fn business_line(line: &str, ctx: &Ctx) -> Option<String> {
    let t = strip_frame(line);
    if noise_or_markup(t) {
        return None;
    }
    let lower = t.to_lowercase();
    if lower.starts_with("www.") || lower.contains("http") {
        return None;
    }
    let name = plausible_name(t)?;
    // A line's role, not its words: a status headline, a label, a legal form alone.
    if is_status_line(&name)
        || bare_legal_suffix(&name)
        || RE_CJK_LABEL_LINE.is_match(&name.replace(' ', ""))
        || RE_PAYEE_LABEL.captures(&name).is_some_and(|c| {
            c.name("rest")
                .is_some_and(|r| r.as_str().trim_matches([' ', ':', '：']).is_empty())
        })
    {
        return None;
    }
    if name.chars().filter(|c| c.is_ascii_digit()).count() > 2
        || !find_amounts(t, ctx).is_empty()
        || !find_dates(t, ctx).is_empty()
    {
        return None;
    }
    let words: Vec<String> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if words.is_empty() || words.iter().all(|w| TITLE_WORDS.contains(&w.as_str())) {
        return None;
    }
    if TITLE_WORDS.contains(&lower.as_str()) {
        return None;
    }
    if words.iter().any(|w| HEADER_WORDS.contains(&w.as_str())) {
        return None;
    }
    if words
        .first()
        .is_some_and(|w| GREETINGS.contains(&w.as_str()))
    {
        return None;
    }
    let has_digit = t.chars().any(|c| c.is_ascii_digit());
    if has_digit
        && words.iter().any(|w| {
            STREET_WORDS.contains(&w.as_str())
                || STREET_SUFFIXES
                    .iter()
                    .any(|s| w.ends_with(s) && w.len() > s.len() + 2)
        })
    {
        return None;
    }
    if words.iter().any(|w| NOT_NAME_WORDS.contains(&w.as_str())) {
        return None;
    }
    // Sentences, not names: too many words, or mostly lower-case words.
    let lower_words = t
        .split_whitespace()
        .filter(|w| w.starts_with(char::is_lowercase))
        .count();
    if words.len() > 6 || (words.len() >= 2 && lower_words * 2 > words.len()) {
        return None;
    }
    // "Aldi GmbH & Co. KG, Schloß Holte": the company without its seat.
    if RE_LEGAL_FORM.is_match(&name) {
        if let Some((company, _)) = name.split_once(", ") {
            return Some(company.to_string());
        }
    }
    Some(name)
}

/// A street line ("Warburger Straße 130", "Pohlweg 110") or a postcode + town line
/// ("33100 Paderborn").
pub(super) fn is_address_line(line: &str) -> bool {
    let t = line
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    if RE_POSTCODE_LINE.is_match(t) {
        return true;
    }
    if !t.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    t.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| {
            STREET_WORDS.contains(&w)
                || STREET_SUFFIXES
                    .iter()
                    .any(|s| w.ends_with(s) && w.len() > s.len() + 2)
        })
}

/// A logo printed letter-spaced and read as fragments: "AL D I" is "ALDI".
pub(super) fn spaced_logo(line: &str) -> Option<String> {
    let tokens: Vec<&str> = line
        .split_whitespace()
        .filter(|w| !w.chars().all(|c| matches!(c, '|' | '=' | '-' | '_' | '*')))
        .collect();
    let letters: usize = tokens.iter().map(|w| w.chars().count()).sum();
    (tokens.len() >= 2
        && tokens.len() <= 6
        && (3..=10).contains(&letters)
        && tokens
            .iter()
            .all(|w| w.chars().count() <= 2 && w.chars().all(|c| c.is_uppercase())))
    .then(|| tokens.concat())
}

pub(super) fn is_caps_word(s: &str) -> bool {
    !s.contains(' ') && s.chars().count() >= 3 && s.chars().all(|c| c.is_uppercase())
}

/// Labels of the payee on payment-app screens, receipts and processor emails, by how the
/// value may follow: `(?P<w>…)` multi-word labels (any space), `(?P<c>…)` Chinese and
/// Japanese labels (any or no space), `(?P<s>…)` one-word labels (a colon, a wide gap, or
/// the value on the next line), `(?P<a>…)` one-word labels that name the customer on
/// invoices and shipping notes ("To: John Smith", "Empfänger: ...") and the payee only on
/// a payment's screen or confirmation (a status line such as "Payment successful").
pub(super) static RE_PAYEE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[\W_]{0,3}(?:(?P<w>paid\s+to|payee\s+name|pay\s+to|payment\s+to|sent\s+to|sold\s+by|merchant\s+name|store\s+name|shop\s+name|bezahlt\s+an|gezahlt\s+an|zahlung\s+an|verkauft\s+von|payé\s+à|paiement\s+à|vendu\s+par|pagado\s+a|pago\s+a|vendido\s+por)|(?P<c>收款方|收款人|收款商户|收款单位|商户全称|商户名称|商家名称|商户|商家|付款给|店铺名称|店铺|店舗名|店舗|支払先|加盟店)|(?P<s>payee|beneficiary|merchant|seller|store|shop|zahlungsempfänger|händler|verkäufer|bénéficiaire|commerçant|vendeur|beneficiario|comercio|vendedor)|(?P<a>to|recipient|empfänger|destinataire|destinatario))(?P<rest>.*)$",
    )
    .expect("valid regex")
});

/// Words of legal forms that also stand alone on a line when a company's name wraps
/// ("SANYU STATIONERY SHOP SDN" / "BHD").
const LEGAL_WORDS: &[&str] = &[
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "co",
    "ohg",
    "gbr",
    "ug",
    "ek",
    "ltd",
    "limited",
    "inc",
    "llc",
    "plc",
    "corp",
    "corporation",
    "company",
    "sarl",
    "sas",
    "sa",
    "sl",
    "srl",
    "spa",
    "bv",
    "nv",
    "sdn",
    "bhd",
    "pte",
    "pty",
    "lp",
    "llp",
    "kk",
    "&",
    "und",
    "and",
];

/// A line that is only a legal form ("BHD", "Sdn Bhd", "GmbH & Co. KG"): no business name.
pub(super) fn bare_legal_suffix(line: &str) -> bool {
    let lower = line.to_lowercase();
    let words: Vec<String> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')'))
        .map(|w| w.replace('.', ""))
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty() && words.iter().all(|w| LEGAL_WORDS.contains(&w.as_str()))
}

/// Chinese and Japanese labels that stand alone on a line of a payment app's screen.
pub(super) static RE_CJK_LABEL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:收款方|收款人|商户全称|商户名称|商户|商家|付款给|支付时间|支付方式|付款方式|交易时间|交易单号|商户单号|订单号|订单编号|当前状态|交易状态|金额|合计|总计|实付|实付款|创建时间|支付時間|支払方法|支払日時|合計|お支払い金額)[:：]?$")
        .expect("valid regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_legal_suffix_is_no_name() {
        for l in [
            "BHD",
            "Sdn Bhd",
            "SDN. BHD.",
            "GmbH & Co. KG",
            "Ltd.",
            "Inc",
        ] {
            assert!(bare_legal_suffix(l), "{l}");
        }
        for l in ["Acme Ltd", "Bhd Bakery", "KG Foods"] {
            assert!(!bare_legal_suffix(l), "{l}");
        }
    }
}
