//! What the social platform exports (X, LinkedIn, Facebook, Meta) share: the meaning of their file names, their
//! text quirks (HTML entities, LinkedIn's per-line quotes, URL-encoded ids), the search for their header, and the
//! reading of a sheet of daily account figures (below a description row where there is one).

use super::canonical::SeenKeys;
use crate::parse::{self, DateFormat};
use crate::read::{Headed, Row};
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{ChannelDay, Date, PostType};

/// Implements [`crate::Format`] for a unit struct from a name, a description and the `detect` and `parse`
/// functions of the calling module.
macro_rules! social_format {
    ($ty:ident, $name:literal, $description:literal) => {
        #[doc = concat!("The `", $name, "` format: see the module documentation.")]
        #[derive(Debug, Clone, Copy)]
        pub struct $ty;

        $crate::formats::delegate_format!($ty, name: $name, description: $description, detect: detect, parse: parse);
    };
}
pub(crate) use social_format;

/// The channel days of a sheet of one channel's daily account figures, read from the data rows after the first
/// `skip`. `day` is the channel, the column of the day (required; a day twice in the file is an error) and the
/// formats its dates are written in; `figures` reads the rest of a row (channel and date are set here). Rows
/// with an error or without a day give no channel day.
pub fn channel_days(
    h: &Headed<'_>,
    skip: usize,
    file: &SourceFile,
    opts: &ImportOptions,
    errs: &mut ErrorSink,
    day: (&str, Option<usize>, &[DateFormat]),
    mut figures: impl FnMut(&mut Row<'_>) -> ChannelDay,
) -> Vec<ChannelDay> {
    let (channel, c_date, formats) = day;
    let mut days = Vec::new();
    let mut seen = SeenKeys::default();
    h.for_each_row_after(skip, file, opts, errs, |r| {
        let date = r.req_date(c_date, formats);
        if let Some(d) = date {
            seen.check(d, || format!("day {d}"), r, c_date);
        }
        let day = ChannelDay { channel: channel.to_string(), date, ..figures(r) };
        if date.is_some() && !r.failed() {
            days.push(day);
        }
    });
    days
}

/// 1 when the row under the header is a description row (Facebook's legacy exports put a sentence per metric
/// there): its cell in the key column `key` is empty while the row is not blank. Else 0.
pub fn description_rows(h: &Headed<'_>, key: usize) -> usize {
    match h.data().first() {
        Some(raw) if !raw.is_blank() && raw.cell(key).is_empty() => 1,
        _ => 0,
    }
}

/// The table of `file` whose sheet is called `sheet` (case-insensitive) and has every `required` column, else the
/// first table with those columns (a sheet renamed by the user is still found by its header).
pub fn sheet_header<'f>(file: &'f SourceFile, sheet: &str, required: &[&str]) -> Option<Headed<'f>> {
    let named = file
        .tables
        .iter()
        .filter(|t| t.sheet.as_deref().is_some_and(|s| s.trim().eq_ignore_ascii_case(sheet)))
        .find_map(|t| t.header(required));
    named.or_else(|| file.tables.iter().find_map(|t| t.header(required)))
}

/// True when some table of `file` has every column of `required`, and none of `excluded`, in one header row.
pub fn has_header(file: &SourceFile, required: &[&str], excluded: &[&str]) -> bool {
    file.tables.iter().any(|t| t.header(required).is_some_and(|h| !excluded.iter().any(|c| h.has(c))))
}

/// Reports at the file's first line that the header lacks `required` columns (the format was forced or detected on
/// another table).
pub fn report_missing_header(file: &SourceFile, errs: &mut ErrorSink, what: &str, required: &[&str]) {
    let first = file.tables.iter().find_map(|t| t.header(&[]));
    let (sheet, line, missing) = match &first {
        Some(h) => (h.table.sheet.as_deref(), h.header_line(), h.missing(required)),
        None => (None, 1, required.to_vec()),
    };
    let message = if missing.is_empty() {
        format!("this is not {what}")
    } else {
        format!("this is not {what}: the header lacks the column(s) {}", missing.join(", "))
    };
    errs.report(
        &file.display_name,
        sheet,
        line,
        None,
        message,
        Some("see docs/sources.md for the columns each export has".into()),
    );
}

