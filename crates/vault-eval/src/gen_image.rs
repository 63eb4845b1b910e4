//! Labelled set 1b: till receipts rendered to PNG from known values, to be OCRed.
//!
//! Text is drawn with the DejaVu fonts of the system (`/usr/share/fonts/truetype/dejavu`,
//! or `VAULT_EVAL_FONT_DIR`): the evaluation may depend on system fonts, tests may not.

use crate::rng::Rng;
use crate::score::Label;
use ab_glyph::{point, Font, FontVec, PxScale, ScaleFont};
use anyhow::{Context, Result};
use chrono::{Datelike, Duration, NaiveDate};
use image::{GrayImage, Luma};
use std::path::PathBuf;
use vault_core::{Currency, Money};

pub struct Fonts {
    mono: FontVec,
    bold: FontVec,
}

impl Fonts {
    pub fn load() -> Result<Fonts> {
        let dir = std::env::var_os("VAULT_EVAL_FONT_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/share/fonts/truetype/dejavu"));
        let read = |name: &str| -> Result<FontVec> {
            let p = dir.join(name);
            let bytes = std::fs::read(&p).with_context(|| {
                format!(
                    "font {} is missing (apt-get install fonts-dejavu-core)",
                    p.display()
                )
            })?;
            FontVec::try_from_vec(bytes)
                .with_context(|| format!("font {} is unreadable", p.display()))
        };
        Ok(Fonts {
            mono: read("DejaVuSansMono.ttf")?,
            bold: read("DejaVuSans-Bold.ttf")?,
        })
    }
}

pub struct ImageCase<'f> {
    pub name: String,
    pub label: Label,
    /// (text, big) lines to draw.
    lines: Vec<(String, bool)>,
    fonts: &'f Fonts,
    noise_seed: u64,
}

const WIDTH: u32 = 860;
const PX: f32 = 26.0;
const LINE: f32 = 36.0;

impl ImageCase<'_> {
    /// The receipt as a grayscale PNG (300-dpi-like scale, light speckle noise).
    pub fn png(&self) -> Result<Vec<u8>> {
        let height = (self.lines.len() as f32 * LINE + 120.0) as u32;
        let mut img = GrayImage::from_pixel(WIDTH, height, Luma([255]));
        let mut y = 50.0;
        for (text, big) in &self.lines {
            let (font, px) = if *big {
                (&self.fonts.bold, PX * 1.5)
            } else {
                (&self.fonts.mono, PX)
            };
            let w = text_width(font, px, text);
            let x = if *big {
                ((WIDTH as f32 - w) / 2.0).max(20.0)
            } else {
                40.0
            };
            draw(&mut img, font, px, x, y, text);
            y += if *big { LINE * 1.5 } else { LINE };
        }
        let mut rng = Rng::new(self.noise_seed);
        for _ in 0..(WIDTH * height / 400) {
            let x = rng.below(WIDTH as u64) as u32;
            let yy = rng.below(height as u64) as u32;
            let v = 150 + rng.below(100) as u8;
            img.put_pixel(x, yy, Luma([v]));
        }
        let mut out = Vec::new();
        image::DynamicImage::ImageLuma8(img)
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .context("encoding PNG")?;
        Ok(out)
    }
}

fn text_width(font: &FontVec, px: f32, text: &str) -> f32 {
    let sf = font.as_scaled(PxScale::from(px));
    text.chars().map(|c| sf.h_advance(sf.glyph_id(c))).sum()
}

