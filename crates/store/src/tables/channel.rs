//! The `channels` table: one row per channel, keyed by the channel's `key`.

use super::{Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{AccountKind, Channel, ChannelKind, Dataset, Network};

impl Table for Channel {
    const NAME: &'static str = "channels";
    const COLUMNS: &'static [&'static str] = &["key", "name", "kind", "network", "handle", "account"];
    const KEY: &'static [&'static str] = &["key"];
    type Key<'a> = &'a str;

    fn key(&self) -> &str {
        &self.key
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.key);
        b.text(&self.name);
        b.text(self.kind.as_str());
        b.opt_text(self.network.map(|n| n.as_str()));
        b.opt_text(self.handle.as_deref());
        b.opt_text(self.account.map(|a| a.as_str()));
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Channel {
            key: r.text()?,
            name: r.text()?,
            kind: r.name::<ChannelKind>()?,
            network: r.opt_name::<Network>()?,
            handle: r.opt_text()?,
            account: r.opt_name::<AccountKind>()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.channels
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.channels
    }
    fn check(&self) -> Option<String> {
        self.key.is_empty().then(|| "the channel key is empty".to_string())
    }
    fn describe(&self) -> String {
        format!("{:?}", self.key)
    }
}
