//! Receipt Vault's core: the vault (SQLite + content-addressed object store), ingest of
//! emails, PDFs, images and other files, extraction of payment facts, search, evidence
//! export and verification. No UI and no Tauri here: the desktop app and the `vault`
//! CLI are thin layers over this crate.
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
pub use vault::{default_vault_dir, parse_user_date, Vault};
