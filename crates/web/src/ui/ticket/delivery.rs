//! Replies that reach the customer, in the ticket page: what the composer offers (To, Cc,
//! Bcc, or why no reply can go out), taking a reply back in its undo window, and forwarding.

use super::properties::properties_html;
use super::timeline::timeline_html;
use crate::extract::State as AppState;
use crate::ui::auth::Ui;
use crate::ui::form::{Fields, FormBody};
use crate::ui::{UiError, UiResult};
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse};
use tiski_app::App;
use tiski_domain::MessageKind;
use tiski_ticketing::{MessageView, NewForward};

/// What the composer offers: the requester's address and the ticket's CCs filled in, the
/// mailbox replies go out through, or why no reply can reach the customer.
#[derive(Default)]
pub struct Composer {
    /// The requester's address (To).
    pub to: String,
    /// The ticket's CCs.
    pub cc: String,
    /// The mailbox address replies go out from.
    pub via: String,
    /// Why no reply can go out, in the reader's language (empty when one can).
    pub unreachable: String,
    /// `no_address` or `no_channel`, or empty.
    pub unreachable_kind: &'static str,
    /// Messages that can be forwarded: id and label.
    pub forwardable: Vec<(i64, String)>,
}

impl Composer {
    /// The composer of ticket `id` for the reader.
    pub async fn load(app: &App, ui: &Ui, id: i64, messages: &[MessageView]) -> Composer {
        let tr = &ui.tr;
        let forwardable = messages
            .iter()
            .filter(|m| m.kind == MessageKind::Reply)
            .map(|m| {
                let first: String = m
                    .body
                    .lines()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(60)
                    .collect();
                (
                    m.id,
                    format!("#{} · {} · {first}", m.id, tr.date(&m.created_at)),
                )
            })
            .collect();
        let Ok(route) = app.ticketing.reply_route(&ui.actor, id).await else {
            return Composer {
                forwardable,
                ..Composer::default()
            };
        };
        let (unreachable, unreachable_kind) = match route.unreachable {
            Some(why) => (
                tr.t(why.message_id()),
                match why {
                    tiski_ticketing::Unreachable::NoAddress => "no_address",
                    tiski_ticketing::Unreachable::NoChannel => "no_channel",
                },
            ),
            None => (String::new(), ""),
        };
        Composer {
            to: route.to.unwrap_or_default(),
            cc: route.cc.join(", "),
            via: route.via.unwrap_or_default(),
            unreachable,
            unreachable_kind,
            forwardable,
        }
    }
}

/// The timeline, the properties out of band and a flash message: what a change answers.
async fn answer(app: &App, ui: &Ui, id: i64, notice: String, extra: &str) -> UiResult {
    let (mut body, loaded) = timeline_html(app, ui, id)
        .await
        .map_err(|e| UiError::from_app(ui, e))?;
    body.push_str(&properties_html(ui, &loaded).replacen(
        "<section id=\"props\"",
        "<section id=\"props\" hx-swap-oob=\"true\"",
        1,
    ));
    body.push_str(&format!(
        "<div id=\"flash\" hx-swap-oob=\"innerHTML\">{notice}</div>"
    ));
    body.push_str(extra);
    Ok(Html(body).into_response())
}

/// `POST /ui/tickets/{id}/messages/{message_id}/undo`: takes the reader's reply back while it
/// waits in its undo window; its text goes back into the reply box.
pub async fn undo(
    State(app): State<AppState>,
    ui: Ui,
    Path((id, message_id)): Path<(i64, i64)>,
) -> UiResult {
    let message = app
        .ticketing
        .undo_reply(&ui.actor, id, message_id)
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let notice = crate::ui::flash("ok", &ui.tr.t("reply-undone"));
    // The text returns through a template the page's script copies into the reply box.
    let back = format!(
        "<template id=\"undone-reply\" hx-swap-oob=\"true\" data-filled=\"1\">{}</template>",
        askama_escape(&message.body)
    );
    answer(&app, &ui, id, notice, &back).await
}

fn askama_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// `POST /ui/tickets/{id}/forward`: forwards one message or the whole conversation.
pub async fn forward(
    State(app): State<AppState>,
    ui: Ui,
    Path(id): Path<i64>,
    FormBody(form): FormBody,
) -> UiResult {
    let to = addresses(&form, "forward_to");
    let message_id = form.id("forward_message_id");
    let note = form.get("forward_note").map(str::to_string);
    app.ticketing
        .forward(
            &ui.actor,
            id,
            NewForward {
                to,
                message_id,
                note,
            },
            None,
        )
        .await
        .map_err(|e| UiError::from_app(&ui, e))?;
    let notice = crate::ui::flash("ok", &ui.tr.t("forward-sent"));
    answer(&app, &ui, id, notice, "").await
}

fn addresses(form: &Fields, name: &str) -> Vec<String> {
    form.get(name)
        .unwrap_or("")
        .split([',', ';', ' ', '\n', '\t'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect()
}
