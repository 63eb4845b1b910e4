//! The total paid: every amount of the text is collected with the class its words give it,
//! scored (class, repeated on several lines, cash given minus change), and the best one
//! taken. Its confidence says how clear the choice was: a labelled total is sure, a bare
//! number whose currency was guessed or an OCR reading the receipt does not bear out is not.

use std::collections::HashMap;

use crate::vault::model::Money;
use crate::vault::money::Currency;

use super::amount::{find_amounts, money_of, RawAmt};
use super::amount_classes::{
    amount_class, AClass, RE_CHANGE, RE_GIVEN, RE_ROUNDING, RE_TABLE_NET, RE_TABLE_TAX,
};
use super::date::find_dates;
use super::scored::{scored, Hints, Scored, MAX_CANDIDATES, MAX_LABEL_CHARS};
use super::text::{is_status_line, slice, standalone_currencies, Ctx, CurSource};

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

/// The total paid among the amounts of `lines`, in named steps: collect every amount with
/// its class ([`collect_candidates`]), find the document's currency ([`DocCurrency::of`]),
/// score the candidates ([`rank`], [`favour_repeated`], [`confirm_cash`],
/// [`prefer_rounded`]), take the best ([`pick`]) and say how sure that is ([`confidence`],
/// and for OCR text [`ocr_not_borne_out`] and [`borne_out`]).
pub(super) fn extract_amount(lines: &[&str], ctx: &Ctx, hints: &Hints) -> Option<Scored<Money>> {
    let ocr = hints.ocr;
    let mut found = collect_candidates(lines, ctx);
    let doc = DocCurrency::of(&found.cands, lines, ctx, hints.default_currency);
    let mut all = rank(std::mem::take(&mut found.cands), &doc);
    let unlabelled_money: Vec<(Money, usize)> = found
        .unlabelled
        .iter()
        .filter_map(|(r, l)| doc.money_in(r).map(|m| (m, *l)))
        .collect();
    favour_repeated(&mut all, &unlabelled_money);
    confirm_cash(&mut all, &found, &doc);
    prefer_rounded(&mut all, &found, &doc);
    let best = pick(&all)?;
    let mut conf = confidence(best, &all, ctx, &doc);
    if ocr
        && conf >= 0.6
        && !best.confirmed
        && ocr_not_borne_out(best, &all, &found, &unlabelled_money, &doc)
    {
        conf = f32::min(conf, 0.5);
    }
    // OCR misreads a digit now and then ("4.19" for "94.19"): on an itemised receipt, a
    // total that nothing else bears out (printed again, cash minus change, a rounding
    // step, two amounts that add up to it) is a reading for review. A screen or slip that
    // shows the amount alone has nothing to bear it out with, and is judged as before.
    if ocr
        && conf >= 0.6
        && !best.confirmed
        && !borne_out(best, &all, &found, &unlabelled_money, &doc)
    {
        conf = f32::min(conf, 0.55);
    }
    // Nothing was paid: not a total to trust.
    if best.money.minor == 0 {
        conf = f32::min(conf, 0.3);
    }
    Some(scored(best.money, conf))
}

/// Does anything besides its own line bear out the total `best`: printed on another line,
/// a rounding step away from another total, or the sum of two other amounts (subtotal
/// and tax, net and tax)? With fewer than three other amounts there is nothing to bear
/// it out with, and it is not doubted for that.
fn borne_out(
    best: &Ranked,
    all: &[Ranked],
    found: &Collected,
    unlabelled_money: &[(Money, usize)],
    doc: &DocCurrency,
) -> bool {
    let m = best.money;
    if lines_with(all, unlabelled_money, m) >= 2 {
        return true;
    }
    let mut others: Vec<i64> = all
        .iter()
        .map(|r| r.money)
        .chain(unlabelled_money.iter().map(|(u, _)| *u))
        .chain(
            found
                .after_rounding
                .iter()
                .filter_map(|(r, _)| doc.money_in(r)),
        )
        .filter(|o| o.currency == m.currency && o.minor > 0 && o.minor != m.minor)
        .map(|o| o.minor)
        .collect();
    others.sort_unstable();
    others.dedup();
    others.truncate(200);
    // Fewer than three other amounts: nothing to check the total against.
    if others.len() < 3 {
        return true;
    }
    let near = others.iter().any(|&o| (o - m.minor).abs() <= 10) && found.rounding_at.is_some();
    near || others
        .iter()
        .any(|&a| others.binary_search(&(m.minor - a)).is_ok())
}

