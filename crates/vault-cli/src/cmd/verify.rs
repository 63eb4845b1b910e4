//! The vault's own integrity: `verify` re-hashes every original and checks the database;
//! `repair` puts back missing or damaged originals from where they were added.

use crate::output::{fail, print_json, progress_bar, Exit};
use std::path::Path;
use vault_core::Vault;

/// Exit code 4 when problems were found.
pub fn verify(dir: &Path, json: bool) -> Result<u8, Exit> {
    let v = Vault::open(dir).map_err(fail)?;
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
            println!("{repairable} can be repaired from where they were added: vault repair --all");
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

/// The given ids, or with `all` every voucher `verify` finds missing or damaged. Exit code
/// 4 when some are still damaged after the attempt.
pub fn repair(dir: &Path, json: bool, ids: Vec<i64>, all: bool) -> Result<u8, Exit> {
    let v = Vault::open(dir).map_err(fail)?;
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
