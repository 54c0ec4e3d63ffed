//! The mix model's panel built from a [`Dataset`]: one row per whole week (Monday to Sunday) or day, the
//! outcome, one input series per channel with its full cost, and controls. Pure: the store loads the dataset,
//! `socialledger_mmm` fits the panel.
//!
//! Rules (also in docs/cli.md, `mmm panel`):
//! - **Periods.** Weeks start on Monday. The default period is the whole data range (deals by the target's
//!   date, time entries, posts, channel days, cost items' months, activities; not touchpoints), cut to whole
//!   periods: days before the first Monday and after the last Sunday are left out, with a note. A period given in
//!   [`PanelOptions::period`] (else [`Settings::period`]) is intersected with the data range and cut the same way.
//! - **Target.** [`Target::Pipeline`] (default): amount of the deals created in the period, by created date;
//!   [`Target::Revenue`]: amount of the deals won, by close date; [`Target::Deals`]: number of deals created.
//!   Money in major units of the settings' currency; deals in another currency or without an amount or date are
//!   left out of a money target, with a note.
//! - **Which series a channel becomes** (`channels.rs`): paid channels (kind `paid_social` or `paid_search`, or a
//!   channel with `paid_media` activities) enter by **spend**: cost items plus the spend of every activity on them.
//!   Organic social channels enter by **hours** from time entries (default), or by posts published or impressions
//!   ([`OrganicInput`]). Newsletter, PR, event and webinar channels enter by the spend of their own activities when
//!   these carry spend (trade fairs), else by their **volume**: the sum of the activities' `volume` (newsletter
//!   recipients, PR audience, webinar attendees) when every activity reports one, else the number of activities.
//!   Campaign activities form one series, `campaigns`, by spend (by campaign-days when none has spend), except
//!   campaign spend on a paid channel, which is that channel's media spend. Channels seen only in touchpoints
//!   (organic search, direct, sales meetings) have no input and are left out, with a note.
//! - **Cost** of every series is its full cost, as [`crate::cost::costs`] computes it: time at each person's
//!   hourly cost ([`crate::cost::entry_cost`], one rule), cost items and activity spend. So an organic channel's
//!   cost is hours x rate (plus its cost items, such as a freelancer), and ROI is on full cost for every channel.
//! - **Spreading over days.** A cost item (a month's amount) is spread evenly over the days of its month, an
//!   activity's spend and volume evenly over its days (start to end, inclusive), by largest remainder
//!   ([`crate::cost::spread_daily`]) so no cent is lost or made; a period's value is the sum of its days. Time
//!   entries count on their date, posts on their publication date (UTC).
//! - **Impressions** of an organic channel come from its channel days where it has any impressions there
//!   (account-level, on the day they happen), else from its posts' daily metrics rows, else from each post's
//!   lifetime total on its publication date.
//! - **Controls**: activities without a channel (other than campaigns) become one control per activity kind
//!   (`event_activities`, ...): the number of such activities running in the period. Trend and seasonality are
//!   the model's own terms (`socialledger_mmm::design`), not panel columns.
//! - **Left out, with a note**: series whose input is zero in every period (their cost is then in no series),
//!   time and cost without a channel, amounts in another currency, deals without amount or date.
//!
//! Money is summed exactly in integer minor units per period and converted to `f64` major units once.

mod channels;
#[cfg(test)]
mod identify_tests;
mod periods;
pub mod stats;
#[cfg(test)]
mod tests;

use crate::cost::{entry_cost, people_by_key, spread_daily, EntryCost, VALUE_BEYOND_SALES};
use crate::{month_end, month_start, AnalyticsError, Settings};
use channels::{goes_to_campaigns, is_dated, spend_in, Plan, Role};
use periods::{data_range, Periods};
use serde::{Deserialize, Serialize};
use socialledger_domain::{Currency, Dataset, Date, Deal, DealStatus, MetricPeriod, Money};
use socialledger_mmm::panel::MIN_PERIODS;
use socialledger_mmm::{ControlSeries, Frequency, InputKind, MediaSeries, Panel};
use std::collections::{BTreeMap, BTreeSet};

pub use stats::{summarize, PanelSummary, SeriesSummary};

