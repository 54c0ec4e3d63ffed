//! The social posting rhythm and its engagement: posts (ideas, variants, cross-posts), their daily and lifetime
//! counters, and each network's daily follower levels.

use crate::activities::Plan;
use crate::calendar::Calendar;
use crate::company::{self, HANDLE, PEOPLE};
use crate::sample::{binomial, chance, mean_one_lognormal, multinomial, poisson, weighted};
use crate::streams::{rng, Stream};
use crate::text;
use crate::DemoConfig;
use chrono::Datelike;
use rand::Rng;
use serde::Serialize;
use socialledger_domain::{ChannelDay, MetricPeriod, Network, Post, PostMetrics, PostType};

/// How one social network behaves (documented in docs/demo-model.md, "Social content").
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SocialParams {
    pub channel: &'static str,
    pub network: Network,
    /// Post ids are `{id_prefix}-NNNNN`.
    pub id_prefix: &'static str,
    /// Planned posts per week; week `w` has `floor((w+1)·r) - floor(w·r)` slots.
    pub posts_per_week: f64,
    /// Weekday (0 = Monday) of the first slot; slots spread over Monday-Friday from there.
    pub weekday_offset: u32,
    pub followers_start: f64,
    /// Organic follower growth per year (new followers beyond churn replacement), besides follows from posts.
    pub growth_per_year: f64,
    /// Expected lifetime impressions of a post per follower (YouTube: thumbnail impressions per subscriber).
    pub impressions_per_follower: f64,
    /// Expected engagements per impression (reactions + comments + shares + clicks + saves).
    pub engagement_rate: f64,
    /// Split of engagements into reactions, comments, shares, clicks, saves.
    pub split: [f64; 5],
    /// Day k after publishing gets a share of the counters proportional to `exp(-k / decay_days)`.
    pub decay_days: f64,
    /// Lifetime reach per lifetime impression.
    pub reach_ratio: f64,
    /// Follows per impression.
    pub follows_per_impression: f64,
    /// Video views per impression of a video post.
    pub video_view_rate: f64,
    /// Post types with their weights.
    pub types: &'static [(PostType, f64)],
    /// Profile visits per follower per day.
    pub profile_visits_per_follower: f64,
}

/// The five social networks, in the order of [`company::CHANNELS`].
pub const NETWORKS: [SocialParams; 5] = [
    SocialParams {
        channel: company::LINKEDIN,
        network: Network::LinkedIn,
        id_prefix: "li",
        posts_per_week: 3.0,
        weekday_offset: 0,
        followers_start: 4200.0,
        growth_per_year: 0.25,
        impressions_per_follower: 0.35,
        engagement_rate: 0.030,
        split: [0.55, 0.08, 0.05, 0.32, 0.0],
        decay_days: 2.0,
        reach_ratio: 0.7,
        follows_per_impression: 0.0008,
        video_view_rate: 0.30,
        types: &[
            (PostType::Text, 0.30),
            (PostType::Image, 0.30),
            (PostType::Document, 0.20),
            (PostType::Video, 0.10),
            (PostType::Poll, 0.05),
            (PostType::Article, 0.05),
        ],
        profile_visits_per_follower: 0.003,
    },
    SocialParams {
        channel: company::X,
        network: Network::X,
        id_prefix: "x",
        posts_per_week: 5.0,
        weekday_offset: 0,
        followers_start: 2600.0,
        growth_per_year: 0.05,
        impressions_per_follower: 0.25,
        engagement_rate: 0.010,
        split: [0.45, 0.07, 0.13, 0.35, 0.0],
        decay_days: 0.7,
        reach_ratio: 0.85,
        follows_per_impression: 0.0003,
        video_view_rate: 0.30,
        types: &[(PostType::Text, 0.50), (PostType::Image, 0.25), (PostType::Link, 0.20), (PostType::Video, 0.05)],
        profile_visits_per_follower: 0.002,
    },
    SocialParams {
        channel: company::FACEBOOK,
        network: Network::Facebook,
        id_prefix: "fb",
        posts_per_week: 2.0,
        weekday_offset: 1,
        followers_start: 1800.0,
        growth_per_year: 0.02,
        impressions_per_follower: 0.08,
        engagement_rate: 0.015,
        split: [0.60, 0.10, 0.10, 0.20, 0.0],
        decay_days: 1.0,
        reach_ratio: 0.8,
        follows_per_impression: 0.0005,
        video_view_rate: 0.30,
        types: &[(PostType::Image, 0.40), (PostType::Link, 0.30), (PostType::Video, 0.20), (PostType::Text, 0.10)],
        profile_visits_per_follower: 0.002,
    },
    SocialParams {
        channel: company::INSTAGRAM,
        network: Network::Instagram,
        id_prefix: "ig",
        posts_per_week: 2.0,
        weekday_offset: 2,
        followers_start: 1200.0,
        growth_per_year: 0.15,
        impressions_per_follower: 0.25,
        engagement_rate: 0.022,
        split: [0.80, 0.06, 0.04, 0.0, 0.10],
        decay_days: 1.5,
        reach_ratio: 0.75,
        follows_per_impression: 0.001,
        video_view_rate: 0.40,
        types: &[(PostType::Image, 0.60), (PostType::Video, 0.40)],
        profile_visits_per_follower: 0.004,
    },
    SocialParams {
        channel: company::YOUTUBE,
        network: Network::YouTube,
        id_prefix: "yt",
        posts_per_week: 0.5,
        weekday_offset: 3,
        followers_start: 450.0,
        growth_per_year: 0.25,
        impressions_per_follower: 2.0,
        engagement_rate: 0.008,
        split: [0.70, 0.10, 0.05, 0.0, 0.15],
        decay_days: 5.0,
        reach_ratio: 0.6,
        follows_per_impression: 0.002,
        video_view_rate: 0.07,
        types: &[(PostType::Video, 1.0)],
        profile_visits_per_follower: 0.01,
    },
];

