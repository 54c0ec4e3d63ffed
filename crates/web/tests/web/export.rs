//! Issue 16, exports: every table a page shows downloads as CSV and as XLSX with the roles of its page; the files
//! are read back (the csv crate, calamine) and text cells a spreadsheet would run as formulas are neutralised.

use crate::api::{seed, HOSTILE};
use crate::support::{on_both, TestApp};
use calamine::{Data, Reader, Xlsx};
use reqwest::{Client, StatusCode};
use socialledger_domain::Role;
use std::io::Cursor;

async fn download(app: &TestApp, client: &Client, path: &str) -> Vec<u8> {
    let response = app.get(client, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    response.bytes().await.unwrap().to_vec()
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes);
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

fn xlsx_rows(bytes: Vec<u8>) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

#[tokio::test]
async fn tables_download_as_csv_and_xlsx_with_formulas_neutralised() {
    on_both("export_tables", |app| async move {
        seed(&app, 3).await;
        app.add_user("owner@example.com", "Owner", Role::Owner).await;
        app.add_user("cs@example.com", "Cs", Role::CustomerService).await;
        let owner = app.client();
        app.signed_in(&owner, "owner@example.com").await;
        let cs = app.client();
        let cs_csrf = app.signed_in(&cs, "cs@example.com").await;
        let log = [("channel", "ch1"), ("task", "respond"), ("date", "2026-12-02"), ("minutes", "40")];
        let mut form = log.to_vec();
        form.extend([("note", "@SUM(1+1)"), ("csrf", cs_csrf.as_str())]);
        assert_eq!(app.post(&cs, "/time/log", &form).await.status(), StatusCode::SEE_OTHER);

        // Posts: the hostile text neutralised in both formats, counters as numbers.
        let posts = csv_rows(&download(&app, &owner, "/export/posts.csv").await);
        assert_eq!(posts.len(), 4);
        let text = posts[0].iter().position(|c| c == "text").unwrap();
        let impressions = posts[0].iter().position(|c| c == "impressions").unwrap();
        assert_eq!(posts[1][text], format!("'{HOSTILE}"));
        assert_eq!((posts[1][impressions].as_str(), posts[3][impressions].as_str()), ("200", "202"));
        let sheet = xlsx_rows(download(&app, &owner, "/export/posts.xlsx").await);
        assert_eq!(sheet.len(), 4);
        assert_eq!(sheet[1][text], Data::String(format!("'{HOSTILE}")));
        assert_eq!(sheet[3][impressions], Data::Float(202.0));

        // Channels, for everyone inside the company.
        let channels = csv_rows(&download(&app, &cs, "/export/channels.csv").await);
        assert_eq!(channels.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["key", "ch0", "ch1", "ch2"]);
        let sheet = xlsx_rows(download(&app, &cs, "/export/channels.xlsx").await);
        assert_eq!(sheet[2][1], Data::String("Channel 1".into()));

        // Time entries: the note neutralised; the owner sees everyone's, customer service its own.
        let time = csv_rows(&download(&app, &cs, "/export/time-entries.csv").await);
        assert_eq!(time.len(), 2);
        let note = time[0].iter().position(|c| c == "note").unwrap();
        let minutes = time[0].iter().position(|c| c == "minutes").unwrap();
        assert_eq!((time[1][note].as_str(), time[1][minutes].as_str()), ("'@SUM(1+1)", "40"));
        let sheet = xlsx_rows(download(&app, &owner, "/export/time-entries.xlsx").await);
        assert_eq!((sheet.len(), &sheet[1][minutes]), (2, &Data::Float(40.0)));
        assert_eq!(sheet[1][note], Data::String("'@SUM(1+1)".into()));

        // Audit: the owner's, the same file as /audit.csv.
        let audit = csv_rows(&download(&app, &owner, "/export/audit.csv").await);
        assert!(audit.iter().any(|r| r.iter().any(|c| c == "time.logged")));
        assert_eq!(audit, csv_rows(&download(&app, &owner, "/audit.csv").await));
        let sheet = xlsx_rows(download(&app, &owner, "/export/audit.xlsx").await);
        assert_eq!(sheet.len(), audit.len());

        // Costs: the stored report's channels, for the roles that see costs only.
        let costs = csv_rows(&download(&app, &owner, "/export/costs.csv").await);
        assert_eq!(costs[0], ["channel", "name", "cost_minor", "currency", "hours", "value_beyond_sales_hours"]);
        for path in ["/export/costs.csv", "/export/costs.xlsx", "/export/audit.csv", "/export/audit.xlsx"] {
            assert_eq!(app.get(&cs, path).await.status(), StatusCode::FORBIDDEN, "{path}");
        }
    })
    .await;
}
