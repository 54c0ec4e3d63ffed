//! The CRM side of the world: accounts, contacts, touchpoints and deals, drawn in that order (touches never
//! depend on deals, except the sales meetings that follow a deal's creation).

pub mod accounts;
pub mod deals;
pub mod touches;

use crate::activities::Plan;
use crate::calendar::Calendar;
use crate::company::CHANNELS;
use crate::content::Content;
use crate::experiment;
use crate::sample::chance;
use crate::streams::{rng, Stream};
use crate::DemoConfig;
use accounts::Population;
use deals::{Hazards, Outcome, Trigger};
use socialledger_domain::{Account, Contact, Currency, Deal, DealStatus, Money, TouchKind, Touchpoint};

/// Share of contacts who became leads by a form or an event and answered "how did you hear of us".
pub const CONTACT_REPORT_SHARE: f64 = 0.4;
/// Share of those answers that are "a colleague" regardless of the converting channel.
pub const CONTACT_COLLEAGUE_SHARE: f64 = 0.25;

/// The CRM records plus the hidden state the truth is computed from.
#[derive(Debug, Clone)]
pub struct Crm {
    pub accounts: Vec<Account>,
    pub contacts: Vec<Contact>,
    pub deals: Vec<Deal>,
    pub touchpoints: Vec<Touchpoint>,
    pub population: Population,
    pub triggers: Vec<Trigger>,
    /// Saturated pressure per trigger and effect (index as in `DemoConfig::effects`).
    pub pressures: Vec<Vec<f64>>,
    pub hazards: Vec<Hazards>,
    /// What became of each trigger in this (factual) world.
    pub outcomes: Vec<Outcome>,
    /// The experiment the world ran, if any: who it treated and the hazards had it not run.
    pub(crate) experiment: Option<experiment::Run>,
}

/// Draws the CRM.
pub fn run(cfg: &DemoConfig, cal: &Calendar, plan: &Plan, content: &Content) -> Crm {
    run_with(cfg, cal, plan, content, None)
}

