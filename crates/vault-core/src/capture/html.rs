//! Email HTML made safe to show: no script, nothing that loads from the network.
//!
//! An email's HTML is written by a stranger. Front ends show it in a sandboxed frame with
//! a CSP of its own, but the HTML is cleaned here first (defence in depth), with
//! [`ammonia`]'s allow-list parser:
//! - script, event handlers, forms, frames, objects, `<meta>`, `<base>`, `<link>`, SVG and
//!   MathML are removed (with their content where the content is not text for people);
//! - every URL that would load something is removed unless it is a `data:` image or a
//!   `cid:` reference to an image inside the same email (turned into a `data:` URL);
//!   remote ones (`http:`, `https:`, `//host`) are counted, so the UI can say
//!   "3 remote images blocked" (tracking pixels);
//! - links keep their text but lose their target: nothing in the frame navigates;
//! - inline styles and `<style>` blocks are kept for layout, without `url()`,
//!   `image-set()`, `@import`, `expression()` or CSS escapes.

use crate::error::Result;
use crate::vault::Vault;
use ammonia::{Builder, UrlRelative};
use base64::Engine as _;
use mail_parser::{MessageParser, MimeHeaders};
use regex::Regex;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, LazyLock};

/// Largest inline (`cid:`) image turned into a `data:` URL.
const MAX_INLINE_IMAGE: usize = 4 << 20;
/// Largest total of inline images per email.
const MAX_INLINE_TOTAL: usize = 16 << 20;

/// Sanitised HTML and how many remote resources were removed from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SafeHtml {
    pub html: String,
    /// Remote images, CSS `url()`s and stylesheet links that were removed.
    pub blocked_remote: u32,
}

/// Images inside an email, by Content-ID (without `<>`), as `data:` URLs.
pub type InlineImages = HashMap<String, String>;

