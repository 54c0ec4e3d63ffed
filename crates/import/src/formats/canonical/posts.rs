//! `posts.csv`: posts with their lifetime counters as read on `metrics_date`.

use super::{canonical_format, channel_key, SeenKeys, Spec};
use crate::parse::{DateFormat, TsFormat};
use crate::read::{Headed, Row};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{Dataset, MetricPeriod, Post, PostMetrics, PostType};

pub const SPEC: Spec = Spec {
    name: "canonical-posts",
    description: "socialledger posts.csv: posts with lifetime counters (channel, post_id, published_at, ...)",
    required: &["channel", "post_id"],
    any_of: &[],
    excluded: &["date", "timestamp"],
    columns: &[
        "channel",
        "post_id",
        "published_at",
        "type",
        "text",
        "url",
        "author",
        "campaign",
        "idea",
        "metrics_date",
        "impressions",
        "reach",
        "reactions",
        "comments",
        "shares",
        "clicks",
        "saves",
        "video_views",
        "follows",
        "engagements",
    ],
};

/// The canonical posts format.
#[derive(Debug, Clone, Copy)]
pub struct Posts;
canonical_format!(Posts);

/// Column indices of the counters shared by `posts.csv` and `post_days.csv`.
pub(super) struct Counters {
    impressions: Option<usize>,
    reach: Option<usize>,
    reactions: Option<usize>,
    comments: Option<usize>,
    shares: Option<usize>,
    clicks: Option<usize>,
    saves: Option<usize>,
    video_views: Option<usize>,
    follows: Option<usize>,
    engagements: Option<usize>,
}

impl Counters {
    pub(super) fn new(h: &Headed<'_>) -> Self {
        Counters {
            impressions: h.col("impressions"),
            reach: h.col("reach"),
            reactions: h.col("reactions"),
            comments: h.col("comments"),
            shares: h.col("shares"),
            clicks: h.col("clicks"),
            saves: h.col("saves"),
            video_views: h.col("video_views"),
            follows: h.col("follows"),
            engagements: h.col("engagements"),
        }
    }

    /// Reads the counters into `m`. An empty `engagements` is the sum of the reported reactions, comments, shares,
    /// clicks and saves (docs/formats.md); `None` when none of them is reported. True when any counter is filled.
    pub(super) fn read(&self, r: &mut Row<'_>, m: &mut PostMetrics) -> bool {
        m.impressions = r.get_i64(self.impressions);
        m.reach = r.get_i64(self.reach);
        m.reactions = r.get_i64(self.reactions);
        m.comments = r.get_i64(self.comments);
        m.shares = r.get_i64(self.shares);
        m.clicks = r.get_i64(self.clicks);
        m.saves = r.get_i64(self.saves);
        m.video_views = r.get_i64(self.video_views);
        m.follows = r.get_i64(self.follows);
        m.engagements = r.get_i64(self.engagements);
        for (col, v) in [
            (self.impressions, m.impressions),
            (self.reach, m.reach),
            (self.reactions, m.reactions),
            (self.comments, m.comments),
            (self.shares, m.shares),
            (self.clicks, m.clicks),
            (self.saves, m.saves),
            (self.video_views, m.video_views),
            (self.follows, m.follows),
            (self.engagements, m.engagements),
        ] {
            if v.is_some_and(|v| v < 0) {
                r.error(col, "a counter cannot be negative", Some("write 0 or more, or leave it empty".into()));
            }
        }
        let parts = [m.reactions, m.comments, m.shares, m.clicks, m.saves];
        if m.engagements.is_none() && parts.iter().any(Option::is_some) && !r.failed() {
            m.engagements = Some(parts.iter().flatten().sum());
        }
        self.cols().iter().any(|c| !crate::parse::is_blank(r.cell(*c)))
    }

    fn cols(&self) -> [Option<usize>; 10] {
        [
            self.impressions,
            self.reach,
            self.reactions,
            self.comments,
            self.shares,
            self.clicks,
            self.saves,
            self.video_views,
            self.follows,
            self.engagements,
        ]
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
