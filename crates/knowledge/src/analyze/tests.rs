use super::*;

fn one(word: &str, language: Language) -> String {
    let terms = analyse(word, language);
    assert_eq!(terms.len(), 1, "{word}: {terms:?}");
    terms[0].clone()
}

fn same(language: Language, forms: &[&str]) {
    let first = one(forms[0], language);
    for f in &forms[1..] {
        assert_eq!(one(f, language), first, "{f} against {}", forms[0]);
    }
}

#[test]
fn finnish_inflected_forms_meet() {
    same(
        Language::Finnish,
        &[
            "toimitusaika",
            "toimitusajat",
            "toimitusaikaa",
            "toimitusajan",
        ],
    );
    same(
        Language::Finnish,
        &["palautus", "palautuksen", "palautukset"],
    );
    same(Language::Finnish, &["tilaus", "tilaukseni", "tilauksen"]);
    same(Language::Finnish, &["tapa", "tavat"]);
    assert_ne!(
        one("tilaus", Language::Finnish),
        one("toimitus", Language::Finnish)
    );
}

#[test]
fn english_plurals_and_verb_forms_meet() {
    same(Language::English, &["delivery", "deliveries"]);
    same(
        Language::English,
        &["refund", "refunds", "refunded", "refunding"],
    );
    same(Language::English, &["box", "boxes"]);
}

#[test]
fn lithuanian_forms_meet() {
    same(
        Language::Lithuanian,
        &["grąžinimas", "grąžinti", "grąžinimo"],
    );
    same(Language::Lithuanian, &["užsakymas", "užsakymo", "užsakymą"]);
    same(Language::Lithuanian, &["prekė", "prekės", "prekių"]);
}

#[test]
fn polish_forms_meet() {
    same(
        Language::Polish,
        &["zamówienie", "zamówienia", "zamówień", "zamówieniu"],
    );
    same(Language::Polish, &["przesyłka", "przesyłki", "przesyłkę"]);
    same(Language::Polish, &["zwrot", "zwrotu", "zwrotem"]);
}

#[test]
fn tagalog_affixes_and_reduplication_come_off() {
    same(
        Language::Tagalog,
        &["bili", "bumili", "binili", "bibili", "pagbili", "bilihin"],
    );
}

#[test]
fn diacritics_and_case_fold_after_stemming() {
    assert_eq!(fold("ŁÓDŹ".to_lowercase().as_str()), "lodz");
    assert_eq!(fold("straße"), "strasse");
    assert_eq!(fold("niño"), "nino");
    assert_eq!(
        one("PÄIVITYS", Language::Finnish),
        one("paivitys", Language::Finnish)
    );
    assert_eq!(
        one("przesyłka", Language::Polish),
        one("przesylka", Language::Polish)
    );
    assert_eq!(words("İstanbul ΣΟΦΊΑ"), vec!["i̇stanbul", "σοφία"]);
    assert_eq!(
        analyse("ＦＵＬＬ width", Language::Neutral),
        vec!["full", "width"]
    );
}

#[test]
fn fts_syntax_is_only_a_separator() {
    assert_eq!(
        analyse(r#"refund" OR * NEAR(a:b) col:x -y ^z"#, Language::Neutral),
        vec!["refund", "or", "near", "a", "b", "col", "x", "y", "z"]
    );
    assert!(analyse("\"*:()^-+", Language::English).is_empty());
    assert!(words("").is_empty());
}

#[test]
fn stop_words_drop_in_their_language_only() {
    assert_eq!(
        analyse("the box is on the table", Language::English),
        vec!["box", "tabl"]
    );
    assert_eq!(analyse("the", Language::Neutral), vec!["the"]);
    let q = query_terms("on the refund", None);
    assert_eq!(q.len(), 1, "{q:?}");
    assert!(q[0].terms.contains("refund"));
    assert_eq!(query_terms("the", None).len(), 1);
}

#[test]
fn query_words_carry_every_language_and_the_neutral_form() {
    let q = query_terms("Toimitusajat", None);
    assert_eq!(q[0].word, "toimitusajat");
    assert!(q[0].terms.contains("toimitusajat"), "{q:?}");
    assert!(
        q[0].terms
            .contains(&one("toimitusaikaa", Language::Finnish))
    );
    let q = query_terms("deliveries deliveries", Some(Language::English));
    assert_eq!(q.len(), 1);
    assert_eq!(
        q[0].terms,
        ["deliveri", "deliveries"]
            .map(String::from)
            .into_iter()
            .collect()
    );
}

#[test]
fn language_from_tag() {
    assert_eq!(Language::from_tag(Some("fi")), Language::Finnish);
    assert_eq!(Language::from_tag(Some("en-GB")), Language::English);
    assert_eq!(Language::from_tag(Some("PL_pl")), Language::Polish);
    assert_eq!(Language::from_tag(Some("fil")), Language::Tagalog);
    assert_eq!(Language::from_tag(Some("de")), Language::Neutral);
    assert_eq!(Language::from_tag(None), Language::Neutral);
    assert_eq!(Language::Neutral.tag(), "und");
}

#[test]
fn long_runs_and_digits_are_kept_bounded() {
    let long = "x".repeat(500);
    assert_eq!(words(&long)[0].chars().count(), MAX_WORD_CHARS);
    assert_eq!(
        analyse("order 12345", Language::English),
        vec!["order", "12345"]
    );
}

#[test]
fn naughty_strings_never_panic() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.txt"
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut lines = 0;
    for line in text.lines() {
        lines += 1;
        for l in Language::STEMMED.iter().chain([&Language::Neutral]) {
            let _ = analyse(line, *l);
            let _ = query_terms(line, Some(*l));
        }
        let _ = query_terms(line, None);
    }
    assert!(
        lines > 100,
        "the naughty strings beside the repository: {path}"
    );
}
