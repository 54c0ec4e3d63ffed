//! Meta Ads Manager report export (Ads reporting → Export table data → .csv or .xlsx): a paid flight per campaign
//! on the paid social channel `meta-ads` (Facebook and Instagram ads), and the report's breakdown rows as printed
//! figures.
//!
//! Header (the column preset decides the rest): `Campaign name,Reach,Impressions,Frequency,Currency,
//! "Amount spent (INR)","Link clicks",…,"Reporting starts","Reporting ends"`. The currency of the spend is in the
//! header. The first data row, with an empty campaign name (and empty breakdown cells), is Meta's total: it is
//! checked against the other rows and skipped.
//!
//! **Where each row lands.** A campaign row without a breakdown is the campaign's total over the report period:
//! one `paid_media` activity. A time breakdown (`Day`, `Week`, `Month`, `2025-02-01 - 2025-02-28`) splits the
//! campaign into periods: one activity per campaign and period. Any other breakdown (`Age`, `Gender`, `Region`,
//! `Device platform`, …, also `Ad set name` and `Ad name` of ad-set and ad-level reports) splits a campaign into
//! slices whose figures must never be added to the campaign's: those rows become [`PeriodMetric`]s (source the
//! channel key, dimension `campaign+age`, value `<campaign> | 18-24`, one per printed figure), never activities,
//! so importing the same campaign with and without breakdowns cannot count it twice. Reach is kept per slice as
//! printed: Meta de-duplicates it, so slices' reach does not add up to the campaign's, and nothing sums it.

use super::canonical::{HashKeys, SeenKeys};
use crate::parse::{self, DateFormat};
use crate::read::{Headed, Row};
use crate::{ErrorSink, Format, ImportOptions, SourceFile};
use socialledger_domain::{
    currency_in_header, Activity, ActivityKind, Channel, ChannelKind, Currency, Dataset, Date, Money, Network,
    PeriodMetric,
};

const REQUIRED: &[&str] = &["Campaign name", "Impressions", "Reporting starts", "Reporting ends"];
const SPEND_PREFIX: &str = "Amount spent (";

/// The key of the channel paid Meta ads land on, unless `--channel` says otherwise.
pub const CHANNEL_KEY: &str = "meta-ads";

/// Breakdown columns Ads Manager adds (compared case-insensitively) and the dimension each is stored under: the
/// canonical audience dimension where there is one (`Region` is `location`, as in the audience CSV), else a short
/// lower-case name. Ad sets and ads split a campaign just as ages do.
const BREAKDOWNS: &[(&str, &str)] = &[
    ("Ad set name", "ad_set"),
    ("Ad name", "ad"),
    ("Age", "age"),
    ("Gender", "gender"),
    ("Region", "location"),
    ("Country", "country"),
    ("DMA region", "dma_region"),
    ("Impression device", "impression_device"),
    ("Device platform", "device"),
    ("Platform", "platform"),
    ("Placement", "placement"),
    ("Platform position", "platform_position"),
    ("Business locations", "business_location"),
    ("Time of day (ad account time zone)", "time_of_day"),
    ("Time of day (viewer's time zone)", "time_of_day_viewer"),
];

/// Dimensions whose values Meta writes in lower case except `Unknown` in the age column: stored lower-cased, so
/// one value has one spelling (`unknown`, `female`, `mobile_app`).
const LOWERCASED: &[&str] = &["age", "gender", "device", "impression_device", "platform"];

/// Time breakdowns: each row covers its own period (`2025-02-01` for a day, `2025-02-01 - 2025-02-28` for a week
/// or month) instead of the report's.
const PERIODS: &[&str] = &["Day", "Week", "Month"];

/// The figures kept of a breakdown row, by the column names Ads Manager prints (the spend column is found by its
/// prefix, its currency in its name).
const SLICE_FIGURES: &[&str] = &["Impressions", "Reach", "Link clicks", "Clicks (all)"];

/// The paid social channel of Meta ads: `--channel` when given (the existing channel of that key, or a new paid
/// one), else the existing `meta-ads`, else a new `meta-ads` of kind paid social on network facebook.
pub fn meta_ads_channel(opts: &ImportOptions) -> Channel {
    let key = opts.channel.as_deref().map(str::trim).filter(|k| !k.is_empty()).unwrap_or(CHANNEL_KEY);
    opts.existing_channels.iter().find(|c| c.key == key).cloned().unwrap_or_else(|| Channel {
        key: key.to_string(),
        name: "Meta Ads".into(),
        kind: ChannelKind::PaidSocial,
        network: Some(Network::Facebook),
        handle: None,
        account: None,
    })
}

