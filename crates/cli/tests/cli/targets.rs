//! Issue 16: `socialledger targets add|list|remove|check` through the real binary on a SQLite file: a channel
//! engaging 5 % of its impressions every day is on track for 4 %, off track for 6 %; `check` exits 1 while a
//! target is off track and 0 once it is removed, records one alert per status change, and says so in words.

use crate::support::bin;
use std::fmt::Write as _;
use std::path::Path;

fn run(dir: &Path, db: &str, args: &[&str]) -> std::process::Output {
    bin(dir).args(["--db", db]).args(args).output().unwrap()
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// 20 days of November 2026 on LinkedIn: 1,000 to 1,190 impressions, 5 % of them engaging (±0.5 points).
fn seed(dir: &Path, db: &str) {
    std::fs::write(
        dir.join("channels.csv"),
        "channel,name,kind,network,handle\nlinkedin,Acme,organic_social,linkedin,acme\n",
    )
    .unwrap();
    let mut days = String::from("channel,date,impressions,engagements\n");
    for i in 0..20u32 {
        let impressions = 1000 + 10 * i;
        let engagements = impressions * 5 / 100 + [0, 5, 10][(i % 3) as usize] - 5;
        writeln!(days, "linkedin,2026-11-{:02},{impressions},{engagements}", i + 1).unwrap();
    }
    std::fs::write(dir.join("channel_days.csv"), days).unwrap();
    for file in ["channels.csv", "channel_days.csv"] {
        let out = run(dir, db, &["--quiet", "import", file]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn targets_add_list_check_remove() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("socialledger.db").display().to_string();
    seed(dir.path(), &db);
    let add = |threshold: &str| {
        let args = ["--json", "targets", "add", "--channel", "linkedin", "--metric", "engagement_rate"];
        json(&run(dir.path(), &db, &[&args[..], &["--threshold", threshold, "--period", "2026-11"]].concat()))
    };
    let low = add("4%");
    assert_eq!((low["metric"].as_str(), low["comparison"].as_str()), (Some("engagement_rate"), Some("at_least")));
    assert_eq!(low["threshold"].as_f64(), Some(0.04));
    let high = add("0.06");
    let added = run(
        dir.path(),
        &db,
        &["targets", "add", "--metric", "response_time", "--threshold", "4", "--period", "2026-11"],
    );
    assert!(text(&added).starts_with("added target #3: all social response_time <= 4.0 h in 2026-11"), "{added:?}");

    let listed = json(&run(dir.path(), &db, &["--json", "targets", "list"]));
    assert_eq!(listed.as_array().map(Vec::len), Some(3));

    // Off track: exit 1, in words, and in JSON with the interval.
    let check = run(dir.path(), &db, &["targets", "check", "--as-of", "2026-11-20"]);
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    let out = text(&check);
    assert!(out.contains("1 of 3 targets is off track (as of 2026-11-20)"), "{out}");
    assert!(out.contains("#1 linkedin: engagement_rate >= 4.00 % in 2026-11: on track"), "{out}");
    assert!(out.contains("#2 linkedin: engagement_rate >= 6.00 % in 2026-11: off track"), "{out}");
    assert!(out.contains("#3 all social: response_time <= 4.0 h in 2026-11: cannot tell yet"), "{out}");
    let checked = run(dir.path(), &db, &["--json", "targets", "check", "--as-of", "2026-11-20"]);
    assert_eq!(checked.status.code(), Some(1));
    let checks: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    let e = &checks[0]["evaluation"];
    let (so_far, low_end, high_end) = (
        e["so_far"].as_f64().unwrap(),
        e["forecast"]["low"].as_f64().unwrap(),
        e["forecast"]["high"].as_f64().unwrap(),
    );
    assert!((0.049..0.051).contains(&so_far) && low_end > 0.04 && low_end < so_far && high_end > so_far, "{e}");
    assert_eq!((e["days_elapsed"].as_i64(), e["days_total"].as_i64()), (Some(20), Some(30)));
    assert_eq!(checks[1]["evaluation"]["status"].as_str(), Some("off_track"));

    // One alert for the change, not one per check; the audit log has the target's changes.
    let alerts: Vec<(i64, String)> = crate::support::sqlite_query(
        &dir.path().join("socialledger.db"),
        "SELECT target_id, status FROM alerts ORDER BY id",
    );
    assert_eq!(alerts, vec![(high["id"].as_i64().unwrap(), "off_track".to_string())]);

    let removed = run(dir.path(), &db, &["targets", "remove", &high["id"].to_string()]);
    assert!(text(&removed).starts_with("removed target #2"), "{removed:?}");
    let fine = run(dir.path(), &db, &["targets", "check", "--as-of", "2026-11-20"]);
    assert_eq!(fine.status.code(), Some(0), "{fine:?}");
    assert!(text(&fine).contains("no target is off track (2 checked as of 2026-11-20)"));
    let audit: Vec<(String,)> = crate::support::sqlite_query(
        &dir.path().join("socialledger.db"),
        "SELECT action FROM audit_log WHERE action LIKE 'target.%' ORDER BY id",
    );
    let actions: Vec<&str> = audit.iter().map(|(a,)| a.as_str()).collect();
    assert_eq!(
        actions,
        ["target.created", "target.created", "target.created", "target.alert_recorded", "target.deleted"]
    );

    // Errors say what to do (exit 2).
    let gone = run(dir.path(), &db, &["targets", "remove", "99"]);
    assert_eq!(gone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&gone.stderr).contains("targets list"));
    let bad = run(dir.path(), &db, &["targets", "add", "--metric", "engagement_rate", "--threshold", "40"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("0.04"), "{bad:?}");
    let nochannel =
        run(dir.path(), &db, &["targets", "add", "--channel", "nope", "--metric", "pipeline", "--threshold", "100"]);
    assert!(String::from_utf8_lossy(&nochannel.stderr).contains("socialledger channels"), "{nochannel:?}");
}

/// A tiny SMTP server on 127.0.0.1:0 that accepts every message (AUTH PLAIN included) and records every line
/// the client sent, connection after connection.
async fn smtp_server() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorded = log.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let log = recorded.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 localhost test SMTP\r\n").await.unwrap();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    log.lock().unwrap().push(line.clone());
                    let upper = line.to_ascii_uppercase();
                    let answer: &[u8] = if in_data {
                        if line == "." {
                            in_data = false;
                            b"250 queued\r\n"
                        } else {
                            continue;
                        }
                    } else if upper.starts_with("EHLO") {
                        b"250-localhost\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("AUTH") {
                        b"235 authenticated\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    if write.write_all(answer).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (port, log)
}

/// A webhook receiver: a real axum server on 127.0.0.1:0 recording every JSON body POSTed to `/hook`.
async fn webhook_server() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>) {
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let store = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(body): axum::Json<serde_json::Value>| {
            let store = store.clone();
            async move {
                store.lock().unwrap().push(body);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_go_out_once_by_webhook_and_email_and_the_digest_by_email() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("socialledger.db").display().to_string();
    let (smtp_port, conversation) = smtp_server().await;
    let (hook_port, hooks) = webhook_server().await;
    let (path, dbc) = (dir.path().to_path_buf(), db.clone());
    let password = "hunter2-never-printed";
    let run_with = move |args: Vec<String>| {
        let (path, db) = (path.clone(), dbc.clone());
        tokio::task::spawn_blocking(move || {
            let mut cmd = bin(&path);
            for var in ["SOCIALLEDGER_ALERT_WEBHOOK", "SOCIALLEDGER_SMTP_HOST", "SOCIALLEDGER_ALERT_TO"] {
                cmd.env_remove(var);
            }
            cmd.env("SOCIALLEDGER_SMTP_PASSWORD", password).args(["--db", &db]).args(args).output().unwrap()
        })
    };
    let (seed_dir, seed_db) = (dir.path().to_path_buf(), db.clone());
    tokio::task::spawn_blocking(move || seed(&seed_dir, &seed_db)).await.unwrap();
    let add = ["targets", "add", "--channel", "linkedin", "--metric", "engagement_rate", "--threshold", "6%"];
    let added =
        run_with([&add[..], &["--period", "2026-11"]].concat().iter().map(|s| s.to_string()).collect()).await.unwrap();
    assert!(added.status.success(), "{added:?}");

    let notify: Vec<String> = [
        "--webhook".to_string(),
        format!("http://127.0.0.1:{hook_port}/hook"),
        "--smtp-host".into(),
        "127.0.0.1".into(),
        "--smtp-port".into(),
        smtp_port.to_string(),
        "--smtp-tls".into(),
        "none".into(),
        "--smtp-user".into(),
        "alerts".into(),
        "--smtp-from".into(),
        "alerts@example.com".into(),
        "--to".into(),
        "boss@example.com".into(),
    ]
    .into();
    let check: Vec<String> = ["targets", "check", "--as-of", "2026-11-20"].iter().map(|s| s.to_string()).collect();
    let first = run_with([check.clone(), notify.clone()].concat()).await.unwrap();
    assert_eq!(first.status.code(), Some(1), "{first:?}");
    for out in [&first.stdout, &first.stderr] {
        assert!(!String::from_utf8_lossy(out).contains(password));
    }
    {
        let hooks = hooks.lock().unwrap();
        assert_eq!(hooks.len(), 1, "{hooks:?}");
        assert_eq!(hooks[0]["event"], "target.alert");
        assert_eq!(hooks[0]["alert"]["status"], "off_track");
        assert_eq!(hooks[0]["check"]["evaluation"]["status"], "off_track");
        assert!(hooks[0]["alert"]["message"].as_str().unwrap().contains("is off track"));
    }
    // The body is quoted-printable: undo its soft line breaks and its escaped "=".
    let decode = |lines: &[String]| lines.join("\n").replace("=\n", "").replace("=3D", "=");
    let mail = decode(&conversation.lock().unwrap());
    assert!(mail.contains("MAIL FROM:<alerts@example.com>"), "{mail}");
    assert!(mail.contains("RCPT TO:<boss@example.com>"), "{mail}");
    assert!(mail.contains("AUTH PLAIN"), "{mail}");
    assert!(mail.contains("Subject: socialledger: target #1 is off track"), "{mail}");
    assert!(mail.contains("engagement_rate >= 6.00 % in 2026-11"), "{mail}");

    // Checked again: still off track, nothing new to say.
    let before = conversation.lock().unwrap().len();
    let second = run_with([check.clone(), notify.clone()].concat()).await.unwrap();
    assert_eq!(second.status.code(), Some(1));
    assert_eq!(hooks.lock().unwrap().len(), 1);
    assert_eq!(conversation.lock().unwrap().len(), before);
    let file = dir.path().join("socialledger.db");
    let sent: Vec<(Option<String>, Option<String>)> = tokio::task::spawn_blocking(move || {
        crate::support::sqlite_query(&file, "SELECT webhook_at, email_at FROM alerts")
    })
    .await
    .unwrap();
    assert!(sent.len() == 1 && sent[0].0.is_some() && sent[0].1.is_some(), "{sent:?}");

    // The weekly digest by e-mail.
    let digest: Vec<String> = ["targets", "digest", "--as-of", "2026-11-20"].iter().map(|s| s.to_string()).collect();
    let out = run_with([digest.clone(), notify.clone()].concat()).await.unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("sent the digest to boss@example.com"));
    let mail = decode(&conversation.lock().unwrap()[before..]);
    assert!(mail.contains("Subject: socialledger: weekly targets digest (2026-11-20)"), "{mail}");
    assert!(mail.contains("1 of 1 targets off track"), "{mail}");
    // Without a relay, the digest says how to configure one.
    let none = run_with(digest.clone()).await.unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("SOCIALLEDGER_SMTP_HOST"));
    let printed = run_with([digest, vec!["--print".to_string()]].concat()).await.unwrap();
    assert!(String::from_utf8_lossy(&printed.stdout).contains("#1 linkedin: engagement_rate >= 6.00 %"));
}
