//! The commands through real IPC on Tauri's mock runtime: no window, no display.
//! Channels cannot be observed on the mock runtime (messages go to a WebView that is not
//! there), so what an import reports is tested on `import_with_events` directly.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Mutex;

use base64::Engine as _;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};
use vault_core::Vault;

use super::*;
use crate::commands::import::{import_with_events, pasted_name, FILE_NAME_HEADER};
use crate::commands::open::viewer_copy;
use crate::dto::{FileOutcome, ImportEvent};

const RECEIPT_EML: &str = "From: Shop <shop@example.com>\r\n\
    Subject: Your receipt\r\n\
    Date: Sat, 03 Oct 2026 10:00:00 +0000\r\n\
    \r\n\
    Total: 49.99 EUR\r\n";

/// An HTML email with a script, an event handler and a tracking pixel.
const HTML_EML: &str = "From: Nordlicht Books <orders@nordlicht.example>\r\n\
    Subject: Order confirmation 10442\r\n\
    Date: Mon, 21 Sep 2026 16:45:00 +0200\r\n\
    MIME-Version: 1.0\r\n\
    Content-Type: text/html; charset=utf-8\r\n\
    \r\n\
    <html><body><p onclick=\"steal()\">Thank you for your order.</p>\
    <table><tr><td>Total</td><td>23.50 EUR</td></tr></table>\
    <img src=\"https://tracker.example/open.gif\" width=\"1\" height=\"1\">\
    <script>window.__TAURI_INTERNALS__.invoke('empty_trash')</script></body></html>\r\n";

/// A channel id as the JS side sends it (its messages go nowhere on the mock runtime).
const CHANNEL: &str = "__CHANNEL__:4242";

struct Harness {
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

impl Harness {
    fn new(state: AppState) -> Harness {
        let app = with_commands(mock_builder())
            .manage(state)
            .build(mock_context(noop_assets()))
            .expect("mock app builds");
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("mock window builds");
        Harness { app, window }
    }

    fn request(
        &self,
        cmd: &str,
        body: InvokeBody,
        headers: tauri::http::HeaderMap,
    ) -> Result<Value, Value> {
        tauri::test::get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().expect("url"),
                body,
                headers,
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("JSON answer"))
    }

    /// Call a command as the UI does; `Err` holds the rejected value.
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.request(cmd, InvokeBody::Json(args), Default::default())
    }

    fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }
}

/// A small PNG with a pattern so each `seed` gives different bytes.
fn write_png(path: &Path, seed: u8) {
    let img = image::RgbaImage::from_fn(120, 200, |x, y| {
        let band = if y < 30 { 40 } else { 245 };
        image::Rgba([band, band.wrapping_add(seed), (x as u8) ^ seed, 255])
    });
    img.save(path).expect("write png");
}

fn png_bytes(seed: u8) -> Vec<u8> {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("x.png");
    write_png(&p, seed);
    std::fs::read(p).unwrap()
}

/// A vault in `root/vault` holding an email receipt, an HTML email and a screenshot.
fn filled_vault(root: &Path) -> PathBuf {
    let inbox = root.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("receipt.eml"), RECEIPT_EML).unwrap();
    std::fs::write(inbox.join("order.eml"), HTML_EML).unwrap();
    write_png(&inbox.join("screenshot.png"), 7);

    let dir = root.join("vault");
    let mut vault = Vault::open_or_create(&dir).expect("new vault");
    vault
        .add_paths(&[inbox], &mut |_| {})
        .expect("add fixtures");
    vault.make_thumbnails().expect("thumbnails");
    dir
}

fn all_of_it() -> vault_core::SearchRequest {
    vault_core::SearchRequest {
        limit: 100,
        ..Default::default()
    }
}

fn search_all(h: &Harness) -> Vec<Value> {
    let page = h
        .invoke(
            "search",
            json!({"req": {"query": "", "scope": {"type": "all"}}}),
        )
        .expect("search");
    page["hits"].as_array().expect("hits").clone()
}

fn id_where(hits: &[Value], key: &str, value: &str) -> i64 {
    hits.iter()
        .find(|h| h[key] == value)
        .and_then(|h| h["id"].as_i64())
        .unwrap_or_else(|| panic!("no hit with {key} = {value}: {hits:#?}"))
}

