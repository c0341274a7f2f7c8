//! The `edi` scenario: X12 850 purchase orders POSTed to `/api/v1/edi`, each answered after
//! its order was made and its 997 and 855 queued. Setup makes (or finds) a customer, three
//! products and the trading partner `ZZ/TISKIBENCH` the orders come from.

use anyhow::Context;
use serde_json::json;

/// The partner's sender id.
const SENDER: &str = "TISKIBENCH";
/// The products the orders name.
const SKUS: [&str; 3] = ["BENCH-EDI-1", "BENCH-EDI-2", "BENCH-EDI-3"];

/// Makes the customer, products and partner unless they exist (409 is fine).
pub(crate) async fn prepare(client: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    let customer = client
        .post(format!("{base}/api/v1/customers"))
        .json(&json!({"name": "EDI Bench Buyer"}))
        .send()
        .await
        .context("creating the EDI bench customer")?;
    let customer: serde_json::Value = customer.json().await.context("reading the customer")?;
    let customer_id = customer["id"].as_i64().context("the customer has no id")?;
    for sku in SKUS {
        client
            .post(format!("{base}/api/v1/products"))
            .json(&json!({"sku": sku, "names": {"en": sku}, "prices": [{"currency": "USD", "amount": "9.25"}],
                          "vat_rate": "24", "prices_include_vat": false, "lead_time_days": 2}))
            .send()
            .await
            .context("creating a bench product")?;
    }
    client
        .post(format!("{base}/api/v1/edi/partners"))
        .json(&json!({"name": "EDI bench", "sender_id": SENDER, "sender_qualifier": "ZZ",
                      "customer_id": customer_id, "currency": "USD", "sku_map": {"THEIRS-1": SKUS[0]}}))
        .send()
        .await
        .context("creating the bench trading partner")?;
    Ok(())
}

/// An 850 with three lines (one through the partner's SKU map), numbered `seq`.
pub(crate) fn payload(seq: u64) -> String {
    let control = format!("{:09}", seq % 1_000_000_000);
    let segments = [
        format!("GS*PO*{SENDER}*TISKI*20261202*1200*{seq}*X*004010"),
        "ST*850*0001".into(),
        format!("BEG*00*SA*PO-{seq}**20261202"),
        "CUR*BY*USD".into(),
        "N1*BY*Bench Buyer*92*B1".into(),
        "PO1*1*2*EA*9.25**BP*THEIRS-1".into(),
        format!("PO1*2*1*EA*9.25**VN*{}", SKUS[1]),
        format!("PO1*3*5*EA*9.25**VN*{}", SKUS[2]),
        "CTT*3".into(),
        "SE*9*0001".into(),
        format!("GE*1*{seq}"),
        format!("IEA*1*{control}"),
    ];
    let mut text = format!(
        "ISA*00*          *00*          *ZZ*{SENDER:<15}*ZZ*TISKI          *261202*1200*U*00401*{control}*0*P*>~\n"
    );
    for segment in segments {
        text.push_str(&segment);
        text.push_str("~\n");
    }
    text
}
