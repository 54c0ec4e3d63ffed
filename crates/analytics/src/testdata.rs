//! Builders of small domain records and random draws for the unit tests (compiled in tests only).

use rand_chacha::rand_core::RngCore;
use socialledger_domain::*;

/// A uniform draw in `[0, 1)` with 53 random bits.
pub(crate) fn uniform(rng: &mut impl RngCore) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A standard normal draw (Box-Muller).
pub(crate) fn normal(rng: &mut impl RngCore) -> f64 {
    let (u, v) = (uniform(rng).max(1e-300), uniform(rng));
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

pub(crate) fn d(s: &str) -> Date {
    s.parse().unwrap()
}

pub(crate) fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

pub(crate) fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

pub(crate) fn post(channel: &str, id: &str, published: Option<&str>) -> Post {
    Post {
        channel: channel.into(),
        external_id: id.into(),
        published_at: published.map(ts),
        post_type: None,
        text: None,
        url: None,
        author: None,
        campaign: None,
        idea: None,
    }
}

pub(crate) fn metrics(channel: &str, id: &str, date: &str, period: MetricPeriod) -> PostMetrics {
    PostMetrics {
        channel: channel.into(),
        post_id: id.into(),
        date: Some(d(date)),
        period: Some(period),
        ..PostMetrics::default()
    }
}

pub(crate) fn day(channel: &str, date: &str) -> ChannelDay {
    ChannelDay { channel: channel.into(), date: Some(d(date)), ..ChannelDay::default() }
}

pub(crate) fn person(key: &str, hourly: Option<Money>) -> Person {
    Person { key: key.into(), name: key.into(), team: Team::Marketing, hourly_cost: hourly }
}

pub(crate) fn entry(key: &str, person: &str, date: &str, minutes: i64, channel: Option<&str>, task: Task) -> TimeEntry {
    TimeEntry {
        key: key.into(),
        person: person.into(),
        date: d(date),
        minutes,
        channel: channel.map(str::to_string),
        task,
        note: None,
    }
}

pub(crate) fn item(channel: Option<&str>, month: &str, amount: Money) -> CostItem {
    CostItem {
        channel: channel.map(str::to_string),
        month: d(month),
        kind: CostKind::Tool,
        amount,
        description: "tool".into(),
    }
}

pub(crate) fn activity(key: &str, channel: Option<&str>, start: &str, end: &str, spend: Option<Money>) -> Activity {
    Activity {
        key: key.into(),
        kind: ActivityKind::Event,
        name: key.into(),
        channel: channel.map(str::to_string),
        campaign: None,
        start: d(start),
        end: d(end),
        spend,
        volume: None,
        reach: None,
        clicks: None,
    }
}

pub(crate) fn deal(
    key: &str,
    account: Option<&str>,
    amount: Option<Money>,
    created: Option<&str>,
    closed: Option<&str>,
    status: DealStatus,
) -> Deal {
    Deal {
        key: key.into(),
        account: account.map(str::to_string),
        name: key.into(),
        amount,
        created: created.map(d),
        stage: None,
        status,
        closed: closed.map(d),
        self_reported_source: None,
    }
}

pub(crate) fn contact(key: &str, account: Option<&str>, created_at: Option<&str>) -> Contact {
    Contact {
        key: key.into(),
        account: account.map(str::to_string),
        name: None,
        email: None,
        job_title: None,
        created_at: created_at.map(ts),
        self_reported_source: None,
    }
}

pub(crate) fn touch(key: &str, account: Option<&str>, at: &str, channel: &str, kind: TouchKind) -> Touchpoint {
    Touchpoint {
        key: key.into(),
        contact: None,
        account: account.map(str::to_string),
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

/// A visit of `account` (no contact, no deal) on `channel` at 10:00 UTC on March `day`, 2025.
/// A touch of account `archive` on 2024-02-01, more than a year before the March 2025 touches of
/// [`account_touch`]: with it the data begins early enough that their journeys' 365-day windows are observed
/// whole (the data-driven models leave out journeys whose window starts before the data).
pub(crate) fn data_start_touch() -> Touchpoint {
    use chrono::TimeZone;
    Touchpoint {
        key: "data-start".into(),
        at: chrono::Utc.with_ymd_and_hms(2024, 2, 1, 10, 0, 0).unwrap(),
        account: Some("archive".into()),
        ..account_touch("data-start", "archive", "direct", 1)
    }
}

pub(crate) fn account_touch(key: &str, account: &str, channel: &str, day: u32) -> Touchpoint {
    use chrono::TimeZone;
    Touchpoint {
        key: key.into(),
        contact: None,
        account: Some(account.into()),
        deal: None,
        at: chrono::Utc.with_ymd_and_hms(2025, 3, day, 10, 0, 0).unwrap(),
        channel: channel.into(),
        kind: TouchKind::Visit,
        campaign: None,
        post_ref: None,
        utm_source: None,
        utm_medium: None,
        utm_campaign: None,
    }
}
