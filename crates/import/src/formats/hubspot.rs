//! HubSpot CRM view exports (Contacts or Deals → Export → CSV). The header is the set of columns of the exported
//! view, so it varies per export: only `Record ID` (HubSpot's id, 9-12 digits, kept as text) and the columns that
//! tell contacts from deals are required; every other column is read when present.
//!
//! Dates follow the portal's locale (`4/8/2025 17:19`, month first in US portals) and carry no zone: they are
//! read in `--tz`, and the day/month order is decided once per file from every date in it.
//!
//! Accounts are not created here: a contact or deal names its company (`Associated Company IDs` when exported,
//! else the company name), and the accounts themselves come from a companies or `accounts.csv` import. The
//! store replaces a record on import, so an account made from a name here would blank the industry and size an
//! accounts import gave.

use super::canonical::SeenKeys;
use super::date_order::{file_order, DateOrder};
use crate::read::{Headed, Row};
use crate::{ErrorSink, Format, ImportOptions, SourceFile};
use socialledger_domain::{Contact, Currency, Dataset, Deal, DealStatus, Timestamp};

const RECORD_ID: &str = "Record ID";
/// Columns of which a contacts export has at least one, and a deals export none.
const CONTACT_COLUMNS: &[&str] = &["Email", "First Name", "Last Name"];
/// Columns of which a deals export has at least one.
const DEAL_COLUMNS: &[&str] = &["Deal Name", "Deal Stage"];

/// Columns naming the company (id first: it is the stable key).
const COMPANY_ID_COLUMNS: &[&str] = &["Associated Company IDs", "Associated Company ID", "Company ID"];
const COMPANY_NAME_COLUMNS: &[&str] = &["Associated Company", "Company Name", "Company name"];

/// A column holding what the contact said brought them (a form question such as "How did you hear about us?").
/// HubSpot's `Original Source` is **not** one: it is HubSpot's tracked first traffic source, not a self-report.
fn self_reported_column(h: &Headed<'_>) -> Option<usize> {
    h.headers.iter().position(|name| {
        let n = name.to_lowercase();
        n.contains("hear about")
            || n.contains("heard about")
            || n.contains("self-reported")
            || n.contains("self reported")
    })
}

