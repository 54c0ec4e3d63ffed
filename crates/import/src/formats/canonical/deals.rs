//! `deals.csv`: sales opportunities with amount, dates, stage and outcome.

use super::{canonical_format, SeenKeys, Spec};
use crate::parse::DateFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{Dataset, Deal, DealStatus};

pub const SPEC: Spec = Spec {
    name: "canonical-deals",
    description: "socialledger deals.csv: deal_id, account_id, name, amount, currency, created, stage, status, ...",
    required: &["deal_id"],
    any_of: &[],
    excluded: &["contact_id", "timestamp"],
    columns: columns::DEALS,
};

/// The canonical deals format.
#[derive(Debug, Clone, Copy)]
pub struct Deals;
canonical_format!(Deals);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_id, c_account, c_name) = (h.col("deal_id"), h.col("account_id"), h.col("name"));
    let (c_amount, c_currency, c_created) = (h.col("amount"), h.col("currency"), h.col("created"));
    let (c_stage, c_status, c_closed, c_source) =
        (h.col("stage"), h.col("status"), h.col("closed"), h.col("self_reported_source"));
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let key = r.req_str(c_id);
        if let Some(k) = key {
            seen.check(k.to_string(), || format!("deal_id {k}"), r, c_id);
        }
        let currency = r.currency(c_currency);
        let amount = r.get_money(c_amount, currency);
        let created = r.get_date(c_created, &[DateFormat::Iso]);
        let closed = r.get_date(c_closed, &[DateFormat::Iso]);
        let status: Option<DealStatus> = r.req_enum(c_status);
        if let (Some(c), Some(d)) = (created, closed) {
            if d < c {
                r.error(c_closed, format!("closed {d} is before created {c}"), None);
            }
        }
        if status == Some(DealStatus::Open) && closed.is_some() {
            r.error(
                c_closed,
                "an open deal has a closed date",
                Some("set status to won or lost, or empty closed".into()),
            );
        }
        let (Some(key), Some(status), false) = (key, status, r.failed()) else {
            return;
        };
        ds.deals.push(Deal {
            key: key.to_string(),
            account: r.get_string(c_account),
            name: r.get_str(c_name).unwrap_or(key).to_string(),
            amount,
            created,
            stage: r.get_string(c_stage),
            status,
            closed,
            self_reported_source: r.get_string(c_source),
        });
    });
    ds
}
