//! The `contacts` table: people at accounts from the CRM, keyed by `key`.

use super::{Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{Contact, Dataset};

impl Table for Contact {
    const NAME: &'static str = "contacts";
    const COLUMNS: &'static [&'static str] =
        &["key", "account", "name", "email", "job_title", "created_at", "self_reported_source"];
    const KEY: &'static [&'static str] = &["key"];
    type Key<'a> = &'a str;

    fn key(&self) -> &str {
        &self.key
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.key);
        b.opt_text(self.account.as_deref());
        b.opt_text(self.name.as_deref());
        b.opt_text(self.email.as_deref());
        b.opt_text(self.job_title.as_deref());
        b.opt_timestamp(self.created_at);
        b.opt_text(self.self_reported_source.as_deref());
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Contact {
            key: r.text()?,
            account: r.opt_text()?,
            name: r.opt_text()?,
            email: r.opt_text()?,
            job_title: r.opt_text()?,
            created_at: r.opt_timestamp()?,
            self_reported_source: r.opt_text()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.contacts
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.contacts
    }
    fn describe(&self) -> String {
        format!("{:?}", self.key)
    }
}
