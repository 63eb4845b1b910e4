//! The merchant named by an email's From header: its display name when that names someone
//! ("Amazon.de <x@amazon.de>" -> "Amazon.de"), else the organisation of its domain
//! ("noreply@mail.paypal.co.uk" -> "paypal"); mail providers and generic words
//! ("noreply", "Receipts") say nothing.

use super::text::head;

/// Display-name words that say nothing about who sent a message.
const GENERIC_SENDER_WORDS: &[&str] = &[
    "noreply",
    "donotreply",
    "do",
    "not",
    "no",
    "reply",
    "notifications",
    "notification",
    "notify",
    "service",
    "services",
    "info",
    "information",
    "receipts",
    "receipt",
    "billing",
    "support",
    "orders",
    "order",
    "mailer",
    "mailerdaemon",
    "daemon",
    "team",
    "hello",
    "contact",
    "admin",
    "account",
    "accounts",
    "payments",
    "payment",
    "invoice",
    "invoices",
    "sales",
    "news",
    "newsletter",
    "confirm",
    "confirmation",
    "customer",
    "customerservice",
    "care",
    "help",
    "auto",
    "automated",
    "autoconfirm",
    "system",
    "alerts",
    "alert",
    "mail",
    "email",
    "shipping",
    "kundenservice",
    "kundendienst",
    "bestellbestaetigung",
    "bestellbestätigung",
    "bestellung",
    "rechnung",
    "rechnungen",
    "versandbestaetigung",
    "versandbestätigung",
];

/// Mail providers and bulk senders: their domain says nothing about the merchant.
const PROVIDER_DOMAINS: &[&str] = &[
    "gmail",
    "googlemail",
    "outlook",
    "hotmail",
    "live",
    "msn",
    "yahoo",
    "icloud",
    "me",
    "mac",
    "gmx",
    "web",
    "aol",
    "protonmail",
    "proton",
    "mail",
    "email",
    "posteo",
    "qq",
    "163",
    "126",
    "sendgrid",
    "mailgun",
    "amazonses",
    "mcsv",
    "mcdlv",
    "rsgsv",
    "mailchimp",
    "mandrillapp",
    "sparkpostmail",
    "exacttarget",
];

/// Second-level labels under a country code that belong to the public suffix
/// ("co.uk", "com.au", "co.jp", "com.cn", "ne.jp", ...).
const SECOND_LEVEL: &[&str] = &[
    "co", "com", "net", "org", "ac", "gov", "ne", "or", "edu", "gob", "ltd", "plc", "gv", "go",
];

fn is_generic_word(w: &str) -> bool {
    let n: String = w
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    n.is_empty() || GENERIC_SENDER_WORDS.contains(&n.as_str())
}

/// (display name, address) of a From header.
pub(super) fn split_from(from: &str) -> (Option<&str>, Option<&str>) {
    let from = from.trim();
    if let (Some(lt), Some(gt)) = (from.rfind('<'), from.rfind('>')) {
        if lt < gt {
            let display = from[..lt].trim();
            let addr = from[lt + 1..gt].trim();
            return (
                Some(display).filter(|d| !d.is_empty()),
                Some(addr).filter(|a| !a.is_empty()),
            );
        }
    }
    if from.contains('@') {
        (None, Some(from.trim_matches(['<', '>', '"', '\'', ' '])))
    } else {
        (Some(from).filter(|d| !d.is_empty()), None)
    }
}

/// The display name if it names someone: quotes stripped, generic words ("Receipts",
/// "Service", "no-reply") dropped from either end.
fn clean_display_name(d: &str) -> Option<String> {
    let d = d.trim().trim_matches(['"', '\'', ' ']).trim();
    if d.is_empty() || d.contains('@') || d.starts_with("=?") {
        return None;
    }
    let d = d.split(" via ").next().unwrap_or(d);
    let words: Vec<&str> = d.split_whitespace().collect();
    let first = words.iter().position(|w| !is_generic_word(w))?;
    let last = words.iter().rposition(|w| !is_generic_word(w))?;
    let name = words[first..=last].join(" ");
    let name = name
        .trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '.' | '!' | ')' | '&'))
        .to_string();
    if name.is_empty() || !name.chars().any(char::is_alphabetic) || name.chars().count() > 80 {
        return None;
    }
    Some(name)
}

