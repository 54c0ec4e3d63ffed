//! Reading of the hours chart: where the team's time goes, and how much of it serves value beyond sales
//! (customer service, recruiting, PR, procurement) that the revenue figures do not capture.

use super::{join_and, notes_for, sentence, Reading, MAX_CHANNEL_SENTENCES};
use crate::figures;
use crate::table::ChannelRow;
use socialledger_analytics::cost::VALUE_BEYOND_SALES;
use socialledger_analytics::{Analysis, ChannelCost};
use socialledger_domain::Task;

/// The note codes about missing or uncosted time.
const NOTE_CODES: [&str; 4] = ["no_time_entries", "no_hourly_cost", "unknown_person", "general_cost"];

/// A task's name for readers.
pub fn task_label(task: Task) -> &'static str {
    match task {
        Task::Content => "Content",
        Task::Community => "Community",
        Task::CustomerService => "Customer service",
        Task::Recruiting => "Recruiting",
        Task::Pr => "PR",
        Task::Procurement => "Procurement",
        Task::Reporting => "Reporting",
        Task::Other => "Other",
    }
}

/// The channels with tracked time, in table order, each with its cost record.
pub fn with_hours<'a>(analysis: &'a Analysis, rows: &'a [ChannelRow]) -> Vec<(&'a ChannelRow, &'a ChannelCost)> {
    rows.iter()
        .filter_map(|r| {
            let cost = analysis.costs.channels.iter().find(|c| c.channel.as_deref() == Some(r.channel.as_str()))?;
            (cost.minutes > 0).then_some((r, cost))
        })
        .collect()
}

pub fn reading(analysis: &Analysis, rows: &[ChannelRow]) -> Reading {
    let general = &analysis.costs.general;
    let channels = with_hours(analysis, rows);
    let total: f64 = channels.iter().map(|(_, c)| c.hours).sum::<f64>() + general.hours;
    let vbs: f64 =
        channels.iter().map(|(_, c)| c.value_beyond_sales_hours).sum::<f64>() + general.value_beyond_sales_hours;
    let share = |h: f64| if total > 0.0 { figures::percent(h / total, 0) } else { "0%".to_string() };

    let mut says = Vec::new();
    if total == 0.0 {
        says.push("No time was tracked in the period.".to_string());
    }
    let mut by_hours = channels.clone();
    by_hours.sort_by(|a, b| b.1.minutes.cmp(&a.1.minutes).then_with(|| a.0.channel.cmp(&b.0.channel)));
    for (row, cost) in by_hours.iter().take(MAX_CHANNEL_SENTENCES) {
        let mut s = format!("{} took {} ({} of tracked time)", row.name, figures::hours(cost.hours), share(cost.hours));
        let beyond: Vec<String> = cost
            .by_task
            .iter()
            .filter(|t| VALUE_BEYOND_SALES.contains(&t.task) && t.minutes > 0)
            .map(|t| format!("{} {}", task_label(t.task).to_lowercase(), figures::hours(t.hours)))
            .collect();
        if !beyond.is_empty() {
            s.push_str(&format!(
                ", {} of it for value beyond sales ({})",
                figures::hours(cost.value_beyond_sales_hours),
                join_and(&beyond)
            ));
        }
        says.push(sentence(&s));
    }
    if general.minutes > 0 {
        says.push(sentence(&format!(
            "{} were tracked on social in general, without a channel",
            figures::hours(general.hours)
        )));
    }
    if vbs > 0.0 {
        says.push(sentence(&format!(
            "Altogether {} of {} ({}) went to customer service, recruiting, PR and procurement: value that the revenue figures do not capture",
            figures::hours(vbs),
            figures::hours(total),
            share(vbs)
        )));
    }

    let mut certainty = Vec::new();
    let uncosted: i64 = channels.iter().map(|(_, c)| c.uncosted_minutes).sum::<i64>() + general.uncosted_minutes;
    if uncosted > 0 {
        certainty.push(sentence(&format!(
            "{} belong to people without a usable hourly cost: they are counted here but not in any cost",
            figures::hours(uncosted as f64 / 60.0)
        )));
    }
    if total > 0.0 {
        certainty.push(
            "Hours are what people logged; time that was not logged is missing, so the figures are a lower bound."
                .to_string(),
        );
    }
    Reading { says, certainty, missing: notes_for(analysis, &NOTE_CODES) }
}
