//! Making sense of Tesseract's answers: the script it detected, a pass's text and the
//! confidence of its words (`Reading`), which of two readings of a page to keep, the repair
//! of a misread yen sign, and the measures those choices use (CJK share, total word, date).
//! Pure functions over text, so they are tested without the program.

use super::MAX_TEXT_BYTES;

/// A CJK reading is kept when at least this share of its letters are CJK (real Chinese
/// and Japanese receipts: 0.83-1.0; Latin receipts misread as Japanese: 0.01-0.08).
pub(super) const MIN_CJK_SHARE: f64 = 0.3;
/// ... or at least this share when it is also read with more confidence than the Latin
/// reading (a screenshot whose Latin noise, order numbers and English labels outnumber
/// its Chinese letters).
const MIN_CJK_SHARE_SURER: f64 = 0.15;
/// A Latin reading is compared with a CJK reading when its words are read with less mean
/// confidence (0-100) than this, ...
const LATIN_DOUBT: f32 = 65.0;
/// ... or its words of letters with less than this: Chinese read with Latin languages
/// gives letters ("WF se DIE", "RABS") read with little confidence while its numbers read
/// well. Measured on Chinese payment screens read as Latin, light and dark: all words
/// 58-78 (a dark screen 68, inside the scans' range), words of letters 30-43; real German
/// and Malaysian receipt scans: all words 67-88, words of letters 61-90.
const LATIN_WORDS_DOUBT: f32 = 55.0;
/// ... or it has fewer words of letters than this (a screen of Chinese text and numbers).
const MIN_LATIN_WORDS: usize = 3;
/// The same two confidences when script detection found no script or one we do not read.
const LATIN_DOUBT_UNSURE: f32 = 75.0;
const LATIN_WORDS_DOUBT_UNSURE: f32 = 65.0;
/// A Chinese reading (kana below this share of its CJK letters) is redone with simplified
/// Chinese alone, and that reading kept when it reads as many Chinese letters and its mean
/// confidence is at most this below the mixed set's. The mixed set always scores higher
/// (measured on rendered screens and receipts: simplified Chinese 4.7-6.9 below,
/// traditional 6.4 below, Japanese 12.7 below); confidence cannot tell simplified from
/// traditional print, so traditional text is read in simplified forms too.
pub(super) const SIMPLIFIED_MARGIN: f32 = 15.0;
pub(super) const MAX_KANA_SHARE: f64 = 0.05;

/// What script detection (`--psm 0`) said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Script {
    Cjk,
    Latin,
    /// Too little text, a failure, or a script we have no languages for.
    Unsure,
}

pub(super) fn parse_script(osd: &str) -> Script {
    let name = osd
        .lines()
        .find_map(|l| l.strip_prefix("Script:"))
        .map(str::trim);
    match name {
        Some("Han" | "Japanese" | "Korean" | "Hangul" | "Katakana" | "Hiragana") => Script::Cjk,
        Some("Latin") => Script::Latin,
        _ => Script::Unsure,
    }
}

/// One pass's text and the mean confidence (0-100) of its words, weighted by their
/// length; `None` when Tesseract printed no word table.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Reading {
    pub(super) text: String,
    pub(super) conf: Option<f32>,
    /// The same over the words that are mostly letters (two or more), and how many.
    word_conf: Option<f32>,
    words: usize,
}

