//! Keyword tables as regexes: the one way the readers match words in many languages.

use regex::Regex;

/// A regex matching any of `words`, case-insensitively. A word that starts (ends) with
/// an ASCII letter or digit must start (end) at a word boundary; a trailing `*` makes it
/// a prefix ("gesamt*" matches "Gesamtbetrag"); CJK words match anywhere.
pub(super) fn kw_regex(words: &[&str]) -> Regex {
    let mut list: Vec<&str> = words.to_vec();
    list.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let alts: Vec<String> = list
        .iter()
        .map(|w| {
            let (w, prefix) = match w.strip_suffix('*') {
                Some(p) => (p, true),
                None => (*w, false),
            };
            let lead = if w.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                r"(?-u:\b)"
            } else {
                ""
            };
            let trail = if !prefix && w.ends_with(|c: char| c.is_ascii_alphanumeric()) {
                r"(?-u:\b)"
            } else {
                ""
            };
            format!("{lead}{}{trail}", regex::escape(w).replace(' ', r"\s+"))
        })
        .collect();
    let pattern = if alts.is_empty() {
        r"[^\s\S]".to_string()
    } else {
        format!("(?i)(?:{})", alts.join("|"))
    };
    Regex::new(&pattern).expect("valid keyword regex")
}
