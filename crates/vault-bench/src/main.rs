//! `vault-bench`: the performance figures of Receipt Vault, each printed with its target
//! and PASS/FAIL, measured in one run on synthetic data generated in a temp dir.
//!
//! ```text
//! cargo build --release -p vault-cli -p vault-bench   # figure 7 runs target/release/vault
//! cargo run --release -p vault-bench -- [--quick] [--only 1,2,...]
//! ```
//!
//! Exits 0 when every figure was measured, whether it passed or not (it is a report), and
//! non-zero when something went wrong while measuring.

mod figures;
mod gen;
mod report;

use anyhow::{bail, Context, Result};
use report::Report;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Sizes of one run.
#[derive(Debug, Clone)]
pub struct Scale {
    pub name: &'static str,
    /// Figures 1, 3, 5: size of each large file.
    pub large: u64,
    /// Figure 2: number of files and the size of each.
    pub small_files: usize,
    pub small_size: usize,
    /// Figure 4: vouchers in the search vault, queries per type, words run through grep.
    pub vouchers: usize,
    pub queries: usize,
    pub grep_words: usize,
    /// Figure 6: bytes of fake JPEGs to export.
    pub export_bytes: u64,
    /// Figure 7: the large files, how many PNG screenshots, total bytes.
    pub mem_large: Vec<u64>,
    pub mem_pngs: usize,
    pub mem_total: u64,
}

const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;

impl Scale {
    fn full() -> Scale {
        Scale {
            name: "full",
            large: GIB,
            small_files: 10_000,
            small_size: 200_000,
            vouchers: 100_000,
            queries: 200,
            grep_words: 10,
            export_bytes: 300_000_000,
            mem_large: vec![100 * MIB, 150 * MIB, 250 * MIB],
            mem_pngs: 20,
            mem_total: GIB,
        }
    }

    fn quick() -> Scale {
        Scale {
            name: "quick",
            large: 512 * MIB,
            small_files: 1_000,
            small_size: 200_000,
            vouchers: 10_000,
            queries: 200,
            grep_words: 10,
            export_bytes: 60_000_000,
            mem_large: vec![100 * MIB],
            mem_pngs: 5,
            mem_total: 256 * MIB,
        }
    }
}

struct Args {
    quick: bool,
    keep: bool,
    only: Option<BTreeSet<u32>>,
}

fn parse_args() -> Result<Option<Args>> {
    let mut args = Args {
        quick: false,
        keep: false,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => args.quick = true,
            "--keep" => args.keep = true,
            "--only" => {
                let list = it
                    .next()
                    .context("--only needs a list of figures, e.g. 1,4")?;
                let mut set = BTreeSet::new();
                for n in list.split(',') {
                    let n: u32 = n
                        .trim()
                        .parse()
                        .with_context(|| format!("--only: {n:?} is not a figure number"))?;
                    if !(1..=7).contains(&n) {
                        bail!("--only: figures are 1 to 7, not {n}");
                    }
                    set.insert(n);
                }
                args.only = Some(set);
            }
            "-h" | "--help" => {
                println!(
                    "vault-bench: measure Receipt Vault's performance figures on synthetic data\n\n\
                     usage: vault-bench [--quick] [--only 1,2,...] [--keep]\n\n  \
                     --quick   smaller data sets (smoke test, about a minute)\n  \
                     --only    measure only these figures (1-7)\n  \
                     --keep    keep the generated data and vaults (large) for a closer look\n\n\
                     Figure 7 runs the release `vault` binary next to this one: build it with\n  \
                     cargo build --release -p vault-cli"
                );
                return Ok(None);
            }
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    Ok(Some(args))
}

/// Free bytes for an unprivileged user on the file system holding `p`.
pub(crate) fn free_bytes(p: &Path) -> Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(p.as_os_str().as_bytes())?;
    // SAFETY: statvfs only writes into the zeroed struct we own; `c` is NUL-terminated.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return Err(std::io::Error::last_os_error())
            .with_context(|| format!("statvfs {}", p.display()));
    }
    Ok(st.f_bavail as u64 * st.f_frsize as u64)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn run() -> Result<()> {
    let Some(args) = parse_args()? else {
        return Ok(());
    };
    let started = Instant::now();
    let mut scale = if args.quick {
        Scale::quick()
    } else {
        Scale::full()
    };
    let tmp_parent = std::env::temp_dir();
    let free = free_bytes(&tmp_parent)?;
    println!(
        "vault-bench ({} run) in {}: {:.1} GB free, {} CPUs, load average {}",
        scale.name,
        tmp_parent.display(),
        free as f64 / 1e9,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        loadavg()
    );
    if !args.quick && free < 10 * 1_000_000_000 {
        println!(
            "WARNING: less than 10 GB free in {}: using the --quick sizes instead of the full ones",
            tmp_parent.display()
        );
        scale = Scale::quick();
    }
    let root = tempfile::Builder::new()
        .prefix("vault-bench-")
        .tempdir_in(&tmp_parent)
        .context("creating the temp dir")?;
    figures::KEEP.store(args.keep, std::sync::atomic::Ordering::Relaxed);
    let want = |n: u32| args.only.as_ref().is_none_or(|s| s.contains(&n));
    let mut report = Report::default();

    if want(1) || want(3) || want(5) {
        figures::large_files(root.path(), &scale, &mut report)?;
    }
    if want(2) {
        figures::many_files(root.path(), &scale, &mut report)?;
    }
    if want(4) {
        figures::search(root.path(), &scale, &mut report)?;
    }
    if want(6) {
        figures::export(root.path(), &scale, &mut report)?;
    }
    if want(7) {
        figures::peak_memory(root.path(), &scale, &mut report)?;
    }

    report.print_table();
    println!(
        "\n{} run took {:.0} s; load average at the end {}",
        scale.name,
        started.elapsed().as_secs_f64(),
        loadavg()
    );
    if args.keep {
        println!("data kept in {}", root.keep().display());
    } else {
        let path = root.path().to_path_buf();
        root.close()
            .with_context(|| format!("removing {}", path.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vault-bench: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
