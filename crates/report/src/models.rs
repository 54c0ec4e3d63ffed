//! How the attribution models are named for readers: full names for prose and tables, short ones for columns.

use socialledger_analytics::Model;

/// The model the charts draw as the bar (the whisker shows the spread over all models). Linear is the neutral
/// middle: it favours neither the touches that open a journey nor those that close it.
pub const REFERENCE_MODEL: Model = Model::Linear;

/// The model's name in prose and table headers (`First touch`, `Time decay`).
pub fn label(model: Model) -> &'static str {
    match model {
        Model::First => "First touch",
        Model::Last => "Last touch",
        Model::Linear => "Linear",
        Model::TimeDecay => "Time decay",
        Model::UShaped => "U-shaped",
        Model::WShaped => "W-shaped",
        Model::FullPath => "Full path",
    }
}

/// The model's name in narrow columns (at most 5 characters).
pub fn short(model: Model) -> &'static str {
    match model {
        Model::First => "First",
        Model::Last => "Last",
        Model::Linear => "Lin",
        Model::TimeDecay => "Decay",
        Model::UShaped => "U",
        Model::WShaped => "W",
        Model::FullPath => "Full",
    }
}

/// The model's name as a CSV column suffix (`time_decay`).
pub fn column(model: Model) -> String {
    model.as_str().replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_has_distinct_names_that_fit() {
        let shorts: std::collections::BTreeSet<_> = Model::ALL.iter().map(|m| short(*m)).collect();
        let labels: std::collections::BTreeSet<_> = Model::ALL.iter().map(|m| label(*m)).collect();
        assert_eq!(shorts.len(), Model::ALL.len());
        assert_eq!(labels.len(), Model::ALL.len());
        assert!(shorts.iter().all(|s| s.len() <= 5));
        assert_eq!(column(Model::TimeDecay), "time_decay");
    }
}
