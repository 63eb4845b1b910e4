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

use crate::vault::model::OcrState;
use std::time::Duration;

pub use queue::{OcrEvent, OcrRun, OcrRunReport};
pub use recognize::{available, recognize_image, Languages, OcrConfig};

mod queue;
mod reading;
mod recognize;
pub(crate) mod tool;

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

#[cfg(test)]
mod tests;
