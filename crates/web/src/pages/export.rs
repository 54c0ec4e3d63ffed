//! Downloads of the tables the pages show, as CSV and as XLSX: channels, posts (with their latest counters), the
//! tracked time the visitor may see, the channels' costs (from the stored report) and the audit log. Each route
//! has the roles of the page its table is on ([`crate::routes::ROUTES`]).
//!
//! Every text cell that a spreadsheet would read as a formula (starting `=`, `+`, `-`, `@`, tab or CR) is prefixed
//! with `'`, in both formats, so that a post text or a name from an export cannot run in Excel (CSV injection).
//! Numbers are written as numbers. Large tables are read from the store a page at a time.

use crate::access::SignedIn;
use crate::analyses;
use crate::api::v1::sees_all_time;
use crate::state::AppState;
use crate::WebError;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use socialledger_domain::{MetricPeriod, PostMetrics};
use socialledger_store::{PageRequest, Paged};

/// A table that can be downloaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportTable {
    Channels,
    Posts,
    TimeEntries,
    Costs,
    Audit,
}

/// A download format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportTable {
    /// The route of the table in a format.
    pub const fn path(self, format: ExportFormat) -> &'static str {
        use ExportFormat::*;
        use ExportTable::*;
        match (self, format) {
            (Channels, Csv) => "/export/channels.csv",
            (Channels, Xlsx) => "/export/channels.xlsx",
            (Posts, Csv) => "/export/posts.csv",
            (Posts, Xlsx) => "/export/posts.xlsx",
            (TimeEntries, Csv) => "/export/time-entries.csv",
            (TimeEntries, Xlsx) => "/export/time-entries.xlsx",
            (Costs, Csv) => "/export/costs.csv",
            (Costs, Xlsx) => "/export/costs.xlsx",
            (Audit, Csv) => "/export/audit.csv",
            (Audit, Xlsx) => "/export/audit.xlsx",
        }
    }

    fn name(self) -> &'static str {
        match self {
            ExportTable::Channels => "channels",
            ExportTable::Posts => "posts",
            ExportTable::TimeEntries => "time-entries",
            ExportTable::Costs => "costs",
            ExportTable::Audit => "audit",
        }
    }
}

/// One cell: text (neutralised on writing) or a number.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Float(f64),
    Empty,
}

impl Cell {
    fn text(t: impl Into<String>) -> Cell {
        Cell::Text(t.into())
    }
    fn opt_text(t: Option<impl Into<String>>) -> Cell {
        t.map_or(Cell::Empty, Cell::text)
    }
    fn opt_int(v: Option<i64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Int)
    }
    fn opt_float(v: Option<f64>) -> Cell {
        v.filter(|v| v.is_finite()).map_or(Cell::Empty, Cell::Float)
    }
}

/// A text a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR first) prefixed with `'`.
pub fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A table to write: its column names and rows.
#[derive(Debug, Default)]
pub struct Sheet {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The CSV of a sheet (UTF-8, a header row).
pub fn to_csv(sheet: &Sheet) -> Result<Vec<u8>, WebError> {
    let fail = |e: csv::Error| WebError::Export(e.to_string());
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&sheet.columns).map_err(fail)?;
    for row in &sheet.rows {
        let cells = row.iter().map(|c| match c {
            Cell::Text(t) => neutralise(t),
            Cell::Int(v) => v.to_string(),
            Cell::Float(v) => v.to_string(),
            Cell::Empty => String::new(),
        });
        out.write_record(cells).map_err(fail)?;
    }
    out.into_inner().map_err(|e| WebError::Export(e.to_string()))
}

/// The XLSX workbook of a sheet: one worksheet, a bold header row, text cells written as strings (never
/// formulas), numbers as numbers.
pub fn to_xlsx(sheet: &Sheet, title: &str) -> Result<Vec<u8>, WebError> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| WebError::Export(e.to_string());
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(title).map_err(fail)?;
    let bold = Format::new().set_bold();
    for (c, name) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &bold).map_err(fail)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| WebError::Export("too many rows for one worksheet".into()))?;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(t) => ws.write_string(r, c, neutralise(t)).map(|_| ()),
                Cell::Int(v) => ws.write_number(r, c, *v as f64).map(|_| ()),
                Cell::Float(v) => ws.write_number(r, c, *v).map(|_| ()),
                Cell::Empty => Ok(()),
            }
            .map_err(fail)?;
        }
    }
    book.save_to_buffer().map_err(fail)
}

/// Rows read from the store a page at a time.
const BATCH: u64 = 500;

/// Every row of a paged store read, batch by batch.
async fn all<T, F, Fut>(mut read: F) -> Result<Vec<T>, WebError>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: std::future::Future<Output = socialledger_store::Result<Paged<T>>>,
{
    let mut out = Vec::new();
    loop {
        let page = read(PageRequest { limit: BATCH, offset: out.len() as u64 }).await?;
        let got = page.items.len() as u64;
        out.extend(page.items);
        if got < BATCH || out.len() as u64 >= page.total {
            return Ok(out);
        }
    }
}

/// The latest cumulative counters of a post: its last lifetime row by date, else its last row.
fn latest(metrics: &[PostMetrics]) -> Option<&PostMetrics> {
    let lifetime = |m: &&PostMetrics| m.period == Some(MetricPeriod::Lifetime);
    metrics.iter().filter(lifetime).max_by_key(|m| m.date).or(metrics.last())
}

