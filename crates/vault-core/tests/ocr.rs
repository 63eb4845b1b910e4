//! OCR queue, end to end: images and scanned PDFs are queued at ingest, read by the real
//! `tesseract`, their facts extracted and their text searchable; missing programs, time
//! limits and unreadable files end in a clear state with the reason.
//!
//! Receipts are rendered in the test with the X11 misc-fixed 10x20 bitmap font that
//! embedded-graphics bundles (public domain): no system font, no committed binary file.
//!
//! Tests that need Tesseract fail when `CI` is set and it is missing, and are skipped
//! with a loud message otherwise.

use embedded_graphics::mono_font::{iso_8859_1::FONT_10X20, MonoTextStyle};
use embedded_graphics::pixelcolor::BinaryColor;
use embedded_graphics::prelude::*;
use embedded_graphics::text::Text;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Duration;
use vault_core::capture::ocr::{OcrConfig, OcrRun};
use vault_core::{Edit, Kind, OcrState, Vault};

/// Is the real Tesseract here? Without it: fail under CI, else skip loudly.
fn tesseract_here(test: &str) -> bool {
    match OcrConfig::default().available() {
        Ok(_) => true,
        Err(reason) => {
            if std::env::var_os("CI").is_some() {
                panic!("{test}: Tesseract is required under CI: {reason}");
            }
            eprintln!("\n*** SKIPPED {test}: Tesseract is not available: {reason} ***\n");
            false
        }
    }
}

/// Draws into a grey image, black on white.
struct Canvas(image::GrayImage);

impl OriginDimensions for Canvas {
    fn size(&self) -> Size {
        Size::new(self.0.width(), self.0.height())
    }
}

impl DrawTarget for Canvas {
    type Color = BinaryColor;
    type Error = std::convert::Infallible;
    fn draw_iter<I: IntoIterator<Item = Pixel<BinaryColor>>>(
        &mut self,
        pixels: I,
    ) -> Result<(), Self::Error> {
        for Pixel(p, c) in pixels {
            let inside = p.x >= 0
                && p.y >= 0
                && (p.x as u32) < self.0.width()
                && (p.y as u32) < self.0.height();
            if inside && c.is_on() {
                self.0.put_pixel(p.x as u32, p.y as u32, image::Luma([20]));
            }
        }
        Ok(())
    }
}

/// A receipt: the lines in a 10x20 font, enlarged 2x (like a 200 dpi scan).
fn receipt(lines: &[&str]) -> image::GrayImage {
    let width = 40 + 10 * lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u32;
    let height = 40 + 26 * lines.len() as u32;
    let mut c = Canvas(image::GrayImage::from_pixel(
        width,
        height,
        image::Luma([250]),
    ));
    let style = MonoTextStyle::new(&FONT_10X20, BinaryColor::On);
    for (i, l) in lines.iter().enumerate() {
        Text::new(l, Point::new(20, 36 + 26 * i as i32), style)
            .draw(&mut c)
            .unwrap();
    }
    image::imageops::resize(
        &c.0,
        width * 2,
        height * 2,
        image::imageops::FilterType::Triangle,
    )
}

fn png(img: &image::GrayImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageLuma8(img.clone())
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn jpeg(img: &image::GrayImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageLuma8(img.clone())
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    vault_core::fixtures::with_exif_orientation(jpeg, orientation)
}

/// A one-page PDF whose page is only an image (a scan): no text layer.
fn scanned_pdf(img: &image::GrayImage) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};
    let (w, h) = img.dimensions();
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let image_id = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => w as i64,
            "Height" => h as i64,
            "ColorSpace" => "DeviceGray",
            "BitsPerComponent" => 8,
            "Filter" => "DCTDecode",
        },
        jpeg(img),
    ));
    // Drawn at 144 dpi: 72 pt per inch, two image pixels per point.
    let (pw, ph) = (w as f32 / 2.0, h as f32 / 2.0);
    let content = Content {
        operations: vec![
            Operation::new("q", vec![]),
            Operation::new(
                "cm",
                vec![pw.into(), 0.into(), 0.into(), ph.into(), 0.into(), 0.into()],
            ),
            Operation::new("Do", vec!["Im1".into()]),
            Operation::new("Q", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), pw.into(), ph.into()],
        "Contents" => content_id,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => image_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

const RECEIPT: &[&str] = &[
    "HARBOUR COFFEE ROASTERS",
    "12 Quay Street, Bristol",
    "",
    "Flat white          3.40",
    "Almond croissant    2.90",
    "",
    "TOTAL GBP           6.30",
    "Paid by VISA **** 4242",
    "Date 03/10/2026 09:41",
];

fn new_vault() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::open_or_create(&dir.path().join("v")).unwrap();
    (dir, vault)
}

