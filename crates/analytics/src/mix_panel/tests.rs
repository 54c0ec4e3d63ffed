//! The panel of the demo company (docs/demo-model.md) against the dataset's own totals, and small worlds for the
//! edge rules.

use super::*;
use crate::cost::{costs, staff_cost_minor};
use crate::testdata::*;
use chrono::{Datelike, Weekday};
use socialledger_demo::{simulate, DemoConfig, Simulation};
use socialledger_domain::{ActivityKind, Task};
use std::sync::OnceLock;

fn demo() -> &'static Simulation {
    static SIM: OnceLock<Simulation> = OnceLock::new();
    SIM.get_or_init(|| simulate(&DemoConfig::default()))
}

fn build(opts: PanelOptions) -> BuiltPanel {
    build_panel(demo().dataset(), &Settings::default(), &opts).unwrap()
}

fn daily() -> PanelOptions {
    PanelOptions { frequency: Frequency::Daily, ..PanelOptions::default() }
}

/// Euros back to cents: every panel value is a whole number of cents divided by 100, so this is exact.
fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

fn series<'a>(p: &'a Panel, key: &str) -> &'a MediaSeries {
    p.channels.iter().find(|c| c.key == key).unwrap_or_else(|| panic!("no series {key}"))
}

fn has_note(b: &BuiltPanel, code: PanelNoteCode, channel: Option<&str>) -> bool {
    b.notes.iter().any(|n| n.code == code && n.channel.as_deref() == channel)
}

/// Campaign spend per channel that goes to the `campaigns` series (campaigns off paid channels), in cents.
fn campaign_spend(ds: &Dataset) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for a in ds.activities.iter().filter(|a| a.kind == ActivityKind::Campaign) {
        let ch = a.channel.clone().unwrap_or_default();
        if ch != "paid-search" && ch != "linkedin-ads" {
            *out.entry(ch).or_default() += a.spend.map_or(0, |s| s.minor);
        }
    }
    out
}

#[test]
fn the_weekly_demo_panel_has_every_monday_week_without_gaps() {
    let b = build(PanelOptions::default());
    let p = &b.panel;
    p.validate().unwrap();
    // 2024-01-01 is a Monday; 2025-12-31 a Wednesday, so the last whole week starts 2025-12-22.
    assert_eq!((p.dates[0], p.dates[p.len() - 1], p.len()), (d("2024-01-01"), d("2025-12-22"), 104));
    assert!(p.dates.iter().all(|d| d.weekday() == Weekday::Mon));
    assert!(p.dates.windows(2).all(|w| (w[1] - w[0]).num_days() == 7));
    assert!(b.notes.iter().any(|n| n.code == PanelNoteCode::EdgesCut && n.text.contains("2025-12-29 to 2025-12-31")));
    let keys: Vec<&str> = p.channels.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "events",
            "facebook",
            "linkedin",
            "linkedin-ads",
            "newsletter",
            "paid-search",
            "pr",
            "webinar",
            "x",
            "youtube",
            "campaigns"
        ]
    );
    let kind = |k: &str| (series(p, k).input, series(p, k).group);
    assert_eq!(kind("linkedin"), (InputKind::Hours, socialledger_mmm::ChannelGroup::Social));
    assert_eq!(kind("linkedin-ads"), (InputKind::Spend, socialledger_mmm::ChannelGroup::Paid));
    assert_eq!(kind("events"), (InputKind::Spend, socialledger_mmm::ChannelGroup::Event));
    assert_eq!(kind("webinar"), (InputKind::Volume, socialledger_mmm::ChannelGroup::Event));
    assert_eq!(kind("newsletter"), (InputKind::Volume, socialledger_mmm::ChannelGroup::Newsletter));
    assert_eq!(kind("pr"), (InputKind::Volume, socialledger_mmm::ChannelGroup::Pr));
    assert_eq!(kind("campaigns"), (InputKind::Spend, socialledger_mmm::ChannelGroup::Campaign));
    // Instagram gets no time entries in the demo: left out by hours, with a note that says what it costs.
    assert!(has_note(&b, PanelNoteCode::NoInputInPeriod, Some("instagram")));
    assert!(b.notes.iter().any(|n| n.code == PanelNoteCode::TouchpointsOnly && n.text.contains("direct")));
    assert!(has_note(&b, PanelNoteCode::TimeWithoutChannel, None));
    assert!(has_note(&b, PanelNoteCode::HoursBeyondSales, Some("linkedin")));
    assert!(p.controls.is_empty());
    assert_eq!((p.target_name.as_str(), p.currency.as_str()), ("pipeline", "EUR"));
}

