//! Engagement of posts and channels: what the audience did with what a channel published.
//!
//! Totals per post come from the post's LATEST `Lifetime` snapshot (by date); a post without any lifetime row
//! is totalled from its `Day` rows. A metrics row without a period counts as a lifetime snapshot (the domain's
//! default reading of a dated snapshot). Engagements of one row are the platform's own total (`engagements`)
//! when the platform reports one, else reactions + comments + shares + clicks + saves (unreported counters
//! count as zero; a row with none of them has no engagements). Totals cover the whole life of the post: the
//! period selects posts by `published_at`, it does not cut their counters. Posts without a publication date
//! are included only when there is no period.
//!
//! A channel without any post metrics in the period (X account analytics, LinkedIn's Metrics sheet) is
//! described from its `ChannelDay` rows instead: impressions and engagements summed over the days in the
//! period, posts from `posts_published`. Channels with post metrics never mix in channel-day counters, so a
//! figure is always one source's.

use crate::{month_start, ratio, Settings};
use serde::Serialize;
use socialledger_domain::{ChannelDay, Dataset, Date, MetricPeriod, PostMetrics, Timestamp};
use std::collections::BTreeMap;

/// Where a post's totals come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricsSource {
    /// The latest lifetime snapshot.
    Lifetime,
    /// The sum of the post's daily rows.
    Days,
    /// No metrics at all for this post.
    None,
}

/// Where a channel's engagement figures come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EngagementSource {
    /// Summed over the channel's posts.
    Posts,
    /// Summed over the channel's account-level days (the channel has no post metrics in the period).
    ChannelDays,
    /// Nothing is known about the channel's engagement.
    None,
}

/// Engagement totals of one post.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PostEngagement {
    pub channel: String,
    pub post_id: String,
    pub published_at: Option<Timestamp>,
    pub source: MetricsSource,
    /// Date of the lifetime snapshot used, or of the last daily row summed.
    pub metrics_date: Option<Date>,
    pub impressions: Option<i64>,
    pub reach: Option<i64>,
    pub reactions: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub clicks: Option<i64>,
    pub saves: Option<i64>,
    pub video_views: Option<i64>,
    /// The platform's total where reported, else reactions + comments + shares + clicks + saves.
    pub engagements: Option<i64>,
    /// True when every row used reported the platform's own engagement total.
    pub engagements_from_platform: bool,
    /// engagements / impressions of this post; `None` without impressions (or with zero).
    pub rate_by_impressions: Option<f64>,
}

/// A follower level on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FollowerLevel {
    pub date: Date,
    pub followers: i64,
}

/// How a channel's following changed in the period. Reported, never a headline: followers are a stock, and
/// their growth says little about what the channel does for the business.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FollowerGrowth {
    /// Earliest known level in the period.
    pub first: Option<FollowerLevel>,
    /// Latest known level in the period.
    pub last: Option<FollowerLevel>,
    /// `last - first` when both levels are known.
    pub change: Option<i64>,
    /// Sum of reported new followers over the days in the period.
    pub new_followers: Option<i64>,
    /// Sum of reported lost followers over the days in the period.
    pub lost_followers: Option<i64>,
    /// `new_followers - lost_followers`, only when both are reported.
    pub net_new_followers: Option<i64>,
}

/// Engagement of one channel in the period.
///
/// Per-post rates divide by `posts_with_metrics` (posts whose counters are known); the rate by impressions
/// divides the engagements of the posts that report both counters by their impressions; rates "per 1,000
/// followers" divide the per-post figure by the latest known follower level and multiply by 1,000.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelEngagement {
    pub channel: String,
    pub source: EngagementSource,
    /// Posts published in the period (with or without metrics); for channel-day sources, the sum of
    /// `posts_published` when no post records exist.
    pub posts: u64,
    /// Posts whose counters are known (the denominator of per-post figures).
    pub posts_with_metrics: u64,
    /// Posts (or days) that report both impressions and engagements (the scope of the rate by impressions).
    pub posts_with_impressions: u64,
    /// Posts with metrics but no impressions.
    pub posts_without_impressions: u64,
    pub impressions: Option<i64>,
    pub engagements: Option<i64>,
    pub reactions: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    /// Sum of engagements / sum of impressions, over posts (or days) that report both.
    pub engagement_rate_by_impressions: Option<f64>,
    /// Engagements / posts with metrics.
    pub engagements_per_post: Option<f64>,
    /// Latest follower level in the period (never derived from new followers).
    pub followers: Option<i64>,
    /// Engagements per post / followers.
    pub engagement_rate_by_followers: Option<f64>,
    /// Amplification: shares per post.
    pub amplification_per_post: Option<f64>,
    /// Conversation: comments per post.
    pub conversation_per_post: Option<f64>,
    /// Applause: reactions per post.
    pub applause_per_post: Option<f64>,
    /// Shares per post per 1,000 followers.
    pub amplification_per_1000_followers: Option<f64>,
    /// Comments per post per 1,000 followers.
    pub conversation_per_1000_followers: Option<f64>,
    /// Reactions per post per 1,000 followers.
    pub applause_per_1000_followers: Option<f64>,
    pub follower_growth: FollowerGrowth,
}

