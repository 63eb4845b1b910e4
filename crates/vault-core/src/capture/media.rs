//! Images: dimensions, EXIF date and orientation, thumbnails and the grey page given to
//! OCR, decoded under explicit limits so that a decompression bomb is refused with a reason
//! instead of eating the machine's memory.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, TimeZone};
use image::{ImageReader, Limits};
use std::io::{BufRead, BufReader, Cursor, Read, Seek};

/// Longest side of a thumbnail, in pixels.
pub const THUMB_MAX: u32 = 256;
/// Images with more pixels than this get no thumbnail (they are still kept).
pub const MAX_PIXELS: u64 = 50_000_000;
/// Longest side accepted for decoding.
pub const MAX_SIDE: u32 = 30_000;
/// Most memory a decoder may allocate.
pub const MAX_ALLOC: u64 = 192 << 20;

fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(MAX_SIDE);
    l.max_image_height = Some(MAX_SIDE);
    l.max_alloc = Some(MAX_ALLOC);
    l
}

/// Read width and height from the header only.
pub fn dimensions<R: BufRead + Seek>(r: R) -> Result<(u32, u32), String> {
    let mut reader = ImageReader::new(r)
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    reader.limits(limits());
    reader.into_dimensions().map_err(|e| e.to_string())
}

/// Why an image of these dimensions will not be decoded, if it will not.
pub fn refuse_reason(width: u32, height: u32) -> Option<String> {
    let pixels = width as u64 * height as u64;
    if pixels > MAX_PIXELS || width > MAX_SIDE || height > MAX_SIDE {
        Some(format!(
            "image is {width}×{height} ({:.0} megapixels), over the {} megapixel limit: possible decompression bomb; kept without a thumbnail",
            pixels as f64 / 1e6,
            MAX_PIXELS / 1_000_000
        ))
    } else {
        None
    }
}

/// Decode (under limits) and make a JPEG thumbnail no larger than `THUMB_MAX`.
pub fn thumbnail<R: BufRead + Seek>(mut r: R) -> Result<Vec<u8>, String> {
    let (w, h) = dimensions(&mut r)?;
    if let Some(reason) = refuse_reason(w, h) {
        return Err(reason);
    }
    r.rewind().map_err(|e| e.to_string())?;
    let mut reader = ImageReader::new(r)
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    reader.limits(limits());
    let img = reader.decode().map_err(|e| e.to_string())?;
    let thumb = if img.width() > THUMB_MAX || img.height() > THUMB_MAX {
        img.thumbnail(THUMB_MAX, THUMB_MAX)
    } else {
        img
    };
    let rgb = thumb.to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut Cursor::new(&mut out), 82)
        .encode_image(&rgb)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// EXIF DateTimeOriginal (or DateTime), with its offset when the file records one,
/// else read as local time.
pub fn exif_date<R: BufRead + Seek>(mut r: R) -> Option<DateTime<FixedOffset>> {
    let exif = exif::Reader::new().read_from_container(&mut r).ok()?;
    let field = exif
        .get_field(exif::Tag::DateTimeOriginal, exif::In::PRIMARY)
        .or_else(|| exif.get_field(exif::Tag::DateTime, exif::In::PRIMARY))?;
    let exif::Value::Ascii(ref v) = field.value else {
        return None;
    };
    let mut dt = exif::DateTime::from_ascii(v.first()?).ok()?;
    if let Some(off) = exif.get_field(exif::Tag::OffsetTimeOriginal, exif::In::PRIMARY) {
        if let exif::Value::Ascii(ref ov) = off.value {
            if let Some(o) = ov.first() {
                let _ = dt.parse_offset(o);
            }
        }
    }
    let naive = NaiveDate::from_ymd_opt(dt.year as i32, dt.month as u32, dt.day as u32)?
        .and_hms_opt(dt.hour as u32, dt.minute as u32, dt.second as u32)?;
    match dt.offset {
        Some(minutes) => FixedOffset::east_opt(minutes as i32 * 60)?
            .from_local_datetime(&naive)
            .single(),
        None => Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|d| d.fixed_offset()),
    }
}

