//! Legacy Facebook Page Insights post-level export (2014-2017), `Facebook Insights Data Export (Post Level) -
//! <Page> - <from> - <to>.csv`: one post and one lifetime metrics snapshot per row. Row 2 describes the metrics
//! and is skipped.

use super::canonical::SeenKeys;
use super::social_common::{
    description_rows, facebook_page_channel, for_each_row_after, social_format, sum_reported, FacebookPostColumns,
};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{Dataset, MetricPeriod, PostMetrics};

social_format!(
    FacebookPosts,
    "facebook-posts",
    "Facebook Page Insights legacy post-level export (Facebook Insights Data Export (Post Level) - <Page> - …csv)"
);

const REQUIRED: &[&str] = &["Post ID", "Posted", "Lifetime Post Total Impressions", "Lifetime Engaged Users"];

fn detect(file: &SourceFile) -> bool {
    super::social_common::has_header(file, REQUIRED, &["Lifetime Total Video Views"])
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = file.tables.iter().find_map(|t| t.header(REQUIRED)) else {
        super::social_common::report_missing_header(file, errs, "a Facebook post-level export", REQUIRED);
        return ds;
    };
    let (channel, name) = facebook_page_channel(file, opts);
    let key = channel.key.clone();
    ds.channels.push(channel);

    let post = FacebookPostColumns::new(&h);
    let c_impr = h.col("Lifetime Post Total Impressions");
    let c_reach = h.col("Lifetime Post Total Reach");
    let c_engaged = h.col("Lifetime Engaged Users");
    let c_consumers = h.col("Lifetime Post Consumers");
    let c_likes = h.col("Lifetime Post Stories by action type - like");
    let c_comments = h.col("Lifetime Post Stories by action type - comment");
    let c_shares = h.col("Lifetime Post Stories by action type - share");
    // Video views (3 seconds or more) = organic + paid. Both names appear twice: the first of each is the count of
    // views (equal to the video-posts export's `Lifetime Total Video Views`), the second the count of people.
    let c_video = [
        h.cols_named("Lifetime Organic Video Views").first().copied(),
        h.cols_named("Lifetime Paid Video Views").first().copied(),
    ];
    let skip = post.id.map_or(0, |c| description_rows(&h, c));
    let mut seen = SeenKeys::default();
    for_each_row_after(&h, skip, file, opts, errs, |r| {
        let p = post.read(r, &key);
        if let Some(p) = &p {
            seen.check(p.external_id.clone(), || format!("post {}", p.external_id), r, post.id);
        }
        let video: Vec<Option<i64>> = c_video.iter().map(|c| r.get_i64(*c)).collect();
        let metrics = PostMetrics {
            channel: key.clone(),
            period: Some(MetricPeriod::Lifetime),
            impressions: r.get_i64(c_impr),
            reach: r.get_i64(c_reach),
            reactions: r.get_i64(c_likes),
            comments: r.get_i64(c_comments),
            shares: r.get_i64(c_shares),
            clicks: r.get_i64(c_consumers),
            video_views: sum_reported(&video),
            engagements: r.get_i64(c_engaged),
            ..Default::default()
        };
        let (Some(p), false) = (p, r.failed()) else { return };
        // Lifetime counters as of the export's last day (the download), else of the post's own day.
        let date = name.as_ref().map(|n| n.end).or(p.published_at.map(|t| t.date_naive()));
        ds.post_metrics.push(PostMetrics { post_id: p.external_id.clone(), date, ..metrics });
        ds.posts.push(p);
    });
    ds
}
