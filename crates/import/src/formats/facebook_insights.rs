//! What the legacy Facebook Page Insights exports (2014-2017) share: the page channel named by the file name, and
//! for the post-level and video-posts exports, the post columns, the counters both have and the walk that turns
//! each row into a post and its lifetime metrics snapshot.

use super::canonical::SeenKeys;
use super::social_common::{description_rows, facebook_export_name, post_type_named, FacebookExportName};
use crate::channel::{file_channel, AccountClue};
use crate::parse::TsFormat;
use crate::read::{Headed, Row};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{AccountKind, Channel, Dataset, MetricPeriod, Network, Post, PostMetrics};

/// The layout of the post-level or the video-posts export.
#[derive(Debug)]
pub struct PostExport {
    /// The columns that identify the export.
    pub required: &'static [&'static str],
    /// The export as an error names it (`a Facebook post-level export`).
    pub what: &'static str,
    /// How many days before the last day of the export's period (from the file name) its lifetime snapshots are
    /// dated; 0 dates them that day. A file whose name gives no period dates each snapshot its post's own day.
    pub snapshot_days_before_end: u64,
}

impl PostExport {
    /// The page's channel, one post per row and its lifetime metrics snapshot: `counters` gets the header and
    /// returns the reader of a row's counters (channel, post, date and period are set here). The row under the
    /// header is skipped when it describes the metrics.
    pub fn parse<F>(
        &self,
        file: &SourceFile,
        opts: &ImportOptions,
        errs: &mut ErrorSink,
        counters: impl FnOnce(&Headed<'_>) -> F,
    ) -> Dataset
    where
        F: FnMut(&mut Row<'_>) -> PostMetrics,
    {
        let mut ds = Dataset::default();
        let Some(h) = file.tables.iter().find_map(|t| t.header(self.required)) else {
            super::social_common::report_missing_header(file, errs, self.what, self.required);
            return ds;
        };
        let Some((channel, name)) = facebook_page_channel(file, opts, errs) else { return ds };
        let key = channel.key.clone();
        ds.channels.push(channel);

        let post = PostColumns::new(&h);
        let mut counters = counters(&h);
        let skip = post.id.map_or(0, |c| description_rows(&h, c));
        let mut seen = SeenKeys::default();
        h.for_each_row_after(skip, file, opts, errs, |r| {
            let p = post.read(r, &key);
            if let Some(p) = &p {
                seen.check(p.external_id.clone(), || format!("post {}", p.external_id), r, post.id);
            }
            let metrics = counters(r);
            let (Some(p), false) = (p, r.failed()) else { return };
            let date = match &name {
                Some(n) => n.end.checked_sub_days(chrono::Days::new(self.snapshot_days_before_end)),
                None => p.published_at.map(|t| t.date_naive()),
            };
            ds.post_metrics.push(PostMetrics {
                channel: key.clone(),
                post_id: p.external_id.clone(),
                date,
                period: Some(MetricPeriod::Lifetime),
                ..metrics
            });
            ds.posts.push(p);
        });
        ds
    }
}

/// The lifetime counters both exports have: impressions, reach, and the likes, comments and shares (the post's
/// stories by action type).
#[derive(Debug)]
pub struct SharedCounters {
    impressions: Option<usize>,
    reach: Option<usize>,
    likes: Option<usize>,
    comments: Option<usize>,
    shares: Option<usize>,
}

impl SharedCounters {
    pub fn new(h: &Headed<'_>) -> Self {
        SharedCounters {
            impressions: h.col("Lifetime Post Total Impressions"),
            reach: h.col("Lifetime Post Total Reach"),
            likes: h.col("Lifetime Post Stories by action type - like"),
            comments: h.col("Lifetime Post Stories by action type - comment"),
            shares: h.col("Lifetime Post Stories by action type - share"),
        }
    }

    /// The counters of row `r`; every other field is left empty.
    pub fn read(&self, r: &mut Row<'_>) -> PostMetrics {
        PostMetrics {
            impressions: r.get_i64(self.impressions),
            reach: r.get_i64(self.reach),
            reactions: r.get_i64(self.likes),
            comments: r.get_i64(self.comments),
            shares: r.get_i64(self.shares),
            ..Default::default()
        }
    }
}

/// The post columns of the post-level and video-posts exports, and how a row becomes a [`Post`]. `Posted` is a US 12-hour local time (`02/14/2016 12:40:16 AM`), read in `--tz`.
#[derive(Debug)]
struct PostColumns {
    id: Option<usize>,
    link: Option<usize>,
    message: Option<usize>,
    kind: Option<usize>,
    posted: Option<usize>,
}

impl PostColumns {
    fn new(h: &Headed<'_>) -> Self {
        PostColumns {
            id: h.col("Post ID"),
            link: h.col("Permalink"),
            message: h.col("Post Message"),
            kind: h.col("Type"),
            posted: h.col("Posted"),
        }
    }

    /// The post of row `r` on channel `channel`; `None` (with the errors reported) when its id or time is bad.
    fn read(&self, r: &mut Row<'_>, channel: &str) -> Option<Post> {
        let id = r.req_str(self.id);
        let published_at = r.req_timestamp(self.posted, &[TsFormat::Us, TsFormat::Iso]);
        let (Some(id), Some(published_at)) = (id, published_at) else { return None };
        Some(Post {
            channel: channel.to_string(),
            external_id: id.to_string(),
            published_at: Some(published_at),
            post_type: post_type_named(r.cell(self.kind)),
            text: r.get_string(self.message),
            url: r.get_string(self.link),
            author: None,
            campaign: None,
            idea: None,
        })
    }
}

/// The Facebook page channel of a legacy export: the page name from the file name is its handle (the exports do
/// not all carry the page's @username), so the post, video and page files of one page land on one channel. A
/// renamed file lands on the one Facebook page channel (or on `--channel`); `None` with the error in `errs` when
/// several pages could be it.
pub fn facebook_page_channel(
    file: &SourceFile,
    opts: &ImportOptions,
    errs: &mut ErrorSink,
) -> Option<(Channel, Option<FacebookExportName>)> {
    let name = facebook_export_name(&file.file_name);
    let clue = AccountClue::new(Network::Facebook, Some(AccountKind::Page), "Facebook page")
        .file_name(name.as_ref().map(|n| n.page.as_str()));
    Some((file_channel(file, clue, opts, errs)?, name))
}
