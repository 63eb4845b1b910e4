//! The date of payment: every date of the text in the forms receipts write (2026-03-10,
//! 10.03.2026, 3 Oct 2026, Oct 3, 2026, 2026年3月10日) is read, classed by the words before
//! it (paid, ordered, or a date that is not the payment's: due, delivery, expiry), and the
//! best one taken.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::keywords::kw_regex;
use super::scored::{scored, Scored, MAX_CANDIDATES, MAX_LABEL_CHARS};
use super::text::{slice, Ctx};

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("jänner", 1),
    ("janvier", 1),
    ("janv", 1),
    ("enero", 1),
    ("ene", 1),
    ("gennaio", 1),
    ("januari", 1),
    ("janeiro", 1),
    ("february", 2),
    ("feb", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fevr", 2),
    ("febrero", 2),
    ("febbraio", 2),
    ("februari", 2),
    ("fevereiro", 2),
    ("march", 3),
    ("mar", 3),
    ("märz", 3),
    ("maerz", 3),
    ("mrz", 3),
    ("mars", 3),
    ("marzo", 3),
    ("maart", 3),
    ("mrt", 3),
    ("março", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("avr", 4),
    ("abril", 4),
    ("abr", 4),
    ("aprile", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("maggio", 5),
    ("mei", 5),
    ("maio", 5),
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("giugno", 6),
    ("junho", 6),
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("juillet", 7),
    ("juil", 7),
    ("julio", 7),
    ("luglio", 7),
    ("julho", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("ago", 8),
    ("augustus", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("settembre", 9),
    ("setembro", 9),
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("okt", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("outubro", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("dez", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    ("diciembre", 12),
    ("dic", 12),
    ("dicembre", 12),
    ("dezembro", 12),
    // Swedish, Norwegian, Danish.
    ("marts", 3),
    ("maj", 5),
    ("augusti", 8),
    ("desember", 12),
];

fn month_number(name: &str) -> Option<u32> {
    let lower = name.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(m, _)| *m == lower).map(|(_, n)| *n)
}

fn months_alternation() -> String {
    let mut names: Vec<&str> = MONTHS.iter().map(|(m, _)| *m).collect();
    names.sort_by_key(|m| std::cmp::Reverse(m.chars().count()));
    names
        .iter()
        .map(|m| regex::escape(m))
        .collect::<Vec<_>>()
        .join("|")
}

/// 2026-10-03, 2026/10/03, 2026.10.03
static RE_DATE_YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]{4})([-/.])([0-9]{1,2})([-/.])([0-9]{1,2})").expect("valid regex")
});
/// 2026年10月3日, 2026년 10월 3일
static RE_DATE_CJK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]{4})\s*[年년]\s*([0-9]{1,2})\s*[月월]\s*([0-9]{1,2})\s*[日일]?")
        .expect("valid regex")
});
/// 03.10.2026, 10/03/2026, 03-10-2026, 03.10.26
static RE_DATE_NUM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([0-9]{1,2})([-/.])([0-9]{1,2})([-/.])([0-9]{4}|[0-9]{2})").expect("valid regex")
});
/// A time of day right after a date: " 11:53", "  9.05", " 18h30".
static RE_TIME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s{1,3}[0-9]{1,2}[:.h][0-5][0-9](?:[^0-9]|$)").expect("valid regex")
});
/// 02. 05. 2020: dotted with a space after each dot (typed so, or spread by OCR).
static RE_DATE_SPACED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]{1,2})\. ([0-9]{1,2})\. ([0-9]{4})").expect("valid regex"));
/// 3 October 2026, 3. Oktober 2026, 3 de octubre de 2026, 03-Oct-26, 1er mars 2026
static RE_DATE_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)([0-9]{{1,2}})(?:st|nd|rd|th|er|\.)?(?:\s*de\s+|[\s\-/.]*)({})(?-u:\b)\.?(?:,?\s*de\s+|[\s,\-/.']*)([0-9]{{4}}|[0-9]{{2}})",
        months_alternation()
    ))
    .expect("valid regex")
});
/// October 3, 2026; Oct 3 2026; Oct. 3rd, 2026
static RE_DATE_MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)({})(?-u:\b)\.?\s*([0-9]{{1,2}})(?:st|nd|rd|th)?(?:\s*,\s*|\s+)([0-9]{{4}})",
        months_alternation()
    ))
    .expect("valid regex")
});

