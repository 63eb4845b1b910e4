//! Local OCR with the `tesseract` program, and the background queue that runs it.
//!
//! Why the program and not a binding: it needs no C++ toolchain or headers at build
//! time, a crash or hang in it cannot take the app down (it runs in its own process
//! group, under a hard time limit, and is killed and reaped when it overruns), and it is
//! what Debian packages with its language data (`tesseract-ocr-*`).
//!
//! Each image is decoded under the media limits, turned upright by its EXIF orientation,
//! cut to the paper when a photo or scan shows a receipt on a darker background, made
//! grey and scaled (`media::ocr_page`: small screenshots enlarged 2x, scans that
//! declare 300 dpi or more reduced to 225 dpi), then written to `tesseract stdin stdout`
//! as a PNG. One script-detection pass (`--psm 0`) picks the languages: Latin receipts are read
//! with `eng+deu+fra+spa`, Chinese and Japanese ones with `chi_sim+chi_tra+jpn+eng` (and
//! Chinese ones again with `chi_sim+eng`, which keeps simplified forms). Detection is often
//! wrong both ways (it takes some Latin receipts for Japanese, and a WeChat Pay screenshot
//! for Japanese with a confidence of 2.57 that then lost its Chinese text), so a reading in
//! doubt gets a second opinion, and the better one is kept by a measure: Tesseract's mean
//! word confidence (printed in the same run as a word table) and the share of CJK letters.
//! Loading all seven languages for every image was 3.7x slower on the German receipt
//! scans with no gain (measured; see BENCHMARKS.md). Pages are read as one block of text
//! (`--psm 6`): receipts are one column, and the automatic layout analysis (`--psm 3`)
//! splits an item from its price.
//!
//! Scanned PDFs (no text layer) are rendered with `pdftoppm` (poppler-utils), the first
//! `max_pdf_pages` pages, and each page is read as above.
//!
//! The queue is the `ocr_state` column: ingest marks images and PDFs without text as
//! `pending`; `Vault::ocr_pending` reads them off the write lock and records each result in
//! a short transaction, so a crash leaves the rest `pending` for the next run.

use crate::capture::media;
use crate::error::Result;
use crate::vault::model::{Kind, OcrState};
use crate::vault::Vault;
use rusqlite::params;
use serde::Serialize;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tool::{run_tool, tail};

mod tool;

/// Languages for Latin-script vouchers.
pub const LATIN_LANGS: &[&str] = &["eng", "deu", "fra", "spa"];
/// Languages for Chinese and Japanese vouchers (with English for the Latin parts).
pub const CJK_LANGS: &[&str] = &["chi_sim", "chi_tra", "jpn", "eng"];
/// Page segmentation: one uniform block of text.
pub const PSM: &str = "6";
/// Names the preprocessing steps, so cached OCR results (the eval's) follow its changes.
pub const PIPELINE: &str = "crop-grey-scale-sauvola2nd-append-noamount-cjkconf-words";
/// Most text kept from one voucher.
pub const MAX_TEXT_BYTES: usize = 1 << 20;
/// Largest original read for OCR.
pub const MAX_INPUT_BYTES: u64 = 100 << 20;
/// How many OCR processes run at once in `ocr_pending`.
pub const WORKERS: usize = 2;

/// Why OCR of one voucher did not give text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OcrError {
    /// The program or its language data is missing; worth retrying once installed.
    #[error("OCR unavailable: {0}")]
    Unavailable(String),
    /// The input is not an image (or PDF) that can be read.
    #[error("{0}")]
    BadInput(String),
    /// The program ran and failed.
    #[error("{program} failed ({status}): {stderr}")]
    Failed {
        program: String,
        status: String,
        stderr: String,
    },
    /// The program ran past the time limit and was killed.
    #[error("{program} took longer than {} s and was stopped", limit.as_secs())]
    Timeout { program: String, limit: Duration },
    #[error("{0}")]
    Io(String),
}

impl OcrError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            OcrError::Unavailable(_) => "ocr_unavailable",
            OcrError::BadInput(_) => "bad_file",
            OcrError::Failed { .. } => "ocr_failed",
            OcrError::Timeout { .. } => "ocr_timeout",
            OcrError::Io(_) => "io",
        }
    }

    /// The queue state a voucher gets for this error.
    pub fn state(&self) -> OcrState {
        match self {
            OcrError::Unavailable(_) => OcrState::Unavailable,
            _ => OcrState::Failed,
        }
    }
}

