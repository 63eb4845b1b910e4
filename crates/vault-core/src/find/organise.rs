//! Organising the vault: the sidebar's counts, the Trash, "Needs review" and saved searches.

use crate::error::{Error, Result};
use crate::vault::model::{Facets, SavedSearch, Scope, TagCount};
use crate::vault::rows::NEEDS_REVIEW_SQL;
use crate::vault::{now_utc, Vault};
use rusqlite::{params, OptionalExtension};

/// Ids are changed in chunks so a statement never exceeds SQLite's parameter limit.
const CHUNK: usize = 500;

impl Vault {
    /// Counts for the sidebar: per kind, Needs review, Trash, tags and saved searches.
    pub fn facets(&self) -> Result<Facets> {
        let mut f = Facets::default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, count(*) FROM vouchers INDEXED BY vouchers_live WHERE deleted_at IS NULL GROUP BY kind",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (kind, n) = row?;
            f.all += n;
            match kind.as_str() {
                "image" => f.images += n,
                "email" => f.emails += n,
                "pdf" => f.pdfs += n,
                _ => f.other += n,
            }
        }
        f.needs_review = self.conn.query_row(
            &format!(
                "SELECT count(*) FROM vouchers v INDEXED BY vouchers_review WHERE {NEEDS_REVIEW_SQL}"
            ),
            [],
            |r| r.get(0),
        )?;
        f.trash = self.conn.query_row(
            "SELECT count(*) FROM vouchers WHERE deleted_at IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT tag, count(*) FROM tags \
             WHERE voucher_id NOT IN (SELECT id FROM vouchers WHERE deleted_at IS NOT NULL) \
             GROUP BY tag ORDER BY tag",
        )?;
        f.tags = stmt
            .query_map([], |r| {
                Ok(TagCount {
                    tag: r.get(0)?,
                    count: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        f.saved = self.saved_searches()?;
        Ok(f)
    }

    /// Move vouchers to the Trash. They leave every list but the Trash's and keep all
    /// their data until the Trash is emptied. Returns how many moved.
    pub fn trash(&mut self, ids: &[i64]) -> Result<usize> {
        let now = now_utc();
        self.update_ids(
            ids,
            "UPDATE vouchers SET deleted_at = ?1 WHERE deleted_at IS NULL AND id IN",
            &now,
        )
    }

    /// Bring vouchers back from the Trash. Returns how many came back.
    pub fn restore(&mut self, ids: &[i64]) -> Result<usize> {
        self.update_ids(
            ids,
            "UPDATE vouchers SET deleted_at = NULL WHERE ?1 = ?1 AND deleted_at IS NOT NULL AND id IN",
            "",
        )
    }

    /// Mark vouchers as checked by a person (they leave "Needs review"), or undo that.
    pub fn set_reviewed(&mut self, ids: &[i64], reviewed: bool) -> Result<usize> {
        if reviewed {
            let now = now_utc();
            self.update_ids(
                ids,
                "UPDATE vouchers SET reviewed_at = ?1 WHERE reviewed_at IS NULL AND id IN",
                &now,
            )
        } else {
            self.update_ids(
                ids,
                "UPDATE vouchers SET reviewed_at = NULL WHERE ?1 = ?1 AND reviewed_at IS NOT NULL AND id IN",
                "",
            )
        }
    }

    /// `UPDATE … WHERE … id IN (…)` over `ids` in one transaction; `?1` is `arg`.
    /// Unknown ids are an error and change nothing.
    fn update_ids(&mut self, ids: &[i64], update: &str, arg: &str) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut changed = 0;
        for chunk in ids.chunks(CHUNK) {
            for &id in chunk {
                let exists: Option<i64> = tx
                    .query_row("SELECT 1 FROM vouchers WHERE id = ?1", [id], |r| r.get(0))
                    .optional()?;
                if exists.is_none() {
                    return Err(Error::NotFound(id));
                }
            }
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!("{update} ({marks})");
            let mut values: Vec<rusqlite::types::Value> = vec![arg.to_string().into()];
            values.extend(chunk.iter().map(|&i| rusqlite::types::Value::Integer(i)));
            // Positional `?` after `?1` continue from 2.
            changed += tx.execute(&sql, rusqlite::params_from_iter(values))?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Delete everything in the Trash for good: rows, then the originals and thumbnails
    /// no remaining voucher uses. Returns how many vouchers were deleted.
    ///
    /// The rows go in one transaction first; a crash before the files are removed only
    /// leaves orphan objects, which `verify` reports and nothing reads.
    pub fn empty_trash(&mut self) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let doomed: Vec<(i64, String, Option<String>)> = {
            let mut stmt = tx.prepare(
                "SELECT id, sha256, thumb_sha256 FROM vouchers WHERE deleted_at IS NOT NULL",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (id, _, _) in &doomed {
            tx.execute("DELETE FROM vouchers_fts WHERE rowid = ?1", [id])?;
            tx.execute("DELETE FROM vouchers WHERE id = ?1", [id])?;
        }
        // Objects still used by a remaining voucher (as original or thumbnail) stay.
        let mut unused = Vec::new();
        {
            let mut used = tx
                .prepare("SELECT 1 FROM vouchers WHERE sha256 = ?1 OR thumb_sha256 = ?1 LIMIT 1")?;
            for (_, sha, thumb) in &doomed {
                for h in std::iter::once(sha).chain(thumb.iter()) {
                    if used.query_row([h], |_| Ok(())).optional()?.is_none() {
                        unused.push(h.clone());
                    }
                }
            }
        }
        tx.commit()?;
        for h in unused {
            self.store.remove(&h)?;
        }
        Ok(doomed.len())
    }

    /// Saved searches, by name.
    pub fn saved_searches(&self) -> Result<Vec<SavedSearch>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, query, scope, created_at FROM saved_searches ORDER BY name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| {
            let scope: String = r.get(3)?;
            Ok(SavedSearch {
                id: r.get(0)?,
                name: r.get(1)?,
                query: r.get(2)?,
                scope: serde_json::from_str(&scope).unwrap_or_default(),
                created_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keep a search under a name (a name already used is replaced). The query must parse.
    pub fn save_search(&mut self, name: &str, query: &str, scope: &Scope) -> Result<SavedSearch> {
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(Error::Invalid(format!(
                "{name:?} is not a name for a saved search"
            )));
        }
        crate::find::query::Query::parse(query)?;
        let scope_json =
            serde_json::to_string(scope).map_err(|e| Error::Invalid(format!("scope: {e}")))?;
        self.conn.execute(
            "INSERT INTO saved_searches (name, query, scope, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(name) DO UPDATE SET query = excluded.query, scope = excluded.scope",
            params![name, query.trim(), scope_json, now_utc()],
        )?;
        self.saved_searches()?
            .into_iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::Invalid(format!("saved search {name:?} was not stored")))
    }

    pub fn delete_saved_search(&mut self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM saved_searches WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::Invalid(format!("no saved search with id {id}")));
        }
        Ok(())
    }

    /// Bytes the vault takes on disk: the database (with its WAL) and the originals
    /// (thumbnails, a few KB each, are not counted: that would mean a stat per object).
    pub fn disk_usage(&self) -> Result<u64> {
        let mut total = 0;
        for name in ["vault.db", "vault.db-wal", "vault.db-shm"] {
            if let Ok(m) = std::fs::metadata(self.dir.join(name)) {
                total += m.len();
            }
        }
        // Read from the narrow index (and the Trash's few rows), not the wide table.
        let objects: i64 = self.conn.query_row(
            "SELECT (SELECT coalesce(sum(size), 0) FROM vouchers INDEXED BY vouchers_live \
                     WHERE deleted_at IS NULL) \
                  + (SELECT coalesce(sum(size), 0) FROM vouchers WHERE deleted_at IS NOT NULL)",
            [],
            |r| r.get(0),
        )?;
        total += objects.max(0) as u64;
        Ok(total)
    }
}
