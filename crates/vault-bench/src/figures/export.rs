//! Figure 6: exporting a bundle of already-compressed photos against `zip -0` of the same
//! files, with the same fsync at the end.

use super::{close, ensure_all_added, phase_dir, sync_all};
use crate::gen::{self, Rng, JPEG_HEADER};
use crate::report::{mb_per_s, Report, Status};
use crate::Scale;
use anyhow::{ensure, Context, Result};
use std::fs::{self, File};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use vault_core::Vault;

/// The best time of each way to pack the photos.
struct Best {
    export: Duration,
    /// `zip -0` with the fsync of its archive, and without.
    zip: Duration,
    zip_nosync: Duration,
}

/// Figure 6: export against `zip -0` on the same (already compressed) files.
pub fn export(root: &Path, s: &Scale, report: &mut Report) -> Result<()> {
    println!(
        "\n== Figure 6: export of {:.0} MB of JPEGs vs zip -0 ==",
        s.export_bytes as f64 / 1e6
    );
    let dir = phase_dir(root, "export-")?;
    let src = dir.path().join("photos");
    fs::create_dir(&src).with_context(|| format!("creating {}", src.display()))?;
    let (names, total) = write_photos(&src, s)?;
    let mut vault = Vault::open_or_create(&dir.path().join("vault"))?;
    let added = vault.add_paths(std::slice::from_ref(&src), &mut |_| {})?;
    ensure_all_added(&added, names.len(), "photos")?;
    let ids = vault.search_ids("")?;
    ensure!(
        ids.len() == names.len(),
        "search_ids found {} of {} vouchers",
        ids.len(),
        names.len()
    );
    println!(
        "{} fake JPEGs, {:.0} MB, added to a vault",
        names.len(),
        total as f64 / 1e6
    );

    let zip_available = zip_available()?;
    let best = time_rounds(&vault, &ids, dir.path(), &src, &names, total, zip_available)?;
    println!(
        "export_bundle: {:.3} s = {:.0} MB/s",
        best.export.as_secs_f64(),
        mb_per_s(total, best.export)
    );
    if zip_available {
        println!(
            "zip -0 -q: {:.3} s, + fsync of the archive {:.3} s = {:.0} MB/s",
            best.zip_nosync.as_secs_f64(),
            best.zip.as_secs_f64(),
            mb_per_s(total, best.zip)
        );
        let ratio = best.zip.as_secs_f64() / best.export.as_secs_f64();
        report.add(
            "6 export vs zip -0 (+fsync)",
            format!(
                "{ratio:.2}× (export {:.2} s, zip -0 {:.2} s)",
                best.export.as_secs_f64(),
                best.zip.as_secs_f64()
            ),
            "≥ 0.70×",
            Status::judge(ratio >= 0.7),
        );
    } else {
        report.add(
            "6 export vs zip -0",
            String::new(),
            "≥ 0.70×",
            Status::Skip("the `zip` command is not installed (apt-get install zip)".into()),
        );
    }
    drop(vault);
    close(dir)
}

/// Write fake JPEGs into `src` until they make `s.export_bytes`: their names and bytes.
fn write_photos(src: &Path, s: &Scale) -> Result<(Vec<String>, u64)> {
    let mut rng = Rng::new(6);
    let mut names = Vec::new();
    let mut total = 0u64;
    while total < s.export_bytes {
        // Mostly 0.6-1.8 MB photos, some 200 KB ones.
        let size = if rng.below(4) == 0 {
            200_000
        } else {
            rng.range(600_000, 1_800_000)
        };
        let name = format!("photo-{:04}.jpg", names.len());
        gen::write_random_file(
            &src.join(&name),
            size,
            6000 + names.len() as u64,
            JPEG_HEADER,
        )?;
        names.push(name);
        total += size;
    }
    Ok((names, total))
}

/// Whether the `zip` command is installed.
fn zip_available() -> Result<bool> {
    match Command::new("zip")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e).context("running zip -v"),
    }
}

/// Two rounds each, alternating; the best of each counts. Outputs are kept until the
/// phase ends (deleting is slow on a file system mounted with `discard`).
fn time_rounds(
    vault: &Vault,
    ids: &[i64],
    dir: &Path,
    src: &Path,
    names: &[String],
    total: u64,
    zip_available: bool,
) -> Result<Best> {
    let mut best = Best {
        export: Duration::MAX,
        zip: Duration::MAX,
        zip_nosync: Duration::MAX,
    };
    for round in 0..2 {
        let out = dir.join(format!("bundle-{round}.zip"));
        sync_all();
        let t = Instant::now();
        let summary = vault.export_bundle(ids, &out, &mut |_, _| {})?;
        best.export = best.export.min(t.elapsed());
        ensure!(
            summary.bytes == total,
            "the bundle holds {} bytes of originals, expected {total}",
            summary.bytes
        );

        if zip_available {
            let out = dir.join(format!("zip0-{round}.zip"));
            sync_all();
            let t = Instant::now();
            let st = Command::new("zip")
                .arg("-0")
                .arg("-q")
                .arg(&out)
                .args(names)
                .current_dir(src)
                .status()
                .context("running zip")?;
            ensure!(st.success(), "zip -0 failed: {st}");
            best.zip_nosync = best.zip_nosync.min(t.elapsed());
            // The export fsyncs its bundle; give zip the same durability.
            File::open(&out)
                .and_then(|f| f.sync_all())
                .with_context(|| format!("fsync {}", out.display()))?;
            best.zip = best.zip.min(t.elapsed());
        }
    }
    Ok(best)
}