/// How OCR is run. `Default` reads `RECEIPT_VAULT_TESSERACT` and `RECEIPT_VAULT_PDFTOPPM`
/// (paths to the programs) and otherwise finds `tesseract` and `pdftoppm` on `PATH`.
#[derive(Debug, Clone)]
pub struct OcrConfig {
    pub tesseract: PathBuf,
    pub pdftoppm: PathBuf,
    /// Hard limit for one run of either program.
    pub timeout: Duration,
    /// Pages of a scanned PDF that are read.
    pub max_pdf_pages: u32,
    /// Resolution scanned PDF pages are rendered at.
    pub pdf_dpi: u32,
}

impl Default for OcrConfig {
    fn default() -> Self {
        let env = |k: &str, d: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(d))
        };
        OcrConfig {
            tesseract: env("RECEIPT_VAULT_TESSERACT", "tesseract"),
            pdftoppm: env("RECEIPT_VAULT_PDFTOPPM", "pdftoppm"),
            timeout: Duration::from_secs(120),
            max_pdf_pages: 3,
            // Scans read best at about this resolution (see `media::OCR_SCAN_DPI`).
            pdf_dpi: media::OCR_SCAN_DPI,
        }
    }
}

/// What `tesseract --list-langs` says is installed, reduced to what OCR uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Languages {
    /// `+`-joined, e.g. "eng+deu+fra+spa".
    pub latin: String,
    /// `None` when no Chinese or Japanese data is installed (or no `osd` to detect it).
    pub cjk: Option<String>,
}

impl OcrConfig {
    /// Is OCR possible: the program runs and language data for Latin text is installed?
    pub fn available(&self) -> std::result::Result<Languages, String> {
        let out = run_tool(
            &self.tesseract,
            &["--list-langs".into()],
            None,
            Duration::from_secs(20).min(self.timeout),
        )
        .map_err(|e| match e {
            OcrError::Unavailable(r) => r,
            other => format!("tesseract does not work: {other}"),
        })?;
        // Tesseract 5 prints the list on stdout, older versions on stderr.
        let listing = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let installed: Vec<&str> = listing
            .lines()
            .skip_while(|l| !l.starts_with("List of available languages"))
            .skip(1)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let pick = |wanted: &[&str]| -> Vec<String> {
            wanted
                .iter()
                .filter(|w| installed.contains(w))
                .map(|w| w.to_string())
                .collect()
        };
        let latin = pick(LATIN_LANGS);
        if latin.is_empty() {
            return Err(format!(
                "tesseract has no language data for {} (install tesseract-ocr-eng)",
                LATIN_LANGS.join(", ")
            ));
        }
        let cjk = pick(CJK_LANGS);
        let has_cjk = cjk.iter().any(|l| l != "eng");
        Ok(Languages {
            latin: latin.join("+"),
            cjk: (has_cjk && installed.contains(&"osd")).then(|| cjk.join("+")),
        })
    }

    /// Recognise the text of an image (PNG, JPEG, WebP, GIF, BMP, TIFF).
    pub fn recognize_image(&self, bytes: &[u8]) -> std::result::Result<String, OcrError> {
        let langs = self.available().map_err(OcrError::Unavailable)?;
        self.recognize_image_with(bytes, &langs)
    }

    fn recognize_image_with(
        &self,
        bytes: &[u8],
        langs: &Languages,
    ) -> std::result::Result<String, OcrError> {
        let page = media::ocr_page(bytes)
            .map_err(|e| OcrError::BadInput(format!("the image could not be read: {e}")))?;
        let text = self.recognize_png(encode_png(&page)?, langs)?;
        // No total or no date read, or no amount on any line with a total word ("SUMME EUR
        // 6,7", "ZU ZAHLEN EURO 24723"): faint or unevenly lit print. A second reading of an
        // adaptively binarised page is added after the first when it finds a total word or
        // a date: the first keeps the logo and header lines as read (on the 48 German scans
        // the binarised page reads totals and dates better but logos worse).
        let first = receipt_score(&text);
        if (first >= 3 && has_total_amount(&text)) || cjk_share(&text) >= MIN_CJK_SHARE {
            return Ok(text);
        }
        let second = self
            .pass(encode_png(&media::binarize_adaptive(&page))?, &langs.latin)?
            .text;
        Ok(if receipt_score(&second) > 0 && second != text {
            format!("{text}\n\n{second}")
        } else {
            text
        })
    }

