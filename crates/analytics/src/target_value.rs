//! What one unit of the mix model's target is worth in money, from the company's own CRM history: the factor
//! that turns a channel's contribution into the return its ROI is computed on.
//!
//! Pipeline is money, but not all of it becomes revenue: ROI on pipeline overstates the return by 1 / win rate.
//! So a unit of pipeline is worth the win rate by value over the closed deals (won amount / (won + lost
//! amount)); a unit of revenue won is worth 1; one deal created is worth the average won deal times the win rate
//! by count (won deals / closed deals), i.e. the won amount per closed deal. A rate read from fewer than
//! [`MIN_CLOSED_DEALS`] closed deals is too noisy to price anything with: pipeline is then reported as ROI "on
//! pipeline" (value 1, labelled so), and deals get no money ROI. `--value-per-unit` overrides all of this.
//!
//! Every closed deal of the dataset counts (the whole history, not only the panel's weeks: a win rate needs
//! as many closed deals as there are), if its amount is in the reporting currency; open deals, deals without
//! an amount and amounts in other currencies (never converted) are left out.

use serde::{Deserialize, Serialize};
use socialledger_domain::{Currency, Deal, DealStatus};

use crate::mix_panel::Target;

/// Fewer closed deals than this give no win rate worth pricing a target with (one deal more or less moves a
/// rate from 9 deals by more than 10 points).
pub const MIN_CLOSED_DEALS: usize = 10;

/// Where the value of one unit of the target comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ValueBasis {
    /// The target is revenue won: one unit is one unit of money.
    Revenue,
    /// Pipeline valued at the win rate by value over the closed deals: ROI on expected revenue.
    WinRate,
    /// Pipeline at face value, because too few deals are closed to know a win rate: ROI on pipeline.
    Pipeline,
    /// A deal created valued at the won amount per closed deal (average won deal x win rate by count).
    WonPerDeal,
    /// A count without a money value (too few closed deals, or none won): no money ROI.
    NoValue,
    /// Given by the user (`--value-per-unit`).
    Given,
    /// A CSV's target column, taken as money as it stands (no CRM to value it with).
    AsGiven,
}

/// The money value of one unit of the target and what it rests on (`value_of_target` in the `mmm --json`
/// output).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueOfTarget {
    /// Money (major units of the currency) per unit of the target; `None`: no money ROI.
    pub value: Option<f64>,
    pub basis: ValueBasis,
    /// Closed (won or lost) deals the rate was read from; `None` when no CRM was consulted.
    pub closed_deals: Option<usize>,
    /// Win rate the value rests on: by value for pipeline, by count for deals; `None` when none was used.
    pub win_rate: Option<f64>,
    /// Average won deal in major units (deals target only).
    pub average_won: Option<f64>,
}

impl ValueOfTarget {
    /// `--value-per-unit X`: the user's value; what the CRM would have said is not reported.
    pub fn given(value: f64) -> Self {
        ValueOfTarget {
            value: Some(value),
            basis: ValueBasis::Given,
            closed_deals: None,
            win_rate: None,
            average_won: None,
        }
    }

    /// A target read from a CSV, taken as money (one unit worth 1).
    pub fn as_given() -> Self {
        ValueOfTarget {
            value: Some(1.0),
            basis: ValueBasis::AsGiven,
            closed_deals: None,
            win_rate: None,
            average_won: None,
        }
    }

    /// The factor the fit multiplies contributions by: the value, or 1 when there is none (the ROI figures are
    /// then withheld, see [`ValueOfTarget::value`]).
    pub fn per_unit(&self) -> f64 {
        self.value.unwrap_or(1.0)
    }
}

/// The value of one unit of `target` from the closed `deals` with an amount in `currency`.
pub fn value_of_target(deals: &[Deal], target: Target, currency: Currency) -> ValueOfTarget {
    let scale = 10f64.powi(currency.exponent() as i32);
    let (mut won_n, mut lost_n, mut won_minor, mut lost_minor) = (0usize, 0usize, 0i128, 0i128);
    for deal in deals {
        let Some(amount) = deal.amount.filter(|m| m.currency == currency && m.minor >= 0) else { continue };
        match deal.status {
            DealStatus::Won => (won_n, won_minor) = (won_n + 1, won_minor + i128::from(amount.minor)),
            DealStatus::Lost => (lost_n, lost_minor) = (lost_n + 1, lost_minor + i128::from(amount.minor)),
            DealStatus::Open => {}
        }
    }
    let closed = won_n + lost_n;
    let enough = closed >= MIN_CLOSED_DEALS;
    match target {
        Target::Revenue => ValueOfTarget {
            value: Some(1.0),
            basis: ValueBasis::Revenue,
            closed_deals: None,
            win_rate: None,
            average_won: None,
        },
        Target::Pipeline => {
            let total = won_minor + lost_minor;
            if enough && total > 0 {
                let rate = won_minor as f64 / total as f64;
                ValueOfTarget {
                    value: Some(rate),
                    basis: ValueBasis::WinRate,
                    closed_deals: Some(closed),
                    win_rate: Some(rate),
                    average_won: None,
                }
            } else {
                ValueOfTarget {
                    value: Some(1.0),
                    basis: ValueBasis::Pipeline,
                    closed_deals: Some(closed),
                    win_rate: None,
                    average_won: None,
                }
            }
        }
        Target::Deals => {
            if enough && won_n > 0 {
                let rate = won_n as f64 / closed as f64;
                let average = won_minor as f64 / scale / won_n as f64;
                ValueOfTarget {
                    value: Some(average * rate),
                    basis: ValueBasis::WonPerDeal,
                    closed_deals: Some(closed),
                    win_rate: Some(rate),
                    average_won: Some(average),
                }
            } else {
                ValueOfTarget {
                    value: None,
                    basis: ValueBasis::NoValue,
                    closed_deals: Some(closed),
                    win_rate: None,
                    average_won: None,
                }
            }
        }
    }
}

