//! LinkedIn Company Page competitor analytics export, `<page-slug>_competitor_analytics_<epoch-millis>.xlsx`: sheet
//! `COMPETITORS` with the period above a header `Page, Total Followers, New Followers, Total post engagements, Total
//! posts` and one row per page, the company's own page and the competitors it chose to follow.
//!
//! The own page's `Total Followers` is its follower level at the period's end (a channel day of the page, merged
//! with what its followers export wrote that day); every page's four figures, the own page's too, are benchmark
//! rows ([`PeriodMetric`]s of source [`SOURCE`]). A competitor never becomes a channel and never enters the
//! company's own figures.

use super::canonical::SeenKeys;
use super::social_common::{report_missing_header, sheet_header};
use crate::channel::{file_channel, AccountClue};
use crate::parse::{self, DateFormat};
use crate::read::Headed;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{AccountKind, ChannelDay, ChannelKind, Dataset, Date, Network, PeriodMetric};

/// `source` of the benchmark rows.
pub const SOURCE: &str = "linkedin-competitors";
/// `dimension` of the company's own page's rows; `value` is the page's name.
pub const OWN_PAGE: &str = "page";
/// `dimension` of a competitor's rows; `value` is the competitor's page name as LinkedIn writes it.
pub const COMPETITOR: &str = "competitor";

/// The `linkedin-competitors` format: see the module documentation.
#[derive(Debug, Clone, Copy)]
pub struct LinkedInCompetitors;

super::delegate_format!(
    LinkedInCompetitors,
    name: "linkedin-competitors",
    description: "LinkedIn Company Page competitor analytics (<page>_competitor_analytics_<millis>.xlsx, COMPETITORS)",
    detect: |f: &SourceFile| f.tables.iter().any(|t| t.header(COLUMNS).is_some()),
    parse: parse,
);

const COLUMNS: &[&str] = &["Page", "Total Followers", "New Followers", "Total post engagements", "Total posts"];

/// The metrics of a row, by column, with their stored names. `New Followers` may be negative (assumed to be the
/// net change LinkedIn shows for a page that lost followers); the others are counts.
const METRICS: &[(&str, &str, bool)] = &[
    ("Total Followers", "total_followers", false),
    ("New Followers", "new_followers", true),
    ("Total post engagements", "post_engagements", false),
    ("Total posts", "posts", false),
];

/// A page name as LinkedIn slugs it in its file names: lower case, every run of other characters than letters
/// and digits one `-` (`دورلي - doorly` -> `دورلي-doorly`, `Pro Efficient Data Entry` -> `pro-efficient-data-entry`).
/// Unlike [`crate::channel::slug`] it keeps non-ASCII letters, as LinkedIn does.
pub fn page_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// What the file name tells: the own page's slug and the day of the download, from
/// `<page-slug>_competitor_analytics_<epoch-millis>.xlsx` (a browser's ` (1)` allowed after the millis).
pub fn export_name(file_name: &str) -> Option<(String, Option<Date>)> {
    const MARKER: &str = "_competitor_analytics_";
    let at = file_name.to_lowercase().find(MARKER)?;
    let page = file_name.get(..at)?.trim();
    let millis: String = file_name.get(at + MARKER.len()..)?.chars().take_while(char::is_ascii_digit).collect();
    let downloaded =
        millis.parse::<i64>().ok().and_then(chrono::DateTime::from_timestamp_millis).map(|t| t.date_naive());
    (!page.is_empty()).then(|| (page_slug(page), downloaded))
}

/// The period written above the header: the first two dates in the rows above it, in reading order (`Date range:
/// 01/01/2025 - 01/31/2025`, `Jan 1, 2025 to Jan 31, 2025`, or a start and an end date in cells of their own).
fn period(h: &Headed<'_>) -> Option<(Date, Date)> {
    let mut dates = Vec::new();
    for row in &h.table.rows[..h.header_row] {
        for cell in row.cells.iter() {
            dates.extend(dates_in(cell));
        }
    }
    match dates[..] {
        [start, end, ..] => Some((start, end)),
        _ => None,
    }
}

