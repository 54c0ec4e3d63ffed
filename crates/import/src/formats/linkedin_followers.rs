//! LinkedIn Company Page followers export, `<page-slug>_followers_<epoch-millis>.xls`: sheet `New followers` (the
//! followers gained each day) and the optional demographic sheets (who the followers are). The reading is
//! [`super::linkedin_page`]'s.

use super::linkedin_page::PageExport;
use super::social_common::social_format;
use crate::read::Row;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{AudienceKind, ChannelDay, Dataset};

social_format!(
    LinkedInFollowers,
    "linkedin-followers",
    "LinkedIn Company Page followers export (<page>_followers_<millis>.xls: New followers and demographics)"
);

const EXPORT: PageExport = PageExport {
    daily_sheet: "New followers",
    daily_columns: &["Date", "Organic followers", "Total followers"],
    what: "a LinkedIn followers export",
    // The demographics describe the follower base on the day of the download: dated the last day of the file.
    audience: AudienceKind::Followers,
    count_column: "Total followers",
};

fn detect(file: &SourceFile) -> bool {
    EXPORT.detect(file)
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    EXPORT.parse(file, opts, errs, |h| {
        // `Total followers` is the day's gain (sponsored + organic + auto-invited), not the page's follower count,
        // which this export does not hold: it goes to `new_followers`, and `followers` stays unreported.
        let c_total = h.col("Total followers");
        move |r: &mut Row<'_>| ChannelDay { new_followers: r.get_count(c_total), ..Default::default() }
    })
}
