//! Legacy Facebook Page Insights post-level export (2014-2017), `Facebook Insights Data Export (Post Level) -
//! <Page> - <from> - <to>.csv`: one post and one lifetime metrics snapshot per row. Row 2 describes the metrics
//! and is skipped. The reading is [`super::facebook_insights`]'s; this module says which counters the file has.

use super::facebook_insights::{PostExport, SharedCounters};
use super::social_common::{social_format, sum_reported};
use crate::read::Row;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{Dataset, PostMetrics};

social_format!(
    FacebookPosts,
    "facebook-posts",
    "Facebook Page Insights legacy post-level export (Facebook Insights Data Export (Post Level) - <Page> - …csv)"
);

/// Lifetime counters as of the export's last day (the download), else of the post's own day.
const EXPORT: PostExport = PostExport {
    required: &["Post ID", "Posted", "Lifetime Post Total Impressions", "Lifetime Engaged Users"],
    what: "a Facebook post-level export",
    snapshot_days_before_end: 0,
};

fn detect(file: &SourceFile) -> bool {
    super::social_common::has_header(file, EXPORT.required, &["Lifetime Total Video Views"])
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    EXPORT.parse(file, opts, errs, |h| {
        let shared = SharedCounters::new(h);
        let c_engaged = h.col("Lifetime Engaged Users");
        let c_consumers = h.col("Lifetime Post Consumers");
        // Video views (3 seconds or more) = organic + paid. Both names appear twice: the first of each is the count
        // of views (equal to the video-posts export's `Lifetime Total Video Views`), the second the count of people.
        let c_video = [
            h.cols_named("Lifetime Organic Video Views").first().copied(),
            h.cols_named("Lifetime Paid Video Views").first().copied(),
        ];
        move |r: &mut Row<'_>| {
            let video: Vec<Option<i64>> = c_video.iter().map(|c| r.get_count(*c)).collect();
            let m = shared.read(r);
            PostMetrics {
                clicks: r.get_count(c_consumers),
                video_views: sum_reported(&video),
                engagements: r.get_count(c_engaged),
                ..m
            }
        }
    })
}