fn draw(img: &mut GrayImage, font: &FontVec, px: f32, x: f32, y: f32, text: &str) {
    let sf = font.as_scaled(PxScale::from(px));
    let mut caret = x;
    for ch in text.chars() {
        let id = sf.glyph_id(ch);
        let glyph = id.with_scale_and_position(px, point(caret, y + sf.ascent()));
        caret += sf.h_advance(id);
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let b = outline.px_bounds();
        outline.draw(|gx, gy, c| {
            let px_x = b.min.x as i64 + gx as i64;
            let px_y = b.min.y as i64 + gy as i64;
            if px_x < 0 || px_y < 0 || px_x >= img.width() as i64 || px_y >= img.height() as i64 {
                return;
            }
            let p = img.get_pixel_mut(px_x as u32, px_y as u32);
            let ink = (255.0 * (1.0 - c.clamp(0.0, 1.0))) as u8;
            p.0[0] = p.0[0].min(ink);
        });
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    German,
    British,
    American,
    Swiss,
}

fn fmt_amount(minor: i64, style: Style) -> String {
    let int = minor / 100;
    let frac = minor % 100;
    match style {
        Style::German => format!("{int},{frac:02}"),
        Style::Swiss => format!("{int}.{frac:02}"),
        _ => format!("{int}.{frac:02}"),
    }
}

fn pad(left: &str, right: &str) -> String {
    let width = 42usize;
    let n = width
        .saturating_sub(left.chars().count() + right.chars().count())
        .max(2);
    format!("{left}{}{right}", " ".repeat(n))
}

/// `n` rendered receipts for one seed.
pub fn generate(seed: u64, n: usize, fonts: &Fonts) -> Vec<ImageCase<'_>> {
    contents(seed, n)
        .into_iter()
        .map(|c| ImageCase {
            name: c.name,
            label: c.label,
            lines: c.lines,
            fonts,
            noise_seed: c.noise_seed,
        })
        .collect()
}

/// What one receipt says and its noise, before it meets the fonts.
struct Content {
    name: String,
    label: Label,
    lines: Vec<(String, bool)>,
    noise_seed: u64,
}

/// The contents of `n` receipts for one seed (tests need no fonts for these).
fn contents(seed: u64, n: usize) -> Vec<Content> {
    let mut master = Rng::new(seed ^ 0x1A6E);
    (0..n)
        .map(|i| {
            let mut rng = master.fork(i as u64);
            build(&mut rng, i)
        })
        .collect()
}

