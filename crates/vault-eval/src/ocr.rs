//! OCR for the evaluation: the product's own `vault_core::capture::ocr::recognize_image` (EXIF
//! orientation, grey, scaling, script detection, tesseract), so the figures measure the app's
//! pipeline. Results are cached on disk by the SHA-256 of the image bytes so reruns skip the
//! slow part; the cache sits under `target/` and its folder names the OCR settings, so a
//! change of languages or page segmentation starts a new cache. After any other change to
//! the OCR code, delete `target/vault-eval/ocr` to measure it.

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Instant;
use vault_core::capture::ocr;

pub struct Ocr {
    dir: PathBuf,
}

/// Recognised text and how long recognition took (measured when it ran, kept in the cache).
pub struct Recognised {
    pub text: String,
    pub ms: f64,
    pub cached: bool,
}

impl Ocr {
    /// The OCR settings, part of the cache key.
    /// `VAULT_EVAL_OCR_METHOD` names another cache folder, e.g. to measure extractor
    /// changes on the text an earlier OCR pipeline read (before/after comparisons).
    pub fn method() -> String {
        if let Some(m) = std::env::var_os("VAULT_EVAL_OCR_METHOD") {
            return m.to_string_lossy().into_owned();
        }
        format!(
            "core-psm{}-{}-{}-{}",
            ocr::PSM,
            ocr::PIPELINE,
            ocr::LATIN_LANGS.join("+"),
            ocr::CJK_LANGS.join("+")
        )
    }

    pub fn new(cache_root: &Path) -> Result<Ocr> {
        let dir = cache_root.join("ocr").join(Self::method());
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Ocr { dir })
    }

    /// Is OCR possible here? (`Err` says why not.)
    pub fn available() -> Result<(), String> {
        ocr::available()
    }

    pub fn recognize(&self, bytes: &[u8]) -> Result<Recognised> {
        let key = hex::encode(Sha256::digest(bytes));
        let txt = self.dir.join(format!("{key}.txt"));
        let ms_file = self.dir.join(format!("{key}.ms"));
        if let Ok(text) = std::fs::read_to_string(&txt) {
            let ms = std::fs::read_to_string(&ms_file)
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(f64::NAN);
            return Ok(Recognised {
                text,
                ms,
                cached: true,
            });
        }
        let t0 = Instant::now();
        let text = ocr::recognize_image(bytes).map_err(|e| anyhow::anyhow!("OCR failed: {e}"))?;
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        let tmp = self.dir.join(format!("{key}.tmp"));
        std::fs::write(&tmp, &text).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &txt).with_context(|| format!("writing {}", txt.display()))?;
        std::fs::write(&ms_file, format!("{ms:.1}"))
            .with_context(|| format!("writing {}", ms_file.display()))?;
        Ok(Recognised {
            text,
            ms,
            cached: false,
        })
    }
}