/// The sheet of a table as `me` may see it.
pub async fn sheet(state: &AppState, me: &SignedIn, table: ExportTable) -> Result<Sheet, WebError> {
    let store = &state.store;
    let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let at = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Ok(match table {
        ExportTable::Channels => Sheet {
            columns: vec!["key", "name", "kind", "network", "handle"],
            rows: all(|p| store.channels_page(p))
                .await?
                .into_iter()
                .map(|c| {
                    vec![
                        Cell::text(c.key),
                        Cell::text(c.name),
                        Cell::text(c.kind.as_str()),
                        Cell::opt_text(c.network.map(|n| n.as_str())),
                        Cell::opt_text(c.handle),
                    ]
                })
                .collect(),
        },
        ExportTable::Posts => Sheet {
            columns: vec![
                "channel",
                "external_id",
                "published_at",
                "post_type",
                "text",
                "url",
                "author",
                "campaign",
                "metrics_date",
                "impressions",
                "reach",
                "reactions",
                "comments",
                "shares",
                "clicks",
                "engagements",
            ],
            rows: all(|p| store.posts_page(p))
                .await?
                .into_iter()
                .map(|pm| {
                    let m = latest(&pm.metrics).cloned().unwrap_or_default();
                    let p = pm.post;
                    vec![
                        Cell::text(p.channel),
                        Cell::text(p.external_id),
                        Cell::opt_text(p.published_at.map(at)),
                        Cell::opt_text(p.post_type.map(|t| t.as_str())),
                        Cell::opt_text(p.text),
                        Cell::opt_text(p.url),
                        Cell::opt_text(p.author),
                        Cell::opt_text(p.campaign),
                        Cell::opt_text(m.date.map(date)),
                        Cell::opt_int(m.impressions),
                        Cell::opt_int(m.reach),
                        Cell::opt_int(m.reactions),
                        Cell::opt_int(m.comments),
                        Cell::opt_int(m.shares),
                        Cell::opt_int(m.clicks),
                        Cell::opt_int(m.engagements),
                    ]
                })
                .collect(),
        },
        ExportTable::TimeEntries => {
            let user = (!sees_all_time(me)).then_some(me.user.id);
            Sheet {
                columns: vec!["key", "user_email", "date", "minutes", "channel", "task", "note"],
                rows: all(|p| store.tracked_entries_page(user, p))
                    .await?
                    .into_iter()
                    .map(|e| {
                        vec![
                            Cell::text(e.entry.key),
                            Cell::text(e.user_email),
                            Cell::text(date(e.entry.date)),
                            Cell::Int(e.entry.minutes),
                            Cell::opt_text(e.entry.channel),
                            Cell::text(e.entry.task.as_str()),
                            Cell::opt_text(e.entry.note),
                        ]
                    })
                    .collect(),
            }
        }
        ExportTable::Costs => {
            let view = analyses::report(state).await?;
            let empty = serde_json::Value::Null;
            let report = view.json.as_deref().unwrap_or(&empty);
            let currency = report["currency"].as_str().unwrap_or("").to_string();
            let rows = report["channels"].as_array().cloned().unwrap_or_default();
            Sheet {
                columns: vec!["channel", "name", "cost_minor", "currency", "hours", "value_beyond_sales_hours"],
                rows: rows
                    .iter()
                    .map(|r| {
                        vec![
                            Cell::text(r["channel"].as_str().unwrap_or("")),
                            Cell::text(r["name"].as_str().unwrap_or("")),
                            Cell::opt_int(r["cost_minor"].as_i64()),
                            Cell::text(currency.clone()),
                            Cell::opt_float(r["hours"].as_f64()),
                            Cell::opt_float(r["value_beyond_sales_hours"].as_f64()),
                        ]
                    })
                    .collect(),
            }
        }
        ExportTable::Audit => Sheet {
            columns: vec!["id", "at", "actor_id", "actor_email", "action", "object", "before", "after"],
            rows: all(|p| store.audit_page(p))
                .await?
                .into_iter()
                .map(|e| {
                    vec![
                        Cell::Int(e.id),
                        Cell::text(at(e.at)),
                        Cell::opt_int(e.actor_id),
                        Cell::opt_text(e.actor_email),
                        Cell::text(e.action),
                        Cell::text(e.object),
                        Cell::opt_text(e.before),
                        Cell::opt_text(e.after),
                    ]
                })
                .collect(),
        },
    })
}

/// `GET /export/TABLE.csv` and `/export/TABLE.xlsx`.
pub async fn download(
    State(state): State<AppState>,
    me: SignedIn,
    table: ExportTable,
    format: ExportFormat,
) -> Result<Response, WebError> {
    let sheet = sheet(&state, &me, table).await?;
    let (bytes, content_type, extension) = match format {
        ExportFormat::Csv => (to_csv(&sheet)?, "text/csv; charset=utf-8", "csv"),
        ExportFormat::Xlsx => (
            to_xlsx(&sheet, table.name())?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let disposition = format!("attachment; filename=\"{}.{extension}\"", table.name());
    Ok(([(CONTENT_TYPE, content_type.to_string()), (CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_plain_text_is_kept() {
        for formula in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(formula), format!("'{formula}"));
        }
        assert_eq!(neutralise("Ana"), "Ana");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn csv_neutralises_text_but_not_numbers() {
        let sheet = Sheet {
            columns: vec!["a", "b"],
            rows: vec![vec![Cell::text("=1+1"), Cell::Int(-5)], vec![Cell::Empty, Cell::Float(0.5)]],
        };
        let text = String::from_utf8(to_csv(&sheet).unwrap()).unwrap();
        assert_eq!(text, "a,b\n'=1+1,-5\n,0.5\n");
    }
}
