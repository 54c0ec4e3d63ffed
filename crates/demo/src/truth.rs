//! The truth behind a simulated world: its parameters, what each channel truly caused (removal effects from
//! common random numbers, and Shapley shares of expected pipeline and revenue), and totals of the written records.

use crate::activities::{self, Plan};
use crate::audience::{self, Audience, AudienceTruth, DimensionValues, OutsiderProfile};
use crate::calendar::Calendar;
use crate::company::{self, ChannelSpec, PersonSpec, CHANNELS, PEOPLE};
use crate::content::{self, Content, ContentParams, SocialParams};
use crate::crm::accounts::{self, AccountParams};
use crate::crm::deals::{self, DealParams, Hazards, Outcome};
use crate::crm::touches::{self, TouchParams, TouchRate};
use crate::crm::Crm;
use crate::time::{self, CostLine, TimeParams, Work, WorkLine};
use crate::DemoConfig;
use serde::Serialize;
use socialledger_domain::{Date, DealStatus, MetricPeriod};
use std::collections::BTreeMap;

/// Version of the generative model; bumped whenever the same seed would give different files. 2: `audience.csv`
/// and `truth.json` → `audience` added (issue 14); the twelve files of version 1 are byte for byte unchanged.
pub const MODEL_VERSION: &str = "socialledger-demo/2";

/// Everything known about a simulated world that its CSV files do not say. Money in integer cents (`*_minor`,
/// EUR) where it is a sum of records; in euros (`*_eur`, float) where it is an expectation.
#[derive(Debug, Clone, Serialize)]
pub struct Truth {
    pub model: &'static str,
    pub seed: u64,
    pub currency: &'static str,
    pub period: Period,
    pub config: DemoConfig,
    pub parameters: Parameters,
    /// Per channel with an effect entry: the true effect, in the order of `config.effects`.
    pub effects: Vec<EffectTruth>,
    /// Expected outcomes of this world's triggers with all effects on (expectation over the deal coin flips
    /// only, given the touches, amounts and sales cycles that were drawn).
    pub expected: Expected,
    /// Expected outcomes with every channel effect switched off (baseline from intent and fit alone).
    pub baseline: Expected,
    /// Share of expected revenue that is baseline (the channels' Shapley revenue shares add up to 1 minus this).
    pub baseline_revenue_share: f64,
    /// Expected pipeline per calendar week and what each channel truly contributes to it, to check a mix
    /// model's decomposition against.
    pub weekly_pipeline: WeeklyPipeline,
    /// Totals of the written records, to check a CSV import against.
    pub totals: Totals,
    /// Full cost per channel (time at hourly cost, cost items, activity spend), in the order of `channels.csv`.
    pub costs: Vec<ChannelCost>,
    /// Time and cost items logged without a channel (social in general).
    pub general_cost: ChannelCost,
    /// Time truly spent but never logged (Instagram): the report should say its cost is understated.
    pub unlogged: Unlogged,
    /// Per social channel: the true share of its followers inside the demo's target group, and the shares per
    /// dimension its `audience.csv` is drawn from (what `socialledger target-group` should find).
    pub audience: Vec<AudienceTruth>,
    /// The hidden buying intent and what it does.
    pub confounding: Confounding,
    /// The experiment this world ran (`socialledger demo --experiment`) and its true effect; absent without.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub experiments: Vec<crate::experiment::ExperimentTruth>,
    /// How each social inbox behaves (`conversations.csv`): conversations a week, true median hours to the first
    /// answer and their spread, the share never answered.
    pub inbox: Vec<crate::inbox::InboxSpec>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Period {
    pub start: Date,
    /// Last simulated day (inclusive).
    pub last: Date,
    pub days: usize,
}

/// The model's parameters as the code uses them (documented in docs/demo-model.md).
#[derive(Debug, Clone, Serialize)]
pub struct Parameters {
    pub channels: &'static [ChannelSpec],
    pub people: &'static [PersonSpec],
    pub plan: activities::PlanParams,
    pub networks: &'static [SocialParams],
    pub content: ContentParams,
    pub work: &'static [WorkLine],
    pub time: TimeParams,
    pub monthly_costs: &'static [CostLine],
    pub accounts: AccountParams,
    pub touch_rates: &'static [TouchRate],
    pub touches: TouchParams,
    pub deals: DealParams,
    pub memorability: &'static [(&'static str, f64)],
    pub audience: AudienceParams,
}

