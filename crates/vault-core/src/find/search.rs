//! Search: one query language for the CLI and the app.
//!
//! Words (all must match; `word*` is a prefix; `"a phrase"`), plus filters:
//! `merchant:amazon`, `tag:tax`, `kind:image`, `currency:EUR`, `after:2026-10-01`,
//! `before:2026-11`, `date:2026-10`, `amount:>=12.50EUR`, `amount:10..20`, `amount:€49.99`.
//! Date filters match only vouchers with a payment date (not one known only from the
//! file's modification time or the time it was added, unless a person confirmed it).
//! An amount is compared only within one currency: the one written, else the only one
//! the vault holds (several: the query is refused with a hint).
//! Full text covers title, merchant, text, notes, tags and file name. CJK text is indexed
//! as overlapping character pairs, so any 2+ character CJK query matches.
//!
//! The parser turns the query into parameters; no user text is ever spliced into SQL.

use crate::error::{Error, Result};
use crate::vault::index::index_text;
use crate::vault::model::{Kind, Order, Scope, SearchRequest, VoucherSummary};
use crate::vault::money::{Currency, Decimal};
use crate::vault::rows::{summary_from_row, NEEDS_REVIEW_SQL, NEWEST, SUMMARY_COLS};
use crate::vault::Vault;
use chrono::NaiveDate;
use rusqlite::{params_from_iter, types::Value, OptionalExtension};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Hit {
    #[serde(flatten)]
    pub voucher: VoucherSummary,
    /// A short piece of the text around the first match, if the query had words.
    pub snippet: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// More results exist past this page.
    pub more: bool,
}

/// A page of results and how many match in all (for a virtual list's scroll height).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchPage {
    pub hits: Vec<Hit>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq)]
enum Cmp {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
}

#[derive(Debug, Clone, PartialEq)]
enum Filter {
    Merchant(String),
    Tag(String),
    Kind(String),
    Currency(String),
    /// occurred_date >= value (YYYY-MM-DD), payment dates only
    After(String),
    /// occurred_date < value (YYYY-MM-DD), payment dates only
    Before(String),
    /// Compared within one currency (see `Query::currencies`).
    Amount(Cmp, Decimal),
    /// Text and other files (the sidebar's "Other").
    KindOther,
    NeedsReview,
    /// Look in the Trash instead of outside it.
    Trash,
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// Terms for the full-text index: (text, is_prefix).
    terms: Vec<(String, bool)>,
    filters: Vec<Filter>,
    /// The currencies an amount filter names (a symbol such as ¥ may mean several);
    /// empty when none was written. Resolved against the vault before the query runs.
    currencies: Vec<String>,
    /// How the amount filter was written, for messages.
    amount_text: Option<String>,
}

const KNOWN: &str =
    "merchant:, tag:, kind:, currency:, after:, before:, date:, amount:, is:review, is:trash";

impl Query {
    pub fn parse(input: &str) -> Result<Query> {
        let mut q = Query::default();
        let mut tokens = tokenize(input)?.into_iter().peekable();
        while let Some(token) = tokens.next() {
            // "amount:>=50 EUR": a currency written after the number, as its own word.
            let token = match token {
                Token::Word(w) if is_amount_word(&w) && amount_currency(&w).is_none() => {
                    match tokens.peek() {
                        // Upper case only ("cup" is a word, CUP a currency).
                        Some(Token::Word(next))
                            if currency_spec(next).is_some()
                                && !next.chars().any(|c| c.is_lowercase()) =>
                        {
                            let next = next.clone();
                            tokens.next();
                            Token::Word(format!("{w}{next}"))
                        }
                        _ => Token::Word(w),
                    }
                }
                t => t,
            };
            match token {
                Token::Phrase(p) => {
                    if p.chars().any(char::is_alphanumeric) {
                        q.terms.push((p, false));
                    }
                }
                Token::Word(w) => q.parse_word(&w)?,
            }
        }
        Ok(q)
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.filters.is_empty()
    }

    /// Narrow the query to a part of the vault (the app's sidebar).
    pub fn within(mut self, scope: &Scope) -> Query {
        match scope {
            Scope::All => {}
            Scope::Kind { kind } => self.filters.push(match kind {
                Kind::Other | Kind::Text => Filter::KindOther,
                k => Filter::Kind(k.as_str().to_string()),
            }),
            Scope::NeedsReview => self.filters.push(Filter::NeedsReview),
            Scope::Trash => self.filters.push(Filter::Trash),
            Scope::Tag { tag } => self
                .filters
                .push(Filter::Tag(crate::vault::normalise_tag(tag))),
        }
        self
    }

    fn in_trash(&self) -> bool {
        self.filters.contains(&Filter::Trash)
    }

