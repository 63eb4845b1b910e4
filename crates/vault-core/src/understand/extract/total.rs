//! The total paid: every amount of the text is collected with the class its words give it,
//! scored (class, repeated on several lines, cash given minus change), and the best one
//! taken. Its confidence says how clear the choice was: a labelled total is sure, a bare
//! number whose currency was guessed or an OCR reading the receipt does not bear out is not.

use std::collections::HashMap;

use crate::vault::model::Money;
use crate::vault::money::Currency;

use super::amount::{find_amounts, money_of, RawAmt};
use super::amount_classes::{
    amount_class, AClass, RE_CHANGE, RE_GIVEN, RE_TABLE_NET, RE_TABLE_TAX,
};
use super::date::find_dates;
use super::text::{is_status_line, slice, standalone_currencies, Ctx};
use super::{scored, Scored, MAX_CANDIDATES, MAX_LABEL_CHARS};

#[derive(Debug, Clone)]
struct AmtCand {
    raw: RawAmt,
    class: AClass,
    /// The class came from the next words or the line above, not from the words before.
    inherited: bool,
    order: usize,
    /// Index of its line.
    line: usize,
}

pub(super) fn extract_amount(lines: &[&str], ctx: &Ctx, ocr: bool) -> Option<Scored<Money>> {
    let mut cands: Vec<AmtCand> = Vec::new();
    // A short line that is only a label ("Total") lends its class to the next amount line,
    // unless several label lines come in a row (a column of labels, then one of values).
    let mut pending: Option<AClass> = None;
    let mut label_run = 0usize;
    // Rows left in a tax table.
    let mut table_rows = 0usize;
    // Cash given and change returned, first seen of each; bare numbers with no label.
    let mut given: Option<RawAmt> = None;
    let mut change: Option<RawAmt> = None;
    let mut unlabelled: Vec<(RawAmt, usize)> = Vec::new();
    // A payment app's amount stands alone next to its status line ("-36.50" over "交易成功"
    // on an Alipay bill, "CHF 12.50" under "Payment successful"): the amount paid, its
    // sign only the direction of the money.
    let status_amount = status_amount_lines(lines, ctx);
    'lines: for (li, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let raws = find_amounts(line, ctx);
        if raws.is_empty() {
            if RE_TABLE_NET.is_match(t) && RE_TABLE_TAX.is_match(t) {
                table_rows = 4;
            }
            // "Bezahlt am 28.02.2026" labels its date, not the next amount.
            let cls = if t.chars().count() <= MAX_LABEL_CHARS && find_dates(t, ctx).is_empty() {
                amount_class(t)
            } else {
                AClass::None
            };
            if cls == AClass::None {
                label_run = 0;
                pending = None;
            } else {
                label_run += 1;
                pending = if label_run == 1 { Some(cls) } else { None };
            }
            continue;
        }
        let above = pending.take();
        label_run = 0;
        let in_table = table_rows > 0;
        table_rows = table_rows.saturating_sub(1);
        let mut prev_end = 0;
        for (k, r) in raws.iter().enumerate() {
            let seg = slice(line, prev_end.min(r.start), r.start);
            if RE_CHANGE.is_match(seg) {
                change.get_or_insert_with(|| r.clone());
            } else if RE_GIVEN.is_match(seg) {
                given.get_or_insert_with(|| r.clone());
            }
            let mut class = amount_class(seg);
            if in_table && !matches!(class, AClass::Paid | AClass::Strong) {
                class = AClass::Component;
            }
            let mut inherited = false;
            if class == AClass::None {
                let next_start = raws.get(k + 1).map_or(line.len(), |n| n.start);
                let follow = slice(line, r.end, next_start.max(r.end));
                let fc = amount_class(follow);
                if fc != AClass::None {
                    class = fc;
                    inherited = true;
                } else if k == 0 {
                    if let Some(a) = above {
                        class = a;
                        inherited = true;
                    }
                }
            }
            prev_end = r.end;
            let mut r = r.clone();
            if status_amount.contains(&li) {
                class = AClass::Paid;
                inherited = false;
                r.negative = false;
            }
            let r = &r;
            if r.cur.is_none() && (inherited || !class.is_total()) {
                if class == AClass::None && unlabelled.len() < MAX_CANDIDATES {
                    unlabelled.push((r.clone(), li));
                }
                continue;
            }
            cands.push(AmtCand {
                raw: r.clone(),
                class,
                inherited,
                order: cands.len(),
                line: li,
            });
            if cands.len() >= MAX_CANDIDATES {
                break 'lines;
            }
        }
    }

    // Bare numbers take the document's most frequent explicit currency; a line that names
    // a currency on its own ("EUR" above the items) counts twice, so that one stray OCR
    // token ("17,44 lei)", "$9") does not outvote it.
    let mut counts: HashMap<Currency, (usize, usize)> = HashMap::new();
    for c in &cands {
        if let Some((cur, _)) = c.raw.cur {
            let n = counts.len();
            counts.entry(cur).or_insert((0, n)).0 += 1;
        }
    }
    let standalone = standalone_currencies(lines);
    for &(cur, k) in &standalone {
        let n = counts.len();
        counts.entry(cur).or_insert((0, n)).0 += 2 * k;
    }
    // Currencies that the receipt's amounts or lines name, besides the dominant one.
    let currency_rivals = counts.len() > 1;
    let dominant = counts
        .iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(c, _)| (*c, false))
        .or_else(|| {
            ctx.doc_currency
                .and_then(|(c, guessed)| Currency::parse(c).map(|c| (c, guessed)))
        });

    struct Ranked {
        money: Money,
        score: f32,
        cand: AmtCand,
        bare: bool,
        guessed: bool,
        /// A bare number whose currency only the document's language suggests.
        lang_guess: bool,
        /// Cash given minus change returned comes to this amount.
        confirmed: bool,
        /// Its own currency marker disagrees with the currency the receipt names on a
        /// line of its own and that most of its amounts carry.
        minority: bool,
    }
    let standalone_has = |c: Currency| standalone.iter().any(|(s, _)| *s == c);
    let mut all: Vec<Ranked> = Vec::new();
    for c in cands {
        let (currency, guessed, bare, lang_guess) = match c.raw.cur {
            Some((cur, g)) => (cur, g, false, false),
            None => match dominant {
                Some((d, lang)) => (d, true, true, lang),
                None => continue,
            },
        };
        let Some(money) = money_of(&c.raw.norm, currency, c.raw.negative) else {
            continue;
        };
        let minority = !bare && dominant.is_some_and(|(d, _)| d != currency && standalone_has(d));
        let mut score = c.class.score();
        if minority {
            score -= 0.5;
        }
        if c.inherited && score > 0.0 {
            score *= 0.8;
        }
        if bare {
            score -= 0.5;
        }
        if money.minor < 0 {
            score -= 4.0;
        }
        if money.minor == 0 {
            score -= 1.0;
        }
        all.push(Ranked {
            money,
            score,
            cand: c,
            bare,
            guessed,
            lang_guess,
            confirmed: false,
            minority,
        });
    }
    let money_in = |r: &RawAmt| -> Option<Money> {
        let cur = r.cur.map(|(c, _)| c).or(dominant.map(|(d, _)| d))?;
        money_of(&r.norm, cur, false)
    };
    // An amount printed on several lines ("Summe", the card slip, the tax table's gross
    // column) is more likely the total.
    let unlabelled_money: Vec<(Money, usize)> = unlabelled
        .iter()
        .filter_map(|(r, l)| money_in(r).map(|m| (m, *l)))
        .collect();
    let lines_of = |m: Money| {
        let mut v: Vec<usize> = all
            .iter()
            .filter(|r| r.money == m)
            .map(|r| r.cand.line)
            .chain(
                unlabelled_money
                    .iter()
                    .filter(|(u, _)| *u == m)
                    .map(|(_, l)| *l),
            )
            .collect();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    let repeated: Vec<bool> = all
        .iter()
        .map(|r| r.cand.class.score() >= 0.0 && r.money.minor > 0 && lines_of(r.money) >= 2)
        .collect();
    for (r, rep) in all.iter_mut().zip(repeated) {
        if rep {
            r.score += 0.75;
        }
    }
    // Cash given minus change returned is the total.
    if let (Some(g), Some(c)) = (
        given.as_ref().and_then(money_in),
        change.as_ref().and_then(money_in),
    ) {
        let t = g.minor - c.minor.abs();
        if g.currency == c.currency && t > 0 && c.minor != 0 {
            let total = Money {
                minor: t,
                currency: g.currency,
            };
            let mut hit = false;
            for r in all.iter_mut().filter(|r| r.money == total) {
                r.score += 2.0;
                r.confirmed = true;
                hit = true;
            }
            if !hit {
                let from = unlabelled
                    .iter()
                    .find(|(r, _)| money_in(r) == Some(total))
                    .map(|(r, l)| (r.clone(), *l, 3.0))
                    .or_else(|| given.clone().map(|r| (r, 0, 1.5)));
                if let Some((raw, line, score)) = from {
                    let bare = raw.cur.is_none();
                    all.push(Ranked {
                        money: total,
                        score,
                        cand: AmtCand {
                            raw,
                            class: AClass::Normal,
                            inherited: true,
                            order: usize::MAX,
                            line,
                        },
                        bare,
                        guessed: bare,
                        lang_guess: bare && dominant.is_some_and(|(_, l)| l),
                        confirmed: true,
                        minority: false,
                    });
                }
            }
        }
    }
    // Highest score; among equals the largest amount; among equal amounts the last one.
    let best = all.iter().max_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then(a.money.minor.cmp(&b.money.minor))
            .then(a.cand.order.cmp(&b.cand.order))
    })?;

    let distinct = |filter: &dyn Fn(&Ranked) -> bool| {
        let mut v: Vec<(i64, Currency)> = all
            .iter()
            .filter(|s| filter(s))
            .map(|s| (s.money.minor, s.money.currency))
            .collect();
        v.sort();
        v.dedup();
        v.len()
    };
    let mut conf = match best.cand.class {
        AClass::Paid | AClass::Strong if !best.cand.inherited => 0.95,
        AClass::Normal if !best.cand.inherited => 0.85,
        AClass::Paid | AClass::Strong => 0.8,
        AClass::Normal => 0.75,
        AClass::None => match distinct(&|s: &Ranked| s.money.minor > 0) {
            0 | 1 => 0.5,
            2 | 3 => 0.3,
            _ => 0.2,
        },
        AClass::Component | AClass::Hard => 0.2,
    };
    if best.confirmed {
        conf = f32::max(conf, 0.8);
    }
    if best.bare {
        conf = f32::min(conf, if best.lang_guess { 0.5 } else { 0.6 });
    }
    if best.guessed && !best.bare {
        conf -= 0.05;
        // A "¥" in a text that says neither Chinese nor Japanese: yen is a guess.
        if !ctx.yen_sure && matches!(best.money.currency.code(), "JPY" | "CNY") {
            conf = f32::min(conf, 0.5);
        }
    }
    if best.cand.class.is_total() {
        let rivals = distinct(&|s: &Ranked| s.score == best.score);
        if rivals > 1 {
            conf -= 0.05;
        }
    }
    if best.money.minor < 0 {
        conf = f32::min(conf, 0.3);
    }
    // The currency signals disagree: the receipt names one currency on a line of its own
    // and the total carries another, or a bare total took the majority of several.
    let currency_doubt = best.minority
        || (!standalone.is_empty() && !standalone_has(best.money.currency))
        || (best.bare && currency_rivals);
    if currency_doubt {
        conf = f32::min(conf, 0.5);
    }
    if ocr && conf >= 0.6 && !best.confirmed {
        // OCR misreads digits and drops decimal commas ("24723" for "24,23"): a total the
        // rest of the receipt does not bear out goes to review.
        // The change handed back is smaller than the total by nature: it says nothing
        // about how many digits the total should have.
        let change_money = change.as_ref().and_then(money_in);
        let others: Vec<&RawAmt> = all
            .iter()
            .filter(|r| r.money != best.money)
            .map(|r| &r.cand.raw)
            .chain(unlabelled.iter().map(|(r, _)| r))
            .filter(|r| change_money.is_none() || money_in(r) != change_money)
            .collect();
        let cash = match (
            given.as_ref().and_then(money_in),
            change.as_ref().and_then(money_in),
        ) {
            (Some(g), Some(c)) if g.currency == c.currency && c.minor != 0 => {
                Some(g.minor - c.minor.abs()).filter(|t| *t > 0)
            }
            _ => None,
        };
        let cash_disagrees = cash.is_some_and(|t| t != best.money.minor);
        let mut seen: Vec<usize> = all
            .iter()
            .filter(|r| r.money == best.money)
            .map(|r| r.cand.line)
            .chain(
                unlabelled_money
                    .iter()
                    .filter(|(u, _)| *u == best.money)
                    .map(|(_, l)| *l),
            )
            .collect();
        seen.sort_unstable();
        seen.dedup();
        if cash_disagrees
            || ocr_misshapen(&best.cand.raw, best.money.currency, &others)
            || (seen.len() < 2 && ocr_too_long(&best.cand.raw, &others))
        {
            conf = f32::min(conf, 0.5);
        }
    }
    Some(scored(best.money, conf))
}