/// The outcome the panel explains.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// Amount of the deals created in each period, by created date.
    #[default]
    Pipeline,
    /// Amount of the deals won in each period, by close date.
    Revenue,
    /// Number of deals created in each period.
    Deals,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Pipeline => "pipeline",
            Target::Revenue => "revenue",
            Target::Deals => "deals",
        }
    }

    /// The date a deal counts on for this target, `None` when it does not count (not won, or undated).
    fn date_of(self, deal: &Deal) -> Option<Date> {
        match self {
            Target::Pipeline | Target::Deals => deal.created,
            Target::Revenue => (deal.status == DealStatus::Won).then_some(deal.closed).flatten(),
        }
    }
}

/// What an organic social channel's input measures. Hours is the default: it is what the channel really
/// consumes, it exists for every channel with time tracking, and its cost is exactly hours x rate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrganicInput {
    #[default]
    Hours,
    Posts,
    Impressions,
}

impl OrganicInput {
    pub fn input_kind(self) -> InputKind {
        match self {
            OrganicInput::Hours => InputKind::Hours,
            OrganicInput::Posts => InputKind::Posts,
            OrganicInput::Impressions => InputKind::Impressions,
        }
    }
}

/// How to build the panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PanelOptions {
    /// Weekly (Monday-start weeks, default) or daily.
    pub frequency: Frequency,
    pub target: Target,
    pub organic_input: OrganicInput,
    /// Only these series (channel keys, or `campaigns`); `None` keeps every series with input.
    pub channels: Option<Vec<String>>,
    /// Inclusive date range; `None` uses [`Settings::period`], else the whole data range. Cut to whole periods.
    pub period: Option<(Date, Date)>,
}

impl Default for PanelOptions {
    fn default() -> Self {
        PanelOptions {
            frequency: Frequency::Weekly,
            target: Target::default(),
            organic_input: OrganicInput::default(),
            channels: None,
            period: None,
        }
    }
}

/// What a note is about (stable, machine-readable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelNoteCode {
    /// Days at the edges that do not make a whole period were left out.
    EdgesCut,
    /// The requested period reaches beyond the data and was cut to it.
    PeriodBeyondData,
    /// Fewer periods than a mix model needs.
    ShortPanel,
    /// A series with zero input in every period was left out.
    NoInputInPeriod,
    /// Channels seen only in touchpoints have no input.
    TouchpointsOnly,
    /// Time logged without a channel is in no series.
    TimeWithoutChannel,
    /// Cost items or activity spend without a channel are in no series.
    CostWithoutChannel,
    /// Time of people without a usable hourly cost counts in hours but not in cost.
    UncostedTime,
    /// Amounts in another currency than the settings' were left out (never converted).
    OtherCurrency,
    /// Deals without the amount or date the target needs.
    DealsLeftOut,
    /// Activities without a channel became controls.
    ActivitiesAsControls,
    /// How an activity channel's volume is measured.
    VolumeMeasure,
    /// Part of an organic channel's hours is work beyond sales (service, recruiting, PR, procurement).
    HoursBeyondSales,
    /// Time tracking or deals begin well after the panel starts or end well before it ends.
    Coverage,
    /// Controls joined from a file the user gave (`--controls-csv`), and its rows outside the panel.
    ControlsCsv,
}

/// One note on what the panel left out or assumed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelNote {
    pub code: PanelNoteCode,
    /// The series or channel concerned; `None` for the whole panel.
    pub channel: Option<String>,
    /// One plain sentence.
    pub text: String,
}

/// The panel and what was left out or assumed to build it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuiltPanel {
    pub panel: Panel,
    pub notes: Vec<PanelNote>,
}

/// Per-day accumulator of one series: input in its integer unit (minutes, minor units, counts) and cost in
/// minor units.
struct Acc {
    input: Vec<i64>,
    cost: Vec<i64>,
}

