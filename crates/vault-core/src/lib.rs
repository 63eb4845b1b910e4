//! Receipt Vault's core. No UI and no Tauri here: the desktop app and the `vault` CLI
//! are thin layers over this crate.
//!
//! The folders follow the path a voucher takes:
//! ```text
//! file ─▶ capture ─▶ vault (objects + rows) ─▶ understand ─▶ find ─▶ prove
//! ```
//! - [`vault`]: the vault directory, its database and object store, the model and money;
//! - [`capture`]: files, emails, PDFs, images (and OCR) into objects, rows and text;
//! - [`understand`]: the payment facts of a text, with confidences (pure functions);
//! - [`find`]: the search language and the sidebar's organisation (tags, Trash, saved
//!   searches);
//! - [`prove`]: evidence bundles and verification.
//!
//! Imports point one way (besides the root's `error`, `guard` and `fixtures`): `vault`
//! uses none of the others; `understand` uses `vault`; `capture` uses `vault` and
//! `understand` (the facts of what it captured); `find` uses `vault`; `prove` uses `vault`
//! and `capture::email`. No circles, between folders or between modules.
//!
//! A vault is a directory:
//! ```text
//! vault.db        SQLite (WAL): vouchers, sources, tags, emails, full-text index
//! objects/ab/…    originals and derived objects (thumbnails), named by SHA-256
//! tmp/            temp files of writes in progress
//! ```

pub mod capture;
pub mod error;
pub mod find;
pub mod fixtures;
pub mod guard;
pub mod prove;
pub mod understand;
pub mod vault;

pub use capture::ingest::{AddEvent, AddReport, FileReport, Outcome};
pub use capture::ocr::{OcrConfig, OcrError, OcrEvent, OcrRunReport};
pub use error::{Error, Result};
pub use find::search::{Hit, SearchPage, SearchResults};
pub use guard::quiet_guarded_panics;
pub use prove::export::ExportSummary;
pub use prove::verify::{
    verify_bundle, BundleReport, Problem, ProblemKind, RepairOutcome, VerifyReport,
};
pub use vault::model::*;
pub use vault::money::Currency;
pub use vault::{default_vault_dir, parse_user_date, DefaultCurrency, Vault};
