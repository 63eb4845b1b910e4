//! Time OCR per image with the pipeline the vault uses (decode, EXIF orientation, grey,
//! scaling, script detection, one Tesseract pass), for BENCHMARKS.md:
//! `cargo run --release -p vault-core --example ocr_time -- IMAGE...`
//! Images are read one at a time (the vault's queue runs two side by side).

use std::time::Instant;
use vault_core::capture::ocr::OcrConfig;

fn main() {
    let cfg = OcrConfig::default();
    if let Err(reason) = cfg.available() {
        eprintln!("OCR unavailable: {reason}");
        std::process::exit(1);
    }
    let mut times = Vec::new();
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let started = Instant::now();
        let result = if path.to_ascii_lowercase().ends_with(".pdf") {
            cfg.recognize_pdf(&bytes)
        } else {
            cfg.recognize_image(&bytes)
        };
        let ms = started.elapsed().as_millis();
        match result {
            Ok(text) => {
                times.push(ms);
                println!("{ms:>6} ms  {:>5} chars  {path}", text.chars().count());
            }
            Err(e) => println!("{ms:>6} ms  FAILED {path}: {e}"),
        }
    }
    if !times.is_empty() {
        times.sort_unstable();
        let median = times[times.len() / 2];
        let mean = times.iter().sum::<u128>() / times.len() as u128;
        println!("{} images: median {median} ms, mean {mean} ms", times.len());
    }
}
