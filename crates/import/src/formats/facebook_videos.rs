//! Legacy Facebook Page Insights video-posts export (2014-2017), `Facebook Insights Data Export (Video Posts) -
//! <Page> - <from> - <to>.csv`: one post and one lifetime metrics snapshot per video. Row 2 describes the metrics
//! and is skipped.
//!
//! The video posts are also in the post-level export of the same download, which holds every counter this file
//! has (video views included) plus engaged users and clicks. Both files are imported separately and a metrics
//! snapshot replaces the one with the same key (channel, post, date, period). So that the video file never erases
//! the post-level file's engaged users and clicks, whichever is imported last, its snapshot is dated the day
//! **before** the export's last day: the post-level snapshot (last day) stays the latest and complete one, and a
//! video file imported alone still gives every video's counters. See docs/sources.md.

use super::canonical::SeenKeys;
use super::social_common::{
    description_rows, facebook_page_channel, for_each_row_after, social_format, FacebookPostColumns,
};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{Dataset, MetricPeriod, PostMetrics};

social_format!(
    FacebookVideos,
    "facebook-videos",
    "Facebook Page Insights legacy video-posts export (Facebook Insights Data Export (Video Posts) - <Page> - …csv)"
);

const REQUIRED: &[&str] = &["Post ID", "Posted", "Lifetime Total Video Views"];

fn detect(file: &SourceFile) -> bool {
    super::social_common::has_header(file, REQUIRED, &[])
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = file.tables.iter().find_map(|t| t.header(REQUIRED)) else {
        super::social_common::report_missing_header(file, errs, "a Facebook video-posts export", REQUIRED);
        return ds;
    };
    let (channel, name) = facebook_page_channel(file, opts);
    let key = channel.key.clone();
    ds.channels.push(channel);

    let post = FacebookPostColumns::new(&h);
    let c_impr = h.col("Lifetime Post Total Impressions");
    let c_reach = h.col("Lifetime Post Total Reach");
    let c_views = h.col("Lifetime Total Video Views");
    let c_likes = h.col("Lifetime Post Stories by action type - like");
    let c_comments = h.col("Lifetime Post Stories by action type - comment");
    let c_shares = h.col("Lifetime Post Stories by action type - share");
    let skip = post.id.map_or(0, |c| description_rows(&h, c));
    let mut seen = SeenKeys::default();
    for_each_row_after(&h, skip, file, opts, errs, |r| {
        let p = post.read(r, &key);
        if let Some(p) = &p {
            seen.check(p.external_id.clone(), || format!("post {}", p.external_id), r, post.id);
        }
        let metrics = PostMetrics {
            channel: key.clone(),
            period: Some(MetricPeriod::Lifetime),
            impressions: r.get_i64(c_impr),
            reach: r.get_i64(c_reach),
            reactions: r.get_i64(c_likes),
            comments: r.get_i64(c_comments),
            shares: r.get_i64(c_shares),
            video_views: r.get_i64(c_views),
            ..Default::default()
        };
        let (Some(p), false) = (p, r.failed()) else { return };
        let date = match &name {
            Some(n) => n.end.pred_opt(),
            None => p.published_at.map(|t| t.date_naive()),
        };
        ds.post_metrics.push(PostMetrics { post_id: p.external_id.clone(), date, ..metrics });
        ds.posts.push(p);
    });
    ds
}