fn header_of<'f>(file: &'f SourceFile, fits: impl Fn(&Headed<'_>) -> bool) -> Option<Headed<'f>> {
    file.tables.iter().find_map(|t| t.header(&[RECORD_ID]).filter(|h| fits(h)))
}

fn is_deals(h: &Headed<'_>) -> bool {
    DEAL_COLUMNS.iter().any(|c| h.has(c))
}

fn is_contacts(h: &Headed<'_>) -> bool {
    !is_deals(h) && CONTACT_COLUMNS.iter().any(|c| h.has(c))
}

/// Reports a file that has not the header the format needs.
fn missing_header(file: &SourceFile, what: &str, any_of: &[&str], errs: &mut ErrorSink) {
    errs.report(
        &file.display_name,
        None,
        1,
        None,
        format!("the header is not a HubSpot {what} export: it needs {RECORD_ID} and one of {}", any_of.join(", ")),
        Some(format!("export the {what} view from HubSpot with the Record ID column")),
    );
}

/// The company a record belongs to: the first associated company id, else the company name.
fn account(r: &mut Row<'_>, h: &Headed<'_>) -> Option<String> {
    let id = r.cell(h.col_any(COMPANY_ID_COLUMNS));
    if let Some(first) = id.split([';', ',']).map(str::trim).find(|s| !s.is_empty()) {
        return Some(first.to_string());
    }
    r.get_string(h.col_any(COMPANY_NAME_COLUMNS))
}

/// The record id, required, and once per file.
fn record_id(r: &mut Row<'_>, c_id: Option<usize>, seen: &mut SeenKeys<String>) -> Option<String> {
    let id = r.req_str(c_id)?.to_string();
    seen.check(id.clone(), || format!("{RECORD_ID} {id}"), r, c_id);
    Some(id)
}

/// A HubSpot date-time read in `--tz`.
fn timestamp(r: &mut Row<'_>, col: Option<usize>, order: DateOrder) -> Option<Timestamp> {
    r.get_timestamp(col, &order.ts_formats())
}

/// HubSpot contacts export.
#[derive(Debug, Clone, Copy)]
pub struct HubSpotContacts;

impl Format for HubSpotContacts {
    fn name(&self) -> &'static str {
        "hubspot-contacts"
    }

    fn description(&self) -> &'static str {
        "HubSpot CRM contacts export: Record ID, First Name, Last Name, Email, Create Date, ..."
    }

    fn detect(&self, file: &SourceFile) -> bool {
        header_of(file, is_contacts).is_some()
    }

    /// One contact per row: key = Record ID, name = First Name + Last Name, created_at = `Create Date` in
    /// `--tz`, account = the associated company, self_reported_source = a "how did you hear about us" column.
    fn parse(&self, file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
        let mut ds = Dataset::default();
        let Some(h) = header_of(file, is_contacts) else {
            missing_header(file, "contacts", CONTACT_COLUMNS, errs);
            return ds;
        };
        let c_id = h.col(RECORD_ID);
        let (c_first, c_last, c_email) = (h.col("First Name"), h.col("Last Name"), h.col("Email"));
        let c_title = h.col_any(&["Job Title", "Job title"]);
        let c_created = h.col_any(&["Create Date", "Create date", "Created Date"]);
        let c_source = self_reported_column(&h);
        let order = file_order(file, &h, &[c_created], DateOrder::MonthFirst, errs);
        let mut seen = SeenKeys::default();
        h.for_each_row(file, opts, errs, |r| {
            let key = record_id(r, c_id, &mut seen);
            let created_at = timestamp(r, c_created, order);
            let email = r.get_string(c_email);
            if email.as_deref().is_some_and(|e| !e.contains('@')) {
                r.error(c_email, format!("{:?} is not an email address", email.as_deref().unwrap_or("")), None);
            }
            let name = [r.cell(c_first), r.cell(c_last)].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>();
            let (Some(key), false) = (key, r.failed()) else { return };
            ds.contacts.push(Contact {
                key,
                account: account(r, &h),
                name: (!name.is_empty()).then(|| name.join(" ")),
                email,
                job_title: r.get_string(c_title),
                created_at,
                self_reported_source: r.get_string(c_source),
            });
        });
        ds
    }
}

/// The status a HubSpot stage label means: won or lost for the closed stages (`Closed Won`, `closedwon`, and with
/// the pipeline in parentheses `Closed Won (Sales Pipeline)`), open for every other stage.
fn status_of(stage: &str) -> DealStatus {
    let label = stage.split(" (").next().unwrap_or(stage);
    DealStatus::parse(label).unwrap_or(DealStatus::Open)
}

/// HubSpot deals export.
#[derive(Debug, Clone, Copy)]
pub struct HubSpotDeals;

