//! New X (2024+) per-post analytics export, `account_analytics_content_<from>_<to>.csv` (any prefix): one post and
//! one lifetime metrics snapshot per row, with X's own `Engagements` total.

use super::canonical::SeenKeys;
use super::social_common::{
    decode_html_entities, handle_in_status_url, last_iso_date_in_name, report_missing_header, social_format,
    sum_reported,
};
use crate::channel::{file_channel, name_prefix, AccountClue};
use crate::parse::{self, DateFormat};
use crate::read::Headed;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{Dataset, MetricPeriod, Network, Post, PostMetrics};

social_format!(
    XContent,
    "x-content",
    "X (2024+) per-post analytics export (account_analytics_content_<from>_<to>.csv)"
);

const REQUIRED: &[&str] = &["Post id", "Date", "Impressions", "Engagements"];

/// The header with every required column and a post link column (`Link` or `Post Link`).
fn header(file: &SourceFile) -> Option<Headed<'_>> {
    file.tables.iter().find_map(|t| t.header(REQUIRED)).filter(|h| h.col_any(&["Link", "Post Link"]).is_some())
}

fn detect(file: &SourceFile) -> bool {
    header(file).is_some()
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = header(file) else {
        report_missing_header(
            file,
            errs,
            "an X content export",
            &["Post id", "Date", "Link", "Impressions", "Engagements"],
        );
        return ds;
    };
    let c_id = h.col("Post id");
    let c_date = h.col("Date");
    let c_text = h.col_any(&["Post text", "Text"]);
    let c_link = h.col_any(&["Link", "Post Link"]);
    let c_impr = h.col("Impressions");
    let c_eng = h.col("Engagements");
    let c_likes = h.col("Likes");
    let c_bookmarks = h.col_any(&["Bookmarks", "Bookmark"]);
    let c_share = h.col_any(&["Shares", "Share"]);
    let c_reposts = h.col_any(&["Reposts", "Repost"]);
    let c_replies = h.col_any(&["Replies", "Reply"]);
    let c_follows = h.col_any(&["New follows", "New follow"]);
    let c_clicks = [
        h.col_any(&["Profile visits", "Profile visit"]),
        h.col_any(&["Detail expands", "Detail expand"]),
        h.col_any(&["URL clicks", "Url clicks", "Link clicks"]),
        h.col_any(&["Hashtag clicks", "Hashtag click"]),
        h.col_any(&["Permalink clicks", "Permalink click"]),
    ];
    let end = last_iso_date_in_name(&file.file_name);

    // The account: the handle of the first post link (x.com/<handle>/status/<id>), else a prefix the user put
    // before X's file name (`<handle>_account_analytics_content_…`).
    let linked = h.data().iter().find_map(|r| c_link.and_then(|c| handle_in_status_url(r.cell(c))));
    let clue = AccountClue::new(Network::X, None, "X")
        .content(linked)
        .file_name(name_prefix(&file.file_name, "account_analytics_content"));
    let Some(channel) = file_channel(file, clue, opts, errs) else { return ds };
    let key = channel.key.clone();
    ds.channels.push(channel);

    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let id = r.req_str(c_id);
        if let Some(id) = id {
            seen.check(id.to_string(), || format!("post {id}"), r, c_id);
        }
        // `Thu Mar 20 2025`: the day only; the post is placed at midnight of that day in `--tz`.
        let tz = opts.tz;
        let stamped = r.req_with(c_date, |t| {
            let day = parse::parse_date(t, &[DateFormat::Text, DateFormat::Iso])?;
            Ok((day, parse::localize(day.and_time(chrono::NaiveTime::MIN), tz)?))
        });
        let (day, published_at) = (stamped.map(|s| s.0), stamped.map(|s| s.1));
        let reposts = r.get_i64(c_reposts);
        let share = r.get_i64(c_share);
        let clicks: Vec<Option<i64>> = c_clicks.iter().map(|c| r.get_i64(*c)).collect();
        let m = PostMetrics {
            channel: key.clone(),
            post_id: id.unwrap_or_default().to_string(),
            date: end.or(day),
            period: Some(MetricPeriod::Lifetime),
            impressions: r.get_i64(c_impr),
            reactions: r.get_i64(c_likes),
            comments: r.get_i64(c_replies),
            shares: sum_reported(&[reposts, share]),
            clicks: sum_reported(&clicks),
            saves: r.get_i64(c_bookmarks),
            follows: r.get_i64(c_follows),
            engagements: r.get_i64(c_eng),
            ..Default::default()
        };
        let (Some(id), Some(_), false) = (id, day, r.failed()) else { return };
        ds.posts.push(Post {
            channel: key.clone(),
            external_id: id.to_string(),
            published_at,
            post_type: None,
            text: r.get_str(c_text).map(decode_html_entities),
            url: r.get_string(c_link),
            author: None,
            campaign: None,
            idea: None,
        });
        ds.post_metrics.push(m);
    });
    ds
}
