//! Bringing things in: `init` (create a vault) and `add` (files and folders, with its
//! per-file report and progress bar).

use crate::output::{fail, print_json, progress_bar, Exit};
use indicatif::ProgressStyle;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use vault_core::{Outcome, Vault};

pub fn init(dir: &Path, json: bool) -> Result<u8, Exit> {
    let (v, created) = Vault::init(dir).map_err(fail)?;
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

/// Exit code 3 when some files failed.
pub fn add(dir: &Path, json: bool, paths: &[PathBuf], no_thumbnails: bool) -> Result<u8, Exit> {
    let mut v = Vault::open_or_create(dir).map_err(fail)?;
    let pb = progress_bar(0, !json, "adding");
    let mut started = false;
    let report = v
        .add_paths(paths, &mut |ev| {
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
        print_report(&report);
    }
    Ok(if report.failed > 0 { 3 } else { 0 })
}

/// One line per file, then the totals.
fn print_report(report: &vault_core::AddReport) {
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
