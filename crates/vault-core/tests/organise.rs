//! The sidebar's parts: scopes, counts, the Trash, "Needs review" and saved searches.

use std::fs;
use std::path::PathBuf;
use vault_core::fixtures;
use vault_core::{Edit, Kind, Money, Order, Outcome, Scope, SearchRequest, Vault};

struct Env {
    _tmp: tempfile::TempDir,
    vault: Vault,
    dir: PathBuf,
    input: PathBuf,
}

fn env() -> Env {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let vault = Vault::open_or_create(&dir).unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    Env {
        _tmp: tmp,
        vault,
        dir,
        input,
    }
}

impl Env {
    fn add(&mut self, name: &str, bytes: &[u8]) -> (i64, Vec<i64>) {
        let p = self.input.join(name);
        fs::write(&p, bytes).unwrap();
        let r = self.vault.add_paths(&[p], &mut |_| {}).unwrap();
        match &r.files[0].outcome {
            Outcome::Added { id, attachments } => (*id, attachments.clone()),
            other => panic!("{name}: expected added, got {other:?}"),
        }
    }

    /// A second connection to the same database, for what the API does not set (confidences).
    fn sql(&self, sql: &str) {
        let c = rusqlite::Connection::open(self.dir.join("vault.db")).unwrap();
        c.execute_batch(sql).unwrap();
    }

    fn ids(&self, query: &str, scope: Scope) -> Vec<i64> {
        let mut v: Vec<i64> = self
            .vault
            .search_page(&SearchRequest {
                query: query.into(),
                scope,
                order: Order::Newest,
                offset: 0,
                limit: 1000,
            })
            .unwrap()
            .hits
            .iter()
            .map(|h| h.voucher.id)
            .collect();
        v.sort();
        v
    }
}

fn usd(minor: i64) -> Money {
    Money {
        minor,
        currency: vault_core::Currency::parse("USD").unwrap(),
    }
}

/// A receipt email (amount and date known), an email without an amount carrying a PDF
/// with one, a note without an amount or date, and a PDF.
fn filled() -> (Env, i64, i64, i64, i64) {
    let mut e = env();
    let (receipt, _) = e.add(
        "receipt.eml",
        &fixtures::eml(
            "Blue Bottle <hello@bluebottle.example>",
            "Your receipt",
            "Mon, 01 Sep 2025 08:00:00 -0700",
            "Espresso beans\nTotal: $12.50",
            &[],
        ),
    );
    let pdf = fixtures::pdf(&["Invoice 77", "Total: 99.00 EUR"], None, None);
    let (carrier, atts) = e.add(
        "carrier.eml",
        &fixtures::eml(
            "Shop <shop@example.com>",
            "Invoice attached",
            "Tue, 02 Sep 2025 08:00:00 +0000",
            "Please find the invoice attached.",
            &[("invoice.pdf", "application/pdf", &pdf)],
        ),
    );
    let (note, _) = e.add("note.txt", b"remember the warranty card");
    (e, receipt, carrier, atts[0], note)
}

#[test]
fn scopes_and_facets_count_the_same_vouchers() {
    let (mut e, receipt, carrier, invoice, note) = filled();
    let f = e.vault.facets().unwrap();
    assert_eq!(
        (f.all, f.emails, f.pdfs, f.other, f.images),
        (4, 2, 1, 1, 0)
    );
    assert_eq!(e.ids("", Scope::All), vec![receipt, carrier, invoice, note]);
    assert_eq!(
        e.ids("", Scope::Kind { kind: Kind::Email }),
        vec![receipt, carrier]
    );
    assert_eq!(e.ids("", Scope::Kind { kind: Kind::Pdf }), vec![invoice]);
    // "Other" covers text files too.
    assert_eq!(e.ids("", Scope::Kind { kind: Kind::Other }), vec![note]);
    assert_eq!(e.ids("", Scope::Kind { kind: Kind::Text }), vec![note]);

    e.vault
        .edit(
            receipt,
            &Edit {
                add_tags: vec!["coffee".into(), "tax".into()],
                ..Edit::default()
            },
        )
        .unwrap();
    e.vault
        .edit(
            note,
            &Edit {
                add_tags: vec!["tax".into()],
                ..Edit::default()
            },
        )
        .unwrap();
    let f = e.vault.facets().unwrap();
    let tags: Vec<(String, i64)> = f.tags.iter().map(|t| (t.tag.clone(), t.count)).collect();
    assert_eq!(tags, vec![("coffee".into(), 1), ("tax".into(), 2)]);
    assert_eq!(
        e.ids("", Scope::Tag { tag: "#Tax".into() }),
        vec![receipt, note]
    );
    // Words and scope together.
    assert_eq!(
        e.ids("espresso", Scope::Tag { tag: "tax".into() }),
        vec![receipt]
    );
    assert!(e
        .ids("espresso", Scope::Kind { kind: Kind::Pdf })
        .is_empty());
}

