//! The merchant: from a processor's email body ("You paid €12.00 to Foo Ltd"), the sender,
//! a payee label on a payment app's screen ("收款方", "Paid to"), or the business name a
//! till receipt prints at its top (above its address), checked against the receipt's web
//! address, legal form and the table of known chains in `understand::merchants`.

use std::sync::LazyLock;

use regex::Regex;

use crate::understand::merchants;
use crate::understand::text::{is_cjk_char, squash};

use super::amount::find_amounts;
use super::business_line::{
    bare_legal_suffix, business_line, is_address_line, is_caps_word, plausible_name, spaced_logo,
    HEADER_WORDS, RE_CJK_LABEL_LINE, RE_LEGAL_FORM, RE_PAYEE_LABEL,
};
use super::date::find_dates;
use super::scored::{scored, Hints, Scored};
use super::sender::{org_from_address, sender_merchant, split_from};
use super::text::{head, is_status_line, Ctx};

static RE_MERCHANT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:merchant(?:\s+name)?|store(?:\s+name)?|shop(?:\s+name)?|seller|payee|paid\s+to|händler|verkäufer|commerçant|vendeur|comercio|vendedor|商户名称|商户|商家|收款方|店铺|店舗)\s*:|(?:sold\s+by|verkauft\s+von|vendu\s+par)\s*:?)\s*(.+)$")
        .expect("valid regex")
});

static RE_MERCHANT_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?-u:\b)(?:receipt|invoice|order|purchase|payment|bill)\s+(?:from|with|at|to)|(?-u:\b)shopping\s+(?:at|with)|(?-u:\b)(?:rechnung|bestellung|quittung|einkauf)\s+(?:von|bei)|(?-u:\b)(?:reçu|facture|commande)\s+(?:de|chez))\s+(.+)$")
        .expect("valid regex")
});

/// A name that follows a phrase ("Your receipt from Acme Inc #1234" -> "Acme Inc").
fn name_after_phrase(s: &str) -> Option<String> {
    let c = RE_MERCHANT_PHRASE.captures(s)?;
    let rest = c.get(1)?.as_str();
    let mut end = rest.len();
    for stop in [
        " #",
        " - ",
        " – ",
        " | ",
        "(",
        "!",
        ",",
        " for ",
        " on ",
        " für ",
        ". ",
        " am ",
        " le ",
        " has ",
        " have ",
        " is ",
        " was ",
        " ist ",
        " wurde ",
        " a été ",
    ] {
        if let Some(p) = rest.find(stop) {
            end = end.min(p);
        }
    }
    let name = plausible_name(&rest[..end])?;
    let lower = name.to_lowercase();
    if ["us", "you", "our store", "our shop", "uns", "nous"].contains(&lower.as_str()) {
        return None;
    }
    Some(name)
}

/// Payment terminal makers and processors whose address is printed on card slips.
const NOT_SHOP_DOMAINS: &[&str] = &[
    "ingenico",
    "verifone",
    "payone",
    "worldline",
    "concardis",
    "nets",
    "sumup",
    "paypal",
    "google",
    "apple",
    "facebook",
    "instagram",
    "twitter",
    "youtube",
    "honestly",
];

static RE_WEB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)www ?\. ?([a-z0-9][a-z0-9-]{1,30})[^\s.]{0,6} ?\. ?(?:de|com|at|ch|fr|es|it|nl|eu|co\.uk)(?-u:\b)")
        .expect("valid regex")
});

/// The shop named by the web address a till receipt prints, "www.roller.de" -> "roller"
/// (only with "www.", so a mis-read word with a dot or an email's link is not taken).
fn web_name(line: &str) -> Option<String> {
    let name = RE_WEB
        .captures(line)?
        .get(1)?
        .as_str()
        .trim_end_matches('-')
        .to_lowercase();
    let first = name.split('-').next().unwrap_or(&name);
    (!NOT_SHOP_DOMAINS.contains(&first)).then_some(name)
}

static RE_MAIL_DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[a-z0-9._-]@([a-z0-9][a-z0-9-]{1,30}) ?\. ?(?:de|com|at|ch|fr|es|it|nl|eu|net|org|co\.uk)(?-u:\b)")
        .expect("valid regex")
});

/// Words of a merchant name that can identify it: three or more letters, legal forms aside.
fn name_keys(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !RE_LEGAL_FORM.is_match(w))
        .map(str::to_lowercase)
        .collect()
}