    /// OCR of a grey PNG: script detection, then the languages it calls for, and a second
    /// opinion when either is in doubt; the better reading is kept by a measured criterion
    /// (Tesseract's mean word confidence, and the share of CJK letters).
    ///
    /// * Detection says Chinese, Japanese or Korean: the CJK reading (all CJK languages).
    ///   One that is not mostly CJK is compared with a Latin reading (detection takes some
    ///   Latin receipts for Japanese: 6 of the 48 German scans). A Chinese reading (no kana)
    ///   is read again with simplified Chinese alone, which keeps the printed forms (the
    ///   mixed set writes "収款方", "零錢" for "收款方", "零钱").
    /// * Otherwise the Latin reading; when its words are read with low confidence (a
    ///   Chinese screenshot read as Latin: 58 %; the real German and Malaysian scans:
    ///   67-88 %), or detection was unsure (no script, or one we do not read), the CJK
    ///   reading is tried too and kept when it is mostly CJK and read with more confidence.
    fn recognize_png(
        &self,
        png: Vec<u8>,
        langs: &Languages,
    ) -> std::result::Result<String, OcrError> {
        let Some(cjk) = &langs.cjk else {
            return Ok(self.pass(png, &langs.latin)?.text);
        };
        let script = self.detect_script(&png)?;
        let chosen = if script == Script::Cjk {
            let c = self.pass(png.clone(), cjk)?;
            if cjk_share(&c.text) >= MIN_CJK_SHARE {
                c
            } else {
                let l = self.pass(png.clone(), &langs.latin)?;
                better(l, c)
            }
        } else {
            let l = self.pass(png.clone(), &langs.latin)?;
            if !l.latin_in_doubt(script == Script::Latin) {
                return Ok(l.text);
            }
            let c = self.pass(png.clone(), cjk)?;
            better(l, c)
        };
        if cjk_share(&chosen.text) < MIN_CJK_SHARE {
            return Ok(chosen.text);
        }
        // Chinese (no kana): simplified Chinese alone, unless it reads much worse (then the
        // text is more likely traditional, or not Chinese after all).
        let simplified = "chi_sim+eng";
        let chinese = kana_share(&chosen.text) < MAX_KANA_SHARE
            && cjk.contains("chi_sim")
            && cjk != simplified
            && cjk.contains("eng");
        if chinese {
            let s = self.pass(png, simplified)?;
            let close = match (s.conf, chosen.conf) {
                (Some(a), Some(b)) => a >= b - SIMPLIFIED_MARGIN,
                _ => false,
            };
            // As many Chinese letters read (none lost to noise).
            let kept = 10 * cjk_letters(&s.text) >= 9 * cjk_letters(&chosen.text);
            if close && kept && cjk_share(&s.text) >= MIN_CJK_SHARE {
                return Ok(repair_yen(&s.text));
            }
        }
        Ok(repair_yen(&chosen.text))
    }

    /// One Tesseract pass over a PNG with the given languages: its text, and the mean
    /// confidence of its words (from the word table Tesseract prints in the same run).
    fn pass(&self, png: Vec<u8>, lang: &str) -> std::result::Result<Reading, OcrError> {
        let args: Vec<OsString> = vec![
            "stdin".into(),
            "stdout".into(),
            "-l".into(),
            lang.into(),
            "--psm".into(),
            PSM.into(),
            "txt".into(),
            "tsv".into(),
        ];
        let out = run_tool(&self.tesseract, &args, Some(png), self.timeout)?;
        if !out.status_ok {
            return Err(OcrError::Failed {
                program: "tesseract".into(),
                status: out.status,
                stderr: tail(&String::from_utf8_lossy(&out.stderr)),
            });
        }
        Ok(Reading::parse(&String::from_utf8_lossy(&out.stdout)))
    }

    /// Tesseract's script detection: Han, Japanese, Korean (Hangul, kana), Latin, or
    /// unsure (too little text, or a script we do not read).
    fn detect_script(&self, png: &[u8]) -> std::result::Result<Script, OcrError> {
        let args: Vec<OsString> = vec!["stdin".into(), "stdout".into(), "--psm".into(), "0".into()];
        let out = run_tool(&self.tesseract, &args, Some(png.to_vec()), self.timeout)?;
        if !out.status_ok {
            return Ok(Script::Unsure);
        }
        Ok(parse_script(&String::from_utf8_lossy(&out.stdout)))
    }

    /// Can scanned PDFs be rendered (`pdftoppm` runs)?
    pub fn pdf_available(&self) -> std::result::Result<(), String> {
        run_tool(
            &self.pdftoppm,
            &["-v".into()],
            None,
            Duration::from_secs(20).min(self.timeout),
        )
        .map(|_| ())
        .map_err(|e| match e {
            OcrError::Unavailable(r) => format!("{r}; scanned PDFs cannot be read"),
            other => format!("pdftoppm does not work: {other}"),
        })
    }

    /// Recognise the text of a PDF without a text layer: its first pages, rendered.
    pub fn recognize_pdf(&self, bytes: &[u8]) -> std::result::Result<String, OcrError> {
        let langs = self.available().map_err(OcrError::Unavailable)?;
        self.recognize_pdf_with(bytes, &langs)
    }