/// Sums of the rows and the total row's figures, compared after the import. Spend is summed as printed (breakdown
/// rows have up to 8 decimals) and compared in minor units.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Figures {
    impressions: i64,
    spend: f64,
    link_clicks: i64,
    clicks_all: i64,
}

impl Figures {
    fn add(&mut self, other: &Figures) {
        self.impressions += other.impressions;
        self.spend += other.spend;
        self.link_clicks += other.link_clicks;
        self.clicks_all += other.clicks_all;
    }
}

/// Meta Ads Manager report, CSV or XLSX, with or without a breakdown.
#[derive(Debug, Clone, Copy)]
pub struct MetaAds;

impl Format for MetaAds {
    fn name(&self) -> &'static str {
        "meta-ads"
    }

    fn description(&self) -> &'static str {
        "Meta Ads Manager report (.csv or .xlsx), campaign, ad set or ad level, with or without a breakdown \
         (age, gender, region, device, day, month): spend, impressions, reach, link clicks"
    }

    fn detect(&self, file: &SourceFile) -> bool {
        file.tables.iter().any(|t| t.header(REQUIRED).is_some_and(|h| h.col_starting(SPEND_PREFIX).is_some()))
    }

    /// Campaign rows: one `paid_media` activity each: spend = `Amount spent (CUR)` in that currency, volume =
    /// impressions, reach, clicks = link clicks, start/end = the reporting period (or the row's day, week or
    /// month), key = a hash of campaign name and period (Meta's export has no campaign id). Breakdown rows: see
    /// the module documentation.
    fn parse(&self, file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
        let mut ds = Dataset::default();
        let Some(h) =
            file.tables.iter().find_map(|t| t.header(REQUIRED).filter(|h| h.col_starting(SPEND_PREFIX).is_some()))
        else {
            errs.report(
                &file.display_name,
                None,
                1,
                None,
                format!("the header lacks the column(s) {} or {SPEND_PREFIX}CUR)", REQUIRED.join(", ")),
                Some("export the table from Ads Manager (Reports → Export table data → .csv or .xlsx)".into()),
            );
            return ds;
        };
        let channel = meta_ads_channel(opts);
        let cols = Columns::of(&h);
        if cols.period.len() > 1 {
            let names: Vec<&str> = cols.period.iter().map(|&c| h.name(c)).collect();
            errs.report(
                &file.display_name,
                h.table.sheet.as_deref(),
                h.header_line(),
                Some(names[1]),
                format!("the report is broken down by {} at once", names.join(" and ")),
                Some("export it with one time breakdown (Day, Week or Month)".into()),
            );
            return ds;
        }
        let dimension: String =
            std::iter::once("campaign").chain(cols.breakdowns.iter().map(|(_, d)| *d)).collect::<Vec<_>>().join("+");
        let mut keys = HashKeys::default();
        let mut seen = SeenKeys::default();
        let mut total: Option<(usize, Figures)> = None;
        let mut sums = Figures::default();
        h.for_each_row(file, opts, errs, |r| {
            let currency = row_currency(r, cols.currency, cols.header_currency);
            let spend_printed = r.get_f64(cols.spend);
            if spend_printed.is_some_and(|s| s < 0.0) {
                r.error(cols.spend, "an amount spent cannot be negative", None);
            } else if spend_printed.is_some_and(|s| to_minor(s, currency) > parse::MAX_MONEY_MINOR) {
                r.error(
                    cols.spend,
                    "the amount is implausibly large (more than 10^15 minor units); the cell is probably damaged",
                    Some("check it in the export".into()),
                );
            }
            let [reach, impressions, link_clicks, clicks_all] =
                [cols.reach, cols.impressions, cols.link, cols.all].map(|c| count(r, c));
            let figures = Figures {
                impressions: impressions.unwrap_or(0),
                spend: spend_printed.unwrap_or(0.0),
                link_clicks: link_clicks.unwrap_or(0),
                clicks_all: clicks_all.unwrap_or(0),
            };
            let name = r.cell(cols.name);
            let slice: Vec<String> =
                cols.breakdowns.iter().map(|&(c, d)| breakdown_value(d, r.cell(c).trim())).collect();
            let period_cell = cols.period.first().map(|&c| r.cell(c).trim()).unwrap_or("");
            if name.is_empty() {
                if slice.iter().all(String::is_empty) && period_cell.is_empty() {
                    match total {
                        None => total = Some((r.line(), figures)),
                        Some((first, _)) => r.error(
                            cols.name,
                            format!("the campaign name is empty, and line {first} already is the total row"),
                            Some("every campaign row needs its name".into()),
                        ),
                    }
                } else {
                    r.error(cols.name, "the campaign name is empty", Some("every row needs its campaign".into()));
                }
                return;
            }
            if let Some(i) = slice.iter().position(String::is_empty) {
                let (c, _) = cols.breakdowns[i];
                r.error(c, format!("the {} is empty", h.name(c)), Some("every breakdown row names its slice".into()));
            }
            let Some((start, end)) = row_period(r, &cols) else { return };
            let what = || {
                let mut parts = vec![format!("campaign {name:?}")];
                parts.extend(slice.iter().map(|s| format!("{s:?}")));
                format!("{} over {start}..{end}", parts.join(" "))
            };
            seen.check((name.to_string(), slice.clone(), start, end), what, r, cols.name);
            if r.failed() {
                return;
            }
            sums.add(&figures);
            if slice.is_empty() {
                // From the printed amount, rounded to the currency's minor unit (time-broken-down rows may
                // print more decimals than the currency has).
                let spend = spend_printed.map(|s| Money::new(to_minor(s, currency), currency));
                ds.activities.push(Activity {
                    key: keys.key(CHANNEL_KEY, &[name, &start.to_string(), &end.to_string()]),
                    kind: ActivityKind::PaidMedia,
                    name: name.to_string(),
                    channel: Some(channel.key.clone()),
                    campaign: Some(name.to_string()),
                    start,
                    end,
                    spend,
                    volume: impressions,
                    reach,
                    clicks: link_clicks,
                });
                return;
            }
            let value = std::iter::once(name.to_string()).chain(slice).collect::<Vec<_>>().join(" | ");
            let printed = [impressions, reach, link_clicks, clicks_all].map(|v| v.map(|n| n as f64));
            let mut named: Vec<(&str, Option<f64>)> = SLICE_FIGURES.iter().copied().zip(printed).collect();
            if let Some(c) = cols.spend {
                named.push((h.name(c), spend_printed));
            }
            for (metric, amount) in named {
                if amount.is_none() {
                    continue;
                }
                ds.period_metrics.push(PeriodMetric {
                    source: channel.key.clone(),
                    dimension: dimension.clone(),
                    value: value.clone(),
                    period_start: start,
                    period_end: end,
                    metric: metric.to_string(),
                    amount,
                });
            }
        });
        if let Some((line, t)) = total {
            let currency = cols.header_currency.unwrap_or(opts.currency);
            let rows = if cols.breakdowns.is_empty() { "campaign rows" } else { "breakdown rows" };
            errs.note(total_note(&file.display_name, line, &t, &sums, currency, rows));
        }
        if let (Some(&c), false) = (cols.period.first(), ds.activities.is_empty()) {
            errs.note(format!(
                "{}: every campaign is imported once per {} (each a flight of its own period); a report of the same \
                 campaigns over the whole period gives other flights of overlapping periods, whose spend would add \
                 up with these: keep one of the two",
                file.display_name,
                h.name(c).to_lowercase()
            ));
        }
        ds.channels.push(channel);
        ds
    }
}