/// What the lines read so far say about the next line with amounts.
#[derive(Default)]
struct LabelState {
    /// A short line that is only a label ("Total") lends its class to the next amount line,
    /// unless several label lines come in a row (a column of labels, then one of values).
    pending: Option<AClass>,
    label_run: usize,
    /// Rows left in a tax table.
    table_rows: usize,
}

impl LabelState {
    /// Takes in a line without amounts (`t`, trimmed): a tax table's header, or a label
    /// for the next amount line.
    fn read_label_line(&mut self, t: &str, ctx: &Ctx) {
        if RE_TABLE_NET.is_match(t) && RE_TABLE_TAX.is_match(t) {
            self.table_rows = 4;
        }
        // "Bezahlt am 28.02.2026" labels its date, not the next amount.
        let cls = if t.chars().count() <= MAX_LABEL_CHARS && find_dates(t, ctx).is_empty() {
            amount_class(t)
        } else {
            AClass::None
        };
        if cls == AClass::None {
            self.label_run = 0;
            self.pending = None;
        } else {
            self.label_run += 1;
            self.pending = if self.label_run == 1 { Some(cls) } else { None };
        }
    }

    /// Starts a line with amounts: the class of the label line above it, if any, and
    /// whether the line is a row of a tax table.
    fn start_amount_line(&mut self) -> (Option<AClass>, bool) {
        let above = self.pending.take();
        self.label_run = 0;
        let in_table = self.table_rows > 0;
        self.table_rows = self.table_rows.saturating_sub(1);
        (above, in_table)
    }
}

/// The amounts of a text, and the ones that bear on the total without being candidates.
#[derive(Default)]
struct Collected {
    cands: Vec<AmtCand>,
    /// Cash given and change returned, first seen of each.
    given: Option<RawAmt>,
    change: Option<RawAmt>,
    /// Bare numbers with no label, and their lines.
    unlabelled: Vec<(RawAmt, usize)>,
    /// The first rounding line, and every amount at or below it (whatever its label).
    rounding_at: Option<usize>,
    after_rounding: Vec<(RawAmt, usize)>,
}

/// Step 1: every amount of `lines` with the class its words give it, at most
/// [`MAX_CANDIDATES`] of them.
fn collect_candidates(lines: &[&str], ctx: &Ctx) -> Collected {
    let mut out = Collected::default();
    let mut labels = LabelState::default();
    // A payment app's amount stands alone next to its status line ("-36.50" over "交易成功"
    // on an Alipay bill, "CHF 12.50" under "Payment successful"): the amount paid, its
    // sign only the direction of the money.
    let status_amount = status_amount_lines(lines, ctx);
    for (li, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if out.rounding_at.is_none() && RE_ROUNDING.is_match(t) {
            out.rounding_at = Some(li);
        }
        let raws = find_amounts(line, ctx);
        if out.rounding_at.is_some() && out.after_rounding.len() < MAX_CANDIDATES {
            out.after_rounding
                .extend(raws.iter().map(|r| (r.clone(), li)).take(8));
        }
        if raws.is_empty() {
            labels.read_label_line(t, ctx);
            continue;
        }
        let (above, in_table) = labels.start_amount_line();
        let status = status_amount.contains(&li);
        if !out.add_line(line, li, &raws, above, in_table, status) {
            break;
        }
    }
    out
}