/// Does `hay` (lower-case) hold `key` as a whole word?
fn has_word(hay: &str, key: &str) -> bool {
    hay.match_indices(key).any(|(i, _)| {
        !hay[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && !hay[i + key.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
    })
}

/// How many independent signs on the receipt bear out a merchant name taken from a
/// line: a web or e-mail domain that matches it, a legal form ("GmbH") on it, and the
/// name printed on another line too.
fn merchant_support(name: &str, lines: &[&str]) -> Support {
    let keys = name_keys(name);
    let matches_label = |label: &str| {
        let label = label.to_lowercase();
        let first = label.split('-').next().unwrap_or(&label).to_string();
        label.chars().count() >= 3
            && !NOT_SHOP_DOMAINS.contains(&first.as_str())
            && keys
                .iter()
                .any(|k| *k == label || (k.len() >= 4 && label.contains(k.as_str())))
    };
    let domain = lines.iter().take(400).any(|l| {
        web_name(l).is_some_and(|n| matches_label(&n))
            || RE_MAIL_DOMAIN
                .captures_iter(l)
                .filter_map(|c| c.get(1))
                .any(|m| matches_label(m.as_str()))
    });
    // A word that starts with a stray mark (".MBH", "-ANDELSGES") is a damaged reading:
    // its legal form does not vouch for the rest.
    let damaged = name.split_whitespace().any(|w| {
        w.chars()
            .next()
            .is_some_and(|c| !c.is_alphanumeric() && !matches!(c, '&' | '(' | '"'))
    });
    let legal = RE_LEGAL_FORM.is_match(name) && !keys.is_empty() && !damaged;
    // The name's first word of four or more letters on two or more lines (an OCR text may
    // hold two readings of one receipt, and the company recurs in the footer; noise seldom
    // reads the same twice). Names are capitalised: "elle" twice is noise.
    let capitalised = name
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase);
    let recurs = capitalised
        && keys
            .iter()
            .find(|k| k.chars().count() >= 4)
            .is_some_and(|k| {
                lines
                    .iter()
                    .take(400)
                    .filter(|l| web_name(l).is_none() && !RE_MAIL_DOMAIN.is_match(l))
                    .filter(|l| has_word(&l.to_lowercase(), k))
                    .count()
                    >= 2
            });
    Support {
        domain,
        legal,
        recurs,
    }
}

/// The signs that bear out a merchant name ([`merchant_support`]).
struct Support {
    domain: bool,
    legal: bool,
    recurs: bool,
}

/// Confidence of a merchant name read off a receipt, from how well it is borne out. In an
/// OCR text a legal form says the line names the business, not that its letters were read
/// right ("AFON CO. (M) BHD"): alone it leaves the name for review.
fn merchant_conf(name: &str, lines: &[&str], ocr: bool) -> f32 {
    let s = merchant_support(name, lines);
    let n = usize::from(s.domain) + usize::from(s.legal) + usize::from(s.recurs);
    match n {
        0 => 0.3,
        1 if ocr && s.legal => 0.5,
        1 => 0.6,
        _ => 0.7,
    }
}

/// Payment processors and wallets: their emails and screens name the merchant in the body
/// ("You paid €12.00 to Foo Ltd", "Merchant: ..."); their own name is not the merchant then.
const PROCESSORS: &[&str] = &[
    "paypal",
    "stripe",
    "alipay",
    "apple",
    "google",
    "klarna",
    "square",
    "squareup",
    "sumup",
    "wechat",
    "wechatpay",
    "tencent",
    "twint",
    "revolut",
    "wise",
    "transferwise",
    "venmo",
    "cashapp",
    "adyen",
    "braintree",
    "paddle",
    "fastspring",
    "gumroad",
    "mollie",
    "zettle",
    "izettle",
    "afterpay",
    "affirm",
    "payone",
    "n26",
];

/// "You paid €12.00 to Foo Ltd", "Sie haben 12,00 € an Foo GmbH gesendet", "Vous avez payé
/// 12,00 € à Foo SARL", "Has pagado 12,00 € a Foo SL": a processor's sentence naming the payee.
static RE_PAID_TO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?-u:\b)you(?:'ve|\s+have)?\s+(?:paid|sent)\s+.{1,30}?\s+to|(?-u:\b)sie\s+haben\s+.{1,30}?\s+an|(?-u:\b)vous\s+avez\s+(?:payé|envoyé)\s+.{1,30}?\s+à|(?-u:\b)has\s+(?:pagado|enviado)\s+.{1,30}?\s+a|你(?:已)?向)\s+(.+)$")
        .expect("valid regex")
});

