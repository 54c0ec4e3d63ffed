//! Datasets for the tests: one record of every kind and the awkward values a store must keep exactly.

use chrono::{NaiveDate, TimeZone, Utc};
use socialledger_domain::*;

pub fn date(y: i32, m: u32, d: u32) -> Date {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap() + chrono::Duration::nanoseconds(nanos as i64)
}

pub fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

pub fn channel(key: &str, kind: ChannelKind, network: Option<Network>) -> Channel {
    Channel {
        key: key.into(),
        name: format!("Name of {key}"),
        kind,
        network,
        handle: network.map(|_| format!("@{key}")),
        account: None,
    }
}

pub fn post_metrics(channel: &str, post_id: &str, day: Option<Date>, impressions: i64) -> PostMetrics {
    PostMetrics {
        channel: channel.into(),
        post_id: post_id.into(),
        date: day,
        period: Some(MetricPeriod::Lifetime),
        impressions: Some(impressions),
        reactions: Some(impressions / 10),
        reported_engagement_rate: Some(0.031),
        ..Default::default()
    }
}

pub fn touchpoint(key: &str, channel: &str, when: Timestamp) -> Touchpoint {
    Touchpoint {
        key: key.into(),
        contact: Some(format!("contact-{key}")),
        account: Some("acme".into()),
        deal: None,
        at: when,
        channel: channel.into(),
        kind: TouchKind::Visit,
        campaign: None,
        post_ref: None,
        utm_source: Some("linkedin".into()),
        utm_medium: Some("social".into()),
        utm_campaign: None,
    }
}

pub fn activity(key: &str, start: Date, end: Date) -> Activity {
    Activity {
        key: key.into(),
        kind: ActivityKind::Webinar,
        name: format!("Activity {key}"),
        channel: Some("webinars".into()),
        campaign: None,
        start,
        end,
        spend: Some(eur(150_000)),
        volume: Some(120),
        reach: None,
        clicks: None,
    }
}

