//! The `audience` table: a channel's followers or visitors by one dimension on a date, keyed by everything but
//! the count.

use super::{Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{AudienceDimension, AudienceKind, AudienceSlice, Dataset, Date};

impl Table for AudienceSlice {
    const NAME: &'static str = "audience";
    const COLUMNS: &'static [&'static str] = &["channel", "date", "audience", "dimension", "value", "count"];
    const KEY: &'static [&'static str] = &["channel", "date", "audience", "dimension", "value"];
    type Key<'a> = (&'a str, Date, &'static str, &'static str, &'a str);

    fn key(&self) -> Self::Key<'_> {
        (&self.channel, self.date, self.audience.as_str(), self.dimension.as_str(), &self.value)
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.channel);
        b.date(self.date);
        b.text(self.audience.as_str());
        b.text(self.dimension.as_str());
        b.text(&self.value);
        b.int(self.count);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(AudienceSlice {
            channel: r.text()?,
            date: r.date()?,
            audience: r.name::<AudienceKind>()?,
            dimension: r.name::<AudienceDimension>()?,
            value: r.text()?,
            count: r.int()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.audience
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.audience
    }
    fn channel_refs(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.channel.as_str())
    }
    fn describe(&self) -> String {
        format!(
            "{} {}={:?} of channel {:?} on {}",
            self.audience.as_str(),
            self.dimension.as_str(),
            self.value,
            self.channel,
            self.date
        )
    }
}
