//! Making the tickets: each planned ticket taken through its conversation to its status.
//!
//! The [`Desk`] methods that create a ticket as a channel or an agent would, add the replies,
//! notes and customer messages its plan calls for, and move it to its planned status, counting
//! everything in the [`Summary`].

use super::conversations::{
    CLOSING, FOLLOW_UPS, GREETING, HOLD_NOTES, SCENARIOS, SIGN_OFF, SIGNATURE, THANKS, Vars,
};
use super::history::Step;
use super::people::ORDERS;
use super::plan::{Assign, Plan};
use super::seed::Desk;
use super::summary::Summary;
use crate::cli::describe;
use anyhow::Context;
use tiski_domain::{AuthorKind, Channel, MessageKind, Priority, Status};
use tiski_kernel::Actor;
use tiski_ticketing::{NewMessage, NewTicket, RequesterInput, TicketPatch};

impl Desk {
    /// Creates one ticket and takes it through its conversation to its planned status.
    pub(super) async fn create_ticket(
        &self,
        plan: &Plan,
        summary: &mut Summary,
    ) -> anyhow::Result<()> {
        let system = Actor::system();
        let customer = &self.customers[plan.customer];
        let lang = customer.lang.index();
        let scenario = &SCENARIOS[plan.scenario];
        let worker = &self.staff[plan.worker];
        let lead = &self.staff[plan.lead];
        let team_id = self.teams[scenario.team];
        let email = customer.view.emails.first().cloned().unwrap_or_default();
        let vars = Vars {
            first: customer.greet,
            name: &customer.view.name,
            agent: worker.first_name(),
            order: &plan.order,
            serial: &plan.serial,
            email: &email,
        };
        let mut body = vars.fill(scenario.body[lang]);
        if matches!(plan.channel, Channel::Email | Channel::Web) {
            body.push_str("\n\n");
            body.push_str(&vars.fill(SIGN_OFF[lang]));
            if let Some(organization) = &customer.view.organization {
                body.push('\n');
                body.push_str(organization);
            }
        }
        // Calls and visits are recorded by the agent who took them; everything else arrives
        // through a channel, as tiski itself.
        let by_agent = matches!(plan.channel, Channel::Phone | Channel::Desk);
        let (creator, requester) = if by_agent {
            let requester = match customer.view.phones.first() {
                Some(phone) if plan.channel == Channel::Phone => RequesterInput {
                    phone: Some(phone.clone()),
                    ..RequesterInput::default()
                },
                _ => RequesterInput {
                    email: Some(email.clone()),
                    ..RequesterInput::default()
                },
            };
            (&worker.actor, requester)
        } else {
            let requester = RequesterInput {
                id: Some(customer.view.id),
                ..RequesterInput::default()
            };
            (&system, requester)
        };
        let first_team = if plan.misrouted {
            self.teams[ORDERS]
        } else {
            team_id
        };
        let ticket = self
            .app
            .ticketing
            .create_ticket(
                creator,
                NewTicket {
                    subject: vars.fill(scenario.subject[lang]),
                    requester,
                    team_id: Some(first_team),
                    assignee_id: (plan.assign == Assign::AtCreate).then_some(worker.view.id),
                    priority: Some(plan.priority),
                    tags: plan.tags.clone(),
                    channel: Some(plan.channel),
                    language: None,
                    message: text(body),
                    queue_id: None,
                    requirements: None,
                },
                None,
            )
            .await
            .map_err(describe)?
            .fresh()
            .context("the ticket was not created")?;
        summary.customer_messages += 1;
        let id = ticket.id;
        if plan.misrouted {
            self.history.then(Step::Handle);
            let patch = TicketPatch {
                team_id: Some(Some(team_id)),
                ..TicketPatch::default()
            };
            self.update(&self.staff[plan.orders_lead].actor, id, patch)
                .await?;
        }
        // Agents answer chats in the chat and everything else by email.
        let reply_channel = (plan.channel != Channel::Chat).then_some(Channel::Email);
        let customer_channel = by_agent.then_some(Channel::Email);
        if plan.status == Status::New {
            if let Some(index) = plan.follow_up {
                self.history.then(Step::Customer);
                let body = vars.fill(FOLLOW_UPS[index][lang]);
                self.customer_says(id, body, customer_channel).await?;
                summary.customer_messages += 1;
            }
            if let Some(note) = plan.triage {
                self.history.then(Step::Handle);
                self.agent_says(&lead.actor, id, note.into(), MessageKind::Note, None)
                    .await?;
                summary.notes += 1;
            }
            summary.statuses[0] += 1;
            summary.unassigned += usize::from(plan.assign == Assign::Nobody);
            return Ok(());
        }
        if plan.assign == Assign::Takes {
            self.history.then(Step::Handle);
            let patch = TicketPatch {
                assignee_id: Some(Some(worker.view.id)),
                ..TicketPatch::default()
            };
            self.update(&worker.actor, id, patch).await?;
        }
        let reply = format!(
            "{}\n\n{}",
            vars.fill(GREETING[lang]),
            vars.fill(scenario.reply[lang])
        );
        let reply = if plan.channel == Channel::Chat {
            reply
        } else {
            format!("{reply}\n\n{}", vars.fill(SIGNATURE[lang]))
        };
        self.history.then(Step::Answer);
        self.agent_says(&worker.actor, id, reply, MessageKind::Reply, reply_channel)
            .await?;
        summary.replies += 1;
        if plan.note {
            self.history.then(Step::Note);
            let note = vars.fill(scenario.note);
            self.agent_says(&worker.actor, id, note, MessageKind::Note, None)
                .await?;
            summary.notes += 1;
        }
        if plan.escalate {
            self.history.then(Step::Customer);
            let patch = TicketPatch {
                priority: Some(Priority::Urgent),
                add_tags: Some(vec!["escalated".into()]),
                ..TicketPatch::default()
            };
            self.update(&lead.actor, id, patch).await?;
            let note = format!(
                "Escalated: the customer is upset and this is their second contact about it. {}, please keep them updated daily.",
                worker.first_name()
            );
            self.agent_says(&lead.actor, id, note, MessageKind::Note, None)
                .await?;
            summary.notes += 1;
        }
        match plan.status {
            Status::Open => {
                if let Some(index) = plan.follow_up {
                    self.history.then(Step::Customer);
                    let body = vars.fill(FOLLOW_UPS[index][lang]);
                    self.customer_says(id, body, customer_channel).await?;
                    summary.customer_messages += 1;
                }
            }
            Status::Pending => {
                self.history.then(Step::Handle);
                self.set_status(&worker.actor, id, Status::Pending).await?;
            }
            Status::OnHold => {
                self.history.then(Step::Note);
                let note = HOLD_NOTES[scenario.team].to_string();
                self.agent_says(&worker.actor, id, note, MessageKind::Note, None)
                    .await?;
                summary.notes += 1;
                self.set_status(&worker.actor, id, Status::OnHold).await?;
            }
            Status::Solved | Status::Closed => {
                self.history.then(Step::Customer);
                let body = vars.fill(THANKS[lang]);
                self.customer_says(id, body, customer_channel).await?;
                summary.customer_messages += 1;
                if plan.closing {
                    self.history.then(Step::Solve);
                    let closing = vars.fill(CLOSING[lang]);
                    self.agent_says(
                        &worker.actor,
                        id,
                        closing,
                        MessageKind::Reply,
                        reply_channel,
                    )
                    .await?;
                    summary.replies += 1;
                }
                self.history.then(Step::Solve);
                self.set_status(&worker.actor, id, Status::Solved).await?;
                if plan.status == Status::Closed {
                    self.history.then(Step::Close);
                    // What the auto-close worker does once a solved ticket has rested.
                    self.set_status(&system, id, Status::Closed).await?;
                }
            }
            Status::New => {}
        }
        let index = Status::ALL
            .iter()
            .position(|s| *s == plan.status)
            .unwrap_or(0);
        summary.statuses[index] += 1;
        summary.unassigned += usize::from(plan.assign == Assign::Nobody);
        Ok(())
    }

