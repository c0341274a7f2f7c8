//! The seeding steps: refuse a used database, then create teams, staff and customers.
//!
//! [`fill`] is the whole run in order: it checks that the database is fresh, creates the
//! teams, the staff and the customers through the application layer, plans the tickets and
//! has the [`Desk`] create them. The created records are kept here, as the desk the tickets
//! are made on.

use super::customers::{CUSTOMER_NOTES, CUSTOMERS, ascii_fold, private_email};
use super::history::History;
use super::people::{Lang, STAFF, StaffSeed, TEAMS};
use super::plan::plan_tickets;
use super::rng::Rng;
use super::summary::{StaffLine, Summary};
use super::{DEMO_PASSWORD, Place, SEED, STAFF_DOMAIN};
use crate::cli::describe;
use anyhow::{Context, bail};
use std::collections::HashSet;
use tiski_app::App;
use tiski_kernel::Actor;
use tiski_staff::{AgentView, NewAgent};
use tiski_ticketing::{CustomerView, NewCustomer, TicketFilter};

/// A created staff user.
pub(super) struct Staff {
    /// What the app returned.
    pub(super) view: AgentView,
    /// The user as an actor.
    pub(super) actor: Actor,
    /// The seed it came from.
    pub(super) seed: &'static StaffSeed,
}

impl Staff {
    /// The first name, for signatures.
    pub(super) fn first_name(&self) -> &str {
        self.view.name.split_whitespace().next().unwrap_or("")
    }
}

/// A created customer.
pub(super) struct Customer {
    /// What the app returned.
    pub(super) view: CustomerView,
    /// The language they write in.
    pub(super) lang: Lang,
    /// The name to greet them by.
    pub(super) greet: &'static str,
}

/// Everything created before the tickets.
pub(super) struct Desk {
    /// The application.
    pub(super) app: App,
    /// Team ids, in the order of [`TEAMS`].
    pub(super) teams: Vec<i64>,
    /// Staff, in the order of [`STAFF`].
    pub(super) staff: Vec<Staff>,
    /// Customers, languages interleaved.
    pub(super) customers: Vec<Customer>,
    /// The clock the tickets' histories are told on.
    pub(super) history: History,
}

