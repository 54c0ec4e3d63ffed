//! The full posterior of PyMC-Marketing's example data (data/mmm/mmm_example.csv, 179 weeks, channels x1 and
//! x2, events 1 and 2) by NUTS, with PyMC-Marketing's priors, against the true generating parameters
//! (data/mmm/README.md). Prints wall time, convergence diagnostics, posterior means and 90 % equal-tailed
//! intervals of each channel's alpha, lam and beta, and the channels' shares of the media contribution.
//!
//! Run: `cargo bench -p socialledger-mmm --bench nuts_example` (release build). Arguments: `diagonal` or
//! `low-rank` (mass matrix; both when none is given), `seed=N`, `target_accept=X`, `draws=N`, `warmup=N`.

use socialledger_import::panel_csv::{read_panel, PanelColumns};
use socialledger_mmm::{sample, Frequency, MassMatrix, Model, ModelSpec, NutsSettings, Panel, Priors};

/// True values in the model's scaled space (y / max y, x / max x), from data/mmm/README.md.
const TRUTH: [(&str, f64); 6] = [
    ("x1.alpha", 0.4),
    ("x2.alpha", 0.2),
    ("x1.lam", 3.9866),
    ("x2.lam", 2.9831),
    ("x1.beta", 0.3609),
    ("x2.beta", 0.2406),
];
const TRUE_SHARE_X1: f64 = 0.8066;

fn panel() -> Panel {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/mmm/mmm_example.csv");
    let cols = PanelColumns {
        date: "date_week".into(),
        target: "y".into(),
        media: vec!["x1".into(), "x2".into()],
        controls: vec!["event_1".into(), "event_2".into()],
    };
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    read_panel("mmm_example.csv", &bytes, &cols).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// PyMC-Marketing's example priors; trend (a column PyMC-Marketing's example does not have) keeps our default,
/// beta keeps our default rule HalfNormal(2 x spend share), which is theirs.
fn priors() -> Priors {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/mmm/pymc_example_priors.toml");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Priors::from_toml_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Mean and 90 % equal-tailed interval.
fn mean_eti(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v.iter().sum::<f64>() / v.len() as f64, quantile(&v, 0.05), quantile(&v, 0.95))
}

fn run(model: &Model, settings: &NutsSettings) {
    println!(
        "\n== mass matrix {:?}, {} chains x ({} warmup + {} draws), target_accept {}, seed {}",
        settings.mass_matrix, settings.chains, settings.warmup, settings.draws, settings.target_accept, settings.seed
    );
    let post = match sample(model, None, settings) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("nuts_example: {e}");
            std::process::exit(2);
        }
    };
    let diags = post.diagnostics(model);
    let summary = post.summary(&diags);
    println!("elapsed {:.2} s", post.elapsed.as_secs_f64());
    println!(
        "max R-hat {:.4}  min ESS bulk {:.0}  min ESS tail {:.0}  divergences {} (warmup {})  converged {}",
        summary.max_rhat,
        summary.min_ess_bulk,
        summary.min_ess_tail,
        summary.divergences,
        post.warmup_divergences.iter().sum::<usize>(),
        summary.converged(post.chains())
    );
    println!(
        "step sizes {:?}  mean tree depth {:?}  max-depth hits {:?}  gradients {:?}",
        post.step_sizes.iter().map(|s| format!("{s:.3}")).collect::<Vec<_>>(),
        post.mean_tree_depth.iter().map(|d| format!("{d:.2}")).collect::<Vec<_>>(),
        post.max_depth_hits,
        post.gradient_evals
    );
    let worst = diags.iter().max_by(|a, b| a.rhat.total_cmp(&b.rhat)).unwrap();
    let slowest = diags.iter().min_by(|a, b| a.ess_bulk.total_cmp(&b.ess_bulk)).unwrap();
    println!(
        "worst R-hat: {} ({:.4}); lowest bulk ESS: {} ({:.0})",
        worst.name, worst.rhat, slowest.name, slowest.ess_bulk
    );

    let names = model.param_names();
    let natural = post.map(|z| model.natural_values(z));
    println!(
        "{:10} {:>8} {:>8} {:>8} {:>8} {:>7} {:>6} {:>6}",
        "param", "truth", "mean", "5%", "95%", "R-hat", "bulk", "tail"
    );
    for (name, truth) in TRUTH {
        let k = names.iter().position(|n| n == name).unwrap();
        let (m, lo, hi) = mean_eti(natural.iter().flatten().map(|v| v[k]).collect());
        let d = &diags[k];
        println!(
            "{name:10} {truth:8.4} {m:8.4} {lo:8.4} {hi:8.4} {:7.4} {:6.0} {:6.0}",
            d.rhat, d.ess_bulk, d.ess_tail
        );
    }
    // Contribution of channel m in outcome units: sum over weeks of y_scale x beta_m x saturation(adstock(x_m)).
    let y_scale = model.design.y_scale;
    let contributions = post.map(|z| {
        let p = model.params(z);
        (0..model.n_channels())
            .map(|m| {
                y_scale * p.beta[m] * model.channel_feature(m, &p.adstock[m], &p.saturation[m]).iter().sum::<f64>()
            })
            .collect()
    });
    let share_x1 = mean_eti(contributions.iter().flatten().map(|c| c[0] / (c[0] + c[1])).collect());
    let contrib_x1 = mean_eti(contributions.iter().flatten().map(|c| c[0]).collect());
    let contrib_x2 = mean_eti(contributions.iter().flatten().map(|c| c[1]).collect());
    println!(
        "contribution x1 {:.0} [{:.0}, {:.0}] (truth 274,848), x2 {:.0} [{:.0}, {:.0}] (truth 65,906)",
        contrib_x1.0, contrib_x1.1, contrib_x1.2, contrib_x2.0, contrib_x2.1, contrib_x2.2
    );
    println!(
        "share of media contribution: x1 {:.2} % [{:.2}, {:.2}], x2 {:.2} %  (truth {:.2} % / {:.2} %)",
        100.0 * share_x1.0,
        100.0 * share_x1.1,
        100.0 * share_x1.2,
        100.0 * (1.0 - share_x1.0),
        100.0 * TRUE_SHARE_X1,
        100.0 * (1.0 - TRUE_SHARE_X1)
    );
}

