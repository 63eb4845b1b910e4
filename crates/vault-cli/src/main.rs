//! `vault`: Receipt Vault from the terminal, for power users, scripts and tests.
//!
//! Exit codes: 0 success; 1 error; 2 bad usage or bad query; 3 `add` finished but some
//! files failed; 4 `verify` or `verify-bundle` found problems.

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use vault_core::{Currency, Edit, Money, Order, Outcome, Vault};

#[derive(Parser)]
#[command(
    name = "vault",
    version,
    about = "Receipt Vault: keep proof of what you paid",
    long_about = "Receipt Vault keeps payment confirmations, receipt emails, PDFs and screenshots \
as vouchers: the original bytes, named by their SHA-256, plus the payment facts, in one local \
vault you can search, verify and export as evidence.",
    after_help = "Exit codes: 0 success, 1 error, 2 bad usage or bad query, 3 some files could not be added, 4 verification found problems.\n\nThe vault is --vault DIR, else $RECEIPT_VAULT_DIR, else ~/.local/share/receipt-vault."
)]
struct Cli {
    /// Vault directory (default: $RECEIPT_VAULT_DIR, else ~/.local/share/receipt-vault)
    #[arg(long, global = true, value_name = "DIR")]
    vault: Option<PathBuf>,
    /// Print machine-readable JSON instead of text
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Create a vault (or check that one exists)
    Init,
    /// Add files and folders (recursively); duplicates are recognised, not stored twice
    Add {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Do not make thumbnails now
        #[arg(long)]
        no_thumbnails: bool,
    },
    /// List vouchers, newest payment first (those without a known payment date last)
    List {
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long, default_value_t = 0)]
        offset: i64,
        /// newest, oldest, amount, amount-asc, merchant, added (recently added first)
        #[arg(long, default_value = "newest")]
        order: String,
    },
    /// Search: words plus merchant:, tag:, kind:, currency:, after:, before:, date:, amount:
    #[command(
        after_help = "Examples:\n  vault search coffee\n  vault search 'merchant:amazon after:2026-10-01'\n  vault search 'amount:>=12.50 currency:EUR'\n  vault search 'kind:email tag:tax' --order relevance"
    )]
    Search {
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// newest, oldest, relevance, amount, amount-asc, merchant, added (recently added first)
        #[arg(long, default_value = "newest")]
        order: String,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long, default_value_t = 0)]
        offset: i64,
    },
    /// Show everything about one voucher
    Show { id: i64 },
    /// Correct a voucher's facts; what you set is kept over any re-extraction
    Edit {
        id: i64,
        #[arg(long)]
        merchant: Option<String>,
        /// Amount as a decimal ("49.99"), optionally with the currency ("49.99 EUR")
        #[arg(long)]
        amount: Option<String>,
        /// ISO 4217 code, e.g. EUR
        #[arg(long)]
        currency: Option<String>,
        /// Remove the amount
        #[arg(long, conflicts_with = "amount")]
        clear_amount: bool,
        /// When the payment happened: YYYY-MM-DD, "YYYY-MM-DD HH:MM" or RFC 3339
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        payment_method: Option<String>,
        #[arg(long)]
        order_ref: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        /// Add a tag (repeatable)
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Remove a tag (repeatable)
        #[arg(long = "untag")]
        untags: Vec<String>,
    },
    /// Export an evidence bundle (ZIP) or a CSV of vouchers
    #[command(
        after_help = "Check a bundle anywhere with: unzip bundle.zip -d b && cd b && sha256sum -c SHA256SUMS"
    )]
    Export {
        /// Voucher ids (or use --query)
        ids: Vec<i64>,
        /// Export what this search matches
        #[arg(long, short)]
        query: Option<String>,
        /// Export everything
        #[arg(long, conflicts_with_all = ["ids", "query"])]
        all: bool,
        /// Output file (bundle: .zip; with --csv: .csv, or - for standard output)
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Write a CSV (one row per voucher) instead of a bundle
        #[arg(long)]
        csv: bool,
    },
    /// Re-hash every original and check the database
    Verify,
    /// Put back missing or damaged originals from where they were added, when that file
    /// still holds the same bytes (checked by SHA-256)
    Repair {
        /// Voucher ids to repair
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        ids: Vec<i64>,
        /// Repair every missing or damaged original `vault verify` finds
        #[arg(long)]
        all: bool,
    },
    /// Check an exported bundle
    VerifyBundle { file: PathBuf },
    /// Make missing thumbnails
    Thumbnails,
    /// Extract payment facts again (all vouchers, or the given ids); your edits are kept
    Reextract { ids: Vec<i64> },
    /// Read the text of images and scanned PDFs waiting for OCR (Tesseract, on this machine)
    #[command(
        after_help = "Vouchers are queued for OCR when they are added; this reads the queue, oldest first.\nExit code 3 when some could not be read (the reason is shown and kept: `vault show ID`)."
    )]
    Ocr {
        /// Read at most this many vouchers
        #[arg(long)]
        limit: Option<usize>,
        /// Also retry vouchers whose OCR failed before
        #[arg(long)]
        retry_failed: bool,
    },
    /// Move vouchers to the Trash (`vault search is:trash` lists it)
    Trash {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Bring vouchers back from the Trash
    Restore {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Delete everything in the Trash for good, originals included
    EmptyTrash {
        /// Required: this cannot be undone
        #[arg(long)]
        yes: bool,
    },
    /// Mark vouchers as checked (they leave "Needs review": `vault search is:review`)
    Review {
        #[arg(required = true)]
        ids: Vec<i64>,
        /// Put them back in "Needs review"
        #[arg(long)]
        undo: bool,
    },
}

/// An error with the exit code it maps to.
struct Exit(u8, anyhow::Error);

fn main() -> ExitCode {
    // `vault list | head` must end quietly when the reader goes away, like other tools.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE at start-up, before any thread.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    vault_core::quiet_guarded_panics();
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(Exit(code, e)) => {
            let core = e.downcast_ref::<vault_core::Error>();
            if json {
                let v = serde_json::json!({"error": {
                    "code": core.map(|c| c.code()).unwrap_or("error"),
                    "message": format!("{e:#}"),
                }});
                println!("{v}");
            } else {
                eprintln!("vault: {e:#}");
            }
            ExitCode::from(code)
        }
    }
}