/// The daily panel covers the whole simulated period, so its sums must equal the dataset's totals exactly:
/// cost per channel as `cost::costs` computes it (campaign production spend moved to `campaigns`), hours, and
/// the pipeline.
#[test]
fn daily_panel_totals_equal_the_dataset_totals() {
    let ds = demo().dataset();
    let b = build(daily());
    let p = &b.panel;
    assert_eq!((p.dates[0], p.len()), (d("2024-01-01"), 731));
    let report = costs(ds, &Settings::default(), &[]);
    let moved = campaign_spend(ds);
    let mut in_series = 0i64;
    for c in &p.channels {
        let cost: i64 = c.cost.iter().map(|&v| cents(v)).sum();
        in_series += cost;
        if c.key == "campaigns" {
            assert_eq!(cost, moved.values().sum::<i64>());
            continue;
        }
        let row = report.channels.iter().find(|r| r.channel.as_deref() == Some(c.key.as_str())).unwrap();
        assert_eq!(cost, row.total_minor - moved.get(&c.key).copied().unwrap_or(0), "{}", c.key);
        if c.input == InputKind::Hours {
            let minutes: f64 = c.values.iter().map(|h| h * 60.0).sum();
            assert_eq!(minutes.round() as i64, row.minutes, "{}", c.key);
        }
    }
    let instagram = report.channels.iter().find(|r| r.channel.as_deref() == Some("instagram")).unwrap();
    assert_eq!(in_series + instagram.total_minor + report.general.total_minor, report.total_minor);
    let pipeline: i64 = p.target.iter().map(|&v| cents(v)).sum();
    assert_eq!(pipeline, demo().truth().totals.pipeline_minor);
    // Spend channels: input equals spend, which is the cost without staff time.
    for key in ["linkedin-ads", "paid-search", "events", "campaigns"] {
        let c = series(p, key);
        let spend: i64 = c.values.iter().map(|&v| cents(v)).sum();
        let staff = report.channels.iter().find(|r| r.channel.as_deref() == Some(key)).map_or(0, |r| r.staff_minor);
        let cost: i64 = c.cost.iter().map(|&v| cents(v)).sum();
        assert_eq!(spend, cost - staff, "{key}");
    }
}

/// Every week of the weekly panel is the sum of its seven days in the daily panel.
#[test]
fn weeks_are_the_sums_of_their_days() {
    let (w, dl) = (build(PanelOptions::default()).panel, build(daily()).panel);
    assert_eq!(dl.dates[0], w.dates[0]);
    let week_sum = |xs: &[f64], i: usize| -> i64 { xs[7 * i..7 * i + 7].iter().map(|&v| cents(v)).sum() };
    for i in 0..w.len() {
        assert_eq!(cents(w.target[i]), week_sum(&dl.target, i));
        for c in &w.channels {
            let day = series(&dl, &c.key);
            assert_eq!(cents(c.cost[i]), week_sum(&day.cost, i), "{} week {i}", c.key);
            assert_eq!(cents(c.values[i]), week_sum(&day.values, i), "{} week {i}", c.key);
        }
    }
}