impl Collected {
    /// Step 1 for one line: classes its amounts by the words before them (else the words
    /// after them, else the label line `above`) and keeps them, noting cash given, change
    /// and unlabelled bare numbers on the way. False once [`MAX_CANDIDATES`] are kept.
    fn add_line(
        &mut self,
        line: &str,
        li: usize,
        raws: &[RawAmt],
        above: Option<AClass>,
        in_table: bool,
        status: bool,
    ) -> bool {
        let mut prev_end = 0;
        for (k, r) in raws.iter().enumerate() {
            let seg = slice(line, prev_end.min(r.start), r.start);
            if RE_CHANGE.is_match(seg) {
                self.change.get_or_insert_with(|| r.clone());
            } else if RE_GIVEN.is_match(seg) {
                self.given.get_or_insert_with(|| r.clone());
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
            if status {
                class = AClass::Paid;
                inherited = false;
                r.negative = false;
            }
            let r = &r;
            if r.cur.is_none() && (inherited || !class.is_total()) {
                if class == AClass::None && self.unlabelled.len() < MAX_CANDIDATES {
                    self.unlabelled.push((r.clone(), li));
                }
                continue;
            }
            self.cands.push(AmtCand {
                raw: r.clone(),
                class,
                inherited,
                order: self.cands.len(),
                line: li,
            });
            if self.cands.len() >= MAX_CANDIDATES {
                return false;
            }
        }
        true
    }
}

/// The currencies a receipt names, for its bare numbers and for doubts about the total.
struct DocCurrency {
    /// Currencies named on a line of their own, with the number of such lines.
    standalone: Vec<(Currency, usize)>,
    /// The currency bare numbers take, and what says so.
    dominant: Option<(Currency, CurSource)>,
    /// Currencies that the receipt's amounts or lines name, besides the dominant one.
    rivals: bool,
}

impl DocCurrency {
    /// Step 2: bare numbers take the document's most frequent explicit currency; a line
    /// that names a currency on its own ("EUR" above the items) counts twice, so that one
    /// stray OCR token ("17,44 lei)", "$9") does not outvote it.
    /// Without any, the receipt's country, its language or else the vault's default
    /// (`default`) says it.
    fn of(cands: &[AmtCand], lines: &[&str], ctx: &Ctx, default: Option<Currency>) -> DocCurrency {
        let mut counts: HashMap<Currency, (usize, usize)> = HashMap::new();
        for c in cands {
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
        // The receipt's country counts like a line naming its currency: one stray sign
        // ("20 € @ 2" on a Malaysian invoice) does not outvote it.
        if let Some(cur) = ctx.country_currency.and_then(Currency::parse) {
            if !counts.is_empty() {
                let n = counts.len();
                counts.entry(cur).or_insert((0, n)).0 += 2;
            }
        }
        let rivals = counts.len() > 1;
        let dominant = counts
            .iter()
            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
            .map(|(c, _)| (*c, CurSource::Named))
            .or_else(|| {
                ctx.doc_currency
                    .and_then(|(c, source)| Currency::parse(c).map(|c| (c, source)))
            })
            .or(default.map(|c| (c, CurSource::Default)));
        DocCurrency {
            standalone,
            dominant,
            rivals,
        }
    }

    /// Does a line of its own name `c`?
    fn standalone_has(&self, c: Currency) -> bool {
        self.standalone.iter().any(|(s, _)| *s == c)
    }

    /// An amount as money, a bare number in the dominant currency, its sign left aside.
    fn money_in(&self, r: &RawAmt) -> Option<Money> {
        let cur = r.cur.map(|(c, _)| c).or(self.dominant.map(|(d, _)| d))?;
        money_of(&r.norm, cur, false)
    }
}

/// A candidate as money, with its score.
struct Ranked {
    money: Money,
    score: f32,
    cand: AmtCand,
    bare: bool,
    guessed: bool,
    /// For a bare number: what says its currency.
    bare_source: Option<CurSource>,
    /// Cash given minus change returned comes to this amount.
    confirmed: bool,
    /// Its own currency marker disagrees with the currency the receipt names on a
    /// line of its own and that most of its amounts carry.
    minority: bool,
}

/// Step 3: each candidate as money (a bare number in the dominant currency), scored by its
/// class, less for an inherited class, a bare number, a currency against the receipt's,
/// a negative or a zero amount.
fn rank(cands: Vec<AmtCand>, doc: &DocCurrency) -> Vec<Ranked> {
    let dominant = doc.dominant;
    let mut all: Vec<Ranked> = Vec::new();
    for c in cands {
        let (currency, guessed, bare, bare_source) = match c.raw.cur {
            Some((cur, g)) => (cur, g, false, None),
            None => match dominant {
                Some((d, source)) => (d, true, true, Some(source)),
                None => continue,
            },
        };
        let Some(money) = money_of(&c.raw.norm, currency, c.raw.negative) else {
            continue;
        };
        let minority =
            !bare && dominant.is_some_and(|(d, _)| d != currency && doc.standalone_has(d));
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
            bare_source,
            confirmed: false,
            minority,
        });
    }
    all
}