/// The audience model's fixed parameters (the inside shares are in `config.audience`).
#[derive(Debug, Clone, Serialize)]
pub struct AudienceParams {
    /// The target group's values per dimension, and the other values, with their weights.
    pub dimensions: &'static [DimensionValues],
    /// How often an outsider matches each dimension, per channel.
    pub outsiders: &'static [OutsiderProfile],
}

/// Expected deals created, deals won, won revenue and pipeline (amount of the deals created, won or not).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Expected {
    pub deals: f64,
    pub won: f64,
    pub revenue_eur: f64,
    /// Σ over triggers of `P_create · amount`: the expected amount of the deals created (EUR).
    pub pipeline_eur: f64,
}

/// What one channel truly caused.
#[derive(Debug, Clone, Serialize)]
pub struct EffectTruth {
    pub channel: String,
    pub create: f64,
    pub win: f64,
    pub saturation: f64,
    pub half_life_days: f64,
    /// Expected deals, wins and revenue that disappear when only this channel's effect is switched off.
    pub removal_expected: Expected,
    /// Deals, wins and won revenue that disappeared when the same world (same random numbers) was resolved with
    /// this channel's effect off. Never negative: resolution is monotone in the effects.
    pub removal_realized: Realized,
    /// Shapley value of the channel in expected deals created / expected revenue (players: the channels with
    /// an effect; the baseline is always present).
    pub shapley_expected: Expected,
    /// `shapley_expected.deals / expected.deals`: the channel's true share of pipeline (deal count).
    pub pipeline_share: f64,
    /// `shapley_expected.revenue_eur / expected.revenue_eur`: the channel's true share of revenue.
    pub revenue_share: f64,
}

/// The true expected pipeline per calendar week (Monday to Sunday) of deal creation, and each channel's part of
/// it. Amounts in EUR, rounded to the cent; the week a deal counts in is the week of its trigger (its created
/// date). Expectations are over the deal coin flips only, given the drawn touches, amounts and cycles, as for
/// [`Truth::expected`].
///
/// Removal effects do not add up to `expected_eur - baseline_eur`: the creation probability `1 - exp(-H)` is
/// concave in the summed hazard, so removing one channel from a trigger where others also act loses less than
/// the channel would add alone, and the removals of all channels sum to less than the total effect. The Shapley
/// values split each trigger's effect exactly (players: the channels with a non-zero hazard there), so
/// `baseline_eur + Σ shapley_eur = expected_eur` in every week (up to the rounding to cents).
#[derive(Debug, Clone, Serialize)]
pub struct WeeklyPipeline {
    pub note: &'static str,
    /// Monday of every calendar week holding a simulated day; the first and last weeks may be partial (`days`).
    pub weeks: Vec<Date>,
    /// Simulated days in each week (7, except possibly the first and the last).
    pub days: Vec<u8>,
    /// Expected pipeline with every effect on.
    pub expected_eur: Vec<f64>,
    /// Expected pipeline with every effect off (intent and fit alone).
    pub baseline_eur: Vec<f64>,
    /// Every channel with a creation effect (`create > 0`), in the order of `config.effects`. Channels that only
    /// raise the win hazard add nothing to pipeline and are not listed.
    pub channels: Vec<WeeklyChannel>,
}

/// One channel's true weekly contribution to pipeline.
#[derive(Debug, Clone, Serialize)]
pub struct WeeklyChannel {
    pub channel: String,
    /// Expected pipeline that disappears in each week when only this channel's effect is switched off; sums to
    /// `effects[].removal_expected.pipeline_eur`.
    pub removal_eur: Vec<f64>,
    /// The channel's Shapley value of expected pipeline in each week; sums to
    /// `effects[].shapley_expected.pipeline_eur`.
    pub shapley_eur: Vec<f64>,
}