    fn parse_word(&mut self, w: &str) -> Result<()> {
        if let Some((key, value)) = w.split_once(':') {
            if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphabetic()) {
                let value = value.trim_matches('"');
                if value.is_empty() {
                    return Err(Error::BadQuery(format!("{key}: needs a value")));
                }
                let f = match key.to_ascii_lowercase().as_str() {
                    "merchant" | "m" => Filter::Merchant(value.to_string()),
                    "tag" | "t" => Filter::Tag(crate::vault::normalise_tag(value)),
                    "kind" | "type" => {
                        let k = crate::vault::model::Kind::parse(value).ok_or_else(|| {
                            Error::BadQuery(format!(
                                "kind:{value} is not a kind; use image, email, pdf, text or other"
                            ))
                        })?;
                        Filter::Kind(k.as_str().to_string())
                    }
                    "currency" | "cur" => {
                        let c = Currency::parse(value).ok_or_else(|| {
                            Error::BadQuery(format!("currency:{value} is not an ISO 4217 code such as EUR or USD"))
                        })?;
                        Filter::Currency(c.code().to_string())
                    }
                    "after" | "from" | "since" => Filter::After(date_bound(key, value)?.0),
                    "before" | "until" => Filter::Before(date_bound(key, value)?.0),
                    "date" | "on" => {
                        let (start, end) = date_bound(key, value)?;
                        self.filters.push(Filter::After(start));
                        Filter::Before(end)
                    }
                    "amount" | "total" => return self.parse_amount(value),
                    "is" | "in" => match value.to_ascii_lowercase().as_str() {
                        "review" | "unreviewed" => Filter::NeedsReview,
                        "trash" | "trashed" | "deleted" => Filter::Trash,
                        _ => {
                            return Err(Error::BadQuery(format!(
                                "{key}:{value} is not known; use is:review or is:trash"
                            )))
                        }
                    },
                    _ => {
                        return Err(Error::BadQuery(format!(
                            "unknown filter {key}: (known: {KNOWN}); put the word in quotes to search for it"
                        )))
                    }
                };
                self.filters.push(f);
                return Ok(());
            }
        }
        let (word, prefix) = match w.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (w, false),
        };
        if word.chars().any(char::is_alphanumeric) {
            q_push(&mut self.terms, word, prefix);
        } else if prefix {
            return Err(Error::BadQuery(format!(
                "{w:?}: a prefix needs letters or digits before *"
            )));
        }
        Ok(())
    }

    fn parse_amount(&mut self, v: &str) -> Result<()> {
        let bad = || {
            Error::BadQuery(format!(
                "amount:{v} is not an amount; use e.g. amount:49.99EUR, amount:>=12.50 or amount:10..20"
            ))
        };
        let mut named: Vec<Vec<String>> = Vec::new();
        let mut num = |s: &str| -> Result<Decimal> {
            let (s, cur) = split_currency(s);
            if let Some(c) = cur {
                named.push(c);
            }
            let d = Decimal::parse(s).ok_or_else(bad)?;
            if d.scale > 4 {
                return Err(bad());
            }
            Ok(d)
        };
        if let Some((lo, hi)) = v.split_once("..") {
            if !lo.is_empty() {
                self.filters.push(Filter::Amount(Cmp::Ge, num(lo)?));
            }
            if !hi.is_empty() {
                self.filters.push(Filter::Amount(Cmp::Le, num(hi)?));
            }
            if lo.is_empty() && hi.is_empty() {
                return Err(bad());
            }
            return self.amount_currency_named(v, named);
        }
        let (cmp, rest) = if let Some(r) = v.strip_prefix(">=") {
            (Cmp::Ge, r)
        } else if let Some(r) = v.strip_prefix("<=") {
            (Cmp::Le, r)
        } else if let Some(r) = v.strip_prefix('>') {
            (Cmp::Gt, r)
        } else if let Some(r) = v.strip_prefix('<') {
            (Cmp::Lt, r)
        } else if let Some(r) = v.strip_prefix('=') {
            (Cmp::Eq, r)
        } else {
            (Cmp::Eq, v)
        };
        self.filters.push(Filter::Amount(cmp, num(rest)?));
        self.amount_currency_named(v, named)
    }

    /// Record the currency an amount filter names; two different ones are refused.
    fn amount_currency_named(&mut self, v: &str, named: Vec<Vec<String>>) -> Result<()> {
        if self.amount_text.is_none() {
            self.amount_text = Some(format!("amount:{v}"));
        }
        for c in named {
            if self.currencies.is_empty() {
                self.currencies = c;
            } else if self.currencies != c {
                return Err(Error::BadQuery(format!(
                    "amount:{v} names another currency than the amount before it; \
                     amounts are compared within one currency"
                )));
            }
        }
        Ok(())
    }

    fn has_amount(&self) -> bool {
        self.filters.iter().any(|f| matches!(f, Filter::Amount(..)))
    }

    /// The FTS5 MATCH expression: every term a quoted phrase, so no user input is FTS syntax.
    fn fts_expr(&self) -> Option<String> {
        if self.terms.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .terms
            .iter()
            .map(|(t, prefix)| {
                let phrase = format!("\"{}\"", index_text(t).replace('"', "\"\""));
                if *prefix {
                    format!("{phrase} *")
                } else {
                    phrase
                }
            })
            .collect();
        Some(parts.join(" AND "))
    }
}

fn q_push(terms: &mut Vec<(String, bool)>, word: &str, prefix: bool) {
    terms.push((word.to_string(), prefix));
}

fn is_amount_word(w: &str) -> bool {
    w.split_once(':').is_some_and(|(k, v)| {
        !v.is_empty() && matches!(k.to_ascii_lowercase().as_str(), "amount" | "total")
    })
}

/// The currency written in an amount filter's word, if any.
fn amount_currency(w: &str) -> Option<Vec<String>> {
    let (_, v) = w.split_once(':')?;
    let v = v.trim_matches('"');
    let v = v.trim_start_matches(['>', '<', '=']);
    v.split("..").find_map(|part| split_currency(part).1)
}

/// Currency symbols people type, with the ISO 4217 codes each may mean.
const SYMBOLS: &[(&str, &[&str])] = &[
    ("€", &["EUR"]),
    ("£", &["GBP"]),
    ("US$", &["USD"]),
    ("$", &["USD"]),
    ("¥", &["CNY", "JPY"]),
    ("￥", &["CNY", "JPY"]),
    ("元", &["CNY"]),
    ("RMB", &["CNY"]),
    ("₹", &["INR"]),
    ("₩", &["KRW"]),
    ("₽", &["RUB"]),
    ("₺", &["TRY"]),
    ("₫", &["VND"]),
    ("฿", &["THB"]),
    ("₪", &["ILS"]),
    ("RM", &["MYR"]),
];