/// Builds the mix model's panel from `dataset` (rules in the module docs). Errors when there is no dated data,
/// when the period holds no whole week (or day), or when `opts.channels` names a series the data do not have.
pub fn build_panel(dataset: &Dataset, settings: &Settings, opts: &PanelOptions) -> Result<BuiltPanel, AnalyticsError> {
    let currency = settings.currency;
    let mut notes = Vec::new();
    let (data_from, data_to) = data_range(dataset, opts.target).ok_or(AnalyticsError::NoPanelData)?;
    let (from, to) = match opts.period.or(settings.period) {
        None => (data_from, data_to),
        Some((from, to)) => {
            if to < from {
                return Err(AnalyticsError::EmptyPeriod { from, to });
            }
            if from < data_from || to > data_to {
                notes.push(note(
                    PanelNoteCode::PeriodBeyondData,
                    None,
                    format!(
                        "the period {from} to {to} reaches beyond the data ({data_from} to {data_to}); the panel \
                         covers only the data, so that missing weeks do not read as weeks without activity"
                    ),
                ));
            }
            (from.max(data_from), to.min(data_to))
        }
    };
    let periods = (from <= to)
        .then(|| Periods::inside(opts.frequency, from, to))
        .flatten()
        .ok_or(AnalyticsError::PanelTooShort { from, to, frequency: frequency_name(opts.frequency) })?;
    if periods.first > from || periods.last() < to {
        notes.push(note(PanelNoteCode::EdgesCut, None, edges_text(from, to, &periods)));
    }
    if periods.n < MIN_PERIODS {
        notes.push(note(
            PanelNoteCode::ShortPanel,
            None,
            format!(
                "the panel has {} periods; a mix model needs at least {MIN_PERIODS}, better two years of weeks",
                periods.n
            ),
        ));
    }

    let (mut plans, roles) = channels::plan(dataset, opts.organic_input, currency);
    if let Some(wanted) = &opts.channels {
        for key in wanted {
            if !plans.iter().any(|p| &p.key == key) {
                return Err(AnalyticsError::UnknownPanelChannel {
                    key: key.clone(),
                    known: plans.iter().map(|p| p.key.clone()).collect::<Vec<_>>().join(", "),
                });
            }
        }
        plans.retain(|p| wanted.contains(&p.key));
    }
    let no_input: Vec<&str> = roles.iter().filter(|(_, r)| **r == Role::NoInput).map(|(k, _)| k.as_str()).collect();
    if !no_input.is_empty() && opts.channels.is_none() {
        notes.push(note(
            PanelNoteCode::TouchpointsOnly,
            None,
            format!(
                "{} {} only in touchpoints: nothing the company spends or does, so no input; left out",
                no_input.join(", "),
                if no_input.len() == 1 { "appears" } else { "appear" }
            ),
        ));
    }

    let mut b = Builder { periods, currency, accs: BTreeMap::new(), excluded: BTreeMap::new(), general_minor: 0 };
    for p in &plans {
        b.accs.insert(p.key.clone(), Acc { input: vec![0; periods.days()], cost: vec![0; periods.days()] });
    }
    let plan_of: BTreeMap<&str, &Plan> = plans.iter().map(|p| (p.key.as_str(), p)).collect();
    let campaigns_key = plans.iter().find(|p| p.group == socialledger_mmm::ChannelGroup::Campaign).map(|p| &p.key);

    b.time(dataset, &plan_of, &mut notes);
    b.cost_items(dataset, &plan_of);
    let controls = b.activities(dataset, &plan_of, &roles, campaigns_key, &mut notes);
    b.organic_counts(dataset, &plan_of, opts.organic_input);
    let target = b.target(dataset, opts.target, &mut notes);
    b.currency_notes(&mut notes);

    let mut channels = Vec::new();
    for p in &plans {
        let acc = &b.accs[&p.key];
        let input = b.per_period(&acc.input);
        let cost = b.per_period(&acc.cost);
        if input.iter().all(|&v| v == 0) {
            let spent: i64 = cost.iter().sum();
            let cost_text = if spent > 0 {
                format!("; its cost of {} in these periods is in no series", Money::new(spent, currency))
            } else {
                String::new()
            };
            let hint = if p.role == Role::Organic && opts.organic_input == OrganicInput::Hours {
                " (--organic-input posts or impressions takes it in by what it publishes)"
            } else {
                ""
            };
            notes.push(note(
                PanelNoteCode::NoInputInPeriod,
                Some(&p.key),
                format!("{}: no {} in any period, so it is left out{cost_text}{hint}", p.key, unit_words(p.input)),
            ));
            continue;
        }
        if p.input == InputKind::Volume && p.role == Role::Activity {
            notes.push(note(
                PanelNoteCode::VolumeMeasure,
                Some(&p.key),
                if p.volume_from_field {
                    format!(
                        "{} enters by the volume of its activities (the `volume` of each: recipients, audience, \
                         attendees), spread over each activity's days",
                        p.key
                    )
                } else {
                    format!("{} enters by the number of its activities (not all report a volume)", p.key)
                },
            ));
        }
        channels.push(MediaSeries {
            key: p.key.clone(),
            name: p.name.clone(),
            input: p.input,
            group: p.group,
            values: input.iter().map(|&v| b.input_value(p.input, v)).collect(),
            cost: cost.iter().map(|&c| major(c, currency)).collect(),
        });
    }

    let panel = Panel {
        frequency: opts.frequency,
        dates: periods.dates(),
        target_name: opts.target.as_str().to_string(),
        target,
        currency: currency.as_str().to_string(),
        channels,
        controls,
    };
    notes.sort_by(|a, b| (a.code, &a.channel).cmp(&(b.code, &b.channel)));
    Ok(BuiltPanel { panel, notes })
}

