//! `contacts.csv`: people at accounts, when they became leads, and what they said brought them.

use super::{canonical_format, SeenKeys, Spec};
use crate::parse::TsFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::canonical::columns;
use socialledger_domain::{Contact, Dataset};

pub const SPEC: Spec = Spec {
    name: "canonical-contacts",
    description: "socialledger contacts.csv: contact_id, account_id, name, email, job_title, created_at, ...",
    required: &["contact_id"],
    any_of: &[],
    excluded: &["deal_id", "timestamp"],
    columns: columns::CONTACTS,
};

/// The canonical contacts format.
#[derive(Debug, Clone, Copy)]
pub struct Contacts;
canonical_format!(Contacts);

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = SPEC.headed(file, errs) else {
        return ds;
    };
    let (c_id, c_account, c_name, c_email) = (h.col("contact_id"), h.col("account_id"), h.col("name"), h.col("email"));
    let (c_title, c_created, c_source) = (h.col("job_title"), h.col("created_at"), h.col("self_reported_source"));
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let key = r.req_str(c_id);
        if let Some(k) = key {
            seen.check(k.to_string(), || format!("contact_id {k}"), r, c_id);
        }
        let created_at = r.get_timestamp(c_created, &[TsFormat::Iso]);
        let email = r.get_string(c_email);
        if email.as_deref().is_some_and(|e| !e.contains('@')) {
            r.error(c_email, format!("{:?} is not an email address", email.as_deref().unwrap_or("")), None);
        }
        let (Some(key), false) = (key, r.failed()) else {
            return;
        };
        ds.contacts.push(Contact {
            key: key.to_string(),
            account: r.get_string(c_account),
            name: r.get_string(c_name),
            email,
            job_title: r.get_string(c_title),
            created_at,
            self_reported_source: r.get_string(c_source),
        });
    });
    ds
}