#[test]
fn needs_review_lists_what_lacks_an_amount_or_a_real_date() {
    let (mut e, receipt, carrier, invoice, note) = filled();
    // The receipt has amount and email date; the carrier email has no amount but is an
    // email a person may want to check; the invoice has its own amount; the note has
    // neither amount nor a date better than its file's mtime.
    let review = e.ids("", Scope::NeedsReview);
    assert!(review.contains(&note), "{review:?}");
    assert!(review.contains(&carrier), "{review:?}");
    assert!(!review.contains(&receipt), "{review:?}");
    assert!(!review.contains(&invoice), "{review:?}");
    assert_eq!(e.vault.facets().unwrap().needs_review, review.len() as i64);
    assert!(e.vault.get(note).unwrap().summary.needs_review);
    assert!(!e.vault.get(receipt).unwrap().summary.needs_review);

    // An attachment without an amount is covered by its email's amount.
    e.sql(&format!(
        "UPDATE vouchers SET amount_minor = NULL, currency = NULL, amount_exp = NULL WHERE id = {invoice};
         UPDATE vouchers SET amount_minor = 9900, currency = 'EUR', amount_exp = 2 WHERE id = {carrier};"
    ));
    let review = e.ids("", Scope::NeedsReview);
    assert!(!review.contains(&invoice) && !review.contains(&carrier));

    // Low confidence in an extracted amount: review; the user's amount: no review.
    e.sql(&format!(
        "UPDATE vouchers SET amount_conf = 0.3 WHERE id = {receipt}"
    ));
    assert!(e.ids("", Scope::NeedsReview).contains(&receipt));
    assert!(e.ids("is:review", Scope::All).contains(&receipt));
    e.vault
        .edit(
            receipt,
            &Edit {
                amount: Some(Some(usd(1250))),
                ..Edit::default()
            },
        )
        .unwrap();
    assert!(!e.ids("", Scope::NeedsReview).contains(&receipt));

    // A person confirms the note as it is; undo puts it back.
    assert_eq!(e.vault.set_reviewed(&[note], true).unwrap(), 1);
    assert!(!e.ids("", Scope::NeedsReview).contains(&note));
    assert!(e.vault.get(note).unwrap().reviewed_at.is_some());
    assert_eq!(e.vault.set_reviewed(&[note], false).unwrap(), 1);
    assert!(e.ids("", Scope::NeedsReview).contains(&note));

    // While OCR is pending the voucher is not (yet) for review.
    e.sql(&format!(
        "UPDATE vouchers SET ocr_state = 'pending' WHERE id = {note}"
    ));
    assert!(!e.ids("", Scope::NeedsReview).contains(&note));
    // Unknown ids change nothing.
    assert_eq!(
        e.vault
            .set_reviewed(&[note, 9999], true)
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert!(e.vault.get(note).unwrap().reviewed_at.is_none());
}

#[test]
fn trash_hides_restores_and_empties_for_good() {
    let (mut e, receipt, carrier, invoice, note) = filled();
    let receipt_obj = e.vault.original_path(receipt).unwrap();
    assert_eq!(e.vault.trash(&[receipt, note]).unwrap(), 2);
    // Trashing twice changes nothing more.
    assert_eq!(e.vault.trash(&[receipt]).unwrap(), 0);
    assert_eq!(e.vault.count().unwrap(), 2);
    assert_eq!(e.ids("", Scope::All), vec![carrier, invoice]);
    assert!(e.ids("espresso", Scope::All).is_empty());
    assert!(e
        .vault
        .search("espresso", Order::Newest, 0, 10)
        .unwrap()
        .hits
        .is_empty());
    // The Trash lists them and can be searched.
    assert_eq!(e.ids("", Scope::Trash), vec![receipt, note]);
    assert_eq!(e.ids("espresso", Scope::Trash), vec![receipt]);
    assert_eq!(e.ids("is:trash espresso", Scope::All), vec![receipt]);
    let f = e.vault.facets().unwrap();
    assert_eq!((f.all, f.trash, f.emails, f.other), (2, 2, 1, 0));
    assert!(!e.ids("", Scope::NeedsReview).contains(&note));
    assert!(e.vault.get(note).unwrap().summary.deleted_at.is_some());

    // Undo.
    assert_eq!(e.vault.restore(&[note]).unwrap(), 1);
    assert_eq!(e.ids("", Scope::Trash), vec![receipt]);
    assert_eq!(e.ids("warranty", Scope::All), vec![note]);

    // Emptying deletes the rows and the original; everything else stays intact.
    assert!(receipt_obj.is_file());
    assert_eq!(e.vault.empty_trash().unwrap(), 1);
    assert!(!receipt_obj.exists());
    assert_eq!(e.vault.get(receipt).unwrap_err().code(), "not_found");
    assert_eq!(e.vault.facets().unwrap().trash, 0);
    assert_eq!(e.ids("", Scope::All), vec![carrier, invoice, note]);
    let report = e.vault.verify(&mut |_, _| {}).unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(e.vault.trash(&[424242]).unwrap_err().code(), "not_found");
    // The same bytes can be added again after the Trash was emptied.
    let again = e.add(
        "receipt-again.eml",
        &fixtures::eml(
            "Blue Bottle <hello@bluebottle.example>",
            "Your receipt",
            "Mon, 01 Sep 2025 08:00:00 -0700",
            "Espresso beans\nTotal: $12.50",
            &[],
        ),
    );
    assert!(e.vault.original_path(again.0).unwrap().is_file());
}

#[test]
fn trashed_email_keeps_its_attachment_links_until_emptied() {
    let (mut e, _, carrier, invoice, _) = filled();
    e.vault.trash(&[carrier]).unwrap();
    assert_eq!(e.vault.get(invoice).unwrap().in_emails, vec![carrier]);
    e.vault.empty_trash().unwrap();
    let inv = e.vault.get(invoice).unwrap();
    assert!(inv.in_emails.is_empty());
    assert_eq!(inv.summary.parent_id, None);
    assert!(e.vault.original_path(invoice).unwrap().is_file());
}

#[test]
fn search_pages_report_the_total() {
    let mut e = env();
    for i in 0..25 {
        e.add(
            &format!("n{i}.txt"),
            format!("parking ticket {i}").as_bytes(),
        );
    }
    e.add("other.txt", b"groceries");
    let page = |offset, limit| {
        e.vault
            .search_page(&SearchRequest {
                query: "parking".into(),
                scope: Scope::All,
                order: Order::Newest,
                offset,
                limit,
            })
            .unwrap()
    };
    let p = page(0, 10);
    assert_eq!((p.hits.len(), p.total), (10, 25));
    let p = page(20, 10);
    assert_eq!((p.hits.len(), p.total), (5, 25));
    let p = page(100, 10);
    assert_eq!((p.hits.len(), p.total), (0, 25));
    assert_eq!(
        e.vault
            .search_ids_in("parking", &Scope::Kind { kind: Kind::Other })
            .unwrap()
            .len(),
        25
    );
    let err = e
        .vault
        .search_page(&SearchRequest {
            query: "amount:lots".into(),
            ..SearchRequest::default()
        })
        .unwrap_err();
    assert_eq!(err.code(), "bad_query");
}

#[test]
fn saved_searches_are_kept_replaced_and_deleted() {
    let (mut e, ..) = filled();
    let s = e
        .vault
        .save_search("Coffee 2025", "espresso date:2025", &Scope::All)
        .unwrap();
    assert_eq!(s.query, "espresso date:2025");
    let t = e
        .vault
        .save_search("Taxes", "", &Scope::Tag { tag: "tax".into() })
        .unwrap();
    // Same name replaces.
    let s2 = e
        .vault
        .save_search(
            "Coffee 2025",
            "espresso",
            &Scope::Kind { kind: Kind::Email },
        )
        .unwrap();
    assert_eq!(s2.id, s.id);
    let saved = e.vault.facets().unwrap().saved;
    assert_eq!(saved.len(), 2);
    assert_eq!(saved[0].scope, Scope::Kind { kind: Kind::Email });
    assert_eq!(saved[1].scope, Scope::Tag { tag: "tax".into() });
    assert_eq!(
        e.vault
            .save_search("Broken", "amount:", &Scope::All)
            .unwrap_err()
            .code(),
        "bad_query"
    );
    assert_eq!(
        e.vault
            .save_search("  ", "x", &Scope::All)
            .unwrap_err()
            .code(),
        "invalid"
    );
    e.vault.delete_saved_search(t.id).unwrap();
    assert_eq!(e.vault.saved_searches().unwrap().len(), 1);
    assert_eq!(
        e.vault.delete_saved_search(t.id).unwrap_err().code(),
        "invalid"
    );
}

#[test]
fn scope_json_is_what_the_app_sends() {
    let cases = [
        (r#"{"type":"all"}"#, Scope::All),
        (
            r#"{"type":"kind","kind":"pdf"}"#,
            Scope::Kind { kind: Kind::Pdf },
        ),
        (r#"{"type":"needs_review"}"#, Scope::NeedsReview),
        (r#"{"type":"trash"}"#, Scope::Trash),
        (
            r#"{"type":"tag","tag":"tax"}"#,
            Scope::Tag { tag: "tax".into() },
        ),
    ];
    for (json, scope) in cases {
        assert_eq!(
            serde_json::from_str::<Scope>(json).unwrap(),
            scope,
            "{json}"
        );
        assert_eq!(serde_json::to_string(&scope).unwrap(), json);
    }
    let req: SearchRequest = serde_json::from_str(r#"{"query":"x"}"#).unwrap();
    assert_eq!((req.scope, req.offset, req.limit), (Scope::All, 0, 100));
}

#[test]
fn a_new_currency_drops_a_tax_stated_in_the_old_one() {
    let (mut e, receipt, ..) = filled();
    e.sql(&format!(
        "UPDATE vouchers SET tax_minor = 100 WHERE id = {receipt}"
    ));
    assert_eq!(e.vault.get(receipt).unwrap().tax, Some(usd(100)));
    e.vault
        .edit(
            receipt,
            &Edit {
                amount: Some(Some(usd(1300))),
                ..Edit::default()
            },
        )
        .unwrap();
    assert_eq!(e.vault.get(receipt).unwrap().tax, Some(usd(100)));
    let chf = Money {
        minor: 1300,
        currency: vault_core::Currency::parse("CHF").unwrap(),
    };
    e.vault
        .edit(
            receipt,
            &Edit {
                amount: Some(Some(chf)),
                ..Edit::default()
            },
        )
        .unwrap();
    assert_eq!(e.vault.get(receipt).unwrap().tax, None);
}

#[test]
fn disk_usage_counts_the_trash_until_it_is_emptied() {
    // The database's own size moves with its WAL; the originals dominate here.
    let mut e = env();
    let empty = e.vault.disk_usage().unwrap();
    let (a, _) = e.add("a.txt", &vec![b'a'; 2_000_000]);
    e.add("b.txt", &vec![b'b'; 1_000_000]);
    let full = e.vault.disk_usage().unwrap();
    assert!(full >= empty + 3_000_000, "{empty} -> {full}");
    e.vault.trash(&[a]).unwrap();
    let trashed = e.vault.disk_usage().unwrap();
    assert!(trashed >= full, "{full} -> {trashed}");
    e.vault.empty_trash().unwrap();
    let after = e.vault.disk_usage().unwrap();
    assert!(after + 1_500_000 <= trashed, "{trashed} -> {after}");
}

#[test]
fn exports_never_land_inside_the_vault_and_crafted_hashes_reach_nothing() {
    let (mut e, receipt, ..) = filled();
    // Writing a bundle or CSV over vault.db (or into objects/) is refused.
    for dest in [e.dir.join("vault.db"), e.dir.join("objects").join("x.zip")] {
        let err = e
            .vault
            .export_bundle(&[receipt], &dest, &mut |_, _| {})
            .unwrap_err();
        assert_eq!(err.code(), "invalid", "{dest:?}: {err}");
        assert_eq!(
            e.vault.check_export_destination(&dest).unwrap_err().code(),
            "invalid"
        );
    }
    assert!(e.vault.verify(&mut |_, _| {}).unwrap().ok());
    let elsewhere = e.input.join("bundle.zip");
    e.vault
        .export_bundle(&[receipt], &elsewhere, &mut |_, _| {})
        .unwrap();

    // A database whose hash column points outside the store serves nothing.
    let secret = e.input.join("secret.txt");
    fs::write(&secret, b"private").unwrap();
    let fake = format!("{:/<54}{}", "", "secret.txt"); // 64 characters, no hex
    assert_eq!(fake.len(), 64);
    e.sql(&format!(
        "UPDATE vouchers SET sha256 = '{fake}' WHERE id = {receipt}"
    ));
    assert!(e.vault.original_path(receipt).is_err());
    assert!(!e.vault.store().path(&fake).starts_with(&e.input));
    // A symlink in place of an object is not an object.
    let (other, _) = e.add("other.txt", b"other bytes");
    let obj = e.vault.original_path(other).unwrap();
    fs::remove_file(&obj).unwrap();
    std::os::unix::fs::symlink(&secret, &obj).unwrap();
    assert_eq!(e.vault.original_path(other).unwrap_err().code(), "bad_file");
}
