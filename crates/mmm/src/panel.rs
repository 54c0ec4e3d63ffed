//! The panel a fit reads: one row per period (week or day), the outcome, one input series per channel with the
//! cost it consumed, and control series.
//!
//! Organic channels enter by what they really consume (staff hours by default, or posts or impressions) and
//! their cost is hours x rate; paid channels enter by spend. Either way `cost` holds the full cost of the period
//! in the reporting currency, so ROI is on full cost for every channel alike.

use crate::MmmError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Length of one period of the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    Weekly,
    Daily,
}

impl Frequency {
    /// Periods per year, for Fourier seasonality and "next quarter".
    pub fn periods_per_year(self) -> f64 {
        match self {
            Frequency::Weekly => 365.25 / 7.0,
            Frequency::Daily => 365.25,
        }
    }
    pub fn days(self) -> i64 {
        match self {
            Frequency::Weekly => 7,
            Frequency::Daily => 1,
        }
    }
}

/// What a channel's series measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Money spent (paid media, activity budgets).
    Spend,
    /// Staff hours (organic channels, by default).
    Hours,
    /// Posts published.
    Posts,
    /// Impressions earned.
    Impressions,
    /// Activity volume: newsletter sends, PR items, fairs, webinars.
    Volume,
    /// A column of a CSV prepared elsewhere (its unit is whatever the file says).
    Column,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Spend => "spend",
            InputKind::Hours => "hours",
            InputKind::Posts => "posts",
            InputKind::Impressions => "impressions",
            InputKind::Volume => "volume",
            InputKind::Column => "column",
        }
    }
}

/// Where a channel sits in the mix, for the decomposition chart: social is the steady base rhythm beside
/// campaigns, newsletters, PR and events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelGroup {
    Social,
    Paid,
    Campaign,
    Newsletter,
    Pr,
    Event,
    Other,
}

/// One channel's input per period and its full cost per period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MediaSeries {
    /// Stable key (channel key in the database, column name of a CSV).
    pub key: String,
    /// Display name.
    pub name: String,
    pub input: InputKind,
    pub group: ChannelGroup,
    /// Input per period (>= 0).
    pub values: Vec<f64>,
    /// Full cost per period in the reporting currency (>= 0): spend, or hours x hourly rate. For a CSV the
    /// input itself when it is spend.
    pub cost: Vec<f64>,
}

/// A control series (events, price changes, anything that moves the outcome but is not a channel).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ControlSeries {
    pub name: String,
    pub values: Vec<f64>,
}

/// Everything one fit reads. Built from the database (the CLI) or from a CSV prepared elsewhere.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    pub frequency: Frequency,
    /// First day of each period, strictly increasing by one period.
    pub dates: Vec<NaiveDate>,
    /// What the outcome is ("pipeline", "revenue", "deals", or a CSV column).
    pub target_name: String,
    /// The outcome per period (>= 0 for money and counts; any finite value for a CSV column).
    pub target: Vec<f64>,
    /// Currency of `cost` and of a money target ("" when unknown, e.g. a CSV).
    pub currency: String,
    pub channels: Vec<MediaSeries>,
    pub controls: Vec<ControlSeries>,
}

/// Fewer periods than this cannot carry intercept, trend, seasonality and a channel's two shape parameters.
pub const MIN_PERIODS: usize = 26;

impl Panel {
    pub fn len(&self) -> usize {
        self.dates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// Checks lengths, finiteness and signs, and that there is something to fit. Errors name the series and
    /// period so the user can fix the data.
    pub fn validate(&self) -> Result<(), MmmError> {
        let n = self.dates.len();
        if n < MIN_PERIODS {
            return Err(MmmError::Panel(format!(
                "the panel has {n} periods; a mix model needs at least {MIN_PERIODS} (half a year of weeks), \
                 better two years: import a longer history"
            )));
        }
        if self.target.len() != n {
            return Err(MmmError::Panel(format!("target has {} values for {n} periods", self.target.len())));
        }
        for (i, w) in self.dates.windows(2).enumerate() {
            if (w[1] - w[0]).num_days() != self.frequency.days() {
                return Err(MmmError::Panel(format!(
                    "periods {} and {} ({} and {}) are not one {} apart: the panel needs every period, \
                     in order, without gaps",
                    i + 1,
                    i + 2,
                    w[0],
                    w[1],
                    if self.frequency == Frequency::Weekly { "week" } else { "day" }
                )));
            }
        }
        check_finite(&self.target_name, &self.target, &self.dates, false)?;
        if self.target.iter().all(|&v| v == self.target[0]) {
            return Err(MmmError::Panel(format!(
                "the target {} is constant over all {n} periods: there is nothing to explain",
                self.target_name
            )));
        }
        for c in &self.channels {
            if c.values.len() != n || c.cost.len() != n {
                return Err(MmmError::Panel(format!(
                    "channel {} has {} values and {} costs for {n} periods",
                    c.key,
                    c.values.len(),
                    c.cost.len()
                )));
            }
            check_finite(&c.key, &c.values, &self.dates, true)?;
            check_finite(&format!("{} cost", c.key), &c.cost, &self.dates, true)?;
        }
        for c in &self.controls {
            if c.values.len() != n {
                return Err(MmmError::Panel(format!(
                    "control {} has {} values for {n} periods",
                    c.name,
                    c.values.len()
                )));
            }
            check_finite(&c.name, &c.values, &self.dates, false)?;
        }
        Ok(())
    }
}

fn check_finite(name: &str, values: &[f64], dates: &[NaiveDate], non_negative: bool) -> Result<(), MmmError> {
    for (i, &v) in values.iter().enumerate() {
        let date = dates.get(i).map(|d| d.to_string()).unwrap_or_default();
        if !v.is_finite() {
            return Err(MmmError::Panel(format!("{name} is missing or not a number in period {} ({date})", i + 1)));
        }
        if non_negative && v < 0.0 {
            return Err(MmmError::Panel(format!(
                "{name} is negative ({v}) in period {} ({date}): inputs and costs must be >= 0",
                i + 1
            )));
        }
    }
    Ok(())
}