/// On how many lines `m` is printed, as a candidate or as an unlabelled number.
fn lines_with(all: &[Ranked], unlabelled_money: &[(Money, usize)], m: Money) -> usize {
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
}

/// Step 4: an amount printed on several lines ("Summe", the card slip, the tax table's
/// gross column) is more likely the total.
fn favour_repeated(all: &mut [Ranked], unlabelled_money: &[(Money, usize)]) {
    let repeated: Vec<bool> = all
        .iter()
        .map(|r| {
            r.cand.class.score() >= 0.0
                && r.money.minor > 0
                && lines_with(all, unlabelled_money, r.money) >= 2
        })
        .collect();
    for (r, rep) in all.iter_mut().zip(repeated) {
        if rep {
            r.score += 0.75;
        }
    }
}

/// Step 5: cash given minus change returned is the total. The candidates of that amount
/// gain; without one, an unlabelled number of that amount (or, failing that, the cash
/// given) becomes a candidate.
fn confirm_cash(all: &mut Vec<Ranked>, found: &Collected, doc: &DocCurrency) {
    let (given, change) = (found.given.as_ref(), found.change.as_ref());
    let (Some(g), Some(c)) = (
        given.and_then(|r| doc.money_in(r)),
        change.and_then(|r| doc.money_in(r)),
    ) else {
        return;
    };
    let t = g.minor - c.minor.abs();
    if !(g.currency == c.currency && t > 0 && c.minor != 0) {
        return;
    }
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
    if hit {
        return;
    }
    let from = found
        .unlabelled
        .iter()
        .find(|(r, _)| doc.money_in(r) == Some(total))
        .map(|(r, l)| (r.clone(), *l, 3.0))
        .or_else(|| given.cloned().map(|r| (r, 0, 1.5)));
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
            bare_source: doc.dominant.filter(|_| bare).map(|(_, s)| s),
            confirmed: true,
            minority: false,
        });
    }
}

/// Step 5b: a rounding line follows the total: the amount at or below it that differs
/// from that total by a rounding step (at most ten minor units) is the rounded total, the
/// one paid ("Total 46.54 / Rounding Adj 0.01 / Total After Adj 46.55").
fn prefer_rounded(all: &mut Vec<Ranked>, found: &Collected, doc: &DocCurrency) {
    let Some(at) = found.rounding_at else {
        return;
    };
    // The totals above the rounding line, best first: the rounded one may belong to any
    // of them (a misread "GST Payable" can outscore "Total (Inclusive of GST)").
    let mut totals: Vec<&Ranked> = all
        .iter()
        .filter(|r| r.cand.line < at && r.cand.class.is_total() && r.money.minor > 0)
        .collect();
    totals.sort_by(|a, b| b.score.total_cmp(&a.score));
    let Some(top) = totals.first().map(|t| t.score) else {
        return;
    };
    let rounded =
        totals.iter().find_map(|t| {
            found.after_rounding.iter().find_map(|(raw, li)| {
                let m = doc.money_in(raw)?;
                let step = (m.minor - t.money.minor).abs();
                (m.currency == t.money.currency && step > 0 && step <= 10 && !raw.negative)
                    .then_some((m, raw, *li, t.cand.class))
            })
        });
    let Some((m, raw, line, class)) = rounded else {
        return;
    };
    let score = top;
    let mut hit = false;
    for r in all.iter_mut().filter(|r| r.money == m) {
        r.score = r.score.max(score + 1.0);
        r.cand.class = class;
        r.cand.inherited = false;
        hit = true;
    }
    if !hit {
        let bare = raw.cur.is_none();
        all.push(Ranked {
            money: m,
            score: score + 1.0,
            cand: AmtCand {
                raw: raw.clone(),
                class,
                inherited: false,
                order: usize::MAX,
                line,
            },
            bare,
            guessed: bare,
            bare_source: doc.dominant.filter(|_| bare).map(|(_, s)| s),
            confirmed: false,
            minority: false,
        });
    }
}

