//! The figures behind docs/demo-model.md, "What a mix model can and cannot identify in the demo": for each
//! channel of the demo's weekly panel, how its input varies, what it moves with, how its true contribution to
//! pipeline (truth.json, `weekly_pipeline`) varies, and whether even an oracle that knows the exact shape of
//! every channel's true contribution could tell its size from the weekly noise.
//!
//! Reproduce: `cargo test -p socialledger-analytics --lib identify -- --nocapture` prints the tables. The test
//! asserts the findings the docs state, so the docs cannot drift from the demo silently.

use super::stats::{correlation, cv};
use super::*;
use socialledger_demo::{simulate, DemoConfig, Simulation};

/// One channel's figures.
#[derive(Debug)]
struct Row {
    key: String,
    input: InputKind,
    active: usize,
    /// Coefficient of variation of the weekly input.
    cv: f64,
    /// The other panel series whose weekly input correlates most with this one's.
    partner: String,
    r: f64,
    /// True share of the panel weeks' expected pipeline that disappears without the channel (removal).
    removal_share: f64,
    /// Coefficient of variation, over the weeks, of the channel's true share of each week's expected pipeline.
    share_cv: f64,
    /// Correlation of the adstocked input (the truth's half-life) with the channel's true weekly share.
    input_truth_r: f64,
    /// The oracle regression's z: the true coefficient (1) over its standard error.
    oracle_z: f64,
    /// The same with this channel's shape as the only media column (no collinearity with other channels).
    oracle_alone_z: f64,
}

struct Figures {
    weeks: usize,
    target_cv: f64,
    deals_per_week: f64,
    /// Share of the weekly pipeline's variance around its expectation (deal-level noise) in its total variance.
    noise_share: f64,
    rows: Vec<Row>,
    /// Oracle z of channels with a true effect that are not panel series (Instagram by hours).
    oracle_only: Vec<(String, f64)>,
    /// Share of the weekly pipeline's variance that all channels' input-driven contributions together explain.
    channels_variance_share: f64,
    /// Oracle z of all channels' contributions together (one column: "does marketing work at all").
    oracle_total_z: f64,
}