fn add(vault: &mut Vault, bytes: &[u8], name: &str) -> i64 {
    match vault.add_bytes(bytes, name).unwrap() {
        vault_core::Outcome::Added { id, .. } => id,
        other => panic!("{name} was not added: {other:?}"),
    }
}

fn no_progress() -> impl FnMut(vault_core::capture::ocr::OcrEvent) {
    |_| {}
}

/// A program standing in for tesseract: lists languages, otherwise runs `body`.
fn fake_tesseract(dir: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join("fake-tesseract");
    std::fs::write(
        &p,
        format!(
            "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then echo 'List of available languages in \"/x/\" (1):'; echo eng; exit 0; fi\n{body}\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[test]
fn a_screenshot_becomes_a_searchable_voucher_with_facts_after_a_restart() {
    if !tesseract_here("a_screenshot_becomes_a_searchable_voucher") {
        return;
    }
    let (dir, mut vault) = new_vault();
    let id = add(&mut vault, &png(&receipt(RECEIPT)), "IMG_0001.png");
    let v = vault.get(id).unwrap();
    assert_eq!(v.summary.ocr_state, OcrState::Pending);
    assert!(v.summary.amount.is_none());
    // Not searchable before OCR.
    assert!(vault.search_ids("harbour").unwrap().is_empty());
    // The queue is in the database: it survives closing the vault (a restart).
    drop(vault);
    let mut vault = Vault::open(&dir.path().join("v")).unwrap();
    let mut events = Vec::new();
    let report = vault.ocr_pending(10, &mut |e| events.push(e)).unwrap();
    assert_eq!(
        (report.done, report.failed, report.remaining),
        (1, 0, 0),
        "{report:?}"
    );
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].id, events[0].state), (id, OcrState::Done));
    let v = vault.get(id).unwrap();
    assert_eq!(v.summary.ocr_state, OcrState::Done);
    let text = v.ocr_text.to_uppercase();
    for word in ["HARBOUR", "COFFEE", "CROISSANT", "TOTAL", "6.30"] {
        assert!(
            text.contains(word),
            "{word} not in OCR text:\n{}",
            v.ocr_text
        );
    }
    let amount = v
        .summary
        .amount
        .expect("amount extracted from the OCR text");
    assert_eq!((amount.minor, amount.currency.code()), (630, "GBP"));
    assert!(v.confidence.amount.is_some_and(|c| c > 0.0));
    assert_eq!(vault.search_ids("croissant").unwrap(), vec![id]);
    assert_eq!(vault.search_ids("harbour coffee").unwrap(), vec![id]);
    // Nothing left to do: a second run is a no-op.
    let again = vault.ocr_pending(10, &mut no_progress()).unwrap();
    assert_eq!((again.done, again.failed, again.remaining), (0, 0, 0));
}

