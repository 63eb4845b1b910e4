//! `vault ocr`: reads the queue, reports progress and a summary, exit code 3 when some
//! vouchers could not be read. A stand-in tesseract (a shell script, set through
//! RECEIPT_VAULT_TESSERACT) keeps the test independent of the machine's Tesseract.

use std::path::Path;
use std::process::{Command, Output};

fn vault(dir: &Path, tesseract: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vault"))
        .arg("--vault")
        .arg(dir.join("vault"))
        .args(args)
        .env_remove("RECEIPT_VAULT_DIR")
        .env("RECEIPT_VAULT_TESSERACT", tesseract)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn ocr_reads_the_queue_and_says_when_it_cannot() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let fake = dir.join("fake-tesseract");
    std::fs::write(
        &fake,
        "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then echo 'List of available languages in \"/x/\" (1):'; echo eng; exit 0; fi\ncat >/dev/null; echo 'CORNER SHOP'; echo 'TOTAL EUR 4,20'\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let missing = dir.join("no-tesseract-here");
    let img = dir.join("shot.png");
    std::fs::write(&img, vault_core::fixtures::png(300, 200, 3)).unwrap();
    let o = vault(dir, &fake, &["add", img.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));

    // Tesseract missing: the voucher waits as unavailable, with the reason; exit code 3.
    let o = vault(dir, &missing, &["ocr"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("OCR unavailable") && t.contains("not found"),
        "{t}"
    );

    // Installed: read, facts extracted, searchable.
    let o = vault(dir, &fake, &["--json", "ocr", "--limit", "5"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["done"], 1);
    assert_eq!(report["remaining"], 0);
    let o = vault(dir, &fake, &["search", "corner"]);
    assert!(text(&o).contains("4.20 EUR"), "{}", text(&o));

    // Nothing left: a no-op with a summary.
    let o = vault(dir, &fake, &["ocr"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o).contains("0 read, 0 failed"), "{}", text(&o));
}