/// The columns a report is read from.
struct Columns {
    name: Option<usize>,
    spend: Option<usize>,
    header_currency: Option<Currency>,
    currency: Option<usize>,
    reach: Option<usize>,
    impressions: Option<usize>,
    link: Option<usize>,
    all: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    /// The breakdown columns found, in header order, with their stored dimension.
    breakdowns: Vec<(usize, &'static str)>,
    /// The time breakdown columns found (at most one is allowed).
    period: Vec<usize>,
}

impl Columns {
    fn of(h: &Headed<'_>) -> Columns {
        let spend = h.col_starting(SPEND_PREFIX);
        let mut breakdowns: Vec<(usize, &'static str)> =
            BREAKDOWNS.iter().filter_map(|&(name, dim)| h.col(name).map(|c| (c, dim))).collect();
        breakdowns.sort_unstable();
        Columns {
            name: h.col("Campaign name"),
            spend,
            header_currency: spend.and_then(|i| currency_in_header(h.name(i))),
            currency: h.col("Currency"),
            reach: h.col("Reach"),
            impressions: h.col("Impressions"),
            link: h.col("Link clicks"),
            all: h.col("Clicks (all)"),
            start: h.col("Reporting starts"),
            end: h.col("Reporting ends"),
            breakdowns,
            period: PERIODS.iter().filter_map(|p| h.col(p)).collect(),
        }
    }
}

/// A breakdown cell as stored: trimmed, lower-cased for the dimensions Meta writes in lower case.
fn breakdown_value(dimension: &str, cell: &str) -> String {
    if LOWERCASED.contains(&dimension) {
        cell.to_lowercase()
    } else {
        cell.to_string()
    }
}

/// The period a row covers: its day, week or month cell where the report has a time breakdown (within the
/// reporting period), else `Reporting starts`..`Reporting ends`.
fn row_period(r: &mut Row<'_>, cols: &Columns) -> Option<(Date, Date)> {
    let start = r.req_date(cols.start, &[DateFormat::Iso]);
    let end = r.req_date(cols.end, &[DateFormat::Iso]);
    let (start, end) = (start?, end?);
    if end < start {
        r.error(cols.end, format!("the report ends ({end}) before it starts ({start})"), None);
        return None;
    }
    let Some(&c) = cols.period.first() else { return Some((start, end)) };
    let (from, to) = r.req_with(c, period_range)?;
    if from < start || to > end {
        r.error(
            c,
            format!("{from}..{to} lies outside the reporting period {start}..{end}"),
            Some("export the report again; Meta's rows fall inside its period".into()),
        );
        return None;
    }
    Some((from, to))
}

/// A time-breakdown cell: `2025-02-01` (a day) or `2025-02-01 - 2025-02-28` (a week or month, both ends in).
fn period_range(text: &str) -> Result<(Date, Date), String> {
    let bad = |e: String| format!("{e}; Meta writes a day as 2025-02-01 and a month as 2025-02-01 - 2025-02-28");
    let date = |t: &str| parse::parse_date(t.trim(), &[DateFormat::Iso]).map_err(bad);
    match text.split_once(" - ") {
        Some((a, b)) => {
            let (from, to) = (date(a)?, date(b)?);
            if to < from {
                return Err(format!("{text:?} ends before it starts"));
            }
            Ok((from, to))
        }
        None => date(text).map(|d| (d, d)),
    }
}

/// `amount` in minor units of `currency`, rounded half away from zero.
fn to_minor(amount: f64, currency: Currency) -> i64 {
    (amount * 10f64.powi(currency.exponent() as i32)).round() as i64
}

/// The currency of a row: the header's (`Amount spent (INR)`), which the `Currency` cell must repeat; else the
/// `Currency` cell; else `--currency`.
fn row_currency(r: &mut Row<'_>, c_currency: Option<usize>, header: Option<Currency>) -> Currency {
    let cell = r.get_with(c_currency, |t| {
        Currency::parse(t).map_err(|_| format!("{t:?} is not a currency; Meta writes an ISO 4217 code such as INR"))
    });
    match (header, cell) {
        (Some(h), Some(c)) if h != c => {
            r.error(
                c_currency,
                format!("the row is in {c} but the spend column is in {h}"),
                Some("export one ad account (one currency) per file".into()),
            );
            h
        }
        (Some(h), _) => h,
        (None, Some(c)) => c,
        (None, None) => r.opts().currency,
    }
}

/// A count that cannot be negative; an empty cell is "no result", not 0.
fn count(r: &mut Row<'_>, col: Option<usize>) -> Option<i64> {
    let v = r.get_count(col);
    if v.is_some_and(|n| n < 0) {
        r.error(col, "a count cannot be negative", None);
    }
    v
}

/// Says whether Meta's total row equals the sums of the other rows (`rows` names them). Reach is de-duplicated
/// across campaigns and slices, so it is never summed. A mismatch is Meta's own figure, reported as a note rather
/// than an error.
fn total_note(file: &str, line: usize, total: &Figures, sums: &Figures, currency: Currency, rows: &str) -> String {
    let money = |amount: f64| Money::new(to_minor(amount, currency), currency).to_string();
    let pairs = [
        ("impressions", total.impressions.to_string(), sums.impressions.to_string()),
        ("amount spent", money(total.spend), money(sums.spend)),
        ("link clicks", total.link_clicks.to_string(), sums.link_clicks.to_string()),
        ("clicks (all)", total.clicks_all.to_string(), sums.clicks_all.to_string()),
    ];
    if pairs.iter().all(|(_, t, s)| t == s) {
        return format!(
            "{file}:{line}: Meta's total row was skipped; its impressions, amount spent, link clicks and clicks (all) \
             equal the sums of the {rows} ({}, {}, {}, {})",
            pairs[0].1, pairs[1].1, pairs[2].1, pairs[3].1
        );
    }
    let off: Vec<String> = pairs
        .iter()
        .filter(|(_, t, s)| t != s)
        .map(|(name, t, s)| format!("{name} {t} in the total vs {s} summed"))
        .collect();
    format!(
        "{file}:{line}: Meta's total row was skipped, but it differs from the sums of the {rows}: {}; the rows were \
         imported as listed",
        off.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::csv::read_csv;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            display_name: "ads.csv".into(),
            file_name: "ads.csv".into(),
            tables: vec![read_csv(text, None).unwrap()],
        }
    }

