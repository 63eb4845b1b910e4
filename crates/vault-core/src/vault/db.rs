//! The one place that opens the database: per-connection pragmas and forward-only
//! migrations, each applied in one transaction. Never edit a released migration; add one.

use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::Path;

/// Migrations in order; `PRAGMA user_version` holds how many are applied.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: vouchers, their sources, tags, derived objects, full-text index.
    r#"
CREATE TABLE vouchers (
    id                 INTEGER PRIMARY KEY,
    sha256             TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size               INTEGER NOT NULL CHECK (size >= 0),
    media_type         TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('image','email','pdf','text','other')),
    original_name      TEXT NOT NULL,
    added_at           TEXT NOT NULL,
    occurred_at        TEXT NOT NULL,
    occurred_ts        INTEGER NOT NULL,
    -- The day of the payment where it happened (occurred_at's own offset), for date filters.
    occurred_date      TEXT GENERATED ALWAYS AS (substr(occurred_at, 1, 10)) VIRTUAL,
    occurred_source    TEXT NOT NULL,
    title              TEXT NOT NULL DEFAULT '',
    merchant           TEXT,
    merchant_origin    TEXT NOT NULL DEFAULT 'extracted',
    amount_minor       INTEGER,
    currency           TEXT,
    amount_exp         INTEGER,
    amount_origin      TEXT NOT NULL DEFAULT 'extracted',
    payment_method     TEXT,
    payment_method_origin TEXT NOT NULL DEFAULT 'extracted',
    order_ref          TEXT,
    order_ref_origin   TEXT NOT NULL DEFAULT 'extracted',
    notes              TEXT NOT NULL DEFAULT '',
    text               TEXT NOT NULL DEFAULT '',
    parent_id          INTEGER REFERENCES vouchers(id) ON DELETE SET NULL,
    width              INTEGER,
    height             INTEGER,
    thumb_sha256       TEXT,
    thumb_state        TEXT NOT NULL DEFAULT 'none',
    warnings           TEXT NOT NULL DEFAULT '[]',
    deleted_at         TEXT,
    CHECK ((amount_minor IS NULL) = (currency IS NULL))
);
CREATE INDEX vouchers_occurred ON vouchers(occurred_ts DESC, id DESC);
CREATE INDEX vouchers_date ON vouchers(occurred_date);
CREATE INDEX vouchers_parent ON vouchers(parent_id);
CREATE INDEX vouchers_thumb_state ON vouchers(thumb_state);
CREATE INDEX vouchers_thumb ON vouchers(thumb_sha256) WHERE thumb_sha256 IS NOT NULL;

CREATE TABLE emails (
    voucher_id  INTEGER PRIMARY KEY REFERENCES vouchers(id) ON DELETE CASCADE,
    from_addr   TEXT NOT NULL,
    to_addr     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    date        TEXT,
    message_id  TEXT,
    html        TEXT
);

CREATE TABLE sources (
    voucher_id  INTEGER NOT NULL REFERENCES vouchers(id) ON DELETE CASCADE,
    path        TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (voucher_id, path)
);

