//! Calibration by an experiment against simulated worlds with known truth (crates/mmm-worlds): each world's
//! channel with the widest interval on its contribution is "experimented on" (worlds where the fast fit fails its
//! full posterior is sampled, as the default fit does on these worlds, with shorter chains; worlds where it does
//! not converge are left out): the readout is the channel's true
//! mean weekly contribution plus the noise of an experiment whose standard error is 15 % of it, with its 90 %
//! interval. Calibrated with it, the fit's estimate of that channel's contribution must come at least twice as
//! close to the truth (summed over the worlds) and its interval cover the truth in all worlds but one; a readout
//! that says "nothing" must pull the channel's contribution down.
//! `cargo test -p socialledger-mmm --test calibration -- --nocapture` prints the table.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use socialledger_mmm::calibration::{calibrate, Calibration};
use socialledger_mmm::{fit_nuts, FitOptions, MmmResult, NutsSettings};
use socialledger_mmm_worlds::World;

const SEEDS: [u64; 6] = [1, 2, 3, 4, 5, 6];
const Z90: f64 = 1.644_853_626_951_472_2;

/// The full posterior (NUTS: the fast fit's approximation fails its check on these worlds, so the default fit
/// samples them too), with fewer draws than the default to keep the test short.
fn fit(world: &World, calibrations: &[Calibration]) -> MmmResult {
    let mut opts = FitOptions { spec: world.spec(), cross_validate: false, ..FitOptions::new(&world.panel) };
    let (priors, done) = calibrate(&world.panel, &opts.spec, &opts.priors, calibrations).unwrap();
    assert_eq!(done.len(), calibrations.len());
    opts.priors = priors;
    let nuts = NutsSettings { chains: 2, warmup: 400, draws: 400, seed: world.truth.seed, ..NutsSettings::default() };
    fit_nuts(&world.panel, &opts, &nuts).unwrap().result
}

/// Converged enough for a test: R-hat below 1.05 (the product's gate asks 1.01 and more draws than this test
/// spends).
fn converged(r: &MmmResult) -> bool {
    r.diagnostics.max_rhat.is_some_and(|x| x < 1.05)
}

#[test]
fn a_readout_brings_its_channel_to_the_truth() {
    let (mut error_before, mut error_after) = (0.0, 0.0);
    let mut covered = 0;
    let mut pulled_down = 0;
    let mut n = 0;
    for seed in SEEDS {
        let world = World::generate(seed);
        let before = fit(&world, &[]);
        if !converged(&before) {
            let failed: Vec<String> = before
                .diagnostics
                .checks
                .iter()
                .filter(|c| !c.passed)
                .map(|c| format!("{} {:.3}", c.check, c.value))
                .collect();
            eprintln!("world {seed}: the sampler did not converge ({}), left out", failed.join(", "));
            continue;
        }
        // The channel the history tells least about, relative to its size.
        let (m, c) = before
            .channels
            .iter()
            .enumerate()
            .max_by(|a, b| {
                let rel = |c: &socialledger_mmm::ChannelResult| {
                    (c.contribution_high - c.contribution_low) / c.contribution.abs().max(1e-9)
                };
                rel(a.1).total_cmp(&rel(b.1))
            })
            .unwrap();
        let truth = &world.truth.channels[m];
        assert_eq!(truth.key, c.channel);
        let weeks = truth.weekly.len() as f64;
        let true_weekly = truth.contribution / weeks;
        let se = 0.15 * true_weekly;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let z: f64 = StandardNormal.sample(&mut rng);
        let estimate = true_weekly + se * z;
        let readout = Calibration {
            channel: c.channel.clone(),
            effect: estimate,
            low: estimate - Z90 * se,
            high: estimate + Z90 * se,
            level: 0.9,
            source: format!("world {seed}"),
        };
        let after = fit(&world, std::slice::from_ref(&readout));
        if !converged(&after) {
            eprintln!("world {seed}: the calibrated fit's sampler did not converge, left out");
            continue;
        }
        n += 1;
        let a = &after.channels[m];
        let covers = a.contribution_low <= truth.contribution && truth.contribution <= a.contribution_high;
        error_before += (c.contribution - truth.contribution).abs();
        error_after += (a.contribution - truth.contribution).abs();
        covered += usize::from(covers);
        // A readout of nothing (the experiment saw no effect, +-15 % of the truth as its noise).
        let nothing = Calibration { effect: 0.0, low: -Z90 * se, high: Z90 * se, ..readout.clone() };
        let zero = fit(&world, &[nothing]);
        pulled_down += usize::from(zero.channels[m].contribution < a.contribution);
        eprintln!(
            "world {seed}: {:12} truth {:>12.0}  before {:>12.0} [{:>12.0}, {:>12.0}]  calibrated {:>12.0} [{:>12.0}, \
             {:>12.0}] {}  readout of nothing {:>12.0}",
            c.channel,
            truth.contribution,
            c.contribution,
            c.contribution_low,
            c.contribution_high,
            a.contribution,
            a.contribution_low,
            a.contribution_high,
            if covers { "covers" } else { "MISSES" },
            zero.channels[m].contribution
        );
    }
    assert!(n >= 4, "only {n} worlds where the sampler converged");
    eprintln!(
        "error of the estimate {:.0} before, {:.0} calibrated; covered {covered}/{n}; pulled down by a null readout \
         {pulled_down}/{n}",
        error_before / n as f64,
        error_after / n as f64
    );
    assert!(
        error_after <= 0.5 * error_before,
        "calibration must at least halve the error: {error_after} vs {error_before}"
    );
    assert!(covered + 1 >= n, "calibrated intervals covered the truth in {covered} of {n} worlds");
    assert_eq!(pulled_down, n, "a readout of nothing must pull the contribution below the calibrated one");
}

#[test]
fn readouts_that_cannot_calibrate_are_errors_that_say_why() {
    let world = World::generate(1);
    let opts = FitOptions::new(&world.panel);
    let key = world.panel.channels[0].key.clone();
    let ok =
        Calibration { channel: key.clone(), effect: 10.0, low: 5.0, high: 15.0, level: 0.9, source: "p.json".into() };
    let unknown = Calibration { channel: "myspace".into(), ..ok.clone() };
    let e = calibrate(&world.panel, &opts.spec, &opts.priors, &[unknown]).unwrap_err().to_string();
    assert!(e.contains("p.json") && e.contains("myspace") && e.contains(&key), "{e}");
    let e = calibrate(&world.panel, &opts.spec, &opts.priors, &[ok.clone(), ok.clone()]).unwrap_err().to_string();
    assert!(e.contains("one experiment per channel"), "{e}");
    let inverted = Calibration { low: 20.0, ..ok.clone() };
    let e = calibrate(&world.panel, &opts.spec, &opts.priors, &[inverted]).unwrap_err().to_string();
    assert!(e.contains("not an interval"), "{e}");
    let nan = Calibration { effect: f64::NAN, ..ok };
    assert!(calibrate(&world.panel, &opts.spec, &opts.priors, &[nan]).is_err());
}
