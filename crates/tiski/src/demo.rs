//! `tiski demo`: a believable service organisation for a newcomer to explore.
//!
//! The demo fills a fresh database through the application layer, as the channels and the web
//! layer would: teams, staff who speak the customers' languages, customers writing in English,
//! Finnish, Polish, Lithuanian and Tagalog, and tickets in every status with replies, notes,
//! tags and assignments. Every choice comes from a fixed-seed generator, so every run builds
//! the same desk.

use crate::cli::{DatabaseArgs, describe};
use anyhow::{Context, bail};
use clap::Args;
use std::collections::HashSet;
use std::time::Instant;
use tiski_app::{
    Actor, AgentView, App, AppConfig, CustomerView, NewAgent, NewCustomer, NewMessage, NewTicket,
    RequesterInput, TicketFilter, TicketPatch,
};
use tiski_domain::{AuthorKind, Channel, MessageKind, Priority, Role, Status};

/// The password every demo staff user signs in with.
pub const DEMO_PASSWORD: &str = "tiski-demo-password";

/// The sign-in email of the demo admin.
pub const DEMO_ADMIN_EMAIL: &str = "admin@demo.tiski.example";

/// The domain of the demo staff's email addresses.
const STAFF_DOMAIN: &str = "demo.tiski.example";

/// The seed of every random choice, so that runs look the same.
const SEED: u64 = 0x7153_4b1d_e302_2024;

/// Flags of `tiski demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where the data lives.
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// How many tickets to create (1 to 5000).
    #[arg(
        long,
        default_value_t = 300,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..=5000)
    )]
    pub tickets: u32,
}

/// Fills a fresh database with the demo organisation and prints what it made.
pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let place = Place::of(&args.database);
    let store = args.database.open().await?;
    let app = App::new(store.clone(), AppConfig::default());
    let result = fill(&app, &place, args.tickets as usize).await;
    store.close().await;
    let summary = result?;
    summary.print(&place, started.elapsed());
    Ok(())
}

/// Where the demo writes, for messages and hints.
struct Place {
    /// Such as `the data directory ./tiski-data (./tiski-data/tiski.db)`.
    description: String,
    /// The database flags to repeat in hints.
    flags: String,
    /// Whether the database is PostgreSQL.
    postgres: bool,
}

impl Place {
    /// Describes the database the flags name.
    fn of(database: &DatabaseArgs) -> Place {
        match &database.database_url {
            Some(_) => Place {
                description: "the PostgreSQL database given by --database-url / TISKI_DATABASE_URL"
                    .into(),
                flags: database.as_flags(),
                postgres: true,
            },
            None => Place {
                description: format!(
                    "the data directory {} ({})",
                    database.data_dir.display(),
                    database.data_dir.join("tiski.db").display()
                ),
                flags: database.as_flags(),
                postgres: false,
            },
        }
    }

    /// What to do instead of filling a used database.
    fn fresh_hint(&self) -> &'static str {
        if self.postgres {
            "Point --database-url at an empty database or schema."
        } else {
            "Use a new directory, for example: tiski demo --data-dir ./tiski-demo"
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

/// SplitMix64: tiny, fast and the same on every platform and version.
struct Rng(u64);

impl Rng {
    /// The next 64 random bits.
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One of `items` (not empty).
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index chosen with the given weights (not all zero).
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut roll = self.below(total as usize) as u32;
        for (index, weight) in weights.iter().enumerate() {
            if roll < *weight {
                return index;
            }
            roll -= weight;
        }
        weights.len() - 1
    }

    /// `count` random decimal digits.
    fn digits(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Languages, teams and staff
// ---------------------------------------------------------------------------------------------

/// A language the demo customers write in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
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
    const ALL: [Lang; 5] = [Lang::En, Lang::Fi, Lang::Pl, Lang::Lt, Lang::Tl];

    /// The position in the text tables.
    fn index(self) -> usize {
        self as usize
    }

    /// The BCP 47 tag.
    fn code(self) -> &'static str {
        ["en", "fi", "pl", "lt", "tl"][self.index()]
    }

    /// The English name, for the summary.
    fn name(self) -> &'static str {
        ["English", "Finnish", "Polish", "Lithuanian", "Tagalog"][self.index()]
    }

    /// The usual time zone of a customer writing in this language.
    fn time_zone(self) -> &'static str {
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
    fn phone(self, rng: &mut Rng) -> String {
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
type PerLang = [&'static str; 5];

/// The demo teams; the constants below index them.
const TEAMS: [&str; 4] = [
    "Orders",
    "Technical support",
    "Billing",
    "Returns & warranty",
];
/// Orders and deliveries.
const ORDERS: usize = 0;
/// Products, apps, accounts.
const TECH: usize = 1;
/// Payments, invoices, refunds.
const BILLING: usize = 2;
/// Returns, warranty and service.
const RETURNS: usize = 3;

/// A demo staff user.
struct StaffSeed {
    /// Display name.
    name: &'static str,
    /// The part of the email before `@demo.tiski.example`; derived from the name when empty.
    email_local: &'static str,
    /// Role.
    role: Role,
    /// Teams, as indexes into [`TEAMS`].
    teams: &'static [usize],
    /// The team this user leads, for supervisors.
    leads: Option<usize>,
    /// Languages spoken.
    languages: &'static [&'static str],
}

/// The staff: every team has speakers of all five customer languages and one supervisor.
const STAFF: [StaffSeed; 12] = [
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

// ---------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------

/// A demo customer: name, the name to greet them by, their company (name and email domain)
/// and a time zone other than their language's usual one.
type CustomerSeed = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
    Option<&'static str>,
);

/// Twelve customers per language, in the order of [`Lang::ALL`].
const CUSTOMERS: [[CustomerSeed; 12]; 5] = [
    [
        ("Charlotte Davies", "Charlotte", None, None),
        ("Harry Whitmore", "Harry", None, None),
        ("Amelia O'Connor", "Amelia", None, None),
        ("Jack Thompson", "Jack", None, None),
        (
            "Isla MacLeod",
            "Isla",
            Some(("Harbourside Cafés Ltd", "harbourside-cafes.example")),
            None,
        ),
        (
            "George Patel",
            "George",
            Some(("Patel & Hughes Lettings Ltd", "patel-hughes.example")),
            None,
        ),
        ("Emily Hughes", "Emily", None, None),
        ("Thomas Wright", "Thomas", None, None),
        ("Sophie Evans", "Sophie", None, None),
        ("Daniel Okafor", "Daniel", None, Some("Europe/Helsinki")),
        ("Chloé Martin", "Chloé", None, None),
        ("Rhys Llewellyn", "Rhys", None, None),
    ],
    [
        ("Päivi Mäkelä", "Päivi", None, None),
        ("Jussi Häkkinen", "Jussi", None, None),
        ("Sanna Lehtonen", "Sanna", None, None),
        ("Antti Järvinen", "Antti", None, None),
        ("Tiina Koskinen", "Tiina", None, None),
        (
            "Hannu Räsänen",
            "Hannu",
            Some(("Räsänen Kiinteistöhuolto Oy", "rasanen-huolto.example")),
            None,
        ),
        ("Eeva Ylönen", "Eeva", None, None),
        ("Ville Kärkkäinen", "Ville", None, None),
        (
            "Riikka Söderholm",
            "Riikka",
            Some(("Kahvila Söderholm Oy", "kahvila-soderholm.example")),
            None,
        ),
        ("Juha Pöyhönen", "Juha", None, None),
        ("Marjatta Kivelä", "Marjatta", None, None),
        ("Teemu Väisänen", "Teemu", None, Some("Europe/Stockholm")),
    ],
    [
        ("Łukasz Wiśniewski", "Łukasz", None, None),
        ("Agnieszka Wójcik", "Agnieszka", None, None),
        ("Małgorzata Dąbrowska", "Małgorzata", None, None),
        ("Paweł Kamiński", "Paweł", None, None),
        ("Zofia Lewandowska", "Zofia", None, None),
        ("Krzysztof Szymański", "Krzysztof", None, None),
        ("Joanna Woźniak", "Joanna", None, None),
        (
            "Grzegorz Kozłowski",
            "Grzegorz",
            Some((
                "Kozłowski Serwis AGD sp. z o.o.",
                "kozlowski-serwis.example",
            )),
            None,
        ),
        (
            "Magdalena Jabłońska",
            "Magdalena",
            Some(("Biuro Rachunkowe Jabłońska", "biuro-jablonska.example")),
            None,
        ),
        ("Tomasz Mazur", "Tomasz", None, None),
        ("Bożena Krawczyk", "Bożena", None, None),
        ("Jędrzej Piątek", "Jędrzej", None, None),
    ],
    [
        ("Žydrūnė Kazlauskienė", "Žydrūnė", None, None),
        ("Mindaugas Jonaitis", "Mindaugas", None, None),
        ("Eglė Vaitkutė", "Eglė", None, None),
        ("Darius Stankevičius", "Darius", None, None),
        ("Rūta Žukauskaitė", "Rūta", None, None),
        (
            "Vytautas Paulauskas",
            "Vytautas",
            Some(("UAB Baltijos biurai", "baltijos-biurai.example")),
            None,
        ),
        (
            "Giedrė Balčiūnienė",
            "Giedrė",
            Some(("MB Liepų kavinė", "liepu-kavine.example")),
            None,
        ),
        ("Andrius Šimkus", "Andrius", None, None),
        ("Austėja Urbonaitė", "Austėja", None, None),
        ("Paulius Navickas", "Paulius", None, None),
        ("Ieva Černiauskienė", "Ieva", None, None),
        ("Tadas Butkus", "Tadas", None, None),
    ],
    [
        ("Ana Marie Santos", "Ana", None, None),
        ("Ramon Villanueva", "Ramon", None, None),
        ("Cristina Mendoza", "Cristina", None, None),
        ("Paolo Reyes", "Paolo", None, None),
        ("Jocelyn Garcia", "Jocelyn", None, None),
        (
            "Mark Anthony Aquino",
            "Mark",
            Some(("Aquino Coffee Trading Corp.", "aquino-coffee.example")),
            None,
        ),
        ("Rowena Pascual", "Rowena", None, Some("Europe/Helsinki")),
        ("Emmanuel Domingo", "Emmanuel", None, None),
        ("Niño Fernandez", "Niño", None, None),
        (
            "Lourdes Mañalac",
            "Lourdes",
            Some(("Mañalac Dental Clinic", "manalac-dental.example")),
            None,
        ),
        ("Jomar Castillo", "Jomar", None, None),
        ("Ma. Theresa Ocampo", "Theresa", None, None),
    ],
];

/// Staff notes some customers carry.
const CUSTOMER_NOTES: [&str; 5] = [
    "Prefers a phone call in the afternoon (their time).",
    "Long-standing customer, first order in 2019.",
    "Asked not to receive marketing email.",
    "Prefers email over phone: hard of hearing.",
    "Owns two Myrsky R2 robots and a Kuura K7.",
];

/// Lower-case ASCII letters and digits of a name, words separated by spaces.
fn ascii_fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            Some(match c {
                'ä' | 'á' | 'à' | 'â' | 'ą' | 'å' => 'a',
                'ö' | 'ó' | 'ò' | 'ô' | 'ø' => 'o',
                'ü' | 'ú' | 'ū' | 'ų' => 'u',
                'é' | 'è' | 'ê' | 'ë' | 'ę' | 'ė' => 'e',
                'í' | 'ï' | 'į' => 'i',
                'ł' => 'l',
                'ś' | 'š' => 's',
                'ż' | 'ź' | 'ž' => 'z',
                'ć' | 'č' => 'c',
                'ń' | 'ñ' => 'n',
                ' ' | '-' => ' ',
                c if c.is_ascii_alphanumeric() => c,
                _ => return None,
            })
        })
        .collect()
}