/// An organic channel's cost is its hours at each person's hourly cost, rounded per entry (X and Facebook
/// have no cost items in the demo, so their cost is staff time only).
#[test]
fn organic_cost_is_hours_times_rate() {
    let ds = demo().dataset();
    let p = build(PanelOptions::default()).panel;
    for key in ["x", "facebook"] {
        assert!(ds.cost_items.iter().all(|i| i.channel.as_deref() != Some(key)));
        let c = series(&p, key);
        for (i, start) in p.dates.iter().enumerate() {
            let end = *start + chrono::Days::new(6);
            let entries = ds.time_entries.iter().filter(|e| e.channel.as_deref() == Some(key));
            let (mut minutes, mut cost) = (0i64, 0i64);
            for e in entries.filter(|e| *start <= e.date && e.date <= end) {
                let rate = ds.people.iter().find(|p| p.key == e.person).unwrap().hourly_cost.unwrap();
                minutes += e.minutes;
                cost += staff_cost_minor(e.minutes, rate.minor);
            }
            assert_eq!(cents(c.cost[i]), cost, "{key} week {i}");
            assert_eq!((c.values[i] * 60.0).round() as i64, minutes, "{key} week {i}");
        }
    }
}

#[test]
fn organic_channels_by_posts_or_impressions() {
    let ds = demo().dataset();
    let posts = build(PanelOptions { organic_input: OrganicInput::Posts, ..daily() });
    for key in ["linkedin", "x", "facebook", "instagram", "youtube"] {
        let c = series(&posts.panel, key);
        assert_eq!(c.input, InputKind::Posts);
        let n = ds.posts.iter().filter(|p| p.channel == key).count();
        assert_eq!(c.values.iter().sum::<f64>() as usize, n, "{key}");
    }
    // By posts, Instagram is in, and its cost is its boosted-post cost items (no time is logged for it).
    let ig = series(&posts.panel, "instagram");
    let items: i64 =
        ds.cost_items.iter().filter(|i| i.channel.as_deref() == Some("instagram")).map(|i| i.amount.minor).sum();
    assert_eq!(ig.cost.iter().map(|&v| cents(v)).sum::<i64>(), items);
    let imp = build(PanelOptions { organic_input: OrganicInput::Impressions, ..daily() });
    for key in ["linkedin", "youtube"] {
        let total: i64 = ds.channel_days.iter().filter(|d| d.channel == key).filter_map(|d| d.impressions).sum();
        assert_eq!(series(&imp.panel, key).values.iter().sum::<f64>() as i64, total, "{key}");
    }
}

#[test]
fn revenue_and_deal_count_targets() {
    let truth = demo().truth();
    let revenue = build(PanelOptions { target: Target::Revenue, ..daily() }).panel;
    assert_eq!(revenue.target.iter().map(|&v| cents(v)).sum::<i64>(), truth.totals.won_revenue_minor);
    let deals = build(PanelOptions { target: Target::Deals, ..daily() }).panel;
    assert_eq!(deals.target.iter().sum::<f64>() as usize, truth.totals.deals);
    assert_eq!(deals.target_name, "deals");
}

#[test]
fn channel_filter_and_period() {
    let b = build(PanelOptions {
        channels: Some(vec!["linkedin".into(), "campaigns".into()]),
        period: Some((d("2024-03-06"), d("2024-09-30"))),
        ..PanelOptions::default()
    });
    let keys: Vec<&str> = b.panel.channels.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["linkedin", "campaigns"]);
    // Wednesday 6 March to Monday 30 September: whole weeks from Monday 11 March to Sunday 29 September.
    assert_eq!((b.panel.dates[0], b.panel.len()), (d("2024-03-11"), 29));
    assert!(b.notes.iter().any(|n| n.code == PanelNoteCode::EdgesCut
        && n.text.contains("2024-03-06 to 2024-03-10")
        && n.text.contains("2024-09-30 to 2024-09-30")));
    let err = build_panel(
        demo().dataset(),
        &Settings::default(),
        &PanelOptions { channels: Some(vec!["myspace".into()]), ..PanelOptions::default() },
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("myspace") && err.contains("linkedin-ads"), "{err}");
}

