//! Search (issue 11), second slice: articles in the one search (`type=article` and every
//! kind), filters and sort on `/api/v1/search`, phrase and prefix queries, an English query
//! finding the Finnish article through its translation, the widened language detection on new
//! tickets, and bad input on every new parameter (naughty strings: never a server error).

use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_testkit::{TestApp, assert_problem};

async fn settle(test: &TestApp) {
    for _ in 0..200 {
        if test.app.knowledge.index(500).await.expect("an index step") == 0 {
            return;
        }
    }
    panic!("the indexer never caught up");
}

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn search(test: &TestApp, query: &str) -> Vec<Value> {
    let (status, body) = test
        .get(&format!("/api/v1/search?{query}"), &test.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body["items"].as_array().cloned().unwrap_or_default()
}

fn ids(items: &[Value], kind: &str) -> Vec<i64> {
    let field = format!("{kind}_id");
    items
        .iter()
        .filter(|i| i["type"] == kind)
        .filter_map(|i| i[field.as_str()].as_i64())
        .collect()
}

async fn article(test: &TestApp, body: Value) -> i64 {
    let (status, created) = test.post("/api/v1/kb/articles", &test.admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().expect("an id")
}

async fn open(test: &TestApp, team: i64, subject: &str, body: &str, extra: Value) -> Value {
    let mut ticket = json!({"subject": subject, "requester": {"email": format!("q{}@example.com", subject.len())},
                            "team_id": team, "message": {"body": body}});
    if let (Some(t), Some(e)) = (ticket.as_object_mut(), extra.as_object()) {
        t.extend(e.clone());
    }
    test.ticket(&test.admin, ticket).await
}

const PARCEL_FI: &str = "Pakettien toimitus kestää yleensä kolme arkipäivää.\n\n## Palautukset\nPalauta tuote 30 päivän kuluessa, niin saat rahat takaisin.\n";
const PARCEL_EN: &str = "Parcel delivery usually takes three working days.\n\n## Returns\nReturn the product within 30 days for a refund of your money.\n";

#[tokio::test]
async fn articles_are_hits_of_the_one_search_and_answer_across_languages() {
    let test = TestApp::spawn().await;
    let en = article(
        &test,
        json!({"title": "Delivery and returns", "body": PARCEL_EN, "language": "en", "visibility": "public"}),
    )
    .await;
    let fi = article(
        &test,
        json!({"title": "Toimitus ja palautukset", "body": PARCEL_FI, "language": "fi",
               "visibility": "internal", "translation_of": en}),
    )
    .await;

    let every = search(&test, "q=refund+money").await;
    assert_eq!(ids(&every, "article"), vec![en], "{every:?}");
    let hit = every
        .iter()
        .find(|i| i["type"] == "article")
        .expect("a hit");
    assert_eq!(hit["section"], "Returns");
    assert!(
        hit["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("<mark>refund</mark>")),
        "{hit}"
    );
    assert_eq!(
        ids(
            &search(&test, "q=refund+money&type=article").await,
            "article"
        ),
        vec![en]
    );
    assert!(
        ids(
            &search(&test, "q=refund+money&type=ticket").await,
            "article"
        )
        .is_empty()
    );
    // Inflected Finnish finds the Finnish article itself.
    assert_eq!(
        ids(&search(&test, "q=palautuksen").await, "article"),
        vec![fi]
    );

    // An English query with the customer's language answers the Finnish translation, in
    // both searches; a language with no translation answers nothing.
    let through = search(&test, "q=refund+money&type=article&language=fi").await;
    assert_eq!(ids(&through, "article"), vec![fi], "{through:?}");
    let (status, kb) = test
        .get(
            "/api/v1/kb/search?q=refund%20money&language=fi",
            &test.admin,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{kb}");
    assert_eq!(kb["items"][0]["article_id"], fi, "{kb}");
    assert!(
        search(&test, "q=refund+money&type=article&language=pl")
            .await
            .is_empty()
    );
    // Nothing answers an unrelated query.
    assert!(
        search(&test, "q=zebrafish+aquarium&type=article")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn filters_and_date_order_narrow_the_ticket_hits() {
    let test = TestApp::spawn().await;
    let a = test.team("Alpha").await;
    let b = test.team("Beta").await;
    let first = open(
        &test,
        a,
        "Kettle one",
        "The kettle leaks water everywhere.",
        json!({"channel": "email"}),
    )
    .await;
    test.advance(std::time::Duration::from_secs(3600));
    let middle = tiski_kernel::time::format(test.app.kernel.now());
    let second = open(
        &test,
        b,
        "Kettle two",
        "My kettle leaks water.",
        json!({"priority": "high"}),
    )
    .await;
    let fi = open(
        &test,
        a,
        "Vedenkeitin vuotaa",
        "Hei, uusi vedenkeitin vuotaa vettä pöydälle joka kerta.",
        json!({}),
    )
    .await;
    settle(&test).await;
    let (first, second, fi) = (
        first["id"].as_i64().expect("id"),
        second["id"].as_i64().expect("id"),
        fi["id"].as_i64().expect("id"),
    );
    assert_eq!(
        test.get(&format!("/api/v1/tickets/{fi}"), &test.admin)
            .await
            .1["language"],
        "fi"
    );

    let ticket_ids = |items: Vec<Value>| ids(&items, "ticket");
    let mut both = ticket_ids(search(&test, "q=kettle+leaks").await);
    both.sort_unstable();
    assert_eq!(both, vec![first, second]);
    assert_eq!(
        ticket_ids(search(&test, &format!("q=kettle&team_id={a}")).await),
        vec![first]
    );
    assert_eq!(
        ticket_ids(search(&test, "q=kettle&channel=email").await),
        vec![first]
    );
    assert_eq!(
        ticket_ids(search(&test, "q=kettle&status=solved,closed").await),
        Vec::<i64>::new()
    );
    assert_eq!(
        ticket_ids(search(&test, "q=kettle&status=new,open").await).len(),
        2
    );
    assert_eq!(
        ticket_ids(search(&test, &format!("q=kettle&created_from={}", encode(&middle))).await),
        vec![second]
    );
    assert_eq!(
        ticket_ids(
            search(
                &test,
                &format!("q=kettle&created_before={}", encode(&middle))
            )
            .await
        ),
        vec![first]
    );
    assert_eq!(
        ticket_ids(search(&test, "q=vedenkeitin&language=fi").await),
        vec![fi]
    );
    assert!(ticket_ids(search(&test, "q=kettle&language=fi").await).is_empty());
    assert_eq!(
        ticket_ids(search(&test, "q=kettle&sort=date").await),
        vec![second, first]
    );
    // A ticket-only filter leaves customers and articles out of an answer of every kind.
    let filtered = search(&test, &format!("q=kettle&team_id={b}")).await;
    assert!(
        filtered.iter().all(|i| i["type"] == "ticket"),
        "{filtered:?}"
    );
}

#[tokio::test]
async fn phrases_need_their_words_in_order_and_a_star_is_a_prefix() {
    let test = TestApp::spawn().await;
    let team = test.team("Desk").await;
    let ordered = open(
        &test,
        team,
        "Question",
        "When is the delivery time for blue sofas?",
        json!({}),
    )
    .await;
    let reversed = open(
        &test,
        team,
        "Other question",
        "Delivery of sofas: at what time?",
        json!({}),
    )
    .await;
    settle(&test).await;
    let (ordered, reversed) = (
        ordered["id"].as_i64().expect("id"),
        reversed["id"].as_i64().expect("id"),
    );
    let mut loose = ids(
        &search(&test, "q=delivery+time&type=ticket").await,
        "ticket",
    );
    loose.sort_unstable();
    assert_eq!(loose, vec![ordered, reversed]);
    let phrase = search(
        &test,
        &format!("q={}&type=ticket", encode("\"delivery time\"")),
    )
    .await;
    assert_eq!(ids(&phrase, "ticket"), vec![ordered]);
    let phrase = search(
        &test,
        &format!("q={}&type=ticket", encode("\"time delivery\"")),
    )
    .await;
    assert!(phrase.is_empty(), "{phrase:?}");
    // Stop words left out on both sides: "delivery the time" is still the phrase.
    assert_eq!(
        ids(
            &search(&test, &format!("q={}", encode("\"delivery the time\""))).await,
            "ticket"
        ),
        vec![ordered]
    );
    assert_eq!(
        ids(
            &search(&test, &format!("q={}", encode("sof*"))).await,
            "ticket"
        )
        .len(),
        2
    );
    assert!(
        search(&test, "q=sof").await.is_empty(),
        "without a star a part of a word is no word"
    );
    assert_eq!(
        ids(
            &search(&test, &format!("q={}", encode("blu* sof*"))).await,
            "ticket"
        ),
        vec![ordered]
    );
}

#[tokio::test]
async fn new_tickets_get_the_widened_language_or_none() {
    let test = TestApp::spawn().await;
    let team = test.team("Desk").await;
    let german = open(&test, team, "Bestellung", "Guten Tag, meine Bestellung ist noch nicht angekommen. Können Sie bitte nachsehen, wo sie ist?", json!({})).await;
    assert_eq!(german["language"], "de", "German mail is no longer English");
    let short = open(&test, team, "Hi", "ok thanks", json!({})).await;
    assert!(short["language"].is_null(), "{short}");
    settle(&test).await;
    // A German ticket is analysed neutrally: its words are still found as written.
    assert_eq!(
        ids(&search(&test, "q=Bestellung").await, "ticket"),
        vec![german["id"].as_i64().expect("id")]
    );
}

#[tokio::test]
async fn bad_filters_are_refused_by_field_and_naughty_strings_never_fail() {
    let test = TestApp::spawn().await;
    for (query, field) in [
        ("q=x&status=nope", "status"),
        ("q=x&status=,", "status"),
        ("q=x&language=%27%3B", "language"),
        ("q=x&channel=pigeon", "channel"),
        ("q=x&created_from=yesterday", "created_from"),
        ("q=x&created_before=2026-13-01", "created_before"),
        ("q=x&sort=best", "sort"),
    ] {
        assert_problem(
            &test
                .get(&format!("/api/v1/search?{query}"), &test.admin)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(field),
        );
    }
    assert_problem(
        &test
            .get("/api/v1/search?q=x&team_id=abc", &test.admin)
            .await,
        StatusCode::BAD_REQUEST,
        Some("team_id"),
    );
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora/security/blns/blns.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let strings: Vec<String> = serde_json::from_str(&text).expect("a list of strings");
    for s in &strings {
        let v = encode(s);
        for query in [
            format!("q={v}*"),
            format!("q=%22{v}%22"),
            format!("q=x&status={v}"),
            format!("q=x&language={v}"),
            format!("q=x&channel={v}"),
            format!("q=x&created_from={v}"),
            format!("q=x&sort={v}"),
        ] {
            let (status, body) = test
                .get(&format!("/api/v1/search?{query}"), &test.admin)
                .await;
            assert!(
                status == StatusCode::OK
                    || status == StatusCode::UNPROCESSABLE_ENTITY
                    || status == StatusCode::BAD_REQUEST,
                "{query}: {status} {body}"
            );
        }
        let (status, body) = test
            .get(&format!("/api/v1/kb/search?q={v}&language=en"), &test.admin)
            .await;
        assert!(
            status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{s:?}: {status} {body}"
        );
    }
}

#[tokio::test]
async fn misspelt_words_of_five_letters_or_more_still_find() {
    let test = TestApp::spawn().await;
    let team = test.team("Desk").await;
    let kettle = open(
        &test,
        team,
        "Refund",
        "I want a refund for the kettle replacement, and the lamp.",
        json!({}),
    )
    .await;
    let kettle = kettle["id"].as_i64().expect("id");
    let fi = open(
        &test,
        team,
        "Toimitus",
        "Hei, milloin toimitusajat muuttuvat? Odotan pakettia.",
        json!({}),
    )
    .await;
    let fi = fi["id"].as_i64().expect("id");
    article(
        &test,
        json!({"title": "Warranty", "body": "The warranty covers manufacturing defects for two years.", "language": "en", "visibility": "public"}),
    )
    .await;
    settle(&test).await;
    let tickets = |items: Vec<Value>| ids(&items, "ticket");
    for q in ["refnud", "kettel", "replacemnet", "replasment"] {
        assert_eq!(
            tickets(search(&test, &format!("q={q}")).await),
            vec![kettle],
            "{q}"
        );
    }
    assert_eq!(
        tickets(search(&test, "q=toimitusajta").await),
        vec![fi],
        "two letters swapped in a long word"
    );
    // Four letters: no tolerance. Three edits in a long word: too far.
    assert!(search(&test, "q=lmap").await.is_empty());
    assert!(search(&test, "q=raplesmant").await.is_empty());
    // An exact word is not widened: "lamp" does not find "lame" or the like, and the article
    // search forgives typos too.
    assert_eq!(
        ids(
            &search(&test, "q=waranty+defetcs&type=article").await,
            "article"
        )
        .len(),
        1
    );

    // A misspelt customer's name finds them; once erased, no vocabulary term of theirs
    // widens a query any more.
    let (status, customer) = test
        .post(
            "/api/v1/customers",
            &test.admin,
            json!({"name": "Wojciechowski Zbigniew", "emails": ["wz@example.com"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let id = customer["id"].as_i64().expect("id");
    settle(&test).await;
    assert_eq!(
        ids(&search(&test, "q=wojciechowsky").await, "customer"),
        vec![id]
    );
    let (status, body) = test
        .post(
            &format!("/api/v1/customers/{id}/erase"),
            &test.admin,
            json!({"confirm": id}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    settle(&test).await;
    assert!(search(&test, "q=wojciechowsky").await.is_empty());
    assert!(search(&test, "q=wojciechowski").await.is_empty());
}
