//! The `people` table: whose time is tracked, keyed by `key`.

use super::{Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{Dataset, Person, Team};

impl Table for Person {
    const NAME: &'static str = "people";
    const COLUMNS: &'static [&'static str] = &["key", "name", "team", "hourly_cost_minor", "hourly_cost_currency"];
    const KEY: &'static [&'static str] = &["key"];
    type Key<'a> = &'a str;

    fn key(&self) -> &str {
        &self.key
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.key);
        b.text(&self.name);
        b.text(self.team.as_str());
        b.opt_money(self.hourly_cost.as_ref());
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Person { key: r.text()?, name: r.text()?, team: r.name::<Team>()?, hourly_cost: r.opt_money()? })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.people
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.people
    }
    fn describe(&self) -> String {
        format!("{:?}", self.key)
    }
}