/// The dates in a text, left to right: at each word, the longest run of up to four words that reads as a date.
fn dates_in(text: &str) -> Vec<Date> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let formats = [DateFormat::Us, DateFormat::Iso, DateFormat::Text];
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let found = (1..=4.min(words.len() - i)).rev().find_map(|n| {
            let run = words[i..i + n].join(" ");
            let run = run.trim_end_matches([',', ';', '.']).trim_start_matches(['(', '[']).trim_end_matches([')', ']']);
            parse::parse_date(run, &formats).ok().map(|d| (d, n))
        });
        match found {
            Some((d, n)) => {
                out.push(d);
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = sheet_header(file, "COMPETITORS", COLUMNS) else {
        report_missing_header(file, errs, "a LinkedIn competitor analytics export", COLUMNS);
        return ds;
    };
    let sheet = h.table.sheet.as_deref();
    let Some((start, end)) = period(&h) else {
        errs.report(
            &file.display_name,
            sheet,
            h.table.rows.first().map_or(1, |r| r.line),
            None,
            "no period above the header: LinkedIn writes the period the figures cover there",
            Some(
                "export the file again from LinkedIn, or write the period in the first row as \
                 MM/DD/YYYY - MM/DD/YYYY"
                    .into(),
            ),
        );
        return ds;
    };
    if end < start {
        errs.report(
            &file.display_name,
            sheet,
            h.header_line().saturating_sub(1).max(1),
            None,
            format!("the period above the header ends ({end}) before it starts ({start})"),
            Some("write the period as start - end".into()),
        );
        return ds;
    }

    // Read every row first: which one is the own page is decided on all of them.
    let c_page = h.col("Page");
    let cols: Vec<Option<usize>> = METRICS.iter().map(|(c, _, _)| h.col(c)).collect();
    let mut pages: Vec<(String, usize, Vec<Option<i64>>)> = Vec::new();
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let name = r.req_str(c_page).map(str::to_string);
        if let Some(n) = &name {
            seen.check(page_slug(n), || format!("page {n:?}"), r, c_page);
        }
        let figures: Vec<Option<i64>> = METRICS
            .iter()
            .zip(&cols)
            .map(|((_, _, signed), c)| if *signed { r.get_net_change(*c) } else { r.get_count(*c) })
            .collect();
        if let (Some(n), false) = (name, r.failed()) {
            pages.push((n, r.line(), figures));
        }
    });
    if !errs.is_empty() || pages.is_empty() {
        return ds;
    }

    let Some((own, handle)) = own_page(file, opts, &pages, errs, &h) else { return ds };
    let (own_name, own_line, own_figures) = &pages[own];
    let Some(followers) = own_figures[0] else {
        errs.report(
            &file.display_name,
            sheet,
            *own_line,
            h.col("Total Followers").map(|c| h.name(c)),
            format!("the own page {own_name:?} has no Total Followers"),
            Some("export the file again from LinkedIn".into()),
        );
        return ds;
    };
    let clue = AccountClue::new(Network::LinkedIn, Some(AccountKind::Page), "LinkedIn page").file_name(Some(&handle));
    let Some(channel) = file_channel(file, clue, opts, errs) else { return ds };
    // The page's follower level on the period's last day; the followers export's figures of that day stay (the
    // store merges channel days).
    ds.channel_days.push(ChannelDay {
        channel: channel.key.clone(),
        date: Some(end),
        followers: Some(followers),
        ..Default::default()
    });
    ds.channels.push(channel);

    for (i, (name, _, figures)) in pages.iter().enumerate() {
        let dimension = if i == own { OWN_PAGE } else { COMPETITOR };
        for ((_, metric, _), amount) in METRICS.iter().zip(figures) {
            let Some(amount) = amount else { continue };
            ds.period_metrics.push(PeriodMetric {
                source: SOURCE.into(),
                dimension: dimension.into(),
                value: name.clone(),
                period_start: start,
                period_end: end,
                metric: (*metric).into(),
                amount: Some(*amount as f64),
            });
        }
    }
    ds
}

