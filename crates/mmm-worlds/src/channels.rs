//! The channels a world can have and how each one's weekly input and cost are generated. Each generator is
//! written to look like the real thing in a B2B company's books, because what makes a mix model hard is the
//! shape of its inputs: a steady organic channel barely varies, campaigns come in bursts, search follows the
//! campaigns, events are rare and big.
//!
//! Money is in EUR, hours are staff hours (rounded to a quarter hour, as timesheets are), volumes are counts.

use crate::rng::WorldRng;
use serde::{Deserialize, Serialize};
use socialledger_mmm::{ChannelGroup, InputKind};

/// A channel of a world. The first three are in every world; the rest are drawn from [`POOL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Always-on organic LinkedIn, entering as staff hours: 6-14 h/week with drift and noise.
    Linkedin,
    /// A paid campaign in bursts of 2-6 weeks, nothing in between.
    Campaign,
    /// Paid search: an always-on base plus a part that follows the campaign bursts.
    PaidSearch,
    /// A newsletter sent every 2 or 4 weeks; the input is the number of recipients.
    Newsletter,
    /// Press coverage: a few items a quarter; the input is the number of items.
    Pr,
    /// Trade fairs: two or three a year, each a big spend in one week (sometimes spread over two).
    TradeFairs,
    /// Webinars every 5-10 weeks; the input is attendees.
    Webinars,
    /// Display advertising flighted in four-week blocks.
    Display,
    /// A second organic network (Instagram) with fewer hours.
    Instagram,
    /// Video production (YouTube) in bursts of hours.
    Youtube,
}

/// The channels every world has, in panel order.
pub const CORE: [ChannelKind; 3] = [ChannelKind::Linkedin, ChannelKind::Campaign, ChannelKind::PaidSearch];

/// The channels a world draws its others from (without replacement), in panel order.
pub const POOL: [ChannelKind; 7] = [
    ChannelKind::Newsletter,
    ChannelKind::Pr,
    ChannelKind::TradeFairs,
    ChannelKind::Webinars,
    ChannelKind::Display,
    ChannelKind::Instagram,
    ChannelKind::Youtube,
];

impl ChannelKind {
    /// The channel's key: its column in the CSV and its `MediaSeries::key`.
    pub fn key(self) -> &'static str {
        match self {
            ChannelKind::Linkedin => "linkedin",
            ChannelKind::Campaign => "campaign",
            ChannelKind::PaidSearch => "paid_search",
            ChannelKind::Newsletter => "newsletter",
            ChannelKind::Pr => "pr",
            ChannelKind::TradeFairs => "trade_fairs",
            ChannelKind::Webinars => "webinars",
            ChannelKind::Display => "display",
            ChannelKind::Instagram => "instagram",
            ChannelKind::Youtube => "youtube",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ChannelKind::Linkedin => "LinkedIn (organic)",
            ChannelKind::Campaign => "Campaign",
            ChannelKind::PaidSearch => "Paid search",
            ChannelKind::Newsletter => "Newsletter",
            ChannelKind::Pr => "PR",
            ChannelKind::TradeFairs => "Trade fairs",
            ChannelKind::Webinars => "Webinars",
            ChannelKind::Display => "Display",
            ChannelKind::Instagram => "Instagram (organic)",
            ChannelKind::Youtube => "YouTube (organic)",
        }
    }

    pub fn group(self) -> ChannelGroup {
        match self {
            ChannelKind::Linkedin | ChannelKind::Instagram | ChannelKind::Youtube => ChannelGroup::Social,
            ChannelKind::Campaign => ChannelGroup::Campaign,
            ChannelKind::PaidSearch | ChannelKind::Display => ChannelGroup::Paid,
            ChannelKind::Newsletter => ChannelGroup::Newsletter,
            ChannelKind::Pr => ChannelGroup::Pr,
            ChannelKind::TradeFairs | ChannelKind::Webinars => ChannelGroup::Event,
        }
    }

    pub fn input(self) -> InputKind {
        match self {
            ChannelKind::Linkedin | ChannelKind::Instagram | ChannelKind::Youtube => InputKind::Hours,
            ChannelKind::Campaign | ChannelKind::PaidSearch | ChannelKind::TradeFairs | ChannelKind::Display => {
                InputKind::Spend
            }
            ChannelKind::Newsletter | ChannelKind::Pr | ChannelKind::Webinars => InputKind::Volume,
        }
    }
}

