//! LinkedIn Company Page content export, `<page-slug>_content_<epoch-millis>.xls`: sheet `Metrics` (one channel day
//! per row) and sheet `All posts` (one post and one lifetime metrics snapshot per row). The header is found by
//! content, so a description row above it (as LinkedIn writes it) or none (after a re-save in Excel) both work.

use super::canonical::SeenKeys;
use super::linkedin_page::page_channel;
use super::social_common::{
    channel_days, linkedin_urn, normalize_line_breaks, post_type_named, sheet_header, social_format, sum_reported,
};
use crate::parse::{self, DateFormat, TsFormat};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{ChannelDay, Dataset, MetricPeriod, Post, PostMetrics};

social_format!(
    LinkedInContent,
    "linkedin-content",
    "LinkedIn Company Page content export (<page>_content_<millis>.xls: sheets Metrics and All posts)"
);

const METRICS: &[&str] = &["Date", "Impressions (total)", "Clicks (total)", "Reactions (total)"];
const POSTS: &[&str] = &["Post title", "Post link", "Impressions", "Clicks", "Likes"];

fn detect(file: &SourceFile) -> bool {
    file.tables.iter().any(|t| t.header(METRICS).is_some() || t.header(POSTS).is_some())
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let metrics = sheet_header(file, "Metrics", METRICS);
    let posts = sheet_header(file, "All posts", POSTS);
    if metrics.is_none() && posts.is_none() {
        super::social_common::report_missing_header(file, errs, "a LinkedIn content export", METRICS);
        return ds;
    }
    let Some((channel, name)) = page_channel(file, opts, errs) else { return ds };
    let key = channel.key.clone();
    ds.channels.push(channel);

    // Metrics: one day per row. Engagements by LinkedIn's definition of this sheet's `Engagement rate (total)`:
    // clicks + reactions + comments + reposts (checked against the rate in docs/metrics.md).
    let mut last_day = None;
    if let Some(h) = &metrics {
        let c_date = h.col("Date");
        let c_impr = h.col("Impressions (total)");
        let c_parts =
            [h.col("Clicks (total)"), h.col("Reactions (total)"), h.col("Comments (total)"), h.col("Reposts (total)")];
        let c_rate = h.col("Engagement rate (total)");
        let day = (key.as_str(), c_date, &[DateFormat::Us, DateFormat::Iso][..]);
        let days = channel_days(h, 0, file, opts, errs, day, |r| {
            let parts: Vec<Option<i64>> = c_parts.iter().map(|c| r.get_count(*c)).collect();
            ChannelDay {
                impressions: r.get_count(c_impr),
                engagements: sum_reported(&parts),
                reported_engagement_rate: r.get_rate(c_rate),
                ..Default::default()
            }
        });
        last_day = days.iter().filter_map(|d| d.date).max();
        ds.channel_days.extend(days);
    }

    // All posts: lifetime counters as of the last day of the export (the Metrics sheet's last date, else the day
    // of the download from the file name).
    if let Some(h) = &posts {
        let snapshot = last_day.or_else(|| name.as_ref().and_then(|n| n.downloaded));
        let c_title = h.col("Post title");
        let c_link = h.col("Post link");
        let c_by = h.col("Posted by");
        let c_created = h.col("Created date");
        let c_campaign = h.col("Campaign name");
        let c_content_type = h.col("Content Type");
        let c_impr = h.col("Impressions");
        let c_views = h.col("Views");
        let c_clicks = h.col("Clicks");
        let c_likes = h.col("Likes");
        let c_comments = h.col("Comments");
        let c_reposts = h.col("Reposts");
        let c_follows = h.col("Follows");
        let c_rate = h.col("Engagement rate");
        let mut seen = SeenKeys::default();
        h.for_each_row(file, opts, errs, |r| {
            let link = r.req_str(c_link);
            let urn = link.and_then(linkedin_urn);
            if let (Some(l), None) = (link, urn) {
                r.error(
                    c_link,
                    format!("{l:?} holds no post URN (urn:li:…)"),
                    Some(
                        "LinkedIn writes the post link as https://www.linkedin.com/feed/update/urn:li:activity:<id>"
                            .into(),
                    ),
                );
            }
            if let Some(u) = urn {
                seen.check(u.to_string(), || format!("post {u}"), r, c_link);
            }
            // `Created date` is a day (UTC, says the sheet's description row).
            let published_at =
                r.get_with(c_created, |t| parse::parse_timestamp(t, &[TsFormat::Us, TsFormat::Iso], chrono_tz::UTC));
            let (clicks, likes, comments) = (r.get_count(c_clicks), r.get_count(c_likes), r.get_count(c_comments));
            let (reposts, follows) = (r.get_count(c_reposts), r.get_count(c_follows));
            let metrics = PostMetrics {
                channel: key.clone(),
                post_id: urn.unwrap_or_default().to_string(),
                date: snapshot.or(published_at.map(|t| t.date_naive())),
                period: Some(MetricPeriod::Lifetime),
                impressions: r.get_count(c_impr),
                reactions: likes,
                comments,
                shares: reposts,
                clicks,
                video_views: r.get_count(c_views),
                follows,
                // LinkedIn's engagement rate of a post counts clicks, likes, comments, reposts and follows.
                engagements: sum_reported(&[clicks, likes, comments, reposts, follows]),
                reported_engagement_rate: r.get_rate(c_rate),
                ..Default::default()
            };
            let (Some(urn), false) = (urn, r.failed()) else { return };
            ds.posts.push(Post {
                channel: key.clone(),
                external_id: urn.to_string(),
                published_at,
                post_type: post_type_named(r.cell(c_content_type)),
                text: r.get_string(c_title).map(|t| normalize_line_breaks(&t)),
                url: link.map(str::to_string),
                author: r.get_string(c_by),
                campaign: r.get_string(c_campaign),
                idea: None,
            });
            ds.post_metrics.push(metrics);
        });
    }
    ds
}