impl ChannelEngagement {
    /// A channel about which nothing is known.
    pub fn empty(channel: &str) -> Self {
        ChannelEngagement {
            channel: channel.to_string(),
            source: EngagementSource::None,
            posts: 0,
            posts_with_metrics: 0,
            posts_with_impressions: 0,
            posts_without_impressions: 0,
            impressions: None,
            engagements: None,
            reactions: None,
            comments: None,
            shares: None,
            engagement_rate_by_impressions: None,
            engagements_per_post: None,
            followers: None,
            engagement_rate_by_followers: None,
            amplification_per_post: None,
            conversation_per_post: None,
            applause_per_post: None,
            amplification_per_1000_followers: None,
            conversation_per_1000_followers: None,
            applause_per_1000_followers: None,
            follower_growth: FollowerGrowth::default(),
        }
    }
}

/// Engagement of one channel in one calendar month (posts by publication month; channel days by their date).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthlyEngagement {
    pub channel: String,
    /// First day of the month.
    pub month: Date,
    pub posts: u64,
    pub impressions: i64,
    pub engagements: i64,
    /// Engagements / impressions over posts (or days) that report both.
    pub rate_by_impressions: Option<f64>,
}

/// Adds two optional counters: unknown plus known is the known one.
fn add(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.saturating_add(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Engagements of one metrics row: the platform total, else the sum of the interaction counters.
/// The bool says whether the platform total was used.
pub fn row_engagements(m: &PostMetrics) -> (Option<i64>, bool) {
    if let Some(e) = m.engagements {
        return (Some(e), true);
    }
    let parts = [m.reactions, m.comments, m.shares, m.clicks, m.saves];
    (parts.iter().fold(None, |acc, p| add(acc, *p)), false)
}

/// Totals one post from its metrics rows (latest lifetime snapshot, else sum of day rows).
fn post_totals(channel: &str, post_id: &str, published_at: Option<Timestamp>, rows: &[&PostMetrics]) -> PostEngagement {
    let mut p = PostEngagement {
        channel: channel.to_string(),
        post_id: post_id.to_string(),
        published_at,
        source: MetricsSource::None,
        metrics_date: None,
        impressions: None,
        reach: None,
        reactions: None,
        comments: None,
        shares: None,
        clicks: None,
        saves: None,
        video_views: None,
        engagements: None,
        engagements_from_platform: false,
        rate_by_impressions: None,
    };
    let lifetime = rows
        .iter()
        .filter(|m| m.period != Some(MetricPeriod::Day))
        // Latest date wins; on equal dates the later row in the input wins (max_by_key keeps the last maximum).
        .max_by_key(|m| m.date);
    let used: Vec<&PostMetrics> = match lifetime {
        Some(m) => {
            p.source = MetricsSource::Lifetime;
            vec![*m]
        }
        None => {
            if !rows.is_empty() {
                p.source = MetricsSource::Days;
            }
            rows.to_vec()
        }
    };
    let mut all_platform = !used.is_empty();
    for m in &used {
        p.metrics_date = p.metrics_date.max(m.date);
        p.impressions = add(p.impressions, m.impressions);
        p.reach = add(p.reach, m.reach);
        p.reactions = add(p.reactions, m.reactions);
        p.comments = add(p.comments, m.comments);
        p.shares = add(p.shares, m.shares);
        p.clicks = add(p.clicks, m.clicks);
        p.saves = add(p.saves, m.saves);
        p.video_views = add(p.video_views, m.video_views);
        let (e, platform) = row_engagements(m);
        p.engagements = add(p.engagements, e);
        all_platform &= platform;
    }
    p.engagements_from_platform = all_platform;
    if let (Some(e), Some(i)) = (p.engagements, p.impressions) {
        p.rate_by_impressions = ratio(e as f64, i as f64);
    }
    p
}

/// Engagement of every post published in the period, sorted by channel then post id.
///
/// Posts come from post records and from metrics rows (a metrics row whose post is not in the dataset is a post
/// without a publication date). Posts without any metrics are listed with source `none`.
pub fn post_engagement(dataset: &Dataset, settings: &Settings) -> Vec<PostEngagement> {
    let mut published: BTreeMap<(&str, &str), Option<Timestamp>> = BTreeMap::new();
    for post in &dataset.posts {
        let slot = published.entry((post.channel.as_str(), post.external_id.as_str())).or_insert(None);
        if slot.is_none() {
            *slot = post.published_at;
        }
    }
    let mut rows: BTreeMap<(&str, &str), Vec<&PostMetrics>> = BTreeMap::new();
    for m in &dataset.post_metrics {
        rows.entry((m.channel.as_str(), m.post_id.as_str())).or_default().push(m);
        published.entry((m.channel.as_str(), m.post_id.as_str())).or_insert(None);
    }
    published
        .into_iter()
        .filter(|(_, at)| settings.contains_opt(at.map(|t| t.date_naive())))
        .map(|((channel, id), at)| {
            let r = rows.get(&(channel, id)).map(Vec::as_slice).unwrap_or(&[]);
            post_totals(channel, id, at, r)
        })
        .collect()
}

/// Channel days in the period (undated days only without a period).
fn days_in_period<'a>(dataset: &'a Dataset, settings: &'a Settings) -> impl Iterator<Item = &'a ChannelDay> + 'a {
    dataset.channel_days.iter().filter(move |d| settings.contains_opt(d.date))
}

/// Follower levels and changes of one channel over the days in the period.
fn follower_growth(days: &[&ChannelDay]) -> FollowerGrowth {
    let mut g = FollowerGrowth::default();
    for d in days {
        g.new_followers = add(g.new_followers, d.new_followers);
        g.lost_followers = add(g.lost_followers, d.lost_followers);
        if let (Some(date), Some(followers)) = (d.date, d.followers) {
            let level = FollowerLevel { date, followers };
            if g.first.is_none_or(|f| date < f.date) {
                g.first = Some(level);
            }
            // On equal dates the later row wins.
            if g.last.is_none_or(|l| date >= l.date) {
                g.last = Some(level);
            }
        }
    }
    if let (Some(f), Some(l)) = (g.first, g.last) {
        g.change = Some(l.followers - f.followers);
    }
    if let (Some(n), Some(l)) = (g.new_followers, g.lost_followers) {
        g.net_new_followers = Some(n - l);
    }
    g
}

/// Engagement per channel in the period, for every channel with posts, post metrics or channel days; sorted by
/// channel key.
pub fn channel_engagement(dataset: &Dataset, settings: &Settings) -> Vec<ChannelEngagement> {
    let posts = post_engagement(dataset, settings);
    let mut by_channel: BTreeMap<&str, Vec<&PostEngagement>> = BTreeMap::new();
    for p in &posts {
        by_channel.entry(p.channel.as_str()).or_default().push(p);
    }
    let mut days: BTreeMap<&str, Vec<&ChannelDay>> = BTreeMap::new();
    for d in days_in_period(dataset, settings) {
        days.entry(d.channel.as_str()).or_default().push(d);
    }
    let mut keys: Vec<&str> = by_channel.keys().chain(days.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();

    let mut out = Vec::new();
    for key in keys {
        let mut row = ChannelEngagement::empty(key);
        let channel_posts = by_channel.get(key).map(Vec::as_slice).unwrap_or(&[]);
        let channel_days = days.get(key).map(Vec::as_slice).unwrap_or(&[]);
        row.posts = channel_posts.len() as u64;
        row.follower_growth = follower_growth(channel_days);
        row.followers = row.follower_growth.last.map(|l| l.followers);

        let measured: Vec<&&PostEngagement> =
            channel_posts.iter().filter(|p| p.source != MetricsSource::None).collect();
        let (mut rate_eng, mut rate_imp) = (0i64, 0i64);
        if !measured.is_empty() {
            row.source = EngagementSource::Posts;
            row.posts_with_metrics = measured.len() as u64;
            for p in &measured {
                row.impressions = add(row.impressions, p.impressions);
                row.engagements = add(row.engagements, p.engagements);
                row.reactions = add(row.reactions, p.reactions);
                row.comments = add(row.comments, p.comments);
                row.shares = add(row.shares, p.shares);
                match (p.engagements, p.impressions) {
                    (Some(e), Some(i)) => {
                        row.posts_with_impressions += 1;
                        rate_eng = rate_eng.saturating_add(e);
                        rate_imp = rate_imp.saturating_add(i);
                    }
                    (_, None) => row.posts_without_impressions += 1,
                    _ => {}
                }
            }
        } else if channel_days.iter().any(|d| d.impressions.is_some() || d.engagements.is_some()) {
            row.source = EngagementSource::ChannelDays;
            let published = channel_days.iter().fold(None, |acc, d| add(acc, d.posts_published));
            if row.posts == 0 {
                row.posts = published.unwrap_or(0).max(0) as u64;
            }
            row.posts_with_metrics = row.posts;
            for d in channel_days {
                row.impressions = add(row.impressions, d.impressions);
                row.engagements = add(row.engagements, d.engagements);
                if let (Some(e), Some(i)) = (d.engagements, d.impressions) {
                    row.posts_with_impressions += 1;
                    rate_eng = rate_eng.saturating_add(e);
                    rate_imp = rate_imp.saturating_add(i);
                }
            }
        }
        if row.posts_with_impressions > 0 {
            row.engagement_rate_by_impressions = ratio(rate_eng as f64, rate_imp as f64);
        }
        let per_post = |v: Option<i64>| v.and_then(|v| ratio(v as f64, row.posts_with_metrics as f64));
        row.engagements_per_post = per_post(row.engagements);
        row.amplification_per_post = per_post(row.shares);
        row.conversation_per_post = per_post(row.comments);
        row.applause_per_post = per_post(row.reactions);
        let per_follower = |v: Option<f64>| match (v, row.followers) {
            (Some(v), Some(f)) => ratio(v, f as f64),
            _ => None,
        };
        row.engagement_rate_by_followers = per_follower(row.engagements_per_post);
        let per_1000 = |v: Option<f64>| per_follower(v).map(|r| r * 1000.0);
        row.amplification_per_1000_followers = per_1000(row.amplification_per_post);
        row.conversation_per_1000_followers = per_1000(row.conversation_per_post);
        row.applause_per_1000_followers = per_1000(row.applause_per_post);
        out.push(row);
    }
    out
}

/// One channel's month: everything published (or measured on channel days) in it, and the part that reports both
/// engagements and impressions (`rated_*`: the numerator and denominator of the month's rate).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct MonthAcc {
    pub posts: u64,
    pub impressions: i64,
    pub engagements: i64,
    /// Posts (or channel days) that report both counters.
    pub rated: u64,
    pub rated_engagements: i64,
    pub rated_impressions: i64,
}

/// Per channel and calendar month: channels with post metrics by publication month (posts without a date are
/// left out), other channels by their channel days. What [`engagement_by_month`] and the engagement trend
/// (`crate::engagement_trend`) are computed from.
pub(crate) fn month_accumulators(dataset: &Dataset, settings: &Settings) -> BTreeMap<(String, Date), MonthAcc> {
    let channels = channel_engagement(dataset, settings);
    let mut acc: BTreeMap<(String, Date), MonthAcc> = BTreeMap::new();
    let posts = post_engagement(dataset, settings);
    for c in &channels {
        match c.source {
            EngagementSource::Posts => {
                for p in posts.iter().filter(|p| p.channel == c.channel) {
                    let Some(at) = p.published_at else { continue };
                    let a = acc.entry((c.channel.clone(), month_start(at.date_naive()))).or_default();
                    a.posts += 1;
                    a.impressions = a.impressions.saturating_add(p.impressions.unwrap_or(0));
                    a.engagements = a.engagements.saturating_add(p.engagements.unwrap_or(0));
                    if let (Some(e), Some(i)) = (p.engagements, p.impressions) {
                        a.rated += 1;
                        a.rated_engagements = a.rated_engagements.saturating_add(e);
                        a.rated_impressions = a.rated_impressions.saturating_add(i);
                    }
                }
            }
            EngagementSource::ChannelDays => {
                for d in days_in_period(dataset, settings).filter(|d| d.channel == c.channel) {
                    let Some(date) = d.date else { continue };
                    let a = acc.entry((c.channel.clone(), month_start(date))).or_default();
                    a.posts += d.posts_published.unwrap_or(0).max(0) as u64;
                    a.impressions = a.impressions.saturating_add(d.impressions.unwrap_or(0));
                    a.engagements = a.engagements.saturating_add(d.engagements.unwrap_or(0));
                    if let (Some(e), Some(i)) = (d.engagements, d.impressions) {
                        a.rated += 1;
                        a.rated_engagements = a.rated_engagements.saturating_add(e);
                        a.rated_impressions = a.rated_impressions.saturating_add(i);
                    }
                }
            }
            EngagementSource::None => {}
        }
    }
    acc
}

/// Engagement per channel and calendar month, sorted by channel then month. Channels with post metrics are
/// grouped by publication month (posts without a date are left out); other channels by their channel days.
pub fn engagement_by_month(dataset: &Dataset, settings: &Settings) -> Vec<MonthlyEngagement> {
    month_accumulators(dataset, settings)
        .into_iter()
        .map(|((channel, month), a)| MonthlyEngagement {
            channel,
            month,
            posts: a.posts,
            impressions: a.impressions,
            engagements: a.engagements,
            rate_by_impressions: ratio(a.rated_engagements as f64, a.rated_impressions as f64),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::*;
    use proptest::prelude::*;
    use socialledger_domain::MetricPeriod::{Day, Lifetime};

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    /// linkedin: A (January, two lifetime snapshots), B (February, two day rows), C (February, no impressions),
    /// D (no date, no metrics), follower levels on two days; x: channel days only.
    fn dataset() -> Dataset {
        let mut ds = Dataset {
            posts: vec![
                post("linkedin", "A", Some("2024-01-10T09:00:00Z")),
                post("linkedin", "B", Some("2024-02-05T09:00:00Z")),
                post("linkedin", "C", Some("2024-02-07T09:00:00Z")),
                post("linkedin", "D", None),
            ],
            ..Dataset::default()
        };
        let mut a1 = metrics("linkedin", "A", "2024-01-20", Lifetime);
        (a1.impressions, a1.reactions, a1.comments, a1.shares, a1.clicks) =
            (Some(1000), Some(10), Some(2), Some(3), Some(5));
        let mut a2 = metrics("linkedin", "A", "2024-02-01", Lifetime);
        (a2.impressions, a2.reactions, a2.comments, a2.shares, a2.clicks) =
            (Some(1500), Some(20), Some(4), Some(6), Some(10));
        let mut b1 = metrics("linkedin", "B", "2024-02-05", Day);
        (b1.impressions, b1.engagements) = (Some(100), Some(7));
        let mut b2 = metrics("linkedin", "B", "2024-02-06", Day);
        (b2.impressions, b2.reactions, b2.comments) = (Some(50), Some(2), Some(1));
        let mut c = metrics("linkedin", "C", "2024-02-10", Lifetime);
        c.reactions = Some(5);
        // The newer snapshot listed first: order in the input must not matter.
        ds.post_metrics = vec![a2, a1, b1, b2, c];
        let mut l1 = day("linkedin", "2024-01-01");
        (l1.followers, l1.new_followers, l1.lost_followers) = (Some(1000), Some(10), Some(2));
        let mut l2 = day("linkedin", "2024-02-28");
        (l2.followers, l2.new_followers, l2.lost_followers) = (Some(1100), Some(20), Some(3));
        let mut x1 = day("x", "2024-02-01");
        (x1.impressions, x1.engagements, x1.posts_published) = (Some(500), Some(20), Some(2));
        let mut x2 = day("x", "2024-02-02");
        (x2.impressions, x2.engagements, x2.posts_published) = (Some(300), Some(10), Some(1));
        ds.channel_days = vec![l1, l2, x1, x2];
        ds
    }

    fn february() -> Settings {
        Settings { period: Some((d("2024-02-01"), d("2024-02-29"))), ..Settings::default() }
    }

    #[test]
    fn post_totals_use_latest_lifetime_else_day_sums() {
        let posts = post_engagement(&dataset(), &Settings::default());
        let ids: Vec<&str> = posts.iter().map(|p| p.post_id.as_str()).collect();
        assert_eq!(ids, ["A", "B", "C", "D"]);
        let a = &posts[0];
        assert_eq!((a.source, a.metrics_date), (MetricsSource::Lifetime, Some(d("2024-02-01"))));
        assert_eq!((a.impressions, a.engagements), (Some(1500), Some(40)));
        assert!(!a.engagements_from_platform);
        assert!(close(a.rate_by_impressions, 40.0 / 1500.0));
        let b = &posts[1];
        // Day 1 reports the platform total 7, day 2 has only components 2 + 1.
        assert_eq!((b.source, b.impressions, b.engagements), (MetricsSource::Days, Some(150), Some(10)));
        assert!(!b.engagements_from_platform);
        assert_eq!((posts[2].impressions, posts[2].engagements), (None, Some(5)));
        assert_eq!((posts[3].source, posts[3].engagements), (MetricsSource::None, None));
    }

    #[test]
    fn platform_total_wins_over_components() {
        let mut m = metrics("x", "1", "2024-01-01", Lifetime);
        (m.reactions, m.clicks, m.engagements) = (Some(3), Some(4), Some(11));
        assert_eq!(row_engagements(&m), (Some(11), true));
        m.engagements = None;
        assert_eq!(row_engagements(&m), (Some(7), false));
        assert_eq!(row_engagements(&PostMetrics::default()), (None, false));
    }

    #[test]
    fn period_selects_by_publication_and_drops_undated_posts() {
        let posts = post_engagement(&dataset(), &february());
        let ids: Vec<&str> = posts.iter().map(|p| p.post_id.as_str()).collect();
        assert_eq!(ids, ["B", "C"]);
    }

    #[test]
    fn channel_figures_by_hand() {
        let rows = channel_engagement(&dataset(), &Settings::default());
        assert_eq!(rows.len(), 2);
        let li = &rows[0];
        assert_eq!(li.channel, "linkedin");
        assert_eq!(li.source, EngagementSource::Posts);
        assert_eq!(
            (li.posts, li.posts_with_metrics, li.posts_with_impressions, li.posts_without_impressions),
            (4, 3, 2, 1)
        );
        assert_eq!((li.impressions, li.engagements), (Some(1650), Some(55)));
        assert_eq!((li.reactions, li.comments, li.shares), (Some(27), Some(5), Some(6)));
        // Only A and B report both counters: (40 + 10) / (1500 + 150).
        assert!(close(li.engagement_rate_by_impressions, 50.0 / 1650.0));
        assert!(close(li.engagements_per_post, 55.0 / 3.0));
        assert_eq!(li.followers, Some(1100));
        assert!(close(li.engagement_rate_by_followers, 55.0 / 3.0 / 1100.0));
        assert!(close(li.amplification_per_post, 2.0));
        assert!(close(li.conversation_per_post, 5.0 / 3.0));
        assert!(close(li.applause_per_post, 9.0));
        assert!(close(li.amplification_per_1000_followers, 2.0 / 1100.0 * 1000.0));
        assert!(close(li.applause_per_1000_followers, 9.0 / 1100.0 * 1000.0));
        let g = &li.follower_growth;
        assert_eq!(g.first, Some(FollowerLevel { date: d("2024-01-01"), followers: 1000 }));
        assert_eq!(g.last, Some(FollowerLevel { date: d("2024-02-28"), followers: 1100 }));
        assert_eq!(
            (g.change, g.new_followers, g.lost_followers, g.net_new_followers),
            (Some(100), Some(30), Some(5), Some(25))
        );

        let x = &rows[1];
        assert_eq!(x.source, EngagementSource::ChannelDays);
        assert_eq!((x.posts, x.impressions, x.engagements), (3, Some(800), Some(30)));
        assert!(close(x.engagement_rate_by_impressions, 30.0 / 800.0));
        assert!(close(x.engagements_per_post, 10.0));
        assert_eq!((x.followers, x.engagement_rate_by_followers, x.reactions), (None, None, None));
    }

    #[test]
    fn channel_figures_in_a_period() {
        let rows = channel_engagement(&dataset(), &february());
        let li = &rows[0];
        assert_eq!((li.posts, li.impressions, li.engagements), (2, Some(150), Some(15)));
        assert!(close(li.engagement_rate_by_impressions, 10.0 / 150.0));
        assert_eq!(li.follower_growth.change, Some(0));
        assert_eq!(li.followers, Some(1100));
    }

    #[test]
    fn followers_are_never_derived_from_new_followers() {
        let mut ds = Dataset::default();
        let mut m = metrics("fb", "1", "2024-01-02", Lifetime);
        m.reactions = Some(4);
        ds.post_metrics.push(m);
        let mut day1 = day("fb", "2024-01-01");
        day1.new_followers = Some(50);
        ds.channel_days.push(day1);
        let row = &channel_engagement(&ds, &Settings::default())[0];
        assert_eq!((row.followers, row.engagement_rate_by_followers), (None, None));
        assert_eq!(row.follower_growth.new_followers, Some(50));
        assert_eq!(row.follower_growth.net_new_followers, None);
    }

    #[test]
    fn issue_12_sums_near_the_end_of_i64_saturate_instead_of_wrapping() {
        // Counts near i64::MAX made the monthly impressions wrap to 98.
        let mut ds = Dataset {
            posts: vec![post("x", "A", Some("2024-01-10T09:00:00Z")), post("x", "B", Some("2024-01-11T09:00:00Z"))],
            ..Dataset::default()
        };
        let mut a = metrics("x", "A", "2024-01-20", Lifetime);
        (a.impressions, a.engagements) = (Some(i64::MAX), Some(i64::MAX));
        let mut b = metrics("x", "B", "2024-01-20", Lifetime);
        (b.impressions, b.engagements) = (Some(100), Some(1));
        ds.post_metrics = vec![a, b];
        let months = engagement_by_month(&ds, &Settings::default());
        assert_eq!((months[0].impressions, months[0].engagements), (i64::MAX, i64::MAX));
        let channel = &channel_engagement(&ds, &Settings::default())[0];
        assert_eq!(channel.impressions, Some(i64::MAX));
        assert!(channel.engagement_rate_by_impressions.is_some_and(|r| r > 0.0));
    }

    #[test]
    fn months_by_hand() {
        let months = engagement_by_month(&dataset(), &Settings::default());
        let got: Vec<(&str, Date, u64, i64, i64)> =
            months.iter().map(|m| (m.channel.as_str(), m.month, m.posts, m.impressions, m.engagements)).collect();
        assert_eq!(
            got,
            [
                ("linkedin", d("2024-01-01"), 1, 1500, 40),
                ("linkedin", d("2024-02-01"), 2, 150, 15),
                ("x", d("2024-02-01"), 3, 800, 30),
            ]
        );
        assert!(close(months[1].rate_by_impressions, 10.0 / 150.0));
    }

    proptest! {
        #[test]
        fn rates_are_non_negative_and_finite(
            rows in proptest::collection::vec(
                (0usize..3, 0usize..6, proptest::option::of(0i64..100_000), proptest::option::of(0i64..5_000),
                 proptest::option::of(0i64..500), proptest::option::of(0i64..500), any::<bool>()),
                0..40),
            followers in proptest::option::of(0i64..100_000),
        ) {
            let channels = ["linkedin", "x", "facebook"];
            let mut ds = Dataset::default();
            for (i, (c, p, imp, eng, reac, sh, lifetime)) in rows.into_iter().enumerate() {
                let date = Date::from_ymd_opt(2024, 1, 1 + (i % 28) as u32).unwrap();
                ds.post_metrics.push(PostMetrics {
                    channel: channels[c].into(),
                    post_id: p.to_string(),
                    date: Some(date),
                    period: Some(if lifetime { Lifetime } else { Day }),
                    impressions: imp,
                    engagements: eng,
                    reactions: reac,
                    shares: sh,
                    ..PostMetrics::default()
                });
            }
            for c in channels {
                let mut cd = day(c, "2024-01-31");
                cd.followers = followers;
                ds.channel_days.push(cd);
            }
            for row in channel_engagement(&ds, &Settings::default()) {
                for r in [row.engagement_rate_by_impressions, row.engagement_rate_by_followers,
                          row.amplification_per_post, row.applause_per_post, row.amplification_per_1000_followers,
                          row.engagements_per_post].into_iter().flatten() {
                    prop_assert!(r >= 0.0 && r.is_finite());
                }
                prop_assert!(row.posts_with_impressions + row.posts_without_impressions <= row.posts_with_metrics);
            }
            for m in engagement_by_month(&ds, &Settings::default()) {
                if let Some(r) = m.rate_by_impressions { prop_assert!(r >= 0.0 && r.is_finite()); }
            }
        }
    }
}
