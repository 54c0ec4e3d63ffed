//! `cost_items.csv`: money spent per month on a channel (or on social in general): tools, ads, agencies.

use super::{canonical_format, channel_key, SeenKeys, Spec};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{CostItem, CostKind, Dataset};

pub const SPEC: Spec = Spec {
    name: "canonical-cost-items",
    description: "socialledger cost_items.csv: channel, month, kind, amount, currency, description",
    required: &["month", "kind", "amount", "description"],
    any_of: &[],
    excluded: &[],
    columns: columns::COST_ITEMS,
};

/// The canonical cost items format.
#[derive(Debug, Clone, Copy)]
pub struct CostItems;
canonical_format!(CostItems);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_channel, c_month, c_kind) = (h.col("channel"), h.col("month"), h.col("kind"));
    let (c_amount, c_currency, c_description) = (h.col("amount"), h.col("currency"), h.col("description"));
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let channel = r.get_str(c_channel).map(channel_key);
        let month = r.req_month(c_month);
        let kind: Option<CostKind> = r.req_enum(c_kind);
        let currency = r.currency(c_currency);
        let amount = r.req_money(c_amount, currency);
        let description = r.req_str(c_description);
        if let (Some(m), Some(k), Some(d)) = (month, kind, description) {
            let c = channel.clone().unwrap_or_default();
            seen.check(
                (c.clone(), m, k, d.to_string()),
                || format!("the cost {d:?} of {k} in {}", m.format("%Y-%m")),
                r,
                c_description,
            );
        }
        let (Some(month), Some(kind), Some(amount), Some(description), false) =
            (month, kind, amount, description, r.failed())
        else {
            return;
        };
        ds.cost_items.push(CostItem { channel, month, kind, amount, description: description.to_string() });
    });
    ds
}
