//! Who follows each social channel: monthly follower demographics (`audience.csv`) drawn around each channel's
//! known share of followers inside the demo's target group, so that the audience part of `socialledger
//! target-group` (and the verdict's rule on missing the target group) can be checked against the truth.
//!
//! **The model** (docs/demo-model.md, "Audience"). The demo's target group is fixed: five dimensions, each
//! with its target values ([`DIMENSIONS`]; `examples/target_group.toml` lists the same values). A follower of
//! channel `c` is **inside** with probability `s_c` (the channel's [`ChannelAudience::inside_share`]): every
//! dimension then takes a target value. An **outside** follower's dimensions are independent draws that each
//! match the target values with the channel's [`OutsiderProfile`] rate `q_d`, conditioned on not matching all
//! five (else the follower would be inside). So the share of followers matching dimension `d` is
//!
//! `m_d = s + (1 - s) · (q_d - Q) / (1 - Q)`, with `Q = Π_d q_d`,
//!
//! and the joint share is exactly `s`. A platform exports only the marginals `m_d`, never the joint share: the
//! smallest `m_d` is an upper bound on `s` (above it by about `(1 - s) · min q_d`), and the product of the
//! `m_d` is below it whenever `s ≥ Q` (insiders match every dimension at once, which independence does not
//! assume; below `Q`, fewer are inside than chance alone would put there, and the product is about `Q`).
//!
//! **The files.** On the last day of every month (the last simulated day for the final month), for every social
//! channel, each dimension's counts over its values are a multinomial draw of the channel's followers that day
//! (`channel_days.csv`) with probabilities `m_d` spread over the target values and `1 - m_d` over the others by
//! the fixed weights of [`DIMENSIONS`]. Zero counts are not written (a platform lists the values it has).
//! Everything is drawn from its own stream (stream 10, `Stream::Audience`), after the content: no other file
//! changes, and each channel draws from its own generator seeded from that stream, so one channel's share (an
//! `--effects` file) changes no other channel's rows.

use crate::calendar::Calendar;
use crate::company;
use crate::sample::multinomial;
use crate::streams::{rng, Stream};
use crate::DemoConfig;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use socialledger_domain::{AudienceDimension, AudienceKind, AudienceSlice, ChannelDay, Date};

/// One dimension of the demo's target group: the values inside it and the values outside it, each with the
/// weight that splits the inside (or outside) share among them. Values are LinkedIn's names, as its followers
/// export writes them, so the example target group file works on real exports too.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DimensionValues {
    pub dimension: AudienceDimension,
    pub target: &'static [(&'static str, f64)],
    pub other: &'static [(&'static str, f64)],
}

/// The demo's target group by dimension, in the order of [`OutsiderProfile::match_rates`]. Must agree with
/// the `[audience]` section of `examples/target_group.toml` (the CLI's tests check that it does).
pub const DIMENSIONS: [DimensionValues; 5] = [
    DimensionValues {
        dimension: AudienceDimension::JobFunction,
        target: &[("Engineering", 0.45), ("Information Technology", 0.35), ("Operations", 0.20)],
        other: &[
            ("Sales", 0.18),
            ("Marketing", 0.16),
            ("Business Development", 0.14),
            ("Education", 0.12),
            ("Human Resources", 0.10),
            ("Arts and Design", 0.10),
            ("Media and Communication", 0.10),
            ("Finance", 0.10),
        ],
    },
    DimensionValues {
        dimension: AudienceDimension::Seniority,
        target: &[("Senior", 0.45), ("Manager", 0.25), ("Director", 0.15), ("VP", 0.08), ("CXO", 0.07)],
        other: &[("Entry", 0.55), ("Training", 0.20), ("Owner", 0.12), ("Partner", 0.08), ("Unpaid", 0.05)],
    },
    DimensionValues {
        dimension: AudienceDimension::Industry,
        target: &[
            ("Manufacturing", 0.30),
            ("Transportation, Logistics, Supply Chain and Storage", 0.25),
            ("Software Development", 0.25),
            ("IT Services and IT Consulting", 0.20),
        ],
        other: &[
            ("Retail", 0.15),
            ("Education", 0.15),
            ("Hospitals and Health Care", 0.12),
            ("Financial Services", 0.12),
            ("Advertising Services", 0.12),
            ("Hospitality", 0.10),
            ("Entertainment Providers", 0.10),
            ("Government Administration", 0.07),
            ("Wholesale", 0.07),
        ],
    },
    DimensionValues {
        dimension: AudienceDimension::CompanySize,
        target: &[("51-200", 0.40), ("201-500", 0.35), ("501-1000", 0.25)],
        other: &[
            ("1", 0.10),
            ("2-10", 0.20),
            ("11-50", 0.30),
            ("1001-5000", 0.20),
            ("5001-10000", 0.08),
            ("10001+", 0.12),
        ],
    },
    DimensionValues {
        dimension: AudienceDimension::Location,
        target: &[("Germany", 0.75), ("Austria", 0.12), ("Switzerland", 0.13)],
        other: &[
            ("United States", 0.20),
            ("United Kingdom", 0.15),
            ("Netherlands", 0.15),
            ("India", 0.15),
            ("Spain", 0.13),
            ("France", 0.12),
            ("Poland", 0.10),
        ],
    },
];