/// Refuses a database that is not fresh.
async fn check_fresh(app: &App, place: &Place) -> anyhow::Result<()> {
    let system = Actor::system();
    let tickets = app
        .ticketing
        .list_tickets(
            &system,
            TicketFilter {
                limit: Some(1),
                ..TicketFilter::default()
            },
        )
        .await
        .map_err(describe)?;
    if !tickets.items.is_empty() {
        bail!(
            "{} already has tickets; `tiski demo` only fills a fresh database, so that it never mixes made-up data with real data. {}",
            place.description,
            place.fresh_hint()
        );
    }
    let customers = app
        .ticketing
        .list_customers(&system, None, Some(1), None)
        .await
        .map_err(describe)?;
    if !customers.items.is_empty() {
        bail!(
            "{} already has customers (perhaps from an interrupted demo); `tiski demo` only fills a fresh database. {}",
            place.description,
            place.fresh_hint()
        );
    }
    let mut cursor = None;
    loop {
        let page = app
            .staff
            .list_agents(&system, Some(200), cursor)
            .await
            .map_err(describe)?;
        if let Some(user) = page
            .items
            .iter()
            .find(|u| u.email.ends_with(&format!("@{STAFF_DOMAIN}")))
        {
            bail!(
                "{} already has the demo user {}; `tiski demo` only fills a fresh database. {}",
                place.description,
                user.email,
                place.fresh_hint()
            );
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(())
}

/// Creates the whole demo.
pub(super) async fn fill(
    app: &App,
    place: &Place,
    tickets: usize,
    history: History,
) -> anyhow::Result<Summary> {
    check_fresh(app, place).await?;
    history.at_founding();
    let mut rng = Rng(SEED);
    let mut summary = Summary::default();
    let teams = create_teams(app).await?;
    ensure_mailbox(app).await?;
    let staff = create_staff(app, &teams, &mut summary).await?;
    let customers = create_customers(app, &mut rng, &mut summary).await?;
    let desk = Desk {
        app: app.clone(),
        teams,
        staff,
        customers,
        history,
    };
    let plans = plan_tickets(&desk, &mut rng, tickets);
    // Oldest first, so that ticket numbers grow with time as on a real desk.
    let mut dated: Vec<(i64, &super::plan::Plan)> = plans
        .iter()
        .map(|plan| (desk.history.start_of(plan.status), plan))
        .collect();
    dated.sort_by_key(|(start, _)| *start);
    // Two tickets never start at the same moment, so numbers follow their times.
    for i in 1..dated.len() {
        dated[i].0 = dated[i].0.max(dated[i - 1].0 + 1_000_000);
    }
    for (number, (start, plan)) in dated.into_iter().enumerate() {
        desk.history.begin(start);
        desk.create_ticket(plan, &mut summary)
            .await
            .with_context(|| format!("cannot create demo ticket {} of {tickets}", number + 1))?;
    }
    desk.history.at_present();
    Ok(summary)
}

/// Makes sure replies have a mailbox to go out through: a public reply no channel can
/// deliver is refused, so a desk without any mailbox gets a default one (without a relay:
/// demo replies never reach anyone, and show so until an admin sets up SMTP).
async fn ensure_mailbox(app: &App) -> anyhow::Result<()> {
    if !app.email.mailboxes().await.map_err(describe)?.is_empty() {
        return Ok(());
    }
    app.email
        .create_mailbox(
            &Actor::system(),
            tiski_email::NewMailbox {
                address: format!("support@{STAFF_DOMAIN}"),
                name: "Support".into(),
                team_id: None,
                signature: None,
                auto_ack: Some(false),
                ack_templates: None,
                imap: None,
                smtp: None,
                default: Some(true),
            },
            None,
        )
        .await
        .map_err(describe)?;
    Ok(())
}

/// Creates the teams, reusing one of the same name (a fresh install may already have some).
async fn create_teams(app: &App) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(TEAMS.len());
    for name in TEAMS {
        let (team, _) = app
            .staff
            .find_or_create_team_as_system(name)
            .await
            .map_err(|e| anyhow::anyhow!("cannot create the team {name:?}: {e}"))?;
        ids.push(team.id);
    }
    Ok(ids)
}

/// Creates the staff users, all with [`DEMO_PASSWORD`].
async fn create_staff(
    app: &App,
    teams: &[i64],
    summary: &mut Summary,
) -> anyhow::Result<Vec<Staff>> {
    let mut staff = Vec::with_capacity(STAFF.len());
    for seed in &STAFF {
        let local = if seed.email_local.is_empty() {
            ascii_fold(seed.name).replace(' ', ".")
        } else {
            seed.email_local.to_string()
        };
        let view = app
            .staff
            .create_agent_as_system(NewAgent {
                email: format!("{local}@{STAFF_DOMAIN}"),
                name: seed.name.into(),
                role: seed.role,
                team_ids: seed.teams.iter().map(|t| teams[*t]).collect(),
                languages: seed.languages.iter().map(|l| l.to_string()).collect(),
                password: Some(DEMO_PASSWORD.into()),
            })
            .await
            .map_err(|e| anyhow::anyhow!("cannot create the demo user {}: {e}", seed.name))?;
        summary.staff.push(StaffLine {
            name: view.name.clone(),
            email: view.email.clone(),
            role: view.role,
            teams: seed.teams.iter().map(|t| TEAMS[*t].to_string()).collect(),
            languages: view.languages.clone(),
        });
        let actor = Actor {
            id: view.id,
            name: view.name.clone(),
            email: view.email.clone(),
            role: view.role,
            team_ids: view.team_ids.clone(),
        };
        staff.push(Staff { view, actor, seed });
    }
    Ok(staff)
}

/// Creates the customers, languages interleaved so that frequent writers come from all of them.
async fn create_customers(
    app: &App,
    rng: &mut Rng,
    summary: &mut Summary,
) -> anyhow::Result<Vec<Customer>> {
    let system = Actor::system();
    let mut phones = HashSet::new();
    let mut customers = Vec::new();
    let interleaved = (0..CUSTOMERS[0].len())
        .flat_map(|index| Lang::ALL.map(|lang| (lang, CUSTOMERS[lang.index()][index])));
    for (lang, (name, greet, organization, zone)) in interleaved {
        let email = match organization {
            Some((_, domain)) => {
                format!("{}@{domain}", ascii_fold(name).replace(' ', "."))
            }
            None => private_email(name, rng),
        };
        let mut phone_list = Vec::new();
        if organization.is_some() || rng.chance(0.6) {
            let mut phone = lang.phone(rng);
            while !phones.insert(phone.clone()) {
                phone = lang.phone(rng);
            }
            phone_list.push(phone);
        }
        let notes = rng
            .chance(0.15)
            .then(|| rng.pick(&CUSTOMER_NOTES).to_string());
        let view = app
            .ticketing
            .create_customer(
                &system,
                NewCustomer {
                    name: name.into(),
                    emails: vec![email],
                    phones: phone_list,
                    language: Some(lang.code().into()),
                    time_zone: Some(zone.unwrap_or(lang.time_zone()).into()),
                    organization: organization.map(|(org, _)| org.to_string()),
                    notes,
                },
                None,
            )
            .await
            .map_err(|e| anyhow::anyhow!("cannot create the customer {name}: {e}"))?
            .fresh()
            .context("the customer was not created")?;
        summary.customers += 1;
        summary.business += usize::from(organization.is_some());
        customers.push(Customer { view, lang, greet });
    }
    Ok(customers)
}
