//! The knowledge base's pure rules: checking an article, its sections (`##` headings), and
//! its Markdown rendered to sanitised HTML.

use tiski_domain::FieldError;

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest body, in bytes.
pub const MAX_BODY_BYTES: usize = 200_000;

/// One section of an article: the part before the first `##` heading (position 0, no
/// heading), then one per heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Its place in the article, from 0.
    pub position: i64,
    /// The heading's text, `None` for the part before the first heading.
    pub heading: Option<String>,
    /// The section's Markdown, its heading left out.
    pub text: String,
}

/// The heading of a Markdown line, when it is a level-two ATX heading (`## Returns`).
fn heading(line: &str) -> Option<String> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let rest = trimmed.strip_prefix("##")?;
    if rest.starts_with('#') || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim();
    Some(text.to_owned())
}

/// The sections of a Markdown body. Headings inside fenced code blocks do not count.
pub fn sections(body: &str) -> Vec<Section> {
    let mut out = vec![Section {
        position: 0,
        heading: None,
        text: String::new(),
    }];
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
        } else if t.starts_with("```") {
            fence = Some("```");
        } else if t.starts_with("~~~") {
            fence = Some("~~~");
        } else if let Some(h) = heading(line) {
            let position = i64::try_from(out.len()).unwrap_or(i64::MAX);
            out.push(Section {
                position,
                heading: Some(h),
                text: String::new(),
            });
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.text.push_str(line);
            last.text.push('\n');
        }
    }
    out
}

/// The body as HTML: Markdown rendered (raw HTML in it passes through the sanitiser like
/// everything else), then sanitised by the one HTML sanitiser of tiski.
pub fn render(body: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::ENABLE_TABLES);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    tiski_ticketing::sanitize_html(&html)
}

/// Checks a title.
pub fn title(text: &str) -> Result<String, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(FieldError::new("title", "An article needs a title."));
    }
    if t.chars().count() > MAX_TITLE_CHARS || t.chars().any(char::is_control) {
        return Err(FieldError::new(
            "title",
            format!("A title is one line of at most {MAX_TITLE_CHARS} characters."),
        ));
    }
    Ok(t.to_owned())
}

/// Checks a body.
pub fn body(text: &str) -> Result<String, FieldError> {
    if text.len() > MAX_BODY_BYTES {
        return Err(FieldError::new(
            "body",
            format!("A body is at most {MAX_BODY_BYTES} bytes."),
        ));
    }
    if text.contains('\0') {
        return Err(FieldError::new(
            "body",
            "A body cannot hold NUL characters.",
        ));
    }
    Ok(text.to_owned())
}

/// Checks tags by the one tag rule of tiski (`Tag::parse_list`).
pub fn tags(given: &[String]) -> Result<Vec<String>, FieldError> {
    tiski_domain::Tag::parse_list("tags", given)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_follow_level_two_headings_outside_code() {
        let body = "Intro text\n\n## Returns ##\nSend it back.\n### Detail\nmore\n```\n## not a heading\n```\n##Nope\n## Delivery\nTwo days.";
        let s = sections(body);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[0].heading, None);
        assert_eq!(s[0].text, "Intro text\n\n");
        assert_eq!(s[1].heading.as_deref(), Some("Returns"));
        assert!(s[1].text.contains("## not a heading") && s[1].text.contains("##Nope"));
        assert_eq!(s[2].heading.as_deref(), Some("Delivery"));
        assert_eq!(s[2].position, 2);
    }

    #[test]
    fn rendering_is_sanitised() {
        let html = render("# Hi\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) **b**");
        assert!(html.contains("<h1>Hi</h1>"), "{html}");
        assert!(html.contains("<strong>b</strong>"), "{html}");
        assert!(
            !html.contains("<script") && !html.contains("javascript:"),
            "{html}"
        );
    }

    #[test]
    fn bad_titles_bodies_and_tags_name_their_field() {
        assert_eq!(title("  ").unwrap_err().field, "title");
        assert_eq!(title(&"x".repeat(201)).unwrap_err().field, "title");
        assert_eq!(title("a\nb").unwrap_err().field, "title");
        assert_eq!(body("a\0").unwrap_err().field, "body");
        assert!(
            tags(&["ok".into(), "Bad Tag!".into()])
                .unwrap_err()
                .field
                .starts_with("tags")
        );
        assert_eq!(tags(&["a".into(), "a".into()]).unwrap(), vec!["a"]);
    }
}