-- Which vouchers came as attachments of which email. parent_id keeps the first email
-- a voucher came in; this table links every email to every attachment, including one
-- that was already in the vault.
CREATE TABLE attachments (
    email_id    INTEGER NOT NULL REFERENCES vouchers(id) ON DELETE CASCADE,
    voucher_id  INTEGER NOT NULL REFERENCES vouchers(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    PRIMARY KEY (email_id, voucher_id)
);
CREATE INDEX attachments_voucher ON attachments(voucher_id);

CREATE TABLE tags (
    voucher_id  INTEGER NOT NULL REFERENCES vouchers(id) ON DELETE CASCADE,
    tag         TEXT NOT NULL,
    PRIMARY KEY (voucher_id, tag)
);
CREATE INDEX tags_tag ON tags(tag);

CREATE VIRTUAL TABLE vouchers_fts USING fts5(
    title, merchant, body, notes, tags, filename,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
"#,
    // 2: stored confidences, tax, review, OCR queue, saved searches.
    r#"
-- Confidence (0..1) of each extracted value; NULL when unknown or not extracted.
ALTER TABLE vouchers ADD COLUMN merchant_conf REAL;
ALTER TABLE vouchers ADD COLUMN amount_conf REAL;
ALTER TABLE vouchers ADD COLUMN occurred_conf REAL;
ALTER TABLE vouchers ADD COLUMN order_ref_conf REAL;
ALTER TABLE vouchers ADD COLUMN payment_method_conf REAL;
-- Tax stated on the voucher, in minor units of the voucher's currency.
ALTER TABLE vouchers ADD COLUMN tax_minor INTEGER;
-- A person confirmed the facts: the voucher leaves "Needs review".
ALTER TABLE vouchers ADD COLUMN reviewed_at TEXT;
-- OCR queue: the state is the queue, so it survives a restart.
ALTER TABLE vouchers ADD COLUMN ocr_state TEXT NOT NULL DEFAULT 'none'
    CHECK (ocr_state IN ('none','pending','done','failed','unavailable'));
ALTER TABLE vouchers ADD COLUMN ocr_error TEXT;
ALTER TABLE vouchers ADD COLUMN ocr_text TEXT NOT NULL DEFAULT '';
CREATE INDEX vouchers_ocr_pending ON vouchers(id) WHERE ocr_state = 'pending';
CREATE INDEX vouchers_deleted ON vouchers(deleted_at) WHERE deleted_at IS NOT NULL;
-- A voucher's row carries its text (~1 KB), so scans read the narrow partial indexes
-- below instead (search.rs names them in INDEXED BY): what lists, filters, sorts and
-- counts read, in date order.
CREATE INDEX vouchers_live ON vouchers(occurred_ts, occurred_date, kind, merchant, currency, amount_minor, amount_exp, size)
    WHERE deleted_at IS NULL;
CREATE INDEX vouchers_review ON vouchers(occurred_ts, parent_id, amount_minor, amount_origin, amount_conf,
    occurred_source, occurred_conf)
    WHERE deleted_at IS NULL AND reviewed_at IS NULL AND ocr_state != 'pending';

CREATE TABLE saved_searches (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    query       TEXT NOT NULL,
    scope       TEXT NOT NULL DEFAULT '{"type":"all"}',
    created_at  TEXT NOT NULL
);
"#,
    // 3: honest dates. A date known only from the file's modification time or from when
    // it was added is no payment date: `dated` is 0 for those, and the narrow indexes lead
    // with it, so date filters skip them and "newest first" lists them after the dated
    // ones while still walking one index in order. The review index also carries the
    // merchant's origin and confidence (an uncertain merchant needs review too).
    r#"
ALTER TABLE vouchers ADD COLUMN dated INTEGER
    GENERATED ALWAYS AS (occurred_source NOT IN ('file_mtime', 'added')) VIRTUAL;
DROP INDEX vouchers_live;
CREATE INDEX vouchers_live ON vouchers(dated, occurred_ts, occurred_date, kind, merchant, currency,
    amount_minor, amount_exp, size)
    WHERE deleted_at IS NULL;
DROP INDEX vouchers_review;
CREATE INDEX vouchers_review ON vouchers(dated, occurred_ts, parent_id, amount_minor, amount_origin,
    amount_conf, occurred_source, occurred_conf, merchant_origin, merchant_conf)
    WHERE deleted_at IS NULL AND reviewed_at IS NULL AND ocr_state != 'pending';
"#,
    // 4: the review index also carries the merchant, which "Needs review" reads for an
    // uncertain extracted merchant; without it every candidate's row (~1 KB) is read.
    r#"
DROP INDEX vouchers_review;
CREATE INDEX vouchers_review ON vouchers(dated, occurred_ts, parent_id, amount_minor, amount_origin,
    amount_conf, occurred_source, occurred_conf, merchant_origin, merchant_conf, merchant)
    WHERE deleted_at IS NULL AND reviewed_at IS NULL AND ocr_state != 'pending';
"#,
    // 5: the vault's settings, one row per setting (the default currency of receipts that
    // name none), so the app and the CLI read the same ones.
    r#"
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
"#,
];

/// Schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -32000;",
    )?;
    Ok(())
}