/// Withholds every money ROI of a fit whose target has no money value ([`ValueBasis::NoValue`]): the fit ran
/// with one unit worth 1, which would make ROI a count minus money. Contributions, shares and the loss without a
/// channel stay (they are in the target's own units); the reading is written again from the result.
pub fn without_money_roi(result: &mut socialledger_mmm::MmmResult) {
    for c in &mut result.channels {
        (c.roi, c.roi_low, c.roi_high) = (None, None, None);
        (c.marginal_roi, c.marginal_roi_low, c.marginal_roi_high) = (None, None, None);
    }
    result.reading = socialledger_mmm::reading::read(result);
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_domain::Money;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    fn deal(i: usize, status: DealStatus, euros: i64) -> Deal {
        Deal {
            key: format!("D{i}"),
            account: None,
            name: format!("deal {i}"),
            amount: Some(Money::new(euros * 100, eur())),
            created: None,
            stage: None,
            status,
            closed: None,
            self_reported_source: None,
        }
    }

    /// 3 won deals of 10,000 and 9 lost of 5,000, 2 open ones of 1,000,000, one won in USD, one without amount.
    fn history() -> Vec<Deal> {
        let mut deals: Vec<Deal> = (0..3).map(|i| deal(i, DealStatus::Won, 10_000)).collect();
        deals.extend((3..12).map(|i| deal(i, DealStatus::Lost, 5_000)));
        deals.extend((12..14).map(|i| deal(i, DealStatus::Open, 1_000_000)));
        let mut usd = deal(14, DealStatus::Won, 50_000);
        usd.amount = Some(Money::new(5_000_000, Currency::parse("USD").unwrap()));
        let mut none = deal(15, DealStatus::Won, 0);
        none.amount = None;
        deals.extend([usd, none]);
        deals
    }

    #[test]
    fn pipeline_is_worth_the_win_rate_by_value() {
        let v = value_of_target(&history(), Target::Pipeline, eur());
        // won 30,000 / (30,000 + 45,000) = 0.4, over 12 closed deals in EUR (open, USD, no amount left out).
        assert_eq!(v.basis, ValueBasis::WinRate);
        assert_eq!(v.value, Some(0.4));
        assert_eq!(v.win_rate, Some(0.4));
        assert_eq!(v.closed_deals, Some(12));
    }

    #[test]
    fn a_deal_is_worth_the_won_amount_per_closed_deal() {
        let v = value_of_target(&history(), Target::Deals, eur());
        // average won 10,000 x win rate by count 3/12 = 2,500 (= 30,000 won / 12 closed).
        assert_eq!(v.basis, ValueBasis::WonPerDeal);
        assert_eq!(v.average_won, Some(10_000.0));
        assert_eq!(v.win_rate, Some(0.25));
        assert_eq!(v.value, Some(2_500.0));
    }

    #[test]
    fn revenue_is_worth_itself() {
        let v = value_of_target(&[], Target::Revenue, eur());
        assert_eq!((v.value, v.basis, v.closed_deals), (Some(1.0), ValueBasis::Revenue, None));
    }

    #[test]
    fn too_few_closed_deals_give_no_rate() {
        let few: Vec<Deal> = history().into_iter().skip(3).take(9).chain([deal(99, DealStatus::Open, 1)]).collect();
        assert_eq!(few.len(), 10);
        let p = value_of_target(&few, Target::Pipeline, eur());
        assert_eq!((p.value, p.basis, p.closed_deals, p.win_rate), (Some(1.0), ValueBasis::Pipeline, Some(9), None));
        let d = value_of_target(&few, Target::Deals, eur());
        assert_eq!((d.value, d.basis, d.closed_deals), (None, ValueBasis::NoValue, Some(9)));
        assert_eq!(d.per_unit(), 1.0);
    }

    #[test]
    fn ten_closed_deals_are_enough_and_none_won_is_worth_nothing() {
        let lost: Vec<Deal> = (0..10).map(|i| deal(i, DealStatus::Lost, 1_000)).collect();
        let p = value_of_target(&lost, Target::Pipeline, eur());
        assert_eq!((p.value, p.basis, p.closed_deals), (Some(0.0), ValueBasis::WinRate, Some(10)));
        let d = value_of_target(&lost, Target::Deals, eur());
        assert_eq!((d.value, d.basis), (None, ValueBasis::NoValue));
    }

    #[test]
    fn the_json_names_value_basis_and_closed_deals() {
        let v = value_of_target(&history(), Target::Pipeline, eur());
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["basis"], "win_rate");
        assert_eq!(json["value"], 0.4);
        assert_eq!(json["closed_deals"], 12);
        assert_eq!(serde_json::to_value(ValueOfTarget::given(0.3)).unwrap()["basis"], "given");
    }
}
