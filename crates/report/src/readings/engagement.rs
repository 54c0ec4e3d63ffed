//! Reading of the engagement-rate chart: which channels engage their impressions best, how the monthly rates
//! moved, and how many months rest on a handful of posts.

use super::{join_and, notes_for, sentence, Reading, MAX_CHANNEL_SENTENCES};
use crate::figures;
use crate::table::ChannelRow;
use socialledger_analytics::{Analysis, EngagementSource, MonthlyEngagement};

/// The note codes that bias or hide engagement rates.
const NOTE_CODES: [&str; 4] =
    ["posts_without_impressions", "posts_without_metrics", "engagement_from_channel_days", "no_follower_level"];

/// Below this many posts in a month, one post can swing that month's rate.
const FEW_POSTS: u64 = 3;

/// The monthly rows of `channel` that have a rate, by month.
pub(crate) fn monthly_rates<'a>(analysis: &'a Analysis, channel: &str) -> Vec<&'a MonthlyEngagement> {
    let mut rows: Vec<&MonthlyEngagement> = analysis
        .monthly_engagement
        .iter()
        .filter(|m| m.channel == channel && m.rate_by_impressions.is_some_and(f64::is_finite))
        .collect();
    rows.sort_by_key(|m| m.month);
    rows
}

fn month_name(m: &MonthlyEngagement) -> String {
    m.month.format("%b %Y").to_string()
}

pub fn reading(analysis: &Analysis, rows: &[ChannelRow]) -> Reading {
    let pct = |r: f64| figures::percent(r, 1);
    let mut rated: Vec<(&ChannelRow, f64)> = rows
        .iter()
        .filter_map(|r| r.engagement_rate_by_impressions.filter(|x| x.is_finite()).map(|x| (r, x)))
        .collect();
    rated.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.channel.cmp(&b.0.channel)));

    let mut says = Vec::new();
    match rated.as_slice() {
        [] => says.push("No channel reports both impressions and engagements, so no rate can be drawn.".to_string()),
        [(only, rate)] => {
            says.push(sentence(&format!("{} engaged {} of its impressions over the period", only.name, pct(*rate))))
        }
        [(top, top_rate), .., (low, low_rate)] => says.push(sentence(&format!(
            "Over the period, {} has the highest engagement rate by impressions ({}) and {} the lowest ({})",
            top.name,
            pct(*top_rate),
            low.name,
            pct(*low_rate)
        ))),
    }
    for (row, _) in rated.iter().take(MAX_CHANNEL_SENTENCES) {
        let months = monthly_rates(analysis, &row.channel);
        let (Some(first), Some(last)) = (months.first(), months.last()) else { continue };
        if months.len() < 2 {
            continue;
        }
        let (a, b) = (first.rate_by_impressions.unwrap_or(0.0), last.rate_by_impressions.unwrap_or(0.0));
        let direction = if (b - a).abs() < 0.001 {
            "stayed near".to_string()
        } else if b > a {
            format!("rose from {} to", pct(a))
        } else {
            format!("fell from {} to", pct(a))
        };
        let peak = months.iter().copied().max_by(|x, y| {
            x.rate_by_impressions
                .unwrap_or(0.0)
                .total_cmp(&y.rate_by_impressions.unwrap_or(0.0))
                .then(y.month.cmp(&x.month))
        });
        let mut s = format!(
            "{}'s monthly rate {direction} {} between {} and {}",
            row.name,
            pct(b),
            month_name(first),
            month_name(last)
        );
        if let Some(p) = peak {
            s.push_str(&format!(", peaking at {} in {}", pct(p.rate_by_impressions.unwrap_or(0.0)), month_name(p)));
        }
        says.push(sentence(&s));
    }
    let followers: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.engagement_rate_by_followers.filter(|x| x.is_finite()).map(|x| format!("{} {}", r.name, pct(x)))
        })
        .collect();
    if !followers.is_empty() {
        says.push(sentence(&format!(
            "By followers (engagements per post divided by the latest follower count), the rates are: {}",
            join_and(&followers)
        )));
    }

    let mut certainty = Vec::new();
    let charted: Vec<&MonthlyEngagement> =
        rated.iter().flat_map(|(r, _)| monthly_rates(analysis, &r.channel)).collect();
    let thin = charted.iter().filter(|m| m.posts < FEW_POSTS).count();
    if !charted.is_empty() {
        let share = match thin {
            0 => format!("None of the {} channel-months drawn rests", charted.len()),
            n if n == charted.len() => format!("All {n} channel-months drawn rest"),
            n => format!("{n} of the {} channel-months drawn rest", charted.len()),
        };
        certainty
            .push(sentence(&format!("{share} on fewer than {FEW_POSTS} posts, where a single post swings the rate")));
    }
    if rated.len() > 1 {
        certainty.push(
            "Each network counts engagements its own way (clicks, for example, are in some totals and not in others), so compare a channel with itself over time rather than networks with each other."
                .to_string(),
        );
    }
    let mut missing = notes_for(analysis, &NOTE_CODES);
    let unrated: Vec<String> = analysis
        .channels
        .iter()
        .filter(|c| c.engagement.source != EngagementSource::None)
        .filter(|c| c.engagement.engagement_rate_by_impressions.is_none())
        .map(|c| c.name.clone().unwrap_or_else(|| c.channel.clone()))
        .collect();
    if !unrated.is_empty() {
        missing.push(sentence(&format!(
            "{} {} engagement figures but no impressions to divide them by, so {} not drawn",
            join_and(&unrated),
            if unrated.len() == 1 { "has" } else { "have" },
            if unrated.len() == 1 { "it is" } else { "they are" }
        )));
    }
    Reading { says, certainty, missing }
}