/// Step 6: the highest score; among equals the largest amount; among equal amounts the
/// last one.
fn pick(all: &[Ranked]) -> Option<&Ranked> {
    all.iter().max_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then(a.money.minor.cmp(&b.money.minor))
            .then(a.cand.order.cmp(&b.cand.order))
    })
}

/// How many different amounts (with their currencies) pass `filter`.
fn distinct(all: &[Ranked], filter: impl Fn(&Ranked) -> bool) -> usize {
    let mut v: Vec<(i64, Currency)> = all
        .iter()
        .filter(|s| filter(s))
        .map(|s| (s.money.minor, s.money.currency))
        .collect();
    v.sort();
    v.dedup();
    v.len()
}

/// Step 7: how sure the pick is: from its class (and, without one, how many amounts the
/// text holds), less for a guessed currency, an equally scored rival, a negative amount or
/// currency signals that disagree.
fn confidence(best: &Ranked, all: &[Ranked], ctx: &Ctx, doc: &DocCurrency) -> f32 {
    let mut conf = match best.cand.class {
        AClass::Paid | AClass::Strong if !best.cand.inherited => 0.95,
        AClass::Normal if !best.cand.inherited => 0.85,
        AClass::Paid | AClass::Strong => 0.8,
        AClass::Normal => 0.75,
        AClass::None => match distinct(all, |s: &Ranked| s.money.minor > 0) {
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
        // A currency the receipt names or its country uses can be trusted; one its
        // language or the vault's default suggests is a guess for review.
        let cap = match best.bare_source {
            Some(CurSource::Named | CurSource::Country) | None => 0.6,
            Some(CurSource::Language | CurSource::Default) => 0.5,
        };
        conf = f32::min(conf, cap);
    }
    if best.guessed && !best.bare {
        conf -= 0.05;
        // A "¥" in a text that says neither Chinese nor Japanese: yen is a guess.
        if !ctx.yen_sure && matches!(best.money.currency.code(), "JPY" | "CNY") {
            conf = f32::min(conf, 0.5);
        }
    }
    if best.cand.class.is_total() {
        let rivals = distinct(all, |s: &Ranked| s.score == best.score);
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
        || (!doc.standalone.is_empty() && !doc.standalone_has(best.money.currency))
        || (best.bare && doc.rivals);
    if currency_doubt {
        conf = f32::min(conf, 0.5);
    }
    conf
}

/// Step 8, for OCR text: OCR misreads digits and drops decimal commas ("24723" for
/// "24,23"), so a total the rest of the receipt does not bear out goes to review: cash
/// given minus change says otherwise, or it is shaped unlike the other amounts, or (seen
/// on one line only) it is longer than all of them.
fn ocr_not_borne_out(
    best: &Ranked,
    all: &[Ranked],
    found: &Collected,
    unlabelled_money: &[(Money, usize)],
    doc: &DocCurrency,
) -> bool {
    let (given, change) = (found.given.as_ref(), found.change.as_ref());
    // The change handed back is smaller than the total by nature: it says nothing
    // about how many digits the total should have.
    let change_money = change.and_then(|r| doc.money_in(r));
    let others: Vec<&RawAmt> = all
        .iter()
        .filter(|r| r.money != best.money)
        .map(|r| &r.cand.raw)
        .chain(found.unlabelled.iter().map(|(r, _)| r))
        .filter(|r| change_money.is_none() || doc.money_in(r) != change_money)
        .collect();
    let cash = match (
        given.and_then(|r| doc.money_in(r)),
        change.and_then(|r| doc.money_in(r)),
    ) {
        (Some(g), Some(c)) if g.currency == c.currency && c.minor != 0 => {
            Some(g.minor - c.minor.abs()).filter(|t| *t > 0)
        }
        _ => None,
    };
    let cash_disagrees = cash.is_some_and(|t| t != best.money.minor);
    let seen = lines_with(all, unlabelled_money, best.money);
    cash_disagrees
        || ocr_misshapen(&best.cand.raw, best.money.currency, &others)
        || (seen < 2 && ocr_too_long(&best.cand.raw, &others))
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
