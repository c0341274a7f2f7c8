//! `tiski import catalog FILE`: the real binary adds the good rows and reports each refused
//! one by its line and reason, on either database.

use crate::binary::{database_flags, tiski};
use tiski_commerce::ProductFilter;
use tiski_testkit::{TestApp, fast_settings, fresh_location};

const CATALOG: &str = "sku,name:en,name:fi,price:EUR,price:JPY,vat_rate,lead_time_days,warranty_months,parts\r\n\
DR-18,\"Drill, cordless\",Akkuporakone,19.90,2500,24,3,24,\r\n\
BAT-2,Battery,Akku,9.5,,24,1,12,\r\n\
KIT-1,Kit,Sarja,29.90,,24,2,0,DR-18;BAT-2\r\n\
BAD-1,Too precise,,19.999,,24,0,0,\r\n\
BAD-2,No such part,,1,,24,0,0,NOPE\r\n\
DR-18,Twice,,1,,24,0,0,\r\n\
BAD-3,Short row\r\n\
BAD-4,Lead,,1,,24,many,0,\r\n";

#[tokio::test]
async fn the_binary_imports_good_rows_and_reports_the_refused_by_line() {
    let (location, dir) = std::thread::spawn(fresh_location).join().unwrap();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), CATALOG).unwrap();
    let mut args: Vec<String> = ["import", "catalog"].map(String::from).to_vec();
    args.push(file.path().display().to_string());
    args.extend(database_flags(&location));
    let output = tokio::task::spawn_blocking(move || tiski(&args).output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("Added 3 products; refused 5 rows."),
        "{stderr}"
    );
    for line in [
        "line 5: prices[0].amount: EUR amounts have at most 2 decimals.",
        "line 6: parts[0]: No product in the catalog has this SKU.",
        "line 7: sku: A product with this SKU exists.",
        "line 8: row: The row has 2 cells; the header has 9.",
        "line 9: lead_time_days: Give a whole number.",
    ] {
        assert!(stderr.contains(line), "{line:?} in {stderr}");
    }
    assert!(stderr.contains("8/8"), "progress: {stderr}");
    let test = TestApp::serve(location, fast_settings()).await;
    let page = test
        .app
        .commerce
        .list_products(&test.system(), ProductFilter::default())
        .await
        .unwrap();
    let skus: Vec<&str> = page.items.iter().map(|p| p.sku.as_str()).collect();
    assert_eq!(skus, ["DR-18", "BAT-2", "KIT-1"]);
    assert_eq!(page.items[0].names["en"], "Drill, cordless");
    assert_eq!(page.items[1].prices[0].amount, "9.50");
    assert_eq!(page.items[2].parts, ["DR-18", "BAT-2"]);
    test.stop().await;
    drop(dir);
}
