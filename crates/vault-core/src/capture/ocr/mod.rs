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
use crate::vault::model::OcrState;
use reading::{
    better, cjk_letters, cjk_share, has_total_amount, kana_share, parse_script, receipt_score,
    repair_yen, Reading, Script, MAX_KANA_SHARE, MIN_CJK_SHARE, SIMPLIFIED_MARGIN,
};
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;
use tool::{run_tool, tail};

pub use queue::{OcrEvent, OcrRun, OcrRunReport};

mod queue;
mod reading;
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

/// The page as PNG bytes for Tesseract's stdin.
fn encode_png(page: &image::GrayImage) -> std::result::Result<Vec<u8>, OcrError> {
    let mut png = Vec::new();
    page.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| OcrError::Io(format!("could not encode the page for OCR: {e}")))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::reading::tests::tsv_output;
    use super::tool::tests::script;
    use super::*;
    use std::path::Path;

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
