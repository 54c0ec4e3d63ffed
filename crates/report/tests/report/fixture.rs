//! A small but complete company for the report tests: four channels (one with a hostile name), posts with
//! metrics (one hostile text, one without impressions, one without metrics, one undated), follower levels,
//! newsletters, a campaign, a PR item, an event and a paid flight, people with and without hourly cost, time on
//! channels and in general, cost items, accounts, contacts, deals (won, open, lost, unattributed) and
//! touchpoints, over the first quarter of 2024.
//!
//! The figures the tests check by hand are written next to the records that make them.

use socialledger_analytics::{JourneyEnd, Settings};
use socialledger_domain::*;

pub const HOSTILE: &str = "<script>alert(1)</script>";
pub const QUOTES: &str = "\"&<>";

pub fn d(s: &str) -> Date {
    s.parse().expect(s)
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().expect(s)
}

pub fn eur(major: i64) -> Money {
    Money::new(major * 100, Currency::EUR)
}

pub fn settings() -> Settings {
    Settings {
        period: Some((d("2024-01-01"), d("2024-03-31"))),
        currency: Currency::EUR,
        gross_margin: 0.7,
        lookback_days: 90,
        half_life_days: 7.0,
        journey_end: JourneyEnd::Close,
        credit_sales_touches: false,
    }
}

pub fn generated_at() -> Timestamp {
    ts("2024-04-02T08:00:00Z")
}

fn channel(key: &str, name: &str, kind: ChannelKind, network: Option<Network>) -> Channel {
    Channel { key: key.into(), name: name.into(), kind, network, handle: None, account: None }
}

fn post(channel: &str, id: &str, at: Option<&str>, text: &str) -> Post {
    Post {
        channel: channel.into(),
        external_id: id.into(),
        published_at: at.map(ts),
        post_type: Some(PostType::Text),
        text: Some(text.into()),
        url: None,
        author: None,
        campaign: None,
        idea: None,
    }
}

/// A lifetime snapshot with impressions (or none) and reactions/comments/shares/clicks.
fn metrics(channel: &str, id: &str, impressions: Option<i64>, counters: [i64; 4]) -> PostMetrics {
    PostMetrics {
        channel: channel.into(),
        post_id: id.into(),
        date: Some(d("2024-04-01")),
        period: Some(MetricPeriod::Lifetime),
        impressions,
        reactions: Some(counters[0]),
        comments: Some(counters[1]),
        shares: Some(counters[2]),
        clicks: Some(counters[3]),
        ..PostMetrics::default()
    }
}

fn activity(
    key: &str,
    kind: ActivityKind,
    name: &str,
    channel: Option<&str>,
    span: (&str, &str),
    spend: Option<i64>,
) -> Activity {
    Activity {
        key: key.into(),
        kind,
        name: name.into(),
        channel: channel.map(str::to_string),
        campaign: None,
        start: d(span.0),
        end: d(span.1),
        spend: spend.map(eur),
        volume: None,
        reach: None,
        clicks: None,
    }
}

fn person(key: &str, team: Team, hourly: Option<i64>) -> Person {
    Person { key: key.into(), name: key.into(), team, hourly_cost: hourly.map(eur) }
}

fn entry(key: &str, person: &str, date: &str, hours: i64, channel: Option<&str>, task: Task) -> TimeEntry {
    TimeEntry {
        key: key.into(),
        person: person.into(),
        date: d(date),
        minutes: hours * 60,
        channel: channel.map(str::to_string),
        task,
        note: None,
    }
}

fn deal(key: &str, account: &str, amount: i64, created: &str, status: DealStatus, closed: Option<&str>) -> Deal {
    Deal {
        key: key.into(),
        account: Some(account.into()),
        name: key.into(),
        amount: Some(eur(amount)),
        created: Some(d(created)),
        stage: None,
        status,
        closed: closed.map(d),
        self_reported_source: None,
    }
}

fn touch(key: &str, contact: &str, account: &str, at: &str, channel: &str, kind: TouchKind) -> Touchpoint {
    Touchpoint {
        key: key.into(),
        contact: Some(contact.into()),
        account: Some(account.into()),
        deal: None,
        at: ts(at),
        channel: channel.into(),
        kind,
        campaign: None,
        post_ref: None,
        utm_source: None,
        utm_medium: None,
        utm_campaign: None,
    }
}

