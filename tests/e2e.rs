//! End-to-end tests: the real app in the real WebView (WebKitGTK), driven over WebDriver.
//!
//! Needs `tauri-driver`, `WebKitWebDriver`, `Xvfb` (when there is no `DISPLAY`) and
//! ImageMagick's `import`; `scripts/setup.sh` installs them. Without them the tests fail
//! when `CI` is set and are skipped loudly otherwise. `ui/dist` must be built first.
//!
//! Screenshots go to `target/e2e-screenshots/`; run with `UPDATE_SCREENSHOTS=1` to refresh
//! `docs/screenshots/` too.

mod support;

use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use fantoccini::Locator;
use serde_json::Value;
use support::{step, AppSession, STEP};
use vault_core::{Vault, VoucherSummary};

/// Every test also has an overall bound, on top of the per-step ones.
const WHOLE_TEST: Duration = Duration::from_secs(180);

async fn bounded(fut: impl std::future::Future<Output = ()>) {
    tokio::time::timeout(WHOLE_TEST, fut)
        .await
        .expect("end-to-end test did not finish in time");
}

/// A phone-screenshot-like receipt: coloured header, grey text lines, a bold total bar.
fn write_receipt_png(path: &Path, header: [u8; 3], lines: u32, modified: SystemTime) {
    let (w, h) = (390u32, 640u32);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let white = image::Rgb([252, 252, 250]);
        let grey = image::Rgb([196, 200, 206]);
        let dark = image::Rgb([60, 66, 76]);
        if y < 110 {
            return image::Rgb(header);
        }
        let (row, in_row) = match y.checked_sub(150) {
            Some(dy) => (dy / 44, dy % 44 < 14),
            None => (u32::MAX, false),
        };
        let in_line = in_row && row < lines;
        if in_line && (40..40 + 200 + (row * 37 % 90)).contains(&x) {
            return grey;
        }
        if in_line && (300..350).contains(&x) {
            return grey;
        }
        let total_top = 150 + lines * 44 + 24;
        if (total_top..total_top + 20).contains(&y)
            && ((40..150).contains(&x) || (270..350).contains(&x))
        {
            return dark;
        }
        white
    });
    img.save(path).expect("write PNG fixture");
    File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(modified))
        .expect("set fixture mtime");
}

fn day(y_m_d: (i32, u32, u32)) -> SystemTime {
    // Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    let (y, m, d) = y_m_d;
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    SystemTime::UNIX_EPOCH + Duration::from_secs((days * 86_400 + 12 * 3_600) as u64)
}

/// Receipts of the kinds people keep: three screenshots, two emails, one text file.
fn write_fixtures(inbox: &Path) {
    std::fs::create_dir_all(inbox).unwrap();
    write_receipt_png(
        &inbox.join("IMG_2041.png"),
        [47, 111, 94],
        5,
        day((2026, 9, 28)),
    );
    write_receipt_png(
        &inbox.join("IMG_1987.png"),
        [58, 99, 184],
        3,
        day((2026, 9, 12)),
    );
    write_receipt_png(
        &inbox.join("Screenshot 2026-08-30.png"),
        [214, 120, 52],
        7,
        day((2026, 8, 30)),
    );
    std::fs::write(
        inbox.join("receipt.eml"),
        "From: Shop <shop@example.com>\r\n\
         Subject: Your receipt\r\n\
         Date: Sat, 03 Oct 2026 10:00:00 +0000\r\n\
         \r\n\
         Total: 49.99 EUR\r\n",
    )
    .unwrap();
    std::fs::write(
        inbox.join("order-confirmation.eml"),
        "From: Nordlicht Books <orders@nordlicht.example>\r\n\
         Subject: Order confirmation 10442\r\n\
         Date: Mon, 21 Sep 2026 16:45:00 +0200\r\n\
         \r\n\
         Thank you for your order.\r\n\
         Total: 23.50 EUR\r\n",
    )
    .unwrap();
    std::fs::write(
        inbox.join("parking.txt"),
        "City Parking\nTicket 88213\nTotal: 6.00 EUR\n",
    )
    .unwrap();
    let modified = day((2026, 9, 5));
    File::options()
        .write(true)
        .open(inbox.join("parking.txt"))
        .and_then(|f| f.set_modified(modified))
        .unwrap();
}

