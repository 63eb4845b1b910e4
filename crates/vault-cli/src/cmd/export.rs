//! Evidence out of the vault: `export` (a ZIP bundle, or a CSV) and `verify-bundle`, which
//! checks such a bundle anywhere, without a vault.

use crate::output::{fail, print_json, progress_bar, Exit};
use anyhow::{anyhow, Context};
use std::path::{Path, PathBuf};
use vault_core::Vault;

pub fn export(
    dir: &Path,
    json: bool,
    ids: Vec<i64>,
    query: Option<String>,
    all: bool,
    output: Option<PathBuf>,
    csv: bool,
) -> Result<u8, Exit> {
    let v = Vault::open(dir).map_err(fail)?;
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
        export_csv(&v, json, &ids, output.as_deref())
    } else {
        export_bundle(&v, json, &ids, output)
    }
}

/// To standard output (without a file, or with `-`), or to a file.
fn export_csv(v: &Vault, json: bool, ids: &[i64], output: Option<&Path>) -> Result<u8, Exit> {
    match output {
        None => {
            let n = v
                .export_csv(ids, &mut std::io::stdout().lock())
                .map_err(fail)?;
            eprintln!("{n} vouchers written");
        }
        Some(p) if p.as_os_str() == "-" => {
            v.export_csv(ids, &mut std::io::stdout().lock())
                .map_err(fail)?;
        }
        Some(p) => {
            v.check_export_destination(p).map_err(fail)?;
            let mut f = std::fs::File::create(p)
                .with_context(|| format!("{}", p.display()))
                .map_err(fail)?;
            let n = v.export_csv(ids, &mut f).map_err(fail)?;
            if json {
                print_json(&serde_json::json!({"path": p, "vouchers": n}))?;
            } else {
                println!("Wrote {n} vouchers to {}", p.display());
            }
        }
    }
    Ok(0)
}

/// Without `--output`, a dated file name in the current directory.
fn export_bundle(v: &Vault, json: bool, ids: &[i64], output: Option<PathBuf>) -> Result<u8, Exit> {
    let out = output.unwrap_or_else(|| {
        PathBuf::from(format!("receipt-vault-evidence-{}.zip", chrono_like_now()))
    });
    let pb = progress_bar(ids.len() as u64, !json, "exporting");
    let summary = v
        .export_bundle(ids, &out, &mut |done, _| pb.set_position(done as u64))
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

/// Exit code 4 when the bundle has problems.
pub fn verify_bundle(json: bool, file: &Path) -> Result<u8, Exit> {
    let report = vault_core::verify_bundle(file).map_err(fail)?;
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

fn chrono_like_now() -> String {
    chrono::Local::now().format("%Y-%m-%d_%H%M%S").to_string()
}