/// The EXIF Orientation tag (1..=8), if the file has one.
pub fn exif_orientation<R: BufRead + Seek>(mut r: R) -> Option<u8> {
    let exif = exif::Reader::new().read_from_container(&mut r).ok()?;
    let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    field.value.get_uint(0).and_then(|v| u8::try_from(v).ok())
}

/// Images whose longer side is below this are enlarged 2x for OCR: small screenshots
/// (1x phone screens, crops) have text a few pixels high, which Tesseract misreads
/// ("US$ 23.45" read as "Uss 2345" at 9-11 px; read right at 2x).
pub const OCR_UPSCALE_BELOW: u32 = 1600;
/// Images whose longer side is above this are reduced to it for OCR (time grows with the
/// pixel count; 300 dpi A4 scans, 3508 px, stay as they are).
pub const OCR_MAX_SIDE: u32 = 5000;

/// Decode an image for OCR: under the same limits as thumbnails, turned upright by its
/// EXIF orientation, grey, and scaled by the rules above.
pub fn ocr_page(bytes: &[u8]) -> Result<image::GrayImage, String> {
    let (w, h) = dimensions(reader_for(bytes))?;
    if let Some(reason) = refuse_reason(w, h) {
        return Err(reason);
    }
    let mut reader = ImageReader::new(reader_for(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    reader.limits(limits());
    let mut img = reader.decode().map_err(|e| e.to_string())?;
    if let Some(o) =
        exif_orientation(reader_for(bytes)).and_then(image::metadata::Orientation::from_exif)
    {
        img.apply_orientation(o);
    }
    let grey = img.into_luma8();
    let dpi = declared_dpi(bytes);
    // Photos (JPEG, TIFF) and scans (a declared resolution) often show the receipt on a
    // table or the scanner's lid; screenshots are read whole (a dark sidebar is content).
    let photo = matches!(
        image::guess_format(bytes),
        Ok(image::ImageFormat::Jpeg | image::ImageFormat::Tiff)
    ) || dpi.is_some_and(|d| d >= 150);
    let grey = match paper_bounds(&grey).filter(|_| photo) {
        Some((x, y, w, h)) => image::imageops::crop_imm(&grey, x, y, w, h).to_image(),
        None => grey,
    };
    Ok(scale_for_ocr(grey, dpi))
}

/// Side of the reduced image in which the paper is looked for.
const PAPER_PROBE: u32 = 400;

/// Where the paper is, when a photo or scan shows a receipt on a darker background (a
/// flatbed scan of a till slip on an A4 bed, a photo on a table): the bounds `(x, y, w, h)`
/// of the largest bright, solid region, with a margin. `None` when the page is all paper,
/// or no region stands out clearly (then the whole image is read).
///
/// Tesseract reads a receipt that fills a third of an A4 scan poorly: the grey lid's
/// texture turns into lines of noise ("= : = Sen =") and its page layout analysis mixes
/// them into the receipt's lines.
pub fn paper_bounds(img: &image::GrayImage) -> Option<(u32, u32, u32, u32)> {
    use image::imageops::{resize, FilterType};
    let (w, h) = img.dimensions();
    if w < 64 || h < 64 {
        return None;
    }
    let f = (f64::from(w.max(h)) / f64::from(PAPER_PROBE)).max(1.0);
    let (sw, sh) = (
        ((f64::from(w) / f).round() as u32).max(1),
        ((f64::from(h) / f).round() as u32).max(1),
    );
    let small = resize(img, sw, sh, FilterType::Triangle);
    // Lines of print darken the paper in the reduced image: a maximum filter (radius ~1 %
    // of the long side) fills them, so the paper is one region; the background stays.
    let r = (PAPER_PROBE / 130).max(1) as usize;
    let (sw, sh) = (sw as usize, sh as usize);
    let src = small.as_raw();
    let mut horiz = vec![0u8; sw * sh];
    for y in 0..sh {
        for x in 0..sw {
            let (a, b) = (x.saturating_sub(r), (x + r + 1).min(sw));
            horiz[y * sw + x] = src[y * sw + a..y * sw + b]
                .iter()
                .copied()
                .max()
                .unwrap_or(0);
        }
    }
    let mut v = vec![0u8; sw * sh];
    for y in 0..sh {
        let (a, b) = (y.saturating_sub(r), (y + r + 1).min(sh));
        for x in 0..sw {
            v[y * sw + x] = (a..b).map(|yy| horiz[yy * sw + x]).max().unwrap_or(0);
        }
    }
    // Ink: print darker than the paper around it (the filtered image is the paper).
    let ink: Vec<bool> = v
        .iter()
        .zip(src)
        .map(|(&p, &q)| p.saturating_sub(q) >= 35)
        .collect();
    let probe = Probe {
        v: &v,
        ink: &ink,
        width: sw,
        r,
    };
    // Narrow in: a scanner's black border, then the lid around the receipt.
    let full = (0, 0, sw, sh);
    let mut rect = full;
    for _ in 0..4 {
        let next = probe.narrow(rect);
        if next == rect {
            break;
        }
        rect = next;
    }
    if rect == full {
        return None;
    }
    let (x0, y0, x1, y1) = rect;
    let margin = r + (sw.max(sh) / 50);
    let (x0, y0) = (x0.saturating_sub(margin), y0.saturating_sub(margin));
    let (x1, y1) = ((x1 + margin).min(sw), (y1 + margin).min(sh));
    let to_full = |s: usize, limit: u32| ((s as f64 * f).round() as u32).min(limit);
    let (fx0, fy0, fx1, fy1) = (
        to_full(x0, w),
        to_full(y0, h),
        to_full(x1, w),
        to_full(y1, h),
    );
    (fx1 > fx0 && fy1 > fy0 && (fx0, fy0, fx1, fy1) != (0, 0, w, h))
        .then(|| (fx0, fy0, fx1 - fx0, fy1 - fy0))
}

/// A rectangle of the reduced image: x0, y0, x1, y1 (ends exclusive).
type Rect = (usize, usize, usize, usize);

fn area((x0, y0, x1, y1): Rect) -> f64 {
    ((x1 - x0) * (y1 - y0)) as f64
}

/// The reduced, filtered image (`v`: the paper's brightness around each pixel) and where
/// print is (`ink`), `width` wide; `r` is the filter's radius.
struct Probe<'a> {
    v: &'a [u8],
    ink: &'a [bool],
    width: usize,
    r: usize,
}

impl Probe<'_> {
    fn count(&self, (x0, y0, x1, y1): Rect, f: impl Fn(usize) -> bool) -> usize {
        (y0..y1)
            .map(|y| {
                (y * self.width + x0..y * self.width + x1)
                    .filter(|&i| f(i))
                    .count()
            })
            .sum()
    }

    /// Is the part of `outer` outside `inner` bare (a lid, a table): is its print at most
    /// `share` of the kept part's? Print there means the "background" was a greyer part of
    /// the receipt (a faded stretch, an advert). The band along the cut is left out: the
    /// filter spreads the paper over it.
    fn bare_cut(&self, outer: Rect, inner: Rect, share: f64) -> bool {
        let d = 2 * self.r + 1;
        let band = (
            inner.0.saturating_sub(d).max(outer.0),
            inner.1.saturating_sub(d).max(outer.1),
            (inner.2 + d).min(outer.2),
            (inner.3 + d).min(outer.3),
        );
        let ink = |r: Rect| self.count(r, |i| self.ink[i]) as f64;
        let kept = ink(inner) / area(inner).max(1.0);
        let cut = (ink(outer) - ink(band)) / (area(outer) - area(band)).max(1.0);
        // What is kept must have print: a bright patch without any is not a receipt.
        kept >= 0.01 && cut <= share * kept
    }

    /// One step in from `rect`: Otsu's threshold splits paper from background when the two
    /// differ clearly; the columns, then (within them) the rows, that are mostly paper are
    /// kept when what is cut away is bare. Projections, not connected regions: a strip of
    /// light along the lid's edge touching the receipt does not join the lid to it.
    fn narrow(&self, rect: Rect) -> Rect {
        let (rx0, ry0, rx1, ry1) = rect;
        let mut hist = [0u64; 256];
        for y in ry0..ry1 {
            for &p in &self.v[y * self.width + rx0..y * self.width + rx1] {
                hist[usize::from(p)] += 1;
            }
        }
        let total: f64 = hist.iter().map(|&c| c as f64).sum();
        let sum_all: f64 = hist
            .iter()
            .enumerate()
            .map(|(i, &c)| i as f64 * c as f64)
            .sum();
        let (mut best, mut t, mut means) = (0.0f64, 0usize, (0.0, 0.0));
        let (mut w0, mut sum0) = (0.0f64, 0.0f64);
        for (i, &c) in hist.iter().enumerate() {
            w0 += c as f64;
            sum0 += i as f64 * c as f64;
            let w1 = total - w0;
            if w0 == 0.0 || w1 == 0.0 {
                continue;
            }
            let (m0, m1) = (sum0 / w0, (sum_all - sum0) / w1);
            let between = w0 * w1 * (m0 - m1) * (m0 - m1);
            if between > best {
                (best, t, means) = (between, i, (m0, m1));
            }
        }
        if best <= 0.0 || means.1 - means.0 < 40.0 {
            return rect;
        }
        let bright = |x: usize, y: usize| usize::from(self.v[y * self.width + x]) > t;
        let mut out = rect;
        let cols: Vec<f64> = (rx0..rx1)
            .map(|x| (ry0..ry1).filter(|&y| bright(x, y)).count() as f64 / (ry1 - ry0) as f64)
            .collect();
        if let Some((a, b)) = paper_run(&cols) {
            let xs = (rx0 + a, ry0, rx0 + b, ry1);
            // Beside a receipt lie a lid's holes and edges (measured: 0.3-0.9 of a
            // receipt's print); above and below it, the print is the receipt's own more
            // often (a greyer header read 0.9-1.5), so rows are cut only when barer.
            if self.bare_cut(rect, xs, 1.0) {
                out = xs;
            }
        }
        let (x0, x1) = (out.0, out.2);
        let rows: Vec<f64> = (ry0..ry1)
            .map(|y| (x0..x1).filter(|&x| bright(x, y)).count() as f64 / (x1 - x0) as f64)
            .collect();
        if let Some((a, b)) = paper_run(&rows) {
            let ys = (x0, ry0 + a, x1, ry0 + b);
            if self.bare_cut(out, ys, 0.5) {
                out = ys;
            }
        }
        // Paper is solid (a receipt turned a little still fills most of its box) and big
        // enough to be the document.
        if out == rect {
            return rect;
        }
        let paper = self.count(out, |i| usize::from(self.v[i]) > t) as f64;
        if paper < 0.6 * area(out) || area(out) < 0.02 * area(rect) || !self.even(out, t) {
            return rect;
        }
        out
    }

    /// Is the paper in `rect` (brighter than `t`) evenly lit, as paper is: 80 % of it
    /// within 80 grey levels (a receipt on a lid, both brighter than a black border: 60)?
    /// A gradient or a photo's bright patch is not.
    fn even(&self, (x0, y0, x1, y1): Rect, t: usize) -> bool {
        let mut hist = [0usize; 256];
        for y in y0..y1 {
            for &p in &self.v[y * self.width + x0..y * self.width + x1] {
                if usize::from(p) > t {
                    hist[usize::from(p)] += 1;
                }
            }
        }
        let n: usize = hist.iter().sum();
        let level = |share: usize| {
            let mut seen = 0;
            hist.iter()
                .position(|&c| {
                    seen += c;
                    seen * 10 >= n * share
                })
                .unwrap_or(0)
        };
        n > 0 && level(9) - level(1) <= 80
    }
}

