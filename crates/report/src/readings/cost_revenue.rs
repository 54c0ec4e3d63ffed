//! Reading of the cost-versus-attributed-revenue chart: each channel's cost against the revenue the models
//! credit it with, whether it pays back at the gross margin, and how much of that rests on few deals.

use super::{count, money, money_range, notes_for, sentence, Reading, FEW_DEALS, MAX_CHANNEL_SENTENCES};
use crate::figures;
use crate::models::{self, REFERENCE_MODEL};
use crate::table::ChannelRow;
use socialledger_analytics::{Analysis, Model};

/// The note codes that bias cost or credited revenue.
const NOTE_CODES: [&str; 9] = [
    "no_time_entries",
    "no_hourly_cost",
    "unknown_person",
    "currency_excluded",
    "unattributed_revenue",
    "deals_without_amount",
    "deals_without_date",
    "no_touchpoints",
    "general_cost",
];

/// The channels the chart draws: those with a cost or credited revenue, in table order.
pub fn charted(rows: &[ChannelRow]) -> Vec<&ChannelRow> {
    rows.iter().filter(|r| r.cost_minor != 0 || r.revenue_max_minor != 0).collect()
}

/// The model that credits `row` the least and the most revenue (first in [`Model::ALL`] order on ties).
pub(crate) fn extreme_models(row: &ChannelRow) -> Option<(Model, i64, Model, i64)> {
    let lo = row.models.iter().min_by_key(|m| m.revenue_minor)?;
    let hi = row.models.iter().rev().max_by_key(|m| m.revenue_minor)?;
    Some((lo.model, lo.revenue_minor, hi.model, hi.revenue_minor))
}

pub fn reading(analysis: &Analysis, rows: &[ChannelRow]) -> Reading {
    let cur = analysis.currency;
    let margin = figures::percent(analysis.settings.gross_margin, 0);
    let charted = charted(rows);
    let mut says = Vec::new();
    for row in charted.iter().take(MAX_CHANNEL_SENTENCES) {
        let reference = row.model(REFERENCE_MODEL).map_or(0, |m| m.revenue_minor);
        let revenue = if row.revenue_max_minor == 0 {
            "no revenue under any model".to_string()
        } else if row.revenue_min_minor == row.revenue_max_minor {
            format!("{} of revenue under every model", money(row.revenue_max_minor, cur))
        } else {
            format!(
                "{} of revenue depending on the model ({}: {})",
                money_range(row.revenue_min_minor, row.revenue_max_minor, cur),
                models::label(REFERENCE_MODEL).to_lowercase(),
                money(reference, cur)
            )
        };
        let mut s = if row.cost_minor != 0 {
            format!("{} costs {} and is credited {revenue}", row.name, money(row.cost_minor, cur))
        } else {
            format!("{} has no recorded cost and is credited {revenue}", row.name)
        };
        if row.revenue_max_minor == 0 && row.pipeline_max_minor != 0 {
            s.push_str(&format!(
                ", though {} of pipeline",
                money_range(row.pipeline_min_minor, row.pipeline_max_minor, cur)
            ));
        }
        if row.cost_minor > 0 && row.revenue_max_minor > 0 {
            let paying = row.models.iter().filter(|m| m.roi.is_some_and(|r| r >= 0.0)).count();
            let under = match paying {
                0 => "under none of the models".to_string(),
                n if n == row.models.len() => "under every model".to_string(),
                n => format!("under {n} of the {} models", row.models.len()),
            };
            s.push_str(&format!("; at a {margin} gross margin it pays back its cost {under}"));
        }
        says.push(sentence(&s));
    }
    if charted.len() > MAX_CHANNEL_SENTENCES {
        let rest = &charted[MAX_CHANNEL_SENTENCES..];
        let cost: i64 = rest.iter().map(|r| r.cost_minor).sum();
        let revenue: i64 = rest.iter().filter_map(|r| r.model(REFERENCE_MODEL)).map(|m| m.revenue_minor).sum();
        says.push(sentence(&format!(
            "{} more channels cost {} together and are credited {} under the {} model",
            rest.len(),
            money(cost, cur),
            money(revenue, cur),
            models::label(REFERENCE_MODEL).to_lowercase()
        )));
    }
    if charted.is_empty() {
        says.push("No channel has a recorded cost or credited revenue in the period.".to_string());
    }

    let a = &analysis.attribution;
    let mut certainty = Vec::new();
    if a.won_deals == 0 {
        certainty.push("No deal was won in the period, so no channel can be credited with revenue.".to_string());
    } else {
        let mut s = format!(
            "Revenue credit rests on {} worth {}",
            count(a.won_deals, "won deal", "won deals"),
            money(a.revenue_minor, cur)
        );
        if a.won_deals < FEW_DEALS {
            s.push_str(", so one deal more or less moves a channel's credit visibly");
        }
        certainty.push(sentence(&s));
        if a.unattributed.revenue_minor != 0 && a.revenue_minor != 0 {
            let share = a.unattributed.revenue_minor as f64 / a.revenue_minor as f64;
            certainty.push(sentence(&format!(
                "{} of that revenue ({}) had no touchpoint in the {}-day window and is credited to no channel",
                figures::percent(share, 0),
                money(a.unattributed.revenue_minor, cur),
                a.lookback_days
            )));
        }
    }
    let most_dependent = charted
        .iter()
        .filter_map(|r| extreme_models(r).map(|e| (r, e)))
        .filter(|(_, (_, lo, _, hi))| hi > lo)
        .max_by_key(|(r, (_, lo, _, hi))| (hi - lo, std::cmp::Reverse(r.channel.clone())));
    if let Some((row, (lo_model, lo, hi_model, hi))) = most_dependent {
        certainty.push(sentence(&format!(
            "The model matters most for {}: {} credits it {}, {} {}",
            row.name,
            models::label(lo_model).to_lowercase(),
            money(lo, cur),
            models::label(hi_model).to_lowercase(),
            money(hi, cur)
        )));
    }
    if a.won_deals > 0 {
        certainty.push(
            "Credit follows the touchpoints on the way to a deal: it shows association, not that a channel caused the deal."
                .to_string(),
        );
    }
    Reading { says, certainty, missing: notes_for(analysis, &NOTE_CODES) }
}
