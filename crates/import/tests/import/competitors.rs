//! Issue 15: the LinkedIn Company Page competitor analytics export, from a synthetic `.xlsx` in LinkedIn's layout
//! (sheet `COMPETITORS`, the period above the header, one row per page) written to a temporary folder and
//! imported through `import_file`: the own page's follower level lands on its page channel, the competitors only
//! as benchmark rows.

use crate::support::{import_as, import_written, without_temp_dir};
use crate::workbooks;
use socialledger_domain::{AccountKind, Channel, ChannelKind, Dataset, Date, Network, PeriodMetric};
use socialledger_import::{ImportError, ImportOptions, Parsed};

const NAME: &str = "acme-robotics_competitor_analytics_1736900000000.xlsx";

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).unwrap()
}

/// The COMPETITORS sheet: a description row with the period, the header, the own page and two competitors.
fn sheet(period: &str, pages: &[[&'static str; 5]]) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec![period.to_string()],
        ["Page", "Total Followers", "New Followers", "Total post engagements", "Total posts"]
            .map(String::from)
            .to_vec(),
    ];
    rows.extend(pages.iter().map(|p| p.map(String::from).to_vec()));
    rows
}

const PAGES: &[[&str; 5]] = &[
    ["Acme Robotics", "1234", "56", "789", "12"],
    ["Rival Automation GmbH", "15840", "410", "5210", "31"],
    ["Botworks", "877", "-3", "40", "2"],
];

fn book(rows: &[Vec<String>]) -> Vec<u8> {
    let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    workbooks::xlsx("COMPETITORS", &rows)
}

fn errors(result: Result<Parsed, ImportError>) -> Vec<String> {
    match result {
        Err(ImportError::Rejected { errors, .. }) => errors.iter().map(|e| without_temp_dir(&e.to_string())).collect(),
        Err(other) => vec![without_temp_dir(&other.to_string())],
        Ok(p) => panic!("expected an error, imported {} rows as {}", p.rows, p.format),
    }
}

fn metric<'a>(ds: &'a Dataset, dimension: &str, value: &str, metric: &str) -> Option<&'a PeriodMetric> {
    ds.period_metrics.iter().find(|m| m.dimension == dimension && m.value == value && m.metric == metric)
}

#[test]
fn issue_15_competitor_export_stores_own_followers_and_competitors_as_benchmarks() {
    let bytes = book(&sheet("Date range: 01/01/2025 - 01/31/2025", PAGES));
    let parsed = import_written(NAME, &bytes, &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.format, "linkedin-competitors");
    let ds = &parsed.dataset;

    // One channel: the company's page, known by the slug LinkedIn put in the file name.
    assert_eq!(ds.channels.len(), 1, "{:?}", ds.channels);
    let ch = &ds.channels[0];
    assert_eq!(
        (ch.network, ch.account, ch.kind, ch.handle.as_deref()),
        (Some(Network::LinkedIn), Some(AccountKind::Page), ChannelKind::OrganicSocial, Some("acme-robotics"))
    );
    // Its follower level on the period's last day, and nothing else on that day.
    assert_eq!(ds.channel_days.len(), 1);
    let day = &ds.channel_days[0];
    assert_eq!((day.channel.as_str(), day.date, day.followers), (ch.key.as_str(), Some(d(2025, 1, 31)), Some(1234)));
    assert_eq!((day.new_followers, day.engagements, day.posts_published), (None, None, None));
    assert!(ds.posts.is_empty() && ds.post_metrics.is_empty() && ds.audience.is_empty());

    // Every page's four figures as benchmark rows over the period; the own page is told apart.
    assert_eq!(ds.period_metrics.len(), 3 * 4);
    for m in &ds.period_metrics {
        assert_eq!(
            (m.source.as_str(), m.period_start, m.period_end),
            ("linkedin-competitors", d(2025, 1, 1), d(2025, 1, 31))
        );
    }
    assert_eq!(metric(ds, "page", "Acme Robotics", "total_followers").unwrap().amount, Some(1234.0));
    assert_eq!(metric(ds, "competitor", "Rival Automation GmbH", "post_engagements").unwrap().amount, Some(5210.0));
    assert_eq!(metric(ds, "competitor", "Botworks", "new_followers").unwrap().amount, Some(-3.0));
    assert_eq!(metric(ds, "competitor", "Botworks", "posts").unwrap().amount, Some(2.0));
    assert!(metric(ds, "competitor", "Acme Robotics", "posts").is_none());
    // Competitors never become channels or figures of the company.
    for rival in ["Rival Automation GmbH", "Botworks"] {
        assert!(ds.channels.iter().all(|c| c.name != rival && c.handle.as_deref() != Some(rival)));
    }
}