#[test]
fn vault_info_of_an_empty_vault() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let h = Harness::new(AppState::open(dir.clone()));

    let info = h.invoke("vault_info", json!({})).expect("vault_info");
    assert_eq!(info["count"], 0);
    assert_eq!(info["dir"], dir.display().to_string());
    assert_eq!(info["schemaVersion"], vault_core::vault::db::SCHEMA_VERSION);
    assert!(info["sizeBytes"].as_u64().unwrap() > 0, "{info}");
    // Either OCR works, or the UI is told why not.
    assert!(
        info["ocrAvailable"] == true || info["ocrReason"].as_str().is_some_and(|r| !r.is_empty()),
        "{info}"
    );
    let page = h
        .invoke(
            "search",
            json!({"req": {"query": "", "scope": {"type": "all"}}}),
        )
        .expect("search");
    assert_eq!(page, json!({"hits": [], "total": 0}));
}

#[test]
fn search_answers_what_the_vault_finds_and_bad_queries_with_their_code() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let req = json!({"query": "merchant:nordlicht", "scope": {"type": "all"}, "order": "newest", "offset": 0, "limit": 10});
    let expected = {
        let vault = Vault::open(&dir).unwrap();
        let req: vault_core::SearchRequest = serde_json::from_value(req.clone()).unwrap();
        serde_json::to_value(vault.search_page(&req).unwrap()).unwrap()
    };
    let h = Harness::new(AppState::open(dir));

    let page = h.invoke("search", json!({ "req": req })).expect("search");
    assert_eq!(page, expected);
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(page["hits"][0]["merchant"], "Nordlicht Books");

    let images = h
        .invoke(
            "search",
            json!({"req": {"query": "", "scope": {"type": "kind", "kind": "image"}}}),
        )
        .expect("scope");
    assert_eq!(images["total"], 1, "{images}");
    assert_eq!(images["hits"][0]["kind"], "image");

    let err = h
        .invoke(
            "search",
            json!({"req": {"query": "amount:lots", "scope": {"type": "all"}}}),
        )
        .expect_err("a bad query is an error");
    assert_eq!(err["code"], "bad_query", "{err}");
    assert!(err["message"].as_str().unwrap().contains("amount"), "{err}");
    assert_eq!(
        err.as_object().unwrap().len(),
        2,
        "only code and message: {err}"
    );
}

#[test]
fn thumbnail_is_a_jpeg_data_url_or_null() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let h = Harness::new(AppState::open(dir));
    let hits = search_all(&h);

    let url = h
        .invoke("thumbnail", json!({"id": id_where(&hits, "kind", "image")}))
        .expect("thumbnail");
    let url = url.as_str().expect("a data URL for the screenshot");
    let b64 = url
        .strip_prefix("data:image/jpeg;base64,")
        .expect("JPEG data URL");
    let jpeg = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "JPEG magic");

    let none = h
        .invoke("thumbnail", json!({"id": id_where(&hits, "kind", "email")}))
        .expect("thumbnail of an email");
    assert_eq!(none, Value::Null);
}

#[test]
fn a_folder_that_is_not_a_vault_answers_every_command_with_code_and_message() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("holiday.jpg"), b"not mine").unwrap();
    let state = AppState::open(tmp.path().to_path_buf());
    assert_eq!(
        state.open_error().map(|e| e.code),
        Some("not_a_vault".to_string())
    );
    let h = Harness::new(state);

    for (cmd, args) in [
        ("vault_info", json!({})),
        ("facets", json!({})),
        ("search", json!({"req": {"query": ""}})),
        ("get_voucher", json!({"id": 1})),
        ("thumbnail", json!({"id": 1})),
        ("email_html", json!({"id": 1})),
        ("import_paths", json!({"paths": [], "onEvent": CHANNEL})),
        ("export_csv", json!({"target": [1], "dest": "/tmp/x.csv"})),
        ("verify_vault", json!({"onEvent": CHANNEL})),
        ("default_currency", json!({})),
        ("set_default_currency", json!({"code": "EUR"})),
    ] {
        let err = h.invoke(cmd, args).expect_err(cmd);
        assert_eq!(err["code"], "not_a_vault", "{cmd}: {err}");
        let message = err["message"].as_str().unwrap();
        assert!(
            message.contains(&tmp.path().display().to_string()),
            "{cmd}: message names the folder: {message}"
        );
    }
}

