//! Work done on what is already in the vault: `ocr` (reading the text of images and scanned
//! PDFs from the queue), `thumbnails` and `reextract`.

use crate::output::{fail, print_json, progress_bar, Exit};
use indicatif::ProgressBar;
use std::path::Path;
use vault_core::Vault;

/// Exit code 3 when some could not be read, or OCR is unavailable.
pub fn ocr(dir: &Path, json: bool, limit: Option<usize>, retry_failed: bool) -> Result<u8, Exit> {
    let mut v = Vault::open(dir).map_err(fail)?;
    let run = vault_core::capture::ocr::OcrRun {
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

pub fn thumbnails(dir: &Path, json: bool) -> Result<u8, Exit> {
    let mut v = Vault::open(dir).map_err(fail)?;
    let n = v.make_thumbnails().map_err(fail)?;
    if json {
        print_json(&serde_json::json!({"thumbnails": n}))?;
    } else {
        println!("{n} thumbnails made");
    }
    Ok(0)
}

/// All vouchers without ids.
pub fn reextract(dir: &Path, json: bool, ids: &[i64]) -> Result<u8, Exit> {
    let mut v = Vault::open(dir).map_err(fail)?;
    let n = v
        .reextract(if ids.is_empty() { None } else { Some(ids) })
        .map_err(fail)?;
    if json {
        print_json(&serde_json::json!({"vouchers": n}))?;
    } else {
        println!("{n} vouchers re-read");
    }
    Ok(0)
}