impl Reading {
    /// Splits what `tesseract ... txt tsv` printed to stdout: the word table (a header
    /// line, then rows of 12 tab-separated fields) and the plain text.
    pub(super) fn parse(out: &str) -> Reading {
        let mut text = String::new();
        let (mut sum, mut chars) = (0f64, 0usize);
        let (mut wsum, mut wchars, mut words) = (0f64, 0usize, 0usize);
        for line in out.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() == 12 {
                if fields[0] == "5" {
                    let word = fields[11].trim();
                    if let Ok(c) = fields[10].trim().parse::<f64>() {
                        let n = word.chars().count();
                        if c >= 0.0 && n > 0 {
                            sum += c * n as f64;
                            chars += n;
                            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
                            if letters >= 2 && 2 * letters > n {
                                wsum += c * n as f64;
                                wchars += n;
                                words += 1;
                            }
                        }
                    }
                }
                continue;
            }
            text.push_str(line);
            text.push('\n');
        }
        Reading {
            text: clean_text(&text),
            conf: (chars > 0).then(|| (sum / chars as f64) as f32),
            word_conf: (wchars > 0).then(|| (wsum / wchars as f64) as f32),
            words,
        }
    }

    /// Is this Latin reading in doubt (it may be Chinese or Japanese text read as
    /// Latin)? Unknown without a word table: then not.
    pub(super) fn latin_in_doubt(&self, detected_latin: bool) -> bool {
        let Some(conf) = self.conf else {
            return false;
        };
        let (all, letters) = if detected_latin {
            (LATIN_DOUBT, LATIN_WORDS_DOUBT)
        } else {
            (LATIN_DOUBT_UNSURE, LATIN_WORDS_DOUBT_UNSURE)
        };
        conf < all || self.words < MIN_LATIN_WORDS || self.word_conf.is_some_and(|w| w < letters)
    }
}

/// The Latin reading `l` or the CJK reading `c` of the same page: the CJK one when it is
/// mostly CJK (or partly, and read with more confidence) and not read with less
/// confidence than the Latin one.
pub(super) fn better(l: Reading, c: Reading) -> Reading {
    let share = cjk_share(&c.text);
    let keep_cjk = match (c.conf, l.conf) {
        (Some(a), Some(b)) => share >= MIN_CJK_SHARE_SURER && a > b,
        _ => share >= MIN_CJK_SHARE,
    };
    if keep_cjk {
        c
    } else {
        l
    }
}

pub(super) fn cjk_letters(text: &str) -> usize {
    text.chars().filter(|c| is_cjk_letter(*c)).count()
}

/// The share of CJK letters that are kana (Japanese writes them; Chinese does not).
pub(super) fn kana_share(text: &str) -> f64 {
    let (mut cjk, mut kana) = (0usize, 0usize);
    for c in text.chars().filter(|c| is_cjk_letter(*c)) {
        cjk += 1;
        if matches!(c as u32, 0x3040..=0x30FF | 0xFF66..=0xFF9D) {
            kana += 1;
        }
    }
    if cjk == 0 {
        0.0
    } else {
        kana as f64 / cjk as f64
    }
}

static RE_MISREAD_YEN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?m)(^|[\s:：])(?:\\(\s?[0-9](?:[0-9,.]*[0-9])?)|Y(\s?[0-9][0-9,]*\.[0-9]{2}))(?:[^0-9]|$)",
    )
    .expect("valid regex")
});

/// In a Chinese or Japanese reading, the yuan/yen sign read as "\" before a number
/// ("\528": Japanese data writes "¥" so, as Japanese code pages did) or as "Y" before an
/// amount with decimals ("Y 36.50": the bold "¥" of payment apps) is put back.
pub(super) fn repair_yen(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for c in RE_MISREAD_YEN.captures_iter(text) {
        let (Some(lead), Some(num)) = (c.get(1), c.get(2).or(c.get(3))) else {
            continue;
        };
        out.push_str(&text[last..lead.end()]);
        out.push('¥');
        out.push_str(num.as_str());
        last = num.end();
    }
    out.push_str(&text[last..]);
    out
}

static RE_TOTAL_WORD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)summe|zu\s*zahlen|gesamt|total|betrag|amount|montant|importe|合计|合計|[0-9]+[.,][0-9]{2}\s*(?:€|eur)",
    )
    .expect("valid regex")
});
static RE_ANY_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:^|[^0-9])(?:[0-3]?[0-9][./-][01]?[0-9][./-](?:[0-9]{4}|[0-9]{2})|[0-9]{4}-[01][0-9]-[0-3][0-9])(?:[^0-9]|$)")
        .expect("valid regex")
});

