//! The `post_metrics` table: counters of a post, keyed by (`channel`, `post_id`, `date`, `period`), where an
//! unreported date or period is stored as `''` so that the key still conflicts on re-import.

use super::{finite, Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{Dataset, Date, MetricPeriod, PostMetrics};

impl Table for PostMetrics {
    const NAME: &'static str = "post_metrics";
    const COLUMNS: &'static [&'static str] = &[
        "channel",
        "post_id",
        "date",
        "period",
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
        "watch_seconds",
        "reported_engagement_rate",
    ];
    const KEY: &'static [&'static str] = &["channel", "post_id", "date", "period"];
    const NULLABLE_DOUBLE: bool = true;
    type Key<'a> = (&'a str, &'a str, Option<Date>, Option<&'static str>);

    fn key(&self) -> Self::Key<'_> {
        (&self.channel, &self.post_id, self.date, self.period.map(|p| p.as_str()))
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.channel);
        b.text(&self.post_id);
        b.date_key(self.date);
        b.text(self.period.map(|p| p.as_str()).unwrap_or(""));
        for v in [
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
            self.watch_seconds,
        ] {
            b.opt_int(v);
        }
        b.opt_double(self.reported_engagement_rate);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(PostMetrics {
            channel: r.text()?,
            post_id: r.text()?,
            date: r.date_key()?,
            period: r.name_key::<MetricPeriod>()?,
            impressions: r.opt_int()?,
            reach: r.opt_int()?,
            reactions: r.opt_int()?,
            comments: r.opt_int()?,
            shares: r.opt_int()?,
            clicks: r.opt_int()?,
            saves: r.opt_int()?,
            video_views: r.opt_int()?,
            follows: r.opt_int()?,
            engagements: r.opt_int()?,
            watch_seconds: r.opt_int()?,
            reported_engagement_rate: r.opt_double()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.post_metrics
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.post_metrics
    }
    fn channel_refs(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.channel.as_str())
    }
    fn check(&self) -> Option<String> {
        finite("reported_engagement_rate", self.reported_engagement_rate)
    }
    fn describe(&self) -> String {
        format!("of post {:?} on channel {:?} dated {:?}", self.post_id, self.channel, self.date)
    }
}
