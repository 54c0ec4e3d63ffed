//! Reading of the attribution-by-model table: what was created and won, which channel each model puts first,
//! and how far the models disagree.

use super::{count, join_and, money, notes_for, sentence, Reading, FEW_DEALS};
use crate::figures;
use crate::models;
use crate::table::ChannelRow;
use socialledger_analytics::{Analysis, Model};

/// The note codes about deals that could not be attributed.
const NOTE_CODES: [&str; 6] = [
    "unattributed_pipeline",
    "unattributed_revenue",
    "deals_without_amount",
    "deals_without_date",
    "no_touchpoints",
    "currency_excluded",
];

/// The channel credited the most revenue under `model` (first by key on ties), if any is credited at all.
fn leader(rows: &[ChannelRow], model: Model) -> Option<&ChannelRow> {
    rows.iter()
        .filter_map(|r| r.model(model).map(|m| (r, m.revenue_minor)))
        .filter(|(_, v)| *v > 0)
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.channel.cmp(&a.0.channel)))
        .map(|(r, _)| r)
}

pub fn reading(analysis: &Analysis, rows: &[ChannelRow]) -> Reading {
    let a = &analysis.attribution;
    let cur = analysis.currency;
    let mut says = vec![sentence(&format!(
        "In the period {} worth {} were created and {} worth {} were won",
        count(a.pipeline_deals, "deal", "deals"),
        money(a.pipeline_minor, cur),
        count(a.won_deals, "deal", "deals"),
        money(a.revenue_minor, cur)
    ))];
    if a.revenue_minor != 0 {
        let attributed = a.revenue_minor - a.unattributed.revenue_minor;
        says.push(sentence(&format!(
            "{} of the revenue ({}) could be credited to channels; every model shares out that same amount",
            figures::percent(attributed as f64 / a.revenue_minor as f64, 0),
            money(attributed, cur)
        )));
    }
    let leaders: Vec<(Model, &ChannelRow)> =
        Model::ALL.iter().filter_map(|&m| leader(rows, m).map(|r| (m, r))).collect();
    // Group the models by the channel they put first, in order of first appearance.
    let mut groups: Vec<(&ChannelRow, Vec<String>)> = Vec::new();
    for (m, r) in &leaders {
        let label = models::label(*m).to_lowercase();
        match groups.iter_mut().find(|(g, _)| g.channel == r.channel) {
            Some((_, list)) => list.push(label),
            None => groups.push((r, vec![label])),
        }
    }
    match groups.as_slice() {
        [] => {}
        [(only, _)] => says.push(sentence(&format!("{} is credited the most revenue under every model", only.name))),
        _ => {
            let parts: Vec<String> =
                groups.iter().map(|(r, list)| format!("{} under {}", r.name, join_and(list))).collect();
            says.push(sentence(&format!(
                "Which channel is credited the most revenue depends on the model: {}",
                parts.join("; ")
            )));
        }
    }

    let mut certainty = Vec::new();
    let credited: Vec<&ChannelRow> = rows.iter().filter(|r| r.revenue_max_minor > 0).collect();
    let doubled = credited.iter().filter(|r| r.revenue_max_minor > 2 * r.revenue_min_minor).count();
    if !credited.is_empty() {
        let share = match doubled {
            n if n == credited.len() && n > 1 => format!("For all {n} credited channels"),
            n => format!("For {n} of the {} credited channels", credited.len()),
        };
        certainty.push(sentence(&format!(
            "{share} the highest credit is more than twice the lowest: {}",
            if doubled == 0 {
                "the models broadly agree"
            } else {
                "their figures say more about the model than about the channel"
            }
        )));
    }
    if a.won_deals > 0 && a.won_deals < FEW_DEALS {
        certainty.push(sentence(&format!(
            "With {} every figure here moves visibly with one deal more or less",
            count(a.won_deals, "won deal", "won deals")
        )));
    }
    Reading { says, certainty, missing: notes_for(analysis, &NOTE_CODES) }
}
