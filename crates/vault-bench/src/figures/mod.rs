//! The measurements. Each phase generates its data in its own directory under the run's
//! temp dir and removes it when done, so the disk holds one phase's data at a time.
//!
//! One file per figure; this module holds what they share: the phase directories, the
//! raw SHA-256 and disk-write baselines, checks of what an add reported, and timings.

mod export;
mod large_files;
mod many_files;
mod memory;
mod search;

pub use export::export;
pub use large_files::large_files;
pub use many_files::many_files;
pub use memory::peak_memory;
pub use search::search;

use crate::gen::{self, Rng};
use anyhow::{bail, ensure, Context, Result};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use vault_core::{AddReport, Outcome};

/// Flush every dirty page to disk, so that one measurement does not pay for the
/// write-back of the data generated before it.
fn sync_all() {
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc::sync() };
}

fn phase_dir(root: &Path, name: &str) -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(name)
        .tempdir_in(root)
        .with_context(|| format!("creating a directory in {}", root.display()))
}

/// Keep every phase's data (`--keep`).
pub static KEEP: AtomicBool = AtomicBool::new(false);

/// Remove a phase's data, and let the file system settle before the next phase.
fn close(dir: tempfile::TempDir) -> Result<()> {
    if KEEP.load(Ordering::Relaxed) {
        let _ = dir.keep();
        return Ok(());
    }
    let p = dir.path().to_path_buf();
    dir.close()
        .with_context(|| format!("removing {}", p.display()))?;
    sync_all();
    Ok(())
}

/// Raw SHA-256 of a file with a 1 MiB buffer: the baseline of figures 1, 3 and 5.
fn sha2_file(path: &Path) -> Result<(String, u64)> {
    let mut f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut buf = vec![0u8; 1 << 20];
    let mut h = Sha256::new();
    let mut n = 0u64;
    loop {
        let k = f
            .read(&mut buf)
            .with_context(|| format!("reading {}", path.display()))?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((format!("{:x}", h.finalize()), n))
}

/// The disk's sequential write rate: `size` bytes in 1 MiB writes, then fsync.
fn disk_write(path: &Path, size: u64) -> Result<Duration> {
    let mut pool = vec![0u8; 64 << 20];
    Rng::new(0xD15C).fill(&mut pool);
    let t = Instant::now();
    let mut f = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut left = size;
    let mut off = 0usize;
    while left > 0 {
        let n = left.min(1 << 20) as usize;
        f.write_all(&pool[off..off + n])
            .with_context(|| format!("writing {}", path.display()))?;
        off = (off + n) % pool.len();
        left -= n as u64;
    }
    f.sync_all()
        .with_context(|| format!("fsync {}", path.display()))?;
    Ok(t.elapsed())
}

fn added_id(report: &AddReport, what: &str) -> Result<i64> {
    match report.files.first().map(|f| &f.outcome) {
        Some(Outcome::Added { id, .. }) => Ok(*id),
        Some(Outcome::Unreadable { reason, .. }) => bail!("{what} was unreadable: {reason}"),
        Some(Outcome::Failed { reason, .. }) => bail!("adding {what} failed: {reason}"),
        Some(Outcome::Duplicate { .. }) => bail!("{what} was unexpectedly a duplicate"),
        None => bail!("adding {what} reported no file"),
    }
}

fn ensure_all_added(report: &AddReport, expected: usize, what: &str) -> Result<()> {
    if report.failed > 0 {
        let first = report.files.iter().find_map(|f| match &f.outcome {
            Outcome::Failed { reason, .. } => Some(format!("{}: {reason}", f.path.display())),
            _ => None,
        });
        bail!(
            "{} of the {what} failed to add (first: {})",
            report.failed,
            first.unwrap_or_default()
        );
    }
    ensure!(
        report.added == expected,
        "{what}: {} added, {} duplicates, expected {expected} added",
        report.added,
        report.duplicates
    );
    Ok(())
}

/// Times of `samples`, for printing: "0.61, 0.66 s".
fn secs(samples: &[Duration]) -> String {
    let v: Vec<String> = samples
        .iter()
        .map(|d| format!("{:.3}", d.as_secs_f64()))
        .collect();
    format!("{} s", v.join(", "))
}

fn best(samples: &[Duration]) -> Duration {
    samples.iter().copied().min().unwrap_or(Duration::MAX)
}

/// Write screenshots to `paths` (in parallel: encoding is the slow part). Returns bytes.
fn write_pngs(paths: &[PathBuf], seed: u64) -> Result<u64> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let chunk = paths.len().div_ceil(threads).max(1);
    std::thread::scope(|sc| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                sc.spawn(move || -> Result<u64> {
                    let mut bytes = 0;
                    for (i, p) in part.iter().enumerate() {
                        let png = gen::screenshot_png(1170, 2532, seed + (c * chunk + i) as u64)?;
                        fs::write(p, &png).with_context(|| format!("writing {}", p.display()))?;
                        bytes += png.len() as u64;
                    }
                    Ok(bytes)
                })
            })
            .collect();
        let mut total = 0;
        for h in handles {
            total += h
                .join()
                .map_err(|_| anyhow::anyhow!("a PNG generator thread panicked"))??;
        }
        Ok(total)
    })
}