static RE_TOTAL_NAME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)summe|zu\s*zahlen|gesamt|total|betrag|amount|montant|importe|合计|合計")
        .expect("valid regex")
});
static RE_AMOUNT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    // Not part of a date ("24.02.20") or a longer number.
    regex::Regex::new(r"(?:^|[^0-9.,])[0-9]+[.,][0-9]{2}(?:[^0-9.,]|[.,](?:[^0-9]|$)|$)")
        .expect("valid regex")
});

/// Does a line with a total word also hold an amount with two decimals? OCR of faint
/// print reads "SUMME EUR 6,7" or "ZU ZAHLEN EURO 24723": the word is there, the amount
/// is not.
pub(super) fn has_total_amount(text: &str) -> bool {
    text.lines()
        .any(|l| RE_TOTAL_NAME.is_match(l) && RE_AMOUNT.is_match(l))
}

/// How much of what a receipt states an OCR text has: a total word (2) and a date (1).
pub(super) fn receipt_score(text: &str) -> u8 {
    2 * u8::from(RE_TOTAL_WORD.is_match(text)) + u8::from(RE_ANY_DATE.is_match(text))
}

/// The share of letters in `text` that are CJK ideographs, kana or hangul.
pub(super) fn cjk_share(text: &str) -> f64 {
    let (mut letters, mut cjk) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if is_cjk_letter(c) {
            cjk += 1;
        }
    }
    if letters == 0 {
        0.0
    } else {
        cjk as f64 / letters as f64
    }
}

/// A CJK ideograph, kana or hangul letter.
fn is_cjk_letter(c: char) -> bool {
    c.is_alphabetic()
        && matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF66..=0xFF9D | 0x20000..=0x3FFFF)
}