const WEEKLY_NOTE: &str = "expected pipeline (EUR of deals created) per Monday-start week of the deal's creation; \
    removal_eur: what disappears when only that channel's effect is off (removals do not add up to the total \
    effect: the creation probability is concave in the hazards); shapley_eur: an exact split, so baseline_eur plus \
    every channel's shapley_eur equals expected_eur";

/// Rounds euros to the cent (keeps truth.json readable and small).
fn cent(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Counted outcomes (a realisation, not an expectation).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Realized {
    pub deals: i64,
    pub won: i64,
    pub revenue_minor: i64,
}

/// Record counts and sums of the written files.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub channels: usize,
    pub posts: BTreeMap<String, usize>,
    pub post_days: usize,
    pub channel_days: usize,
    pub activities: usize,
    pub people: usize,
    pub time_entries: usize,
    pub cost_items: usize,
    pub accounts: usize,
    pub contacts: usize,
    pub leads: usize,
    pub deals: usize,
    pub won: usize,
    pub lost: usize,
    pub open: usize,
    /// Sum of the amounts of won deals.
    pub won_revenue_minor: i64,
    /// Sum of the amounts of all deals.
    pub pipeline_minor: i64,
    pub touchpoints: usize,
    pub touchpoints_by_channel: BTreeMap<String, usize>,
    pub buying_triggers: usize,
    /// Rows of `audience.csv`.
    pub audience_slices: usize,
}

