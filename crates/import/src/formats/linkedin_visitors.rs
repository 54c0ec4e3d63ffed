//! LinkedIn Company Page visitors export, `<page-slug>_visitors_<epoch-millis>.xls`: sheet `Visitor metrics` (page
//! views and unique visitors per day) and the optional demographic sheets (who the visitors are). The reading is
//! [`super::linkedin_page`]'s.

use super::linkedin_page::PageExport;
use super::social_common::social_format;
use crate::read::Row;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{AudienceKind, ChannelDay, Dataset};

social_format!(
    LinkedInVisitors,
    "linkedin-visitors",
    "LinkedIn Company Page visitors export (<page>_visitors_<millis>.xls: Visitor metrics and demographics)"
);

const EXPORT: PageExport = PageExport {
    daily_sheet: "Visitor metrics",
    daily_columns: &["Date", "Total page views (total)", "Total unique visitors (total)"],
    what: "a LinkedIn visitors export",
    // The demographics count page views (`Total views`) by visitor attribute over the file's period.
    audience: AudienceKind::Visitors,
    count_column: "Total views",
};

fn detect(file: &SourceFile) -> bool {
    EXPORT.detect(file)
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    EXPORT.parse(file, opts, errs, |h| {
        // The `Total … (total)` columns as LinkedIn prints them: they count page tabs the export does not list, so
        // they are never recomputed from the Overview, Life and Jobs columns.
        let (c_views, c_unique) = (h.col("Total page views (total)"), h.col("Total unique visitors (total)"));
        move |r: &mut Row<'_>| ChannelDay {
            page_views: r.get_count(c_views),
            unique_visitors: r.get_count(c_unique),
            ..Default::default()
        }
    })
}