#[test]
fn default_currency_is_set_read_and_unset_through_ipc() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let h = Harness::new(AppState::open(dir.clone()));
    let locale = serde_json::to_value(vault_core::vault::locale_currency()).unwrap();

    let d = h
        .invoke("default_currency", json!({}))
        .expect("default_currency");
    assert_eq!(
        d,
        json!({"currency": locale, "chosen": false, "locale": locale})
    );

    let d = h
        .invoke("set_default_currency", json!({"code": " myr "}))
        .expect("set MYR");
    assert_eq!(
        d,
        json!({"currency": "MYR", "chosen": true, "locale": locale})
    );
    let d = h.invoke("default_currency", json!({})).expect("read back");
    assert_eq!(d["currency"], "MYR", "{d}");
    assert_eq!(d["chosen"], true, "{d}");

    let err = h
        .invoke("set_default_currency", json!({"code": "ringgit"}))
        .expect_err("not a code");
    assert_eq!(err["code"], "invalid", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("ringgit"),
        "{err}"
    );
    let d = h.invoke("default_currency", json!({})).unwrap();
    assert_eq!(d["currency"], "MYR", "a bad code changes nothing: {d}");

    for unset in [json!({"code": null}), json!({"code": ""}), json!({})] {
        h.invoke("set_default_currency", json!({"code": "JPY"}))
            .unwrap();
        let d = h
            .invoke("set_default_currency", unset.clone())
            .expect("back to the locale");
        assert_eq!(
            d,
            json!({"currency": locale, "chosen": false, "locale": locale}),
            "{unset}"
        );
    }
    // The vault keeps the choice, for the CLI and the next start.
    h.invoke("set_default_currency", json!({"code": "SGD"}))
        .unwrap();
    let chosen = Vault::open(&dir).unwrap().default_currency().unwrap();
    assert_eq!(
        chosen.currency.map(|c| c.code().to_string()).as_deref(),
        Some("SGD")
    );
}

#[test]
fn core_errors_keep_their_code_and_message() {
    let e = IpcError::from(vault_core::Error::NotFound(7));
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        json!({"code": "not_found", "message": "no voucher with id 7"})
    );
}

#[test]
fn a_missing_argument_is_rejected_not_panicked() {
    let tmp = tempfile::tempdir().unwrap();
    let h = Harness::new(AppState::open(tmp.path().join("vault")));
    let err = h
        .invoke("get_voucher", json!({}))
        .expect_err("id is required");
    assert!(err.to_string().contains("id"), "{err}");
    let err = h
        .invoke("get_voucher", json!({"id": 99}))
        .expect_err("no such voucher");
    assert_eq!(err["code"], "not_found");
}

#[test]
fn get_voucher_leaves_out_email_html_and_email_html_is_sanitised() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let h = Harness::new(AppState::open(dir));
    let id = id_where(&search_all(&h), "merchant", "Nordlicht Books");

    let v = h
        .invoke("get_voucher", json!({"id": id}))
        .expect("get_voucher");
    assert_eq!(v["id"], id);
    assert_eq!(v["email"]["subject"], "Order confirmation 10442");
    assert!(
        v["email"].get("html").is_none(),
        "raw HTML must not cross IPC: {v}"
    );

    let safe = h
        .invoke("email_html", json!({"id": id}))
        .expect("email_html");
    let html = safe["html"].as_str().unwrap();
    assert!(html.contains("Thank you for your order."), "{html}");
    assert!(html.contains("23.50 EUR"), "{html}");
    for bad in ["<script", "__TAURI", "onclick", "tracker.example"] {
        assert!(!html.contains(bad), "{bad} survived: {html}");
    }
    assert_eq!(safe["blocked_remote"], 1, "{safe}");

    // A voucher that is no HTML email has no HTML.
    let png = id_where(&search_all(&h), "kind", "image");
    let none = h
        .invoke("email_html", json!({"id": png}))
        .expect("email_html");
    assert_eq!(none, json!({"html": "", "blocked_remote": 0}));
}

#[test]
fn edit_voucher_changes_the_vault_and_marks_the_value_as_the_users() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let h = Harness::new(AppState::open(dir.clone()));
    let id = id_where(&search_all(&h), "merchant", "Shop");

    let v = h
        .invoke(
            "edit_voucher",
            json!({"id": id, "edit": {"amount": {"minor": 5250, "currency": "EUR"}, "merchant": "Shop GmbH"}}),
        )
        .expect("edit");
    assert_eq!(v["amount_display"], "52.50 EUR");
    assert_eq!(v["amount_fact"]["origin"], "user");
    assert_eq!(v["merchant"], "Shop GmbH");
    {
        let vault = Vault::open(&dir).unwrap();
        let stored = vault.get(id).unwrap();
        assert_eq!(stored.summary.amount.map(|m| m.minor), Some(5250));
        assert_eq!(stored.summary.merchant.as_deref(), Some("Shop GmbH"));
    }

    // `null` clears a fact; a field left out stays as it is.
    let v = h
        .invoke("edit_voucher", json!({"id": id, "edit": {"amount": null}}))
        .expect("clear the amount");
    assert_eq!(v["amount"], Value::Null, "{v}");
    assert_eq!(v["merchant"], "Shop GmbH");

    let err = h
        .invoke(
            "edit_voucher",
            json!({"id": id, "edit": {"occurred_at": "yesterday"}}),
        )
        .expect_err("not a date");
    assert_eq!(err["code"], "invalid", "{err}");
    let err = h
        .invoke(
            "edit_voucher",
            json!({"id": id, "edit": {"amount": {"minor": 1, "currency": "XYZ"}}}),
        )
        .expect_err("not a currency");
    assert!(err.to_string().contains("XYZ"), "{err}");
}

