//! The base rhythm against the actions around it: posts per channel and week, newsletter sends, and the spans
//! of campaigns, paid flights, PR items, events and webinars.
//!
//! The analytics crate reports no activity figures, so the report derives these counts from the dataset
//! itself. Weeks run Monday to Sunday; a week counts when it overlaps the period.

use crate::period::Period;
use chrono::{Datelike, Duration};
use socialledger_domain::{Activity, ActivityKind, Dataset, Date};
use std::collections::BTreeMap;

/// One channel's posts per week.
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelRhythm {
    pub channel: String,
    /// Display name (untrusted).
    pub name: String,
    /// Posts per week, keyed by the week's Monday; weeks without posts are absent.
    pub weekly: BTreeMap<Date, u32>,
    pub posts: u32,
}

/// The rhythm of the period.
#[derive(Clone, Debug, PartialEq)]
pub struct Rhythm<'a> {
    pub period: Period,
    /// Mondays of the weeks that overlap the period.
    pub weeks: Vec<Date>,
    /// Channels with at least one dated post in the period, by posts (most first), then key.
    pub channels: Vec<ChannelRhythm>,
    /// Newsletter issues starting in the period, by date.
    pub newsletters: Vec<&'a Activity>,
    /// Every other activity overlapping the period, grouped by kind in [`SPAN_KINDS`] order, by start date.
    pub spans: Vec<(ActivityKind, Vec<&'a Activity>)>,
    /// Posts without a publication date: they cannot be placed on the timeline.
    pub undated_posts: usize,
}

/// The activity kinds drawn as spans, in row order.
pub const SPAN_KINDS: [ActivityKind; 5] =
    [ActivityKind::Campaign, ActivityKind::PaidMedia, ActivityKind::Pr, ActivityKind::Event, ActivityKind::Webinar];

/// The Monday of `date`'s week.
pub fn week_start(date: Date) -> Date {
    date - Duration::days(date.weekday().num_days_from_monday() as i64)
}

impl<'a> Rhythm<'a> {
    pub fn of(dataset: &'a Dataset, period: Period) -> Rhythm<'a> {
        let mut weeks = Vec::new();
        let mut monday = week_start(period.first);
        while monday <= period.last {
            weeks.push(monday);
            monday += Duration::days(7);
        }

        let mut by_channel: BTreeMap<&str, ChannelRhythm> = BTreeMap::new();
        let mut undated_posts = 0;
        for post in &dataset.posts {
            let Some(at) = post.published_at else {
                undated_posts += 1;
                continue;
            };
            let day = at.date_naive();
            if !period.contains(day) {
                continue;
            }
            let row = by_channel.entry(post.channel.as_str()).or_insert_with(|| ChannelRhythm {
                channel: post.channel.clone(),
                name: display_name(dataset, &post.channel),
                weekly: BTreeMap::new(),
                posts: 0,
            });
            *row.weekly.entry(week_start(day)).or_default() += 1;
            row.posts += 1;
        }
        let mut channels: Vec<ChannelRhythm> = by_channel.into_values().collect();
        channels.sort_by(|a, b| b.posts.cmp(&a.posts).then_with(|| a.channel.cmp(&b.channel)));

        let overlaps = |a: &Activity| a.start.min(a.end) <= period.last && a.end.max(a.start) >= period.first;
        let sorted = |kind: ActivityKind| {
            let mut list: Vec<&Activity> =
                dataset.activities.iter().filter(|a| a.kind == kind && overlaps(a)).collect();
            list.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.key.cmp(&b.key)));
            list
        };
        let newsletters = sorted(ActivityKind::Newsletter).into_iter().filter(|a| period.contains(a.start)).collect();
        let spans = SPAN_KINDS.iter().map(|&k| (k, sorted(k))).filter(|(_, list)| !list.is_empty()).collect();
        Rhythm { period, weeks, channels, newsletters, spans, undated_posts }
    }

    /// Mondays of the weeks that overlap a campaign or a paid flight (the pushes beside the base rhythm).
    pub fn push_weeks(&self) -> Vec<Date> {
        let pushes: Vec<&Activity> = self
            .spans
            .iter()
            .filter(|(k, _)| matches!(k, ActivityKind::Campaign | ActivityKind::PaidMedia))
            .flat_map(|(_, list)| list.iter().copied())
            .collect();
        self.weeks
            .iter()
            .copied()
            .filter(|monday| {
                let sunday = *monday + Duration::days(6);
                pushes.iter().any(|a| a.start.min(a.end) <= sunday && a.end.max(a.start) >= *monday)
            })
            .collect()
    }
}

