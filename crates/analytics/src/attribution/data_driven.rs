//! One entry point for the data-driven models (Markov, Shapley, incremental) with bootstrap intervals, so the CLI
//! and the reports run them the same way on a path file or on the database's account-based paths.

use super::bootstrap::{bootstrap, with_intervals};
use super::paths::{DataDrivenResult, PathSet};
use super::{incremental, markov, shapley};
use crate::AnalyticsError;

/// A data-driven model and its parameters.
#[derive(Clone, Debug, PartialEq)]
pub enum DataDrivenModel {
    /// Exact Markov chain of order 1-4.
    Markov { order: u8 },
    /// Simplified Shapley values over channel sets.
    Shapley,
    /// Incremental (causal) model; the named channels are intent signals that get no credit.
    Incremental { intent: Vec<String> },
}

impl DataDrivenModel {
    /// Parses `markov`, `shapley` or `incremental`; `None` for any other name (a heuristic model).
    pub fn parse(name: &str, order: u8, intent: &[String]) -> Option<DataDrivenModel> {
        match name.trim().to_ascii_lowercase().as_str() {
            "markov" => Some(DataDrivenModel::Markov { order }),
            "shapley" => Some(DataDrivenModel::Shapley),
            "incremental" => Some(DataDrivenModel::Incremental { intent: intent.to_vec() }),
            _ => None,
        }
    }

    /// Fits the model once, without intervals.
    pub fn fit(&self, paths: &PathSet) -> Result<DataDrivenResult, AnalyticsError> {
        match self {
            DataDrivenModel::Markov { order } => Ok(markov::markov(paths, *order)?.result),
            DataDrivenModel::Shapley => Ok(shapley::shapley(paths)?.result),
            DataDrivenModel::Incremental { intent } => {
                let names: Vec<&str> = intent.iter().map(String::as_str).collect();
                Ok(incremental::incremental(paths, &names)?.result)
            }
        }
    }
}

/// Bootstrap settings: `reps` resamples of the journeys (0 = no intervals), seeded, at coverage `level`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Uncertainty {
    pub reps: usize,
    pub seed: u64,
    pub level: f64,
}

impl Default for Uncertainty {
    fn default() -> Self {
        Uncertainty { reps: 100, seed: 1, level: 0.95 }
    }
}

/// Fits `model` on `paths` and, when `uncertainty.reps > 0`, adds bootstrap percentile bounds to every share.
pub fn attribute_paths(
    paths: &PathSet,
    model: &DataDrivenModel,
    uncertainty: Uncertainty,
) -> Result<DataDrivenResult, AnalyticsError> {
    let point = model.fit(paths)?;
    if uncertainty.reps == 0 {
        return Ok(point);
    }
    let bounds = bootstrap(paths, uncertainty.reps, uncertainty.seed, uncertainty.level, |p| model.fit(p));
    Ok(with_intervals(point, &bounds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths() -> PathSet {
        PathSet::from_named(vec![
            (vec!["a", "b"], 30.0, 300.0, 70.0),
            (vec!["b"], 10.0, 100.0, 90.0),
            (vec!["a"], 5.0, 50.0, 95.0),
            (vec!["c", "a"], 8.0, 80.0, 40.0),
        ])
        .0
    }

    #[test]
    fn every_model_gives_shares_that_sum_to_one_with_ordered_bounds() {
        for model in [
            DataDrivenModel::Markov { order: 1 },
            DataDrivenModel::Markov { order: 2 },
            DataDrivenModel::Shapley,
            DataDrivenModel::Incremental { intent: vec![] },
        ] {
            let r = attribute_paths(&paths(), &model, Uncertainty { reps: 40, seed: 7, level: 0.9 }).unwrap();
            let sum: f64 = r.channels.iter().map(|c| c.share).sum();
            assert!((sum - 1.0).abs() < 1e-9, "{model:?}: shares sum to {sum}");
            for c in &r.channels {
                assert!(c.share_low <= c.share_high, "{model:?} {}: {} > {}", c.channel, c.share_low, c.share_high);
            }
            let again = attribute_paths(&paths(), &model, Uncertainty { reps: 40, seed: 7, level: 0.9 }).unwrap();
            assert_eq!(r, again, "{model:?} is not deterministic");
        }
    }

    #[test]
    fn names_parse() {
        assert_eq!(DataDrivenModel::parse("Markov", 3, &[]), Some(DataDrivenModel::Markov { order: 3 }));
        assert_eq!(DataDrivenModel::parse("w-shaped", 1, &[]), None);
    }
}
