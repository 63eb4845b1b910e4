//! The `rvault://localhost/object/<id>` scheme: a voucher's original bytes for the
//! WebView (image zoom, pdf.js), looked up by voucher id, never by path.
//!
//! On Linux and macOS the page sees the origin `rvault://localhost`; on Windows WebView2
//! maps it to `http://rvault.localhost`. Every answer forbids sniffing and carries a CSP
//! that sandboxes it, so even an original opened as a page (an SVG, an HTML file) runs
//! nothing and loads nothing.

use std::path::PathBuf;

use tauri::http::{header, Response, StatusCode};
use vault_core::Vault;

use crate::AppState;

/// Name of the scheme.
pub const SCHEME: &str = "rvault";

/// Largest original served (pdf.js and images read it into memory).
const MAX_SERVED: u64 = 512 << 20;

/// Origins allowed to read answers with `fetch` (the app's own pages).
const APP_ORIGINS: &[&str] = &[
    "tauri://localhost",
    "http://tauri.localhost",
    "https://tauri.localhost",
    "http://localhost:1420",
];

/// Policy of every answer: a document made of an original cannot run or load anything.
const ANSWER_CSP: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

/// Where a request leads: the object file and the type to serve it as, or a status.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    Object {
        path: PathBuf,
        content_type: &'static str,
    },
    Status(StatusCode, &'static str),
}

/// The voucher id in a request path `/object/<id>`.
pub fn voucher_id(path: &str) -> Option<i64> {
    let id = path.strip_prefix("/object/")?;
    if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

/// The type an original is served as. Only types the WebView shows inertly keep their
/// own; HTML and everything else is served as text or bytes.
pub fn content_type(media_type: &str) -> &'static str {
    match media_type {
        "image/png" => "image/png",
        "image/jpeg" => "image/jpeg",
        "image/gif" => "image/gif",
        "image/webp" => "image/webp",
        "image/bmp" => "image/bmp",
        "image/tiff" => "image/tiff",
        "image/avif" => "image/avif",
        "image/heif" => "image/heif",
        "application/pdf" => "application/pdf",
        "text/plain" | "text/html" | "text/csv" | "message/rfc822" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Look up the object of the voucher a request path names.
pub fn lookup(vault: &Vault, path: &str) -> Lookup {
    let Some(id) = voucher_id(path) else {
        return Lookup::Status(StatusCode::BAD_REQUEST, "expected /object/<voucher id>");
    };
    match vault.summary(id) {
        Ok(s) => match vault.store().existing(&s.sha256) {
            Ok(path) => Lookup::Object {
                path,
                content_type: content_type(&s.media_type),
            },
            Err(_) => Lookup::Status(StatusCode::NOT_FOUND, "the original is missing"),
        },
        Err(vault_core::Error::NotFound(_)) => {
            Lookup::Status(StatusCode::NOT_FOUND, "no such voucher")
        }
        Err(_) => Lookup::Status(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the vault could not be read",
        ),
    }
}

/// The full answer to a request for `path` with `method` from `origin`.
pub fn respond(
    state: &AppState,
    method: &str,
    path: &str,
    origin: Option<&str>,
) -> Response<Vec<u8>> {
    let found = if method != "GET" && method != "HEAD" {
        Lookup::Status(StatusCode::METHOD_NOT_ALLOWED, "only GET")
    } else {
        match state.lock_current().vault.as_ref() {
            Some(v) => lookup(v, path),
            None => Lookup::Status(StatusCode::SERVICE_UNAVAILABLE, "no vault is open"),
        }
    };
    // The lock is released: reading a large original does not hold up commands.
    let (status, content_type, body) = match found {
        Lookup::Object { path, content_type } => match read_capped(&path) {
            Ok(bytes) => (StatusCode::OK, content_type, bytes),
            Err(status) => (
                status,
                "text/plain; charset=utf-8",
                b"the original cannot be read".to_vec(),
            ),
        },
        Lookup::Status(status, msg) => {
            (status, "text/plain; charset=utf-8", msg.as_bytes().to_vec())
        }
    };
    let body = if method == "HEAD" { Vec::new() } else { body };
    let mut r = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CONTENT_SECURITY_POLICY, ANSWER_CSP)
        .header(header::CACHE_CONTROL, "no-store");
    if let Some(o) = origin.filter(|o| APP_ORIGINS.contains(o)) {
        r = r
            .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, o)
            .header(header::VARY, "Origin");
    }
    r.body(body).unwrap_or_else(|_| {
        let mut fallback = Response::new(Vec::new());
        *fallback.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}

fn read_capped(path: &std::path::Path) -> Result<Vec<u8>, StatusCode> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => StatusCode::NOT_FOUND,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    })?;
    let mut out = Vec::new();
    f.take(MAX_SERVED + 1)
        .read_to_end(&mut out)
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    if out.len() as u64 > MAX_SERVED {
        return Err(StatusCode::PAYLOAD_TOO_LARGE);
    }
    Ok(out)
}
