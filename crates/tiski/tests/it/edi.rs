//! EDI intake through the API: an X12 850 and an EDIFACT ORDERS become orders of the
//! partner's customer with their acknowledgements queued; refused interchanges are kept raw
//! with the reason and answered; bad input never answers 5xx.

use crate::commerce_kit::{client_error, customer, naughty_strings};
use crate::edi_kit::{corpus_partners, item, partner, sample, upload};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tiski_domain::Role;
use tiski_testkit::{TestApp, assert_problem};

fn ack<'a>(interchange: &'a Value, kind: &str) -> &'a str {
    interchange["acknowledgements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {interchange}"))["body"]
        .as_str()
        .unwrap()
}

#[tokio::test]
async fn an_850_becomes_an_order_with_its_997_and_855_queued() {
    let test = TestApp::spawn().await;
    let customer_id = customer(&test, &test.admin).await;
    corpus_partners(&test, customer_id).await;
    let (_, agent) = test.user(Role::Agent, &[]).await;
    let raw = sample("node-x12/850.edi");
    let (status, body) = upload(&test, &agent, "application/edi-x12", raw.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let order = &body["orders"][0];
    assert_eq!(body["orders"].as_array().unwrap().len(), 1);
    assert_eq!(order["customer_id"], customer_id);
    assert_eq!(order["channel"], "edi");
    assert_eq!(order["status"], "placed");
    assert_eq!(order["currency"], "USD");
    assert_eq!(order["source_reference"], "08292233294");
    let skus: Vec<&str> = order["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["sku"].as_str().unwrap())
        .collect();
    assert_eq!(
        skus,
        ["WIDGET-S", "RD5322", "XY5266", "VX2332", "RV0524", "DX1875"]
    );
    assert_eq!(order["lines"][0]["quantity"], 120);
    let interchange = &body["interchange"];
    assert_eq!(interchange["state"], "accepted", "{interchange}");
    assert_eq!(interchange["sender_id"], "4405197800");
    assert_eq!(order["source_interchange_id"], interchange["id"]);
    let fa = ack(interchange, "997");
    assert!(
        fa.starts_with("ISA*00*          *00*          *01*999999999      *12*4405197800     *"),
        "{fa}"
    );
    assert!(
        fa.contains("AK1*PO*1421~")
            && fa.contains("AK2*850*000000010~")
            && fa.contains("AK5*A~")
            && fa.contains("AK9*A*1*1*1~"),
        "{fa}"
    );
    let po = ack(interchange, "855");
    let order_id = order["id"].as_i64().unwrap();
    assert!(
        po.contains(&format!("BAK*00*AD*08292233294*20101127****{order_id}~")),
        "{po}"
    );
    assert_eq!(po.matches("ACK*IA*").count(), 6, "{po}");

    // Kept raw, linked from the order, listed; the order is the uploader's to read.
    let id = interchange["id"].as_i64().unwrap();
    let (status, kept) = test
        .get(&format!("/api/v1/edi/interchanges/{id}"), &agent)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kept["raw"].as_str().unwrap().as_bytes(), raw.as_slice());
    assert_eq!(kept["acknowledgements"][0]["state"], "queued");
    let (_, list) = test.get("/api/v1/edi/interchanges", &agent).await;
    assert_eq!(list["items"][0]["id"], id);
    assert!(list["items"][0]["raw"].is_null());
    let (status, _) = test
        .get(&format!("/api/v1/orders/{order_id}"), &agent)
        .await;
    assert_eq!(status, StatusCode::OK);
    // Another agent sees neither the interchange nor the order.
    let (_, other) = test.user(Role::Agent, &[]).await;
    let (status, _) = test
        .get(&format!("/api/v1/edi/interchanges/{id}"), &other)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = test.get("/api/v1/edi/interchanges", &other).await;
    assert_eq!(list["items"], json!([]));

    let (_, events) = test.get("/api/v1/events?limit=200", &test.admin).await;
    let types: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    for t in [
        "edi_partner.created",
        "edi_interchange.received",
        "order.created",
        "edi_interchange.accepted",
    ] {
        assert!(types.contains(&t), "{t} in {types:?}");
    }
}

#[tokio::test]
async fn an_edifact_orders_gets_contrl_and_ordrsp() {
    let test = TestApp::spawn().await;
    let customer_id = customer(&test, &test.admin).await;
    corpus_partners(&test, customer_id).await;
    let (status, body) = upload(
        &test,
        &test.admin,
        "application/edifact",
        sample("smooks/ORDERS_D.03B_Interchange.edi"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let order = &body["orders"][0];
    assert_eq!(order["currency"], "EUR");
    assert_eq!(order["source_reference"], "BKOD99");
    assert_eq!(order["lines"].as_array().unwrap().len(), 4);
    assert_eq!(order["lines"][0]["quantity"], 25);
    let contrl = ack(&body["interchange"], "CONTRL");
    assert!(
        contrl.contains("UCI+6002+APPLICATION:1+COMPANY:1+7'"),
        "{contrl}"
    );
    assert!(
        contrl.contains("UCM+SSDD1+ORDERS:D:03B:UN:EAN008+7'"),
        "{contrl}"
    );
    let rsp = ack(&body["interchange"], "ORDRSP");
    assert!(
        rsp.contains(&format!("BGM+231+{}+29'", order["id"])) && rsp.contains("RFF+ON:BKOD99'"),
        "{rsp}"
    );
    assert_eq!(rsp.matches("LIN+").count(), 4, "{rsp}");
}

#[tokio::test]
async fn refused_interchanges_are_kept_and_answered_naming_the_segment() {
    let test = TestApp::spawn().await;
    let customer_id = customer(&test, &test.admin).await;
    corpus_partners(&test, customer_id).await;
    let good = String::from_utf8(sample("node-x12/850.edi")).unwrap();

    // Unknown sender: a TA1 refusing the interchange (006).
    let stranger = good.replace("*12*4405197800     *", "*12*9999999999     *");
    let answer = upload(
        &test,
        &test.admin,
        "application/edi-x12",
        stranger.clone().into_bytes(),
    )
    .await;
    assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("ISA/06"));
    assert_eq!(answer.1["code"], "edi_refused");
    let kept = &answer.1["interchange"];
    assert_eq!(
        (kept["state"].as_str(), kept["reason_code"].as_str()),
        (Some("rejected"), Some("unknown_partner"))
    );
    assert!(ack(kept, "TA1").contains("TA1*000003438*101127*1719*R*006~"));
    let id = answer.1["interchange_id"].as_i64().unwrap();
    let (_, stored) = test
        .get(&format!("/api/v1/edi/interchanges/{id}"), &test.admin)
        .await;
    assert_eq!(stored["raw"], stranger.as_str());

    // A wrong segment count: the 997 rejects the set (AK5 R 4) and the group.
    let miscounted = good.replace("SE*33*000000010", "SE*34*000000010");
    let answer = upload(
        &test,
        &test.admin,
        "application/edi-x12",
        miscounted.into_bytes(),
    )
    .await;
    assert_problem(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("ST[1]/SE/01"),
    );
    let fa = ack(&answer.1["interchange"], "997");
    assert!(
        fa.contains("AK5*R*4~") && fa.contains("AK9*R*1*1*0~"),
        "{fa}"
    );

    // A truncated envelope, a wrong IEA count.
    let cut = &good[..good.find("SE*33").unwrap()];
    let answer = upload(
        &test,
        &test.admin,
        "application/edi-x12",
        cut.as_bytes().to_vec(),
    )
    .await;
    assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("IEA"));
    assert!(ack(&answer.1["interchange"], "TA1").contains("*R*023~"));
    let answer = upload(
        &test,
        &test.admin,
        "application/edi-x12",
        good.replace("IEA*1*", "IEA*2*").into_bytes(),
    )
    .await;
    assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("IEA/01"));

    // Unreadable: kept, no acknowledgement.
    let answer = upload(
        &test,
        &test.admin,
        "application/edi-x12",
        b"ISA*00*hello".to_vec(),
    )
    .await;
    assert_problem(&answer, StatusCode::UNPROCESSABLE_ENTITY, Some("ISA"));
    assert_eq!(answer.1["interchange"]["acknowledgements"], json!([]));

    // Not a purchase order: refused as unsupported (AK5 R 1).
    let answer = upload(
        &test,
        &test.admin,
        "application/edi-x12",
        sample("node-x12/855.edi"),
    )
    .await;
    client_error(&answer, "855");
    // The unknown sender of the 855 is named first.
    assert_eq!(answer.1["field"], "ISA/06");

    // A line with an unknown SKU: the order takes the rest, the 855 says so.
    let one_off = good.replace("VN*RD5322", "VN*NO-SUCH");
    let (status, body) = upload(
        &test,
        &test.admin,
        "application/edi-x12",
        one_off.into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["interchange"]["state"], "partial");
    assert_eq!(body["interchange"]["reason_path"], "ST[1]/PO1[2]");
    assert_eq!(body["orders"][0]["lines"].as_array().unwrap().len(), 5);
    let po = ack(&body["interchange"], "855");
    assert!(
        po.contains("*AC*08292233294*") && po.contains("ACK*IR*0*EA~"),
        "{po}"
    );

    let (_, list) = test
        .get("/api/v1/edi/interchanges?limit=200", &test.admin)
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn bad_input_answers_4xx() {
    let test = TestApp::spawn().await;
    let customer_id = customer(&test, &test.admin).await;
    item(&test, "AB3542").await;
    partner(&test, "4405197800", "12", customer_id, "USD", json!({})).await;
    let good = String::from_utf8(sample("node-x12/850.edi")).unwrap();
    // Wrong content type.
    let answer = upload(&test, &test.admin, "text/plain", good.clone().into_bytes()).await;
    assert_problem(
        &answer,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Some("Content-Type"),
    );
    let answer = upload(&test, &test.admin, "application/json", b"{}".to_vec()).await;
    assert_problem(
        &answer,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Some("Content-Type"),
    );
    // Empty, huge.
    let answer = upload(&test, &test.admin, "application/edi-x12", Vec::new()).await;
    client_error(&answer, "empty");
    let huge = good.repeat(5_000_000 / good.len() + 1).into_bytes();
    let answer = upload(&test, &test.admin, "application/edi-x12", huge).await;
    assert_problem(&answer, StatusCode::PAYLOAD_TOO_LARGE, Some("body"));
    // Not UTF-8.
    let latin = good.replace("SMALL WIDGET", "SMÅLL WIDGET");
    let latin: Vec<u8> = latin.chars().map(|c| c as u32 as u8).collect();
    let (status, body) = upload(&test, &test.admin, "application/edi-x12", latin).await;
    assert!(
        status.is_success() || status.is_client_error(),
        "{status} {body}"
    );

    // Naughty strings as the whole body, in a value of a segment, and as partner fields.
    for (n, text) in naughty_strings().iter().enumerate() {
        for ct in ["application/edi-x12", "application/edifact"] {
            let answer = upload(&test, &test.admin, ct, text.clone().into_bytes()).await;
            if !text.is_empty() {
                client_error(&answer, text);
            }
        }
        let body = good
            .replace("VN*AB3542", &format!("VN*{text}"))
            .replace("BEG*00*SA*08292233294", &format!("BEG*00*SA*{text}"));
        let (status, answer) =
            upload(&test, &test.admin, "application/edi-x12", body.into_bytes()).await;
        assert!(
            status.is_success() || status.is_client_error(),
            "{text:?}: {status} {answer}"
        );
        let (status, answer) = test
            .post("/api/v1/edi/partners", &test.admin, json!({"name": text, "sender_id": format!("{text}{n}"), "sender_qualifier": "ZZ", "customer_id": customer_id, "sku_map": {text: text}}))
            .await;
        assert!(
            status.is_success() || status.is_client_error(),
            "{text:?}: {status} {answer}"
        );
    }
    // Partner input refused on its field.
    for (body, field) in [
        (
            json!({"name": "", "sender_id": "A", "sender_qualifier": "ZZ", "customer_id": customer_id}),
            "name",
        ),
        (
            json!({"name": "A", "sender_id": "A", "sender_qualifier": "TOOLONG", "customer_id": customer_id}),
            "sender_qualifier",
        ),
        (
            json!({"name": "A", "sender_id": "A", "sender_qualifier": "ZZ", "customer_id": 999_999}),
            "customer_id",
        ),
        (
            json!({"name": "A", "sender_id": "A", "sender_qualifier": "ZZ", "customer_id": customer_id, "currency": "XXX"}),
            "currency",
        ),
        (
            json!({"name": "A", "sender_id": "A", "sender_qualifier": "ZZ", "customer_id": customer_id, "sku_map": {"X": "not a sku"}}),
            "sku_map/X",
        ),
        (
            json!({"name": "A", "sender_id": "4405197800", "sender_qualifier": "12", "customer_id": customer_id}),
            "sender_id",
        ),
    ] {
        let answer = test.post("/api/v1/edi/partners", &test.admin, body).await;
        client_error(&answer, field);
        assert_eq!(answer.1["field"], field, "{}", answer.1);
    }
}

#[tokio::test]
async fn the_drop_folder_receives_files_and_moves_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = tiski_testkit::fast_settings();
    settings.edi_drop_dir = Some(dir.path().to_path_buf());
    settings.edi_drop_interval = std::time::Duration::from_millis(100);
    let test = TestApp::spawn_with(settings).await;
    let customer_id = customer(&test, &test.admin).await;
    corpus_partners(&test, customer_id).await;
    // Files are written under a hidden name and renamed, so none is read half written.
    let drop = |name: &str, bytes: &[u8]| {
        let hidden = dir.path().join(format!(".{name}"));
        std::fs::write(&hidden, bytes).unwrap();
        std::fs::rename(&hidden, dir.path().join(name)).unwrap();
    };
    std::fs::write(dir.path().join(".hidden"), b"left alone").unwrap();
    drop("a-order.edi", &sample("node-x12/850.edi"));
    drop("b-junk.x12", b"ISA*nothing");
    let names = |folder: &str| -> Vec<String> {
        std::fs::read_dir(dir.path().join(folder))
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut waited = 0;
    while names("done").len() + names("failed").len() < 2 {
        assert!(
            waited < 300,
            "the drop folder was not read: {:?} {:?}",
            names("done"),
            names("failed")
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    assert!(dir.path().join(".hidden").exists());
    let (_, list) = test.get("/api/v1/edi/interchanges", &test.admin).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    assert!(items.iter().all(|i| i["source"] == "folder"));
    let junk = items
        .iter()
        .find(|i| i["source_name"] == "b-junk.x12")
        .unwrap();
    assert_eq!(junk["state"], "rejected");
    assert_eq!(names("failed"), [format!("{}-b-junk.x12", junk["id"])]);
    let order = items
        .iter()
        .find(|i| i["source_name"] == "a-order.edi")
        .unwrap();
    assert_eq!(order["state"], "accepted", "{order}");
    assert_eq!(names("done"), [format!("{}-a-order.edi", order["id"])]);
    assert_eq!(order["order_ids"].as_array().unwrap().len(), 1);
}
