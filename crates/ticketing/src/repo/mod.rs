//! The ticketing repository: all SQL over the tables this context owns (`tickets`,
//! `ticket_tags`, `ticket_cc`, `messages`, `attachments`, `customers`,
//! `customer_identities`, `saved_views`, `macros`, `drafts`, `staged_files`), and the ticket
//! scope that decides what an
//! actor sees.

pub(crate) mod access;
pub(crate) mod attachments;
pub(crate) mod cc;
pub(crate) mod customers;
pub(crate) mod drafts;
pub(crate) mod erasure;
pub(crate) mod history;
pub(crate) mod macros;
pub(crate) mod messages;
pub(crate) mod reshape;
pub(crate) mod search;
pub(crate) mod ticket_list;
pub(crate) mod tickets;
pub(crate) mod views;

use tiski_kernel::{Actor, Sql};

/// The condition keeping the tickets (alias `t`) `actor` sees: every ticket for admins,
/// otherwise their teams' tickets and those assigned to them. Every value is bound, so the
/// text is the same for every actor of a kind.
pub(crate) fn ticket_scope(sql: &mut Sql, actor: &Actor) -> String {
    if actor.is_admin() {
        return "1 = 1".into();
    }
    let me = sql.bind(actor.id);
    if actor.team_ids.is_empty() {
        return format!("t.assignee_id = {me}");
    }
    let teams = sql.bind_ids(&actor.team_ids);
    format!("(t.team_id IN {teams} OR t.assignee_id = {me})")
}

/// The condition keeping the customers (alias `c`) `actor` sees: those with a ticket the
/// actor sees that discloses its requester, and those the actor created. A ticket opened by
/// naming a customer the opener could not see does not disclose them (`discloses_requester`
/// is 0), so naming a customer never widens what anyone reads.
pub(crate) fn customer_scope(sql: &mut Sql, actor: &Actor) -> String {
    if actor.is_admin() {
        return "1 = 1".into();
    }
    let me = sql.bind(actor.id);
    let tickets = ticket_scope(sql, actor);
    format!(
        "(c.created_by = {me} OR EXISTS (SELECT 1 FROM tickets t WHERE t.requester_id = c.id AND t.discloses_requester = 1 AND {tickets}))"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiski_domain::Role;
    use tiski_kernel::Engine;

    fn agent(team_ids: Vec<i64>) -> Actor {
        Actor {
            id: 7,
            name: "A".into(),
            email: "a@example.com".into(),
            role: Role::Agent,
            team_ids,
        }
    }

    #[test]
    fn scopes_bind_their_values() {
        let mut sql = Sql::new(Engine::Sqlite);
        assert_eq!(ticket_scope(&mut sql, &Actor::system()), "1 = 1");
        assert_eq!(ticket_scope(&mut sql, &agent(vec![])), "t.assignee_id = $1");
        let mut sql = Sql::new(Engine::Sqlite);
        let one_team = ticket_scope(&mut sql, &agent(vec![1]));
        let mut sql = Sql::new(Engine::Sqlite);
        let three_teams = ticket_scope(&mut sql, &agent(vec![1, 2, 3]));
        assert_eq!(
            one_team, three_teams,
            "the text does not depend on the teams"
        );
        assert_eq!(
            one_team,
            "(t.team_id IN (SELECT value FROM json_each($2)) OR t.assignee_id = $1)"
        );
        let mut sql = Sql::new(Engine::Sqlite);
        let customers = customer_scope(&mut sql, &agent(vec![4]));
        assert!(
            customers.starts_with("(c.created_by = $1 OR EXISTS"),
            "{customers}"
        );
        assert_eq!(sql.params().len(), 3);
    }
}
