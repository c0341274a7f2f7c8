//! The rules 1, 2, 6, 7, 8 and 9 on plain values, and the selection methods.

use super::*;
use tiski_domain::{Channel, Priority};

const S: i64 = SECOND;
const DAY: i64 = 86_400 * S;

fn agent(id: i64) -> AgentState {
    AgentState {
        id,
        routable: true,
        present: true,
        capacity: DEFAULT_CAPACITY,
        load: Vec::new(),
        skills: Vec::new(),
        team_ids: Vec::new(),
        last_assigned_at: None,
    }
}

fn item(id: i64, channel: Channel, eligible_at: i64) -> WaitingItem {
    WaitingItem {
        id,
        queue_id: 1,
        channel,
        cost: default_cost(channel),
        eligible_at,
        head_start: 0,
        requirements: Vec::new(),
    }
}

fn queue(selection: Selection) -> Vec<QueueState> {
    vec![QueueState {
        id: 1,
        selection,
        push: true,
        team_ids: Vec::new(),
        last_agent_id: None,
        overflow: Vec::new(),
    }]
}

fn run(now: i64, agents: &mut [AgentState], items: &[WaitingItem]) -> Vec<(i64, i64)> {
    assign(now, agents, &mut queue(Selection::LongestIdle), items)
        .into_iter()
        .map(|a| (a.item_id, a.agent_id))
        .collect()
}

#[test]
fn rule_1_three_chats_fill_sixty_units_and_the_oldest_waiting_chat_goes_first() {
    let mut agents = vec![agent(7)];
    let chats: Vec<_> = (1..=5).map(|i| item(i, Channel::Chat, i * S)).collect();
    assert_eq!(
        run(10 * S, &mut agents, &chats),
        vec![(1, 7), (2, 7), (3, 7)]
    );
    assert_eq!(agents[0].used(), 60);
    // No fourth chat, no call.
    assert!(run(11 * S, &mut agents, &chats[3..]).is_empty());
    assert!(run(11 * S, &mut agents, &[item(9, Channel::Phone, 0)]).is_empty());
    // One chat closes: the oldest waiting one (4, not the newer 5) is assigned.
    agents[0].load = vec![(Channel::Chat, 40)];
    assert_eq!(
        run(12 * S, &mut agents, &[chats[4].clone(), chats[3].clone()]),
        vec![(4, 7)]
    );
}

#[test]
fn rule_2_no_chat_on_a_call_and_no_call_with_a_chat() {
    let mut on_call = agent(1);
    on_call.capacity = 200;
    on_call.load = vec![(Channel::Phone, 60)];
    let mut chatting = agent(2);
    chatting.capacity = 200;
    chatting.load = vec![(Channel::Chat, 20)];
    let mut agents = vec![on_call, chatting];
    assert_eq!(
        run(S, &mut agents, &[item(1, Channel::Chat, 0)]),
        vec![(1, 2)]
    );
    assert_eq!(run(S, &mut agents, &[item(2, Channel::Phone, 0)]), vec![]);
    // Email is blocked by neither.
    assert_eq!(run(S, &mut agents, &[item(3, Channel::Email, 0)]).len(), 1);
    assert!(!agents[0].fits(Channel::Chat, 20) && !agents[1].fits(Channel::Phone, 60));
}

fn licence_and_finnish() -> WaitingItem {
    let mut wanted = item(1, Channel::Email, 0);
    wanted.requirements = vec![
        Requirement {
            skill_id: 100, // insurance licence
            min_proficiency: 1,
            relax_after: Some(60 * S), // asked to relax: a licence ignores it
            relaxable: false,
        },
        Requirement {
            skill_id: 200, // Finnish
            min_proficiency: 3,
            relax_after: Some(60 * S),
            relaxable: true,
        },
    ];
    wanted
}

fn skill(skill_id: i64, proficiency: i64, valid_before: Option<i64>) -> AgentSkill {
    AgentSkill {
        skill_id,
        proficiency,
        valid_before,
    }
}

#[test]
fn rule_6_a_licence_never_relaxes_and_an_expired_one_does_not_count() {
    let wanted = licence_and_finnish();
    let mut finn = agent(1);
    finn.skills = vec![skill(200, 5, None)];
    let mut agents = vec![finn];
    let hour = 3600 * S;
    assert!(run(hour, &mut agents, std::slice::from_ref(&wanted)).is_empty());
    assert!(run(100 * hour, &mut agents, std::slice::from_ref(&wanted)).is_empty());
    // Licensed until yesterday: does not count.
    let now = 10 * DAY + hour;
    let mut expired = agent(2);
    expired.skills = vec![skill(100, 5, Some(10 * DAY)), skill(200, 5, None)];
    agents.push(expired);
    assert!(run(now, &mut agents, std::slice::from_ref(&wanted)).is_empty());
    // Licensed through today: takes it, and Finnish had relaxed for nobody.
    let mut licensed = agent(3);
    licensed.skills = vec![skill(100, 1, Some(11 * DAY)), skill(200, 3, None)];
    agents.push(licensed);
    let made = assign(
        now,
        &mut agents,
        &mut queue(Selection::LongestIdle),
        &[wanted],
    );
    assert_eq!(made.len(), 1);
    assert_eq!((made[0].agent_id, made[0].relaxed.clone()), (3, vec![]));
}