/// How often a follower *outside* the target group still matches each dimension (in the order of
/// [`DIMENSIONS`]): the chance of the independent draw `q_d` before conditioning on not matching all five. These
/// shape how far the marginal shares a platform exports lie above the true joint share; they are fixed per
/// channel (an `--effects` file sets only the inside share).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct OutsiderProfile {
    pub channel: &'static str,
    pub match_rates: [f64; 5],
}

/// The outsiders of every social channel. LinkedIn's are professionals in neighbouring roles near home; X's
/// and YouTube's are technical but international; Facebook's and Instagram's are local consumers, students and
/// job seekers, almost never in a target industry or function.
pub const OUTSIDERS: [OutsiderProfile; 5] = [
    OutsiderProfile { channel: company::LINKEDIN, match_rates: [0.25, 0.45, 0.20, 0.30, 0.70] },
    OutsiderProfile { channel: company::X, match_rates: [0.30, 0.35, 0.20, 0.25, 0.40] },
    OutsiderProfile { channel: company::FACEBOOK, match_rates: [0.10, 0.30, 0.08, 0.25, 0.75] },
    OutsiderProfile { channel: company::INSTAGRAM, match_rates: [0.05, 0.20, 0.02, 0.20, 0.70] },
    OutsiderProfile { channel: company::YOUTUBE, match_rates: [0.35, 0.30, 0.20, 0.25, 0.35] },
];

/// The true share of a social channel's followers inside the demo's target group (on all five dimensions at
/// once). Set per channel by an `--effects` file (`audience_in_target_group`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelAudience {
    /// Channel key; one of the social channels of [`OUTSIDERS`].
    pub channel: String,
    /// Share of followers inside the target group, in [0, 1].
    pub inside_share: f64,
}

impl ChannelAudience {
    /// The documented defaults, chosen to agree with how the CRM's buyers engage (touches do not depend on
    /// them): the LinkedIn page, where buying committees touch most, is mostly inside; X, and YouTube (few
    /// touches but the most per follower), about a third; Facebook and Instagram, with the fewest CRM touches
    /// per follower and mostly local consumers as followers, mostly outside (Instagram's upper bound stays above
    /// the verdict's 5 % limit: it does not *miss* the target group in the default company).
    pub fn defaults() -> Vec<ChannelAudience> {
        [
            (company::LINKEDIN, 0.55),
            (company::X, 0.30),
            (company::FACEBOOK, 0.10),
            (company::INSTAGRAM, 0.06),
            (company::YOUTUBE, 0.30),
        ]
        .into_iter()
        .map(|(channel, inside_share)| ChannelAudience { channel: channel.to_string(), inside_share })
        .collect()
    }

    /// Whether `channel` has followers whose demographics the demo writes.
    pub fn is_social(channel: &str) -> bool {
        OUTSIDERS.iter().any(|o| o.channel == channel)
    }
}

/// The share of followers matching one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DimensionTruth {
    pub dimension: AudienceDimension,
    /// `m_d`: the expected share of followers with a target value of this dimension.
    pub share: f64,
}

