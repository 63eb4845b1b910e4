//! The payment method: a card brand with its last four digits ("Visa •••• 1234"), a wallet
//! ("Apple Pay", "PayPal"), a masked card number under a card word, or cash. Lists of
//! accepted cards ("We accept Visa, Mastercard") are skipped.

use std::sync::LazyLock;

use regex::Regex;

use super::keywords::kw_regex;
use super::scored::{scored, Hints, Scored, MAX_LABEL_CHARS};
use super::sender::sender_org;
use super::text::{head, tail};

static RE_CARD_BRAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(visa|master\s?card|maestro|american\s+express|amex|discover|diners(?:\s+club)?|jcb|union\s?pay|girocard|carte\s+bancaire|ec[-\s]?karte|ec[-\s]?cash)(?-u:\b)|(银联|銀聯)")
        .expect("valid regex")
});

/// The last four digits after a mask or a phrase: "ending in 1234", "**** 5678",
/// "•••• 4242", "xxxx-1005", "XXXX XXXX XXXX 1234", "尾号1234".
static RE_LAST4: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:ending\s+(?:in|with)|ends\s+(?:in|with)|endet\s+(?:auf|mit)|endend\s+(?:auf|mit)|terminant\s+par|termin[ée]e?\s+par|terminada\s+en|termina\s+en|last\s+(?:(?:4|four)\s+)?digits|last\s+(?:4|four)|尾号|末尾|下4桁|(?:[*•·●∙⋅…x#]{2,}[\s-]?)+|\.{3,}|(?-u:\b)x-?)[\s:-]*([0-9]{4})")
        .expect("valid regex")
});

/// "Visa – 4242", "VISA 4242" right after the brand.
static RE_DIRECT4: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:[-–—:]\s*)?([0-9]{4})").expect("valid regex"));

static RE_WALLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(paypal|apple\s?pay|google\s?pay|g\s?pay|alipay|wechat\s?pay|weixin\s?pay|klarna|afterpay|amazon\s?pay|shop\s?pay|venmo|cash\s?app|sofort\s?(?:überweisung|ueberweisung)|ideal|bancontact|twint|paypay|sepa(?:[-\s]?(?:lastschrift|überweisung|ueberweisung|direct\s+debit|transfer|credit\s+transfer))?|bank\s+transfer|wire\s+transfer|banküberweisung|ueberweisung|virement(?:\s+bancaire)?|transferencia(?:\s+bancaria)?|lastschrift|direct\s+debit|bonifico|credit\s+card|debit\s+card|kreditkarte|carte\s+de\s+cr[ée]dit|tarjeta\s+de\s+cr[ée]dito|barzahlung|paid\s+(?:in\s+)?cash|pay[ée]\s+en\s+esp[èe]ces|pago\s+en\s+efectivo)(?-u:\b)|(クレジットカード|信用卡|überweisung|Überweisung|支付宝|支付寶|微信支付|銀行振込|银行转账|口座振替)")
        .expect("valid regex")
});

static RE_PAY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "payment method",
        "payment type",
        "payment info*",
        "paid with",
        "paid by",
        "paid via",
        "paid using",
        "pay with",
        "payment via",
        "payment by",
        "charged to",
        "billed to",
        "funding source",
        "zahlungsart",
        "zahlungsmethode",
        "zahlart",
        "zahlungsmittel",
        "bezahlt mit",
        "bezahlt per",
        "mode de paiement",
        "mode de règlement",
        "règlement",
        "reglement",
        "moyen de paiement",
        "payé avec",
        "payé par",
        "método de pago",
        "metodo de pago",
        "forma de pago",
        "pagado con",
        "pago con",
        "支付方式",
        "付款方式",
        "お支払い方法",
        "支払方法",
        "支払い方法",
        "決済方法",
    ])
});

