//! `channel_days.csv`: a channel's account-level figures on one day.

use super::{canonical_format, channel_key, SeenKeys, Spec};
use crate::parse::DateFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{ChannelDay, Dataset};

pub const SPEC: Spec = Spec {
    name: "canonical-channel-days",
    description: "socialledger channel_days.csv: daily account figures per channel (channel, date, followers, ...)",
    required: &["channel", "date"],
    any_of: &[],
    excluded: &["post_id", "person", "hours", "dimension"],
    columns: columns::CHANNEL_DAYS,
};

/// The canonical channel days format.
#[derive(Debug, Clone, Copy)]
pub struct ChannelDays;
canonical_format!(ChannelDays);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let cols: Vec<Option<usize>> = SPEC.columns[2..].iter().map(|c| h.col(c)).collect();
    let (c_channel, c_date) = (h.col("channel"), h.col("date"));
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let channel = r.req_str(c_channel).map(channel_key);
        let date = r.req_date(c_date, &[DateFormat::Iso]);
        if let (Some(c), Some(d)) = (&channel, date) {
            seen.check((c.clone(), d), || format!("channel {c} on {d}"), r, c_date);
        }
        let mut v = [None; 10];
        for (slot, col) in v.iter_mut().zip(&cols) {
            *slot = r.get_count(*col);
            if slot.is_some_and(|n| n < 0) {
                r.error(*col, "a count cannot be negative", Some("write 0 or more, or leave it empty".into()));
            }
        }
        let (Some(channel), false) = (channel, r.failed()) else { return };
        let [followers, new_followers, lost_followers, impressions, engagements, page_views, unique_visitors, profile_visits, video_views, posts_published] =
            v;
        ds.channel_days.push(ChannelDay {
            channel,
            date,
            followers,
            new_followers,
            lost_followers,
            impressions,
            engagements,
            page_views,
            unique_visitors,
            profile_visits,
            video_views,
            posts_published,
            reported_engagement_rate: None,
        });
    });
    ds
}