/// A small world for the edge rules: an event without a channel, amounts in USD, a deal without an amount,
/// a person without an hourly cost, and a cost item without a channel.
fn small() -> Dataset {
    let mut ds = Dataset { people: vec![person("anna", Some(eur(6000))), person("ben", None)], ..Dataset::default() };
    ds.time_entries = vec![
        entry("e1", "anna", "2024-01-02", 60, Some("linkedin"), Task::Content),
        entry("e2", "ben", "2024-01-09", 30, Some("linkedin"), Task::Content),
        entry("e3", "anna", "2024-01-10", 30, None, Task::Reporting),
    ];
    ds.cost_items =
        vec![item(None, "2024-01-01", eur(3100)), item(Some("linkedin"), "2024-01-01", Money::new(500, Currency::USD))];
    let mut fair = activity("fair", None, "2024-01-08", "2024-01-09", Some(eur(70_000)));
    fair.kind = ActivityKind::Event;
    ds.activities = vec![fair];
    ds.deals = vec![
        deal("D1", Some("a"), Some(eur(100_000)), Some("2024-01-03"), None, DealStatus::Open),
        deal("D2", Some("a"), None, Some("2024-01-16"), None, DealStatus::Open),
        deal("D3", Some("a"), Some(eur(50_000)), None, None, DealStatus::Open),
    ];
    ds.posts = vec![post("linkedin", "p1", Some("2024-01-04T10:00:00Z"))];
    ds
}

#[test]
fn edge_rules_are_noted() {
    let b = build_panel(&small(), &Settings::default(), &PanelOptions::default()).unwrap();
    let p = &b.panel;
    // The data run from 1 January (the cost items' month) to 31 January: whole weeks 1-28 January.
    assert_eq!((p.dates[0], p.len()), (d("2024-01-01"), 4));
    assert_eq!(p.target, [1000.0, 0.0, 0.0, 0.0]);
    let li = series(p, "linkedin");
    assert_eq!(li.values, [1.0, 0.5, 0.0, 0.0]);
    // Ben has no hourly cost: his half hour counts in hours, not in cost; the USD item is left out.
    assert_eq!(li.cost, [60.0, 0.0, 0.0, 0.0]);
    assert_eq!(p.controls.len(), 1);
    assert_eq!(
        (p.controls[0].name.as_str(), p.controls[0].values.as_slice()),
        ("event_activities", &[0.0, 1.0, 0.0, 0.0][..])
    );
    for code in [
        PanelNoteCode::EdgesCut,
        PanelNoteCode::ShortPanel,
        PanelNoteCode::TimeWithoutChannel,
        PanelNoteCode::CostWithoutChannel,
        PanelNoteCode::UncostedTime,
        PanelNoteCode::OtherCurrency,
        PanelNoteCode::DealsLeftOut,
        PanelNoteCode::ActivitiesAsControls,
    ] {
        assert!(has_note(&b, code, None), "no {code:?} note in {:#?}", b.notes);
    }
    // The general cost: 28 of 31 days of the 31.00 EUR item plus the 700.00 EUR fair.
    let general = b.notes.iter().find(|n| n.code == PanelNoteCode::CostWithoutChannel).unwrap();
    assert!(general.text.contains("728.00 EUR"), "{}", general.text);
}

#[test]
fn no_data_or_no_whole_week_is_an_error() {
    let err = build_panel(&Dataset::default(), &Settings::default(), &PanelOptions::default()).unwrap_err();
    assert_eq!(err, AnalyticsError::NoPanelData);
    let opts = PanelOptions { period: Some((d("2024-01-03"), d("2024-01-08"))), ..PanelOptions::default() };
    let err = build_panel(&small(), &Settings::default(), &opts).unwrap_err();
    assert!(matches!(err, AnalyticsError::PanelTooShort { .. }), "{err}");
    let opts = PanelOptions { period: Some((d("2024-01-08"), d("2024-01-01"))), ..PanelOptions::default() };
    assert!(matches!(
        build_panel(&small(), &Settings::default(), &opts).unwrap_err(),
        AnalyticsError::EmptyPeriod { .. }
    ));
}
