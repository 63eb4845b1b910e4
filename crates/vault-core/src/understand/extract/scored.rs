//! What every reader returns and shares: a value with its confidence ([`Scored`]), what is
//! known about a text besides its content ([`Hints`]), the facts found ([`Extracted`]),
//! and the limits that bound the work on hostile text. The readers use these, never
//! `mod.rs`, which runs them.

use chrono::NaiveDate;

use crate::vault::model::Money;
use crate::vault::money::Currency;

/// Only this many bytes at the start of a text are examined.
pub const MAX_BYTES: usize = 200 * 1024;
/// Only this many lines (after long lines are cut into pieces) are examined.
pub const MAX_LINES: usize = 2000;
/// Lines longer than this are cut into pieces (at whitespace where possible).
pub(super) const MAX_PIECE_BYTES: usize = 1000;
/// At most this many candidates of one kind are collected.
pub(super) const MAX_CANDIDATES: usize = 1000;
/// A line that only carries a label ("Total", "Order date") is at most this long.
pub(super) const MAX_LABEL_CHARS: usize = 40;

/// A value with how sure the extractor is about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored<T> {
    pub value: T,
    /// 0.0..=1.0
    pub confidence: f32,
}

/// What else is known about a text besides its content.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints<'a> {
    /// The email From header as display text, e.g. "Amazon.de <bestellbestaetigung@amazon.de>" or "noreply@paypal.com"
    pub email_from: Option<&'a str>,
    /// The email Subject, if any.
    pub subject: Option<&'a str>,
    /// The text was read by OCR from an image or a scanned page: digits may be misread, so
    /// an amount the rest of the receipt does not bear out is given a low confidence.
    pub ocr: bool,
    /// The vault's default currency: the currency of bare amounts when the text itself
    /// says nothing about it (no code or sign, no country, no language that tells).
    pub default_currency: Option<Currency>,
}

/// Facts found in a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// Total paid, integer minor units + ISO 4217 currency.
    pub amount: Option<Scored<Money>>,
    /// Date of payment found in the text.
    pub date: Option<Scored<NaiveDate>>,
    pub merchant: Option<Scored<String>>,
    /// Order / invoice / transaction / reference number.
    pub order_ref: Option<Scored<String>>,
    /// e.g. "Visa •••• 1234", "PayPal", "Apple Pay".
    pub payment_method: Option<Scored<String>>,
    /// Tax stated on the voucher (VAT, MwSt, TVA, sales tax...), in the total's currency.
    pub tax: Option<Scored<Money>>,
}

pub(super) fn damp<T>(mut s: Scored<T>, factor: f32) -> Scored<T> {
    s.confidence = (s.confidence * factor).clamp(0.0, 1.0);
    s
}

pub(super) fn scored<T>(value: T, confidence: f32) -> Scored<T> {
    Scored {
        value,
        confidence: confidence.clamp(0.0, 1.0),
    }
}
