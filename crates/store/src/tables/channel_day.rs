//! The `channel_days` table: account-level figures of a channel on a day, keyed by (`channel`, `date`), where an
//! unreported date is stored as `''`.

use super::{finite, Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{ChannelDay, Dataset, Date};

impl Table for ChannelDay {
    const NAME: &'static str = "channel_days";
    const COLUMNS: &'static [&'static str] = &[
        "channel",
        "date",
        "followers",
        "new_followers",
        "lost_followers",
        "impressions",
        "engagements",
        "page_views",
        "unique_visitors",
        "profile_visits",
        "video_views",
        "posts_published",
        "reported_engagement_rate",
    ];
    const KEY: &'static [&'static str] = &["channel", "date"];
    const NULLABLE_DOUBLE: bool = true;
    const MERGE: bool = true;
    type Key<'a> = (&'a str, Option<Date>);

    fn key(&self) -> Self::Key<'_> {
        (&self.channel, self.date)
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.channel);
        b.date_key(self.date);
        for v in [
            self.followers,
            self.new_followers,
            self.lost_followers,
            self.impressions,
            self.engagements,
            self.page_views,
            self.unique_visitors,
            self.profile_visits,
            self.video_views,
            self.posts_published,
        ] {
            b.opt_int(v);
        }
        b.opt_double(self.reported_engagement_rate);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(ChannelDay {
            channel: r.text()?,
            date: r.date_key()?,
            followers: r.opt_int()?,
            new_followers: r.opt_int()?,
            lost_followers: r.opt_int()?,
            impressions: r.opt_int()?,
            engagements: r.opt_int()?,
            page_views: r.opt_int()?,
            unique_visitors: r.opt_int()?,
            profile_visits: r.opt_int()?,
            video_views: r.opt_int()?,
            posts_published: r.opt_int()?,
            reported_engagement_rate: r.opt_double()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.channel_days
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.channel_days
    }
    fn channel_refs(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.channel.as_str())
    }
    fn check(&self) -> Option<String> {
        finite("reported_engagement_rate", self.reported_engagement_rate)
    }
    fn describe(&self) -> String {
        format!("of channel {:?} dated {:?}", self.channel, self.date)
    }
}
