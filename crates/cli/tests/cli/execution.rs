//! Issue 14, the verdict's `fix`: a channel whose engagement rate falls and a channel that answers slowly, both
//! imported through the real binary from canonical files (posts.csv, conversations.csv), come out `fix` with the
//! codes `falling_engagement` and `slow_responses` in `verdict --json --no-mmm`, and `socialledger execution`
//! shows the figures behind them. The series are built with a known truth: LinkedIn's rate halves every year,
//! X's is flat; X's median first answer takes about two days, LinkedIn's two hours.

use crate::support::bin;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

/// Writes the files and imports them into `dir/db.sqlite`; returns the database path.
fn company(dir: &Path) -> String {
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write(
        "channels.csv",
        "channel,name,kind,network\nlinkedin,LinkedIn page,organic_social,linkedin\nx,X account,organic_social,x\n",
    );
    write("people.csv", "person,team,hourly_cost,currency\nmara,marketing,60.00,EUR\n");
    let mut time = String::from("entry_id,person,date,hours,channel,task\n");
    let mut posts = String::from("channel,post_id,published_at,metrics_date,impressions,engagements\n");
    for m in 0..24u32 {
        let (y, mo) = (2024 + (m / 12) as i32, m % 12 + 1);
        for (channel, yearly) in [("linkedin", 0.5f64), ("x", 1.0)] {
            writeln!(time, "{channel}-{m},mara,{y}-{mo:02}-03,6,{channel},content").unwrap();
            for k in 0..10u32 {
                let impressions = 1500 + 97 * k + 13 * m;
                // A deterministic spread of post rates around the trend (about ±25 %): posts differ.
                let wobble = 1.0 + 0.25 * ((k as f64) * 1.7 + (m as f64) * 0.9).sin();
                let rate = 0.04 * yearly.powf(m as f64 / 12.0) * wobble;
                let engagements = (impressions as f64 * rate).round();
                writeln!(
                    posts,
                    "{channel},{channel}-{m}-{k},{y}-{mo:02}-{:02}T10:00:00Z,2026-01-15,{impressions},{engagements}",
                    1 + 2 * k
                )
                .unwrap();
            }
        }
    }
    write("time_entries.csv", &time);
    write("posts.csv", &posts);
    let mut conversations = String::from("channel,conversation_id,kind,received_at,first_response_at\n");
    for i in 0..40u32 {
        let day = 1 + i % 28;
        let mo = 1 + i % 12;
        // X: 30 to 70 hours; LinkedIn: 0.5 to 3.5 hours. Every fifth X message is never answered.
        let (x_hours, li_minutes) = (30 + i, 30 + (i * 37) % 180);
        let x_answer = if i % 5 == 4 {
            String::new()
        } else {
            format!("2025-{mo:02}-{day:02}T08:00:00Z")
                .parse::<chrono::DateTime<chrono::Utc>>()
                .map(|t| (t + chrono::Duration::hours(x_hours as i64)).format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap()
        };
        writeln!(conversations, "x,x-{i},dm,2025-{mo:02}-{day:02}T08:00:00Z,{x_answer}").unwrap();
        writeln!(
            conversations,
            "linkedin,li-{i},comment,2025-{mo:02}-{day:02}T09:00:00Z,2025-{mo:02}-{day:02}T{:02}:{:02}:00Z",
            9 + li_minutes / 60,
            li_minutes % 60
        )
        .unwrap();
    }
    write("conversations.csv", &conversations);
    write(
        "deals.csv",
        "deal_id,name,amount,currency,created,status,closed\nd1,One,12000.00,EUR,2025-03-01,won,2025-05-01\n\
         d2,Two,8000.00,EUR,2025-06-01,open,\n",
    );
    let db = dir.join("db.sqlite").display().to_string();
    for file in ["channels.csv", "people.csv", "time_entries.csv", "posts.csv", "conversations.csv", "deals.csv"] {
        let out = bin(dir).args(["--db", &db, "--quiet", "import", file]).output().unwrap();
        assert!(out.status.success(), "{file}: {}", String::from_utf8_lossy(&out.stderr));
    }
    db
}

#[test]
fn issue_14_falling_engagement_and_slow_responses_make_the_verdict_fix() {
    let dir = tempfile::tempdir().unwrap();
    let db = company(dir.path());
    let out = bin(dir.path())
        .args(["--db", &db, "--quiet", "--json", "verdict", "--no-mmm", "--reps", "20"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let channel = |key: &str| v["channels"].as_array().unwrap().iter().find(|c| c["channel"] == key).unwrap().clone();
    let codes = |c: &Value| -> Vec<String> {
        c["execution"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap().to_string()).collect()
    };
    let (li, x) = (channel("linkedin"), channel("x"));
    assert_eq!((li["verdict"].as_str(), codes(&li)), (Some("fix"), vec!["falling_engagement".to_string()]), "{li}");
    assert_eq!((x["verdict"].as_str(), codes(&x)), (Some("fix"), vec!["slow_responses".to_string()]), "{x}");
    assert_eq!(v["evidence"]["responses"], true);
    // The messages carry their numbers: LinkedIn's rate halves (falls by 50 % a year), X's median is two days.
    let li_message = li["execution"][0]["message"].as_str().unwrap();
    assert!(li_message.contains("falls by 50 % a year"), "{li_message}");
    let x_message = x["execution"][0]["message"].as_str().unwrap();
    assert!(
        x_message.contains("the median first response takes") && x_message.contains("8 of 40 conversations"),
        "{x_message}"
    );
    assert!(x["reasons"].as_array().unwrap().iter().any(|r| r["code"] == "execution" && r["text"] == x_message));

    // The text verdict says it in words.
    let out = bin(dir.path()).args(["--db", &db, "--quiet", "verdict", "--no-mmm", "--reps", "20"]).output().unwrap();
    let words = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("X account: fix") && words.contains("it answers slowly"), "{words}");

    // A threshold above X's answers: no longer slow.
    let out = bin(dir.path())
        .args(["--db", &db, "--quiet", "--json", "verdict", "--no-mmm", "--reps", "20", "--slow-response-hours", "80"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let x = v["channels"].as_array().unwrap().iter().find(|c| c["channel"] == "x").unwrap();
    assert!(x["execution"].as_array().unwrap().is_empty(), "{x}");
}

#[test]
fn issue_14_execution_prints_the_trend_and_the_response_times() {
    let dir = tempfile::tempdir().unwrap();
    let db = company(dir.path());
    let out = bin(dir.path()).args(["--db", &db, "--json", "execution"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let trend = &v["engagement_trend"];
    assert_eq!(trend["denominator"], "impressions");
    let li = &trend["channels"][0];
    assert_eq!(
        (li["channel"].as_str(), li["falling"].as_bool(), li["months"].as_u64()),
        (Some("linkedin"), Some(true), Some(24))
    );
    let change = li["yearly_change"].as_f64().unwrap();
    assert!((change + 0.5).abs() < 0.03, "true yearly change -50 %, found {change}");
    assert_eq!(trend["channels"][1]["falling"], false);
    let x = &v["responses"]["channels"][1];
    assert_eq!(
        (x["channel"].as_str(), x["conversations"].as_u64(), x["answered"].as_u64()),
        (Some("x"), Some(40), Some(32))
    );
    assert_eq!(x["slow"], true);
    let median = x["median_hours"].as_f64().unwrap();
    assert!((45.0..=55.0).contains(&median), "{median}");
    assert_eq!(v["responses"]["channels"][0]["slow"], false);

    let out = bin(dir.path()).args(["--db", &db, "execution"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Engagement rate by impressions"), "{text}");
    assert!(text.contains("First responses to comments, messages and mentions"), "{text}");

    let out = bin(dir.path()).args(["--db", &db, "execution", "--slow-response-hours", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--slow-response-hours"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
