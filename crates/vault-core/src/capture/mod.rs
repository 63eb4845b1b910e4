//! Capture: from a file on disk (or bytes pasted) to an original kept byte-exact in the
//! store, a voucher row, and the text the file holds.
//!
//! - `ingest`: the import of files, folders and mailboxes (workers, batched transactions,
//!   duplicates, unreadable files kept and reported);
//! - `detect`: what a file is, from its bytes;
//! - `email`: .eml and mailbox messages (headers, text, attachments); `html`: an email's
//!   HTML made safe to show;
//! - `pdf`: a PDF's text layer; `media`: images (bounded decoding, thumbnails, EXIF, the
//!   page prepared for OCR);
//! - `ocr`: text read from pictures and scanned PDFs by Tesseract, as a queue worked in the
//!   background. It lives here, not in `understand`, because it is how a picture's text is
//!   captured: it shares the image decoding of `media` and hands its text to `understand`
//!   like every other capture path does.
//!
//! May use: `vault` (rows, store), `understand` (the payment facts of the text captured).
//! Never imports from `find` or `prove`.

mod again;
mod analyse;
mod batch;
pub mod detect;
pub mod email;
mod facts;
pub mod html;
pub mod ingest;
pub mod media;
pub mod ocr;
pub mod pdf;

/// How long a parser may take over one file.
pub(crate) const PARSE_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);
