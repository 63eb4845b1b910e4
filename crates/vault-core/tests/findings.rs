//! The data side of what a first real use found (issue 9): recently added, honest dates,
//! unreadable files, amounts within one currency, exports counted once and without local
//! folders, snippets that show the match, verify that names files and repairs them.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use vault_core::fixtures;
use vault_core::{
    Currency, DateSource, Edit, Money, OcrState, Order, Outcome, ProblemKind, Scope, SearchRequest,
    Vault,
};

struct Env {
    _tmp: tempfile::TempDir,
    vault: Vault,
    input: PathBuf,
    root: PathBuf,
}

fn env() -> Env {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let vault = Vault::open_or_create(&root.join("vault")).unwrap();
    let input = root.join("in");
    fs::create_dir_all(&input).unwrap();
    Env {
        _tmp: tmp,
        vault,
        input,
        root,
    }
}

impl Env {
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.input.join(name);
        fs::write(&p, bytes).unwrap();
        p
    }

    fn add(&mut self, name: &str, bytes: &[u8]) -> i64 {
        let p = self.write(name, bytes);
        let r = self.vault.add_paths(&[p], &mut |_| {}).unwrap();
        match &r.files[0].outcome {
            Outcome::Added { id, .. } | Outcome::Unreadable { id, .. } => *id,
            other => panic!("{name}: expected added, got {other:?}"),
        }
    }

    fn mail(&mut self, name: &str, date: &str, body: &str) -> i64 {
        self.add(
            name,
            &fixtures::eml("shop@example.com", name, date, body, &[]),
        )
    }

    fn ids(&self, q: &str, order: Order) -> Vec<i64> {
        self.vault
            .search(q, order, 0, 100)
            .unwrap_or_else(|e| panic!("{q}: {e}"))
            .hits
            .iter()
            .map(|h| h.voucher.id)
            .collect()
    }

    fn page(&self, q: &str, scope: Scope, order: Order) -> (Vec<i64>, i64) {
        let p = self
            .vault
            .search_page(&SearchRequest {
                query: q.into(),
                scope,
                order,
                offset: 0,
                limit: 100,
            })
            .unwrap();
        (p.hits.iter().map(|h| h.voucher.id).collect(), p.total)
    }

    fn set_amount(&mut self, id: i64, minor: i64, code: &str) {
        self.vault
            .edit(
                id,
                &Edit {
                    amount: Some(Some(Money {
                        minor,
                        currency: Currency::parse(code).unwrap(),
                    })),
                    ..Default::default()
                },
            )
            .unwrap();
    }
}

#[test]
fn recently_added_lists_the_last_import_first() {
    let mut e = env();
    let new_payment = e.mail("a.eml", "Fri, 03 Oct 2026 10:00:00 +0000", "Total 1 EUR");
    let old_payment = e.mail("b.eml", "Mon, 01 Jan 2018 10:00:00 +0000", "Total 2 EUR");
    let middle = e.mail("c.eml", "Sat, 01 Jun 2024 10:00:00 +0000", "Total 3 EUR");
    assert_eq!(
        e.ids("", Order::Newest),
        vec![new_payment, middle, old_payment]
    );
    assert_eq!(
        e.ids("", Order::Added),
        vec![middle, old_payment, new_payment]
    );
    // With words, a filter and a scope too.
    assert_eq!(
        e.ids("total", Order::Added),
        vec![middle, old_payment, new_payment]
    );
    assert_eq!(
        e.page("kind:email", Scope::All, Order::Added),
        (vec![middle, old_payment, new_payment], 3)
    );
    assert_eq!(Order::parse("added"), Some(Order::Added));
    assert_eq!(
        serde_json::to_string(&Order::Added).unwrap(),
        "\"added\"",
        "the name the app sends"
    );
}

