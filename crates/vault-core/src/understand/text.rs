//! Small text helpers that both the known-merchant table (`merchants`) and the fact
//! readers (`extract`) use, kept here so that neither has to import the other for them:
//! CJK characters, squashed names ("Dm-Drogerie Markt" -> "dmdrogeriemarkt") and postcode
//! lines. `merchants` and `extract` use this module; it uses nothing of theirs.

use std::sync::LazyLock;

use regex::Regex;

/// Lower-case letters and digits of `s` only: "Dm-Drogerie Markt" -> "dmdrogeriemarkt".
pub(crate) fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Kana or a CJK ideograph.
pub(crate) fn is_cjk_char(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x9FFF | 0xF900..=0xFAFF)
}

/// A postcode + town line ("33100 Paderborn", "D-80331 München").
pub(crate) static RE_POSTCODE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\W{0,3}(?:[A-Z]-?)?[0-9]{4,5}\s+\p{Lu}\p{Ll}{2,}").expect("valid regex")
});
