//! `/api/openapi.json` is generated from the code (utoipa) and checked in as `docs/openapi.json`: the test fails
//! when they differ (rerun with SOCIALLEDGER_WRITE_DOCS=1 to rewrite it), so CI catches drift; and every `/api/v1`
//! route of the route table is described.

use crate::support::on_both;
use reqwest::StatusCode;
use socialledger_web::api::openapi_json;
use socialledger_web::routes::ROUTES;
use std::path::PathBuf;

fn openapi_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
}

#[test]
fn the_checked_in_description_is_the_generated_one() {
    let expected = openapi_json();
    let actual = std::fs::read_to_string(openapi_file()).unwrap_or_default();
    if actual != expected {
        if std::env::var_os("SOCIALLEDGER_WRITE_DOCS").is_some() {
            std::fs::write(openapi_file(), &expected).unwrap();
        }
        panic!(
            "docs/openapi.json is not what crates/web/src/api generates; rerun with SOCIALLEDGER_WRITE_DOCS=1 to \
             rewrite it, then review and commit it"
        );
    }
}

#[test]
fn every_api_route_is_described_with_its_method() {
    let doc: serde_json::Value = serde_json::from_str(&openapi_json()).unwrap();
    let mut described = 0;
    for route in ROUTES.iter().filter(|r| r.path.starts_with("/api/v1/")) {
        let method = route.method.as_str().to_lowercase();
        assert!(
            doc["paths"][route.path][&method].is_object(),
            "{} {} is not in the OpenAPI description",
            method,
            route.path
        );
        described += 1;
    }
    let paths: usize = doc["paths"].as_object().unwrap().values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(paths, described, "the description has operations the route table does not");
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    let page = &doc["components"]["schemas"];
    assert!(page.as_object().unwrap().keys().any(|k| k.contains("PostItem")), "{page}");
}

#[tokio::test]
async fn the_server_serves_the_description_to_anyone() {
    on_both("api_openapi", |app| async move {
        let response = app.get(&app.client(), "/api/openapi.json").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(response.text().await.unwrap(), openapi_json());
    })
    .await;
}