/// A plausible address for a private customer, at one of the reserved example domains.
fn private_email(name: &str, rng: &mut Rng) -> String {
    let folded = ascii_fold(name);
    let words: Vec<&str> = folded.split_whitespace().collect();
    let first = words.first().copied().unwrap_or("customer");
    let last = words.last().copied().unwrap_or("customer");
    let local = match rng.below(4) {
        0 => words.join("."),
        1 => format!("{first}{last}"),
        2 => format!("{}.{last}", &first[..1]),
        _ => format!("{first}.{last}{}", rng.digits(2)),
    };
    let domain = rng.pick(&["example.com", "example.net", "example.org"]);
    format!("{local}@{domain}")
}

// ---------------------------------------------------------------------------------------------
// Conversations
// ---------------------------------------------------------------------------------------------

/// A kind of customer request, with its texts in every language.
///
/// Texts may hold `{order}`, `{serial}` and `{email}`; replies are wrapped in a greeting and a
/// signature.
struct Scenario {
    /// The team that handles it, an index into [`TEAMS`].
    team: usize,
    /// Tags the ticket gets.
    tags: &'static [&'static str],
    /// How often it comes up from private and from business customers.
    weight: (u32, u32),
    /// Whether it is a complaint (more urgent, sometimes escalated).
    complaint: bool,
    /// Subject, in the customer's language.
    subject: PerLang,
    /// The customer's first message.
    body: PerLang,
    /// The agent's answer, between greeting and signature.
    reply: PerLang,
    /// An internal note in English, the team's shared language.
    note: &'static str,
}

