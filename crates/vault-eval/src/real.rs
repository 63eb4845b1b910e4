//! Labelled set 2: real German receipt scans (softmatic/vision-data, CC-BY-4.0) in
//! `../shared/corpora/receipts-de-softmatic/2D/Receipts`. Their file names are the labels:
//! `merchant_DDMMYYYY_items_totalcents.ext` (the item count is missing in a few names, and a
//! second scan of one receipt ends in `_B`).

use crate::score::Label;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use vault_core::{Currency, Money};

pub const SUBDIR: &str = "receipts-de-softmatic/2D/Receipts";

pub struct RealCase {
    pub path: PathBuf,
    pub name: String,
    pub label: Label,
}

/// The receipts under `root`, sorted by path; files whose names are not labels are skipped
/// with a note on stderr.
pub fn load(root: &Path) -> Result<Vec<RealCase>> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            if !matches!(ext.as_deref(), Some("jpg" | "jpeg" | "png")) {
                continue;
            }
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            match label_of(stem) {
                Some(label) => out.push(RealCase {
                    name: path
                        .strip_prefix(root)
                        .unwrap_or(&path)
                        .display()
                        .to_string(),
                    path,
                    label,
                }),
                None => eprintln!(
                    "set 2: {} has no label in its name; skipped",
                    path.display()
                ),
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// "aldi_02032020_19_02423" -> merchant "aldi", 2020-03-02, 24.23 EUR.
pub fn label_of(stem: &str) -> Option<Label> {
    let mut parts: Vec<&str> = stem.split('_').collect();
    while parts
        .last()
        .is_some_and(|p| !p.chars().all(|c| c.is_ascii_digit()))
    {
        parts.pop();
    }
    if parts.len() < 3 {
        return None;
    }
    let merchant = parts[0];
    let d = parts[1];
    if d.len() != 8 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        d[4..8].parse().ok()?,
        d[2..4].parse().ok()?,
        d[0..2].parse().ok()?,
    )?;
    let cents: i64 = parts.last()?.parse().ok()?;
    Some(Label {
        merchant: Some(merchant.to_string()),
        amount: Some(Money {
            minor: cents,
            currency: Currency::parse("EUR")?,
        }),
        date: Some(date),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_from_names() {
        let l = label_of("aldi_02032020_19_02423").unwrap();
        assert_eq!(l.merchant.as_deref(), Some("aldi"));
        assert_eq!(l.date, NaiveDate::from_ymd_opt(2020, 3, 2));
        assert_eq!(l.amount.unwrap().minor, 2423);
        let l = label_of("saturn_08092017_112900").unwrap();
        assert_eq!(l.amount.unwrap().minor, 112900);
        let l = label_of("lidl_02032020_02_00716_B").unwrap();
        assert_eq!(l.amount.unwrap().minor, 716);
        assert!(label_of("readme").is_none());
        assert!(label_of("x_31022020_1_100").is_none());
    }
}
