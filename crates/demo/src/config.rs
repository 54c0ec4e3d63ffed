//! The knobs of one simulated world: seed, calendar, size, and the truths of every channel (its causal effect,
//! its audience's share inside the target group).

use crate::audience::ChannelAudience;
use serde::Serialize;
use socialledger_domain::Date;

/// What to simulate. `Default` is the documented demo world (seed 42, 24 months from 2024-01-01, 400 accounts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoConfig {
    /// Seeds every random stream (ChaCha8); the same seed gives byte-identical files.
    pub seed: u64,
    /// Length of the simulated period in calendar months (at least 1; 0 is treated as 1).
    pub months: u32,
    /// First simulated day.
    pub start: Date,
    /// Number of CRM accounts (buying organisations).
    pub accounts: usize,
    /// The true effect of each channel on deal creation and winning. Channels not listed have no effect.
    pub effects: Vec<ChannelEffect>,
    /// The true share of each social channel's followers inside the demo's target group (`audience.csv`).
    /// Social channels not listed have none inside.
    pub audience: Vec<ChannelAudience>,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            seed: 42,
            months: 24,
            start: Date::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
            accounts: 400,
            effects: ChannelEffect::defaults(),
            audience: ChannelAudience::defaults(),
        }
    }
}

impl DemoConfig {
    /// The same world with `channel`'s causal effect switched off (touches unchanged, deals resolved without it).
    pub fn without_effect(&self, channel: &str) -> DemoConfig {
        let mut cfg = self.clone();
        for e in cfg.effects.iter_mut().filter(|e| e.channel == channel) {
            e.create = 0.0;
            e.win = 0.0;
        }
        cfg
    }

    /// The true share of `channel`'s followers inside the target group (0 when it is not listed).
    pub fn audience_share(&self, channel: &str) -> f64 {
        self.audience.iter().find(|a| a.channel == channel).map_or(0.0, |a| a.inside_share)
    }

    /// The effect parameters of `channel`, if it has any.
    pub fn effect(&self, channel: &str) -> Option<&ChannelEffect> {
        self.effects.iter().find(|e| e.channel == channel)
    }
}

/// The true causal effect of one channel on an account's deals (see docs/demo-model.md, "Deals").
///
/// At a buying trigger at time τ the channel's pressure on the account is the adstocked, weighted count of its
/// touches, `S = Σ weight · 2^(-(τ - t) / half_life_days)`, saturated as `g = 1 - exp(-S / saturation)` in [0, 1).
/// The channel then adds `create · g` to the trigger's deal-creation hazard and `win · g` to the deal's win
/// hazard. Both are dimensionless hazards: a probability is `1 - exp(-total hazard)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelEffect {
    /// Channel key (`linkedin`, `events`, ...).
    pub channel: String,
    /// Maximum hazard the channel adds to deal creation at a trigger (reached when its pressure saturates).
    pub create: f64,
    /// Maximum hazard the channel adds to winning a created deal.
    pub win: f64,
    /// Pressure (weighted, adstocked touches of the whole account) at which the effect reaches 63 % of its maximum.
    pub saturation: f64,
    /// Half-life of a touch's pressure, in days.
    pub half_life_days: f64,
}

impl ChannelEffect {
    fn new(channel: &str, create: f64, win: f64, saturation: f64, half_life_days: f64) -> Self {
        ChannelEffect { channel: channel.to_string(), create, win, saturation, half_life_days }
    }

    /// The documented default effects. `facebook`, `organic-search` and `direct` have none: their touches are
    /// frequent (and `direct`/`organic-search` touches rise with hidden buying intent) but cause no deals.
    pub fn defaults() -> Vec<ChannelEffect> {
        vec![
            ChannelEffect::new("linkedin", 0.12, 0.04, 1.2, 60.0),
            ChannelEffect::new("x", 0.03, 0.0, 0.5, 30.0),
            ChannelEffect::new("facebook", 0.0, 0.0, 0.3, 30.0),
            ChannelEffect::new("instagram", 0.01, 0.0, 0.3, 30.0),
            ChannelEffect::new("youtube", 0.04, 0.03, 0.3, 90.0),
            ChannelEffect::new("linkedin-ads", 0.06, 0.0, 0.5, 30.0),
            ChannelEffect::new("paid-search", 0.05, 0.0, 0.3, 30.0),
            ChannelEffect::new("organic-search", 0.0, 0.0, 0.3, 30.0),
            ChannelEffect::new("direct", 0.0, 0.0, 0.3, 30.0),
            ChannelEffect::new("newsletter", 0.04, 0.04, 0.5, 60.0),
            ChannelEffect::new("webinar", 0.05, 0.06, 1.0, 90.0),
            ChannelEffect::new("events", 0.10, 0.12, 1.5, 120.0),
            ChannelEffect::new("pr", 0.03, 0.0, 0.3, 60.0),
        ]
    }
}
