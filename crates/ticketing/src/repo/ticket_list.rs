//! The one SQL builder of ticket lists and counts, from a [`TicketQuery`].
//!
//! A list over several statuses is one index range per status, at most a page each, merged
//! by an outer `ORDER BY … LIMIT`: a single `status IN (…)` makes the database read and sort
//! every ticket of those statuses, so the cost would grow with the backlog. Counts read at
//! most [`COUNT_CAP`] index entries each, so a busy desk costs no more than a quiet one.

use crate::query::{Assignee, Keyset, SortKey, TicketQuery};
use crate::repo::tickets::{COLUMNS, FROM};
use tiski_domain::Status;
use tiski_kernel::{Actor, Sql};

/// The most a view count reads; the UI shows this as "999+".
pub const COUNT_CAP: i64 = 1000;

/// The column of a sort key.
fn column(key: SortKey) -> &'static str {
    match key {
        SortKey::UpdatedAt => "t.updated_at",
        SortKey::CreatedAt => "t.created_at",
        SortKey::Priority => "t.priority",
        SortKey::Id => "t.id",
    }
}

/// The conditions of a query's filters other than its statuses, with the actor's scope.
fn conditions(sql: &mut Sql, actor: &Actor, query: &TicketQuery) -> Vec<String> {
    let mut all = vec![super::ticket_scope(sql, actor)];
    if let Some(team_id) = query.team_id {
        all.push(format!("t.team_id = {}", sql.bind(team_id)));
    }
    match query.assignee {
        None => {}
        Some(Assignee::Unassigned) => all.push("t.assignee_id IS NULL".into()),
        Some(Assignee::Me) => all.push(format!("t.assignee_id = {}", sql.bind(actor.id))),
        Some(Assignee::User(id)) => all.push(format!("t.assignee_id = {}", sql.bind(id))),
    }
    if let Some(requester_id) = query.requester_id {
        all.push(format!("t.requester_id = {}", sql.bind(requester_id)));
    }
    if let Some(tag) = &query.tag {
        all.push(format!(
            "t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = {})",
            sql.bind(tag.as_str())
        ));
    }
    if let Some(priority) = query.priority {
        all.push(format!("t.priority = {}", sql.bind(priority.rank())));
    }
    if let Some(channel) = query.channel {
        all.push(format!("t.channel = {}", sql.bind(channel.as_str())));
    }
    if let Some(language) = &query.language {
        all.push(format!("t.language = {}", sql.bind(language.as_str())));
    }
    if let Some(since) = query.updated_since {
        all.push(format!("t.updated_at >= {}", sql.bind(since)));
    }
    all
}

/// The keyset condition of a page after `after` (binding only what it uses: PostgreSQL
/// refuses unused parameters).
fn after_condition(sql: &mut Sql, query: &TicketQuery, after: Keyset) -> String {
    let op = if query.sort.descending { "<" } else { ">" };
    let column = column(query.sort.key);
    if query.sort.key == SortKey::Id {
        format!("t.id {op} {}", sql.bind(after.id))
    } else {
        let value = sql.bind(after.value);
        let id = sql.bind(after.id);
        format!("({column}, t.id) {op} ({value}, {id})")
    }
}

/// The statement of one page of `query` for `actor` (one row more than the page, to know
/// whether another follows).
pub(crate) fn page(sql: &mut Sql, actor: &Actor, query: &TicketQuery) -> String {
    let mut all = conditions(sql, actor, query);
    // One range per distinct status: a saved view or a caller repeating one cannot grow the
    // statement past the engine's limits.
    let mut distinct: Vec<Status> = Vec::with_capacity(Status::ALL.len());
    for status in &query.statuses {
        if !distinct.contains(status) {
            distinct.push(*status);
        }
    }
    let statuses: Vec<String> = distinct.iter().map(|s| sql.bind(s.as_str())).collect();
    if let Some(after) = query.after {
        all.push(after_condition(sql, query, after));
    }
    let limit = sql.bind(query.limit + 1);
    page_sql(
        &all,
        &statuses,
        column(query.sort.key),
        query.sort.descending,
        &limit,
    )
}

/// The SQL of one page of tickets matching `conditions` and one of `statuses` (bound
/// placeholders; empty for any status), ordered by `column` then id.
pub(crate) fn page_sql(
    conditions: &[String],
    statuses: &[String],
    column: &str,
    descending: bool,
    limit_param: &str,
) -> String {
    let direction = if descending { "DESC" } else { "ASC" };
    let order = |prefix: &str| {
        let name = column.trim_start_matches("t.");
        if name == "id" {
            format!("{prefix}id {direction}")
        } else {
            format!("{prefix}{name} {direction}, {prefix}id {direction}")
        }
    };
    let branch = |status: Option<&String>| {
        let mut all = conditions.to_vec();
        if let Some(status) = status {
            all.push(format!("t.status = {status}"));
        }
        format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE {} ORDER BY {} LIMIT {limit_param}",
            all.join(" AND "),
            order("t.")
        )
    };
    match statuses {
        [] => branch(None),
        [one] => branch(Some(one)),
        many => {
            let parts = many
                .iter()
                .enumerate()
                .map(|(i, status)| format!("SELECT * FROM ({}) AS s{i}", branch(Some(status))))
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            format!(
                "SELECT * FROM ({parts}) AS merged ORDER BY {} LIMIT {limit_param}",
                order("")
            )
        }
    }
}