struct Builder {
    periods: Periods,
    currency: Currency,
    accs: BTreeMap<String, Acc>,
    /// Records left out for their currency: (record kind, currency) -> count.
    excluded: BTreeMap<(&'static str, Currency), usize>,
    /// Cost items and activity spend without a channel inside the panel's days, in minor units.
    general_minor: i64,
}

impl Builder {
    /// Sums a per-day series into periods.
    fn per_period(&self, daily: &[i64]) -> Vec<i64> {
        daily.chunks(self.periods.len()).map(|c| c.iter().fold(0i64, |s, v| s.saturating_add(*v))).collect()
    }

    /// A period's input in the series' unit: hours from minutes, major units from minor units, else as counted.
    fn input_value(&self, kind: InputKind, v: i64) -> f64 {
        match kind {
            InputKind::Hours => v as f64 / 60.0,
            InputKind::Spend => major(v, self.currency),
            _ => v as f64,
        }
    }

    fn add(&mut self, key: &str, day: usize, input: i64, cost: i64) {
        if let Some(acc) = self.accs.get_mut(key) {
            acc.input[day] = acc.input[day].saturating_add(input);
            acc.cost[day] = acc.cost[day].saturating_add(cost);
        }
    }

    /// Time entries: hours to the input of hours series, staff cost to every series' cost.
    fn time(&mut self, dataset: &Dataset, plans: &BTreeMap<&str, &Plan>, notes: &mut Vec<PanelNote>) {
        let people = people_by_key(dataset);
        let (mut general_minutes, mut general_cost) = (0i64, 0i64);
        let mut uncosted = 0i64;
        let mut beyond: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        let mut first_last: Option<(Date, Date)> = None;
        for e in &dataset.time_entries {
            let Some(day) = self.periods.day_index(e.date) else { continue };
            first_last = Some(first_last.map_or((e.date, e.date), |(a, b)| (a.min(e.date), b.max(e.date))));
            let cost = match entry_cost(&people, e, self.currency) {
                EntryCost::Costed(c) => c,
                EntryCost::OtherCurrency(other) => {
                    *self.excluded.entry(("hourly cost", other)).or_default() += 1;
                    uncosted += e.minutes;
                    0
                }
                EntryCost::NoHourlyCost | EntryCost::UnknownPerson => {
                    uncosted += e.minutes;
                    0
                }
            };
            let Some(plan) = e.channel.as_deref().and_then(|c| plans.get(c)) else {
                if e.channel.is_none() {
                    general_minutes += e.minutes;
                    general_cost += cost;
                }
                continue;
            };
            let hours = plan.input == InputKind::Hours;
            if plan.role == Role::Organic && hours {
                let b = beyond.entry(plan.key.as_str()).or_default();
                b.0 += e.minutes;
                if VALUE_BEYOND_SALES.contains(&e.task) {
                    b.1 += e.minutes;
                }
            }
            let key = plan.key.clone();
            self.add(&key, day, if hours { e.minutes } else { 0 }, cost);
        }
        if general_minutes > 0 {
            notes.push(note(
                PanelNoteCode::TimeWithoutChannel,
                None,
                format!(
                    "{} hours ({}) were logged without a channel (reporting, procurement, ...): they are in no series",
                    hours_text(general_minutes),
                    Money::new(general_cost, self.currency)
                ),
            ));
        }
        if uncosted > 0 {
            notes.push(note(
                PanelNoteCode::UncostedTime,
                None,
                format!(
                    "{} hours of people without an hourly cost in {} count as hours but not as cost",
                    hours_text(uncosted),
                    self.currency
                ),
            ));
        }
        for (key, (all, other)) in beyond {
            if other > 0 && all > 0 {
                notes.push(note(
                    PanelNoteCode::HoursBeyondSales,
                    Some(key),
                    format!(
                        "{key}: {:.0} % of its {} hours are customer service, recruiting, PR or procurement; they \
                         count as its input, because they are what the channel consumes",
                        100.0 * other as f64 / all as f64,
                        hours_text(all)
                    ),
                ));
            }
        }
        if let Some((first, last)) = first_last {
            self.coverage("time entries", first, last, notes);
        }
    }

