//! HTML mail, made safe twice: once when it is stored ([`sanitize_html`]) and again each
//! time it is shown ([`render`]).
//!
//! Storing keeps what a reader needs to see the mail as it was written (tables, inline styles
//! limited to properties that cannot load anything, `cid:` and remote image addresses, the
//! classes mail clients put on quoted history) and drops everything that runs or loads:
//! scripts, event handlers, `<style>`/`<link>`, `srcset`, `background`, forms, frames.
//!
//! Showing rewrites image sources: a `cid:` reference becomes the address of the message's own
//! inline part with that Content-ID (or disappears when the message has none), and a remote
//! image disappears unless the reader asked for remote images of that message, so a tracking
//! pixel cannot learn that the mail was read. Everything else that could name an address
//! (protocol-relative, relative, `data:` sources) is dropped. The frame the web layer shows it
//! in adds a Content-Security-Policy whose `img-src` forbids remote hosts as a second wall.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Style properties kept on elements: layout, colours and type; none takes a URL, so no
/// declaration that survives can load anything.
const STYLE_PROPERTIES: &[&str] = &[
    "color",
    "background-color",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "font-variant",
    "text-align",
    "text-decoration",
    "text-indent",
    "text-transform",
    "line-height",
    "letter-spacing",
    "word-spacing",
    "white-space",
    "vertical-align",
    "direction",
    "margin",
    "margin-top",
    "margin-right",
    "margin-bottom",
    "margin-left",
    "padding",
    "padding-top",
    "padding-right",
    "padding-bottom",
    "padding-left",
    "border",
    "border-top",
    "border-right",
    "border-bottom",
    "border-left",
    "border-width",
    "border-style",
    "border-color",
    "border-radius",
    "border-collapse",
    "border-spacing",
    "width",
    "height",
    "max-width",
    "min-width",
    "max-height",
    "min-height",
    "table-layout",
    "list-style-type",
];

/// Classes mail clients put on quoted history (Gmail, Yahoo, Proton, Thunderbird); the only
/// classes kept, so that the frame can collapse them.
const QUOTE_CLASSES: &[&str] = &[
    "gmail_quote",
    "gmail_quote_container",
    "gmail_attr",
    "yahoo_quoted",
    "protonmail_quote",
    "moz-cite-prefix",
];

/// Ids Outlook writes where the quoted history starts; the only ids kept.
const QUOTE_IDS: &[&str] = &["divRplyFwdMsg", "appendonsend"];

/// The CSS selectors of quoted history, for the frame that collapses it.
pub const QUOTE_SELECTORS: &str = "blockquote[type=cite], .gmail_quote, .yahoo_quoted, \
    .protonmail_quote, .moz-cite-prefix, #divRplyFwdMsg, #divRplyFwdMsg ~ *, #appendonsend ~ *";

fn keep_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match attribute {
        "class" => {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|c| QUOTE_CLASSES.contains(c))
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        "id" => QUOTE_IDS.contains(&value).then_some(Cow::Borrowed(value)),
        "type" if element == "blockquote" => value
            .eq_ignore_ascii_case("cite")
            .then_some(Cow::Borrowed("cite")),
        "type" => None,
        // Only declarations that load or run nothing survive the property list; a style that
        // tries to smuggle one past it (escapes, comments, `expression`, bindings) goes whole.
        "style" => {
            let lower = value.to_ascii_lowercase();
            let smuggles = [
                "\\",
                "/*",
                "expression",
                "url(",
                "@import",
                "javascript",
                "behavior",
                "binding",
                "image-set",
            ]
            .iter()
            .any(|m| lower.contains(m));
            (!smuggles).then_some(Cow::Borrowed(value))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

fn builder<F>(filter: F) -> ammonia::Builder<'static>
where
    F: for<'u> Fn(&str, &str, &'u str) -> Option<Cow<'u, str>> + Send + Sync + 'static,
{
    let mut builder = ammonia::Builder::default();
    builder
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_url_schemes(["cid"])
        .add_tags(["font"])
        .add_generic_attributes(["style", "class", "id", "align", "valign", "bgcolor", "dir"])
        .add_tag_attributes("font", ["color", "face", "size"])
        .add_tag_attributes("blockquote", ["type"])
        .add_tag_attributes("table", ["width", "border", "cellpadding", "cellspacing"])
        .add_tag_attributes("td", ["width", "height", "nowrap"])
        .add_tag_attributes("th", ["width", "height", "nowrap"])
        .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect::<HashSet<_>>())
        .attribute_filter(filter);
    builder
}

/// Makes outside HTML safe to store: an allow-list of tags and attributes, no scripts, no
/// event handlers, no style sheets, only inline styles that cannot load anything, links
/// opened without referrer. Image addresses (`cid:`, remote) are kept for [`render`] to
/// decide on.
pub fn sanitize_html(html: &str) -> String {
    builder(keep_attribute).clean(html).to_string()
}

/// HTML mail ready to show, with what was held back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    /// The body, safe to place in the mail frame.
    pub html: String,
    /// Remote images left out (0 when they were allowed or there were none).
    pub remote_images: usize,
    /// Whether it has quoted history the frame collapses.
    pub has_quote: bool,
}