/// The requests the demo customers make.
const SCENARIOS: [Scenario; 10] = [
    Scenario {
        team: ORDERS,
        tags: &["delivery", "order"],
        weight: (14, 6),
        complaint: false,
        subject: [
            "Where is my order {order}?",
            "Missä tilaukseni {order} on?",
            "Gdzie jest moje zamówienie {order}?",
            "Kur mano užsakymas {order}?",
            "Nasaan na po ang order ko na {order}?",
        ],
        body: [
            "Hello,\n\nI ordered a Kuura K7 coffee machine ten days ago (order {order}) and the tracking page still says \"label created\". The confirmation promised delivery in 3–5 working days. Could you check where the parcel is?",
            "Hei,\n\ntilasin Kuura K7 -kahvinkeittimen kymmenen päivää sitten (tilaus {order}), mutta seurantasivulla lukee edelleen vain \"lähetystiedot vastaanotettu\". Tilausvahvistuksen mukaan toimitus kestää 3–5 arkipäivää. Voisitteko selvittää, missä paketti on?",
            "Dzień dobry,\n\nmoje zamówienie {order} (ekspres Kuura K7) zostało złożone dziesięć dni temu, a na stronie śledzenia przesyłki nadal widnieje status „etykieta utworzona”. W potwierdzeniu była mowa o dostawie w ciągu 3–5 dni roboczych. Czy mogą Państwo sprawdzić, gdzie jest paczka?",
            "Laba diena,\n\nprieš dešimt dienų užsisakiau kavos aparatą Kuura K7 (užsakymas {order}), tačiau siuntos sekimo puslapyje vis dar rodoma „sukurta etiketė“. Patvirtinime buvo nurodyta, kad pristatymas užtruks 3–5 darbo dienas. Gal galėtumėte patikrinti, kur yra siunta?",
            "Hello po,\n\nNag-order po ako ng Kuura K7 coffee machine sampung araw na ang nakalipas (order {order}), pero \"label created\" pa rin ang nakalagay sa tracking page. Ayon sa confirmation, darating daw ito sa loob ng 3–5 working days. Pwede po bang paki-check kung nasaan na ang parcel?",
        ],
        reply: [
            "Thank you for your patience, and sorry for the delay. I checked order {order} with the courier: the parcel was held at their sorting terminal and left it this morning. You will get a text message with the delivery time tomorrow.",
            "Kiitos kärsivällisyydestä, ja pahoittelut viivästyksestä. Tarkistin tilauksen {order} kuljetusyhtiöltä: paketti oli jumissa lajitteluterminaalissa, mutta se lähti sieltä tänä aamuna. Saatte huomenna tekstiviestin, jossa kerrotaan toimitusaika.",
            "Dziękujemy za cierpliwość i przepraszamy za opóźnienie. Sprawdziliśmy zamówienie {order} u kuriera: paczka utknęła w sortowni, ale dziś rano ruszyła w dalszą drogę. Jutro przyjdzie SMS z godziną dostawy.",
            "Dėkojame už kantrybę ir atsiprašome dėl vėlavimo. Patikrinome užsakymą {order} pas kurjerį: siunta buvo užstrigusi rūšiavimo terminale, tačiau šį rytą išvežta toliau. Rytoj gausite SMS žinutę su pristatymo laiku.",
            "Salamat po sa inyong pasensya, at paumanhin sa pagkaantala. Na-check na po namin ang order {order} sa courier: naipit po ang parcel sa kanilang sorting hub, pero umalis na po ito kaninang umaga. Makakatanggap po kayo ng text bukas kung anong oras ito darating.",
        ],
        note: "Courier confirms the parcel was stuck at the sorting terminal; new ETA tomorrow. I'll check again if there is no scan by noon.",
    },
    Scenario {
        team: ORDERS,
        tags: &["pricing", "quote"],
        weight: (3, 20),
        complaint: false,
        subject: [
            "Price for 12 Kuura K7 machines for our office",
            "Hintatiedustelu: 12 kpl Kuura K7 toimistoon",
            "Zapytanie ofertowe: 12 ekspresów Kuura K7 do biura",
            "Kainos užklausa: 12 vnt. Kuura K7 biurui",
            "Presyo para sa 12 Kuura K7 para sa opisina",
        ],
        body: [
            "Hello,\n\nWe are furnishing a new office and would like to buy 12 Kuura K7 coffee machines. Do you offer a volume discount, and what would the price be including delivery? We would also need an invoice with 30 days' payment terms.",
            "Hei,\n\nkalustamme uutta toimistoa ja haluaisimme ostaa 12 Kuura K7 -kahvinkeitintä. Saako näin isosta tilauksesta paljousalennusta, ja mikä olisi hinta toimituksineen? Tarvitsisimme myös laskun 30 päivän maksuajalla.",
            "Dzień dobry,\n\nurządzamy nowe biuro i chcielibyśmy kupić 12 ekspresów Kuura K7. Czy przy takiej ilości możliwy jest rabat i jaka byłaby cena z dostawą? Potrzebujemy też faktury VAT z 30-dniowym terminem płatności.",
            "Laba diena,\n\nįrengiame naują biurą ir norėtume įsigyti 12 kavos aparatų Kuura K7. Ar taikote kiekio nuolaidą ir kokia būtų kaina su pristatymu? Taip pat mums reikėtų sąskaitos faktūros su 30 dienų apmokėjimo terminu.",
            "Hello po,\n\nNag-aayos po kami ng bagong opisina at gusto naming bumili ng 12 Kuura K7 coffee machine. May discount po ba kung maramihan, at magkano po ang kabuuan kasama ang delivery? Kailangan din po namin ng invoice na may 30 days na payment terms.",
        ],
        reply: [
            "Thank you for your interest! For 12 Kuura K7 machines we can offer 15% off the list price, which makes £289 per machine including VAT, and delivery is free for orders over £800. Invoicing with 30 days' payment terms is fine for business customers. Shall I prepare a formal quote?",
            "Kiitos kiinnostuksestanne! 12 Kuura K7 -keittimen tilaukseen voimme antaa 15 %:n alennuksen listahinnasta, jolloin hinnaksi tulee 339 € / kpl (sis. alv). Yli 1 000 euron tilaukset toimitetaan veloituksetta, ja yritysasiakkaille laskutus 30 päivän maksuajalla onnistuu. Laadinko teille virallisen tarjouksen?",
            "Dziękujemy za zainteresowanie! Przy zamówieniu 12 ekspresów Kuura K7 możemy zaoferować rabat 15% od ceny katalogowej, czyli 1 459 zł brutto za sztukę. Dostawa zamówień powyżej 4 000 zł jest bezpłatna, a dla firm faktura z 30-dniowym terminem płatności nie stanowi problemu. Czy przygotować formalną ofertę?",
            "Dėkojame už susidomėjimą! Užsakant 12 aparatų Kuura K7, galime pasiūlyti 15 % nuolaidą nuo katalogo kainos – 339 € už vienetą su PVM. Užsakymams virš 1 000 € pristatymas nemokamas, o verslo klientams sąskaitą su 30 dienų apmokėjimo terminu išrašome be problemų. Ar paruošti oficialų komercinį pasiūlymą?",
            "Salamat po sa inyong interes! Para sa 12 Kuura K7, makakapagbigay po kami ng 15% discount sa list price, kaya ₱21,500 po bawat isa kasama na ang VAT. Libre po ang delivery para sa order na lampas ₱50,000, at pwede po ang invoice na may 30 days na payment terms para sa mga business customer. Gusto n'yo po bang gawan namin kayo ng pormal na quotation?",
        ],
        note: "Business customer: Billing confirmed that 30-day invoicing is approved. Quote template is in the shared drive.",
    },
    Scenario {
        team: TECH,
        tags: &["product-question", "pre-sales"],
        weight: (9, 4),
        complaint: false,
        subject: [
            "Does the Myrsky R2 handle thick rugs?",
            "Selviääkö Myrsky R2 paksuista matoista?",
            "Czy Myrsky R2 poradzi sobie z grubym dywanem?",
            "Ar Myrsky R2 įveikia storus kilimus?",
            "Kaya ba ng Myrsky R2 ang makapal na carpet?",
        ],
        body: [
            "Hi,\n\nI'm thinking of buying the Myrsky R2 robot vacuum. We have a thick wool rug in the living room and a dog that sheds a lot. Can the R2 climb onto a rug about 2 cm high, and is the dust bin big enough for pet hair?",
            "Hei,\n\nharkitsen Myrsky R2 -robotti-imurin ostamista. Olohuoneessa on paksu villamatto, ja meillä on koira, joka karvoo paljon. Nouseeko R2 noin 2 cm korkealle matolle, ja riittääkö pölysäiliö koiran karvoille?",
            "Dzień dobry,\n\nrozważam zakup robota sprzątającego Myrsky R2. W salonie mamy gruby wełniany dywan, a nasz pies bardzo linieje. Czy R2 wjedzie na dywan o wysokości ok. 2 cm i czy pojemnik na kurz wystarczy na sierść?",
            "Sveiki,\n\nsvarstau įsigyti robotą dulkių siurblį Myrsky R2. Svetainėje turime storą vilnonį kilimą, o mūsų šuo labai šeriasi. Ar R2 užvažiuoja ant maždaug 2 cm aukščio kilimo ir ar dulkių talpos pakanka gyvūnų plaukams?",
            "Hi po,\n\nBalak ko pong bumili ng Myrsky R2 robot vacuum. May makapal po kaming carpet sa sala at may aso kaming maraming nalalagas na balahibo. Kaya po ba ng R2 umakyat sa carpet na mga 2 cm ang kapal, at sapat po ba ang dust bin para sa balahibo ng aso?",
        ],
        reply: [
            "Good questions! The Myrsky R2 climbs thresholds and rugs up to 2.5 cm, so your rug is fine. For pet hair we recommend the rubber brush roll that comes in the box, and the self-emptying station holds about 60 days of dust, so the small bin on the robot itself is not a problem.",
            "Hyviä kysymyksiä! Myrsky R2 ylittää kynnykset ja matot 2,5 cm:iin asti, joten teidän mattonne ei tuota ongelmia. Lemmikkien karvoille suosittelemme pakkauksessa mukana tulevaa kumiharjaa, ja itsetyhjentävään asemaan mahtuu noin 60 päivän pölyt, joten robotin oma pieni säiliö ei ole ongelma.",
            "Dziękujemy za pytanie! Myrsky R2 pokonuje progi i dywany o wysokości do 2,5 cm, więc Państwa dywan nie będzie problemem. Na sierść zwierząt polecamy gumową szczotkę, która jest w zestawie, a stacja samoopróżniająca mieści kurz z około 60 dni, więc mały pojemnik w samym robocie wystarczy.",
            "Puikūs klausimai! Myrsky R2 įveikia slenksčius ir kilimus iki 2,5 cm aukščio, tad jūsų kilimas nebus kliūtis. Gyvūnų plaukams rekomenduojame komplekte esantį guminį šepetį, o savaime išsituštinanti stotelė talpina maždaug 60 dienų dulkes, todėl mažas roboto konteineris netrukdys.",
            "Magandang tanong po! Kaya ng Myrsky R2 ang mga threshold at carpet na hanggang 2.5 cm, kaya walang problema ang carpet ninyo. Para sa balahibo ng alaga, inirerekomenda po namin ang rubber brush roll na kasama sa box, at ang self-emptying station ay kayang maglaman ng alikabok na mga 60 araw, kaya hindi po magiging problema ang maliit na bin ng robot.",
        ],
        note: "Pre-sales question. Sent the spec sheet link as well; the customer may ask about the pet edition next.",
    },
    Scenario {
        team: RETURNS,
        tags: &["warranty"],
        weight: (11, 6),
        complaint: false,
        subject: [
            "Kuura K7 leaking water – still under warranty",
            "Kuura K7 vuotaa vettä – takuu voimassa",
            "Kuura K7 cieknie – naprawa gwarancyjna",
            "Kuura K7 leidžia vandenį – garantinis atvejis",
            "Tumutulo ang Kuura K7 – may warranty pa",
        ],
        body: [
            "Hello,\n\nOur Kuura K7, bought in March (order {order}), has started leaking water from underneath whenever it makes coffee. It is still well within the two-year warranty. What should I do – do I send it to you, or will you send a new one?",
            "Hei,\n\nmaaliskuussa ostamamme Kuura K7 (tilaus {order}) on alkanut vuotaa vettä pohjasta aina kahvia keittäessä. Kahden vuoden takuu on vielä hyvin voimassa. Miten toimin – lähetänkö keittimen teille vai lähetättekö uuden?",
            "Dzień dobry,\n\nnasz ekspres Kuura K7, kupiony w marcu (zamówienie {order}), zaczął przeciekać od spodu przy każdym parzeniu kawy. Dwuletnia gwarancja jest jeszcze ważna. Co należy zrobić – odesłać ekspres do Państwa, czy otrzymamy nowy?",
            "Laba diena,\n\nmūsų kovo mėnesį pirktas Kuura K7 (užsakymas {order}) pradėjo leisti vandenį iš apačios kiekvieną kartą verdant kavą. Dvejų metų garantija dar galioja. Ką daryti – išsiųsti aparatą jums, ar atsiųsite naują?",
            "Hello po,\n\nAng Kuura K7 namin na binili noong Marso (order {order}) ay tumutulo na ng tubig sa ilalim tuwing nagtitimpla ng kape. May warranty pa po ito na dalawang taon. Ano po ang dapat gawin – ipapadala ko po ba sa inyo o magpapadala kayo ng bago?",
        ],
        reply: [
            "I'm sorry to hear about the leak. This is covered by the warranty. I've created a prepaid return label for you (attached): pack the machine in any sturdy box and drop it at the nearest parcel point. As soon as it reaches our service centre we'll send you a replacement, usually within 5 working days.",
            "Ikävä kuulla vuodosta. Vika kuuluu takuun piiriin. Loin teille valmiiksi maksetun palautustarran (liitteenä): pakatkaa keitin mihin tahansa tukevaan laatikkoon ja viekää se lähimpään pakettipisteeseen. Kun keitin on saapunut huoltoomme, lähetämme uuden tilalle, yleensä viiden arkipäivän kuluessa.",
            "Przykro nam z powodu usterki. Naprawa jest objęta gwarancją. Przygotowaliśmy opłaconą etykietę zwrotną (w załączniku): wystarczy zapakować ekspres w solidny karton i nadać go w najbliższym punkcie nadania paczek. Gdy ekspres dotrze do naszego serwisu, wyślemy urządzenie zastępcze, zwykle w ciągu 5 dni roboczych.",
            "Apgailestaujame dėl gedimo. Šis atvejis yra garantinis. Paruošėme jums apmokėtą grąžinimo etiketę (prisegta): supakuokite aparatą į tvirtą dėžę ir pristatykite į artimiausią siuntų tašką. Kai aparatas pasieks mūsų servisą, išsiųsime jums naują, paprastai per 5 darbo dienas.",
            "Pasensya na po sa abala. Sakop po ito ng warranty. Gumawa na po kami ng prepaid return label (naka-attach): i-pack lang po ang machine sa matibay na kahon at dalhin sa pinakamalapit na parcel point. Pagdating nito sa aming service center, magpapadala po kami ng kapalit, karaniwan sa loob ng 5 working days.",
        ],
        note: "Warranty approved (purchase date checked). Replacement K7 reserved from stock; return label RL-{serial} sent.",
    },
    Scenario {
        team: ORDERS,
        tags: &["complaint", "delivery", "damaged"],
        weight: (9, 5),
        complaint: true,
        subject: [
            "Parcel arrived damaged – complaint",
            "Reklamaatio: paketti saapui rikki",
            "Reklamacja: paczka dotarła uszkodzona",
            "Skundas: siunta atkeliavo pažeista",
            "Reklamo: sira ang dumating na parcel",
        ],
        body: [
            "Hello,\n\nI want to make a complaint. My order {order} arrived yesterday with the box crushed, and the glass jug of the blender is cracked. The courier just left the parcel at the door without asking for a signature. I've kept the packaging. I expect a replacement, not a voucher.",
            "Hei,\n\nhaluan tehdä reklamaation. Tilaukseni {order} tuli eilen, laatikko oli rutussa ja tehosekoittimen lasikannu on haljennut. Kuljettaja jätti paketin oven eteen kysymättä kuittausta. Pakkaus on tallessa. Odotan uutta tuotetta tilalle, en lahjakorttia.",
            "Dzień dobry,\n\nchcę złożyć reklamację. Zamówienie {order} dotarło wczoraj w zgniecionym kartonie, a szklany dzbanek blendera jest pęknięty. Kurier zostawił paczkę pod drzwiami bez potwierdzenia odbioru. Opakowanie zachowuję. Oczekuję wymiany towaru, a nie bonu.",
            "Laba diena,\n\nnoriu pateikti skundą. Užsakymas {order} vakar atkeliavo suglamžytoje dėžėje, o trintuvo stiklinis indas yra įskilęs. Kurjeris paliko siuntą prie durų ir neprašė pasirašyti. Pakuotę išsaugojau. Tikiuosi gauti naują prekę, o ne dovanų kuponą.",
            "Hello po,\n\nGusto ko pong magreklamo. Dumating kahapon ang order ko na {order} na yupi ang kahon, at basag ang glass jar ng blender. Iniwan lang ng rider ang parcel sa pinto nang walang pirma. Nakatabi pa po ang packaging. Gusto ko po ng kapalit, hindi voucher.",
        ],
        reply: [
            "I'm really sorry – that is not how your order should arrive. I've sent a new blender jug to you by express delivery today, and you don't need to return the broken one; please just recycle it. I've also filed a report with the courier about the missing signature.",
            "Olen todella pahoillani – näin tilauksen ei kuulu saapua. Lähetin teille tänään pikatoimituksena uuden kannun, eikä rikkinäistä tarvitse palauttaa; sen voi viedä kierrätykseen. Tein myös kuljetusyhtiölle ilmoituksen puuttuvasta kuittauksesta.",
            "Bardzo przepraszamy – zamówienie nie powinno tak do Państwa dotrzeć. Dziś wysłaliśmy kurierem ekspresowym nowy dzbanek do blendera; uszkodzonego nie trzeba odsyłać, można go oddać do recyklingu. Złożyliśmy też skargę u przewoźnika w sprawie braku potwierdzenia odbioru.",
            "Labai atsiprašome – užsakymas tikrai neturėjo taip atkeliauti. Šiandien skubiuoju pristatymu išsiuntėme jums naują trintuvo indą; sudužusio grąžinti nereikia, jį galite atiduoti perdirbti. Taip pat pateikėme skundą kurjerių įmonei dėl nepasirašyto pristatymo.",
            "Humihingi po kami ng paumanhin – hindi po dapat ganito dumating ang order ninyo. Nagpadala na po kami ngayong araw ng bagong blender jar sa express delivery, at hindi na po kailangang ibalik ang basag. Nag-file na rin po kami ng report sa courier tungkol sa walang pirma.",
        ],
        note: "Photos received. Courier damage report filed (ref. DR-{serial}); replacement jug sent by express.",
    },
    Scenario {
        team: ORDERS,
        tags: &["replacement-part", "order"],
        weight: (10, 6),
        complaint: false,
        subject: [
            "Replacement brush and filter for Myrsky R2",
            "Varaosia Myrsky R2:een: harja ja suodatin",
            "Części zamienne do Myrsky R2: szczotka i filtr",
            "Atsarginės dalys Myrsky R2: šepetys ir filtras",
            "Pamalit na brush at filter para sa Myrsky R2",
        ],
        body: [
            "Hi,\n\nThe side brush on my Myrsky R2 is worn out and the filter is getting grey. Can I order just the spare parts? I'd need two side brushes and two HEPA filters. The robot's serial number is MR2-{serial}.",
            "Hei,\n\nMyrsky R2:n sivuharja on kulunut loppuun ja suodatin alkaa olla harmaa. Voiko pelkkiä varaosia tilata? Tarvitsisin kaksi sivuharjaa ja kaksi HEPA-suodatinta. Robotin sarjanumero on MR2-{serial}.",
            "Dzień dobry,\n\nboczna szczotka w moim Myrsky R2 jest już zużyta, a filtr robi się szary. Czy można zamówić same części? Potrzebuję dwóch szczotek bocznych i dwóch filtrów HEPA. Numer seryjny robota to MR2-{serial}.",
            "Laba diena,\n\nmano Myrsky R2 šoninis šepetys nusidėvėjo, o filtras jau papilkėjo. Ar galima užsisakyti tik atsargines dalis? Man reikėtų dviejų šoninių šepečių ir dviejų HEPA filtrų. Roboto serijos numeris – MR2-{serial}.",
            "Hi po,\n\nPudpod na po ang side brush ng Myrsky R2 ko at nangingitim na ang filter. Pwede po bang mag-order ng spare parts lang? Kailangan ko po ng dalawang side brush at dalawang HEPA filter. Ang serial number po ng robot ay MR2-{serial}.",
        ],
        reply: [
            "Of course! A spare part kit for the Myrsky R2 with two side brushes and two HEPA filters costs £21.90, and I've placed the order for you as {order}. You'll get a payment link by email, and the parts ship the same day the payment arrives.",
            "Totta kai! Myrsky R2:n varaosasarja, jossa on kaksi sivuharjaa ja kaksi HEPA-suodatinta, maksaa 24,90 €, ja tein tilauksen valmiiksi numerolla {order}. Saatte maksulinkin sähköpostiin, ja osat lähtevät samana päivänä, kun maksu on tullut.",
            "Oczywiście! Zestaw części do Myrsky R2 z dwiema szczotkami bocznymi i dwoma filtrami HEPA kosztuje 109 zł. Zamówienie zostało już założone pod numerem {order}. Link do płatności przyjdzie e-mailem, a części wyślemy tego samego dnia, w którym zaksięgujemy wpłatę.",
            "Žinoma! Myrsky R2 atsarginių dalių rinkinys su dviem šoniniais šepečiais ir dviem HEPA filtrais kainuoja 24,90 €, užsakymą jau sukūrėme numeriu {order}. Mokėjimo nuorodą gausite el. paštu, o dalis išsiųsime tą pačią dieną, kai gausime apmokėjimą.",
            "Opo, pwedeng-pwede! Ang spare parts kit para sa Myrsky R2 na may dalawang side brush at dalawang HEPA filter ay ₱1,590, at nai-order na po namin ito para sa inyo bilang {order}. Makakatanggap po kayo ng payment link sa email, at ipapadala ang parts sa mismong araw na matanggap ang bayad.",
        ],
        note: "Parts in stock at the warehouse. Payment link sent; ship on payment.",
    },
    Scenario {
        team: BILLING,
        tags: &["refund", "return"],
        weight: (10, 4),
        complaint: false,
        subject: [
            "Refund for returned order {order} not received",
            "Palautetun tilauksen {order} hyvitys puuttuu",
            "Brak zwrotu pieniędzy za zamówienie {order}",
            "Negrąžinti pinigai už užsakymą {order}",
            "Wala pa ang refund para sa ibinalik na order {order}",
        ],
        body: [
            "Hello,\n\nI returned the blender from order {order} three weeks ago, and the tracking shows you received it on the 4th. I still haven't got my money back. How long does a refund normally take?",
            "Hei,\n\npalautin tilauksen {order} tehosekoittimen kolme viikkoa sitten, ja seurannan mukaan se on saapunut teille kuun 4. päivä. Rahoja ei ole vieläkään palautettu. Kauanko hyvityksessä yleensä kestää?",
            "Dzień dobry,\n\nblender z zamówienia {order} został odesłany trzy tygodnie temu, a według śledzenia przesyłki dotarł do Państwa 4. dnia tego miesiąca. Pieniądze nadal nie wróciły na moje konto. Ile zwykle trwa zwrot?",
            "Laba diena,\n\nprieš tris savaites grąžinau trintuvą iš užsakymo {order}, ir pagal siuntos sekimą jūs jį gavote šio mėnesio 4 d. Pinigų vis dar negavau. Kiek paprastai užtrunka pinigų grąžinimas?",
            "Hello po,\n\nIbinalik ko po ang blender mula sa order {order} tatlong linggo na ang nakalipas, at ayon sa tracking natanggap n'yo na ito noong ika-4. Hanggang ngayon wala pa po ang refund ko. Gaano po katagal karaniwan ang refund?",
        ],
        reply: [
            "Thank you for letting us know, and sorry for the wait. Your return was registered, but the refund got stuck in our payment system. I've now processed it manually: the full amount will be back on your card within 3–5 banking days.",
            "Kiitos, että otitte yhteyttä, ja pahoittelut odottelusta. Palautus oli kirjattu, mutta hyvitys oli jäänyt jumiin maksujärjestelmäämme. Käsittelin sen nyt käsin: koko summa palautuu kortillenne 3–5 pankkipäivän kuluessa.",
            "Dziękujemy za wiadomość i przepraszamy za zwłokę. Zwrot towaru został zarejestrowany, ale zwrot płatności utknął w naszym systemie. Zleciliśmy go teraz ręcznie: pełna kwota wróci na kartę w ciągu 3–5 dni roboczych.",
            "Dėkojame, kad parašėte, ir atsiprašome už laukimą. Prekės grąžinimas buvo užregistruotas, tačiau pinigų grąžinimas užstrigo mūsų mokėjimų sistemoje. Dabar jį atlikome rankiniu būdu: visa suma grįš į jūsų kortelę per 3–5 banko darbo dienas.",
            "Salamat po sa pag-abiso, at pasensya na po sa paghihintay. Na-register po ang return ninyo pero na-stuck ang refund sa aming payment system. Manual na po naming naproseso ito ngayon: babalik po ang buong halaga sa inyong card sa loob ng 3–5 banking days.",
        ],
        note: "Refund was stuck in the payment provider queue. Reprocessed manually – watch for other refunds with the same error.",
    },
    Scenario {
        team: TECH,
        tags: &["account", "sign-up"],
        weight: (8, 3),
        complaint: false,
        subject: [
            "Sign-up confirmation email never arrives",
            "Rekisteröitymisen vahvistusviesti ei tule",
            "Nie dochodzi e-mail potwierdzający rejestrację",
            "Negaunu registracijos patvirtinimo laiško",
            "Hindi dumarating ang confirmation email sa pag-sign up",
        ],
        body: [
            "Hi,\n\nI've tried to create an account in your online shop three times today, but the confirmation email never arrives. I've checked the spam folder too. My address is {email}. Could you activate the account for me?",
            "Hei,\n\nyritin tänään kolme kertaa luoda tilin verkkokauppaanne, mutta vahvistusviestiä ei kuulu. Katsoin myös roskapostikansion. Osoitteeni on {email}. Voisitteko aktivoida tilin puolestani?",
            "Dzień dobry,\n\nod rana bezskutecznie próbuję założyć konto w Państwa sklepie internetowym: e-mail potwierdzający w ogóle nie dochodzi, a w folderze spam też go nie ma. Mój adres to {email}. Czy mogą Państwo aktywować konto ręcznie?",
            "Laba diena,\n\nšiandien tris kartus bandžiau susikurti paskyrą jūsų internetinėje parduotuvėje, bet patvirtinimo laiškas taip ir neateina. Patikrinau ir šlamšto aplanką. Mano adresas – {email}. Gal galėtumėte aktyvuoti paskyrą už mane?",
            "Hi po,\n\nTatlong beses na po akong sumubok gumawa ng account sa online shop ninyo ngayong araw, pero hindi dumarating ang confirmation email. Tiningnan ko na rin po ang spam folder. Ang email ko po ay {email}. Pwede n'yo po bang i-activate ang account ko?",
        ],
        reply: [
            "Thanks for checking the spam folder already. Our mail server had been refusing messages to your email provider; that is fixed now, and I've activated your account manually. You can sign in with your email address and set a password with \"Forgot password?\" on the sign-in page.",
            "Kiitos, että tarkistitte jo roskapostin. Postipalvelimemme oli hylännyt viestit sähköpostipalveluunne; vika on nyt korjattu, ja aktivoin tilinne käsin. Voitte kirjautua sähköpostiosoitteellanne ja asettaa salasanan kirjautumissivun \"Unohtuiko salasana?\" -linkistä.",
            "Dziękujemy za sprawdzenie folderu spam. Nasz serwer pocztowy odrzucał wiadomości do Państwa dostawcy poczty; usterka została usunięta, a konto aktywowaliśmy ręcznie. Można się już zalogować adresem e-mail, a hasło ustawić przez link „Nie pamiętasz hasła?” na stronie logowania.",
            "Ačiū, kad jau patikrinote šlamšto aplanką. Mūsų pašto serveris atmesdavo laiškus jūsų el. pašto paslaugų teikėjui; klaida jau ištaisyta, o jūsų paskyrą aktyvavome rankiniu būdu. Galite prisijungti savo el. pašto adresu, o slaptažodį nustatyti prisijungimo puslapyje paspaudę „Pamiršote slaptažodį?“.",
            "Salamat po at na-check n'yo na ang spam folder. Nire-reject po pala ng mail server namin ang mga email papunta sa provider ninyo; naayos na po iyon, at manual na po naming na-activate ang account ninyo. Pwede na po kayong mag-sign in gamit ang email address ninyo at mag-set ng password sa \"Forgot password?\" sa sign-in page.",
        ],
        note: "Mail to this provider bounced (SPF record on our side, fixed by IT this morning). Account activated manually.",
    },
    Scenario {
        team: BILLING,
        tags: &["billing", "double-charge"],
        weight: (6, 8),
        complaint: false,
        subject: [
            "Charged twice for order {order}",
            "Tilauksesta {order} veloitettiin kahdesti",
            "Podwójne obciążenie za zamówienie {order}",
            "Už užsakymą {order} nuskaičiuota du kartus",
            "Dalawang beses akong na-charge sa order {order}",
        ],
        body: [
            "Hello,\n\nMy bank statement shows two identical card payments for order {order}, made a minute apart. I only placed the order once. Please refund the duplicate payment.",
            "Hei,\n\ntiliotteellani näkyy kaksi samansuuruista korttimaksua tilauksesta {order} minuutin välein. Tein tilauksen vain kerran. Palauttakaa ylimääräinen veloitus.",
            "Dzień dobry,\n\nna wyciągu z konta widzę dwie identyczne płatności kartą za zamówienie {order}, wykonane w odstępie minuty. Zamówienie było złożone tylko raz. Proszę o zwrot podwójnej płatności.",
            "Laba diena,\n\nbanko išraše matau du vienodus mokėjimus kortele už užsakymą {order}, atliktus minutės skirtumu. Užsakymą pateikiau tik vieną kartą. Prašau grąžinti pasikartojantį mokėjimą.",
            "Hello po,\n\nMay nakikita po akong dalawang magkaparehong card payment para sa order {order} sa bank statement ko, isang minuto lang ang pagitan. Isang beses lang po ako nag-order. Paki-refund po ang sobrang bayad.",
        ],
        reply: [
            "Thank you for the details. I can see both payments: the first one failed on our side but was still reserved on your card. The duplicate reservation has now been cancelled, and your bank will release the amount within a few days. You don't need to do anything.",
            "Kiitos tiedoista. Näen molemmat maksut: ensimmäinen epäonnistui meidän päässämme, mutta summa jäi silti varatuksi kortillenne. Ylimääräinen varaus on nyt peruttu, ja pankkinne vapauttaa summan muutaman päivän kuluessa. Teidän ei tarvitse tehdä mitään.",
            "Dziękujemy za szczegóły. Widzimy obie płatności: pierwsza nie powiodła się po naszej stronie, ale kwota została zablokowana na karcie. Podwójna blokada została już anulowana, a bank zwolni środki w ciągu kilku dni. Nie trzeba nic więcej robić.",
            "Dėkojame už informaciją. Matome abu mokėjimus: pirmasis mūsų pusėje nepavyko, tačiau suma liko rezervuota jūsų kortelėje. Pasikartojanti rezervacija jau atšaukta, o bankas lėšas atlaisvins per kelias dienas. Jums nieko daryti nereikia.",
            "Salamat po sa detalye. Nakikita po namin ang dalawang payment: nag-fail po ang una sa aming system pero na-hold pa rin ang halaga sa card ninyo. Na-cancel na po ang sobrang hold, at ire-release ito ng bangko ninyo sa loob ng ilang araw. Wala na po kayong kailangang gawin.",
        ],
        note: "Duplicate authorisation, not a capture. Voided in the payment provider dashboard.",
    },
    Scenario {
        team: TECH,
        tags: &["technical", "app", "wifi"],
        weight: (10, 3),
        complaint: false,
        subject: [
            "Myrsky app can't find the robot on Wi-Fi",
            "Myrsky-sovellus ei löydä robottia wlanista",
            "Aplikacja Myrsky nie widzi robota w sieci Wi-Fi",
            "Programėlė Myrsky neranda roboto Wi-Fi tinkle",
            "Hindi makita ng Myrsky app ang robot sa Wi-Fi",
        ],
        body: [
            "Hi,\n\nAfter our router was replaced, the Myrsky app can no longer find the R2. I've tried resetting the robot by holding the home button, but pairing stops at \"Connecting to network\" every time. The new router is a dual-band model.",
            "Hei,\n\nreitittimemme vaihdettiin, ja sen jälkeen Myrsky-sovellus ei enää löydä R2:ta. Yritin nollata robotin pitämällä kotinappia pohjassa, mutta yhdistäminen jumittuu joka kerta kohtaan \"Yhdistetään verkkoon\". Uusi reititin on kaksitaajuinen.",
            "Dzień dobry,\n\npo wymianie routera aplikacja Myrsky nie może znaleźć robota R2. Reset robota przez przytrzymanie przycisku Home nic nie daje – parowanie za każdym razem zatrzymuje się na etapie „Łączenie z siecią”. Nowy router jest dwuzakresowy.",
            "Sveiki,\n\npakeitus maršrutizatorių, programėlė Myrsky nebegali rasti roboto R2. Robotą bandžiau atstatyti palaikius nuspaustą namų mygtuką, tačiau susiejimas kiekvieną kartą sustoja ties „Jungiamasi prie tinklo“. Naujas maršrutizatorius yra dviejų dažnių.",
            "Hi po,\n\nMula nang mapalitan ang router namin, hindi na makita ng Myrsky app ang R2. Sinubukan ko na pong i-reset ang robot sa pag-hold ng home button, pero laging tumitigil ang pairing sa \"Connecting to network\". Dual-band po ang bagong router.",
        ],
        reply: [
            "Thanks for the detailed description. The R2 only supports 2.4 GHz Wi-Fi, and new dual-band routers often use the same network name for both bands. Please enable a separate 2.4 GHz network in the router settings (or switch off 5 GHz for a moment), then pair the robot again. If it still fails, let us know and we'll go through it together on a call.",
            "Kiitos tarkasta kuvauksesta. R2 toimii vain 2,4 GHz:n wlanissa, ja uudet kaksitaajuiset reitittimet käyttävät usein samaa verkon nimeä molemmille taajuuksille. Ottakaa reitittimen asetuksista käyttöön erillinen 2,4 GHz:n verkko (tai kytkekää 5 GHz hetkeksi pois päältä) ja yhdistäkää robotti uudelleen. Jos se ei vieläkään onnistu, käydään asia läpi yhdessä puhelimessa.",
            "Dziękujemy za dokładny opis. R2 obsługuje wyłącznie sieć Wi-Fi 2,4 GHz, a nowe routery dwuzakresowe często używają tej samej nazwy sieci dla obu pasm. Prosimy włączyć w ustawieniach routera osobną sieć 2,4 GHz (albo na chwilę wyłączyć 5 GHz) i ponownie sparować robota. Jeśli nadal nie zadziała, przejdziemy przez to razem telefonicznie.",
            "Ačiū už išsamų aprašymą. R2 veikia tik 2,4 GHz Wi-Fi tinkle, o nauji dviejų dažnių maršrutizatoriai dažnai abiem dažniams naudoja tą patį tinklo pavadinimą. Maršrutizatoriaus nustatymuose įjunkite atskirą 2,4 GHz tinklą (arba trumpam išjunkite 5 GHz) ir susiekite robotą iš naujo. Jei vis tiek nepavyks, viską peržiūrėsime kartu telefonu.",
            "Salamat po sa detalyadong paliwanag. 2.4 GHz Wi-Fi lang po ang suportado ng R2, at madalas pareho ang network name ng 2.4 GHz at 5 GHz sa mga bagong dual-band router. Paki-enable po ang hiwalay na 2.4 GHz network sa router settings (o pansamantalang i-off ang 5 GHz), tapos i-pair ulit ang robot. Kung hindi pa rin gumana, sabay po nating aayusin sa isang tawag.",
        ],
        note: "Known issue with band-steering routers. If the 2.4 GHz tip doesn't help, escalate to the firmware team with the robot's serial MR2-{serial}.",
    },
];

