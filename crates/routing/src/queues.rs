//! Queues: their channels, member teams, selection, offer timeouts, overflow steps and what
//! happens to an offline owner's work (admins keep them; all staff read them).

use crate::commands::name_taken;
use crate::repo::{self, QueueFields};
use crate::rules::{input, queue_input};
use crate::{NewQueue, OfferTimeout, OverflowStep, QueuePatch, QueueView, Routing};
use tiski_domain::event::{QueueCreated, QueueUpdated};
use tiski_domain::routing::{Selection, SkillType};
use tiski_domain::{Channel, Permission};
use tiski_kernel::{Actor, AppError, AppResult, Conn};

fn check_teams(conn: &mut dyn Conn, team_ids: &[i64]) -> AppResult<()> {
    for (index, team) in team_ids.iter().enumerate() {
        if !tiski_staff::lookup::team_exists(conn, *team)? {
            return Err(AppError::invalid(
                format!("team_ids/{index}"),
                format!("There is no team {team}."),
            ));
        }
    }
    Ok(())
}

/// What overflow steps name must exist: the queues they add, and the skills they drop, which
/// must relax (never a licence).
fn check_steps(conn: &mut dyn Conn, steps: &[OverflowStep]) -> AppResult<()> {
    for (index, step) in steps.iter().enumerate() {
        if let Some(queue) = step.add_queue_id
            && repo::queue(conn, queue)?.is_none()
        {
            return Err(AppError::invalid(
                format!("overflow/{index}/add_queue_id"),
                format!("There is no queue {queue}."),
            ));
        }
        if let Some(skill) = step.drop_skill_id {
            let at = format!("overflow/{index}/drop_skill_id");
            match repo::skill(conn, skill)? {
                None => return Err(AppError::invalid(at, format!("There is no skill {skill}."))),
                Some(s) if !s.relaxable || s.kind == SkillType::Licence => {
                    return Err(AppError::invalid(
                        at,
                        format!("The skill {skill} never relaxes, so no step may drop it."),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// A queue's settings as stored, checked.
struct Settings {
    name: String,
    channels: Vec<Channel>,
    team_ids: Vec<i64>,
    selection: Selection,
    push: bool,
    timeouts: Vec<OfferTimeout>,
    overflow: Vec<OverflowStep>,
    requeue_offline: bool,
}

impl Settings {
    fn fields(&self) -> QueueFields<'_> {
        QueueFields {
            name: &self.name,
            channels: &self.channels,
            team_ids: &self.team_ids,
            selection: self.selection,
            push: self.push,
            timeouts: &self.timeouts,
            overflow: &self.overflow,
            requeue_offline: self.requeue_offline,
        }
    }

    fn check(&self, conn: &mut dyn Conn) -> AppResult<()> {
        check_teams(conn, &self.team_ids)?;
        check_steps(conn, &self.overflow)
    }
}

impl Routing {
    /// Every queue.
    pub async fn queues(&self, actor: &Actor) -> AppResult<Vec<QueueView>> {
        let grant = actor.grant(Permission::PresenceOwn)?;
        self.kernel
            .query(&grant, |conn| {
                Ok(repo::queues(conn)?.into_iter().map(|q| q.view).collect())
            })
            .await
    }

    /// One queue.
    pub async fn queue(&self, actor: &Actor, id: i64) -> AppResult<QueueView> {
        let grant = actor.grant(Permission::PresenceOwn)?;
        self.kernel
            .query(&grant, move |conn| {
                repo::queue(conn, id)?
                    .map(|q| q.view)
                    .ok_or(AppError::not_found("queue"))
            })
            .await
    }

    /// Creates a queue (admins).
    pub async fn create_queue(&self, actor: &Actor, new: NewQueue) -> AppResult<QueueView> {
        let grant = actor.grant(Permission::QueueManage)?;
        let channels = input::channels("channels", &new.channels)?;
        let settings = Settings {
            name: input::name("name", &new.name)?,
            team_ids: input::ids("team_ids", &new.team_ids, 100)?,
            selection: new.selection.unwrap_or(Selection::LongestIdle),
            push: new.push.unwrap_or(true),
            timeouts: queue_input::offer_timeouts(&new.offer_timeouts, &channels)?,
            overflow: queue_input::overflow(&new.overflow, None)?,
            requeue_offline: new.requeue_when_owner_offline.unwrap_or(true),
            channels,
        };
        self.kernel
            .command(&grant, "queue.create", move |tx| {
                settings.check(tx.conn())?;
                let now = tx.now();
                let Some(id) = repo::insert_queue(tx.conn(), &settings.fields(), now)? else {
                    return Err(name_taken("queue", &settings.name));
                };
                tx.emit(
                    None,
                    QueueCreated {
                        queue_id: id,
                        selection: settings.selection,
                        push: settings.push,
                    },
                )?;
                repo::queue(tx.conn(), id)?
                    .map(|q| q.view)
                    .ok_or(AppError::not_found("queue"))
            })
            .await
    }

    /// Changes a queue (admins).
    pub async fn update_queue(
        &self,
        actor: &Actor,
        id: i64,
        patch: QueuePatch,
    ) -> AppResult<QueueView> {
        let grant = actor.grant(Permission::QueueManage)?;
        let name = patch
            .name
            .as_deref()
            .map(|n| input::name("name", n))
            .transpose()?;
        let channels = patch
            .channels
            .as_deref()
            .map(|c| input::channels("channels", c))
            .transpose()?;
        let team_ids = patch
            .team_ids
            .as_deref()
            .map(|t| input::ids("team_ids", t, 100))
            .transpose()?;
        let overflow = patch
            .overflow
            .as_deref()
            .map(|o| queue_input::overflow(o, Some(id)))
            .transpose()?;
        self.kernel
            .command(&grant, "queue.update", move |tx| {
                let Some(before) = repo::queue(tx.conn(), id)? else {
                    return Err(AppError::not_found("queue"));
                };
                let old = before.view;
                let channels = channels.clone().unwrap_or(old.channels.clone());
                let timeouts = match &patch.offer_timeouts {
                    Some(list) => queue_input::offer_timeouts(list, &channels)?,
                    // Timeouts of channels the queue no longer takes go.
                    None => before
                        .timeouts
                        .into_iter()
                        .filter(|t| channels.contains(&t.channel))
                        .collect(),
                };
                let new = Settings {
                    name: name.clone().unwrap_or(old.name.clone()),
                    channels,
                    team_ids: team_ids.clone().unwrap_or(old.team_ids.clone()),
                    selection: patch.selection.unwrap_or(old.selection),
                    push: patch.push.unwrap_or(old.push),
                    timeouts,
                    overflow: overflow.clone().unwrap_or(old.overflow.clone()),
                    requeue_offline: patch
                        .requeue_when_owner_offline
                        .unwrap_or(old.requeue_when_owner_offline),
                };
                new.check(tx.conn())?;
                let effective = queue_input::effective_timeouts(&new.channels, &new.timeouts);
                let mut changed = Vec::new();
                for (field, differs) in [
                    ("name", new.name != old.name),
                    ("channels", new.channels != old.channels),
                    ("team_ids", new.team_ids != old.team_ids),
                    ("selection", new.selection != old.selection),
                    ("push", new.push != old.push),
                    ("offer_timeouts", effective != old.offer_timeouts),
                    ("overflow", new.overflow != old.overflow),
                    (
                        "requeue_when_owner_offline",
                        new.requeue_offline != old.requeue_when_owner_offline,
                    ),
                ] {
                    if differs {
                        changed.push(field.to_string());
                    }
                }
                if !changed.is_empty() {
                    let now = tx.now();
                    if !repo::update_queue(tx.conn(), id, &new.fields(), now)? {
                        return Err(name_taken("queue", &new.name));
                    }
                    tx.emit(
                        None,
                        QueueUpdated {
                            queue_id: id,
                            changed,
                        },
                    )?;
                }
                repo::queue(tx.conn(), id)?
                    .map(|q| q.view)
                    .ok_or(AppError::not_found("queue"))
            })
            .await
    }
}
