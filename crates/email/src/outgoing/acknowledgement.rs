//! The acknowledgement of a new ticket: in the ticket's language, from the mailbox's own
//! template or tiski's default, marked auto-submitted so other robots do not answer it.

use super::enqueue;
use crate::mailboxes::Mailbox;
use tiski_domain::placeholders::{self, PlaceholderValues};
use tiski_domain::{AuthorKind, Channel, MessageKind};
use tiski_kernel::{AppResult, Tx};
use tiski_mail::{Address, OutgoingEmail};
use tiski_ticketing::{TicketView, ValidMessage, messages};

/// The default acknowledgements, by language.
fn default_ack(language: &str) -> (&'static str, &'static str) {
    match language {
        "fi" => (
            "Olemme vastaanottaneet viestisi [#{{ticket.id}}]",
            "Hei {{customer.name}},\n\nkiitos viestistäsi. Olemme vastaanottaneet sen ja vastaamme mahdollisimman pian. Viitenumerosi on {{ticket.id}}; voit vastata tähän viestiin, jos haluat lisätä jotain.\n\nYstävällisin terveisin\n{{mailbox.name}}",
        ),
        "pl" => (
            "Otrzymaliśmy Twoją wiadomość [#{{ticket.id}}]",
            "Dzień dobry {{customer.name}},\n\ndziękujemy za wiadomość. Otrzymaliśmy ją i odpowiemy najszybciej, jak to możliwe. Numer zgłoszenia to {{ticket.id}}; aby coś dodać, wystarczy odpowiedzieć na tę wiadomość.\n\nZ pozdrowieniami\n{{mailbox.name}}",
        ),
        "lt" => (
            "Gavome jūsų laišką [#{{ticket.id}}]",
            "Sveiki, {{customer.name}},\n\ndėkojame už laišką. Jį gavome ir atsakysime kuo greičiau. Jūsų užklausos numeris – {{ticket.id}}; jei norite ką nors papildyti, tiesiog atsakykite į šį laišką.\n\nPagarbiai\n{{mailbox.name}}",
        ),
        "tl" | "fil" => (
            "Natanggap namin ang iyong mensahe [#{{ticket.id}}]",
            "Magandang araw, {{customer.name}},\n\nsalamat sa iyong mensahe. Natanggap na namin ito at sasagot kami sa lalong madaling panahon. Ang numero ng iyong kahilingan ay {{ticket.id}}; kung may nais kang idagdag, sumagot lamang sa mensaheng ito.\n\nLubos na gumagalang,\n{{mailbox.name}}",
        ),
        _ => (
            "We have received your message [#{{ticket.id}}]",
            "Hello {{customer.name}},\n\nthank you for writing to us. We have received your message and will answer as soon as we can. Your reference number is {{ticket.id}}; to add anything, simply reply to this email.\n\nKind regards\n{{mailbox.name}}",
        ),
    }
}

/// Writes the acknowledgement of a new ticket as tiski's message on it and queues it to
/// `to`, in reply to the customer's `in_reply_to`.
pub(crate) fn queue_auto_ack(
    tx: &mut Tx<'_, '_>,
    mailbox: &Mailbox,
    ticket: &TicketView,
    to: &Address,
    in_reply_to: &str,
) -> AppResult<()> {
    // The sender's display name is customer text: the stored mail keeps no card number.
    let to = &Address {
        name: to
            .name
            .as_deref()
            .map(|n| tiski_domain::card::mask_pans(n).into_owned()),
        email: to.email.clone(),
    };
    let language = ticket
        .language
        .as_deref()
        .map(|l| l.split('-').next().unwrap_or(l))
        .unwrap_or("en");
    let (subject, body) = match mailbox
        .ack_templates
        .get(language)
        .or_else(|| mailbox.ack_templates.get("en"))
    {
        Some(custom) => (custom.subject.clone(), custom.body.clone()),
        None => {
            let (subject, body) = default_ack(language);
            (subject.to_string(), body.to_string())
        }
    };
    let values = PlaceholderValues {
        customer_name: to
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| ticket.requester.name.clone()),
        customer_email: to.email.clone(),
        agent_name: String::new(),
        ticket_id: ticket.id,
        ticket_subject: ticket.subject.clone(),
        mailbox_name: mailbox.name.clone(),
    };
    let subject = placeholders::fill(&subject, &values);
    let body = placeholders::fill(&body, &values);
    let message = ValidMessage {
        body: body.clone(),
        html: None,
        kind: MessageKind::Reply,
        author: AuthorKind::System,
        channel: Some(Channel::Email),
        attachments: Vec::new(),
    };
    let view = messages::insert(tx, ticket, &message, Channel::Email)?;
    let email = OutgoingEmail {
        from: Address {
            name: Some(mailbox.name.clone()),
            email: mailbox.address.clone(),
        },
        to: vec![to.clone()],
        cc: vec![],
        subject,
        message_id: String::new(),
        in_reply_to: Some(in_reply_to.to_string()),
        references: vec![in_reply_to.to_string()],
        text: body,
        html: None,
        attachments: vec![],
        auto_submitted: true,
        auto_generated: false,
        extra_headers: vec![],
        date: Some(tx.now() / 1_000_000),
    };
    enqueue(tx, mailbox, ticket, view.id, email)
}
