//! Figures 1, 3 and 5: adding a large file into a vault against raw SHA-256 (in memory
//! and on disk), a second large file against the disk's write rate, and verifying the
//! vault against raw SHA-256.

use super::{added_id, best, close, disk_write, phase_dir, secs, sha2_file, sync_all};
use crate::gen::{self, BIN_HEADER};
use crate::report::{mb_per_s, mib, Report, Status};
use crate::Scale;
use anyhow::{ensure, Result};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use vault_core::Vault;

/// Every timing is the best of this many runs (all printed).
const REPS: usize = 2;

/// Raw SHA-256 of the first large file: the baseline of the three figures.
struct Baseline {
    /// The file's SHA-256, which the vault must compute too.
    expected: String,
    bytes: u64,
    /// MB/s of the best run.
    rate: f64,
}

/// Figures 1, 3 and 5: ingest and verification of large files against raw SHA-256 and
/// the disk's write rate. Every timing is the best of `REPS` runs (all printed); nothing
/// is deleted until the phase ends, since deleting gigabytes on a file system mounted
/// with `discard` slows the fsyncs that follow.
pub fn large_files(root: &Path, s: &Scale, report: &mut Report) -> Result<()> {
    println!(
        "\n== Figures 1, 3, 5: large files ({:.0} MiB each, best of {REPS} runs) ==",
        mib(s.large)
    );
    let dir = phase_dir(root, "large-")?;
    let f1 = dir.path().join("large-1.bin");
    let f2 = dir.path().join("large-2.bin");
    gen::write_random_file(&f1, s.large, 1, BIN_HEADER)?;
    gen::write_random_file(&f2, s.large, 2, BIN_HEADER)?;
    sync_all();

    let sha = raw_sha2(&f1)?;
    let mut vaults = figure_1(dir.path(), &f1, s, &sha, report)?;
    figure_3(dir.path(), &f2, s, &sha, &mut vaults, report)?;
    figure_5(&vaults[0], &sha, report)?;
    drop(vaults);
    close(dir)
}

/// Baseline: raw sha2, page cache warm (one untimed pass first).
fn raw_sha2(f1: &Path) -> Result<Baseline> {
    let (expected, bytes) = sha2_file(f1)?;
    let mut sha_times = Vec::new();
    for _ in 0..REPS {
        let t = Instant::now();
        let (h, _) = sha2_file(f1)?;
        sha_times.push(t.elapsed());
        ensure!(h == expected, "sha2 of the same file changed between runs");
    }
    let rate = mb_per_s(bytes, best(&sha_times));
    println!(
        "raw sha2 (1 MiB buffer, warm cache) of {:.0} MiB: {} -> {rate:.0} MB/s",
        mib(bytes),
        secs(&sha_times)
    );
    Ok(Baseline {
        expected,
        bytes,
        rate,
    })
}

/// Figure 1: the file into a fresh vault, once per vault. The figure is about the cost
/// of hashing inside ingest (one streaming pass that hashes while it copies), so the
/// judged run puts the vault on a memory file system (/dev/shm), where the disk's write
/// rate does not hide it; the same add onto the disk is printed too (figure 3 judges
/// that one against the disk's rate). Returns the vaults on disk, for figures 3 and 5.
fn figure_1(
    dir: &Path,
    f1: &Path,
    s: &Scale,
    sha: &Baseline,
    report: &mut Report,
) -> Result<Vec<Vault>> {
    let shm_times = add_on_shm(f1, s, sha)?;
    let (vaults, add1_times) = add_on_disk(dir, f1, sha)?;
    let add_rate = mb_per_s(sha.bytes, best(&add1_times));
    println!(
        "add_paths into a fresh vault on disk: {} -> {add_rate:.0} MB/s",
        secs(&add1_times)
    );
    let (judged, place) = if shm_times.is_empty() {
        (add_rate, "disk")
    } else {
        let r = mb_per_s(sha.bytes, best(&shm_times));
        println!(
            "add_paths into a fresh vault on /dev/shm: {} -> {r:.0} MB/s",
            secs(&shm_times)
        );
        (r, "vault in /dev/shm")
    };
    let sha_rate = sha.rate;
    let ratio1 = judged / sha_rate;
    report.add(
        "1 ingest hashing vs raw sha2",
        format!(
            "{ratio1:.2}× ({judged:.0} vs {sha_rate:.0} MB/s, {place}; on disk {add_rate:.0} MB/s)"
        ),
        "≥ 0.80×",
        Status::judge(ratio1 >= 0.8),
    );
    Ok(vaults)
}