    /// Notes a kind of record whose dates begin or end more than four weeks inside the panel: the periods
    /// outside read as zero, which may be missing tracking rather than no work.
    fn coverage(&self, what: &str, first: Date, last: Date, notes: &mut Vec<PanelNote>) {
        let late = (first - self.periods.first).num_days();
        let early = (self.periods.last() - last).num_days();
        if late > 28 || early > 28 {
            notes.push(note(
                PanelNoteCode::Coverage,
                None,
                format!(
                    "{what} run from {first} to {last}, inside the panel's {} to {}: the periods outside show \
                     zero, which may be missing records rather than none (--from/--to narrow the panel)",
                    self.periods.first,
                    self.periods.last()
                ),
            ));
        }
    }

    /// Cost items spread evenly over their month's days: cost of their channel's series, and its input when
    /// the series is measured by spend.
    fn cost_items(&mut self, dataset: &Dataset, plans: &BTreeMap<&str, &Plan>) {
        for item in &dataset.cost_items {
            if item.amount.currency != self.currency {
                *self.excluded.entry(("cost item", item.amount.currency)).or_default() += 1;
                continue;
            }
            let plan = item.channel.as_deref().and_then(|c| plans.get(c));
            for (date, part) in spread_daily(month_start(item.month), month_end(item.month), item.amount.minor) {
                let Some(day) = self.periods.day_index(date) else { continue };
                match plan {
                    Some(p) => {
                        let key = p.key.clone();
                        let input = if p.input == InputKind::Spend && p.role != Role::Organic { part } else { 0 };
                        self.add(&key, day, input, part);
                    }
                    None if item.channel.is_none() => self.general_minor = self.general_minor.saturating_add(part),
                    None => {}
                }
            }
        }
    }

