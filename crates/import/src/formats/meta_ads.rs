//! Meta Ads Manager report export (Ads reporting → Export table data → CSV), campaign level: one paid flight per
//! campaign over the report's period, on the paid social channel `meta-ads` (Facebook and Instagram ads).
//!
//! Header (the column preset decides the rest): `Campaign name,Reach,Impressions,Frequency,Currency,
//! "Amount spent (INR)","Link clicks",…,"Reporting starts","Reporting ends"`. The currency of the spend is in the
//! header. The first data row, with an empty campaign name, is Meta's total: it is checked against the campaign
//! rows and skipped. A breakdown report (`…_Age.csv`, `…_Region.csv`: a breakdown column after the campaign name,
//! one row per campaign and breakdown value) is rejected: its rows are slices of campaigns, and importing them as
//! flights would count every campaign once per slice.

use super::canonical::{HashKeys, SeenKeys};
use crate::parse::DateFormat;
use crate::read::Row;
use crate::{ErrorSink, Format, ImportOptions, SourceFile};
use socialledger_domain::{
    currency_in_header, Activity, ActivityKind, Channel, ChannelKind, Currency, Dataset, Money, Network,
};

const REQUIRED: &[&str] = &["Campaign name", "Impressions", "Reporting starts", "Reporting ends"];
const SPEND_PREFIX: &str = "Amount spent (";

/// The key of the channel paid Meta ads land on, unless `--channel` says otherwise.
pub const CHANNEL_KEY: &str = "meta-ads";

/// Breakdown columns Ads Manager inserts after `Campaign name` (compared case-insensitively).
const BREAKDOWNS: &[&str] = &[
    "Age",
    "Gender",
    "Region",
    "Country",
    "DMA region",
    "Impression device",
    "Device platform",
    "Platform",
    "Placement",
    "Platform position",
    "Business locations",
    "Day",
    "Week",
    "Month",
    "Time of day (ad account time zone)",
    "Time of day (viewer's time zone)",
    "Ad set name",
    "Ad name",
];

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

/// Sums of the campaign rows and the total row's figures, compared after the import.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Figures {
    impressions: i64,
    spend_minor: i64,
    link_clicks: i64,
    clicks_all: i64,
}

impl Figures {
    fn add(&mut self, other: &Figures) {
        self.impressions += other.impressions;
        self.spend_minor += other.spend_minor;
        self.link_clicks += other.link_clicks;
        self.clicks_all += other.clicks_all;
    }
}

/// Meta Ads Manager campaign report.
#[derive(Debug, Clone, Copy)]
pub struct MetaAds;

