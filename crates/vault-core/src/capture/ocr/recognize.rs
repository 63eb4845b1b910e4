//! Reading one voucher: `OcrConfig` (which programs, time limit, PDF pages), the languages
//! installed, and the recognition of an image or of a scanned PDF's pages: script
//! detection, passes with the languages it calls for, a second opinion when in doubt, and
//! a second reading of a binarised page when no total was read.

use super::reading::{
    better, cjk_letters, cjk_share, has_total_amount, kana_share, parse_script, receipt_score,
    repair_yen, Reading, Script, MAX_KANA_SHARE, MIN_CJK_SHARE, SIMPLIFIED_MARGIN,
};
use super::tool::{run_tool, tail};
use super::{OcrError, CJK_LANGS, LATIN_LANGS, PSM};
use crate::capture::media;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

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

    pub(super) fn recognize_image_with(
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

    pub(super) fn recognize_pdf_with(
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
    use super::*;
    use crate::capture::ocr::tool::tests::script;
    use crate::vault::model::OcrState;

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
}
