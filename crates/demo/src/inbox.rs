//! The company's social inbox: comments, direct messages and mentions its social channels receive, and when it
//! first answered each (`conversations.csv`). Known behaviour, so the response figures can be checked: every
//! channel is answered well within a working day (the verdict finds no slow responses), each from its own
//! log-normal distribution of hours to the first answer, and a known share is never answered.
//!
//! Drawn from its own random stream (`Stream::Inbox` in `streams.rs`), so the other files of the demo are
//! the same with or without it. The parameters are in docs/demo-model.md, "Inbox".

use crate::calendar::Calendar;
use crate::sample;
use crate::streams::{rng, Stream};
use crate::DemoConfig;
use chrono::Duration;
use rand::Rng;
use serde::Serialize;
use socialledger_domain::{Conversation, ConversationKind};

/// How one channel's inbox behaves.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InboxSpec {
    pub channel: &'static str,
    /// Conversations received per week (Poisson).
    pub per_week: f64,
    /// Shares of comments, direct messages and mentions (the rest: none).
    pub kinds: [f64; 3],
    /// True median hours to the first answer; the hours are log-normal around it.
    pub median_hours: f64,
    /// Spread of the hours on the log scale (1.0: one answer in ten takes 3.6 times the median or longer).
    pub sigma: f64,
    /// Share never answered.
    pub unanswered: f64,
}

/// The demo company's inboxes, in channel order.
pub const INBOXES: [InboxSpec; 5] = [
    InboxSpec {
        channel: "linkedin",
        per_week: 9.0,
        kinds: [0.7, 0.2, 0.1],
        median_hours: 3.0,
        sigma: 1.0,
        unanswered: 0.05,
    },
    InboxSpec { channel: "x", per_week: 6.0, kinds: [0.3, 0.2, 0.5], median_hours: 2.0, sigma: 1.0, unanswered: 0.15 },
    InboxSpec {
        channel: "facebook",
        per_week: 2.0,
        kinds: [0.6, 0.4, 0.0],
        median_hours: 8.0,
        sigma: 0.9,
        unanswered: 0.10,
    },
    InboxSpec {
        channel: "instagram",
        per_week: 3.0,
        kinds: [0.7, 0.3, 0.0],
        median_hours: 5.0,
        sigma: 0.9,
        unanswered: 0.10,
    },
    InboxSpec {
        channel: "youtube",
        per_week: 1.5,
        kinds: [1.0, 0.0, 0.0],
        median_hours: 12.0,
        sigma: 0.8,
        unanswered: 0.20,
    },
];

/// The conversations of the period, sorted by channel then id.
pub fn conversations(cfg: &DemoConfig, cal: &Calendar) -> Vec<Conversation> {
    let mut r = rng(cfg.seed, Stream::Inbox);
    let mut out = Vec::new();
    for spec in &INBOXES {
        let mut n = 0usize;
        for week in 0..cal.weeks() {
            for _ in 0..sample::poisson(&mut r, spec.per_week) {
                let day = week * 7 + (7.0 * r.gen::<f64>()) as usize;
                // Working hours mostly: 07:00 to 21:00 UTC.
                let seconds = 7 * 3600 + (14.0 * 3600.0 * r.gen::<f64>()) as u32;
                let received_at = cal.at(day, seconds);
                let kind = match sample::weighted(&mut r, &spec.kinds) {
                    0 => ConversationKind::Comment,
                    1 => ConversationKind::Dm,
                    _ => ConversationKind::Mention,
                };
                let hours = sample::lognormal(&mut r, spec.median_hours, spec.sigma);
                let answered = !sample::chance(&mut r, spec.unanswered);
                if day >= cal.days {
                    continue; // the last week runs past the period
                }
                let first_response_at =
                    answered.then(|| received_at + Duration::seconds((hours * 3600.0).round().max(60.0) as i64));
                n += 1;
                out.push(Conversation {
                    channel: spec.channel.to_string(),
                    key: format!("{}-{n:05}", spec.channel),
                    kind: Some(kind),
                    received_at,
                    first_response_at,
                    assignee: answered.then(|| format!("community@{}", crate::company::DOMAIN)),
                });
            }
        }
    }
    out
}
