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
use vault_core::Vault;

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

/// The HTML email of the fixtures: a script that would change the window's title and
/// call the app, and remote resources that would reach `port` (a local listener).
fn html_email(port: u16) -> String {
    format!(
        "From: Nordlicht Books <orders@nordlicht.example>\r\n\
         Subject: Order confirmation 10442\r\n\
         Date: Mon, 21 Sep 2026 16:45:00 +0200\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/html; charset=utf-8\r\n\
         \r\n\
         <html><head><style>body {{ background: url(http://127.0.0.1:{port}/bg.png) }}</style>\
         <link rel=\"stylesheet\" href=\"http://127.0.0.1:{port}/style.css\"></head>\
         <body onload=\"parent.document.title='pwned'\">\
         <h1 style=\"color:#2f6f5e\">Thank you for your order</h1>\
         <table><tr><td>1 x Field Guide to Lichens</td><td>23.50 EUR</td></tr></table>\
         <p>Total: <b>23.50 EUR</b></p>\
         <img src=\"http://127.0.0.1:{port}/pixel.gif\" width=\"1\" height=\"1\">\
         <img src=\"x\" onerror=\"parent.document.title='pwned'\">\
         <script>document.title='pwned'; parent.document.title='pwned';\
         window.top.__TAURI_INTERNALS__.invoke('empty_trash');</script>\
         </body></html>\r\n"
    )
}