/// Parameters shared by all networks.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ContentParams {
    /// Probability that a planned slot is skipped (holiday, sick day, nothing to say).
    pub skip_probability: f64,
    /// Followers lost per follower per year.
    pub churn_per_year: f64,
    /// Sigma of the mean-one LogNormal noise on a post's expected impressions.
    pub impressions_sigma: f64,
    /// Sigma of the mean-one LogNormal noise on a post's engagement rate.
    pub engagement_sigma: f64,
    /// Content ideas per week.
    pub ideas_per_week: usize,
    /// Share of posts written for one of the week's ideas (an idea not yet published on that network; when
    /// every idea of the week is used there, the post has none).
    pub idea_share: f64,
    /// Share of ideas published as identical cross-posts (else as tailored variants).
    pub identical_share: f64,
    /// Engagement-rate multipliers of tailored variants and identical cross-posts (posts without idea: 1).
    pub tailored_multiplier: f64,
    pub identical_multiplier: f64,
    /// Days a post collects counters (day of publishing included); lifetime metrics are read on the last one.
    pub lifetime_days: usize,
    /// Probability that a post on a campaign channel inside the campaign window is tagged with the campaign.
    pub campaign_tag_probability: f64,
    /// Probability that a LinkedIn post is written by the marketing owner (else by the content creator).
    pub owner_author_share: f64,
    /// (type, impressions multiplier, engagement-rate multiplier).
    pub type_multipliers: [(PostType, f64, f64); 8],
}

pub const PARAMS: ContentParams = ContentParams {
    skip_probability: 0.08,
    churn_per_year: 0.10,
    impressions_sigma: 0.6,
    engagement_sigma: 0.35,
    ideas_per_week: 2,
    idea_share: 0.55,
    identical_share: 0.35,
    tailored_multiplier: 1.15,
    identical_multiplier: 0.85,
    lifetime_days: 14,
    campaign_tag_probability: 0.6,
    owner_author_share: 0.2,
    type_multipliers: [
        (PostType::Text, 1.0, 1.0),
        (PostType::Image, 1.1, 1.05),
        (PostType::Video, 1.3, 1.1),
        (PostType::Document, 1.4, 1.3),
        (PostType::Poll, 1.2, 1.4),
        (PostType::Link, 0.7, 0.8),
        (PostType::Article, 0.8, 0.9),
        (PostType::Other, 1.0, 1.0),
    ],
};

