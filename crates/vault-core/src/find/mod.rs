//! Find: the search language and its SQL plans over the full-text index and the voucher
//! rows, and what organises the vault around them (the sidebar's facets, tags, the Trash,
//! saved searches).
//!
//! May use: `vault`. Never imports from `capture`, `understand` or `prove`.

pub mod organise;
pub mod query;
pub mod search;
mod snippet;
