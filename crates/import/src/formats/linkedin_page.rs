//! What the LinkedIn Company Page exports share: the page channel named by the file name (content, followers,
//! visitors); for the followers and visitors exports, one sheet of daily figures and the optional demographic
//! sheets that say who the followers or visitors are.

use super::canonical::SeenKeys;
use super::social_common::{
    channel_days, linkedin_export_name, report_missing_header, sheet_header, LinkedInExportName,
};
use crate::channel::{file_channel, AccountClue};
use crate::parse::DateFormat;
use crate::read::{Headed, Row};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{
    AccountKind, AudienceDimension, AudienceKind, AudienceSlice, Channel, ChannelDay, Dataset, Date, Network,
};

/// The LinkedIn Company Page channel of an export (never a personal profile's): the page slug from the file name
/// (`<page-slug>_<content|followers|visitors>_<epoch-millis>.xls`) is its handle, so the content, followers and
/// visitors files of one page land on one channel. The sheets name no page, so a renamed file lands on the one
/// page channel (or on `--channel`). `None` with the error in `errs` when several pages could be it.
pub fn page_channel(
    file: &SourceFile,
    opts: &ImportOptions,
    errs: &mut ErrorSink,
) -> Option<(Channel, Option<LinkedInExportName>)> {
    let name = linkedin_export_name(&file.file_name).filter(|n| {
        matches!(n.kind.as_str(), "content" | "followers" | "visitors")
            && file.file_name.rsplit('_').next().is_some_and(|m| m.len() >= 12)
    });
    let clue = AccountClue::new(Network::LinkedIn, Some(AccountKind::Page), "LinkedIn page")
        .file_name(name.as_ref().map(|n| n.page.as_str()));
    Some((file_channel(file, clue, opts, errs)?, name))
}

/// The layout of the followers or the visitors export.
#[derive(Debug)]
pub struct PageExport {
    /// The sheet of daily figures (`New followers`, `Visitor metrics`); found by its header when renamed.
    pub daily_sheet: &'static str,
    /// The columns of the daily sheet that identify the export.
    pub daily_columns: &'static [&'static str],
    /// The export as an error names it (`a LinkedIn followers export`).
    pub what: &'static str,
    /// Whom the demographic sheets count.
    pub audience: AudienceKind,
    /// The column of the demographic sheets holding the count.
    pub count_column: &'static str,
}

impl PageExport {
    /// True when a table of `file` has the daily sheet's columns.
    pub fn detect(&self, file: &SourceFile) -> bool {
        file.tables.iter().any(|t| t.header(self.daily_columns).is_some())
    }

    /// The page's channel (named by the file name), one channel day per row of the daily sheet (dated `Date`,
    /// US or ISO; `figures` gets the sheet's header and returns the reader of a row's figures), and the
    /// demographics, dated the last day of the daily sheet, else the day of the download.
    pub fn parse<F>(
        &self,
        file: &SourceFile,
        opts: &ImportOptions,
        errs: &mut ErrorSink,
        figures: impl FnOnce(&Headed<'_>) -> F,
    ) -> Dataset
    where
        F: FnMut(&mut Row<'_>) -> ChannelDay,
    {
        let mut ds = Dataset::default();
        let Some(h) = sheet_header(file, self.daily_sheet, self.daily_columns) else {
            report_missing_header(file, errs, self.what, self.daily_columns);
            return ds;
        };
        let Some((channel, name)) = page_channel(file, opts, errs) else { return ds };
        let key = channel.key.clone();
        ds.channels.push(channel);

        let day = (key.as_str(), h.col("Date"), &[DateFormat::Us, DateFormat::Iso][..]);
        let days = channel_days(&h, 0, file, opts, errs, day, figures(&h));
        let last_day = days.iter().filter_map(|d| d.date).max();
        ds.channel_days = days;

        if let Some(date) = last_day.or_else(|| name.as_ref().and_then(|n| n.downloaded)) {
            let target = (key.as_str(), self.audience, date);
            audience(file, opts, errs, target, self.count_column, &mut ds.audience);
        }
        ds
    }
}

/// The demographic sheets of a followers or visitors export (`Location`, `Job function`, `Seniority`,
/// `Industry`, `Company size`), each `<Dimension>, <count_column>`, as audience slices of `kind` dated `date`.
/// Every sheet is optional (LinkedIn leaves them out when a page has too few visitors). The counts are LinkedIn's
/// top lists of the whole base: they are never added up into a follower count (their sums differ per sheet).
fn audience(
    file: &SourceFile,
    opts: &ImportOptions,
    errs: &mut ErrorSink,
    target: (&str, AudienceKind, Date),
    count_column: &str,
    out: &mut Vec<AudienceSlice>,
) {
    let (channel, kind, date) = target;
    for (sheet, dimension) in [
        ("Location", AudienceDimension::Location),
        ("Job function", AudienceDimension::JobFunction),
        ("Seniority", AudienceDimension::Seniority),
        ("Industry", AudienceDimension::Industry),
        ("Company size", AudienceDimension::CompanySize),
    ] {
        let Some(h) = sheet_header(file, sheet, &[sheet, count_column]) else { continue };
        let (c_value, c_count) = (h.col(sheet), h.col(count_column));
        let mut seen = SeenKeys::default();
        h.for_each_row(file, opts, errs, |r| {
            let value = r.req_str(c_value);
            if let Some(v) = value {
                seen.check(v.to_string(), || format!("{sheet} {v:?}"), r, c_value);
            }
            let count = r.req_i64(c_count);
            if count.is_some_and(|c| c < 0) {
                r.error(c_count, "a count cannot be negative", None);
            }
            if let (Some(value), Some(count), false) = (value, count, r.failed()) {
                out.push(AudienceSlice {
                    channel: channel.to_string(),
                    date,
                    audience: kind,
                    dimension,
                    value: value.to_string(),
                    count,
                });
            }
        });
    }
}
