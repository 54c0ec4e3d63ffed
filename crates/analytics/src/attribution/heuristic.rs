//! Heuristic attribution: the weight each touch of a journey gets under a rule-based model.
//!
//! Models (docs/attribution.md has the definitions and references):
//! - first / last touch: 100 % to the first / last touch.
//! - linear: 1/n each.
//! - time decay: weight 2^(-age/h) normalised to sum to 1, where age is the time in days from the touch to the
//!   journey's end (midnight after its end date) and h is the half-life in days.
//! - position-based models give fixed shares to key positions and spread the rest equally over the other
//!   touches: U-shaped 40 first / 40 last / 20 rest; W-shaped 30 first / 30 lead creation / 30 opportunity
//!   creation / 10 rest; full path 22.5 each to first, lead creation, opportunity creation and deal close / 10
//!   rest (on journeys without a close, full path is W-shaped).
//!
//! Coincident positions merge by ADDITION: when two key positions fall on the same touch, that touch gets both
//! shares. When no touch is left outside the key positions, the "rest" share is split equally over the distinct
//! key touches. So U-shaped gives 100 % with one touch and 50/50 with two; W-shaped gives 100 % with one touch.

use super::journey::Journey;
use super::Model;
use socialledger_domain::TouchKind;
use std::collections::BTreeMap;

/// Indices of the key touches of a journey (all `None` for an empty journey).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Positions {
    pub first: Option<usize>,
    /// Lead creation: the first `Form` touch; else the last touch at or before the earliest `created_at` of the
    /// account's contacts; else the middle touch (index n/2, the later of the two middles when n is even).
    pub lead: Option<usize>,
    /// Opportunity creation: the last touch before the end of the deal's creation day; when every touch is
    /// later (or the creation date is unknown), the touch closest to it, which is the first touch (or the last
    /// touch, when the creation date is unknown).
    pub opportunity: Option<usize>,
    /// Deal close: the last touch of a journey that ends at a close; `None` otherwise.
    pub close: Option<usize>,
    pub last: Option<usize>,
}

/// Finds the key positions of `journey`.
pub fn positions(journey: &Journey) -> Positions {
    let t = &journey.touches;
    let n = t.len();
    if n == 0 {
        return Positions::default();
    }
    let lead = t
        .iter()
        .position(|x| x.kind == TouchKind::Form)
        .or_else(|| journey.lead_created.and_then(|at| t.iter().rposition(|x| x.at <= at)))
        .unwrap_or(n / 2);
    let opportunity = match journey.opportunity_created {
        Some(at) => t.iter().rposition(|x| x.at < at).unwrap_or(0),
        None => n - 1,
    };
    let close = journey.closed.and_then(|at| t.iter().rposition(|x| x.at < at));
    Positions { first: Some(0), lead: Some(lead), opportunity: Some(opportunity), close, last: Some(n - 1) }
}

/// Weights of `n` touches when the key indices in `keys` get their shares (added together when they coincide)
/// and `rest` is split equally over the other touches, or over the distinct key touches when there are none.
pub fn positional(n: usize, keys: &[(usize, f64)], rest: f64) -> Vec<f64> {
    let mut w = vec![0.0; n];
    if n == 0 {
        return w;
    }
    let mut is_key = vec![false; n];
    for &(i, share) in keys {
        w[i] += share;
        is_key[i] = true;
    }
    let others: Vec<usize> = (0..n).filter(|&i| !is_key[i]).collect();
    let receivers: Vec<usize> = if others.is_empty() { (0..n).filter(|&i| is_key[i]).collect() } else { others };
    let each = rest / receivers.len() as f64;
    for i in receivers {
        w[i] += each;
    }
    w
}