static LINK_REMOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<link\b[^>]*?\bhref\s*=\s*["']?\s*(?:https?:|//)"#).expect("valid regex")
});
static STYLE_BLOCK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<style\b[^>]*>(.*?)</style\s*>").expect("valid regex"));
/// `url(…)` with its argument (quoted or not).
static CSS_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))\s*\)"#).expect("valid regex")
});
/// CSS that loads or runs something (once `data:` image URLs are taken out).
static CSS_ACTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)url\(|image-set|expression|@import|-moz-binding|behavior|https?:|//")
        .expect("valid regex")
});
/// One remote reference: `http:`, `https:` or a protocol-relative `//host`.
static CSS_REMOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)https?:|(?:^|[("'\s,])//"#).expect("valid regex"));
static CSS_FONT_FACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)@font-face\s*\{[^}]*\}").expect("valid regex"));

fn is_remote(url: &str) -> bool {
    let u = url.trim_start().to_ascii_lowercase();
    u.starts_with("http:") || u.starts_with("https:") || u.starts_with("//")
}

fn is_data_image(url: &str) -> bool {
    url.trim_start()
        .get(..11)
        .is_some_and(|p| p.eq_ignore_ascii_case("data:image/"))
}

/// `css` cut at `;`, `{` and `}` outside parentheses and quotes: (piece, delimiter).
fn css_pieces(css: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0u32, None::<char>, 0usize);
    for (i, c) in css.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, ';' | '{' | '}') if depth == 0 => {
                out.push((&css[start..i], &css[i..i + 1]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((&css[start..], ""));
    out
}

/// CSS with every declaration or rule that could load or run something taken out.
/// `blocked` counts the remote references removed.
fn clean_css(css: &str, blocked: &mut u32) -> String {
    // Escapes could spell `url(` in a way the patterns do not see; `<` could end the
    // `<style>` element the CSS goes back into.
    let mut css: String = css.chars().filter(|c| !matches!(c, '\\' | '<')).collect();
    // `@font-face` rules go first, and until none is left: cutting one out joins the
    // text on either side ("ur@font-face{}l(" becomes "url("), which must be checked.
    loop {
        let next = CSS_FONT_FACE
            .replace_all(&css, |c: &regex::Captures| {
                *blocked += CSS_REMOTE.find_iter(&c[0]).count() as u32;
                String::new()
            })
            .into_owned();
        if next == css {
            break;
        }
        css = next;
    }
    let mut out = String::with_capacity(css.len());
    // Declarations and rule heads, split at `;`, `{` and `}` (kept) outside of
    // parentheses and strings.
    for (segment, delim) in css_pieces(&css) {
        let without_data = without_data_images(segment);
        if CSS_ACTIVE.is_match(&without_data) {
            *blocked += CSS_REMOTE.find_iter(&without_data).count() as u32;
        } else {
            out.push_str(segment);
        }
        out.push_str(delim);
    }
    // Pieces are dropped with their delimiters kept, so nothing joins; check anyway.
    let rest = without_data_images(&out);
    if CSS_ACTIVE.is_match(&rest) {
        *blocked += CSS_REMOTE.find_iter(&rest).count().max(1) as u32;
        return String::new();
    }
    out
}

/// The CSS with its `url(data:image/…)` references taken out (they load nothing).
fn without_data_images(css: &str) -> std::borrow::Cow<'_, str> {
    CSS_URL.replace_all(css, |c: &regex::Captures| {
        let arg = c
            .get(1)
            .or_else(|| c.get(2))
            .or_else(|| c.get(3))
            .map_or("", |m| m.as_str());
        if is_data_image(arg) {
            String::new()
        } else {
            c[0].to_string()
        }
    })
}

/// Clean an email's HTML. `inline` maps Content-IDs to `data:` URLs for `cid:` images.
pub fn sanitize_email_html(html: &str, inline: &InlineImages) -> SafeHtml {
    let mut blocked = 0u32;
    blocked += LINK_REMOTE.find_iter(html).count() as u32;
    let mut styles = String::new();
    for c in STYLE_BLOCK.captures_iter(html) {
        styles.push_str(&clean_css(&c[1], &mut blocked));
        styles.push('\n');
    }

    let counter = Arc::new(AtomicU32::new(0));
    let filter_counter = Arc::clone(&counter);
    let inline = inline.clone();
    let mut b = Builder::default();
    b.add_tags(["font", "center"])
        .add_generic_attributes([
            "style",
            "align",
            "valign",
            "bgcolor",
            "background",
            "width",
            "height",
            "dir",
            "class",
            "border",
        ])
        .add_tag_attributes("img", ["srcset", "border", "hspace", "vspace"])
        .add_tag_attributes("table", ["cellpadding", "cellspacing", "frame", "rules"])
        .add_tag_attributes("td", ["nowrap", "abbr"])
        .add_tag_attributes("th", ["nowrap", "abbr"])
        .add_tag_attributes("font", ["color", "face", "size"])
        .add_clean_content_tags([
            "title", "head", "svg", "math", "iframe", "object", "embed", "applet", "noscript",
            "template", "frameset", "noframes", "xmp", "textarea", "select", "button",
        ])
        .url_schemes(HashSet::from(["http", "https", "data", "cid", "mailto"]))
        // Relative URLs reach the filter (which removes them); `//host/x` is one.
        .url_relative(UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(move |element, attribute, value| {
            filter_attribute(element, attribute, value, &inline, &filter_counter)
        });
    let body = b.clean(html).to_string();
    blocked += counter.load(Ordering::Relaxed);
    let html = if styles.trim().is_empty() {
        body
    } else {
        format!("<style>\n{styles}</style>\n{body}")
    };
    SafeHtml {
        html,
        blocked_remote: blocked,
    }
}

fn filter_attribute<'a>(
    element: &str,
    attribute: &str,
    value: &'a str,
    inline: &InlineImages,
    blocked: &AtomicU32,
) -> Option<Cow<'a, str>> {
    let count_if_remote = |v: &str| {
        if is_remote(v) {
            blocked.fetch_add(1, Ordering::Relaxed);
        }
    };
    match attribute {
        // Nothing navigates out of the frame.
        "href" => None,
        "src" => {
            let v = value.trim();
            if is_data_image(v) {
                Some(Cow::Borrowed(value))
            } else if v.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("cid:")) {
                inline
                    .get(v[4..].trim_matches(['<', '>']))
                    .map(|d| Cow::Owned(d.clone()))
            } else {
                if element == "img" {
                    count_if_remote(v);
                }
                None
            }
        }
        "srcset" | "background" => {
            if value.split(',').any(|c| is_remote(c.trim())) {
                blocked.fetch_add(1, Ordering::Relaxed);
            }
            None
        }
        "style" => {
            let mut n = 0;
            let css = clean_css(value, &mut n);
            blocked.fetch_add(n, Ordering::Relaxed);
            Some(Cow::Owned(css))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

/// The images of a raw email that carry a Content-ID, as `data:` URLs (size-capped).
pub fn inline_images(raw: &[u8]) -> InlineImages {
    let mut out = InlineImages::new();
    let Some(msg) = MessageParser::default().parse(raw) else {
        return out;
    };
    let mut total = 0usize;
    for part in &msg.parts {
        let Some(cid) = part.content_id() else {
            continue;
        };
        let Some(ct) = part.content_type() else {
            continue;
        };
        let Some(sub) = ct.subtype() else { continue };
        if !ct.ctype().eq_ignore_ascii_case("image")
            || !sub
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            continue;
        }
        let bytes = part.contents();
        if bytes.is_empty()
            || bytes.len() > MAX_INLINE_IMAGE
            || total + bytes.len() > MAX_INLINE_TOTAL
        {
            continue;
        }
        total += bytes.len();
        out.insert(
            cid.trim_matches(['<', '>']).to_string(),
            format!(
                "data:image/{};base64,{}",
                sub.to_ascii_lowercase(),
                base64::engine::general_purpose::STANDARD.encode(bytes)
            ),
        );
    }
    out
}

impl Vault {
    /// The HTML body of an email voucher, sanitised (see the module docs). An email
    /// without HTML (or a voucher that is not an email) gives empty HTML.
    pub fn email_html(&self, id: i64) -> Result<SafeHtml> {
        let v = self.get(id)?;
        let Some(html) = v.email.and_then(|e| e.html) else {
            return Ok(SafeHtml {
                html: String::new(),
                blocked_remote: 0,
            });
        };
        let inline = if html.to_ascii_lowercase().contains("cid:") {
            self.store
                .read_capped(&v.summary.sha256, crate::capture::email::MAX_EMAIL_BYTES)
                .map(|raw| inline_images(&raw))
                .unwrap_or_default()
        } else {
            InlineImages::new()
        };
        Ok(sanitize_email_html(&html, &inline))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> SafeHtml {
        sanitize_email_html(html, &InlineImages::new())
    }

    fn assert_absent(out: &SafeHtml, needles: &[&str]) {
        let lower = out.html.to_ascii_lowercase();
        for n in needles {
            assert!(
                !lower.contains(&n.to_ascii_lowercase()),
                "{n:?} survived in {:?}",
                out.html
            );
        }
    }

    #[test]
    fn script_is_removed_with_its_content() {
        let out =
            clean("<p>Total 9.99</p><script>document.title='x'</script><SCRIPT src=x.js></SCRIPT>");
        assert_absent(&out, &["<script", "document.title", "x.js"]);
        assert!(out.html.contains("<p>Total 9.99</p>"), "{}", out.html);
        assert_eq!(out.blocked_remote, 0);
    }

    #[test]
    fn event_handlers_are_removed() {
        let out = clean(
            r#"<div onclick="alert(1)" onmouseover='x()'>a</div><img src="data:image/png;base64,iVBO" onerror="alert(2)"><body onload="y()">b</body>"#,
        );
        assert_absent(
            &out,
            &["onclick", "onmouseover", "onerror", "onload", "alert"],
        );
        assert!(
            out.html.contains("data:image/png;base64,iVBO"),
            "{}",
            out.html
        );
    }

    #[test]
    fn javascript_urls_are_removed() {
        let out = clean(
            r#"<a href="javascript:alert(1)">pay</a><a href=" JaVaScRiPt:alert(2)">x</a><img src="javascript:alert(3)">"#,
        );
        assert_absent(&out, &["javascript", "alert"]);
        assert!(out.html.contains(">pay</a>"), "{}", out.html);
    }

    #[test]
    fn remote_images_are_removed_and_counted() {
        let out = clean(
            r#"<img src="http://t.example/p.gif" alt="pixel"><img src="https://t.example/q.png"><img src="//t.example/r.png"><img src="  HTTPS://t.example/s.png"><img src="logo.png">"#,
        );
        assert_absent(&out, &["t.example", "logo.png", "src="]);
        assert_eq!(out.blocked_remote, 4, "{}", out.html);
        assert!(out.html.contains(r#"alt="pixel""#), "{}", out.html);
    }

    #[test]
    fn srcset_and_background_attributes_are_removed() {
        let out = clean(
            r#"<img srcset="https://t.example/a.png 1x, https://t.example/b.png 2x"><table background="http://t.example/bg.png"><tr><td background="//t.example/c.png">x</td></tr></table>"#,
        );
        assert_absent(&out, &["t.example", "srcset", "background"]);
        assert_eq!(out.blocked_remote, 3);
    }

    #[test]
    fn css_urls_in_style_attributes_are_removed() {
        let out = clean(
            r#"<div style="color: red; background: url(http://t.example/a.png) no-repeat">a</div><p style="background-image:url('//t.example/b.png')">b</p><span style="background: url(data:image/png;base64,AAAA)">c</span><i style="background:-webkit-image-set('https://t.example/d.png' 1x)">d</i><b style="background: u\72l(https://t.example/e.png)">e</b>"#,
        );
        assert_absent(&out, &["http", "//t.example", "image-set"]);
        assert!(out.html.contains("color: red"), "{}", out.html);
        assert!(
            out.html.contains("url(data:image/png;base64,AAAA)"),
            "{}",
            out.html
        );
        assert_eq!(out.blocked_remote, 4, "{}", out.html);
    }

    #[test]
    fn style_blocks_are_kept_without_urls_or_imports() {
        let out = clean(
            r#"<html><head><style>@import url("https://t.example/x.css"); .total { font-weight: bold; background: url(https://t.example/bg.png) } @font-face { font-family: F; src: url(https://t.example/f.woff) }</style></head><body><p class="total">9.99</p></body></html>"#,
        );
        assert_absent(&out, &["t.example", "@import", "@font-face"]);
        assert!(
            out.html.contains(".total { font-weight: bold;"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains(r#"<p class="total">9.99</p>"#),
            "{}",
            out.html
        );
        // The import, the background and the font.
        assert_eq!(out.blocked_remote, 3, "{}", out.html);
    }

    #[test]
    fn a_style_block_cannot_break_out_of_its_element() {
        let out = clean("<style>p { color: red }</style><img src=x onerror=alert(1)></style><script>alert(2)</script>");
        assert_absent(&out, &["alert", "<script", "onerror"]);
    }

    #[test]
    fn link_iframe_form_meta_base_object_are_removed() {
        let out = clean(
            r#"<link rel="stylesheet" href="https://t.example/s.css"><meta http-equiv="refresh" content="0;url=https://t.example/"><base href="https://t.example/"><iframe src="https://t.example/f"></iframe><form action="https://t.example/post"><input name="card"><button>Pay</button></form><object data="https://t.example/o"></object><embed src="https://t.example/e"><p>kept</p>"#,
        );
        assert_absent(
            &out,
            &[
                "<link",
                "<meta",
                "refresh",
                "<base",
                "<iframe",
                "<form",
                "<input",
                "<object",
                "<embed",
                "t.example",
            ],
        );
        assert!(out.html.contains("<p>kept</p>"), "{}", out.html);
        // The stylesheet link is the only remote resource among these the count covers.
        assert_eq!(out.blocked_remote, 1, "{}", out.html);
    }

    #[test]
    fn svg_with_script_is_removed() {
        let out = clean(
            r#"<svg onload="alert(1)"><script>alert(2)</script><image href="https://t.example/i.png"/><a xlink:href="javascript:alert(3)"><text>x</text></a></svg><math><mi xlink:href="javascript:alert(4)">m</mi></math><p>after</p>"#,
        );
        assert_absent(&out, &["<svg", "alert", "t.example", "<math", "javascript"]);
        assert!(out.html.contains("<p>after</p>"), "{}", out.html);
    }

    #[test]
    fn links_keep_their_text_but_not_their_target() {
        let out = clean(r#"<a href="https://shop.example/order/1" target="_top">View order</a>"#);
        assert_absent(&out, &["href", "shop.example", "target"]);
        assert!(out.html.contains("View order"), "{}", out.html);
        assert_eq!(out.blocked_remote, 0);
    }

    #[test]
    fn text_tables_and_inline_styles_are_kept() {
        let html = r#"<table width="100%" cellpadding="4" border="0" style="border-collapse: collapse"><tr><td align="right" style="color: #333">Total</td><td><b>49.99 EUR</b></td></tr></table><p>Thank you &amp; goodbye</p><font color="red">Sale</font>"#;
        let out = clean(html);
        for kept in [
            r#"width="100%""#,
            r#"cellpadding="4""#,
            r#"style="border-collapse: collapse""#,
            r#"align="right""#,
            r#"style="color: #333""#,
            "<b>49.99 EUR</b>",
            "Thank you &amp; goodbye",
            r#"<font color="red">Sale</font>"#,
        ] {
            assert!(out.html.contains(kept), "{kept} lost in {}", out.html);
        }
        assert_eq!(out.blocked_remote, 0);
    }

    #[test]
    fn title_and_head_text_do_not_leak_into_the_body() {
        let out = clean("<html><head><title>Secret title</title></head><body>Body</body></html>");
        assert_eq!(out.html.trim(), "Body");
    }

    #[test]
    fn cid_images_become_data_urls_or_disappear() {
        let mut inline = InlineImages::new();
        inline.insert("logo@shop".into(), "data:image/png;base64,AAAA".into());
        let out = sanitize_email_html(
            r#"<img src="cid:logo@shop" alt="logo"><img src="cid:missing@shop" alt="gone">"#,
            &inline,
        );
        assert!(
            out.html.contains(r#"src="data:image/png;base64,AAAA""#),
            "{}",
            out.html
        );
        assert_absent(&out, &["cid:"]);
        assert_eq!(out.blocked_remote, 0);
    }

    #[test]
    fn inline_images_are_read_from_the_email() {
        let raw = b"From: a@b.example\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/related; boundary=\"r\"\r\n\
\r\n\
--r\r\n\
Content-Type: text/html\r\n\
\r\n\
<img src=\"cid:logo@shop\">\r\n\
--r\r\n\
Content-Type: image/png\r\n\
Content-ID: <logo@shop>\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
iVBORw0KGgo=\r\n\
--r--\r\n";
        let inline = inline_images(raw);
        assert_eq!(
            inline.get("logo@shop").map(String::as_str),
            Some("data:image/png;base64,iVBORw0KGgo=")
        );
    }

    #[test]
    fn cutting_font_face_rules_cannot_assemble_a_remote_load() {
        let inline = InlineImages::default();
        for html in [
            r#"<p style="background:ur@font-face{}l(ht@font-face{}tps:/@font-face{}/evil.example/px)">x</p>"#,
            r#"<style>@imp@font-face{}ort "ht@font-face{}tps:/@font-face{}/evil.example/x.css"; p{color:red}</style><p>x</p>"#,
        ] {
            let out = sanitize_email_html(html, &inline);
            assert!(!out.html.contains("evil.example"), "{}", out.html);
            assert!(
                !out.html.to_ascii_lowercase().contains("url("),
                "{}",
                out.html
            );
            assert!(
                !out.html.to_ascii_lowercase().contains("@import"),
                "{}",
                out.html
            );
            assert!(out.blocked_remote >= 1, "{html}: {}", out.blocked_remote);
        }
    }
}