/// Trim lines, drop empty runs and form feeds, cap the size.
fn clean_text(raw: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in raw.lines() {
        let l = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{c}');
        if l.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        if out.len() + l.len() + 1 > MAX_TEXT_BYTES {
            break;
        }
        out.push_str(l);
        out.push('\n');
    }
    out.trim_end().to_string()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn text_is_cleaned() {
        assert_eq!(
            clean_text("  Shop  \n\n\n Total 9,99 \n\u{c}"),
            "Shop\n\nTotal 9,99"
        );
        assert_eq!(clean_text("\n\n"), "");
    }

    #[test]
    fn cjk_share_counts_letters_only() {
        assert!(cjk_share("支付成功 ¥ 128.00 微信支付") > 0.99);
        assert!(cjk_share("合計 ¥1,280 VISA") > 0.3);
        assert!(cjk_share("Warburger Straße 130 人 EUR 12,99") < 0.1);
        assert_eq!(cjk_share("12,99"), 0.0);
    }

    /// What `tesseract ... txt tsv` prints: a word table with `conf` for every word, then
    /// the text.
    pub(in crate::capture::ocr) fn tsv_output(text: &str, conf: f32) -> String {
        let mut out = String::from(
            "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n",
        );
        out.push_str("1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n");
        for (i, line) in text.lines().enumerate() {
            for (j, w) in line.split_whitespace().enumerate() {
                out.push_str(&format!(
                    "5\t1\t1\t1\t{}\t{}\t0\t0\t10\t10\t{conf}\t{w}\n",
                    i + 1,
                    j + 1
                ));
            }
        }
        out.push_str(text);
        out.push('\n');
        out
    }

    #[test]
    fn the_word_table_gives_a_mean_confidence_and_the_text_stays_as_printed() {
        let r = Reading::parse(&tsv_output("支付成功\n¥ 36.50", 80.0));
        assert_eq!(r.text, "支付成功\n¥ 36.50");
        assert!((r.conf.unwrap() - 80.0).abs() < 0.01, "{r:?}");
        // Weighted by length: a long word read well outweighs a short one read badly.
        let mut two = tsv_output("瑞幸咖啡", 90.0);
        two.truncate(two.len() - "瑞幸咖啡\n".len());
        two.push_str("5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t10\tX\n瑞幸咖啡 X\n");
        let r = Reading::parse(&two);
        assert_eq!(r.text, "瑞幸咖啡 X");
        assert!((r.conf.unwrap() - 74.0).abs() < 0.01, "{r:?}");
        // Plain text (an older program, or a stand-in): no confidence.
        let r = Reading::parse("Total EUR 1,00\n");
        assert_eq!((r.text.as_str(), r.conf), ("Total EUR 1,00", None));
        assert!(!r.latin_in_doubt(true));
    }

    #[test]
    fn a_latin_reading_of_chinese_is_in_doubt_by_its_words_of_letters() {
        // A dark Chinese screen read as Latin: numbers read well (all words 68 %), the
        // letters it made up poorly.
        let mut out = tsv_output("2026-11-02 4200001234202611021234567", 90.0);
        out.truncate(out.len() - "2026-11-02 4200001234202611021234567\n".len());
        let mut body = String::new();
        for w in ["WF", "se", "DIE", "RABS", "PSs"] {
            body.push_str(&format!("5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t40\t{w}\n"));
        }
        let r = Reading::parse(&format!(
            "{out}{body}2026-11-02 4200001234202611021234567\nWF se DIE RABS PSs\n"
        ));
        assert!(r.conf.unwrap() > LATIN_DOUBT, "{r:?}");
        assert!(r.word_conf.unwrap() < LATIN_WORDS_DOUBT, "{r:?}");
        assert!(r.latin_in_doubt(true));
        // A receipt read well is not; one with hardly any words of letters is.
        assert!(
            !Reading::parse(&tsv_output("SUMME EUR 12,30\nMilch Brot Butter", 85.0))
                .latin_in_doubt(true)
        );
        assert!(Reading::parse(&tsv_output("36.50\n2026-11-02", 95.0)).latin_in_doubt(true));
    }

    #[test]
    fn script_detection_answers_are_read() {
        let osd = |s: &str| format!("Page number: 0\nScript: {s}\nScript confidence: 2.57\n");
        for s in ["Han", "Japanese", "Korean", "Hangul"] {
            assert_eq!(parse_script(&osd(s)), Script::Cjk, "{s}");
        }
        assert_eq!(parse_script(&osd("Latin")), Script::Latin);
        assert_eq!(parse_script(&osd("Fraktur")), Script::Unsure);
        assert_eq!(
            parse_script("Too few characters. Skipping this page"),
            Script::Unsure
        );
    }

    #[test]
    fn a_misread_yen_sign_is_put_back_in_cjk_readings() {
        assert_eq!(repair_yen("支付成功\nY 36.50\n"), "支付成功\n¥ 36.50\n");
        assert_eq!(repair_yen("\\ 1,280.00"), "¥ 1,280.00");
        assert_eq!(repair_yen("金额：Y36.50元"), "金额：¥36.50元");
        assert_eq!(
            repair_yen("合計                  \\528\nお預り \\1.000\nお釣り \\472"),
            "合計                  ¥528\nお預り ¥1.000\nお釣り ¥472"
        );
        // Not in a word, not a date or a plain number.
        assert_eq!(repair_yen("BUY 36.50"), "BUY 36.50");
        assert_eq!(repair_yen("Y 2026"), "Y 2026");
    }

    #[test]
    fn receipt_score_counts_total_words_and_dates() {
        assert_eq!(receipt_score("SUMME EUR 12,30\n03.10.2026 12:01"), 3);
        assert_eq!(receipt_score("zu zahlen 4,99"), 2);
        assert_eq!(receipt_score("Milch 1,19\n03.10.26"), 1);
        assert_eq!(receipt_score("Milch 1,19 A"), 0);
    }

    #[test]
    fn a_total_word_needs_an_amount_on_its_line() {
        assert!(has_total_amount("SUMME EUR 12,30\n03.10.2026"));
        assert!(has_total_amount("Milch 1,19\nZU ZAHLEN EURO 24.23 €"));
        assert!(!has_total_amount("SUMME EUR 6,7\n24.02.20"));
        assert!(!has_total_amount("SUMME EUR 6,7 24.02.20 12:01"));
        assert!(has_total_amount("Total: 24,23."));
        assert!(!has_total_amount("ZU ZAHLEN EURO 24723\nMilch 1,99 €"));
        assert!(!has_total_amount(
            "Betrag: EUR Seo, ae\nMwSt 19,00% 6.28 EUR"
        ));
    }
}
