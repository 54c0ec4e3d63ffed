//! `activities.csv`: marketing actions beside the social rhythm (newsletter issues, PR items, events, webinars,
//! campaigns, paid flights) with their spend and volume.

use super::{canonical_format, channel_key, SeenKeys, Spec};
use crate::parse::DateFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{Activity, ActivityKind, Dataset};

pub const SPEC: Spec = Spec {
    name: "canonical-activities",
    description: "socialledger activities.csv: newsletters, PR, events, webinars, campaigns, paid flights",
    required: &["activity_id"],
    any_of: &[],
    excluded: &[],
    columns: columns::ACTIVITIES,
};

/// The canonical activities format.
#[derive(Debug, Clone, Copy)]
pub struct Activities;
canonical_format!(Activities);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_id, c_kind, c_name, c_channel) = (h.col("activity_id"), h.col("kind"), h.col("name"), h.col("channel"));
    let (c_campaign, c_start, c_end) = (h.col("campaign"), h.col("start"), h.col("end"));
    let (c_spend, c_currency) = (h.col("spend"), h.col("currency"));
    let (c_volume, c_reach, c_clicks) = (h.col("volume"), h.col("reach"), h.col("clicks"));
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let key = r.req_str(c_id).map(str::to_string);
        if let Some(k) = &key {
            seen.check(k.clone(), || format!("activity_id {k}"), r, c_id);
        }
        let kind: Option<ActivityKind> = r.req_enum(c_kind);
        let start = r.req_date(c_start, &[DateFormat::Iso]);
        let end = r.get_date(c_end, &[DateFormat::Iso]);
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                r.error(
                    c_end,
                    format!("end {e} is before start {s}"),
                    Some("the end is the last day of the activity".into()),
                );
            }
        }
        let currency = r.currency(c_currency);
        let spend = r.get_money(c_spend, currency);
        let [volume, reach, clicks] = [c_volume, c_reach, c_clicks].map(|c| {
            let v = r.get_count(c);
            if v.is_some_and(|n| n < 0) {
                r.error(c, "a count cannot be negative", None);
            }
            v
        });
        let (Some(key), Some(kind), Some(start), false) = (key, kind, start, r.failed()) else {
            return;
        };
        ds.activities.push(Activity {
            name: r.get_string(c_name).unwrap_or_else(|| key.clone()),
            key,
            kind,
            channel: r.get_str(c_channel).map(channel_key),
            campaign: r.get_string(c_campaign),
            start,
            end: end.unwrap_or(start),
            spend,
            volume,
            reach,
            clicks,
        });
    });
    ds
}
