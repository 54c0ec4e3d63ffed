//! The route x role matrix of `docs/roles.md`: it is the route table, and every cell of it holds against the real
//! server. The walk reads the matrix from the document (not from the code), and fails when a route of the table
//! is missing from it or the other way round; the router is built from the same table (`routes::router`), so a
//! route cannot exist without its row.

use crate::support::{location, on_both, TestApp, PASSWORD};
use reqwest::{Client, Response, StatusCode};
use socialledger_domain::Role;
use socialledger_web::routes::{matrix_markdown, ROUTES};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn roles_md() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/roles.md")
}

#[test]
fn the_matrix_in_docs_is_the_route_table() {
    let expected = matrix_markdown();
    let actual = std::fs::read_to_string(roles_md()).unwrap_or_default();
    if actual != expected {
        if std::env::var_os("SOCIALLEDGER_WRITE_DOCS").is_some() {
            std::fs::write(roles_md(), &expected).unwrap();
        }
        panic!(
            "docs/roles.md is not the route table of crates/web/src/routes.rs; rerun with SOCIALLEDGER_WRITE_DOCS=1 \
             to rewrite it, then review and commit it. Expected:\n{expected}"
        );
    }
}

/// One row of the document's matrix: method, path and a cell per role ("public", "yes" or "-").
#[derive(Debug)]
struct Row {
    method: String,
    path: String,
    cells: Vec<String>,
}

/// The roles (columns) and rows of `docs/roles.md`.
fn documented_matrix() -> (Vec<Role>, Vec<Row>) {
    let text = std::fs::read_to_string(roles_md()).unwrap();
    let split = |line: &str| -> Vec<String> {
        line.trim().trim_matches('|').split('|').map(|c| c.trim().trim_matches('`').to_string()).collect()
    };
    let header = text.lines().find(|l| l.starts_with("| method | path |")).expect("the matrix's header row");
    let roles: Vec<Role> = split(header)[2..].iter().map(|r| Role::parse(r).unwrap()).collect();
    let rows = text
        .lines()
        .filter(|l| l.starts_with("| GET ") || l.starts_with("| POST "))
        .map(|l| {
            let cells = split(l);
            assert_eq!(cells.len(), roles.len() + 2, "a cell per role: {l}");
            Row { method: cells[0].clone(), path: cells[1].clone(), cells: cells[2..].to_vec() }
        })
        .collect();
    (roles, rows)
}

/// Sends the request a person with access would send to `row` (a valid form with the right CSRF token).
async fn request(app: &TestApp, client: &Client, row: &Row, csrf: &str, target: i64, tag: &str) -> Response {
    let token = "0".repeat(64);
    let mut path = row.path.replace("{id}", &target.to_string()).replace("{token}", &token);
    if row.method == "GET" {
        return app.get(client, &path).await;
    }
    if row.path == "/api/v1/time-entries" {
        let entry = serde_json::json!({ "task": "content", "date": "2026-12-01", "minutes": 15 });
        let request = client.post(app.url(&path)).header("x-csrf-token", csrf).json(&entry);
        return request.send().await.unwrap();
    }
    if row.path == "/tokens/{id}/revoke" {
        // Revoke the walker's own token (made by the row before), when they may make one.
        let email = format!("{tag}@example.com");
        let tokens = app.store.api_tokens(None).await.unwrap();
        let own = tokens.iter().find(|t| t.user_email == email).map_or(0, |t| t.id);
        path = format!("/tokens/{own}/revoke");
    }
    if row.path == "/shares/{id}/revoke" {
        // A link of its own to revoke (only the owner may: the others' requests are refused before this matters).
        let new = socialledger_store::NewShareLink {
            label: format!("walk {tag}"),
            pages: vec!["channels".into()],
            token_hash: format!("{tag}-{}", row.method),
            expires_at: chrono::Utc::now() + chrono::Duration::days(1),
        };
        let link = app.store.create_share_link(&new, None, chrono::Utc::now()).await.unwrap();
        path = format!("/shares/{}/revoke", link.id);
    }
    if row.path.starts_with("/experiments/{id}/") {
        // An experiment of its own to step (a read-out of a planned one is refused with 409, still served).
        let new = socialledger_store::experiments::NewExperiment {
            channel: "walk".into(),
            design: "pause".into(),
            weeks: 8,
            plan_json: "{}".into(),
        };
        let e = app.store.plan_experiment(&new, None, chrono::Utc::now()).await.unwrap();
        path = row.path.replace("{id}", &e.id.to_string());
    }
    let new_email = format!("new-{tag}@example.com");
    let form: Vec<(&str, &str)> = match row.path.as_str() {
        "/login" => vec![("email", "walker@example.com"), ("password", PASSWORD)],
        "/setup/{token}" => vec![("email", "x@example.com"), ("name", "X"), ("password", PASSWORD)],
        "/invite/{token}" => vec![("password", PASSWORD)],
        "/users" => vec![("email", &new_email), ("name", "New"), ("role", "viewer")],
        "/users/{id}/role" => vec![("role", "viewer")],
        "/users/{id}/status" => vec![("disabled", "false")],
        "/time/start" => vec![("channel", ""), ("task", "content")],
        "/tokens" => vec![("name", "walk"), ("scope", "read")],
        "/time/log" | "/time/edit" => vec![("task", "content"), ("date", "2026-12-01"), ("minutes", "15")],
        "/experiments/{id}/start" => vec![("started_on", "2026-12-01")],
        "/experiments/{id}/readout" => vec![("estimate", "1"), ("low", "0"), ("high", "2")],
        _ => vec![],
    };
    // Edit and delete the walker's own entry (logged by the row before), when they may log one.
    let own_key = match row.path.as_str() {
        "/time/edit" | "/time/delete" => {
            let email = format!("{tag}@example.com");
            let entries = app.store.tracked_entries(None).await.unwrap();
            entries.into_iter().find(|e| e.user_email == email).map(|e| e.entry.key).unwrap_or_default()
        }
        _ => String::new(),
    };
    let mut form = form;
    if !own_key.is_empty() {
        form.push(("key", &own_key));
    }
    form.push(("csrf", csrf));
    app.post(client, &path, &form).await
}

