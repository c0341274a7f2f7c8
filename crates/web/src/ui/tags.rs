//! Tags typed into the workspace's forms: split by the domain's one rule
//! ([`Tag::split`]: spaces and commas separate tags, as in Zendesk) and checked before they
//! are sent, so a refusal says in the reader's language what is wrong with which tag rather
//! than naming a field such as `add_tags/3`.

use crate::ui::UiError;
use crate::ui::auth::Ui;
use axum::http::StatusCode;
use tiski_domain::{Tag, TagProblem};

/// The tags in what the agent typed, each checked; `Ok(empty)` when nothing was typed.
pub fn from_input(ui: &Ui, input: &str) -> Result<Vec<String>, UiError> {
    let mut tags = Vec::new();
    for word in Tag::split(input) {
        match Tag::check(word) {
            Ok(tag) => tags.push(tag.into_string()),
            Err(problem) => return Err(refusal(ui, word, problem)),
        }
    }
    tags.sort();
    tags.dedup();
    if tags.len() > Tag::MAX_PER_TICKET {
        return Err(UiError::with_message(
            ui,
            StatusCode::UNPROCESSABLE_ENTITY,
            ui.tr.tn("tag-error-many", "n", Tag::MAX_PER_TICKET as i64),
        ));
    }
    Ok(tags)
}

/// The translated sentence for a refused tag.
pub fn problem_text(ui: &Ui, word: &str, problem: TagProblem) -> String {
    let max = Tag::MAX_CHARS.to_string();
    match problem {
        TagProblem::Empty => ui.tr.t("tag-error-empty"),
        TagProblem::TooLong { chars } => ui.tr.targs(
            "tag-error-long",
            &[("tag", word), ("n", &chars.to_string()), ("max", &max)],
        ),
        TagProblem::Character(c) => {
            let shown = if c.is_whitespace() {
                ui.tr.t("tag-char-space")
            } else {
                c.to_string()
            };
            ui.tr
                .targs("tag-error-char", &[("tag", word), ("char", &shown)])
        }
    }
}

fn refusal(ui: &Ui, word: &str, problem: TagProblem) -> UiError {
    UiError::with_message(
        ui,
        StatusCode::UNPROCESSABLE_ENTITY,
        problem_text(ui, word, problem),
    )
}
