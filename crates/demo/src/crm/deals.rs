//! How deals arise: buying triggers per account, the channels' saturated adstock pressure at each trigger, the
//! creation and win hazards (baseline with hidden intent plus per-channel effects), and the resolution of each
//! trigger with pre-drawn uniforms so that counterfactual worlds share every random number.

use super::accounts::{Population, PARAMS as ACCOUNTS};
use super::touches::{weight, Touch};
use crate::calendar::Calendar;
use crate::company::{self, channel_index, CHANNELS};
use crate::sample::{lognormal, poisson};
use crate::streams::{rng, Stream};
use crate::DemoConfig;
use rand::Rng;
use serde::Serialize;
use socialledger_domain::TouchKind;

/// Deal parameters (documented in docs/demo-model.md, "Deals").
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DealParams {
    /// Buying triggers per account per year at average intent: a Poisson process (uniform day, uniform time
    /// between 08:00 and 18:00 UTC) with rate
    /// `triggers_per_year · exp(γt·z - γt²/2)`.
    pub triggers_per_year: f64,
    /// γt: how strongly hidden intent z raises the number of buying triggers.
    pub intent_triggers: f64,
    /// Baseline creation hazard λ0 at a trigger: `h0 = λ0 · fit · exp(γ·z - γ²/2)`.
    pub base_create_hazard: f64,
    /// γ: how strongly hidden intent z raises the baseline creation hazard.
    pub intent_create: f64,
    /// Baseline win hazard ω0: `w0 = ω0 · exp(γw·z - γw²/2)`.
    pub base_win_hazard: f64,
    /// γw: how strongly hidden intent raises the baseline win hazard.
    pub intent_win: f64,
    /// Deal amount: LogNormal(median · size multiplier, sigma), rounded to `amount_step_eur`.
    pub amount_median_eur: f64,
    pub amount_sigma: f64,
    pub amount_step_eur: i64,
    /// Days from creation to close: max(min, LogNormal(median, sigma)), rounded.
    pub cycle_median_days: f64,
    pub cycle_sigma: f64,
    pub cycle_min_days: f64,
    /// A lost deal closes after a Uniform(lo, hi) share of its cycle.
    pub lost_after_share: (f64, f64),
    /// Share of deals with a self-reported source.
    pub report_share: f64,
    /// Weight of "a colleague" among the answers, beside each channel's g · memorability.
    pub colleague_weight: f64,
    /// Meetings per created deal: 1 + Poisson(mean), between creation and close (or the period's end).
    pub extra_meetings_mean: f64,
}

pub const PARAMS: DealParams = DealParams {
    triggers_per_year: 2.0,
    intent_triggers: 0.8,
    base_create_hazard: 0.05,
    intent_create: 1.0,
    base_win_hazard: 0.2,
    intent_win: 0.3,
    amount_median_eur: 25_000.0,
    amount_sigma: 0.6,
    amount_step_eur: 100,
    cycle_median_days: 75.0,
    cycle_sigma: 0.5,
    cycle_min_days: 14.0,
    lost_after_share: (0.4, 1.0),
    report_share: 0.35,
    colleague_weight: 0.3,
    extra_meetings_mean: 2.0,
};

/// How memorable a channel is when a buyer answers "how did you hear of us" (default 1).
pub const MEMORABILITY: [(&str, f64); 5] = [
    (company::EVENTS, 3.0),
    (company::WEBINAR, 2.0),
    (company::LINKEDIN, 1.5),
    (company::YOUTUBE, 1.5),
    (company::PR, 1.2),
];

const PRODUCTS: [&str; 5] =
    ["Platform licence", "Analytics rollout", "Data quality module", "Forecasting add-on", "Expansion"];

/// The answer a buyer types for a channel.
pub fn answer(channel: &str) -> &'static str {
    match channel {
        company::LINKEDIN | company::LINKEDIN_ADS => "LinkedIn",
        company::X => "X",
        company::FACEBOOK => "Facebook",
        company::INSTAGRAM => "Instagram",
        company::YOUTUBE => "YouTube",
        company::PAID_SEARCH | company::ORGANIC_SEARCH => "Google",
        company::NEWSLETTER => "newsletter",
        company::WEBINAR => "webinar",
        company::EVENTS => "event",
        company::PR => "press article",
        _ => "a colleague",
    }
}

