//! Figure 4: search latency at scale (one word, two words, prefixes, a date filter), what
//! the app asks for on each keystroke (a page with its total, the sidebar's counts), and
//! the core search against `grep -ril` over the same files.

use super::{close, ensure_all_added, phase_dir, sync_all};
use crate::gen::{self, Rng, Vocab};
use crate::report::{median, ms, percentile, Report, Status};
use crate::Scale;
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use vault_core::{Kind, Order, Scope, SearchRequest, Vault};

/// The date filter of the dated queries.
const AFTER: &str = "after:2026-06-01";

/// The queries of each kind, `s.queries` of each.
struct Queries {
    one: Vec<String>,
    two: Vec<String>,
    prefix: Vec<String>,
    dated: Vec<String>,
}

/// Figure 4: search latency at scale, and against grep.
pub fn search(root: &Path, s: &Scale, report: &mut Report) -> Result<()> {
    println!("\n== Figure 4: search at {} vouchers ==", s.vouchers);
    let dir = phase_dir(root, "search-")?;
    let src = dir.path().join("receipts");
    let (vocab, df) = write_receipts(&src, s)?;
    sync_all();

    let vault = build_vault(dir.path(), &src, s, report)?;
    let in_range = vault.count_matches(AFTER)?;
    println!(
        "{AFTER} selects {in_range} of {} vouchers ({:.1}%)",
        s.vouchers,
        100.0 * in_range as f64 / s.vouchers as f64
    );

    let q = make_queries(&vocab, &df, s);
    let one_lat = time_query_kinds(&vault, &q, report)?;
    time_app_page(&vault, &q, report)?;
    time_sidebar(&vault, report)?;
    compare_with_grep(&src, s, &q.one, &one_lat, report)?;
    drop(vault);
    close(dir)
}