/// In a profile of paper shares (per column or row): the stretch where the share is at
/// least half the highest, gaps of a few entries bridged (a fold's shadow); of several,
/// the one holding the most paper. Ends exclusive.
fn paper_run(profile: &[f64]) -> Option<(usize, usize)> {
    let top = profile.iter().copied().fold(0.0f64, f64::max);
    if top <= 0.0 {
        return None;
    }
    let gap = (profile.len() / 100).max(2);
    let mut best: Option<(f64, usize, usize)> = None;
    let mut i = 0;
    while i < profile.len() {
        if profile[i] < top / 2.0 {
            i += 1;
            continue;
        }
        let (start, mut end, mut sum, mut j) = (i, i, 0.0, i);
        while j < profile.len() && j <= end + gap {
            if profile[j] >= top / 2.0 {
                end = j;
            }
            j += 1;
        }
        for p in &profile[start..=end] {
            sum += p;
        }
        if best.is_none_or(|b| sum > b.0) {
            best = Some((sum, start, end + 1));
        }
        i = end + 1;
    }
    best.map(|(_, a, b)| (a, b))
}

/// Adaptive (Sauvola) binarisation for a second OCR attempt on faint or unevenly lit
/// receipts: a pixel is ink when it is darker than its neighbourhood's mean lowered by the
/// neighbourhood's contrast. Tesseract's own global threshold loses faded thermal print next
/// to dark areas. The window is about 1/24 of the shorter side (at least 15 px).
pub fn binarize_adaptive(img: &image::GrayImage) -> image::GrayImage {
    let (w, h) = img.dimensions();
    let (wu, hu) = (w as usize, h as usize);
    if wu == 0 || hu == 0 {
        return img.clone();
    }
    // Integral images of values and squares, (w+1) x (h+1).
    let stride = wu + 1;
    let mut sum = vec![0u64; stride * (hu + 1)];
    let mut sq = vec![0u64; stride * (hu + 1)];
    let raw = img.as_raw();
    for y in 0..hu {
        let (mut rs, mut rq) = (0u64, 0u64);
        for x in 0..wu {
            let v = u64::from(raw[y * wu + x]);
            rs += v;
            rq += v * v;
            sum[(y + 1) * stride + x + 1] = sum[y * stride + x + 1] + rs;
            sq[(y + 1) * stride + x + 1] = sq[y * stride + x + 1] + rq;
        }
    }
    let r = ((w.min(h) / 48) as usize).max(7);
    const K: f64 = 0.15;
    const R: f64 = 128.0;
    let mut out = image::GrayImage::new(w, h);
    for y in 0..hu {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(hu));
        for x in 0..wu {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(wu));
            let n = ((y1 - y0) * (x1 - x0)) as f64;
            let area = |t: &[u64]| {
                (t[y1 * stride + x1] + t[y0 * stride + x0])
                    .wrapping_sub(t[y0 * stride + x1])
                    .wrapping_sub(t[y1 * stride + x0]) as f64
            };
            let mean = area(&sum) / n;
            let var = (area(&sq) / n - mean * mean).max(0.0);
            let t = mean * (1.0 + K * (var.sqrt() / R - 1.0));
            let v = f64::from(raw[y * wu + x]);
            out.put_pixel(
                x as u32,
                y as u32,
                image::Luma([if v < t { 0 } else { 255 }]),
            );
        }
    }
    out
}