    fn recognize_pdf_with(
        &self,
        bytes: &[u8],
        langs: &Languages,
    ) -> std::result::Result<String, OcrError> {
        let dir = tempfile::tempdir()
            .map_err(|e| OcrError::Io(format!("no temporary directory for PDF pages: {e}")))?;
        let root = dir.path().join("page");
        let args: Vec<OsString> = vec![
            "-r".into(),
            self.pdf_dpi.to_string().into(),
            "-gray".into(),
            "-png".into(),
            "-f".into(),
            "1".into(),
            "-l".into(),
            self.max_pdf_pages.max(1).to_string().into(),
            "-".into(),
            root.into_os_string(),
        ];
        let out = run_tool(&self.pdftoppm, &args, Some(bytes.to_vec()), self.timeout).map_err(
            |e| match e {
                OcrError::Unavailable(r) => {
                    OcrError::Unavailable(format!("{r}; scanned PDFs cannot be read"))
                }
                other => other,
            },
        )?;
        let mut pages: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .map_err(|e| OcrError::Io(format!("{}: {e}", dir.path().display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "png"))
            .collect();
        // page-1.png … page-10.png: order by the number, not the name.
        pages.sort_by_key(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.rsplit('-').next())
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(u32::MAX)
        });
        if pages.is_empty() {
            return Err(if out.status_ok {
                OcrError::BadInput("the PDF has no pages to read".into())
            } else {
                OcrError::BadInput(format!(
                    "the PDF could not be rendered: {}",
                    tail(&String::from_utf8_lossy(&out.stderr))
                ))
            });
        }
        let mut text = String::new();
        for p in pages {
            let png =
                std::fs::read(&p).map_err(|e| OcrError::Io(format!("{}: {e}", p.display())))?;
            let t = self.recognize_image_with(&png, langs)?;
            if !t.is_empty() {
                if !text.is_empty() {
                    text.push_str("\n\n");
                }
                text.push_str(&t);
            }
        }
        Ok(text)
    }
}

/// Is OCR possible with the default configuration? `Err` says why not.
pub fn available() -> std::result::Result<(), String> {
    OcrConfig::default().available().map(|_| ())
}

/// Recognise the text of an image with the default configuration.
pub fn recognize_image(bytes: &[u8]) -> std::result::Result<String, OcrError> {
    OcrConfig::default().recognize_image(bytes)
}

/// A CJK reading is kept when at least this share of its letters are CJK (real Chinese
/// and Japanese receipts: 0.83-1.0; Latin receipts misread as Japanese: 0.01-0.08).
const MIN_CJK_SHARE: f64 = 0.3;
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
const SIMPLIFIED_MARGIN: f32 = 15.0;
const MAX_KANA_SHARE: f64 = 0.05;

/// What script detection (`--psm 0`) said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Cjk,
    Latin,
    /// Too little text, a failure, or a script we have no languages for.
    Unsure,
}