/// A currency code or symbol: the codes it may mean.
fn currency_spec(s: &str) -> Option<Vec<String>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some((_, codes)) = SYMBOLS.iter().find(|(sym, _)| sym.eq_ignore_ascii_case(s)) {
        return Some(codes.iter().map(|c| c.to_string()).collect());
    }
    if s.len() == 3 && s.chars().all(|c| c.is_ascii_alphabetic()) {
        return Currency::parse(s).map(|c| vec![c.code().to_string()]);
    }
    None
}

/// "50EUR", "EUR50", "€50", "50 €" -> ("50", the codes meant).
fn split_currency(s: &str) -> (&str, Option<Vec<String>>) {
    let s = s.trim();
    let is_num = |c: char| c.is_ascii_digit() || c == '.' || c == '-';
    let start = s.find(is_num);
    let end = s.rfind(is_num).map(|i| i + 1);
    match (start, end) {
        (Some(a), Some(b)) if a < b => {
            let (pre, num, post) = (&s[..a], &s[a..b], &s[b..]);
            let cur = match (pre.trim(), post.trim()) {
                ("", "") => return (num, None),
                (p, "") => currency_spec(p),
                ("", p) => currency_spec(p),
                _ => None,
            };
            match cur {
                Some(c) => (num, Some(c)),
                // Not a currency: leave the text whole, so the number parser refuses it.
                None => (s, None),
            }
        }
        _ => (s, None),
    }
}

enum Token {
    Word(String),
    Phrase(String),
}

fn tokenize(input: &str) -> Result<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    let mut cur = String::new();
    let mut in_value_quote = false;
    while let Some(c) = chars.next() {
        // Control characters (NUL included) separate words; they are never searched for.
        let c = if c.is_control() { ' ' } else { c };
        if c == '"' {
            if cur.ends_with(':') && !in_value_quote {
                // key:"quoted value"
                in_value_quote = true;
                continue;
            }
            if in_value_quote {
                in_value_quote = false;
                out.push(Token::Word(std::mem::take(&mut cur)));
                continue;
            }
            if !cur.is_empty() {
                out.push(Token::Word(std::mem::take(&mut cur)));
            }
            let mut phrase = String::new();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == '"' {
                    closed = true;
                    break;
                }
                phrase.push(c);
            }
            if !closed {
                return Err(Error::BadQuery("a quote is not closed".into()));
            }
            out.push(Token::Phrase(phrase));
        } else if c.is_whitespace() && !in_value_quote {
            if !cur.is_empty() {
                out.push(Token::Word(std::mem::take(&mut cur)));
            }
        } else {
            cur.push(c);
        }
    }
    if in_value_quote {
        return Err(Error::BadQuery("a quote is not closed".into()));
    }
    if !cur.is_empty() {
        out.push(Token::Word(cur));
    }
    Ok(out)
}

/// Parse YYYY, YYYY-MM or YYYY-MM-DD into the days [start, end), as "YYYY-MM-DD".
/// Dates are compared with the date of the payment where it happened (the day part of
/// `occurred_at`, in its own offset), which is the date a person reads on the receipt.
fn date_bound(key: &str, v: &str) -> Result<(String, String)> {
    let bad = || {
        Error::BadQuery(format!(
            "{key}:{v} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY"
        ))
    };
    let parts: Vec<&str> = v.split(['-', '/', '.']).collect();
    let num = |s: &str| -> Result<u32> {
        if s.is_empty() || s.len() > 4 || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse().map_err(|_| bad())
    };
    let (start, end) = match parts.as_slice() {
        [y] => {
            let y = num(y)? as i32;
            (
                NaiveDate::from_ymd_opt(y, 1, 1),
                NaiveDate::from_ymd_opt(y + 1, 1, 1),
            )
        }
        [y, m] => {
            let (y, m) = (num(y)? as i32, num(m)?);
            let start = NaiveDate::from_ymd_opt(y, m, 1);
            (
                start,
                start.and_then(|s| s.checked_add_months(chrono::Months::new(1))),
            )
        }
        [y, m, d] => {
            let start = NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?);
            (start, start.and_then(|s| s.succ_opt()))
        }
        _ => return Err(bad()),
    };
    let day = |d: Option<NaiveDate>| -> Result<String> {
        Ok(d.ok_or_else(bad)?.format("%Y-%m-%d").to_string())
    };
    Ok((day(start)?, day(end)?))
}

const POW10: &str =
    "(CASE v.amount_exp WHEN 0 THEN 1 WHEN 1 THEN 10 WHEN 2 THEN 100 WHEN 3 THEN 1000 ELSE 10000 END)";

impl Vault {
    /// Search with the query language above. An empty query lists everything.
    pub fn search(
        &self,
        query: &str,
        order: Order,
        offset: i64,
        limit: i64,
    ) -> Result<SearchResults> {
        let q = self.resolve(Query::parse(query)?)?;
        self.run_search(&q, order, offset, limit)
    }

    /// One page of a search within a part of the vault, with the total number of matches
    /// (the app's list). An empty query lists the whole scope.
    pub fn search_page(&self, req: &SearchRequest) -> Result<SearchPage> {
        let q = self.resolve(Query::parse(&req.query)?.within(&req.scope))?;
        let page = self.run_search(&q, req.order, req.offset, req.limit)?;
        // A short page that is not past the end tells the total without counting.
        let total = if !page.more && (!page.hits.is_empty() || req.offset <= 0) {
            req.offset.max(0) + page.hits.len() as i64
        } else {
            self.count_query(&q)?
        };
        Ok(SearchPage {
            hits: page.hits,
            total,
        })
    }

