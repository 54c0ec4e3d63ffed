//! The account holdout against simulated worlds whose truth is known, with the sparse, zero-heavy outcomes of
//! B2B. Each world is a company of 2000 accounts, 156 weeks of history and up to 52 of experiment:
//!
//! * every account creates deals at its own weekly rate without the channel, drawn from a gamma distribution
//!   (shape 0.5, mean 0.01: most accounts create no deal in a quarter, a few create several), times a yearly
//!   season (+-20 %);
//! * a deal's amount is log-normal (median 20 000, log-sd 1.2: a few deals are ten times the median);
//! * the channel's ads raise an exposed account's rate by `lift` (0.5 or 0.25) with geometric adstock alpha 0.4
//!   over 8 weeks; every account is exposed in the history.
//!
//! Each world plans an account holdout (half the accounts) on its own history for the company-wide weekly effect
//! the lift makes, holds the planned accounts out for the planned weeks and reads it out. The truth is the
//! expected outcome per held-out account over the analysed weeks that holding out took away (their own rates x
//! lift x season x the part the carry-over let go of x the mean amount). The 90 % intervals must cover it in at
//! least 85 % of the worlds, and the planned power must match the share of worlds whose interval excludes zero
//! within 10 points (the bars). `cargo test -p socialledger-decide --test account_holdout_worlds --
//! --nocapture` prints the table.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, LogNormal};
use socialledger_decide::experiment::account_holdout::{plan, read_out, PlanRequest, DEFAULT_SHARE};
use socialledger_decide::experiment::carryover::Response;
use socialledger_mmm::spec::{AdstockKind, SaturationKind};

const ACCOUNTS: usize = 2000;
const HISTORY: usize = 156;
const MAX_WEEKS: usize = 52;
const MEDIAN_AMOUNT: f64 = 20_000.0;
const LOG_SD: f64 = 1.2;

struct World {
    /// Per account, its weekly deal rate without the channel.
    rate: Vec<f64>,
    lift: f64,
    response: Response,
    rng: ChaCha8Rng,
}

fn season(t: usize) -> f64 {
    1.0 + 0.2 * (2.0 * std::f64::consts::PI * t as f64 / 52.18).sin()
}

fn mean_amount() -> f64 {
    MEDIAN_AMOUNT * (LOG_SD * LOG_SD / 2.0).exp()
}

impl World {
    fn new(seed: u64, lift: f64) -> World {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let gamma = Gamma::new(0.5, 0.01 / 0.5).unwrap();
        let rate = (0..ACCOUNTS).map(|_| gamma.sample(&mut rng)).collect();
        let response = Response {
            adstock: AdstockKind::Geometric,
            adstock_params: vec![0.4],
            l_max: 8,
            saturation: SaturationKind::Logistic,
            saturation_params: vec![2.0],
            level: 0.6,
        };
        World { rate, lift, response, rng }
    }

    /// Per account, weeks `from..from + weeks`: deals drawn week by week (Poisson-thin: at most one a week is
    /// plenty at these rates), the channel's share of the ads `exposure[t]` for held-out accounts, 1 otherwise.
    fn outcome(&mut self, from: usize, weeks: usize, held_out: &[bool]) -> Vec<Vec<f64>> {
        let off = self.response.relative_contribution(&vec![false; weeks]);
        let amount = LogNormal::new(MEDIAN_AMOUNT.ln(), LOG_SD).unwrap();
        let mut out = Vec::with_capacity(ACCOUNTS);
        for (i, rate) in self.rate.iter().enumerate() {
            let held = held_out.get(i).copied().unwrap_or(false);
            let series = (0..weeks)
                .map(|k| {
                    let exposure = if held { off[k] } else { 1.0 };
                    let p = (rate * season(from + k) * (1.0 + self.lift * exposure)).min(1.0);
                    if self.rng.gen_bool(p) {
                        amount.sample(&mut self.rng)
                    } else {
                        0.0
                    }
                })
                .collect();
            out.push(series);
        }
        out
    }

    /// The channel's weekly effect over the whole company, averaged over the history's weeks.
    fn company_effect(&self) -> f64 {
        let season: f64 = (0..HISTORY).map(season).sum::<f64>() / HISTORY as f64;
        self.rate.iter().sum::<f64>() * self.lift * season * mean_amount()
    }
}

struct Tally {
    worlds: usize,
    covered: usize,
    detected: usize,
    planned_power: f64,
    weeks: usize,
}

fn run(lift: f64, worlds: u64) -> Tally {
    let mut t = Tally { worlds: 0, covered: 0, detected: 0, planned_power: 0.0, weeks: 0 };
    for seed in 0..worlds {
        let mut w = World::new(seed, lift);
        let history = w.outcome(0, HISTORY, &[]);
        let req = PlanRequest {
            outcome: &history,
            response: &w.response,
            effect: w.company_effect(),
            share: DEFAULT_SHARE,
            weeks: None,
            max_weeks: MAX_WEEKS,
            seed,
        };
        let p = plan(&req).unwrap();
        let during = w.outcome(HISTORY, p.weeks, &p.held_out);
        let r = read_out(&history, &during, &p.held_out, p.washout_weeks, Some(&w.response)).unwrap();
        let off = w.response.relative_contribution(&vec![false; p.weeks]);
        let held: Vec<usize> = (0..ACCOUNTS).filter(|i| p.held_out[*i]).collect();
        let truth = held
            .iter()
            .map(|i| {
                (p.washout_weeks..p.weeks)
                    .map(|k| w.rate[*i] * season(HISTORY + k) * lift * (1.0 - off[k]) * mean_amount())
                    .sum::<f64>()
            })
            .sum::<f64>()
            / held.len() as f64;
        t.worlds += 1;
        t.covered += usize::from(r.per_account.low <= truth && truth <= r.per_account.high);
        t.detected += usize::from(r.per_account.low > 0.0 || r.per_account.high < 0.0);
        t.planned_power += p.power;
        t.weeks += p.weeks;
    }
    t.planned_power /= t.worlds as f64;
    t
}

#[test]
fn intervals_cover_the_true_effect_and_the_planned_power_comes_true() {
    eprintln!("| lift | coverage | detected | planned power | mean weeks |");
    for lift in [0.5, 0.25, 0.0] {
        let t = run(lift, 200);
        let coverage = t.covered as f64 / t.worlds as f64;
        let detection = t.detected as f64 / t.worlds as f64;
        eprintln!(
            "| {lift} | {:.1} % | {:.1} % | {:.1} % | {:.1} |",
            100.0 * coverage,
            100.0 * detection,
            100.0 * t.planned_power,
            t.weeks as f64 / t.worlds as f64
        );
        assert!(coverage >= 0.85, "lift {lift}: coverage {coverage}");
        assert!(
            (detection - t.planned_power).abs() <= 0.10,
            "lift {lift}: detected {detection}, planned {}",
            t.planned_power
        );
    }
}
