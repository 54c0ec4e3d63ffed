//! `channels.csv`: the company's channels with their kind, network and handle.

use super::{canonical_format, channel_key, SeenKeys, Spec};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{Channel, ChannelKind, Dataset, Network};

pub const SPEC: Spec = Spec {
    name: "canonical-channels",
    description: "socialledger channels.csv: channel, name, kind, network, handle",
    required: &["channel", "kind"],
    any_of: &[],
    excluded: &["post_id", "date", "month", "activity_id", "timestamp", "touchpoint_id", "conversation_id"],
    columns: columns::CHANNELS,
};

/// The canonical channels format.
#[derive(Debug, Clone, Copy)]
pub struct Channels;
canonical_format!(Channels);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_channel, c_name, c_kind) = (h.col("channel"), h.col("name"), h.col("kind"));
    let (c_network, c_handle) = (h.col("network"), h.col("handle"));
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let key = r.req_str(c_channel).map(channel_key);
        let kind: Option<ChannelKind> = r.req_enum(c_kind);
        let network: Option<Network> = r.get_enum(c_network);
        let handle = r.get_string(c_handle).map(|h| h.trim_start_matches('@').to_string());
        if let Some(k) = &key {
            seen.check(k.clone(), || format!("channel {k}"), r, c_channel);
        }
        if network.is_some() && kind.is_some_and(|k| !k.is_social()) {
            r.error(
                c_network,
                "a network is given for a channel whose kind is not social",
                Some("use kind organic_social or paid_social, or leave network empty".into()),
            );
        }
        let (Some(key), Some(kind), false) = (key, kind, r.failed()) else {
            return;
        };
        let name = r.get_string(c_name).unwrap_or_else(|| key.clone());
        ds.channels.push(Channel { key, name, kind, network, handle, account: None });
    });
    ds
}
