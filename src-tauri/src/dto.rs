//! What the shell's commands take and answer, beyond `vault_core`'s own types.
//!
//! Field names are camelCase on the wire (the contract with the UI); the TypeScript
//! declarations in `ui/src/lib/bindings/` are generated from these types (ts-rs).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use vault_core::Scope;

/// An error as it crosses IPC: a stable machine code and a message for people.
///
/// The codes are those of `vault_core::Error::code`, plus the shell's own: `busy` (an
/// import is already running), `internal` (a worker thread failed), `unsupported` (no
/// system viewer for this kind of file), `no_viewer` (nothing to open files with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: String,
    pub message: String,
}

/// Answer of `vault_info`, `open_vault` and `create_vault`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VaultInfo {
    /// The vault's folder, for display.
    pub dir: String,
    /// Vouchers not in the trash.
    #[ts(type = "number")]
    pub count: i64,
    /// Bytes the vault takes on disk (database and objects).
    #[ts(type = "number")]
    pub size_bytes: u64,
    #[ts(type = "number")]
    pub schema_version: i64,
    /// Whether text in images and scanned PDFs can be recognised (Tesseract present).
    pub ocr_available: bool,
    /// Why OCR is not available, when it is not.
    pub ocr_reason: Option<String>,
}

/// Progress of `import_paths`, sent through its channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ImportEvent {
    Started {
        total: u32,
    },
    Progress {
        done: u32,
        total: u32,
        path: String,
    },
    /// One file's outcome (after its `progress`).
    File {
        path: String,
        outcome: FileOutcome,
        /// The new voucher (added, unreadable).
        #[ts(type = "number | null")]
        id: Option<i64>,
        /// The voucher that already had these bytes (duplicate).
        #[ts(type = "number | null")]
        existing_id: Option<i64>,
        /// Why it failed, or why its content could not be read (failed, unreadable).
        error: Option<IpcError>,
    },
    Finished {
        summary: ImportSummary,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum FileOutcome {
    Added,
    Duplicate,
    /// Kept in the vault, but its content could not be read (see `error`).
    Unreadable,
    Failed,
}

/// A file whose bytes were already in the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Duplicate {
    pub path: String,
    /// The voucher that has them.
    #[ts(type = "number")]
    pub id: i64,
}

/// A file that could not be added, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Failure {
    pub path: String,
    pub code: String,
    pub message: String,
}

/// The end of an import: what was added, what was already there, what was kept but
/// could not be read, what failed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    /// Vouchers added (attachments of added emails and unreadable files included).
    pub added: u32,
    /// Ids of the added vouchers (files, not their attachments), in input order.
    #[ts(type = "Array<number>")]
    pub added_ids: Vec<i64>,
    pub duplicates: Vec<Duplicate>,
    /// Files kept in the vault whose content could not be read, and why.
    pub unreadable: Vec<Failure>,
    /// Their vouchers, in the order of `unreadable`.
    #[ts(type = "Array<number>")]
    pub unreadable_ids: Vec<i64>,
    pub failed: Vec<Failure>,
}

/// What to export: the selected vouchers, or every match of a search.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(untagged)]
pub enum ExportTarget {
    Ids(#[ts(type = "Array<number>")] Vec<i64>),
    Search { query: String, scope: Scope },
}

/// Progress of `export_bundle` and `verify_vault`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
}

/// Answer of `verify_vault` and `verify_voucher`: the core's report and its verdict.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VerifySummary {
    /// Nothing that matters is wrong (orphans and thumbnails do not count).
    pub ok: bool,
    #[serde(flatten)]
    pub report: vault_core::VerifyReport,
}

/// Kind of file a save dialog asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum SaveKind {
    Zip,
    Csv,
}
