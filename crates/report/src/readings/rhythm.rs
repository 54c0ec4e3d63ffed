//! Reading of the timeline: how regular each channel's posting is, how often the newsletter goes out, which
//! pushes run beside the rhythm, and whether posting changes in the weeks of a push.

use super::{count, join_and, sentence, Reading, MAX_CHANNEL_SENTENCES};
use crate::figures;
use crate::rhythm::{kind_count, Rhythm};
use socialledger_analytics::{Analysis, EngagementSource};

/// Below this many weeks, a rhythm is hard to tell from chance.
const FEW_WEEKS: usize = 8;

pub fn reading(analysis: &Analysis, rhythm: &Rhythm<'_>) -> Reading {
    let weeks = rhythm.weeks.len();
    let mut says = Vec::new();
    for c in rhythm.channels.iter().take(MAX_CHANNEL_SENTENCES) {
        let per_week = c.posts as f64 / weeks.max(1) as f64;
        says.push(sentence(&format!(
            "{} posted {} in {} ({} a week), with at least one post in {} of them",
            c.name,
            count(c.posts as u64, "time", "times"),
            count(weeks as u64, "week", "weeks"),
            figures::decimal(per_week, 1),
            c.weekly.len()
        )));
    }
    if rhythm.channels.len() > MAX_CHANNEL_SENTENCES {
        let rest = &rhythm.channels[MAX_CHANNEL_SENTENCES..];
        says.push(sentence(&format!(
            "{} more channels posted {} together",
            rest.len(),
            count(rest.iter().map(|c| c.posts as u64).sum(), "time", "times")
        )));
    }
    if rhythm.channels.is_empty() {
        says.push("No post with a publication date falls in the period.".to_string());
    }
    let issues = rhythm.newsletters.len();
    if issues > 0 {
        let mut s = format!("{} went out", count(issues as u64, "newsletter issue", "newsletter issues"));
        if issues > 1 {
            let (first, last) = (rhythm.newsletters[0].start, rhythm.newsletters[issues - 1].start);
            let gap = (last - first).num_days() as f64 / (issues - 1) as f64;
            s.push_str(&format!(", about one every {} days", figures::decimal(gap, 0)));
        }
        says.push(sentence(&s));
    }
    let pushes: Vec<String> = rhythm.spans.iter().map(|(kind, list)| kind_count(*kind, list.len())).collect();
    if !pushes.is_empty() {
        says.push(sentence(&format!("Beside the rhythm ran {}", join_and(&pushes))));
    }
    let push_weeks = rhythm.push_weeks();
    let total_posts: u32 = rhythm.channels.iter().map(|c| c.posts).sum();
    if !push_weeks.is_empty() && push_weeks.len() < weeks && total_posts > 0 {
        let in_push: u32 = rhythm
            .channels
            .iter()
            .flat_map(|c| c.weekly.iter())
            .filter(|(monday, _)| push_weeks.contains(monday))
            .map(|(_, n)| n)
            .sum();
        let others = weeks - push_weeks.len();
        says.push(sentence(&format!(
            "In the {} with a campaign or paid flight, the channels together posted {} posts a week, against {} in the other {}",
            count(push_weeks.len() as u64, "week", "weeks"),
            figures::decimal(in_push as f64 / push_weeks.len() as f64, 1),
            figures::decimal((total_posts - in_push) as f64 / others as f64, 1),
            count(others as u64, "week", "weeks")
        )));
    }

    let mut certainty =
        vec!["The timeline shows timing only: whether a push lifted engagement or pipeline is not tested here."
            .to_string()];
    if weeks < FEW_WEEKS {
        certainty.push(sentence(&format!(
            "The period covers only {}, too few to call a rhythm regular",
            count(weeks as u64, "week", "weeks")
        )));
    }

    let mut missing = Vec::new();
    if rhythm.undated_posts > 0 {
        missing.push(sentence(&format!(
            "{} no publication date and cannot be placed on the timeline",
            count(rhythm.undated_posts as u64, "post has", "posts have")
        )));
    }
    let daily_only: Vec<String> = analysis
        .channels
        .iter()
        .filter(|c| c.engagement.source == EngagementSource::ChannelDays && c.engagement.posts > 0)
        .filter(|c| !rhythm.channels.iter().any(|r| r.channel == c.channel))
        .map(|c| c.name.clone().unwrap_or_else(|| c.channel.clone()))
        .collect();
    if !daily_only.is_empty() {
        missing.push(sentence(&format!(
            "{} {} posts only as daily counts, without dates per post, so {} not drawn",
            join_and(&daily_only),
            if daily_only.len() == 1 { "reports its" } else { "report their" },
            if daily_only.len() == 1 { "it is" } else { "they are" }
        )));
    }
    Reading { says, certainty, missing }
}