/// Shows stored HTML mail: sanitised again, `cid:` images pointed at `inline_parts` (the
/// message's Content-IDs, without angle brackets, to the address serving each), remote
/// images kept only when `remote` is true, every other image source dropped.
pub fn render(html: &str, inline_parts: HashMap<String, String>, remote: bool) -> RenderedMail {
    let held_back = Arc::new(AtomicUsize::new(0));
    let counter = held_back.clone();
    let filter = higher_ranked(move |element, attribute, value| {
        if attribute == "href" {
            // Links to the outside only: a relative one would point into the workspace.
            let lower = value.trim().to_ascii_lowercase();
            let outside = ["http://", "https://", "mailto:", "tel:"]
                .iter()
                .any(|scheme| lower.starts_with(scheme));
            return outside.then(|| Cow::Owned(value.to_string()));
        }
        if attribute != "src" {
            return keep_attribute(element, attribute, value).map(|v| Cow::Owned(v.into_owned()));
        }
        let value = value.trim();
        let lower = value.to_ascii_lowercase();
        if let Some(id) = lower.strip_prefix("cid:").map(|_| &value[4..]) {
            let id = percent_decode(id);
            let id = id.trim_matches(['<', '>']);
            return inline_parts.get(id).cloned().map(Cow::Owned);
        }
        if element == "img" && (lower.starts_with("https://") || lower.starts_with("http://")) {
            if remote {
                return Some(Cow::Owned(value.to_string()));
            }
            counter.fetch_add(1, Ordering::Relaxed);
        }
        None
    });
    // Relative addresses pass ammonia here because the filter above already chose every
    // source and link: the only relative ones left are the inline parts it wrote.
    let html = builder(filter).clean(html).to_string();
    let has_quote = [
        "type=\"cite\"",
        "gmail_quote",
        "yahoo_quoted",
        "protonmail_quote",
    ]
    .iter()
    .chain(["moz-cite-prefix", "divRplyFwdMsg", "appendonsend"].iter())
    .any(|marker| html.contains(marker));
    RenderedMail {
        html,
        remote_images: held_back.load(Ordering::Relaxed),
        has_quote,
    }
}

/// Gives a closure the signature ammonia asks of an attribute filter.
fn higher_ranked<F>(filter: F) -> F
where
    F: for<'u> Fn(&str, &str, &'u str) -> Option<Cow<'u, str>>,
{
    filter
}

/// Decodes `%XX` escapes (RFC 2392 lets a `cid:` URL escape its Content-ID).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> HashMap<String, String> {
        HashMap::from([(
            "logo@x".to_string(),
            "/ui/messages/1/cid/logo%40x".to_string(),
        )])
    }

    #[test]
    fn stored_mail_keeps_its_look_and_loses_what_runs() {
        let stored = sanitize_html(
            r#"<style>p{color:red}</style><p style="color: red; position: fixed" class="x gmail_quote" onclick="x()" id="evil">Hi</p><span style="color: blue; background-image: url(https://t.example/a)">x</span><b style="width: exp\72 ession(alert(1))">y</b><img src="cid:logo@x" srcset="https://t.example/b 2x"><script>alert(1)</script>"#,
        );
        assert!(
            !stored.contains("script") && !stored.contains("onclick"),
            "{stored}"
        );
        assert!(
            !stored.contains("url(") && !stored.contains("position"),
            "{stored}"
        );
        assert!(
            !stored.contains("srcset") && !stored.contains("evil"),
            "{stored}"
        );
        assert!(
            stored.contains("color:red") || stored.contains("color: red"),
            "{stored}"
        );
        assert!(stored.contains(r#"class="gmail_quote""#), "{stored}");
        assert!(stored.contains(r#"src="cid:logo@x""#), "{stored}");
    }

    #[test]
    fn images_are_rewritten_or_held_back() {
        let html = r#"<p>Hi</p><img src="cid:logo%40x"><img src="cid:other@y"><img src="https://t.example/pixel.gif?u=1"><img src="//t.example/p"><img src="/local"><img src="data:image/png;base64,AAAA">"#;
        let shown = render(html, parts(), false);
        assert!(
            shown.html.contains(r#"src="/ui/messages/1/cid/logo%40x""#),
            "{}",
            shown.html
        );
        assert!(!shown.html.contains("t.example"), "{}", shown.html);
        assert!(!shown.html.contains("other@y") && !shown.html.contains("/local"));
        assert!(!shown.html.contains("data:"), "{}", shown.html);
        assert_eq!(shown.remote_images, 1);
        assert!(!shown.has_quote);
        let linked = render(
            r#"<a href="/ui/customers/1">x</a><a href="https://shop.example/a">y</a>"#,
            parts(),
            false,
        );
        assert!(
            !linked.html.contains("/ui/customers")
                && linked.html.contains("https://shop.example/a")
        );
        let loaded = render(html, parts(), true);
        assert!(loaded.html.contains("https://t.example/pixel.gif?u=1"));
        assert!(!loaded.html.contains("//t.example/p\""));
        assert_eq!(loaded.remote_images, 0);
    }

    #[test]
    fn quoted_history_is_marked() {
        for quoted in [
            r#"<p>New</p><div class="gmail_quote"><blockquote class="gmail_quote">Old</blockquote></div>"#,
            r#"<p>New</p><blockquote type="cite">Old</blockquote>"#,
            r#"<p>New</p><div id="divRplyFwdMsg">From: a</div><div>Old</div>"#,
        ] {
            assert!(render(quoted, HashMap::new(), false).has_quote, "{quoted}");
        }
        let own = render(
            "<p>New</p><blockquote>a quote I chose</blockquote>",
            HashMap::new(),
            false,
        );
        assert!(!own.has_quote);
    }
}
