//! Labelled set 1a: receipt emails built from known values.
//!
//! Each email draws a language (EN US/GB/MY, DE, DE-CH, FR, ES, ZH, JA, SV), a currency and
//! how it is written (symbol or ISO code, before or after, grouping and decimal separators),
//! a date notation, a sender style (display name, generic words, bare no-reply address),
//! an order or invoice number, a payment method, line items, and the parts of a total that
//! must not be taken for it (subtotal, tax, shipping, tip, discount), other dates (delivery,
//! coupon expiry) and a body layout: text only, HTML only (the body IS the receipt), or both.
//! When the MIT receipt templates (Postmark, Mailgun) are in the corpora folder, some
//! emails fill them instead (read at run time, never copied into the repository).

use crate::rng::Rng;
use crate::score::Label;
use base64::Engine;
use chrono::{Datelike, Duration, NaiveDate};
use std::fmt::Write;
use vault_core::{Currency, Money};

mod lang;
mod templates;

use lang::{
    cur_styles, merchants, words, CurStyle, Lang, Words, LANGS, MONTHS_DE, MONTHS_EN, MONTHS_ES,
    MONTHS_FR,
};
use templates::fill;
pub use templates::Templates;

pub struct EmailCase {
    pub name: String,
    pub raw: Vec<u8>,
    pub label: Label,
}

fn fmt_money(minor: i64, c: &CurStyle) -> String {
    let cur = Currency::parse(c.code).map(|c| c.exponent()).unwrap_or(2);
    let div = 10i64.pow(cur);
    let (int, frac) = (minor / div, minor % div);
    let digits = int.to_string();
    let mut grouped = String::new();
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            grouped.push_str(c.group);
        }
        grouped.push(ch);
    }
    let num = if cur == 0 {
        grouped
    } else {
        format!("{grouped}{}{:0w$}", c.dec, frac, w = cur as usize)
    };
    format!("{}{}{}", c.pre, num, c.post)
}

/// The date as this language writes it, with the time sometimes.
fn fmt_date(d: NaiveDate, l: Lang, rng: &mut Rng) -> String {
    let (y, m, dd) = (d.year(), d.month(), d.day());
    let mi = (m - 1) as usize;
    let h = rng.range(7, 22);
    let min = rng.range(0, 59);
    let time = if rng.chance(0.3) {
        format!(" {h:02}:{min:02}")
    } else {
        String::new()
    };
    let s = match l {
        Lang::EnUs => match rng.below(6) {
            0 => format!("{} {dd}, {y}", MONTHS_EN[mi]),
            1 => format!("{} {dd}, {y}", &MONTHS_EN[mi][..3]),
            2 => format!("{m:02}/{dd:02}/{y}"),
            3 => format!("{m}/{dd}/{:02}", y % 100),
            4 => format!("{y}-{m:02}-{dd:02}"),
            _ => format!("{}, {} {dd}, {y}", d.format("%A"), MONTHS_EN[mi]),
        },
        Lang::EnGb | Lang::EnMy => match rng.below(4) {
            0 => format!("{dd} {} {y}", MONTHS_EN[mi]),
            1 => format!("{dd:02}/{m:02}/{y}"),
            2 => format!("{dd} {} {y}", &MONTHS_EN[mi][..3]),
            _ => format!("{y}-{m:02}-{dd:02}"),
        },
        Lang::De | Lang::DeCh => match rng.below(4) {
            0 => format!("{dd:02}.{m:02}.{y}"),
            1 => format!("{dd}. {} {y}", MONTHS_DE[mi]),
            2 => format!("{dd:02}.{m:02}.{:02}", y % 100),
            _ => format!("{y}-{m:02}-{dd:02}"),
        },
        Lang::Fr => match rng.below(3) {
            0 if dd == 1 => format!("1er {} {y}", MONTHS_FR[mi]),
            0 => format!("{dd} {} {y}", MONTHS_FR[mi]),
            1 => format!("{dd:02}/{m:02}/{y}"),
            _ => format!("{dd} {} {y}", MONTHS_FR[mi]),
        },
        Lang::Es => match rng.below(3) {
            0 => format!("{dd} de {} de {y}", MONTHS_ES[mi]),
            1 => format!("{dd:02}/{m:02}/{y}"),
            _ => format!("{dd} {} {y}", MONTHS_ES[mi]),
        },
        Lang::Zh => match rng.below(3) {
            0 => format!("{y}年{m}月{dd}日"),
            1 => format!("{y}-{m:02}-{dd:02}"),
            _ => format!("{y}/{m:02}/{dd:02}"),
        },
        Lang::Ja => match rng.below(3) {
            0 => format!("{y}年{m}月{dd}日"),
            1 => format!("{y}/{m:02}/{dd:02}"),
            _ => format!("{y}年{m:02}月{dd:02}日"),
        },
        Lang::Sv => match rng.below(2) {
            0 => format!("{y}-{m:02}-{dd:02}"),
            _ => format!(
                "{dd} {} {y}",
                MONTHS_FR[mi].replace('é', "e").replace("août", "augusti")
            ),
        },
    };
    format!("{s}{time}")
}

