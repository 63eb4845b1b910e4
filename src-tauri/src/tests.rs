//! The commands through real IPC on Tauri's mock runtime: no window, no display.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use vault_core::Vault;

use super::*;

const RECEIPT_EML: &str = "From: Shop <shop@example.com>\r\n\
    Subject: Your receipt\r\n\
    Date: Sat, 03 Oct 2026 10:00:00 +0000\r\n\
    \r\n\
    Total: 49.99 EUR\r\n";

struct Harness {
    _app: App<MockRuntime>,
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
        Harness { _app: app, window }
    }

    /// Call a command as the UI does; `Err` holds the rejected value.
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        tauri::test::get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().expect("url"),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("JSON answer"))
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

/// A vault in `root/vault` holding one email receipt and one screenshot, thumbnails made.
fn filled_vault(root: &Path) -> PathBuf {
    let inbox = root.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("receipt.eml"), RECEIPT_EML).unwrap();
    write_png(&inbox.join("screenshot.png"), 7);

    let dir = root.join("vault");
    let mut vault = Vault::open_or_create(&dir).expect("new vault");
    vault
        .add_paths(&[inbox], &mut |_| {})
        .expect("add fixtures");
    vault.make_thumbnails().expect("thumbnails");
    dir
}

#[test]
fn vault_info_and_list_of_an_empty_vault() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let h = Harness::new(AppState::open(dir.clone()));

    let info = h.invoke("vault_info", json!({})).expect("vault_info");
    assert_eq!(info["count"], 0);
    assert_eq!(info["dir"], dir.display().to_string());

    let list = h
        .invoke("list_vouchers", json!({"offset": 0, "limit": 50}))
        .expect("list_vouchers");
    assert_eq!(list, json!([]));
}

#[test]
fn list_vouchers_returns_what_the_vault_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let expected = {
        let vault = Vault::open(&dir).unwrap();
        serde_json::to_value(vault.list(0, 50).unwrap()).unwrap()
    };
    let h = Harness::new(AppState::open(dir));

    let info = h.invoke("vault_info", json!({})).expect("vault_info");
    assert_eq!(info["count"], 2);

    let list = h
        .invoke("list_vouchers", json!({"offset": 0, "limit": 50}))
        .expect("list_vouchers");
    assert_eq!(list, expected);
    let email = list
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["kind"] == "email")
        .expect("the email is listed");
    assert_eq!(email["amount_display"], "49.99 EUR");
    assert!(email["occurred_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-10-03"));

    let page = h
        .invoke("list_vouchers", json!({"offset": 1, "limit": 1}))
        .expect("second page");
    assert_eq!(page, json!([expected[1]]));
}

#[test]
fn thumbnail_is_a_jpeg_data_url_or_null() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let h = Harness::new(AppState::open(dir));
    let list = h
        .invoke("list_vouchers", json!({"offset": 0, "limit": 50}))
        .unwrap();
    let id_of = |kind: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|v| v["kind"] == kind)
            .map(|v| v["id"].as_i64().unwrap())
            .unwrap()
    };

    let url = h
        .invoke("thumbnail", json!({"id": id_of("image")}))
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
        .invoke("thumbnail", json!({"id": id_of("email")}))
        .expect("thumbnail of an email");
    assert_eq!(none, Value::Null);
}

#[test]
fn a_folder_that_is_not_a_vault_answers_every_command_with_code_and_message() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("holiday.jpg"), b"not mine").unwrap();
    let state = AppState::open(tmp.path().to_path_buf());
    assert_eq!(
        state.open_error().map(|e| e.code.as_str()),
        Some("not_a_vault")
    );
    let h = Harness::new(state);

    for (cmd, args) in [
        ("vault_info", json!({})),
        ("list_vouchers", json!({"offset": 0, "limit": 50})),
        ("thumbnail", json!({"id": 1})),
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
        .invoke("list_vouchers", json!({"offset": 0}))
        .expect_err("limit is required");
    assert!(err.to_string().contains("limit"), "{err}");
}