/// Draws the CRM of a world that runs `experiment` (none: [`run`]). Every random number is drawn as without
/// it; the experiment then removes the channel's touches of the treated accounts in the withheld weeks, and the
/// deals are resolved on the touches that remain.
pub(crate) fn run_with(
    cfg: &DemoConfig,
    cal: &Calendar,
    plan: &Plan,
    content: &Content,
    experiment: Option<&experiment::Setup>,
) -> Crm {
    let population = accounts::draw(cfg, cal.days);
    let mut touch_list = touches::draw(cfg, cal, plan, content, &population);
    let triggers = deals::draw_triggers(cfg, cal, &population);
    let hazards_of = |touch_list: &[touches::Touch]| -> (Vec<Vec<f64>>, Vec<Hazards>) {
        let pressures = deals::pressures(cfg, &population, touch_list, &triggers);
        let hazards = triggers.iter().zip(&pressures).map(|(t, g)| deals::hazards(cfg, &population, t, g)).collect();
        (pressures, hazards)
    };
    let experiment = experiment.map(|setup| {
        let assignment = experiment::assign::assign(cfg.seed, setup, &population, &touch_list);
        let unmasked_hazards = hazards_of(&touch_list).1;
        let hidden_posts = setup.hidden_posts(cal, content);
        touch_list.retain(|t| !experiment::Run::hides(setup, &assignment, t));
        for t in &mut touch_list {
            if t.post.is_some_and(|p| hidden_posts[p]) {
                t.post = None;
            }
        }
        experiment::Run { setup: setup.clone(), assignment, unmasked_hazards }
    });
    let (pressures, hazards) = hazards_of(&touch_list);
    let outcomes: Vec<Outcome> =
        triggers.iter().zip(&hazards).map(|(t, h)| deals::resolve(t, h, cal.days, |_| true)).collect();

    // Deals in order of creation.
    let mut created: Vec<usize> = (0..triggers.len()).filter(|i| outcomes[*i].created()).collect();
    created.sort_by(|a, b| triggers[*a].at.total_cmp(&triggers[*b].at).then(a.cmp(b)));
    let deals: Vec<Deal> = created
        .iter()
        .enumerate()
        .map(|(n, &i)| deal_record(cfg, cal, &population, n, &triggers[i], &pressures[i], outcomes[i]))
        .collect();
    let with_outcome: Vec<(usize, &Trigger, Outcome)> =
        created.iter().enumerate().map(|(n, &i)| (n, &triggers[i], outcomes[i])).collect();
    touch_list.extend(deals::meetings(cfg, cal, &population, &with_outcome));
    touch_list.sort_by(|a, b| {
        (a.day, a.seconds, a.contact, a.channel, a.kind).cmp(&(b.day, b.seconds, b.contact, b.channel, b.kind))
    });

    let touchpoints: Vec<Touchpoint> = touch_list
        .iter()
        .enumerate()
        .map(|(n, t)| Touchpoint {
            key: format!("tp-{:06}", n + 1),
            contact: Some(population.contacts[t.contact].key.clone()),
            account: Some(population.accounts[t.account].key.clone()),
            deal: t.deal.map(|d| deals[d].key.clone()),
            at: cal.at(t.day, t.seconds),
            channel: CHANNELS[t.channel].key.to_string(),
            kind: t.kind,
            campaign: t.campaign.clone(),
            post_ref: t.post.map(|p| content.posts[p].external_id.clone()),
            utm_source: t.utm.as_ref().map(|u| u.source.clone()),
            utm_medium: t.utm.as_ref().map(|u| u.medium.to_string()),
            utm_campaign: t.utm.as_ref().and_then(|u| u.campaign.clone()),
        })
        .collect();

    // Contacts become leads at their first form, event or meeting.
    let mut first: Vec<Option<&touches::Touch>> = vec![None; population.contacts.len()];
    for t in &touch_list {
        if matches!(t.kind, TouchKind::Form | TouchKind::EventAttendance | TouchKind::Meeting)
            && first[t.contact].is_none()
        {
            first[t.contact] = Some(t);
        }
    }
    let mut r = rng(cfg.seed, Stream::Reports);
    let contacts = population
        .contacts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (ask, colleague) = (chance(&mut r, CONTACT_REPORT_SHARE), chance(&mut r, CONTACT_COLLEAGUE_SHARE));
            let lead = first[i];
            let source = match lead {
                Some(t) if ask && t.kind != TouchKind::Meeting => {
                    Some(if colleague { "a colleague" } else { deals::answer(CHANNELS[t.channel].key) })
                }
                _ => None,
            };
            let account = &population.accounts[c.account];
            Contact {
                key: c.key.clone(),
                account: Some(account.key.clone()),
                name: Some(format!("{} {}", c.first_name, c.surname)),
                email: Some(format!("{}.{}@{}", c.first_name.to_lowercase(), c.surname.to_lowercase(), account.domain)),
                job_title: Some(c.job_title.to_string()),
                created_at: lead.map(|t| cal.at(t.day, t.seconds)),
                self_reported_source: source.map(str::to_string),
            }
        })
        .collect();

    let p = &accounts::PARAMS;
    let accounts = population
        .accounts
        .iter()
        .map(|a| Account {
            key: a.key.clone(),
            name: a.name.clone(),
            industry: Some(p.industries[a.industry].0.to_string()),
            size: Some(p.sizes[a.size].0.to_string()),
            country: Some(p.countries[a.country].0.to_string()),
        })
        .collect();

    Crm { accounts, contacts, deals, touchpoints, population, triggers, pressures, hazards, outcomes, experiment }
}

/// The stage a deal shows: by outcome, or for an open deal by the share of its sales cycle elapsed at the end.
fn stage(cal: &Calendar, trigger: &Trigger, outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Won => "closed_won",
        Outcome::Lost => "closed_lost",
        _ => {
            let elapsed = (cal.days - 1 - trigger.day) as f64 / trigger.cycle_days.max(1) as f64;
            if elapsed < 0.25 {
                "qualification"
            } else if elapsed < 0.5 {
                "discovery"
            } else if elapsed < 0.75 {
                "proposal"
            } else {
                "negotiation"
            }
        }
    }
}

fn deal_record(
    cfg: &DemoConfig,
    cal: &Calendar,
    pop: &Population,
    n: usize,
    trigger: &Trigger,
    g: &[f64],
    outcome: Outcome,
) -> Deal {
    let account = &pop.accounts[trigger.account];
    let (status, closed) = match outcome {
        Outcome::Won => (DealStatus::Won, Some(cal.date(trigger.day + trigger.cycle_days))),
        Outcome::Lost => (DealStatus::Lost, Some(cal.date(trigger.day + trigger.lost_after_days))),
        _ => (DealStatus::Open, None),
    };
    Deal {
        key: format!("deal-{:04}", n + 1),
        account: Some(account.key.clone()),
        name: format!("{}: {}", account.name, trigger.product),
        amount: Some(Money::new(trigger.amount_minor, Currency::EUR)),
        created: Some(cal.date(trigger.day)),
        stage: Some(stage(cal, trigger, outcome).to_string()),
        status,
        closed,
        self_reported_source: deals::self_reported(cfg, trigger, g).map(str::to_string),
    }
}
