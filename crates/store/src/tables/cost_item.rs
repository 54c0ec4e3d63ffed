//! The `cost_items` table: money spent in a month, keyed by (`channel_key`, `month`, `kind`, `description`).
//!
//! The key holds the channel as `channel_key`, `''` for spend on social in general, because a NULL never
//! conflicts in a key; the nullable `channel` column repeats it so the foreign key to `channels` still holds.

use super::{Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{CostItem, CostKind, Dataset, Date};

impl Table for CostItem {
    const NAME: &'static str = "cost_items";
    const COLUMNS: &'static [&'static str] =
        &["channel_key", "month", "kind", "description", "channel", "amount_minor", "currency"];
    const KEY: &'static [&'static str] = &["channel_key", "month", "kind", "description"];
    type Key<'a> = (&'a str, Date, &'static str, &'a str);

    fn key(&self) -> Self::Key<'_> {
        (self.channel.as_deref().unwrap_or(""), self.month, self.kind.as_str(), &self.description)
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(self.channel.as_deref().unwrap_or(""));
        b.date(self.month);
        b.text(self.kind.as_str());
        b.text(&self.description);
        b.opt_text(self.channel.as_deref());
        b.money(&self.amount);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let _channel_key = r.text()?;
        let month = r.date()?;
        let kind = r.name::<CostKind>()?;
        let description = r.text()?;
        let channel = r.opt_text()?;
        let amount = r.money()?;
        Ok(CostItem { channel, month, kind, amount, description })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.cost_items
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.cost_items
    }
    fn channel_refs(&self) -> impl Iterator<Item = &str> {
        self.channel.as_deref().into_iter()
    }
    fn describe(&self) -> String {
        format!("{:?} of {} for channel {:?}", self.description, self.month, self.channel)
    }
}