fn parse_script(osd: &str) -> Script {
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
struct Reading {
    text: String,
    conf: Option<f32>,
    /// The same over the words that are mostly letters (two or more), and how many.
    word_conf: Option<f32>,
    words: usize,
}

impl Reading {
    /// Splits what `tesseract ... txt tsv` printed to stdout: the word table (a header
    /// line, then rows of 12 tab-separated fields) and the plain text.
    fn parse(out: &str) -> Reading {
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
    fn latin_in_doubt(&self, detected_latin: bool) -> bool {
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
fn better(l: Reading, c: Reading) -> Reading {
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

fn cjk_letters(text: &str) -> usize {
    text.chars().filter(|c| is_cjk_letter(*c)).count()
}

/// The share of CJK letters that are kana (Japanese writes them; Chinese does not).
fn kana_share(text: &str) -> f64 {
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
fn repair_yen(text: &str) -> String {
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

/// The page as PNG bytes for Tesseract's stdin.
fn encode_png(page: &image::GrayImage) -> std::result::Result<Vec<u8>, OcrError> {
    let mut png = Vec::new();
    page.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| OcrError::Io(format!("could not encode the page for OCR: {e}")))?;
    Ok(png)
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
fn has_total_amount(text: &str) -> bool {
    text.lines()
        .any(|l| RE_TOTAL_NAME.is_match(l) && RE_AMOUNT.is_match(l))
}

/// How much of what a receipt states an OCR text has: a total word (2) and a date (1).
fn receipt_score(text: &str) -> u8 {
    2 * u8::from(RE_TOTAL_WORD.is_match(text)) + u8::from(RE_ANY_DATE.is_match(text))
}

/// The share of letters in `text` that are CJK ideographs, kana or hangul.
fn cjk_share(text: &str) -> f64 {
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

/// Progress of `ocr_pending`, once per voucher.
#[derive(Debug, Clone, Serialize)]
pub struct OcrEvent {
    pub id: i64,
    /// Vouchers finished in this run, including this one.
    pub done: usize,
    pub total: usize,
    pub state: OcrState,
    pub error: Option<String>,
    /// Time spent on this voucher's OCR.
    pub millis: u64,
}

/// What a run of `ocr_pending` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OcrRunReport {
    pub done: usize,
    pub failed: usize,
    pub unavailable: usize,
    /// Still pending after this run (more than `limit` were waiting).
    pub remaining: usize,
    /// Why OCR is unavailable, when it is.
    pub unavailable_reason: Option<String>,
}

/// Options of an OCR run.
#[derive(Debug, Clone, Default)]
pub struct OcrRun {
    pub config: OcrConfig,
    /// Also retry vouchers whose OCR failed.
    pub retry_failed: bool,
}

impl Vault {
    /// Run OCR over pending vouchers, oldest first, at most `limit` of them. Vouchers left
    /// `unavailable` by an earlier run are retried once OCR is available. Never holds the
    /// write lock while OCR runs: each result is recorded in its own short transaction.
    pub fn ocr_pending(
        &mut self,
        limit: usize,
        progress: &mut dyn FnMut(OcrEvent),
    ) -> Result<OcrRunReport> {
        self.ocr_run(&OcrRun::default(), limit, progress)
    }

    /// `ocr_pending` with explicit options.
    pub fn ocr_run(
        &mut self,
        run: &OcrRun,
        limit: usize,
        progress: &mut dyn FnMut(OcrEvent),
    ) -> Result<OcrRunReport> {
        let mut report = OcrRunReport::default();
        let cfg = &run.config;
        let langs = match cfg.available() {
            Ok(l) => l,
            Err(reason) => {
                // Nothing can be read: say so on every waiting voucher.
                report.unavailable = self.conn.execute(
                    "UPDATE vouchers SET ocr_state = 'unavailable', ocr_error = ?1
                     WHERE ocr_state = 'pending'",
                    [&reason],
                )?;
                report.unavailable_reason = Some(reason);
                return Ok(report);
            }
        };
        let pdf_ok = cfg.pdf_available();
        {
            let tx = self.conn.transaction()?;
            tx.execute(
                "UPDATE vouchers SET ocr_state = 'pending', ocr_error = NULL
                 WHERE ocr_state = 'unavailable' AND (kind != 'pdf' OR ?1)",
                [pdf_ok.is_ok()],
            )?;
            if run.retry_failed {
                tx.execute(
                    "UPDATE vouchers SET ocr_state = 'pending', ocr_error = NULL
                     WHERE ocr_state = 'failed'",
                    [],
                )?;
            }
            if let Err(reason) = &pdf_ok {
                report.unavailable += tx.execute(
                    "UPDATE vouchers SET ocr_state = 'unavailable', ocr_error = ?1
                     WHERE ocr_state = 'pending' AND kind = 'pdf'",
                    [reason],
                )?;
                report.unavailable_reason = Some(reason.clone());
            }
            tx.commit()?;
        }
        let todo: Vec<(i64, String, Kind)> = {
            let mut stmt = self.conn.prepare(
                "SELECT id, sha256, kind FROM vouchers WHERE ocr_state = 'pending'
                 ORDER BY added_at, id LIMIT ?1",
            )?;
            let rows = stmt.query_map([limit.min(i64::MAX as usize) as i64], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    Kind::parse(&r.get::<_, String>(2)?).unwrap_or(Kind::Other),
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let total = todo.len();
        let next = AtomicUsize::new(0);
        let (store, conn) = (&self.store, &self.conn);
        let result = std::thread::scope(|scope| -> Result<()> {
            let (tx, rx) = mpsc::channel::<(i64, std::result::Result<String, OcrError>, u64)>();
            for _ in 0..WORKERS.min(total) {
                let (tx, next, todo, langs) = (tx.clone(), &next, &todo, &langs);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((id, sha, kind)) = todo.get(i) else {
                        break;
                    };
                    let started = Instant::now();
                    let result = store
                        .read_capped(sha, MAX_INPUT_BYTES)
                        .map_err(|e| OcrError::BadInput(e.to_string()))
                        .and_then(|bytes| {
                            let cfg = cfg.clone();
                            let langs = langs.clone();
                            let kind = *kind;
                            // Image decoders are third-party code over hostile input.
                            crate::guard::run("ocr", cfg.timeout * 4, move || match kind {
                                Kind::Pdf => cfg.recognize_pdf_with(&bytes, &langs),
                                _ => cfg.recognize_image_with(&bytes, &langs),
                            })
                            .map_err(|e| OcrError::BadInput(format!("OCR {e}")))
                            .and_then(|r| r)
                        });
                    let ms = started.elapsed().as_millis() as u64;
                    if tx.send((*id, result, ms)).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            for (i, (id, result, millis)) in rx.into_iter().enumerate() {
                let (state, error) = match &result {
                    Ok(_) => (OcrState::Done, None),
                    Err(e) => (e.state(), Some(e.to_string())),
                };
                record(
                    conn,
                    id,
                    state,
                    result.as_deref().unwrap_or(""),
                    error.as_deref(),
                )?;
                match state {
                    OcrState::Done => report.done += 1,
                    OcrState::Unavailable => report.unavailable += 1,
                    _ => report.failed += 1,
                }
                progress(OcrEvent {
                    id,
                    done: i + 1,
                    total,
                    state,
                    error,
                    millis,
                });
            }
            Ok(())
        });
        result?;
        report.remaining = self.conn.query_row(
            "SELECT count(*) FROM vouchers WHERE ocr_state = 'pending'",
            [],
            |r| r.get::<_, i64>(0),
        )? as usize;
        Ok(report)
    }
}

/// Record one OCR result, then extract the payment facts again over the voucher's text and
/// its OCR text (the user's own values stay), and update the search index.
fn record(
    conn: &rusqlite::Connection,
    id: i64,
    state: OcrState,
    text: &str,
    error: Option<&str>,
) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let r = (|| -> Result<()> {
        let changed = conn.execute(
            "UPDATE vouchers SET ocr_state = ?2, ocr_text = ?3, ocr_error = ?4
             WHERE id = ?1 AND ocr_state = 'pending'",
            params![id, state.as_str(), text, error],
        )?;
        if changed == 1 && state == OcrState::Done && !text.trim().is_empty() {
            let own: String =
                conn.query_row("SELECT text FROM vouchers WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            let mut warnings = Vec::new();
            let facts = crate::capture::ingest::extract_guarded(
                &crate::capture::ingest::with_ocr_text(&own, text),
                None,
                None,
                true,
                &mut warnings,
            );
            crate::capture::ingest::apply_facts(conn, id, &facts, &warnings)?;
        }
        crate::vault::index::reindex(conn, id)?;
        Ok(())
    })();
    match r {
        Ok(()) => {
            conn.execute_batch("COMMIT")?;
            Ok(())
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tool::tests::script;
    use super::*;
    use std::path::Path;

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

    #[test]
    fn a_latin_receipt_taken_for_japanese_is_read_again_with_latin_languages() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("calls");
        let body = format!(
            r#"echo "$*" >> {log}
cat >/dev/null
case "$*" in
  *"--psm 0"*) printf 'Script: Japanese\nScript confidence: 1.2\n' ;;
  *chi_sim*) echo 'Tatal EUR 17,29 人' ;;
  *) echo 'Total EUR 17,29 03.10.2026' ;;
esac"#,
            log = log.display()
        );
        let cfg = OcrConfig {
            tesseract: script(dir.path(), &body),
            ..OcrConfig::default()
        };
        let langs = Languages {
            latin: "eng+deu".into(),
            cjk: Some("chi_sim+jpn+eng".into()),
        };
        let png = crate::fixtures::png(40, 30, 1);
        assert_eq!(
            cfg.recognize_image_with(&png, &langs).unwrap(),
            "Total EUR 17,29 03.10.2026"
        );
        let calls = std::fs::read_to_string(&log).unwrap();
        assert_eq!(calls.lines().count(), 3, "{calls}");
        // Without CJK data, no detection pass: one pass with Latin languages.
        std::fs::remove_file(&log).unwrap();
        let latin_only = Languages {
            latin: "eng+deu".into(),
            cjk: None,
        };
        assert_eq!(
            cfg.recognize_image_with(&png, &latin_only).unwrap(),
            "Total EUR 17,29 03.10.2026"
        );
        assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 1);
    }

    /// What `tesseract ... txt tsv` prints: a word table with `conf` for every word, then
    /// the text.
    fn tsv_output(text: &str, conf: f32) -> String {
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

    /// A stand-in tesseract: script detection answers `osd`; each language set answers
    /// its file (latin, cjk = the mixed CJK set, sim = chi_sim+eng); calls are logged.
    fn scripted(dir: &Path, osd: &str, readings: &[(&str, String)]) -> (OcrConfig, PathBuf) {
        for (name, out) in readings {
            std::fs::write(dir.join(name), out).unwrap();
        }
        let log = dir.join("calls");
        let d = dir.display();
        let body = format!(
            r#"echo "$*" >> {log}
cat >/dev/null
case "$*" in
  *"--psm 0"*) printf '{osd}' ;;
  *"-l chi_sim+eng "*) cat {d}/sim ;;
  *chi_sim*) cat {d}/cjk ;;
  *) cat {d}/latin ;;
esac"#,
            log = log.display()
        );
        let cfg = OcrConfig {
            tesseract: script(dir, &body),
            ..OcrConfig::default()
        };
        (cfg, log)
    }

    fn all_langs() -> Languages {
        Languages {
            latin: "eng+deu+fra+spa".into(),
            cjk: Some("chi_sim+chi_tra+jpn+eng".into()),
        }
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
    fn a_chinese_screenshot_read_as_latin_nonsense_is_read_with_cjk_languages() {
        // Detection says Latin; the Latin pass reads gibberish with low confidence; the CJK
        // reading is mostly Chinese and surer: it is kept, and then read with simplified
        // Chinese alone (the mixed set wrote traditional and Japanese forms).
        let dir = tempfile::tempdir().unwrap();
        let (cfg, log) = scripted(
            dir.path(),
            "Script: Latin\\nScript confidence: 0.4\\n",
            &[
                ("latin", tsv_output("SAI\n¥ 36.50\nWER AT Fg S= OME", 55.0)),
                (
                    "cjk",
                    tsv_output("支付成功\n\\ 36.50\n収款方 瑞幸咖啡\n零錢", 88.0),
                ),
                (
                    "sim",
                    tsv_output("支付成功\nY 36.50\n收款方 瑞幸咖啡\n零钱", 82.0),
                ),
            ],
        );
        let png = crate::fixtures::png(40, 30, 1);
        let text = cfg.recognize_image_with(&png, &all_langs()).unwrap();
        assert_eq!(text, "支付成功\n¥ 36.50\n收款方 瑞幸咖啡\n零钱");
        let calls = std::fs::read_to_string(&log).unwrap();
        assert_eq!(calls.lines().count(), 4, "{calls}");
    }

    #[test]
    fn unsure_detection_with_a_doubtful_latin_reading_tries_cjk_and_keeps_the_surer() {
        // No script detected; the Latin reading is in doubt (70 < 75) but surer than a CJK
        // reading of a German receipt: Latin is kept.
        let dir = tempfile::tempdir().unwrap();
        let (cfg, log) = scripted(
            dir.path(),
            "Too few characters. Skipping this page\\n",
            &[
                ("latin", tsv_output("SUMME EUR 12,30\n03.10.2026", 70.0)),
                ("cjk", tsv_output("SUMME EUR 12,30 人\n03.10.2026", 60.0)),
                ("sim", tsv_output("unused", 99.0)),
            ],
        );
        let png = crate::fixtures::png(40, 30, 1);
        let text = cfg.recognize_image_with(&png, &all_langs()).unwrap();
        assert_eq!(text, "SUMME EUR 12,30\n03.10.2026");
        assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 3);
    }

    #[test]
    fn a_sure_latin_reading_is_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let (cfg, log) = scripted(
            dir.path(),
            "Script: Latin\\nScript confidence: 1.2\\n",
            &[
                (
                    "latin",
                    tsv_output("SUMME EUR 12,30\nBrot Milch\n03.10.2026", 80.0),
                ),
                ("cjk", tsv_output("unused", 99.0)),
                ("sim", tsv_output("unused", 99.0)),
            ],
        );
        let png = crate::fixtures::png(40, 30, 1);
        let text = cfg.recognize_image_with(&png, &all_langs()).unwrap();
        assert_eq!(text, "SUMME EUR 12,30\nBrot Milch\n03.10.2026");
        assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 2);
    }

    #[test]
    fn a_japanese_reading_keeps_the_mixed_set_and_traditional_text_stays_when_simplified_reads_worse(
    ) {
        // Kana: Japanese; no simplified pass.
        let dir = tempfile::tempdir().unwrap();
        let (cfg, log) = scripted(
            dir.path(),
            "Script: Japanese\\nScript confidence: 0.37\\n",
            &[
                ("latin", tsv_output("unused", 99.0)),
                (
                    "cjk",
                    tsv_output("ローソン\n合計 ¥528\nありがとうございました", 90.0),
                ),
                ("sim", tsv_output("unused", 99.0)),
            ],
        );
        let png = crate::fixtures::png(40, 30, 1);
        let text = cfg.recognize_image_with(&png, &all_langs()).unwrap();
        assert_eq!(text, "ローソン\n合計 ¥528\nありがとうございました");
        assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 2);
        // Chinese, but simplified Chinese reads it much worse: the mixed reading stays.
        let dir = tempfile::tempdir().unwrap();
        let (cfg, _) = scripted(
            dir.path(),
            "Script: Korean\\nScript confidence: 0.85\\n",
            &[
                ("latin", tsv_output("unused", 99.0)),
                ("cjk", tsv_output("全家便利商店\n總計 NT$ 60", 93.0)),
                ("sim", tsv_output("全家便利商店\n总计 NT$ 60", 75.0)),
            ],
        );
        let text = cfg.recognize_image_with(&png, &all_langs()).unwrap();
        assert_eq!(text, "全家便利商店\n總計 NT$ 60");
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
    fn missing_program_is_unavailable() {
        let cfg = OcrConfig {
            tesseract: "/nonexistent/tesseract".into(),
            pdftoppm: "/nonexistent/pdftoppm".into(),
            ..OcrConfig::default()
        };
        let e = cfg.available().unwrap_err();
        assert!(e.contains("/nonexistent/tesseract not found"), "{e}");
        let e = cfg.recognize_image(b"whatever").unwrap_err();
        assert_eq!(e.state(), OcrState::Unavailable);
        assert!(cfg.pdf_available().unwrap_err().contains("scanned PDFs"));
    }

    #[test]
    fn nonzero_exit_and_early_exit_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        // Exits without reading its input (a large one, so the writer hits a closed pipe).
        let prog = script(dir.path(), "echo 'Error: no such language' >&2; exit 3");
        let out = run_tool(
            &prog,
            &[],
            Some(vec![0u8; 4 << 20]),
            Duration::from_secs(10),
        )
        .ok()
        .unwrap();
        assert!(!out.status_ok);
        assert!(out.status.contains('3'), "{}", out.status);
        assert_eq!(
            tail(&String::from_utf8_lossy(&out.stderr)),
            "Error: no such language"
        );
        // Through the OCR path: a failure with the program's message.
        let cfg = OcrConfig {
            tesseract: prog,
            ..OcrConfig::default()
        };
        let langs = Languages {
            latin: "eng".into(),
            cjk: None,
        };
        let png = crate::fixtures::png(40, 30, 1);
        let e = cfg.recognize_image_with(&png, &langs).unwrap_err();
        assert_eq!(e.state(), OcrState::Failed);
        assert!(e.to_string().contains("no such language"), "{e}");
    }

    #[test]
    fn languages_follow_what_is_installed() {
        let dir = tempfile::tempdir().unwrap();
        let prog = script(
            dir.path(),
            "echo 'List of available languages in \"/x/\" (3):'; echo eng; echo osd; echo jpn",
        );
        let cfg = OcrConfig {
            tesseract: prog,
            ..OcrConfig::default()
        };
        assert_eq!(
            cfg.available().unwrap(),
            Languages {
                latin: "eng".into(),
                cjk: Some("jpn+eng".into())
            }
        );
        let prog = script(
            dir.path(),
            "echo 'List of available languages in \"/x/\" (1):'; echo osd",
        );
        let cfg = OcrConfig {
            tesseract: prog,
            ..OcrConfig::default()
        };
        assert!(cfg.available().unwrap_err().contains("no language data"));
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

    #[test]
    fn a_total_without_amount_is_read_again_from_a_binarised_page() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("calls");
        let body = format!(
            r#"echo "$*" >> {log}
cat >/dev/null
n=$(wc -l < {log})
if [ "$n" -le 1 ]; then echo 'SUMME EUR 6,7 24.02.20'; else echo 'SUMME EUR 5,47'; fi"#,
            log = log.display()
        );
        let cfg = OcrConfig {
            tesseract: script(dir.path(), &body),
            ..OcrConfig::default()
        };
        let langs = Languages {
            latin: "eng+deu".into(),
            cjk: None,
        };
        let png = crate::fixtures::png(40, 30, 1);
        assert_eq!(
            cfg.recognize_image_with(&png, &langs).unwrap(),
            "SUMME EUR 6,7 24.02.20\n\nSUMME EUR 5,47"
        );
        assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 2);
    }

    #[test]
    fn a_text_without_total_is_read_again_from_a_binarised_page() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("calls");
        // The first Latin pass reads no total; the second (binarised page) does.
        let body = format!(
            r#"echo "$*" >> {log}
cat >/dev/null
n=$(wc -l < {log})
if [ "$n" -le 1 ]; then echo 'Milch 1,19'; else echo 'SUMME EUR 1,19'; fi"#,
            log = log.display()
        );
        let cfg = OcrConfig {
            tesseract: script(dir.path(), &body),
            ..OcrConfig::default()
        };
        let langs = Languages {
            latin: "eng+deu".into(),
            cjk: None,
        };
        let png = crate::fixtures::png(40, 30, 1);
        assert_eq!(
            cfg.recognize_image_with(&png, &langs).unwrap(),
            "Milch 1,19\n\nSUMME EUR 1,19"
        );
        let calls = std::fs::read_to_string(&log).unwrap();
        assert_eq!(calls.lines().count(), 2, "{calls}");
    }
}