fn order_number(rng: &mut Rng, l: Lang) -> String {
    let digits = |rng: &mut Rng, n: usize| -> String {
        (0..n)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect()
    };
    match (l, rng.below(6)) {
        (Lang::Zh, _) => format!("2026{}", digits(rng, 14)),
        (_, 0) => digits(rng, 6),
        (_, 1) => format!("{}-{}-{}", digits(rng, 3), digits(rng, 7), digits(rng, 7)),
        (_, 2) => format!("ORD-{}-{}", 2026, digits(rng, 6)),
        (_, 3) => {
            let a = char::from(b'A' + rng.below(26) as u8);
            let b = char::from(b'A' + rng.below(26) as u8);
            format!("{a}{b}{}", digits(rng, 8))
        }
        (_, 4) => format!("INV-{}", digits(rng, 5)),
        _ => format!("{}-{}", digits(rng, 4), digits(rng, 4)),
    }
}

/// (text as written, label as the extractor names it)
fn payment(rng: &mut Rng, l: Lang) -> (String, String) {
    let last4 = format!("{:04}", rng.below(10_000));
    let brands = ["Visa", "Mastercard", "Amex", "JCB", "Visa", "Mastercard"];
    let brand = rng.pick(&brands);
    let card = |form: u64| -> String {
        match (l, form) {
            (Lang::De | Lang::DeCh, 0) => format!("{brand} endet auf {last4}"),
            (Lang::Fr, 0) => format!("Carte {brand} se terminant par {last4}"),
            (Lang::Es, 0) => format!("Tarjeta {brand} terminada en {last4}"),
            (Lang::Zh, 0) => format!("{brand} 信用卡 尾号{last4}"),
            (_, 0) => format!("{brand} ending in {last4}"),
            (_, 1) => format!("{brand} •••• {last4}"),
            (_, 2) => format!("{} **** **** **** {last4}", brand.to_uppercase()),
            _ => format!("{brand} xxxx-{last4}"),
        }
    };
    let card_label = format!("{brand} •••• {last4}");
    let transfer = match l {
        Lang::De | Lang::DeCh => "Banküberweisung",
        Lang::Fr => "Virement bancaire",
        Lang::Es => "Transferencia bancaria",
        Lang::Zh => "银行转账",
        Lang::Ja => "銀行振込",
        _ => "Bank transfer",
    };
    let wallets: &[(&str, &str)] = match l {
        Lang::Zh => &[
            ("支付宝", "Alipay"),
            ("微信支付", "WeChat Pay"),
            ("Alipay", "Alipay"),
            ("WeChat Pay", "WeChat Pay"),
        ],
        Lang::Ja => &[("PayPal", "PayPal"), ("Apple Pay", "Apple Pay")],
        _ => &[
            ("PayPal", "PayPal"),
            ("Apple Pay", "Apple Pay"),
            ("Google Pay", "Google Pay"),
        ],
    };
    match rng.below(10) {
        0..=4 => (card(rng.below(4)), card_label),
        5..=7 => {
            let (t, lab) = rng.pick(wallets);
            (t.to_string(), lab.to_string())
        }
        8 => (transfer.to_string(), "Bank transfer".to_string()),
        _ => (
            format!("Apple Pay ({})", card(1)),
            format!("Apple Pay ({card_label})"),
        ),
    }
}