/// Hourly staff rate of organic work, EUR.
pub const HOURLY_RATE: (f64, f64) = (60.0, 90.0);
/// LinkedIn: the level the weekly hours revert to.
pub const LINKEDIN_LEVEL: (f64, f64) = (8.0, 12.0);
/// LinkedIn: the hours never leave this band (a small team's steady routine).
pub const LINKEDIN_BAND: (f64, f64) = (6.0, 14.0);
/// Instagram: level and band of the weekly hours.
pub const INSTAGRAM_LEVEL: (f64, f64) = (2.0, 6.0);
pub const INSTAGRAM_BAND: (f64, f64) = (0.5, 10.0);
/// Organic hours: the drift is AR(1) around the level with this persistence per week (a team's capacity moves
/// over a couple of months: leave, a colleague helping out, a quarter with more posts)...
pub const HOURS_PERSISTENCE: f64 = 0.9;
/// ...and this innovation sd as a fraction of the level (so the drift's own sd is 2.3 times that: 18-28 % of
/// the level before the band clips it)...
pub const HOURS_DRIFT_SD: (f64, f64) = (0.08, 0.12);
/// ...plus week-to-week noise with this sd as a fraction of the level. Within the band, LinkedIn's hours vary
/// with a coefficient of variation of 12-32 % (median 20 %, over 200 worlds): 10 hours a week move between
/// about 7 and 13 in most weeks.
pub const HOURS_NOISE_SD: (f64, f64) = (0.05, 0.10);

/// Campaign: weeks before the first burst.
pub const CAMPAIGN_FIRST: (usize, usize) = (0, 8);
/// Campaign: length of a burst in weeks.
pub const CAMPAIGN_BURST: (usize, usize) = (2, 6);
/// Campaign: weeks of silence between bursts.
pub const CAMPAIGN_GAP: (usize, usize) = (4, 14);
/// Campaign: weekly spend level of a burst (EUR), each week within +-20 % of it.
pub const CAMPAIGN_LEVEL: (f64, f64) = (4_000.0, 20_000.0);

/// Paid search: always-on weekly base spend (EUR). Its budget is reset every quarter (13 weeks) to the base
/// times a factor in [`SEARCH_QUARTER`], and bids move it by [`SEARCH_NOISE`] (sd, relative) week to week.
pub const SEARCH_BASE: (f64, f64) = (800.0, 2_500.0);
pub const SEARCH_QUARTER: (f64, f64) = (0.7, 1.3);
pub const SEARCH_NOISE: f64 = 0.2;
/// Paid search: extra search spend per EUR of campaign spend in the same week (campaigns drive searches).
pub const SEARCH_FOLLOW: (f64, f64) = (0.15, 0.35);

/// Newsletter: recipients at the start, growing linearly by up to 40 % a year, 3 % noise per send.
pub const NEWSLETTER_LIST: (f64, f64) = (1_500.0, 6_000.0);
pub const NEWSLETTER_GROWTH: (f64, f64) = (0.0, 0.40);
/// Newsletter: full cost of one send (tool and staff), EUR.
pub const NEWSLETTER_SEND_COST: (f64, f64) = (250.0, 700.0);

/// PR: items per week (Poisson rate); at least two items per world.
pub const PR_RATE: (f64, f64) = (0.08, 0.25);
/// PR: agency fee per item, EUR.
pub const PR_ITEM_COST: (f64, f64) = (1_000.0, 3_000.0);

/// Trade fairs per year.
pub const FAIRS_PER_YEAR: (usize, usize) = (2, 3);
/// Trade fair spend (EUR, stand, travel, staff); a third of fairs spread it 60/40 over two weeks.
pub const FAIR_SPEND: (f64, f64) = (15_000.0, 60_000.0);

