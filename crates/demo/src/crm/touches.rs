//! Every contact's touches with every channel over time: social impressions and engagements, visits with UTM
//! tags, form fills, newsletter clicks, webinar and trade-fair attendance, press referrals. Touches do not depend
//! on deals (sales meetings, which do, are added in [`super::deals`]).

use super::accounts::Population;
use crate::activities::{Plan, PARAMS as PLAN};
use crate::calendar::Calendar;
use crate::company::{self, channel_index, CHANNELS};
use crate::content::{Content, NETWORKS};
use crate::sample::{chance, from_cdf, poisson, weighted};
use crate::streams::{rng, Stream};
use crate::DemoConfig;
use rand::Rng;
use serde::Serialize;
use socialledger_domain::TouchKind;

/// Touches per contact per year at the channel's average daily level (profile 1), before affinity and intent.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct TouchRate {
    pub channel: &'static str,
    pub kind: TouchKind,
    pub per_year: f64,
}

const fn rate(channel: &'static str, kind: TouchKind, per_year: f64) -> TouchRate {
    TouchRate { channel, kind, per_year }
}

/// Touch rates of the continuous channels. Their daily profile is: social networks, impressions that day over
/// the mean day times the campaign multiplier; LinkedIn Ads, spend that day over a median flight's daily
/// budget; search ads, spend that day over the median month's daily budget; organic search
/// `1 + 0.15 · years since start`; direct 1. Organic search and direct visits are in [`TouchParams::intent_rates`].
pub const RATES: [TouchRate; 18] = {
    use company::{FACEBOOK, INSTAGRAM, LINKEDIN, LINKEDIN_ADS, PAID_SEARCH, X, YOUTUBE};
    use TouchKind::{Engagement, Impression, Visit};
    [
        rate(LINKEDIN, Impression, 4.0),
        rate(LINKEDIN, Engagement, 1.0),
        rate(LINKEDIN, Visit, 0.6),
        rate(X, Impression, 2.0),
        rate(X, Engagement, 0.3),
        rate(X, Visit, 0.2),
        rate(FACEBOOK, Impression, 1.2),
        rate(FACEBOOK, Engagement, 0.15),
        rate(FACEBOOK, Visit, 0.1),
        rate(INSTAGRAM, Impression, 1.2),
        rate(INSTAGRAM, Engagement, 0.2),
        rate(INSTAGRAM, Visit, 0.05),
        rate(YOUTUBE, Impression, 0.6),
        rate(YOUTUBE, Engagement, 0.08),
        rate(YOUTUBE, Visit, 0.1),
        rate(LINKEDIN_ADS, Impression, 8.0),
        rate(LINKEDIN_ADS, Visit, 0.3),
        rate(PAID_SEARCH, Visit, 0.5),
    ]
};

