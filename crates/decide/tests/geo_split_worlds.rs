//! The geo-split against simulated worlds whose truth is known. Each world is a company selling in 12 regions of
//! unequal size (from 30 % of the outcome down to 2 %), 156 weeks of history and up to 52 of experiment:
//!
//! * the company's weekly outcome (about 1000) grows 15 % over the history and has a yearly season (+-10 %)
//!   and a market shock (AR(1), rho 0.5, innovation sd 30) that every region shares in proportion to its size;
//! * every region adds its own noise: AR(1) with rho 0.3 and innovation sd `12 x sqrt(12 x size share)`;
//! * the channel adds `effect x size share` a week to every region where it runs, with geometric adstock alpha
//!   0.4 over 8 weeks (so the pause takes a few weeks to show) and runs everywhere in the history.
//!
//! Each world plans a geo-split on its own history, pauses the planned regions for the planned weeks and reads
//! it out. The truth is the outcome per week that pausing took away in the paused regions over the analysed
//! weeks (their true share of the effect x the part the carry-over let go of). The 90 % intervals must cover it
//! in at least 85 % of the worlds, and the planned power must match the share of worlds whose interval excludes
//! zero within 10 points (the bars). `cargo test -p socialledger-decide --test geo_split_worlds --
//! --nocapture` prints the table.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use socialledger_decide::experiment::carryover::Response;
use socialledger_decide::experiment::geo_split::{plan, read_out, PlanRequest};
use socialledger_mmm::spec::{AdstockKind, SaturationKind};

const HISTORY: usize = 156;
const MAX_WEEKS: usize = 52;
const SIZES: [f64; 12] = [30.0, 15.0, 12.0, 10.0, 8.0, 6.0, 5.0, 4.0, 3.5, 3.0, 1.5, 2.0];

struct World {
    /// Per region, per week of history and experiment: the outcome without the channel.
    base: Vec<Vec<f64>>,
    /// Per region: its share of the outcome (and of the channel's effect).
    share: Vec<f64>,
    effect: f64,
    response: Response,
}

impl World {
    fn new(seed: u64, effect: f64) -> World {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = HISTORY + MAX_WEEKS;
        let total: f64 = SIZES.iter().sum();
        let share: Vec<f64> = SIZES.iter().map(|s| s / total).collect();
        let market = Normal::new(0.0, 30.0).unwrap();
        let mut m = 0.0;
        let company: Vec<f64> = (0..n)
            .map(|t| {
                m = 0.5 * m + market.sample(&mut rng);
                let season = 1.0 + 0.1 * (2.0 * std::f64::consts::PI * t as f64 / 52.18).sin();
                1000.0 * (1.0 + 0.15 * t as f64 / HISTORY as f64) * season + m
            })
            .collect();
        let base = share
            .iter()
            .map(|s| {
                let own = Normal::new(0.0, 12.0 * (12.0 * s).sqrt()).unwrap();
                let mut e = 0.0;
                company
                    .iter()
                    .map(|c| {
                        e = 0.3 * e + own.sample(&mut rng);
                        s * c + e
                    })
                    .collect()
            })
            .collect();
        let response = Response {
            adstock: AdstockKind::Geometric,
            adstock_params: vec![0.4],
            l_max: 8,
            saturation: SaturationKind::Logistic,
            saturation_params: vec![2.0],
            level: 0.6,
        };
        World { base, share, effect, response }
    }

    /// Per region, weeks `from..from + weeks`, the channel running everywhere except where `paused` says.
    fn outcome(&self, from: usize, weeks: usize, paused: &[bool]) -> Vec<Vec<f64>> {
        let off = self.response.relative_contribution(&vec![false; weeks]);
        self.base
            .iter()
            .zip(&self.share)
            .zip(paused)
            .map(|((b, s), p)| {
                (0..weeks).map(|i| b[from + i] + self.effect * s * if *p { off[i] } else { 1.0 }).collect()
            })
            .collect()
    }
}

struct Tally {
    worlds: usize,
    covered: usize,
    detected: usize,
    planned_power: f64,
    weeks: usize,
}

fn run(effect: f64, worlds: u64) -> Tally {
    let regions: Vec<String> = (0..SIZES.len()).map(|r| format!("R{r}")).collect();
    let mut t = Tally { worlds: 0, covered: 0, detected: 0, planned_power: 0.0, weeks: 0 };
    for seed in 0..worlds {
        let w = World::new(seed, effect);
        let history = w.outcome(0, HISTORY, &[false; 12]);
        let req = PlanRequest {
            regions: &regions,
            outcome: &history,
            response: &w.response,
            effect,
            weeks: None,
            max_weeks: MAX_WEEKS,
            seed,
        };
        let p = plan(&req).unwrap();
        let paused: Vec<bool> = p.regions.iter().map(|r| r.paused).collect();
        let during = w.outcome(HISTORY, p.weeks, &paused);
        let r = read_out(&history, &during, &paused, p.washout_weeks, Some(&w.response)).unwrap();
        let off = w.response.relative_contribution(&vec![false; p.weeks]);
        let paused_share: f64 = w.share.iter().zip(&paused).filter(|(_, p)| **p).map(|(s, _)| s).sum();
        let truth = effect * paused_share * off[p.washout_weeks..].iter().map(|o| 1.0 - o).sum::<f64>()
            / (p.weeks - p.washout_weeks) as f64;
        t.worlds += 1;
        t.covered += usize::from(r.effect.low <= truth && truth <= r.effect.high);
        t.detected += usize::from(r.effect.low > 0.0 || r.effect.high < 0.0);
        t.planned_power += p.power;
        t.weeks += p.weeks;
    }
    t.planned_power /= t.worlds as f64;
    t
}

#[test]
fn intervals_cover_the_true_effect_and_the_planned_power_comes_true() {
    eprintln!("| company weekly effect | coverage | detected | planned power | mean weeks |");
    for effect in [60.0, 30.0, 0.0] {
        let t = run(effect, 200);
        let coverage = t.covered as f64 / t.worlds as f64;
        let detection = t.detected as f64 / t.worlds as f64;
        eprintln!(
            "| {effect} | {:.1} % | {:.1} % | {:.1} % | {:.1} |",
            100.0 * coverage,
            100.0 * detection,
            100.0 * t.planned_power,
            t.weeks as f64 / t.worlds as f64
        );
        assert!(coverage >= 0.85, "effect {effect}: coverage {coverage}");
        assert!(
            (detection - t.planned_power).abs() <= 0.10,
            "effect {effect}: detected {detection}, planned {}",
            t.planned_power
        );
    }
}
