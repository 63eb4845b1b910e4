//! Typed errors of the core. Every error has a stable machine code (`Error::code`) that
//! crosses IPC and the CLI's `--json` output unchanged, so front ends branch on the code
//! and show the message.

use std::path::PathBuf;

/// Result with the core's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: not a Receipt Vault (no vault.db); run `vault init` to create one")]
    NotAVault { path: PathBuf },
    #[error("{path}: this vault has schema version {found}, newer than this program understands ({supported}); update Receipt Vault")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("no voucher with id {0}")]
    NotFound(i64),
    #[error("{path}: {reason}")]
    BadFile { path: PathBuf, reason: String },
    #[error("bad query: {0}")]
    BadQuery(String),
    #[error("invalid value: {0}")]
    Invalid(String),
    #[error("{path}: not a valid evidence bundle: {reason}")]
    BadBundle { path: PathBuf, reason: String },
    #[error("could not determine a data directory for the vault; set RECEIPT_VAULT_DIR")]
    NoDataDir,
}

impl Error {
    /// Stable, machine-readable code for the error kind.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotAVault { .. } => "not_a_vault",
            Error::NewerSchema { .. } => "newer_schema",
            Error::Io { .. } => "io",
            Error::Db(_) => "database",
            Error::NotFound(_) => "not_found",
            Error::BadFile { .. } => "bad_file",
            Error::BadQuery(_) => "bad_query",
            Error::Invalid(_) => "invalid",
            Error::BadBundle { .. } => "bad_bundle",
            Error::NoDataDir => "no_data_dir",
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Attach a path to an `io::Error`.
pub(crate) trait IoContext<T> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T>;
}

impl<T> IoContext<T> for std::result::Result<T, std::io::Error> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T> {
        self.map_err(|e| Error::io(path, e))
    }
}
