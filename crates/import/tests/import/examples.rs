//! Every file in examples/ imports, is recognised as its format, and yields the records it holds.

use crate::support::{example, example_bytes, examples_dir, import_as};
use chrono::{NaiveDate, TimeZone, Utc};
use socialledger_domain::*;
use socialledger_import::ImportOptions;

fn day(y: i32, m: u32, d: u32) -> Date {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

fn eur(minor: i64) -> Option<Money> {
    Some(Money::new(minor, Currency::EUR))
}

#[test]
fn every_example_file_is_recognised_as_its_canonical_format() {
    let mut seen = 0;
    for entry in std::fs::read_dir(examples_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("csv") {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let parsed = example(&name);
        let stem = name.trim_end_matches(".csv").replace('_', "-");
        assert_eq!(parsed.format, format!("canonical-{stem}"), "{name}");
        let text = String::from_utf8(example_bytes(&name)).unwrap();
        let lines = text.lines().count() - 1;
        // posts.csv has one text with a line break inside quotes: one record over two lines.
        let expected_rows = if name == "posts.csv" { lines - 1 } else { lines };
        assert_eq!(parsed.rows, expected_rows, "{name}");
        assert!(!parsed.dataset.is_empty(), "{name}");
        assert!(parsed.notes.is_empty(), "{name}: {:?}", parsed.notes);
        assert_eq!(parsed.content_hash, blake3::hash(&example_bytes(&name)).to_hex().to_string());
        seen += 1;
    }
    assert_eq!(seen, 13, "one example per canonical format");
}

#[test]
fn reparsing_gives_identical_datasets() {
    for name in ["posts.csv", "time_entries.csv", "touchpoints.csv", "deals.csv"] {
        assert_eq!(example(name).dataset, example(name).dataset, "{name}");
    }
}

#[test]
fn channels() {
    let ds = example("channels.csv").dataset;
    assert_eq!(ds.channels.len(), 9);
    assert_eq!(ds.len(), 9);
    let ads = ds.channels.iter().find(|c| c.key == "linkedin-ads").unwrap();
    assert_eq!(
        (ads.kind, ads.network, ads.handle.as_deref(), ads.name.as_str()),
        (ChannelKind::PaidSocial, Some(Network::LinkedIn), Some("fleetwise"), "LinkedIn campaigns")
    );
    let youtube = ds.channels.iter().find(|c| c.key == "youtube").unwrap();
    assert_eq!(youtube.handle.as_deref(), Some("fleetwise"), "the @ of a handle is not part of it");
    let newsletter = ds.channels.iter().find(|c| c.key == "newsletter").unwrap();
    assert_eq!((newsletter.kind, newsletter.network, newsletter.handle.clone()), (ChannelKind::Email, None, None));
}

#[test]
fn posts_with_lifetime_metrics() {
    let ds = example("posts.csv").dataset;
    assert_eq!(ds.posts.len(), 6);
    assert_eq!(ds.post_metrics.len(), 5, "the poll has no counters yet");
    let video = &ds.posts[1];
    assert_eq!(video.external_id, "7302900000000000002");
    assert_eq!(video.text.as_deref(), Some("Meet the team behind our ETA model.\nFilmed in our Utrecht office."));
    assert_eq!(video.published_at, Some(at(2025, 3, 11, 9, 15, 0)), "naive time read in UTC");
    assert_eq!(video.post_type, Some(PostType::Video));
    let tweet = &ds.posts[2];
    assert_eq!(tweet.published_at, Some(at(2025, 3, 4, 8, 0, 0)), "+01:00 converted to UTC");
    assert_eq!(tweet.text.as_deref(), Some("Route planning in 2025: five lessons from 40,000 delivery runs 🚚"));
    assert_eq!(tweet.idea.as_deref(), Some("route-lessons"));
    assert_eq!(ds.posts[0].idea, tweet.idea);

    let first = &ds.post_metrics[0];
    assert_eq!((first.channel.as_str(), first.post_id.as_str()), ("linkedin", "7301200000000000001"));
    assert_eq!((first.date, first.period), (Some(day(2025, 4, 1)), Some(MetricPeriod::Lifetime)));
    assert_eq!((first.impressions, first.reach, first.clicks, first.follows), (Some(12480), None, Some(377), Some(12)));
    assert_eq!(first.engagements, Some(214 + 31 + 18 + 377), "empty engagements = reactions+comments+shares+clicks");
    assert_eq!(ds.post_metrics[2].engagements, Some(140), "a written total is kept");
    assert_eq!(ds.post_metrics[4].engagements, Some(87 + 9 + 4), "youtube row has no clicks");
    assert_eq!(ds.post_metrics[4].video_views, Some(1930));
    let poll = &ds.posts[5];
    assert_eq!((poll.post_type, poll.url.as_deref(), poll.campaign.as_deref()), (Some(PostType::Poll), None, None));
}

#[test]
fn naive_timestamps_follow_the_tz_option() {
    let opts = ImportOptions { tz: "Europe/Amsterdam".parse().unwrap(), ..Default::default() };
    let ds = import_as("posts.csv", &example_bytes("posts.csv"), &opts).unwrap().dataset;
    assert_eq!(ds.posts[1].published_at, Some(at(2025, 3, 11, 8, 15, 0)), "09:15 CET is 08:15 UTC");
    assert_eq!(ds.posts[0].published_at, Some(at(2025, 3, 4, 8, 30, 0)), "an explicit Z is not re-read");
}

#[test]
fn post_days() {
    let ds = example("post_days.csv").dataset;
    assert_eq!(ds.post_metrics.len(), 6);
    assert!(ds.post_metrics.iter().all(|m| m.period == Some(MetricPeriod::Day)));
    let linkedin: i64 =
        ds.post_metrics.iter().filter(|m| m.post_id == "7301200000000000001").map(|m| m.impressions.unwrap()).sum();
    assert_eq!(linkedin, 5210 + 4020 + 1630);
    let yt = &ds.post_metrics[5];
    assert_eq!(
        (yt.channel.as_str(), yt.date, yt.video_views, yt.clicks),
        ("youtube", Some(day(2025, 3, 18)), Some(890), None)
    );
}

#[test]
fn channel_days() {
    let ds = example("channel_days.csv").dataset;
    assert_eq!(ds.channel_days.len(), 6);
    let d = &ds.channel_days[1];
    assert_eq!(
        (d.channel.as_str(), d.date, d.followers, d.new_followers),
        ("linkedin", Some(day(2025, 3, 5)), Some(4829), Some(19))
    );
    assert_eq!((d.page_views, d.profile_visits, d.posts_published), (Some(188), None, Some(0)));
}

#[test]
fn activities() {
    let ds = example("activities.csv").dataset;
    assert_eq!(ds.activities.len(), 6);
    let fair = ds.activities.iter().find(|a| a.key == "logimat-2025").unwrap();
    assert_eq!((fair.kind, fair.start, fair.end), (ActivityKind::Event, day(2025, 3, 11), day(2025, 3, 13)));
    assert_eq!((fair.spend, fair.volume, fair.channel.as_deref()), (eur(1_850_000), Some(260), Some("events")));
    let issue = &ds.activities[0];
    assert_eq!((issue.end, issue.volume, issue.reach, issue.clicks), (issue.start, Some(3840), Some(1690), Some(412)));
    let pr = ds.activities.iter().find(|a| a.key == "pr-transportweek").unwrap();
    assert_eq!((pr.spend, pr.channel.clone(), pr.kind), (None, None, ActivityKind::Pr));
    assert_eq!(ds.activities[4].spend, eur(45_000));
    assert_eq!(ds.activities[5].spend, eur(620_050));
}

#[test]
fn people() {
    let ds = example("people.csv").dataset;
    assert_eq!(ds.people.len(), 4);
    assert_eq!(ds.people[0].hourly_cost, eur(6850));
    assert_eq!(ds.people[2].team, Team::CustomerService);
    assert_eq!(ds.people[3].team, Team::Recruitment);
}

#[test]
fn time_entries() {
    let ds = example("time_entries.csv").dataset;
    let te = &ds.time_entries;
    assert_eq!(te.len(), 8);
    assert_eq!((te[0].key.as_str(), te[0].minutes, te[0].task), ("te-1001", 150, Task::Content));
    assert_eq!((te[1].minutes, te[2].minutes, te[5].minutes, te[6].minutes), (45, 60, 75, 90));
    // Rows 5 and 6 are identical and without an id: two entries, two different hash keys.
    assert_eq!((te[3].minutes, te[4].minutes), (30, 30));
    assert_ne!(te[3].key, te[4].key);
    assert!(te[3].key.starts_with("te-") && te[3].key.len() == 23, "{}", te[3].key);
    assert_eq!((te[5].task, te[6].task), (Task::CustomerService, Task::Recruiting));
    assert_eq!((te[7].channel.clone(), te[7].task), (None, Task::Reporting));
    assert_eq!(te[2].note, None);
    let keys: std::collections::HashSet<&str> = te.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(keys.len(), 8);
}

#[test]
fn cost_items() {
    let ds = example("cost_items.csv").dataset;
    assert_eq!(ds.cost_items.len(), 6);
    let tool = &ds.cost_items[0];
    assert_eq!(
        (tool.channel.clone(), tool.month, tool.kind, tool.amount),
        (None, day(2025, 3, 1), CostKind::Tool, Money::new(24_900, Currency::EUR))
    );
    assert_eq!(ds.cost_items[3].amount.minor, 234_075);
    assert_eq!(ds.cost_items[4].month, day(2025, 4, 1));
    let total: i64 = ds.cost_items.iter().map(|c| c.amount.minor).sum();
    assert_eq!(total, 24_900 + 620_050 + 180_000 + 234_075 + 24_900 + 95_000);
}

#[test]
fn accounts_contacts_deals() {
    let accounts = example("accounts.csv").dataset.accounts;
    assert_eq!(accounts.len(), 4);
    assert_eq!(accounts[2].name, "Nordic Cold Chain AB");
    assert_eq!(accounts[3].size.as_deref(), Some("1001-5000"));

    let contacts = example("contacts.csv").dataset.contacts;
    assert_eq!(contacts.len(), 5);
    assert_eq!(contacts[2].name.as_deref(), Some("Jürgen Hölzl"));
    assert_eq!(contacts[2].created_at, Some(at(2025, 3, 12, 9, 30, 0)));
    assert_eq!(contacts[1].self_reported_source, None);
    assert_eq!(contacts[3].account.as_deref(), Some("acc-003"));

    let deals = example("deals.csv").dataset.deals;
    assert_eq!(deals.len(), 4);
    let won = &deals[0];
    assert_eq!(
        (won.status, won.amount, won.created, won.closed),
        (DealStatus::Won, eur(4_800_000), Some(day(2025, 3, 10)), Some(day(2025, 4, 22)))
    );
    assert_eq!((deals[1].status, deals[2].status, deals[2].closed), (DealStatus::Lost, DealStatus::Open, None));
    assert_eq!((deals[3].amount, deals[3].self_reported_source.as_deref()), (None, Some("Google")));
}

#[test]
fn touchpoints_with_channels_from_utm() {
    let tp = example("touchpoints.csv").dataset.touchpoints;
    assert_eq!(tp.len(), 10);
    let channels: Vec<&str> = tp.iter().map(|t| t.channel.as_str()).collect();
    assert_eq!(
        channels,
        [
            "linkedin",
            "linkedin",
            "linkedin",
            "linkedin",
            "events",
            "newsletter",
            "linkedin-ads",
            "direct",
            "paid-search",
            "organic-search"
        ]
    );
    assert_eq!(
        (tp[0].key.as_str(), tp[0].kind, tp[0].post_ref.as_deref()),
        ("tp-1", TouchKind::Engagement, Some("7301200000000000001"))
    );
    assert_eq!(tp[0].at, at(2025, 3, 4, 9, 2, 11));
    assert_eq!(tp[4].at, at(2025, 3, 12, 10, 30, 0), "+01:00 converted to UTC");
    assert_eq!((tp[2].kind, tp[3].kind, tp[5].kind), (TouchKind::Form, TouchKind::Meeting, TouchKind::EmailClick));
    assert_eq!(
        (tp[5].utm_source.as_deref(), tp[5].utm_campaign.as_deref()),
        (Some("mailchimp"), Some("dispatch-march"))
    );
    assert_eq!(tp[3].deal.as_deref(), Some("d-9001"));
    assert_eq!((tp[9].contact.clone(), tp[9].account.as_deref()), (None, Some("acc-004")));
    for t in &tp[3..] {
        assert!(t.key.starts_with("tp-") && t.key.len() == 23, "hash key {}", t.key);
    }
}

#[test]
fn conversations() {
    let ds = example("conversations.csv").dataset;
    assert_eq!(ds.conversations.len(), 6);
    assert_eq!(ds.len(), 6);
    let first = &ds.conversations[0];
    assert_eq!(
        (first.channel.as_str(), first.key.as_str(), first.kind, first.assignee.as_deref()),
        ("linkedin", "urn:li:comment:7301", Some(ConversationKind::Comment), Some("mara@fleetwise.example"))
    );
    assert_eq!(
        (first.received_at, first.first_response_at),
        (at(2025, 3, 3, 9, 12, 0), Some(at(2025, 3, 3, 10, 5, 0)))
    );
    let dm = &ds.conversations[2];
    assert_eq!(dm.kind, Some(ConversationKind::Dm));
    assert_eq!(dm.received_at, at(2025, 3, 5, 16, 30, 0), "+01:00 converted to UTC");
    let mention = &ds.conversations[3];
    assert_eq!(
        (mention.kind, mention.first_response_at, mention.assignee.clone()),
        (Some(ConversationKind::Mention), None, None)
    );
}
