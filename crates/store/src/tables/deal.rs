//! The `deals` table: sales opportunities from the CRM, keyed by `key`.

use super::{Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{Dataset, Deal, DealStatus};

impl Table for Deal {
    const NAME: &'static str = "deals";
    const COLUMNS: &'static [&'static str] = &[
        "key",
        "account",
        "name",
        "amount_minor",
        "amount_currency",
        "created",
        "stage",
        "status",
        "closed",
        "self_reported_source",
    ];
    const KEY: &'static [&'static str] = &["key"];
    type Key<'a> = &'a str;

    fn key(&self) -> &str {
        &self.key
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.key);
        b.opt_text(self.account.as_deref());
        b.text(&self.name);
        b.opt_money(self.amount.as_ref());
        b.opt_date(self.created);
        b.opt_text(self.stage.as_deref());
        b.text(self.status.as_str());
        b.opt_date(self.closed);
        b.opt_text(self.self_reported_source.as_deref());
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Deal {
            key: r.text()?,
            account: r.opt_text()?,
            name: r.text()?,
            amount: r.opt_money()?,
            created: r.opt_date()?,
            stage: r.opt_text()?,
            status: r.name::<DealStatus>()?,
            closed: r.opt_date()?,
            self_reported_source: r.opt_text()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.deals
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.deals
    }
    fn describe(&self) -> String {
        format!("{:?}", self.key)
    }
}
