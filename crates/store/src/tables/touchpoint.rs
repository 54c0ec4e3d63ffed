//! The `touchpoints` table: dated interactions of contacts and accounts with channels, keyed by `key`. The
//! biggest table by far, so its row is kept narrow (twelve columns, no secondary index).

use super::{Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{Dataset, TouchKind, Touchpoint};

impl Table for Touchpoint {
    const NAME: &'static str = "touchpoints";
    const COLUMNS: &'static [&'static str] = &[
        "key",
        "contact",
        "account",
        "deal",
        "at",
        "channel",
        "kind",
        "campaign",
        "post_ref",
        "utm_source",
        "utm_medium",
        "utm_campaign",
    ];
    const KEY: &'static [&'static str] = &["key"];
    type Key<'a> = &'a str;

    fn key(&self) -> &str {
        &self.key
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.key);
        b.opt_text(self.contact.as_deref());
        b.opt_text(self.account.as_deref());
        b.opt_text(self.deal.as_deref());
        b.timestamp(self.at);
        b.text(&self.channel);
        b.text(self.kind.as_str());
        b.opt_text(self.campaign.as_deref());
        b.opt_text(self.post_ref.as_deref());
        b.opt_text(self.utm_source.as_deref());
        b.opt_text(self.utm_medium.as_deref());
        b.opt_text(self.utm_campaign.as_deref());
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Touchpoint {
            key: r.text()?,
            contact: r.opt_text()?,
            account: r.opt_text()?,
            deal: r.opt_text()?,
            at: r.timestamp()?,
            channel: r.text()?,
            kind: r.name::<TouchKind>()?,
            campaign: r.opt_text()?,
            post_ref: r.opt_text()?,
            utm_source: r.opt_text()?,
            utm_medium: r.opt_text()?,
            utm_campaign: r.opt_text()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.touchpoints
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.touchpoints
    }
    fn channel_refs(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.channel.as_str())
    }
    fn describe(&self) -> String {
        format!("{:?}", self.key)
    }
}