/// How an agent opens a reply.
const GREETING: PerLang = [
    "Hi {first},",
    "Hei {first},",
    "Dzień dobry,",
    "Laba diena,",
    "Magandang araw po, {first}!",
];

/// How an agent signs a reply (not in chats).
const SIGNATURE: PerLang = [
    "Best regards,\n{agent}\nCustomer service",
    "Ystävällisin terveisin\n{agent}\nAsiakaspalvelu",
    "Pozdrawiam serdecznie\n{agent}\nDział Obsługi Klienta",
    "Pagarbiai\n{agent}\nKlientų aptarnavimo skyrius",
    "Salamat po,\n{agent}\nCustomer Service",
];

/// How a customer signs an email or web form.
const SIGN_OFF: PerLang = [
    "Kind regards,\n{name}",
    "Terveisin\n{name}",
    "Z poważaniem\n{name}",
    "Pagarbiai\n{name}",
    "Salamat po,\n{name}",
];

/// A customer writing again while waiting: a question, or a nudge.
const FOLLOW_UPS: [PerLang; 2] = [
    [
        "Thank you for the quick reply. One more thing: will I get a confirmation by email?",
        "Kiitos nopeasta vastauksesta. Vielä yksi asia: tuleeko tästä vahvistus sähköpostiin?",
        "Dziękuję za szybką odpowiedź. Jeszcze jedno pytanie: czy dostanę potwierdzenie e-mailem?",
        "Ačiū už greitą atsakymą. Dar vienas klausimas: ar gausiu patvirtinimą el. paštu?",
        "Salamat po sa mabilis na sagot. Isa pa po: makakatanggap po ba ako ng confirmation sa email?",
    ],
    [
        "Hello again – is there any news on this? I haven't heard anything for a few days.",
        "Hei taas – onko tähän asiaan kuulunut mitään uutta? En ole kuullut mitään muutamaan päivään.",
        "Dzień dobry, czy w tej sprawie jest już coś nowego? Od kilku dni nie ma żadnej informacji.",
        "Sveiki dar kartą, ar yra kokių nors naujienų? Jau kelias dienas nieko negirdėjau.",
        "Hello po ulit, may update na po ba dito? Ilang araw na po akong walang balita.",
    ],
];

