//! Prove: evidence someone else can check. Export bundles (originals, a CSV of the facts,
//! a `SHA256SUMS` file `sha256sum -c` verifies) and the verification of a vault or bundle
//! against its recorded SHA-256 sums, with repair from a recorded source.
//!
//! May use: `vault`, `capture::email` (to re-derive an attachment from the email kept in
//! the vault). Never imports from `find` or `understand`.

pub mod export;
pub mod verify;
