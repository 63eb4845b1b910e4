//! Figure 7: the peak resident memory of the release `vault` binary adding about 1 GB of
//! large binaries, photos and screenshots (measured with wait4's rusage).

use super::{close, phase_dir, sync_all, write_pngs};
use crate::gen::{self, Rng, BIN_HEADER, JPEG_HEADER};
use crate::report::{mib, Report, Status};
use crate::Scale;
use anyhow::{bail, ensure, Context, Result};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use vault_core::Vault;

/// What was written into the inbox.
struct Inbox {
    total: u64,
    files: usize,
    pngs: usize,
}

/// Figure 7: peak RSS of the `vault` binary adding about 1 GB of files.
pub fn peak_memory(root: &Path, s: &Scale, report: &mut Report) -> Result<()> {
    println!(
        "\n== Figure 7: peak memory of `vault add` on {:.0} MiB of files ==",
        mib(s.mem_total)
    );
    let exe = std::env::current_exe().context("finding this program's path")?;
    let bin = exe.with_file_name("vault");
    if !bin.is_file() {
        report.add(
            "7 peak RSS of vault add",
            String::new(),
            "< 200 MB",
            Status::Skip(format!(
                "{} not found: build it with `cargo build --release -p vault-cli` (make bench does)",
                bin.display()
            )),
        );
        return Ok(());
    }
    let dir = phase_dir(root, "memory-")?;
    let src = dir.path().join("inbox");
    fs::create_dir(&src).with_context(|| format!("creating {}", src.display()))?;
    let inbox = write_inbox(&src, s)?;
    sync_all();

    let vdir = dir.path().join("vault");
    let stderr_path = dir.path().join("vault-stderr.txt");
    let (elapsed, peak) = run_vault_add(&bin, &vdir, &src, &stderr_path)?;
    let Inbox { total, files, pngs } = inbox;
    let vault = Vault::open(&vdir)?;
    let count = vault.count()?;
    ensure!(
        count as usize == files,
        "the vault holds {count} vouchers, expected {files}"
    );
    let thumbs = vault
        .list(0, i64::MAX)?
        .iter()
        .filter(|v| v.has_thumbnail)
        .count();
    ensure!(
        thumbs == pngs,
        "{thumbs} thumbnails made, expected {}",
        pngs
    );
    println!(
        "vault add: {files} files in {:.1} s, {thumbs} thumbnails made; peak RSS {:.1} MB ({:.1} MiB)",
        elapsed.as_secs_f64(),
        peak as f64 / 1e6,
        mib(peak)
    );
    report.add(
        "7 peak RSS of vault add",
        format!(
            "{:.1} MB ({:.0} MiB of files)",
            peak as f64 / 1e6,
            mib(total)
        ),
        "< 200 MB",
        Status::judge(peak < 200_000_000),
    );
    drop(vault);
    close(dir)
}

/// Write the inbox: the large binaries, the PNG screenshots, then fake JPEGs of 1-5 MB
/// up to `s.mem_total` bytes in all.
fn write_inbox(src: &Path, s: &Scale) -> Result<Inbox> {
    let mut total = 0u64;
    let mut files = 0usize;
    for (i, &size) in s.mem_large.iter().enumerate() {
        gen::write_random_file(
            &src.join(format!("large-{i}.bin")),
            size,
            7000 + i as u64,
            BIN_HEADER,
        )?;
        total += size;
        files += 1;
    }
    let pngs: Vec<PathBuf> = (0..s.mem_pngs)
        .map(|i| src.join(format!("screenshot-{i:03}.png")))
        .collect();
    total += write_pngs(&pngs, 7000)?;
    files += pngs.len();
    let mut rng = Rng::new(7);
    let mut jpegs = 0;
    while total < s.mem_total {
        let size = rng.range(1_000_000, 5_000_000).min(s.mem_total - total);
        gen::write_random_file(
            &src.join(format!("photo-{jpegs:04}.jpg")),
            size,
            7500 + jpegs as u64,
            JPEG_HEADER,
        )?;
        total += size;
        jpegs += 1;
    }
    files += jpegs;
    println!(
        "{files} files, {:.0} MiB: {} large binaries, {jpegs} fake JPEGs of 1-5 MB, {} PNG screenshots 1170×2532",
        mib(total),
        s.mem_large.len(),
        pngs.len()
    );
    Ok(Inbox {
        total,
        files,
        pngs: pngs.len(),
    })
}

/// Run `vault --vault <vdir> add <src>` and wait for it with wait4, which reports the
/// child's peak RSS: the time it took and the peak in bytes. Fails when it fails.
fn run_vault_add(
    bin: &Path,
    vdir: &Path,
    src: &Path,
    stderr_path: &Path,
) -> Result<(Duration, u64)> {
    let stderr =
        File::create(stderr_path).with_context(|| format!("creating {}", stderr_path.display()))?;
    let t = Instant::now();
    let child = Command::new(bin)
        .arg("--vault")
        .arg(vdir)
        .arg("add")
        .arg(src)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: wait4 writes only into `status` and the zeroed `usage` we own; `pid` is our
    // child, which `std::process::Child` does not reap on its own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err).context("waiting for the vault process");
        }
    }
    let elapsed = t.elapsed();
    let exited_ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    if !exited_ok {
        let msg = fs::read_to_string(stderr_path).unwrap_or_default();
        bail!(
            "`vault add` failed (wait status {status:#x}): {}",
            msg.trim()
        );
    }
    // ru_maxrss is in KiB on Linux.
    Ok((elapsed, usage.ru_maxrss as u64 * 1024))
}
