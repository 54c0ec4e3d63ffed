//! The `accounts` table: buying organisations from the CRM, keyed by `key`.

use super::{Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{Account, Dataset};

impl Table for Account {
    const NAME: &'static str = "accounts";
    const COLUMNS: &'static [&'static str] = &["key", "name", "industry", "size", "country"];
    const KEY: &'static [&'static str] = &["key"];
    type Key<'a> = &'a str;

    fn key(&self) -> &str {
        &self.key
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.key);
        b.text(&self.name);
        b.opt_text(self.industry.as_deref());
        b.opt_text(self.size.as_deref());
        b.opt_text(self.country.as_deref());
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Account {
            key: r.text()?,
            name: r.text()?,
            industry: r.opt_text()?,
            size: r.opt_text()?,
            country: r.opt_text()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.accounts
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.accounts
    }
    fn describe(&self) -> String {
        format!("{:?}", self.key)
    }
}