    /// Activities: spend and volume spread over their days to their series; channel-less ones (but campaigns)
    /// become controls: per kind, the number of such activities running in each period.
    fn activities(
        &mut self,
        dataset: &Dataset,
        plans: &BTreeMap<&str, &Plan>,
        roles: &BTreeMap<String, Role>,
        campaigns_key: Option<&String>,
        notes: &mut Vec<PanelNote>,
    ) -> Vec<ControlSeries> {
        let mut controls: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        let mut as_controls = 0usize;
        for a in &dataset.activities {
            if let Some(s) = a.spend.filter(|s| s.currency != self.currency) {
                *self.excluded.entry(("activity", s.currency)).or_default() += 1;
            }
            let spend = spend_in(a, self.currency);
            let to_campaigns = goes_to_campaigns(a, roles);
            if a.channel.is_none() && !to_campaigns {
                as_controls += 1;
                let running: BTreeSet<usize> = a
                    .start
                    .iter_days()
                    .take_while(|d| *d <= a.end.max(a.start))
                    .filter_map(|d| self.periods.day_index(d))
                    .map(|day| day / self.periods.len())
                    .collect();
                let values = controls
                    .entry(format!("{}_activities", a.kind.as_str()))
                    .or_insert_with(|| vec![0.0; self.periods.n]);
                for p in running {
                    values[p] += 1.0;
                }
                for (date, part) in spread_daily(a.start, a.end, spend) {
                    if self.periods.day_index(date).is_some() {
                        self.general_minor = self.general_minor.saturating_add(part);
                    }
                }
                continue;
            }
            let plan = if to_campaigns {
                campaigns_key.and_then(|k| plans.get(k.as_str()))
            } else {
                a.channel.as_deref().and_then(|c| plans.get(c))
            };
            let Some(p) = plan else { continue };
            let key = p.key.clone();
            let spend_is_input = p.input == InputKind::Spend && p.role != Role::Organic;
            for (date, part) in spread_daily(a.start, a.end, spend) {
                if let Some(day) = self.periods.day_index(date) {
                    self.add(&key, day, if spend_is_input { part } else { 0 }, part);
                }
            }
            if p.input == InputKind::Volume {
                let volume = if to_campaigns {
                    // Campaign-days: one per day the campaign activity runs.
                    (a.end.max(a.start) - a.start).num_days() + 1
                } else if p.role == Role::Activity && is_dated(a.kind) {
                    if p.volume_from_field {
                        a.volume.unwrap_or(0).max(0)
                    } else {
                        1
                    }
                } else {
                    0
                };
                for (date, part) in spread_daily(a.start, a.end, volume) {
                    if let Some(day) = self.periods.day_index(date) {
                        self.add(&key, day, part, 0);
                    }
                }
            }
        }
        if as_controls > 0 {
            notes.push(note(
                PanelNoteCode::ActivitiesAsControls,
                None,
                format!(
                    "{as_controls} activities without a channel are controls (one per kind: how many run in each \
                     period), not channels; their spend is in no series"
                ),
            ));
        }
        if self.general_minor > 0 {
            notes.push(note(
                PanelNoteCode::CostWithoutChannel,
                None,
                format!(
                    "{} of cost items and activity spend without a channel (tools, listening) is in no series",
                    Money::new(self.general_minor, self.currency)
                ),
            ));
        }
        controls.into_iter().map(|(name, values)| ControlSeries { name, values }).collect()
    }

    /// Posts by publication date, or impressions (channel days, else daily post rows, else lifetime totals at
    /// publication), for organic series measured that way.
    fn organic_counts(&mut self, dataset: &Dataset, plans: &BTreeMap<&str, &Plan>, organic: OrganicInput) {
        let wanted: Vec<String> = plans
            .values()
            .filter(|p| p.role == Role::Organic && p.input == organic.input_kind())
            .map(|p| p.key.clone())
            .collect();
        match organic {
            OrganicInput::Hours => {}
            OrganicInput::Posts => {
                for post in dataset.posts.iter().filter(|p| wanted.contains(&p.channel)) {
                    if let Some(day) = post.published_at.and_then(|t| self.periods.day_index(t.date_naive())) {
                        let key = post.channel.clone();
                        self.add(&key, day, 1, 0);
                    }
                }
            }
            OrganicInput::Impressions => {
                for key in wanted {
                    for (date, n) in impressions(dataset, &key) {
                        if let Some(day) = self.periods.day_index(date) {
                            self.add(&key, day, n, 0);
                        }
                    }
                }
            }
        }
    }