#[test]
fn a_date_known_only_from_the_file_is_no_payment_date() {
    let mut e = env();
    let dated = e.mail("paid.eml", "Wed, 01 Oct 2025 10:00:00 +0000", "Total 9 EUR");
    // No date inside: the file's modification time (today) is all there is.
    let undated = e.add("scan-note.txt", b"Thanks for your purchase");
    let pasted = match e
        .vault
        .add_bytes(b"pasted words, no date", "pasted.txt")
        .unwrap()
    {
        Outcome::Added { id, .. } => id,
        o => panic!("{o:?}"),
    };
    let s = e.vault.summary(undated).unwrap();
    assert_eq!(s.occurred_source, DateSource::FileMtime);
    assert_eq!(
        e.vault.summary(pasted).unwrap().occurred_source,
        DateSource::Added
    );

    // Date filters match payment dates only.
    for q in [
        "after:2025-09-01",
        "date:2025",
        "before:2100-01-01",
        "on:2025-10",
        "since:2000",
    ] {
        assert_eq!(e.ids(q, Order::Newest), vec![dated], "{q}");
    }
    let today = &s.occurred_at[..10];
    assert!(e.ids(&format!("date:{today}"), Order::Newest).is_empty());
    assert_eq!(
        e.page("after:2020", Scope::All, Order::Newest),
        (vec![dated], 1)
    );
    assert_eq!(e.vault.count_matches("after:2020").unwrap(), 1);

    // Newest and oldest first both list the undated after the dated (newest of them first
    // in "newest").
    assert_eq!(e.ids("", Order::Newest), vec![dated, pasted, undated]);
    assert_eq!(e.ids("", Order::Oldest)[0], dated);
    let listed: Vec<i64> = e.vault.list(0, 10).unwrap().iter().map(|s| s.id).collect();
    assert_eq!(listed, vec![dated, pasted, undated]);
    assert_eq!(e.vault.search_ids("").unwrap()[0], dated);

    // A person's date confirms it.
    e.vault
        .edit(
            undated,
            &Edit {
                occurred_at: Some("2019-05-04".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(e.ids("date:2019-05", Order::Newest), vec![undated]);
    assert_eq!(e.ids("", Order::Oldest), vec![undated, dated, pasted]);
}

fn zip_bytes() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("a.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(b"hello").unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn unreadable_files_are_kept_and_reported() {
    let mut e = env();
    let pdf = fixtures::pdf(&["Invoice 12", "Total: 20.00 EUR"], None, None);
    let random: Vec<u8> = (0..4000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let files = [
        e.write("random.pdf", &random),
        e.write("truncated.pdf", &pdf[..pdf.len() / 3]),
        e.write("garbage.docx", &random[100..]),
        e.write("error-page.pdf", b"<html><body>404 Not Found</body></html>"),
        e.write("broken.png", &fixtures::png(40, 30, 1)[..20]),
        // Readable: a valid ZIP, a PNG whose name says PDF, an unknown binary, text.
        e.write("archive.zip", &zip_bytes()),
        e.write("really-a-png.pdf", &fixtures::png(40, 30, 2)),
        e.write("data.bin", &random[200..]),
        e.write("notes.txt", b"just notes"),
        e.write("good.pdf", &pdf),
    ];
    let r = e.vault.add_paths(&files, &mut |_| {}).unwrap();
    let unreadable: Vec<(String, String)> = r
        .files
        .iter()
        .filter_map(|f| match &f.outcome {
            Outcome::Unreadable { code, reason, .. } => {
                assert_eq!(code, "unreadable");
                Some((
                    f.path.file_name().unwrap().to_string_lossy().into_owned(),
                    reason.clone(),
                ))
            }
            _ => None,
        })
        .collect();
    let names: Vec<&str> = unreadable.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "random.pdf",
            "truncated.pdf",
            "garbage.docx",
            "error-page.pdf",
            "broken.png"
        ],
        "{unreadable:#?}"
    );
    assert!(unreadable[0].1.contains(".pdf"), "{}", unreadable[0].1);
    assert!(unreadable[1].1.contains("PDF"), "{}", unreadable[1].1);
    assert!(unreadable[2].1.contains(".docx"), "{}", unreadable[2].1);
    assert!(unreadable[4].1.contains("image"), "{}", unreadable[4].1);
    // Every file is in the vault; the unreadable ones are counted as added too.
    assert_eq!((r.added, r.unreadable, r.failed), (10, 5, 0));
    // The reason stays with the voucher.
    let id = match &r.files[1].outcome {
        Outcome::Unreadable { id, .. } => *id,
        o => panic!("{o:?}"),
    };
    let v = e.vault.get(id).unwrap();
    assert!(v.warnings.iter().any(|w| w.contains("PDF")), "{v:?}");
    // The same bytes again are a duplicate, not a second warning.
    let again = e.write("random-again.pdf", &random);
    let r = e.vault.add_paths(&[again], &mut |_| {}).unwrap();
    assert!(matches!(r.files[0].outcome, Outcome::Duplicate { .. }));
    // Serialised as the app and `--json` read it.
    let json = serde_json::to_value(&Outcome::Unreadable {
        id: 1,
        code: "unreadable".into(),
        reason: "x".into(),
    })
    .unwrap();
    assert_eq!(json["status"], "unreadable");
}

#[test]
fn amounts_are_compared_within_one_currency() {
    let mut e = env();
    let eur = e.add("eur.txt", b"one");
    let cny = e.add("cny.txt", b"two");
    let myr = e.add("myr.txt", b"three");
    let eur2 = e.add("eur2.txt", b"four");
    e.set_amount(eur, 12_800, "EUR");
    e.set_amount(cny, 12_800, "CNY");
    e.set_amount(myr, 6_400, "MYR");
    e.set_amount(eur2, 3_000, "EUR");

    let err = e
        .vault
        .search("amount:>=50", Order::Newest, 0, 10)
        .unwrap_err();
    assert_eq!(err.code(), "bad_query");
    let msg = err.to_string();
    for part in ["needs a currency", "EUR", "CNY", "MYR", "amount:>=50EUR"] {
        assert!(msg.contains(part), "{msg}");
    }
    let sorted = |e: &Env, q: &str| {
        let mut v = e.ids(q, Order::Newest);
        v.sort();
        v
    };
    assert_eq!(sorted(&e, "amount:>=50EUR"), vec![eur]);
    assert_eq!(sorted(&e, "amount:>=50eur"), vec![eur]);
    assert_eq!(sorted(&e, "amount:>=EUR50"), vec![eur]);
    assert_eq!(sorted(&e, "amount:>=€50"), vec![eur]);
    assert_eq!(sorted(&e, "amount:>=50 EUR"), vec![eur]);
    assert_eq!(sorted(&e, "amount:\">=50 EUR\""), vec![eur]);
    assert_eq!(sorted(&e, "amount:<50EUR"), vec![eur2]);
    assert_eq!(sorted(&e, "amount:50..200CNY"), vec![cny]);
    assert_eq!(
        sorted(&e, "amount:>=¥50"),
        vec![cny],
        "¥ is the yuan the vault holds"
    );
    assert_eq!(sorted(&e, "amount:64MYR"), vec![myr]);
    assert!(sorted(&e, "amount:>=50USD").is_empty());
    assert!(e
        .vault
        .search("amount:>=50EUR amount:<=100CNY", Order::Newest, 0, 10)
        .is_err());
    assert!(e.vault.count_matches("amount:>=50").is_err());
    assert_eq!(e.vault.count_matches("amount:>=50EUR").unwrap(), 1);

    // One currency in the vault (outside the Trash): that one is meant.
    e.vault.trash(&[cny, myr]).unwrap();
    assert_eq!(sorted(&e, "amount:>=50"), vec![eur]);
    assert_eq!(sorted(&e, "amount:10..40"), vec![eur2]);
}

#[test]
fn an_amount_in_the_trash_is_read_in_the_trash_currencies() {
    let mut e = env();
    let eur = e.add("eur.txt", b"one");
    let cny = e.add("cny.txt", b"two");
    e.set_amount(eur, 12_800, "EUR");
    e.set_amount(cny, 12_800, "CNY");
    e.vault.trash(&[cny]).unwrap();
    // Outside the Trash only EUR; in it only CNY: each is the one meant there.
    assert_eq!(e.ids("amount:>=50", Order::Newest), vec![eur]);
    assert_eq!(e.ids("is:trash amount:>=50", Order::Newest), vec![cny]);
    assert_eq!(
        e.page("amount:>=50", Scope::Trash, Order::Newest),
        (vec![cny], 1)
    );
    assert_eq!(
        e.vault.search_ids_in("amount:>=50", &Scope::Trash).unwrap(),
        vec![cny]
    );
    assert_eq!(e.vault.count_matches("is:trash amount:>=50").unwrap(), 1);
    // Several currencies in the Trash: ask which one, naming those of the Trash.
    let myr = e.add("myr.txt", b"three");
    e.set_amount(myr, 6_400, "MYR");
    e.vault.trash(&[myr]).unwrap();
    let err = e
        .vault
        .search("is:trash amount:>=50", Order::Newest, 0, 10)
        .unwrap_err();
    assert_eq!(err.code(), "bad_query");
    let msg = err.to_string();
    assert!(msg.contains("the Trash holds"), "{msg}");
    assert!(msg.contains("CNY") && msg.contains("MYR"), "{msg}");
    assert!(!msg.contains("EUR"), "{msg}");
    assert_eq!(
        e.page("amount:>=50MYR", Scope::Trash, Order::Newest),
        (vec![myr], 1)
    );
    // Outside the Trash nothing changed.
    assert_eq!(e.ids("amount:>=50", Order::Newest), vec![eur]);
}

#[test]
fn exports_count_each_voucher_once_and_carry_no_local_folders() {
    let mut e = env();
    let pdf = fixtures::pdf(&["Invoice", "Total: 20.00 EUR"], None, None);
    let mail = fixtures::eml(
        "shop@example.com",
        "Order",
        "Fri, 03 Oct 2026 10:00:00 +0000",
        "Total 20.00 EUR",
        &[("invoice.pdf", "application/pdf", &pdf)],
    );
    let email = e.add("order.eml", &mail);
    let attachment = e.vault.get(email).unwrap().attachments[0];
    let older = e.mail("older.eml", "Mon, 01 Jan 2024 10:00:00 +0000", "x");
    let undated = e.add("undated.txt", b"no date here");

    let out = e.root.join("out");
    fs::create_dir_all(&out).unwrap();
    let both = e
        .vault
        .export_bundle(&[email, attachment], &out.join("a.zip"), &mut |_, _| {})
        .unwrap();
    assert_eq!((both.vouchers, both.files), (2, 2));
    let only_mail = e
        .vault
        .export_bundle(&[email, email], &out.join("b.zip"), &mut |_, _| {})
        .unwrap();
    assert_eq!((only_mail.vouchers, only_mail.files), (1, 2));

    // The manifest names files, never the folders they came from.
    let zip = fs::File::open(out.join("a.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(zip).unwrap();
    let mut manifest = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("manifest.json").unwrap(), &mut manifest)
        .unwrap();
    let input = e.input.to_string_lossy().into_owned();
    assert!(!manifest.contains(&input), "{manifest}");
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let sources: Vec<&str> = m["vouchers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["sources"].as_array().unwrap())
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(sources, ["order.eml", "order.eml » invoice.pdf"]);

    // CSV: a BOM, no empty file column, oldest payment first, undated last, each once.
    let mut csv = Vec::new();
    let n = e
        .vault
        .export_csv(&[undated, email, older, email], &mut csv)
        .unwrap();
    assert_eq!(n, 3);
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(!text.contains(&input));
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert!(!header.iter().any(|h| h == "file"), "{header:?}");
    assert_eq!(header[0], "id");
    let records: Vec<csv::StringRecord> = r.records().map(|rec| rec.unwrap()).collect();
    let ids: Vec<i64> = records.iter().map(|rec| rec[0].parse().unwrap()).collect();
    assert_eq!(ids, vec![older, email, undated]);
    // The date column holds payment dates only.
    assert_eq!(&records[0][1], "2024-01-01");
    assert_eq!(&records[2][1], "", "{:?}", records[2]);
    let source = header.iter().position(|h| h == "occurred_source").unwrap();
    assert_eq!(&records[2][source], "file_mtime");
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().to_string())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("vouchers/2026-10-03_")),
        "{names:?}"
    );
    let out_c = out.join("c.zip");
    e.vault
        .export_bundle(&[undated], &out_c, &mut |_, _| {})
        .unwrap();
    let mut zc = zip::ZipArchive::new(fs::File::open(&out_c).unwrap()).unwrap();
    let name = zc.by_index(0).unwrap().name().to_string();
    assert!(name.starts_with("vouchers/undated_"), "{name}");
}

fn zip_text(path: &std::path::Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

#[test]
fn a_folder_named_with_the_part_mark_does_not_leave_in_exports() {
    let mut e = env();
    // A folder whose name holds " » ", the mark between a file and an attachment.
    let folder = e.input.join("anna-k7q » scans");
    fs::create_dir_all(&folder).unwrap();
    let pdf = fixtures::pdf(&["Invoice", "Total: 20.00 EUR"], None, None);
    let mail = fixtures::eml(
        "shop@example.com",
        "Order",
        "Fri, 03 Oct 2026 10:00:00 +0000",
        "Total 20.00 EUR",
        &[("invoice.pdf", "application/pdf", &pdf)],
    );
    let path = folder.join("mail.eml");
    fs::write(&path, &mail).unwrap();
    let r = e.vault.add_paths(&[path], &mut |_| {}).unwrap();
    let email = match &r.files[0].outcome {
        Outcome::Added { id, .. } => *id,
        o => panic!("{o:?}"),
    };
    let attachment = e.vault.get(email).unwrap().attachments[0];
    let out = e.root.join("out.zip");
    e.vault
        .export_bundle(&[email], &out, &mut |_, _| {})
        .unwrap();
    let json = zip_text(&out, "manifest.json");
    let csv = zip_text(&out, "manifest.csv");
    for text in [&json, &csv] {
        assert!(!text.contains("anna"), "{text}");
        assert!(!text.contains("scans"), "{text}");
    }
    let m: serde_json::Value = serde_json::from_str(&json).unwrap();
    let sources: Vec<&str> = m["vouchers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["sources"].as_array().unwrap())
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(sources, ["mail.eml", "mail.eml » invoice.pdf"]);
    let mut alone = Vec::new();
    e.vault
        .export_csv(&[email, attachment], &mut alone)
        .unwrap();
    assert!(!String::from_utf8_lossy(&alone).contains("anna"));
}

#[test]
fn bundle_manifests_are_in_date_order_with_attachments_after_their_email() {
    let mut e = env();
    let pdf = fixtures::pdf(&["Invoice", "Total: 20.00 EUR"], None, None);
    let mail = fixtures::eml(
        "shop@example.com",
        "Order",
        "Fri, 03 Oct 2026 10:00:00 +0000",
        "Total 20.00 EUR",
        &[("invoice.pdf", "application/pdf", &pdf)],
    );
    let undated = e.add("undated.txt", b"no date here");
    let email = e.add("order.eml", &mail);
    let attachment = e.vault.get(email).unwrap().attachments[0];
    let older = e.mail("older.eml", "Mon, 01 Jan 2024 10:00:00 +0000", "x");
    let middle = e.mail("middle.eml", "Sat, 01 Jun 2024 10:00:00 +0000", "y");
    let want = vec![older, middle, email, attachment, undated];
    // Whatever the selection's order, and with the attachment asked for before its email.
    for (n, asked) in [
        vec![undated, attachment, email, older, middle],
        vec![email, undated, middle, older],
        vec![attachment, middle, undated, older, email],
    ]
    .into_iter()
    .enumerate()
    {
        let out = e.root.join(format!("b{n}.zip"));
        let s = e.vault.export_bundle(&asked, &out, &mut |_, _| {}).unwrap();
        assert_eq!(s.files, 5);
        let m: serde_json::Value = serde_json::from_str(&zip_text(&out, "manifest.json")).unwrap();
        let ids: Vec<i64> = m["vouchers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, want, "json, asked {asked:?}");
        let csv = zip_text(&out, "manifest.csv");
        let mut r = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let ids: Vec<i64> = r
            .records()
            .map(|rec| rec.unwrap()[0].parse().unwrap())
            .collect();
        assert_eq!(ids, want, "csv, asked {asked:?}");
    }
}

#[test]
fn snippets_show_the_matched_word_with_context() {
    let mut e = env();
    let filler = "lorem ipsum dolor sit amet consectetur ".repeat(20);
    let text = format!("{filler}Receipt #44 for the blue teapot paid in full {filler}");
    e.add("long.txt", text.as_bytes());
    let hits = e.vault.search("teapot", Order::Newest, 0, 10).unwrap().hits;
    let sn = hits[0].snippet.clone().unwrap();
    assert!(sn.contains("blue teapot paid"), "{sn}");
    assert!(sn.contains("Receipt #44"), "{sn}");
    assert!(sn.starts_with('…') && sn.ends_with('…'), "{sn}");
    let len = sn.chars().count();
    assert!((120..=200).contains(&len), "{len}: {sn}");
    // Context on both sides, cut between words.
    let (before, after) = sn.split_once("teapot").unwrap();
    assert!(
        before.chars().count() >= 60 && after.chars().count() >= 60,
        "{sn}"
    );
    for w in sn.trim_matches('…').split(' ') {
        assert!(text.contains(&format!(" {w} ")) || text.contains(w), "{w}");
    }
    // A prefix and a match near the start.
    let hits = e.vault.search("tea*", Order::Newest, 0, 10).unwrap().hits;
    assert!(hits[0].snippet.as_deref().unwrap().contains("teapot"));
    e.add("short.txt", "Café Müller: Kännchen Kaffee".as_bytes());
    let hits = e
        .vault
        .search("kännchen", Order::Newest, 0, 10)
        .unwrap()
        .hits;
    assert_eq!(
        hits[0].snippet.as_deref(),
        Some("Café Müller: Kännchen Kaffee")
    );
    e.add("cjk.txt", "星巴克咖啡 ".repeat(40).as_bytes());
    let hits = e.vault.search("咖啡", Order::Newest, 0, 10).unwrap().hits;
    assert!(hits[0].snippet.as_deref().unwrap().contains("咖啡"));
}

#[test]
fn verify_names_files_and_repair_restores_from_the_source() {
    let mut e = env();
    let pdf = fixtures::pdf(&["Invoice 7", "Total: 7.00 EUR"], None, None);
    let a = e.add("invoice-7.pdf", &pdf);
    let b = e.add("notes.txt", b"a note kept for later");
    let c = e.add("gone.txt", b"this source will be changed");
    let sa = e.vault.summary(a).unwrap();
    let sb = e.vault.summary(b).unwrap();
    let sc = e.vault.summary(c).unwrap();
    let store = e.vault.store();
    // a: deleted; b: same size, one byte flipped; c: deleted and its source changed.
    fs::remove_file(store.path(&sa.sha256)).unwrap();
    let pb = store.path(&sb.sha256);
    let mut bytes = fs::read(&pb).unwrap();
    bytes[0] ^= 1;
    fs::write(&pb, &bytes).unwrap();
    fs::remove_file(store.path(&sc.sha256)).unwrap();
    fs::write(e.input.join("gone.txt"), b"this source was changed!!!!").unwrap();

    let report = e.vault.verify(&mut |_, _| {}).unwrap();
    let problem = |id: i64| {
        report
            .problems
            .iter()
            .find(|p| p.voucher_id == Some(id))
            .unwrap_or_else(|| panic!("no problem for {id}: {report:?}"))
    };
    let (pa, pb_, pc) = (problem(a), problem(b), problem(c));
    assert_eq!(pa.kind, ProblemKind::Missing);
    assert_eq!(pb_.kind, ProblemKind::Corrupted);
    assert_eq!(pa.name.as_deref(), Some("invoice-7.pdf"));
    assert!(pa.detail.contains("invoice-7.pdf"), "{}", pa.detail);
    assert!(pa.repairable && pb_.repairable);
    assert!(!pc.repairable, "{pc:?}");
    assert!(pc.detail.contains("gone.txt"));
    let json = serde_json::to_value(pa).unwrap();
    assert_eq!(json["name"], "invoice-7.pdf");
    assert_eq!(json["repairable"], true);

    let ra = e.vault.repair(a).unwrap();
    assert!(ra.repaired, "{ra:?}");
    assert!(ra.from.as_deref().unwrap().ends_with("invoice-7.pdf"));
    let rb = e.vault.repair(b).unwrap();
    assert!(rb.repaired, "{rb:?}");
    let rc = e.vault.repair(c).unwrap();
    assert!(!rc.repaired && rc.from.is_none(), "{rc:?}");
    assert!(rc.message.contains("gone.txt"));
    // Intact now: nothing to do.
    let again = e.vault.repair(a).unwrap();
    assert!(
        !again.repaired && again.message.contains("intact"),
        "{again:?}"
    );
    assert_eq!(fs::read(e.vault.original_path(a).unwrap()).unwrap(), pdf);
    let report = e.vault.verify(&mut |_, _| {}).unwrap();
    let left: Vec<Option<i64>> = report.problems.iter().map(|p| p.voucher_id).collect();
    assert_eq!(left, vec![Some(c)], "{report:?}");
    assert!(e.vault.repair(9999).is_err());
    // No temp file left behind.
    let tmp = e.vault.dir().join("tmp");
    assert_eq!(fs::read_dir(tmp).unwrap().count(), 0);
}

#[test]
fn an_attachment_is_repaired_from_its_email_in_the_vault() {
    let mut e = env();
    let pdf = fixtures::pdf(&["Invoice 9", "Total: 9.00 EUR"], None, None);
    let mail = fixtures::eml(
        "shop@example.com",
        "Order 9",
        "Fri, 03 Oct 2026 10:00:00 +0000",
        "Total 9.00 EUR",
        &[("invoice-9.pdf", "application/pdf", &pdf)],
    );
    let email = e.add("order-9.eml", &mail);
    let att = e.vault.get(email).unwrap().attachments[0];
    // The email file is gone from its folder; its copy in the vault holds the invoice.
    fs::remove_file(e.input.join("order-9.eml")).unwrap();
    let object = e.vault.original_path(att).unwrap();
    fs::remove_file(&object).unwrap();
    let report = e.vault.verify(&mut |_, _| {}).unwrap();
    let p = &report.problems[0];
    assert_eq!(
        (p.voucher_id, p.name.as_deref(), p.repairable),
        (Some(att), Some("invoice-9.pdf"), true),
        "{p:?}"
    );
    assert!(
        p.detail.contains("order-9.eml » invoice-9.pdf"),
        "{}",
        p.detail
    );
    let r = e.vault.repair(att).unwrap();
    assert!(r.repaired, "{r:?}");
    assert_eq!(
        r.from.as_deref(),
        Some("order-9.eml » invoice-9.pdf (in the vault)")
    );
    assert_eq!(fs::read(&object).unwrap(), pdf);
    assert!(e.vault.verify(&mut |_, _| {}).unwrap().problems.is_empty());
}

#[test]
fn summaries_keep_the_order_given_and_skip_unknown_ids() {
    let mut e = env();
    let a = e.add("a.txt", b"aaa");
    let b = e.add("b.txt", b"bbb");
    let got: Vec<i64> = e
        .vault
        .summaries(&[b, 404, a, b])
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(got, vec![b, a, b]);
    assert!(e.vault.summaries(&[]).unwrap().is_empty());
}

#[test]
fn the_ocr_queue_can_be_counted() {
    let mut e = env();
    assert_eq!(e.vault.ocr_queue_len().unwrap(), 0);
    let id = e.add("shot.png", &fixtures::png(60, 40, 9));
    e.add("n.txt", b"text needs no OCR");
    assert_eq!(e.vault.summary(id).unwrap().ocr_state, OcrState::Pending);
    assert_eq!(e.vault.ocr_queue_len().unwrap(), 1);
}