pub fn dataset() -> Dataset {
    Dataset {
        channels: vec![
            channel("linkedin", "LinkedIn", ChannelKind::OrganicSocial, Some(Network::LinkedIn)),
            channel("x", HOSTILE, ChannelKind::OrganicSocial, Some(Network::X)),
            channel("newsletter", "Newsletter", ChannelKind::Email, None),
            channel("events", &format!("Events {QUOTES}"), ChannelKind::Event, None),
        ],
        posts: vec![
            post("linkedin", "li-1", Some("2024-01-09T09:00:00Z"), "Our Q1 plan"),
            post("linkedin", "li-2", Some("2024-01-23T09:00:00Z"), HOSTILE),
            post("linkedin", "li-3", Some("2024-02-06T09:00:00Z"), QUOTES),
            post("linkedin", "li-4", Some("2024-02-20T09:00:00Z"), "Case study"),
            post("linkedin", "li-5", Some("2024-03-05T09:00:00Z"), "Hiring"),
            post("linkedin", "li-6", Some("2024-03-19T09:00:00Z"), "Webinar recap"),
            post("x", "x-1", Some("2024-01-10T12:00:00Z"), "thread"),
            post("x", "x-2", Some("2024-02-14T12:00:00Z"), "poll"),
            post("x", "x-3", Some("2024-03-13T12:00:00Z"), "no metrics for this one"),
            post("x", "x-4", None, "undated"),
        ],
        post_metrics: vec![
            // LinkedIn: Jan 2,000 impressions / 80 engagements, Feb 2,000 / 100, Mar 2,000 / 120.
            metrics("linkedin", "li-1", Some(1000), [30, 5, 2, 3]),
            metrics("linkedin", "li-2", Some(1000), [30, 5, 2, 3]),
            metrics("linkedin", "li-3", Some(1000), [40, 5, 2, 3]),
            metrics("linkedin", "li-4", Some(1000), [40, 5, 2, 3]),
            metrics("linkedin", "li-5", Some(1000), [50, 5, 2, 3]),
            metrics("linkedin", "li-6", Some(1000), [50, 5, 2, 3]),
            // X: Jan 500 / 10, Feb engagements without impressions, Mar post without metrics.
            metrics("x", "x-1", Some(500), [6, 2, 1, 1]),
            metrics("x", "x-2", None, [4, 1, 0, 0]),
        ],
        channel_days: vec![ChannelDay {
            channel: "linkedin".into(),
            date: Some(d("2024-03-31")),
            followers: Some(2000),
            ..ChannelDay::default()
        }],
        audience: vec![],
        activities: vec![
            activity(
                "nl-1",
                ActivityKind::Newsletter,
                "January issue",
                Some("newsletter"),
                ("2024-01-15", "2024-01-15"),
                None,
            ),
            activity(
                "nl-2",
                ActivityKind::Newsletter,
                "February issue",
                Some("newsletter"),
                ("2024-02-15", "2024-02-15"),
                None,
            ),
            activity(
                "nl-3",
                ActivityKind::Newsletter,
                "March issue",
                Some("newsletter"),
                ("2024-03-15", "2024-03-15"),
                None,
            ),
            activity(
                "camp-1",
                ActivityKind::Campaign,
                &format!("Spring {HOSTILE}"),
                None,
                ("2024-02-05", "2024-03-10"),
                None,
            ),
            activity(
                "paid-1",
                ActivityKind::PaidMedia,
                "LinkedIn ads",
                Some("linkedin"),
                ("2024-02-05", "2024-02-25"),
                Some(800),
            ),
            activity("pr-1", ActivityKind::Pr, "Trade press interview", None, ("2024-01-30", "2024-01-30"), None),
            activity(
                "ev-1",
                ActivityKind::Event,
                "Trade fair",
                Some("events"),
                ("2024-03-06", "2024-03-07"),
                Some(2000),
            ),
        ],
        people: vec![
            person("alice", Team::Marketing, Some(60)),
            person("bob", Team::CustomerService, Some(45)),
            person("carol", Team::Recruitment, None),
        ],
        time_entries: vec![
            // LinkedIn: alice 10 h content (600 EUR), bob 2 h customer service (90 EUR), carol 3 h recruiting
            // (not costed).
            entry("t1", "alice", "2024-01-10", 6, Some("linkedin"), Task::Content),
            entry("t2", "alice", "2024-02-10", 4, Some("linkedin"), Task::Content),
            entry("t3", "bob", "2024-02-12", 2, Some("linkedin"), Task::CustomerService),
            entry("t4", "carol", "2024-03-01", 3, Some("linkedin"), Task::Recruiting),
            // X: alice 2 h content (120 EUR), bob 4 h customer service (180 EUR).
            entry("t5", "alice", "2024-01-11", 2, Some("x"), Task::Content),
            entry("t6", "bob", "2024-03-12", 4, Some("x"), Task::CustomerService),
            // Events: alice 5 h community (300 EUR). In general: alice 1 h reporting (60 EUR).
            entry("t7", "alice", "2024-03-06", 5, Some("events"), Task::Community),
            entry("t8", "alice", "2024-03-28", 1, None, Task::Reporting),
        ],
        cost_items: vec![
            // LinkedIn ads 1,500 EUR in February; a tool for social in general, 99 EUR in January.
            CostItem {
                channel: Some("linkedin".into()),
                month: d("2024-02-01"),
                kind: CostKind::Ads,
                amount: eur(1500),
                description: "Sponsored posts".into(),
            },
            CostItem {
                channel: None,
                month: d("2024-01-01"),
                kind: CostKind::Tool,
                amount: eur(99),
                description: "Scheduler".into(),
            },
        ],
        accounts: vec![
            Account { key: "acme".into(), name: "Acme".into(), industry: None, size: None, country: None },
            Account { key: "globex".into(), name: "Globex".into(), industry: None, size: None, country: None },
            Account { key: "initech".into(), name: "Initech".into(), industry: None, size: None, country: None },
        ],
        contacts: vec![
            Contact {
                key: "c1".into(),
                account: Some("acme".into()),
                name: None,
                email: None,
                job_title: None,
                created_at: Some(ts("2024-01-28T10:00:00Z")),
                self_reported_source: Some("LinkedIn".into()),
            },
            Contact {
                key: "c2".into(),
                account: Some("globex".into()),
                name: None,
                email: None,
                job_title: None,
                created_at: None,
                self_reported_source: None,
            },
        ],
        deals: vec![
            // Won 30,000 EUR in March after touches on X, LinkedIn, the newsletter and the event.
            deal("d1", "acme", 30_000, "2024-02-01", DealStatus::Won, Some("2024-03-15")),
            // Open 12,000 EUR created in March after LinkedIn and X touches.
            deal("d2", "globex", 12_000, "2024-03-01", DealStatus::Open, None),
            // Won 5,000 EUR without any touchpoint: unattributed.
            deal("d3", "initech", 5_000, "2024-01-15", DealStatus::Won, Some("2024-02-20")),
            deal("d4", "globex", 8_000, "2024-01-20", DealStatus::Lost, Some("2024-02-28")),
        ],
        touchpoints: vec![
            // Before the period and outside every 90-day window: it only shows that the data reaches back far
            // enough for the data-driven models to see d1's and d4's whole windows.
            touch("tp0", "c1", "acme", "2023-10-01T10:00:00Z", "x", TouchKind::Impression),
            touch("tp1", "c1", "acme", "2024-01-10T10:00:00Z", "x", TouchKind::Engagement),
            touch("tp2", "c1", "acme", "2024-01-20T10:00:00Z", "linkedin", TouchKind::Visit),
            touch("tp3", "c1", "acme", "2024-01-25T10:00:00Z", "newsletter", TouchKind::EmailClick),
            touch("tp4", "c1", "acme", "2024-01-28T10:00:00Z", "linkedin", TouchKind::Form),
            touch("tp5", "c1", "acme", "2024-03-06T10:00:00Z", "events", TouchKind::EventAttendance),
            touch("tp6", "c2", "globex", "2024-02-10T10:00:00Z", "linkedin", TouchKind::Impression),
            touch("tp7", "c2", "globex", "2024-02-20T10:00:00Z", "x", TouchKind::Visit),
        ],
        period_metrics: vec![],
        conversations: vec![],
        compact_touches: None,
    }
}
