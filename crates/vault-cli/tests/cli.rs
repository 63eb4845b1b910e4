//! The `vault` binary as a user and a script run it.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use vault_core::fixtures;

struct Cli {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    vault: PathBuf,
}

impl Cli {
    fn new() -> Cli {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        Cli {
            vault: root.join("vault"),
            root,
            _tmp: tmp,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_in_locale(args, "C.UTF-8")
    }

    /// Runs with `lang` as the system locale (`LANG`; `LC_ALL`, `LC_MONETARY` unset).
    fn run_in_locale(&self, args: &[&str], lang: &str) -> Output {
        Command::new(env!("CARGO_BIN_EXE_vault"))
            .arg("--vault")
            .arg(&self.vault)
            .args(args)
            .env_remove("RECEIPT_VAULT_DIR")
            .env_remove("LC_ALL")
            .env_remove("LC_MONETARY")
            .env("LANG", lang)
            .output()
            .unwrap()
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        let out = self.run(&a);
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}): {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap_or(-1), v)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.root.join("in").join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, bytes).unwrap();
        p
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn round_trip_add_search_export_verify() {
    let c = Cli::new();
    let out = c.run(&["init"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Created a new vault"));

    c.file("shot.png", &fixtures::png(1170, 900, 3));
    c.file(
        "mail/order.eml",
        &fixtures::eml(
            "\"Nordic Outfitters\" <shop@nordic.example>",
            "Order confirmation 77812",
            "Tue, 07 Oct 2026 18:22:00 +0200",
            "Order number: NO-77812\nTotal: 1.234,56 €",
            &[(
                "receipt.pdf",
                "application/pdf",
                &fixtures::pdf(&["Receipt", "Total 1.234,56 EUR"], None, None),
            )],
        ),
    );
    c.file(
        "invoice.pdf",
        &fixtures::pdf(
            &["Hosting Co", "Invoice 2026-10", "Total: 19.99 USD"],
            None,
            None,
        ),
    );
    c.file("empty.txt", b"");
    let input = c.root.join("in");

    let (code, v) = c.json(&["add", s(&input)]);
    assert_eq!(code, 3, "one file failed: {v}");
    assert_eq!(v["added"], 3);
    assert_eq!(v["failed"], 1);
    assert_eq!(v["thumbnails"], 1);
    let failed = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["status"] == "failed")
        .unwrap();
    assert!(failed["path"].as_str().unwrap().ends_with("empty.txt"));
    assert!(failed["reason"].as_str().unwrap().contains("0 bytes"));

    // Adding again: all duplicates, named.
    let out = c.run(&["add", s(&input.join("shot.png"))]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("already in the vault as voucher"));

    let (code, list) = c.json(&["list"]);
    assert_eq!(code, 0);
    assert_eq!(list.as_array().unwrap().len(), 4, "3 files + 1 attachment");

    // EUR and USD in the vault: an amount says which it means.
    let (code, err) = c.json(&["search", "merchant:nordic", "amount:>=1000"]);
    assert_eq!(code, 2);
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("needs a currency"));
    let (_, hits) = c.json(&["search", "merchant:nordic", "amount:>=1000EUR"]);
    let hits = hits["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["amount_display"], "1234.56 EUR");
    let mail_id = hits[0]["id"].as_i64().unwrap();

    let (code, err) = c.json(&["search", "amount:lots"]);
    assert_eq!(code, 2);
    assert_eq!(err["error"]["code"], "bad_query");

    // Edit the amount, see it persist.
    let (code, edited) = c.json(&[
        "edit",
        &mail_id.to_string(),
        "--amount",
        "1200.00",
        "--tag",
        "dispute",
    ]);
    assert_eq!(code, 0, "{edited}");
    assert_eq!(edited["amount_fact"]["origin"], "user");
    let (_, shown) = c.json(&["show", &mail_id.to_string()]);
    assert_eq!(shown["amount"]["minor"], 120000);
    assert_eq!(shown["amount"]["currency"], "EUR");
    assert_eq!(shown["tags"][0], "dispute");
    assert_eq!(shown["attachments"].as_array().unwrap().len(), 1);

    // Export what a search finds; the email brings its attachment.
    let bundle = c.root.join("evidence.zip");
    let (code, ex) = c.json(&["export", "--query", "tag:dispute", "-o", s(&bundle)]);
    assert_eq!(code, 0, "{ex}");
    assert_eq!((&ex["vouchers"], &ex["files"]), (&1.into(), &2.into()));
    let unz = c.root.join("unzipped");
    zip::ZipArchive::new(fs::File::open(&bundle).unwrap())
        .unwrap()
        .extract(&unz)
        .unwrap();
    let check = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&unz)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert!(unz.join("README.txt").is_file());
    let (code, vb) = c.json(&["verify-bundle", s(&bundle)]);
    assert_eq!((code, &vb["ok"]), (0, &Value::Bool(true)));

    // CSV for a spreadsheet.
    let csv_path = c.root.join("all.csv");
    let out = c.run(&["export", "--all", "--csv", "-o", s(&csv_path)]);
    assert!(out.status.success());
    let csv = fs::read_to_string(&csv_path).unwrap();
    assert_eq!(csv.lines().count(), 5);
    assert!(csv.contains("1200.00,EUR"));

    let (code, ver) = c.json(&["verify"]);
    assert_eq!(code, 0, "{ver}");
    assert_eq!(ver["ok"], true);

    // Rot: a flipped byte is found and named by voucher.
    let sha = shown["sha256"].as_str().unwrap();
    let obj = c.vault.join("objects").join(&sha[..2]).join(sha);
    let mut bytes = fs::read(&obj).unwrap();
    bytes[0] ^= 0x20;
    fs::write(&obj, bytes).unwrap();
    let out = c.run(&["verify"]);
    assert_eq!(out.status.code(), Some(4));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("voucher {mail_id}")) && text.contains("CORRUPTED"),
        "{text}"
    );
}