/// Lines that hold only an amount (a sign and a currency allowed) and stand right above
/// or below a status line ("交易成功", "Payment successful").
fn status_amount_lines(lines: &[&str], ctx: &Ctx) -> Vec<usize> {
    let filled: Vec<usize> = (0..lines.len().min(200))
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let mut out = Vec::new();
    for (k, &i) in filled.iter().enumerate() {
        let t = lines[i].trim();
        if t.chars().count() > 24 {
            continue;
        }
        let raws = find_amounts(t, ctx);
        let [r] = raws.as_slice() else {
            continue;
        };
        let rest = format!("{}{}", slice(t, 0, r.start), slice(t, r.end, t.len()));
        if !rest.chars().all(|c| matches!(c, '-' | '+' | '–' | ' ')) {
            continue;
        }
        let near = |j: Option<&usize>| j.is_some_and(|&j| is_status_line(lines[j]));
        if near(k.checked_sub(1).and_then(|p| filled.get(p))) || near(filled.get(k + 1)) {
            out.push(i);
        }
    }
    out
}

/// Digits after the decimal separator of a normalized amount.
fn frac_digits(norm: &str) -> usize {
    norm.split_once('.').map_or(0, |(_, f)| f.len())
}

/// Digits before the decimal separator of a normalized amount, leading zeros aside.
fn int_digits(norm: &str) -> usize {
    let int = norm.split_once('.').map_or(norm, |(i, _)| i);
    int.trim_start_matches('0').len()
}

/// An OCR'd amount written in another shape than the receipt's other amounts: "6,7" or
/// "24723" where the others read "1,99": a decimal separator or a digit was lost.
fn ocr_misshapen(raw: &RawAmt, currency: Currency, others: &[&RawAmt]) -> bool {
    let exp = currency.exponent() as usize;
    exp > 0 && frac_digits(&raw.norm) != exp && others.iter().any(|o| frac_digits(&o.norm) == exp)
}

/// An OCR'd amount with more integer digits than any other well-formed amount on the
/// receipt (when there are at least two to compare with): a misread rather than a total.
/// One other amount (a lone tax or change line) is too little to judge by.
fn ocr_too_long(raw: &RawAmt, others: &[&RawAmt]) -> bool {
    let shaped = frac_digits(&raw.norm);
    let lengths: Vec<usize> = others
        .iter()
        .filter(|o| frac_digits(&o.norm) == shaped)
        .map(|o| int_digits(&o.norm))
        .collect();
    lengths.len() >= 2 && lengths.iter().all(|&n| int_digits(&raw.norm) > n)
}