/// Generate the receipts into `src` (1000 to a folder): the vocabulary, and in how many
/// receipts each of its words occurs.
fn write_receipts(src: &Path, s: &Scale) -> Result<(Vocab, Vec<u32>)> {
    let vocab = Vocab::new(3000, 4);
    let mut rng = Rng::new(4);
    let mut df = vec![0u32; vocab.words.len()];
    let mut used = Vec::new();
    let mut text_bytes = 0u64;
    let t = Instant::now();
    for i in 0..s.vouchers {
        let sub = src.join(format!("r{:03}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir_all(&sub).with_context(|| format!("creating {}", sub.display()))?;
        }
        used.clear();
        let len = rng.range(800, 1200) as usize;
        let text = gen::receipt(&mut rng, &vocab, i, len, true, &mut used);
        used.sort_unstable();
        used.dedup();
        for &w in &used {
            df[w] += 1;
        }
        text_bytes += text.len() as u64;
        gen::write_text(&sub.join(format!("receipt-{i:06}.txt")), &text)?;
    }
    println!(
        "generated {} receipts ({:.0} bytes each on average, vocabulary of {} words) in {:.1} s",
        s.vouchers,
        text_bytes as f64 / s.vouchers as f64,
        vocab.words.len(),
        t.elapsed().as_secs_f64()
    );
    Ok((vocab, df))
}

/// Build the vault: every receipt through `add_paths`, timed and reported.
fn build_vault(dir: &Path, src: &Path, s: &Scale, report: &mut Report) -> Result<Vault> {
    let src = src.to_path_buf();
    let mut vault = Vault::open_or_create(&dir.join("vault"))?;
    let t = Instant::now();
    let step = (s.vouchers / 10).max(1);
    let added = vault.add_paths(std::slice::from_ref(&src), &mut |ev| {
        if ev.done % step == 0 {
            eprintln!(
                "  building: {}/{} after {:.0} s",
                ev.done,
                ev.total,
                t.elapsed().as_secs_f64()
            );
        }
    })?;
    let t_build = t.elapsed();
    ensure_all_added(&added, s.vouchers, "receipts")?;
    let build_rate = s.vouchers as f64 / t_build.as_secs_f64();
    report.add(
        "4 build: receipts via add_paths",
        format!(
            "{} in {:.0} s ({build_rate:.0} files/s)",
            s.vouchers,
            t_build.as_secs_f64()
        ),
        "—",
        Status::Info,
    );
    Ok(vault)
}

/// Make the queries. Query words: a third common (top 100 ranks), a third middling, a
/// third rare.
fn make_queries(vocab: &Vocab, df: &[u32], s: &Scale) -> Queries {
    let n = vocab.words.len() as u64;
    let mut qrng = Rng::new(44);
    let word = |r: &mut Rng| -> usize {
        match r.below(3) {
            0 => r.below(100) as usize,
            1 => r.range(100, 999) as usize,
            _ => r.range(1000, n - 1) as usize,
        }
    };
    let mut one = Vec::new();
    let mut two = Vec::new();
    let mut prefix = Vec::new();
    let mut dated = Vec::new();
    let mut one_df = Vec::new();
    for _ in 0..s.queries {
        let w = word(&mut qrng);
        one.push(vocab.words[w].clone());
        one_df.push(df[w]);
        let (a, b) = (word(&mut qrng), word(&mut qrng));
        two.push(format!("{} {}", vocab.words[a], vocab.words[b]));
        let p = &vocab.words[word(&mut qrng)];
        let k = if qrng.below(2) == 0 { 3 } else { 4 };
        prefix.push(format!("{}*", &p[..k.min(p.len())]));
        dated.push(format!("{} {AFTER}", vocab.words[word(&mut qrng)]));
    }
    one_df.sort_unstable();
    println!(
        "one-word queries match from {} to {} vouchers (median {})",
        one_df.first().copied().unwrap_or(0),
        one_df.last().copied().unwrap_or(0),
        one_df.get(one_df.len() / 2).copied().unwrap_or(0)
    );
    Queries {
        one,
        two,
        prefix,
        dated,
    }
}

/// Time the query kinds, after a warm-up (statements prepared, index pages in cache).
/// Returns the latencies of the one-word queries, in query order.
fn time_query_kinds(vault: &Vault, q: &Queries, report: &mut Report) -> Result<Vec<Duration>> {
    for q in q.one.iter().chain(&q.prefix).take(20) {
        vault.search(q, Order::Newest, 0, 50)?;
    }
    let mut one_lat = Vec::new();
    for (label, qs) in [
        ("one word", &q.one),
        ("two words", &q.two),
        ("prefix word*", &q.prefix),
        ("word + after:", &q.dated),
    ] {
        let lat_in_order = time_query_kind(vault, label, qs, report)?;
        if label == "one word" {
            one_lat = lat_in_order;
        }
    }
    Ok(one_lat)
}

/// Time one kind of queries (a page of 50 each), print where the slowest spend their
/// time, and report p50 and p95. Returns the latencies in query order.
fn time_query_kind(
    vault: &Vault,
    label: &str,
    qs: &[String],
    report: &mut Report,
) -> Result<Vec<Duration>> {
    let mut lat_in_order = Vec::with_capacity(qs.len());
    let mut hits = 0;
    for q in qs {
        let t = Instant::now();
        let r = vault.search(q, Order::Newest, 0, 50)?;
        lat_in_order.push(t.elapsed());
        hits += r.hits.len();
    }
    let mut lat = lat_in_order.clone();
    lat.sort();
    let (p50, p95) = (percentile(&lat, 50.0), percentile(&lat, 95.0));
    println!(
        "{label}: {} queries, p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms, {:.1} hits per query (page of 50)",
        qs.len(),
        ms(p50),
        ms(p95),
        ms(lat.last().copied().unwrap_or_default()),
        hits as f64 / qs.len().max(1) as f64
    );
    // Where the slowest ones spend their time: count_matches runs the same full-text
    // match and filters without ordering, paging or snippets.
    let mut slowest: Vec<usize> = (0..qs.len()).collect();
    slowest.sort_by_key(|&i| std::cmp::Reverse(lat_in_order[i]));
    for &i in slowest.iter().take(3) {
        let t = Instant::now();
        let n = vault.count_matches(&qs[i])?;
        println!(
            "  slow: {:?} took {:.1} ms; it matches {n} vouchers, and counting them takes {:.1} ms",
            qs[i],
            ms(lat_in_order[i]),
            ms(t.elapsed())
        );
    }
    report.add(
        &format!("4 search: {label}"),
        format!("p50 {:.2} ms, p95 {:.2} ms", ms(p50), ms(p95)),
        "p50 ≤ 5 ms, p95 ≤ 40 ms",
        Status::judge(p50 <= Duration::from_millis(5) && p95 <= Duration::from_millis(40)),
    );
    Ok(lat_in_order)
}

/// What the app asks for on every keystroke: a page of 100 with the total (a count
/// when the page is not the last), within a sidebar scope.
fn time_app_page(vault: &Vault, q: &Queries, report: &mut Report) -> Result<()> {
    let app_queries: Vec<(String, Scope)> = q
        .one
        .iter()
        .map(|w| (w.clone(), Scope::All))
        .chain(
            q.prefix
                .iter()
                .map(|w| (w.clone(), Scope::Kind { kind: Kind::Text })),
        )
        .chain(std::iter::once((String::new(), Scope::All)))
        .chain(std::iter::once((String::new(), Scope::NeedsReview)))
        .collect();
    let mut lat = Vec::with_capacity(app_queries.len());
    for (q, scope) in &app_queries {
        let t = Instant::now();
        vault.search_page(&SearchRequest {
            query: q.clone(),
            scope: scope.clone(),
            order: Order::Newest,
            offset: 0,
            limit: 100,
        })?;
        lat.push(t.elapsed());
    }
    lat.sort();
    let (p50, p95) = (percentile(&lat, 50.0), percentile(&lat, 95.0));
    println!(
        "app page (100 rows + total): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        ms(p50),
        ms(p95),
        ms(lat.last().copied().unwrap_or_default())
    );
    report.add(
        "4 app: page of 100 + total",
        format!("p50 {:.2} ms, p95 {:.2} ms", ms(p50), ms(p95)),
        "p95 ≤ 60 ms (100 ms to results on screen)",
        Status::judge(p95 <= Duration::from_millis(60)),
    );
    Ok(())
}

/// The sidebar's counts, which the app asks for with every page.
fn time_sidebar(vault: &Vault, report: &mut Report) -> Result<()> {
    let mut lat = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        vault.facets()?;
        lat.push(t.elapsed());
    }
    lat.sort();
    let p50 = percentile(&lat, 50.0);
    println!("sidebar counts (facets): median {:.1} ms", ms(p50));
    report.add(
        "4 app: sidebar counts",
        format!("median {:.1} ms", ms(p50)),
        "≤ 100 ms",
        Status::judge(p50 <= Duration::from_millis(100)),
    );
    Ok(())
}