/// Scans that declare a resolution at or above this are read at `OCR_SCAN_DPI`.
pub const OCR_SCAN_DPI_FROM: u32 = 280;
/// The resolution scans are reduced to for OCR: on the German receipt scans (300 dpi),
/// reading at 70-85 % size found more of the words and totals than at full size.
pub const OCR_SCAN_DPI: u32 = 225;

fn scale_for_ocr(img: image::GrayImage, dpi: Option<u32>) -> image::GrayImage {
    use image::imageops::{resize, FilterType};
    let (w, h) = img.dimensions();
    let long = w.max(h);
    if long == 0 {
        return img;
    }
    if let Some(dpi) = dpi.filter(|&d| (OCR_SCAN_DPI_FROM..=2400).contains(&d)) {
        let f = f64::from(OCR_SCAN_DPI) / f64::from(dpi);
        let (nw, nh) = (
            ((f64::from(w) * f).round() as u32).max(1),
            ((f64::from(h) * f).round() as u32).max(1),
        );
        return resize(&img, nw, nh, FilterType::Triangle);
    }
    if long < OCR_UPSCALE_BELOW {
        resize(&img, w * 2, h * 2, FilterType::Triangle)
    } else if long > OCR_MAX_SIDE {
        let f = OCR_MAX_SIDE as f64 / long as f64;
        let (nw, nh) = (
            ((w as f64 * f).round() as u32).max(1),
            ((h as f64 * f).round() as u32).max(1),
        );
        resize(&img, nw, nh, FilterType::Triangle)
    } else {
        img
    }
}