/// Webinars: weeks between two webinars.
pub const WEBINAR_GAP: (usize, usize) = (5, 10);
/// Webinars: attendees of one webinar.
pub const WEBINAR_ATTENDEES: (usize, usize) = (30, 200);
/// Webinars: full cost of one webinar, EUR.
pub const WEBINAR_COST: (f64, f64) = (1_500.0, 4_000.0);

/// Display: probability that a four-week block is on air, and the weekly spend level of a block (EUR, 15 %
/// weekly noise).
pub const DISPLAY_ON: f64 = 0.6;
pub const DISPLAY_LEVEL: (f64, f64) = (1_000.0, 5_000.0);

/// YouTube: weeks between productions, and the hours of a production (one or two weeks).
pub const YOUTUBE_GAP: (usize, usize) = (4, 8);
pub const YOUTUBE_HOURS: (f64, f64) = (8.0, 20.0);

/// One channel's weekly input and full cost.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Series {
    pub values: Vec<f64>,
    pub cost: Vec<f64>,
}

/// Generates `kind`'s input over `n` weeks. `campaign` is the campaign's spend (paid search follows it);
/// `holiday[t]` marks the Christmas weeks (no newsletter goes out then). Every series is positive in at least
/// one week, so the model's scaling by its maximum is defined.
pub(crate) fn generate(kind: ChannelKind, n: usize, campaign: &[f64], holiday: &[bool], rng: &mut WorldRng) -> Series {
    match kind {
        ChannelKind::Linkedin => staff_hours(n, LINKEDIN_LEVEL, LINKEDIN_BAND, rng),
        ChannelKind::Instagram => staff_hours(n, INSTAGRAM_LEVEL, INSTAGRAM_BAND, rng),
        ChannelKind::Campaign => spend(campaign_bursts(n, rng)),
        ChannelKind::PaidSearch => spend(paid_search(campaign, rng)),
        ChannelKind::Newsletter => newsletter(n, holiday, rng),
        ChannelKind::Pr => pr(n, rng),
        ChannelKind::TradeFairs => spend(trade_fairs(n, rng)),
        ChannelKind::Webinars => webinars(n, rng),
        ChannelKind::Display => spend(display(n, rng)),
        ChannelKind::Youtube => youtube(n, rng),
    }
}

fn spend(values: Vec<f64>) -> Series {
    Series { cost: values.clone(), values }
}

fn quarter_hours(h: f64) -> f64 {
    (h * 4.0).round() / 4.0
}

/// Steady organic work: an AR(1) drift around a drawn level plus weekly noise, kept within `band`.
fn staff_hours(n: usize, level: (f64, f64), band: (f64, f64), rng: &mut WorldRng) -> Series {
    let level = rng.uniform(level);
    let drift_sd = rng.uniform(HOURS_DRIFT_SD) * level;
    let noise_sd = rng.uniform(HOURS_NOISE_SD) * level;
    let rate = rng.uniform(HOURLY_RATE);
    // Start the drift in its stationary distribution, so the first weeks look like the rest.
    let mut drift = rng.normal() * drift_sd / (1.0 - HOURS_PERSISTENCE * HOURS_PERSISTENCE).sqrt();
    let mut values = Vec::with_capacity(n);
    for _ in 0..n {
        drift = HOURS_PERSISTENCE * drift + drift_sd * rng.normal();
        let h = quarter_hours((level + drift + noise_sd * rng.normal()).clamp(band.0, band.1));
        values.push(h);
    }
    let cost = values.iter().map(|h| h * rate).collect();
    Series { values, cost }
}

fn campaign_bursts(n: usize, rng: &mut WorldRng) -> Vec<f64> {
    let mut v = vec![0.0; n];
    let mut t = rng.int(CAMPAIGN_FIRST.0, CAMPAIGN_FIRST.1);
    while t < n {
        let len = rng.int(CAMPAIGN_BURST.0, CAMPAIGN_BURST.1);
        let level = rng.uniform(CAMPAIGN_LEVEL);
        for x in v.iter_mut().skip(t).take(len) {
            *x = (level * rng.uniform((0.8, 1.2))).round();
        }
        t += len + rng.int(CAMPAIGN_GAP.0, CAMPAIGN_GAP.1);
    }
    v
}