/// The file name without its extension and without a copy suffix a browser adds (` (1)`, `(2)`).
fn stem(file_name: &str) -> &str {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s).trim_end();
    match stem.rsplit_once('(') {
        Some((head, tail)) if tail.ends_with(')') && tail[..tail.len() - 1].bytes().all(|b| b.is_ascii_digit()) => {
            head.trim_end()
        }
        _ => stem,
    }
}

/// What the name of a legacy X analytics export tells: `tweet_activity_metrics_<handle>_<from>_<to>_<lang>.csv`
/// (and `daily_tweet_activity_metrics_…`), dates as `YYYYMMDD`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XExportName {
    pub handle: String,
    pub start: Date,
    /// The end of the period the download covers; the lifetime counters were read on or after it.
    pub end: Date,
}

/// Parses the name of a legacy X export. The handle may itself contain `_`, so the name is read from the right.
pub fn x_export_name(file_name: &str) -> Option<XExportName> {
    let stem = stem(file_name);
    let at = stem.find("tweet_activity_metrics_")?;
    let rest = &stem[at + "tweet_activity_metrics_".len()..];
    let mut parts = rest.rsplitn(4, '_');
    let lang = parts.next()?;
    let end = parts.next()?;
    let start = parts.next()?;
    let handle = parts.next()?;
    if lang.is_empty() || !lang.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-') || handle.is_empty() {
        return None;
    }
    let date = |t: &str| parse::parse_date(t, &[DateFormat::Compact]).ok();
    Some(XExportName { handle: handle.to_string(), start: date(start)?, end: date(end)? })
}

/// The last `YYYY-MM-DD` date in a file name (`account_analytics_content_2024-12-22_2025-03-22.csv` ->
/// 2025-03-22): the end of the period a new X export covers.
pub fn last_iso_date_in_name(file_name: &str) -> Option<Date> {
    let stem = stem(file_name);
    let bytes = stem.as_bytes();
    (0..bytes.len().saturating_sub(9)).rev().find_map(|i| {
        let s = stem.get(i..i + 10)?;
        let b = s.as_bytes();
        let shape = b.iter().enumerate().all(|(k, c)| if k == 4 || k == 7 { *c == b'-' } else { c.is_ascii_digit() });
        shape.then(|| parse::parse_date(s, &[DateFormat::Iso]).ok()).flatten()
    })
}

/// The account handle in a post URL: `https://x.com/KaiaDevIntern/status/1902…` -> `KaiaDevIntern`.
pub fn handle_in_status_url(url: &str) -> Option<&str> {
    let path = url.split_once("://").map_or(url, |(_, p)| p);
    let mut parts = path.split('/');
    let _host = parts.next()?;
    let handle = parts.next()?;
    (parts.next() == Some("status") && !handle.is_empty()).then_some(handle)
}

/// What the name of a LinkedIn Company Page export tells: `<page-slug>_<kind>_<epoch-millis>.xls`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedInExportName {
    /// The page's display name slug (`pro-efficient-data-entry`, `دورلي-doorly`).
    pub page: String,
    /// `content`, `followers` or `visitors`.
    pub kind: String,
    /// The day of the download (UTC), from the epoch milliseconds.
    pub downloaded: Option<Date>,
}

/// Parses the name of a LinkedIn Company Page export.
pub fn linkedin_export_name(file_name: &str) -> Option<LinkedInExportName> {
    let stem = stem(file_name);
    let mut parts = stem.rsplitn(3, '_');
    let millis = parts.next()?;
    let kind = parts.next()?;
    let page = parts.next()?;
    if page.is_empty() || !millis.bytes().all(|b| b.is_ascii_digit()) || millis.is_empty() {
        return None;
    }
    let downloaded =
        millis.parse::<i64>().ok().and_then(chrono::DateTime::from_timestamp_millis).map(|t| t.date_naive());
    Some(LinkedInExportName { page: page.to_string(), kind: kind.to_ascii_lowercase(), downloaded })
}

