//! The `posts` table: one row per post, keyed by (`channel`, `external_id`).

use super::{Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{Dataset, Post, PostType};

impl Table for Post {
    const NAME: &'static str = "posts";
    const COLUMNS: &'static [&'static str] =
        &["channel", "external_id", "published_at", "post_type", "text", "url", "author", "campaign", "idea"];
    const KEY: &'static [&'static str] = &["channel", "external_id"];
    type Key<'a> = (&'a str, &'a str);

    fn key(&self) -> Self::Key<'_> {
        (&self.channel, &self.external_id)
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.channel);
        b.text(&self.external_id);
        b.opt_timestamp(self.published_at);
        b.opt_text(self.post_type.map(|t| t.as_str()));
        b.opt_text(self.text.as_deref());
        b.opt_text(self.url.as_deref());
        b.opt_text(self.author.as_deref());
        b.opt_text(self.campaign.as_deref());
        b.opt_text(self.idea.as_deref());
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Post {
            channel: r.text()?,
            external_id: r.text()?,
            published_at: r.opt_timestamp()?,
            post_type: r.opt_name::<PostType>()?,
            text: r.opt_text()?,
            url: r.opt_text()?,
            author: r.opt_text()?,
            campaign: r.opt_text()?,
            idea: r.opt_text()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.posts
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.posts
    }
    fn channel_refs(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.channel.as_str())
    }
    fn describe(&self) -> String {
        format!("{:?} on channel {:?}", self.external_id, self.channel)
    }
}