/// The organisation label of the domain of an address ("noreply@mail.paypal.co.uk" ->
/// "paypal"), or None for mail providers.
pub(super) fn org_from_address(addr: &str) -> Option<String> {
    let domain = addr.rsplit('@').next()?.trim();
    let domain = domain
        .split(|c: char| c.is_whitespace() || c == '>')
        .next()
        .unwrap_or("")
        .trim_end_matches('.')
        .to_lowercase();
    let labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| !l.chars().all(|c| c.is_alphanumeric() || c == '-'))
    {
        return None;
    }
    let n = labels.len();
    let tld = labels[n - 1];
    let sld = labels[n - 2];
    let org = if n >= 3 && tld.len() == 2 && SECOND_LEVEL.contains(&sld) {
        labels[n - 3]
    } else {
        sld
    };
    if PROVIDER_DOMAINS.contains(&org) || !org.chars().any(|c| c.is_alphabetic()) {
        return None;
    }
    Some(org.to_string())
}

/// The organisation behind a From header's address, lower case.
pub(super) fn sender_org(from: &str) -> Option<String> {
    split_from(from).1.and_then(org_from_address)
}

/// Merchant from an email From header: the display name if it is meaningful, else the organisation domain
/// ("Amazon.de <x@amazon.de>" -> "Amazon.de"; "noreply@mail.paypal.com" -> "paypal"; "\"Apple\" <no_reply@email.apple.com>" -> "Apple").
pub fn merchant_from_sender(from: &str) -> Option<String> {
    sender_merchant(from).map(|(m, _)| m)
}

/// Like [`merchant_from_sender`], and whether the name came from the display name.
pub(super) fn sender_merchant(from: &str) -> Option<(String, bool)> {
    let from = head(from, 1000);
    let (display, addr) = split_from(from);
    if let Some(name) = display.and_then(clean_display_name) {
        return Some((name, true));
    }
    addr.and_then(org_from_address).map(|o| (o, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merchant_from_sender_cases() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "Amazon.de <bestellbestaetigung@amazon.de>",
                Some("Amazon.de"),
            ),
            ("noreply@mail.paypal.com", Some("paypal")),
            ("\"Apple\" <no_reply@email.apple.com>", Some("Apple")),
            ("PayPal <service@paypal.de>", Some("PayPal")),
            ("service <service@mail.paypal.co.uk>", Some("paypal")),
            ("no-reply <x@mail.shop.com.au>", Some("shop")),
            ("Notifications <a@news.rakuten.co.jp>", Some("rakuten")),
            ("Customer Service <cs@taobao.com.cn>", Some("taobao")),
            ("Uber Receipts <uber.us@uber.com>", Some("Uber")),
            ("\"noreply@foo.com\" <noreply@foo.com>", Some("foo")),
            (
                "Do Not Reply <donotreply@steampowered.com>",
                Some("steampowered"),
            ),
            (
                "Google Payments <payments-noreply@google.com>",
                Some("Google"),
            ),
            (
                "Acme Inc via Stripe <receipts@stripe.com>",
                Some("Acme Inc"),
            ),
            ("john@gmail.com", None),
            ("", None),
            ("<>", None),
            ("@", None),
            ("info", None),
            ("Ünïcødé Shöp <x@xn--shp-sna.de>", Some("Ünïcødé Shöp")),
            (
                "=?UTF-8?B?QXBwbGU=?= <no_reply@email.apple.com>",
                Some("apple"),
            ),
        ];
        for (from, want) in cases {
            assert_eq!(merchant_from_sender(from).as_deref(), *want, "{from:?}");
        }
    }
}