/// Whether the response refuses a visitor: 403, 401, or a redirect to the sign-in form.
fn refused(response: &Response) -> bool {
    matches!(response.status(), StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED)
        || (response.status() == StatusCode::SEE_OTHER && location(response).starts_with("/login?next="))
}

fn served(response: &Response) -> bool {
    !refused(response)
        && !matches!(response.status(), StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED)
        && !response.status().is_server_error()
}

#[tokio::test]
async fn every_route_and_role_is_walked() {
    on_both("roles_walk", |app| async move {
        let (roles, rows) = documented_matrix();
        let documented: BTreeSet<(String, String)> = rows.iter().map(|r| (r.method.clone(), r.path.clone())).collect();
        let table: BTreeSet<(String, String)> =
            ROUTES.iter().map(|r| (r.method.as_str().to_string(), r.path.to_string())).collect();
        assert_eq!(documented, table, "docs/roles.md and the route table list different routes");
        assert_eq!(roles, Role::ALL, "a column per role");
        let target = app.add_user("target@example.com", "Target", Role::Viewer).await;
        app.add_user("walker@example.com", "Walker", Role::Viewer).await;

        // Without a session: public routes serve, pages redirect to the sign-in form, the API answers 401.
        let anonymous = app.client();
        let pre = app.csrf_of(&anonymous, "/login").await;
        for row in rows.iter().filter(|r| r.path != "/login" || r.method == "GET") {
            let response = request(&app, &anonymous, row, &pre, target, "anonymous").await;
            let public = row.cells.iter().all(|c| c == "public");
            if public {
                assert!(served(&response), "anonymous {} {}: {}", row.method, row.path, response.status());
            } else if row.path.starts_with("/api/") {
                assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "anonymous {} {}", row.method, row.path);
            } else {
                assert_eq!(response.status(), StatusCode::SEE_OTHER, "anonymous {} {}", row.method, row.path);
                assert!(location(&response).starts_with("/login?next="), "anonymous {} {}", row.method, row.path);
            }
        }

        // Every role, every route; signing out last (then signing in again).
        let mut ordered: Vec<&Row> = rows.iter().filter(|r| !r.path.starts_with("/logout")).collect();
        ordered.extend(rows.iter().filter(|r| r.path.starts_with("/logout")));
        let mut cells = 0;
        for (column, role) in roles.iter().enumerate() {
            let email = format!("{}@example.com", role.as_str());
            app.add_user(&email, role.as_str(), *role).await;
            let client = app.client();
            let pre = app.csrf_of(&client, "/login").await;
            let mut csrf = app.signed_in(&client, &email).await;
            for row in &ordered {
                let cell = row.cells[column].as_str();
                let token = if cell == "public" { pre.clone() } else { csrf.clone() };
                let response = request(&app, &client, row, &token, target, role.as_str()).await;
                let what = format!("{} {} as {role}: {}", row.method, row.path, response.status());
                match cell {
                    "public" | "yes" => assert!(served(&response), "{what} (allowed in docs/roles.md)"),
                    "-" => assert_eq!(response.status(), StatusCode::FORBIDDEN, "{what} (refused in docs/roles.md)"),
                    other => panic!("unknown cell {other:?} in docs/roles.md"),
                }
                cells += 1;
                if row.method == "POST" && (row.path == "/login" || row.path.starts_with("/logout")) {
                    // The session changed (a new one, or none): sign in again for the next routes.
                    csrf = app.signed_in(&client, &email).await;
                }
            }
        }
        assert_eq!(cells, ROUTES.len() * Role::ALL.len());
    })
    .await;
}