/// A customer confirming that the problem is solved.
const THANKS: PerLang = [
    "Great, that worked. Thank you for your help!",
    "Kiitos, nyt toimii! Kiitos avusta.",
    "Super, wszystko działa. Dziękuję za pomoc!",
    "Puiku, viskas veikia. Labai ačiū už pagalbą!",
    "Ayos na po, gumana na. Maraming salamat po sa tulong!",
];

/// An agent's last words before solving a ticket.
const CLOSING: PerLang = [
    "I'm glad we could sort this out. If anything else comes up, just reply to this message.",
    "Hienoa, että asia saatiin kuntoon. Jos tulee vielä jotain kysyttävää, vastatkaa vain tähän viestiin.",
    "Cieszymy się, że udało się rozwiązać sprawę. Jeśli pojawią się jeszcze pytania, wystarczy odpowiedzieć na tę wiadomość.",
    "Džiaugiamės, kad pavyko išspręsti šį klausimą. Jei kiltų dar klausimų, tiesiog atsakykite į šį laišką.",
    "Natutuwa po kami na naayos na ito. Kung may iba pa po kayong tanong, mag-reply lang po sa mensaheng ito.",
];

/// Why a ticket of each team waits for a third party.
const HOLD_NOTES: [&str; 4] = [
    "On hold: waiting for the courier's investigation (usually 2–3 working days).",
    "On hold: escalated to the firmware team, waiting for their answer.",
    "On hold: waiting for the payment provider to confirm the transaction.",
    "On hold: the machine is at the service centre for inspection.",
];