/// What the name of a legacy Facebook Page Insights export tells:
/// `Facebook Insights Data Export[ (Post Level)| (Video Posts)] - <Page> - <from> - <to>.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FacebookExportName {
    pub page: String,
    pub start: Date,
    /// The last day of the period; lifetime counters were read on or after it.
    pub end: Date,
}

/// Parses the name of a legacy Facebook export. The page name may contain ` - `, so the dates are read from the
/// right.
pub fn facebook_export_name(file_name: &str) -> Option<FacebookExportName> {
    let stem = stem(file_name);
    let mut parts = stem.rsplitn(3, " - ");
    let end = parts.next()?;
    let start = parts.next()?;
    let head = parts.next()?;
    let (prefix, page) = head.split_once(" - ")?;
    if !prefix.trim_start().starts_with("Facebook Insights Data Export") || page.trim().is_empty() {
        return None;
    }
    let date = |t: &str| parse::parse_date(t.trim(), &[DateFormat::Iso]).ok();
    Some(FacebookExportName { page: page.trim().to_string(), start: date(start)?, end: date(end)? })
}

/// The end of the period in a Meta Business Suite export name, `<Mon-DD-YYYY>_<Mon-DD-YYYY>_<page-id>.csv`.
pub fn meta_export_end(file_name: &str) -> Option<Date> {
    let stem = stem(file_name);
    let mut parts = stem.split('_');
    let _start = parts.next()?;
    let end = parts.next()?;
    if end.matches('-').count() != 2 {
        return None;
    }
    parse::parse_date(&end.replace('-', " "), &[DateFormat::Text]).ok()
}

