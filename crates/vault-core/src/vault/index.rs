//! The full-text index (`vouchers_fts`), kept in step with the voucher rows: every write
//! to a voucher's searchable fields calls [`reindex`]. Search reads it (`find::search`).

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK Extension A
        | 0x4E00..=0x9FFF   // CJK Unified Ideographs
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0xF900..=0xFAFF   // CJK Compatibility Ideographs
        | 0x20000..=0x2FFFF)
}

/// Text as the index sees it: runs of CJK characters become overlapping pairs
/// ("支付宝" -> "支付 付宝"), so a 2+ character query matches anywhere inside a run.
pub(crate) fn index_text(s: &str) -> String {
    if !s.chars().any(is_cjk) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() * 2);
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut String| {
        if run.len() == 1 {
            out.push(' ');
            out.push(run[0]);
            out.push(' ');
        } else {
            for pair in run.windows(2) {
                out.push(' ');
                out.push(pair[0]);
                out.push(pair[1]);
            }
            out.push(' ');
        }
        run.clear();
    };
    for c in s.chars() {
        if is_cjk(c) {
            run.push(c);
        } else {
            if !run.is_empty() {
                flush(&mut run, &mut out);
            }
            out.push(c);
        }
    }
    if !run.is_empty() {
        flush(&mut run, &mut out);
    }
    out
}

/// Rewrite a voucher's row in the full-text index.
pub(crate) fn reindex(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM vouchers_fts WHERE rowid = ?1", [id])?;
    let row = conn
        .query_row(
            "SELECT title, coalesce(merchant, ''), text || char(10) || ocr_text, notes,
                    coalesce((SELECT group_concat(tag, ' ') FROM tags WHERE voucher_id = v.id), ''),
                    original_name
             FROM vouchers v WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    // Vouchers in the Trash stay indexed: the Trash can be searched too.
    let Some((title, merchant, body, notes, tags, name)) = row else {
        return Ok(());
    };
    // The file name is indexed with its separators as spaces, so "amazon" finds
    // "amazon_order-123.pdf".
    let name_words: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    conn.execute(
        "INSERT INTO vouchers_fts (rowid, title, merchant, body, notes, tags, filename)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![
            id,
            index_text(&title),
            index_text(&merchant),
            index_text(&body),
            index_text(&notes),
            index_text(&tags),
            index_text(&format!("{name} {name_words}")),
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_becomes_pairs() {
        assert_eq!(index_text("abc"), "abc");
        assert_eq!(index_text("支付宝"), " 支付 付宝 ");
        assert_eq!(
            index_text("用支付宝付款 ok"),
            " 用支 支付 付宝 宝付 付款  ok"
        );
        assert_eq!(index_text("元"), " 元 ");
    }
}
