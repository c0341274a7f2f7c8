//! Rules of the composer: what an agent's formatted reply may contain, and the faithful
//! plain-text part derived from it.
//!
//! The workspace's editor writes HTML (a `contenteditable` box, see `app.js`). What arrives
//! is cleaned to the composer's few tags ([`COMPOSER_TAGS`]: paragraphs and lines, bold,
//! italic, underline, lists, links, quotes) and the text part is derived from the cleaned
//! HTML, never taken from the browser, so the two parts always say the same: lists become
//! `- ` and `1. ` lines, links `text <url>`, quotes `> ` lines.

use std::collections::{HashMap, HashSet};

/// The tags an agent's formatted message keeps.
pub const COMPOSER_TAGS: [&str; 14] = [
    "p",
    "div",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "span",
];

/// Cleans composed HTML to [`COMPOSER_TAGS`]: no attributes but a link's `href` (http,
/// https or mailto, absolute), no scripts or styles, links opened without referrer.
pub fn clean_composed(html: &str) -> String {
    let mut link = HashMap::new();
    link.insert("a", HashSet::from(["href"]));
    ammonia::Builder::empty()
        .tags(COMPOSER_TAGS.into_iter().collect())
        .clean_content_tags(HashSet::from(["script", "style", "title"]))
        .tag_attributes(link)
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

/// Plain text escaped as composed HTML, one `<div>` a line (a draft or message given as text).
pub fn html_of_text(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                "<div><br></div>".to_string()
            } else {
                format!("<div>{}</div>", escape(line))
            }
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One list being written: ordered or not, and the number of its next item.
struct List {
    ordered: bool,
    next: u32,
}

/// Writes text lines with the prefixes of the quotes and lists they are in.
#[derive(Default)]
struct Writer {
    lines: Vec<String>,
    line: String,
    started: bool,
    gap: bool,
    quotes: usize,
    lists: Vec<List>,
    marker: Option<String>,
    links: Vec<(String, Option<usize>)>,
}

impl Writer {
    fn prefix(&mut self) -> String {
        let mut prefix = "> ".repeat(self.quotes);
        if !self.lists.is_empty() {
            prefix.push_str(&"   ".repeat(self.lists.len() - 1));
            match self.marker.take() {
                Some(marker) => prefix.push_str(&marker),
                None => prefix.push_str("   "),
            }
        }
        prefix
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            let c = if c.is_whitespace() { ' ' } else { c };
            if c == ' ' && (!self.started || self.line.ends_with(' ')) {
                continue;
            }
            if !self.started {
                if self.gap && !self.lines.is_empty() {
                    let blank = "> ".repeat(self.quotes);
                    self.lines.push(blank.trim_end().to_string());
                }
                self.gap = false;
                self.line = self.prefix();
                self.started = true;
                let start = self.line.len();
                for link in &mut self.links {
                    link.1.get_or_insert(start);
                }
            }
            self.line.push(c);
        }
    }

    /// Ends the line being written, if any.
    fn end_line(&mut self) {
        if self.started {
            let line = std::mem::take(&mut self.line);
            self.lines.push(line.trim_end().to_string());
            self.started = false;
            for link in &mut self.links {
                link.1 = None;
            }
        }
    }

    /// A `<br>`: ends the line, or writes an empty one (a trailing break inside a block
    /// ends its line, as browsers show it).
    fn line_break(&mut self) {
        if self.started {
            self.end_line();
        } else {
            let blank = "> ".repeat(self.quotes);
            self.lines.push(blank.trim_end().to_string());
        }
    }

    fn open(&mut self, tag: &str, href: Option<String>) {
        match tag {
            "br" => self.line_break(),
            "p" | "div" => self.end_line(),
            "blockquote" => {
                self.end_line();
                self.quotes += 1;
            }
            "ul" | "ol" => {
                self.end_line();
                self.lists.push(List {
                    ordered: tag == "ol",
                    next: 1,
                });
            }
            "li" => {
                self.end_line();
                if let Some(list) = self.lists.last_mut() {
                    self.marker = Some(if list.ordered {
                        let marker = format!("{}. ", list.next);
                        list.next += 1;
                        marker
                    } else {
                        "- ".to_string()
                    });
                }
            }
            "a" => {
                let start = self.started.then_some(self.line.len());
                self.links.push((href.unwrap_or_default(), start));
            }
            _ => {}
        }
    }

    fn close(&mut self, tag: &str) {
        match tag {
            "p" => {
                self.end_line();
                self.gap = true;
            }
            "div" | "li" => {
                self.end_line();
                self.marker = None;
            }
            "blockquote" => {
                self.end_line();
                self.quotes = self.quotes.saturating_sub(1);
            }
            "ul" | "ol" => {
                self.end_line();
                self.lists.pop();
            }
            "a" => {
                if let Some((href, start)) = self.links.pop() {
                    let shown = start
                        .and_then(|s| self.line.get(s..))
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    let bare = href.strip_prefix("mailto:").unwrap_or(&href);
                    if !href.is_empty() && shown != href && shown != bare {
                        if !self.line.ends_with(' ') && self.started {
                            self.line.push(' ');
                        }
                        self.text(&format!("<{href}>"));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The plain-text part of cleaned HTML (the output of [`clean_composed`] or the message
/// sanitiser): its text, with lines for blocks and line breaks, `- ` and `1. ` for list
/// items, `> ` for quotes and `text <url>` for links.
pub fn text_of_html(html: &str) -> String {
    let mut writer = Writer::default();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let Some(end) = after.find('>') else {
                writer.text(&decode(rest));
                break;
            };
            let inside = &after[..end];
            rest = &after[end + 1..];
            if let Some(name) = inside.strip_prefix('/') {
                writer.close(&name.trim().to_ascii_lowercase());
            } else if !inside.starts_with('!') {
                let name: String = inside
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                writer.open(&name, attribute(inside, "href"));
                if name == "br" || inside.ends_with('/') {
                    continue;
                }
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            writer.text(&decode(&rest[..end]));
            rest = &rest[end..];
        }
    }
    writer.end_line();
    while writer.lines.last().is_some_and(|l| l.trim().is_empty()) {
        writer.lines.pop();
    }
    let first = writer
        .lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(writer.lines.len());
    writer.lines[first..].join("\n")
}

/// The value of attribute `name` in a start tag's inside (`a href="…" rel="…"`).
fn attribute(inside: &str, name: &str) -> Option<String> {
    let marker = format!("{name}=\"");
    let start = inside.find(&marker)? + marker.len();
    let value = &inside[start..];
    Some(decode(&value[..value.find('"')?]))
}

/// Decodes the character references a serialiser writes (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&nbsp;`, `&#39;`, numeric ones).
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn composed(html: &str) -> String {
        text_of_html(&clean_composed(html))
    }

    #[test]
    fn lines_lists_links_and_quotes() {
        assert_eq!(
            composed(
                "<div>Hello <b>Maija</b>,</div><div><br></div><div>Steps:</div><ol><li>Open</li><li>Close</li></ol><ul><li>one</li></ul>"
            ),
            "Hello Maija,\n\nSteps:\n1. Open\n2. Close\n- one"
        );
        assert_eq!(
            composed("See <a href=\"https://example.com/a?b=1&amp;c=2\">the guide</a>."),
            "See the guide <https://example.com/a?b=1&c=2>."
        );
        assert_eq!(
            composed("<a href=\"https://example.com\">https://example.com</a>"),
            "https://example.com"
        );
        assert_eq!(
            composed("<blockquote><div>You wrote</div><div>twice</div></blockquote><div>Yes</div>"),
            "> You wrote\n> twice\nYes"
        );
        assert_eq!(composed("<p>One</p><p>Two &lt;3</p>"), "One\n\nTwo <3");
        assert_eq!(
            composed("<ul><li>a<ul><li>b</li></ul></li></ul>"),
            "- a\n   - b"
        );
        assert_eq!(composed("a<br>b"), "a\nb");
    }

    #[test]
    fn cleaning_keeps_only_the_composer_tags() {
        let clean = clean_composed(
            "<p style=\"color:red\" onclick=\"x()\">hi<script>alert(1)</script><img src=\"https://t.example/p.gif\"></p><a href=\"javascript:alert(1)\">x</a><a href=\"/relative\">y</a>",
        );
        assert_eq!(
            clean,
            "<p>hi</p><a rel=\"noopener noreferrer nofollow\">x</a><a rel=\"noopener noreferrer nofollow\">y</a>"
        );
        assert_eq!(text_of_html(&clean), "hi\n\nxy");
        assert_eq!(
            html_of_text("a <b>\n\nc"),
            "<div>a &lt;b&gt;</div><div><br></div><div>c</div>"
        );
        assert_eq!(text_of_html(&html_of_text("a <b>\n\nc")), "a <b>\n\nc");
    }
}