/// Everything an email says, before layout.
struct Receipt {
    lang: Lang,
    merchant: &'static str,
    domain: &'static str,
    latin: bool,
    cur: CurStyle,
    currency: Currency,
    items: Vec<(String, i64, i64)>,
    /// (label, amount, what) lines between the items and the total.
    parts: Vec<(String, String, Option<&'static str>)>,
    total_label: &'static str,
    total: i64,
    date: NaiveDate,
    date_text: String,
    date_label: &'static str,
    other_dates: Vec<(String, String, NaiveDate, &'static str)>,
    order: String,
    order_label: &'static str,
    pay_text: String,
    pay_label: &'static str,
    thanks: &'static str,
    subject: String,
    qty: &'static str,
    /// A footnote naming the currency ("All amounts in NOK") when the symbol alone is ambiguous.
    footnote: Option<String>,
}

fn money(minor: i64, c: Currency) -> Money {
    Money { minor, currency: c }
}

/// The language, currency and notation one email is written in.
struct Setting {
    lang: Lang,
    w: Words,
    cur: CurStyle,
    currency: Currency,
    /// Digits of the currency's minor unit, and 10 to that power.
    exp: u32,
    unit: i64,
}

/// Lines between the items and the total: (label, amount, what).
type Parts = Vec<(String, String, Option<&'static str>)>;

/// Draw one receipt and its label.
fn build(rng: &mut Rng) -> (Receipt, Label) {
    let lang = rng.pick(LANGS);
    let w = words(lang);
    let (merchant, domain, latin) = rng.pick(merchants(lang));
    let cur = rng.pick(&cur_styles(lang));
    let currency =
        Currency::parse(cur.code).unwrap_or_else(|| Currency::parse("EUR").expect("EUR is known"));
    let exp = currency.exponent();
    let st = Setting {
        lang,
        w,
        cur,
        currency,
        exp,
        unit: 10i64.pow(exp),
    };
    let items = items(rng, &st);
    let subtotal: i64 = items.iter().map(|(_, q, p)| q * p).sum();
    let mut label = Label::default();
    let (mut parts, mut total) = extras(rng, &st, subtotal, &mut label);
    tax(rng, &st, subtotal, &mut parts, &mut total, &mut label);
    let (date, date_text, other_dates) = dates(rng, &st);
    let order = order_number(rng, lang);
    let (pay_text, pay_label_value) = payment(rng, lang);
    let w = &st.w;
    let subject = rng
        .pick(w.subject)
        .replace("{m}", merchant)
        .replace("{o}", &order);
    let footnote = (cur.code == "NOK").then(|| "Alle beløp i NOK.".to_string());

    label.amount = Some(money(total, currency));
    label.date = Some(date);
    label.merchant = Some(merchant.to_string());
    label.order_ref = Some(order.clone());
    label.payment = Some(pay_label_value);
    label.other_dates = other_dates
        .iter()
        .map(|(_, _, d, what)| (*d, *what))
        .collect();
    let r = Receipt {
        lang,
        merchant,
        domain,
        latin,
        cur,
        currency,
        items,
        parts,
        total_label: rng.pick(w.total),
        total,
        date,
        date_text,
        date_label: rng.pick(w.date),
        other_dates,
        order,
        order_label: rng.pick(w.order),
        pay_text,
        pay_label: rng.pick(w.pay),
        thanks: w.thanks,
        subject,
        qty: w.qty,
        footnote,
    };
    (r, label)
}

/// The line items: (name, quantity, unit price). Prices: mostly small, sometimes four
/// figures so that grouping shows.
fn items(rng: &mut Rng, st: &Setting) -> Vec<(String, i64, i64)> {
    let (exp, unit) = (st.exp, st.unit);
    let scale = if exp == 0 { 100 } else { 1 };
    let n_items = rng.range(1, 4) as usize;
    let mut items = Vec::new();
    for _ in 0..n_items {
        let big = rng.chance(0.15);
        let price = if big {
            rng.range(1000, 2500) * unit + rng.range(0, unit - 1)
        } else {
            rng.range(1, 120) * unit + rng.range(0, unit - 1)
        };
        let price = if exp == 0 { price * scale / 10 } else { price };
        let qty = if rng.chance(0.2) { rng.range(2, 3) } else { 1 };
        items.push((rng.pick(st.w.items).to_string(), qty, price));
    }
    items
}

/// The subtotal, discount, shipping and tip lines (each drawn or not), noted as
/// distractors: the lines and the total they make with the items.
fn extras(rng: &mut Rng, st: &Setting, subtotal: i64, label: &mut Label) -> (Parts, i64) {
    let (w, cur, currency, exp, unit) = (&st.w, &st.cur, st.currency, st.exp, st.unit);
    let mut parts: Parts = Vec::new();
    let mut total = subtotal;
    let show_sub = rng.chance(0.8);
    if show_sub {
        parts.push((
            w.subtotal.to_string(),
            fmt_money(subtotal, cur),
            Some("subtotal"),
        ));
        label
            .distractors
            .push((money(subtotal, currency), "subtotal"));
    }
    let discount = if rng.chance(0.2) {
        (subtotal / 10).max(1)
    } else {
        0
    };
    if discount > 0 {
        parts.push((
            w.discount.to_string(),
            format!("-{}", fmt_money(discount, cur)),
            Some("discount"),
        ));
        label
            .distractors
            .push((money(discount, currency), "discount"));
        total -= discount;
    }
    let shipping = if rng.chance(0.4) {
        rng.range(3, 9) * unit * if exp == 0 { 100 } else { 1 } + if exp == 0 { 0 } else { 99 }
    } else {
        0
    };
    if shipping > 0 {
        parts.push((
            w.shipping.to_string(),
            fmt_money(shipping, cur),
            Some("shipping"),
        ));
        label
            .distractors
            .push((money(shipping, currency), "shipping"));
        total += shipping;
    }
    let tip = match w.tip {
        Some(t) if rng.chance(0.12) => {
            let tip = (subtotal * 15 / 100).max(1);
            parts.push((t.to_string(), fmt_money(tip, cur), Some("tip")));
            label.distractors.push((money(tip, currency), "tip"));
            tip
        }
        _ => 0,
    };
    total += tip;
    (parts, total)
}

/// The tax line, most of the time: the share of an inclusive total where prices
/// include it, else a rate on the subtotal added to the total.
fn tax(
    rng: &mut Rng,
    st: &Setting,
    subtotal: i64,
    parts: &mut Parts,
    total: &mut i64,
    label: &mut Label,
) {
    let (lang, cur, currency) = (st.lang, &st.cur, st.currency);
    let inclusive = matches!(
        lang,
        Lang::De | Lang::DeCh | Lang::Fr | Lang::Es | Lang::Sv | Lang::Ja
    ) || lang == Lang::EnGb;
    if rng.chance(0.75) {
        let tax_label = rng.pick(st.w.tax);
        let tax = if inclusive {
            // Prices include the tax: state the share.
            let rate = match lang {
                Lang::De => 19,
                Lang::DeCh => 8,
                Lang::Fr | Lang::EnGb => 20,
                Lang::Es => 21,
                Lang::Sv => 25,
                _ => 10,
            };
            let t = *total * rate / (100 + rate);
            parts.push((tax_label.to_string(), fmt_money(t, cur), Some("tax")));
            t
        } else {
            let rate = if lang == Lang::EnMy {
                6
            } else {
                rng.range(5, 10)
            };
            let t = subtotal * rate / 100;
            parts.push((tax_label.to_string(), fmt_money(t, cur), Some("tax")));
            *total += t;
            t
        };
        if tax > 0 {
            label.tax = Some(money(tax, currency));
            label.distractors.push((money(tax, currency), "tax"));
        }
    }
}

/// Other dates an email states: (label, as written, date, what).
type OtherDates = Vec<(String, String, NaiveDate, &'static str)>;

/// The receipt's date, the date as written, and the other dates the email states
/// (delivery, coupon expiry), each drawn or not.
fn dates(rng: &mut Rng, st: &Setting) -> (NaiveDate, String, OtherDates) {
    let (lang, w) = (st.lang, &st.w);
    let year = rng.range(2019, 2026) as i32;
    let date =
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default() + Duration::days(rng.range(0, 364));
    let date_text = fmt_date(date, lang, rng);
    let mut other_dates = Vec::new();
    if rng.chance(0.3) {
        let d = date + Duration::days(rng.range(2, 9));
        other_dates.push((
            w.delivery.to_string(),
            fmt_date(d, lang, rng),
            d,
            "delivery",
        ));
    }
    if rng.chance(0.15) {
        let d = date + Duration::days(rng.range(30, 90));
        other_dates.push((
            w.coupon.to_string(),
            fmt_date(d, lang, rng),
            d,
            "coupon expiry",
        ));
    }
    (date, date_text, other_dates)
}

/// The From header, in one of the styles senders use; the merchant label stays the name.
fn from_header(r: &Receipt, rng: &mut Rng) -> String {
    let local = rng.pick(&[
        "receipts",
        "no-reply",
        "noreply",
        "orders",
        "billing",
        "do-not-reply",
        "info",
    ]);
    let addr = format!(
        "{local}@{}",
        if rng.chance(0.3) {
            format!("mail.{}", r.domain)
        } else {
            r.domain.to_string()
        }
    );
    let name = encode_word(r.merchant);
    match rng.below(if r.latin { 5 } else { 4 }) {
        0 if r.merchant.is_ascii() => format!("\"{}\" <{addr}>", r.merchant),
        0 => format!("{name} <{addr}>"),
        1 => format!("{name} <{addr}>"),
        2 => format!(
            "{} <{addr}>",
            encode_word(&format!("{} Receipts", r.merchant))
        ),
        3 => format!(
            "{} <{addr}>",
            encode_word(&format!("{} (no-reply)", r.merchant))
        ),
        _ => addr,
    }
}

/// RFC 2047 encoded word for non-ASCII header text.
fn encode_word(s: &str) -> String {
    if s.is_ascii() {
        s.to_string()
    } else {
        format!(
            "=?UTF-8?B?{}?=",
            base64::engine::general_purpose::STANDARD.encode(s)
        )
    }
}

fn text_body(r: &Receipt, rng: &mut Rng) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}\n", r.thanks);
    let aligned = rng.chance(0.5);
    let kv = |s: &mut String, k: &str, v: &str| {
        if aligned {
            let pad = 28usize.saturating_sub(k.chars().count());
            let _ = writeln!(s, "{k}{}{v}", " ".repeat(pad.max(2)));
        } else {
            let _ = writeln!(s, "{k}: {v}");
        }
    };
    kv(&mut s, r.order_label, &r.order);
    kv(&mut s, r.date_label, &r.date_text);
    s.push('\n');
    for (name, q, p) in &r.items {
        if *q > 1 {
            let _ = writeln!(
                s,
                "{name}  {} {q} x {}   {}",
                r.qty,
                fmt_money(*p, &r.cur),
                fmt_money(q * p, &r.cur)
            );
        } else {
            let _ = writeln!(s, "{name}   {}", fmt_money(*p, &r.cur));
        }
    }
    s.push('\n');
    let total_first = rng.chance(0.15);
    if total_first {
        kv(&mut s, r.total_label, &fmt_money(r.total, &r.cur));
    }
    for (k, v, _) in &r.parts {
        kv(&mut s, k, v);
    }
    if !total_first {
        kv(&mut s, r.total_label, &fmt_money(r.total, &r.cur));
    }
    s.push('\n');
    kv(&mut s, r.pay_label, &r.pay_text);
    for (k, v, _, _) in &r.other_dates {
        kv(&mut s, k, v);
    }
    if let Some(f) = &r.footnote {
        let _ = writeln!(s, "\n{f}");
    }
    let _ = writeln!(s, "\n{}\n{}", r.merchant, footer(r));
    s
}

fn footer(r: &Receipt) -> &'static str {
    match r.lang {
        Lang::De | Lang::DeCh => "Musterstraße 12, 10115 Berlin · Tel. 030 1234567",
        Lang::Fr => "12 rue des Lilas, 75011 Paris",
        Lang::Es => "Calle Mayor 5, 28013 Madrid",
        Lang::Zh => "上海市黄浦区南京东路 100 号",
        Lang::Ja => "東京都千代田区丸の内 1-1-1",
        Lang::Sv => "Storgatan 1, 111 22 Stockholm",
        _ => "1234 Main Street, Springfield · support@example.com",
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn html_body(r: &Receipt, rng: &mut Rng) -> String {
    let mut s = String::new();
    let _ = write!(s, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>td{{padding:4px}}</style></head><body>");
    let _ = write!(
        s,
        "<table width=\"100%\"><tr><td><h1>{}</h1></td></tr></table>",
        esc(r.merchant)
    );
    let _ = write!(s, "<p>{}</p>", esc(r.thanks));
    let row = |s: &mut String, k: &str, v: &str| {
        let _ = write!(
            s,
            "<tr><td>{}</td><td align=\"right\">{}</td></tr>",
            esc(k),
            esc(v)
        );
    };
    let _ = write!(s, "<table>");
    row(&mut s, r.order_label, &r.order);
    row(&mut s, r.date_label, &r.date_text);
    let _ = write!(s, "</table><table>");
    for (name, q, p) in &r.items {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{q}</td><td align=\"right\">{}</td></tr>",
            esc(name),
            esc(&fmt_money(q * p, &r.cur))
        );
    }
    let _ = write!(s, "</table><table>");
    for (k, v, _) in &r.parts {
        row(&mut s, k, v);
    }
    if rng.chance(0.5) {
        let _ = write!(
            s,
            "<tr><td><strong>{}</strong></td><td align=\"right\"><strong>{}</strong></td></tr>",
            esc(r.total_label),
            esc(&fmt_money(r.total, &r.cur))
        );
    } else {
        row(&mut s, r.total_label, &fmt_money(r.total, &r.cur));
    }
    let _ = write!(s, "</table><table>");
    row(&mut s, r.pay_label, &r.pay_text);
    for (k, v, _, _) in &r.other_dates {
        row(&mut s, k, v);
    }
    let _ = write!(s, "</table>");
    if let Some(f) = &r.footnote {
        let _ = write!(s, "<p>{}</p>", esc(f));
    }
    let _ = write!(
        s,
        "<p style=\"color:#999\">{}<br>{}</p></body></html>",
        esc(r.merchant),
        esc(footer(r))
    );
    s
}

/// A body part: headers and encoded content.
fn part(ctype: &str, body: &str, rng: &mut Rng) -> String {
    if body.is_ascii() && rng.chance(0.5) {
        format!(
            "Content-Type: {ctype}; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n{}\r\n",
            body.replace('\n', "\r\n")
        )
    } else if rng.chance(0.5) {
        let b64 = base64::engine::general_purpose::STANDARD.encode(body.as_bytes());
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(76)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect();
        format!("Content-Type: {ctype}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n", lines.join("\r\n"))
    } else {
        format!("Content-Type: {ctype}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{}\r\n", quoted_printable(body))
    }
}

fn quoted_printable(s: &str) -> String {
    let mut out = String::new();
    for line in s.split('\n') {
        let mut cur = 0;
        for b in line.bytes() {
            let enc = if (b == b' ' || b == b'\t' || (33..=126).contains(&b)) && b != b'=' {
                (b as char).to_string()
            } else {
                format!("={b:02X}")
            };
            if cur + enc.len() > 73 {
                out.push_str("=\r\n");
                cur = 0;
            }
            cur += enc.len();
            out.push_str(&enc);
        }
        out.push_str("\r\n");
    }
    out
}

fn message(
    r: &Receipt,
    from: &str,
    body_parts: &[(&str, String)],
    rng: &mut Rng,
    n: usize,
) -> Vec<u8> {
    let mut m = String::new();
    let t = r
        .date
        .and_hms_opt(rng.range(7, 22) as u32, rng.range(0, 59) as u32, 0)
        .unwrap_or_default();
    let _ = write!(
        m,
        "From: {from}\r\nTo: customer@example.org\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: <eval-{n}@{}>\r\nMIME-Version: 1.0\r\n",
        encode_word(&r.subject),
        t.format("%a, %d %b %Y %H:%M:%S +0100"),
        r.domain
    );
    if body_parts.len() == 1 {
        let (ct, b) = &body_parts[0];
        m.push_str(&part(ct, b, rng));
    } else {
        let boundary = format!("=_eval_{n}_{}", rng.next_u64());
        let _ = write!(
            m,
            "Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n"
        );
        for (ct, b) in body_parts {
            let _ = write!(m, "--{boundary}\r\n{}", part(ct, b, rng));
        }
        let _ = write!(m, "--{boundary}--\r\n");
    }
    m.into_bytes()
}

/// `n` labelled emails for one seed.
pub fn generate(seed: u64, n: usize, templates: &Templates) -> Vec<EmailCase> {
    let mut master = Rng::new(seed);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut rng = master.fork(i as u64);
        let (mut r, mut label) = build(&mut rng);
        let from = from_header(&r, &mut rng);
        let use_template =
            templates.len() > 0 && matches!(r.lang, Lang::EnUs | Lang::EnGb) && rng.chance(0.35);
        let (layout, parts): (String, Vec<(&str, String)>) = if use_template {
            let (name, html, txt) = &templates.list[rng.below(templates.len() as u64) as usize];
            // These templates state only a card, a total, a date and a reference.
            let last4 = format!("{:04}", rng.below(10_000));
            let brand = rng.pick(&["Visa", "Mastercard", "Amex"]);
            r.pay_text = format!("{brand} {last4}");
            label.payment = Some(format!("{brand} •••• {last4}"));
            label.tax = None;
            label.distractors.clear();
            label.other_dates.clear();
            r.other_dates.clear();
            let has_card = html.contains("credit_card_last_four");
            if !has_card {
                label.payment = None;
            }
            if !html.contains("receipt_id") && !html.contains("invoice_id") {
                label.order_ref = None;
            }
            let mut parts = vec![("text/html", fill(html, &r))];
            if let Some(t) = txt {
                if rng.chance(0.5) {
                    parts.insert(0, ("text/plain", fill(t, &r)));
                }
            }
            (name.clone(), parts)
        } else {
            match rng.below(3) {
                0 => ("text".into(), vec![("text/plain", text_body(&r, &mut rng))]),
                1 => ("html".into(), vec![("text/html", html_body(&r, &mut rng))]),
                _ => (
                    "text+html".into(),
                    vec![
                        ("text/plain", text_body(&r, &mut rng)),
                        ("text/html", html_body(&r, &mut rng)),
                    ],
                ),
            }
        };
        let raw = message(&r, &from, &parts, &mut rng, i);
        let _ = r.currency;
        out.push(EmailCase {
            name: format!("email-{i:04} [{:?} {layout} {}]", r.lang, r.cur.code),
            raw,
            label,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::templates::mailgun_placeholders;
    use super::*;

    #[test]
    fn same_seed_same_emails() {
        let t = Templates { list: Vec::new() };
        let a = generate(1, 20, &t);
        let b = generate(1, 20, &t);
        assert_eq!(a.len(), 20);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.raw, y.raw);
        }
        assert_ne!(generate(2, 1, &t)[0].raw, a[0].raw);
    }

    /// Two made-up templates in the shapes of the MIT ones: a receipt with a card, items,
    /// an expiry date and a leftover placeholder; an invoice without a card.
    fn test_templates() -> Templates {
        let receipt = "<h1>[Product Name]</h1><p>{{ purchase_date }} {{receipt_id}}</p>\
<table>{{#each receipt_details}}<tr><td>{{description}}</td><td>{{amount}}</td></tr>{{/each}}\
<tr><td>Total</td><td>{{total}}</td></tr></table>\
<p>{{credit_card_brand}} {{credit_card_last_four}}</p><p>{{expiration_date}} {{support_url}}</p>";
        let invoice = "<h1>[Company Name, LLC]</h1><p>{{date}} {{invoice_id}} {{ due_date }}</p>\
<table>{{#each invoice_details}}<tr><td>{{description}}</td><td>{{amount}}</td></tr>{{/each}}</table>\
<p>{{total}} {{name}}</p>";
        Templates {
            list: vec![
                (
                    "test-receipt".into(),
                    receipt.into(),
                    Some("[Product Name]\n{{receipt_id}}\n{{total}}\n".into()),
                ),
                ("test-invoice".into(), invoice.into(), None),
            ],
        }
    }

    /// A digest of everything `generate` makes for fixed seeds, with and without templates,
    /// taken before `build` was split into steps: the random draws, their order and the
    /// emails and labels they give must stay the same (the eval figures depend on them).
    #[test]
    fn generated_emails_unchanged() {
        use sha2::{Digest, Sha256};
        let none = Templates { list: Vec::new() };
        let some = test_templates();
        let mut h = Sha256::new();
        let mut n = 0;
        for (seed, t) in [(1, &none), (7, &none), (3, &some)] {
            for c in generate(seed, 300, t) {
                h.update(c.name.as_bytes());
                h.update(&c.raw);
                h.update(format!("{:?}", c.label).as_bytes());
                n += 1;
            }
        }
        assert_eq!(n, 900);
        assert_eq!(
            hex::encode(h.finalize()),
            "4a9401b9c01524df6463cfd684d94b8321b90619e633d90fe9826ff1f50f402e"
        );
    }

    #[test]
    fn money_notations() {
        let de = CurStyle {
            code: "EUR",
            pre: "",
            post: " €",
            dec: ',',
            group: ".",
        };
        assert_eq!(fmt_money(123456, &de), "1.234,56 €");
        let ch = CurStyle {
            code: "CHF",
            pre: "CHF ",
            post: "",
            dec: '.',
            group: "'",
        };
        assert_eq!(fmt_money(123450, &ch), "CHF 1'234.50");
        let jp = CurStyle {
            code: "JPY",
            pre: "¥",
            post: "",
            dec: '.',
            group: ",",
        };
        assert_eq!(fmt_money(1234, &jp), "¥1,234");
        assert_eq!(fmt_money(5, &de), "0,05 €");
    }

    #[test]
    fn generated_emails_parse_and_carry_their_values() {
        let t = Templates { list: Vec::new() };
        for c in generate(7, 40, &t) {
            let mail = vault_core::capture::email::parse(&c.raw);
            assert!(mail.warnings.is_empty(), "{}: {:?}", c.name, mail.warnings);
            assert!(!mail.text.is_empty(), "{}", c.name);
            let m = c.label.merchant.unwrap();
            assert!(!m.is_empty());
        }
    }

    #[test]
    fn mailgun_sample_values_become_placeholders() {
        let tpl = "<h1>$33.98 Paid</h1><h2>Thanks for using Acme Inc.</h2>\
<table><tr><td>Lee Munroe<br />Invoice #12345<br />June 01 2014</td></tr>\
<tr><td>Service 1</td><td>$ 19.99</td></tr><tr><td>Service 2</td><td>$ 9.99</td></tr>\
<tr><td>Service 3</td><td>$ 4.00</td></tr><tr><td>Total</td><td>$ 33.98</td></tr></table>\
<p>Acme Inc. 123 Van Ness</p><a href=\"mailto:\">support@acme.inc</a>";
        let out = mailgun_placeholders(tpl).expect("the shape is known");
        assert_eq!(out.matches("{{total}}").count(), 2, "{out}");
        assert_eq!(out.matches("{{#each").count(), 1, "{out}");
        assert!(
            !out.contains("Service 2") && !out.contains("19.99"),
            "{out}"
        );
        assert!(
            out.contains("{{invoice_id}}") && out.contains("{{date}}"),
            "{out}"
        );
        assert!(mailgun_placeholders("<p>nothing</p>").is_none());
    }
}
