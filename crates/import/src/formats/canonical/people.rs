//! `people.csv`: the people whose time is tracked, their team and fully loaded hourly cost.

use super::{canonical_format, SeenKeys, Spec};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{Dataset, Person, Team};

pub const SPEC: Spec = Spec {
    name: "canonical-people",
    description: "socialledger people.csv: person, name, team, hourly_cost, currency",
    required: &["person"],
    any_of: &[],
    excluded: &["date", "hours"],
    columns: columns::PEOPLE,
};

/// The canonical people format.
#[derive(Debug, Clone, Copy)]
pub struct People;
canonical_format!(People);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_person, c_name, c_team) = (h.col("person"), h.col("name"), h.col("team"));
    let (c_cost, c_currency) = (h.col("hourly_cost"), h.col("currency"));
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let key = r.req_str(c_person).map(str::to_string);
        if let Some(k) = &key {
            seen.check(k.to_lowercase(), || format!("person {k}"), r, c_person);
        }
        let team: Option<Team> = r.req_enum(c_team);
        let currency = r.currency(c_currency);
        let hourly_cost = r.get_money(c_cost, currency);
        if hourly_cost.is_some_and(|m| m.minor < 0) {
            r.error(c_cost, "an hourly cost cannot be negative", None);
        }
        let (Some(key), Some(team), false) = (key, team, r.failed()) else {
            return;
        };
        ds.people.push(Person { name: r.get_string(c_name).unwrap_or_else(|| key.clone()), key, team, hourly_cost });
    });
    ds
}