/// The payee a processor's sentence names, without the verb or the rest of the sentence.
fn paid_to_phrase(line: &str, ctx: &Ctx) -> Option<String> {
    let rest = RE_PAID_TO.captures(line)?.get(1)?.as_str();
    let mut end = rest.len();
    for stop in [
        " gesendet",
        " gezahlt",
        " bezahlt",
        " überwiesen",
        " for ",
        " on ",
        " für ",
        " am ",
        " pour ",
        " le ",
        " por ",
        " el ",
        ". ",
        "!",
        ",",
        " (",
        " - ",
        "付款",
        "支付",
    ] {
        if let Some(p) = rest.find(stop) {
            end = end.min(p);
        }
    }
    let name = rest[..end].trim_end_matches(['.', ' ']);
    payee_name(name, ctx)
}

/// Is this name a processor's own ("PayPal", "Stripe Payments")?
fn is_processor_name(name: &str) -> bool {
    name.split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .is_some_and(|w| PROCESSORS.contains(&w.to_lowercase().as_str()))
}

/// Is this sender (a From header) a payment processor or wallet?
fn processor_sender(from: &str) -> bool {
    let (display, addr) = split_from(head(from, 1000));
    let first_word = display
        .and_then(|d| {
            d.trim_matches(['"', '\'', ' '])
                .split(|c: char| !c.is_alphanumeric())
                .find(|w| !w.is_empty())
        })
        .map(str::to_lowercase);
    first_word.is_some_and(|w| PROCESSORS.contains(&w.as_str()))
        || addr
            .and_then(org_from_address)
            .is_some_and(|o| PROCESSORS.contains(&o.as_str()))
}

/// What follows a label that is not a payee name: "商户单号", "Merchant ID", "To date".
static RE_NOT_PAYEE_REST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:单号|號|号|编号|編號|订单|訂單|id(?-u:\b)|no\.?(?-u:\b)|number|nr(?-u:\b)|copy|receipt|date|time|ref|code|#)")
        .expect("valid regex")
});

/// The payee a label names: "收款方  瑞幸咖啡", "Paid to Foo Ltd", "Empfänger: Migros",
/// or the label alone with the name on the next line ("Payee" / "Corner Books").
fn labelled_payee(lines: &[&str], ctx: &Ctx) -> Option<String> {
    let lines: Vec<&str> = lines
        .iter()
        .take(200)
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    let payment_screen = lines.iter().any(|l| is_status_line(l));
    for (i, line) in lines.iter().enumerate() {
        let Some(c) = RE_PAYEE_LABEL.captures(line) else {
            continue;
        };
        if c.name("a").is_some() && !payment_screen {
            continue;
        }
        let rest = c.name("rest").map_or("", |m| m.as_str());
        let sep_len = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：'))
                .len();
        let (sep, value) = rest.split_at(sep_len);
        let colon = sep.contains([':', '：']);
        let wide = sep.contains('\t') || sep.contains("  ");
        let fits = if c.name("w").is_some() {
            !sep.is_empty() || value.is_empty()
        } else if c.name("c").is_some() {
            true
        } else if c
            .name("a")
            .is_some_and(|m| m.as_str().eq_ignore_ascii_case("to"))
        {
            // "To" alone is too common a word: only "To: Name" or "To" above the name.
            colon || value.is_empty()
        } else {
            colon || wide || value.is_empty()
        };
        if !fits || RE_NOT_PAYEE_REST.is_match(value) {
            continue;
        }
        let value = value.trim();
        let candidate = if value.is_empty() {
            // The label alone: the name is on the next line.
            lines
                .get(i + 1)
                .copied()
                .filter(|n| !RE_PAYEE_LABEL.is_match(n))
        } else {
            Some(value)
        };
        if let Some(name) = candidate.and_then(|v| payee_name(v, ctx)) {
            return Some(name);
        }
    }
    None
}

