//! Search: a parsed query run over the voucher rows and the full-text index, with the
//! plan chosen for its size (few matches drive the query; many walk the date index), one
//! page at a time, with a snippet of the text around the match.
//!
//! The query language itself is in `query`; the snippets in `snippet`.

use crate::error::{Error, Result};
use crate::find::query::{split_currency, Cmp, Filter, Query};
use crate::find::snippet::snippet;
use crate::vault::model::{Order, Scope, SearchRequest, VoucherSummary};
use crate::vault::rows::{summary_from_row, NEEDS_REVIEW_SQL, NEWEST, SUMMARY_COLS};
use crate::vault::Vault;
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
}