/// A TCP listener that counts connections: nothing the app shows may reach it.
struct Tripwire {
    port: u16,
    hits: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Tripwire {
    fn start() -> Tripwire {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        use std::sync::Arc;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind tripwire");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (h, s) = (hits.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok(_) => {
                        h.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        });
        Tripwire { port, hits, stop }
    }

    fn hits(&self) -> usize {
        self.hits.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for Tripwire {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A vault in `root/vault` filled through vault_core, before the app starts.
fn filled_vault(root: &Path, port: u16) -> PathBuf {
    let inbox = root.join("inbox");
    write_fixtures(&inbox);
    std::fs::write(inbox.join("order-confirmation.eml"), html_email(port)).unwrap();
    let dir = root.join("vault");
    let mut vault = Vault::open_or_create(&dir).expect("create vault");
    vault
        .add_paths(&[inbox], &mut |_| {})
        .expect("add fixtures");
    vault.make_thumbnails().expect("make thumbnails");
    dir
}

/// The app on the vault in `dir`, with its settings (window size and place, the vault
/// opened last) in a config folder beside it, never in the user's own.
fn env_vault(dir: &Path) -> Vec<(&'static str, OsString)> {
    let config = dir.parent().unwrap_or(dir).join(format!(
        "config-{}",
        dir.file_name().and_then(|n| n.to_str()).unwrap_or("app")
    ));
    vec![
        ("RECEIPT_VAULT_DIR", dir.as_os_str().to_owned()),
        ("XDG_CONFIG_HOME", config.into_os_string()),
    ]
}

/// What one row of the list shows.
#[derive(Debug)]
struct Row {
    id: i64,
    merchant: String,
    amount: String,
    kind: String,
}

const READ_ROWS: &str = r#"
    const text = (row, id) => (row.querySelector(`[data-testid="${id}"]`)?.textContent ?? "").trim();
    return Array.from(document.querySelectorAll('[data-testid="voucher-row"]')).map((row) => ({
        id: Number(row.dataset.id),
        merchant: text(row, "merchant"),
        // The cell shows the amount in the person's locale ("€23.50"); its data-amount
        // is the exact value and currency ("23.50 EUR").
        amount: row.querySelector('[data-testid="amount"]')?.dataset.amount ?? "",
        kind: text(row, "kind"),
    }));
"#;

fn rows(v: &Value) -> Vec<Row> {
    v.as_array()
        .expect("rows array")
        .iter()
        .map(|r| Row {
            id: r["id"].as_i64().expect("row id"),
            merchant: r["merchant"].as_str().unwrap_or_default().to_string(),
            amount: r["amount"].as_str().unwrap_or_default().to_string(),
            kind: r["kind"].as_str().unwrap_or_default().to_string(),
        })
        .collect()
}

/// JS: the first element with this data-testid (`null` if none).
fn q(testid: &str) -> String {
    format!(r#"document.querySelector('[data-testid="{testid}"]')"#)
}

/// Set the search field as typing does, and wait until the results are for `query`.
async fn search_for(app: &AppSession, query: &str) {
    let input = app.by_testid("search-input").await;
    clear_input(app, "search-input").await;
    if !query.is_empty() {
        step("type the query", input.send_keys(query)).await;
    }
    let js = format!(
        "const r = {}; return !!r && r.dataset.query === {};",
        q("results"),
        serde_json::to_string(query).unwrap()
    );
    app.wait_for(&format!("results for {query:?}"), &js).await;
}

/// Empty an input as a person would (WebDriver's clear() fires no input event).
async fn clear_input(app: &AppSession, testid: &str) {
    app.eval(&format!(
        "const i = {}; i.focus(); i.value = ''; i.dispatchEvent(new Event('input', {{bubbles: true}}));",
        q(testid)
    ))
    .await;
}

async fn click_row(app: &AppSession, id: i64) {
    let row = step(
        "find the row",
        app.client.find(Locator::Css(&format!(
            r#"[data-testid="voucher-row"][data-id="{id}"]"#
        ))),
    )
    .await;
    step("click the row", row.click()).await;
    app.wait_for(
        "the detail pane",
        &format!("return {}?.dataset.id === '{id}'", q("detail")),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn capture_find_fix_export_and_verify() {
    let tmp = tempfile::tempdir().unwrap();
    let tripwire = Tripwire::start();
    let inbox = tmp.path().join("inbox");
    write_fixtures(&inbox);
    std::fs::write(
        inbox.join("order-confirmation.eml"),
        html_email(tripwire.port),
    )
    .unwrap();
    std::fs::write(inbox.join("broken.pdf"), b"").unwrap();
    let mut picked: Vec<PathBuf> = std::fs::read_dir(&inbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    picked.sort();
    let exports = tmp.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    let dir = tmp.path().join("vault");
    let seam = serde_json::json!({"files": picked, "save": exports}).to_string();
    let mut env = env_vault(&dir);
    env.push(("RECEIPT_VAULT_TEST_PICK", seam.into()));

    let Some(app) = AppSession::launch(&env).await else {
        return;
    };
    bounded(async {
        app.wait_for("the app is ready", "return document.documentElement.dataset.ready === '1'")
            .await;

        // Capture: "Add files…" (the pick seam answers for the dialog).
        step("click Add files", app.by_testid("add-files").await.click()).await;
        app.wait_for("the import summary", &format!("return !!{}", q("import-summary")))
            .await;
        let added = app
            .eval(&format!("return {}.textContent.trim()", q("import-added")))
            .await;
        let failed_items = app
            .eval(r#"return Array.from(document.querySelectorAll('[data-testid="import-failed-item"]')).map((e) => e.textContent)"#)
            .await;
        app.screenshot("import-summary").await;
        assert!(
            added.as_str().unwrap_or_default().contains('6'),
            "six files added: {added}"
        );
        let failed_items = failed_items.as_array().unwrap();
        assert_eq!(failed_items.len(), 1, "{failed_items:?}");
        let failed = failed_items[0].as_str().unwrap();
        assert!(failed.contains("broken.pdf") && failed.contains("empty"), "{failed}");
        if let Ok(close) = app.client.find(Locator::Css(r#"[data-testid="import-summary-close"]"#)).await {
            step("close the summary", close.click()).await;
        }

        search_for(&app, "").await;
        let all = rows(&app.eval(READ_ROWS).await);
        assert_eq!(all.len(), 6, "{all:#?}");
        let shot_list = app.screenshot("list").await;
        eprintln!("screenshot: {}", shot_list.display());

        // Search with a filter.
        search_for(&app, "merchant:nordlicht").await;
        let found = rows(&app.eval(READ_ROWS).await);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].merchant, "Nordlicht Books");
        assert_eq!(found[0].amount, "23.50 EUR");
        search_for(&app, "amount:>=40").await;
        let found = rows(&app.eval(READ_ROWS).await);
        assert_eq!(
            found.iter().map(|r| r.merchant.as_str()).collect::<Vec<_>>(),
            ["Shop"],
            "{found:#?}"
        );

        // A bad query: an inline error, and the window keeps the list of the last search
        // that worked. Pasted in one go (typed key by key, its prefixes such as "amount"
        // are good searches of their own that find nothing).
        app.eval(&format!(
            "const i = {}; i.focus(); i.value = 'amount:lots'; i.dispatchEvent(new Event('input', {{bubbles: true}}));",
            q("search-input")
        ))
        .await;
        let err = app
            .wait_for("the inline error", &format!("return {}?.textContent", q("search-error")))
            .await;
        assert!(err.as_str().unwrap().to_lowercase().contains("amount"), "{err}");
        assert_eq!(
            app.eval(&format!("return {}?.dataset.code", q("search-error"))).await,
            "bad_query"
        );
        assert_eq!(
            app.eval(&format!("return {}?.dataset.query", q("results"))).await,
            "amount:>=40",
            "the list stays on the last search that worked"
        );
        assert_eq!(rows(&app.eval(READ_ROWS).await).len(), 1, "its row is still shown");
        app.screenshot("search-error").await;

        // Open a screenshot: its original comes through the rvault: scheme.
        search_for(&app, "").await;
        let image = all.iter().find(|r| r.kind == "Image").expect("an image row").id;
        // Opening a row narrows the list; the toolbar keeps its height, so the list does
        // not jump (it used to wrap onto a third row).
        const TOOLBAR_HEIGHT: &str = "return document.querySelector('header.toolbar').getBoundingClientRect().height";
        let before = app.eval(TOOLBAR_HEIGHT).await;
        click_row(&app, image).await;
        let after = app.eval(TOOLBAR_HEIGHT).await;
        assert_eq!(before, after, "the toolbar's height with and without the detail pane");
        let natural = app
            .wait_for(
                "the original image",
                &format!("const i = {}; return i && i.complete && i.naturalWidth", q("preview-image")),
            )
            .await;
        assert_eq!(natural, 390, "the original, not the thumbnail");
        app.screenshot("detail-image").await;

        // Fix a wrong amount; it is stored in the vault as the user's.
        let amount = app.by_testid("fact-amount").await;
        clear_input(&app, "fact-amount").await;
        step("type the amount", amount.send_keys("12.34\u{E007}")).await;
        app.wait_for(
            "the amount is saved",
            &format!("return {}?.dataset.origin === 'user'", q("fact-amount")),
        )
        .await;
        {
            let vault = Vault::open(&dir).expect("open the app's vault alongside it");
            let v = vault.get(image).unwrap();
            let money = v.summary.amount.expect("an amount");
            assert_eq!((money.minor, money.currency.code()), (1234, "EUR"));
            assert_eq!(v.amount_fact.unwrap().origin, vault_core::Origin::User);
        }
        let row_amount = app
            .wait_for(
                "the list shows the new amount",
                &format!(r#"const a = document.querySelector('[data-testid="voucher-row"][data-id="{image}"] [data-testid="amount"]')?.dataset.amount; return a === "12.34 EUR" && a"#),
            )
            .await;
        assert_eq!(row_amount, "12.34 EUR");

        // Export the current view as an evidence bundle, and check it with sha256sum -c.
        // With the detail pane open the narrow toolbar keeps "Select all" for the
        // keyboard: Ctrl+A (the dialogs test clicks the button).
        app.eval("document.activeElement?.blur()").await;
        let body = step("find the page", app.client.find(Locator::Css("body"))).await;
        step("press Ctrl+A", body.send_keys("\u{E009}a\u{E000}")).await;
        app.wait_for(
            "all six selected",
            r#"return document.querySelectorAll('[data-testid="voucher-row"].selected').length === 6"#,
        )
        .await;
        step("open the export menu", app.by_testid("export").await.click()).await;
        step("export a bundle", app.by_testid("export-bundle").await.click()).await;
        let dest = app
            .wait_for("the export", &format!("return {}?.textContent.trim()", q("export-path")))
            .await;
        let dest = PathBuf::from(dest.as_str().unwrap());
        assert!(dest.starts_with(&exports), "{}", dest.display());
        app.screenshot("export-done").await;
        let unpacked = tmp.path().join("unpacked");
        assert_eq!(
            support::unzip_and_check(&dest, &unpacked),
            6 + 2,
            "six originals and two manifests"
        );
        step("close the export dialog", app.by_testid("dialog-close").await.click()).await;
        app.wait_for("the dialog to close", &format!("return !{}", q("export-dialog")))
            .await;

        // Verify the whole vault, with the detail pane still open (the toolbar stays usable).
        assert!(
            app.eval(&format!("return !!{}", q("detail"))).await.as_bool().unwrap_or(false),
            "the detail pane is open"
        );
        step("verify", app.by_testid("verify-vault").await.click()).await;
        let ok = app
            .wait_for("the verify report", &format!("return {}?.dataset.ok", q("verify-report")))
            .await;
        assert_eq!(ok, "true");
        app.screenshot("verify").await;
    })
    .await;
    app.close().await;
    assert_eq!(tripwire.hits(), 0, "nothing was loaded from the network");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_html_runs_no_script_and_loads_nothing_remote() {
    let tmp = tempfile::tempdir().unwrap();
    let tripwire = Tripwire::start();
    let dir = filled_vault(tmp.path(), tripwire.port);
    let Some(app) = AppSession::launch(&env_vault(&dir)).await else {
        return;
    };
    let count_before = Vault::open(&dir).unwrap().count().unwrap();
    bounded(async {
        app.wait_for("the app is ready", "return document.documentElement.dataset.ready === '1'")
            .await;
        let title = app.eval("return document.title").await;
        let all = rows(&app.eval(READ_ROWS).await);
        let email = all
            .iter()
            .find(|r| r.merchant == "Nordlicht Books")
            .unwrap_or_else(|| panic!("the HTML email is listed: {all:#?}"))
            .id;
        click_row(&app, email).await;
        if app.eval(&format!("return !!{}", q("email-view-html"))).await == true {
            step("show the HTML", app.by_testid("email-view-html").await.click()).await;
        }
        let frame = app
            .wait_for(
                "the sandboxed frame",
                &format!(
                    "const f = {}; return f && {{sandbox: f.getAttribute('sandbox'), srcdoc: f.getAttribute('srcdoc')}}",
                    q("email-frame")
                ),
            )
            .await;
        let blocked = app
            .wait_for("the blocked notice", &format!("return {}?.textContent", q("email-blocked")))
            .await;
        // Give a script, an onload or an image every chance to run or load.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let shot = app.screenshot("detail-email").await;
        eprintln!("screenshot: {}", shot.display());
        let title_after = app.eval("return document.title").await;

        let sandbox = frame["sandbox"].as_str().expect("a sandbox attribute");
        assert!(!sandbox.contains("allow-scripts"), "{sandbox}");
        assert!(!sandbox.contains("allow-same-origin"), "{sandbox}");
        let srcdoc = frame["srcdoc"].as_str().expect("srcdoc");
        assert!(srcdoc.contains("23.50 EUR"), "{srcdoc}");
        assert!(srcdoc.contains("Content-Security-Policy"), "{srcdoc}");
        for bad in ["<script", "onload", "onerror", "127.0.0.1", "<link"] {
            assert!(!srcdoc.contains(bad), "{bad} reached the frame: {srcdoc}");
        }
        assert!(blocked.as_str().unwrap().contains('3'), "three remote resources blocked: {blocked}");
        assert_eq!(title_after, title, "no script changed the window");
        assert_ne!(title_after, "pwned");
        assert_eq!(tripwire.hits(), 0, "nothing was loaded from the network");
    })
    .await;
    app.close().await;
    assert_eq!(
        Vault::open(&dir).unwrap().count().unwrap(),
        count_before,
        "no IPC call from the email"
    );
    assert_eq!(tripwire.hits(), 0);
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
            .eval(
                r#"return document.querySelector('[data-testid="voucher-count"]')?.dataset.count"#,
            )
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

/// Speed through the real app on a vault of 100,000 vouchers: time from launch to the
/// first page of the list rendered, and search-as-you-type latency (last keystroke to
/// results rendered). Slow to set up (the vault is built once and kept in
/// `target/speed-vault-100k`), so it runs only when asked:
///
/// ```text
/// cargo build --release -p receipt-vault
/// RECEIPT_VAULT_E2E_APP=target/release/receipt-vault \
///   cargo test -p receipt-vault --test e2e speed -- --ignored --nocapture
/// ```
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "builds a vault of 100,000 vouchers; run on demand (see the doc comment)"]
async fn speed_on_100k_vouchers() {
    let n: usize = std::env::var("SPEED_VOUCHERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/speed-vault-{}k", n / 1000));
    let dir = root.join("vault");
    speed_vault(&root, &dir, n);
    let env = env_vault(&dir);
    let Some(app) = AppSession::launch(&env).await else {
        return;
    };
    bounded(async {
        app.wait_for("the app is ready", "return document.documentElement.dataset.ready === '1'")
            .await;
        let ready_epoch_ms = app
            .eval(r#"const m = performance.getEntriesByName("rv:ready")[0]; return m ? performance.timeOrigin + m.startTime : null"#)
            .await
            .as_f64()
            .expect("the UI marks rv:ready");
        let started_ms = process_start_epoch_ms(&support::app_binary()).expect("the app's start time");
        let interactive = ready_epoch_ms - started_ms;
        let total = app
            .eval(&format!("return {}?.dataset.total", q("results")))
            .await;
        eprintln!("SPEED vouchers={n} list_total={total} launch_to_first_list_ms={interactive:.0}");
        // Where the start-up time goes: process start to the page's navigation, then the
        // UI's own marks (script running, each first answer, first page rendered).
        let marks = app
            .eval(
                r#"const at = (n) => { const m = performance.getEntriesByName(n)[0]; return m ? Math.round(m.startTime) : null; };
                   return { origin: performance.timeOrigin, boot: at("rv:boot"), info: at("rv:info"), facets: at("rv:facets"), page: at("rv:page"), ready: at("rv:ready") };"#,
            )
            .await;
        eprintln!(
            "SPEED startup launch_to_navigation_ms={:.0} then (ms after navigation) script={} vault_info={} facets={} first_page={} ready={}",
            marks["origin"].as_f64().unwrap_or(f64::NAN) - started_ms,
            marks["boot"], marks["info"], marks["facets"], marks["page"], marks["ready"]
        );
        app.screenshot("speed-100k").await;

        // Search as you type: keystrokes through WebDriver, latency from the last one.
        app.eval(
            r#"window.__lastKey = 0;
               document.addEventListener("input", () => { window.__lastKey = performance.now(); }, true);"#,
        )
        .await;
        let mut latencies = Vec::new();
        for query in ["merchant:shop", "amount:>=100", "coffee", "after:2026-06-01 tag:tax", "receipt 12"] {
            clear_input(&app, "search-input").await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let input = app.by_testid("search-input").await;
            step("type", input.send_keys(query)).await;
            let js = format!(
                r#"const q = {};
                   const m = performance.getEntriesByName("rv:results").filter((e) => e.detail && e.detail.query === q).pop();
                   return m ? {{ latency: m.startTime - window.__lastKey, searchMs: Number(document.body.dataset.searchMs ?? -1), total: {}?.dataset.total }} : null;"#,
                serde_json::to_string(query).unwrap(),
                q("results")
            );
            let r = app.wait_for(&format!("results for {query}"), &js).await;
            eprintln!("SPEED query={query:?} last_key_to_results_ms={:.0} request_to_render_ms={} total={}", r["latency"].as_f64().unwrap_or(-1.0), r["searchMs"], r["total"]);
            latencies.push(r["latency"].as_f64().unwrap_or(f64::NAN));
        }
        latencies.sort_by(|a, b| a.total_cmp(b));
        eprintln!(
            "SPEED search_median_ms={:.0} search_max_ms={:.0}",
            latencies[latencies.len() / 2],
            latencies[latencies.len() - 1]
        );

        // Scrolling the whole list: 150 px per animation frame for 3 s (a fast fling),
        // frame times from requestAnimationFrame, then whether the rows on screen are
        // filled in (pages are fetched as the list moves).
        clear_input(&app, "search-input").await;
        app.wait_for(
            "all vouchers listed",
            &format!("return {}?.dataset.total === '{n}'", q("results")),
        )
        .await;
        app.eval(
            r#"window.__scroll = null;
               const res = document.querySelector('[data-testid="results"]');
               const vp = [res, ...res.querySelectorAll('*')].find((e) => e.scrollHeight > e.clientHeight + 1000);
               const frames = []; const t0 = performance.now(); let last = t0;
               const tick = (now) => {
                 frames.push(now - last); last = now; vp.scrollTop += 150;
                 if (now - t0 < 3000) { requestAnimationFrame(tick); return; }
                 setTimeout(() => {
                   frames.sort((a, b) => a - b);
                   const rows = [...res.querySelectorAll('[data-testid="voucher-row"]')];
                   window.__scroll = { frames: frames.length, p50: frames[frames.length >> 1],
                     p95: frames[Math.floor(frames.length * 0.95)], max: frames[frames.length - 1],
                     over50: frames.filter((f) => f > 50).length, scrolled: vp.scrollTop,
                     rows: rows.length, filled: rows.filter((r) => r.textContent.trim().length > 10).length };
                 }, 500);
               };
               requestAnimationFrame(tick);"#,
        )
        .await;
        let r = app.wait_for("the scroll run", "return window.__scroll").await;
        eprintln!(
            "SPEED scroll frames={} frame_p50_ms={:.1} frame_p95_ms={:.1} frame_max_ms={:.1} frames_over_50ms={} scrolled_px={} rows_on_screen={} rows_filled_500ms_after={}",
            r["frames"], r["p50"].as_f64().unwrap_or(f64::NAN), r["p95"].as_f64().unwrap_or(f64::NAN),
            r["max"].as_f64().unwrap_or(f64::NAN), r["over50"], r["scrolled"], r["rows"], r["filled"]
        );
    })
    .await;
    app.close().await;
}

/// Importing a folder of 5,000 files through "Add folder…" while the window is used:
/// animation frame times during the import and how long a search takes meanwhile.
/// `cargo test -p receipt-vault --test e2e speed_import -- --ignored --nocapture`
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "imports 5,000 files; run on demand with the speed measurements"]
async fn speed_import_of_5000_files() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    for i in 0..5000 {
        std::fs::write(
            inbox.join(format!("receipt-{i:05}.txt")),
            format!(
                "Corner Shop\nReceipt {i}\nDate: 2026-10-{:02}\nTotal: {}.{:02} EUR\n",
                i % 28 + 1,
                i % 90 + 1,
                i % 100
            ),
        )
        .unwrap();
    }
    let dir = tmp.path().join("vault");
    let mut env = env_vault(&dir);
    env.push((
        "RECEIPT_VAULT_TEST_PICK",
        serde_json::json!({ "folder": inbox }).to_string().into(),
    ));
    let Some(app) = AppSession::launch(&env).await else {
        return;
    };
    bounded(async {
        app.wait_for("the app is ready", "return document.documentElement.dataset.ready === '1'")
            .await;
        // Frame times from requestAnimationFrame until the summary shows.
        app.eval(
            r#"window.__frames = []; window.__importDone = null; let last = performance.now(); const t0 = last;
               const tick = (now) => {
                 window.__frames.push(now - last); last = now;
                 if (document.querySelector('[data-testid="import-summary"]')) { window.__importDone = now - t0; return; }
                 requestAnimationFrame(tick);
               };
               requestAnimationFrame(tick);"#,
        )
        .await;
        step("click Add folder", app.by_testid("add-folder").await.click()).await;
        app.wait_for("the import runs", &format!("return !!{}", q("import-progress")))
            .await;
        // A search while the import runs.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let started = std::time::Instant::now();
        search_for(&app, "corner").await;
        let search_ms = started.elapsed().as_millis();
        let busy = app
            .eval(&format!("return !!{}", q("import-progress")))
            .await;
        let done = app
            .wait_for("the import summary", "return window.__importDone")
            .await;
        let r = app
            .eval(
                r#"const f = window.__frames.slice().sort((a, b) => a - b);
                   return { frames: f.length, p50: f[f.length >> 1], p95: f[Math.floor(f.length * 0.95)], max: f[f.length - 1],
                            over100: f.filter((x) => x > 100).length,
                            added: document.querySelector('[data-testid="import-added"]')?.textContent };"#,
            )
            .await;
        eprintln!(
            "SPEED import files=5000 added={} import_ms={:.0} frames={} frame_p50_ms={:.1} frame_p95_ms={:.1} frame_max_ms={:.1} frames_over_100ms={} search_during_import_ms={search_ms} (import still running then: {busy})",
            r["added"], done.as_f64().unwrap_or(f64::NAN), r["frames"], r["p50"].as_f64().unwrap_or(f64::NAN),
            r["p95"].as_f64().unwrap_or(f64::NAN), r["max"].as_f64().unwrap_or(f64::NAN), r["over100"]
        );
    })
    .await;
    app.close().await;
}

/// Build (once) a vault of `n` short text receipts in `dir`.
fn speed_vault(root: &Path, dir: &Path, n: usize) {
    if dir.join("vault.db").is_file()
        && Vault::open(dir)
            .map(|v| v.count().unwrap_or(0))
            .unwrap_or(0) as usize
            >= n
    {
        return;
    }
    let _ = std::fs::remove_dir_all(root);
    let src = root.join("receipts");
    let merchants = [
        "Shop",
        "Nordlicht Books",
        "City Parking",
        "Café Müller",
        "Amazon",
        "Rewe",
        "Deutsche Bahn",
        "Coffee Corner",
    ];
    for i in 0..n {
        let sub = src.join(format!("r{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        let m = merchants[i % merchants.len()];
        let text = format!(
            "{m}\nReceipt {i}\nDate: 2026-{:02}-{:02}\nItems: {} x coffee\nTotal: {}.{:02} EUR\n",
            1 + i % 12,
            1 + i % 28,
            1 + i % 5,
            1 + (i * 7919) % 400,
            i % 100
        );
        std::fs::write(sub.join(format!("receipt-{i:06}.txt")), text).unwrap();
    }
    let mut vault = Vault::open_or_create(dir).expect("create the speed vault");
    let t = std::time::Instant::now();
    vault
        .add_paths(std::slice::from_ref(&src), &mut |e| {
            if e.done % 10_000 == 0 {
                eprintln!(
                    "building the speed vault: {}/{} after {:.0} s",
                    e.done,
                    e.total,
                    t.elapsed().as_secs_f64()
                );
            }
        })
        .expect("fill the speed vault");
    let _ = std::fs::remove_dir_all(&src);
}

/// When the process running `binary` started, in ms since the Unix epoch (from /proc).
fn process_start_epoch_ms(binary: &Path) -> Option<f64> {
    let want = std::fs::canonicalize(binary).ok()?;
    let btime: f64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        if std::fs::read_link(entry.path().join("exe")).ok().as_deref() != Some(want.as_path()) {
            continue;
        }
        let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
        // Field 22 (starttime); fields after the ")" that ends the command name.
        let after = stat.rsplit_once(')')?.1;
        let start: f64 = after.split_whitespace().nth(19)?.parse().ok()?;
        return Some((btime + start / ticks) * 1000.0);
    }
    None
}

/// The window speaks the system's language (German here) and F1 opens the guide, which
/// says where the vault is. What crosses the window: the WebView's locale from `LANG`,
/// and a key press.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_speaks_german_and_f1_opens_the_guide() {
    let tmp = tempfile::tempdir().unwrap();
    let tripwire = Tripwire::start();
    let dir = filled_vault(tmp.path(), tripwire.port);
    let mut env = env_vault(&dir);
    env.push(("LANG", "de_DE.UTF-8".into()));
    env.push(("LANGUAGE", "de_DE:de".into()));
    let Some(app) = AppSession::launch(&env).await else {
        return;
    };
    bounded(async {
        app.wait_for("the app is ready", "return document.documentElement.dataset.ready === '1'")
            .await;
        let trash = app
            .wait_for("the sidebar", &format!("return {}?.textContent", q("nav-trash")))
            .await;
        assert!(trash.as_str().unwrap().contains("Papierkorb"), "{trash}");
        // Amounts as German writes them: "23,50 €".
        let amounts = app
            .eval(r#"return Array.from(document.querySelectorAll('[data-testid="voucher-row"] [data-testid="amount"]')).map((a) => a.textContent.trim())"#)
            .await;
        assert!(
            amounts.as_array().unwrap().iter().any(|a| a == "23,50\u{a0}€"),
            "{amounts}"
        );
        app.screenshot("list-de").await;

        let body = step("find the page", app.client.find(Locator::Css("body"))).await;
        step("press F1", body.send_keys("\u{E031}")).await;
        let dir_shown = app
            .wait_for("the guide", &format!("return {}?.textContent", q("help-vault-dir")))
            .await;
        assert_eq!(dir_shown.as_str(), dir.to_str());
        let title = app.eval(&format!("return {}?.textContent", q("help"))).await;
        assert!(title.as_str().unwrap().contains("Hilfe"), "{title}");
        let search_help = app
            .eval(&format!("return {}?.textContent", q("help-search")))
            .await;
        assert!(search_help.as_str().unwrap().contains("merchant:"), "{search_help}");
        app.screenshot("help-de").await;

        // The native file dialog speaks German too; Escape cancels it.
        step("close the guide", body.send_keys("\u{E00C}")).await;
        app.wait_for("the guide to close", &format!("return !{}", q("help")))
            .await;
        step("click Add files", app.by_testid("add-files").await.click()).await;
        let display = app.display.name.clone();
        let title = "Dateien zum Tresor hinzufügen";
        let window = support::dialog_window(&display, title).await;
        support::xdotool(&display, &["windowfocus", "--sync", &window]);
        support::xdotool(&display, &["key", "--clearmodifiers", "Escape"]);
        support::dialog_closed(&display, title).await;
        assert_eq!(
            app.eval(&format!("return {}?.textContent", q("nav-trash"))).await.as_str().map(|t| t.contains("Papierkorb")),
            Some(true),
            "the window answers after the cancelled dialog"
        );
    })
    .await;
    app.close().await;
    assert_eq!(tripwire.hits(), 0);
}

/// The window comes back where and as large as the person left it
/// (tauri-plugin-window-state, kept in the app's config folder).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_keeps_its_size_between_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let env = env_vault(&dir);
    let Some(app) = AppSession::launch(&env).await else {
        return;
    };
    bounded(async {
        app.wait_for(
            "the app is ready",
            "return document.documentElement.dataset.ready === '1'",
        )
        .await;
        // As a window manager does when the person drags the window's edge.
        let display = app.display.name.clone();
        let ids = support::xdotool(
            &display,
            &["search", "--onlyvisible", "--name", "^Receipt Vault$"],
        );
        let id = ids.lines().next().expect("the app's window").to_string();
        support::xdotool(&display, &["windowsize", "--sync", &id, "900", "600"]);
        app.wait_for(
            "the new size",
            "return window.outerWidth === 900 && window.outerHeight === 600",
        )
        .await;
        // The app saves the size half a second after the last change (WebDriver ends the
        // app without the normal exit, where the plugin would save too).
        tokio::time::sleep(Duration::from_millis(1500)).await;
    })
    .await;
    app.close().await;
    let config = PathBuf::from(&env.iter().find(|(k, _)| *k == "XDG_CONFIG_HOME").unwrap().1);
    let saved = std::fs::read_dir(&config)
        .into_iter()
        .flatten()
        .flatten()
        .map(|d| d.path().join(".window-state.json"))
        .find(|p| p.is_file());
    let saved = saved.unwrap_or_else(|| panic!("no window state saved under {}", config.display()));
    let state = std::fs::read_to_string(&saved).unwrap_or_default();

    let Some(app) = AppSession::launch(&env).await else {
        return;
    };
    bounded(async {
        app.wait_for(
            "the app is ready",
            "return document.documentElement.dataset.ready === '1'",
        )
        .await;
        let size = app
            .eval("return [window.outerWidth, window.outerHeight]")
            .await;
        assert_eq!(
            size,
            serde_json::json!([900, 600]),
            "the size of the last run; saved: {state}"
        );
    })
    .await;
    app.close().await;
}