    /// Ids of every voucher a query matches within a scope, newest first (export of the
    /// current search, select all).
    pub fn search_ids_in(&self, query: &str, scope: &Scope) -> Result<Vec<i64>> {
        self.ids_of(&self.resolve(Query::parse(query)?.within(scope))?)
    }

    fn run_search(
        &self,
        q: &Query,
        order: Order,
        offset: i64,
        limit: i64,
    ) -> Result<SearchResults> {
        let limit = limit.clamp(0, 10_000);
        let many_matches = self.many_matches(q)?;
        let (sql, params) = build_sql(q, order, many_matches, offset.max(0), limit + 1);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(params.iter()), summary_from_row)?;
        let mut summaries: Vec<VoucherSummary> = rows.collect::<rusqlite::Result<_>>()?;
        let more = summaries.len() as i64 > limit.max(0);
        summaries.truncate(limit.max(0) as usize);
        let mut hits = Vec::with_capacity(summaries.len());
        let mut text_stmt = self
            .conn
            .prepare_cached("SELECT text, notes, ocr_text FROM vouchers WHERE id = ?1")?;
        for s in summaries {
            let snippet = if q.terms.is_empty() {
                None
            } else {
                let (text, notes, ocr): (String, String, String) =
                    text_stmt.query_row([s.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                snippet(&text, &q.terms)
                    .or_else(|| snippet(&ocr, &q.terms))
                    .or_else(|| snippet(&notes, &q.terms))
            };
            hits.push(Hit {
                voucher: s,
                snippet,
            });
        }
        Ok(SearchResults { hits, more })
    }

    /// How many vouchers a query matches.
    pub fn count_matches(&self, query: &str) -> Result<i64> {
        self.count_query(&self.resolve(Query::parse(query)?)?)
    }

    /// Whether the words match so many vouchers that walking an index in order beats
    /// fetching the matches (counting stops early).
    fn many_matches(&self, q: &Query) -> Result<bool> {
        Ok(match q.fts_expr() {
            Some(expr) => {
                let n: i64 = self.conn.prepare_cached(
                    "SELECT count(*) FROM (SELECT rowid FROM vouchers_fts WHERE vouchers_fts MATCH ?1 LIMIT ?2)",
                )?
                .query_row(rusqlite::params![expr, MANY_MATCHES], |r| r.get(0))?;
                n >= MANY_MATCHES
            }
            None => false,
        })
    }

    /// Walk an index when the words match many vouchers, else let the matches drive.
    fn fts_plan(&self, q: &Query) -> Result<Fts> {
        Ok(if self.many_matches(q)? {
            Fts::WalkDateIndex
        } else {
            Fts::DriveByMatches
        })
    }

    fn count_query(&self, q: &Query) -> Result<i64> {
        // Words alone: count in the full-text index and leave out the Trash (small),
        // without visiting 100k rows.
        if q.filters.is_empty() {
            if let Some(expr) = q.fts_expr() {
                return Ok(self
                    .conn
                    .prepare_cached(
                        "SELECT count(*) FROM vouchers_fts WHERE vouchers_fts MATCH ?1 \
                     AND rowid NOT IN (SELECT id FROM vouchers WHERE deleted_at IS NOT NULL)",
                    )?
                    .query_row([expr], |r| r.get(0))?);
            }
        }
        let fts = self.fts_plan(q)?;
        let (where_sql, params) = where_clause_with(q, fts);
        let hint = index_hint(q, fts);
        let sql = format!("SELECT count(*) FROM vouchers v {hint} WHERE {where_sql}");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(params.iter()), |r| r.get(0))?)
    }

    /// Ids of every voucher a query matches, newest first (for export).
    pub fn search_ids(&self, query: &str) -> Result<Vec<i64>> {
        self.ids_of(&self.resolve(Query::parse(query)?)?)
    }

    /// Settle what the query leaves to the vault: the currency of an amount filter.
    /// Cheap in the usual cases: a currency written or `currency:` asks nothing of the
    /// database; otherwise two short lookups tell one currency from several.
    fn resolve(&self, mut q: Query) -> Result<Query> {
        if !q.has_amount() {
            return Ok(q);
        }
        let written = q.amount_text.clone().unwrap_or_else(|| "amount:".into());
        let list = |codes: &[String]| match codes {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        let example = |code: &str| {
            let (key, value) = written.split_once(':').unwrap_or(("amount", ""));
            let (value, _) = split_currency(value.trim_matches('"'));
            format!("{key}:{value}{code}")
        };
        // The currencies of the part searched: the Trash or everything outside it.
        let trash = q.in_trash();
        let place = if trash { "the Trash" } else { "the vault" };
        // `currency:EUR` says which currency the amount is in.
        let stated = q.filters.iter().any(|f| matches!(f, Filter::Currency(_)));
        let code = match q.currencies.as_slice() {
            [] if stated => None,
            [] => {
                let first = self.currency_other_than(trash, None)?;
                match first {
                    // No amounts at all: nothing will match, whatever the currency.
                    None => None,
                    Some(first) => match self.currency_other_than(trash, Some(&first))? {
                        None => Some(first),
                        Some(_) => {
                            let held = self.currencies(trash)?;
                            return Err(Error::BadQuery(format!(
                                "{written} needs a currency here: {place} holds {}; write {}",
                                list(&held),
                                example(held[0].as_str())
                            )));
                        }
                    },
                }
            }
            [one] => Some(one.clone()),
            // A symbol with several meanings (¥): the one the vault holds.
            several => {
                let mut held = Vec::new();
                for c in several {
                    if self.currency_held(trash, c)? {
                        held.push(c.clone());
                    }
                }
                match held.as_slice() {
                    [] => Some(several[0].clone()),
                    [one] => Some(one.clone()),
                    both => {
                        return Err(Error::BadQuery(format!(
                            "{written}: the symbol may mean {}, and {place} holds both; write {}",
                            list(both),
                            example(both[0].as_str())
                        )))
                    }
                }
            }
        };
        if let Some(code) = code {
            q.filters.push(Filter::Currency(code));
        }
        q.currencies.clear();
        Ok(q)
    }

    /// A currency of a voucher in the part searched (the Trash, or outside it), other
    /// than `other` if given.
    fn currency_other_than(&self, trash: bool, other: Option<&str>) -> Result<Option<String>> {
        let part = searched_part(trash);
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT currency FROM vouchers {part} \
                 AND currency IS NOT NULL AND currency IS NOT ?1 LIMIT 1"
            ))?
            .query_row([other], |r| r.get(0))
            .optional()?)
    }

    fn currency_held(&self, trash: bool, code: &str) -> Result<bool> {
        let part = searched_part(trash);
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT EXISTS (SELECT 1 FROM vouchers {part} AND currency = ?1)"
            ))?
            .query_row([code], |r| r.get(0))?)
    }

    /// The currencies in the part searched, most used first.
    fn currencies(&self, trash: bool) -> Result<Vec<String>> {
        let part = searched_part(trash);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT currency FROM vouchers {part} AND currency IS NOT NULL \
             GROUP BY currency ORDER BY count(*) DESC, currency"
        ))?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn ids_of(&self, q: &Query) -> Result<Vec<i64>> {
        let fts = self.fts_plan(q)?;
        let (where_sql, params) = where_clause_with(q, fts);
        let hint = index_hint(q, fts);
        let sql = format!("SELECT v.id FROM vouchers v {hint} WHERE {where_sql} ORDER BY {NEWEST}");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(params.iter()), |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The vouchers a search looks at, through a narrow partial index: those in the Trash
/// or those outside it (a `WHERE` clause further conditions join with `AND`).
fn searched_part(trash: bool) -> &'static str {
    if trash {
        "INDEXED BY vouchers_deleted WHERE deleted_at IS NOT NULL"
    } else {
        "INDEXED BY vouchers_live WHERE deleted_at IS NULL"
    }
}

