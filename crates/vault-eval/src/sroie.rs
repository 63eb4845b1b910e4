//! Labelled set 3: Malaysian receipt scans from the ICDAR 2019 SROIE competition in
//! `../shared/corpora/receipts-my-sroie/data`: `img/ID.jpg` with its facts in `key/ID.json`
//! (`company`, `date` as printed, `total` as a decimal, sometimes with "RM" or "$" before it).
//! The currency is the Malaysian ringgit (MYR) whether or not the receipt prints it.

use crate::real::RealCase;
use crate::score::Label;
use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use std::path::Path;
use vault_core::{Currency, Money};

pub const SUBDIR: &str = "receipts-my-sroie/data";

/// The receipts with a key, sorted by id; a key that cannot be read is an error, a key
/// without its image is skipped with a note on stderr.
pub fn load(root: &Path) -> Result<Vec<RealCase>> {
    let keys = root.join("key");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&keys).with_context(|| format!("reading {}", keys.display()))? {
        let key = entry?.path();
        if key.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let id = key
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let img = root.join("img").join(format!("{id}.jpg"));
        if !img.is_file() {
            eprintln!("set real-my: {} has no image; skipped", key.display());
            continue;
        }
        let raw = std::fs::read(&key).with_context(|| format!("reading {}", key.display()))?;
        let v: serde_json::Value =
            serde_json::from_slice(&raw).with_context(|| format!("parsing {}", key.display()))?;
        let field = |k: &str| {
            v.get(k)
                .and_then(|x| x.as_str())
                .unwrap_or("")
                .trim()
                .to_string()
        };
        out.push(RealCase {
            path: img,
            name: format!("{id}.jpg"),
            label: Label {
                merchant: Some(field("company")).filter(|c| !c.is_empty()),
                date: label_date(&field("date")),
                amount: label_total(&field("total")),
                ..Default::default()
            },
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// A key's date as printed: day first (Malaysia), a two-digit year in this century, or a
/// year first, or a month's English name ("18 MAY 2018", "12-NOV-2017", "OCT 9, 2017").
pub fn label_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim_matches(|c| c == '(' || c == ')').trim();
    const FORMATS: &[&str] = &[
        "%d/%m/%Y",
        "%d-%m-%Y",
        "%d.%m.%Y",
        "%Y/%m/%d",
        "%Y-%m-%d",
        "%d/%m/%y",
        "%d-%m-%y",
        "%d %b %Y",
        "%d-%b-%Y",
        "%b %d, %Y",
        // A few keys are written month first ("12/13/2016"): read only when day first fails.
        "%m/%d/%Y",
    ];
    // Eight digits: chrono's `%Y` would take them all; cut them first (day first, then year
    // first).
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return label_date(&format!("{}/{}/{}", &s[..2], &s[2..4], &s[4..]))
            .or_else(|| label_date(&format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..])));
    }
    // chrono reads month names as "May", "Nov": title case each word.
    let mut title = String::with_capacity(s.len());
    let mut prev_letter = false;
    for c in s.chars() {
        if prev_letter {
            title.extend(c.to_lowercase());
        } else {
            title.extend(c.to_uppercase());
        }
        prev_letter = c.is_alphabetic();
    }
    FORMATS
        .iter()
        .filter_map(|f| NaiveDate::parse_from_str(&title, f).ok())
        // `%Y` also reads "18" as the year 18: a two-digit year is read by `%y` instead.
        .find(|d| d.year() >= 1900)
}

/// "1.75", "RM 30.30", "$9.00" -> MYR minor units.
pub fn label_total(s: &str) -> Option<Money> {
    let digits = s.trim_start_matches(|c: char| !c.is_ascii_digit()).trim();
    let (units, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if frac.len() > 2 {
        return None;
    }
    let units: i64 = units.replace(',', "").parse().ok()?;
    let cents: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(Money {
        minor: units * 100 + cents,
        currency: Currency::parse("MYR")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_dates_and_totals() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(label_date("18/04/2018"), d(2018, 4, 18));
        assert_eq!(label_date("02-01-18"), d(2018, 1, 2));
        assert_eq!(label_date("25 MAY 2018"), d(2018, 5, 25));
        assert_eq!(label_date("12-NOV-2017"), d(2017, 11, 12));
        assert_eq!(label_date("OCT 9, 2017"), d(2017, 10, 9));
        assert_eq!(label_date("(27/03/2018)"), d(2018, 3, 27));
        assert_eq!(label_date("2018/01/30"), d(2018, 1, 30));
        assert_eq!(label_date("20180428"), d(2018, 4, 28));
        assert_eq!(label_date("12/13/2016"), d(2016, 12, 13));
        assert_eq!(label_date("nonsense"), None);
        let m = |s: &str| label_total(s).map(|m| (m.minor, m.currency.code().to_string()));
        assert_eq!(m("1.75"), Some((175, "MYR".into())));
        assert_eq!(m("RM 30.30"), Some((3030, "MYR".into())));
        assert_eq!(m("$9.00"), Some((900, "MYR".into())));
        assert_eq!(m("1,234.5"), Some((123450, "MYR".into())));
        assert_eq!(m("abc"), None);
    }
}