/// (merchants, streets, items) of a style.
type Vocabulary = (
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

/// The merchants, streets and items a receipt of this style picks from (table data).
fn vocabulary(style: Style) -> Vocabulary {
    match style {
        Style::German => (
            &[
                "Frischmarkt Sommer",
                "Drogerie Lindner",
                "Baumarkt Hammer GmbH",
                "Café Kranz",
                "Bäckerei Vogt",
                "Getränke Quelle",
            ],
            &["Hauptstraße 12", "Bahnhofstr. 7", "Marktplatz 3"],
            &[
                "Vollmilch 3,5%",
                "Bio Bananen",
                "Roggenbrot",
                "Butter",
                "Kaffee Crema",
                "Spülmittel",
                "Schrauben 4x40",
                "Apfelsaft 1L",
            ],
        ),
        Style::Swiss => (
            &["Chäsi Bergblick", "Velo Huber AG"],
            &["Seestrasse 21", "Dorfplatz 2"],
            &["Gruyère 250g", "Zopf", "Milch 1L", "Veloschlauch"],
        ),
        _ => (
            &[
                "Corner Deli",
                "Fresh Fields Market",
                "Hilltop Hardware",
                "Riverside Pharmacy",
                "Blue Door Bakery",
            ],
            &["12 High Street", "455 Oak Avenue", "8 Station Road"],
            &[
                "Whole milk 2L",
                "Bananas",
                "Sourdough loaf",
                "Butter",
                "Coffee beans",
                "Dish soap",
                "Screws 4x40",
                "Apple juice",
            ],
        ),
    }
}

/// Lines to draw: (text, big).
type Lines = Vec<(String, bool)>;

/// Draw one receipt: its lines, label and noise seed.
fn build(rng: &mut Rng, i: usize) -> Content {
    let style = rng.pick(&[
        Style::German,
        Style::German,
        Style::British,
        Style::American,
        Style::Swiss,
    ]);
    let (merchants, streets, items) = vocabulary(style);
    let merchant = rng.pick(merchants);
    let cur = match style {
        Style::German => "EUR",
        Style::Swiss => "CHF",
        Style::British => "GBP",
        Style::American => "USD",
    };
    let currency =
        Currency::parse(cur).unwrap_or_else(|| Currency::parse("EUR").expect("EUR is known"));
    let mut lines: Lines = Vec::new();
    let mut label = Label::default();
    header_lines(rng, style, merchant, streets, &mut lines);
    let subtotal = item_lines(rng, style, items, &mut lines);
    let total = total_lines(rng, style, subtotal, currency, &mut lines, &mut label);
    let date = date_lines(rng, style, &mut lines);
    let m = |minor: i64| Money { minor, currency };
    label.merchant = Some(merchant.to_string());
    label.amount = Some(m(total));
    label.date = Some(date);
    Content {
        name: format!("image-{i:03} [{cur}]"),
        label,
        lines,
        noise_seed: rng.next_u64(),
    }
}

/// The shop's name, address and phone (and VAT number, sometimes, in Germany), then a
/// blank line.
fn header_lines(rng: &mut Rng, style: Style, merchant: &str, streets: &[&str], lines: &mut Lines) {
    lines.push((merchant.to_string(), true));
    lines.push((rng.pick(streets).to_string(), false));
    lines.push((
        match style {
            Style::German => "33100 Paderborn",
            Style::Swiss => "8001 Zürich",
            Style::British => "Bristol BS1 4DJ",
            Style::American => "Springfield, IL 62701",
        }
        .to_string(),
        false,
    ));
    lines.push((
        format!(
            "Tel. 0{} {}",
            rng.range(200, 999),
            rng.range(100_000, 999_999)
        ),
        false,
    ));
    if style == Style::German && rng.chance(0.5) {
        lines.push((
            format!("USt-IdNr. DE{}", rng.range(100_000_000, 999_999_999)),
            false,
        ));
    }
    lines.push((String::new(), false));
}

/// The item lines (a quantity line above an item bought more than once), then a rule:
/// returns the sum of the items.
fn item_lines(rng: &mut Rng, style: Style, items: &[&str], lines: &mut Lines) -> i64 {
    let n_items = rng.range(2, 7);
    let mut total = 0;
    for _ in 0..n_items {
        let price = rng.range(39, 2999);
        let qty = if rng.chance(0.2) { rng.range(2, 4) } else { 1 };
        if qty > 1 {
            lines.push((format!("  {qty} x {}", fmt_amount(price, style)), false));
        }
        lines.push((
            pad(
                rng.pick(items),
                &format!("{} A", fmt_amount(price * qty, style)),
            ),
            false,
        ));
        total += price * qty;
    }
    lines.push(("-".repeat(42), false));
    total
}

/// The subtotal and tax (American receipts, sometimes), the total, the payment (cash
/// with the change, or a card), and the VAT line of inclusive prices; the amounts that
/// are not the total are noted as distractors. Returns the total.
fn total_lines(
    rng: &mut Rng,
    style: Style,
    items_total: i64,
    currency: Currency,
    lines: &mut Lines,
    label: &mut Label,
) -> i64 {
    let m = |minor: i64| Money { minor, currency };
    let mut total = items_total;
    let (sum_word, given_word, change_word, card_word) = match style {
        Style::German => (
            rng.pick(&["SUMME EUR", "Summe", "ZU ZAHLEN", "Gesamt EUR"]),
            "Bar",
            "Rückgeld",
            "EC-Karte",
        ),
        Style::Swiss => (
            rng.pick(&["TOTAL CHF", "Total", "Summe CHF"]),
            "Bar",
            "Rückgeld",
            "Maestro",
        ),
        _ => (
            rng.pick(&["TOTAL", "Total", "BALANCE DUE", "Amount due"]),
            "CASH",
            "CHANGE",
            "VISA",
        ),
    };
    let subtotal_shown = style == Style::American && rng.chance(0.6);
    let mut tax = 0;
    if subtotal_shown {
        lines.push((pad("SUBTOTAL", &fmt_amount(total, style)), false));
        label.distractors.push((m(total), "subtotal"));
        tax = total * 8 / 100;
        lines.push((pad("TAX 8%", &fmt_amount(tax, style)), false));
        total += tax;
    }
    let prefix = match style {
        Style::American => "$",
        Style::British => "£",
        _ => "",
    };
    lines.push((
        pad(sum_word, &format!("{prefix}{}", fmt_amount(total, style))),
        false,
    ));
    if rng.chance(0.5) {
        let given = (total / 1000 + 1) * 1000 + if rng.chance(0.5) { 1000 } else { 0 };
        lines.push((pad(given_word, &fmt_amount(given, style)), false));
        lines.push((pad(change_word, &fmt_amount(given - total, style)), false));
        label.distractors.push((m(given), "cash tendered"));
        label.distractors.push((m(given - total), "change"));
    } else {
        lines.push((pad(card_word, &fmt_amount(total, style)), false));
        lines.push((
            format!("Karte/Card ************{:04}", rng.below(10_000)),
            false,
        ));
    }
    if !subtotal_shown {
        tax = vat_line(style, total, lines, label, m);
    }
    if tax > 0 {
        label.tax = Some(m(tax));
        label.distractors.push((m(tax), "tax"));
    }
    total
}

/// The VAT line of a receipt whose prices include it (none for American ones): the
/// net amount is noted as a distractor. Returns the tax.
fn vat_line(
    style: Style,
    total: i64,
    lines: &mut Lines,
    label: &mut Label,
    m: impl Fn(i64) -> Money,
) -> i64 {
    let rate = match style {
        Style::German => 19,
        Style::Swiss => 8,
        Style::British => 20,
        Style::American => 0,
    };
    if rate == 0 {
        return 0;
    }
    let tax = total * rate / (100 + rate);
    let (w, net) = match style {
        Style::German => ("MwSt", "Netto"),
        Style::Swiss => ("MWST", "Netto"),
        _ => ("VAT", "Net"),
    };
    lines.push((String::new(), false));
    lines.push((
        format!(
            "{w} {rate}%  {net} {}  {w} {}",
            fmt_amount(total - tax, style),
            fmt_amount(tax, style)
        ),
        false,
    ));
    label.distractors.push((m(total - tax), "net amount"));
    tax
}

/// The date and time line (with a receipt and till number) and the thanks: returns the
/// date.
fn date_lines(rng: &mut Rng, style: Style, lines: &mut Lines) -> NaiveDate {
    let date = NaiveDate::from_ymd_opt(rng.range(2016, 2026) as i32, 1, 1).unwrap_or_default()
        + Duration::days(rng.range(0, 364));
    let (y, mo, d) = (date.year(), date.month(), date.day());
    let date_text = match style {
        Style::German | Style::Swiss => {
            if rng.chance(0.5) {
                format!("{d:02}.{mo:02}.{y}")
            } else {
                format!("{d:02}.{mo:02}.{:02}", y % 100)
            }
        }
        Style::British => format!("{d:02}/{mo:02}/{y}"),
        Style::American => format!("{mo:02}/{d:02}/{y}"),
    };
    lines.push((String::new(), false));
    lines.push((
        format!(
            "{date_text} {:02}:{:02}  Bon {}  Kasse {}",
            rng.range(8, 20),
            rng.range(0, 59),
            rng.range(1000, 9999),
            rng.range(1, 6)
        ),
        false,
    ));
    lines.push((
        match style {
            Style::German | Style::Swiss => "Vielen Dank für Ihren Einkauf!",
            _ => "Thank you for shopping with us!",
        }
        .to_string(),
        false,
    ));
    date
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A digest of what `generate` draws for fixed seeds (names, lines, labels and noise
    /// seeds; the PNGs need the system fonts), taken before `build` was split into steps:
    /// the random draws, their order and what they give must stay the same.
    #[test]
    fn generated_images_unchanged() {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let mut n = 0;
        for seed in [1u64, 7, 42] {
            for c in contents(seed, 300) {
                h.update(c.name.as_bytes());
                h.update(format!("{:?}", c.label).as_bytes());
                for (text, big) in &c.lines {
                    h.update(text.as_bytes());
                    h.update([*big as u8, b'\n']);
                }
                h.update(c.noise_seed.to_le_bytes());
                n += 1;
            }
        }
        assert_eq!(n, 900);
        assert_eq!(
            hex::encode(h.finalize()),
            "ec504d39a2afcb80049994b1aa19aede2b702bb5d95944f0e7b858c239e3564c"
        );
    }
}
