//! The forward allocator: next quarter's money and staff hours across channels, under a total and per-channel
//! bounds, with carry-over in both directions: what past periods still bring into the quarter is counted (it
//! does not depend on the plan, so it is reported apart), and what the quarter's inputs bring after it ends is
//! counted too (a fair at the end of the quarter pays off in the next).
//!
//! Each channel's plan is an input per period held over the horizon. Channels entering by spend (or by a CSV
//! column, or an activity volume that has a cost) share the money; channels entering by hours share the hours;
//! channels entering by posts or impressions are held at their recent level (their lever is the hours behind
//! them: enter them by hours to plan them). The objective is separable by channel, so the optimum is found by
//! handing out the totals in small steps, each to the channel whose next step brings most (exact for concave
//! response curves, which logistic saturation is; a good heuristic for an S-shaped Hill curve).

use crate::draws::{weighted_quantile, Draws};
use crate::model::{Model, Params};
use crate::panel::{InputKind, Panel};
use crate::result::Estimate;
use crate::MmmError;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// What is allocated.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct AllocateRequest {
    /// Periods planned (13 weeks = next quarter).
    pub horizon: usize,
    /// Money over the horizon for the spend channels (`None`: what they cost in the last `horizon` periods).
    pub budget: Option<f64>,
    /// Staff hours over the horizon for the hours channels (`None`: the last `horizon` periods' hours).
    pub hours: Option<f64>,
    /// Per channel key: minimum and maximum input over the horizon (money or hours).
    pub bounds: BTreeMap<String, (Option<f64>, Option<f64>)>,
}

/// Which resource a channel draws on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Resource {
    Money,
    Hours,
    /// Not allocated: held at its recent level.
    Held,
}

/// One channel's plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AllocationLine {
    pub channel: String,
    pub name: String,
    pub resource: Resource,
    /// Input over the horizon at the recent level (the last `horizon` periods) and as proposed.
    pub current: f64,
    pub proposed: f64,
    pub min: f64,
    pub max: f64,
    /// Full cost over the horizon, current and proposed (money; hours x rate for hours channels).
    pub current_cost: f64,
    pub proposed_cost: f64,
    /// What the plan's input brings over the horizon and carried after it, current and proposed (point
    /// estimate; the past's carry-over into the horizon is in `carried_in`).
    pub contribution_current: f64,
    pub contribution_proposed: f64,
    /// Contribution of the next unit of input (per euro or per hour) at the current and the proposed level.
    pub marginal_current: f64,
    pub marginal_proposed: f64,
    /// The move in words, with its numbers.
    pub explanation: String,
}

/// The plan for the next horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Allocation {
    pub horizon: usize,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub budget: f64,
    pub hours: f64,
    pub channels: Vec<AllocationLine>,
    /// What past inputs still bring into the horizon (the same under every plan).
    pub carried_in: f64,
    /// The channels' contribution (over the horizon and carried after it) at today's split and as proposed,
    /// and the gain of the proposal, each with its interval.
    pub current_total: Estimate,
    pub proposed_total: Estimate,
    pub gain: Estimate,
    /// The outcome expected over the horizon with the proposed plan (baseline, trend, seasonality and
    /// channels; controls at zero).
    pub forecast: Estimate,
    pub notes: Vec<String>,
}

/// Steps in which each resource is handed out.
const STEPS: usize = 400;

struct Channel {
    resource: Resource,
    /// Cost per unit of input (1 for spend; the hourly rate for hours).
    unit_cost: f64,
    current: f64,
    min: f64,
    max: f64,
}

/// Future inputs: history, then `per_period` for `horizon` periods, then `tail` periods of nothing.
fn extended(history: &[f64], per_period: f64, horizon: usize, tail: usize) -> Vec<f64> {
    let mut x = history.to_vec();
    x.extend(std::iter::repeat_n(per_period, horizon));
    x.extend(std::iter::repeat_n(0.0, tail));
    x
}

/// What channel `m`'s `total` input over the horizon brings, in the horizon and carried after it; what the
/// past carries into the horizon is left out (it is the same under every plan: see `carried_in`).
fn future_contribution(model: &Model, p: &Params, panel: &Panel, m: usize, total: f64, horizon: usize) -> f64 {
    let n = panel.len();
    let tail = model.spec.l_max;
    let with = extended(&panel.channels[m].values, total / horizon as f64, horizon, tail);
    let without = extended(&panel.channels[m].values, 0.0, horizon, tail);
    let a: f64 = model.channel_contribution(p, m, &with)[n..].iter().sum();
    let b: f64 = model.channel_contribution(p, m, &without)[n..].iter().sum();
    a - b
}