#[test]
fn trash_restore_review_and_saved_searches_through_ipc() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let h = Harness::new(AppState::open(dir));
    let hits = search_all(&h);
    let png = id_where(&hits, "kind", "image");

    let f = h.invoke("facets", json!({})).expect("facets");
    assert_eq!(
        (
            f["all"].as_i64(),
            f["images"].as_i64(),
            f["emails"].as_i64()
        ),
        (Some(3), Some(1), Some(2))
    );
    assert_eq!(f["trash"], 0);

    assert_eq!(h.invoke("trash", json!({"ids": [png]})).unwrap(), 1);
    let f = h.invoke("facets", json!({})).unwrap();
    assert_eq!(
        (f["all"].as_i64(), f["trash"].as_i64()),
        (Some(2), Some(1)),
        "{f}"
    );
    let trash = h
        .invoke(
            "search",
            json!({"req": {"query": "", "scope": {"type": "trash"}}}),
        )
        .unwrap();
    assert_eq!(trash["hits"][0]["id"], png);
    assert!(trash["hits"][0]["deleted_at"].is_string(), "{trash}");

    assert_eq!(h.invoke("restore", json!({"ids": [png]})).unwrap(), 1);
    assert_eq!(h.invoke("facets", json!({})).unwrap()["trash"], 0);
    assert_eq!(h.invoke("trash", json!({"ids": [png]})).unwrap(), 1);
    assert_eq!(h.invoke("empty_trash", json!({})).unwrap(), 1);
    let err = h
        .invoke("get_voucher", json!({"id": png}))
        .expect_err("gone");
    assert_eq!(err["code"], "not_found");

    let review_before = h.invoke("facets", json!({})).unwrap()["needs_review"]
        .as_i64()
        .unwrap();
    let ids: Vec<i64> = search_all(&h)
        .iter()
        .filter_map(|v| v["id"].as_i64())
        .collect();
    h.invoke("set_reviewed", json!({"ids": ids, "reviewed": true}))
        .expect("set_reviewed");
    let f = h.invoke("facets", json!({})).unwrap();
    assert!(f["needs_review"].as_i64().unwrap() <= review_before);
    assert_eq!(f["needs_review"], 0, "{f}");

    let saved = h
        .invoke(
            "save_search",
            json!({"name": "Books", "query": "merchant:nordlicht", "scope": {"type": "kind", "kind": "email"}}),
        )
        .expect("save_search");
    assert_eq!(saved["name"], "Books");
    let f = h.invoke("facets", json!({})).unwrap();
    assert_eq!(f["saved"][0]["query"], "merchant:nordlicht", "{f}");
    assert_eq!(
        f["saved"][0]["scope"],
        json!({"type": "kind", "kind": "email"})
    );
    h.invoke("delete_saved_search", json!({"id": saved["id"]}))
        .expect("delete");
    assert_eq!(h.invoke("facets", json!({})).unwrap()["saved"], json!([]));
}

#[test]
fn import_reports_each_file_and_a_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let drop = tmp.path().join("dropped");
    std::fs::create_dir_all(&drop).unwrap();
    write_png(&drop.join("new.png"), 99);
    std::fs::copy(tmp.path().join("inbox/order.eml"), drop.join("again.eml")).unwrap();
    std::fs::write(drop.join("empty.png"), b"").unwrap();

    let mut vault = Vault::open(&dir).unwrap();
    let existing = vault
        .find_by_sha256(&vault.get(1).unwrap().summary.sha256)
        .unwrap();
    let events = Mutex::new(Vec::new());
    let summary = import_with_events(&mut vault, std::slice::from_ref(&drop), &|e| {
        events.lock().unwrap().push(e)
    })
    .expect("import");
    let events = events.into_inner().unwrap();

    assert_eq!(summary.added, 1, "{summary:?}");
    assert_eq!(summary.added_ids.len(), 1);
    assert_eq!(summary.duplicates.len(), 1);
    assert!(summary.duplicates[0].path.ends_with("again.eml"));
    assert_eq!(summary.failed.len(), 1);
    assert!(summary.failed[0].path.ends_with("empty.png"));
    assert_eq!(summary.failed[0].code, "bad_file");
    assert!(summary.failed[0].message.contains("empty"), "{summary:?}");
    assert!(existing.is_some());

    assert_eq!(events.first(), Some(&ImportEvent::Started { total: 3 }));
    assert_eq!(
        events.last(),
        Some(&ImportEvent::Finished {
            summary: summary.clone()
        })
    );
    let outcomes: Vec<FileOutcome> = events
        .iter()
        .filter_map(|e| match e {
            ImportEvent::File { outcome, .. } => Some(*outcome),
            _ => None,
        })
        .collect();
    assert_eq!(outcomes.len(), 3);
    assert!(outcomes.contains(&FileOutcome::Added));
    assert!(outcomes.contains(&FileOutcome::Duplicate));
    assert!(outcomes.contains(&FileOutcome::Failed));
    let dup_event = events
        .iter()
        .find(|e| {
            matches!(
                e,
                ImportEvent::File {
                    outcome: FileOutcome::Duplicate,
                    ..
                }
            )
        })
        .unwrap();
    let json = serde_json::to_value(dup_event).unwrap();
    assert_eq!(json["type"], "file");
    assert_eq!(json["outcome"], "duplicate");
    assert_eq!(json["existingId"], summary.duplicates[0].id);
    assert!(events.iter().any(|e| matches!(
        e,
        ImportEvent::Progress {
            done: 3,
            total: 3,
            ..
        }
    )));
}

