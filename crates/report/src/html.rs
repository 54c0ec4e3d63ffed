//! The report as one self-contained HTML page: inline CSS, inline SVG charts, no script, nothing loaded from the
//! network, and every text from the data escaped (maud escapes all interpolated text; the charts escape their
//! own).

use crate::charts;
use crate::contents::Contents;
use crate::figures;
use crate::models::{self, REFERENCE_MODEL};
use crate::readings::hours::with_hours;
use crate::readings::Reading;
use crate::svg::KeyEntry;
use crate::table::ChannelRow;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use socialledger_analytics::attribution::comparison::{ComparedShare, ModelFamily};
use socialledger_analytics::cost::VALUE_BEYOND_SALES;
use socialledger_analytics::{Model, Severity};
use socialledger_domain::{Currency, Money};

/// Screen and print styles. System fonts only. Laid out for a 1280 px laptop first: the page is at most 1,200 px
/// wide, numbers and channel names never wrap, and each table fits without scrolling sideways. Print lets
/// sections flow (a forced break before each left pages two-thirds empty) and keeps charts, tables and reading
/// boxes whole instead.
const CSS: &str = r#"
:root { --text: #222; --muted: #555; --line: #ddd; --bg: #fff; --panel: #f6f7f9; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 48px; }
header h1 { margin: 0 0 4px; font-size: 1.7rem; }
header .lead { margin: 0 0 16px; color: var(--muted); }
dl.settings { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 16px; margin: 0;
  font-size: .9rem; }
dl.settings dt { color: var(--muted); }
dl.settings dd { margin: 0; }
section { margin-top: 40px; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
h3 { font-size: 1rem; margin: 16px 0 4px; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr)); gap: 12px; }
.figure { background: var(--panel); border-radius: 6px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.figure .value { font-size: 1.6rem; font-weight: 600; line-height: 1.25; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
.figure .unit { font-size: .65em; font-weight: 600; color: var(--muted); }
.figure .label { color: var(--muted); font-size: .9rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .86rem; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: var(--panel); vertical-align: bottom; font-size: .8rem; }
thead th.group { text-align: center; border-bottom: 1px solid #bbb; }
tr.total td { font-weight: 600; border-top: 2px solid var(--text); }
tr.general td { color: var(--muted); }
td.na, td.undecided { color: var(--muted); }
td .interval { display: block; color: var(--muted); font-size: .75rem; }
table.comparison th, table.comparison td { padding: 4px 6px; }
table.answers { width: auto; min-width: 50%; }
table.answers td:nth-child(2) { text-align: left; }
p.table-note { margin: 4px 0 8px; color: var(--muted); font-size: .9rem; }
figure { margin: 12px 0; }
figure svg { display: block; width: 100%; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .85rem; margin-top: 4px; }
.chart-key { margin: 4px 0 16px; font-size: .85rem; columns: 2 24em; column-gap: 32px; }
.chart-key h3 { column-span: all; margin-top: 8px; }
.chart-key h4 { margin: 8px 0 2px; font-size: .85rem; break-after: avoid; }
.chart-key ol { list-style: none; margin: 0; padding: 0; }
.chart-key li { padding-left: 2.4em; text-indent: -2.4em; break-inside: avoid; }
.chart-key .key-no { display: inline-block; width: 2em; margin-right: .4em; text-indent: 0; text-align: right;
  font-weight: 700; font-variant-numeric: tabular-nums; }
.chart-key .key-date { color: var(--muted); white-space: nowrap; }
.reading { background: var(--panel); border-left: 4px solid var(--accent); padding: 8px 16px 12px; border-radius: 4px; }
.reading h3 { margin-top: 8px; }
.reading ul { margin: 0; padding-left: 20px; }
.callout { border: 2px dashed #009E73; padding: 8px 14px; border-radius: 4px; margin-bottom: 16px; }
ul.notes li { margin: 4px 0; }
.severity { display: inline-block; min-width: 5.5em; font-size: .75rem; font-weight: 600; text-transform: uppercase; }
.severity.warning { color: #D55E00; }
.severity.info { color: var(--muted); }
footer { margin-top: 48px; color: var(--muted); font-size: .8rem; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  section { margin-top: 18pt; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  figure, table, tr, .reading, .callout, .figure { break-inside: avoid; page-break-inside: avoid; }
  .figure, .reading, .callout { box-shadow: none; }
  .table-wrap { overflow: visible; }
  h2 { margin: 14pt 0 6pt; }
  h2 + p, p.table-note { break-inside: avoid; page-break-inside: avoid; break-after: avoid; page-break-after: avoid; }
  .figures { grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 6pt; }
  .figure { padding: 5pt 8pt; }
  .figure .value { font-size: 14pt; }
  .figure .label { font-size: 8.5pt; }
  table { font-size: 8pt; }
  th, td { padding: 3px 6px; }
}
"#;

/// The whole page.
pub fn render(contents: &Contents<'_>) -> String {
    let analysis = contents.input.analysis;
    let title = contents.title();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="socialledger";
                title { (title) }
                style {
                    (PreEscaped(CSS))
                    @if contents.input.mmm.is_some() { (PreEscaped(crate::mmm::html::CSS)) }
                    @if contents.input.verdict.is_some() { (PreEscaped(crate::verdict_html::CSS)) }
                }
            }
            body {
                main {
                    (header(contents, &title))
                    @if let Some(v) = contents.input.verdict { (crate::verdict_html::section(v)) }
                    (summary(contents))
                    (channels_table(contents))
                    section id="cost-revenue" {
                        h2 { "Cost and attributed revenue per channel" }
                        (chart(&charts::cost_revenue(analysis, &contents.rows).to_svg(), &format!(
                            "Bars: full cost and the revenue credited under the {} model. Whiskers: lowest to highest credit over all {} attribution models.",
                            models::label(REFERENCE_MODEL).to_lowercase(), Model::ALL.len())))
                        (reading(&contents.readings.cost_revenue))
                    }
                    section id="engagement" {
                        h2 { "Engagement rate over time" }
                        (chart(&charts::engagement(analysis, &contents.rows, contents.period).to_svg(),
                            "Engagement rate by impressions (engagements / impressions) of the posts published in each month. Gaps: months without impressions."))
                        (reading(&contents.readings.engagement))
                    }
                    section id="rhythm" {
                        h2 { "Base rhythm against campaigns, PR and events" }
                        @if let Some(r) = &contents.rhythm {
                            @let timeline = charts::rhythm(r);
                            @let key = timeline.key();
                            (chart(&timeline.to_svg(), &format!(
                                "Ticks: posts per week per channel (taller = more posts) and newsletter issues. Bars: campaigns, paid media, PR, events and webinars from start to end.{}",
                                if key.is_empty() { "" } else { " Numbered bars are named below." })))
                            (timeline_key(&key))
                        }
                        (reading(&contents.readings.rhythm))
                    }
                    (hours_section(contents))
                    (attribution_section(contents))
                    (comparison_section(contents))
                    @if let Some(mmm) = contents.input.mmm { (crate::mmm::html::section(mmm)) }
                    (notes_section(contents))
                    footer {
                        p { "Generated by socialledger at " (contents.generated_at_for_people()) ". All figures are computed from the imported data; assumptions are listed in the header." }
                    }
                }
            }
        }
    };
    page.into_string()
}

fn money(minor: i64, cur: Currency) -> String {
    figures::money(Money::new(minor, cur))
}

fn money_cell(minor: i64, cur: Currency) -> String {
    figures::money_number(Money::new(minor, cur))
}

fn rate_cell(rate: Option<f64>) -> Markup {
    match rate.filter(|r| r.is_finite()) {
        Some(r) => html! { td { (figures::percent(r, 2)) } },
        None => html! { td.na title="not available" { "n/a" } },
    }
}

fn header(contents: &Contents<'_>, title: &str) -> Markup {
    let s = contents.input.settings;
    let period = contents.period.map_or("no dated records".to_string(), |p| p.describe());
    html! {
        header {
            h1 { (title) }
            p.lead { "What each social channel costs, what it is credited with, and what it does in the marketing mix." }
            dl.settings {
                dt { "Period" } dd { (period) }
                dt { "Generated at" } dd { (contents.generated_at_for_people()) }
                dt { "Currency" } dd { (s.currency.as_str()) }
                dt { "Gross margin (for ROI)" } dd { (figures::percent(s.gross_margin, 1)) }
                dt { "Attribution lookback" } dd { (s.lookback_days) " days" }
                dt { "Time-decay half-life" } dd { (figures::decimal(s.half_life_days, 1)) " days" }
                dt { "Revenue journeys end at" } dd { "deal " (s.journey_end.as_str()) }
                dt { "Attribution models" } dd { (Model::ALL.len()) " heuristic models, side by side" }
            }
        }
    }
}

fn summary(contents: &Contents<'_>) -> Markup {
    let s = &contents.summary;
    let cur = contents.input.analysis.currency;
    let vbs_share =
        if s.hours > 0.0 { figures::percent(s.value_beyond_sales_hours / s.hours, 0) } else { "0%".to_string() };
    let major = |minor: i64| money_cell(minor, cur);
    let code = cur.as_str().to_string();
    // (number, unit, what it is): the unit is set smaller, and the number never wraps.
    let cards: Vec<(String, String, String)> = vec![
        (
            major(s.total_cost_minor),
            code.clone(),
            format!(
                "full cost (staff, items, activities), {} of it not on a channel",
                money(s.general_cost_minor, cur)
            ),
        ),
        (
            figures::decimal(s.hours, 1),
            "h".to_string(),
            format!("tracked, {} ({vbs_share}) for value beyond sales", figures::hours(s.value_beyond_sales_hours)),
        ),
        (
            major(s.pipeline_minor),
            code.clone(),
            format!("pipeline created in {}", crate::readings::count(s.pipeline_deals, "deal", "deals")),
        ),
        (
            major(s.revenue_minor),
            code,
            format!("revenue won in {}", crate::readings::count(s.won_deals, "deal", "deals")),
        ),
        (
            s.attributed_share().map_or("n/a".to_string(), |x| figures::percent(x, 0)),
            String::new(),
            "of revenue credited to some channel by the heuristic models: credit for being present, not what the \
             channels caused (that is on the first page)"
                .to_string(),
        ),
        (
            figures::group_thousands(s.channels as u64),
            String::new(),
            format!(
                "channels; {} data notes",
                crate::readings::count(s.warnings as u64, "warning in the", "warnings in the")
            ),
        ),
    ];
    html! {
        section id="summary" class=[contents.input.verdict.is_none().then_some("first")] {
            h2 { "Key figures" }
            div.figures {
                @for (value, unit, label) in &cards {
                    div.figure {
                        div.value { (value) @if !unit.is_empty() { " " span.unit { (unit) } } }
                        div.label { (label) }
                    }
                }
            }
        }
    }
}

/// The channels in two tables that each fit a laptop screen: what a channel costs, does and is credited with;
/// then its return on investment under each attribution model.
fn channels_table(contents: &Contents<'_>) -> Markup {
    let analysis = contents.input.analysis;
    let cur = analysis.currency;
    let general = &analysis.costs.general;
    let has_general = general.total_minor != 0 || general.minutes != 0;
    let range = |lo: i64, hi: i64| {
        if lo == hi {
            money_cell(lo, cur)
        } else {
            format!("{} – {}", money_cell(lo, cur), money_cell(hi, cur))
        }
    };
    html! {
        section id="channels" {
            h2 { "Channels" }
            h3 { "Cost, engagement and credited value" }
            p.table-note { "Money in " (cur.as_str()) ". Pipeline and revenue: lowest to highest credit over the "
                (Model::ALL.len()) " attribution models." }
            div.table-wrap {
                table.channels {
                    thead {
                        tr {
                            th rowspan="2" { "Channel" }
                            th rowspan="2" { "Full cost" }
                            th rowspan="2" { "Hours" }
                            th.group colspan="2" { "Engagement rate" }
                            th.group colspan="2" { "Attributed (lowest – highest)" }
                        }
                        tr {
                            th title="engagements / impressions" { "by impressions" }
                            th title="engagements per post / latest follower count" { "by followers" }
                            th { "Pipeline" }
                            th { "Revenue" }
                        }
                    }
                    tbody {
                        @for row in &contents.rows {
                            tr {
                                td { (row.name) }
                                td { (money_cell(row.cost_minor, cur)) }
                                td { (figures::decimal(row.hours, 1)) }
                                (rate_cell(row.engagement_rate_by_impressions))
                                (rate_cell(row.engagement_rate_by_followers))
                                td { (range(row.pipeline_min_minor, row.pipeline_max_minor)) }
                                td { (range(row.revenue_min_minor, row.revenue_max_minor)) }
                            }
                        }
                        @if has_general {
                            tr.general {
                                td { "Social in general (no channel)" }
                                td { (money_cell(general.total_minor, cur)) }
                                td { (figures::decimal(general.hours, 1)) }
                                td colspan="4" {}
                            }
                        }
                        tr.total {
                            td { "Total" }
                            td { (money_cell(contents.summary.total_cost_minor, cur)) }
                            td { (figures::decimal(contents.summary.hours, 1)) }
                            td colspan="2" {}
                            td { (money_cell(analysis.attribution.pipeline_minor, cur)) }
                            td { (money_cell(analysis.attribution.revenue_minor, cur)) }
                        }
                    }
                }
            }
            h3 { "Return on investment by attribution model" }
            p.table-note { "ROI = (credited revenue × " (figures::percent(analysis.settings.gross_margin, 0))
                " gross margin − full cost) / full cost, under each model. n/a: the channel has no cost to divide by." }
            div.table-wrap {
                table.roi {
                    thead {
                        tr {
                            th rowspan="2" { "Channel" }
                            th rowspan="2" { "Full cost" }
                            th.group colspan=(Model::ALL.len()) { "ROI by attribution model" }
                        }
                        tr {
                            @for m in Model::ALL { th { (models::label(m)) } }
                        }
                    }
                    tbody {
                        @for row in &contents.rows {
                            tr {
                                td { (row.name) }
                                td { (money_cell(row.cost_minor, cur)) }
                                @for m in Model::ALL {
                                    @match row.model(m).and_then(|f| f.roi).filter(|r| r.is_finite()) {
                                        Some(r) => td { (figures::roi_full(r)) },
                                        None => td.na title="no cost to divide by" { "n/a" },
                                    }
                                }
                            }
                        }
                        @if has_general {
                            tr.general {
                                td { "Social in general (no channel)" }
                                td { (money_cell(general.total_minor, cur)) }
                                td colspan=(Model::ALL.len()) {}
                            }
                        }
                        tr.total {
                            td { "Total" }
                            td { (money_cell(contents.summary.total_cost_minor, cur)) }
                            td colspan=(Model::ALL.len()) {}
                        }
                    }
                }
            }
        }
    }
}

pub(crate) fn chart(svg: &str, caption: &str) -> Markup {
    html! {
        figure {
            (PreEscaped(svg))
            figcaption { (caption) }
        }
    }
}

/// The names and dates of the timeline's numbered bars, grouped by row, in number order.
fn timeline_key(key: &[KeyEntry]) -> Markup {
    let mut rows: Vec<(&str, Vec<&KeyEntry>)> = Vec::new();
    for e in key {
        match rows.last_mut() {
            Some((row, entries)) if *row == e.row => entries.push(e),
            _ => rows.push((&e.row, vec![e])),
        }
    }
    let dates = |e: &KeyEntry| {
        if e.start == e.end {
            e.start.to_string()
        } else {
            format!("{} to {}", e.start, e.end)
        }
    };
    html! {
        @if !key.is_empty() {
            div.chart-key {
                h3 { "Numbered bars" }
                @for (row, entries) in &rows {
                    h4 { (row) }
                    ol {
                        @for e in entries {
                            li { span.key-no { (e.number) } (e.label) " " span.key-date { "(" (dates(e)) ")" } }
                        }
                    }
                }
            }
        }
    }
}

fn reading(r: &Reading) -> Markup {
    html! {
        div.reading {
            h3 { "What it says" }
            ul { @for s in &r.says { li { (s) } } }
            @if !r.certainty.is_empty() {
                h3 { "How sure we are" }
                ul { @for s in &r.certainty { li { (s) } } }
            }
            h3 { "What is missing" }
            @if r.missing.is_empty() {
                p { "No data note concerns this chart." }
            } @else {
                ul { @for s in &r.missing { li { (s) } } }
            }
        }
    }
}

fn hours_section(contents: &Contents<'_>) -> Markup {
    let analysis = contents.input.analysis;
    let beyond: Vec<(&ChannelRow, Vec<String>, f64)> = with_hours(analysis, &contents.rows)
        .into_iter()
        .filter(|(_, c)| c.value_beyond_sales_minutes > 0)
        .map(|(r, c)| {
            let tasks = c
                .by_task
                .iter()
                .filter(|t| VALUE_BEYOND_SALES.contains(&t.task) && t.minutes > 0)
                .map(|t| format!("{} {}", crate::readings::hours::task_label(t.task), figures::hours(t.hours)))
                .collect();
            (r, tasks, c.value_beyond_sales_hours)
        })
        .collect();
    html! {
        section id="hours" {
            h2 { "Hours per channel and task" }
            (chart(&charts::hours(analysis, &contents.rows).to_svg(),
                "Tracked hours per channel, stacked by task. Hatched segments: customer service, recruiting, PR and procurement."))
            div.callout {
                h3 { "Value beyond sales" }
                @if beyond.is_empty() {
                    p { "No tracked time went to customer service, recruiting, PR or procurement." }
                } @else {
                    p { (figures::hours(contents.summary.value_beyond_sales_hours)) " of " (figures::hours(contents.summary.hours))
                        " went to work whose value the revenue figures do not capture:" }
                    ul {
                        @for (row, tasks, h) in &beyond {
                            li { strong { (row.name) } ": " (figures::hours(*h)) " (" (crate::readings::join_and(tasks)) ")" }
                        }
                    }
                }
            }
            (reading(&contents.readings.hours))
        }
    }
}

fn attribution_section(contents: &Contents<'_>) -> Markup {
    let analysis = contents.input.analysis;
    let cur = analysis.currency;
    let credited: Vec<&ChannelRow> = contents.rows.iter().filter(|r| r.is_credited()).collect();
    let table = |what: &str, value: fn(&ChannelRow, Model) -> i64, total: i64| {
        html! {
            h3 { (what) " credited per channel and model (" (cur.as_str()) ")" }
            div.table-wrap {
                table {
                    thead {
                        tr {
                            th { "Channel" }
                            @for m in Model::ALL { th { (models::label(m)) } }
                            th title="highest minus lowest credit over the models" { "Spread" }
                        }
                    }
                    tbody {
                        @for row in &credited {
                            @let values: Vec<i64> = Model::ALL.iter().map(|m| value(row, *m)).collect();
                            @let lo = values.iter().copied().min().unwrap_or(0);
                            @let hi = values.iter().copied().max().unwrap_or(0);
                            tr {
                                td { (row.name) }
                                @for v in &values { td { (money_cell(*v, cur)) } }
                                td { (money_cell(hi - lo, cur)) }
                            }
                        }
                        tr.total {
                            td { "Attributed total" }
                            @for _ in Model::ALL { td { (money_cell(total, cur)) } }
                            td {}
                        }
                    }
                }
            }
        }
    };
    let a = &analysis.attribution;
    let pipeline_attributed = a.pipeline_minor - a.unattributed.pipeline_minor;
    let revenue_attributed = a.revenue_minor - a.unattributed.revenue_minor;
    html! {
        section id="attribution" {
            h2 { "Attribution by model" }
            p { "The same deals shared out by " (Model::ALL.len()) " heuristic models over journeys of up to "
                (a.lookback_days) " days (time decay with a half-life of " (figures::decimal(a.half_life_days, 1))
                " days). Where the columns differ, the answer depends on the model rather than on the data." }
            @if credited.is_empty() {
                p { "No channel is credited with pipeline or revenue." }
            } @else {
                (table("Revenue", |r, m| r.model(m).map_or(0, |f| f.revenue_minor), revenue_attributed))
                (table("Pipeline", |r, m| r.model(m).map_or(0, |f| f.pipeline_minor), pipeline_attributed))
            }
            (reading(&contents.readings.attribution))
        }
    }
}

/// A share for a table cell (`31%`), and the bootstrap interval under it when there is one.
fn share_cell(share: Option<&ComparedShare>) -> Markup {
    html! {
        @match share {
            None => td.na { "–" },
            Some(_) => td { (share_cell_text(share)) },
        }
    }
}

/// The inside of [`share_cell`]: the share and its interval, or a dash.
fn share_cell_text(share: Option<&ComparedShare>) -> Markup {
    html! {
        @match share {
            None => "–",
            Some(s) => {
                (figures::percent(s.share, 0))
                @if let (Some(lo), Some(hi)) = (s.low, s.high) {
                    span.interval title="bootstrap interval" { (figures::decimal(lo * 100.0, 0)) "–" (figures::percent(hi, 0)) }
                }
            },
        }
    }
}

/// A narrow column header for a model of the comparison (the full name is its tooltip).
fn column_label(key: &str) -> String {
    match key {
        "markov-1" => "Markov 1".to_string(),
        "markov-2" => "Markov 2".to_string(),
        "incremental" => "Increm.".to_string(),
        "shapley" => "Shapley".to_string(),
        "linear" => "Linear".to_string(),
        "full-path" => "Full path".to_string(),
        other => Model::parse(other).map(|m| models::short(m).to_string()).unwrap_or_else(|_| other.to_string()),
    }
}

fn comparison_section(contents: &Contents<'_>) -> Markup {
    use crate::readings::model_comparison::{channel_name, label, spreads};
    let rows = &contents.rows;
    let reading_markup = reading(&contents.readings.model_comparison);
    let Some(c) = contents.input.comparison else {
        return html! {
            section id="model-comparison" {
                h2 { "Attribution models compared" }
                p { "The data-driven models (Markov chains, Shapley values, the incremental model) were not run for this report." }
                (reading_markup)
            }
        };
    };
    let spread = spreads(c);
    let heuristic: Vec<_> = c.models.iter().filter(|m| m.family == ModelFamily::Heuristic).collect();
    let data_driven: Vec<_> = c.models.iter().filter(|m| m.family == ModelFamily::DataDriven).collect();
    let failed: Vec<_> = c.models.iter().filter(|m| m.error.is_some()).collect();
    let sr = &c.self_reported;
    let level = figures::decimal(c.bootstrap_level * 100.0, 0);
    html! {
        section id="model-comparison" {
            h2 { "Attribution models compared" }
            p { "Each channel's share of the credit under the " (heuristic.len()) " heuristic models (share of the revenue they credit) and the "
                (data_driven.len()) " data-driven models, fitted on " (crate::readings::count(c.journeys.round() as u64, "account journey", "account journeys"))
                " (" (crate::readings::count(c.conversions.round() as u64, "won deal", "won deals")) "; lost deals and accounts without a deal as journeys that did not convert; journeys end when the deal is created), with "
                (level) "% bootstrap intervals from " (c.bootstrap_reps) " resamples. Beside them, what the buyers of the won deals said brought them." }
            @if spread.is_empty() {
                p { "No model credits any channel." }
            } @else {
                (chart(&charts::model_comparison(c, rows).to_svg(),
                    &format!("Bars per channel: the linear model's share (whisker: lowest to highest heuristic model), the Markov (order 1) share (whisker: its {level}% bootstrap interval) and the share of self-reported answers naming the channel. The table below has every model.")))
                div.table-wrap {
                    table.comparison {
                        thead {
                            tr {
                                th {}
                                th.group colspan=(heuristic.len()) { "Heuristic models" }
                                th.group colspan=(data_driven.len()) { "Data-driven (" (level) "% interval below)" }
                                th {}
                                th {}
                            }
                            tr {
                                th { "Channel" }
                                @for m in &heuristic { th title=(label(&m.model)) { (column_label(&m.model)) } }
                                @for m in &data_driven { th title=(label(&m.model)) { (column_label(&m.model)) } }
                                th title="highest minus lowest share over the models, in percentage points" { "Spread (pp)" }
                                th title="share of the answered won deals whose answer names the channel" { "Said" }
                            }
                        }
                        tbody {
                            @for sp in &spread {
                                tr {
                                    td { (channel_name(rows, &sp.channel)) }
                                    @for m in &heuristic { (share_cell(m.share(&sp.channel))) }
                                    @for m in &data_driven {
                                        @if m.error.is_some() { td.na { "not fitted" } }
                                        @else if m.undecided() { td.undecided title="left out of the spread: this model credits the channels with too little to divide" { (share_cell_text(m.share(&sp.channel))) } }
                                        @else { (share_cell(m.share(&sp.channel))) }
                                    }
                                    td { (figures::decimal(sp.points(), 0)) }
                                    (share_cell(sr.by_channel.iter().find(|s| s.channel == sp.channel)))
                                }
                            }
                        }
                    }
                }
                @for m in data_driven.iter().filter(|m| m.undecided()) {
                    @if let Some(cr) = m.credited {
                        p.table-note { strong { (label(&m.model)) ": " } "the channels caused " (figures::percent(cr.fraction, 0))
                            " of the won deals (" (level) "% interval " (figures::percent(cr.low, 0)) " to " (figures::percent(cr.high, 0))
                            "), which may be close to nothing: its shares (greyed) divide that part and are left out of the spread." }
                    }
                }
                p.table-note { "Rows by spread, largest first. Spread: highest minus lowest share over the models, in percentage points. Said: share of the answered won deals whose self-reported source names the channel. A dash: the model lists no credit for the channel (it was on no journey the model uses; sales meetings are on no data-driven journey)." }
            }
            @for m in &failed {
                p { strong { (label(&m.model)) " could not be fitted: " } (m.error.as_deref().unwrap_or_default()) }
            }
            h3 { "Self-reported sources of the won deals" }
            @if sr.answered == 0 {
                p { "No won deal has a self-reported source (\u{201c}how did you hear of us\u{201d})." }
            } @else {
                p { (figures::group_thousands(sr.answered)) " of " (crate::readings::count(sr.won_deals, "won deal", "won deals"))
                    (if sr.answered == 1 { " has" } else { " have" }) " an answer (the deal's own, else one of its account's contacts)." }
                div.table-wrap {
                    table.answers {
                        thead { tr { th { "Answer" } th { "Channel it names" } th { "Won deals" } th { "Share" } } }
                        tbody {
                            @for a in &sr.answers {
                                tr {
                                    td { (a.answer) }
                                    @match &a.channel {
                                        Some(ch) => td { (channel_name(rows, ch)) },
                                        None => td.na { "none or several" },
                                    }
                                    td { (a.deals) }
                                    td { (figures::percent(a.share, 0)) }
                                }
                            }
                        }
                    }
                }
            }
            (reading_markup)
        }
    }
}

fn notes_section(contents: &Contents<'_>) -> Markup {
    let notes = &contents.input.analysis.notes;
    html! {
        section id="notes" {
            h2 { "Data notes" }
            p { "What is missing from the data and which way it biases the figures." }
            @if notes.is_empty() {
                p { "No notes: every figure above rests on complete data as far as the checks can tell." }
            } @else {
                ul.notes {
                    @for n in notes {
                        li {
                            @match n.severity {
                                Severity::Warning => span.severity.warning { "Warning" },
                                Severity::Info => span.severity.info { "Info" },
                            }
                            " " (crate::readings::sentence(&n.text))
                        }
                    }
                }
            }
        }
    }
}