/// Decodes the HTML entities X leaves in tweet texts: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#39;`,
/// `&nbsp;` and numeric ones (`&#8217;`, `&#x2019;`). One pass, so `&amp;lt;` becomes `&lt;`, not `<`. Anything
/// else is left as written.
pub fn decode_html_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.get(1..).and_then(|after| {
            let semi = after.find(';').filter(|&i| i <= 10)?;
            let name = &after[..semi];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => '\u{a0}',
                _ => {
                    let code = match name.strip_prefix('#') {
                        Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok()?,
                        Some(dec) => dec.parse::<u32>().ok()?,
                        None => return None,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, semi + 2))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Line breaks of a post text as `\n`, whatever the file wrote: CRLF or a lone CR (LinkedIn's .xls), or Excel's
/// `_x000D_` escape of a CR in an .xlsx (`_x000D_\n`). The same post then reads the same from either download.
pub fn normalize_line_breaks(text: &str) -> String {
    if !text.contains('\r') && !text.contains("_x000D_") && !text.contains("_x000d_") {
        return text.to_string();
    }
    text.replace("_x000D_", "\r").replace("_x000d_", "\r").replace("\r\n", "\n").replace('\r', "\n")
}

/// Removes the quotes LinkedIn's data archive wraps around every line of a multi-line post (`Shares.csv`): after
/// CSV unquoting, the first line ends with `"`, the middle lines are `"…"` and the last starts with `"`. A text
/// that does not follow that pattern throughout (one line, or a quote missing) is returned as written.
pub fn strip_linkedin_line_quotes(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let n = lines.len();
    if n < 2 {
        return text.to_string();
    }
    let wrapped = lines[0].ends_with('"')
        && lines[n - 1].starts_with('"')
        && lines[1..n - 1].iter().all(|l| l.len() >= 2 && l.starts_with('"') && l.ends_with('"'));
    if !wrapped {
        return text.to_string();
    }
    let mut out = Vec::with_capacity(n);
    for (i, line) in lines.iter().enumerate() {
        let mut l = *line;
        if i > 0 {
            l = &l[1..];
        }
        if i + 1 < n {
            l = &l[..l.len() - 1];
        }
        out.push(l);
    }
    out.join("\n")
}

/// Decodes `%XX` escapes (UTF-8 bytes); a `%` not followed by two hex digits is kept.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URN in a LinkedIn post URL: `…/feed/update/urn:li:activity:7306…/` -> `urn:li:activity:7306…`.
pub fn linkedin_urn(url: &str) -> Option<&str> {
    let at = url.find("urn:li:")?;
    let urn = &url[at..];
    let end = urn.find(['/', '?', '#']).unwrap_or(urn.len());
    Some(&urn[..end]).filter(|u| u.len() > "urn:li:".len())
}

/// The post type a platform names: `Photo`/`Photos` -> image, `Video`/`Videos`/`SharedVideo`/`Reels` -> video,
/// `Link`/`Links` -> link, `Status`/`Text` -> text. `None` for names we do not know (kept out, not guessed).
pub fn post_type_named(text: &str) -> Option<PostType> {
    let t = text.trim().to_ascii_lowercase();
    if t.is_empty() {
        return None;
    }
    if t.contains("video") || t.starts_with("reel") {
        return Some(PostType::Video);
    }
    PostType::parse(&t).or_else(|_| PostType::parse(t.trim_end_matches('s'))).ok()
}

/// Sums counters of which some may be unreported: `None` when all are, else the sum of those reported.
pub fn sum_reported(values: &[Option<i64>]) -> Option<i64> {
    values.iter().any(Option::is_some).then(|| values.iter().flatten().sum())
}

/// A CSV text as a [`SourceFile`] called `name`, and the import of it with `format` (tests of the format modules).
#[cfg(test)]
pub(crate) fn import_text(
    format: &dyn crate::Format,
    name: &str,
    text: &str,
) -> Result<socialledger_domain::Dataset, Vec<String>> {
    let table = crate::read::csv::read_csv(text, None).map_err(|e| vec![e])?;
    let file = SourceFile { display_name: name.into(), file_name: name.into(), tables: vec![table] };
    assert!(format.detect(&file), "{name} not detected as {}", format.name());
    let mut errs = ErrorSink::new(10);
    let ds = format.parse(&file, &ImportOptions::default(), &mut errs);
    match errs.is_empty() {
        true => Ok(ds),
        false => Err(errs.errors().iter().map(ToString::to_string).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn x_legacy_names() {
        let n = x_export_name("tweet_activity_metrics_rOpenSci_20190101_20190201_en.csv").unwrap();
        assert_eq!(n, XExportName { handle: "rOpenSci".into(), start: d(2019, 1, 1), end: d(2019, 2, 1) });
        let n = x_export_name("daily_tweet_activity_metrics_Lisa_DeBruine_20210801_20210901_en (1).csv").unwrap();
        assert_eq!((n.handle.as_str(), n.end), ("Lisa_DeBruine", d(2021, 9, 1)));
        assert_eq!(x_export_name("tweets.csv"), None);
        assert_eq!(x_export_name("tweet_activity_metrics_x_2019_20190201_en.csv"), None);
    }

    #[test]
    fn new_x_names_and_urls() {
        assert_eq!(
            last_iso_date_in_name("kaiadevintern_account_analytics_content_2024-12-22_2025-03-22.csv"),
            Some(d(2025, 3, 22))
        );
        assert_eq!(last_iso_date_in_name("account_overview_analytics.csv"), None);
        assert_eq!(
            handle_in_status_url("https://x.com/KaiaDevIntern/status/1902622306553184746"),
            Some("KaiaDevIntern")
        );
        assert_eq!(handle_in_status_url("https://twitter.com/rOpenSci/status/1"), Some("rOpenSci"));
        assert_eq!(handle_in_status_url("https://x.com/home"), None);
    }

    #[test]
    fn linkedin_names() {
        let n = linkedin_export_name("pro-efficient-data-entry_content_1742193384396.xls").unwrap();
        assert_eq!(n.page, "pro-efficient-data-entry");
        assert_eq!(n.kind, "content");
        assert_eq!(n.downloaded, Some(d(2025, 3, 17)));
        let n = linkedin_export_name("دورلي-doorly_followers_1774355119598.xls").unwrap();
        assert_eq!((n.page.as_str(), n.kind.as_str()), ("دورلي-doorly", "followers"));
        assert_eq!(linkedin_export_name("Shares.csv"), None);
    }

    #[test]
    fn facebook_and_meta_names() {
        let n = facebook_export_name(
            "Facebook Insights Data Export (Post Level) - Visualization Studio VIC - 2015-08-19 - 2016-02-15.csv",
        )
        .unwrap();
        assert_eq!(
            n,
            FacebookExportName { page: "Visualization Studio VIC".into(), start: d(2015, 8, 19), end: d(2016, 2, 15) }
        );
        let n = facebook_export_name("Facebook Insights Data Export - A - B - 2015-08-19 - 2016-02-15.csv").unwrap();
        assert_eq!(n.page, "A - B");
        assert_eq!(facebook_export_name("posts - 2015-08-19 - 2016-02-15.csv"), None);
        assert_eq!(meta_export_end("Feb-01-2025_Mar-15-2025_613168031534769.csv"), Some(d(2025, 3, 15)));
        assert_eq!(meta_export_end("export.csv"), None);
    }

    #[test]
    fn html_entities() {
        assert_eq!(decode_html_entities("coworking &amp; office hours"), "coworking & office hours");
        assert_eq!(decode_html_entities("a &lt;b&gt; &#39;c&#x27; &quot;d&quot;"), "a <b> 'c' \"d\"");
        assert_eq!(decode_html_entities("&amp;lt;"), "&lt;");
        assert_eq!(decode_html_entities("R&D & more &bogus; &"), "R&D & more &bogus; &");
        assert_eq!(decode_html_entities("🎉 &#127881;"), "🎉 🎉");
    }

    #[test]
    fn linkedin_line_quotes() {
        let raw = "I'm off.\"\n\"\"\n\"WHAT? A retreat.\"\n\"See you";
        assert_eq!(strip_linkedin_line_quotes(raw), "I'm off.\n\nWHAT? A retreat.\nSee you");
        let quoted = "\"Be helpful.\"\"\n\"\"\n\"\"Don't.\"\"\n\"Claude";
        assert_eq!(strip_linkedin_line_quotes(quoted), "\"Be helpful.\"\n\n\"Don't.\"\nClaude");
        assert_eq!(strip_linkedin_line_quotes("one \"line\""), "one \"line\"");
        assert_eq!(strip_linkedin_line_quotes("not\nwrapped"), "not\nwrapped");
    }

    #[test]
    fn percent_and_urns() {
        let link = "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7345821826846990338";
        let decoded = percent_decode(link);
        assert_eq!(decoded, "https://www.linkedin.com/feed/update/urn:li:share:7345821826846990338");
        assert_eq!(linkedin_urn(&decoded), Some("urn:li:share:7345821826846990338"));
        assert_eq!(
            linkedin_urn("https://www.linkedin.com/feed/update/urn:li:activity:7306/"),
            Some("urn:li:activity:7306")
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%E2%9C%93 %zz"), "✓ %zz");
    }

    #[test]
    fn post_types() {
        assert_eq!(post_type_named("Photos"), Some(PostType::Image));
        assert_eq!(post_type_named("SharedVideo"), Some(PostType::Video));
        assert_eq!(post_type_named("Reels"), Some(PostType::Video));
        assert_eq!(post_type_named("Status"), Some(PostType::Text));
        assert_eq!(post_type_named("Link"), Some(PostType::Link));
        assert_eq!(post_type_named("Organic"), None);
        assert_eq!(post_type_named(""), None);
    }

    #[test]
    fn sums_of_reported_counters() {
        assert_eq!(sum_reported(&[None, None]), None);
        assert_eq!(sum_reported(&[Some(2), None, Some(3)]), Some(5));
    }
}