#[test]
fn import_paths_adds_through_ipc_and_refuses_a_second_import() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let h = Harness::new(AppState::open(dir.clone()));
    let file = tmp.path().join("shot.png");
    write_png(&file, 3);

    let summary = h
        .invoke("import_paths", json!({"paths": [file], "onEvent": CHANNEL}))
        .expect("import");
    assert_eq!(summary["added"], 1, "{summary}");
    assert_eq!(summary["failed"], json!([]));
    assert!(
        !h.state().importing.load(Ordering::Acquire),
        "the flag is cleared"
    );
    assert_eq!(Vault::open(&dir).unwrap().count().unwrap(), 1);

    h.state().importing.store(true, Ordering::Release);
    let err = h
        .invoke("import_paths", json!({"paths": [file], "onEvent": CHANNEL}))
        .expect_err("busy");
    assert_eq!(err["code"], "busy", "{err}");
    h.state().importing.store(false, Ordering::Release);
}

#[test]
fn import_bytes_takes_a_raw_body_and_a_file_name_header() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let h = Harness::new(AppState::open(dir.clone()));
    let mut headers = tauri::http::HeaderMap::new();
    headers.insert(
        FILE_NAME_HEADER,
        "Screenshot%202026-10-03%20at%2010.00.png".parse().unwrap(),
    );
    let summary = h
        .request(
            "import_bytes",
            InvokeBody::Raw(png_bytes(5)),
            headers.clone(),
        )
        .expect("import_bytes");
    assert_eq!(summary["added"], 1, "{summary}");
    let id = summary["addedIds"][0].as_i64().unwrap();
    let v = Vault::open(&dir).unwrap().get(id).unwrap();
    assert_eq!(
        v.summary.original_name,
        "Screenshot 2026-10-03 at 10.00.png"
    );
    assert_eq!(v.summary.kind, vault_core::Kind::Image);

    let again = h
        .request("import_bytes", InvokeBody::Raw(png_bytes(5)), headers)
        .expect("the same bytes again");
    assert_eq!(again["duplicates"][0]["id"], id, "{again}");

    let err = h
        .invoke("import_bytes", json!([1, 2, 3]))
        .expect_err("a JSON body is refused");
    assert_eq!(err["code"], "invalid", "{err}");
    let empty = h
        .request(
            "import_bytes",
            InvokeBody::Raw(Vec::new()),
            Default::default(),
        )
        .expect_err("nothing pasted");
    assert_eq!(empty["code"], "bad_file", "{empty}");
}

#[test]
fn pasted_names_are_plain_file_names() {
    assert_eq!(pasted_name(Some("a%2Fb%2F..%2Fshot.png")), "shot.png");
    assert_eq!(pasted_name(Some("..")), "Pasted image");
    assert_eq!(pasted_name(None), "Pasted image");
    assert_eq!(pasted_name(Some("caf%C3%A9.png")), "café.png");
    assert_eq!(pasted_name(Some("bad%0Aname.png")), "badname.png");
    assert_eq!(pasted_name(Some("100%")), "100%");
}