/// The weight of every touch of `journey` under `model` (same order as `journey.touches`). Weights are in
/// [0, 1] and sum to 1 (up to float rounding) for a non-empty journey; an empty journey has no weights.
/// `half_life_days` is used by time decay only; a non-positive or non-finite value falls back to 7 days.
pub fn weights(model: Model, journey: &Journey, half_life_days: f64) -> Vec<f64> {
    let n = journey.touches.len();
    if n == 0 {
        return Vec::new();
    }
    let p = positions(journey);
    let (first, last) = (0, n - 1);
    let lead = p.lead.unwrap_or(first);
    let opportunity = p.opportunity.unwrap_or(last);
    match model {
        Model::First => {
            let mut w = vec![0.0; n];
            w[first] = 1.0;
            w
        }
        Model::Last => {
            let mut w = vec![0.0; n];
            w[last] = 1.0;
            w
        }
        Model::Linear => vec![1.0 / n as f64; n],
        Model::TimeDecay => {
            let h = if half_life_days.is_finite() && half_life_days > 0.0 { half_life_days } else { 7.0 };
            let raw: Vec<f64> = journey
                .touches
                .iter()
                .map(|t| {
                    let age_days = (journey.end - t.at).num_milliseconds().max(0) as f64 / 86_400_000.0;
                    (-age_days / h).exp2()
                })
                .collect();
            let total: f64 = raw.iter().sum();
            if total > 0.0 && total.is_finite() {
                raw.into_iter().map(|w| w / total).collect()
            } else {
                // Every touch so old that 2^(-age/h) underflows: the latest touch is the least decayed.
                let mut w = vec![0.0; n];
                w[last] = 1.0;
                w
            }
        }
        Model::UShaped => positional(n, &[(first, 0.4), (last, 0.4)], 0.2),
        Model::WShaped => positional(n, &[(first, 0.3), (lead, 0.3), (opportunity, 0.3)], 0.1),
        Model::FullPath => match p.close {
            Some(close) => positional(n, &[(first, 0.225), (lead, 0.225), (opportunity, 0.225), (close, 0.225)], 0.1),
            None => positional(n, &[(first, 0.3), (lead, 0.3), (opportunity, 0.3)], 0.1),
        },
    }
}

