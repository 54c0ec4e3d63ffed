//! Issue 12 through the binary: real exports of one account land on one channel in either order, two accounts on
//! two, a personal profile and a company page on two; an export that names no account among several asks for
//! `--channel KEY`; `channels rename` and `channels merge` repair what went wrong.

use crate::support::{bin, exports_dir};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn shared(rel: &str) -> PathBuf {
    exports_dir().join(rel)
}

const KAIA_CONTENT: &str = "x/kaiadevintern_account_analytics_content_2024-12-22_2025-03-22.csv";
const KAIA_OVERVIEW: &str = "x/kaiadevintern_account_overview_analytics.csv";
const KOE_OVERVIEW: &str = "x/koe_account_overview_analytics.csv";
const LISA_TWEETS: &str = "x/tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv";

fn import(dir: &Path, db: &str, file: &Path, extra: &[&str]) -> std::process::Output {
    bin(dir).args(["--db", db, "import", "--quiet"]).args(extra).arg(file).output().unwrap()
}

fn import_ok(dir: &Path, db: &str, file: &Path) {
    let out = import(dir, db, file, &[]);
    assert!(out.status.success(), "import of {} failed:\n{}", file.display(), String::from_utf8_lossy(&out.stderr));
}

fn channels(dir: &Path, db: &str) -> Vec<Value> {
    let out = bin(dir).args(["--db", db, "--json", "channels"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Value>(&out.stdout).unwrap().as_array().unwrap().clone()
}

fn keys(list: &[Value]) -> Vec<String> {
    list.iter().map(|c| c["channel"].as_str().unwrap().to_string()).collect()
}

#[test]
fn issue_12_an_x_content_and_overview_export_of_one_account_are_one_channel_in_either_order() {
    socialledger_testkit::needs_shared_data!();
    for order in [[KAIA_CONTENT, KAIA_OVERVIEW], [KAIA_OVERVIEW, KAIA_CONTENT]] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("l.db").display().to_string();
        for f in order {
            import_ok(dir.path(), &db, &shared(f));
        }
        let list = channels(dir.path(), &db);
        assert_eq!(keys(&list), ["x"], "{order:?}");
        assert_eq!(list[0]["posts"], 173);
        assert_eq!(list[0]["channel_days"], 271);
        assert!(list[0]["handle"].as_str().unwrap().eq_ignore_ascii_case("kaiadevintern"), "{}", list[0]);
    }
}

#[test]
fn issue_12_the_overviews_of_two_x_accounts_are_two_channels() {
    socialledger_testkit::needs_shared_data!();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db").display().to_string();
    for f in [KAIA_OVERVIEW, KOE_OVERVIEW] {
        import_ok(dir.path(), &db, &shared(f));
    }
    let list = channels(dir.path(), &db);
    assert_eq!(keys(&list), ["x", "x-koe"]);
    assert_eq!((list[0]["channel_days"].as_u64(), list[1]["channel_days"].as_u64()), (Some(271), Some(7)));
}

#[test]
fn issue_12_a_linkedin_profile_archive_and_a_company_page_are_two_channels_in_either_order() {
    socialledger_testkit::needs_shared_data!();
    for order in [
        ["linkedin/Shares.csv", "linkedin/doorly_content_1774355108388.xls"],
        ["linkedin/doorly_content_1774355108388.xls", "linkedin/Shares.csv"],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("l.db").display().to_string();
        for f in order {
            import_ok(dir.path(), &db, &shared(f));
        }
        let list = channels(dir.path(), &db);
        assert_eq!(list.len(), 2, "{order:?}: {list:?}");
        let mut accounts: Vec<&str> = list.iter().map(|c| c["account"].as_str().unwrap()).collect();
        accounts.sort();
        assert_eq!(accounts, ["page", "profile"], "{order:?}");
        let profile = list.iter().find(|c| c["account"] == "profile").unwrap();
        assert_eq!(profile["posts"], 198, "every share is on the profile (202 rows, 4 of them repeats per media file)");
        assert_eq!(profile["handle"], Value::Null);
    }
}

#[test]
fn issue_12_an_export_naming_no_account_among_several_asks_for_channel_key() {
    socialledger_testkit::needs_shared_data!();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db").display().to_string();
    import_ok(dir.path(), &db, &shared(KAIA_CONTENT));
    import_ok(dir.path(), &db, &shared(LISA_TWEETS));
    // X's own name for the overview download: nothing tells whose it is.
    let plain = dir.path().join("account_overview_analytics.csv");
    std::fs::copy(shared(KOE_OVERVIEW), &plain).unwrap();
    let out = import(dir.path(), &db, &plain, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("account_overview_analytics.csv:1: the file does not name its x account"), "{err}");
    assert!(err.contains("x (@KaiaDevIntern), x-lisadebruine (@LisaDeBruine)"), "{err}");
    assert!(err.contains("--channel KEY"), "{err}");
    assert_eq!(channels(dir.path(), &db).iter().map(|c| c["channel_days"].as_u64().unwrap()).sum::<u64>(), 0);

    let out = import(dir.path(), &db, &plain, &["--channel", "x-lisadebruine"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list = channels(dir.path(), &db);
    assert_eq!(keys(&list), ["x", "x-lisadebruine"]);
    assert_eq!((list[0]["channel_days"].as_u64(), list[1]["channel_days"].as_u64()), (Some(0), Some(7)));
}

#[test]
fn issue_12_channels_merge_and_rename_repair_a_split_account() {
    socialledger_testkit::needs_shared_data!();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db").display().to_string();
    import_ok(dir.path(), &db, &shared(KAIA_CONTENT));
    // The overview put on a channel of its own, as the old rules did (`x-x`).
    let out = import(dir.path(), &db, &shared(KAIA_OVERVIEW), &["--channel", "x-x"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(keys(&channels(dir.path(), &db)), ["x", "x-x"]);

    let out = bin(dir.path()).args(["--db", &db, "channels", "merge", "x-x", "x", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((m["from"].as_str(), m["into"].as_str()), (Some("x-x"), Some("x")));
    let days = m["tables"].as_array().unwrap().iter().find(|t| t["table"] == "channel_days").unwrap();
    assert_eq!((days["moved"].as_u64(), days["merged"].as_u64()), (Some(271), Some(0)));

    let list = channels(dir.path(), &db);
    assert_eq!(keys(&list), ["x"]);
    assert_eq!((list[0]["posts"].as_u64(), list[0]["channel_days"].as_u64()), (Some(173), Some(271)));

    // Recorded in the imports history.
    let out = bin(dir.path()).args(["--db", &db, "--json", "imports"]).output().unwrap();
    let imports: Value = serde_json::from_slice(&out.stdout).unwrap();
    let last = imports.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["format"], "channels-merge", "{last}");
    assert_eq!(last["id"], m["import_id"]);

    // Importing the earlier file again changes nothing and brings no x-x back.
    let out = bin(dir.path()).args(["--db", &db, "--json", "import"]).arg(shared(KAIA_OVERVIEW)).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["status"], "unchanged", "{v}");
    assert_eq!(keys(&channels(dir.path(), &db)), ["x"]);

    // Rename: text and JSON.
    let out = bin(dir.path()).args(["--db", &db, "channels", "rename", "x", "--name", "Kaia on X"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "channel x is now named \"Kaia on X\"\n");
    let out =
        bin(dir.path()).args(["--db", &db, "--json", "channels", "rename", "x", "--name", "Kaia"]).output().unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (r["channel"].as_str(), r["name"].as_str(), r["network"].as_str()),
        (Some("x"), Some("Kaia"), Some("x"))
    );
    assert_eq!(channels(dir.path(), &db)[0]["name"], "Kaia");
}

#[test]
fn issue_12_channel_repairs_name_unknown_channels_with_exit_code_2() {
    socialledger_testkit::needs_shared_data!();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db").display().to_string();
    import_ok(dir.path(), &db, &shared(KOE_OVERVIEW));
    for args in [
        &["channels", "merge", "nope", "x"][..],
        &["channels", "merge", "x", "x"],
        &["channels", "rename", "nope", "--name", "N"],
    ] {
        let out = bin(dir.path()).args(["--db", &db]).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("socialledger: "), "{err}");
        assert!(err.contains("nope") || err.contains("itself"), "{err}");
    }
    assert_eq!(keys(&channels(dir.path(), &db)), ["x"]);
}

#[test]
fn issue_12_after_a_merge_a_new_download_of_the_merged_account_lands_on_into() {
    socialledger_testkit::needs_shared_data!();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db").display().to_string();
    import_ok(dir.path(), &db, &shared(KAIA_CONTENT));
    import_ok(dir.path(), &db, &shared(KOE_OVERVIEW));
    assert_eq!(keys(&channels(dir.path(), &db)), ["x", "x-koe"]);
    let out = bin(dir.path()).args(["--db", &db, "channels", "merge", "x-koe", "x"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("merged channel x-koe into x (recorded as import 3):\n"), "{text}");
    assert!(text.contains("channel_days") && text.contains("7 moved"), "{text}");

    // A later download of the same account, under the same kind of name, has other bytes: it is imported, and
    // lands on x through the alias instead of making x-koe again.
    let original = std::fs::read_to_string(shared(KOE_OVERVIEW)).unwrap();
    let mut lines: Vec<&str> = original.lines().collect();
    lines.remove(1);
    let newer = dir.path().join("koe_account_overview_analytics.csv");
    std::fs::write(&newer, lines.join("\n") + "\n").unwrap();
    import_ok(dir.path(), &db, &newer);
    let list = channels(dir.path(), &db);
    assert_eq!(keys(&list), ["x"]);
    assert_eq!(list[0]["aliases"], serde_json::json!(["koe"]));
    assert_eq!(list[0]["channel_days"], 7, "the newer download's days are the merged ones, not new ones");
}