/// Which of `pages` is the company's own, and the handle its channel is known by. In order: `--own-page NAME`;
/// the page the file name's slug names; the one page whose slug is the handle of a LinkedIn page channel already
/// in the database. Else an error that lists the pages and says what to pass.
fn own_page(
    file: &SourceFile,
    opts: &ImportOptions,
    pages: &[(String, usize, Vec<Option<i64>>)],
    errs: &mut ErrorSink,
    h: &Headed<'_>,
) -> Option<(usize, String)> {
    let find = |slug: &str| pages.iter().position(|(n, _, _)| page_slug(n) == slug);
    let names: Vec<String> = pages.iter().map(|(n, _, _)| format!("{n:?}")).collect();
    let first_line = pages.first().map_or(h.header_line(), |p| p.1);
    let report = |errs: &mut ErrorSink, message: String, hint: String| {
        errs.report(
            &file.display_name,
            h.table.sheet.as_deref(),
            first_line,
            h.col("Page").map(|c| h.name(c)),
            message,
            Some(hint),
        );
    };
    let example = pages.first().map_or("Page name", |p| p.0.as_str());
    if let Some(own) = opts.own_page.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        let slug = page_slug(own);
        return match find(&slug) {
            Some(i) => Some((i, slug)),
            None => {
                report(
                    errs,
                    format!("--own-page {own:?} is none of the pages in the file: {}", names.join(", ")),
                    format!("pass one of them, for example --own-page {example:?}"),
                );
                None
            }
        };
    }
    let from_name = export_name(&file.file_name).map(|n| n.0);
    if let Some(i) = from_name.as_deref().and_then(find) {
        return Some((i, from_name.unwrap_or_default()));
    }
    // A LinkedIn page channel of the company (earlier content, followers or visitors exports gave it the slug).
    let handles: Vec<String> = opts
        .existing_channels
        .iter()
        .filter(|c| c.network == Some(Network::LinkedIn) && c.account != Some(AccountKind::Profile))
        .filter(|c| c.kind != ChannelKind::PaidSocial)
        .filter_map(|c| c.handle.as_deref().map(page_slug))
        .collect();
    let known: Vec<usize> = (0..pages.len()).filter(|&i| handles.contains(&page_slug(&pages[i].0))).collect();
    if let [i] = known[..] {
        return Some((i, page_slug(&pages[i].0)));
    }
    let why = match &from_name {
        Some(slug) => format!("the file name names the page {slug:?}, which is none of the pages in it"),
        None => "the file name is not LinkedIn's <page-slug>_competitor_analytics_<millis>.xlsx".to_string(),
    };
    report(
        errs,
        format!("cannot tell which page is your own: {why}; the pages are {}", names.join(", ")),
        format!(
            "import it again with --own-page NAME naming your page (for example --own-page {example:?}); the other \
             pages are stored as competitors"
        ),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn slugs_and_names() {
        assert_eq!(page_slug("Pro Efficient Data Entry"), "pro-efficient-data-entry");
        assert_eq!(page_slug("دورلي - doorly"), "دورلي-doorly");
        assert_eq!(page_slug("  ACME, Inc. "), "acme-inc");
        let (slug, day) = export_name("acme-robotics_competitor_analytics_1736900000000.xlsx").unwrap();
        assert_eq!((slug.as_str(), day), ("acme-robotics", Some(d(2025, 1, 15))));
        assert_eq!(
            export_name("acme-robotics_competitor_analytics_1736900000000 (1).xlsx").unwrap().1,
            Some(d(2025, 1, 15))
        );
        assert_eq!(export_name("competitors.xlsx"), None);
    }

    #[test]
    fn periods_in_text() {
        assert_eq!(dates_in("Date range: 01/01/2025 - 01/31/2025"), [d(2025, 1, 1), d(2025, 1, 31)]);
        assert_eq!(dates_in("Jan 1, 2025 to Jan 31, 2025"), [d(2025, 1, 1), d(2025, 1, 31)]);
        assert_eq!(dates_in("(2025-01-01 – 2025-03-31)"), [d(2025, 1, 1), d(2025, 3, 31)]);
        assert_eq!(dates_in("Competitor analytics for your page"), []);
    }
}