#[test]
fn pickers_answer_from_the_test_seam() {
    let tmp = tempfile::tempdir().unwrap();
    let state = |seam: &str| {
        AppState::open(tmp.path().join("vault")).with_test_pick(Some(seam.to_string()))
    };
    let h = Harness::new(state(r#"["/a/one.png", "/b/two.eml"]"#));
    assert_eq!(
        h.invoke("pick_files", json!({})).unwrap(),
        json!(["/a/one.png", "/b/two.eml"])
    );
    assert_eq!(
        h.invoke("pick_folder", json!({})).unwrap(),
        json!("/a/one.png")
    );

    let out = tmp.path().join("exports");
    std::fs::create_dir_all(&out).unwrap();
    let seam = json!({"files": ["/x.pdf"], "save": out}).to_string();
    let h = Harness::new(state(&seam));
    assert_eq!(
        h.invoke("pick_files", json!({})).unwrap(),
        json!(["/x.pdf"])
    );
    assert_eq!(
        h.invoke("pick_folder", json!({})).unwrap(),
        Value::Null,
        "cancelled"
    );
    assert_eq!(
        h.invoke(
            "pick_save",
            json!({"defaultName": "receipts", "kind": "zip"})
        )
        .unwrap(),
        json!(out.join("receipts.zip").display().to_string())
    );
    assert_eq!(
        h.invoke(
            "pick_save",
            json!({"defaultName": "list.csv", "kind": "csv"})
        )
        .unwrap(),
        json!(out.join("list.csv").display().to_string())
    );

    let h = Harness::new(state("[]"));
    assert_eq!(h.invoke("pick_files", json!({})).unwrap(), json!([]));
    assert_eq!(
        h.invoke("pick_save", json!({"defaultName": "x", "kind": "csv"}))
            .unwrap(),
        Value::Null
    );

    let h = Harness::new(state("/only/this.png"));
    assert_eq!(
        h.invoke("pick_files", json!({})).unwrap(),
        json!(["/only/this.png"])
    );

    let h = Harness::new(state("[not json"));
    let err = h
        .invoke("pick_files", json!({}))
        .expect_err("a broken seam fails loudly");
    assert_eq!(err["code"], "invalid");
}

#[test]
fn export_bundle_and_csv_of_ids_or_a_search() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let h = Harness::new(AppState::open(dir));
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();

    let zip = out.join("bundle.zip");
    let summary = h
        .invoke(
            "export_bundle",
            json!({"target": {"query": "", "scope": {"type": "kind", "kind": "email"}}, "dest": zip, "onEvent": CHANNEL}),
        )
        .expect("export_bundle");
    assert_eq!(summary["vouchers"], 2, "{summary}");
    let report = vault_core::verify_bundle(&zip).expect("the bundle verifies");
    assert!(report.ok(), "{report:?}");

    let csv = out.join("list.csv");
    let png = id_where(&search_all(&h), "kind", "image");
    let n = h
        .invoke("export_csv", json!({"target": [png], "dest": csv}))
        .expect("export_csv");
    assert_eq!(n, 1);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(!out.join("list.csv.part").exists());

    let err = h
        .invoke(
            "export_csv",
            json!({"target": [png], "dest": "relative.csv"}),
        )
        .expect_err("relative");
    assert_eq!(err["code"], "invalid");
    let err = h
        .invoke(
            "export_bundle",
            json!({"target": [], "dest": out.join("none.zip"), "onEvent": CHANNEL}),
        )
        .expect_err("nothing selected");
    assert_eq!(err["code"], "invalid");
    let err = h
        .invoke("export_bundle", json!({"target": {"query": "amount:", "scope": {"type": "all"}}, "dest": out.join("q.zip"), "onEvent": CHANNEL}))
        .expect_err("bad query");
    assert_eq!(err["code"], "bad_query");
}

#[test]
fn verify_vault_and_voucher_find_a_corrupted_original() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let h = Harness::new(AppState::open(dir.clone()));
    let png = id_where(&search_all(&h), "kind", "image");

    let r = h
        .invoke("verify_vault", json!({"onEvent": CHANNEL}))
        .expect("verify");
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(r["checked"].as_u64(), Some(3), "three originals: {r}");

    let object = Vault::open(&dir).unwrap().original_path(png).unwrap();
    let mut perm = std::fs::metadata(&object).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    std::fs::set_permissions(&object, perm).unwrap();
    std::fs::write(&object, b"tampered").unwrap();

    let r = h
        .invoke("verify_voucher", json!({"id": png}))
        .expect("verify_voucher");
    assert_eq!(r["ok"], false, "{r}");
    assert_eq!(r["problems"][0]["kind"], "corrupted", "{r}");
    let r = h
        .invoke("verify_vault", json!({"onEvent": CHANNEL}))
        .unwrap();
    assert_eq!(r["ok"], false);
    assert_eq!(
        r["problems"][0]["name"], "screenshot.png",
        "names the file: {r}"
    );
    assert_eq!(
        r["problems"][0]["repairable"], true,
        "its source still has it: {r}"
    );

    // Repair puts the original back from the file it was added from.
    let r = h
        .invoke("repair_voucher", json!({"id": png}))
        .expect("repair_voucher");
    assert_eq!(r["repaired"], true, "{r}");
    assert!(
        r["from"]
            .as_str()
            .unwrap_or_default()
            .ends_with("screenshot.png"),
        "{r}"
    );
    let r = h
        .invoke("verify_voucher", json!({"id": png}))
        .expect("verify_voucher");
    assert_eq!(r["ok"], true, "{r}");
}

