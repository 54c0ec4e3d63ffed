//! The mix model's part of the report ("Mix model: what each channel causes over time"): one fit of the
//! marketing mix model (crates/mmm) and, when one was made from it, the allocator's plan. The numbers are the
//! fit's; this module only chooses units and words, [`charts`] turns the fit into chart data and [`html`]
//! writes the section.

pub mod charts;
pub mod html;

use crate::figures::{self, Unit};
use socialledger_analytics::{ValueBasis, ValueOfTarget};
use socialledger_domain::Currency;
use socialledger_mmm::allocate::{allocate, AllocateRequest, Allocation};
use socialledger_mmm::{ChannelGroup, Fitted, Frequency, InputKind, MmmResult, Panel};

/// What the report shows of the mix model. The allocation, when given, must come from the same fit as the
/// result (`socialledger_mmm::allocate::allocate` on the fit's model, point and draws), so that its gains are
/// in the result's units.
#[derive(Clone, Debug, PartialEq)]
pub struct MmmSection {
    pub result: MmmResult,
    pub allocation: Option<Allocation>,
    /// What one unit of the target is worth, which the ROI figures rest on (their label says so).
    pub value_of_target: ValueOfTarget,
}

impl MmmSection {
    /// The section of a fit with next quarter's plan (13 weeks, the allocator's defaults; none when the
    /// allocator cannot plan), as `report --mmm` and the web app's Mix page show it.
    pub fn of_fit(panel: &Panel, fitted: &Fitted, value: &ValueOfTarget) -> MmmSection {
        let req = AllocateRequest { horizon: 13, ..AllocateRequest::default() };
        let allocation =
            allocate(&fitted.model, panel, &fitted.point, &fitted.draws, fitted.result.spec.level, &req).ok();
        MmmSection { result: fitted.result.clone(), allocation, value_of_target: value.clone() }
    }
}

/// What the ROI figures of a fit are on, in words: the header line above the channels ("ROI on expected
/// revenue (win rate 23% by value over 41 closed deals)"), so that ROI on pipeline is never read as ROI on
/// revenue. `currency` is the result's ("" for a CSV).
pub fn roi_label(v: &ValueOfTarget, currency: &str) -> String {
    let closed = v.closed_deals.unwrap_or(0);
    let cur = if currency.is_empty() { String::new() } else { format!(" {currency}") };
    let min = socialledger_analytics::target_value::MIN_CLOSED_DEALS;
    match (v.basis, v.value) {
        (ValueBasis::Revenue, _) => "ROI on revenue won".to_string(),
        (ValueBasis::WinRate, Some(rate)) => format!(
            "ROI on expected revenue (pipeline x win rate {} by value over {closed} closed deals)",
            figures::percent(rate, 0)
        ),
        (ValueBasis::WonPerDeal, Some(value)) => format!(
            "ROI on expected revenue (a deal created is worth {}{cur}: average won deal {}{cur} x win rate {} over \
             {closed} closed deals)",
            figures::decimal(value, 0),
            figures::decimal(v.average_won.unwrap_or(0.0), 0),
            figures::percent(v.win_rate.unwrap_or(0.0), 0)
        ),
        (ValueBasis::Pipeline, _) => format!(
            "ROI on pipeline, not on revenue: {closed} closed deals are too few (fewer than {min}) for a win rate; \
             --value-per-unit sets one"
        ),
        (ValueBasis::Given, Some(value)) => {
            format!("ROI on the target valued at {}{cur} per unit (--value-per-unit)", figures::decimal(value, 2))
        }
        (ValueBasis::AsGiven, _) => "ROI on the target column taken as money (--value-per-unit converts it)".into(),
        _ => format!(
            "No money ROI: a deal's value needs at least {min} closed deals, one of them won ({closed} closed); \
             --value-per-unit sets one"
        ),
    }
}

/// One period in words (`week`, `day`).
pub fn period_word(r: &MmmResult) -> &'static str {
    match r.frequency {
        Frequency::Weekly => "week",
        Frequency::Daily => "day",
    }
}

/// The unit of the outcome: money when the result names a currency (pipeline and revenue from the database, in
/// major units, whatever `value_per_unit` says they are worth), otherwise a count (a CSV column, which names no
/// currency). Deals are a count whatever the currency: the database panel names the costs' currency for every
/// target, and the result says what the target is only by its name.
pub fn target_unit(r: &MmmResult) -> Unit {
    match Currency::parse(&r.currency) {
        Ok(c) if r.target != "deals" => Unit::Money(c),
        _ => Unit::Count,
    }
}

