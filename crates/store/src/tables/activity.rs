//! The `activities` table: newsletters, PR items, events, webinars, campaigns and paid flights, keyed by `key`.

use super::{Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{Activity, ActivityKind, Dataset};

impl Table for Activity {
    const NAME: &'static str = "activities";
    const COLUMNS: &'static [&'static str] = &[
        "key",
        "kind",
        "name",
        "channel",
        "campaign",
        "start_date",
        "end_date",
        "spend_minor",
        "spend_currency",
        "volume",
        "reach",
        "clicks",
    ];
    const KEY: &'static [&'static str] = &["key"];
    type Key<'a> = &'a str;

    fn key(&self) -> &str {
        &self.key
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.key);
        b.text(self.kind.as_str());
        b.text(&self.name);
        b.opt_text(self.channel.as_deref());
        b.opt_text(self.campaign.as_deref());
        b.date(self.start);
        b.date(self.end);
        b.opt_money(self.spend.as_ref());
        b.opt_int(self.volume);
        b.opt_int(self.reach);
        b.opt_int(self.clicks);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Activity {
            key: r.text()?,
            kind: r.name::<ActivityKind>()?,
            name: r.text()?,
            channel: r.opt_text()?,
            campaign: r.opt_text()?,
            start: r.date()?,
            end: r.date()?,
            spend: r.opt_money()?,
            volume: r.opt_int()?,
            reach: r.opt_int()?,
            clicks: r.opt_int()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.activities
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.activities
    }
    fn channel_refs(&self) -> impl Iterator<Item = &str> {
        self.channel.as_deref().into_iter()
    }
    fn describe(&self) -> String {
        format!("{:?}", self.key)
    }
}