/// A supervisor's remarks on tickets nobody has answered yet.
const TRIAGE_NOTES: [&str; 3] = [
    "Looks like the same problem as an earlier conversation; check the customer's other tickets before answering.",
    "The customer also called about this; please call back after 14:00 their time.",
    "Please answer today – it has been waiting since the morning.",
];

/// Values substituted into a text.
struct Vars<'a> {
    /// The customer's name to greet them by.
    first: &'a str,
    /// The customer's full name.
    name: &'a str,
    /// The agent's first name.
    agent: &'a str,
    /// An order number.
    order: &'a str,
    /// A serial or reference number.
    serial: &'a str,
    /// The customer's email address.
    email: &'a str,
}

impl Vars<'_> {
    /// `text` with its placeholders filled.
    fn fill(&self, text: &str) -> String {
        text.replace("{first}", self.first)
            .replace("{name}", self.name)
            .replace("{agent}", self.agent)
            .replace("{order}", self.order)
            .replace("{serial}", self.serial)
            .replace("{email}", self.email)
    }
}

// ---------------------------------------------------------------------------------------------
// Filling the database
// ---------------------------------------------------------------------------------------------

/// A created staff user.
struct Staff {
    /// What the app returned.
    view: AgentView,
    /// The user as an actor.
    actor: Actor,
    /// The seed it came from.
    seed: &'static StaffSeed,
}