/// The truth of one channel's audience against the demo's target group (`truth.json` → `audience`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudienceTruth {
    pub channel: String,
    /// The true joint share of followers inside the target group (`s`).
    pub inside_share: f64,
    /// Followers on the last snapshot's date (the multinomial size of each dimension there).
    pub followers: i64,
    /// Date of the last snapshot: the one `target-group` reads by default.
    pub last_snapshot: Option<Date>,
    /// The expected share matching each dimension (`m_d`), in the order of [`DIMENSIONS`].
    pub dimensions: Vec<DimensionTruth>,
    /// The smallest `m_d`: what `target-group`'s `upper_bound` estimates; never below `inside_share`.
    pub upper_bound: f64,
    /// The product of the `m_d`: what its `independence_estimate` estimates; not above `inside_share` unless
    /// that is below the chance of matching all five dimensions by independent draws (`Q`, under 0.5 %).
    pub independence_estimate: f64,
}

/// The expected share of followers matching each dimension when a share `s` is inside and outsiders match
/// dimension `d` with the independent rates `q` conditioned on not matching them all (module documentation).
pub fn dimension_shares(s: f64, q: &[f64; 5]) -> [f64; 5] {
    let s = s.clamp(0.0, 1.0);
    let all: f64 = q.iter().product();
    let mut out = [0.0; 5];
    for (m, qd) in out.iter_mut().zip(q) {
        // With Q = 1 every outsider would be inside: then there are no outsiders to speak of (s is all).
        let outsider = if all < 1.0 { (qd - all) / (1.0 - all) } else { 1.0 };
        *m = s + (1.0 - s) * outsider;
    }
    out
}

/// The written slices and their truth.
#[derive(Debug, Clone, Default)]
pub struct Audience {
    pub slices: Vec<AudienceSlice>,
    pub truth: Vec<AudienceTruth>,
}

/// Draws every social channel's monthly follower demographics from its follower levels in `channel_days`.
pub fn draw(cfg: &DemoConfig, cal: &Calendar, channel_days: &[ChannelDay]) -> Audience {
    let mut stream = rng(cfg.seed, Stream::Audience);
    let dates = snapshot_dates(cal);
    let mut out = Audience::default();
    for profile in &OUTSIDERS {
        // One generator per channel, seeded from the stream: how many numbers a binomial draw consumes depends
        // on its parameters, so a shared generator would let one channel's share move the next channel's rows.
        let mut rng = ChaCha8Rng::seed_from_u64(stream.gen());
        // A config built in code is not checked like an effects file: a share outside [0, 1] is clamped and one
        // that is not a number counts as none inside, so the truth says what was drawn.
        let inside = Some(cfg.audience_share(profile.channel)).filter(|s| s.is_finite()).unwrap_or(0.0).clamp(0.0, 1.0);
        let shares = dimension_shares(inside, &profile.match_rates);
        let followers = |date: Date| {
            channel_days
                .iter()
                .find(|d| d.channel == profile.channel && d.date == Some(date))
                .and_then(|d| d.followers)
                .unwrap_or(0)
                .max(0)
        };
        let mut last = None;
        for &date in &dates {
            let n = followers(date);
            last = Some((date, n));
            for (dim, m) in DIMENSIONS.iter().zip(shares) {
                let weights = value_weights(dim, m);
                let counts = multinomial(&mut rng, n as u64, &weights);
                let values = dim.target.iter().chain(dim.other);
                for ((value, _), count) in values.zip(counts) {
                    if count == 0 {
                        continue;
                    }
                    out.slices.push(AudienceSlice {
                        channel: profile.channel.to_string(),
                        date,
                        audience: AudienceKind::Followers,
                        dimension: dim.dimension,
                        value: value.to_string(),
                        count: count as i64,
                    });
                }
            }
        }
        out.truth.push(AudienceTruth {
            channel: profile.channel.to_string(),
            inside_share: inside,
            followers: last.map_or(0, |(_, n)| n),
            last_snapshot: last.map(|(d, _)| d),
            dimensions: DIMENSIONS
                .iter()
                .zip(shares)
                .map(|(d, share)| DimensionTruth { dimension: d.dimension, share })
                .collect(),
            upper_bound: shares.iter().copied().fold(1.0, f64::min),
            independence_estimate: shares.iter().product(),
        });
    }
    out
}

/// The probability of each value of `dim` (target values first, then the others) when a share `m` of
/// followers matches the dimension.
fn value_weights(dim: &DimensionValues, m: f64) -> Vec<f64> {
    let total = |xs: &[(&str, f64)]| xs.iter().map(|(_, w)| w).sum::<f64>();
    let (t, o) = (total(dim.target), total(dim.other));
    let inside = dim.target.iter().map(|(_, w)| m * w / t);
    let outside = dim.other.iter().map(|(_, w)| (1.0 - m) * w / o);
    inside.chain(outside).collect()
}

