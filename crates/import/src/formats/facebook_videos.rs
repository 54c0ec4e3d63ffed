//! Legacy Facebook Page Insights video-posts export (2014-2017), `Facebook Insights Data Export (Video Posts) -
//! <Page> - <from> - <to>.csv`: one post and one lifetime metrics snapshot per video. Row 2 describes the metrics
//! and is skipped.
//!
//! The video posts are also in the post-level export of the same download, which holds every counter this file
//! has (video views included) plus engaged users and clicks. Both files are imported separately and a metrics
//! snapshot replaces the one with the same key (channel, post, date, period). So that the video file never erases
//! the post-level file's engaged users and clicks, whichever is imported last, its snapshot is dated the day
//! **before** the export's last day: the post-level snapshot (last day) stays the latest and complete one, and a
//! video file imported alone still gives every video's counters. See docs/sources.md. The reading is
//! [`super::facebook_insights`]'s.

use super::facebook_insights::{PostExport, SharedCounters};
use super::social_common::social_format;
use crate::read::Row;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{Dataset, PostMetrics};

social_format!(
    FacebookVideos,
    "facebook-videos",
    "Facebook Page Insights legacy video-posts export (Facebook Insights Data Export (Video Posts) - <Page> - …csv)"
);

/// Snapshots dated the day before the export's last day (see above), else the post's own day.
const EXPORT: PostExport = PostExport {
    required: &["Post ID", "Posted", "Lifetime Total Video Views"],
    what: "a Facebook video-posts export",
    snapshot_days_before_end: 1,
};

fn detect(file: &SourceFile) -> bool {
    super::social_common::has_header(file, EXPORT.required, &[])
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    EXPORT.parse(file, opts, errs, |h| {
        let shared = SharedCounters::new(h);
        let c_views = h.col("Lifetime Total Video Views");
        move |r: &mut Row<'_>| {
            let m = shared.read(r);
            PostMetrics { video_views: r.get_count(c_views), ..m }
        }
    })
}