/// The times of adding `f1` into fresh vaults on /dev/shm; none when it has no room.
fn add_on_shm(f1: &Path, s: &Scale, sha: &Baseline) -> Result<Vec<Duration>> {
    let f1: PathBuf = f1.to_path_buf();
    let shm = Path::new("/dev/shm");
    let shm_dir = if shm.is_dir() && crate::free_bytes(shm).unwrap_or(0) > 3 * s.large {
        Some(
            tempfile::Builder::new()
                .prefix("vault-bench-shm-")
                .tempdir_in(shm)?,
        )
    } else {
        println!("(no /dev/shm with room: figure 1 measured on disk)");
        None
    };
    let mut shm_times = Vec::new();
    if let Some(d) = &shm_dir {
        for r in 0..REPS {
            let mut vault = Vault::open_or_create(&d.path().join(format!("vault-{r}")))?;
            let t = Instant::now();
            let added = vault.add_paths(std::slice::from_ref(&f1), &mut |_| {})?;
            shm_times.push(t.elapsed());
            let id = added_id(&added, "the large file")?;
            ensure!(
                vault.summary(id)?.sha256 == sha.expected,
                "the vault's SHA-256 of the large file differs from sha2's"
            );
        }
    }
    drop(shm_dir);
    Ok(shm_times)
}

/// Add `f1` into `REPS` fresh vaults in `dir`: the vaults and the times.
fn add_on_disk(dir: &Path, f1: &Path, sha: &Baseline) -> Result<(Vec<Vault>, Vec<Duration>)> {
    let f1: PathBuf = f1.to_path_buf();
    let mut vaults = Vec::new();
    let mut add1_times = Vec::new();
    for r in 0..REPS {
        let mut vault = Vault::open_or_create(&dir.join(format!("vault-{r}")))?;
        sync_all();
        let t = Instant::now();
        let added = vault.add_paths(std::slice::from_ref(&f1), &mut |_| {})?;
        add1_times.push(t.elapsed());
        let id = added_id(&added, "the large file")?;
        ensure!(
            vault.summary(id)?.sha256 == sha.expected,
            "the vault's SHA-256 of the large file differs from sha2's"
        );
        vaults.push(vault);
    }
    Ok((vaults, add1_times))
}

/// Figure 3: the disk's write rate, then a second large file (other content) into
/// each vault.
fn figure_3(
    dir: &Path,
    f2: &Path,
    s: &Scale,
    sha: &Baseline,
    vaults: &mut [Vault],
    report: &mut Report,
) -> Result<()> {
    let f2: PathBuf = f2.to_path_buf();
    let mut disk_times = Vec::new();
    for r in 0..REPS {
        sync_all();
        disk_times.push(disk_write(
            &dir.join(format!("disk-probe-{r}.bin")),
            s.large,
        )?);
    }
    let disk_rate = mb_per_s(s.large, best(&disk_times));
    println!(
        "disk write (1 MiB writes + fsync): {} -> {disk_rate:.0} MB/s",
        secs(&disk_times)
    );
    let mut add2_times = Vec::new();
    for vault in vaults {
        sync_all();
        let t = Instant::now();
        let added = vault.add_paths(std::slice::from_ref(&f2), &mut |_| {})?;
        add2_times.push(t.elapsed());
        added_id(&added, "the second large file")?;
    }
    let add2_rate = mb_per_s(s.large, best(&add2_times));
    println!(
        "add_paths of a second large file: {} -> {add2_rate:.0} MB/s",
        secs(&add2_times)
    );
    let sha_rate = sha.rate;
    let bound = sha_rate.min(disk_rate);
    let ratio3 = add2_rate / bound;
    report.add(
        "3 large-file add vs min(sha2, disk)",
        format!("{ratio3:.2}× ({add2_rate:.0} vs min({sha_rate:.0}, {disk_rate:.0}) MB/s)"),
        "≥ 0.50×",
        Status::judge(ratio3 >= 0.5),
    );
    Ok(())
}

/// Figure 5: verify the vault holding both large files.
fn figure_5(vault: &Vault, sha: &Baseline, report: &mut Report) -> Result<()> {
    let mut verify_times = Vec::new();
    let mut verified = 0;
    for _ in 0..REPS {
        let t = Instant::now();
        let v = vault.verify(&mut |_, _| {})?;
        verify_times.push(t.elapsed());
        ensure!(v.ok(), "verify found problems: {:?}", v.problems);
        ensure!(
            v.checked == 2,
            "verify checked {} objects, expected 2",
            v.checked
        );
        verified = v.bytes;
    }
    let sha_rate = sha.rate;
    let verify_rate = mb_per_s(verified, best(&verify_times));
    let ratio5 = verify_rate / sha_rate;
    println!(
        "verify of {:.0} MiB (objects in page cache): {} -> {verify_rate:.0} MB/s",
        mib(verified),
        secs(&verify_times)
    );
    report.add(
        "5 verify vs raw sha2",
        format!("{ratio5:.2}× ({verify_rate:.0} vs {sha_rate:.0} MB/s)"),
        "≥ 0.80×",
        Status::judge(ratio5 >= 0.8),
    );
    Ok(())
}
