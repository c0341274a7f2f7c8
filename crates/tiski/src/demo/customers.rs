//! The demo customers: who they are and how their addresses are made.
//!
//! Twelve customers per language, the notes staff keep on some of them, and the helpers that
//! turn a name into a plain ASCII email address. Kept apart from the staff because it is the
//! bulk of the people data.

use super::rng::Rng;

/// A demo customer: name, the name to greet them by, their company (name and email domain)
/// and a time zone other than their language's usual one.
type CustomerSeed = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
    Option<&'static str>,
);

/// Twelve customers per language, in the order of [`Lang::ALL`].
///
/// [`Lang::ALL`]: super::people::Lang::ALL
pub(super) const CUSTOMERS: [[CustomerSeed; 12]; 5] = [
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
pub(super) const CUSTOMER_NOTES: [&str; 5] = [
    "Prefers a phone call in the afternoon (their time).",
    "Long-standing customer, first order in 2019.",
    "Asked not to receive marketing email.",
    "Prefers email over phone: hard of hearing.",
    "Owns two Myrsky R2 robots and a Kuura K7.",
];

/// Lower-case ASCII letters and digits of a name, words separated by spaces.
pub(super) fn ascii_fold(text: &str) -> String {
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
pub(super) fn private_email(name: &str, rng: &mut Rng) -> String {
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
