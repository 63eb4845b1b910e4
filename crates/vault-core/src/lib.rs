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

pub mod db;
pub mod detect;
pub mod email;
pub mod error;
pub mod export;
pub mod extract;
pub mod fixtures;
pub mod guard;
pub mod html;
pub mod ingest;
pub mod media;
pub mod merchants;
pub mod model;
pub mod money;
pub mod ocr;
pub mod organise;
pub mod pdf;
pub mod search;
pub mod store;
pub mod vault;
pub mod verify;

pub use error::{Error, Result};
pub use export::ExportSummary;
pub use guard::quiet_guarded_panics;
pub use ingest::{AddEvent, AddReport, FileReport, Outcome};
pub use model::*;
pub use money::Currency;
pub use ocr::{OcrConfig, OcrError, OcrEvent, OcrRunReport};
pub use search::{Hit, Order, SearchPage, SearchResults};
pub use vault::{default_vault_dir, parse_user_date, Vault};
pub use verify::{verify_bundle, BundleReport, Problem, ProblemKind, RepairOutcome, VerifyReport};