    const HEADER: &str = "\"Campaign name\",Reach,Impressions,Currency,\"Amount spent (EUR)\",\"Link clicks\",\
                          \"Clicks (all)\",\"Reporting starts\",\"Reporting ends\"\n";

    #[test]
    fn a_total_that_differs_is_a_note() {
        let f = file(&format!(
            "{HEADER},10,100,EUR,5.00,3,4,2025-01-01,2025-01-31\nA,5,60,EUR,3.50,2,2,2025-01-01,2025-01-31\n\
             B,5,30,EUR,1.50,1,2,2025-01-01,2025-01-31\n"
        ));
        let mut errs = ErrorSink::default();
        let ds = MetaAds.parse(&f, &ImportOptions::default(), &mut errs);
        assert!(errs.is_empty());
        assert_eq!(ds.activities.len(), 2);
        assert_eq!(ds.activities[0].spend, Some(Money::new(350, Currency::EUR)));
        assert_eq!(errs.notes().len(), 1);
        assert!(errs.notes()[0].contains("impressions 100 in the total vs 90 summed"), "{}", errs.notes()[0]);
        assert!(!errs.notes()[0].contains("link clicks"), "{}", errs.notes()[0]);
        assert_eq!(ds.channels[0].kind, ChannelKind::PaidSocial);
    }