/// The weights of `journey` under `model` summed per channel (sorted by channel key). Only channels that
/// appear in the journey are listed.
pub fn channel_weights(model: Model, journey: &Journey, half_life_days: f64) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for (t, w) in journey.touches.iter().zip(weights(model, journey, half_life_days)) {
        match out.get_mut(&*t.channel) {
            Some(sum) => *sum += w,
            None => {
                out.insert(t.channel.to_string(), w);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::journey::{end_of_day, JourneyPurpose, Touch};
    use crate::testdata::{d, ts};
    use proptest::prelude::*;
    use socialledger_domain::TouchKind::{self, *};

    /// A journey ending on `end` whose touches are at the given instants, on channels c0, c1, ...
    fn journey(touches: &[(&str, TouchKind)], end: &str, created: Option<&str>, closed: bool) -> Journey {
        Journey {
            deal: "D".into(),
            purpose: if closed { JourneyPurpose::Revenue } else { JourneyPurpose::Pipeline },
            end_date: d(end),
            end: end_of_day(d(end)),
            touches: touches
                .iter()
                .enumerate()
                .map(|(i, (at, kind))| Touch {
                    row: i as u32,
                    channel: format!("c{i}").into(),
                    at: ts(at),
                    kind: *kind,
                })
                .collect(),
            lead_created: None,
            opportunity_created: created.map(|c| end_of_day(d(c))),
            closed: closed.then(|| end_of_day(d(end))),
        }
    }

    /// A pipeline journey of `n` visits on 1, 2, ... March, created on the last touch's day.
    fn pipeline(n: usize) -> Journey {
        let times: Vec<(String, TouchKind)> = (1..=n).map(|i| (format!("2024-03-{i:02}T00:00:00Z"), Visit)).collect();
        let refs: Vec<(&str, TouchKind)> = times.iter().map(|(t, k)| (t.as_str(), *k)).collect();
        let end = format!("2024-03-{:02}", n.max(1));
        journey(&refs, &end, Some(&end), false)
    }

    fn assert_weights(got: Vec<f64>, want: &[f64]) {
        assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?} vs {want:?}");
        }
    }

    #[test]
    fn single_touch_models() {
        let j = pipeline(3);
        assert_weights(weights(Model::First, &j, 7.0), &[1.0, 0.0, 0.0]);
        assert_weights(weights(Model::Last, &j, 7.0), &[0.0, 0.0, 1.0]);
        assert_weights(weights(Model::Linear, &j, 7.0), &[1.0 / 3.0; 3]);
        assert!(weights(Model::Linear, &pipeline(0), 7.0).is_empty());
    }

    #[test]
    fn time_decay_halves_every_half_life() {
        // Ages from the end of 10 March: 15, 8 and 1 days; with a 7-day half-life raw weights are r/4, r/2, r.
        let j = journey(
            &[("2024-02-25T00:00:00Z", Visit), ("2024-03-03T00:00:00Z", Visit), ("2024-03-10T00:00:00Z", Visit)],
            "2024-03-10",
            Some("2024-03-10"),
            false,
        );
        assert_weights(weights(Model::TimeDecay, &j, 7.0), &[1.0 / 7.0, 2.0 / 7.0, 4.0 / 7.0]);
        // Ages 15 and 1 days with a 14-day half-life: r/2 and r.
        let j = journey(&[("2024-02-25T00:00:00Z", Visit), ("2024-03-10T00:00:00Z", Visit)], "2024-03-10", None, false);
        assert_weights(weights(Model::TimeDecay, &j, 14.0), &[1.0 / 3.0, 2.0 / 3.0]);
        // Equal ages, equal weights.
        let j = journey(&[("2024-03-09T06:00:00Z", Visit), ("2024-03-09T06:00:00Z", Form)], "2024-03-10", None, false);
        assert_weights(weights(Model::TimeDecay, &j, 7.0), &[0.5, 0.5]);
    }

    #[test]
    fn u_shaped_by_length() {
        assert_weights(weights(Model::UShaped, &pipeline(1), 7.0), &[1.0]);
        assert_weights(weights(Model::UShaped, &pipeline(2), 7.0), &[0.5, 0.5]);
        assert_weights(weights(Model::UShaped, &pipeline(3), 7.0), &[0.4, 0.2, 0.4]);
        assert_weights(weights(Model::UShaped, &pipeline(4), 7.0), &[0.4, 0.1, 0.1, 0.4]);
    }

    #[test]
    fn w_shaped_by_length_without_lead_information() {
        // No form and no contact creation date: the lead touch is the middle one (index n/2); the opportunity
        // touch is the last (every touch precedes creation). Coincident positions add up.
        assert_weights(weights(Model::WShaped, &pipeline(1), 7.0), &[1.0]);
        // first 0.3; lead = opportunity = last 0.6; no other touch: 0.1 split over the two key touches.
        assert_weights(weights(Model::WShaped, &pipeline(2), 7.0), &[0.35, 0.65]);
        // three distinct key touches, nothing else: 0.3 + 0.1/3 each.
        assert_weights(weights(Model::WShaped, &pipeline(3), 7.0), &[1.0 / 3.0; 3]);
        assert_weights(weights(Model::WShaped, &pipeline(4), 7.0), &[0.3, 0.1, 0.3, 0.3]);
        assert_weights(weights(Model::WShaped, &pipeline(5), 7.0), &[0.3, 0.05, 0.3, 0.05, 0.3]);
    }

    #[test]
    fn w_shaped_lead_touch_is_the_first_form_else_the_contact_creation() {
        let mut j = pipeline(5);
        j.touches[1].kind = Form;
        j.touches[3].kind = Form;
        assert_eq!(positions(&j).lead, Some(1));
        assert_weights(weights(Model::WShaped, &j, 7.0), &[0.3, 0.3, 0.05, 0.05, 0.3]);

        // No form; the account's first contact became a lead at noon on 1 March: the touch at 00:00 that day.
        let mut j = pipeline(4);
        j.lead_created = Some(ts("2024-03-01T12:00:00Z"));
        assert_eq!(positions(&j).lead, Some(0));
        assert_weights(weights(Model::WShaped, &j, 7.0), &[0.6, 0.05, 0.05, 0.3]);
        // A lead created before every touch: fall back to the middle.
        j.lead_created = Some(ts("2024-01-01T00:00:00Z"));
        assert_eq!(positions(&j).lead, Some(2));
    }

    #[test]
    fn revenue_journeys_place_opportunity_and_close() {
        let touches = [
            ("2024-03-01T09:00:00Z", Visit),
            ("2024-03-02T09:00:00Z", Form),
            ("2024-03-03T09:00:00Z", Meeting),
            ("2024-03-04T09:00:00Z", Visit),
            ("2024-03-05T09:00:00Z", EmailClick),
        ];
        // Created on 3 March (the meeting that day is the opportunity touch), closed on 5 March.
        let j = journey(&touches, "2024-03-05", Some("2024-03-03"), true);
        let p = positions(&j);
        assert_eq!((p.first, p.lead, p.opportunity, p.close, p.last), (Some(0), Some(1), Some(2), Some(4), Some(4)));
        assert_weights(weights(Model::WShaped, &j, 7.0), &[0.3, 0.3, 0.3, 0.05, 0.05]);
        assert_weights(weights(Model::FullPath, &j, 7.0), &[0.225, 0.225, 0.225, 0.1, 0.225]);
        // Without a close (pipeline, or an open deal), full path is W-shaped.
        let open = journey(&touches, "2024-03-05", Some("2024-03-03"), false);
        assert_eq!(weights(Model::FullPath, &open, 7.0), weights(Model::WShaped, &open, 7.0));
        // Every touch after the creation: the opportunity touch is the closest one, the first.
        let late = journey(&touches[2..], "2024-03-05", Some("2024-02-01"), true);
        assert_eq!(positions(&late).opportunity, Some(0));
        // first + opportunity on the meeting (0.6), lead = middle = index 1 (0.3), the rest (0.1) on the last.
        assert_weights(weights(Model::WShaped, &late, 7.0), &[0.6, 0.3, 0.1]);
    }

    #[test]
    fn channel_weights_sum_per_channel() {
        let mut j = pipeline(4);
        j.touches[2].channel = "c0".into();
        let w = channel_weights(Model::UShaped, &j, 7.0);
        let got: Vec<(&str, f64)> = w.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(got.len(), 3);
        assert_eq!((got[0].0, got[1].0, got[2].0), ("c0", "c1", "c3"));
        assert!((got[0].1 - 0.5).abs() < 1e-12 && (got[1].1 - 0.1).abs() < 1e-12 && (got[2].1 - 0.4).abs() < 1e-12);
    }

    proptest! {
        #[test]
        fn weights_are_shares(
            offsets in proptest::collection::vec((0i64..365 * 24 * 60, 0usize..8), 1..15),
            lead in proptest::option::of(0i64..400 * 24 * 60),
            created in proptest::option::of(0u64..400),
            closed in any::<bool>(),
            half_life in 0.5f64..60.0,
        ) {
            let end_date = d("2024-12-31");
            let end = end_of_day(end_date);
            let mut touches: Vec<Touch> = offsets
                .iter()
                .enumerate()
                .map(|(i, (m, k))| Touch {
                    row: i as u32,
                    channel: format!("c{}", i % 3).into(),
                    at: end - chrono::Duration::minutes(*m + 1),
                    kind: TouchKind::ALL[*k],
                })
                .collect();
            touches.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.row.cmp(&b.row)));
            let j = Journey {
                deal: "D".into(),
                purpose: JourneyPurpose::Revenue,
                end_date,
                end,
                touches,
                lead_created: lead.map(|m| end - chrono::Duration::minutes(m)),
                opportunity_created: created.map(|days| end_of_day(end_date - chrono::Days::new(days))),
                closed: closed.then_some(end),
            };
            for model in Model::ALL {
                let w = weights(model, &j, half_life);
                prop_assert_eq!(w.len(), j.touches.len());
                prop_assert!(w.iter().all(|&x| (0.0..=1.0 + 1e-12).contains(&x)), "{:?} {:?}", model, w);
                prop_assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{:?} {:?}", model, w);
            }
        }
    }
}