    /// The target per period.
    fn target(&mut self, dataset: &Dataset, target: Target, notes: &mut Vec<PanelNote>) -> Vec<f64> {
        let mut daily = vec![0i64; self.periods.days()];
        let (mut undated, mut no_amount) = (0usize, 0usize);
        let mut first_last: Option<(Date, Date)> = None;
        for d in &dataset.deals {
            if target == Target::Revenue && d.status != DealStatus::Won {
                continue;
            }
            let Some(date) = target.date_of(d) else {
                undated += 1;
                continue;
            };
            let Some(day) = self.periods.day_index(date) else { continue };
            first_last = Some(first_last.map_or((date, date), |(a, b)| (a.min(date), b.max(date))));
            let value = match (target, d.amount) {
                (Target::Deals, _) => 1,
                (_, Some(m)) if m.currency == self.currency => m.minor,
                (_, Some(m)) => {
                    *self.excluded.entry(("deal", m.currency)).or_default() += 1;
                    continue;
                }
                (_, None) => {
                    no_amount += 1;
                    continue;
                }
            };
            daily[day] = daily[day].saturating_add(value);
        }
        if undated + no_amount > 0 {
            let date = if target == Target::Revenue { "close date" } else { "created date" };
            notes.push(note(
                PanelNoteCode::DealsLeftOut,
                None,
                format!(
                    "{undated} deals without a {date} and {no_amount} without an amount are not in the {} target",
                    target.as_str()
                ),
            ));
        }
        if let Some((first, last)) = first_last {
            self.coverage(if target == Target::Revenue { "won deals" } else { "deals" }, first, last, notes);
        }
        self.per_period(&daily)
            .into_iter()
            .map(|v| if target == Target::Deals { v as f64 } else { major(v, self.currency) })
            .collect()
    }

    fn currency_notes(&self, notes: &mut Vec<PanelNote>) {
        for ((what, other), n) in &self.excluded {
            notes.push(note(
                PanelNoteCode::OtherCurrency,
                None,
                format!(
                    "{n} {what} records in {other} are left out (the panel is in {}; never converted)",
                    self.currency
                ),
            ));
        }
    }
}

/// Daily impressions of one channel: its channel days where any reports impressions, else its posts' daily
/// rows, else each post's lifetime total (latest snapshot) on its publication date.
fn impressions(dataset: &Dataset, key: &str) -> Vec<(Date, i64)> {
    let days: Vec<(Date, i64)> = dataset
        .channel_days
        .iter()
        .filter(|d| d.channel == key)
        .filter_map(|d| Some((d.date?, d.impressions?)))
        .collect();
    if !days.is_empty() {
        return days;
    }
    let rows: Vec<(Date, i64)> = dataset
        .post_metrics
        .iter()
        .filter(|m| m.channel == key && m.period == Some(MetricPeriod::Day))
        .filter_map(|m| Some((m.date?, m.impressions?)))
        .collect();
    if !rows.is_empty() {
        return rows;
    }
    crate::engagement::post_engagement(dataset, &Settings::default())
        .into_iter()
        .filter(|p| p.channel == key)
        .filter_map(|p| Some((p.published_at?.date_naive(), p.impressions?)))
        .collect()
}

fn note(code: PanelNoteCode, channel: Option<&str>, text: String) -> PanelNote {
    PanelNote { code, channel: channel.map(str::to_string), text }
}

/// Minor units as major units of `currency` (cents to euros).
fn major(minor: i64, currency: Currency) -> f64 {
    minor as f64 / 10f64.powi(currency.exponent() as i32)
}

/// Minutes as hours with at most one decimal, rounded half away from zero (`621.25` -> `621.3`).
fn hours_text(minutes: i64) -> String {
    let text = format!("{:.1}", (minutes as f64 / 6.0).round() / 10.0);
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

fn unit_words(kind: InputKind) -> &'static str {
    match kind {
        InputKind::Spend => "spend",
        InputKind::Hours => "hours logged",
        InputKind::Posts => "posts",
        InputKind::Impressions => "impressions",
        InputKind::Volume => "activity volume",
        InputKind::Column => "values",
    }
}

fn frequency_name(f: Frequency) -> &'static str {
    match f {
        Frequency::Weekly => "week (Monday to Sunday)",
        Frequency::Daily => "day",
    }
}

fn edges_text(from: Date, to: Date, p: &Periods) -> String {
    let mut parts = Vec::new();
    if p.first > from {
        let before = p.first.pred_opt().unwrap_or(p.first);
        parts.push(format!("{from} to {before} before the first whole week"));
    }
    if p.last() < to {
        let after = p.last().succ_opt().unwrap_or(to);
        parts.push(format!("{after} to {to} after the last"));
    }
    format!("the days {} are left out: a panel holds whole weeks only", parts.join(" and "))
}
