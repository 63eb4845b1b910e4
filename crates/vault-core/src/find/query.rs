//! The query language, one for the CLI and the app.
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
use crate::vault::model::{Kind, Scope};
use crate::vault::money::{Currency, Decimal};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cmp {
    Ge,
    Le,
    Gt,
    Lt,
    Eq,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Filter {
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
    pub(super) terms: Vec<(String, bool)>,
    pub(super) filters: Vec<Filter>,
    /// The currencies an amount filter names (a symbol such as ¥ may mean several);
    /// empty when none was written. Resolved against the vault before the query runs.
    pub(super) currencies: Vec<String>,
    /// How the amount filter was written, for messages.
    pub(super) amount_text: Option<String>,
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

    pub(super) fn in_trash(&self) -> bool {
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

    pub(super) fn has_amount(&self) -> bool {
        self.filters.iter().any(|f| matches!(f, Filter::Amount(..)))
    }

    /// The FTS5 MATCH expression: every term a quoted phrase, so no user input is FTS syntax.
    pub(super) fn fts_expr(&self) -> Option<String> {
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
pub(super) fn split_currency(s: &str) -> (&str, Option<Vec<String>>) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
