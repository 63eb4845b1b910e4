//! Finding and changing vouchers: search, facets, one voucher, list rows, edits, review,
//! the Trash, saved searches, thumbnails and sanitised email HTML.

use base64::Engine as _;
use tauri::{AppHandle, Runtime};
use vault_core::capture::html::SafeHtml;
use vault_core::{
    Edit, Facets, SavedSearch, Scope, SearchPage, SearchRequest, Voucher, VoucherSummary,
};

use crate::{with_vault, IpcError};

/// A page of vouchers, newest first by `occurred_at` (superseded by `search`).
#[tauri::command]
pub(crate) async fn list_vouchers<R: Runtime>(
    app: AppHandle<R>,
    offset: i64,
    limit: i64,
) -> Result<Vec<VoucherSummary>, IpcError> {
    with_vault(app, move |v| v.list(offset, limit)).await
}

/// A voucher's thumbnail as a `data:image/jpeg;base64,…` URL, `None` if it has none.
#[tauri::command]
pub(crate) async fn thumbnail<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
) -> Result<Option<String>, IpcError> {
    let jpeg = with_vault(app, move |v| v.thumbnail(id)).await?;
    Ok(jpeg.map(|bytes| jpeg_data_url(&bytes)))
}

pub(crate) fn jpeg_data_url(jpeg: &[u8]) -> String {
    format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg)
    )
}

/// Counts for the sidebar, tags and saved searches.
#[tauri::command]
pub(crate) async fn facets<R: Runtime>(app: AppHandle<R>) -> Result<Facets, IpcError> {
    with_vault(app, |v| v.facets()).await
}

/// One page of a search within a scope. A bad query answers `bad_query`.
#[tauri::command]
pub(crate) async fn search<R: Runtime>(
    app: AppHandle<R>,
    req: SearchRequest,
) -> Result<SearchPage, IpcError> {
    let page = with_vault(app, move |v| v.search_page(&req)).await;
    crate::trace_startup("first page answered");
    page
}

/// Everything about one voucher, without the raw HTML of an email (see `email_html`).
#[tauri::command]
pub(crate) async fn get_voucher<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
) -> Result<Voucher, IpcError> {
    with_vault(app, move |v| v.get(id)).await.map(without_html)
}

/// The list rows of these vouchers, in the order asked (ids not in the vault are left
/// out): the UI replaces rows in place as OCR reads them.
#[tauri::command]
pub(crate) async fn summaries<R: Runtime>(
    app: AppHandle<R>,
    ids: Vec<i64>,
) -> Result<Vec<VoucherSummary>, IpcError> {
    with_vault(app, move |v| v.summaries(&ids)).await
}

pub(crate) fn without_html(mut v: Voucher) -> Voucher {
    if let Some(e) = v.email.as_mut() {
        e.html = None;
    }
    v
}

/// An email's HTML body, sanitised, and how many remote resources were blocked.
#[tauri::command]
pub(crate) async fn email_html<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
) -> Result<SafeHtml, IpcError> {
    with_vault(app, move |v| v.email_html(id)).await
}

/// Change a voucher's facts, tags or notes; edited facts become the user's.
#[tauri::command]
pub(crate) async fn edit_voucher<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    edit: Edit,
) -> Result<Voucher, IpcError> {
    with_vault(app, move |v| v.edit(id, &edit))
        .await
        .map(without_html)
}

/// Mark vouchers as checked by a person (or not); answers how many changed.
#[tauri::command]
pub(crate) async fn set_reviewed<R: Runtime>(
    app: AppHandle<R>,
    ids: Vec<i64>,
    reviewed: bool,
) -> Result<usize, IpcError> {
    with_vault(app, move |v| v.set_reviewed(&ids, reviewed)).await
}

#[tauri::command]
pub(crate) async fn trash<R: Runtime>(app: AppHandle<R>, ids: Vec<i64>) -> Result<usize, IpcError> {
    with_vault(app, move |v| v.trash(&ids)).await
}

#[tauri::command]
pub(crate) async fn restore<R: Runtime>(
    app: AppHandle<R>,
    ids: Vec<i64>,
) -> Result<usize, IpcError> {
    with_vault(app, move |v| v.restore(&ids)).await
}

/// Delete the vouchers in the Trash for good.
#[tauri::command]
pub(crate) async fn empty_trash<R: Runtime>(app: AppHandle<R>) -> Result<usize, IpcError> {
    with_vault(app, |v| v.empty_trash()).await
}

#[tauri::command]
pub(crate) async fn save_search<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    query: String,
    scope: Scope,
) -> Result<SavedSearch, IpcError> {
    with_vault(app, move |v| v.save_search(&name, &query, &scope)).await
}

#[tauri::command]
pub(crate) async fn delete_saved_search<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
) -> Result<(), IpcError> {
    with_vault(app, move |v| v.delete_saved_search(id)).await
}
