//! Snippets: the text around the first word of a query found in a voucher, for the
//! result list.

/// Context kept on each side of the match in a snippet: about 12 words.
const SNIPPET_SIDE: usize = 80;

/// The text around the first term found: the matched word whole, with about 12 words
/// (~80 characters) on each side, cut at spaces, whitespace collapsed, "…" where cut.
pub(super) fn snippet(text: &str, terms: &[(String, bool)]) -> Option<String> {
    let (start, end) = terms
        .iter()
        .filter_map(|(t, _)| find_ci(text, t))
        .min_by_key(|&(s, _)| s)?;
    Some(snippet_at(text, start, end))
}

/// The first case-insensitive occurrence of `needle` in `text`, as a byte range of `text`.
fn find_ci(text: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    let lower = text.to_lowercase();
    let low_needle = needle.to_lowercase();
    if lower.len() == text.len() {
        // Lower-casing usually keeps every byte offset (nearly all text). Equal lengths
        // do not prove it (one character may grow and another shrink: "İ ... ẞ"), so the
        // offsets found are used only when the text there lower-cases to the needle.
        let i = lower.find(&low_needle)?;
        let j = i + low_needle.len();
        if text.is_char_boundary(i)
            && text.is_char_boundary(j)
            && text[i..j].to_lowercase() == low_needle
        {
            return Some((i, j));
        }
    }
    // Offsets moved (rare scripts): compare character by character.
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    for (i, _) in text.char_indices() {
        let mut k = 0;
        for (off, c) in text[i..].char_indices() {
            for lc in c.to_lowercase() {
                if needle.get(k) != Some(&lc) {
                    k = usize::MAX;
                    break;
                }
                k += 1;
            }
            if k == usize::MAX {
                break;
            }
            if k >= needle.len() {
                return Some((i, i + off + c.len_utf8()));
            }
        }
    }
    None
}

fn snippet_at(text: &str, start: usize, end: usize) -> String {
    // Widen the match to its whole word (at most a few characters: CJK has no spaces).
    const WIDEN: usize = 24;
    let word_start = text[..start]
        .char_indices()
        .rev()
        .take(WIDEN)
        .take_while(|&(_, c)| !c.is_whitespace())
        .last()
        .map_or(start, |(i, _)| i);
    let word_end = text[end..]
        .char_indices()
        .take(WIDEN)
        .find(|&(_, c)| c.is_whitespace())
        .map_or_else(
            || {
                text[end..]
                    .char_indices()
                    .nth(WIDEN)
                    .map_or(text.len(), |(i, _)| end + i)
            },
            |(i, _)| end + i,
        );
    // About SNIPPET_SIDE characters on each side, cut at a space when there is one
    // near the edge (never inside the match).
    let mut from = text[..word_start]
        .char_indices()
        .rev()
        .nth(SNIPPET_SIDE - 1)
        .map_or(0, |(i, _)| i);
    if from > 0 {
        let window = &text[from..word_start];
        if let Some(i) = window.find(char::is_whitespace) {
            if i < window.len() / 2 {
                from += i;
            }
        }
    }
    let mut to = text[word_end..]
        .char_indices()
        .nth(SNIPPET_SIDE)
        .map_or(text.len(), |(i, _)| word_end + i);
    if to < text.len() {
        let window = &text[word_end..to];
        if let Some(i) = window.rfind(char::is_whitespace) {
            if i > window.len() / 2 {
                to = word_end + i;
            }
        }
    }
    let mut s: String = text[from..to]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !text[..from].trim().is_empty() {
        s.insert(0, '…');
    }
    if !text[to..].trim().is_empty() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_centre_on_the_match() {
        let text = format!(
            "{} the matched word is here {}",
            "alpha beta gamma ".repeat(30),
            "delta epsilon ".repeat(30)
        );
        let sn = snippet(&text, &[("matched".into(), false)]).unwrap();
        let (before, after) = sn.split_once("matched").unwrap();
        assert!((60..=90).contains(&before.chars().count()), "{sn}");
        assert!((60..=95).contains(&after.chars().count()), "{sn}");
        assert!(!sn.contains("  "));
        // A match inside a long word keeps the word whole.
        let sn = snippet("Receipt #44 for order XJ-99881", &[("9988".into(), true)]).unwrap();
        assert_eq!(sn, "Receipt #44 for order XJ-99881");
        // Rare scripts whose lower case changes byte offsets.
        let sn = snippet("İSTANBUL Kahve 40 TL", &[("kahve".into(), false)]).unwrap();
        assert!(sn.contains("Kahve"), "{sn}");
    }

    #[test]
    fn snippets_survive_lower_case_that_moves_offsets_both_ways() {
        // "İ" grows by a byte in lower case and "ẞ" shrinks by one: the lengths are
        // equal, the offsets before "ẞ" are not.
        let text = "İ ödeme ẞ";
        assert_eq!(text.len(), text.to_lowercase().len());
        let (s, e) = find_ci(text, "ödeme").unwrap();
        assert_eq!(&text[s..e], "ödeme");
        let sn = snippet(text, &[("ödeme".into(), false)]).unwrap();
        assert!(sn.contains("ödeme"), "{sn}");
        // Mixed strings of characters whose lower case is longer, shorter or the same.
        let parts = [
            "İ", "ẞ", "ö", "Ö", "a", "Σ", " ", "K", "\u{212A}", "ß", "ǅ", "ﬃ", "中", "é", "x",
        ];
        let needles = ["ödeme", "ö", "ka", "ß", "σ", "中x", "ﬃ", "é"];
        let mut seed = 0x2545_f491_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut checked = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..next() % 12 {
                let seed = next();
                text.push_str(parts[(seed % parts.len() as u64) as usize]);
                if seed.is_multiple_of(5) {
                    text.push_str("ödeme");
                }
            }
            for needle in needles {
                if let Some((s, e)) = find_ci(&text, needle) {
                    assert!(
                        text.is_char_boundary(s) && text.is_char_boundary(e),
                        "{text:?}"
                    );
                    let sn = snippet_at(&text, s, e);
                    assert!(sn.contains(&text[s..e]), "{text:?} {needle:?}: {sn:?}");
                    assert_eq!(text[s..e].to_lowercase(), needle.to_lowercase(), "{text:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }
}
