//! Synthetic data: a fast deterministic PRNG, random binaries, fake JPEGs, PNG
//! screenshots and text receipts with a realistic vocabulary.

use anyhow::{Context, Result};
use chrono::{Days, NaiveDate};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Header of the synthetic binaries: the NUL makes them binary, and no format starts so,
/// so they are detected as `application/octet-stream` (kind "other").
pub const BIN_HEADER: &[u8] = b"RVBENCH\0";
/// A JFIF header: detected as `image/jpeg`, which the exporter stores rather than deflates.
pub const JPEG_HEADER: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00,
];

/// SplitMix64: tiny, fast, good enough for synthetic data.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    pub fn fill(&mut self, buf: &mut [u8]) {
        let mut chunks = buf.chunks_exact_mut(8);
        for c in &mut chunks {
            c.copy_from_slice(&self.next_u64().to_le_bytes());
        }
        let rest = chunks.into_remainder();
        let last = self.next_u64().to_le_bytes();
        let n = rest.len();
        rest.copy_from_slice(&last[..n]);
    }
}

/// Write `size` bytes: `header`, then random bytes from `seed`.
pub fn write_random_file(path: &Path, size: u64, seed: u64, header: &[u8]) -> Result<()> {
    let mut rng = Rng::new(seed);
    let mut f = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut buf = vec![0u8; 1 << 20];
    let mut left = size;
    let mut first = true;
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        rng.fill(&mut buf[..n]);
        if first {
            let h = header.len().min(n);
            buf[..h].copy_from_slice(&header[..h]);
            first = false;
        }
        f.write_all(&buf[..n])
            .with_context(|| format!("writing {}", path.display()))?;
        left -= n as u64;
    }
    Ok(())
}

/// A phone-screenshot-like PNG (flat background, status bar, rows of glyph-like marks),
/// unique per `seed`.
pub fn screenshot_png(width: u32, height: u32, seed: u64) -> Result<Vec<u8>> {
    let mut rng = Rng::new(seed);
    let bg = [
        235 + rng.below(20) as u8,
        235 + rng.below(20) as u8,
        235 + rng.below(20) as u8,
    ];
    let accent = [
        rng.below(200) as u8,
        rng.below(200) as u8,
        120 + rng.below(135) as u8,
    ];
    let row_h = 64u32;
    let rows = (height / row_h) as usize + 1;
    let row_len: Vec<u32> = (0..rows)
        .map(|_| (rng.range(width as u64 / 5, width as u64 * 9 / 10)) as u32)
        .collect();
    let salt = rng.next_u64();
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        if y < 110 {
            return image::Rgb([20, 20, 24]);
        }
        if (160..280).contains(&y) && (40..width.saturating_sub(40)).contains(&x) {
            return image::Rgb(accent);
        }
        let row = (y / row_h) as usize;
        let in_row = y % row_h;
        if y > 320 && (18..46).contains(&in_row) && x >= 48 && x < 48 + row_len[row] && x % 18 < 14
        {
            // A "glyph": a pseudo-random 3×3-pixel pattern, stable per cell.
            let cell = ((x / 3) as u64) << 20 | ((y / 3) as u64) << 40;
            let h = Rng::new(salt ^ cell).next_u64();
            if h & 3 != 0 {
                let shade = 30 + (h >> 8) as u8 % 40;
                return image::Rgb([shade, shade, shade]);
            }
        }
        image::Rgb(bg)
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .context("encoding a PNG screenshot")?;
    Ok(out)
}

pub const MERCHANTS: &[&str] = &[
    "Lidl",
    "Rewe",
    "Edeka",
    "Aldi Sud",
    "Carrefour",
    "Monoprix",
    "Tesco",
    "Sainsbury's",
    "Starbucks",
    "Pret A Manger",
    "Amazon",
    "IKEA",
    "Decathlon",
    "MediaMarkt",
    "Apple Store",
    "Shell",
    "Aral",
    "Uber",
    "Bolt",
    "Deutsche Bahn",
    "SNCF",
    "Lufthansa",
    "Ryanair",
    "Zara",
    "H&M",
    "Migros",
    "Coop",
    "Boots",
    "Fnac",
    "Booking.com",
    "Airbnb",
    "Netflix",
    "Spotify",
    "Pharmacie Centrale",
    "Cafe Central",
    "Backerei Muller",
    "Rossmann",
    "dm drogerie",
    "Saturn",
    "Galeria",
    "Primark",
    "Uniqlo",
    "Lush",
    "Hornbach",
    "OBI",
    "Bauhaus",
];

const STREETS: &[&str] = &[
    "Hauptstrasse",
    "Rue de la Paix",
    "High Street",
    "Bahnhofstrasse",
    "Main Street",
    "Kurfurstendamm",
    "Avenue Foch",
    "Marktplatz",
    "Oxford Street",
    "Via Roma",
];

const CITIES: &[&str] = &[
    "Berlin",
    "Paris",
    "London",
    "Munich",
    "Lyon",
    "Zurich",
    "Vienna",
    "Hamburg",
    "Milan",
    "Amsterdam",
    "Cologne",
    "Brussels",
];