/// Full cost of one channel over the period, in cents.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChannelCost {
    pub channel: String,
    pub minutes: i64,
    pub time_cost_minor: i64,
    pub cost_items_minor: i64,
    pub activity_spend_minor: i64,
    pub total_minor: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unlogged {
    pub channel: &'static str,
    pub posts: usize,
    pub hours: f64,
    /// At the content creator's hourly cost.
    pub cost_minor: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Confounding {
    /// Channels whose visit rates rise with hidden intent while their causal effect is zero.
    pub intent_channels: Vec<&'static str>,
    /// Mean hidden intent of accounts with at least one won deal, and of the others.
    pub mean_intent_buyers: f64,
    pub mean_intent_others: f64,
    pub note: &'static str,
}

impl Truth {
    /// Computes the truth of a simulated world.
    pub(crate) fn build(
        cfg: &DemoConfig,
        cal: &Calendar,
        plan: &Plan,
        content: &Content,
        work: &Work,
        crm: &Crm,
        audience: &Audience,
    ) -> Truth {
        let weeks = Weeks::of(cal);
        let (expected, baseline, shapley, mut weekly) = expectations(cal, crm, cfg, &weeks);
        let mut removal_weekly: Vec<Vec<f64>> = vec![vec![0.0; weeks.n]; cfg.effects.len()];
        let effects = cfg
            .effects
            .iter()
            .enumerate()
            .map(|(e, eff)| {
                let on_without = |x: usize| x != e;
                let mut removal = Expected::default();
                let mut realized = Realized::default();
                for (i, tr) in crm.triggers.iter().enumerate() {
                    let hz = &crm.hazards[i];
                    let value = |on: &dyn Fn(usize) -> bool| -> Expected {
                        let (pc, pw) = hz.probabilities(on);
                        let closes = if deals::closes_in_period(tr, cal.days) { 1.0 } else { 0.0 };
                        let amount = tr.amount_minor as f64 / 100.0;
                        Expected {
                            deals: pc,
                            won: pc * pw * closes,
                            revenue_eur: pc * pw * closes * amount,
                            pipeline_eur: pc * amount,
                        }
                    };
                    let full = value(&|_| true);
                    let without = value(&on_without);
                    removal.deals += full.deals - without.deals;
                    removal.won += full.won - without.won;
                    removal.revenue_eur += full.revenue_eur - without.revenue_eur;
                    removal.pipeline_eur += full.pipeline_eur - without.pipeline_eur;
                    removal_weekly[e][weeks.of_day(tr.day)] += full.pipeline_eur - without.pipeline_eur;
                    let factual = crm.outcomes[i];
                    let counter = deals::resolve(tr, hz, cal.days, on_without);
                    realized.deals += i64::from(factual.created()) - i64::from(counter.created());
                    let won = |o: Outcome| i64::from(o == Outcome::Won);
                    realized.won += won(factual) - won(counter);
                    realized.revenue_minor += (won(factual) - won(counter)) * tr.amount_minor;
                }
                let sh = shapley[e];
                EffectTruth {
                    channel: eff.channel.clone(),
                    create: eff.create,
                    win: eff.win,
                    saturation: eff.saturation,
                    half_life_days: eff.half_life_days,
                    removal_expected: removal,
                    removal_realized: realized,
                    shapley_expected: sh,
                    pipeline_share: ratio(sh.deals, expected.deals),
                    revenue_share: ratio(sh.revenue_eur, expected.revenue_eur),
                }
            })
            .collect();

        let (costs, general_cost) = costs(plan, work);
        let instagram_posts = content.posts.iter().filter(|p| p.channel == company::INSTAGRAM).count();
        let hours = instagram_posts as f64 * time::INSTAGRAM_UNLOGGED_HOURS_PER_POST;
        let creator_rate = PEOPLE[1].hourly_cost_eur;

        let mut buyer = vec![false; crm.population.accounts.len()];
        for (tr, o) in crm.triggers.iter().zip(&crm.outcomes) {
            if *o == Outcome::Won {
                buyer[tr.account] = true;
            }
        }
        let mean_of = |want: bool| {
            let xs: Vec<f64> = crm
                .population
                .accounts
                .iter()
                .zip(&buyer)
                .filter(|(_, b)| **b == want)
                .map(|(a, _)| a.intent)
                .collect();
            ratio(xs.iter().sum(), xs.len() as f64)
        };

        Truth {
            model: MODEL_VERSION,
            seed: cfg.seed,
            currency: "EUR",
            period: Period { start: cal.start, last: cal.date(cal.days - 1), days: cal.days },
            config: cfg.clone(),
            parameters: Parameters {
                channels: &CHANNELS,
                people: &PEOPLE,
                plan: activities::PARAMS,
                networks: &content::NETWORKS,
                content: content::PARAMS,
                work: &time::WORK,
                time: time::PARAMS,
                monthly_costs: &time::COSTS,
                accounts: accounts::PARAMS,
                touch_rates: &touches::RATES,
                touches: touches::PARAMS,
                deals: deals::PARAMS,
                memorability: &deals::MEMORABILITY,
                audience: AudienceParams { dimensions: &audience::DIMENSIONS, outsiders: &audience::OUTSIDERS },
            },
            effects,
            expected,
            baseline,
            baseline_revenue_share: ratio(baseline.revenue_eur, expected.revenue_eur),
            weekly_pipeline: {
                for (c, removal) in weekly
                    .channels
                    .iter_mut()
                    .zip(cfg.effects.iter().zip(removal_weekly).filter(|(e, _)| e.create > 0.0).map(|(_, r)| r))
                {
                    c.removal_eur = removal.into_iter().map(cent).collect();
                }
                weekly
            },
            totals: totals(content, plan, work, crm, audience),
            costs,
            general_cost,
            unlogged: Unlogged {
                channel: company::INSTAGRAM,
                posts: instagram_posts,
                hours,
                cost_minor: (hours * creator_rate as f64 * 100.0).round() as i64,
            },
            audience: audience.truth.clone(),
            confounding: Confounding {
                intent_channels: touches::PARAMS.intent_rates.iter().map(|(c, _, _)| *c).collect(),
                mean_intent_buyers: mean_of(true),
                mean_intent_others: mean_of(false),
                note: "hidden intent raises the baseline deal hazard and direct/organic-search visits; \
                       those channels have no effect, so naive attribution over-credits them",
            },
            experiments: crm
                .experiment
                .iter()
                .map(|run| {
                    let world = crate::experiment::truth::World {
                        cfg,
                        population: &crm.population,
                        triggers: &crm.triggers,
                        hazards: &crm.hazards,
                        outcomes: &crm.outcomes,
                    };
                    crate::experiment::ExperimentTruth::of(run, &world)
                })
                .collect(),
            inbox: Vec::new(),
        }
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        0.0
    } else {
        a / b
    }
}

/// Calendar weeks (Monday to Sunday) over the simulated days.
struct Weeks {
    /// Weekday of the first simulated day, 0 = Monday.
    offset: usize,
    n: usize,
    first_monday: Date,
    days: usize,
}

impl Weeks {
    fn of(cal: &Calendar) -> Weeks {
        let offset = cal.weekday(0) as usize;
        Weeks {
            offset,
            n: (cal.days + offset).div_ceil(7),
            first_monday: cal.start - chrono::Days::new(offset as u64),
            days: cal.days,
        }
    }

    fn of_day(&self, d: usize) -> usize {
        (d + self.offset) / 7
    }

    fn mondays(&self) -> Vec<Date> {
        (0..self.n).map(|w| self.first_monday + chrono::Days::new(7 * w as u64)).collect()
    }

    /// Simulated days in week `w`.
    fn days_in(&self, w: usize) -> u8 {
        let first = (7 * w).max(self.offset);
        let end = (7 * w + 7).min(self.days + self.offset);
        end.saturating_sub(first) as u8
    }
}

/// Expected outcomes with all effects, with none, and each effect's Shapley value, summed over triggers; and
/// the weekly pipeline (removals are filled in by the caller).
fn expectations(
    cal: &Calendar,
    crm: &Crm,
    cfg: &DemoConfig,
    weeks: &Weeks,
) -> (Expected, Expected, Vec<Expected>, WeeklyPipeline) {
    let n_effects = cfg.effects.len();
    let mut full = Expected::default();
    let mut none = Expected::default();
    let mut shapley = vec![Expected::default(); n_effects];
    let mut expected_w = vec![0.0; weeks.n];
    let mut baseline_w = vec![0.0; weeks.n];
    let mut shapley_w = vec![vec![0.0; weeks.n]; n_effects];
    for (tr, hz) in crm.triggers.iter().zip(&crm.hazards) {
        let closes = deals::closes_in_period(tr, cal.days);
        let t = trigger_values(hz, closes, tr.amount_minor as f64 / 100.0);
        let w = weeks.of_day(tr.day);
        expected_w[w] += t.full.pipeline_eur;
        baseline_w[w] += t.none.pipeline_eur;
        add(&mut full, t.full);
        add(&mut none, t.none);
        for (e, (acc, v)) in shapley.iter_mut().zip(t.shapley).enumerate() {
            shapley_w[e][w] += v.pipeline_eur;
            add(acc, v);
        }
    }
    let channels = cfg
        .effects
        .iter()
        .zip(shapley_w)
        .filter(|(e, _)| e.create > 0.0)
        .map(|(e, sh)| WeeklyChannel {
            channel: e.channel.clone(),
            removal_eur: Vec::new(),
            shapley_eur: sh.into_iter().map(cent).collect(),
        })
        .collect();
    let weekly = WeeklyPipeline {
        note: WEEKLY_NOTE,
        weeks: weeks.mondays(),
        days: (0..weeks.n).map(|w| weeks.days_in(w)).collect(),
        expected_eur: expected_w.into_iter().map(cent).collect(),
        baseline_eur: baseline_w.into_iter().map(cent).collect(),
        channels,
    };
    (full, none, shapley, weekly)
}

fn add(acc: &mut Expected, v: Expected) {
    acc.deals += v.deals;
    acc.won += v.won;
    acc.revenue_eur += v.revenue_eur;
    acc.pipeline_eur += v.pipeline_eur;
}

/// One trigger's expected outcomes with all effects, with none, and each effect's Shapley value.
struct TriggerValues {
    full: Expected,
    none: Expected,
    shapley: Vec<Expected>,
}

/// The players are the effects with a non-zero hazard contribution; the value of a coalition T is
/// `P_create(T)` for deals, `P_create(T)·P_win(T)·closes` for wins, and that times `amount` for revenue. The
/// Shapley value is exact, over all 2^n coalitions.
fn trigger_values(hz: &Hazards, closes: bool, amount: f64) -> TriggerValues {
    let n_effects = hz.create.len();
    let closes = if closes { 1.0 } else { 0.0 };
    let players: Vec<usize> = (0..n_effects).filter(|e| hz.create[*e] > 0.0 || hz.win[*e] > 0.0).collect();
    let n = players.len();
    let masks = 1usize << n;
    let mut h = vec![hz.base_create; masks];
    let mut w = vec![hz.base_win; masks];
    for m in 1..masks {
        let low = m.trailing_zeros() as usize;
        let rest = m & (m - 1);
        h[m] = h[rest] + hz.create[players[low]];
        w[m] = w[rest] + hz.win[players[low]];
    }
    let v: Vec<(f64, f64)> = (0..masks)
        .map(|m| {
            let pc = 1.0 - (-h[m]).exp();
            let pw = 1.0 - (-w[m]).exp();
            (pc, pc * pw * closes)
        })
        .collect();
    let value = |(d, won): (f64, f64)| Expected { deals: d, won, revenue_eur: won * amount, pipeline_eur: d * amount };
    // coef[s] = s! (n - 1 - s)! / n!, the weight of a coalition of size s not containing the player.
    let coef: Vec<f64> = (0..n).map(|s| factorial(s) * factorial(n - 1 - s) / factorial(n)).collect();
    let mut shapley = vec![Expected::default(); n_effects];
    for (k, &e) in players.iter().enumerate() {
        let bit = 1usize << k;
        let (mut d, mut won) = (0.0, 0.0);
        for m in (0..masks).filter(|m| m & bit == 0) {
            let c = coef[m.count_ones() as usize];
            d += c * (v[m | bit].0 - v[m].0);
            won += c * (v[m | bit].1 - v[m].1);
        }
        shapley[e] = value((d, won));
    }
    TriggerValues { full: value(v[masks - 1]), none: value(v[0]), shapley }
}

fn factorial(n: usize) -> f64 {
    (1..=n).map(|k| k as f64).product()
}

fn costs(plan: &Plan, work: &Work) -> (Vec<ChannelCost>, ChannelCost) {
    let mut by: BTreeMap<Option<String>, ChannelCost> = BTreeMap::new();
    let rate = |person: &str| PEOPLE.iter().find(|p| p.key == person).map_or(0, |p| p.hourly_cost_eur * 100);
    for t in &work.time_entries {
        let c = by.entry(t.channel.clone()).or_default();
        c.minutes += t.minutes;
        c.time_cost_minor += t.minutes * rate(&t.person) / 60;
    }
    for item in &work.cost_items {
        by.entry(item.channel.clone()).or_default().cost_items_minor += item.amount.minor;
    }
    for a in &plan.activities {
        if let Some(s) = a.spend {
            by.entry(a.channel.clone()).or_default().activity_spend_minor += s.minor;
        }
    }
    let finish = |mut c: ChannelCost, key: &str| {
        c.channel = key.to_string();
        c.total_minor = c.time_cost_minor + c.cost_items_minor + c.activity_spend_minor;
        c
    };
    let per_channel = CHANNELS
        .iter()
        .map(|ch| finish(by.get(&Some(ch.key.to_string())).cloned().unwrap_or_default(), ch.key))
        .collect();
    let general = finish(by.get(&None).cloned().unwrap_or_default(), "");
    (per_channel, general)
}

fn totals(content: &Content, plan: &Plan, work: &Work, crm: &Crm, audience: &Audience) -> Totals {
    let mut posts = BTreeMap::new();
    for p in &content.posts {
        *posts.entry(p.channel.clone()).or_insert(0) += 1;
    }
    let mut touchpoints_by_channel = BTreeMap::new();
    for t in &crm.touchpoints {
        *touchpoints_by_channel.entry(t.channel.clone()).or_insert(0) += 1;
    }
    let count = |s: DealStatus| crm.deals.iter().filter(|d| d.status == s).count();
    Totals {
        channels: CHANNELS.len(),
        posts,
        post_days: content.days.iter().filter(|m| m.period == Some(MetricPeriod::Day)).count(),
        channel_days: content.channel_days.len(),
        activities: plan.activities.len(),
        people: PEOPLE.len(),
        time_entries: work.time_entries.len(),
        cost_items: work.cost_items.len(),
        accounts: crm.accounts.len(),
        contacts: crm.contacts.len(),
        leads: crm.contacts.iter().filter(|c| c.created_at.is_some()).count(),
        deals: crm.deals.len(),
        won: count(DealStatus::Won),
        lost: count(DealStatus::Lost),
        open: count(DealStatus::Open),
        won_revenue_minor: crm
            .deals
            .iter()
            .filter(|d| d.status == DealStatus::Won)
            .filter_map(|d| d.amount.map(|a| a.minor))
            .sum(),
        pipeline_minor: crm.deals.iter().filter_map(|d| d.amount.map(|a| a.minor)).sum(),
        touchpoints: crm.touchpoints.len(),
        touchpoints_by_channel,
        buying_triggers: crm.triggers.len(),
        audience_slices: audience.slices.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(h: f64) -> f64 {
        1.0 - (-h).exp()
    }

    /// Two players with creation hazards 0.2 and 0.3 over a baseline of 0.1, win certain-ish: the Shapley value
    /// of each is the mean of its two marginal contributions, written out by hand.
    #[test]
    fn shapley_of_two_players_matches_the_hand_formula() {
        let hz = Hazards { base_create: 0.1, base_win: 50.0, create: vec![0.2, 0.0, 0.3], win: vec![0.0, 0.0, 0.0] };
        let t = trigger_values(&hz, true, 1000.0);
        let phi_a = 0.5 * (p(0.3) - p(0.1)) + 0.5 * (p(0.6) - p(0.4));
        let phi_b = 0.5 * (p(0.4) - p(0.1)) + 0.5 * (p(0.6) - p(0.3));
        assert!((t.shapley[0].deals - phi_a).abs() < 1e-12);
        assert!((t.shapley[2].deals - phi_b).abs() < 1e-12);
        assert_eq!(t.shapley[1].deals, 0.0);
        assert!((t.full.deals - p(0.6)).abs() < 1e-12);
        assert!((t.none.deals - p(0.1)).abs() < 1e-12);
        assert!((t.shapley[0].revenue_eur - 1000.0 * t.shapley[0].won).abs() < 1e-9);
    }

    /// Efficiency: the Shapley values add up to v(all) - v(none), for deals and for wins.
    #[test]
    fn shapley_values_add_up_to_the_total_effect() {
        let hz = Hazards {
            base_create: 0.05,
            base_win: 0.2,
            create: vec![0.1, 0.02, 0.0, 0.07, 0.03],
            win: vec![0.04, 0.0, 0.05, 0.12, 0.0],
        };
        let t = trigger_values(&hz, true, 25_000.0);
        let sum = |f: fn(&Expected) -> f64| t.shapley.iter().map(f).sum::<f64>();
        assert!((sum(|e| e.deals) - (t.full.deals - t.none.deals)).abs() < 1e-12);
        assert!((sum(|e| e.won) - (t.full.won - t.none.won)).abs() < 1e-12);
        // A channel that only helps winning still earns revenue credit, none of the deal count.
        assert_eq!(t.shapley[2].deals, 0.0);
        assert!(t.shapley[2].won > 0.0);
        // A deal that cannot close in the period brings no wins.
        let open = trigger_values(&hz, false, 25_000.0);
        assert_eq!(open.full.won, 0.0);
    }
}