/// The unit of costs and of money inputs: the result's currency, or a plain number when it names none (a CSV).
pub fn money_unit(r: &MmmResult) -> Unit {
    Currency::parse(&r.currency).map_or(Unit::Count, Unit::Money)
}

/// The unit a channel's input is measured in.
pub fn input_unit(r: &MmmResult, input: InputKind) -> Unit {
    match input {
        InputKind::Hours => Unit::Hours,
        InputKind::Spend => money_unit(r),
        InputKind::Posts | InputKind::Impressions | InputKind::Volume | InputKind::Column => Unit::Count,
    }
}

/// What a channel's input is, per period (`hours per week`, `spend per week`).
pub fn input_caption(r: &MmmResult, input: InputKind) -> String {
    let per = period_word(r);
    match input {
        InputKind::Column => format!("input per {per} (the file's unit)"),
        InputKind::Spend if !r.currency.is_empty() => format!("spend per {per}, {}", r.currency),
        other => format!("{} per {per}", other.as_str()),
    }
}

/// The outcome per period, with its currency when it is money (`pipeline per week, EUR`).
pub fn target_caption(r: &MmmResult) -> String {
    match target_unit(r) {
        Unit::Money(c) => format!("{} per {}, {c}", r.target, period_word(r)),
        _ => format!("{} per {}", r.target, period_word(r)),
    }
}

/// An amount for a table or a sentence, with as many decimals as it needs to say something: none from 100 on,
/// one from 10, two below (an example panel whose spend is 0.3 a week should not read "0 EUR"). Hours always
/// keep one decimal, as everywhere in the report.
pub fn amount(v: f64, unit: Unit) -> String {
    let d = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    match unit {
        Unit::Money(c) => format!("{} {c}", figures::decimal(v, d)),
        Unit::Hours => format!("{} h", figures::decimal(v, d.max(1))),
        Unit::Rate => figures::percent(v, 1),
        Unit::Count => figures::decimal(v, d),
    }
}

