//! Images: dimensions, EXIF date and thumbnails, decoded under explicit limits so that a
//! decompression bomb is refused with a reason instead of eating the machine's memory.

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

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(thumbnail(reader_for(b"\x89PNG\r\n\x1a\nnope")).is_err());
        assert!(exif_date(reader_for(b"not an image")).is_none());
    }
}
