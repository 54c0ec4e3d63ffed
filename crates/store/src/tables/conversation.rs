//! The `conversations` table: comments, messages and mentions a channel received and when they were first
//! answered, keyed by channel and conversation id. Written by `conversations.csv` imports today and by a routed
//! inbox later, which upserts the row when the first answer goes out.

use super::{Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{Conversation, ConversationKind, Dataset};

impl Table for Conversation {
    const NAME: &'static str = "conversations";
    const COLUMNS: &'static [&'static str] =
        &["channel", "key", "kind", "received_at", "first_response_at", "assignee"];
    const KEY: &'static [&'static str] = &["channel", "key"];
    type Key<'a> = (&'a str, &'a str);

    fn key(&self) -> Self::Key<'_> {
        (&self.channel, &self.key)
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.channel);
        b.text(&self.key);
        b.opt_text(self.kind.map(|k| k.as_str()));
        b.timestamp(self.received_at);
        b.opt_timestamp(self.first_response_at);
        b.opt_text(self.assignee.as_deref());
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Conversation {
            channel: r.text()?,
            key: r.text()?,
            kind: r.opt_name::<ConversationKind>()?,
            received_at: r.timestamp()?,
            first_response_at: r.opt_timestamp()?,
            assignee: r.opt_text()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.conversations
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.conversations
    }
    fn channel_refs(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.channel.as_str())
    }
    /// An answer before the message it answers is a broken clock or swapped columns, whoever writes the row (an
    /// import checks it too, with the file's line; an inbox writing directly is stopped here).
    fn check(&self) -> Option<String> {
        if self.key.is_empty() {
            return Some("the conversation id is empty".to_string());
        }
        self.first_response_at.filter(|at| *at < self.received_at).map(|at| {
            format!(
                "first_response_at {at} is before received_at {}: an answer cannot precede the message",
                self.received_at
            )
        })
    }
    fn describe(&self) -> String {
        format!("{:?} of channel {:?}", self.key, self.channel)
    }
}
