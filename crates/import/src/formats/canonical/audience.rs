//! `audience.csv`: who a channel's followers or visitors are, one value of one dimension per row, for networks
//! whose exports carry no demographics (docs/formats.md, docs/target-group.md).

use super::{canonical_format, channel_key, EnumCache, SeenKeys, Spec};
use crate::parse::DateFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{AudienceDimension, AudienceKind, AudienceSlice, Dataset};

pub const SPEC: Spec = Spec {
    name: "canonical-audience",
    description: "socialledger audience.csv: followers or visitors per demographic value (channel, date, audience, \
                  dimension, value, count)",
    required: columns::AUDIENCE,
    any_of: &[],
    excluded: &[],
    columns: columns::AUDIENCE,
};

/// The canonical audience format.
#[derive(Debug, Clone, Copy)]
pub struct Audience;
canonical_format!(Audience);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_channel, c_date, c_audience) = (h.col("channel"), h.col("date"), h.col("audience"));
    let (c_dimension, c_value, c_count) = (h.col("dimension"), h.col("value"), h.col("count"));
    let mut seen = SeenKeys::default();
    let mut kinds = EnumCache::<AudienceKind>::default();
    let mut dimensions = EnumCache::<AudienceDimension>::default();
    h.for_each_row(file, opts, errs, |r| {
        let channel = r.req_str(c_channel).map(channel_key);
        let date = r.req_date(c_date, &[DateFormat::Iso]);
        let audience = r.req_with(c_audience, |t| kinds.parse(t));
        let dimension = r.req_with(c_dimension, |t| dimensions.parse(t));
        let value = r.req_str(c_value).map(str::trim);
        // The shared count reader rejects negative counts with the row and column.
        let count = r.req_count(c_count);
        let (Some(channel), Some(date), Some(audience), Some(dimension), Some(value), Some(count), false) =
            (channel, date, audience, dimension, value, count, r.failed())
        else {
            return;
        };
        // Values differing only in case are one value to the target group, so they are one key here too.
        let key = (channel.clone(), date, audience, dimension, value.to_lowercase());
        seen.check(key, || format!("{dimension} {value:?} of {channel}'s {audience} on {date}"), r, c_value);
        if r.failed() {
            return;
        }
        ds.audience.push(AudienceSlice { channel, date, audience, dimension, value: value.to_string(), count });
    });
    ds
}
