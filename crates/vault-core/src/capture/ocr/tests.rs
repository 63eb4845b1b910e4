//! Tests of reading a whole page against a stand-in `tesseract` (a shell script that answers
//! each pass from a file and logs its calls): which passes run, and which reading is kept.

use super::reading::tests::tsv_output;
use super::tool::tests::script;
use super::tool::{run_tool, tail};
use super::{Languages, OcrConfig};
use crate::vault::model::OcrState;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[test]
fn a_latin_receipt_taken_for_japanese_is_read_again_with_latin_languages() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("calls");
    let body = format!(
        r#"echo "$*" >> {log}
cat >/dev/null
case "$*" in
  *"--psm 0"*) printf 'Script: Japanese\nScript confidence: 1.2\n' ;;
  *chi_sim*) echo 'Tatal EUR 17,29 人' ;;
  *) echo 'Total EUR 17,29 03.10.2026' ;;
esac"#,
        log = log.display()
    );
    let cfg = OcrConfig {
        tesseract: script(dir.path(), &body),
        ..OcrConfig::default()
    };
    let langs = Languages {
        latin: "eng+deu".into(),
        cjk: Some("chi_sim+jpn+eng".into()),
    };
    let png = crate::fixtures::png(40, 30, 1);
    assert_eq!(
        cfg.recognize_image_with(&png, &langs).unwrap(),
        "Total EUR 17,29 03.10.2026"
    );
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(calls.lines().count(), 3, "{calls}");
    // Without CJK data, no detection pass: one pass with Latin languages.
    std::fs::remove_file(&log).unwrap();
    let latin_only = Languages {
        latin: "eng+deu".into(),
        cjk: None,
    };
    assert_eq!(
        cfg.recognize_image_with(&png, &latin_only).unwrap(),
        "Total EUR 17,29 03.10.2026"
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 1);
}

/// A stand-in tesseract: script detection answers `osd`; each language set answers
/// its file (latin, cjk = the mixed CJK set, sim = chi_sim+eng); calls are logged.
fn scripted(dir: &Path, osd: &str, readings: &[(&str, String)]) -> (OcrConfig, PathBuf) {
    for (name, out) in readings {
        std::fs::write(dir.join(name), out).unwrap();
    }
    let log = dir.join("calls");
    let d = dir.display();
    let body = format!(
        r#"echo "$*" >> {log}
cat >/dev/null
case "$*" in
  *"--psm 0"*) printf '{osd}' ;;
  *"-l chi_sim+eng "*) cat {d}/sim ;;
  *chi_sim*) cat {d}/cjk ;;
  *) cat {d}/latin ;;
esac"#,
        log = log.display()
    );
    let cfg = OcrConfig {
        tesseract: script(dir, &body),
        ..OcrConfig::default()
    };
    (cfg, log)
}

fn all_langs() -> Languages {
    Languages {
        latin: "eng+deu+fra+spa".into(),
        cjk: Some("chi_sim+chi_tra+jpn+eng".into()),
    }
}

#[test]
fn a_chinese_screenshot_read_as_latin_nonsense_is_read_with_cjk_languages() {
    // Detection says Latin; the Latin pass reads gibberish with low confidence; the CJK
    // reading is mostly Chinese and surer: it is kept, and then read with simplified
    // Chinese alone (the mixed set wrote traditional and Japanese forms).
    let dir = tempfile::tempdir().unwrap();
    let (cfg, log) = scripted(
        dir.path(),
        "Script: Latin\\nScript confidence: 0.4\\n",
        &[
            ("latin", tsv_output("SAI\n¥ 36.50\nWER AT Fg S= OME", 55.0)),
            (
                "cjk",
                tsv_output("支付成功\n\\ 36.50\n収款方 瑞幸咖啡\n零錢", 88.0),
            ),
            (
                "sim",
                tsv_output("支付成功\nY 36.50\n收款方 瑞幸咖啡\n零钱", 82.0),
            ),
        ],
    );
    let png = crate::fixtures::png(40, 30, 1);
    let text = cfg.recognize_image_with(&png, &all_langs()).unwrap();
    assert_eq!(text, "支付成功\n¥ 36.50\n收款方 瑞幸咖啡\n零钱");
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(calls.lines().count(), 4, "{calls}");
}

#[test]
fn unsure_detection_with_a_doubtful_latin_reading_tries_cjk_and_keeps_the_surer() {
    // No script detected; the Latin reading is in doubt (70 < 75) but surer than a CJK
    // reading of a German receipt: Latin is kept.
    let dir = tempfile::tempdir().unwrap();
    let (cfg, log) = scripted(
        dir.path(),
        "Too few characters. Skipping this page\\n",
        &[
            ("latin", tsv_output("SUMME EUR 12,30\n03.10.2026", 70.0)),
            ("cjk", tsv_output("SUMME EUR 12,30 人\n03.10.2026", 60.0)),
            ("sim", tsv_output("unused", 99.0)),
        ],
    );
    let png = crate::fixtures::png(40, 30, 1);
    let text = cfg.recognize_image_with(&png, &all_langs()).unwrap();
    assert_eq!(text, "SUMME EUR 12,30\n03.10.2026");
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 3);
}

