//! The vault: a directory holding `vault.db` (SQLite) and `objects/` (the store).

use crate::error::{Error, IoContext, Result};
use crate::vault::db;
use crate::vault::model::*;
use crate::vault::rows::{summary_from_row, SUMMARY_COLS};
use crate::vault::store::ObjectStore;
use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, TimeZone, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use std::fs;
use std::path::{Path, PathBuf};

pub const DB_FILE: &str = "vault.db";

/// The vault directory to use: `RECEIPT_VAULT_DIR` if set, else the platform data
/// directory (`~/.local/share/receipt-vault` on Linux).
pub fn default_vault_dir() -> Result<PathBuf> {
    if let Some(d) = std::env::var_os("RECEIPT_VAULT_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "receipt-vault")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or(Error::NoDataDir)
}

pub struct Vault {
    pub(crate) dir: PathBuf,
    pub(crate) conn: Connection,
    pub(crate) store: ObjectStore,
}

pub(crate) fn now_utc() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Vault {
    /// Open an existing vault. Changes nothing when `dir` is not a vault.
    pub fn open(dir: &Path) -> Result<Vault> {
        let db_path = dir.join(DB_FILE);
        if !db_path.is_file() {
            return Err(Error::NotAVault {
                path: dir.to_path_buf(),
            });
        }
        let conn = db::open(&db_path, dir)?;
        let store = ObjectStore::new(dir);
        store.create_dirs()?;
        store.sweep_temp();
        Ok(Vault {
            dir: dir.to_path_buf(),
            conn,
            store,
        })
    }

    /// Open the vault at `dir`, creating it when `dir` is missing or empty.
    /// A non-empty directory that is not a vault is refused and left alone.
    pub fn open_or_create(dir: &Path) -> Result<Vault> {
        Self::init(dir).map(|(v, _)| v)
    }

    /// Like `open_or_create`; also says whether a new vault was created.
    pub fn init(dir: &Path) -> Result<(Vault, bool)> {
        if dir.join(DB_FILE).is_file() {
            return Ok((Self::open(dir)?, false));
        }
        if dir.exists() {
            let mut entries = fs::read_dir(dir).at(dir)?;
            if entries.next().is_some() {
                return Err(Error::NotAVault {
                    path: dir.to_path_buf(),
                });
            }
        }
        fs::create_dir_all(dir).at(dir)?;
        let store = ObjectStore::new(dir);
        store.create_dirs()?;
        let conn = db::open(&dir.join(DB_FILE), dir)?;
        Ok((
            Vault {
                dir: dir.to_path_buf(),
                conn,
                store,
            },
            true,
        ))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn store(&self) -> &ObjectStore {
        &self.store
    }

    /// Vouchers not in the trash.
    pub fn count(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM vouchers WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// Newest first (by when the payment happened; vouchers without a payment date
    /// after those with one), paged.
    pub fn list(&self, offset: i64, limit: i64) -> Result<Vec<VoucherSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLS} FROM vouchers v WHERE v.id IN \
             (SELECT v.id FROM vouchers v INDEXED BY vouchers_live WHERE v.deleted_at IS NULL \
              ORDER BY {newest} LIMIT ?1 OFFSET ?2) \
             ORDER BY {newest}",
            newest = crate::vault::rows::NEWEST
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![limit.max(0), offset.max(0)], summary_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Look up a voucher by the SHA-256 of its bytes.
    pub fn find_by_sha256(&self, sha256: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM vouchers WHERE sha256 = ?1", [sha256], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The rows of these vouchers, in the order given (to update list rows in place).
    /// Ids not in the vault are left out.
    pub fn summaries(&self, ids: &[i64]) -> Result<Vec<VoucherSummary>> {
        let sql = format!("SELECT {SUMMARY_COLS} FROM vouchers v WHERE v.id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(s) = stmt.query_row([id], summary_from_row).optional()? {
                out.push(s);
            }
        }
        Ok(out)
    }

    /// How many images and scans wait for OCR (cheap: a partial index holds them).
    pub fn ocr_queue_len(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM vouchers WHERE ocr_state = 'pending'",
            [],
            |r| r.get(0),
        )?)
    }

    pub fn summary(&self, id: i64) -> Result<VoucherSummary> {
        let sql = format!("SELECT {SUMMARY_COLS} FROM vouchers v WHERE v.id = ?1");
        self.conn
            .query_row(&sql, [id], summary_from_row)
            .optional()?
            .ok_or(Error::NotFound(id))
    }

    /// Everything known about one voucher.
    pub fn get(&self, id: i64) -> Result<Voucher> {
        let summary = self.summary(id)?;
        let row = self.conn.query_row(
            "SELECT merchant, merchant_origin, amount_minor, currency, amount_origin, \
                    payment_method, payment_method_origin, order_ref, order_ref_origin, \
                    notes, text, width, height, thumb_sha256, warnings, \
                    merchant_conf, amount_conf, occurred_conf, order_ref_conf, payment_method_conf, \
                    tax_minor, reviewed_at, ocr_error, ocr_text \
             FROM vouchers WHERE id = ?1",
            [id],
            |r| {
                let fact = |v: Option<String>, o: String| {
                    v.map(|value| Fact {
                        value,
                        origin: Origin::parse(&o),
                    })
                };
                let amount_fact = summary.amount.map(|value| {
                    Ok::<_, rusqlite::Error>(Fact {
                        value,
                        origin: Origin::parse(&r.get::<_, String>(4)?),
                    })
                });
                let warnings: String = r.get(14)?;
                Ok((
                    fact(r.get(0)?, r.get(1)?),
                    amount_fact.transpose()?,
                    fact(r.get(5)?, r.get(6)?),
                    fact(r.get(7)?, r.get(8)?),
                    r.get::<_, String>(9)?,
                    r.get::<_, String>(10)?,
                    r.get::<_, Option<i64>>(11)?,
                    r.get::<_, Option<i64>>(12)?,
                    r.get::<_, Option<String>>(13)?,
                    serde_json::from_str::<Vec<String>>(&warnings).unwrap_or_default(),
                    Confidence {
                        merchant: r.get(15)?,
                        amount: r.get(16)?,
                        date: r.get(17)?,
                        order_ref: r.get(18)?,
                        payment_method: r.get(19)?,
                    },
                    r.get::<_, Option<i64>>(20)?,
                    r.get::<_, Option<String>>(21)?,
                    r.get::<_, Option<String>>(22)?,
                    r.get::<_, String>(23)?,
                ))
            },
        )?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT path, added_at FROM sources WHERE voucher_id = ?1 ORDER BY added_at, path",
        )?;
        let sources = stmt
            .query_map([id], |r| {
                Ok(Source {
                    path: r.get(0)?,
                    added_at: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let email = self
            .conn
            .query_row(
                "SELECT from_addr, to_addr, subject, date, message_id, html FROM emails WHERE voucher_id = ?1",
                [id],
                |r| {
                    Ok(EmailHeaders {
                        from: r.get(0)?,
                        to: r.get(1)?,
                        subject: r.get(2)?,
                        date: r.get(3)?,
                        message_id: r.get(4)?,
                        html: r.get(5)?,
                    })
                },
            )
            .optional()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT voucher_id FROM attachments WHERE email_id = ?1 ORDER BY rowid",
        )?;
        let attachments = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT email_id FROM attachments WHERE voucher_id = ?1 ORDER BY rowid",
        )?;
        let in_emails = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let tax = match (row.11, summary.amount) {
            (Some(minor), Some(a)) => Some(Money {
                minor,
                currency: a.currency,
            }),
            _ => None,
        };
        Ok(Voucher {
            summary,
            merchant_fact: row.0,
            amount_fact: row.1,
            payment_method: row.2,
            order_ref: row.3,
            notes: row.4,
            text: row.5,
            width: row.6,
            height: row.7,
            thumb_sha256: row.8,
            sources,
            email,
            attachments,
            warnings: row.9,
            in_emails,
            confidence: row.10,
            tax,
            reviewed_at: row.12,
            ocr_error: row.13,
            ocr_text: row.14,
        })
    }

    /// The JPEG thumbnail of an image voucher, if one was made.
    pub fn thumbnail(&self, id: i64) -> Result<Option<Vec<u8>>> {
        let sha: Option<String> = self
            .conn
            .query_row(
                "SELECT thumb_sha256 FROM vouchers WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound(id))?;
        match sha {
            Some(sha) => Ok(Some(self.store.read_capped(&sha, 16 << 20)?)),
            None => Ok(None),
        }
    }

    /// Path of a voucher's original bytes in the store.
    pub fn original_path(&self, id: i64) -> Result<PathBuf> {
        let s = self.summary(id)?;
        self.store.existing(&s.sha256)
    }

    /// Apply a user's edit. Edited payment facts are marked as the user's and are never
    /// overwritten by re-extraction.
    pub fn edit(&mut self, id: i64, edit: &Edit) -> Result<Voucher> {
        self.summary(id)?;
        let tx = self.conn.transaction()?;
        if let Some(title) = &edit.title {
            tx.execute(
                "UPDATE vouchers SET title = ?2 WHERE id = ?1",
                params![id, title.trim()],
            )?;
        }
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if let Some(m) = &edit.merchant {
            tx.execute(
                "UPDATE vouchers SET merchant = ?2, merchant_origin = 'user' WHERE id = ?1",
                params![id, clean(m)],
            )?;
        }
        if let Some(a) = &edit.amount {
            tx.execute(
                // A stated tax is kept only while the currency stays the same.
                "UPDATE vouchers SET amount_minor = ?2, currency = ?3, amount_exp = ?4, amount_origin = 'user', \
                 tax_minor = CASE WHEN currency IS ?3 THEN tax_minor END WHERE id = ?1",
                params![
                    id,
                    a.map(|m| m.minor),
                    a.map(|m| m.currency.code().to_string()),
                    a.map(|m| m.currency.exponent())
                ],
            )?;
        }
        if let Some(p) = &edit.payment_method {
            tx.execute(
                "UPDATE vouchers SET payment_method = ?2, payment_method_origin = 'user' WHERE id = ?1",
                params![id, clean(p)],
            )?;
        }
        if let Some(o) = &edit.order_ref {
            tx.execute(
                "UPDATE vouchers SET order_ref = ?2, order_ref_origin = 'user' WHERE id = ?1",
                params![id, clean(o)],
            )?;
        }
        if let Some(d) = &edit.occurred_at {
            let dt = parse_user_date(d)?;
            tx.execute(
                "UPDATE vouchers SET occurred_at = ?2, occurred_ts = ?3, occurred_source = 'user' WHERE id = ?1",
                params![id, dt.to_rfc3339(), dt.timestamp()],
            )?;
        }
        if let Some(n) = &edit.notes {
            tx.execute(
                "UPDATE vouchers SET notes = ?2 WHERE id = ?1",
                params![id, n],
            )?;
        }
        if let Some(tags) = &edit.tags {
            tx.execute("DELETE FROM tags WHERE voucher_id = ?1", [id])?;
            for t in tags {
                insert_tag(&tx, id, t)?;
            }
        }
        for t in &edit.add_tags {
            insert_tag(&tx, id, t)?;
        }
        for t in &edit.remove_tags {
            tx.execute(
                "DELETE FROM tags WHERE voucher_id = ?1 AND tag = ?2",
                params![id, normalise_tag(t)],
            )?;
        }
        crate::vault::index::reindex(&tx, id)?;
        tx.commit()?;
        self.get(id)
    }
}

pub(crate) fn normalise_tag(t: &str) -> String {
    t.trim().trim_start_matches('#').trim().to_lowercase()
}

fn insert_tag(conn: &Connection, id: i64, t: &str) -> Result<()> {
    let tag = normalise_tag(t);
    if tag.is_empty() || tag.chars().any(|c| c.is_control() || c == ',') {
        return Err(Error::Invalid(format!("{t:?} is not a valid tag")));
    }
    conn.execute(
        "INSERT OR IGNORE INTO tags (voucher_id, tag) VALUES (?1, ?2)",
        params![id, tag],
    )?;
    Ok(())
}

/// A date typed by a person: RFC 3339, "YYYY-MM-DD HH:MM" (local) or "YYYY-MM-DD".
pub fn parse_user_date(s: &str) -> Result<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d);
    }
    let local = |naive: chrono::NaiveDateTime| {
        chrono::Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|d| d.fixed_offset())
    };
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            if let Some(d) = local(n) {
                return Ok(d);
            }
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(d) = d.and_hms_opt(12, 0, 0).and_then(local) {
            return Ok(d);
        }
    }
    Err(Error::Invalid(format!(
        "{s:?} is not a date; use YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339"
    )))
}