/// True for the company's closed days: 24 to 31 December (no posts, no time entries).
pub fn closed(cal: &Calendar, d: usize) -> bool {
    let date = cal.date(d);
    date.month() == 12 && date.day() >= 24
}

/// The published content and what the CRM and time models read from it.
#[derive(Debug, Clone)]
pub struct Content {
    pub posts: Vec<Post>,
    /// Lifetime counters of every post, read on its last lifetime day (or the last simulated day).
    pub lifetime: Vec<PostMetrics>,
    /// Daily increments of every post over its lifetime days inside the period.
    pub days: Vec<PostMetrics>,
    pub channel_days: Vec<ChannelDay>,
    /// `impressions[n][d]`: impressions of network `n` (index into [`NETWORKS`]) on day `d`.
    pub impressions: Vec<Vec<f64>>,
    /// `day_posts[n][d]`: (index into `posts`, impressions that day) of the posts network `n` showed on day `d`.
    pub day_posts: Vec<Vec<Vec<(usize, u64)>>>,
    /// `posts_per_week[n][w]`: posts network `n` published in week `w`.
    pub posts_per_week: Vec<Vec<u32>>,
    /// Keys of the ideas published as identical cross-posts (the same text on every network that used them);
    /// every other idea was published as tailored variants. The truth of the cross-posting audit.
    pub identical_ideas: std::collections::BTreeSet<String>,
}

impl Content {
    /// Removes the posts flagged in `hidden` (index as in `posts`) and their metrics: a paused channel does not
    /// publish. Only for the records written after the CRM is drawn; `impressions`, `day_posts` and
    /// `posts_per_week` keep describing the world as drawn.
    pub(crate) fn remove_posts(&mut self, hidden: &[bool]) {
        let gone: std::collections::BTreeSet<(String, String)> = self
            .posts
            .iter()
            .zip(hidden)
            .filter(|(_, h)| **h)
            .map(|(p, _)| (p.channel.clone(), p.external_id.clone()))
            .collect();
        if gone.is_empty() {
            return;
        }
        let keep = |channel: &str, id: &str| !gone.contains(&(channel.to_string(), id.to_string()));
        self.posts.retain(|p| keep(&p.channel, &p.external_id));
        self.lifetime.retain(|m| keep(&m.channel, &m.post_id));
        self.days.retain(|m| keep(&m.channel, &m.post_id));
    }
}

struct Idea {
    key: String,
    topic: usize,
    angle: usize,
    identical: bool,
}

#[derive(Default, Clone, Copy)]
struct DayTotals {
    impressions: u64,
    engagements: u64,
    video_views: u64,
    follows: u64,
}