/// The resolution an image file declares (JPEG JFIF or EXIF, PNG pHYs), in dots per inch.
/// Scanners record it; screenshots and phone photos declare 72-144 dpi or nothing.
pub fn declared_dpi(bytes: &[u8]) -> Option<u32> {
    let be16 = |b: &[u8]| u16::from_be_bytes([b[0], b[1]]);
    if bytes.starts_with(&[0xFF, 0xD8]) {
        // JFIF APP0 right after SOI: "JFIF\0", version (2), units (1), X density (2).
        if bytes.len() >= 18 && bytes[2..4] == [0xFF, 0xE0] && &bytes[6..11] == b"JFIF\0" {
            let x = u32::from(be16(&bytes[14..16]));
            match bytes[13] {
                1 => return Some(x),
                2 => return Some((f64::from(x) * 2.54).round() as u32),
                _ => {}
            }
        }
        let exif = exif::Reader::new()
            .read_from_container(&mut reader_for(bytes))
            .ok()?;
        let x = match &exif
            .get_field(exif::Tag::XResolution, exif::In::PRIMARY)?
            .value
        {
            exif::Value::Rational(v) => v.first()?.to_f64(),
            _ => return None,
        };
        let per_cm = exif
            .get_field(exif::Tag::ResolutionUnit, exif::In::PRIMARY)
            .and_then(|f| f.value.get_uint(0))
            == Some(3);
        let dpi = if per_cm { x * 2.54 } else { x };
        return (dpi.is_finite() && dpi >= 1.0).then(|| dpi.round() as u32);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        // Chunks: length (4), type (4), data, CRC (4); pHYs comes before the image data.
        let mut i = 8;
        while i + 8 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[i..i + 4].try_into().ok()?) as usize;
            let kind = &bytes[i + 4..i + 8];
            if kind == b"IDAT" {
                break;
            }
            if kind == b"pHYs" && len == 9 && bytes.len() >= i + 17 {
                let ppu = u32::from_be_bytes(bytes[i + 8..i + 12].try_into().ok()?);
                // Unit 1: pixels per metre.
                return (bytes[i + 16] == 1).then(|| (f64::from(ppu) * 0.0254).round() as u32);
            }
            i = i.checked_add(12 + len)?;
        }
    }
    None
}