/// A payee value that names someone: not an amount, a date, an address, a label or a
/// status line; a wide gap ends it ("Foo Ltd      CHF 12.50").
fn payee_name(value: &str, ctx: &Ctx) -> Option<String> {
    let v = value
        .split("  ")
        .next()
        .unwrap_or(value)
        .split('\t')
        .next()?;
    let v = v.trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | '>' | '›'));
    let name = plausible_name(v)?;
    if name.contains('@')
        || name.contains("://")
        || name.chars().filter(|c| c.is_ascii_digit()).count() > 4
        || !find_amounts(&name, ctx).is_empty()
        || !find_dates(&name, ctx).is_empty()
        || is_status_line(&name)
        || bare_legal_suffix(&name)
        || is_address_line(&name)
        || RE_CJK_LABEL_LINE.is_match(&name.replace(' ', ""))
        || name
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .all(|w| HEADER_WORDS.contains(&w))
    {
        return None;
    }
    Some(name)
}

pub(super) fn extract_merchant(
    lines: &[&str],
    hints: &Hints,
    subject: Option<&str>,
) -> Option<Scored<String>> {
    let ctx = Ctx::detect("", "");
    // A processor's or wallet's email names the merchant in its body: "Merchant: ...",
    // "You paid €12.00 to Foo Ltd"; its own name only when the body names none.
    let processor = hints.email_from.is_some_and(processor_sender);
    if processor {
        if let Some(name) = labelled_payee(lines, &ctx).or_else(|| {
            lines
                .iter()
                .take(200)
                .find_map(|l| paid_to_phrase(l, &ctx).or_else(|| name_after_phrase(l)))
                .filter(|n| !is_processor_name(n))
        }) {
            return Some(scored(name, 0.75));
        }
    }
    if let Some((name, from_display)) = hints.email_from.and_then(sender_merchant) {
        return Some(scored(name, if from_display { 0.8 } else { 0.75 }));
    }
    // A payment app's "Paid to" / "收款方" / "Empfänger" line, not its headline.
    if let Some(name) = labelled_payee(lines, &ctx) {
        return Some(scored(name, 0.7));
    }
    if let Some(name) = lines.iter().take(200).find_map(|l| paid_to_phrase(l, &ctx)) {
        return Some(scored(name, 0.65));
    }
    // "Merchant: Foo GmbH"
    for line in lines.iter().take(200) {
        if let Some(c) = RE_MERCHANT_LABEL.captures(line) {
            if let Some(name) = c.get(1).and_then(|m| plausible_name(m.as_str())) {
                return Some(scored(name, 0.6));
            }
        }
    }
    // "Your receipt from Acme Inc"
    let top: Vec<&str> = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .take(12)
        .copied()
        .collect();
    if let Some(name) = subject
        .and_then(name_after_phrase)
        .or_else(|| top.iter().find_map(|l| name_after_phrase(l)))
    {
        return Some(scored(name, 0.5));
    }
    let header = receipt_merchant(lines, &top, &ctx, hints.ocr);
    // A known chain named on the receipt (its logo is often an image, so the top line read
    // is noise or a slogan) wins over a name the receipt does not bear out.
    let Some(known) = merchants::find(lines) else {
        return header;
    };
    let names_it = header.as_ref().is_some_and(|h| {
        let got = squash(&h.value);
        known
            .merchant
            .keys
            .iter()
            .map(|k| squash(k))
            .any(|k| k.chars().count() >= 3 && got.contains(&k))
    });
    let header_conf = header.as_ref().map_or(0.0, |h| h.confidence);
    let wins = names_it
        || known.points >= 4
        || (known.points >= 2 && header_conf < 0.6)
        || (known.points >= 3 && header_conf < 0.7);
    if !wins {
        return header;
    }
    let conf: f32 = match known.points {
        0..=2 => 0.6,
        3..=4 => 0.7,
        _ => 0.8,
    };
    let conf = if names_it {
        (conf.max(header_conf) + 0.1).min(0.9)
    } else {
        conf
    };
    // Names printed in Chinese or Japanese stay as printed ("永辉超市", not "Yonghui").
    if let Some(h) = header.filter(|h| names_it && h.value.chars().any(is_cjk_char)) {
        return Some(scored(h.value, conf));
    }
    Some(scored(known.merchant.name.to_string(), conf))
}