impl Format for MetaAds {
    fn name(&self) -> &'static str {
        "meta-ads"
    }

    fn description(&self) -> &'static str {
        "Meta Ads Manager report CSV, campaign level: spend, impressions, reach, link clicks per campaign"
    }

    fn detect(&self, file: &SourceFile) -> bool {
        file.tables.iter().any(|t| t.header(REQUIRED).is_some_and(|h| h.col_starting(SPEND_PREFIX).is_some()))
    }

    /// One `paid_media` activity per campaign: spend = `Amount spent (CUR)` in that currency, volume =
    /// impressions, reach, clicks = link clicks, start/end = the reporting period, key = a hash of campaign name
    /// and period (Meta's export has no campaign id).
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
                Some("export the campaign table from Ads Manager (Reports → Export table data → .csv)".into()),
            );
            return ds;
        };
        let c_name = h.col("Campaign name");
        if let Some(next) =
            c_name.map(|i| i + 1).filter(|&i| BREAKDOWNS.iter().any(|b| h.name(i).eq_ignore_ascii_case(b)))
        {
            errs.report(
                &file.display_name,
                None,
                h.header_line(),
                Some(h.name(next)),
                format!("this is a breakdown report (by {}): every campaign is split over several rows", h.name(next)),
                Some(
                    "import the report exported without a breakdown (Breakdown: None); socialledger imports \
                      whole campaigns"
                        .into(),
                ),
            );
            return ds;
        }
        let c_spend = h.col_starting(SPEND_PREFIX);
        let header_currency = c_spend.and_then(|i| currency_in_header(h.name(i)));
        let c_currency = h.col("Currency");
        let (c_reach, c_impressions) = (h.col("Reach"), h.col("Impressions"));
        let (c_link, c_all) = (h.col("Link clicks"), h.col("Clicks (all)"));
        let (c_start, c_end) = (h.col("Reporting starts"), h.col("Reporting ends"));
        let channel = meta_ads_channel(opts);
        let mut keys = HashKeys::default();
        let mut seen = SeenKeys::default();
        let mut total: Option<(usize, Figures)> = None;
        let mut sums = Figures::default();
        h.for_each_row(file, opts, errs, |r| {
            let currency = row_currency(r, c_currency, header_currency);
            let spend = r.get_money(c_spend, currency);
            let [reach, impressions, link_clicks, clicks_all] =
                [c_reach, c_impressions, c_link, c_all].map(|c| count(r, c));
            let figures = Figures {
                impressions: impressions.unwrap_or(0),
                spend_minor: spend.map_or(0, |m| m.minor),
                link_clicks: link_clicks.unwrap_or(0),
                clicks_all: clicks_all.unwrap_or(0),
            };
            let name = r.cell(c_name);
            if name.is_empty() {
                match total {
                    None => total = Some((r.line(), figures)),
                    Some((first, _)) => r.error(
                        c_name,
                        format!("the campaign name is empty, and line {first} already is the total row"),
                        Some("every campaign row needs its name".into()),
                    ),
                }
                return;
            }
            let start = r.req_date(c_start, &[DateFormat::Iso]);
            let end = r.req_date(c_end, &[DateFormat::Iso]);
            let (Some(start), Some(end)) = (start, end) else { return };
            if end < start {
                r.error(c_end, format!("the report ends ({end}) before it starts ({start})"), None);
            }
            seen.check((name.to_string(), start, end), || format!("campaign {name:?} over {start}..{end}"), r, c_name);
            if r.failed() {
                return;
            }
            sums.add(&figures);
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
        });
        if let Some((line, t)) = total {
            let currency = header_currency.unwrap_or(opts.currency);
            errs.note(total_note(&file.display_name, line, &t, &sums, currency));
        }
        ds.channels.push(channel);
        ds
    }
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
    let v = r.get_i64(col);
    if v.is_some_and(|n| n < 0) {
        r.error(col, "a count cannot be negative", None);
    }
    v
}

/// Says whether Meta's total row equals the sums of the campaign rows (reach is de-duplicated across campaigns,
/// so it is never summed). A mismatch is Meta's own figure, reported as a note rather than an error.
fn total_note(file: &str, line: usize, total: &Figures, sums: &Figures, currency: Currency) -> String {
    let money = |minor| Money::new(minor, currency).to_string();
    let pairs = [
        ("impressions", total.impressions.to_string(), sums.impressions.to_string()),
        ("amount spent", money(total.spend_minor), money(sums.spend_minor)),
        ("link clicks", total.link_clicks.to_string(), sums.link_clicks.to_string()),
        ("clicks (all)", total.clicks_all.to_string(), sums.clicks_all.to_string()),
    ];
    if total == sums {
        return format!(
            "{file}:{line}: Meta's total row was skipped; its impressions, amount spent, link clicks and clicks (all) \
             equal the sums of the campaigns ({}, {}, {}, {})",
            pairs[0].1, pairs[1].1, pairs[2].1, pairs[3].1
        );
    }
    let off: Vec<String> = pairs
        .iter()
        .filter(|(_, t, s)| t != s)
        .map(|(name, t, s)| format!("{name} {t} in the total vs {s} summed"))
        .collect();
    format!(
        "{file}:{line}: Meta's total row was skipped, but it differs from the sums of the campaign rows: {}; the \
         campaigns were imported as listed",
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