#[test]
fn errors_are_clear_and_exit_codes_documented() {
    let c = Cli::new();
    // No vault yet.
    let out = c.run(&["list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Receipt Vault"));
    let (code, v) = c.json(&["list"]);
    assert_eq!(code, 1);
    assert_eq!(v["error"]["code"], "not_a_vault");
    // A folder with other things in it is not turned into a vault.
    fs::create_dir_all(&c.vault).unwrap();
    fs::write(c.vault.join("keep.me"), b"x").unwrap();
    let out = c.run(&["init"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read_dir(&c.vault).unwrap().count(), 1);
    // Bad usage.
    let out = Command::new(env!("CARGO_BIN_EXE_vault"))
        .arg("frobnicate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let help = Command::new(env!("CARGO_BIN_EXE_vault"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for cmd in [
        "init",
        "add",
        "list",
        "search",
        "show",
        "edit",
        "export",
        "verify",
        "verify-bundle",
    ] {
        assert!(help.contains(cmd), "--help lists {cmd}");
    }
    assert!(help.contains("Exit codes"));
}

#[test]
fn vault_dir_comes_from_the_environment() {
    let c = Cli::new();
    let dir = c.root.join("env-vault");
    let out = Command::new(env!("CARGO_BIN_EXE_vault"))
        .args(["--json", "init"])
        .env("RECEIPT_VAULT_DIR", &dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(dir.join("vault.db").is_file());
}

#[test]
fn edit_validates_money_and_dates() {
    let c = Cli::new();
    let f = c.file("r.txt", b"a receipt without an amount");
    let (_, v) = c.json(&["add", s(&f)]);
    let id = v["files"][0]["id"].as_i64().unwrap().to_string();
    let (code, e) = c.json(&["edit", &id, "--amount", "12.50"]);
    assert_eq!(code, 2, "no currency known yet: {e}");
    let (code, _) = c.json(&["edit", &id, "--amount", "12.505", "--currency", "EUR"]);
    assert_eq!(code, 2);
    let (code, _) = c.json(&["edit", &id, "--amount", "3000", "--currency", "XYZ"]);
    assert_eq!(code, 2);
    let (code, e) = c.json(&[
        "edit",
        &id,
        "--amount",
        "3000 JPY",
        "--date",
        "2026-10-03",
        "--merchant",
        "Lawson",
    ]);
    assert_eq!(code, 0, "{e}");
    assert_eq!(e["amount_display"], "3000 JPY");
    assert_eq!(e["occurred_source"], "user");
    let (code, _) = c.json(&["edit", &id, "--date", "next tuesday"]);
    assert_eq!(code, 2);
    // Changing the currency alone would silently rescale the amount: refused.
    let (code, e) = c.json(&["edit", &id, "--currency", "EUR"]);
    assert_eq!(code, 2, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("amount"));
    // A "bundle" that is not one is a verification failure (4), not a crash.
    let junk = c.file("junk.zip", b"PK\x05\x06 not really");
    let (code, e) = c.json(&["verify-bundle", s(&junk)]);
    assert_eq!(code, 4, "{e}");
    assert_eq!(e["error"]["code"], "bad_bundle");
    let (code, e) = c.json(&["edit", &id, "--clear-amount"]);
    assert_eq!(code, 0);
    assert!(e["amount"].is_null());
}

#[test]
fn trash_restore_review_and_empty_trash() {
    let c = Cli::new();
    let note = c.file("note.txt", b"warranty card for the kettle");
    let (code, v) = c.json(&["add", s(&note)]);
    assert_eq!(code, 0, "{v}");
    let id = v["files"][0]["id"].as_i64().unwrap().to_string();

    // A note without amount or date needs review until a person marks it.
    let (_, v) = c.json(&["search", "is:review"]);
    assert_eq!(v["hits"].as_array().unwrap().len(), 1, "{v}");
    let (code, v) = c.json(&["review", &id]);
    assert_eq!((code, v["changed"].as_i64()), (0, Some(1)));
    let (_, v) = c.json(&["search", "is:review"]);
    assert!(v["hits"].as_array().unwrap().is_empty(), "{v}");
    let out = c.run(&["show", &id]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("reviewed"));

    let (code, v) = c.json(&["trash", &id]);
    assert_eq!((code, v["changed"].as_i64()), (0, Some(1)));
    let (_, v) = c.json(&["search", "warranty"]);
    assert!(v["hits"].as_array().unwrap().is_empty(), "{v}");
    let (_, v) = c.json(&["search", "is:trash", "warranty"]);
    assert_eq!(v["hits"].as_array().unwrap().len(), 1, "{v}");
    let (code, _) = c.json(&["restore", &id]);
    assert_eq!(code, 0);
    let (_, v) = c.json(&["search", "warranty"]);
    assert_eq!(v["hits"].as_array().unwrap().len(), 1, "{v}");

    c.json(&["trash", &id]);
    // Emptying asks for --yes and keeps everything without it.
    let out = c.run(&["empty-trash"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    let (code, v) = c.json(&["empty-trash", "--yes"]);
    assert_eq!((code, v["changed"].as_i64()), (0, Some(1)));
    let (code, v) = c.json(&["show", &id]);
    assert_eq!((code, v["error"]["code"].as_str()), (1, Some("not_found")));
    let (code, _) = c.json(&["verify"]);
    assert_eq!(code, 0);
    // Unknown ids are an error that changes nothing.
    let (code, v) = c.json(&["trash", "999"]);
    assert_eq!((code, v["error"]["code"].as_str()), (1, Some("not_found")));
}

#[test]
fn unreadable_files_are_warned_about_and_counted() {
    let c = Cli::new();
    let random: Vec<u8> = (0..3000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    let bad = c.file("statement.pdf", &random);
    let docx = c.file("letter.docx", &random[7..]);
    let good = c.file("note.txt", b"Total: 3.00 EUR");
    let out = c.run(&["add", s(&bad), s(&docx), s(&good)]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("warning") && stdout.contains("statement.pdf") && stdout.contains(".pdf"),
        "{stdout}"
    );
    assert!(stdout.contains("letter.docx"), "{stdout}");
    assert!(
        stdout.contains("3 added (2 unreadable), 0 already in the vault, 0 failed"),
        "{stdout}"
    );
    // A date known only from the file is not shown as the payment date.
    let out = c.run(&["show", "3"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("date          none known (the file was last changed"),
        "{shown}"
    );
    let (_, v) = c.json(&["add", s(&c.file("again.pdf", &random[1..]))]);
    assert_eq!(v["unreadable"], 1);
    assert_eq!(v["files"][0]["status"], "unreadable");
    assert!(v["files"][0]["reason"].as_str().unwrap().contains(".pdf"));
}

#[test]
fn recently_added_order_verify_names_files_and_repair() {
    let c = Cli::new();
    let old = c.file(
        "old.eml",
        &fixtures::eml(
            "a@shop.example",
            "Old order",
            "Mon, 01 Jan 2018 10:00:00 +0000",
            "Total 5 EUR",
            &[],
        ),
    );
    let new = c.file(
        "new.eml",
        &fixtures::eml(
            "a@shop.example",
            "New order",
            "Fri, 03 Oct 2026 10:00:00 +0000",
            "Total 6 EUR",
            &[],
        ),
    );
    assert!(c.run(&["add", s(&new)]).status.success());
    assert!(c.run(&["add", s(&old)]).status.success());
    let ids = |order: &str| -> Vec<i64> {
        let (code, v) = c.json(&["search", "order", "--order", order]);
        assert_eq!(code, 0, "{v}");
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids("newest"), vec![1, 2]);
    assert_eq!(ids("added"), vec![2, 1]);
    let listed = |order: &str| -> Vec<i64> {
        let (code, v) = c.json(&["list", "--order", order]);
        assert_eq!(code, 0, "{v}");
        v.as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(listed("added"), vec![2, 1]);
    assert_eq!(listed("oldest"), vec![2, 1]);
    assert_eq!(listed("newest"), vec![1, 2]);
    assert_eq!(
        c.run(&["list", "--order", "sideways"]).status.code(),
        Some(2)
    );

    // Lose an original: verify names the file and says it can be repaired.
    let (_, shown) = c.json(&["show", "2"]);
    let sha = shown["sha256"].as_str().unwrap();
    let object = c.vault.join("objects").join(&sha[..2]).join(sha);
    fs::remove_file(&object).unwrap();
    let out = c.run(&["verify"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(4));
    assert!(text.contains("old.eml (voucher 2)"), "{text}");
    assert!(text.contains("vault repair"), "{text}");
    let (_, v) = c.json(&["verify"]);
    assert_eq!(v["report"]["problems"][0]["name"], "old.eml");
    assert_eq!(v["report"]["problems"][0]["repairable"], true);

    let out = c.run(&["repair", "--all"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("restored from"), "{text}");
    assert!(object.is_file());
    assert!(c.run(&["verify"]).status.success());
    let out = c.run(&["repair", "2"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("intact"));
    // Gone for good: the source changed too.
    fs::remove_file(&object).unwrap();
    fs::write(&old, b"changed").unwrap();
    let (code, v) = c.json(&["repair", "2"]);
    assert_eq!(code, 4);
    assert_eq!(v["repairs"][0]["outcome"]["repaired"], false);
    assert!(c.run(&["repair"]).status.code() == Some(2));
}

#[test]
fn verify_of_an_empty_vault_says_so() {
    let c = Cli::new();
    assert!(c.run(&["init"]).status.success());
    let out = c.run(&["verify"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("The vault is empty: nothing to check"));
}

#[test]
fn the_default_currency_is_the_locales_until_set_and_prices_bare_totals_for_review() {
    let c = Cli::new();
    let (code, _) = c.json(&["init"]);
    assert_eq!(code, 0);
    let out = c.run_in_locale(&["--json", "settings"], "ms_MY.UTF-8");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["defaultCurrency"]["currency"], "MYR");
    assert_eq!(v["defaultCurrency"]["chosen"], false);
    // A locale without a territory names none, and a receipt that names no currency and
    // no country gets no amount.
    let (_, v) = c.json(&["settings"]);
    assert!(v["defaultCurrency"]["currency"].is_null(), "{v}");
    let f = c.file("a.txt", b"Corner Cafe\nCoffee 4.50\nTotal : 9.00\n");
    let (_, v) = c.json(&["add", s(&f)]);
    let id = v["files"][0]["id"].as_i64().unwrap().to_string();
    let (_, v) = c.json(&["show", &id]);
    assert!(v["amount"].is_null(), "{v}");
    // Chosen, it prices such totals (re-extraction included), as guesses for review.
    let (code, v) = c.json(&["settings", "--currency", "myr"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["defaultCurrency"]["currency"], "MYR");
    assert_eq!(v["defaultCurrency"]["chosen"], true);
    let (code, _) = c.json(&["reextract", &id]);
    assert_eq!(code, 0);
    let (_, v) = c.json(&["show", &id]);
    assert_eq!(v["amount_display"], "9.00 MYR", "{v}");
    let conf = v["confidence"]["amount"].as_f64().unwrap();
    assert!(conf < 0.6, "a default currency is a guess: {v}");
    assert_eq!(v["needs_review"], true);
    let (code, e) = c.json(&["settings", "--currency", "ringgit"]);
    assert_eq!(code, 2, "{e}");
    let (_, v) = c.json(&["settings", "--currency", "auto"]);
    assert_eq!(v["defaultCurrency"]["chosen"], false);
    let text = String::from_utf8_lossy(&c.run(&["settings"]).stdout).to_string();
    assert!(text.contains("default currency: none"), "{text}");
}
