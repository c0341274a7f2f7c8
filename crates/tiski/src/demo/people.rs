//! Who the demo is about: the customers' languages, the teams and the staff.
//!
//! Fixed data only, no database access: the five languages the customers write in (with their
//! tags, time zones and phone formats), the four teams and the twelve staff users. Kept
//! together because the staff are defined by their teams and the languages they speak.

use super::rng::Rng;
use tiski_domain::Role;

/// A language the demo customers write in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    /// English.
    En,
    /// Finnish.
    Fi,
    /// Polish.
    Pl,
    /// Lithuanian.
    Lt,
    /// Tagalog (Filipino).
    Tl,
}

impl Lang {
    /// Every language, in the order of the text tables.
    pub(super) const ALL: [Lang; 5] = [Lang::En, Lang::Fi, Lang::Pl, Lang::Lt, Lang::Tl];

    /// The position in the text tables.
    pub(super) fn index(self) -> usize {
        self as usize
    }

    /// The BCP 47 tag.
    pub(super) fn code(self) -> &'static str {
        ["en", "fi", "pl", "lt", "tl"][self.index()]
    }

    /// The English name, for the summary.
    pub(super) fn name(self) -> &'static str {
        ["English", "Finnish", "Polish", "Lithuanian", "Tagalog"][self.index()]
    }

    /// The usual time zone of a customer writing in this language.
    pub(super) fn time_zone(self) -> &'static str {
        [
            "Europe/London",
            "Europe/Helsinki",
            "Europe/Warsaw",
            "Europe/Vilnius",
            "Asia/Manila",
        ][self.index()]
    }

    /// A made-up mobile number in this language's country, in E.164. British numbers are in
    /// Ofcom's range reserved for drama.
    pub(super) fn phone(self, rng: &mut Rng) -> String {
        match self {
            Lang::En => format!("+447700900{}", rng.digits(3)),
            Lang::Fi => format!("+358{}{}", rng.pick(&["40", "44", "50"]), rng.digits(7)),
            Lang::Pl => format!(
                "+48{}{}",
                rng.pick(&["501", "602", "695", "784"]),
                rng.digits(6)
            ),
            Lang::Lt => format!("+3706{}", rng.digits(7)),
            Lang::Tl => format!(
                "+639{}{}",
                rng.pick(&["17", "27", "55", "95"]),
                rng.digits(7)
            ),
        }
    }
}

/// Text in each language, in the order of [`Lang::ALL`].
pub(super) type PerLang = [&'static str; 5];

/// The demo teams; the constants below index them.
pub(super) const TEAMS: [&str; 4] = [
    "Orders",
    "Technical support",
    "Billing",
    "Returns & warranty",
];
/// Orders and deliveries.
pub(super) const ORDERS: usize = 0;
/// Products, apps, accounts.
pub(super) const TECH: usize = 1;
/// Payments, invoices, refunds.
pub(super) const BILLING: usize = 2;
/// Returns, warranty and service.
pub(super) const RETURNS: usize = 3;

/// A demo staff user.
pub(super) struct StaffSeed {
    /// Display name.
    pub(super) name: &'static str,
    /// The part of the email before `@demo.tiski.example`; derived from the name when empty.
    pub(super) email_local: &'static str,
    /// Role.
    pub(super) role: Role,
    /// Teams, as indexes into [`TEAMS`].
    pub(super) teams: &'static [usize],
    /// The team this user leads, for supervisors.
    pub(super) leads: Option<usize>,
    /// Languages spoken.
    pub(super) languages: &'static [&'static str],
}

/// The staff: every team has speakers of all five customer languages and one supervisor.
pub(super) const STAFF: [StaffSeed; 12] = [
    StaffSeed {
        name: "Helena Lindqvist",
        email_local: "admin",
        role: Role::Admin,
        teams: &[],
        leads: None,
        languages: &["fi", "sv", "en"],
    },
    StaffSeed {
        name: "Aino Korhonen",
        email_local: "",
        role: Role::Supervisor,
        teams: &[ORDERS, RETURNS],
        leads: Some(ORDERS),
        languages: &["fi", "en", "sv"],
    },
    StaffSeed {
        name: "Katarzyna Nowak",
        email_local: "",
        role: Role::Supervisor,
        teams: &[TECH],
        leads: Some(TECH),
        languages: &["pl", "en"],
    },
    StaffSeed {
        name: "Rasa Petrauskaitė",
        email_local: "",
        role: Role::Supervisor,
        teams: &[BILLING, ORDERS],
        leads: Some(BILLING),
        languages: &["lt", "en", "ru"],
    },
    StaffSeed {
        name: "Maricel Tolentino",
        email_local: "",
        role: Role::Supervisor,
        teams: &[RETURNS, ORDERS],
        leads: Some(RETURNS),
        languages: &["tl", "en"],
    },
    StaffSeed {
        name: "Laura Mäkinen",
        email_local: "",
        role: Role::Agent,
        teams: &[ORDERS],
        leads: None,
        languages: &["fi", "en"],
    },
    StaffSeed {
        name: "Mikko Nieminen",
        email_local: "",
        role: Role::Agent,
        teams: &[TECH, BILLING],
        leads: None,
        languages: &["fi", "en"],
    },
    StaffSeed {
        name: "Piotr Zieliński",
        email_local: "",
        role: Role::Agent,
        teams: &[ORDERS, BILLING, RETURNS],
        leads: None,
        languages: &["pl", "en", "de"],
    },
    StaffSeed {
        name: "Tomas Jankauskas",
        email_local: "",
        role: Role::Agent,
        teams: &[TECH, RETURNS],
        leads: None,
        languages: &["lt", "en"],
    },
    StaffSeed {
        name: "Jose Miguel Bautista",
        email_local: "",
        role: Role::Agent,
        teams: &[TECH, BILLING],
        leads: None,
        languages: &["tl", "en"],
    },
    StaffSeed {
        name: "Oliver Bennett",
        email_local: "",
        role: Role::Agent,
        teams: &[ORDERS, TECH],
        leads: None,
        languages: &["en"],
    },
    StaffSeed {
        name: "Siobhan Clarke",
        email_local: "",
        role: Role::Agent,
        teams: &[BILLING, RETURNS],
        leads: None,
        languages: &["en", "ga"],
    },
];
