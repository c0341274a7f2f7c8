//! Macros (canned responses): a text with placeholders such as `{{customer.first_name}}`, plus
//! field changes (status, tags, team) applied when the reply is sent. Personal macros belong to
//! one agent; shared ones are seen by everyone and kept by supervisors and admins.

use crate::{Actor, App, AppError, AppResult, tickets, time};
use serde::Serialize;
use tiski_domain::{LanguageTag, Status, Tag};
use tiski_store::{Conn, Row, params};

/// A macro as the workspace shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MacroView {
    /// Id.
    pub id: i64,
    /// Title, what agents search for.
    pub title: String,
    /// The text, with placeholders.
    pub body: String,
    /// The language the text is written in.
    pub language: Option<String>,
    /// The status the ticket takes when the reply is sent.
    pub set_status: Option<Status>,
    /// Tags added when the reply is sent.
    pub add_tags: Vec<String>,
    /// The team the ticket moves to when the reply is sent.
    pub set_team_id: Option<i64>,
    /// The owner of a personal macro; `None` for a shared one.
    pub owner_id: Option<i64>,
}

impl MacroView {
    /// Whether everyone sees it.
    pub fn shared(&self) -> bool {
        self.owner_id.is_none()
    }
}

/// Input for a new or changed macro.
#[derive(Debug, Clone, Default)]
pub struct NewMacro {
    /// Title, 1 to 200 characters.
    pub title: String,
    /// Text, 1 to 20,000 characters.
    pub body: String,
    /// Language tag, such as `fi`.
    pub language: Option<String>,
    /// Status to set.
    pub set_status: Option<Status>,
    /// Tags to add.
    pub add_tags: Vec<String>,
    /// Team to move to.
    pub set_team_id: Option<i64>,
    /// Shared with everyone (supervisors and admins only) rather than personal.
    pub shared: bool,
}

/// A macro filled in for one ticket: the text to insert and the changes to apply on send.
#[derive(Debug, Clone, Serialize)]
pub struct FilledMacro {
    /// The macro.
    pub id: i64,
    /// The text with its placeholders filled.
    pub body: String,
    /// The status to set on send.
    pub set_status: Option<Status>,
    /// Tags to add on send.
    pub add_tags: Vec<String>,
    /// The team to move to on send.
    pub set_team_id: Option<i64>,
}

/// The values placeholders are filled with.
#[derive(Debug, Clone, Default)]
pub struct PlaceholderValues {
    /// `{{customer.name}}`.
    pub customer_name: String,
    /// `{{customer.email}}`.
    pub customer_email: String,
    /// `{{agent.name}}`.
    pub agent_name: String,
    /// `{{ticket.id}}`.
    pub ticket_id: i64,
    /// `{{ticket.subject}}`.
    pub ticket_subject: String,
}

/// The first word of a name, for greeting someone.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

/// Fills `{{ name }}` placeholders; unknown ones stay as written, so the agent sees them.
pub fn fill_placeholders(text: &str, values: &PlaceholderValues) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim();
        let value = match name {
            "customer.name" => Some(values.customer_name.clone()),
            "customer.first_name" => Some(first_name(&values.customer_name).to_string()),
            "customer.email" => Some(values.customer_email.clone()),
            "agent.name" => Some(values.agent_name.clone()),
            "agent.first_name" => Some(first_name(&values.agent_name).to_string()),
            "ticket.id" => Some(values.ticket_id.to_string()),
            "ticket.subject" => Some(values.ticket_subject.clone()),
            _ => None,
        };
        match value {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

const COLUMNS: &str =
    "m.id, m.title, m.body, m.language, m.set_status, m.add_tags, m.set_team_id, m.owner_id";

fn view(row: &Row) -> AppResult<MacroView> {
    let status: Option<String> = row.get(4)?;
    let tags: String = row.get(5)?;
    Ok(MacroView {
        id: row.get(0)?,
        title: row.get(1)?,
        body: row.get(2)?,
        language: row.get(3)?,
        set_status: status.and_then(|s| Status::parse(&s).ok()),
        add_tags: serde_json::from_str(&tags).unwrap_or_default(),
        set_team_id: row.get(6)?,
        owner_id: row.get(7)?,
    })
}

struct ValidMacro {
    title: String,
    body: String,
    language: Option<String>,
    set_status: Option<Status>,
    add_tags: Vec<String>,
    set_team_id: Option<i64>,
    owner_id: Option<i64>,
    search_text: String,
}

fn validate(actor: &Actor, input: &NewMacro) -> AppResult<ValidMacro> {
    crate::refuse_nul("title", &input.title)?;
    crate::refuse_nul("body", &input.body)?;
    let title = input.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::invalid(
            "title",
            "The title must have 1 to 200 characters.",
        ));
    }
    if input.body.trim().is_empty() || input.body.chars().count() > 20_000 {
        return Err(AppError::invalid(
            "body",
            "The text must have 1 to 20000 characters.",
        ));
    }
    let language = input
        .language
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            LanguageTag::parse(l)
                .map(LanguageTag::into_string)
                .map_err(|e| AppError::invalid("language", e.message))
        })
        .transpose()?;
    if input.set_status == Some(Status::New) || input.set_status == Some(Status::Closed) {
        return Err(AppError::invalid(
            "set_status",
            "A macro may set a ticket open, pending, on hold or solved.",
        ));
    }
    let mut add_tags = input
        .add_tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .enumerate()
        .map(|(i, t)| {
            Tag::parse(t)
                .map(Tag::into_string)
                .map_err(|e| AppError::invalid(format!("add_tags/{i}"), e.message))
        })
        .collect::<AppResult<Vec<_>>>()?;
    add_tags.sort();
    add_tags.dedup();
    if add_tags.len() > 20 {
        return Err(AppError::invalid("add_tags", "At most 20 tags."));
    }
    if input.shared && !actor.is_supervisor_or_admin() {
        return Err(AppError::forbidden(
            "Only supervisors and admins may keep shared macros.",
        ));
    }
    let search_text = format!("{} {}", title, input.body).to_lowercase();
    Ok(ValidMacro {
        title,
        body: input.body.clone(),
        language,
        set_status: input.set_status,
        add_tags,
        set_team_id: input.set_team_id,
        owner_id: (!input.shared).then_some(actor.id),
        search_text,
    })
}