/// Convenience for in-memory images.
pub fn reader_for(bytes: &[u8]) -> Cursor<&[u8]> {
    Cursor::new(bytes)
}

/// Wrap any reader for the functions above.
pub fn buffered<R: Read + Seek>(r: R) -> BufReader<R> {
    BufReader::with_capacity(64 * 1024, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn thumbnails_are_bounded_jpegs() {
        let bytes = png(1170, 600);
        assert_eq!(dimensions(reader_for(&bytes)).unwrap(), (1170, 600));
        let t = thumbnail(reader_for(&bytes)).unwrap();
        let dec = image::load_from_memory(&t).unwrap();
        assert_eq!(dec.width(), 256);
        assert!(dec.height() <= 256);
        assert!(t.starts_with(&[0xff, 0xd8]));
    }

    #[test]
    fn bomb_header_is_refused_without_decoding() {
        // A valid PNG header that claims 20000x20000: refused from the header alone.
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&20000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&20000u32.to_be_bytes());
        let crc = crc32fast::hash(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = thumbnail(reader_for(&bytes)).unwrap_err();
        assert!(err.contains("decompression bomb"), "{err}");
    }

    fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
        crate::fixtures::with_exif_orientation(jpeg, orientation)
    }

    #[test]
    fn ocr_pages_are_grey_upright_and_scaled() {
        // Small: enlarged 2x.
        let small = ocr_page(&png(300, 200)).unwrap();
        assert_eq!(small.dimensions(), (600, 400));
        // Mid-sized: unchanged.
        let mid = ocr_page(&png(2000, 1000)).unwrap();
        assert_eq!(mid.dimensions(), (2000, 1000));
        // Orientation 6 (rotate 90° clockwise to view): width and height swap.
        // (An even page: the fixture's repeating colour ramps would be cut to a bright band.)
        let mut flat = Vec::new();
        image::DynamicImage::ImageLuma8(image::GrayImage::from_pixel(
            2000,
            1700,
            image::Luma([90]),
        ))
        .write_to(&mut Cursor::new(&mut flat), image::ImageFormat::Jpeg)
        .unwrap();
        let rotated = with_orientation(&flat, 6);
        assert_eq!(dimensions(reader_for(&rotated)).unwrap(), (2000, 1700));
        assert_eq!(exif_orientation(reader_for(&rotated)), Some(6));
        assert_eq!(ocr_page(&rotated).unwrap().dimensions(), (1700, 2000));
        assert!(ocr_page(b"\x89PNG\r\n\x1a\nnope").is_err());
    }

    #[test]
    fn scans_declaring_a_high_resolution_are_read_at_scan_dpi() {
        // A JPEG saying 300 dpi in its JFIF header (units 1 = dots per inch).
        let mut jpeg = crate::fixtures::jpeg(1200, 2400, None);
        assert_eq!(&jpeg[6..11], b"JFIF\0");
        jpeg[13] = 1;
        jpeg[14..16].copy_from_slice(&300u16.to_be_bytes());
        jpeg[16..18].copy_from_slice(&300u16.to_be_bytes());
        assert_eq!(declared_dpi(&jpeg), Some(300));
        assert_eq!(ocr_page(&jpeg).unwrap().dimensions(), (900, 1800));
        // 72 dpi (a screen): the size rules apply instead.
        jpeg[14..16].copy_from_slice(&72u16.to_be_bytes());
        assert_eq!(declared_dpi(&jpeg), Some(72));
        assert_eq!(ocr_page(&jpeg).unwrap().dimensions(), (1200, 2400));
        // PNG pHYs: 11811 pixels per metre = 300 dpi.
        let img = image::GrayImage::from_pixel(1000, 2000, image::Luma([200]));
        let mut png = Vec::new();
        image::DynamicImage::ImageLuma8(img)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let mut phys = 9u32.to_be_bytes().to_vec();
        phys.extend_from_slice(b"pHYs");
        phys.extend_from_slice(&11811u32.to_be_bytes());
        phys.extend_from_slice(&11811u32.to_be_bytes());
        phys.push(1);
        phys.extend_from_slice(&crc32fast::hash(&phys[4..]).to_be_bytes());
        png.splice(33..33, phys);
        assert_eq!(declared_dpi(&png), Some(300));
        assert_eq!(ocr_page(&png).unwrap().dimensions(), (750, 1500));
        assert_eq!(declared_dpi(b"\x89PNG\r\n\x1a\n\xff\xff\xff\xffIHDR"), None);
        assert_eq!(declared_dpi(b"GIF89a"), None);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(thumbnail(reader_for(b"\x89PNG\r\n\x1a\nnope")).is_err());
        assert!(exif_date(reader_for(b"not an image")).is_none());
    }

    /// A receipt-like page: white paper with lines of dark "print" (short bars in rows).
    fn paper_with_print(img: &mut image::GrayImage, (x0, y0, x1, y1): (u32, u32, u32, u32)) {
        for y in y0..y1 {
            for x in x0..x1 {
                let (lx, ly) = (x - x0, y - y0);
                let ink = ly % 40 < 12 && lx > 20 && lx + 20 < x1 - x0 && (lx / 9) % 4 != 3;
                img.put_pixel(x, y, image::Luma([if ink { 40 } else { 235 }]));
            }
        }
    }

    /// A grey, textured lid with holes (a notebook's back), as on the flatbed scans.
    fn lid(w: u32, h: u32) -> image::GrayImage {
        image::GrayImage::from_fn(w, h, |x, y| {
            let hole = x < 120 && (y % 500) < 60 && (60..120).contains(&x);
            let grain = ((x * 7 + y * 13) % 23) as u8;
            image::Luma([if hole { 20 } else { 155 + grain }])
        })
    }

    #[test]
    fn a_receipt_on_a_scanners_lid_is_cut_out() {
        // A4 at 300 dpi: black border on the left, grey lid, receipt at the right edge
        // covering the top 60 %.
        let (w, h) = (2552, 3508);
        let mut img = lid(w, h);
        for y in 0..h {
            for x in 0..60 {
                img.put_pixel(x, y, image::Luma([15]));
            }
        }
        let receipt = (1650, 0, w, 2100);
        paper_with_print(&mut img, receipt);
        let (x, y, bw, bh) = paper_bounds(&img).expect("the receipt is found");
        assert!(x <= receipt.0 && x + 150 >= receipt.0, "left edge {x}");
        assert_eq!((y, x + bw), (0, w));
        assert!(bh >= receipt.3 && bh <= receipt.3 + 150, "height {bh}");
        // The page read by OCR is the cut-out (a JPEG, 300 dpi: then reduced to 225 dpi).
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageLuma8(img.clone())
            .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        let page = ocr_page(&jpeg).unwrap();
        assert!(
            page.width() < 1100 && page.height() < 2400,
            "{:?}",
            page.dimensions()
        );
        // The same picture as a PNG without a resolution (a screenshot) is read whole.
        let mut png = Vec::new();
        image::DynamicImage::ImageLuma8(img)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert_eq!(ocr_page(&png).unwrap().dimensions(), (w, h));
    }

    #[test]
    fn a_page_that_is_all_receipt_is_not_cut() {
        let (w, h) = (700, 2400);
        let mut img = image::GrayImage::new(w, h);
        paper_with_print(&mut img, (0, 0, w, h));
        assert_eq!(paper_bounds(&img), None);
        // A greyer header with print on it (a faded or tinted stretch) is the receipt too.
        for y in 0..700 {
            for x in 0..w {
                let p = img.get_pixel(x, y)[0];
                img.put_pixel(x, y, image::Luma([if p > 100 { 190 } else { 30 }]));
            }
        }
        assert_eq!(paper_bounds(&img), None);
        // Blank, flat and tiny pages.
        assert_eq!(
            paper_bounds(&image::GrayImage::from_pixel(800, 800, image::Luma([255]))),
            None
        );
        assert_eq!(paper_bounds(&lid(800, 800)), None);
        assert_eq!(paper_bounds(&image::GrayImage::new(10, 10)), None);
    }

    #[test]
    fn adaptive_binarisation_keeps_faint_text_next_to_a_dark_area() {
        // Left half dark grey (60) with slightly darker ink (30); right half light (200)
        // with faint ink (170). A global threshold loses one side; the adaptive one keeps both.
        let mut img = image::GrayImage::from_pixel(200, 100, image::Luma([200]));
        for y in 0..100 {
            for x in 0..100 {
                img.put_pixel(x, y, image::Luma([60]));
            }
        }
        for y in 48..52 {
            for x in 20..80 {
                img.put_pixel(x, y, image::Luma([20]));
                img.put_pixel(x + 100, y, image::Luma([150]));
            }
        }
        let b = binarize_adaptive(&img);
        assert_eq!(b.get_pixel(50, 50)[0], 0, "dark-side ink");
        assert_eq!(b.get_pixel(150, 50)[0], 0, "faint ink on the light side");
        assert_eq!(b.get_pixel(150, 10)[0], 255, "light paper");
        assert!(binarize_adaptive(&image::GrayImage::new(0, 0)).is_empty());
    }
}