#[derive(Debug, Clone)]
pub(super) struct DateCand {
    start: usize,
    end: usize,
    pub(super) date: NaiveDate,
    /// How much less sure the reading is (ambiguous day/month order, two-digit year).
    doubt: f32,
}

fn year_of(s: &str) -> Option<i32> {
    let n: i32 = s.parse().ok()?;
    let y = match s.len() {
        2 if n < 70 => 2000 + n,
        2 => 1900 + n,
        4 => n,
        _ => return None,
    };
    (1990..=2100).contains(&y).then_some(y)
}

/// A four-digit year one misread digit away from 20xx ("2920", "3020"), as OCR gives it.
pub(super) fn repaired_year(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() != 4 || !b.iter().all(u8::is_ascii_digit) || year_of(s).is_some() {
        return None;
    }
    // Exactly one of the two leading digits is off.
    if (b[0] == b'2') == (b[1] == b'0') {
        return None;
    }
    s[2..].parse::<i32>().ok().map(|n| 2000 + n)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(1990..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Does a date at `line[s..e]` stand alone (not inside a longer run of digits)?
fn date_bounded(line: &str, s: usize, e: usize) -> bool {
    let before = &line[..s];
    let after = &line[e..];
    let digit_follows = |t: &str| t.starts_with(|d: char| d.is_ascii_digit());
    match before.chars().next_back() {
        Some(c) if c.is_ascii_digit() => return false,
        Some(c)
            if matches!(c, '.' | '/' | '-' | ':')
                && before[..before.len() - 1].ends_with(|d: char| d.is_ascii_digit()) =>
        {
            return false
        }
        _ => {}
    }
    match after.chars().next() {
        Some(c) if c.is_ascii_digit() => false,
        Some(c) if matches!(c, '.' | '/' | '-' | ':') && digit_follows(&after[1..]) => false,
        _ => true,
    }
}

pub(super) fn find_dates(line: &str, ctx: &Ctx) -> Vec<DateCand> {
    let mut out: Vec<DateCand> = Vec::new();
    let mut push = |s: usize, e: usize, date: Option<NaiveDate>, doubt: f32| {
        if let Some(date) = date {
            if date_bounded(line, s, e) {
                out.push(DateCand {
                    start: s,
                    end: e,
                    date,
                    doubt,
                });
            }
        }
    };
    let num = |c: Option<regex::Match>| c.and_then(|m| m.as_str().parse::<u32>().ok());
    for c in RE_DATE_YMD.captures_iter(line) {
        let Some(m) = c.get(0) else { continue };
        if c.get(2).map(|x| x.as_str()) != c.get(4).map(|x| x.as_str()) {
            continue;
        }
        let date = (|| ymd(num(c.get(1))? as i32, num(c.get(3))?, num(c.get(5))?))();
        push(m.start(), m.end(), date, 0.0);
    }
    for c in RE_DATE_CJK.captures_iter(line) {
        let Some(m) = c.get(0) else { continue };
        let date = (|| ymd(num(c.get(1))? as i32, num(c.get(2))?, num(c.get(3))?))();
        push(m.start(), m.end(), date, 0.0);
    }
    for c in RE_DATE_NUM.captures_iter(line) {
        let Some(m) = c.get(0) else { continue };
        let (Some(s1), Some(s2), Some(ys)) = (c.get(2), c.get(4), c.get(5)) else {
            continue;
        };
        if s1.as_str() != s2.as_str() {
            continue;
        }
        let sep = s1.as_str();
        // 12-34-56 is more often a phone or part number, unless a time follows it
        // ("06-04-16 11:53" on a till slip) or a date label stands before it.
        if ys.as_str().len() == 2
            && sep == "-"
            && !RE_TIME_AFTER.is_match(&line[m.end()..])
            && date_class(&line[..m.start()]) == DClass::None
        {
            continue;
        }
        // A misread year is taken with much doubt, on dotted dates only.
        let repaired = (sep == ".").then(|| repaired_year(ys.as_str())).flatten();
        let (Some(a), Some(b), Some(y)) = (
            num(c.get(1)),
            num(c.get(3)),
            year_of(ys.as_str()).or(repaired),
        ) else {
            continue;
        };
        let yy = if repaired.is_some() {
            0.25
        } else if ys.as_str().len() == 2 {
            0.05
        } else {
            0.0
        };
        // Dots are always day first; otherwise a number above 12 settles the order.
        let (day, month, doubt) = if sep != "." && b > 12 && a <= 12 {
            (b, a, 0.0)
        } else if sep == "." || a > 12 || a == b {
            (a, b, 0.0)
        } else {
            match ctx.day_first {
                Some(true) => (a, b, 0.1),
                Some(false) => (b, a, 0.1),
                None => (a, b, 0.2),
            }
        };
        push(m.start(), m.end(), ymd(y, month, day), doubt + yy);
    }
    for c in RE_DATE_SPACED.captures_iter(line) {
        let Some(m) = c.get(0) else { continue };
        let date = (|| {
            let y = year_of(c.get(3)?.as_str())?;
            ymd(y, num(c.get(2))?, num(c.get(1))?)
        })();
        push(m.start(), m.end(), date, 0.0);
    }
    for c in RE_DATE_DMY.captures_iter(line) {
        let Some(m) = c.get(0) else { continue };
        let Some(ys) = c.get(3) else { continue };
        let date = (|| {
            let y = year_of(ys.as_str())?;
            ymd(y, month_number(c.get(2)?.as_str())?, num(c.get(1))?)
        })();
        let doubt = if ys.as_str().len() == 2 { 0.05 } else { 0.0 };
        push(m.start(), m.end(), date, doubt);
    }
    for c in RE_DATE_MDY.captures_iter(line) {
        let Some(m) = c.get(0) else { continue };
        let date = (|| {
            ymd(
                num(c.get(3))? as i32,
                month_number(c.get(1)?.as_str())?,
                num(c.get(2))?,
            )
        })();
        push(m.start(), m.end(), date, 0.0);
    }
    // Keep the first, longest of overlapping readings.
    out.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<DateCand> = Vec::with_capacity(out.len());
    for d in out {
        if kept.last().is_some_and(|k| d.start < k.end) {
            continue;
        }
        kept.push(d);
    }
    kept
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum DClass {
    Paid,
    Order,
    Generic,
    None,
    Negative,
}

impl DClass {
    fn score(self) -> f32 {
        match self {
            DClass::Paid => 3.0,
            DClass::Order => 2.5,
            DClass::Generic => 2.0,
            DClass::None => 0.0,
            DClass::Negative => -2.0,
        }
    }
}

static RE_DATE_PAID: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "paid on",
        "paid at",
        "payment date",
        "date of payment",
        "date paid",
        "transaction date",
        "charged on",
        "payment made",
        "payment received",
        "zahlungsdatum",
        "betalningsdatum",
        "betalingsdato",
        "betaaldatum",
        "bezahlt am",
        "zahlung am",
        "zahlungseingang",
        "date de paiement",
        "date du paiement",
        "payé le",
        "fecha de pago",
        "fecha del pago",
        "pagado el",
        "data pagamento",
        "支付时间",
        "付款时间",
        "交易时间",
        "支付日期",
        "付款日期",
        "支払日",
        "お支払い日",
        "決済日",
    ])
});

