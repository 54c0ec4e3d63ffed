//! The verdict (crates/decide, `verdict::report`) as terminal text: `socialledger verdict` prints it, and the
//! terminal report leads with it. Channel names come from the data and are cleaned of control characters.

use crate::figures::{decimal, roi};
use crate::text_table::{clean, wrap_words, Align, TextTable};
use socialledger_decide::verdict::VerdictReport;
use socialledger_decide::Interval;

/// An ROI with its interval (`+120% [-10%, +400%]`), or `unknown`.
fn roi_interval(c: &socialledger_decide::verdict::ChannelVerdict) -> String {
    match (c.roi, c.roi_low, c.roi_high) {
        (Some(r), Some(l), Some(h)) => format!("{} [{}, {}]", roi(r), roi(l), roi(h)),
        _ => "unknown".to_string(),
    }
}

/// A whole amount with its interval (`3,291,101 [1,896,370, 4,947,202]`).
pub fn amount_interval(i: &Interval) -> String {
    format!("{} [{}, {}]", decimal(i.estimate, 0), decimal(i.low, 0), decimal(i.high, 0))
}

/// The verdict per channel, the reasons and next steps, social against the rest, in `width` columns
/// (`socialledger verdict`).
pub fn text(v: &VerdictReport, width: usize) -> String {
    render(v, width, true)
}

/// The verdict table and how sure we are, without the reasons (the terminal report's first block; `socialledger
/// verdict` has the rest).
pub fn summary(v: &VerdictReport, width: usize) -> String {
    render(v, width, false)
}

fn render(v: &VerdictReport, width: usize, full: bool) -> String {
    let width = width.max(40);
    let mut lines = wrap_words(
        &format!(
            "Verdict per channel, {} to {}: ROI on gross profit at a {}% margin, 90% intervals",
            v.period.from.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            v.period.to.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            decimal(100.0 * v.gross_margin, 0)
        ),
        width,
    );
    lines.push(String::new());
    let mut t = TextTable::new(
        "Channel",
        &[("Verdict", Align::Left), ("Evidence", Align::Left), ("Cost", Align::Right), ("ROI", Align::Right)],
    );
    for c in &v.channels {
        t.row(vec![
            clean(&c.name),
            c.verdict.as_str().to_string(),
            c.evidence.unwrap_or("none").to_string(),
            decimal(c.cost, 0),
            roi_interval(c),
        ]);
    }
    lines.extend(t.render(width));
    lines.push(String::new());
    if !full {
        for r in &v.reading {
            lines.extend(wrap_words(r, width));
        }
        lines.extend(wrap_words("The reasons and the next steps: socialledger verdict.", width));
        return lines.join("\n");
    }
    lines.push(format!("Why (amounts in {}):", v.currency));
    for c in &v.channels {
        lines.push(format!("{}: {}", clean(&c.name), c.verdict.as_str()));
        for r in &c.reasons {
            for (i, l) in wrap_words(&clean(&r.text), width.saturating_sub(4)).into_iter().enumerate() {
                lines.push(format!("{}{l}", if i == 0 { "  - " } else { "    " }));
            }
        }
        if let Some(s) = &c.next_step {
            for (i, l) in wrap_words(&format!("next step: {}. {}", s.reading, s.command), width.saturating_sub(4))
                .into_iter()
                .enumerate()
            {
                lines.push(format!("{}{l}", if i == 0 { "  > " } else { "    " }));
            }
        }
    }
    lines.push(String::new());
    let s = &v.social;
    if let Some(target) = &s.target {
        lines.extend(wrap_words(
            &format!("Social against the rest of the mix (mix model, {target} caused over the panel):"),
            width,
        ));
        for g in &s.groups {
            let caused = g.caused.as_ref().map_or_else(|| "-".to_string(), amount_interval);
            let per = g.cost_per_won_deal.as_ref().map_or_else(|| "-".to_string(), amount_interval);
            let line = format!(
                "{}: cost {}, caused {caused}, cost per won deal caused {per}",
                g.group.replace('_', " "),
                decimal(g.cost, 0)
            );
            for (i, l) in wrap_words(&line, width.saturating_sub(4)).into_iter().enumerate() {
                lines.push(format!("{}{l}", if i == 0 { "  " } else { "    " }));
            }
        }
        lines.push(String::new());
    }
    for r in &v.reading {
        lines.extend(wrap_words(r, width));
    }
    for (kind, note) in [("Mix model", &v.evidence.mmm_note), ("Incremental model", &v.evidence.incremental_note)] {
        if let Some(n) = note {
            lines.extend(wrap_words(&format!("{kind}: {n}."), width));
        }
    }
    lines.join("\n")
}