#[test]
fn the_users_corrections_survive_ocr() {
    if !tesseract_here("the_users_corrections_survive_ocr") {
        return;
    }
    let (_dir, mut vault) = new_vault();
    let id = add(&mut vault, &png(&receipt(RECEIPT)), "receipt.png");
    vault
        .edit(
            id,
            &Edit {
                merchant: Some(Some("My Café".into())),
                ..Default::default()
            },
        )
        .unwrap();
    vault.ocr_pending(10, &mut no_progress()).unwrap();
    let v = vault.get(id).unwrap();
    assert_eq!(v.summary.merchant.as_deref(), Some("My Café"));
    assert_eq!(v.summary.amount.map(|a| a.minor), Some(630));
    // Re-extraction reads the OCR text too, and still keeps the user's merchant.
    vault.reextract(Some(&[id])).unwrap();
    let v = vault.get(id).unwrap();
    assert_eq!(v.summary.merchant.as_deref(), Some("My Café"));
    assert_eq!(v.summary.amount.map(|a| a.minor), Some(630));
}

#[test]
fn a_photo_is_turned_upright_by_its_exif_orientation() {
    if !tesseract_here("a_photo_is_turned_upright_by_its_exif_orientation") {
        return;
    }
    // Stored rotated 90° counter-clockwise, tagged "rotate 90° clockwise to view" (6).
    let upright = receipt(RECEIPT);
    let stored = image::imageops::rotate270(&upright);
    let plain = jpeg(&stored);
    let tagged = with_orientation(&plain, 6);
    let cfg = OcrConfig::default();
    let read = cfg.recognize_image(&tagged).unwrap().to_uppercase();
    assert!(read.contains("COFFEE") && read.contains("TOTAL"), "{read}");
    // The same pixels without the tag are read sideways: the orientation is what helped.
    let sideways = cfg.recognize_image(&plain).unwrap().to_uppercase();
    assert!(!sideways.contains("COFFEE"), "{sideways}");
}

#[test]
fn a_scanned_pdf_is_rendered_and_read() {
    if !tesseract_here("a_scanned_pdf_is_rendered_and_read") {
        return;
    }
    if OcrConfig::default().pdf_available().is_err() && std::env::var_os("CI").is_none() {
        eprintln!("\n*** SKIPPED a_scanned_pdf_is_rendered_and_read: pdftoppm is missing ***\n");
        return;
    }
    let (_dir, mut vault) = new_vault();
    let id = add(&mut vault, &scanned_pdf(&receipt(RECEIPT)), "scan.pdf");
    let v = vault.get(id).unwrap();
    assert_eq!(v.summary.kind, Kind::Pdf);
    assert_eq!(v.summary.ocr_state, OcrState::Pending);
    let report = vault.ocr_pending(10, &mut no_progress()).unwrap();
    assert_eq!(report.done, 1, "{report:?}");
    let v = vault.get(id).unwrap();
    assert!(
        v.ocr_text.to_uppercase().contains("CROISSANT"),
        "{}",
        v.ocr_text
    );
    assert_eq!(v.summary.amount.map(|a| a.minor), Some(630));
    assert_eq!(vault.search_ids("croissant").unwrap(), vec![id]);
}

#[test]
fn pdfs_with_text_and_emails_are_not_queued() {
    let (_dir, mut vault) = new_vault();
    let pdf = vault_core::fixtures::pdf(
        &["Invoice 1042", "Total: 49.99 EUR", "Date 2026-10-03"],
        None,
        None,
    );
    let id = add(&mut vault, &pdf, "invoice.pdf");
    let v = vault.get(id).unwrap();
    assert_eq!(v.summary.ocr_state, OcrState::None);
    // Ingest stores the extractor's confidences.
    assert!(
        v.confidence.amount.is_some_and(|c| c > 0.0 && c <= 1.0),
        "{:?}",
        v.confidence
    );
}