static RE_DATE_ORDER: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "order date",
        "date ordered",
        "ordered on",
        "placed on",
        "order placed",
        "invoice date",
        "date of issue",
        "issue date",
        "issued on",
        "issued",
        "receipt date",
        "purchase date",
        "date of purchase",
        "purchased on",
        "purchase on",
        "billing date",
        "bill date",
        "statement date",
        "bestelldatum",
        "köpdatum",
        "kopdatum",
        "orderdatum",
        "fakturadatum",
        "kjøpsdato",
        "ordredato",
        "bestillingsdato",
        "købsdato",
        "besteldatum",
        "factuurdatum",
        "rechnungsdatum",
        "kaufdatum",
        "belegdatum",
        "bestellt am",
        "rechnung vom",
        "date de commande",
        "date de facture",
        "date de facturation",
        "date d'achat",
        "date d’achat",
        "commandé le",
        "fecha de pedido",
        "fecha de factura",
        "fecha de compra",
        "fecha de emisión",
        "fecha de emision",
        "下单时间",
        "订单日期",
        "订单时间",
        "开票日期",
        "注文日",
        "ご注文日",
        "購入日",
        "発行日",
    ])
});

static RE_DATE_GENERIC: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "date",
        "datum",
        "dato",
        "fecha",
        "data",
        "dated",
        "leistungsdatum",
        "tarikh",
        "tanggal",
        "日期",
        "日付",
    ])
});