/// Cash, named on a line with a payment label ("Zahlungsart: Bar").
static RE_CASH: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "cash",
        "bar",
        "barzahlung",
        "espèces",
        "especes",
        "efectivo",
        "contanti",
        "现金",
        "現金",
    ])
});

/// Lines listing what a shop accepts, not what was used.
static RE_ACCEPT: LazyLock<Regex> =
    LazyLock::new(|| kw_regex(&["accept*", "akzeptier*", "acceptons", "aceptamos", "we take"]));

fn card_brand_name(s: &str) -> &'static str {
    let l = s.to_lowercase();
    let l: String = l.chars().filter(|c| !c.is_whitespace()).collect();
    match l.as_str() {
        "visa" => "Visa",
        "mastercard" => "Mastercard",
        "maestro" => "Maestro",
        "americanexpress" | "amex" => "Amex",
        "discover" => "Discover",
        "jcb" => "JCB",
        "unionpay" | "银联" | "銀聯" => "UnionPay",
        "girocard" | "ec-karte" | "eckarte" | "ec-cash" | "eccash" => "Girocard",
        "cartebancaire" => "Carte Bancaire",
        _ if l.starts_with("diners") => "Diners Club",
        _ => "Card",
    }
}

fn wallet_name(s: &str) -> Option<&'static str> {
    let l = s.to_lowercase();
    let l: String = l.chars().filter(|c| !c.is_whitespace()).collect();
    Some(match l.as_str() {
        "paypal" => "PayPal",
        "applepay" => "Apple Pay",
        "googlepay" | "gpay" => "Google Pay",
        "alipay" | "支付宝" | "支付寶" => "Alipay",
        "wechatpay" | "weixinpay" | "微信支付" => "WeChat Pay",
        "klarna" => "Klarna",
        "afterpay" => "Afterpay",
        "amazonpay" => "Amazon Pay",
        "shoppay" => "Shop Pay",
        "venmo" => "Venmo",
        "cashapp" => "Cash App",
        "paypay" => "PayPay",
        "bancontact" => "Bancontact",
        "twint" => "TWINT",
        "ideal" => {
            // "ideal" is an English word; the method is written "iDEAL".
            if s == "iDEAL" || s == "IDEAL" {
                "iDEAL"
            } else {
                return None;
            }
        }
        _ if l.starts_with("sofort") => "Sofort",
        _ if l.contains("lastschrift") || l.contains("directdebit") || l.contains("口座振替") => {
            "SEPA direct debit"
        }
        _ if l.starts_with("sepa") => "SEPA transfer",
        "creditcard" | "kreditkarte" | "クレジットカード" | "信用卡" => "Credit card",
        _ if l.starts_with("cartedecr") || l.starts_with("tarjetadecr") => "Credit card",
        "debitcard" => "Debit card",
        _ if l.starts_with("barzahlung")
            || l.contains("cash")
            || l.contains("espèces")
            || l.contains("efectivo") =>
        {
            "Cash"
        }
        _ => "Bank transfer",
    })
}

/// "Discover" and "Maestro" are also ordinary words: alone they need a payment label.
fn brand_is_unambiguous(brand: &str) -> bool {
    !matches!(brand, "Discover" | "Maestro")
}

