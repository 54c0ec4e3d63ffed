//! The switchback against simulated worlds whose truth is known: weekly outcomes with a trend, a yearly season,
//! autocorrelated noise and a channel with carry-over and saturation that runs every week of the history. Each
//! world plans a switchback on its own history, runs it (the channel paused as the schedule says) and reads it
//! out. The 90 % intervals must cover the true contrast in at least 85 % of the worlds (the bar), and
//! the planned power must match the share of worlds whose interval excludes zero within 10 points.

use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use socialledger_decide::experiment::carryover::Response;
use socialledger_decide::experiment::switchback::{plan, read_out, PlanRequest};
use socialledger_mmm::design::fourier;
use socialledger_mmm::spec::{AdstockKind, SaturationKind};

const HISTORY: usize = 156;

struct World {
    dates: Vec<NaiveDate>,
    /// The outcome without the channel's variation: baseline + noise, for every week of history and experiment.
    base: Vec<f64>,
    effect: f64,
    response: Response,
}

impl World {
    fn new(seed: u64, effect: f64, rho: f64) -> World {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let start = NaiveDate::from_ymd_opt(2022, 1, 3).unwrap();
        let n = HISTORY + 120;
        let dates: Vec<NaiveDate> = (0..n).map(|t| start + chrono::Duration::days(7 * t as i64)).collect();
        let innovation = Normal::new(0.0, 12.0).unwrap();
        let mut e = 0.0;
        let base = dates
            .iter()
            .enumerate()
            .map(|(t, d)| {
                e = rho * e + innovation.sample(&mut rng);
                100.0 + 15.0 * t as f64 / HISTORY as f64 + 8.0 * fourier(1, false, *d) + e
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
        World { dates, base, effect, response }
    }

    /// Outcome of weeks `from..from+on.len()` when the channel runs as `on` says (its steady effect is part of
    /// every normal week).
    fn outcome(&self, from: usize, on: &[bool]) -> Vec<f64> {
        let rel = self.response.relative_contribution(on);
        (0..on.len()).map(|i| self.base[from + i] + self.effect * rel[i]).collect()
    }
}

struct Tally {
    worlds: usize,
    covered: usize,
    detected: usize,
    planned_power: f64,
}

fn run(effect: f64, rho: f64, worlds: u64) -> Tally {
    let mut t = Tally { worlds: 0, covered: 0, detected: 0, planned_power: 0.0 };
    for seed in 0..worlds {
        let w = World::new(seed, effect, rho);
        let history = w.outcome(0, &[true; HISTORY]);
        let req = PlanRequest {
            dates: &w.dates[..HISTORY],
            outcome: &history,
            response: &w.response,
            effect,
            weeks: None,
            max_weeks: 104,
            seed,
        };
        let p = plan(&req).unwrap();
        let weeks = p.weeks;
        let during = w.outcome(HISTORY, &p.schedule.on);
        let r = read_out(
            &w.dates[..HISTORY],
            &history,
            &w.dates[HISTORY..HISTORY + weeks],
            &during,
            &p.schedule,
            Some(&w.response),
        )
        .unwrap();
        let truth = p.schedule.contrast(&w.response.relative_contribution(&p.schedule.on)).unwrap() * effect;
        t.worlds += 1;
        t.covered += usize::from(r.contrast.low <= truth && truth <= r.contrast.high);
        t.detected += usize::from(r.contrast.low > 0.0 || r.contrast.high < 0.0);
        t.planned_power += p.power;
    }
    t.planned_power /= t.worlds as f64;
    t
}

#[test]
fn intervals_cover_the_true_contrast_and_the_planned_power_comes_true() {
    for (effect, rho) in [(12.0, 0.3), (25.0, 0.0), (0.0, 0.3)] {
        let t = run(effect, rho, 200);
        let coverage = t.covered as f64 / t.worlds as f64;
        let detection = t.detected as f64 / t.worlds as f64;
        eprintln!(
            "effect {effect}, rho {rho}: coverage {:.1} %, detected {:.1} %, planned power {:.1} %",
            100.0 * coverage,
            100.0 * detection,
            100.0 * t.planned_power
        );
        assert!(coverage >= 0.85, "coverage {coverage}");
        assert!((detection - t.planned_power).abs() <= 0.10, "detected {detection}, planned {}", t.planned_power);
    }
}
