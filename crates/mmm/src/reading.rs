//! The plain-language reading of a fit: how well it describes the history, how much the channels explain,
//! which channels' effects the data can tell and which not, and how sure we are.

use crate::result::MmmResult;

fn pct(v: f64) -> String {
    format!("{:.0} %", 100.0 * v)
}

/// ROI as a signed percentage below 10 (1,000 %) and as a multiple from there on (ROI 12.6 -> "12.6x"), the
/// rule the report's ROI table follows (crates/report/src/figures.rs).
fn signed_pct(v: f64) -> String {
    if v.abs() < 10.0 {
        format!("{:+.0} %", 100.0 * v)
    } else {
        format!("{:.1}x", v)
    }
}

/// Sentences, most important first.
pub fn read(r: &MmmResult) -> Vec<String> {
    let mut out = Vec::new();
    let unit = match r.frequency {
        crate::panel::Frequency::Weekly => "weeks",
        crate::panel::Frequency::Daily => "days",
    };
    if !r.diagnostics.passed {
        let failed: Vec<&str> = r.diagnostics.checks.iter().filter(|c| !c.passed).map(|c| c.message.as_str()).collect();
        out.push(format!("This fit failed its checks and is not an answer: {}.", failed.join("; ")));
    }
    out.push(format!(
        "The model describes {} of the variation of {} over {} {} (R² {:.2}, off by {} a period on average{}).",
        pct(r.fit.r2.max(0.0)),
        r.target,
        r.periods,
        unit,
        r.fit.r2,
        pct(r.fit.mape),
        match (r.fit.cv_mape, r.fit.baseline_cv_mape) {
            (Some(a), Some(b)) =>
                format!("; predicting periods it had not seen, {} against {} without channels", pct(a), pct(b)),
            _ => String::new(),
        }
    ));
    if r.target_total > 0.0 {
        out.push(format!(
            "The channels explain {} of {}; the rest is baseline, trend, seasonality and controls.",
            pct(r.media_total / r.target_total),
            r.target
        ));
    }
    let level = pct(r.level);
    if !r.diagnostics.passed {
        out.push(
            "The channel figures below are shown so the fit can be inspected; they are not estimates to act on."
                .to_string(),
        );
        return out;
    }
    for c in &r.channels {
        if !c.identifiable {
            out.push(format!(
                "The history cannot tell {}'s effect: {}.",
                c.name,
                c.why.clone().unwrap_or_else(|| "its interval is too wide".into())
            ));
            continue;
        }
        let roi = match (c.roi, c.roi_low, c.roi_high) {
            (Some(v), Some(lo), Some(hi)) => {
                format!("; ROI {} ({level} interval {} to {})", signed_pct(v), signed_pct(lo), signed_pct(hi))
            }
            _ => "; no cost recorded, so no ROI".into(),
        };
        out.push(format!(
            "{}: {} of the channels' contribution ({level} interval {} to {}){}.",
            c.name,
            pct(c.contribution_share),
            pct(c.share_low),
            pct(c.share_high),
            roi
        ));
    }
    out
}
