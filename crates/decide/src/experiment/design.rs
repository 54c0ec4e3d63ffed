//! The experiment designs: how an experiment withholds its channel. The verdict plans and weighs them, `experiment
//! plan` and `analyze` name them, and the demo company runs them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How an experiment withholds the channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Design {
    /// Switchback: the channel is paused for every account in the off blocks ([`super::switchback`]).
    Pause,
    /// The channel is withheld from the accounts of the paused regions in every experiment week
    /// ([`super::geo_split`]).
    GeoSplit,
    /// The channel is withheld from a stratified random share of the accounts in every experiment week
    /// ([`super::account_holdout`]).
    AccountHoldout,
}

impl Design {
    /// As saved plans and `experiment plan --design` spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Design::Pause => "pause",
            Design::GeoSplit => "geo-split",
            Design::AccountHoldout => "account-holdout",
        }
    }

    /// As the reasons name it.
    pub fn label(self) -> &'static str {
        match self {
            Design::Pause => "pause",
            Design::GeoSplit => "geo-split",
            Design::AccountHoldout => "account holdout",
        }
    }
}

impl fmt::Display for Design {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
