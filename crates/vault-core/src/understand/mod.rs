//! Understand: the payment facts of a voucher's text (merchant, amount and currency, date,
//! order or reference number, payment method, tax), each with a confidence, so a person
//! only reviews what is uncertain.
//!
//! - `extract`: the readers, one per fact, over text prepared once;
//! - `merchants`: the table of known merchants (data) and its lookup;
//! - `text`: small text helpers both of them use (CJK characters, squashed names,
//!   postcode lines), so that `extract` depends on `merchants` and never the other way.
//!
//! Pure functions of text: no files, no database. May use: `vault::model` and
//! `vault::money` (the types facts are written in). Never imports from `capture`, `find` or
//! `prove`.

pub mod extract;
pub mod merchants;
mod text;