/// The statement counting the built-in views for `actor`, one column per view in
/// [`InboxView::ALL`] order, each capped at [`COUNT_CAP`] (what `inbox_counts` starts with).
#[cfg(test)]
pub(crate) fn counts(sql: &mut Sql, actor: &Actor) -> String {
    let queries: Vec<TicketQuery> = crate::query::InboxView::ALL
        .iter()
        .map(|view| view.query())
        .collect();
    counts_of(sql, actor, &queries)
}

/// The one statement counting `queries` (built-in views, then saved ones) for `actor`: one
/// column per query, each capped at [`COUNT_CAP`], so the inbox's navigation costs one round
/// trip however many views it shows.
pub(crate) fn counts_of(sql: &mut Sql, actor: &Actor, queries: &[TicketQuery]) -> String {
    let columns = queries
        .iter()
        .map(|query| {
            let mut all = conditions(sql, actor, query);
            if !query.statuses.is_empty() {
                let list = query
                    .statuses
                    .iter()
                    .map(|s| sql.bind(s.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ");
                all.push(format!("t.status IN ({list})"));
            }
            format!(
                "(SELECT COUNT(*) FROM (SELECT 1 FROM tickets t WHERE {} LIMIT {COUNT_CAP}) AS c)",
                all.join(" AND ")
            )
        })
        .collect::<Vec<_>>();
    format!("SELECT {}", columns.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::TicketSort;
    use tiski_domain::{Role, Status};
    use tiski_kernel::{Engine, Value};

    fn admin() -> Actor {
        Actor::system()
    }

    #[test]
    fn one_status_is_one_index_range() {
        let mut sql = Sql::new(Engine::Sqlite);
        let query = TicketQuery {
            statuses: vec![Status::Open],
            team_id: Some(3),
            limit: 50,
            ..TicketQuery::default()
        };
        let text = page(&mut sql, &admin(), &query);
        assert_eq!(
            text,
            format!(
                "SELECT {COLUMNS} FROM {FROM} WHERE 1 = 1 AND t.team_id = $1 AND t.status = $2 \
                 ORDER BY t.updated_at DESC, t.id DESC LIMIT $3"
            )
        );
        assert_eq!(
            sql.params(),
            &[Value::Int(3), Value::Text("open".into()), Value::Int(51)]
        );
    }

    #[test]
    fn several_statuses_are_merged_ranges_not_an_in_list() {
        let mut sql = Sql::new(Engine::Sqlite);
        let query = TicketQuery {
            statuses: Status::OPEN.to_vec(),
            sort: TicketSort::parse("created_at").unwrap(),
            after: Some(Keyset { value: 10, id: 4 }),
            limit: 20,
            ..TicketQuery::default()
        };
        let text = page(&mut sql, &admin(), &query);
        assert_eq!(text.matches("UNION ALL").count(), 2, "{text}");
        assert!(!text.contains(" IN ("), "{text}");
        assert!(
            text.contains("AS merged ORDER BY created_at ASC, id ASC LIMIT $6"),
            "{text}"
        );
        assert!(text.contains("(t.created_at, t.id) > ($4, $5)"), "{text}");
        assert_eq!(sql.params().len(), 6);
    }

    #[test]
    fn id_order_binds_only_the_id() {
        let mut sql = Sql::new(Engine::Postgres);
        let query = TicketQuery {
            sort: TicketSort::parse("-id").unwrap(),
            after: Some(Keyset { value: 99, id: 99 }),
            assignee: Some(Assignee::Unassigned),
            ..TicketQuery::default()
        };
        let text = page(&mut sql, &admin(), &query);
        assert!(
            text.contains("t.assignee_id IS NULL AND t.id < $1"),
            "{text}"
        );
        assert!(text.ends_with("ORDER BY t.id DESC LIMIT $2"), "{text}");
    }

    #[test]
    fn counts_are_capped_and_scoped_with_bound_values() {
        let agent = Actor {
            id: 5,
            name: "A".into(),
            email: String::new(),
            role: Role::Agent,
            team_ids: vec![1, 2],
        };
        let mut sql = Sql::new(Engine::Sqlite);
        let text = counts(&mut sql, &agent);
        assert_eq!(
            text.matches(&format!("LIMIT {COUNT_CAP}")).count(),
            5,
            "{text}"
        );
        assert_eq!(text.matches("json_each").count(), 5, "{text}");
        assert!(!text.contains("'open'"), "statuses are bound: {text}");
    }
}