fn main() {
    // The sampler itself on the model's own `z` at PyMC's target_accept 0.8, as docs/mmm.md's table was
    // measured (`fit_nuts` defaults to centred coordinates and 0.9; see docs/mmm.md).
    let mut settings = NutsSettings { target_accept: 0.8, ..NutsSettings::default() };
    let mut kinds = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.split_once('=') {
            Some(("seed", v)) => settings.seed = v.parse().expect("seed=N"),
            Some(("target_accept", v)) => settings.target_accept = v.parse().expect("target_accept=X"),
            Some(("draws", v)) => settings.draws = v.parse().expect("draws=N"),
            Some(("warmup", v)) => settings.warmup = v.parse().expect("warmup=N"),
            None if arg == "diagonal" => kinds.push(MassMatrix::Diagonal),
            None if arg == "low-rank" => kinds.push(MassMatrix::LowRank),
            // cargo bench passes --bench; anything else is ignored likewise.
            _ => {}
        }
    }
    if kinds.is_empty() {
        kinds = vec![MassMatrix::Diagonal, MassMatrix::LowRank];
    }
    let model = Model::new(&panel(), &ModelSpec::default_for(Frequency::Weekly), &priors()).unwrap_or_else(|e| {
        eprintln!("nuts_example: {e}");
        std::process::exit(2);
    });
    println!(
        "PyMC-Marketing example: {} weeks, {} parameters ({})",
        model.design.n,
        model.dim(),
        model.param_names().join(", ")
    );
    for kind in kinds {
        run(&model, &NutsSettings { mass_matrix: kind, ..settings.clone() });
    }
}
