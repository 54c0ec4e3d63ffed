//! LinkedIn Company Page followers export, `<page-slug>_followers_<epoch-millis>.xls`: sheet `New followers` (the
//! followers gained each day) and the optional demographic sheets (who the followers are).

use super::canonical::SeenKeys;
use super::social_common::{linkedin_audience, linkedin_export_name, sheet_header, social_format};
use crate::channel::resolve_channel;
use crate::parse::DateFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{AudienceKind, ChannelDay, Dataset, Network};

social_format!(
    LinkedInFollowers,
    "linkedin-followers",
    "LinkedIn Company Page followers export (<page>_followers_<millis>.xls: New followers and demographics)"
);

const DAILY: &[&str] = &["Date", "Organic followers", "Total followers"];

fn detect(file: &SourceFile) -> bool {
    file.tables.iter().any(|t| t.header(DAILY).is_some())
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = sheet_header(file, "New followers", DAILY) else {
        super::social_common::report_missing_header(file, errs, "a LinkedIn followers export", DAILY);
        return ds;
    };
    let name = linkedin_export_name(&file.file_name);
    let page = name.as_ref().map(|n| n.page.as_str());
    let channel = resolve_channel(Network::LinkedIn, page, page.unwrap_or("LinkedIn page"), opts);
    let key = channel.key.clone();
    ds.channels.push(channel);

    // `Total followers` is the day's gain (sponsored + organic + auto-invited), not the page's follower count,
    // which this export does not hold: it goes to `new_followers`, and `followers` stays unreported.
    let (c_date, c_total) = (h.col("Date"), h.col("Total followers"));
    let mut seen = SeenKeys::default();
    let mut last_day = None;
    h.for_each_row(file, opts, errs, |r| {
        let date = r.req_date(c_date, &[DateFormat::Us, DateFormat::Iso]);
        if let Some(d) = date {
            seen.check(d, || format!("day {d}"), r, c_date);
        }
        let day = ChannelDay { channel: key.clone(), date, new_followers: r.get_i64(c_total), ..Default::default() };
        if date.is_some() && !r.failed() {
            last_day = last_day.max(date);
            ds.channel_days.push(day);
        }
    });

    // The demographics describe the follower base on the day of the download: dated the last day of the file.
    if let Some(date) = last_day.or_else(|| name.as_ref().and_then(|n| n.downloaded)) {
        let target = (key.as_str(), AudienceKind::Followers, date);
        linkedin_audience(file, opts, errs, target, "Total followers", &mut ds.audience);
    }
    ds
}
