//! Meta's exports in their exact layouts, written by the tests into a temp dir and imported through the real code
//! path (no fixture): Ads Manager reports with a breakdown, as .xlsx (campaign, ad set and ad level, by month),
//! the Instagram post export, and the single-metric daily insight files (UTF-16, `sep=,`).

use crate::support::import_written;
use crate::workbooks::xlsx;
use socialledger_domain::{Channel, ChannelKind, Dataset, MetricPeriod, Network, PostType};
use socialledger_import::{ImportError, ImportOptions, Parsed};

fn ok(name: &str, bytes: &[u8]) -> Parsed {
    import_written(name, bytes, &ImportOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The printed figure of a slice: (dimension, value, metric) -> amount.
fn figure(ds: &Dataset, value: &str, metric: &str) -> Option<f64> {
    ds.period_metrics.iter().find(|m| m.value == value && m.metric == metric).and_then(|m| m.amount)
}

// ---------------------------------------------------------------------------------------------------------------
// Ads Manager reports with a breakdown

const ADS_COLUMNS: &str = "\"Reach\",Impressions,Frequency,Currency,\"Amount spent (INR)\",\"Link clicks\",\
                           \"CPC (cost per link click)\",\"Clicks (all)\",\"CPC (all)\",\"CTR (all)\",Purchases,\
                           \"Reporting starts\",\"Reporting ends\"";

/// An Ads Manager CSV as exported: UTF-8 BOM, LF, the breakdown column after `Campaign name`, the total row first
/// (both first cells empty when there is a breakdown).
fn ads_csv(breakdown: Option<&str>, rows: &[&str]) -> Vec<u8> {
    let header = match breakdown {
        Some(b) => format!("\"Campaign name\",{b},{ADS_COLUMNS}"),
        None => format!("\"Campaign name\",{ADS_COLUMNS}"),
    };
    let mut text = format!("\u{feff}{header}\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    text.into_bytes()
}

const PERIOD: &str = "2025-02-01,2025-08-04";

fn campaign_level() -> Vec<u8> {
    ads_csv(
        None,
        &[
            &format!(",900,1300,1.44,INR,150.50,60,2.5,70,2.15,5.38,3,{PERIOD}"),
            &format!("\"Add to Cart_28/06\",700,1000,1.43,INR,100.25,40,2.5,45,2.2,4.5,2,{PERIOD}"),
            &format!("TeeFusion_Sales_Scaling,250,300,1.2,INR,50.25,20,2.5,25,2.01,8.33,1,{PERIOD}"),
        ],
    )
}

fn age_breakdown() -> Vec<u8> {
    ads_csv(
        Some("Age"),
        &[
            &format!(",,900,1300,1.44,INR,150.5,60,2.5,70,2.15,5.38,3,{PERIOD}"),
            &format!("\"Add to Cart_28/06\",18-24,420,600,1.43,INR,60.12345678,25,2.4,28,2.1,4.6,2,{PERIOD}"),
            &format!("\"Add to Cart_28/06\",65+,300,400,1.33,INR,40.12654322,15,2.6,17,2.3,4.25,,{PERIOD}"),
            &format!("TeeFusion_Sales_Scaling,25-34,250,300,1.2,INR,50.25,20,2.5,25,2.01,8.33,1,{PERIOD}"),
            &format!("\"Add to Cart_28/06\",Unknown,0,0,0,INR,0,,,0,0,0,,{PERIOD}"),
        ],
    )
}

#[test]
fn issue_15_a_breakdown_report_gives_slices_and_never_campaign_totals() {
    let parsed = ok("Untitled-report-Feb-1-2025-to-Aug-4-2025_Age.csv", &age_breakdown());
    assert_eq!(parsed.format, "meta-ads");
    let ds = &parsed.dataset;
    assert!(ds.activities.is_empty(), "breakdown rows are not flights: {:?}", ds.activities);
    assert!(ds.period_metrics.iter().all(|m| m.source == "meta-ads" && m.dimension == "campaign+age"));
    assert!(ds.period_metrics.iter().all(|m| (m.period_start, m.period_end) == (day(2025, 2, 1), day(2025, 8, 4))));
    // Each slice keeps its own reach as printed; nothing is summed.
    assert_eq!(figure(ds, "Add to Cart_28/06 | 18-24", "Reach"), Some(420.0));
    assert_eq!(figure(ds, "Add to Cart_28/06 | 65+", "Reach"), Some(300.0));
    assert_eq!(figure(ds, "Add to Cart_28/06 | 18-24", "Amount spent (INR)"), Some(60.12345678));
    assert_eq!(figure(ds, "TeeFusion_Sales_Scaling | 25-34", "Impressions"), Some(300.0));
    // Meta writes `Unknown` in the age column and `unknown` elsewhere: one spelling is stored.
    assert_eq!(figure(ds, "Add to Cart_28/06 | unknown", "Impressions"), Some(0.0));
    // An empty cell is no result, not 0.
    assert_eq!(figure(ds, "Add to Cart_28/06 | unknown", "Link clicks"), None);
    // The total row (both first cells empty) is checked against the slices, reach left out.
    assert!(
        parsed.notes.iter().any(|n| n.contains(":2: Meta's total row was skipped")
            && n.contains("equal the sums of the breakdown rows")
            && n.contains("1300, 150.50 INR, 60, 70")),
        "{:?}",
        parsed.notes
    );

    // The same campaigns without a breakdown: their totals, and importing both counts each campaign once.
    let campaigns = ok("Untitled-report-Feb-1-2025-to-Aug-4-2025_Reach.csv", &campaign_level()).dataset;
    let mut both = campaigns.clone();
    both.extend(ds.clone());
    assert_eq!(both.activities, campaigns.activities, "the breakdown adds no flight and changes none");
    let spend: i64 = both.activities.iter().map(|a| a.spend.unwrap().minor).sum();
    assert_eq!(spend, 15050);
    let reach: Vec<Option<i64>> = both.activities.iter().map(|a| a.reach).collect();
    assert_eq!(reach, [Some(700), Some(250)], "campaign reach comes from the campaign rows only");
}

#[test]
fn issue_15_every_breakdown_is_stored_under_its_canonical_dimension() {
    for (column, dimension, cell, value) in [
        ("Gender", "campaign+gender", "female", "A | female"),
        ("Region", "campaign+location", "\"Uttar Pradesh\"", "A | Uttar Pradesh"),
        ("\"Device platform\"", "campaign+device", "mobile_app", "A | mobile_app"),
        ("Country", "campaign+country", "IN", "A | IN"),
    ] {
        let bytes = ads_csv(
            Some(column),
            &[
                &format!(",,10,20,2,INR,3.5,1,3.5,2,1.75,10,,{PERIOD}"),
                &format!("A,{cell},10,20,2,INR,3.5,1,3.5,2,1.75,10,,{PERIOD}"),
            ],
        );
        let parsed = ok("report_Breakdown.csv", &bytes);
        let ds = parsed.dataset;
        assert!(ds.activities.is_empty(), "{column}");
        assert!(ds.period_metrics.iter().all(|m| m.dimension == dimension), "{column}: {:?}", ds.period_metrics);
        assert_eq!(figure(&ds, value, "Clicks (all)"), Some(2.0), "{column}");
    }
}

#[test]
fn issue_15_a_slice_listed_twice_or_a_row_without_its_slice_is_an_error() {
    let bytes = ads_csv(
        Some("Age"),
        &[
            &format!("A,18-24,10,20,2,INR,3.5,1,3.5,2,1.75,10,,{PERIOD}"),
            &format!("A,18-24,10,20,2,INR,3.5,1,3.5,2,1.75,10,,{PERIOD}"),
            &format!("A,,10,20,2,INR,3.5,1,3.5,2,1.75,10,,{PERIOD}"),
        ],
    );
    let err = import_written("r_Age.csv", &bytes, &ImportOptions::default()).unwrap_err();
    let ImportError::Rejected { errors, .. } = &err else { panic!("{err}") };
    let texts: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts[0].contains(":3:Campaign name: campaign \"A\" \"18-24\""), "{texts:?}");
    assert!(texts[1].contains(":4:Age: the Age is empty"), "{texts:?}");
}

#[test]
fn issue_15_an_implausible_slice_is_an_error() {
    let bytes = ads_csv(
        Some("Gender"),
        &[
            &format!("A,female,10,20,2,INR,99999999999999999,1,3.5,2,1.75,10,,{PERIOD}"),
            &format!("A,male,-10,20,2,INR,3.5,1,3.5,2,1.75,10,,{PERIOD}"),
        ],
    );
    let err = import_written("r_Gender.csv", &bytes, &ImportOptions::default()).unwrap_err().to_string();
    assert!(err.contains(":2:Amount spent (INR): the amount is implausibly large"), "{err}");
    assert!(err.contains(":3:Reach:"), "{err}");
}

// ---------------------------------------------------------------------------------------------------------------
// Ads Manager reports as .xlsx

const XLSX_HEADER: [&str; 9] = [
    "Campaign name",
    "Reach",
    "Impressions",
    "Currency",
    "Amount spent (EUR)",
    "Link clicks",
    "Clicks (all)",
    "Reporting starts",
    "Reporting ends",
];

#[test]
fn issue_15_an_xlsx_report_imports_like_the_csv_one() {
    let rows = [
        XLSX_HEADER.to_vec(),
        vec!["", "90", "130", "EUR", "15.5", "6", "7", "2025-02-01", "2025-02-28"],
        vec!["Spring", "70", "100", "EUR", "10.25", "4", "5", "2025-02-01", "2025-02-28"],
        vec!["Brand", "25", "30", "EUR", "5.25", "2", "2", "2025-02-01", "2025-02-28"],
    ];
    let from_xlsx = ok("Untitled-report-Feb-1-2025-to-Feb-28-2025.xlsx", &xlsx("Raw Data Report", &rows));
    let csv: String = rows.iter().map(|r| format!("{}\n", r.join(","))).collect();
    let from_csv = ok("Untitled-report-Feb-1-2025-to-Feb-28-2025.csv", csv.as_bytes());
    assert_eq!(from_xlsx.format, "meta-ads");
    assert_eq!(from_xlsx.dataset.activities, from_csv.dataset.activities);
    assert_eq!(from_xlsx.dataset.activities.len(), 2);
    assert_eq!(from_xlsx.dataset.activities[0].spend.unwrap().minor, 1025);
    assert!(from_xlsx.notes.iter().any(|n| n.contains("equal the sums of the campaign rows")), "{:?}", from_xlsx.notes);
}

#[test]
fn issue_15_ad_set_and_ad_rows_are_slices_of_their_campaign() {
    let mut header = XLSX_HEADER.to_vec();
    header.splice(1..1, ["Ad set name", "Ad name"]);
    let rows = [
        header,
        vec!["", "", "", "90", "130", "EUR", "15.5", "6", "7", "2025-02-01", "2025-02-28"],
        vec!["Spring", "Students", "Video A", "50", "60", "EUR", "6", "2", "3", "2025-02-01", "2025-02-28"],
        vec!["Spring", "Students", "Image B", "30", "40", "EUR", "4.25", "2", "2", "2025-02-01", "2025-02-28"],
        vec!["Brand", "All", "Video A", "25", "30", "EUR", "5.25", "2", "2", "2025-02-01", "2025-02-28"],
    ];
    let parsed = ok("Ads-report.xlsx", &xlsx("Raw Data Report", &rows));
    let ds = &parsed.dataset;
    assert!(ds.activities.is_empty(), "ad rows must not be counted as campaigns");
    assert!(ds.period_metrics.iter().all(|m| m.dimension == "campaign+ad_set+ad"));
    assert_eq!(figure(ds, "Spring | Students | Image B", "Amount spent (EUR)"), Some(4.25));
    assert_eq!(figure(ds, "Brand | All | Video A", "Reach"), Some(25.0));
    assert!(parsed.notes.iter().any(|n| n.contains("equal the sums of the breakdown rows")), "{:?}", parsed.notes);
}

#[test]
fn issue_15_a_report_by_month_gives_one_flight_per_campaign_and_month() {
    let mut header = XLSX_HEADER.to_vec();
    header.insert(1, "Month");
    let rows = [
        header,
        vec!["", "", "90", "130", "EUR", "15.5", "6", "7", "2025-02-01", "2025-03-31"],
        vec!["Spring", "2025-02-01 - 2025-02-28", "70", "100", "EUR", "10.25", "4", "5", "2025-02-01", "2025-03-31"],
        vec!["Spring", "2025-03-01 - 2025-03-31", "25", "30", "EUR", "5.25", "2", "2", "2025-02-01", "2025-03-31"],
    ];
    let parsed = ok("Monthly-report.xlsx", &xlsx("Raw Data Report", &rows));
    let a = &parsed.dataset.activities;
    assert_eq!(a.len(), 2);
    assert_eq!((a[0].start, a[0].end, a[0].volume), (day(2025, 2, 1), day(2025, 2, 28), Some(100)));
    assert_eq!((a[1].start, a[1].end, a[1].spend.unwrap().minor), (day(2025, 3, 1), day(2025, 3, 31), 525));
    assert_ne!(a[0].key, a[1].key);
    assert!(
        parsed.notes.iter().any(|n| n.contains("once per month") && n.contains("keep one of the two")),
        "{:?}",
        parsed.notes
    );

    // A month outside the reporting period is an error naming the cell.
    let mut bad = rows.clone();
    bad[3][1] = "2025-04-01 - 2025-04-30";
    let err = import_written("Monthly-report.xlsx", &xlsx("Raw Data Report", &bad), &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("[Raw Data Report]:4:Month: 2025-04-01..2025-04-30 lies outside"), "{err}");
}

// ---------------------------------------------------------------------------------------------------------------
// Instagram post export

#[test]
fn issue_15_the_instagram_post_export_imports_and_skips_metas_error_rows() {
    // Column order as one download had it (it varies); a row without post id and a row cut short, as Meta writes
    // its errors.
    let text = "\u{feff}\"Post ID\",\"Account ID\",\"Account username\",\"Account name\",Description,\"Duration (sec)\",\
                \"Publish time\",Permalink,\"Post type\",\"Data comment\",Date,Views,Likes,Shares,Comments,Saves,Reach,Follows\n\
                18011111111111111,17841400000000000,acme.gmbh,Acme GmbH,\"Reel, with comma\",44,03/10/2025 08:31,\
                https://www.instagram.com/reel/DAbc123/,IG reel,,Lifetime,\"12,400\",610,88,57,230,9100,41\n\
                ,17841400000000000,acme.gmbh,Acme GmbH,,0,,,,\"Data not available\",Lifetime,,,,,,,\n\
                18022222222222222,17841400000000000,acme.gmbh,Acme GmbH,Carousel,0,03/12/2025 17:05\n\
                18033333333333333,17841400000000000,acme.gmbh,Acme GmbH,Photo,0,03/14/2025 09:00,\
                https://www.instagram.com/p/DEf456/,IG image,,Lifetime,500,20,1,2,3,400,0\n";
    let parsed = ok("Feb-15-2025_Mar-15-2025_17841400000000000.csv", text.as_bytes());
    assert_eq!(parsed.format, "meta-instagram-posts");
    let ds = &parsed.dataset;
    assert_eq!(ds.posts.len(), 2);
    assert!(
        parsed
            .notes
            .iter()
            .any(|n| n.contains("skipped 2 row(s) that Meta wrote as errors") && n.contains("line(s) 3, 4")),
        "{:?}",
        parsed.notes
    );
    let ch: &Channel = &ds.channels[0];
    assert_eq!(
        (ch.network, ch.handle.as_deref(), ch.kind),
        (Some(Network::Instagram), Some("acme.gmbh"), ChannelKind::OrganicSocial)
    );
    assert_eq!(ds.posts[0].post_type, Some(PostType::Video));
    assert_eq!(ds.posts[1].post_type, Some(PostType::Image));
    assert_eq!(ds.posts[0].text.as_deref(), Some("Reel, with comma"));
    let m = &ds.post_metrics[0];
    assert_eq!(m.period, Some(MetricPeriod::Lifetime));
    assert_eq!(m.date, Some(day(2025, 3, 15)), "dated the period's end from the file name");
    assert_eq!(
        (m.impressions, m.reach, m.reactions, m.shares, m.comments, m.saves, m.follows, m.engagements),
        (Some(12400), Some(9100), Some(610), Some(88), Some(57), Some(230), Some(41), None)
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Single-metric daily insight files

/// UTF-16 LE with a BOM, as Meta Business Suite writes these files.
fn utf16(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        out.extend(unit.to_le_bytes());
    }
    out
}

fn daily(title: &str, rows: &[(&str, &str)]) -> Vec<u8> {
    let mut text = format!("sep=,\n\"{title}\"\n\"Date\",\"Primary\"\n");
    for (d, v) in rows {
        text.push_str(&format!("\"{d}T00:00:00\",\"{v}\"\n"));
    }
    utf16(&text)
}

#[test]
fn issue_15_a_daily_insight_file_fills_its_column_and_left_out_days_are_zero() {
    let bytes = daily("Facebook follows", &[("2025-01-01", "3"), ("2025-01-02", "1"), ("2025-01-05", "2")]);
    let parsed = ok("Follows.csv", &bytes);
    assert_eq!(parsed.format, "meta-daily");
    let ds = &parsed.dataset;
    let ch = &ds.channels[0];
    assert_eq!(ch.network, Some(Network::Facebook));
    let got: Vec<(chrono::NaiveDate, Option<i64>)> =
        ds.channel_days.iter().map(|d| (d.date.unwrap(), d.new_followers)).collect();
    assert_eq!(
        got,
        [
            (day(2025, 1, 1), Some(3)),
            (day(2025, 1, 2), Some(1)),
            (day(2025, 1, 3), Some(0)),
            (day(2025, 1, 4), Some(0)),
            (day(2025, 1, 5), Some(2)),
        ]
    );
    // Only the file's own column is set, so a Views file of the same days merges beside it.
    assert!(ds.channel_days.iter().all(|d| d.impressions.is_none() && d.followers.is_none()));
    // The mean follows per day over the file's days is 6 / 5, not 6 / 3.
    let total: i64 = ds.channel_days.iter().filter_map(|d| d.new_followers).sum();
    assert_eq!((total, ds.channel_days.len()), (6, 5));
    assert!(parsed.notes.iter().any(|n| n.contains("2 day(s)") && n.contains("stored as 0")), "{:?}", parsed.notes);
}

#[test]
fn issue_15_daily_reach_is_kept_per_day_as_printed() {
    let parsed = ok("Reach.csv", &daily("Instagram reach", &[("2025-01-01", "120"), ("2025-01-03", "80")]));
    let ds = &parsed.dataset;
    assert_eq!(ds.channels[0].network, Some(Network::Instagram));
    assert!(ds.channel_days.is_empty());
    let got: Vec<(&str, &str, Option<f64>)> =
        ds.period_metrics.iter().map(|m| (m.value.as_str(), m.metric.as_str(), m.amount)).collect();
    assert_eq!(
        got,
        [("2025-01-01", "reach", Some(120.0)), ("2025-01-02", "reach", Some(0.0)), ("2025-01-03", "reach", Some(80.0))]
    );
    assert!(ds.period_metrics.iter().all(|m| m.period_start == m.period_end && m.dimension == "date"));
}

#[test]
fn issue_15_a_daily_file_without_network_needs_the_channel() {
    let bytes = daily("Views", &[("2025-01-01", "7")]);
    let err = import_written("Views.csv", &bytes, &ImportOptions::default()).unwrap_err().to_string();
    assert!(err.contains("Views.csv:2: the title \"Views\" does not say whether"), "{err}");
    assert!(err.contains("--channel"), "{err}");
    let fb = Channel {
        key: "facebook".into(),
        name: "Acme".into(),
        kind: ChannelKind::OrganicSocial,
        network: Some(Network::Facebook),
        handle: Some("Acme".into()),
        account: None,
    };
    let opts = ImportOptions { channel: Some("facebook".into()), existing_channels: vec![fb], ..Default::default() };
    let parsed = import_written("Views.csv", &bytes, &opts).unwrap();
    assert_eq!(parsed.dataset.channel_days[0].impressions, Some(7));
    assert_eq!(parsed.dataset.channel_days[0].channel, "facebook");
}

#[test]
fn issue_15_a_bad_day_in_a_daily_file_names_file_row_and_column() {
    let bytes = utf16("sep=,\n\"Facebook visits\"\n\"Date\",\"Primary\"\n\"2025-13-01T00:00:00\",\"5\"\n\"2025-01-02T00:00:00\",\"-1\"\n");
    let err = import_written("Visits.csv", &bytes, &ImportOptions::default()).unwrap_err().to_string();
    assert!(err.contains("Visits.csv:4:Date:"), "{err}");
    assert!(err.contains("Visits.csv:5:Primary:"), "{err}");
}