/// The business name a till receipt prints at its top (or, failing that, its web address
/// or a company line), with a confidence from how well the receipt bears it out.
/// `top`: the first non-empty lines.
fn receipt_merchant(lines: &[&str], top: &[&str], ctx: &Ctx, ocr: bool) -> Option<Scored<String>> {
    // Till receipts print the business above its address: only lines above the first
    // address line are candidates (below it come opening hours and items).
    let address_at = top.iter().take(8).position(|l| is_address_line(l));
    let head_end = address_at.unwrap_or(top.len().min(8));
    let above = &top[..head_end];
    // Without an address block the top lines are a weaker sign than the shop's web address.
    let web = || lines.iter().take(400).find_map(|l| web_name(l));
    // A web address named again elsewhere ("Thalia" and "www.thalia.de") is borne out.
    let web_conf = |name: &str| {
        let others = lines
            .iter()
            .take(400)
            .filter(|l| web_name(l).is_none() && has_word(&l.to_lowercase(), name))
            .count();
        if name.chars().count() >= 4 && others > 0 {
            0.6
        } else {
            0.45
        }
    };
    if address_at.is_none() {
        if let Some(name) = web() {
            let conf = web_conf(&name);
            return Some(scored(name, conf));
        }
    }
    // The line with a legal form names the business ("GARDENIA BAKERIES (KL) SDN BHD"),
    // whatever OCR made of a logo or a frame above it.
    let legal = above
        .iter()
        .enumerate()
        .filter(|(_, l)| RE_LEGAL_FORM.is_match(l) && !bare_legal_suffix(l))
        .find_map(|(i, l)| business_line(without_reg_no(l), ctx).map(|n| (i, n, false)));
    let found = legal.or_else(|| {
        above.iter().enumerate().find_map(|(i, l)| {
            spaced_logo(l)
                .filter(|_| i + 2 >= head_end && address_at.is_some())
                .map(|n| (i, n, true))
                .or_else(|| business_line(l, ctx).map(|n| (i, n, false)))
                .or_else(|| {
                    // OCR of a logo or frame before the name: "fi; real GmbH", "= E | Kauf land".
                    if address_at.is_none() || i + 2 < head_end {
                        return None;
                    }
                    let last = l.rsplit(['|', ';']).next().filter(|r| {
                        r.len() < l.len() && r.chars().filter(|c| c.is_alphabetic()).count() >= 4
                    })?;
                    business_line(last, ctx).map(|n| (i, n, false))
                })
        })
    });
    if let Some((i, mut name, logo)) = found {
        // A name set on two lines: "DELPHIN" / "APOTHEKE".
        if !logo && i + 1 < above.len() && is_caps_word(&name) {
            if let Some(next) = business_line(above[i + 1], ctx).filter(|n| is_caps_word(n)) {
                name = format!("{name} {next}");
            }
        }
        // A company name wrapped before its legal form: "UNIHAKKA INTERNATIONAL SDN" / "BHD".
        if let Some(next) = above.get(i + 1).filter(|n| bare_legal_suffix(n)) {
            name = format!("{name} {}", next.trim());
        }
        let conf = merchant_conf(&name, lines, ocr);
        return Some(scored(name, conf));
    }
    // The shop's own web address: "www.roller.de".
    if let Some(name) = web() {
        let conf = web_conf(&name);
        return Some(scored(name, conf));
    }
    // A line with a legal form anywhere (till receipts print the company at the bottom).
    lines
        .iter()
        .filter(|l| RE_LEGAL_FORM.is_match(l))
        .find_map(|l| business_line(l.split(',').next().unwrap_or(l), ctx))
        .map(|name| {
            let conf = merchant_conf(&name, lines, ocr);
            scored(name, conf)
        })
}

/// A company line without the registration number printed after the name:
/// "GARDENIA BAKERIES (KL) SDN BHD (139386 X)" -> "GARDENIA BAKERIES (KL) SDN BHD".
fn without_reg_no(line: &str) -> &str {
    let t = line.trim_end();
    let Some(open) = t.strip_suffix(')').and_then(|r| r.rfind('(')) else {
        return line;
    };
    let inner = &t[open + 1..t.len() - 1];
    let digits = inner.chars().filter(char::is_ascii_digit).count();
    if digits >= 4 && digits * 2 >= inner.chars().filter(|c| !c.is_whitespace()).count() {
        t[..open].trim_end()
    } else {
        line
    }
}