impl Staff {
    /// The first name, for signatures.
    fn first_name(&self) -> &str {
        self.view.name.split_whitespace().next().unwrap_or("")
    }
}

/// A created customer.
struct Customer {
    /// What the app returned.
    view: CustomerView,
    /// The language they write in.
    lang: Lang,
    /// The name to greet them by.
    greet: &'static str,
}

/// Everything created before the tickets.
struct Desk {
    /// The application.
    app: App,
    /// Team ids, in the order of [`TEAMS`].
    teams: Vec<i64>,
    /// Staff, in the order of [`STAFF`].
    staff: Vec<Staff>,
    /// Customers, languages interleaved.
    customers: Vec<Customer>,
}

/// A staff user as the summary lists them.
struct StaffLine {
    /// Display name.
    name: String,
    /// Sign-in email.
    email: String,
    /// Role.
    role: Role,
    /// Team names.
    teams: Vec<String>,
    /// Languages spoken.
    languages: Vec<String>,
}

/// What the demo made.
#[derive(Default)]
struct Summary {
    /// Staff users created.
    staff: Vec<StaffLine>,
    /// Customers created.
    customers: usize,
    /// Business customers among them.
    business: usize,
    /// Tickets per status, in the order of [`Status::ALL`].
    statuses: [usize; 6],
    /// Tickets without an assignee.
    unassigned: usize,
    /// Customer messages.
    customer_messages: usize,
    /// Agent replies.
    replies: usize,
    /// Internal notes.
    notes: usize,
}

impl Summary {
    /// Prints the counts and how to go on.
    fn print(&self, place: &Place, took: std::time::Duration) {
        let tickets: usize = self.statuses.iter().sum();
        println!(
            "Demo organisation created in {} in {:.1} s.",
            place.description,
            took.as_secs_f64()
        );
        println!();
        println!("  Teams      {}: {}", TEAMS.len(), TEAMS.join(", "));
        println!(
            "  Staff      {} users; every one signs in with the password {DEMO_PASSWORD}",
            self.staff.len()
        );
        let name_width = self.staff.iter().map(|s| s.name.chars().count()).max();
        let email_width = self.staff.iter().map(|s| s.email.len()).max();
        for user in &self.staff {
            let teams = if user.teams.is_empty() {
                "sees all teams".to_string()
            } else {
                user.teams.join(", ")
            };
            println!(
                "    {:<10}  {:<name$}  {:<email$}  {} ({})",
                user.role.as_str(),
                user.name,
                user.email,
                teams,
                user.languages.join(", "),
                name = name_width.unwrap_or(0),
                email = email_width.unwrap_or(0),
            );
        }
        let languages: Vec<&str> = Lang::ALL.iter().map(|l| l.name()).collect();
        println!(
            "  Customers  {} ({} business customers), writing in {}",
            self.customers,
            self.business,
            languages.join(", ")
        );
        let by_status: Vec<String> = Status::ALL
            .iter()
            .zip(self.statuses)
            .map(|(status, count)| format!("{count} {status}"))
            .collect();
        println!(
            "  Tickets    {tickets}: {}; {} unassigned",
            by_status.join(", "),
            self.unassigned
        );
        println!(
            "  Messages   {}: {} from customers, {} agent replies, {} internal notes",
            self.customer_messages + self.replies + self.notes,
            self.customer_messages,
            self.replies,
            self.notes
        );
        println!();
        println!("Issue an API token for the admin, then start the server:");
        println!();
        println!(
            "  tiski token create {} --email {DEMO_ADMIN_EMAIL}",
            place.flags
        );
        println!("  tiski serve {}", place.flags);
    }
}

