//! The voucher and its parts, as stored and as shown to front ends.

use serde::{Deserialize, Serialize};

/// Broad kind of a voucher, derived from its detected media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Image,
    Email,
    Pdf,
    Text,
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::Email => "email",
            Kind::Pdf => "pdf",
            Kind::Text => "text",
            Kind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s.to_ascii_lowercase().as_str() {
            "image" | "images" => Kind::Image,
            "email" | "emails" | "mail" => Kind::Email,
            "pdf" | "pdfs" => Kind::Pdf,
            "text" => Kind::Text,
            "other" => Kind::Other,
            _ => return None,
        })
    }
}

/// Who set a value: the extractor, or the user (a user's value is never overwritten).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Extracted,
    User,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Extracted => "extracted",
            Origin::User => "user",
        }
    }
    pub fn parse(s: &str) -> Origin {
        if s == "user" {
            Origin::User
        } else {
            Origin::Extracted
        }
    }
}

/// Where `occurred_at` came from, best evidence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// Typed by the user.
    User,
    /// The Date header of the email (or of the email an attachment came in).
    EmailDate,
    /// A payment date found in the voucher's text.
    Text,
    /// EXIF DateTimeOriginal of a photo.
    Exif,
    /// The creation date in a PDF's metadata.
    PdfCreated,
    /// The modification time of the file it was added from (the fallback).
    FileMtime,
    /// When it was added to the vault (no better evidence, e.g. pasted bytes).
    Added,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::User => "user",
            DateSource::EmailDate => "email_date",
            DateSource::Text => "text",
            DateSource::Exif => "exif",
            DateSource::PdfCreated => "pdf_created",
            DateSource::FileMtime => "file_mtime",
            DateSource::Added => "added",
        }
    }
    pub fn parse(s: &str) -> DateSource {
        match s {
            "user" => DateSource::User,
            "email_date" => DateSource::EmailDate,
            "text" => DateSource::Text,
            "exif" => DateSource::Exif,
            "pdf_created" => DateSource::PdfCreated,
            "file_mtime" => DateSource::FileMtime,
            _ => DateSource::Added,
        }
    }
}

/// A value with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Fact<T> {
    pub value: T,
    pub origin: Origin,
}

pub use crate::vault::money::Money;

/// Headers of an email voucher.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EmailHeaders {
    pub from: String,
    pub to: String,
    pub subject: String,
    pub date: Option<String>,
    pub message_id: Option<String>,
    /// The HTML body as received (never rendered by the core; front ends sanitise it).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub html: Option<String>,
}

/// A voucher as listed: enough for a row in a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VoucherSummary {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub sha256: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: i64,
    pub kind: Kind,
    pub media_type: String,
    pub original_name: String,
    pub title: String,
    pub added_at: String,
    pub occurred_at: String,
    pub occurred_source: DateSource,
    pub merchant: Option<String>,
    pub amount: Option<Money>,
    /// The amount formatted for people, e.g. "49.99 EUR".
    pub amount_display: Option<String>,
    pub tags: Vec<String>,
    pub has_thumbnail: bool,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub parent_id: Option<i64>,
    /// Missing or uncertain amount or date: a person should look (see [`REVIEW_THRESHOLD`]).
    pub needs_review: bool,
    pub ocr_state: OcrState,
    /// When it was moved to the Trash.
    pub deleted_at: Option<String>,
}

/// Everything known about one voucher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Voucher {
    #[serde(flatten)]
    pub summary: VoucherSummary,
    pub merchant_fact: Option<Fact<String>>,
    pub amount_fact: Option<Fact<Money>>,
    pub payment_method: Option<Fact<String>>,
    pub order_ref: Option<Fact<String>>,
    pub notes: String,
    pub text: String,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub width: Option<i64>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub height: Option<i64>,
    pub thumb_sha256: Option<String>,
    pub sources: Vec<Source>,
    pub email: Option<EmailHeaders>,
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub attachments: Vec<i64>,
    /// Emails this voucher came attached to (the first is `parent_id`).
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub in_emails: Vec<i64>,
    /// Why an image has no thumbnail, or what else was odd about the file.
    pub warnings: Vec<String>,
    /// How sure the extractor was of each extracted value (0..1).
    pub confidence: Confidence,
    /// Tax stated on the voucher, in the amount's currency.
    pub tax: Option<Money>,
    /// When a person confirmed the facts.
    pub reviewed_at: Option<String>,
    /// Why OCR failed or is unavailable.
    pub ocr_error: Option<String>,
    /// Text recognised by OCR (searchable like `text`).
    pub ocr_text: String,
}

/// Confidence of each extracted value, 0..1; `None` when not extracted (or set by the user).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Confidence {
    pub merchant: Option<f64>,
    pub amount: Option<f64>,
    pub date: Option<f64>,
    pub order_ref: Option<f64>,
    pub payment_method: Option<f64>,
}