/// Plans the next `req.horizon` periods.
pub fn allocate(
    model: &Model,
    panel: &Panel,
    point: &Params,
    draws: &Draws,
    level: f64,
    req: &AllocateRequest,
) -> Result<Allocation, MmmError> {
    let n = panel.len();
    let h = req.horizon.max(1);
    let recent = h.min(n);
    let mut notes = Vec::new();
    let mut chans = Vec::new();
    for c in &panel.channels {
        let recent_input: f64 = c.values[n - recent..].iter().sum::<f64>() * h as f64 / recent as f64;
        let total_in: f64 = c.values.iter().sum();
        let total_cost: f64 = c.cost.iter().sum();
        let unit_cost = if total_in > 0.0 { total_cost / total_in } else { 0.0 };
        let resource = match c.input {
            InputKind::Spend | InputKind::Column => Resource::Money,
            InputKind::Volume if unit_cost > 0.0 => Resource::Money,
            InputKind::Hours => Resource::Hours,
            _ => Resource::Held,
        };
        // Money channels are planned in money, so their "input" is converted by cost per unit.
        let to_resource = if resource == Resource::Money && c.input == InputKind::Volume { unit_cost } else { 1.0 };
        let current = recent_input * to_resource;
        // Beyond twice the busiest stretch of history the response curve is extrapolation: bound it there.
        let busiest = c.values.windows(recent).map(|w| w.iter().sum::<f64>()).fold(0.0_f64, f64::max) * h as f64
            / recent as f64
            * to_resource;
        let (lo, hi) = req.bounds.get(&c.key).copied().unwrap_or((None, None));
        let min = lo.unwrap_or(0.0);
        let max = hi.unwrap_or(2.0 * busiest.max(current));
        if min > max {
            return Err(MmmError::Spec(format!("{}: the minimum {min} is above the maximum {max}", c.key)));
        }
        if resource == Resource::Held {
            notes.push(format!(
                "{} enters by {} and is held at its recent level; enter it by hours to plan it",
                c.name,
                c.input.as_str()
            ));
        }
        chans.push(Channel {
            resource,
            unit_cost: if to_resource != 1.0 { 1.0 } else { unit_cost },
            current,
            min,
            max,
        });
    }
    for key in req.bounds.keys() {
        if !panel.channels.iter().any(|c| &c.key == key) {
            return Err(MmmError::Spec(format!("--min/--max name {key}, which is not a channel of the model")));
        }
    }
    let current_of = |r: Resource| chans.iter().filter(|c| c.resource == r).map(|c| c.current).sum::<f64>() + 0.0;
    let budget = req.budget.unwrap_or_else(|| current_of(Resource::Money));
    let hours = req.hours.unwrap_or_else(|| current_of(Resource::Hours));
    // Input of channel m for a resource amount (money channels of volume input convert back).
    let input_of = |m: usize, amount: f64| -> f64 {
        let c = &panel.channels[m];
        if chans[m].resource == Resource::Money && c.input == InputKind::Volume {
            let total_in: f64 = c.values.iter().sum();
            let total_cost: f64 = c.cost.iter().sum();
            amount * total_in / total_cost.max(1e-300)
        } else {
            amount
        }
    };
    let mut proposed: Vec<f64> =
        chans.iter().map(|c| if c.resource == Resource::Held { c.current } else { c.min }).collect();
    for (resource, total) in [(Resource::Money, budget), (Resource::Hours, hours)] {
        let members: Vec<usize> = (0..chans.len()).filter(|&m| chans[m].resource == resource).collect();
        if members.is_empty() {
            continue;
        }
        let floor: f64 = members.iter().map(|&m| chans[m].min).sum();
        let cap: f64 = members.iter().map(|&m| chans[m].max).sum();
        if floor > total + 1e-9 {
            return Err(MmmError::Spec(format!(
                "the minimums of the {} channels add up to {floor:.0}, more than the {total:.0} available",
                if resource == Resource::Money { "money" } else { "hours" }
            )));
        }
        if cap < total {
            notes.push(format!(
                "only {cap:.0} of the {total:.0} {} can be placed within the channels' maximums; the rest stays unplanned",
                if resource == Resource::Money { "money" } else { "hours" }
            ));
        }
        let step = (total - floor).max(0.0) / STEPS as f64;
        if step <= 0.0 {
            continue;
        }
        let mut value: Vec<f64> =
            members.iter().map(|&m| future_contribution(model, point, panel, m, input_of(m, proposed[m]), h)).collect();
        let mut left = total - floor;
        while left > 1e-9 * total.max(1.0) {
            let amount = step.min(left);
            let mut best: Option<(usize, f64, f64)> = None;
            for (i, &m) in members.iter().enumerate() {
                let room = chans[m].max - proposed[m];
                if room <= 1e-12 {
                    continue;
                }
                let add = amount.min(room);
                let v = future_contribution(model, point, panel, m, input_of(m, proposed[m] + add), h);
                let gain = (v - value[i]) / add;
                if best.is_none_or(|b| gain > b.1) {
                    best = Some((i, gain, v));
                }
            }
            let Some((i, _, v)) = best else { break };
            let m = members[i];
            let add = amount.min(chans[m].max - proposed[m]);
            proposed[m] += add;
            value[i] = v;
            left -= add;
        }
    }
    // Figures per channel, and totals per draw for the intervals.
    let plan_value = |p: &Params, plan: &[f64]| -> f64 {
        (0..chans.len()).map(|m| future_contribution(model, p, panel, m, input_of(m, plan[m]), h)).sum()
    };
    let current_plan: Vec<f64> = chans.iter().map(|c| c.current).collect();
    let (ql, qh) = ((1.0 - level) / 2.0, 1.0 - (1.0 - level) / 2.0);
    let w = &draws.weights;
    let cur_d: Vec<f64> = draws.params.iter().map(|p| plan_value(p, &current_plan)).collect();
    let pro_d: Vec<f64> = draws.params.iter().map(|p| plan_value(p, &proposed)).collect();
    let gain_d: Vec<f64> = pro_d.iter().zip(&cur_d).map(|(a, b)| a - b).collect();
    let est = |point: f64, d: &[f64]| Estimate {
        value: point,
        low: weighted_quantile(d, w, ql),
        high: weighted_quantile(d, w, qh),
    };
    let cur_point = plan_value(point, &current_plan);
    let pro_point = plan_value(point, &proposed);
    // Carried in: the past's contribution inside the horizon with nothing spent from now on.
    let carried = |p: &Params| -> f64 {
        (0..chans.len())
            .map(|m| {
                let x = extended(&panel.channels[m].values, 0.0, h, 0);
                model.channel_contribution(p, m, &x)[n..].iter().sum::<f64>()
            })
            .sum()
    };
    let carried_in = carried(point);
    // Forecast of the outcome over the horizon with the proposed plan.
    let start = panel.dates[n - 1] + Duration::days(panel.frequency.days());
    let future_dates: Vec<NaiveDate> =
        (0..n + h).map(|t| panel.dates[0] + Duration::days(panel.frequency.days() * t as i64)).collect();
    let forecast_of = |p: &Params| -> f64 {
        let inputs = crate::predict::Inputs {
            dates: future_dates.clone(),
            channels: (0..chans.len())
                .map(|m| extended(&panel.channels[m].values, input_of(m, proposed[m]) / h as f64, h, 0))
                .collect(),
            controls: panel.controls.iter().map(|c| extended(&c.values, 0.0, h, 0)).collect(),
        };
        let comps = model.components(p, &inputs);
        (n..n + h).map(|t| comps.total(t)).sum()
    };
    let forecast_d: Vec<f64> = draws.params.iter().map(forecast_of).collect();
    let marginal = |m: usize, amount: f64| -> f64 {
        let d = (amount.abs() * 0.01).max(1e-6);
        let a = future_contribution(model, point, panel, m, input_of(m, amount), h);
        let b = future_contribution(model, point, panel, m, input_of(m, amount + d), h);
        (b - a) / d
    };
    let lines = panel
        .channels
        .iter()
        .enumerate()
        .map(|(m, c)| {
            let ch = &chans[m];
            let unit = match ch.resource {
                Resource::Hours => "h",
                _ => "",
            };
            let cost = |amount: f64| if ch.resource == Resource::Hours { amount * ch.unit_cost } else { amount };
            let (mc, mp) = (marginal(m, ch.current), marginal(m, proposed[m]));
            let cc = future_contribution(model, point, panel, m, input_of(m, ch.current), h);
            let cp = future_contribution(model, point, panel, m, input_of(m, proposed[m]), h);
            let per = if ch.resource == Resource::Hours { "hour" } else { "unit of money" };
            let explanation = match ch.resource {
                Resource::Held => format!("{}: held at {:.0} {} (not a money or hours channel)", c.name, ch.current, c.input.as_str()),
                _ if (proposed[m] - ch.current).abs() < 0.005 * ch.current.max(1.0) => format!(
                    "{}: keep {:.0}{unit}; the next {per} brings {:.2} at this level",
                    c.name, ch.current, mc
                ),
                _ => format!(
                    "{}: {} {:.0}{unit} to {:.0}{unit} ({:+.0}{unit}): the next {per} brings {:.2} at today's level and {:.2} at the proposed one",
                    c.name,
                    if proposed[m] > ch.current { "raise" } else { "cut" },
                    ch.current,
                    proposed[m],
                    proposed[m] - ch.current,
                    mc,
                    mp
                ),
            };
            AllocationLine {
                channel: c.key.clone(),
                name: c.name.clone(),
                resource: ch.resource,
                current: ch.current,
                proposed: proposed[m],
                min: ch.min,
                max: ch.max,
                current_cost: cost(ch.current),
                proposed_cost: cost(proposed[m]),
                contribution_current: cc,
                contribution_proposed: cp,
                marginal_current: mc,
                marginal_proposed: mp,
                explanation,
            }
        })
        .collect();
    Ok(Allocation {
        horizon: h,
        start,
        end: start + Duration::days(panel.frequency.days() * h as i64 - 1),
        budget,
        hours,
        channels: lines,
        carried_in,
        current_total: est(cur_point, &cur_d),
        proposed_total: est(pro_point, &pro_d),
        gain: est(pro_point - cur_point, &gain_d),
        forecast: est(forecast_of(point), &forecast_d),
        notes,
    })
}
