//! `post_days.csv`: one post's counter increments on one day.

use super::posts::Counters;
use super::{canonical_format, channel_key, SeenKeys, Spec};
use crate::parse::DateFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{Dataset, MetricPeriod, PostMetrics};

pub const SPEC: Spec = Spec {
    name: "canonical-post-days",
    description: "socialledger post_days.csv: daily counter increments per post (channel, post_id, date, ...)",
    required: &["channel", "post_id", "date"],
    any_of: &[],
    excluded: &[],
    columns: columns::POST_DAYS,
};

/// The canonical per-day post metrics format.
#[derive(Debug, Clone, Copy)]
pub struct PostDays;
canonical_format!(PostDays);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_channel, c_id, c_date) = (h.col("channel"), h.col("post_id"), h.col("date"));
    let counters = Counters::new(&h);
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let channel = r.req_str(c_channel).map(channel_key);
        let id = r.req_str(c_id).map(str::to_string);
        let date = r.req_date(c_date, &[DateFormat::Iso]);
        if let (Some(c), Some(i), Some(d)) = (&channel, &id, date) {
            seen.check((c.clone(), i.clone(), d), || format!("post {i} on {c} on {d}"), r, c_date);
        }
        let mut m = PostMetrics { date, period: Some(MetricPeriod::Day), ..Default::default() };
        counters.read(r, &mut m);
        let (Some(channel), Some(id), false) = (channel, id, r.failed()) else {
            return;
        };
        m.channel = channel;
        m.post_id = id;
        ds.post_metrics.push(m);
    });
    ds
}
