//! `vault`: Receipt Vault from the terminal, for power users, scripts and tests.
//!
//! Exit codes: 0 success; 1 error; 2 bad usage or bad query; 3 `add` finished but some
//! files failed; 4 `verify` or `verify-bundle` found problems.
//!
//! This file only parses the command line and hands each command to its module in `cmd/`;
//! what the commands share (errors with exit codes, JSON, progress bars) is in `output`.

mod cmd;
mod output;

use clap::{Parser, Subcommand};
use cmd::{add, edit, export, ocr, search, settings, verify};
use output::{fail, Exit};
use std::path::PathBuf;
use std::process::ExitCode;

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
        #[command(flatten)]
        args: edit::EditArgs,
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
    /// Show or change the vault's settings
    #[command(
        after_help = "The default currency is what a receipt's total is taken to be in when the receipt\nnames no currency and nothing on it tells its country; such totals go to Needs review."
    )]
    Settings {
        /// Default currency (ISO 4217 code, e.g. MYR), or "auto" for the system locale's
        #[arg(long)]
        currency: Option<String>,
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

fn vault_dir(cli: &Cli) -> Result<PathBuf, Exit> {
    match &cli.vault {
        Some(d) => Ok(d.clone()),
        None => vault_core::default_vault_dir().map_err(fail),
    }
}

/// Hand the command to its module. The vault directory is settled first, for every command.
fn run(cli: Cli) -> Result<u8, Exit> {
    let dir = vault_dir(&cli)?;
    let json = cli.json;
    match cli.cmd {
        Cmd::Init => add::init(&dir, json),
        Cmd::Add {
            paths,
            no_thumbnails,
        } => add::add(&dir, json, &paths, no_thumbnails),
        Cmd::List {
            limit,
            offset,
            order,
        } => search::list(&dir, json, limit, offset, &order),
        Cmd::Search {
            query,
            order,
            limit,
            offset,
        } => search::search(&dir, json, &query, &order, limit, offset),
        Cmd::Show { id } => search::show(&dir, json, id),
        Cmd::Edit { id, args } => edit::edit(&dir, json, id, args),
        Cmd::Review { ids, undo } => edit::review(&dir, json, &ids, undo),
        Cmd::Trash { ids } => edit::trash(&dir, json, &ids),
        Cmd::Restore { ids } => edit::restore(&dir, json, &ids),
        Cmd::EmptyTrash { yes } => edit::empty_trash(&dir, json, yes),
        Cmd::Export {
            ids,
            query,
            all,
            output,
            csv,
        } => export::export(&dir, json, ids, query, all, output, csv),
        Cmd::VerifyBundle { file } => export::verify_bundle(json, &file),
        Cmd::Verify => verify::verify(&dir, json),
        Cmd::Repair { ids, all } => verify::repair(&dir, json, ids, all),
        Cmd::Ocr {
            limit,
            retry_failed,
        } => ocr::ocr(&dir, json, limit, retry_failed),
        Cmd::Thumbnails => ocr::thumbnails(&dir, json),
        Cmd::Reextract { ids } => ocr::reextract(&dir, json, &ids),
        Cmd::Settings { currency } => settings::settings(&dir, json, currency),
    }
}
