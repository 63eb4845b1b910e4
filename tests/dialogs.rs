//! The real native file dialogs, driven as a person drives them: the app is started
//! without the pick seam, a button opens the GTK dialog, and `xdotool` types into it on
//! the test's X display (Ctrl+L, the path, Enter).
//!
//! "Add files…", "Add folder…" and "Export → Evidence bundle…" once froze the whole app
//! (the main thread waited on rfd's own GTK thread) while every other test passed through
//! the seam. This test fails on such a freeze: while a dialog is open the window must
//! still answer, and each dialog's answer must reach the vault.

mod support;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use support::{dialog_closed, dialog_window, step, unzip_and_check, xdotool, AppSession, STEP};
use vault_core::Vault;

const WHOLE_TEST: Duration = Duration::from_secs(240);

fn q(testid: &str) -> String {
    format!(r#"document.querySelector('[data-testid="{testid}"]')"#)
}

/// Type `path` into the open GTK file chooser `window` and confirm, as a person does:
/// Ctrl+L opens the location field (in a save dialog the name field takes a path as it
/// is), the path, Enter.
async fn answer_dialog(display: &str, window: &str, path: &Path, save: bool) {
    // No window manager under Xvfb: give the dialog the keyboard focus by hand.
    xdotool(display, &["windowfocus", "--sync", window]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    if save {
        xdotool(display, &["key", "--clearmodifiers", "ctrl+a"]);
    } else {
        xdotool(display, &["key", "--clearmodifiers", "ctrl+l"]);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let text = path.to_str().expect("a UTF-8 path");
    xdotool(display, &["type", "--delay", "20", text]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    xdotool(display, &["key", "--clearmodifiers", "Return"]);
}

/// While a dialog is open the window keeps answering: a script runs and returns.
async fn window_answers(app: &AppSession) {
    let v = step(
        "the window answers while the dialog is open",
        app.client.execute("return 6 * 7", vec![]),
    )
    .await;
    assert_eq!(v, 42);
}

/// Until the import summary says `n` added.
async fn wait_added(app: &AppSession, n: usize) {
    app.wait_for(
        &format!("an import summary with {n} added"),
        &format!(
            "return ({}?.textContent ?? '').includes('{n}')",
            q("import-added")
        ),
    )
    .await;
}

fn fixtures(inbox: &Path) -> (PathBuf, PathBuf) {
    let one = inbox.join("single");
    let folder = inbox.join("folder of receipts");
    std::fs::create_dir_all(&one).unwrap();
    std::fs::create_dir_all(&folder).unwrap();
    let file = one.join("bakery receipt.txt");
    std::fs::write(&file, "Bakery Sommer\nTotal: 4.20 EUR\n31.10.2026\n").unwrap();
    std::fs::write(
        folder.join("taxi.eml"),
        "From: Taxi <rides@taxi.example>\r\nSubject: Your ride receipt\r\n\
         Date: Fri, 30 Oct 2026 22:10:00 +0000\r\n\r\nTotal: 18.40 EUR\r\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("parking.txt"),
        "City Parking\nTicket 88213\nTotal: 6.00 EUR\n29.10.2026\n",
    )
    .unwrap();
    (file, folder)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_dialogs_add_files_add_a_folder_and_save_an_export() {
    let tmp = tempfile::tempdir().unwrap();
    let (file, folder) = fixtures(&tmp.path().join("inbox"));
    let exports = tmp.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    let dir = tmp.path().join("vault");
    let env: Vec<(&str, OsString)> = vec![
        ("RECEIPT_VAULT_DIR", dir.clone().into_os_string()),
        (
            "XDG_CONFIG_HOME",
            tmp.path().join("config").into_os_string(),
        ),
        // No pick seam: the real dialogs.
    ];
    let Some(app) = AppSession::launch(&env).await else {
        return;
    };
    let display = app.display.name.clone();
    let run = async {
        app.wait_for(
            "the app is ready",
            "return document.documentElement.dataset.ready === '1'",
        )
        .await;

        // Add files…: one file typed into the location field.
        step("click Add files", app.by_testid("add-files").await.click()).await;
        let w = dialog_window(&display, "Add files to the vault").await;
        window_answers(&app).await;
        app.screenshot("dialog-add-files").await;
        answer_dialog(&display, &w, &file, false).await;
        dialog_closed(&display, "Add files to the vault").await;
        wait_added(&app, 1).await;
        {
            let vault = Vault::open(&dir).unwrap();
            assert_eq!(vault.count().unwrap(), 1, "the picked file is in the vault");
        }
        if let Ok(close) = app
            .client
            .find(fantoccini::Locator::Css(
                r#"[data-testid="import-summary-close"]"#,
            ))
            .await
        {
            let _ = close.click().await;
        }

        // Add folder…: the folder typed into the location field.
        step(
            "click Add folder",
            app.by_testid("add-folder").await.click(),
        )
        .await;
        let w = dialog_window(&display, "Choose a folder").await;
        window_answers(&app).await;
        answer_dialog(&display, &w, &folder, false).await;
        // Enter on a typed folder chooses it; where GTK opens it instead, its "Open"
        // button (Alt+O) chooses the folder that is open.
        tokio::time::sleep(Duration::from_millis(800)).await;
        let still_open = !xdotool(
            &display,
            &["search", "--onlyvisible", "--name", "Choose a folder"],
        )
        .trim()
        .is_empty();
        if still_open {
            xdotool(&display, &["windowfocus", "--sync", &w]);
            xdotool(&display, &["key", "--clearmodifiers", "alt+o"]);
        }
        dialog_closed(&display, "Choose a folder").await;
        let deadline = Instant::now() + STEP;
        loop {
            let n = Vault::open(&dir).unwrap().count().unwrap();
            if n == 3 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the folder's 2 files were not added ({n} in the vault)"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }

        // Export → Evidence bundle…: a path typed into the save dialog's name field.
        app.wait_for(
            "three rows",
            r#"return document.querySelectorAll('[data-testid="voucher-row"]').length === 3"#,
        )
        .await;
        step("select all", app.by_testid("select-all").await.click()).await;
        step(
            "open the export menu",
            app.by_testid("export").await.click(),
        )
        .await;
        step(
            "export a bundle",
            app.by_testid("export-bundle").await.click(),
        )
        .await;
        let w = dialog_window(&display, "Export").await;
        window_answers(&app).await;
        let target = exports.join("dispute-evidence.zip");
        answer_dialog(&display, &w, &target, true).await;
        dialog_closed(&display, "Export").await;
        let shown = app
            .wait_for(
                "the export",
                &format!("return {}?.textContent.trim()", q("export-path")),
            )
            .await;
        assert_eq!(shown.as_str(), target.to_str());
        let unpacked = tmp.path().join("unpacked");
        assert_eq!(unzip_and_check(&target, &unpacked), 3 + 2);
    };
    tokio::time::timeout(WHOLE_TEST, run)
        .await
        .expect("the dialog test did not finish in time");
    app.close().await;
}