/// Against grep -ril over the same files, on words spread over the frequency ranks
/// (the one-word queries, with the core search's times measured above).
fn compare_with_grep(
    src: &Path,
    s: &Scale,
    one: &[String],
    one_lat: &[Duration],
    report: &mut Report,
) -> Result<()> {
    let k = s.grep_words.min(one.len());
    let picks: Vec<usize> = (0..k).map(|i| i * one.len() / k.max(1)).collect();
    let mut grep_times = Vec::new();
    let mut core_times = Vec::new();
    for &i in &picks {
        let w = &one[i];
        let t = Instant::now();
        let status = Command::new("grep")
            .arg("-ril")
            .arg(w)
            .arg(src)
            .stdout(Stdio::null())
            .status();
        let elapsed = t.elapsed();
        match status {
            Ok(st) if st.code() == Some(0) || st.code() == Some(1) => grep_times.push(elapsed),
            Ok(st) => bail!("grep -ril {w} failed: {st}"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                report.add(
                    "4 vs grep -ril",
                    String::new(),
                    "—",
                    Status::Skip("grep is not installed".into()),
                );
                break;
            }
            Err(e) => return Err(e).context("running grep"),
        }
        core_times.push(one_lat[i]);
    }
    if !grep_times.is_empty() {
        let g = median(grep_times);
        let c = median(core_times);
        let factor = g.as_secs_f64() / c.as_secs_f64().max(1e-9);
        println!(
            "grep -ril over {} files: median {:.0} ms over {k} words; core search on the same words: median {:.2} ms",
            s.vouchers,
            ms(g),
            ms(c)
        );
        println!("core search is {factor:.0}× faster than grep -ril");
        report.add(
            "4 vs grep -ril (same words)",
            format!(
                "core search is {factor:.0}× faster than grep -ril ({:.2} ms vs {:.0} ms)",
                ms(c),
                ms(g)
            ),
            "—",
            Status::Info,
        );
    }
    Ok(())
}
