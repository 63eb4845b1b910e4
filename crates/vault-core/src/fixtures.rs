//! Small, real files made in memory, for tests and benchmarks across the workspace
//! (the test suite makes its own fixtures instead of depending on files on disk).

use std::io::Cursor;

/// A PNG screenshot-like image of `w`×`h` with a gradient (so it is not trivially compressible).
pub fn png(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x % 251) as u8 ^ seed,
            (y % 241) as u8,
            seed.wrapping_mul(7),
        ])
    });
    let mut out = Vec::new();
    // Writing into a Vec cannot fail for a valid in-memory image.
    let _ = image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png);
    out
}

/// A JPEG photo; with `exif_date` ("2026:10:03 14:30:00") it carries EXIF DateTimeOriginal.
pub fn jpeg(w: u32, h: u32, exif_date: Option<&str>) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = Vec::new();
    let _ = image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg);
    let Some(date) = exif_date else { return out };
    let field = exif::Field {
        tag: exif::Tag::DateTimeOriginal,
        ifd_num: exif::In::PRIMARY,
        value: exif::Value::Ascii(vec![date.as_bytes().to_vec()]),
    };
    let mut w = exif::experimental::Writer::new();
    w.push_field(&field);
    let mut tiff = Cursor::new(Vec::new());
    if w.write(&mut tiff, false).is_err() {
        return out;
    }
    let tiff = tiff.into_inner();
    let len = (2 + 6 + tiff.len()) as u16;
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&len.to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    let mut with = out[..2].to_vec();
    with.extend_from_slice(&app1);
    with.extend_from_slice(&out[2..]);
    with
}

/// A one-page invoice whose lines are drawn with the `'` operator (next line, then
/// show text), in Helvetica: the form the built-in extractor reads empty.
pub fn pdf_drawn_with_quote(lines: &[&str]) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 12.into()]),
        Operation::new("TL", vec![16.into()]),
        Operation::new("Td", vec![72.into(), 780.into()]),
    ];
    for line in lines {
        ops.push(Operation::new("'", vec![Object::string_literal(*line)]));
    }
    ops.push(Operation::new("ET", vec![]));
    let content = Content { operations: ops }.encode().unwrap_or_default();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    let _ = doc.save_to(&mut out);
    out
}

/// A one-page PDF whose text layer holds `lines`, with an optional creation date
/// ("D:20261003101500+02'00'") and title.
pub fn pdf(lines: &[&str], created: Option<&str>, title: Option<&str>) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 12.into()]),
        Operation::new("Td", vec![72.into(), 760.into()]),
    ];
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            ops.push(Operation::new("Td", vec![0.into(), (-18).into()]));
        }
        ops.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
    }
    ops.push(Operation::new("ET", vec![]));
    let content = Content { operations: ops }.encode().unwrap_or_default();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut info = lopdf::Dictionary::new();
    if let Some(c) = created {
        info.set("CreationDate", Object::string_literal(c));
    }
    if let Some(t) = title {
        info.set("Title", Object::string_literal(t));
    }
    if !info.is_empty() {
        let info_id = doc.add_object(info);
        doc.trailer.set("Info", info_id);
    }
    let mut out = Vec::new();
    let _ = doc.save_to(&mut out);
    out
}

/// An email; `attachments` are (file name, content type, bytes), sent base64-encoded.
pub fn eml(
    from: &str,
    subject: &str,
    date: &str,
    body: &str,
    attachments: &[(&str, &str, &[u8])],
) -> Vec<u8> {
    use base64::Engine;
    let encode = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut m = format!(
        "From: {from}\r\nTo: buyer@example.com\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{}@fixture.example>\r\nMIME-Version: 1.0\r\n",
        subject.len() + body.len()
    );
    if attachments.is_empty() {
        m.push_str("Content-Type: text/plain; charset=utf-8\r\n\r\n");
        m.push_str(body);
        m.push_str("\r\n");
        return m.into_bytes();
    }
    m.push_str("Content-Type: multipart/mixed; boundary=\"XXBOUNDARYXX\"\r\n\r\n");
    m.push_str("--XXBOUNDARYXX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
    m.push_str(body);
    m.push_str("\r\n");
    for (name, ct, bytes) in attachments {
        m.push_str(&format!(
            "--XXBOUNDARYXX\r\nContent-Type: {ct}\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        ));
        let b64 = encode(bytes);
        for chunk in b64.as_bytes().chunks(76) {
            m.push_str(std::str::from_utf8(chunk).unwrap_or(""));
            m.push_str("\r\n");
        }
    }
    m.push_str("--XXBOUNDARYXX--\r\n");
    m.into_bytes()
}

/// A PNG whose header claims `w`×`h` (a decompression bomb's header, without the bomb).
pub fn png_header_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = png(1, 1, 0);
    bytes[16..20].copy_from_slice(&w.to_be_bytes());
    bytes[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32fast::hash(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

/// The JPEG with an EXIF APP1 segment holding only the Orientation tag, inserted after
/// the SOI marker (the JPEG is returned unchanged if the segment cannot be written).
pub fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let field = exif::Field {
        tag: exif::Tag::Orientation,
        ifd_num: exif::In::PRIMARY,
        value: exif::Value::Short(vec![orientation]),
    };
    let mut w = exif::experimental::Writer::new();
    w.push_field(&field);
    let mut tiff = std::io::Cursor::new(Vec::new());
    if w.write(&mut tiff, false).is_err() || jpeg.len() < 2 {
        return jpeg.to_vec();
    }
    let tiff = tiff.into_inner();
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}