    #[test]
    fn a_currency_cell_that_contradicts_the_header_is_an_error() {
        let f = file(&format!("{HEADER}A,5,60,USD,3.50,2,2,2025-01-01,2025-01-31\n"));
        let mut errs = ErrorSink::default();
        MetaAds.parse(&f, &ImportOptions::default(), &mut errs);
        assert_eq!(errs.errors()[0].to_string(), "ads.csv:2:Currency: the row is in USD but the spend column is in EUR; export one ad account (one currency) per file");
    }

    #[test]
    fn a_time_breakdown_cell_is_a_day_or_a_range() {
        let d = |m, dd| chrono::NaiveDate::from_ymd_opt(2025, m, dd).unwrap();
        assert_eq!(period_range("2025-02-01 - 2025-02-28"), Ok((d(2, 1), d(2, 28))));
        assert_eq!(period_range("2025-02-03"), Ok((d(2, 3), d(2, 3))));
        assert!(period_range("2025-02-28 - 2025-02-01").unwrap_err().contains("ends before it starts"));
        assert!(period_range("Feb 2025").is_err());
        assert_eq!(breakdown_value("age", "Unknown"), "unknown");
        assert_eq!(breakdown_value("location", "Uttar Pradesh"), "Uttar Pradesh");
    }

    #[test]
    fn the_same_campaign_twice_is_an_error() {
        let f = file(&format!(
            "{HEADER}A,5,60,EUR,3.50,2,2,2025-01-01,2025-01-31\nA,5,60,EUR,3.50,2,2,2025-01-01,2025-01-31\n"
        ));
        let mut errs = ErrorSink::default();
        MetaAds.parse(&f, &ImportOptions::default(), &mut errs);
        assert_eq!(errs.total(), 1);
        assert!(errs.errors()[0].to_string().starts_with("ads.csv:3:Campaign name: campaign \"A\""));
    }
}
