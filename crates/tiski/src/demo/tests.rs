//! Unit tests of the demo data and generator.
//!
//! Every text is filled in, every team has a supervisor and speakers of every language, names
//! fold to valid addresses and phone numbers, and the generator gives the same numbers on every
//! platform. They span several of the data modules, so they live in one file of their own.

use super::SEED;
use super::conversations::SCENARIOS;
use super::customers::{CUSTOMERS, ascii_fold, private_email};
use super::people::{Lang, STAFF, TEAMS};
use super::rng::Rng;

#[test]
fn every_text_is_filled_and_every_team_speaks_every_language() {
    for scenario in &SCENARIOS {
        for lang in Lang::ALL {
            for text in [
                scenario.subject[lang.index()],
                scenario.body[lang.index()],
                scenario.reply[lang.index()],
            ] {
                assert!(!text.trim().is_empty());
            }
        }
    }
    for (team, name) in TEAMS.iter().enumerate() {
        assert_eq!(
            STAFF.iter().filter(|s| s.leads == Some(team)).count(),
            1,
            "one supervisor leads {name}"
        );
        for lang in Lang::ALL {
            assert!(
                STAFF
                    .iter()
                    .any(|s| s.teams.contains(&team) && s.languages.contains(&lang.code())),
                "{name} has a {} speaker",
                lang.name()
            );
        }
    }
}

#[test]
fn names_fold_to_plain_addresses() {
    assert_eq!(ascii_fold("Žydrūnė Kazlauskienė"), "zydrune kazlauskiene");
    assert_eq!(ascii_fold("Łukasz Wiśniewski"), "lukasz wisniewski");
    assert_eq!(ascii_fold("Amelia O'Connor"), "amelia oconnor");
    assert_eq!(ascii_fold("Ma. Theresa Ocampo"), "ma theresa ocampo");
    let mut rng = Rng(SEED);
    for lang in Lang::ALL {
        for (name, ..) in CUSTOMERS[lang.index()] {
            let email = private_email(name, &mut rng);
            assert!(tiski_domain::EmailAddress::parse(&email).is_ok(), "{email}");
            let phone = lang.phone(&mut rng);
            assert!(tiski_domain::PhoneE164::parse(&phone).is_ok(), "{phone}");
        }
    }
}

#[test]
fn the_generator_is_stable() {
    let mut rng = Rng(1);
    let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
    let mut again = Rng(1);
    let second: Vec<u64> = (0..3).map(|_| again.next_u64()).collect();
    assert_eq!(first, second);
    assert_eq!(first[0], 0x910a_2dec_8902_5cc1);
}
