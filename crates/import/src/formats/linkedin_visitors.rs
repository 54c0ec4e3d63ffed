//! LinkedIn Company Page visitors export, `<page-slug>_visitors_<epoch-millis>.xls`: sheet `Visitor metrics` (page
//! views and unique visitors per day) and the optional demographic sheets (who the visitors are).

use super::canonical::SeenKeys;
use super::social_common::{linkedin_audience, linkedin_export_name, sheet_header, social_format};
use crate::channel::resolve_channel;
use crate::parse::DateFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{AudienceKind, ChannelDay, Dataset, Network};

social_format!(
    LinkedInVisitors,
    "linkedin-visitors",
    "LinkedIn Company Page visitors export (<page>_visitors_<millis>.xls: Visitor metrics and demographics)"
);

const DAILY: &[&str] = &["Date", "Total page views (total)", "Total unique visitors (total)"];

fn detect(file: &SourceFile) -> bool {
    file.tables.iter().any(|t| t.header(DAILY).is_some())
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = sheet_header(file, "Visitor metrics", DAILY) else {
        super::social_common::report_missing_header(file, errs, "a LinkedIn visitors export", DAILY);
        return ds;
    };
    let name = linkedin_export_name(&file.file_name);
    let page = name.as_ref().map(|n| n.page.as_str());
    let channel = resolve_channel(Network::LinkedIn, page, page.unwrap_or("LinkedIn page"), opts);
    let key = channel.key.clone();
    ds.channels.push(channel);

    // The `Total … (total)` columns as LinkedIn prints them: they count page tabs the export does not list, so
    // they are never recomputed from the Overview, Life and Jobs columns.
    let (c_date, c_views, c_unique) =
        (h.col("Date"), h.col("Total page views (total)"), h.col("Total unique visitors (total)"));
    let mut seen = SeenKeys::default();
    let mut last_day = None;
    h.for_each_row(file, opts, errs, |r| {
        let date = r.req_date(c_date, &[DateFormat::Us, DateFormat::Iso]);
        if let Some(d) = date {
            seen.check(d, || format!("day {d}"), r, c_date);
        }
        let day = ChannelDay {
            channel: key.clone(),
            date,
            page_views: r.get_i64(c_views),
            unique_visitors: r.get_i64(c_unique),
            ..Default::default()
        };
        if date.is_some() && !r.failed() {
            last_day = last_day.max(date);
            ds.channel_days.push(day);
        }
    });

    // The demographics count page views (`Total views`) by visitor attribute over the file's period.
    if let Some(date) = last_day.or_else(|| name.as_ref().and_then(|n| n.downloaded)) {
        let target = (key.as_str(), AudienceKind::Visitors, date);
        linkedin_audience(file, opts, errs, target, "Total views", &mut ds.audience);
    }
    ds
}
