//! `vault-eval`: how well Receipt Vault reads payment facts, measured on labelled sets.
//!
//! ```text
//! cargo run --release -p vault-eval -- [--sets emails,images,real-de,real-my] [--emails N]
//!     [--images N]
//!     [--seed S] [--corpora DIR] [--cache DIR] [--examples N] [--markdown]
//! ```
//!
//! Sets:
//! * `emails`: emails generated from known values (seeded, reproducible): many layouts
//!   (text only, HTML only, both), languages, currencies, number and date notations,
//!   distracting subtotals, taxes, tips and dates; plus the MIT receipt templates in
//!   `<corpora>/mail-receipt-templates` filled with known values when that folder exists.
//! * `images`: receipts rendered to PNG from known values (needs the DejaVu fonts), then OCRed.
//! * `real-de`: the 48 real German receipt scans in `<corpora>/receipts-de-softmatic`
//!   (labels in their file names); `real-my`: the 150 Malaysian SROIE receipts in
//!   `<corpora>/receipts-my-sroie` (labels in `key/ID.json`); `real` means both. Each is
//!   skipped with a note when its folder is missing.
//!
//! OCR results are cached under `<cache>/ocr/<method>/<sha256>.txt`, so reruns are fast.
//! Exits 0 when the sets were measured (whether or not targets are met: it is a report),
//! non-zero when something went wrong while measuring.

mod gen_email;
mod gen_image;
mod ocr;
mod real;
mod report;
mod rng;
mod score;
mod sroie;

use anyhow::{bail, Context, Result};
use report::SetStats;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use vault_core::understand::extract::{extract, Extracted, Hints};

struct Args {
    sets: Vec<String>,
    emails: usize,
    images: usize,
    seed: u64,
    corpora: PathBuf,
    cache: PathBuf,
    examples: usize,
    causes: usize,
    markdown: bool,
    /// Print the text the extractor read, and what it found, for cases whose name contains this.
    dump: Option<String>,
}

fn parse_args() -> Result<Args> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut a = Args {
        sets: vec![
            "emails".into(),
            "images".into(),
            "real-de".into(),
            "real-my".into(),
        ],
        emails: 600,
        images: 40,
        seed: 20_261_003,
        corpora: std::env::var_os("VAULT_EVAL_CORPORA")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/corpora")),
        cache: std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target"))
            .join("vault-eval"),
        examples: 2,
        causes: 5,
        markdown: false,
        dump: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut val = |name: &str| it.next().with_context(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--sets" => {
                a.sets = val("--sets")?
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .collect()
            }
            "--emails" => a.emails = val("--emails")?.parse().context("--emails")?,
            "--images" => a.images = val("--images")?.parse().context("--images")?,
            "--seed" => a.seed = val("--seed")?.parse().context("--seed")?,
            "--corpora" => a.corpora = PathBuf::from(val("--corpora")?),
            "--cache" => a.cache = PathBuf::from(val("--cache")?),
            "--examples" => a.examples = val("--examples")?.parse().context("--examples")?,
            "--causes" => a.causes = val("--causes")?.parse().context("--causes")?,
            "--markdown" => a.markdown = true,
            "--dump" => a.dump = Some(val("--dump")?),
            "-h" | "--help" => {
                println!("{}", HELP);
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?}\n{HELP}"),
        }
    }
    // "real" stands for every set of real scans.
    a.sets = a
        .sets
        .iter()
        .flat_map(|s| match s.as_str() {
            "real" => vec!["real-de".to_string(), "real-my".to_string()],
            _ => vec![s.clone()],
        })
        .collect();
    for s in &a.sets {
        if !matches!(s.as_str(), "emails" | "images" | "real-de" | "real-my") {
            bail!("unknown set {s:?} (emails, images, real-de, real-my; real for both)");
        }
    }
    Ok(a)
}

const HELP: &str =
    "usage: vault-eval [--sets emails,images,real-de,real-my] [--emails N] [--images N] [--seed S] \
[--corpora DIR] [--cache DIR] [--examples N] [--causes N] [--markdown] [--dump NAME-PART]";

fn dump(a: &Args, name: &str, text: &str, got: &Extracted, label: &score::Label) {
    if a.dump.as_deref().is_some_and(|d| name.contains(d)) {
        println!("----- {name}\n{text}\n----- label: {label:?}\n----- got: {got:?}\n");
    }
}

/// Run the extractor as ingest does, timed.
fn run_extract(
    text: &str,
    from: Option<&str>,
    subject: Option<&str>,
    ocr: bool,
) -> (Extracted, f64) {
    let t0 = Instant::now();
    let e = extract(
        text,
        &Hints {
            email_from: from,
            subject,
            ocr,
            default_currency: None,
        },
    );
    (e, t0.elapsed().as_secs_f64() * 1000.0)
}