#[test]
fn missing_tesseract_means_unavailable_with_the_reason_then_retried() {
    let (dir, mut vault) = new_vault();
    let id = add(&mut vault, &png(&receipt(RECEIPT)), "r.png");
    let missing = OcrRun {
        config: OcrConfig {
            tesseract: dir.path().join("no-such-tesseract"),
            ..OcrConfig::default()
        },
        ..OcrRun::default()
    };
    let report = vault.ocr_run(&missing, 10, &mut no_progress()).unwrap();
    assert_eq!(report.unavailable, 1);
    assert!(report
        .unavailable_reason
        .as_deref()
        .unwrap()
        .contains("not found"));
    let v = vault.get(id).unwrap();
    assert_eq!(v.summary.ocr_state, OcrState::Unavailable);
    assert!(v
        .ocr_error
        .as_deref()
        .unwrap()
        .contains("no-such-tesseract not found"));
    // Once a working tesseract is there, the voucher is read.
    let fake = fake_tesseract(
        dir.path(),
        "cat >/dev/null; echo 'SHOP'; echo 'TOTAL EUR 7,50'",
    );
    let working = OcrRun {
        config: OcrConfig {
            tesseract: fake,
            ..OcrConfig::default()
        },
        ..OcrRun::default()
    };
    let report = vault.ocr_run(&working, 10, &mut no_progress()).unwrap();
    assert_eq!(report.done, 1, "{report:?}");
    let v = vault.get(id).unwrap();
    assert_eq!(v.summary.ocr_state, OcrState::Done);
    assert_eq!(v.ocr_error, None);
    assert_eq!(
        v.summary
            .amount
            .map(|a| (a.minor, a.currency.code().to_string())),
        Some((750, "EUR".to_string()))
    );
}

#[test]
fn a_hung_tesseract_is_stopped_and_the_batch_goes_on() {
    let (dir, mut vault) = new_vault();
    let first = add(&mut vault, &png(&receipt(&["FIRST"])), "a.png");
    let second = add(&mut vault, &png(&receipt(&["SECOND"])), "b.png");
    // Hangs on the first image it is given, answers on the others.
    let flag = dir.path().join("hung-once");
    let fake = fake_tesseract(
        dir.path(),
        &format!(
            // mkdir is atomic: with two OCR workers only one call can hang.
            "cat >/dev/null; if mkdir {f} 2>/dev/null; then exec sleep 60; fi; echo 'TOTAL EUR 1,00'",
            f = flag.display()
        ),
    );
    let run = OcrRun {
        config: OcrConfig {
            tesseract: fake,
            // Long enough for the answering calls on a loaded machine.
            timeout: Duration::from_secs(5),
            ..OcrConfig::default()
        },
        ..OcrRun::default()
    };
    let started = std::time::Instant::now();
    let report = vault.ocr_run(&run, 10, &mut no_progress()).unwrap();
    assert!(started.elapsed() < Duration::from_secs(40));
    assert_eq!((report.done, report.failed), (1, 1), "{report:?}");
    let states: Vec<_> = [first, second]
        .iter()
        .map(|&id| vault.get(id).unwrap())
        .collect();
    let hung = states
        .iter()
        .find(|v| v.summary.ocr_state == OcrState::Failed)
        .expect("one failed");
    assert!(
        hung.ocr_error
            .as_deref()
            .unwrap()
            .contains("took longer than 5 s"),
        "{:?}",
        hung.ocr_error
    );
    // --retry-failed reads it again.
    let retry = OcrRun {
        retry_failed: true,
        ..run
    };
    let report = vault.ocr_run(&retry, 10, &mut no_progress()).unwrap();
    assert_eq!(report.done, 1, "{report:?}");
}

#[test]
fn a_corrupt_image_fails_with_the_reason_and_the_batch_goes_on() {
    let (dir, mut vault) = new_vault();
    let mut corrupt = png(&receipt(RECEIPT));
    corrupt.truncate(200);
    let bad = add(&mut vault, &corrupt, "broken.png");
    let good = add(&mut vault, &png(&receipt(RECEIPT)), "good.png");
    assert_eq!(vault.get(bad).unwrap().summary.ocr_state, OcrState::Pending);
    let fake = fake_tesseract(dir.path(), "cat >/dev/null; echo 'TOTAL EUR 6,30'");
    let run = OcrRun {
        config: OcrConfig {
            tesseract: fake,
            ..OcrConfig::default()
        },
        ..OcrRun::default()
    };
    let report = vault.ocr_run(&run, 10, &mut no_progress()).unwrap();
    assert_eq!((report.done, report.failed), (1, 1), "{report:?}");
    let b = vault.get(bad).unwrap();
    assert_eq!(b.summary.ocr_state, OcrState::Failed);
    assert!(
        b.ocr_error
            .as_deref()
            .unwrap()
            .contains("could not be read"),
        "{:?}",
        b.ocr_error
    );
    assert_eq!(vault.get(good).unwrap().summary.ocr_state, OcrState::Done);
}

