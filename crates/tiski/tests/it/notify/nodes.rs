//! Two nodes on one PostgreSQL follow the same log: each notification is made once.

use super::{Desk, settle};
use serde_json::Value;
use std::time::Duration;
use tiski_testkit::{TestApp, fast_settings};

#[tokio::test]
async fn two_nodes_make_no_duplicates() {
    if std::env::var("TISKI_TEST_DATABASE_URL").map_or(true, |url| url.is_empty()) {
        println!("note: two nodes need PostgreSQL; set TISKI_TEST_DATABASE_URL to run this test");
        return;
    }
    let desk = Desk::new().await;
    let node2 = TestApp::serve(desk.test.location.clone(), fast_settings()).await;
    let (a, a_token) = &desk.a;
    let (b, b_token) = &desk.b;
    // Twenty assignments back and forth, half through each node, while both workers run
    // (and both are also stepped by hand at the same time).
    for round in 0..10 {
        desk.assign(a_token, *b).await;
        let (status, _) = node2
            .patch(
                &format!("/api/v1/tickets/{}", desk.ticket),
                b_token,
                serde_json::json!({"assignee_id": a}),
            )
            .await;
        assert!(status.is_success());
        if round % 3 == 0 {
            let (one, two) =
                tokio::join!(desk.test.app.notify.produce(3), node2.app.notify.produce(3));
            one.unwrap();
            two.unwrap();
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    settle(&desk.test).await;
    settle(&node2).await;
    let count = |page: Value| page["items"].as_array().unwrap().len();
    let b_page = desk.test.get("/api/v1/notifications", b_token).await.1;
    let a_page = node2.get("/api/v1/notifications", a_token).await.1;
    assert_eq!(count(b_page.clone()), 10, "{b_page}");
    assert_eq!(count(a_page), 10);
    assert_eq!(b_page["unread"], 10);
    node2.stop().await;
}
