//! Work done again, or later, over vouchers already in the vault: reading their facts
//! again after the extractor improved, and the thumbnails kept off the import's path.

use crate::capture::analyse::analyse;
use crate::capture::batch::Batch;
use crate::capture::facts::{apply_facts, extract_guarded, with_ocr_text};
use crate::capture::{media, PARSE_LIMIT};
use crate::error::Result;
use crate::guard;
use crate::vault::store::Stored;
use crate::vault::Vault;
use rusqlite::params;
use std::fs::File;

impl Vault {
    /// Run extraction again over stored vouchers (all when `ids` is `None`), e.g. after the
    /// extractor improved. Values the user typed are never overwritten. Returns how many
    /// vouchers were looked at.
    pub fn reextract(&mut self, ids: Option<&[i64]>) -> Result<usize> {
        let targets: Vec<(i64, String, i64)> = match ids {
            Some(ids) => {
                let mut out = Vec::new();
                for &id in ids {
                    let s = self.summary(id)?;
                    out.push((id, s.sha256, s.size));
                }
                out
            }
            None => {
                let mut stmt = self
                    .conn
                    .prepare("SELECT id, sha256, size FROM vouchers ORDER BY id")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            }
        };
        let default = self.default_currency()?.currency;
        let mut batch = Batch::new(&self.conn);
        for (id, sha256, size) in &targets {
            let stored = Stored {
                sha256: sha256.clone(),
                size: *size as u64,
                existed: true,
            };
            let mut a = match analyse(&self.store, &stored, default) {
                Ok(a) => a,
                // A missing or unreadable object is `verify`'s business; leave the row alone.
                Err(_) => continue,
            };
            let ocr_text: String =
                self.conn
                    .query_row("SELECT ocr_text FROM vouchers WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })?;
            if !ocr_text.trim().is_empty() {
                a.facts = extract_guarded(
                    &with_ocr_text(&a.text, &ocr_text),
                    None,
                    None,
                    true,
                    default,
                    &mut a.warnings,
                );
            }
            batch.ensure_open()?;
            self.conn.execute(
                "UPDATE vouchers SET text = ?2 WHERE id = ?1",
                params![id, a.text],
            )?;
            apply_facts(&self.conn, *id, &a.facts, &[])?;
            crate::vault::index::reindex(&self.conn, *id)?;
            batch.tick(&self.store)?;
        }
        batch.commit_now(&self.store)?;
        Ok(targets.len())
    }

    /// Make the thumbnails still pending (off the ingest path). Returns how many were made.
    pub fn make_thumbnails(&mut self) -> Result<usize> {
        let pending: Vec<(i64, String)> = {
            let mut stmt = self.conn.prepare(
                "SELECT id, sha256 FROM vouchers WHERE thumb_state = 'pending' ORDER BY id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut made = 0;
        for (id, sha) in pending {
            let path = self.store.path(&sha);
            let p = path.clone();
            let result = guard::run("thumbnail", PARSE_LIMIT, move || {
                File::open(&p)
                    .map_err(|e| e.to_string())
                    .and_then(|f| media::thumbnail(media::buffered(f)))
            })
            .and_then(|r| r);
            match result {
                Ok(jpeg) => {
                    let t = self.store.put_bytes(&jpeg, &path)?;
                    self.store.sync()?;
                    self.conn.execute(
                        "UPDATE vouchers SET thumb_sha256 = ?2, thumb_state = 'done' WHERE id = ?1",
                        params![id, t.sha256],
                    )?;
                    made += 1;
                }
                Err(reason) => {
                    self.conn.execute(
                        "UPDATE vouchers SET thumb_state = 'failed',
                            warnings = json_insert(warnings, '$[#]', ?2) WHERE id = ?1",
                        params![id, format!("no thumbnail: {reason}")],
                    )?;
                }
            }
        }
        Ok(made)
    }
}