/// The declared name of channel `key`, or the key itself.
pub fn display_name(dataset: &Dataset, key: &str) -> String {
    dataset
        .channels
        .iter()
        .find(|c| c.key == key)
        .map(|c| c.name.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| key.to_string())
}

/// An activity kind as a counted noun: `1 campaign`, `2 PR items`.
pub fn kind_count(kind: ActivityKind, n: usize) -> String {
    let (one, many) = match kind {
        ActivityKind::Newsletter => ("newsletter issue", "newsletter issues"),
        ActivityKind::Pr => ("PR item", "PR items"),
        ActivityKind::Event => ("event", "events"),
        ActivityKind::Webinar => ("webinar", "webinars"),
        ActivityKind::Campaign => ("campaign", "campaigns"),
        ActivityKind::PaidMedia => ("paid flight", "paid flights"),
    };
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A short human name of an activity kind, plural, for row labels.
pub fn kind_label(kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::Newsletter => "Newsletters",
        ActivityKind::Pr => "PR",
        ActivityKind::Event => "Events",
        ActivityKind::Webinar => "Webinars",
        ActivityKind::Campaign => "Campaigns",
        ActivityKind::PaidMedia => "Paid media",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use socialledger_domain::Post;

    fn d(s: &str) -> Date {
        Date::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn post(channel: &str, id: &str, day: Option<&str>) -> Post {
        Post {
            channel: channel.into(),
            external_id: id.into(),
            published_at: day.map(|s| Utc.from_utc_datetime(&d(s).and_hms_opt(9, 0, 0).unwrap())),
            post_type: None,
            text: None,
            url: None,
            author: None,
            campaign: None,
            idea: None,
        }
    }

    fn activity(key: &str, kind: ActivityKind, start: &str, end: &str) -> Activity {
        Activity {
            key: key.into(),
            kind,
            name: key.into(),
            channel: None,
            campaign: None,
            start: d(start),
            end: d(end),
            spend: None,
            volume: None,
            reach: None,
            clicks: None,
        }
    }

    #[test]
    fn counts_posts_per_monday_week_within_the_period() {
        let dataset = Dataset {
            posts: vec![
                post("li", "1", Some("2024-01-01")), // Monday
                post("li", "2", Some("2024-01-07")), // Sunday, same week
                post("li", "3", Some("2024-01-08")),
                post("x", "1", Some("2024-01-10")),
                post("x", "2", Some("2023-12-31")), // before the period
                post("x", "3", None),
            ],
            activities: vec![
                activity("n1", ActivityKind::Newsletter, "2024-01-04", "2024-01-04"),
                activity("c1", ActivityKind::Campaign, "2024-01-09", "2024-01-20"),
                activity("old", ActivityKind::Pr, "2023-11-01", "2023-11-02"),
            ],
            ..Dataset::default()
        };
        let period = Period { first: d("2024-01-01"), last: d("2024-01-31"), chosen: true };
        let r = Rhythm::of(&dataset, period);
        assert_eq!(r.weeks.len(), 5, "{:?}", r.weeks);
        assert_eq!(r.channels[0].channel, "li");
        assert_eq!(r.channels[0].weekly.get(&d("2024-01-01")), Some(&2));
        assert_eq!(r.channels[0].weekly.get(&d("2024-01-08")), Some(&1));
        assert_eq!(r.channels[1].posts, 1);
        assert_eq!(r.undated_posts, 1);
        assert_eq!(r.newsletters.len(), 1);
        assert_eq!(r.spans.len(), 1, "the old PR item lies outside the period");
        assert_eq!(r.push_weeks(), vec![d("2024-01-08"), d("2024-01-15")]);
    }
}