#[test]
fn rule_7_a_relaxable_requirement_relaxes_at_exactly_its_time() {
    let mut wanted = licence_and_finnish();
    wanted.requirements.remove(0);
    wanted.eligible_at = 1000 * S;
    let mut agents = vec![agent(1)];
    assert!(run(1059 * S, &mut agents, std::slice::from_ref(&wanted)).is_empty());
    assert!(run(1059 * S + S - 1, &mut agents, std::slice::from_ref(&wanted)).is_empty());
    let made = assign(
        1060 * S,
        &mut agents,
        &mut queue(Selection::LongestIdle),
        &[wanted],
    );
    assert_eq!((made[0].agent_id, made[0].relaxed.clone()), (1, vec![200]));
}

#[test]
fn rule_8_head_starts_order_the_queue() {
    let mut urgent = item(1, Channel::Email, 100 * S);
    urgent.head_start = head_start(Priority::Urgent);
    let normal = item(2, Channel::Email, 0);
    let mut agents = vec![agent(1)];
    agents[0].capacity = 12;
    assert_eq!(
        run(200 * S, &mut agents, &[normal.clone(), urgent]),
        vec![(1, 1)]
    );

    let mut low = item(3, Channel::Email, 0);
    low.head_start = head_start(Priority::Low);
    let later = item(4, Channel::Email, 700 * S);
    let mut agents = vec![agent(1)];
    agents[0].capacity = 12;
    assert_eq!(
        run(800 * S, &mut agents, &[later.clone(), low.clone()]),
        vec![(3, 1)]
    );
    // Enqueued at 500 s, normal is ahead of the low one (its place is 600 s).
    let earlier = item(5, Channel::Email, 500 * S);
    let mut agents = vec![agent(1)];
    agents[0].capacity = 12;
    assert_eq!(run(800 * S, &mut agents, &[low, earlier]), vec![(5, 1)]);
}

#[test]
fn items_not_yet_eligible_wait_and_pull_queues_are_not_pushed() {
    let mut agents = vec![agent(1)];
    assert!(run(S, &mut agents, &[item(1, Channel::Email, 2 * S)]).is_empty());
    let mut queues = queue(Selection::LongestIdle);
    queues[0].push = false;
    assert!(assign(S, &mut agents, &mut queues, &[item(2, Channel::Email, 0)]).is_empty());
}

#[test]
fn only_routable_members_of_the_queue_teams_are_chosen() {
    let mut away = agent(1);
    away.routable = false;
    let mut other_team = agent(2);
    other_team.team_ids = vec![9];
    let mut member = agent(3);
    member.team_ids = vec![5];
    let mut agents = vec![away, other_team, member];
    let mut queues = queue(Selection::LongestIdle);
    queues[0].team_ids = vec![5];
    let made = assign(S, &mut agents, &mut queues, &[item(1, Channel::Email, 0)]);
    assert_eq!(made[0].agent_id, 3);
}

fn pick(selection: Selection, agents: &mut [AgentState], count: i64) -> Vec<i64> {
    let items: Vec<_> = (1..=count).map(|i| item(i, Channel::Email, i)).collect();
    assign(100 * S, agents, &mut queue(selection), &items)
        .into_iter()
        .map(|a| a.agent_id)
        .collect()
}

#[test]
fn selection_methods() {
    let mut agents: Vec<_> = (1..=3).map(agent).collect();
    agents[0].last_assigned_at = Some(50 * S);
    agents[1].last_assigned_at = Some(10 * S);
    assert_eq!(pick(Selection::LongestIdle, &mut agents, 3), vec![3, 2, 1]);

    let mut agents: Vec<_> = (1..=3).map(agent).collect();
    assert_eq!(
        pick(Selection::RoundRobin, &mut agents, 5),
        vec![1, 2, 3, 1, 2]
    );

    let mut agents: Vec<_> = (1..=2).map(agent).collect();
    agents[0].capacity = 120;
    agents[0].load = vec![(Channel::Email, 36)]; // 30 %
    agents[1].load = vec![(Channel::Email, 24)]; // 40 %
    assert_eq!(pick(Selection::LeastLoaded, &mut agents, 1), vec![1]);

    let mut agents: Vec<_> = (1..=2).map(agent).collect();
    agents[0].skills = vec![skill(200, 2, None)];
    agents[1].skills = vec![skill(200, 5, None)];
    let mut wanted = item(1, Channel::Email, 0);
    wanted.requirements = vec![Requirement {
        skill_id: 200,
        min_proficiency: 1,
        relax_after: None,
        relaxable: true,
    }];
    let made = assign(S, &mut agents, &mut queue(Selection::BestSkill), &[wanted]);
    assert_eq!((made[0].agent_id, made[0].rule), (2, Selection::BestSkill));
}