/// The last four digits of a card in `s`, the first found.
fn last4_in(s: &str) -> Option<String> {
    RE_LAST4.captures_iter(s).find_map(|c| {
        let d = c.get(1)?;
        if s[d.end()..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        Some(d.as_str().to_string())
    })
}

fn direct4(s: &str) -> Option<String> {
    let c = RE_DIRECT4.captures(s)?;
    let d = c.get(1)?;
    if s[d.end()..].starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    Some(d.as_str().to_string())
}

pub(super) fn extract_payment(lines: &[&str], hints: &Hints) -> Option<Scored<String>> {
    // (score, order, value, confidence)
    let mut best: Option<(f32, usize, String, f32)> = None;
    let mut order = 0usize;
    let mut consider = |score: f32, value: String, conf: f32| {
        order += 1;
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, order, value, conf));
        }
    };
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let brands: Vec<regex::Captures> = RE_CARD_BRAND.captures_iter(line).collect();
        let wallets: Vec<(&'static str, usize)> = RE_WALLET
            .find_iter(line)
            .filter_map(|m| wallet_name(m.as_str()).map(|w| (w, m.start())))
            .collect();
        if brands.is_empty() && wallets.is_empty() {
            // A masked card number with card words but no brand: "Card ending in 1234".
            let lower = line.to_lowercase();
            let cardish = ["card", "karte", "carte", "tarjeta", "卡", "カード"]
                .iter()
                .any(|w| lower.contains(w));
            let labelled = RE_PAY_LABEL.is_match(line);
            if cardish || labelled {
                if let Some(l4) = last4_in(line) {
                    consider(1.0, format!("Card •••• {l4}"), 0.5);
                    continue;
                }
            }
            if labelled && RE_CASH.is_match(line) {
                consider(3.0, "Cash".to_string(), 0.75);
            }
            continue;
        }
        let mut names: Vec<&str> = brands
            .iter()
            .filter_map(|c| c.get(0).map(|m| card_brand_name(m.as_str())))
            .chain(wallets.iter().map(|(w, _)| *w))
            .collect();
        names.sort();
        names.dedup();
        if names.len() >= 3 || RE_ACCEPT.is_match(line) {
            continue; // "We accept Visa, Mastercard, PayPal"
        }
        let label = if RE_PAY_LABEL.is_match(line)
            || i.checked_sub(1)
                .and_then(|p| lines.get(p))
                .is_some_and(|p| {
                    p.trim().chars().count() <= MAX_LABEL_CHARS && RE_PAY_LABEL.is_match(p)
                }) {
            2.0
        } else {
            0.0
        };
        let wrapper = wallets
            .iter()
            .find(|(w, _)| matches!(*w, "Apple Pay" | "Google Pay"))
            .map(|(w, _)| *w);
        let mut card: Option<String> = None;
        for c in &brands {
            let Some(m) = c.get(0) else { continue };
            let brand = card_brand_name(m.as_str());
            let after = head(&line[m.end()..], 60);
            let l4 = direct4(after)
                .or_else(|| last4_in(after))
                .or_else(|| last4_in(tail(&line[..m.start()], 40)))
                .or_else(|| lines.get(i + 1).and_then(|n| last4_in(head(n, 60))));
            match l4 {
                Some(l4) => {
                    card = Some(format!("{brand} •••• {l4}"));
                    break;
                }
                None => {
                    if card.is_none() {
                        card = Some(brand.to_string());
                    }
                }
            }
        }
        if let Some(card) = card {
            let with_digits = card.contains('•');
            let value = match wrapper {
                Some(w) => format!("{w} ({card})"),
                None => card,
            };
            if with_digits {
                consider(3.0 + label, value, 0.9);
            } else if label > 0.0 || brand_is_unambiguous(&value) {
                let conf = if label > 0.0 { 0.75 } else { 0.55 };
                consider(1.5 + label, value, conf);
            }
        } else if let Some((w, _)) = wallets.first() {
            let conf = if label > 0.0 { 0.85 } else { 0.65 };
            // "Kreditkarte" on the total line says less than "Debit MasterCard" on the slip.
            let generic = matches!(*w, "Credit card" | "Debit card");
            consider(
                if generic { 1.0 } else { 2.0 } + label,
                (*w).to_string(),
                conf,
            );
        }
    }
    if let Some((_, _, v, c)) = best {
        return Some(scored(v, c));
    }
    // PayPal's and Klarna's own receipts often never name the method.
    let org = hints.email_from.and_then(sender_org)?;
    let name = match org.as_str() {
        "paypal" => "PayPal",
        "klarna" => "Klarna",
        _ => return None,
    };
    Some(scored(name.to_string(), 0.6))
}