#[test]
fn summaries_answer_rows_in_the_order_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let h = Harness::new(AppState::open(dir));
    let hits = search_all(&h);
    let ids: Vec<i64> = hits.iter().map(|v| v["id"].as_i64().unwrap()).collect();
    let asked = json!([ids[2], 9999, ids[0]]);
    let rows = h
        .invoke("summaries", json!({"ids": asked}))
        .expect("summaries");
    let got: Vec<i64> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, [ids[2], ids[0]], "unknown ids are left out: {rows}");
    assert!(rows[0]["occurred_source"].is_string(), "{rows}");
}

#[test]
fn an_unreadable_file_is_kept_and_reported_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let drop = tmp.path().join("dropped");
    std::fs::create_dir_all(&drop).unwrap();
    std::fs::write(drop.join("invoice.pdf"), b"%PDF-1.4\n1 0 obj << /Type /Cat").unwrap();
    std::fs::write(drop.join("note.txt"), "Total: 4.20 EUR\n").unwrap();
    let mut vault = Vault::open_or_create(&dir).unwrap();
    let events = Mutex::new(Vec::new());
    let summary = import_with_events(&mut vault, std::slice::from_ref(&drop), &|e| {
        events.lock().unwrap().push(e)
    })
    .expect("import");
    assert_eq!(summary.added, 2, "both are kept: {summary:?}");
    assert!(summary.failed.is_empty(), "{summary:?}");
    assert_eq!(summary.unreadable.len(), 1, "{summary:?}");
    assert!(summary.unreadable[0].path.ends_with("invoice.pdf"));
    assert!(!summary.unreadable[0].message.is_empty());
    assert_eq!(summary.unreadable_ids.len(), 1);
    assert!(vault.get(summary.unreadable_ids[0]).is_ok());
    let json = serde_json::to_value(&summary).unwrap();
    assert!(json["unreadableIds"].is_array(), "{json}");
    let events = events.into_inner().unwrap();
    assert!(events.iter().any(|e| matches!(
        e,
        ImportEvent::File {
            outcome: FileOutcome::Unreadable,
            id: Some(_),
            error: Some(_),
            ..
        }
    )));
}

#[test]
fn open_and_create_vault_switch_the_vault_and_remember_it() {
    let tmp = tempfile::tempdir().unwrap();
    let first = filled_vault(tmp.path());
    let remember = tmp.path().join("config/last-vault");
    let h = Harness::new(AppState::open(first.clone()).remembering_in(Some(remember.clone())));

    let second = tmp.path().join("second");
    let info = h
        .invoke("create_vault", json!({"dir": second}))
        .expect("create");
    assert_eq!(info["count"], 0);
    assert_eq!(info["dir"], second.display().to_string());
    assert_eq!(search_all(&h).len(), 0);
    assert_eq!(
        std::fs::read_to_string(&remember).unwrap().trim(),
        second.display().to_string()
    );

    let err = h
        .invoke("open_vault", json!({"dir": tmp.path().join("inbox")}))
        .expect_err("a folder of receipts is not a vault");
    assert_eq!(err["code"], "not_a_vault");
    assert_eq!(
        h.invoke("vault_info", json!({})).unwrap()["dir"],
        second.display().to_string(),
        "still open"
    );

    let info = h.invoke("open_vault", json!({"dir": first})).expect("open");
    assert_eq!(info["count"], 3);
    assert_eq!(search_all(&h).len(), 3);
    let err = h
        .invoke("open_vault", json!({"dir": "relative"}))
        .expect_err("relative");
    assert_eq!(err["code"], "invalid");
}