impl Format for HubSpotDeals {
    fn name(&self) -> &'static str {
        "hubspot-deals"
    }

    fn description(&self) -> &'static str {
        "HubSpot CRM deals export: Record ID, Deal Name, Amount, Deal Stage, Create Date, Close Date, ..."
    }

    fn detect(&self, file: &SourceFile) -> bool {
        header_of(file, is_deals).is_some()
    }

    /// One deal per row: key = Record ID, amount in the row's `Currency` (or `Deal currency code`) else
    /// `--currency`, stage = `Deal Stage` as written, status won/lost when the stage is HubSpot's closed won/lost
    /// (`Closed Won`, `closedwon`) else open, created = `Create Date`, closed = `Close Date` for won and lost deals
    /// only (on an open deal HubSpot's close date is the expected one).
    fn parse(&self, file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
        let mut ds = Dataset::default();
        let Some(h) = header_of(file, is_deals) else {
            missing_header(file, "deals", DEAL_COLUMNS, errs);
            return ds;
        };
        let c_id = h.col(RECORD_ID);
        let (c_name, c_stage, c_amount) = (h.col("Deal Name"), h.col("Deal Stage"), h.col("Amount"));
        let c_currency = h.col_any(&["Currency", "Deal currency code", "Currency code"]);
        let c_created = h.col_any(&["Create Date", "Create date", "Created Date"]);
        let c_closed = h.col_any(&["Close Date", "Close date"]);
        let c_source = self_reported_column(&h);
        let tz = opts.tz;
        let order = file_order(file, &h, &[c_created, c_closed], DateOrder::MonthFirst, errs);
        let mut seen = SeenKeys::default();
        h.for_each_row(file, opts, errs, |r| {
            let key = record_id(r, c_id, &mut seen);
            let currency: Currency = r.currency(c_currency);
            let amount = r.get_money(c_amount, currency);
            let stage = r.get_string(c_stage);
            let status = stage.as_deref().map_or(DealStatus::Open, status_of);
            let created = timestamp(r, c_created, order).map(|t| t.with_timezone(&tz).date_naive());
            let closed = timestamp(r, c_closed, order).map(|t| t.with_timezone(&tz).date_naive());
            let (Some(key), false) = (key, r.failed()) else { return };
            ds.deals.push(Deal {
                name: r.get_string(c_name).unwrap_or_else(|| format!("Deal {key}")),
                key,
                account: account(r, &h),
                amount,
                created,
                stage,
                status,
                closed: if status == DealStatus::Open { None } else { closed },
                self_reported_source: r.get_string(c_source),
            });
        });
        ds
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::csv::read_csv;
    use chrono::NaiveDate;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            display_name: "hs.csv".into(),
            file_name: "hs.csv".into(),
            tables: vec![read_csv(text, None).unwrap()],
        }
    }

    #[test]
    fn deals_with_stage_dates_and_company() {
        let f = file(
            "Record ID,Deal Name,Deal Stage,Amount,Create Date,Close Date,Associated Company IDs,Associated Company\n\
             1,A,Closed Won,100.5,1/15/2025 9:00,2/28/2025 17:00,77;78,Acme\n\
             2,B,Appointment scheduled,,1/20/2025 9:00,6/30/2025 0:00,,Beta\n\
             3,C,closedlost,3,2025-01-02 10:00,2025-01-03 10:00,,\n",
        );
        assert!(HubSpotDeals.detect(&f) && !HubSpotContacts.detect(&f));
        let tz: chrono_tz::Tz = "America/New_York".parse().unwrap();
        let opts = ImportOptions { tz, ..Default::default() };
        let mut errs = ErrorSink::default();
        let ds = HubSpotDeals.parse(&f, &opts, &mut errs);
        assert!(errs.is_empty(), "{:?}", errs.errors());
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day);
        let got: Vec<_> = ds.deals.iter().map(|x| (x.status, x.created, x.closed, x.account.as_deref())).collect();
        assert_eq!(
            got,
            vec![
                (DealStatus::Won, d(1, 15), d(2, 28), Some("77")),
                (DealStatus::Open, d(1, 20), None, Some("Beta")),
                (DealStatus::Lost, d(1, 2), d(1, 3), None),
            ]
        );
        assert_eq!(ds.deals[0].amount.map(|m| m.minor), Some(10_050));
        assert_eq!(ds.deals[1].amount, None);
    }

    #[test]
    fn contacts_with_self_reported_source_and_not_original_source() {
        let f = file(
            "Record ID,First Name,Last Name,Email,Original Source,How did you hear about us?,Create Date\n\
             9,Ann,,ann@example.com,Organic Social,A podcast,13/2/2025 10:05\n",
        );
        assert!(HubSpotContacts.detect(&f) && !HubSpotDeals.detect(&f));
        let mut errs = ErrorSink::default();
        let ds = HubSpotContacts.parse(&f, &ImportOptions::default(), &mut errs);
        assert!(errs.is_empty(), "{:?}", errs.errors());
        let c = &ds.contacts[0];
        assert_eq!((c.key.as_str(), c.name.as_deref()), ("9", Some("Ann")));
        assert_eq!(c.self_reported_source.as_deref(), Some("A podcast"));
        assert_eq!(c.created_at.map(|t| t.to_rfc3339()), Some("2025-02-13T10:05:00+00:00".into()));
    }
}