const ITEMS: &[&str] = &[
    "Milk 1L",
    "Bread",
    "Coffee beans 500g",
    "Bananas",
    "Apples 1kg",
    "Butter",
    "Cheese",
    "Eggs x10",
    "Yoghurt",
    "Orange juice",
    "Pasta",
    "Tomatoes",
    "Olive oil",
    "Rice 1kg",
    "Chocolate",
    "Sparkling water",
    "Beer 6-pack",
    "Red wine",
    "Toothpaste",
    "Shampoo",
    "Detergent",
    "Paper towels",
    "USB-C cable",
    "Phone case",
    "Headphones",
    "Batteries AA",
    "Light bulb",
    "Notebook",
    "Pens",
    "Printer paper",
    "Train ticket",
    "Seat reservation",
    "Taxi ride",
    "Cappuccino",
    "Latte macchiato",
    "Croissant",
    "Sandwich",
    "Salad",
    "Pizza",
    "Running shoes",
    "T-shirt",
    "Jeans",
    "Socks",
    "Jacket",
    "Umbrella",
    "Sunglasses",
    "Screwdriver set",
    "Paint 2.5L",
    "Drill bits",
    "Garden hose",
    "Plant pot",
    "Desk lamp",
    "Monthly subscription",
    "Hotel night",
    "Breakfast",
    "Parking",
    "Fuel",
    "Car wash",
    "Museum ticket",
    "Cinema ticket",
];

const PAYMENTS: &[&str] = &[
    "Visa ****4821",
    "Mastercard ****1907",
    "Cash",
    "PayPal",
    "Apple Pay",
    "Google Pay",
    "Girocard",
    "Amex ****3005",
];

const CURRENCIES: &[&str] = &["EUR", "EUR", "EUR", "USD", "GBP", "CHF"];

/// A vocabulary of made-up but pronounceable words, drawn with Zipf-like frequencies:
/// rank 0 is very common, the last ranks are rare.
pub struct Vocab {
    pub words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocab {
    pub fn new(n: usize, seed: u64) -> Vocab {
        const ONSETS: &[&str] = &[
            "b", "br", "c", "ch", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "l", "m", "n",
            "p", "pl", "qu", "r", "s", "sh", "st", "t", "tr", "v", "w", "z",
        ];
        const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"];
        const CODAS: &[&str] = &["", "", "", "n", "r", "s", "l", "m", "x", "nd", "st", "rk"];
        let mut rng = Rng::new(seed);
        let mut seen = std::collections::HashSet::new();
        let mut words = Vec::with_capacity(n);
        while words.len() < n {
            let syllables = rng.range(2, 4);
            let mut w = String::new();
            for _ in 0..syllables {
                w.push_str(rng.pick(ONSETS));
                w.push_str(rng.pick(VOWELS));
            }
            w.push_str(rng.pick(CODAS));
            if w.len() >= 5 && seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut cumulative = Vec::with_capacity(n);
        let mut sum = 0.0;
        for rank in 0..n {
            sum += 1.0 / (rank as f64 + 1.0);
            cumulative.push(sum);
        }
        Vocab { words, cumulative }
    }

    /// A word index drawn with Zipf frequencies.
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.f64() * total;
        self.cumulative
            .partition_point(|&c| c < x)
            .min(self.words.len() - 1)
    }
}

/// First and last payment date of the synthetic receipts.
pub fn date_range() -> (NaiveDate, u64) {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let end = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default();
    (start, (end - start).num_days().max(1) as u64)
}

fn money(minor: u64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// A receipt of about `target_len` bytes. Its vocabulary words (for document
/// frequencies) are pushed onto `used`. Lines of items are added until the length is
/// reached, then the notes are filled with vocabulary words when `notes` is true.
pub fn receipt(
    rng: &mut Rng,
    vocab: &Vocab,
    serial: usize,
    target_len: usize,
    notes: bool,
    used: &mut Vec<usize>,
) -> String {
    use std::fmt::Write as _;
    let merchant = rng.pick(MERCHANTS);
    let currency = rng.pick(CURRENCIES);
    let (start, days) = date_range();
    let date = start
        .checked_add_days(Days::new(rng.below(days + 1)))
        .unwrap_or(start);
    let mut s = String::with_capacity(target_len + 256);
    let _ = write!(
        s,
        "{merchant}\n{} {}, {} {}\nReceipt no. {}-{serial:06}\nDate: {date}  {:02}:{:02}\n\
         ----------------------------------------\n",
        rng.pick(STREETS),
        rng.range(1, 180),
        rng.range(10000, 99999),
        rng.pick(CITIES),
        rng.range(100, 999),
        rng.range(7, 21),
        rng.below(60),
    );
    let mut total = 0u64;
    let item_lines = if notes {
        rng.range(3, 8) as usize
    } else {
        usize::MAX
    };
    let mut i = 0;
    // Leave room for the footer.
    while i < item_lines && s.len() + 200 < target_len {
        let qty = rng.range(1, 4);
        let price = rng.range(49, 4999);
        total += qty * price;
        let _ = writeln!(
            s,
            "{:<28} {qty} x {:>7} {:>9}",
            rng.pick(ITEMS),
            money(price),
            money(qty * price)
        );
        i += 1;
    }
    let vat = total * 19 / 119;
    let _ = write!(
        s,
        "----------------------------------------\nSubtotal: {} {currency}\nVAT 19%: {} {currency}\n\
         Total: {} {currency}\nPaid by {}\n",
        money(total - vat),
        money(vat),
        money(total),
        rng.pick(PAYMENTS),
    );
    if notes {
        s.push_str("Notes:");
        let end = target_len.saturating_sub(40);
        let mut col = 6;
        while s.len() < end {
            let w = vocab.sample(rng);
            used.push(w);
            let word = &vocab.words[w];
            if col + word.len() > 72 {
                s.push('\n');
                col = 0;
            } else {
                s.push(' ');
                col += 1;
            }
            s.push_str(word);
            col += word.len();
        }
        s.push('\n');
    }
    let _ = writeln!(s, "Thank you for shopping at {merchant}!");
    s
}

/// Write `text` to `path`.
pub fn write_text(path: &Path, text: &str) -> Result<()> {
    let f = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = BufWriter::new(f);
    w.write_all(text.as_bytes())
        .and_then(|_| w.flush())
        .with_context(|| format!("writing {}", path.display()))
}
