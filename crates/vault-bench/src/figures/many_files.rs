//! Figure 2: adding many 200 KB files (binaries, text receipts, fake JPEGs and PNG
//! screenshots) in one call, with the time per kind, and the thumbnails made after.

use super::{close, ensure_all_added, phase_dir, sync_all, write_pngs};
use crate::gen::{self, Rng, Vocab, BIN_HEADER, JPEG_HEADER};
use crate::report::{ms, Report, Status};
use crate::Scale;
use anyhow::{ensure, Context, Result};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use vault_core::Vault;

/// The kind of a figure-2 file, from its name.
fn kind_of(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    ["bin", "txt", "jpg", "png"]
        .into_iter()
        .find(|k| name.starts_with(k))
        .unwrap_or("?")
}

/// Figure 2: many 200 KB files.
pub fn many_files(root: &Path, s: &Scale, report: &mut Report) -> Result<()> {
    println!(
        "\n== Figure 2: adding {} files of {} KB ==",
        s.small_files,
        s.small_size / 1000
    );
    let dir = phase_dir(root, "many-")?;
    let src = dir.path().join("files");
    fs::create_dir(&src).with_context(|| format!("creating {}", src.display()))?;
    let pngs = write_files(&src, s)?;
    sync_all();

    let mut vault = Vault::open_or_create(&dir.path().join("vault"))?;
    let mut per_kind: BTreeMap<&'static str, (usize, Duration)> = BTreeMap::new();
    let t = Instant::now();
    let mut last = t;
    let added = vault.add_paths(std::slice::from_ref(&src), &mut |ev| {
        let now = Instant::now();
        let e = per_kind.entry(kind_of(&ev.report.path)).or_default();
        e.0 += 1;
        e.1 += now - last;
        last = now;
    })?;
    let t_add = t.elapsed();
    ensure_all_added(&added, s.small_files, "200 KB files")?;
    let rate = s.small_files as f64 / t_add.as_secs_f64();
    println!(
        "add_paths: {:.2} s = {rate:.0} files/s",
        t_add.as_secs_f64()
    );
    for (kind, (n, d)) in &per_kind {
        println!(
            "  {kind}: {n} files, {:.2} ms per file on average ({:.1} s in all)",
            ms(*d) / *n as f64,
            d.as_secs_f64()
        );
    }
    report.add(
        "2 add 200 KB files",
        format!(
            "{rate:.0} files/s ({} files in {:.1} s)",
            s.small_files,
            t_add.as_secs_f64()
        ),
        "≥ 800 files/s",
        Status::judge(rate >= 800.0),
    );
    let t = Instant::now();
    let made = vault.make_thumbnails()?;
    let t_thumbs = t.elapsed();
    ensure!(
        made == pngs.len(),
        "{made} thumbnails made, expected {}",
        pngs.len()
    );
    report.add(
        "2 thumbnails (separate pass)",
        format!(
            "{made} PNG thumbnails in {:.2} s ({:.0} ms each)",
            t_thumbs.as_secs_f64(),
            ms(t_thumbs) / made.max(1) as f64
        ),
        "—",
        Status::Info,
    );
    drop(vault);
    close(dir)
}

/// Write the files into `src`; returns the paths of the PNG screenshots among them.
fn write_files(src: &Path, s: &Scale) -> Result<Vec<PathBuf>> {
    let vocab = Vocab::new(3000, 7);
    let mut rng = Rng::new(2);
    let mut used = Vec::new();
    let mut pngs = Vec::new();
    // Per 200 files: 1 PNG screenshot, 9 fake JPEGs, 20 text receipts, 170 binaries.
    for i in 0..s.small_files {
        match i % 200 {
            0 => pngs.push(src.join(format!("png-{i:05}.png"))),
            1..=9 => gen::write_random_file(
                &src.join(format!("jpg-{i:05}.jpg")),
                s.small_size as u64,
                1000 + i as u64,
                JPEG_HEADER,
            )?,
            10..=29 => {
                let text = gen::receipt(&mut rng, &vocab, i, s.small_size, false, &mut used);
                gen::write_text(&src.join(format!("txt-{i:05}.txt")), &text)?;
            }
            _ => gen::write_random_file(
                &src.join(format!("bin-{i:05}.bin")),
                s.small_size as u64,
                1000 + i as u64,
                BIN_HEADER,
            )?,
        }
    }
    let png_bytes = write_pngs(&pngs, 1000)?;
    println!(
        "{} files: {} binaries, {} text receipts, {} fake JPEGs, {} PNG screenshots 1170×2532 ({:.0} KB each on average)",
        s.small_files,
        s.small_files * 170 / 200,
        s.small_files * 20 / 200,
        s.small_files * 9 / 200,
        pngs.len(),
        png_bytes as f64 / pngs.len().max(1) as f64 / 1e3
    );
    Ok(pngs)
}