fn check_team(conn: &mut dyn Conn, team_id: Option<i64>) -> AppResult<()> {
    if let Some(team_id) = team_id
        && conn
            .query_opt("SELECT id FROM teams WHERE id = $1", params![team_id])?
            .is_none()
    {
        return Err(AppError::invalid(
            "set_team_id",
            format!("There is no team {team_id}."),
        ));
    }
    Ok(())
}

/// Loads a macro the actor may use (shared, or their own).
fn get_usable(conn: &mut dyn Conn, actor: &Actor, id: i64) -> AppResult<MacroView> {
    let row = conn
        .query_opt(
            &format!(
                "SELECT {COLUMNS} FROM macros m WHERE m.id = $1 AND (m.owner_id IS NULL OR m.owner_id = $2)"
            ),
            params![id, actor.id],
        )?
        .ok_or(AppError::not_found("macro"))?;
    view(&row)
}

/// Loads a macro the actor may change: their own, or a shared one for supervisors and admins.
fn get_changeable(conn: &mut dyn Conn, actor: &Actor, id: i64) -> AppResult<MacroView> {
    let found = get_usable(conn, actor, id)?;
    if found.shared() && !actor.is_supervisor_or_admin() {
        return Err(AppError::forbidden(
            "Only supervisors and admins may change shared macros.",
        ));
    }
    Ok(found)
}