fn figures(sim: &Simulation, organic: OrganicInput) -> Figures {
    let opts = PanelOptions { organic_input: organic, ..PanelOptions::default() };
    let panel = build_panel(sim.dataset(), &Settings::default(), &opts).unwrap().panel;
    let n = panel.len();
    let truth = &sim.truth().weekly_pipeline;
    let offset = truth.weeks.iter().position(|w| *w == panel.dates[0]).unwrap();
    let weekly = |xs: &[f64]| xs[offset..offset + n].to_vec();
    let expected = weekly(&truth.expected_eur);
    let deals: Vec<f64> = {
        let deals = build_panel(sim.dataset(), &Settings::default(), &PanelOptions { target: Target::Deals, ..opts })
            .unwrap()
            .panel
            .target;
        deals
    };
    let residual: Vec<f64> = panel.target.iter().zip(&expected).map(|(y, e)| y - e).collect();
    let var = |xs: &[f64]| {
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / xs.len() as f64
    };
    let mean_expected = expected.iter().sum::<f64>() / n as f64;
    // Each truth channel's contribution shape: its true weekly share of expected pipeline at the mean level, so
    // week-to-week swings in the number of buying triggers (which no input explains) are not in it.
    let shapes: Vec<(String, Vec<f64>, Vec<f64>)> = truth
        .channels
        .iter()
        .map(|c| {
            let share: Vec<f64> = weekly(&c.shapley_eur).iter().zip(&expected).map(|(s, e)| s / e.max(1.0)).collect();
            (c.channel.clone(), share.iter().map(|s| s * mean_expected).collect(), share)
        })
        .collect();
    let z = oracle(&panel, &shapes.iter().map(|(_, s, _)| s.clone()).collect::<Vec<_>>());
    let total: Vec<f64> = (0..n).map(|t| shapes.iter().map(|(_, s, _)| s[t]).sum()).collect();
    let oracle_total_z = oracle(&panel, std::slice::from_ref(&total))[0];
    let summary = summarize(&panel);
    let rows = summary
        .channels
        .iter()
        .map(|s| {
            let series = panel.channels.iter().find(|c| c.key == s.key).unwrap();
            let k = shapes.iter().position(|(c, _, _)| *c == s.key);
            let half_life = sim.truth().config.effect(&s.key).map_or(30.0, |e| e.half_life_days);
            let adstocked = adstock(&series.values, 0.5f64.powf(7.0 / half_life));
            let removal =
                truth.channels.iter().find(|c| c.channel == s.key).map_or(0.0, |c| weekly(&c.removal_eur).iter().sum());
            Row {
                key: s.key.clone(),
                input: s.input,
                active: s.periods_active,
                cv: s.cv.unwrap_or(0.0),
                partner: s.most_correlated.as_ref().map_or(String::new(), |m| m.key.clone()),
                r: s.most_correlated.as_ref().map_or(0.0, |m| m.r),
                removal_share: removal / expected.iter().sum::<f64>(),
                share_cv: k.and_then(|k| cv(&shapes[k].2)).unwrap_or(0.0),
                input_truth_r: k.and_then(|k| correlation(&adstocked, &shapes[k].2)).unwrap_or(0.0),
                oracle_z: k.map_or(0.0, |k| z[k]),
                oracle_alone_z: k.map_or(0.0, |k| oracle(&panel, std::slice::from_ref(&shapes[k].1))[0]),
            }
        })
        .collect();
    let oracle_only = shapes
        .iter()
        .enumerate()
        .filter(|(_, (c, _, _))| !panel.channels.iter().any(|s| &s.key == c))
        .map(|(k, (c, _, _))| (c.clone(), z[k]))
        .collect();
    Figures {
        weeks: n,
        target_cv: cv(&panel.target).unwrap(),
        deals_per_week: deals.iter().sum::<f64>() / n as f64,
        noise_share: var(&residual) / var(&panel.target),
        rows,
        oracle_only,
        channels_variance_share: var(&total) / var(&panel.target),
        oracle_total_z,
    }
}

/// Geometric carry-over with weekly retention `keep`.
fn adstock(x: &[f64], keep: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(x.len());
    let mut carry = 0.0;
    for v in x {
        carry = v + keep * carry;
        out.push(carry);
    }
    out
}

/// A true-model least-squares oracle: the weekly pipeline regressed on intercept, trend, two yearly Fourier
/// pairs and every channel's exact true contribution shape. Returns, per shape, 1 / (standard error of its
/// coefficient): how many standard errors the true size is from zero. Below 2, the weekly history cannot tell
/// the channel's effect from nothing, whatever the model.
fn oracle(panel: &Panel, shapes: &[Vec<f64>]) -> Vec<f64> {
    use nalgebra::{DMatrix, DVector};
    let n = panel.len();
    let fixed = 6;
    let p = fixed + shapes.len();
    let mut x = DMatrix::<f64>::zeros(n, p);
    for t in 0..n {
        let tt = t as f64;
        x[(t, 0)] = 1.0;
        x[(t, 1)] = tt / (n - 1) as f64;
        for k in 0..2 {
            let angle = 2.0 * std::f64::consts::PI * (k + 1) as f64 * tt / Frequency::Weekly.periods_per_year();
            x[(t, 2 + 2 * k)] = angle.sin();
            x[(t, 3 + 2 * k)] = angle.cos();
        }
        for (j, s) in shapes.iter().enumerate() {
            x[(t, fixed + j)] = s[t];
        }
    }
    let y = DVector::from_column_slice(&panel.target);
    let xtx = x.transpose() * &x;
    let inv = xtx.try_inverse().expect("the oracle's design has full rank");
    let beta = &inv * x.transpose() * &y;
    let resid = &y - &x * &beta;
    let sigma2 = resid.norm_squared() / (n - p) as f64;
    (0..shapes.len()).map(|j| 1.0 / (sigma2 * inv[(fixed + j, fixed + j)]).sqrt()).collect()
}