/// A vault in `root/vault` filled through vault_core, before the app starts.
fn filled_vault(root: &Path) -> PathBuf {
    let inbox = root.join("inbox");
    write_fixtures(&inbox);
    let dir = root.join("vault");
    let mut vault = Vault::open_or_create(&dir).expect("create vault");
    vault
        .add_paths(&[inbox], &mut |_| {})
        .expect("add fixtures");
    vault.make_thumbnails().expect("make thumbnails");
    dir
}

fn env_vault(dir: &Path) -> Vec<(&'static str, OsString)> {
    vec![("RECEIPT_VAULT_DIR", dir.as_os_str().to_owned())]
}

/// What one row of the table shows.
#[derive(Debug)]
struct Row {
    id: i64,
    merchant: String,
    amount: String,
    title: String,
    kind: String,
    img_width: Option<i64>,
}

const READ_ROWS: &str = r#"
    const text = (row, id) => (row.querySelector(`[data-testid="${id}"]`)?.textContent ?? "").trim();
    return Array.from(document.querySelectorAll('[data-testid="voucher-row"]')).map((row) => {
        const img = row.querySelector("img");
        return {
            id: Number(row.dataset.id),
            merchant: text(row, "merchant"),
            amount: text(row, "amount"),
            title: text(row, "title"),
            kind: text(row, "kind"),
            img: img ? (img.complete ? img.naturalWidth : 0) : null,
        };
    });
"#;

