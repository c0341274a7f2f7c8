//! Permissions as data: one table of what each role may do. Every command names the permission
//! it needs and asks this table; no other code decides by role.
//!
//! Scopes narrow what a permission reaches (an agent reads only the tickets of their teams and
//! those assigned to them); they are applied by the queries, not here.

use crate::{Role, wire_enum};

/// Defines [`Permission`] and, for each, the roles that hold it and the sentence that
/// explains a refusal.
macro_rules! permissions {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal [$($role:ident),*] $refusal:literal),+ $(,)?) => {
        wire_enum! {
            /// Something a staff user may be allowed to do.
            Permission, "permission" {
                $($(#[$doc])* $variant = $wire),+
            }
        }

        impl Permission {
            /// The roles that hold this permission.
            pub fn roles(self) -> &'static [Role] {
                match self {
                    $(Permission::$variant => &[$(Role::$role),*]),+
                }
            }

            /// Why someone without this permission is refused, as a sentence.
            pub fn refusal(self) -> &'static str {
                match self {
                    $(Permission::$variant => $refusal),+
                }
            }
        }
    };
}

permissions! {
    /// Read tickets, their messages and history (within scope).
    TicketRead = "ticket.read" [Agent, Supervisor, Admin] "You may not read tickets.",
    /// Open tickets.
    TicketCreate = "ticket.create" [Agent, Supervisor, Admin] "You may not open tickets.",
    /// Change tickets (within scope).
    TicketUpdate = "ticket.update" [Agent, Supervisor, Admin] "You may not change tickets.",
    /// Add replies and notes (within scope).
    MessageAdd = "message.add" [Agent, Supervisor, Admin] "You may not add messages.",
    /// Read customers (within scope).
    CustomerRead = "customer.read" [Agent, Supervisor, Admin] "You may not read customers.",
    /// Create customers.
    CustomerCreate = "customer.create" [Agent, Supervisor, Admin] "You may not create customers.",
    /// Change customers (within scope).
    CustomerUpdate = "customer.update" [Agent, Supervisor, Admin] "You may not change customers.",
    /// Read the event log (within scope).
    EventRead = "event.read" [Agent, Supervisor, Admin] "You may not read the event log.",
    /// Read staff users (within scope) and every staff member's display name.
    AgentRead = "agent.read" [Agent, Supervisor, Admin] "You may not read staff users.",
    /// Create staff users.
    AgentCreate = "agent.create" [Admin] "Only admins may create users.",
    /// Change staff users.
    AgentUpdate = "agent.update" [Admin] "Only admins may change users.",
    /// Change one's own password and workspace language.
    ProfileChange = "profile.change" [Agent, Supervisor, Admin] "You may not change your profile.",
    /// Sign in to the workspace.
    SessionStart = "session.start" [Agent, Supervisor, Admin] "You may not sign in.",
    /// Read teams.
    TeamRead = "team.read" [Agent, Supervisor, Admin] "You may not read teams.",
    /// Create teams.
    TeamCreate = "team.create" [Admin] "Only admins may create teams.",
    /// Add and remove team members (supervisors: of their own teams).
    TeamMembersChange = "team.members" [Supervisor, Admin] "Only admins and the team's supervisors may change its members.",
    /// Issue, list and revoke API tokens.
    TokenManage = "token.manage" [Admin] "Only admins may manage API tokens.",
    /// Keep personal saved views.
    ViewUse = "view.use" [Agent, Supervisor, Admin] "You may not keep saved views.",
    /// Share saved views with everyone, and delete shared ones.
    ViewShare = "view.share" [Supervisor, Admin] "Only supervisors and admins may share views.",
    /// Use and keep personal macros.
    MacroUse = "macro.use" [Agent, Supervisor, Admin] "You may not use macros.",
    /// Keep shared macros.
    MacroShare = "macro.share" [Supervisor, Admin] "Only supervisors and admins may keep shared macros.",
    /// Manage webhooks and read their deliveries.
    WebhookManage = "webhook.manage" [Admin] "Only admins may manage webhooks.",
    /// Manage mailboxes.
    MailboxManage = "mailbox.manage" [Admin] "Only admins may manage mailboxes.",
    /// Read quarantined mail.
    QuarantineRead = "quarantine.read" [Admin] "Only admins may see the quarantine.",
    /// Hand inbound mail to tiski (the email channel, or an admin posting raw mail).
    EmailIngest = "email.ingest" [Admin] "Only admins may post raw mail.",
    /// Claim outgoing mail and record how its delivery went (tiski's mail sender).
    EmailDeliver = "email.deliver" [Admin] "Only tiski's mail sender may deliver mail.",
    /// Search and export the log of who read customer data.
    AuditRead = "audit.read" [Admin] "Only admins may read the access log.",
    /// Export and erase a customer's data, and run retention (the data subject's rights).
    CustomerPrivacy = "customer.privacy" [Admin] "Only admins may export or erase a customer's data.",
    /// Move a ticket into a team one is not a member of (agents move tickets only into their
    /// own teams, so they cannot push work, or a customer's conversation, to any team).
    TicketMoveToAnyTeam = "ticket.move_to_any_team" [Supervisor, Admin] "Only supervisors and admins may move tickets into teams they are not members of.",
    /// List and revoke one's own API tokens (admins: everyone's, through token.manage).
    TokenOwn = "token.own" [Agent, Supervisor, Admin] "You may not manage your API tokens.",
    /// Choose which roles must sign in with a second factor (on top of the server setting).
    TwoFactorPolicy = "two_factor.policy" [Admin] "Only admins may change who must sign in with a second factor.",
    /// Read and mark one's own notifications, and choose which ones one gets.
    NotificationOwn = "notification.own" [Agent, Supervisor, Admin] "You may not use notifications.",
    /// Ask a colleague for help on a ticket (within scope).
    TicketAskHelp = "ticket.ask_help" [Agent, Supervisor, Admin] "You may not ask colleagues for help.",
    /// Merge a ticket into another and split a message off into a new ticket (both visible).
    TicketMerge = "ticket.merge" [Agent, Supervisor, Admin] "You may not merge or split tickets.",
    /// Merge a duplicate customer into another (identities and tickets move for good).
    CustomerMerge = "customer.merge" [Supervisor, Admin] "Only supervisors and admins may merge customers.",
    /// Read the product catalog.
    ProductRead = "product.read" [Agent, Supervisor, Admin] "You may not read the catalog.",
    /// Add and change products and services in the catalog.
    ProductManage = "product.manage" [Admin] "Only admins may change the catalog.",
    /// Read orders (of customers within scope, and one's own).
    OrderRead = "order.read" [Agent, Supervisor, Admin] "You may not read orders.",
    /// Take orders and change them (of customers within scope, and one's own).
    OrderWrite = "order.write" [Agent, Supervisor, Admin] "You may not take or change orders.",
    /// Request refunds (approved at once within the role's limit).
    RefundRequest = "refund.request" [Agent, Supervisor, Admin] "You may not request refunds.",
    /// Approve or reject refunds waiting beyond their requester's limit, within one's own.
    RefundApprove = "refund.approve" [Supervisor, Admin] "Only supervisors and admins may approve refunds.",
    /// Read business calendars and ask them when time runs out.
    CalendarRead = "calendar.read" [Agent, Supervisor, Admin] "You may not read calendars.",
    /// Make and change business calendars and import their holidays.
    CalendarManage = "calendar.manage" [Admin] "Only admins may change calendars.",
    /// Read SLA policies.
    SlaPolicyRead = "sla_policy.read" [Agent, Supervisor, Admin] "You may not read SLA policies.",
    /// Make and change SLA policies.
    SlaPolicyManage = "sla_policy.manage" [Admin] "Only admins may change SLA policies.",
    /// Read triggers and time rules, and try them on existing tickets.
    AutomationRead = "automation.read" [Agent, Supervisor, Admin] "You may not read automations.",
    /// Make, change and delete triggers and time rules.
    AutomationManage = "automation.manage" [Admin] "Only admins may change automations.",
    /// Set one's own presence status, and read presence, skills and queues.
    PresenceOwn = "presence.own" [Agent, Supervisor, Admin] "You may not set your presence.",
    /// Set the presence status of others (supervisors: members of their teams) and see the
    /// routing board.
    PresenceSupervise = "presence.supervise" [Supervisor, Admin] "Only supervisors and admins may set others' presence or see the routing board.",
    /// Create skills and set agents' skills and licences.
    SkillManage = "skill.manage" [Admin] "Only admins may manage skills.",
    /// Create and change routing queues.
    QueueManage = "queue.manage" [Admin] "Only admins may manage queues.",
    /// Accept or decline work offered to oneself.
    OfferAnswer = "offer.answer" [Agent, Supervisor, Admin] "You may not take routed work.",
    /// Assign waiting work to agents (tiski's router).
    RoutingAssign = "routing.assign" [Admin] "Only tiski's router may assign waiting work.",
    /// Read and search knowledge-base articles (internal and public).
    KbRead = "kb.read" [Agent, Supervisor, Admin] "You may not read the knowledge base.",
    /// Write, translate and delete knowledge-base articles.
    KbWrite = "kb.write" [Supervisor, Admin] "Only supervisors and admins may change the knowledge base.",
    /// Receive EDI interchanges (orders in, acknowledgements queued) and read the ones one
    /// sent and the trading partners. Uploads also take `order.write`.
    EdiReceive = "edi.receive" [Agent, Supervisor, Admin] "You may not receive EDI interchanges.",
    /// Add EDI trading partners (their sender ids, customer and SKU mapping) and read every
    /// interchange.
    EdiPartnerManage = "edi.partner_manage" [Admin] "Only admins may manage EDI trading partners.",
}

impl Role {
    /// Whether this role holds `permission`.
    pub fn allows(self, permission: Permission) -> bool {
        permission.roles().contains(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_hold_every_permission() {
        for permission in Permission::ALL {
            assert!(Role::Admin.allows(*permission), "{permission}");
            assert!(permission.refusal().ends_with('.'), "{permission}");
        }
    }

    #[test]
    fn agents_do_not_administer() {
        for permission in [
            Permission::AgentCreate,
            Permission::TeamCreate,
            Permission::TokenManage,
            Permission::WebhookManage,
            Permission::MailboxManage,
            Permission::QuarantineRead,
            Permission::EmailIngest,
            Permission::ViewShare,
            Permission::MacroShare,
            Permission::TeamMembersChange,
            Permission::AuditRead,
            Permission::CustomerPrivacy,
            Permission::TwoFactorPolicy,
        ] {
            assert!(!Role::Agent.allows(permission), "{permission}");
        }
        assert!(Role::Supervisor.allows(Permission::ViewShare));
        assert!(!Role::Supervisor.allows(Permission::AgentCreate));
    }
}