#[test]
fn issue_15_competitor_export_lands_on_the_page_channel_of_the_followers_export() {
    let followers = import_as(
        "acme-robotics_followers_1736900000000.xls",
        &workbooks::linkedin_followers(),
        &ImportOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let page: &Channel = &followers.dataset.channels[0];
    let opts = ImportOptions { existing_channels: vec![page.clone()], ..Default::default() };
    let bytes = book(&sheet("Date range: 01/01/2025 - 01/31/2025", PAGES));
    let parsed = import_written(NAME, &bytes, &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.dataset.channels.len(), 1);
    assert_eq!(parsed.dataset.channels[0].key, page.key);
    assert_eq!(parsed.dataset.channel_days[0].channel, page.key);

    // Renamed, the file names no page: the page channel's handle tells which row is the company's.
    let parsed = import_written("competitors.xlsx", &bytes, &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.dataset.channel_days[0].channel, page.key);
    assert_eq!(metric(&parsed.dataset, "page", "Acme Robotics", "posts").unwrap().amount, Some(12.0));
}

#[test]
fn issue_15_competitor_export_that_does_not_tell_its_own_page_asks_for_it() {
    let bytes = book(&sheet("Date range: 01/01/2025 - 01/31/2025", PAGES));
    let e = errors(import_written("competitors.xlsx", &bytes, &ImportOptions::default()));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("competitors.xlsx[COMPETITORS]:3:Page: cannot tell which page is your own"), "{e:?}");
    assert!(e[0].contains("\"Acme Robotics\", \"Rival Automation GmbH\", \"Botworks\""), "{e:?}");
    assert!(e[0].contains("--own-page NAME"), "{e:?}");

    // `--own-page` decides, and names the page's channel by the page's slug.
    let opts = ImportOptions { own_page: Some("Botworks".into()), ..Default::default() };
    let parsed = import_written("competitors.xlsx", &bytes, &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.dataset.channels[0].handle.as_deref(), Some("botworks"));
    assert_eq!(parsed.dataset.channel_days[0].followers, Some(877));
    assert!(metric(&parsed.dataset, "page", "Botworks", "posts").is_some());
    assert!(metric(&parsed.dataset, "competitor", "Acme Robotics", "posts").is_some());

    let opts = ImportOptions { own_page: Some("Nobody".into()), ..Default::default() };
    let e = errors(import_written(NAME, &bytes, &opts));
    assert!(e[0].contains("--own-page \"Nobody\" is none of the pages in the file"), "{e:?}");
}

#[test]
fn issue_15_competitor_export_periods_and_bad_cells() {
    // The period as two cells of its own, or written out in words.
    for period_rows in [
        vec![vec!["Start date".to_string(), "01/01/2025".into()], vec!["End date".into(), "03/31/2025".into()]],
        vec![vec!["Competitor analytics, Jan 1, 2025 to Mar 31, 2025".to_string()]],
    ] {
        let mut rows = period_rows;
        rows.extend(sheet("", PAGES).into_iter().skip(1));
        let parsed = import_written(NAME, &book(&rows), &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        let m = &parsed.dataset.period_metrics[0];
        assert_eq!((m.period_start, m.period_end), (d(2025, 1, 1), d(2025, 3, 31)));
        assert_eq!(parsed.dataset.channel_days[0].date, Some(d(2025, 3, 31)));
    }
    // No period: refused with what to do.
    let e = errors(import_written(NAME, &book(&sheet("Competitor analytics", PAGES)), &ImportOptions::default()));
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with(&format!("{NAME}[COMPETITORS]:1: no period above the header")), "{e:?}");
    // A negative follower count, a page twice: errors naming row and column.
    let bad: &[[&str; 5]] = &[
        ["Acme Robotics", "-5", "1", "2", "3"],
        ["Botworks", "877", "1", "40", "2"],
        ["Botworks", "877", "1", "40", "2"],
    ];
    let e = errors(import_written(NAME, &book(&sheet("01/01/2025 - 01/31/2025", bad)), &ImportOptions::default()));
    assert!(e[0].starts_with(&format!("{NAME}[COMPETITORS]:3:Total Followers: a count cannot be negative")), "{e:?}");
    assert!(e[1].starts_with(&format!("{NAME}[COMPETITORS]:5:Page: ")) && e[1].contains("Botworks"), "{e:?}");
}