fn rows(v: &Value) -> Vec<Row> {
    v.as_array()
        .expect("rows array")
        .iter()
        .map(|r| Row {
            id: r["id"].as_i64().expect("row id"),
            merchant: r["merchant"].as_str().unwrap_or_default().to_string(),
            amount: r["amount"].as_str().unwrap_or_default().to_string(),
            title: r["title"].as_str().unwrap_or_default().to_string(),
            kind: r["kind"].as_str().unwrap_or_default().to_string(),
            img_width: r["img"].as_i64(),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_window_lists_the_vouchers_of_the_vault() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = filled_vault(tmp.path());
    let Some(app) = AppSession::launch(&env_vault(&dir)).await else {
        return;
    };
    bounded(async {
        // The header's count, once the vault has answered.
        let count_el = step(
            "voucher count appears",
            app.client
                .wait()
                .at_most(STEP)
                .for_element(Locator::Css(r#"[data-testid="voucher-count"]"#)),
        )
        .await;
        let count_text = step("read the count", count_el.text()).await;

        // Every thumbnail is decoded (naturalWidth > 0), not merely present.
        let thumbs_loaded = r#"
            const rows = document.querySelectorAll('[data-testid="voucher-row"]');
            const imgs = document.querySelectorAll('[data-testid="voucher-row"] img');
            return rows.length > 0 && imgs.length >= 3 &&
                Array.from(imgs).every((i) => i.complete && i.naturalWidth > 0);
        "#;
        app.wait_for("thumbnails to load", thumbs_loaded).await;
        let shown = rows(&app.eval(READ_ROWS).await);
        let dir_text = app
            .eval(r#"return document.querySelector('[data-testid="vault-dir"]')?.textContent"#)
            .await;
        let shot = app.screenshot("first-window").await;
        eprintln!("screenshot: {}", shot.display());

        // What the UI shows…
        assert_eq!(count_text.trim(), "6", "count in the header");
        assert_eq!(shown.len(), 6, "one row per voucher: {shown:#?}");
        assert_eq!(dir_text, Value::String(dir.display().to_string()));
        let shop = shown
            .iter()
            .find(|r| r.merchant == "Shop")
            .unwrap_or_else(|| panic!("a row for Shop: {shown:#?}"));
        assert_eq!(shop.amount, "49.99 EUR");
        assert_eq!(shop.kind, "Email");
        assert_eq!(shop.title, "Your receipt");
        let images: Vec<&Row> = shown.iter().filter(|r| r.kind == "Image").collect();
        assert_eq!(images.len(), 3, "{shown:#?}");
        assert!(
            images.iter().all(|r| r.img_width.unwrap_or(0) > 0),
            "{images:#?}"
        );

        // …is what the vault on disk holds, in the same order.
        app.client.clone().close().await.ok();
        let vault = Vault::open(&dir).expect("reopen vault");
        assert_eq!(vault.count().unwrap(), 6);
        let listed: Vec<VoucherSummary> = vault.list(0, 50).unwrap();
        assert_eq!(
            shown.iter().map(|r| r.id).collect::<Vec<_>>(),
            listed.iter().map(|v| v.id).collect::<Vec<_>>(),
            "rows in the vault's order (newest first)"
        );
        for (row, v) in shown.iter().zip(&listed) {
            assert_eq!(
                row.merchant,
                v.merchant.clone().unwrap_or_else(|| "—".into())
            );
            assert_eq!(
                row.amount,
                v.amount_display.clone().unwrap_or_else(|| "—".into())
            );
            assert_eq!(
                row.img_width.is_some(),
                v.has_thumbnail,
                "thumbnail of {v:?}"
            );
            let name = if v.title.trim().is_empty() {
                &v.original_name
            } else {
                &v.title
            };
            assert_eq!(&row.title, name.trim());
        }
    })
    .await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_that_is_not_a_vault_shows_the_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Documents");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "my own notes\n").unwrap();
    let Some(app) = AppSession::launch(&env_vault(&dir)).await else {
        return;
    };
    bounded(async {
        let error = step(
            "error message appears",
            app.client
                .wait()
                .at_most(STEP)
                .for_element(Locator::Css(r#"[data-testid="error"]"#)),
        )
        .await;
        let message = step("read the error", error.text()).await;
        let code = app
            .eval(r#"return document.querySelector("[data-code]")?.dataset.code"#)
            .await;
        let rows = app
            .eval(r#"return document.querySelectorAll('[data-testid="voucher-row"]').length"#)
            .await;
        let heading = app
            .eval("return document.querySelector('h2')?.textContent")
            .await;
        app.screenshot("not-a-vault").await;

        assert!(message.contains(&dir.display().to_string()), "{message}");
        assert!(message.contains("not a Receipt Vault"), "{message}");
        assert_eq!(code, "not_a_vault");
        assert_eq!(heading, "This folder is not a Receipt Vault");
        assert_eq!(rows, 0);

        // The app left the folder alone.
        app.client.clone().close().await.ok();
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["notes.txt"]);
    })
    .await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_vault_is_created_and_shows_the_empty_state() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new-vault");
    let Some(app) = AppSession::launch(&env_vault(&dir)).await else {
        return;
    };
    bounded(async {
        let empty = step(
            "empty state appears",
            app.client
                .wait()
                .at_most(STEP)
                .for_element(Locator::Css(r#"[data-testid="empty"]"#)),
        )
        .await;
        let text = step("read the empty state", empty.text()).await;
        let count = app
            .eval(r#"return document.querySelector('[data-testid="voucher-count"]')?.textContent"#)
            .await;
        assert!(text.contains("No vouchers yet"), "{text}");
        assert!(text.contains(&dir.display().to_string()), "{text}");
        assert_eq!(count, "0");

        app.client.clone().close().await.ok();
        let vault = Vault::open(&dir).expect("the app created a vault");
        assert_eq!(vault.count().unwrap(), 0);
    })
    .await;
    app.close().await;
}
