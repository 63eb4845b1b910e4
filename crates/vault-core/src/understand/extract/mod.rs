//! Heuristic extraction of receipt facts from plain text.
//!
//! [`extract`] looks for the total paid, the payment date, the merchant, an order or
//! invoice reference and the payment method in the text of a voucher (an email body,
//! text pulled out of a PDF, OCR output). Every value carries a confidence in
//! `0.0..=1.0` so callers can decide what to keep and what to show as a guess.
//!
//! Ground rules:
//! * Never panics on any input: all slicing happens on char boundaries and no value
//!   reachable from input is `unwrap`ped.
//! * Bounded work: only the first [`MAX_BYTES`] bytes and [`MAX_LINES`] lines are read,
//!   long lines are cut into pieces, and every regex is compiled once.
//! * Money is exact: amounts are normalised to a plain decimal string and converted to
//!   minor units with [`crate::vault::money::Decimal`], never through floats.
//!
//! The folder owns reading these facts from text, one file per fact: `total` (with
//! `amount` for the amounts of a line and `amount_classes` for the words around them),
//! `tax`, `date`, `reference`, `payment`, `merchant` (with `business_line` for the lines
//! that can name a business and `sender` for the From header). `text` prepares the text
//! once for all of them; the fact files use `text` and the types here, and each other only
//! downwards (`total` and `tax` read amounts, `merchant` skips amounts and dates, nothing
//! reads `merchant` or `total`). Outside the folder it uses `understand::merchants` (known
//! chains) and the money types of `vault`. Whole-text tests are in `tests/`.

mod amount;
mod amount_classes;
mod business_line;
mod country;
mod date;
mod keywords;
mod merchant;
mod payment;
mod reference;
mod scored;
mod sender;
mod tax;
#[cfg(test)]
mod tests;
mod text;
mod total;

pub use scored::{Extracted, Hints, Scored, MAX_BYTES, MAX_LINES};
pub use sender::merchant_from_sender;

use chrono::NaiveDate;

use crate::vault::model::Money;

use amount::find_amounts;
use date::{extract_date, find_dates};
use merchant::extract_merchant;
use payment::extract_payment;
use reference::extract_order_ref;
use scored::damp;
use tax::extract_tax;
use text::{head, normalize_text, split_lines, Ctx};
use total::extract_amount;

/// Extract what can be found in `text` (and in the hints).
pub fn extract(text: &str, hints: &Hints) -> Extracted {
    let norm = normalize_text(text);
    let lines = split_lines(&norm);
    let subject = hints.subject.map(|s| normalize_text(head(s, 4096)));
    let subject_lines = subject.as_deref().map(split_lines).unwrap_or_default();
    let ctx = Ctx::detect(&norm, subject.as_deref().unwrap_or(""));

    let subject_hints = Hints {
        ocr: false,
        ..hints.clone()
    };
    let amount = extract_amount(&lines, &ctx, hints)
        .or_else(|| extract_amount(&subject_lines, &ctx, &subject_hints).map(|s| damp(s, 0.8)));
    let date = extract_date(&lines, &ctx)
        .or_else(|| extract_date(&subject_lines, &ctx).map(|s| damp(s, 0.8)));
    let order_ref =
        extract_order_ref(&norm).or_else(|| subject.as_deref().and_then(extract_order_ref));
    let payment_method = extract_payment(&lines, hints);
    let merchant = extract_merchant(&lines, hints, subject.as_deref());
    let tax = extract_tax(&lines, &ctx, amount.as_ref().map(|a| &a.value));

    Extracted {
        amount,
        date,
        merchant,
        order_ref,
        payment_method,
        tax,
    }
}

/// The first amount with a currency in `s`, e.g. "€1.234,56", "12,50 EUR", "US$ 49.99".
/// A bare `$` means USD and `¥` means JPY unless `s` itself says otherwise.
pub fn parse_money(s: &str) -> Option<Money> {
    let norm = normalize_text(head(s, 4096));
    let ctx = Ctx::detect(&norm, "");
    split_lines(&norm).into_iter().find_map(|line| {
        find_amounts(line, &ctx)
            .into_iter()
            .filter_map(|r| r.money())
            .next()
    })
}

/// The first calendar date in `s` in any of the forms [`extract`] understands.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let norm = normalize_text(head(s, 4096));
    let ctx = Ctx::detect(&norm, "");
    split_lines(&norm)
        .into_iter()
        .find_map(|line| find_dates(line, &ctx).into_iter().next().map(|d| d.date))
}