fn paid_search(campaign: &[f64], rng: &mut WorldRng) -> Vec<f64> {
    let base = rng.uniform(SEARCH_BASE);
    let follow = rng.uniform(SEARCH_FOLLOW);
    let mut quarter = 1.0;
    campaign
        .iter()
        .enumerate()
        .map(|(t, &c)| {
            if t % 13 == 0 {
                quarter = rng.uniform(SEARCH_QUARTER);
            }
            let always_on = base * quarter * (1.0 + SEARCH_NOISE * rng.normal()).max(0.3);
            (always_on + follow * c * rng.uniform((0.85, 1.15))).round()
        })
        .collect()
}

fn newsletter(n: usize, holiday: &[bool], rng: &mut WorldRng) -> Series {
    let every = if rng.chance(0.5) { 2 } else { 4 };
    let offset = rng.int(0, every - 1);
    let list = rng.uniform(NEWSLETTER_LIST);
    let growth = rng.uniform(NEWSLETTER_GROWTH);
    let per_send = rng.uniform(NEWSLETTER_SEND_COST).round();
    let mut values = vec![0.0; n];
    let mut cost = vec![0.0; n];
    for t in (offset..n).step_by(every) {
        if holiday[t] {
            continue;
        }
        let recipients = list * (1.0 + growth * t as f64 / 52.18) * (1.0 + 0.03 * rng.normal());
        values[t] = recipients.round();
        cost[t] = per_send;
    }
    Series { values, cost }
}

fn pr(n: usize, rng: &mut WorldRng) -> Series {
    let rate = rng.uniform(PR_RATE);
    let fee = rng.uniform(PR_ITEM_COST).round();
    let mut values: Vec<f64> = (0..n).map(|_| rng.poisson(rate) as f64).collect();
    while values.iter().sum::<f64>() < 2.0 {
        let t = rng.int(0, n - 1);
        values[t] += 1.0;
    }
    let cost = values.iter().map(|v| v * fee).collect();
    Series { values, cost }
}

fn trade_fairs(n: usize, rng: &mut WorldRng) -> Vec<f64> {
    let mut v = vec![0.0; n];
    // One block of 52 weeks (the last one possibly shorter) per year; each gets its own fairs.
    for start in (0..n).step_by(52) {
        let len = (n - start).min(52);
        let per_year = rng.int(FAIRS_PER_YEAR.0, FAIRS_PER_YEAR.1);
        let k = ((per_year * len) as f64 / 52.0).round().max(1.0) as usize;
        for w in rng.choose(len, k) {
            let t = start + w;
            let amount = (rng.uniform(FAIR_SPEND) / 100.0).round() * 100.0;
            if t + 1 < n && rng.chance(1.0 / 3.0) {
                v[t] += (0.6 * amount).round();
                v[t + 1] += (0.4 * amount).round();
            } else {
                v[t] += amount;
            }
        }
    }
    v
}

fn webinars(n: usize, rng: &mut WorldRng) -> Series {
    let cost_each = rng.uniform(WEBINAR_COST).round();
    let mut values = vec![0.0; n];
    let mut cost = vec![0.0; n];
    let mut t = rng.int(0, WEBINAR_GAP.0);
    while t < n {
        values[t] = rng.int(WEBINAR_ATTENDEES.0, WEBINAR_ATTENDEES.1) as f64;
        cost[t] = cost_each;
        t += rng.int(WEBINAR_GAP.0, WEBINAR_GAP.1);
    }
    Series { values, cost }
}

fn display(n: usize, rng: &mut WorldRng) -> Vec<f64> {
    let mut v = vec![0.0; n];
    let mut any = false;
    for start in (0..n).step_by(4) {
        // The last block is forced on if none was, so the channel exists.
        let last = start + 4 >= n;
        if rng.chance(DISPLAY_ON) || (last && !any) {
            any = true;
            let level = rng.uniform(DISPLAY_LEVEL);
            for x in v.iter_mut().skip(start).take(4) {
                *x = (level * (1.0 + 0.15 * rng.normal()).max(0.3)).round();
            }
        }
    }
    v
}

