//! `posts.csv`: posts with their lifetime counters as read on `metrics_date`.

use super::{canonical_format, channel_key, SeenKeys, Spec};
use crate::parse::{DateFormat, TsFormat};
use crate::read::{Headed, Row};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{Dataset, MetricPeriod, Post, PostMetrics, PostType};

pub const SPEC: Spec = Spec {
    name: "canonical-posts",
    description: "socialledger posts.csv: posts with lifetime counters (channel, post_id, published_at, ...)",
    required: &["channel", "post_id"],
    any_of: &[],
    excluded: &["date", "timestamp"],
    columns: columns::POSTS,
};

/// The canonical posts format.
#[derive(Debug, Clone, Copy)]
pub struct Posts;
canonical_format!(Posts);

/// Column indices of the counters shared by `posts.csv` and `post_days.csv`, in [`columns::POST_COUNTERS`] order.
pub(super) struct Counters([Option<usize>; 10]);

impl Counters {
    pub(super) fn new(h: &Headed<'_>) -> Self {
        Counters(columns::POST_COUNTERS.map(|c| h.col(c)))
    }

    /// Reads the counters into `m`. An empty `engagements` is the sum of the reported reactions, comments, shares,
    /// clicks and saves (docs/formats.md); `None` when none of them is reported. True when any counter is filled.
    pub(super) fn read(&self, r: &mut Row<'_>, m: &mut PostMetrics) -> bool {
        let values = self.0.map(|c| r.get_count(c));
        for (col, v) in self.0.iter().zip(values) {
            if v.is_some_and(|v| v < 0) {
                r.error(*col, "a counter cannot be negative", Some("write 0 or more, or leave it empty".into()));
            }
        }
        let [impressions, reach, reactions, comments, shares, clicks, saves, video_views, follows, engagements] =
            values;
        *m = PostMetrics {
            impressions,
            reach,
            reactions,
            comments,
            shares,
            clicks,
            saves,
            video_views,
            follows,
            engagements,
            ..std::mem::take(m)
        };
        let parts = [m.reactions, m.comments, m.shares, m.clicks, m.saves];
        if m.engagements.is_none() && parts.iter().any(Option::is_some) && !r.failed() {
            m.engagements = Some(parts.iter().flatten().sum());
        }
        self.0.iter().any(|c| !crate::parse::is_blank(r.cell(*c)))
    }
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_channel, c_id, c_published) = (h.col("channel"), h.col("post_id"), h.col("published_at"));
    let (c_type, c_text, c_url, c_author) = (h.col("type"), h.col("text"), h.col("url"), h.col("author"));
    let (c_campaign, c_idea, c_mdate) = (h.col("campaign"), h.col("idea"), h.col("metrics_date"));
    let counters = Counters::new(&h);
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let channel = r.req_str(c_channel).map(channel_key);
        let id = r.req_str(c_id).map(str::to_string);
        if let (Some(c), Some(i)) = (&channel, &id) {
            seen.check((c.clone(), i.clone()), || format!("post {i} on {c}"), r, c_id);
        }
        let published_at = r.get_timestamp(c_published, &[TsFormat::Iso]);
        let post_type: Option<PostType> = r.get_enum(c_type);
        let date = r.get_date(c_mdate, &[DateFormat::Iso]);
        let mut m = PostMetrics { date, period: Some(MetricPeriod::Lifetime), ..Default::default() };
        let has_counters = counters.read(r, &mut m);
        if has_counters && date.is_none() && r.cell(c_mdate).is_empty() {
            r.error(
                c_mdate,
                "metrics_date is empty but counters are filled",
                Some("write the date the counters were read (YYYY-MM-DD)".into()),
            );
        }
        let (Some(channel), Some(id), false) = (channel, id, r.failed()) else {
            return;
        };
        ds.posts.push(Post {
            channel: channel.clone(),
            external_id: id.clone(),
            published_at,
            post_type,
            text: r.get_string(c_text),
            url: r.get_string(c_url),
            author: r.get_string(c_author),
            campaign: r.get_string(c_campaign),
            idea: r.get_string(c_idea),
        });
        if has_counters {
            m.channel = channel;
            m.post_id = id;
            ds.post_metrics.push(m);
        }
    });
    ds
}