/// A moment an account considers buying, with every random number its resolution needs drawn in advance.
#[derive(Debug, Clone)]
pub struct Trigger {
    pub account: usize,
    /// Fractional day index of the trigger.
    pub at: f64,
    pub day: usize,
    pub u_create: f64,
    pub u_win: f64,
    pub amount_minor: i64,
    pub cycle_days: usize,
    pub lost_after_days: usize,
    pub u_ask: f64,
    pub u_pick: f64,
    pub product: &'static str,
}

/// The hazards at one trigger: baselines and each effect's contribution (index as in `DemoConfig::effects`).
#[derive(Debug, Clone)]
pub struct Hazards {
    pub base_create: f64,
    pub base_win: f64,
    pub create: Vec<f64>,
    pub win: Vec<f64>,
}

impl Hazards {
    /// Creation and win probabilities with the effects for which `on(e)` is true.
    pub fn probabilities(&self, on: impl Fn(usize) -> bool) -> (f64, f64) {
        let mut h = self.base_create;
        let mut w = self.base_win;
        for e in 0..self.create.len() {
            if on(e) {
                h += self.create[e];
                w += self.win[e];
            }
        }
        (1.0 - (-h).exp(), 1.0 - (-w).exp())
    }
}

/// What became of a trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    NotCreated,
    Open,
    Won,
    Lost,
}

impl Outcome {
    pub fn created(self) -> bool {
        self != Outcome::NotCreated
    }
}

/// Draws every account's buying triggers in time order per account.
pub fn draw_triggers(cfg: &DemoConfig, cal: &Calendar, pop: &Population) -> Vec<Trigger> {
    let p = &PARAMS;
    let mut r = rng(cfg.seed, Stream::Triggers);
    let mut out = Vec::new();
    for (a, account) in pop.accounts.iter().enumerate() {
        let g = p.intent_triggers;
        let rate = p.triggers_per_year * (g * account.intent - g * g / 2.0).exp();
        let n = poisson(&mut r, rate * cal.days as f64 / 365.0);
        // A uniform day, at a uniform time of the working day (08:00-18:00 UTC).
        let mut times: Vec<f64> =
            (0..n).map(|_| r.gen_range(0..cal.days) as f64 + r.gen_range(8.0..18.0) / 24.0).collect();
        times.sort_by(f64::total_cmp);
        for at in times {
            let size_mult = ACCOUNTS.sizes[account.size].2;
            let amount_eur = lognormal(&mut r, p.amount_median_eur * size_mult, p.amount_sigma);
            let step = p.amount_step_eur as f64;
            let amount_minor = ((amount_eur / step).round().max(1.0) * step) as i64 * 100;
            let cycle = lognormal(&mut r, p.cycle_median_days, p.cycle_sigma).max(p.cycle_min_days).round();
            let lost_share = r.gen_range(p.lost_after_share.0..p.lost_after_share.1);
            out.push(Trigger {
                account: a,
                at,
                day: (at.floor() as usize).min(cal.days - 1),
                u_create: r.gen(),
                u_win: r.gen(),
                amount_minor,
                cycle_days: cycle as usize,
                lost_after_days: (cycle * lost_share).round() as usize,
                u_ask: r.gen(),
                u_pick: r.gen(),
                product: PRODUCTS[r.gen_range(0..PRODUCTS.len())],
            });
        }
    }
    out
}

/// Saturated pressure `g` in [0, 1) of every effect (index as in `cfg.effects`) at every trigger, from the
/// account's touches strictly before the trigger.
pub fn pressures(cfg: &DemoConfig, pop: &Population, touches: &[Touch], triggers: &[Trigger]) -> Vec<Vec<f64>> {
    let effect_of: Vec<Option<usize>> =
        CHANNELS.iter().map(|c| cfg.effects.iter().position(|e| e.channel == c.key)).collect();
    let mut by_account: Vec<Vec<(f64, usize, f64)>> = vec![Vec::new(); pop.accounts.len()];
    for t in touches {
        if let Some(e) = effect_of[t.channel] {
            let w = weight(CHANNELS[t.channel].key, t.kind);
            if w > 0.0 {
                by_account[t.account].push((Calendar::day_fraction(t.day, t.seconds), e, w));
            }
        }
    }
    triggers
        .iter()
        .map(|tr| {
            let mut s = vec![0.0; cfg.effects.len()];
            for (t, e, w) in &by_account[tr.account] {
                if *t < tr.at {
                    s[*e] += w * 0.5f64.powf((tr.at - t) / cfg.effects[*e].half_life_days.max(1e-9));
                }
            }
            s.iter()
                .zip(&cfg.effects)
                .map(|(s, e)| if e.saturation > 0.0 { 1.0 - (-s / e.saturation).exp() } else { 0.0 })
                .collect()
        })
        .collect()
}