/// Other touch parameters (documented in docs/demo-model.md, "Touchpoints").
#[derive(Debug, Clone, Copy, Serialize)]
pub struct TouchParams {
    /// (channel, visits per contact per year, κ): the rate is multiplied by `exp(κ·z - κ²/2)` with z the
    /// account's hidden intent, so it rises with intent but keeps its mean.
    pub intent_rates: [(&'static str, f64, f64); 2],
    /// Organic search grows by this share per year.
    pub organic_growth_per_year: f64,
    /// (channel, probability that a visit is followed by a form fill).
    pub form_rates: [(&'static str, f64); 10],
    /// Probability that a subscribed contact clicks in an issue, times affinity.
    pub newsletter_click: f64,
    /// Probability that a contact visits a trade fair booth, times affinity (and the campaign multiplier).
    pub fair_visit: f64,
    /// Probability that a contact registers for a webinar, times affinity (and the campaign multiplier).
    pub webinar_registration: f64,
    /// Probability that a registrant attends.
    pub webinar_show_rate: f64,
    /// Probability that a contact visits from a press item, times affinity and sqrt(audience / 40 000).
    pub pr_visit: f64,
    /// Working hours of touches, seconds after midnight UTC: [from, to).
    pub hours: (u32, u32),
}

pub const PARAMS: TouchParams = TouchParams {
    intent_rates: [(company::DIRECT, 0.7, 1.0), (company::ORGANIC_SEARCH, 0.7, 0.7)],
    organic_growth_per_year: 0.15,
    form_rates: [
        (company::LINKEDIN, 0.03),
        (company::X, 0.02),
        (company::FACEBOOK, 0.02),
        (company::INSTAGRAM, 0.02),
        (company::YOUTUBE, 0.02),
        (company::LINKEDIN_ADS, 0.05),
        (company::PAID_SEARCH, 0.06),
        (company::ORGANIC_SEARCH, 0.04),
        (company::DIRECT, 0.05),
        (company::PR, 0.03),
    ],
    newsletter_click: 0.10,
    fair_visit: 0.03,
    webinar_registration: 0.035,
    webinar_show_rate: 0.45,
    pr_visit: 0.012,
    hours: (7 * 3600, 21 * 3600),
};

/// One touch, before it becomes a `Touchpoint` record.
#[derive(Debug, Clone)]
pub struct Touch {
    pub contact: usize,
    pub account: usize,
    pub day: usize,
    pub seconds: u32,
    /// Index into [`CHANNELS`].
    pub channel: usize,
    pub kind: TouchKind,
    pub campaign: Option<String>,
    /// Index into `Content::posts`.
    pub post: Option<usize>,
    pub utm: Option<Utm>,
    /// Index into the created deals (meetings only).
    pub deal: Option<usize>,
}

/// UTM tags of a visit, form or e-mail click.
#[derive(Debug, Clone)]
pub struct Utm {
    pub source: String,
    pub medium: &'static str,
    pub campaign: Option<String>,
}

/// The weight a touch adds to its channel's pressure on the account (see `ChannelEffect`). Meetings weigh 0:
/// they are a consequence of deals.
pub fn weight(channel: &str, kind: TouchKind) -> f64 {
    match kind {
        TouchKind::Impression => match channel {
            company::YOUTUBE => 0.5,
            company::LINKEDIN_ADS => 0.1,
            _ => 0.2,
        },
        TouchKind::Engagement | TouchKind::Visit | TouchKind::EmailClick => 1.0,
        TouchKind::Form => 2.0,
        TouchKind::EventAttendance => {
            if channel == company::EVENTS {
                3.0
            } else {
                2.0
            }
        }
        TouchKind::Meeting | TouchKind::Other => 0.0,
    }
}

fn utm_of(channel: &str, campaign: Option<String>) -> Option<Utm> {
    let (source, medium) = match channel {
        company::LINKEDIN => ("linkedin", "social"),
        company::X => ("twitter", "social"),
        company::FACEBOOK => ("facebook", "social"),
        company::INSTAGRAM => ("instagram", "social"),
        company::YOUTUBE => ("youtube", "social"),
        company::LINKEDIN_ADS => ("linkedin", "paid_social"),
        company::PAID_SEARCH => ("google", "cpc"),
        company::ORGANIC_SEARCH => ("google", "organic"),
        company::NEWSLETTER => ("newsletter", "email"),
        _ => return None,
    };
    Some(Utm { source: source.to_string(), medium, campaign })
}

/// The daily profile of a continuous channel (mean about 1 in an average period).
fn profile(channel: &str, cal: &Calendar, plan: &Plan, content: &Content) -> Vec<f64> {
    if let Some(n) = NETWORKS.iter().position(|n| n.channel == channel) {
        let imp = &content.impressions[n];
        let mean = imp.iter().sum::<f64>() / imp.len().max(1) as f64;
        if mean <= 0.0 {
            return vec![0.0; cal.days];
        }
        return imp.iter().enumerate().map(|(d, v)| v / mean * plan.touch_multiplier(channel, d)).collect();
    }
    match channel {
        company::LINKEDIN_ADS => {
            let unit = PLAN.flight_weekly_budget_median_eur / 7.0;
            plan.ads_daily_spend(cal.days).into_iter().map(|v| v / unit).collect()
        }
        company::PAID_SEARCH => {
            let unit = PLAN.search_monthly_median_eur * 12.0 / 365.0;
            plan.search_daily_spend(cal.days).into_iter().map(|v| v / unit).collect()
        }
        company::ORGANIC_SEARCH => {
            (0..cal.days).map(|d| 1.0 + PARAMS.organic_growth_per_year * d as f64 / 365.0).collect()
        }
        _ => vec![1.0; cal.days],
    }
}

fn cumulative(v: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    v.iter()
        .map(|x| {
            acc += x;
            acc
        })
        .collect()
}

struct Drawer<'a> {
    plan: &'a Plan,
    content: &'a Content,
    out: Vec<Touch>,
}

impl Drawer<'_> {
    fn push<R: Rng>(&mut self, r: &mut R, mut t: Touch) {
        let form_rate = PARAMS.form_rates.iter().find(|(c, _)| *c == CHANNELS[t.channel].key).map_or(0.0, |x| x.1);
        let is_visit = t.kind == TouchKind::Visit;
        let base = t.clone();
        if t.campaign.is_none() {
            t.campaign = self.plan.campaign_on(CHANNELS[t.channel].key, t.day).map(|c| c.key.clone());
        }
        self.out.push(t);
        if is_visit && chance(r, form_rate) {
            let mut form = base;
            form.kind = TouchKind::Form;
            form.post = None;
            form.seconds = (form.seconds + r.gen_range(120..900)).min(86_399);
            if form.campaign.is_none() {
                form.campaign = self.plan.campaign_on(CHANNELS[form.channel].key, form.day).map(|c| c.key.clone());
            }
            self.out.push(form);
        }
    }

    fn seconds<R: Rng>(r: &mut R) -> u32 {
        r.gen_range(PARAMS.hours.0..PARAMS.hours.1)
    }

    /// A post network `n` showed on day `d`, drawn by its impressions that day.
    fn post_on<R: Rng>(&self, r: &mut R, n: usize, d: usize) -> Option<usize> {
        let shown = &self.content.day_posts[n][d];
        if shown.is_empty() {
            return None;
        }
        let w: Vec<f64> = shown.iter().map(|(_, i)| *i as f64).collect();
        Some(shown[weighted(r, &w)].0)
    }

    fn utm_campaign(&self, channel: &str, d: usize) -> Option<String> {
        match channel {
            company::LINKEDIN_ADS => {
                self.plan.flights.iter().find(|f| d >= f.first_day && d < f.end_day).map(|f| f.key.clone())
            }
            company::PAID_SEARCH => {
                Some(self.plan.campaign_on(channel, d).map_or_else(|| "search-generic".to_string(), |c| c.key.clone()))
            }
            _ => self.plan.campaign_on(channel, d).map(|c| c.key.clone()),
        }
    }
}

/// Draws every touch of every contact, sorted by time.
pub fn draw(cfg: &DemoConfig, cal: &Calendar, plan: &Plan, content: &Content, pop: &Population) -> Vec<Touch> {
    let p = &PARAMS;
    let mut r = rng(cfg.seed, Stream::Touches);
    let mut dr = Drawer { plan, content, out: Vec::new() };

    // Continuous channels: one profile and cumulative per channel.
    let mut continuous: Vec<(usize, TouchKind, f64, f64, Vec<f64>)> = Vec::new(); // (channel, kind, per_year, κ, cdf)
    let mut profiles: Vec<(usize, Vec<f64>)> = Vec::new();
    let mut lines: Vec<(&str, TouchKind, f64, f64)> =
        RATES.iter().filter(|t| t.per_year > 0.0).map(|t| (t.channel, t.kind, t.per_year, 0.0)).collect();
    lines.extend(p.intent_rates.iter().map(|(c, per_year, kappa)| (*c, TouchKind::Visit, *per_year, *kappa)));
    for (channel, kind, per_year, kappa) in lines {
        let Some(c) = channel_index(channel) else { continue };
        let cdf = match profiles.iter().find(|(pc, _)| *pc == c) {
            Some((_, cdf)) => cdf.clone(),
            None => {
                let cdf = cumulative(&profile(channel, cal, plan, content));
                profiles.push((c, cdf.clone()));
                cdf
            }
        };
        continuous.push((c, kind, per_year, kappa, cdf));
    }

    for (i, contact) in pop.contacts.iter().enumerate() {
        let account = &pop.accounts[contact.account];
        let z = account.intent;
        for (c, kind, per_year, kappa, cdf) in &continuous {
            let total = cdf.last().copied().unwrap_or(0.0);
            let intent = (kappa * z - kappa * kappa / 2.0).exp();
            let n = poisson(&mut r, per_year / 365.0 * total * contact.affinity[*c] * intent);
            let key = CHANNELS[*c].key;
            for _ in 0..n {
                let day = from_cdf(&mut r, cdf);
                let seconds = Drawer::seconds(&mut r);
                let network = NETWORKS.iter().position(|x| x.channel == key);
                let post = match (network, kind) {
                    (Some(nw), TouchKind::Impression | TouchKind::Engagement | TouchKind::Visit) => {
                        dr.post_on(&mut r, nw, day)
                    }
                    _ => None,
                };
                let utm = if *kind == TouchKind::Visit { utm_of(key, dr.utm_campaign(key, day)) } else { None };
                let campaign = if *c == channel_index(company::LINKEDIN_ADS).unwrap_or(usize::MAX) {
                    plan.flights.iter().find(|f| day >= f.first_day && day < f.end_day).and_then(|f| f.campaign.clone())
                } else {
                    None
                };
                dr.push(
                    &mut r,
                    Touch {
                        contact: i,
                        account: contact.account,
                        day,
                        seconds,
                        channel: *c,
                        kind: *kind,
                        campaign,
                        post,
                        utm,
                        deal: None,
                    },
                );
            }
        }

        // Newsletter clicks.
        let nl = channel_index(company::NEWSLETTER).unwrap_or(0);
        if let Some(from) = contact.subscribed_from {
            for issue in plan.issues.iter().filter(|i| i.day as i64 >= from) {
                if chance(&mut r, p.newsletter_click * contact.affinity[nl]) {
                    let seconds = r.gen_range(8 * 3600..20 * 3600);
                    let utm = utm_of(company::NEWSLETTER, Some(issue.key.clone()));
                    let t = Touch {
                        contact: i,
                        account: contact.account,
                        day: issue.day,
                        seconds,
                        channel: nl,
                        kind: TouchKind::EmailClick,
                        campaign: issue.campaign.clone(),
                        post: None,
                        utm,
                        deal: None,
                    };
                    dr.push(&mut r, t);
                }
            }
        }

        // Trade fairs.
        let ev = channel_index(company::EVENTS).unwrap_or(0);
        for fair in &plan.fairs {
            let mult = if fair.campaign.is_some() { PLAN.campaign_touch_multiplier } else { 1.0 };
            if chance(&mut r, p.fair_visit * contact.affinity[ev] * mult) {
                let day = (fair.day + r.gen_range(0..fair.days)).min(cal.days - 1);
                let t = Touch {
                    contact: i,
                    account: contact.account,
                    day,
                    seconds: r.gen_range(9 * 3600..17 * 3600),
                    channel: ev,
                    kind: TouchKind::EventAttendance,
                    campaign: fair.campaign.clone(),
                    post: None,
                    utm: None,
                    deal: None,
                };
                dr.push(&mut r, t);
            }
        }

        // Webinars: registration form, then attendance.
        let wb = channel_index(company::WEBINAR).unwrap_or(0);
        for web in &plan.webinars {
            let mult = if web.campaign.is_some() { PLAN.campaign_touch_multiplier } else { 1.0 };
            if chance(&mut r, p.webinar_registration * contact.affinity[wb] * mult) {
                let reg_day = web.day.saturating_sub(r.gen_range(1..11));
                let reg = Touch {
                    contact: i,
                    account: contact.account,
                    day: reg_day,
                    seconds: Drawer::seconds(&mut r),
                    channel: wb,
                    kind: TouchKind::Form,
                    campaign: web.campaign.clone(),
                    post: None,
                    utm: None,
                    deal: None,
                };
                dr.out.push(reg);
                if chance(&mut r, p.webinar_show_rate) {
                    let t = Touch {
                        contact: i,
                        account: contact.account,
                        day: web.day,
                        seconds: 15 * 3600,
                        channel: wb,
                        kind: TouchKind::EventAttendance,
                        campaign: web.campaign.clone(),
                        post: None,
                        utm: None,
                        deal: None,
                    };
                    dr.out.push(t);
                }
            }
        }

        // Press referrals.
        let pr = channel_index(company::PR).unwrap_or(0);
        for item in &plan.pr_items {
            let scale = (item.size as f64 / PLAN.pr_audience_median).sqrt();
            if chance(&mut r, p.pr_visit * contact.affinity[pr] * scale) {
                let day = (item.day + (poisson(&mut r, 1.5) as usize).min(6)).min(cal.days - 1);
                let utm = item.outlet.clone().map(|source| Utm { source, medium: "referral", campaign: None });
                let seconds = Drawer::seconds(&mut r);
                dr.push(
                    &mut r,
                    Touch {
                        contact: i,
                        account: contact.account,
                        day,
                        seconds,
                        channel: pr,
                        kind: TouchKind::Visit,
                        campaign: None,
                        post: None,
                        utm,
                        deal: None,
                    },
                );
            }
        }
    }
    let mut out = dr.out;
    out.sort_by(|a, b| {
        (a.day, a.seconds, a.contact, a.channel, a.kind).cmp(&(b.day, b.seconds, b.contact, b.channel, b.kind))
    });
    out
}