#[test]
fn a_sure_latin_reading_is_not_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let (cfg, log) = scripted(
        dir.path(),
        "Script: Latin\\nScript confidence: 1.2\\n",
        &[
            (
                "latin",
                tsv_output("SUMME EUR 12,30\nBrot Milch\n03.10.2026", 80.0),
            ),
            ("cjk", tsv_output("unused", 99.0)),
            ("sim", tsv_output("unused", 99.0)),
        ],
    );
    let png = crate::fixtures::png(40, 30, 1);
    let text = cfg.recognize_image_with(&png, &all_langs()).unwrap();
    assert_eq!(text, "SUMME EUR 12,30\nBrot Milch\n03.10.2026");
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 2);
}

#[test]
fn a_japanese_reading_keeps_the_mixed_set_and_traditional_text_stays_when_simplified_reads_worse() {
    // Kana: Japanese; no simplified pass.
    let dir = tempfile::tempdir().unwrap();
    let (cfg, log) = scripted(
        dir.path(),
        "Script: Japanese\\nScript confidence: 0.37\\n",
        &[
            ("latin", tsv_output("unused", 99.0)),
            (
                "cjk",
                tsv_output("ローソン\n合計 ¥528\nありがとうございました", 90.0),
            ),
            ("sim", tsv_output("unused", 99.0)),
        ],
    );
    let png = crate::fixtures::png(40, 30, 1);
    let text = cfg.recognize_image_with(&png, &all_langs()).unwrap();
    assert_eq!(text, "ローソン\n合計 ¥528\nありがとうございました");
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 2);
    // Chinese, but simplified Chinese reads it much worse: the mixed reading stays.
    let dir = tempfile::tempdir().unwrap();
    let (cfg, _) = scripted(
        dir.path(),
        "Script: Korean\\nScript confidence: 0.85\\n",
        &[
            ("latin", tsv_output("unused", 99.0)),
            ("cjk", tsv_output("全家便利商店\n總計 NT$ 60", 93.0)),
            ("sim", tsv_output("全家便利商店\n总计 NT$ 60", 75.0)),
        ],
    );
    let text = cfg.recognize_image_with(&png, &all_langs()).unwrap();
    assert_eq!(text, "全家便利商店\n總計 NT$ 60");
}

#[test]
fn nonzero_exit_and_early_exit_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    // Exits without reading its input (a large one, so the writer hits a closed pipe).
    let prog = script(dir.path(), "echo 'Error: no such language' >&2; exit 3");
    let out = run_tool(
        &prog,
        &[],
        Some(vec![0u8; 4 << 20]),
        Duration::from_secs(10),
    )
    .ok()
    .unwrap();
    assert!(!out.status_ok);
    assert!(out.status.contains('3'), "{}", out.status);
    assert_eq!(
        tail(&String::from_utf8_lossy(&out.stderr)),
        "Error: no such language"
    );
    // Through the OCR path: a failure with the program's message.
    let cfg = OcrConfig {
        tesseract: prog,
        ..OcrConfig::default()
    };
    let langs = Languages {
        latin: "eng".into(),
        cjk: None,
    };
    let png = crate::fixtures::png(40, 30, 1);
    let e = cfg.recognize_image_with(&png, &langs).unwrap_err();
    assert_eq!(e.state(), OcrState::Failed);
    assert!(e.to_string().contains("no such language"), "{e}");
}

#[test]
fn a_total_without_amount_is_read_again_from_a_binarised_page() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("calls");
    let body = format!(
        r#"echo "$*" >> {log}
cat >/dev/null
n=$(wc -l < {log})
if [ "$n" -le 1 ]; then echo 'SUMME EUR 6,7 24.02.20'; else echo 'SUMME EUR 5,47'; fi"#,
        log = log.display()
    );
    let cfg = OcrConfig {
        tesseract: script(dir.path(), &body),
        ..OcrConfig::default()
    };
    let langs = Languages {
        latin: "eng+deu".into(),
        cjk: None,
    };
    let png = crate::fixtures::png(40, 30, 1);
    assert_eq!(
        cfg.recognize_image_with(&png, &langs).unwrap(),
        "SUMME EUR 6,7 24.02.20\n\nSUMME EUR 5,47"
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 2);
}

#[test]
fn a_text_without_total_is_read_again_from_a_binarised_page() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("calls");
    // The first Latin pass reads no total; the second (binarised page) does.
    let body = format!(
        r#"echo "$*" >> {log}
cat >/dev/null
n=$(wc -l < {log})
if [ "$n" -le 1 ]; then echo 'Milch 1,19'; else echo 'SUMME EUR 1,19'; fi"#,
        log = log.display()
    );
    let cfg = OcrConfig {
        tesseract: script(dir.path(), &body),
        ..OcrConfig::default()
    };
    let langs = Languages {
        latin: "eng+deu".into(),
        cjk: None,
    };
    let png = crate::fixtures::png(40, 30, 1);
    assert_eq!(
        cfg.recognize_image_with(&png, &langs).unwrap(),
        "Milch 1,19\n\nSUMME EUR 1,19"
    );
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(calls.lines().count(), 2, "{calls}");
}