fn eval_emails(a: &Args) -> SetStats {
    let mut st = SetStats::new("emails");
    let templates = gen_email::Templates::load(&a.corpora.join("mail-receipt-templates"));
    for case in gen_email::generate(a.seed, a.emails, &templates) {
        // The product's path: parse the raw message, then extract from subject + body.
        let mail = vault_core::capture::email::parse(&case.raw);
        let text = format!("{}\n{}", mail.headers.subject, mail.text);
        let (got, t) = run_extract(
            &text,
            Some(&mail.headers.from),
            Some(&mail.headers.subject),
            false,
        );
        st.extract_ms.push(t);
        dump(a, &case.name, &text, &got, &case.label);
        let outcomes = score::score(&case.label, &got, None);
        st.add(&case.name, &outcomes, a.examples);
    }
    st
}

fn eval_images(a: &Args, ocr: &ocr::Ocr) -> SetStats {
    let mut st = SetStats::new("images");
    let fonts = match gen_image::Fonts::load() {
        Ok(f) => f,
        Err(e) => {
            st.skipped = Some(format!("{e:#}"));
            return st;
        }
    };
    for case in gen_image::generate(a.seed, a.images, &fonts) {
        let png = match case.png() {
            Ok(p) => p,
            Err(e) => {
                st.errors
                    .push(format!("{}: rendering failed: {e:#}", case.name));
                continue;
            }
        };
        let rec = match ocr.recognize(&png) {
            Ok(r) => r,
            Err(e) => {
                st.errors.push(format!("{}: OCR failed: {e:#}", case.name));
                continue;
            }
        };
        score_ocr_case(a, &mut st, &case.name, &rec, &case.label);
    }
    st
}

/// Extract from an OCR reading and score it against the case's label.
fn score_ocr_case(
    a: &Args,
    st: &mut SetStats,
    name: &str,
    rec: &ocr::Recognised,
    label: &score::Label,
) {
    st.ocr_ms.push(rec.ms);
    st.ocr_cached += rec.cached as usize;
    let (got, t) = run_extract(&rec.text, None, None, true);
    st.extract_ms.push(t);
    dump(a, name, &rec.text, &got, label);
    let outcomes = score::score(label, &got, Some(&rec.text));
    st.add(name, &outcomes, a.examples);
}

/// A set of real scans: the German supermarket slips (`real-de`) or the Malaysian SROIE
/// receipts (`real-my`).
fn eval_real(a: &Args, ocr: &ocr::Ocr, name: &str) -> SetStats {
    let mut st = SetStats::new(name);
    type Loader = fn(&Path) -> Result<Vec<real::RealCase>>;
    let (dir, load): (PathBuf, Loader) = match name {
        "real-my" => (a.corpora.join(sroie::SUBDIR), sroie::load),
        _ => (a.corpora.join(real::SUBDIR), real::load),
    };
    if !dir.is_dir() {
        st.skipped = Some(format!("{} is missing", dir.display()));
        return st;
    }
    let cases = match load(&dir) {
        Ok(c) => c,
        Err(e) => {
            st.errors.push(format!("{e:#}"));
            return st;
        }
    };
    for case in cases {
        let rec = std::fs::read(&case.path)
            .with_context(|| format!("reading {}", case.path.display()))
            .and_then(|b| ocr.recognize(&b));
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                st.errors.push(format!("{}: {e:#}", case.name));
                continue;
            }
        };
        score_ocr_case(a, &mut st, &case.name, &rec, &case.label);
    }
    st
}

fn run() -> Result<bool> {
    let a = parse_args()?;
    let want = |s: &str| a.sets.iter().any(|x| x == s);
    let needs_ocr = want("images") || want("real-de") || want("real-my");
    let ocr = if needs_ocr {
        match ocr::Ocr::available() {
            Ok(()) => Some(ocr::Ocr::new(&a.cache)?),
            Err(e) => {
                eprintln!("OCR is unavailable: {e}; the image sets are skipped");
                None
            }
        }
    } else {
        None
    };
    println!(
        "vault-eval: seed {}, corpora {}, OCR {}",
        a.seed,
        a.corpora.display(),
        ocr::Ocr::method()
    );
    let mut sets = Vec::new();
    if want("emails") {
        sets.push(eval_emails(&a));
    }
    for name in ["images", "real-de", "real-my"] {
        if !want(name) {
            continue;
        }
        let st = match &ocr {
            None => {
                let mut st = SetStats::new(name);
                st.skipped = Some("OCR (tesseract) is unavailable".into());
                st
            }
            Some(o) if name == "images" => eval_images(&a, o),
            Some(o) => eval_real(&a, o, name),
        };
        sets.push(st);
    }
    print!("{}", report::text(&sets, a.causes));
    if a.markdown {
        println!("\n{}", report::markdown(&sets));
    }
    Ok(sets.iter().all(|s| s.errors.is_empty()))
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("vault-eval: some vouchers could not be measured (see errors above)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("vault-eval: {e:#}");
            ExitCode::FAILURE
        }
    }
}