/// The last day of every month of the period, the final one cut at the last simulated day.
fn snapshot_dates(cal: &Calendar) -> Vec<Date> {
    let last_day = cal.date(cal.days - 1);
    cal.months()
        .into_iter()
        .map(|(first, _)| {
            let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(cal.end);
            (next - chrono::Duration::days(1)).min(last_day)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_joint_share_lies_between_the_product_and_the_smallest_marginal() {
        for profile in &OUTSIDERS {
            let chance: f64 = profile.match_rates.iter().product();
            for i in 0..=1000 {
                let s = f64::from(i) / 1000.0;
                let m = dimension_shares(s, &profile.match_rates);
                let upper = m.iter().copied().fold(1.0, f64::min);
                let product: f64 = m.iter().product();
                assert!(m.iter().all(|x| (0.0..=1.0).contains(x)), "{m:?}");
                assert!(s <= upper + 1e-12, "{} s {s}: upper {upper}", profile.channel);
                // Below the chance that a follower matches all five by independent draws, the product is above:
                // at s = Q the marginals are the outsider rates themselves and the product is Q.
                if s >= chance {
                    assert!(product <= s + 1e-12, "{} s {s}: product {product}", profile.channel);
                }
            }
        }
    }

    #[test]
    fn the_marginals_follow_the_individual_level_model() {
        // Enumerate the 32 match patterns of an outsider (independent rates, all-five excluded) and compare the
        // resulting marginal with the closed form.
        let q = OUTSIDERS[0].match_rates;
        let s = 0.4;
        let mut marginal = [0.0; 5];
        let mut mass = 0.0;
        for pattern in 0u32..31 {
            let p: f64 = (0..5).map(|d| if pattern >> d & 1 == 1 { q[d] } else { 1.0 - q[d] }).product();
            mass += p;
            for (d, m) in marginal.iter_mut().enumerate() {
                if pattern >> d & 1 == 1 {
                    *m += p;
                }
            }
        }
        let closed = dimension_shares(s, &q);
        for d in 0..5 {
            let expected = s + (1.0 - s) * marginal[d] / mass;
            assert!((closed[d] - expected).abs() < 1e-12, "{d}: {} {expected}", closed[d]);
        }
    }

    #[test]
    fn value_weights_put_the_matching_share_on_the_target_values() {
        for dim in &DIMENSIONS {
            let w = value_weights(dim, 0.3);
            let inside: f64 = w[..dim.target.len()].iter().sum();
            assert!((inside - 0.3).abs() < 1e-12 && (w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn a_share_outside_0_to_1_or_not_a_number_is_drawn_and_told_as_clamped() {
        let cal = Calendar::new(Date::from_ymd_opt(2024, 1, 1).unwrap(), 1);
        let days: Vec<ChannelDay> = OUTSIDERS
            .iter()
            .map(|o| ChannelDay {
                channel: o.channel.to_string(),
                date: Some(Date::from_ymd_opt(2024, 1, 31).unwrap()),
                followers: Some(500),
                ..ChannelDay::default()
            })
            .collect();
        let mut cfg = DemoConfig::default();
        for (a, s) in cfg.audience.iter_mut().zip([f64::NAN, -1.0, 2.0, f64::INFINITY, 0.5]) {
            a.inside_share = s;
        }
        let out = draw(&cfg, &cal, &days);
        let told: Vec<f64> = out.truth.iter().map(|t| t.inside_share).collect();
        assert_eq!(told, [0.0, 0.0, 1.0, 0.0, 0.5]);
        assert_eq!(out.slices.iter().map(|s| s.count).sum::<i64>(), 5 * 5 * 500);
    }

    #[test]
    fn snapshots_are_month_ends_within_the_period() {
        let cal = Calendar::new(Date::from_ymd_opt(2024, 1, 15).unwrap(), 2);
        let dates = snapshot_dates(&cal);
        let want = ["2024-01-31", "2024-02-29", "2024-03-14"];
        assert_eq!(dates.iter().map(|d| d.to_string()).collect::<Vec<_>>(), want);
    }
}