/// The hazards at a trigger with saturated pressures `g`.
pub fn hazards(cfg: &DemoConfig, pop: &Population, trigger: &Trigger, g: &[f64]) -> Hazards {
    let p = &PARAMS;
    let account = &pop.accounts[trigger.account];
    let z = account.intent;
    Hazards {
        base_create: p.base_create_hazard
            * account.fit
            * (p.intent_create * z - p.intent_create * p.intent_create / 2.0).exp(),
        base_win: p.base_win_hazard * (p.intent_win * z - p.intent_win * p.intent_win / 2.0).exp(),
        create: cfg.effects.iter().zip(g).map(|(e, g)| e.create * g).collect(),
        win: cfg.effects.iter().zip(g).map(|(e, g)| e.win * g).collect(),
    }
}

/// True when a deal created at `trigger` would close inside the period.
pub fn closes_in_period(trigger: &Trigger, days: usize) -> bool {
    trigger.day + trigger.cycle_days < days
}

/// Resolves a trigger with the effects for which `on(e)` is true, using its pre-drawn uniforms. Monotone: a
/// trigger that creates (wins) a deal with fewer effects on also creates (wins) it with more.
pub fn resolve(trigger: &Trigger, hz: &Hazards, days: usize, on: impl Fn(usize) -> bool) -> Outcome {
    let (p_create, p_win) = hz.probabilities(on);
    if trigger.u_create >= p_create {
        Outcome::NotCreated
    } else if !closes_in_period(trigger, days) {
        Outcome::Open
    } else if trigger.u_win < p_win {
        Outcome::Won
    } else {
        Outcome::Lost
    }
}

/// The self-reported source of a deal, if the buyer was asked (`u_ask`) and what they answered (`u_pick`).
pub fn self_reported(cfg: &DemoConfig, trigger: &Trigger, g: &[f64]) -> Option<&'static str> {
    if trigger.u_ask >= PARAMS.report_share {
        return None;
    }
    let mut options: Vec<(&'static str, f64)> = cfg
        .effects
        .iter()
        .zip(g)
        .map(|(e, g)| {
            let memo = MEMORABILITY.iter().find(|(c, _)| *c == e.channel).map_or(1.0, |m| m.1);
            (answer(&e.channel), g * memo)
        })
        .collect();
    options.push(("a colleague", PARAMS.colleague_weight));
    let total: f64 = options.iter().map(|o| o.1).sum();
    let mut x = trigger.u_pick * total;
    for (a, w) in &options {
        if x < *w {
            return Some(a);
        }
        x -= w;
    }
    Some("a colleague")
}

/// Sales meetings of the created deals `(deal index, trigger, outcome)`: one at creation, then 1 + Poisson
/// more up to the close (or the period's end), each with a random committee member.
pub fn meetings(
    cfg: &DemoConfig,
    cal: &Calendar,
    pop: &Population,
    deals: &[(usize, &Trigger, Outcome)],
) -> Vec<Touch> {
    let mut r = rng(cfg.seed, Stream::Meetings);
    let sales = channel_index(company::SALES).unwrap_or(0);
    let mut out = Vec::new();
    for (deal, tr, outcome) in deals {
        let members = &pop.accounts[tr.account].contacts;
        if members.is_empty() {
            continue;
        }
        let last = match outcome {
            Outcome::Won => tr.day + tr.cycle_days,
            Outcome::Lost => tr.day + tr.lost_after_days,
            _ => cal.days - 1,
        }
        .min(cal.days - 1);
        let n = 1 + poisson(&mut r, PARAMS.extra_meetings_mean);
        for k in 0..n {
            let day = if k == 0 { tr.day } else { r.gen_range(tr.day..=last.max(tr.day)) };
            let seconds = if k == 0 {
                (((tr.at - tr.day as f64) * 86_400.0) as u32 + 3600).min(86_399)
            } else {
                r.gen_range(8 * 3600..18 * 3600)
            };
            out.push(Touch {
                contact: members[r.gen_range(0..members.len())],
                account: tr.account,
                day,
                seconds,
                channel: sales,
                kind: TouchKind::Meeting,
                campaign: None,
                post: None,
                utm: None,
                deal: Some(*deal),
            });
        }
    }
    out
}