static RE_DATE_NEG: LazyLock<Regex> = LazyLock::new(|| {
    kw_regex(&[
        "due",
        "fällig*",
        "zahlbar bis",
        "payable by",
        "pay by",
        "payment by",
        "submit payment",
        "deliver*",
        "arriv*",
        "estimated",
        "expected",
        "est",
        "ship*",
        "dispatch*",
        "liefer*",
        "versand*",
        "livraison",
        "livré*",
        "expédi*",
        "entrega",
        "envío",
        "envio",
        "expir*",
        "exp",
        "valid*",
        "gültig*",
        "valable",
        "válido",
        "renew*",
        "next",
        "trial",
        "period",
        "zeitraum",
        "leistungszeitraum",
        "abrechnungszeitraum",
        "birth",
        "geburt*",
        "return*",
        "refund*",
        "cancel*",
        "until",
        "bis",
        "through",
        "thru",
        "échéance",
        "vencimiento",
        "scadenza",
        "发货",
        "送达",
        "预计",
        "有效期",
        "截止",
        "到期",
        "発送",
        "配送",
        "到着",
        "お届け",
        "有効期限",
        "期限",
    ])
});

fn date_class(seg: &str) -> DClass {
    if seg.trim().is_empty() {
        DClass::None
    } else if RE_DATE_NEG.is_match(seg) {
        DClass::Negative
    } else if RE_DATE_PAID.is_match(seg) {
        DClass::Paid
    } else if RE_DATE_ORDER.is_match(seg) {
        DClass::Order
    } else if RE_DATE_GENERIC.is_match(seg) {
        DClass::Generic
    } else {
        DClass::None
    }
}

pub(super) fn extract_date(lines: &[&str], ctx: &Ctx) -> Option<Scored<NaiveDate>> {
    struct Cand {
        date: NaiveDate,
        class: DClass,
        inherited: bool,
        doubt: f32,
        order: usize,
    }
    let mut cands: Vec<Cand> = Vec::new();
    let mut pending: Option<DClass> = None;
    'lines: for line in lines {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let found = find_dates(line, ctx);
        if found.is_empty() {
            pending = if t.chars().count() <= MAX_LABEL_CHARS {
                Some(date_class(t)).filter(|c| *c != DClass::None)
            } else {
                None
            };
            continue;
        }
        let above = pending.take();
        let mut prev_end = 0;
        for (k, d) in found.iter().enumerate() {
            let seg = slice(line, prev_end.min(d.start), d.start);
            let mut class = date_class(seg);
            let mut inherited = false;
            if class == DClass::None && k == 0 {
                if let Some(a) = above {
                    class = a;
                    inherited = true;
                }
            }
            prev_end = d.end;
            cands.push(Cand {
                date: d.date,
                class,
                inherited,
                doubt: d.doubt,
                order: cands.len(),
            });
            if cands.len() >= MAX_CANDIDATES {
                break 'lines;
            }
        }
    }
    let score = |c: &Cand| {
        let s = c.class.score();
        (if c.inherited && s > 0.0 { s * 0.8 } else { s }) - c.doubt
    };
    // Highest score, then the earliest.
    let best = cands
        .iter()
        .max_by(|a, b| score(a).total_cmp(&score(b)).then(b.order.cmp(&a.order)))?;
    let base = match best.class {
        DClass::Paid => 0.9,
        DClass::Order => 0.85,
        DClass::Generic => 0.8,
        DClass::None => {
            let mut v: Vec<NaiveDate> = cands.iter().map(|c| c.date).collect();
            v.sort();
            v.dedup();
            // The only date in the text is most likely the one of the payment.
            if v.len() == 1 {
                0.65
            } else {
                0.35
            }
        }
        DClass::Negative => 0.2,
    };
    let inherited = if best.inherited { 0.05 } else { 0.0 };
    // Another date read just as well (two OCR readings that disagree): less sure.
    let rival = cands
        .iter()
        .any(|c| c.date != best.date && score(c) >= score(best) - 1e-3);
    let rival = if rival && best.class != DClass::None {
        0.15
    } else {
        0.0
    };
    Some(scored(best.date, base - inherited - best.doubt - rival))
}