fn youtube(n: usize, rng: &mut WorldRng) -> Series {
    let rate = rng.uniform(HOURLY_RATE);
    let mut values = vec![0.0; n];
    let mut t = rng.int(0, YOUTUBE_GAP.0);
    while t < n {
        let hours = rng.uniform(YOUTUBE_HOURS);
        if t + 1 < n && rng.chance(0.5) {
            values[t] = quarter_hours(0.6 * hours);
            values[t + 1] = quarter_hours(0.4 * hours);
        } else {
            values[t] = quarter_hours(hours);
        }
        t += rng.int(YOUTUBE_GAP.0, YOUTUBE_GAP.1);
    }
    let cost = values.iter().map(|h| h * rate).collect();
    Series { values, cost }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    fn corr(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len() as f64;
        let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
        let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
        let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        cov / (va * vb).sqrt()
    }

    #[test]
    fn every_channel_is_non_negative_positive_somewhere_and_costed() {
        let holiday = vec![false; 104];
        for seed in 0..30 {
            let mut rng = WorldRng::new(seed, Stream::Layout);
            let campaign = campaign_bursts(104, &mut rng);
            for kind in CORE.into_iter().chain(POOL) {
                let s = generate(kind, 104, &campaign, &holiday, &mut rng);
                assert_eq!((s.values.len(), s.cost.len()), (104, 104));
                assert!(s.values.iter().chain(&s.cost).all(|&v| v >= 0.0 && v.is_finite()), "{kind:?}");
                assert!(s.values.iter().any(|&v| v > 0.0), "{kind:?} is zero everywhere (seed {seed})");
                // Cost is spent exactly when there is input.
                for (v, c) in s.values.iter().zip(&s.cost) {
                    assert_eq!(*v > 0.0, *c > 0.0, "{kind:?}");
                }
            }
        }
    }

    #[test]
    fn linkedin_hours_are_small_steady_and_vary_a_little() {
        for seed in 0..30 {
            let mut rng = WorldRng::new(seed, Stream::Layout);
            let s = staff_hours(156, LINKEDIN_LEVEL, LINKEDIN_BAND, &mut rng);
            assert!(s.values.iter().all(|&h| (6.0..=14.0).contains(&h)));
            let mean = s.values.iter().sum::<f64>() / 156.0;
            let sd = (s.values.iter().map(|h| (h - mean).powi(2)).sum::<f64>() / 155.0).sqrt();
            // Varying, but little: a coefficient of variation of a tenth to a third.
            assert!((0.08..0.35).contains(&(sd / mean)), "cv {}", sd / mean);
            let rate = s.cost[0] / s.values[0];
            assert!((60.0..90.0).contains(&rate));
        }
    }

    #[test]
    fn campaign_comes_in_bursts_and_search_follows_it() {
        let mut rs = Vec::new();
        for seed in 0..30 {
            let mut rng = WorldRng::new(seed, Stream::Layout);
            let c = campaign_bursts(130, &mut rng);
            // Bursts: runs of 2-6 non-zero weeks (a run cut by the panel's end may be shorter).
            let mut run = 0;
            for (t, &v) in c.iter().enumerate() {
                if v > 0.0 {
                    run += 1;
                } else {
                    assert!(run == 0 || (2..=6).contains(&run), "run {run}");
                    run = 0;
                }
                if t == 129 {
                    assert!(run <= 6);
                }
            }
            let zero = c.iter().filter(|&&v| v == 0.0).count() as f64 / 130.0;
            assert!(zero > 0.4, "a campaign is off most of the time ({zero})");
            let s = paid_search(&c, &mut rng);
            assert!(s.iter().all(|&v| v > 0.0), "search is always on");
            rs.push(corr(&c, &s));
        }
        let mean = rs.iter().sum::<f64>() / rs.len() as f64;
        assert!(rs.iter().all(|&r| r > 0.6), "{rs:?}");
        assert!(mean > 0.8, "search is strongly collinear with campaigns on average: {mean}");
    }
}