#[test]
fn the_uri_scheme_serves_originals_by_voucher_id_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let state = AppState::open(dir.clone());
    let (png, eml) = {
        let c = state.lock_current();
        let v = c.vault.as_ref().unwrap();
        let hits = v.search_page(&all_of_it()).unwrap().hits;
        let id = |k: vault_core::Kind| {
            hits.iter()
                .find(|h| h.voucher.kind == k)
                .unwrap()
                .voucher
                .id
        };
        (id(vault_core::Kind::Image), id(vault_core::Kind::Email))
    };

    let r = protocol::respond(
        &state,
        "GET",
        &format!("/object/{png}"),
        Some("tauri://localhost"),
    );
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "tauri://localhost"
    );
    assert_eq!(&r.body()[..8], b"\x89PNG\r\n\x1a\n");

    let r = protocol::respond(&state, "GET", &format!("/object/{eml}"), Some("null"));
    assert_eq!(
        r.headers()["content-type"],
        "text/plain; charset=utf-8",
        "emails are never HTML"
    );
    assert!(
        r.headers().get("access-control-allow-origin").is_none(),
        "no CORS for other origins"
    );

    for (path, status) in [
        ("/object/999", 404),
        ("/object/", 400),
        ("/object/1/../../vault.db", 400),
        ("/object/-1", 400),
        ("/vault.db", 400),
        ("/object/%2e%2e", 400),
    ] {
        assert_eq!(
            protocol::respond(&state, "GET", path, None).status(),
            status,
            "{path}"
        );
    }
    assert_eq!(
        protocol::respond(&state, "POST", &format!("/object/{png}"), None).status(),
        405
    );
    let head = protocol::respond(&state, "HEAD", &format!("/object/{png}"), None);
    assert_eq!((head.status().as_u16(), head.body().len()), (200, 0));

    assert_eq!(
        protocol::content_type("text/html"),
        "text/plain; charset=utf-8"
    );
    assert_eq!(
        protocol::content_type("image/svg+xml"),
        "application/octet-stream"
    );
    assert_eq!(protocol::content_type("application/pdf"), "application/pdf");
}

#[test]
fn a_viewer_gets_a_read_only_copy_never_the_object() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let vault = Vault::open(&dir).unwrap();
    let png = vault
        .search_page(&all_of_it())
        .unwrap()
        .hits
        .iter()
        .find(|h| h.voucher.kind == vault_core::Kind::Image)
        .unwrap()
        .voucher
        .id;
    let root = tmp.path().join("open");
    let copy = viewer_copy(&vault, png, &root).expect("copy");
    assert!(copy.starts_with(&root));
    assert_eq!(copy.extension().unwrap(), "png");
    assert!(std::fs::metadata(&copy).unwrap().permissions().readonly());
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(vault.original_path(png).unwrap()).unwrap()
    );
    // Again (the copy is read-only): replaced, not an error.
    viewer_copy(&vault, png, &root).expect("copy again");

    let mut v = Vault::open(&dir).unwrap();
    let script = match v.add_bytes(b"#!/bin/sh\necho hi\n", "run.sh").unwrap() {
        vault_core::Outcome::Added { id, .. } => id,
        o => panic!("{o:?}"),
    };
    let err = viewer_copy(&v, script, &root);
    // A shell script is text: it opens as .txt, never as something that runs.
    match err {
        Ok(p) => assert_eq!(p.extension().unwrap(), "txt"),
        Err(e) => assert_eq!(e.code, "unsupported"),
    }
}

#[test]
fn ocr_reports_each_voucher_as_it_is_read_then_the_change() {
    use tauri::Listener;
    if vault_core::capture::ocr::available().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "tesseract is missing and CI is set"
        );
        eprintln!("SKIPPED: tesseract is missing (scripts/setup.sh installs it)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let h = Harness::new(AppState::open(dir).with_background(true));
    let png = id_where(&search_all(&h), "kind", "image");
    let progress = std::sync::Arc::new(Mutex::new(Vec::<Value>::new()));
    let changed = std::sync::Arc::new(Mutex::new(Vec::<String>::new()));
    let p = progress.clone();
    h.app.listen_any(background::OCR_PROGRESS, move |e| {
        p.lock()
            .unwrap()
            .push(serde_json::from_str(e.payload()).unwrap());
    });
    let c = changed.clone();
    h.app.listen_any(background::VAULT_CHANGED, move |e| {
        c.lock().unwrap().push(e.payload().to_string());
    });

    background::kick(h.app.handle());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while h.state().worker.running() || progress.lock().unwrap().len() < 3 {
        assert!(std::time::Instant::now() < deadline, "OCR did not finish");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let progress = progress.lock().unwrap().clone();
    assert_eq!(
        progress,
        [
            json!({"done": 0, "total": 1, "id": null}),
            json!({"done": 1, "total": 1, "id": png}),
            json!({"done": 1, "total": 1, "id": null}),
        ],
        "start, the voucher just read, the end"
    );
    assert!(
        changed.lock().unwrap().iter().any(|w| w.contains("ocr")),
        "a pass that read something ends with vault-changed: {changed:?}"
    );
    let row = h.invoke("summaries", json!({"ids": [png]})).unwrap();
    assert_ne!(row[0]["ocr_state"], "pending", "{row}");
}