    /// Changes a ticket.
    async fn update(&self, actor: &Actor, id: i64, patch: TicketPatch) -> anyhow::Result<()> {
        self.app
            .ticketing
            .update_ticket(actor, id, patch)
            .await
            .map_err(describe)?;
        Ok(())
    }

    /// Moves a ticket to `status`.
    async fn set_status(&self, actor: &Actor, id: i64, status: Status) -> anyhow::Result<()> {
        let patch = TicketPatch {
            status: Some(status),
            ..TicketPatch::default()
        };
        self.update(actor, id, patch).await
    }

    /// Adds a customer's message, as it arrives through the ticket's channel.
    async fn customer_says(
        &self,
        id: i64,
        body: String,
        channel: Option<Channel>,
    ) -> anyhow::Result<()> {
        let message = NewMessage {
            author: Some(AuthorKind::Customer),
            channel,
            ..text(body)
        };
        self.app
            .ticketing
            .add_message(&Actor::system(), id, message, None)
            .await
            .map_err(describe)?;
        Ok(())
    }

    /// Adds an agent's reply or internal note.
    async fn agent_says(
        &self,
        actor: &Actor,
        id: i64,
        body: String,
        kind: MessageKind,
        channel: Option<Channel>,
    ) -> anyhow::Result<()> {
        let message = NewMessage {
            kind: Some(kind),
            channel,
            ..text(body)
        };
        self.app
            .ticketing
            .add_message(actor, id, message, None)
            .await
            .map_err(describe)?;
        Ok(())
    }
}

/// A plain-text message with every other field left to its default.
fn text(body: String) -> NewMessage {
    NewMessage {
        body,
        html: None,
        kind: None,
        author: None,
        channel: None,
        attachments: Vec::new(),
        ..NewMessage::default()
    }
}
