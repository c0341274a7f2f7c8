//! Mail shown as it was written: an HTML mail in its own frame, its remote images held back
//! until the reader asks, its `cid:` images from its own inline parts, its quoted history
//! collapsed; a plain-text mail's quoted history behind "show quoted text".
//!
//! Why a frame, and why a same-origin route rather than `srcdoc` or inline HTML: the mail's
//! own layout (tables, inline styles) cannot reach the workspace's, and the frame's response
//! carries its own Content-Security-Policy — `sandbox` without `allow-scripts` (nothing in it
//! runs, forms cannot submit), `default-src 'none'`, and an `img-src` that allows only this
//! site until the reader clicks "Load remote images" for that message; the workspace page's
//! own policy never has to allow remote images. `allow-same-origin` lets the page's script
//! (not the mail, which runs none) size the frame to its content and expand the quoted
//! history, and lets the frame's `cid:` requests carry the session like any download.

use crate::download::Shown;
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::QueryFields;
use crate::ui::i18n::Tr;
use crate::ui::{UiError, UiResult};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse};
use std::collections::HashMap;
use tiski_ticketing::access::{Access, Surface};
use tiski_ticketing::{MessageView, QUOTE_SELECTORS, render_mail};

/// How the timeline shows a message's body.
pub struct Body {
    /// For HTML mail: the frame's address.
    pub frame: Option<String>,
    /// Remote images the frame holds back.
    pub remote_images: usize,
    /// The sentence saying so (empty when none are held back).
    pub remote_note: String,
    /// Whether there is quoted history behind "show quoted text".
    pub has_quote: bool,
    /// The text shown (plain-text messages: the new part).
    pub text: String,
    /// The quoted history of a plain-text message, collapsed.
    pub quoted: Option<String>,
    /// An agent's formatted reply or note, cleaned again and shown in place: it was written
    /// in tiski's composer (or through the API by staff), so it needs no frame of its own,
    /// and the reader sees the formatting next to the rest of the conversation.
    pub inline: Option<String>,
}

/// Escapes a Content-ID for a path segment.
fn segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The message's inline parts by Content-ID, each to the address serving it.
fn inline_parts(message: &MessageView) -> HashMap<String, String> {
    message
        .attachments
        .iter()
        .filter_map(|a| a.content_id.as_ref())
        .map(|id| {
            let id = id.trim_matches(['<', '>']).to_string();
            let href = format!("/ui/messages/{}/cid/{}", message.id, segment(&id));
            (id, href)
        })
        .collect()
}

/// How to show `message` in the timeline.
pub fn body(tr: &Tr, message: &MessageView) -> Body {
    if let Some(html) = message.html.as_deref().filter(|h| !h.trim().is_empty()) {
        let rendered = render_mail(html, inline_parts(message), false);
        if message.author_kind == tiski_domain::AuthorKind::Agent {
            return Body {
                frame: None,
                remote_images: 0,
                remote_note: String::new(),
                has_quote: false,
                text: String::new(),
                quoted: None,
                inline: Some(rendered.html),
            };
        }
        return Body {
            frame: Some(format!("/ui/messages/{}/html", message.id)),
            remote_images: rendered.remote_images,
            remote_note: if rendered.remote_images > 0 {
                tr.tn("mail-remote-held", "n", rendered.remote_images as i64)
            } else {
                String::new()
            },
            has_quote: rendered.has_quote,
            text: String::new(),
            quoted: None,
            inline: None,
        };
    }
    let (text, quoted) = match message.new_text.as_deref() {
        Some(new) if new.len() < message.body.len() => {
            let rest = message
                .body
                .strip_prefix(new)
                .unwrap_or(&message.body)
                .trim_start_matches(['\r', '\n'])
                .to_string();
            (new.to_string(), Some(rest).filter(|r| !r.trim().is_empty()))
        }
        _ => (message.body.clone(), None),
    };
    Body {
        frame: None,
        remote_images: 0,
        remote_note: String::new(),
        has_quote: quoted.is_some(),
        text,
        quoted,
        inline: None,
    }
}

#[derive(Template)]
#[template(path = "mail_frame.html")]
struct Frame<'a> {
    lang: &'a str,
    body: &'a str,
    quote_selectors: &'a str,
}

/// The mail frame's policy: nothing runs, nothing submits, images from this site only unless
/// the reader asked for remote ones.
fn frame_policy(remote: bool) -> &'static str {
    if remote {
        "sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src 'self' data: https: http:; style-src 'unsafe-inline'; frame-ancestors 'self'; form-action 'none'"
    } else {
        "sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'; form-action 'none'"
    }
}

/// `GET /ui/messages/{id}/html`: a message's HTML as a document for its frame; `?remote=1`
/// shows its remote images too.
pub async fn frame(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    QueryFields(query): QueryFields,
) -> UiResult {
    let message = app
        .ticketing
        .message(&ui.actor, id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let read = [Access::conversation(message.ticket_id)];
    crate::access::record(&app, &ui.actor, ui.client.clone(), Surface::Ui, &read).await;
    let remote = query.get("remote") == Some("1");
    let Some(html) = message.html.as_deref() else {
        return Err(UiError::from_app(
            &ui,
            tiski_kernel::AppError::not_found("message"),
        ));
    };
    let rendered = render_mail(html, inline_parts(&message), remote);
    let page = Frame {
        lang: ui.tr.locale.code(),
        body: &rendered.html,
        quote_selectors: QUOTE_SELECTORS,
    };
    let mut response = Html(page.render().unwrap_or_default()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(frame_policy(remote)),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("SAMEORIGIN"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(response)
}

/// An attachment as the timeline lists it: a thumbnail, a PDF to open, or a file to save.
pub struct Attachment {
    /// Download address.
    pub href: String,
    /// Address that shows it in the browser (images and PDFs).
    pub view_href: String,
    /// `image`, `pdf` or `file`.
    pub shown: &'static str,
    /// File name.
    pub name: String,
    /// Size, readable.
    pub size: String,
}

/// The attachments of `message` the timeline lists: every file but unnamed inline parts
/// (which its HTML shows in place).
pub fn attachments(tr: &Tr, message: &MessageView) -> Vec<Attachment> {
    message
        .attachments
        .iter()
        .filter(|a| !a.inline || a.filename.is_some())
        .map(|a| Attachment {
            href: format!("/ui/attachments/{}", a.id),
            view_href: format!("/ui/attachments/{}?view=1", a.id),
            shown: match Shown::of(&a.content_type, a.size) {
                Shown::Image => "image",
                Shown::Pdf => "pdf",
                Shown::File => "file",
            },
            name: a
                .filename
                .clone()
                .unwrap_or_else(|| tr.tn("attachment-unnamed", "n", a.id)),
            size: super::size_label(tr, a.size),
        })
        .collect()
}
