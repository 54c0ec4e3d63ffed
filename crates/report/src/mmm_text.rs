//! The mix model's result as text for a terminal: the reading first (how sure we are), then the channels
//! table with intervals, fit quality and the checks. The numbers are computed in crates/mmm; this only
//! formats them.

use crate::figures::{decimal, percent, roi};
use crate::mmm::roi_label;
use crate::text_table::{wrap_words, Align, TextTable};
use socialledger_analytics::ValueOfTarget;
use socialledger_mmm::MmmResult;

fn range(lo: f64, hi: f64, f: impl Fn(f64) -> String) -> String {
    format!("{} to {}", f(lo), f(hi))
}

/// The lines of `socialledger mmm fit` for a terminal `width` wide; `value` says what the ROI figures are on
/// (the line above the table).
pub fn fit_text(r: &MmmResult, value: &ValueOfTarget, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let unit = if r.frequency == socialledger_mmm::Frequency::Weekly { "weeks" } else { "days" };
    lines.extend(wrap_words(
        &format!(
            "Mix model of {} over {} {} ({} to {}), {} fit, {} intervals",
            r.target,
            r.periods,
            unit,
            r.start,
            r.end,
            r.diagnostics.sampler,
            percent(r.level, 0)
        ),
        width,
    ));
    lines.push(String::new());
    for s in &r.reading {
        lines.extend(wrap_words(s, width));
    }
    lines.push(String::new());
    let money = if r.currency.is_empty() { String::new() } else { format!(" ({})", r.currency) };
    let contribution_header = format!("Contribution{money}");
    let mut t = TextTable::new(
        "Channel",
        &[
            ("Input", Align::Left),
            (&contribution_header, Align::Right),
            ("Share", Align::Right),
            ("Interval", Align::Right),
            ("ROI", Align::Right),
            ("ROI interval", Align::Right),
            ("Marginal ROI", Align::Right),
            ("Tells?", Align::Left),
        ],
    );
    let mut rows: Vec<_> = r.channels.iter().collect();
    rows.sort_by(|a, b| b.contribution_share.total_cmp(&a.contribution_share).then_with(|| a.name.cmp(&b.name)));
    for c in rows {
        let opt = |v: Option<f64>| v.map(roi).unwrap_or_else(|| "-".into());
        t.row(vec![
            c.name.clone(),
            c.input.as_str().to_string(),
            decimal(c.contribution, 0),
            percent(c.contribution_share, 1),
            range(c.share_low, c.share_high, |v| percent(v, 0)),
            opt(c.roi),
            match (c.roi_low, c.roi_high) {
                (Some(lo), Some(hi)) => range(lo, hi, roi),
                _ => "-".into(),
            },
            opt(c.marginal_roi),
            if c.identifiable { "yes".into() } else { "no".into() },
        ]);
    }
    lines.extend(wrap_words(&format!("{}:", roi_label(value, &r.currency)), width));
    if !r.diagnostics.passed {
        lines
            .push("NOT AN ANSWER: this fit failed its checks (see below); the figures are for inspection only.".into());
    }
    lines.extend(t.render(width));
    let untold: Vec<_> = r.channels.iter().filter(|c| !c.identifiable || !c.reasons.is_empty()).collect();
    if !untold.is_empty() {
        lines.push(String::new());
        for c in untold {
            if let Some(why) = &c.why {
                lines.extend(wrap_words(&format!("{}: {why}.", c.name), width));
            }
        }
    }
    lines.push(String::new());
    lines.extend(wrap_words(
        &format!(
            "Fit: R² {}, MAPE {}{}. Checks: {}.",
            decimal(r.fit.r2, 2),
            percent(r.fit.mape, 1),
            match (r.fit.cv_mape, r.fit.baseline_cv_mape) {
                (Some(a), Some(b)) => format!(
                    ", cross-validated MAPE {} ({} folds; without channels {})",
                    percent(a, 1),
                    r.fit.cv_folds,
                    percent(b, 1)
                ),
                _ => String::new(),
            },
            r.diagnostics
                .checks
                .iter()
                .map(|c| format!("{} {}", c.check, if c.passed { "ok" } else { "FAILED" }))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        width,
    ));
    lines.extend(wrap_words(
        &format!(
            "ROI = (contribution x {} - cost) / cost; {} s. JSON with --json (decomposition, response curves).",
            decimal(r.value_per_unit, 2),
            decimal(r.diagnostics.seconds, 2)
        ),
        width,
    ));
    lines
}

/// The lines of `socialledger mmm counterfactual`.
/// `value` says what the net rests on (the loss in money is the loss in the target times its value per unit).
pub fn counterfactual_text(
    cf: &socialledger_mmm::counterfactual::Counterfactual,
    value: &ValueOfTarget,
    currency: &str,
    width: usize,
) -> Vec<String> {
    let cur = if currency.is_empty() { String::new() } else { format!(" {currency}") };
    let mut lines = wrap_words(
        &format!(
            "Without {} from {} to {} ({} periods), the model says {}{cur} would have been lost ({} to {}), {} of \
             the {}{cur} there were; switching it off would have saved {}{cur} of cost, so keeping it {} {}{cur} \
             net ({} to {}).",
            cf.name,
            cf.from,
            cf.to,
            cf.periods,
            decimal(cf.loss.value, 0),
            decimal(cf.loss.low, 0),
            decimal(cf.loss.high, 0),
            percent(cf.loss_share.value, 1),
            decimal(cf.actual, 0),
            decimal(cf.cost_saved, 0),
            if cf.net.value >= 0.0 { "brought" } else { "cost" },
            decimal(cf.net.value.abs(), 0),
            decimal(cf.net.low, 0),
            decimal(cf.net.high, 0),
        ),
        width,
    );
    lines.extend(wrap_words(
        &format!("The net values the loss as the fit's ROI does: {}.", roi_label(value, currency)),
        width,
    ));
    if !cf.identifiable {
        lines.extend(wrap_words(
            &format!(
                "The history cannot tell this channel's effect ({}): read these figures as the model's guess, not an answer.",
                cf.why.clone().unwrap_or_default()
            ),
            width,
        ));
    }
    lines
}

/// The lines of `socialledger mmm allocate`.
pub fn allocation_text(a: &socialledger_mmm::allocate::Allocation, currency: &str, width: usize) -> Vec<String> {
    use socialledger_mmm::allocate::Resource;
    let cur = if currency.is_empty() { String::new() } else { format!(" {currency}") };
    let mut lines = wrap_words(
        &format!(
            "Plan for {} to {} ({} periods): {}{cur} of money and {} staff hours.",
            a.start,
            a.end,
            a.horizon,
            decimal(a.budget, 0),
            decimal(a.hours, 0)
        ),
        width,
    );
    lines.push(String::new());
    let mut t = TextTable::new(
        "Channel",
        &[
            ("Resource", Align::Left),
            ("Today", Align::Right),
            ("Proposed", Align::Right),
            ("Change", Align::Right),
            ("Brings today", Align::Right),
            ("Brings proposed", Align::Right),
        ],
    );
    for c in &a.channels {
        let unit = if c.resource == Resource::Hours { " h" } else { "" };
        t.row(vec![
            c.name.clone(),
            format!("{:?}", c.resource).to_lowercase(),
            format!("{}{unit}", decimal(c.current, 0)),
            format!("{}{unit}", decimal(c.proposed, 0)),
            format!(
                "{}{}{unit}",
                if c.proposed >= c.current { "+" } else { "-" },
                decimal((c.proposed - c.current).abs(), 0)
            ),
            decimal(c.contribution_current, 0),
            decimal(c.contribution_proposed, 0),
        ]);
    }
    lines.extend(t.render(width));
    lines.push(String::new());
    for c in &a.channels {
        lines.extend(wrap_words(&c.explanation, width));
    }
    lines.push(String::new());
    lines.extend(wrap_words(
        &format!(
            "The proposal brings {}{cur} ({} to {}) against {}{cur} at today's split: a gain of {}{cur} ({} to {}). \
             The past carries {}{cur} into the period whatever the plan; the outcome expected over the period is \
             {}{cur} ({} to {}).",
            decimal(a.proposed_total.value, 0),
            decimal(a.proposed_total.low, 0),
            decimal(a.proposed_total.high, 0),
            decimal(a.current_total.value, 0),
            decimal(a.gain.value, 0),
            decimal(a.gain.low, 0),
            decimal(a.gain.high, 0),
            decimal(a.carried_in, 0),
            decimal(a.forecast.value, 0),
            decimal(a.forecast.low, 0),
            decimal(a.forecast.high, 0),
        ),
        width,
    ));
    for n in &a.notes {
        lines.extend(wrap_words(&format!("Note: {n}."), width));
    }
    lines
}