/// Which index a scan of `vouchers` should use. The table's rows carry the voucher's
/// text (about 1 KB each), so a table scan at 100k vouchers reads ~100 MB; the partial
/// indexes `vouchers_live` (not in the Trash: date, kind, merchant, amount) and
/// `vouchers_review` (Needs review candidates) hold what filters, counts and sorts read,
/// in date order. When few vouchers match the words, the matches drive the query instead.
fn index_hint(q: &Query, fts: Fts) -> &'static str {
    if q.in_trash() || (fts == Fts::DriveByMatches && q.fts_expr().is_some()) {
        ""
    } else if q.filters.contains(&Filter::NeedsReview) {
        "INDEXED BY vouchers_review"
    } else {
        "INDEXED BY vouchers_live"
    }
}

/// How the full-text condition joins the query.
#[derive(Clone, Copy, PartialEq)]
enum Fts {
    /// Few matches: fetch them and sort them.
    DriveByMatches,
    /// Many matches: walk the date index in order and stop once a page is full (the
    /// unary + keeps SQLite from driving by the match set and sorting it all: 77k rows
    /// for a common word at 100k vouchers).
    WalkDateIndex,
    /// The caller joins the full-text table itself (relevance order).
    Joined,
}

/// Above this many matches, walking the date index beats sorting the matches.
const MANY_MATCHES: i64 = 3000;

fn where_clause_with(q: &Query, fts: Fts) -> (String, Vec<Value>) {
    let mut clauses = vec![if q.in_trash() {
        "v.deleted_at IS NOT NULL".to_string()
    } else {
        "v.deleted_at IS NULL".to_string()
    }];
    let mut params: Vec<Value> = Vec::new();
    if let Some(expr) = q.fts_expr().filter(|_| fts != Fts::Joined) {
        params.push(Value::Text(expr));
        let plus = if fts == Fts::WalkDateIndex { "+" } else { "" };
        clauses.push(format!(
            "{plus}v.id IN (SELECT rowid FROM vouchers_fts WHERE vouchers_fts MATCH ?{})",
            params.len()
        ));
    }
    for f in &q.filters {
        let mut p = |v: Value| {
            params.push(v);
            params.len()
        };
        let clause = match f {
            Filter::Merchant(m) => {
                let like = format!(
                    "%{}%",
                    m.replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_")
                );
                format!("v.merchant LIKE ?{} ESCAPE '\\'", p(Value::Text(like)))
            }
            Filter::Tag(t) => format!(
                "EXISTS (SELECT 1 FROM tags WHERE voucher_id = v.id AND tag = ?{})",
                p(Value::Text(t.clone()))
            ),
            Filter::Kind(k) => format!("v.kind = ?{}", p(Value::Text(k.clone()))),
            Filter::Currency(c) => format!("v.currency = ?{}", p(Value::Text(c.clone()))),
            // A date known only from the file or the import is no payment date.
            Filter::After(d) => format!(
                "v.dated = 1 AND v.occurred_date >= ?{}",
                p(Value::Text(d.clone()))
            ),
            Filter::Before(d) => format!(
                "v.dated = 1 AND v.occurred_date < ?{}",
                p(Value::Text(d.clone()))
            ),
            Filter::Amount(cmp, d) => {
                let op = match cmp {
                    Cmp::Ge => ">=",
                    Cmp::Le => "<=",
                    Cmp::Gt => ">",
                    Cmp::Lt => "<",
                    Cmp::Eq => "=",
                };
                // amount_minor / 10^exp  op  units / 10^scale, in integers.
                let scale = 10i64.pow(d.scale);
                let a = p(Value::Integer(scale));
                let b = p(Value::Integer(d.units));
                format!("v.amount_minor IS NOT NULL AND v.amount_minor * ?{a} {op} ?{b} * {POW10}")
            }
            Filter::KindOther => "v.kind IN ('text', 'other')".to_string(),
            Filter::NeedsReview => NEEDS_REVIEW_SQL.to_string(),
            Filter::Trash => continue,
        };
        clauses.push(clause);
    }
    (clauses.join(" AND "), params)
}