fn fail(e: impl Into<anyhow::Error>) -> Exit {
    let e = e.into();
    let code = match e.downcast_ref::<vault_core::Error>() {
        Some(vault_core::Error::BadQuery(_)) | Some(vault_core::Error::Invalid(_)) => 2,
        Some(vault_core::Error::BadBundle { .. }) => 4,
        _ => 1,
    };
    Exit(code, e)
}

fn vault_dir(cli: &Cli) -> Result<PathBuf, Exit> {
    match &cli.vault {
        Some(d) => Ok(d.clone()),
        None => vault_core::default_vault_dir().map_err(fail),
    }
}

fn print_json<T: Serialize>(v: &T) -> Result<(), Exit> {
    let s = serde_json::to_string_pretty(v).map_err(fail)?;
    println!("{s}");
    Ok(())
}

fn progress_bar(total: u64, enabled: bool, what: &str) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() || total < 2 {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(total);
    pb.set_style(
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} ({per_sec}, {eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.set_message(what.to_string());
    pb
}

fn run(cli: Cli) -> Result<u8, Exit> {
    let dir = vault_dir(&cli)?;
    let json = cli.json;
    match cli.cmd {
        Cmd::Init => {
            let (v, created) = Vault::init(&dir).map_err(fail)?;
            if json {
                print_json(&serde_json::json!({"vault": v.dir(), "created": created}))?;
            } else if created {
                println!("Created a new vault in {}", v.dir().display());
            } else {
                println!(
                    "{} is already a vault ({} vouchers)",
                    v.dir().display(),
                    v.count().map_err(fail)?
                );
            }
            Ok(0)
        }
        Cmd::Add {
            paths,
            no_thumbnails,
        } => {
            let mut v = Vault::open_or_create(&dir).map_err(fail)?;
            let pb = progress_bar(0, !json, "adding");
            let mut started = false;
            let report = v
                .add_paths(&paths, &mut |ev| {
                    if !started {
                        started = true;
                        if ev.total > 1 && !json && std::io::stderr().is_terminal() {
                            pb.set_length(ev.total as u64);
                            pb.set_style(
                                ProgressStyle::with_template(
                                    "adding {bar:40} {pos}/{len} ({per_sec}, {eta} left)",
                                )
                                .unwrap_or_else(|_| ProgressStyle::default_bar()),
                            );
                            pb.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                        }
                    }
                    pb.set_position(ev.done as u64);
                })
                .map_err(fail)?;
            pb.finish_and_clear();
            // The files are in the vault by now: a thumbnail problem is reported, not fatal.
            let thumbs = if no_thumbnails {
                0
            } else {
                match v.make_thumbnails() {
                    Ok(n) => n,
                    Err(e) => {
                        eprintln!("vault: thumbnails could not be made: {e}");
                        0
                    }
                }
            };
            if json {
                print_json(&serde_json::json!({
                    "added": report.added,
                    "unreadable": report.unreadable,
                    "duplicates": report.duplicates,
                    "failed": report.failed,
                    "thumbnails": thumbs,
                    "files": report.files,
                }))?;
            } else {
                let mut out = std::io::stdout().lock();
                for f in &report.files {
                    let p = f.path.display();
                    let _ = match &f.outcome {
                        Outcome::Added { id, attachments } if attachments.is_empty() => {
                            writeln!(out, "added      {p} as voucher {id}")
                        }
                        Outcome::Added { id, attachments } => writeln!(
                            out,
                            "added      {p} as voucher {id} (+{} attachments: {})",
                            attachments.len(),
                            attachments
                                .iter()
                                .map(|a| a.to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Outcome::Unreadable { id, reason, .. } => writeln!(
                            out,
                            "warning    {p}: kept as voucher {id}, but its content could not be read: {reason}"
                        ),
                        Outcome::Duplicate { id } => {
                            writeln!(out, "duplicate  {p}: already in the vault as voucher {id}")
                        }
                        Outcome::Failed { reason, .. } if reason.contains(&*p.to_string()) => {
                            writeln!(out, "FAILED     {reason}")
                        }
                        Outcome::Failed { reason, .. } => writeln!(out, "FAILED     {p}: {reason}"),
                    };
                }
                let unreadable = if report.unreadable > 0 {
                    format!(" ({} unreadable)", report.unreadable)
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "\n{} added{unreadable}, {} already in the vault, {} failed",
                    report.added, report.duplicates, report.failed
                );
            }
            Ok(if report.failed > 0 { 3 } else { 0 })
        }
        Cmd::Trash { ids } => changed(&dir, json, "moved to the Trash", |v| v.trash(&ids)),
        Cmd::Restore { ids } => changed(&dir, json, "restored", |v| v.restore(&ids)),
        Cmd::Review { ids, undo } => changed(
            &dir,
            json,
            if undo {
                "back in Needs review"
            } else {
                "marked as reviewed"
            },
            |v| v.set_reviewed(&ids, !undo),
        ),
        Cmd::EmptyTrash { yes } => {
            if !yes {
                return Err(Exit(
                    2,
                    anyhow!("emptying the Trash deletes its originals for good; add --yes"),
                ));
            }
            changed(&dir, json, "deleted for good", |v| v.empty_trash())
        }
        Cmd::List {
            limit,
            offset,
            order,
        } => {
            let v = Vault::open(&dir).map_err(fail)?;
            let items = match parse_order(&order)? {
                Order::Newest => v.list(offset, limit).map_err(fail)?,
                order => v
                    .search("", order, offset, limit)
                    .map_err(fail)?
                    .hits
                    .into_iter()
                    .map(|h| h.voucher)
                    .collect(),
            };
            if json {
                print_json(&items)?;
            } else {
                print_table(items.iter(), None);
                println!("({} of {} vouchers)", items.len(), v.count().map_err(fail)?);
            }
            Ok(0)
        }
        Cmd::Search {
            query,
            order,
            limit,
            offset,
        } => {
            let v = Vault::open(&dir).map_err(fail)?;
            let order = parse_order(&order)?;
            let q = query.join(" ");
            let res = v.search(&q, order, offset, limit).map_err(fail)?;
            if json {
                print_json(&res)?;
            } else {
                for h in &res.hits {
                    print_table(std::iter::once(&h.voucher), h.snippet.as_deref());
                }
                if res.hits.is_empty() {
                    println!("no vouchers match");
                } else if res.more {
                    println!("(more: use --offset {})", offset.saturating_add(limit));
                }
            }
            Ok(0)
        }
        Cmd::Show { id } => {
            let v = Vault::open(&dir).map_err(fail)?;
            let item = v.get(id).map_err(fail)?;
            if json {
                print_json(&item)?;
            } else {
                print_voucher(&item, &v);
            }
            Ok(0)
        }
        Cmd::Edit {
            id,
            merchant,
            amount,
            currency,
            clear_amount,
            date,
            payment_method,
            order_ref,
            title,
            notes,
            tags,
            untags,
        } => {
            let mut v = Vault::open(&dir).map_err(fail)?;
            let current = v.get(id).map_err(fail)?;
            let amount = if clear_amount {
                Some(None)
            } else if amount.is_some() || currency.is_some() {
                Some(Some(
                    parse_money(
                        amount.as_deref(),
                        currency.as_deref(),
                        current.summary.amount,
                    )
                    .map_err(|e| Exit(2, e))?,
                ))
            } else {
                None
            };
            let opt =
                |s: Option<String>| s.map(|s| if s.trim().is_empty() { None } else { Some(s) });
            let edit = Edit {
                title,
                merchant: opt(merchant),
                amount,
                payment_method: opt(payment_method),
                order_ref: opt(order_ref),
                occurred_at: date,
                notes,
                tags: None,
                add_tags: tags,
                remove_tags: untags,
            };
            let updated = v.edit(id, &edit).map_err(fail)?;
            if json {
                print_json(&updated)?;
            } else {
                print_voucher(&updated, &v);
            }
            Ok(0)
        }
        Cmd::Export {
            ids,
            query,
            all,
            output,
            csv,
        } => {
            let v = Vault::open(&dir).map_err(fail)?;
            let ids = if all {
                v.search_ids("").map_err(fail)?
            } else if let Some(q) = &query {
                let mut found = v.search_ids(q).map_err(fail)?;
                found.extend(ids);
                found
            } else {
                ids
            };
            if ids.is_empty() {
                return Err(Exit(
                    2,
                    anyhow!("nothing to export: give voucher ids, --query or --all"),
                ));
            }
            if csv {
                match output.as_deref() {
                    None => {
                        let n = v
                            .export_csv(&ids, &mut std::io::stdout().lock())
                            .map_err(fail)?;
                        eprintln!("{n} vouchers written");
                    }
                    Some(p) if p.as_os_str() == "-" => {
                        v.export_csv(&ids, &mut std::io::stdout().lock())
                            .map_err(fail)?;
                    }
                    Some(p) => {
                        v.check_export_destination(p).map_err(fail)?;
                        let mut f = std::fs::File::create(p)
                            .with_context(|| format!("{}", p.display()))
                            .map_err(fail)?;
                        let n = v.export_csv(&ids, &mut f).map_err(fail)?;
                        if json {
                            print_json(&serde_json::json!({"path": p, "vouchers": n}))?;
                        } else {
                            println!("Wrote {n} vouchers to {}", p.display());
                        }
                    }
                }
                return Ok(0);
            }
            let out = output.unwrap_or_else(|| {
                PathBuf::from(format!("receipt-vault-evidence-{}.zip", chrono_like_now()))
            });
            let pb = progress_bar(ids.len() as u64, !json, "exporting");
            let summary = v
                .export_bundle(&ids, &out, &mut |done, _| pb.set_position(done as u64))
                .map_err(fail)?;
            pb.finish_and_clear();
            if json {
                print_json(&summary)?;
            } else {
                let files = if summary.files != summary.vouchers {
                    format!("{} files, ", summary.files)
                } else {
                    String::new()
                };
                println!(
                    "Wrote {} vouchers ({files}{} bytes of originals) to {}\nCheck it with: unzip {} -d bundle && cd bundle && sha256sum -c SHA256SUMS",
                    summary.vouchers,
                    summary.bytes,
                    summary.path.display(),
                    summary.path.display()
                );
            }
            Ok(0)
        }
        Cmd::Verify => {
            let v = Vault::open(&dir).map_err(fail)?;
            let total = v.count().map_err(fail)? as u64;
            let pb = progress_bar(total, !json, "verifying");
            let report = v
                .verify(&mut |done, _| pb.set_position(done as u64))
                .map_err(fail)?;
            pb.finish_and_clear();
            let ok = report.ok();
            if json {
                print_json(&serde_json::json!({"ok": ok, "report": report}))?;
            } else {
                for p in &report.problems {
                    println!(
                        "{:<10} {}",
                        format!("{:?}", p.kind).to_uppercase(),
                        p.detail
                    );
                }
                let repairable = report.problems.iter().filter(|p| p.repairable).count();
                if repairable > 0 {
                    println!(
                        "{repairable} can be repaired from where they were added: vault repair --all"
                    );
                }
                if report.checked == 0 && report.problems.is_empty() && total == 0 {
                    println!("The vault is empty: nothing to check");
                } else {
                    println!(
                        "{} objects checked ({} bytes): {}",
                        report.checked,
                        report.bytes,
                        if ok { "OK" } else { "PROBLEMS FOUND" }
                    );
                }
            }
            Ok(if ok { 0 } else { 4 })
        }
        Cmd::Repair { ids, all } => {
            let v = Vault::open(&dir).map_err(fail)?;
            let ids = if all {
                let report = v.verify(&mut |_, _| {}).map_err(fail)?;
                let mut ids: Vec<i64> = report
                    .problems
                    .iter()
                    .filter(|p| {
                        matches!(
                            p.kind,
                            vault_core::ProblemKind::Missing | vault_core::ProblemKind::Corrupted
                        )
                    })
                    .filter_map(|p| p.voucher_id)
                    .collect();
                ids.dedup();
                ids
            } else {
                ids
            };
            let mut outcomes = Vec::new();
            let mut not_repaired = 0;
            for id in &ids {
                let o = v.repair(*id).map_err(fail)?;
                // Still damaged after the attempt: nothing held the same bytes.
                if !o.repaired && !v.verify_voucher(*id).map_err(fail)?.ok() {
                    not_repaired += 1;
                }
                outcomes.push((*id, o));
            }
            if json {
                let list: Vec<_> = outcomes
                    .iter()
                    .map(|(id, o)| serde_json::json!({"id": id, "outcome": o}))
                    .collect();
                print_json(&serde_json::json!({"repairs": list}))?;
            } else {
                for (_, o) in &outcomes {
                    println!("{}", o.message);
                }
                if outcomes.is_empty() {
                    println!("Nothing to repair: every original is intact");
                }
            }
            Ok(if not_repaired > 0 { 4 } else { 0 })
        }
        Cmd::VerifyBundle { file } => {
            let report = vault_core::verify_bundle(&file).map_err(fail)?;
            if json {
                print_json(&serde_json::json!({"ok": report.ok(), "report": report}))?;
            } else {
                for p in &report.problems {
                    println!("{p}");
                }
                println!(
                    "{}: {} files checked: {}",
                    file.display(),
                    report.checked,
                    if report.ok() { "OK" } else { "PROBLEMS FOUND" }
                );
            }
            Ok(if report.ok() { 0 } else { 4 })
        }
        Cmd::Reextract { ids } => {
            let mut v = Vault::open(&dir).map_err(fail)?;
            let n = v
                .reextract(if ids.is_empty() { None } else { Some(&ids) })
                .map_err(fail)?;
            if json {
                print_json(&serde_json::json!({"vouchers": n}))?;
            } else {
                println!("{n} vouchers re-read");
            }
            Ok(0)
        }
        Cmd::Ocr {
            limit,
            retry_failed,
        } => {
            let mut v = Vault::open(&dir).map_err(fail)?;
            let run = vault_core::ocr::OcrRun {
                retry_failed,
                ..Default::default()
            };
            let mut pb: Option<ProgressBar> = None;
            let mut failures: Vec<(i64, String)> = Vec::new();
            let report = v
                .ocr_run(&run, limit.unwrap_or(usize::MAX), &mut |e| {
                    let bar = pb.get_or_insert_with(|| progress_bar(e.total as u64, !json, "OCR"));
                    bar.set_position(e.done as u64);
                    if let Some(err) = e.error {
                        failures.push((e.id, err));
                    }
                })
                .map_err(fail)?;
            if let Some(bar) = pb {
                bar.finish_and_clear();
            }
            if json {
                print_json(&report)?;
            } else {
                for (id, err) in &failures {
                    println!("FAILED  #{id}: {err}");
                }
                if let Some(reason) = &report.unavailable_reason {
                    println!("OCR unavailable: {reason}");
                }
                println!(
                    "{} read, {} failed, {} unavailable; {} still waiting",
                    report.done, report.failed, report.unavailable, report.remaining
                );
            }
            Ok(if report.failed + report.unavailable > 0 {
                3
            } else {
                0
            })
        }
        Cmd::Thumbnails => {
            let mut v = Vault::open(&dir).map_err(fail)?;
            let n = v.make_thumbnails().map_err(fail)?;
            if json {
                print_json(&serde_json::json!({"thumbnails": n}))?;
            } else {
                println!("{n} thumbnails made");
            }
            Ok(0)
        }
    }
}

fn parse_order(order: &str) -> Result<Order, Exit> {
    Order::parse(order).ok_or_else(|| {
        Exit(
            2,
            anyhow!("--order {order}: use newest, oldest, relevance, amount, amount-asc, merchant or added"),
        )
    })
}

fn chrono_like_now() -> String {
    chrono::Local::now().format("%Y-%m-%d_%H%M%S").to_string()
}

/// "49.99", "49.99 EUR", "EUR 49.99" with an optional separate --currency.
fn parse_money(
    amount: Option<&str>,
    currency: Option<&str>,
    current: Option<Money>,
) -> Result<Money> {
    let mut cur = currency.map(|c| {
        Currency::parse(c)
            .ok_or_else(|| anyhow!("{c:?} is not an ISO 4217 currency code such as EUR or USD"))
    });
    let mut number = None;
    if let Some(a) = amount {
        for part in a.split_whitespace() {
            if part.chars().all(|c| c.is_ascii_alphabetic()) {
                if cur.is_none() {
                    cur = Some(Currency::parse(part).ok_or_else(|| {
                        anyhow!("{part:?} is not an ISO 4217 currency code such as EUR or USD")
                    }));
                }
            } else {
                number = Some(part.to_string());
            }
        }
    }
    if cur.is_some() && number.is_none() && current.is_some() {
        bail!("give the amount in the new currency too, e.g. --amount \"3000 JPY\"");
    }
    let cur = match cur {
        Some(c) => c?,
        None => match current {
            Some(m) => m.currency,
            None => bail!("give the currency too, e.g. --amount \"49.99 EUR\" or --currency EUR"),
        },
    };
    let minor = match number {
        Some(n) => {
            let n = n.replace(',', ".");
            vault_core::money::parse_amount(&n, cur).ok_or_else(|| {
                anyhow!(
                    "{n:?} is not an amount in {cur} (use digits with at most {} decimals)",
                    cur.exponent()
                )
            })?
        }
        None => match current {
            Some(m) => m.minor,
            None => bail!("give the amount too, e.g. --amount 49.99"),
        },
    };
    Ok(Money {
        minor,
        currency: cur,
    })
}

fn trunc(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn print_table<'a>(
    items: impl Iterator<Item = &'a vault_core::VoucherSummary>,
    snippet: Option<&str>,
) {
    for s in items {
        println!(
            "{:>6}  {}  {:<6} {:<22} {:>16}  {}",
            s.id,
            s.occurred_at.get(..10).unwrap_or(""),
            s.kind.as_str(),
            trunc(s.merchant.as_deref().unwrap_or("-"), 22),
            s.amount_display.as_deref().unwrap_or("-"),
            trunc(&s.title, 50)
        );
        if let Some(sn) = snippet {
            println!("        {}", trunc(sn, 200));
        }
    }
}

/// Run a change over some vouchers and say how many changed.
fn changed(
    dir: &std::path::Path,
    json: bool,
    what: &str,
    f: impl FnOnce(&mut Vault) -> vault_core::Result<usize>,
) -> Result<u8, Exit> {
    let mut v = Vault::open(dir).map_err(fail)?;
    let n = f(&mut v).map_err(fail)?;
    if json {
        print_json(&serde_json::json!({ "changed": n }))?;
    } else {
        println!("{n} {} {what}", if n == 1 { "voucher" } else { "vouchers" });
    }
    Ok(0)
}

fn print_voucher(v: &vault_core::Voucher, vault: &Vault) {
    let s = &v.summary;
    let c = &v.confidence;
    let origin = |o: vault_core::Origin, conf: Option<f64>| match (o, conf) {
        (vault_core::Origin::User, _) => " (yours)".to_string(),
        (vault_core::Origin::Extracted, Some(c)) => format!(" ({:.0} % sure)", c * 100.0),
        (vault_core::Origin::Extracted, None) => String::new(),
    };
    println!("Voucher {}: {}", s.id, s.title);
    println!("  kind          {} ({})", s.kind.as_str(), s.media_type);
    match s.occurred_source {
        vault_core::DateSource::FileMtime => println!(
            "  date          none known (the file was last changed {})",
            s.occurred_at
        ),
        vault_core::DateSource::Added => {
            println!("  date          none known (added {})", s.occurred_at)
        }
        source => println!(
            "  date          {} (from {})",
            s.occurred_at,
            source.as_str()
        ),
    }
    match &v.merchant_fact {
        Some(f) => println!(
            "  merchant      {}{}",
            f.value,
            origin(f.origin, c.merchant)
        ),
        None => println!("  merchant      -"),
    }
    match &v.amount_fact {
        Some(f) => println!(
            "  amount        {}{}",
            f.value.display(),
            origin(f.origin, c.amount)
        ),
        None => println!("  amount        -"),
    }
    if let Some(f) = &v.payment_method {
        println!(
            "  paid with     {}{}",
            f.value,
            origin(f.origin, c.payment_method)
        );
    }
    if let Some(f) = &v.order_ref {
        println!(
            "  order/ref     {}{}",
            f.value,
            origin(f.origin, c.order_ref)
        );
    }
    if let Some(t) = &v.tax {
        println!("  tax           {}", t.display());
    }
    if s.needs_review {
        println!("  review        needs review (missing or uncertain amount or date)");
    } else if let Some(r) = &v.reviewed_at {
        println!("  review        reviewed {r}");
    }
    match (s.ocr_state, &v.ocr_error) {
        (vault_core::OcrState::None, _) => {}
        (state, Some(e)) => println!("  ocr           {}: {e}", state.as_str()),
        (state, None) => println!("  ocr           {}", state.as_str()),
    }
    if let Some(d) = &s.deleted_at {
        println!("  in the Trash  since {d}");
    }
    if !s.tags.is_empty() {
        println!("  tags          {}", s.tags.join(", "));
    }
    if !v.notes.is_empty() {
        println!("  notes         {}", v.notes);
    }
    println!("  file          {} ({} bytes)", s.original_name, s.size);
    println!("  sha256        {}", s.sha256);
    println!(
        "  stored at     {}",
        vault.store().path(&s.sha256).display()
    );
    println!("  added         {}", s.added_at);
    for src in &v.sources {
        println!("  from          {}", src.path);
    }
    if let (Some(w), Some(h)) = (v.width, v.height) {
        println!("  size          {w}×{h} px");
    }
    if let Some(e) = &v.email {
        println!("  email from    {}", e.from);
        println!("  email to      {}", e.to);
        println!("  subject       {}", e.subject);
    }
    if let Some(p) = s.parent_id {
        println!("  attached to   voucher {p}");
    }
    if !v.attachments.is_empty() {
        println!(
            "  attachments   {}",
            v.attachments
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for w in &v.warnings {
        println!("  note          {w}");
    }
    if !v.text.is_empty() {
        println!("\n{}", trunc(&v.text, 2000));
    }
    if !v.ocr_text.is_empty() {
        println!("\n[OCR]\n{}", trunc(&v.ocr_text, 2000));
    }
}