#[test]
fn limit_takes_the_oldest_first() {
    let (dir, mut vault) = new_vault();
    let ids: Vec<i64> = (0..3)
        .map(|i| {
            add(
                &mut vault,
                &png(&receipt(&[&format!("N{i}")])),
                &format!("{i}.png"),
            )
        })
        .collect();
    let fake = fake_tesseract(dir.path(), "cat >/dev/null; echo text");
    let run = OcrRun {
        config: OcrConfig {
            tesseract: fake,
            ..OcrConfig::default()
        },
        ..OcrRun::default()
    };
    let report = vault.ocr_run(&run, 2, &mut no_progress()).unwrap();
    assert_eq!((report.done, report.remaining), (2, 1));
    let states: Vec<OcrState> = ids
        .iter()
        .map(|&id| vault.get(id).unwrap().summary.ocr_state)
        .collect();
    assert_eq!(states, [OcrState::Done, OcrState::Done, OcrState::Pending]);
}

#[test]
fn without_pdftoppm_scanned_pdfs_wait_as_unavailable_and_images_are_read() {
    let (dir, mut vault) = new_vault();
    let pdf = add(&mut vault, &scanned_pdf(&receipt(RECEIPT)), "scan.pdf");
    let img = add(&mut vault, &png(&receipt(RECEIPT)), "shot.png");
    let fake = fake_tesseract(dir.path(), "cat >/dev/null; echo 'TOTAL EUR 6,30'");
    let run = OcrRun {
        config: OcrConfig {
            tesseract: fake,
            pdftoppm: dir.path().join("no-pdftoppm"),
            ..OcrConfig::default()
        },
        ..OcrRun::default()
    };
    let report = vault.ocr_run(&run, 10, &mut no_progress()).unwrap();
    assert_eq!((report.done, report.unavailable), (1, 1), "{report:?}");
    let p = vault.get(pdf).unwrap();
    assert_eq!(p.summary.ocr_state, OcrState::Unavailable);
    assert!(
        p.ocr_error.as_deref().unwrap().contains("poppler-utils"),
        "{:?}",
        p.ocr_error
    );
    assert_eq!(vault.get(img).unwrap().summary.ocr_state, OcrState::Done);
}