fn print(title: &str, f: &Figures) {
    eprintln!(
        "\n{title}: {} weeks, {:.1} deals a week, weekly pipeline CV {:.2}, deal-level noise {:.0} % of its variance",
        f.weeks,
        f.deals_per_week,
        f.target_cv,
        100.0 * f.noise_share
    );
    eprintln!(
        "all channels' input-driven contributions: {:.1} % of the weekly pipeline's variance; oracle z of their sum {:.1}",
        100.0 * f.channels_variance_share,
        f.oracle_total_z
    );
    eprintln!(
        "{:<13} {:<11} {:>7} {:>6} {:<22} {:>9} {:>9} {:>8} {:>7} {:>6}",
        "series", "input", "active", "CV", "moves most with (r)", "true shr", "shr CV", "in~truth", "oracle", "alone"
    );
    for r in &f.rows {
        eprintln!(
            "{:<13} {:<11} {:>3}/{:<3} {:>6.2} {:<22} {:>8.1}% {:>9.2} {:>8.2} {:>7.1} {:>6.1}",
            r.key,
            r.input.as_str(),
            r.active,
            f.weeks,
            r.cv,
            format!("{} ({:+.2})", r.partner, r.r),
            100.0 * r.removal_share,
            r.share_cv,
            r.input_truth_r,
            r.oracle_z,
            r.oracle_alone_z
        );
    }
    for (c, z) in &f.oracle_only {
        eprintln!("{c:<13} (not a panel series)  oracle {z:.1}");
    }
}

fn row<'a>(f: &'a Figures, key: &str) -> &'a Row {
    f.rows.iter().find(|r| r.key == key).unwrap()
}

/// The findings docs/demo-model.md states, for the default company over 24 and 36 months and for a company of
/// 4,000 accounts over 36 months.
#[test]
fn identifiability_figures_of_the_demo() {
    for (months, accounts) in [(24, 400), (36, 400), (36, 4000)] {
        let sim = simulate(&DemoConfig { months, accounts, ..DemoConfig::default() });
        for organic in [OrganicInput::Hours, OrganicInput::Impressions] {
            let f = figures(&sim, organic);
            print(&format!("{months} months, {accounts} accounts, organic by {organic:?}"), &f);
            // No single channel's effect stands out of the weekly noise, even for an oracle that knows the
            // exact shape of every channel's true contribution and only estimates its size.
            for r in &f.rows {
                assert!(r.oracle_z < 2.0 && r.oracle_alone_z < 2.0, "{months}/{accounts}: {r:?}");
            }
            // Campaigns and LinkedIn Ads move together: every campaign has a flight over its window.
            let ads = row(&f, "linkedin-ads");
            assert!(ads.partner == "campaigns" && ads.r > 0.75, "{ads:?}");
            // Trade fairs: 3-4 a year, in 2 of their week's days.
            assert!(row(&f, "events").active <= 4 * months as usize / 12, "{:?}", row(&f, "events"));
            // The LinkedIn page: the largest true effect, an input that hardly varies, a share that moves less.
            let li = row(&f, "linkedin");
            assert!(li.removal_share > 0.2 && li.cv < 0.6 && li.share_cv < 0.25, "{li:?}");
            if accounts == 400 {
                assert!(f.noise_share > 0.7 && f.channels_variance_share < 0.06, "{months}");
                assert!(f.oracle_total_z < 2.5, "{}", f.oracle_total_z);
                if organic == OrganicInput::Hours {
                    assert!(li.cv < 0.35, "{li:?}");
                }
            } else {
                // A company ten times the size: the channels together become visible, none of them alone.
                assert!(f.oracle_total_z > 3.0, "{}", f.oracle_total_z);
            }
        }
    }
}