/// Open (and if asked, create) the database at `path` and bring it up to date.
pub(crate) fn open(path: &Path, vault_dir: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            path: vault_dir.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

/// An in-memory twin for tests.
#[cfg(test)]
pub(crate) fn open_in_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let version = i as i64 + 1;
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
        ))
        .inspect_err(|_| {
            let _ = conn.execute_batch("ROLLBACK");
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_and_validate() {
        let conn = open_in_memory().unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        // Applying again is a no-op.
        migrate(&conn).unwrap();
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn each_migration_applies_on_top_of_the_previous() {
        let conn = Connection::open_in_memory().unwrap();
        for (i, sql) in MIGRATIONS.iter().enumerate() {
            conn.execute_batch(&format!(
                "BEGIN;{sql}; PRAGMA user_version={}; COMMIT;",
                i + 1
            ))
            .unwrap_or_else(|e| panic!("migration {} fails: {e}", i + 1));
        }
    }

    #[test]
    fn a_vault_of_version_2_learns_which_dates_are_payment_dates() {
        let conn = Connection::open_in_memory().unwrap();
        for (i, sql) in MIGRATIONS.iter().take(2).enumerate() {
            conn.execute_batch(&format!("{sql}; PRAGMA user_version={};", i + 1))
                .unwrap();
        }
        for (sha, source) in [
            ("a", "text"),
            ("b", "file_mtime"),
            ("c", "added"),
            ("d", "user"),
        ] {
            conn.execute(
                "INSERT INTO vouchers (sha256, size, media_type, kind, original_name, added_at,
                    occurred_at, occurred_ts, occurred_source)
                 VALUES (?1, 1, 'text/plain', 'text', 'x', '', '2026-01-01T00:00:00Z', 0, ?2)",
                rusqlite::params![sha.repeat(64), source],
            )
            .unwrap();
        }
        migrate(&conn).unwrap();
        let dated: Vec<(String, bool)> = conn
            .prepare("SELECT occurred_source, dated FROM vouchers ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            dated,
            [
                ("text".to_string(), true),
                ("file_mtime".to_string(), false),
                ("added".to_string(), false),
                ("user".to_string(), true)
            ]
        );
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM vouchers INDEXED BY vouchers_live WHERE deleted_at IS NULL AND dated = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 2);
    }

    /// Every column of a row that "Needs review" reads is in `vouchers_review` (or in its
    /// WHERE), so its count at 100k vouchers reads the narrow index, not the rows.
    #[test]
    fn the_review_index_covers_needs_review() {
        let conn = open_in_memory().unwrap();
        let mut stmt = conn.prepare("PRAGMA index_info(vouchers_review)").unwrap();
        let mut covered: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(2))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        covered.extend(["id", "deleted_at", "reviewed_at", "ocr_state"].map(String::from));
        let sql = crate::vault::rows::NEEDS_REVIEW_SQL;
        let mut read = Vec::new();
        for (i, _) in sql.match_indices("v.") {
            let before = sql[..i].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let col: String = sql[i + 2..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            read.push(col);
        }
        assert!(read.len() > 5, "{read:?}");
        for col in read {
            assert!(
                covered.contains(&col),
                "vouchers_review lacks {col}: {covered:?}"
            );
        }
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch("PRAGMA user_version = 999;").unwrap();
        }
        let err = open(&path, dir.path()).unwrap_err();
        assert_eq!(err.code(), "newer_schema");
    }
}