/// Below this confidence an extracted amount or date puts a voucher in "Needs review".
pub const REVIEW_THRESHOLD: f64 = 0.6;

/// Where a voucher is in the OCR queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum OcrState {
    /// Not applicable (emails, PDFs with text, other files).
    #[default]
    None,
    Pending,
    Done,
    Failed,
    /// Tesseract (or its language data) is missing; retried when it is there.
    Unavailable,
}

impl OcrState {
    pub fn as_str(self) -> &'static str {
        match self {
            OcrState::None => "none",
            OcrState::Pending => "pending",
            OcrState::Done => "done",
            OcrState::Failed => "failed",
            OcrState::Unavailable => "unavailable",
        }
    }
    pub fn parse(s: &str) -> OcrState {
        match s {
            "pending" => OcrState::Pending,
            "done" => OcrState::Done,
            "failed" => OcrState::Failed,
            "unavailable" => OcrState::Unavailable,
            _ => OcrState::None,
        }
    }
}

/// Which part of the vault a search looks in (the app's sidebar).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Scope {
    #[default]
    All,
    /// One kind; `Other` also covers `Text`.
    Kind {
        kind: Kind,
    },
    NeedsReview,
    Trash,
    Tag {
        tag: String,
    },
}

/// One page of a search, with the total number of matches.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchRequest {
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub order: Order,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub offset: i64,
    #[serde(default = "default_page")]
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub limit: i64,
}

fn default_page() -> i64 {
    100
}

/// A tag and how many vouchers (not in the Trash) carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TagCount {
    pub tag: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: i64,
}

/// A search the user keeps in the sidebar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SavedSearch {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub name: String,
    pub query: String,
    pub scope: Scope,
    pub created_at: String,
}

/// Counts for the sidebar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Facets {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub all: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub images: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub emails: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub pdfs: i64,
    /// Text and other files.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub other: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub needs_review: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub trash: i64,
    pub tags: Vec<TagCount>,
    pub saved: Vec<SavedSearch>,
}

/// A place the same bytes were added from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Source {
    pub path: String,
    pub added_at: String,
}

/// A change a user makes to a voucher. `None` leaves a field alone;
/// `Some(None)` clears it (clearing still marks it as the user's).
///
/// In JSON an absent field is left alone and `null` clears it:
/// `{"amount": null}` removes the amount, `{}` changes nothing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
pub struct Edit {
    pub title: Option<String>,
    #[serde(deserialize_with = "present")]
    pub merchant: Option<Option<String>>,
    #[serde(deserialize_with = "present")]
    pub amount: Option<Option<Money>>,
    #[serde(deserialize_with = "present")]
    pub payment_method: Option<Option<String>>,
    #[serde(deserialize_with = "present")]
    pub order_ref: Option<Option<String>>,
    /// RFC 3339 or YYYY-MM-DD.
    pub occurred_at: Option<String>,
    pub notes: Option<String>,
    /// Replaces all tags.
    pub tags: Option<Vec<String>>,
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub add_tags: Vec<String>,
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub remove_tags: Vec<String>,
}

/// A field that is present in JSON is `Some`, even when it is `null` (then `Some(None)`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Order {
    #[default]
    Newest,
    Oldest,
    Relevance,
    AmountDesc,
    AmountAsc,
    Merchant,
    /// Most recently added first ("Recently added").
    Added,
}

impl Order {
    pub fn parse(s: &str) -> Option<Order> {
        Some(match s {
            "newest" | "date" => Order::Newest,
            "oldest" => Order::Oldest,
            "relevance" | "rank" => Order::Relevance,
            "amount" | "amount-desc" | "amount_desc" => Order::AmountDesc,
            "amount-asc" | "amount_asc" => Order::AmountAsc,
            "merchant" => Order::Merchant,
            "added" | "recent" | "recently-added" | "recently_added" => Order::Added,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_json_tells_absent_from_null() {
        let e: Edit = serde_json::from_str(r#"{"amount": null}"#).unwrap();
        assert_eq!(e.amount, Some(None));
        assert_eq!(e.merchant, None);
        assert!(e.add_tags.is_empty());
        let e: Edit = serde_json::from_str(
            r#"{"amount": {"minor": 1250, "currency": "EUR"}, "merchant": "Café"}"#,
        )
        .unwrap();
        assert_eq!(e.amount.flatten().map(|m| m.minor), Some(1250));
        assert_eq!(e.merchant, Some(Some("Café".into())));
        let e: Edit = serde_json::from_str("{}").unwrap();
        assert!(e.amount.is_none() && e.order_ref.is_none() && e.tags.is_none());
    }
}