/// Refuses a database that is not fresh.
async fn check_fresh(app: &App, place: &Place) -> anyhow::Result<()> {
    let system = Actor::system();
    let tickets = app
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
async fn fill(app: &App, place: &Place, tickets: usize) -> anyhow::Result<Summary> {
    check_fresh(app, place).await?;
    let mut rng = Rng(SEED);
    let mut summary = Summary::default();
    let teams = create_teams(app).await?;
    let staff = create_staff(app, &teams, &mut summary).await?;
    let customers = create_customers(app, &mut rng, &mut summary).await?;
    let desk = Desk {
        app: app.clone(),
        teams,
        staff,
        customers,
    };
    let plans = plan_tickets(&desk, &mut rng, tickets);
    for (number, plan) in plans.iter().enumerate() {
        desk.create_ticket(plan, &mut summary)
            .await
            .with_context(|| format!("cannot create demo ticket {} of {tickets}", number + 1))?;
    }
    Ok(summary)
}

/// Creates the teams, reusing one of the same name (a fresh install may already have some).
async fn create_teams(app: &App) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(TEAMS.len());
    for name in TEAMS {
        let (team, _) = app
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

/// How a ticket gets its assignee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assign {
    /// Nobody works it yet, or the team shares it.
    Nobody,
    /// Routed to the agent when it is created.
    AtCreate,
    /// The agent takes it before answering.
    Takes,
}

/// Everything decided about one ticket before it is made.
struct Plan {
    /// Index into the desk's customers.
    customer: usize,
    /// Index into [`SCENARIOS`].
    scenario: usize,
    /// Index into the desk's staff: the agent who works it.
    worker: usize,
    /// Index into the desk's staff: the supervisor of its team.
    lead: usize,
    /// Index into the desk's staff: the supervisor of Orders, who moves misrouted tickets.
    orders_lead: usize,
    /// Where it came from.
    channel: Channel,
    /// How urgent it is.
    priority: Priority,
    /// Its tags.
    tags: Vec<String>,
    /// The status it ends in.
    status: Status,
    /// How it is assigned.
    assign: Assign,
    /// Whether it first lands in Orders and is moved to its team.
    misrouted: bool,
    /// An order number.
    order: String,
    /// A serial or reference number.
    serial: String,
    /// Whether the agent leaves an internal note.
    note: bool,
    /// Whether a supervisor escalates it.
    escalate: bool,
    /// A supervisor's remark on a new ticket.
    triage: Option<&'static str>,
    /// A customer's follow-up, by index into [`FOLLOW_UPS`].
    follow_up: Option<usize>,
    /// Whether the agent writes a closing reply before solving.
    closing: bool,
}

/// Decides every ticket up front, so that the content never depends on timing.
fn plan_tickets(desk: &Desk, rng: &mut Rng, count: usize) -> Vec<Plan> {
    // The first six tickets take every status once, in a shuffled order, so that even a small
    // demo shows them all.
    let mut first_statuses: Vec<Status> = Status::ALL.to_vec();
    for i in (1..first_statuses.len()).rev() {
        first_statuses.swap(i, rng.below(i + 1));
    }
    let lead_of = |team: usize| {
        desk.staff
            .iter()
            .position(|s| s.seed.leads == Some(team))
            .unwrap_or(0)
    };
    (0..count)
        .map(|number| {
            // Some customers write much more often than others.
            let customer = ((desk.customers.len() as f64) * rng.unit().powf(1.7)) as usize;
            let customer = customer.min(desk.customers.len() - 1);
            let business = desk.customers[customer].view.organization.is_some();
            let lang = desk.customers[customer].lang;
            let weights: Vec<u32> = SCENARIOS
                .iter()
                .map(|s| if business { s.weight.1 } else { s.weight.0 })
                .collect();
            let scenario = rng.weighted(&weights);
            let team = SCENARIOS[scenario].team;
            let status = first_statuses
                .get(number)
                .copied()
                .unwrap_or_else(|| Status::ALL[rng.weighted(&[14, 20, 14, 7, 17, 28])]);
            let channel = [
                Channel::Email,
                Channel::Chat,
                Channel::Phone,
                Channel::Web,
                Channel::Desk,
                Channel::Api,
            ][rng.weighted(&[36, 16, 14, 20, 4, 10])];
            // The agent: a member of the team who speaks the customer's language; agents more
            // often than supervisors.
            let candidates: Vec<usize> = desk
                .staff
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    s.seed.teams.contains(&team) && s.seed.languages.contains(&lang.code())
                })
                .map(|(i, _)| i)
                .collect();
            let weights: Vec<u32> = candidates
                .iter()
                .map(|i| match desk.staff[*i].seed.role {
                    Role::Agent => 3,
                    _ => 1,
                })
                .collect();
            let worker = candidates
                .get(rng.weighted(&weights))
                .copied()
                .unwrap_or_else(|| lead_of(team));
            let complaint = SCENARIOS[scenario].complaint;
            let mut priority = rng.weighted(&[12, 58, 22, 8]);
            if complaint {
                priority = (priority + 1).min(3);
            }
            let mut tags: Vec<String> = SCENARIOS[scenario]
                .tags
                .iter()
                .map(|t| t.to_string())
                .collect();
            if business && rng.chance(0.6) {
                tags.push("vip".into());
            }
            if business {
                tags.push("business".into());
            }
            let by_agent = matches!(channel, Channel::Phone | Channel::Desk);
            let misrouted = !by_agent && team != ORDERS && rng.chance(0.07);
            let assign = match (status, by_agent) {
                (Status::New, _) if rng.chance(0.7) => Assign::Nobody,
                (Status::New, true) => Assign::AtCreate,
                (Status::New, false) if misrouted => Assign::Nobody,
                (Status::New, false) => Assign::AtCreate,
                (_, _) if rng.chance(0.12) => Assign::Nobody,
                (_, true) => Assign::AtCreate,
                (_, false) if !misrouted && rng.chance(0.5) => Assign::AtCreate,
                (_, false) => Assign::Takes,
            };
            let triage =
                (status == Status::New && rng.chance(0.25)).then(|| *rng.pick(&TRIAGE_NOTES));
            let follow_up = match status {
                Status::New => rng.chance(0.3).then_some(1),
                Status::Open => rng.chance(0.6).then(|| rng.below(FOLLOW_UPS.len())),
                _ => None,
            };
            Plan {
                customer,
                scenario,
                worker,
                lead: lead_of(team),
                orders_lead: lead_of(ORDERS),
                channel,
                priority: Priority::ALL[priority],
                tags,
                status,
                assign,
                misrouted,
                order: format!("TS-{}", 100_000 + rng.below(900_000)),
                serial: rng.digits(6),
                note: rng.chance(0.4),
                escalate: complaint && status != Status::New && rng.chance(0.5),
                triage,
                follow_up,
                closing: rng.chance(0.5),
            }
        })
        .collect()
}

impl Desk {
    /// Creates one ticket and takes it through its conversation to its planned status.
    async fn create_ticket(&self, plan: &Plan, summary: &mut Summary) -> anyhow::Result<()> {
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
                let body = vars.fill(FOLLOW_UPS[index][lang]);
                self.customer_says(id, body, customer_channel).await?;
                summary.customer_messages += 1;
            }
            if let Some(note) = plan.triage {
                self.agent_says(&lead.actor, id, note.into(), MessageKind::Note, None)
                    .await?;
                summary.notes += 1;
            }
            summary.statuses[0] += 1;
            summary.unassigned += usize::from(plan.assign == Assign::Nobody);
            return Ok(());
        }
        if plan.assign == Assign::Takes {
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
        self.agent_says(&worker.actor, id, reply, MessageKind::Reply, reply_channel)
            .await?;
        summary.replies += 1;
        if plan.note {
            let note = vars.fill(scenario.note);
            self.agent_says(&worker.actor, id, note, MessageKind::Note, None)
                .await?;
            summary.notes += 1;
        }
        if plan.escalate {
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
                    let body = vars.fill(FOLLOW_UPS[index][lang]);
                    self.customer_says(id, body, customer_channel).await?;
                    summary.customer_messages += 1;
                }
            }
            Status::Pending => {
                self.set_status(&worker.actor, id, Status::Pending).await?;
            }
            Status::OnHold => {
                let note = HOLD_NOTES[scenario.team].to_string();
                self.agent_says(&worker.actor, id, note, MessageKind::Note, None)
                    .await?;
                summary.notes += 1;
                self.set_status(&worker.actor, id, Status::OnHold).await?;
            }
            Status::Solved | Status::Closed => {
                let body = vars.fill(THANKS[lang]);
                self.customer_says(id, body, customer_channel).await?;
                summary.customer_messages += 1;
                if plan.closing {
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
                self.set_status(&worker.actor, id, Status::Solved).await?;
                if plan.status == Status::Closed {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