fn build_sql(
    q: &Query,
    order: Order,
    many_matches: bool,
    offset: i64,
    limit: i64,
) -> (String, Vec<Value>) {
    let relevance = order == Order::Relevance && q.fts_expr().is_some();
    let fts = if relevance {
        Fts::Joined
    } else if many_matches {
        Fts::WalkDateIndex
    } else {
        Fts::DriveByMatches
    };
    let (where_sql, mut params) = where_clause_with(q, fts);
    // Vouchers without a payment date (`dated` = 0) come after the dated ones.
    let order_sql = match order {
        Order::Newest => NEWEST.to_string(),
        Order::Oldest => "v.dated DESC, v.occurred_ts ASC, v.id ASC".to_string(),
        Order::AmountDesc => {
            format!("v.amount_minor IS NULL, CAST(v.amount_minor AS REAL) / {POW10} DESC, {NEWEST}")
        }
        Order::AmountAsc => {
            format!("v.amount_minor IS NULL, CAST(v.amount_minor AS REAL) / {POW10} ASC, {NEWEST}")
        }
        Order::Merchant => format!("v.merchant IS NULL, v.merchant COLLATE NOCASE, {NEWEST}"),
        Order::Relevance => NEWEST.into(),
        // Ids grow with each voucher added.
        Order::Added => "v.id DESC".into(),
    };
    if let (true, Some(expr)) = (relevance, q.fts_expr()) {
        // Driven by the full-text index, ranked by bm25 with column weights
        // (title, merchant, body, notes, tags, file name).
        params.push(Value::Text(expr));
        let m = params.len();
        params.push(Value::Integer(limit));
        let l = params.len();
        params.push(Value::Integer(offset.max(0)));
        let o = params.len();
        return (
            format!(
                "SELECT {SUMMARY_COLS} FROM vouchers_fts f JOIN vouchers v ON v.id = f.rowid AND vouchers_fts MATCH ?{m} \
                 WHERE {where_sql} \
                 ORDER BY bm25(vouchers_fts, 5.0, 8.0, 1.0, 3.0, 5.0, 2.0), v.dated DESC, v.occurred_ts DESC \
                 LIMIT ?{l} OFFSET ?{o}"
            ),
            params,
        );
    }
    params.push(Value::Integer(limit));
    let l = params.len();
    params.push(Value::Integer(offset.max(0)));
    let o = params.len();
    // The page's ids come from a scan of a narrow index (sorted there if need be); only
    // the page's rows are read whole.
    // Recently added without filters walks the table by id and stops at the page's end.
    let hint = if order == Order::Added && q.filters.is_empty() {
        ""
    } else {
        index_hint(q, fts)
    };
    (
        format!(
            "SELECT {SUMMARY_COLS} FROM vouchers v WHERE v.id IN \
             (SELECT v.id FROM vouchers v {hint} WHERE {where_sql} ORDER BY {order_sql} LIMIT ?{l} OFFSET ?{o}) \
             ORDER BY {order_sql}"
        ),
        params,
    )
}

/// Context kept on each side of the match in a snippet: about 12 words.
const SNIPPET_SIDE: usize = 80;

/// The text around the first term found: the matched word whole, with about 12 words
/// (~80 characters) on each side, cut at spaces, whitespace collapsed, "…" where cut.
fn snippet(text: &str, terms: &[(String, bool)]) -> Option<String> {
    let (start, end) = terms
        .iter()
        .filter_map(|(t, _)| find_ci(text, t))
        .min_by_key(|&(s, _)| s)?;
    Some(snippet_at(text, start, end))
}

/// The first case-insensitive occurrence of `needle` in `text`, as a byte range of `text`.
fn find_ci(text: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    let lower = text.to_lowercase();
    let low_needle = needle.to_lowercase();
    if lower.len() == text.len() {
        // Lower-casing usually keeps every byte offset (nearly all text). Equal lengths
        // do not prove it (one character may grow and another shrink: "İ ... ẞ"), so the
        // offsets found are used only when the text there lower-cases to the needle.
        let i = lower.find(&low_needle)?;
        let j = i + low_needle.len();
        if text.is_char_boundary(i)
            && text.is_char_boundary(j)
            && text[i..j].to_lowercase() == low_needle
        {
            return Some((i, j));
        }
    }
    // Offsets moved (rare scripts): compare character by character.
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    for (i, _) in text.char_indices() {
        let mut k = 0;
        for (off, c) in text[i..].char_indices() {
            for lc in c.to_lowercase() {
                if needle.get(k) != Some(&lc) {
                    k = usize::MAX;
                    break;
                }
                k += 1;
            }
            if k == usize::MAX {
                break;
            }
            if k >= needle.len() {
                return Some((i, i + off + c.len_utf8()));
            }
        }
    }
    None
}