impl App {
    /// The macros the actor may use (shared ones and their own), those matching `q` in title
    /// or text; macros in `language` come first, then by title. At most 50.
    pub async fn list_macros(
        &self,
        actor: &Actor,
        q: Option<&str>,
        language: Option<&str>,
    ) -> AppResult<Vec<MacroView>> {
        let pattern = q
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| {
                crate::refuse_nul("q", q)?;
                Ok::<_, AppError>(format!(
                    "%{}%",
                    q.to_lowercase()
                        .chars()
                        .take(100)
                        .collect::<String>()
                        .replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_")
                ))
            })
            .transpose()?;
        let language = language.unwrap_or("").to_string();
        let me = actor.id;
        self.store()
            .read(move |conn| {
                let rows = match &pattern {
                    Some(pattern) => conn.query(
                        &format!("SELECT {COLUMNS} FROM macros m WHERE (m.owner_id IS NULL OR m.owner_id = $1) AND m.search_text LIKE $2 ESCAPE '\\' \
                                  ORDER BY CASE WHEN m.language = $3 THEN 0 ELSE 1 END, m.title, m.id LIMIT 50"),
                        params![me, pattern.as_str(), language.as_str()],
                    )?,
                    None => conn.query(
                        &format!("SELECT {COLUMNS} FROM macros m WHERE (m.owner_id IS NULL OR m.owner_id = $1) \
                                  ORDER BY CASE WHEN m.language = $2 THEN 0 ELSE 1 END, m.title, m.id LIMIT 50"),
                        params![me, language.as_str()],
                    )?,
                };
                rows.iter().map(view).collect()
            })
            .await
    }

    /// One macro the actor may use.
    pub async fn get_macro(&self, actor: &Actor, id: i64) -> AppResult<MacroView> {
        let actor = actor.clone();
        self.store()
            .read(move |conn| get_usable(conn, &actor, id))
            .await
    }

    /// Creates a macro: personal, or shared (supervisors and admins).
    pub async fn create_macro(&self, actor: &Actor, input: NewMacro) -> AppResult<MacroView> {
        let valid = validate(actor, &input)?;
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                check_team(tx.conn(), valid.set_team_id)?;
                let now = time::now_micros();
                let id: i64 = tx.conn().query_scalar(
                    "INSERT INTO macros (title, body, language, set_status, add_tags, set_team_id, owner_id, search_text, created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
                    params![
                        valid.title.as_str(),
                        valid.body.as_str(),
                        valid.language.clone(),
                        valid.set_status.map(|s| s.as_str()),
                        serde_json::to_string(&valid.add_tags)?,
                        valid.set_team_id,
                        valid.owner_id,
                        valid.search_text.as_str(),
                        actor.id,
                        now
                    ],
                )?;
                get_usable(tx.conn(), &actor, id)
            })
            .await;
        self.command_done("macro.create", &result);
        result
    }

    /// Changes a macro the actor may change.
    pub async fn update_macro(
        &self,
        actor: &Actor,
        id: i64,
        input: NewMacro,
    ) -> AppResult<MacroView> {
        let valid = validate(actor, &input)?;
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                get_changeable(tx.conn(), &actor, id)?;
                check_team(tx.conn(), valid.set_team_id)?;
                tx.conn().execute(
                    "UPDATE macros SET title = $1, body = $2, language = $3, set_status = $4, add_tags = $5, set_team_id = $6, owner_id = $7, search_text = $8, updated_at = $9 WHERE id = $10",
                    params![
                        valid.title.as_str(),
                        valid.body.as_str(),
                        valid.language.clone(),
                        valid.set_status.map(|s| s.as_str()),
                        serde_json::to_string(&valid.add_tags)?,
                        valid.set_team_id,
                        valid.owner_id,
                        valid.search_text.as_str(),
                        time::now_micros(),
                        id
                    ],
                )?;
                get_usable(tx.conn(), &actor, id)
            })
            .await;
        self.command_done("macro.update", &result);
        result
    }

    /// Deletes a macro the actor may change.
    pub async fn delete_macro(&self, actor: &Actor, id: i64) -> AppResult<()> {
        let actor = actor.clone();
        let result = self
            .store()
            .write(move |tx| {
                get_changeable(tx.conn(), &actor, id)?;
                tx.conn()
                    .execute("DELETE FROM macros WHERE id = $1", params![id])?;
                Ok(())
            })
            .await;
        self.command_done("macro.delete", &result);
        result
    }

    /// A macro filled in for a ticket the actor may see: the customer's and the agent's names,
    /// the ticket's number and subject.
    pub async fn fill_macro(
        &self,
        actor: &Actor,
        id: i64,
        ticket_id: i64,
    ) -> AppResult<FilledMacro> {
        let actor = actor.clone();
        self.store()
            .read(move |conn| {
                let found = get_usable(conn, &actor, id)?;
                let ticket = tickets::get_visible(conn, &actor, ticket_id)?;
                let email: Option<String> = conn
                    .query_opt(
                        "SELECT value FROM customer_identities WHERE customer_id = $1 AND kind = 'email' ORDER BY id LIMIT 1",
                        params![ticket.requester.id],
                    )?
                    .map(|row| row.get(0))
                    .transpose()?;
                let values = PlaceholderValues {
                    customer_name: ticket.requester.name.clone(),
                    customer_email: email.unwrap_or_default(),
                    agent_name: actor.name.clone(),
                    ticket_id: ticket.id,
                    ticket_subject: ticket.subject.clone(),
                };
                Ok(FilledMacro {
                    id: found.id,
                    body: fill_placeholders(&found.body, &values),
                    set_status: found.set_status,
                    add_tags: found.add_tags,
                    set_team_id: found.set_team_id,
                })
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &str) {
        let values = PlaceholderValues {
            customer_name: "Aino Virtanen".into(),
            customer_email: "aino@example.com".into(),
            agent_name: "Ben Agent".into(),
            ticket_id: 42,
            ticket_subject: "Broken <kettle>".into(),
        };
        assert_eq!(fill_placeholders(text, &values), expected);
    }

    #[test]
    fn placeholders() {
        check(
            "Hello {{customer.first_name}}, {{ agent.name }} here about #{{ticket.id}}.",
            "Hello Aino, Ben Agent here about #42.",
        );
        check(
            "{{customer.name}} <{{customer.email}}>",
            "Aino Virtanen <aino@example.com>",
        );
        check("{{ticket.subject}}", "Broken <kettle>");
        check(
            "{{unknown.thing}} and {{agent.first_name}}",
            "{{unknown.thing}} and Ben",
        );
        check("unclosed {{customer.name", "unclosed {{customer.name");
        check("no placeholders", "no placeholders");
        check("{{}}", "{{}}");
    }

    #[test]
    fn first_names() {
        assert_eq!(first_name("  Aino Virtanen "), "Aino");
        assert_eq!(first_name(""), "");
    }
}