/// Publishes every post of the period and derives daily channel figures.
pub fn publish(cfg: &DemoConfig, cal: &Calendar, plan: &Plan) -> Content {
    let p = &PARAMS;
    let mut r = rng(cfg.seed, Stream::Content);
    let weeks = cal.weeks();

    // Ideas of each week.
    let mut ideas: Vec<Vec<Idea>> = Vec::with_capacity(weeks);
    let mut idea_no = 0;
    for _ in 0..weeks {
        let mut week = Vec::new();
        for _ in 0..p.ideas_per_week {
            idea_no += 1;
            week.push(Idea {
                key: format!("idea-{idea_no:04}"),
                topic: r.gen_range(0..text::TOPICS.len()),
                angle: r.gen_range(0..64),
                identical: chance(&mut r, p.identical_share),
            });
        }
        ideas.push(week);
    }

    // Schedules: (day, seconds after midnight UTC) per network.
    let schedules: Vec<Vec<(usize, u32)>> = NETWORKS
        .iter()
        .map(|n| {
            let mut slots = Vec::new();
            for w in 0..weeks {
                let count = ((w + 1) as f64 * n.posts_per_week).floor() - (w as f64 * n.posts_per_week).floor();
                let count = count as u32;
                for j in 0..count {
                    let weekday = (j * 5 / count.max(1) + n.weekday_offset) % 5;
                    let d = 7 * w + weekday as usize;
                    let seconds = r.gen_range(7 * 12..17 * 12) * 300;
                    if d < cal.days && !closed(cal, d) && !chance(&mut r, p.skip_probability) {
                        slots.push((d, seconds));
                    }
                }
            }
            slots.sort_unstable();
            slots
        })
        .collect();

    let n_net = NETWORKS.len();
    let mut posts = Vec::new();
    let mut lifetime = Vec::new();
    let mut days_out = Vec::new();
    let mut channel_days = Vec::new();
    let mut totals = vec![vec![DayTotals::default(); cal.days]; n_net];
    let mut day_posts: Vec<Vec<Vec<(usize, u64)>>> = vec![vec![Vec::new(); cal.days]; n_net];
    let mut posts_per_week = vec![vec![0u32; weeks]; n_net];
    let mut followers: Vec<i64> = NETWORKS.iter().map(|n| n.followers_start.round() as i64).collect();
    let mut next_slot = vec![0usize; n_net];
    let mut numbers = vec![0usize; n_net];
    let mut used: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n_net];
    let decay: Vec<Vec<f64>> =
        NETWORKS.iter().map(|n| (0..p.lifetime_days).map(|k| (-(k as f64) / n.decay_days).exp()).collect()).collect();

    for d in 0..cal.days {
        for (n, net) in NETWORKS.iter().enumerate() {
            let mut published = 0i64;
            while next_slot[n] < schedules[n].len() && schedules[n][next_slot[n]].0 == d {
                let (_, seconds) = schedules[n][next_slot[n]];
                next_slot[n] += 1;
                numbers[n] += 1;
                published += 1;
                let post_id = format!("{}-{:05}", net.id_prefix, numbers[n]);
                let week = cal.week_of(d);
                posts_per_week[n][week] += 1;

                // Type, idea and text.
                let weights: Vec<f64> = net.types.iter().map(|(_, w)| *w).collect();
                let post_type = net.types[weighted(&mut r, &weights)].0;
                // An idea is published at most once per network.
                let idea = if chance(&mut r, p.idea_share) {
                    let free: Vec<usize> = (0..ideas[week].len()).filter(|i| !used[n].contains(&(week, *i))).collect();
                    if free.is_empty() {
                        None
                    } else {
                        let i = free[r.gen_range(0..free.len())];
                        used[n].push((week, i));
                        Some(&ideas[week][i])
                    }
                } else {
                    None
                };
                let (text, tailoring) = match idea {
                    Some(i) if i.identical => (text::crosspost(i.topic, i.angle), p.identical_multiplier),
                    Some(i) => (text::tailored(&mut r, net.network, i.topic, i.angle), p.tailored_multiplier),
                    None => {
                        let topic = r.gen_range(0..text::TOPICS.len());
                        let angle = r.gen_range(0..64);
                        (text::tailored(&mut r, net.network, topic, angle), 1.0)
                    }
                };
                let author = if net.network == Network::LinkedIn && chance(&mut r, p.owner_author_share) {
                    PEOPLE[0].key
                } else {
                    PEOPLE[1].key
                };
                let campaign =
                    if plan.campaign_on(net.channel, d).is_some() && chance(&mut r, p.campaign_tag_probability) {
                        plan.campaign_on(net.channel, d).map(|c| c.key.clone())
                    } else {
                        None
                    };
                let post_index = posts.len();
                posts.push(Post {
                    channel: net.channel.to_string(),
                    external_id: post_id.clone(),
                    published_at: Some(cal.at(d, seconds)),
                    post_type: Some(post_type),
                    text: Some(text),
                    url: Some(format!("https://{}.example/{HANDLE}/{post_id}", net.channel)),
                    author: Some(author.to_string()),
                    campaign,
                    idea: idea.map(|i| i.key.clone()),
                });

                // Counters over the whole lifetime, then split by day.
                let (_, imp_mult, eng_mult) = p
                    .type_multipliers
                    .iter()
                    .copied()
                    .find(|(t, _, _)| *t == post_type)
                    .unwrap_or((post_type, 1.0, 1.0));
                let expected = followers[n] as f64
                    * net.impressions_per_follower
                    * imp_mult
                    * mean_one_lognormal(&mut r, p.impressions_sigma);
                let impressions = poisson(&mut r, expected);
                let rate =
                    (net.engagement_rate * eng_mult * tailoring * mean_one_lognormal(&mut r, p.engagement_sigma))
                        .min(0.5);
                let engagements = binomial(&mut r, impressions, rate);
                let parts = multinomial(&mut r, engagements, &net.split);
                let is_video = post_type == PostType::Video;
                let video_views = if is_video { binomial(&mut r, impressions, net.video_view_rate) } else { 0 };
                let follows = binomial(&mut r, impressions, net.follows_per_impression);

                let mut counters = vec![impressions];
                counters.extend_from_slice(&parts);
                counters.push(video_views);
                counters.push(follows);
                let by_day: Vec<Vec<u64>> = counters.iter().map(|c| multinomial(&mut r, *c, &decay[n])).collect();
                let mut kept = [0u64; 8];
                let last = (d + p.lifetime_days - 1).min(cal.days - 1);
                for (k, day) in (d..=last).enumerate() {
                    let v: Vec<u64> = by_day.iter().map(|c| c[k]).collect();
                    for (acc, x) in kept.iter_mut().zip(&v) {
                        *acc += x;
                    }
                    let eng: u64 = v[1..6].iter().sum();
                    let t = &mut totals[n][day];
                    t.impressions += v[0];
                    t.engagements += eng;
                    t.video_views += v[6];
                    t.follows += v[7];
                    if v[0] > 0 {
                        day_posts[n][day].push((post_index, v[0]));
                    }
                    days_out.push(metrics(net, &post_id, cal.date(day), MetricPeriod::Day, &v, None, is_video));
                }
                let reach = (kept[0] as f64 * net.reach_ratio).round() as i64;
                lifetime.push(metrics(
                    net,
                    &post_id,
                    cal.date(last),
                    MetricPeriod::Lifetime,
                    &kept,
                    Some(reach),
                    is_video,
                ));
            }

            // The day's account-level figures.
            let f = followers[n] as f64;
            let t = totals[n][d];
            let gained = poisson(&mut r, f * (net.growth_per_year + p.churn_per_year) / 365.0) + t.follows;
            let lost = poisson(&mut r, f * p.churn_per_year / 365.0);
            followers[n] += gained as i64 - lost as i64;
            channel_days.push(ChannelDay {
                channel: net.channel.to_string(),
                date: Some(cal.date(d)),
                followers: Some(followers[n]),
                new_followers: Some(gained as i64),
                lost_followers: Some(lost as i64),
                impressions: Some(t.impressions as i64),
                engagements: Some(t.engagements as i64),
                page_views: None,
                unique_visitors: None,
                profile_visits: Some(poisson(&mut r, f * net.profile_visits_per_follower) as i64),
                video_views: Some(t.video_views as i64),
                posts_published: Some(published),
                reported_engagement_rate: None,
            });
        }
    }

    let impressions = totals.iter().map(|days| days.iter().map(|t| t.impressions as f64).collect()).collect();
    let identical_ideas = ideas.iter().flatten().filter(|i| i.identical).map(|i| i.key.clone()).collect();
    Content { posts, lifetime, days: days_out, channel_days, impressions, day_posts, posts_per_week, identical_ideas }
}

/// A metrics row from counters `[impressions, reactions, comments, shares, clicks, saves, video_views, follows]`.
fn metrics(
    net: &SocialParams,
    post_id: &str,
    date: socialledger_domain::Date,
    period: MetricPeriod,
    v: &[u64],
    reach: Option<i64>,
    is_video: bool,
) -> PostMetrics {
    let c = |i: usize| Some(v[i] as i64);
    PostMetrics {
        channel: net.channel.to_string(),
        post_id: post_id.to_string(),
        date: Some(date),
        period: Some(period),
        impressions: c(0),
        reach,
        reactions: c(1),
        comments: c(2),
        shares: c(3),
        clicks: c(4),
        saves: c(5),
        video_views: if is_video { c(6) } else { None },
        follows: c(7),
        engagements: Some(v[1..6].iter().sum::<u64>() as i64),
        watch_seconds: None,
        reported_engagement_rate: None,
    }
}