/// Queue 1 (team 1) overflows into queue 2 (team 2) after 30 s.
fn overflowing(skip_when_unmatchable: bool) -> Vec<QueueState> {
    let mut queues = queue(Selection::LongestIdle);
    queues[0].team_ids = vec![1];
    queues[0].overflow = vec![Step {
        after: 30 * S,
        add_queue: Some(2),
        drop_skill: None,
        skip_when_unmatchable,
    }];
    let mut b = queue(Selection::LongestIdle).remove(0);
    b.id = 2;
    b.team_ids = vec![2];
    queues.push(b);
    queues
}

fn in_team(id: i64, team: i64) -> AgentState {
    AgentState {
        team_ids: vec![team],
        ..agent(id)
    }
}

#[test]
fn rule_9_a_step_after_30_s_adds_queue_b_at_exactly_its_time() {
    let items = [item(1, Channel::Email, 0)];
    // A's member is full; B's member is free.
    let mut busy = in_team(1, 1);
    busy.load = vec![(Channel::Email, 60)];
    let mut agents = vec![busy, in_team(2, 2)];
    let mut queues = overflowing(false);
    assert!(assign(29 * S, &mut agents, &mut queues, &items).is_empty());
    let made = assign(30 * S, &mut agents, &mut queues, &items);
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].agent_id, 2);
    assert_eq!(made[0].queue_id, 1);
    assert_eq!(made[0].via_queue_id, Some(2));
}

#[test]
fn rule_9_with_nobody_in_a_who_could_ever_match_b_is_added_at_once() {
    let items = [item(1, Channel::Email, 0)];
    // Nobody of team 1 is signed in.
    let mut away = in_team(1, 1);
    away.routable = false;
    away.present = false;
    let mut agents = vec![away.clone(), in_team(2, 2)];
    let made = assign(0, &mut agents, &mut overflowing(true), &items);
    assert_eq!(made.len(), 1, "B at once");
    assert_eq!(made[0].agent_id, 2);
    // Without the skip, the step waits for its time.
    let mut agents = vec![away.clone(), in_team(2, 2)];
    assert!(assign(0, &mut agents, &mut overflowing(false), &items).is_empty());
    // Someone of A who is signed in but busy could match later: no skip.
    let mut busy = in_team(1, 1);
    busy.routable = false;
    let mut agents = vec![busy, in_team(2, 2)];
    assert!(assign(0, &mut agents, &mut overflowing(true), &items).is_empty());
    // A licence nobody in A holds: nobody could ever match, so B at once.
    let mut licensed = in_team(2, 2);
    licensed.skills = vec![AgentSkill {
        skill_id: 9,
        proficiency: 3,
        valid_before: None,
    }];
    let mut needing = item(1, Channel::Email, 0);
    needing.requirements = vec![Requirement {
        skill_id: 9,
        min_proficiency: 1,
        relax_after: None,
        relaxable: false,
    }];
    let mut agents = vec![in_team(1, 1), licensed];
    let made = assign(0, &mut agents, &mut overflowing(true), &[needing]);
    assert_eq!(made.iter().map(|a| a.agent_id).collect::<Vec<_>>(), vec![2]);
}

#[test]
fn an_overflow_step_drops_a_relaxable_requirement_never_a_licence() {
    let need = |skill_id, relaxable| Requirement {
        skill_id,
        min_proficiency: 3,
        relax_after: None,
        relaxable,
    };
    let mut queues = queue(Selection::LongestIdle);
    queues[0].overflow = vec![
        Step {
            after: 10 * S,
            add_queue: None,
            drop_skill: Some(5),
            skip_when_unmatchable: false,
        },
        Step {
            after: 20 * S,
            add_queue: None,
            drop_skill: Some(6),
            skip_when_unmatchable: false,
        },
    ];
    let mut finnish = item(1, Channel::Email, 0);
    finnish.requirements = vec![need(5, true)];
    let mut licence = item(2, Channel::Email, 0);
    licence.requirements = vec![need(6, false)];
    let items = [finnish, licence];
    let mut agents = vec![agent(1), agent(2)];
    assert!(assign(9 * S, &mut agents, &mut queues, &items).is_empty());
    let made = assign(10 * S, &mut agents, &mut queues, &items);
    assert_eq!(made.iter().map(|a| a.item_id).collect::<Vec<_>>(), vec![1]);
    assert_eq!(made[0].relaxed, vec![5]);
    assert!(assign(3600 * S, &mut agents, &mut queues, &items[1..]).is_empty());
}