fn snippet_at(text: &str, start: usize, end: usize) -> String {
    // Widen the match to its whole word (at most a few characters: CJK has no spaces).
    const WIDEN: usize = 24;
    let word_start = text[..start]
        .char_indices()
        .rev()
        .take(WIDEN)
        .take_while(|&(_, c)| !c.is_whitespace())
        .last()
        .map_or(start, |(i, _)| i);
    let word_end = text[end..]
        .char_indices()
        .take(WIDEN)
        .find(|&(_, c)| c.is_whitespace())
        .map_or_else(
            || {
                text[end..]
                    .char_indices()
                    .nth(WIDEN)
                    .map_or(text.len(), |(i, _)| end + i)
            },
            |(i, _)| end + i,
        );
    // About SNIPPET_SIDE characters on each side, cut at a space when there is one
    // near the edge (never inside the match).
    let mut from = text[..word_start]
        .char_indices()
        .rev()
        .nth(SNIPPET_SIDE - 1)
        .map_or(0, |(i, _)| i);
    if from > 0 {
        let window = &text[from..word_start];
        if let Some(i) = window.find(char::is_whitespace) {
            if i < window.len() / 2 {
                from += i;
            }
        }
    }
    let mut to = text[word_end..]
        .char_indices()
        .nth(SNIPPET_SIDE)
        .map_or(text.len(), |(i, _)| word_end + i);
    if to < text.len() {
        let window = &text[word_end..to];
        if let Some(i) = window.rfind(char::is_whitespace) {
            if i > window.len() / 2 {
                to = word_end + i;
            }
        }
    }
    let mut s: String = text[from..to]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !text[..from].trim().is_empty() {
        s.insert(0, '…');
    }
    if !text[to..].trim().is_empty() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn plan(conn: &Connection, sql: &str, params: &[Value]) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(params_from_iter(params.iter()), |r| r.get::<_, String>(3))
            .unwrap();
        rows.map(|r| r.unwrap()).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn newest_first_walks_the_live_index_without_sorting() {
        // At 100k vouchers a sort of every match costs more than the page: the order
        // (payment dates first) must come from walking the narrow index.
        let conn = crate::vault::db::open_in_memory().unwrap();
        for q in [
            "",
            "merchant:shop",
            "after:2025-01-01",
            "before:2026 kind:pdf",
            "amount:>=5",
        ] {
            let query = Query::parse(q).unwrap();
            let (where_sql, params) = where_clause_with(&query, Fts::DriveByMatches);
            let hint = index_hint(&query, Fts::DriveByMatches);
            let sql = format!(
                "SELECT v.id FROM vouchers v {hint} WHERE {where_sql} ORDER BY {NEWEST} LIMIT 100"
            );
            let p = plan(&conn, &sql, &params);
            assert!(p.contains("vouchers_live"), "{q}: {p}");
            // Only ties of the same second are put in id order.
            assert!(!p.contains("TEMP B-TREE FOR ORDER BY"), "{q}: {p}");
        }
        // Recently added with no filter walks the table by id: the subquery that picks
        // the page sorts nothing (the outer query may sort the page's rows).
        let (sql, params) = build_sql(&Query::default(), Order::Added, false, 0, 100);
        let rows = plan_rows(&conn, &sql, &params);
        let sub = rows
            .iter()
            .find(|(_, _, d)| d.contains("SUBQUERY"))
            .unwrap_or_else(|| panic!("no subquery in {rows:?}"))
            .0;
        let inner = plan_subtree(&rows, sub);
        assert!(
            inner.iter().any(|d| d.starts_with("SCAN v")),
            "{inner:?} in {rows:?}"
        );
        assert!(
            !inner.iter().any(|d| d.contains("TEMP B-TREE FOR ORDER BY")),
            "{inner:?} in {rows:?}"
        );
    }

    /// The query plan as (id, parent, detail) rows.
    fn plan_rows(conn: &Connection, sql: &str, params: &[Value]) -> Vec<(i64, i64, String)> {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(params_from_iter(params.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(3)?))
            })
            .unwrap();
        rows.map(|r| r.unwrap()).collect()
    }

    /// The details of the plan rows below `root` (at any depth).
    fn plan_subtree(rows: &[(i64, i64, String)], root: i64) -> Vec<String> {
        let mut ids = vec![root];
        let mut out = Vec::new();
        while let Some(id) = ids.pop() {
            for (child, parent, detail) in rows {
                if *parent == id {
                    ids.push(*child);
                    out.push(detail.clone());
                }
            }
        }
        out
    }

    #[test]
    fn the_plan_check_sees_a_sort_in_the_subquery() {
        // The check above must fail when the subquery sorts: ordering by a column no
        // index holds forces a temporary b-tree there.
        let conn = crate::vault::db::open_in_memory().unwrap();
        let sql = "SELECT v.id FROM vouchers v WHERE v.id IN \
                   (SELECT v.id FROM vouchers v ORDER BY v.notes LIMIT 10) ORDER BY v.id DESC";
        let rows = plan_rows(&conn, sql, &[]);
        let sub = rows
            .iter()
            .find(|(_, _, d)| d.contains("SUBQUERY"))
            .unwrap()
            .0;
        let inner = plan_subtree(&rows, sub);
        assert!(
            inner.iter().any(|d| d.contains("TEMP B-TREE FOR ORDER BY")),
            "{inner:?} in {rows:?}"
        );
    }

    #[test]
    fn amounts_carry_their_currency() {
        for (q, codes) in [
            ("amount:>=50EUR", vec!["EUR"]),
            ("amount:>=EUR50", vec!["EUR"]),
            ("amount:>=€50", vec!["EUR"]),
            ("amount:50€", vec!["EUR"]),
            ("amount:>=50 EUR", vec!["EUR"]),
            ("amount:>=50eur", vec!["EUR"]),
            ("amount:50..100CNY", vec!["CNY"]),
            ("amount:CNY50..100", vec!["CNY"]),
            ("amount:>=¥50", vec!["CNY", "JPY"]),
            ("amount:>=50", vec![]),
        ] {
            let parsed = Query::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
            assert_eq!(parsed.currencies, codes, "{q}");
            assert!(parsed.terms.is_empty(), "{q}: {:?}", parsed.terms);
            assert!(parsed.has_amount(), "{q}");
        }
        let q = Query::parse("amount:50..100CNY").unwrap();
        assert_eq!(q.filters.len(), 2);
        for bad in ["amount:50XYZ", "amount:50EUR..60USD", "amount:€"] {
            let err = Query::parse(bad).unwrap_err();
            assert_eq!(err.code(), "bad_query", "{bad}");
        }
        // A word after an amount that is not a currency stays a word.
        let q = Query::parse("amount:>=5 cup").unwrap();
        assert_eq!(q.terms, vec![("cup".to_string(), false)]);
    }

    #[test]
    fn snippets_centre_on_the_match() {
        let text = format!(
            "{} the matched word is here {}",
            "alpha beta gamma ".repeat(30),
            "delta epsilon ".repeat(30)
        );
        let sn = snippet(&text, &[("matched".into(), false)]).unwrap();
        let (before, after) = sn.split_once("matched").unwrap();
        assert!((60..=90).contains(&before.chars().count()), "{sn}");
        assert!((60..=95).contains(&after.chars().count()), "{sn}");
        assert!(!sn.contains("  "));
        // A match inside a long word keeps the word whole.
        let sn = snippet("Receipt #44 for order XJ-99881", &[("9988".into(), true)]).unwrap();
        assert_eq!(sn, "Receipt #44 for order XJ-99881");
        // Rare scripts whose lower case changes byte offsets.
        let sn = snippet("İSTANBUL Kahve 40 TL", &[("kahve".into(), false)]).unwrap();
        assert!(sn.contains("Kahve"), "{sn}");
    }

    #[test]
    fn snippets_survive_lower_case_that_moves_offsets_both_ways() {
        // "İ" grows by a byte in lower case and "ẞ" shrinks by one: the lengths are
        // equal, the offsets before "ẞ" are not.
        let text = "İ ödeme ẞ";
        assert_eq!(text.len(), text.to_lowercase().len());
        let (s, e) = find_ci(text, "ödeme").unwrap();
        assert_eq!(&text[s..e], "ödeme");
        let sn = snippet(text, &[("ödeme".into(), false)]).unwrap();
        assert!(sn.contains("ödeme"), "{sn}");
        // Mixed strings of characters whose lower case is longer, shorter or the same.
        let parts = [
            "İ", "ẞ", "ö", "Ö", "a", "Σ", " ", "K", "\u{212A}", "ß", "ǅ", "ﬃ", "中", "é", "x",
        ];
        let needles = ["ödeme", "ö", "ka", "ß", "σ", "中x", "ﬃ", "é"];
        let mut seed = 0x2545_f491_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut checked = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..next() % 12 {
                let seed = next();
                text.push_str(parts[(seed % parts.len() as u64) as usize]);
                if seed.is_multiple_of(5) {
                    text.push_str("ödeme");
                }
            }
            for needle in needles {
                if let Some((s, e)) = find_ci(&text, needle) {
                    assert!(
                        text.is_char_boundary(s) && text.is_char_boundary(e),
                        "{text:?}"
                    );
                    let sn = snippet_at(&text, s, e);
                    assert!(sn.contains(&text[s..e]), "{text:?} {needle:?}: {sn:?}");
                    assert_eq!(text[s..e].to_lowercase(), needle.to_lowercase(), "{text:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn bad_queries_are_clear_errors() {
        let cases = [
            ("\"unclosed", "quote"),
            ("foo:bar", "unknown filter"),
            ("amount:abc", "not an amount"),
            ("amount:1.23456", "not an amount"),
            ("amount:..", "not an amount"),
            ("after:2026-13-01", "not a date"),
            ("after:yesterday", "not a date"),
            ("kind:spreadsheet", "not a kind"),
            ("currency:XXY", "ISO 4217"),
            ("merchant:", "needs a value"),
            ("*", "prefix"),
        ];
        for (q, expect) in cases {
            let err = Query::parse(q).unwrap_err();
            assert_eq!(err.code(), "bad_query", "{q}");
            assert!(err.to_string().contains(expect), "{q}: {err}");
        }
    }

    #[test]
    fn queries_parse() {
        let q =
            Query::parse("coffee  beans* merchant:\"Blue Bottle\" amount:>=12.50 tag:Tax").unwrap();
        assert_eq!(
            q.terms,
            vec![("coffee".into(), false), ("beans".into(), true)]
        );
        assert_eq!(
            q.filters,
            vec![
                Filter::Merchant("Blue Bottle".into()),
                Filter::Amount(
                    Cmp::Ge,
                    Decimal {
                        units: 1250,
                        scale: 2
                    }
                ),
                Filter::Tag("tax".into()),
            ]
        );
        assert_eq!(q.fts_expr().unwrap(), "\"coffee\" AND \"beans\" *");
        // FTS syntax in user input stays literal.
        let q = Query::parse("NEAR(a b) OR -x ^y \"a\"\"b\"").unwrap();
        assert!(q.fts_expr().unwrap().starts_with("\"NEAR(a\""));
        assert!(Query::parse("").unwrap().is_empty());
        assert!(Query::parse("12:30").unwrap().filters.is_empty());
    }
}