/// Can Chinese text be rendered here: `pango-view` (pango1.0-tools, which GTK's development
/// package brings) and a font with Chinese glyphs (`fc-list :lang=zh`; e.g.
/// fonts-wqy-microhei)? Without them: fail under CI, else skip loudly.
fn chinese_rendering_here(test: &str) -> bool {
    let fonts = std::process::Command::new("fc-list")
        .args([":lang=zh", "file"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let pango = std::process::Command::new("pango-view")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let reason = match (fonts.is_empty(), pango) {
        (false, true) => return true,
        (true, _) => {
            "no font with Chinese glyphs (fc-list :lang=zh is empty; install fonts-wqy-microhei)"
        }
        (false, false) => "pango-view is missing (install pango1.0-tools)",
    };
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {reason}");
    }
    eprintln!("\n*** SKIPPED {test}: {reason} ***\n");
    false
}

/// A phone screenshot drawn by Pango from markup (colours, sizes), as a PNG.
fn screenshot(markup: &str) -> Vec<u8> {
    themed_screenshot(markup, "#EDEDED", "#000000")
}

/// The same in the given background and text colours (a dark mode).
fn themed_screenshot(markup: &str, background: &str, foreground: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let (src, out) = (dir.path().join("shot.txt"), dir.path().join("shot.png"));
    std::fs::write(&src, markup).unwrap();
    let status = std::process::Command::new("pango-view")
        .args([
            "--markup",
            "--font=Sans 14",
            "--dpi=150",
            &format!("--background={background}"),
            &format!("--foreground={foreground}"),
            "--margin=30",
            "-q",
            "-o",
        ])
        .arg(&out)
        .arg(&src)
        .status()
        .unwrap();
    assert!(status.success(), "pango-view failed: {status}");
    std::fs::read(&out).unwrap()
}

/// A WeChat Pay "payment successful" screen: status bar, a tick, the headline, the amount
/// in large bold type, grey labels with their values, a green button.
const WECHAT_PAY: &str = r##"<span size="small">9:41                                                    5G  87%</span>
<span foreground="#333">  ✕</span>



<span foreground="#07C160" size="xx-large">                    ✔</span>
<span size="large">                  支付成功</span>

<span size="xx-large" weight="bold">             ¥ 36.50</span>



<span foreground="#888">  收款方</span>                                   瑞幸咖啡
<span foreground="#888">  支付时间</span>                 2026年11月2日 08:15:32
<span foreground="#888">  支付方式</span>                                     零钱
<span foreground="#888">  交易单号</span>      4200001234202611021234567
<span foreground="#888">  商户单号</span>            LK20261102081532001




<span background="#07C160" foreground="white">                       完成                       </span>
"##;

#[test]
fn a_wechat_pay_screenshot_is_read_in_chinese_with_its_merchant_amount_and_currency() {
    let test = "a_wechat_pay_screenshot_is_read_in_chinese";
    if !tesseract_here(test) || !chinese_rendering_here(test) {
        return;
    }
    // Light, and dark (script detection calls the dark one Latin, and its Latin reading's
    // numbers read well: the letters it makes up give it away).
    let dark = WECHAT_PAY.replace("#888", "#999");
    for (name, png) in [
        ("Screenshot_light.png", screenshot(WECHAT_PAY)),
        (
            "Screenshot_dark.png",
            themed_screenshot(&dark, "#111111", "#DDDDDD"),
        ),
    ] {
        wechat_pay_screen_is_read(name, &png);
    }
}

fn wechat_pay_screen_is_read(name: &str, png: &[u8]) {
    let (_dir, mut vault) = new_vault();
    let id = add(&mut vault, png, name);
    let report = vault.ocr_pending(10, &mut no_progress()).unwrap();
    assert_eq!(report.done, 1, "{name}: {report:?}");
    let v = vault.get(id).unwrap();
    for want in ["瑞幸咖啡", "36.50", "支付成功", "收款方"] {
        assert!(
            v.ocr_text.contains(want),
            "{name}: {want} not in OCR text:\n{}",
            v.ocr_text
        );
    }
    let amount = v.summary.amount.expect("amount extracted");
    assert_eq!(
        (amount.minor, amount.currency.code()),
        (3650, "CNY"),
        "{}",
        v.ocr_text
    );
    assert_eq!(
        v.summary.merchant.as_deref(),
        Some("瑞幸咖啡"),
        "{}",
        v.ocr_text
    );
    assert_eq!(vault.search_ids("瑞幸").unwrap(), vec![id]);
}

/// OCR of one image whose reading is `text_of_image` (a stand-in tesseract): is it in
/// Needs review, with which merchant and merchant confidence?
fn review_of(text_of_image: &str) -> (bool, Option<String>, Option<f64>) {
    let (dir, mut vault) = new_vault();
    let id = add(&mut vault, &png(&receipt(&["X"])), "shot.png");
    let out = dir.path().join("out.txt");
    std::fs::write(&out, text_of_image).unwrap();
    let fake = fake_tesseract(
        dir.path(),
        &format!("cat >/dev/null; cat {}", out.display()),
    );
    let run = OcrRun {
        config: OcrConfig {
            tesseract: fake,
            ..OcrConfig::default()
        },
        ..OcrRun::default()
    };
    let report = vault.ocr_run(&run, 10, &mut no_progress()).unwrap();
    assert_eq!(report.done, 1, "{report:?}");
    let v = vault.get(id).unwrap();
    (
        v.summary.needs_review,
        v.summary.merchant.clone(),
        v.confidence.merchant,
    )
}

#[test]
fn an_uncertain_merchant_puts_the_voucher_in_needs_review() {
    // Amount and date are sure; the merchant is only the top line, borne out by nothing.
    let (review, merchant, conf) =
        review_of("Harbour Coffee\nTOTAL GBP 6.30\nPaid by VISA\nDate 2026-10-03 09:41");
    assert_eq!(merchant.as_deref(), Some("Harbour Coffee"));
    assert!(conf.is_some_and(|c| c < 0.6), "{conf:?}");
    assert!(review, "an uncertain merchant must be reviewed");
    // The same receipt with its legal form and the name again in its footer: borne
    // out, nothing to review.
    let (review, merchant, _) = review_of(
        "Harbour Coffee Ltd\nTOTAL GBP 6.30\nPaid by VISA\nDate 2026-10-03 09:41\nThank you for visiting Harbour Coffee",
    );
    assert_eq!(merchant.as_deref(), Some("Harbour Coffee Ltd"));
    assert!(!review);
    // A TWINT screen: its headline is not the merchant, its payee line is.
    let (review, merchant, _) =
        review_of("Payment successful\nCHF 12.50\nTo\nMigros Zürich HB\n2026-11-12 14:02");
    assert_eq!(merchant.as_deref(), Some("Migros Zürich HB"));
    assert!(!review);
}

#[test]
fn a_person_confirming_the_merchant_takes_it_out_of_review() {
    let (dir, mut vault) = new_vault();
    let id = add(&mut vault, &png(&receipt(&["X"])), "shot.png");
    let fake = fake_tesseract(
        dir.path(),
        "cat >/dev/null; printf 'Harbour Coffee\\nTOTAL GBP 6.30\\nDate 2026-10-03 09:41\\n'",
    );
    let run = OcrRun {
        config: OcrConfig {
            tesseract: fake,
            ..OcrConfig::default()
        },
        ..OcrRun::default()
    };
    vault.ocr_run(&run, 10, &mut no_progress()).unwrap();
    assert!(vault.get(id).unwrap().summary.needs_review);
    vault
        .edit(
            id,
            &Edit {
                merchant: Some(Some("Harbour Coffee Roasters".into())),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(!vault.get(id).unwrap().summary.needs_review);
}

/// A Japanese convenience-store receipt: kana and kanji, yen.
const LAWSON: &str = r##"<span size="large" weight="bold">ローソン 渋谷駅前店</span>
東京都渋谷区道玄坂1-2-3
2026年11月02日(月) 08:15
おにぎり 鮭                 ¥150
緑茶 500ml                  ¥140
からあげクン                ¥238
<span weight="bold">合計                        ¥528</span>
お預り                    ¥1,000
お釣り                      ¥472
ありがとうございました
"##;

#[test]
fn a_japanese_receipt_stays_japanese_and_in_yen() {
    let test = "a_japanese_receipt_stays_japanese_and_in_yen";
    if !tesseract_here(test) || !chinese_rendering_here(test) {
        return;
    }
    let text = OcrConfig::default()
        .recognize_image(&screenshot(LAWSON))
        .unwrap();
    // Kana read as kana (not re-read as simplified Chinese).
    for want in ["ローソン", "ありがとうございました", "528"] {
        assert!(text.contains(want), "{want} not in OCR text:\n{text}");
    }
    let facts = vault_core::understand::extract::extract(
        &text,
        &vault_core::understand::extract::Hints {
            ocr: true,
            ..Default::default()
        },
    );
    let amount = facts
        .amount
        .unwrap_or_else(|| panic!("no amount in:\n{text}"));
    assert_eq!(
        (amount.value.minor, amount.value.currency.code()),
        (528, "JPY"),
        "{text}"
    );
}
