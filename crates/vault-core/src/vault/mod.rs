//! The vault itself: a directory with a SQLite database and a content-addressed store of
//! originals. Everything above is built on it.
//!
//! - `handle`: the [`Vault`] handle: open or create a vault, read and edit vouchers;
//! - `db`: the connection, its pragmas and the schema migrations;
//! - `store`: the object store (originals and thumbnails named by SHA-256, written by temp
//!   file + fsync + rename);
//! - `rows`: the voucher row as lists show it (columns, mapping, "Needs review");
//! - `index`: the full-text index, rewritten with every change to a voucher;
//! - `model`: the types a voucher is described by, shared with the front ends;
//! - `money`: amounts as integer minor units with an ISO 4217 currency;
//! - `settings`: the vault's settings (its default currency, guessed from the system
//!   locale until a person sets it).
//!
//! May use: the crate root (`error`, `guard`). Never imports from `capture`, `understand`,
//! `find` or `prove`: those use the vault.

pub mod db;
mod handle;
pub(crate) mod index;
pub mod model;
pub mod money;
pub(crate) mod rows;
pub(crate) mod settings;
pub mod store;

pub use handle::{default_vault_dir, parse_user_date, Vault, DB_FILE};
pub(crate) use handle::{normalise_tag, now_utc};
pub use settings::{locale_currency, DefaultCurrency};
