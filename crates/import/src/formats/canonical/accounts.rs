//! `accounts.csv`: the CRM's buying organisations.

use super::{canonical_format, SeenKeys, Spec};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{Account, Dataset};

pub const SPEC: Spec = Spec {
    name: "canonical-accounts",
    description: "socialledger accounts.csv: account_id, name, industry, size, country",
    required: &["account_id"],
    any_of: &[],
    excluded: &["contact_id", "deal_id", "timestamp"],
    columns: columns::ACCOUNTS,
};

/// The canonical accounts format.
#[derive(Debug, Clone, Copy)]
pub struct Accounts;
canonical_format!(Accounts);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_id, c_name, c_industry) = (h.col("account_id"), h.col("name"), h.col("industry"));
    let (c_size, c_country) = (h.col("size"), h.col("country"));
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let Some(key) = r.req_str(c_id) else { return };
        seen.check(key.to_string(), || format!("account_id {key}"), r, c_id);
        if r.failed() {
            return;
        }
        ds.accounts.push(Account {
            key: key.to_string(),
            name: r.get_str(c_name).unwrap_or(key).to_string(),
            industry: r.get_string(c_industry),
            size: r.get_string(c_size),
            country: r.get_string(c_country),
        });
    });
    ds
}
