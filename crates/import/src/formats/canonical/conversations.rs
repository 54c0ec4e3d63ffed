//! `conversations.csv`: comments, direct messages and mentions a channel received, and when the company first
//! answered each. What the response-time figures (docs/metrics.md, "Responses") and the verdict's
//! `slow_responses` are computed from.

use super::{canonical_format, channel_key, SeenKeys, Spec};
use crate::parse::TsFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{Conversation, ConversationKind, Dataset};

/// A first answer later than this after the message is taken for a damaged cell (a wrong year, swapped
/// columns), not for a slow answer: no inbox keeps a conversation open that long.
pub const MAX_RESPONSE_DAYS: i64 = 366;

pub const SPEC: Spec = Spec {
    name: "canonical-conversations",
    description: "socialledger conversations.csv: channel, conversation_id, kind, received_at, first_response_at, \
                  assignee",
    required: &["channel", "conversation_id", "received_at"],
    any_of: &[],
    excluded: &[],
    columns: columns::CONVERSATIONS,
};

/// The canonical conversations format.
#[derive(Debug, Clone, Copy)]
pub struct Conversations;
canonical_format!(Conversations);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_channel, c_id, c_kind) = (h.col("channel"), h.col("conversation_id"), h.col("kind"));
    let (c_received, c_response, c_assignee) = (h.col("received_at"), h.col("first_response_at"), h.col("assignee"));
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let channel = r.req_str(c_channel).map(channel_key);
        let id = r.req_str(c_id).map(str::to_string);
        let kind: Option<ConversationKind> = r.get_enum(c_kind);
        let received = r.req_timestamp(c_received, &[TsFormat::Iso]);
        let response = r.get_timestamp(c_response, &[TsFormat::Iso]);
        if let (Some(received), Some(response)) = (received, response) {
            if response < received {
                r.error(
                    c_response,
                    format!("first_response_at {response} is before received_at {received}"),
                    Some(
                        "an answer cannot precede the message: check the two columns (swapped?) and their time \
                         zones (--tz applies to times without an offset)"
                            .into(),
                    ),
                );
            } else if (response - received).num_days() > MAX_RESPONSE_DAYS {
                r.error(
                    c_response,
                    format!(
                        "first_response_at {response} is {} days after received_at {received}",
                        (response - received).num_days()
                    ),
                    Some(format!(
                        "an answer more than {MAX_RESPONSE_DAYS} days later is taken for a damaged date; fix the \
                         year, or leave the cell empty if it was never answered"
                    )),
                );
            }
        }
        if let (Some(channel), Some(id)) = (&channel, &id) {
            seen.check((channel.clone(), id.clone()), || format!("conversation_id {id} of channel {channel}"), r, c_id);
        }
        let (Some(channel), Some(key), Some(received_at), false) = (channel, id, received, r.failed()) else {
            return;
        };
        if channel.is_empty() {
            return;
        }
        ds.conversations.push(Conversation {
            channel,
            key,
            kind,
            received_at,
            first_response_at: response,
            assignee: r.get_string(c_assignee),
        });
    });
    ds
}