/// Every record kind, with unicode, case and punctuation in keys (byte order differs from locale order), absent
/// values next to present ones, nanosecond timestamps, several currencies and awkward floats.
pub fn sample() -> Dataset {
    let jpy = Currency::parse("JPY").unwrap();
    Dataset {
        channels: vec![
            channel("linkedin", ChannelKind::OrganicSocial, Some(Network::LinkedIn)),
            channel("LinkedIn-Ads", ChannelKind::PaidSocial, Some(Network::LinkedIn)),
            channel("x", ChannelKind::OrganicSocial, Some(Network::X)),
            channel("évènements", ChannelKind::Event, None),
            channel("webinars", ChannelKind::Webinar, None),
            channel("newsletter", ChannelKind::Email, None),
        ],
        posts: vec![
            Post {
                channel: "linkedin".into(),
                external_id: "urn:li:activity:7001".into(),
                published_at: Some(at(2025, 3, 1, 9, 30, 0, 123_456_789)),
                post_type: Some(PostType::Document),
                text: Some("Ünïcödé \"quoted\", 'single', <b>tags</b>, emoji 📈, newline\nand tab\t".into()),
                url: Some("https://www.linkedin.com/feed/update/urn:li:activity:7001".into()),
                author: Some("Ada".into()),
                campaign: Some("Q1 launch".into()),
                idea: Some("launch".into()),
            },
            Post {
                channel: "x".into(),
                external_id: "1890000000000000001".into(),
                published_at: None,
                post_type: None,
                text: Some(String::new()),
                url: None,
                author: None,
                campaign: None,
                idea: Some("launch".into()),
            },
            Post {
                channel: "linkedin".into(),
                external_id: "Urn-upper".into(),
                published_at: Some(at(1999, 12, 31, 23, 59, 59, 999_999_999)),
                post_type: Some(PostType::Video),
                text: None,
                url: None,
                author: None,
                campaign: None,
                idea: None,
            },
        ],
        post_metrics: vec![
            post_metrics("linkedin", "urn:li:activity:7001", Some(date(2025, 3, 8)), 1200),
            PostMetrics {
                period: Some(MetricPeriod::Day),
                reported_engagement_rate: None,
                watch_seconds: Some(0),
                ..post_metrics("linkedin", "urn:li:activity:7001", Some(date(2025, 3, 2)), 700)
            },
            PostMetrics {
                date: None,
                period: None,
                reported_engagement_rate: Some(1e-300),
                ..post_metrics("x", "1890000000000000001", None, 5)
            },
        ],
        channel_days: vec![
            ChannelDay {
                channel: "linkedin".into(),
                date: Some(date(2025, 3, 1)),
                followers: Some(10_234),
                new_followers: Some(12),
                lost_followers: Some(0),
                reported_engagement_rate: Some(0.1 + 0.2),
                ..Default::default()
            },
            ChannelDay { channel: "x".into(), date: None, impressions: Some(i64::MAX), ..Default::default() },
        ],
        audience: vec![
            AudienceSlice {
                channel: "linkedin".into(),
                date: date(2025, 3, 1),
                audience: AudienceKind::Followers,
                dimension: AudienceDimension::JobFunction,
                value: "Engineering".into(),
                count: 812,
            },
            AudienceSlice {
                channel: "linkedin".into(),
                date: date(2025, 3, 1),
                audience: AudienceKind::Followers,
                dimension: AudienceDimension::Country,
                value: "Österreich".into(),
                count: 40,
            },
        ],
        activities: vec![
            activity("webinar-2025-03", date(2025, 3, 20), date(2025, 3, 20)),
            Activity {
                kind: ActivityKind::Newsletter,
                channel: None,
                spend: None,
                volume: None,
                campaign: Some("Spring".into()),
                reach: Some(4000),
                clicks: Some(-1),
                ..activity("issue-12", date(2025, 2, 1), date(2025, 2, 2))
            },
        ],
        people: vec![
            Person {
                key: "ada@example.com".into(),
                name: "Ada".into(),
                team: Team::Marketing,
                hourly_cost: Some(eur(6_550)),
            },
            Person { key: "bob".into(), name: "Bob".into(), team: Team::CustomerService, hourly_cost: None },
        ],
        time_entries: vec![
            TimeEntry {
                key: "t1".into(),
                person: "ada@example.com".into(),
                date: date(2025, 3, 3),
                minutes: 90,
                channel: Some("linkedin".into()),
                task: Task::Content,
                note: Some("carousel".into()),
            },
            TimeEntry {
                key: "t2".into(),
                person: "bob".into(),
                date: date(2025, 3, 3),
                minutes: 0,
                channel: None,
                task: Task::CustomerService,
                note: None,
            },
        ],
        cost_items: vec![
            CostItem {
                channel: Some("LinkedIn-Ads".into()),
                month: date(2025, 3, 1),
                kind: CostKind::Ads,
                amount: eur(123_456),
                description: "Sponsored content".into(),
            },
            CostItem {
                channel: None,
                month: date(2025, 3, 1),
                kind: CostKind::Tool,
                amount: Money::new(4_900, jpy),
                description: "Scheduling tool".into(),
            },
            CostItem {
                channel: None,
                month: date(2025, 3, 1),
                kind: CostKind::Agency,
                amount: eur(-5_000),
                description: "Credit note".into(),
            },
        ],
        accounts: vec![Account {
            key: "acme".into(),
            name: "ACME GmbH".into(),
            industry: Some("Manufacturing".into()),
            size: Some("201-500".into()),
            country: None,
        }],
        contacts: vec![Contact {
            key: "c-1".into(),
            account: Some("acme".into()),
            name: Some("Grace".into()),
            email: Some("grace@acme.example".into()),
            job_title: None,
            created_at: Some(at(2025, 2, 28, 17, 0, 0, 1)),
            self_reported_source: Some("LinkedIn post".into()),
        }],
        deals: vec![
            Deal {
                key: "d-1".into(),
                account: Some("acme".into()),
                name: "ACME platform".into(),
                amount: Some(eur(4_500_000)),
                created: Some(date(2025, 3, 10)),
                stage: Some("Closed Won".into()),
                status: DealStatus::Won,
                closed: Some(date(2025, 4, 30)),
                self_reported_source: None,
            },
            Deal {
                key: "d-2".into(),
                account: None,
                name: "Open one".into(),
                amount: None,
                created: None,
                stage: None,
                status: DealStatus::Open,
                closed: None,
                self_reported_source: Some("a friend".into()),
            },
        ],
        touchpoints: vec![
            touchpoint("tp-b", "linkedin", at(2025, 3, 2, 8, 0, 0, 0)),
            touchpoint("tp-A", "x", at(2025, 3, 1, 8, 0, 0, 5)),
            Touchpoint {
                kind: TouchKind::Form,
                deal: Some("d-1".into()),
                post_ref: Some("urn:li:activity:7001".into()),
                campaign: Some("Q1 launch".into()),
                utm_campaign: Some("q1".into()),
                ..touchpoint("tp-ä", "webinars", at(2025, 3, 20, 16, 45, 0, 0))
            },
        ],
        period_metrics: vec![
            PeriodMetric {
                source: "ga4".into(),
                dimension: "channel_group".into(),
                value: "Organic Social".into(),
                period_start: date(2025, 3, 1),
                period_end: date(2025, 3, 31),
                metric: "sessions".into(),
                amount: Some(1532.0),
            },
            PeriodMetric {
                source: "ga4".into(),
                dimension: "channel_group".into(),
                value: "Organic Social".into(),
                period_start: date(2025, 3, 1),
                period_end: date(2025, 3, 31),
                metric: "engagement_rate".into(),
                amount: Some(0.612_345_678_901_234_5),
            },
        ],
        conversations: vec![
            Conversation {
                channel: "x".into(),
                key: "1897000000000000002".into(),
                kind: Some(ConversationKind::Dm),
                received_at: at(2025, 3, 6, 11, 0, 0, 123_456_789),
                first_response_at: Some(at(2025, 3, 8, 16, 45, 0, 1)),
                assignee: Some("jonas@fleetwise.example".into()),
            },
            Conversation {
                channel: "linkedin".into(),
                key: "urn:li:comment:Ä7301".into(),
                kind: None,
                received_at: at(2025, 3, 3, 9, 12, 0, 0),
                first_response_at: None,
                assignee: None,
            },
            Conversation {
                channel: "linkedin".into(),
                key: "URN:li:comment:7300".into(),
                kind: Some(ConversationKind::Comment),
                received_at: at(2025, 3, 3, 9, 12, 0, 0),
                first_response_at: Some(at(2025, 3, 3, 9, 12, 0, 0)),
                assignee: Some("support".into()),
            },
        ],
        compact_touches: None,
    }
}

/// `data` in the order the store loads it.
pub fn sorted(mut data: Dataset) -> Dataset {
    socialledger_store::sort_by_natural_key(&mut data);
    data
}