/// The name of a group of channels in the decomposition: social is the steady base rhythm beside the pushes.
pub fn group_label(g: ChannelGroup) -> &'static str {
    match g {
        ChannelGroup::Social => "Social (base rhythm)",
        ChannelGroup::Paid => "Paid media",
        ChannelGroup::Campaign => "Campaigns",
        ChannelGroup::Newsletter => "Newsletters",
        ChannelGroup::Pr => "PR",
        ChannelGroup::Event => "Events",
        ChannelGroup::Other => "Other channels",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_is_money_when_the_result_names_a_currency_and_deals_are_counted() {
        let mut r = testing::result(Vec::new(), true);
        assert_eq!(target_unit(&r), Unit::Money(Currency::EUR));
        r.value_per_unit = 0.25;
        assert_eq!(target_unit(&r), Unit::Money(Currency::EUR), "pipeline valued at a win rate is still EUR");
        r.target = "deals".into();
        assert_eq!(target_unit(&r), Unit::Count);
        r.target = "y".into();
        r.currency = String::new();
        assert_eq!((target_unit(&r), money_unit(&r)), (Unit::Count, Unit::Count));
    }

    #[test]
    fn amounts_keep_the_decimals_they_need() {
        let eur = Unit::Money(Currency::EUR);
        assert_eq!(amount(273_672.4, eur), "273,672 EUR");
        assert_eq!(amount(55.33, eur), "55.3 EUR");
        assert_eq!(amount(1.6, eur), "1.60 EUR");
        assert_eq!(amount(-0.004, Unit::Count), "0.00");
        assert_eq!(amount(520.0, Unit::Hours), "520.0 h");
        assert_eq!(amount(f64::NAN, Unit::Count), "n/a");
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! A small hand-made result, for the unit tests of the section's charts and markup.

    use chrono::NaiveDate;
    use socialledger_mmm::result::{
        ChannelResult, Check, DecompositionRow, Diagnostics, Estimate, FitQuality, ResponseCurve, Shape,
    };
    use socialledger_mmm::{ChannelGroup, Frequency, InputKind, MmmResult, ModelSpec};

    /// A channel named `name` of `group` contributing `per_period` each period.
    pub fn channel(key: &str, name: &str, group: ChannelGroup, identifiable: bool) -> ChannelResult {
        ChannelResult {
            channel: key.into(),
            name: name.into(),
            input: InputKind::Hours,
            group,
            input_total: 520.0,
            cost: 26_000.0,
            contribution: 52_000.0,
            contribution_low: 30_000.0,
            contribution_high: 70_000.0,
            contribution_share: 0.5,
            share_low: 0.3,
            share_high: 0.7,
            roi: Some(1.0),
            roi_low: Some(0.2),
            roi_high: Some(1.7),
            marginal_roi: Some(0.4),
            marginal_roi_low: Some(-0.1),
            marginal_roi_high: Some(0.9),
            marginal_per_input: 30.0,
            loss_without: Estimate { value: 40_000.0, low: 20_000.0, high: 60_000.0 },
            identifiable,
            why: (!identifiable).then(|| "its hours barely varied over 52 weeks".to_string()),
            reasons: Vec::new(),
            adstock: Shape { kind: "geometric".into(), params: Vec::new() },
            saturation: Shape { kind: "logistic".into(), params: Vec::new() },
            prior_ratio: 0.3,
        }
    }

    /// 52 weeks with a seasonality that dips below zero, and the given channels at 1,000 a week each.
    pub fn result(channels: Vec<ChannelResult>, passed: bool) -> MmmResult {
        let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let n = 52;
        let m = channels.len();
        let decomposition: Vec<DecompositionRow> = (0..n)
            .map(|t| {
                let season = 800.0 * (t as f64 / 52.0 * std::f64::consts::TAU).sin();
                let chans = vec![1_000.0; m];
                let fitted = 5_000.0 + 10.0 * t as f64 + season + 50.0 + chans.iter().sum::<f64>();
                DecompositionRow {
                    date: start + chrono::Duration::days(7 * t as i64),
                    actual: fitted + if t % 2 == 0 { 300.0 } else { -300.0 },
                    fitted,
                    baseline: 5_000.0,
                    trend: 10.0 * t as f64,
                    seasonality: season,
                    controls: 50.0,
                    channels: chans,
                }
            })
            .collect();
        let response_curves = channels
            .iter()
            .map(|c| ResponseCurve {
                channel: c.channel.clone(),
                input: (0..=20).map(|i| i as f64).collect(),
                cost: (0..=20).map(|i| 50.0 * i as f64).collect(),
                contribution: (0..=20).map(|i| 2_000.0 * (1.0 - (-0.15 * i as f64).exp())).collect(),
                current: 10,
            })
            .collect();
        let checks = vec![
            Check {
                check: "mode_search".into(),
                passed: true,
                value: 5.0,
                threshold: 2.0,
                message: "5 of 8 starting points reached the best mode".into(),
            },
            Check {
                check: "out_of_sample".into(),
                passed,
                value: 0.2,
                threshold: 0.1,
                message: "out of sample the model is off by <b>20 %</b> a period".into(),
            },
        ];
        let mut r = MmmResult {
            target: "pipeline".into(),
            currency: "EUR".into(),
            frequency: Frequency::Weekly,
            periods: n,
            start,
            end: start + chrono::Duration::days(7 * 51),
            level: 0.9,
            value_per_unit: 1.0,
            counterfactual_periods: 52,
            spec: ModelSpec::default_for(Frequency::Weekly),
            channels,
            fit: FitQuality { r2: 0.8, mape: 0.07, cv_mape: Some(0.1), baseline_cv_mape: Some(0.12), cv_folds: 3 },
            diagnostics: Diagnostics {
                sampler: "fast".into(),
                passed,
                checks,
                starts: 8,
                starts_at_best: 5,
                weight_ess_fraction: Some(0.4),
                max_rhat: None,
                min_ess_bulk: None,
                min_ess_tail: None,
                divergences: None,
                seconds: 1.5,
            },
            decomposition,
            response_curves,
            target_total: 0.0,
            media_total: 0.0,
            reading: Vec::new(),
        };
        r.target_total = r.decomposition.iter().map(|d| d.actual).sum();
        r.media_total = r.decomposition.iter().map(|d| d.channels.iter().sum::<f64>()).sum();
        r.reading = socialledger_mmm::reading::read(&r);
        r
    }
}
