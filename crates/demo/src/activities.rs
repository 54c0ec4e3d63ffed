//! The marketing plan beside the social rhythm: campaigns, LinkedIn Ads flights, newsletter issues, PR items,
//! trade fairs, webinars and the monthly search-ads budget, as activities plus the schedule the CRM reads.

use crate::calendar::Calendar;
use crate::company::{self, CHANNELS};
use crate::sample::{binomial, chance, lognormal, mean_one_lognormal, poisson};
use crate::streams::{rng, Stream};
use crate::text;
use crate::DemoConfig;
use chrono::Datelike;
use rand::Rng;
use serde::Serialize;
use socialledger_domain::{Activity, ActivityKind, Currency, Date, Money};

/// Parameters of the plan (documented in docs/demo-model.md, "Marketing plan").
#[derive(Debug, Clone, Serialize)]
pub struct PlanParams {
    /// Campaigns per calendar year: `2 + Bernoulli(p)`.
    pub extra_campaign_probability: f64,
    pub campaign_days: usize,
    /// Channels every campaign uses.
    pub campaign_core_channels: [&'static str; 3],
    /// Channels a campaign adds, each with probability `optional_channel_probability`.
    pub campaign_optional_channels: [&'static str; 5],
    pub optional_channel_probability: f64,
    /// Median production spend (EUR) of a campaign on a channel; LogNormal with `campaign_spend_sigma`.
    pub campaign_spend_median_eur: [(&'static str, f64); 7],
    pub campaign_spend_sigma: f64,
    /// Touch rates of organic channels in a campaign's window are multiplied by this.
    pub campaign_touch_multiplier: f64,
    /// LinkedIn Ads: weekly budget LogNormal(median, sigma), EUR.
    pub flight_weekly_budget_median_eur: f64,
    pub flight_weekly_budget_sigma: f64,
    pub standalone_flight_weeks: usize,
    /// Cost per thousand ad impressions, LogNormal(median, sigma), EUR.
    pub cpm_median_eur: f64,
    pub cpm_sigma: f64,
    pub ad_click_rate: f64,
    pub ad_reach_per_impression: f64,
    /// Newsletter recipients in month m: Poisson(start · growth^m).
    pub newsletter_recipients_start: f64,
    pub newsletter_monthly_growth: f64,
    pub newsletter_open_rate: f64,
    pub newsletter_click_rate_of_opens: f64,
    /// PR items per quarter: `2 + Binomial(3, p)`.
    pub pr_binomial_p: f64,
    pub pr_audience_median: f64,
    pub pr_audience_sigma: f64,
    /// Trade fairs per year: `3 + Bernoulli(p)`, in March, May, September, November (one dropped at random).
    pub extra_fair_probability: f64,
    pub fair_booth_median_eur: f64,
    pub fair_booth_sigma: f64,
    pub fair_visitors_median: f64,
    pub fair_visitors_sigma: f64,
    /// Webinars every second month (February, April, ...), third Thursday.
    pub webinar_registrants_mean: f64,
    pub webinar_registrants_sigma: f64,
    pub webinar_show_rate: f64,
    /// Search ads monthly budget LogNormal(median, sigma) EUR, times 0.7 in August and 0.6 in December.
    pub search_monthly_median_eur: f64,
    pub search_monthly_sigma: f64,
}

pub const PARAMS: PlanParams = PlanParams {
    extra_campaign_probability: 0.5,
    campaign_days: 42,
    campaign_core_channels: [company::LINKEDIN, company::LINKEDIN_ADS, company::NEWSLETTER],
    campaign_optional_channels: [company::X, company::YOUTUBE, company::WEBINAR, company::EVENTS, company::PAID_SEARCH],
    optional_channel_probability: 0.5,
    campaign_spend_median_eur: [
        (company::LINKEDIN, 1200.0),
        (company::X, 400.0),
        (company::YOUTUBE, 2500.0),
        (company::NEWSLETTER, 300.0),
        (company::WEBINAR, 800.0),
        (company::EVENTS, 1500.0),
        (company::PAID_SEARCH, 3000.0),
    ],
    campaign_spend_sigma: 0.3,
    campaign_touch_multiplier: 1.6,
    flight_weekly_budget_median_eur: 2000.0,
    flight_weekly_budget_sigma: 0.3,
    standalone_flight_weeks: 4,
    cpm_median_eur: 38.0,
    cpm_sigma: 0.15,
    ad_click_rate: 0.0045,
    ad_reach_per_impression: 0.35,
    newsletter_recipients_start: 2400.0,
    newsletter_monthly_growth: 1.015,
    newsletter_open_rate: 0.38,
    newsletter_click_rate_of_opens: 0.12,
    pr_binomial_p: 0.4,
    pr_audience_median: 40_000.0,
    pr_audience_sigma: 0.8,
    extra_fair_probability: 0.5,
    fair_booth_median_eur: 9000.0,
    fair_booth_sigma: 0.35,
    fair_visitors_median: 150.0,
    fair_visitors_sigma: 0.3,
    webinar_registrants_mean: 120.0,
    webinar_registrants_sigma: 0.3,
    webinar_show_rate: 0.45,
    search_monthly_median_eur: 2200.0,
    search_monthly_sigma: 0.2,
};

/// A multi-channel campaign: raises touch rates of its organic channels during `[first_day, end_day)`.
#[derive(Debug, Clone)]
pub struct Campaign {
    pub key: String,
    pub name: String,
    pub first_day: usize,
    pub end_day: usize,
    pub channels: Vec<&'static str>,
}

/// A LinkedIn Ads flight, `[first_day, end_day)`, spend in cents spread evenly over its days.
#[derive(Debug, Clone)]
pub struct Flight {
    pub key: String,
    pub first_day: usize,
    pub end_day: usize,
    pub spend_minor: i64,
    pub campaign: Option<String>,
}

/// A dated one-off: newsletter issue, PR item, trade fair (`days` long) or webinar.
#[derive(Debug, Clone)]
pub struct Dated {
    pub key: String,
    pub day: usize,
    pub days: usize,
    pub campaign: Option<String>,
    /// Source name for referral visits (the PR outlet), when there is one.
    pub outlet: Option<String>,
    /// Size in the activity's unit (recipients, audience, visitors, registrants).
    pub size: i64,
}

/// One month of search ads: spend in cents over day indices `[first_day, end_day)`.
#[derive(Debug, Clone)]
pub struct SearchMonth {
    pub month: Date,
    pub first_day: usize,
    pub end_day: usize,
    pub spend_minor: i64,
}

/// The marketing plan: activity records plus the schedule the content, time and CRM models read.
#[derive(Debug, Clone)]
pub struct Plan {
    pub activities: Vec<Activity>,
    pub campaigns: Vec<Campaign>,
    pub flights: Vec<Flight>,
    pub issues: Vec<Dated>,
    pub pr_items: Vec<Dated>,
    pub fairs: Vec<Dated>,
    pub webinars: Vec<Dated>,
    pub search: Vec<SearchMonth>,
}

impl Plan {
    /// The campaign that includes `channel` on day `d`, if any.
    pub fn campaign_on(&self, channel: &str, d: usize) -> Option<&Campaign> {
        self.campaigns.iter().find(|c| d >= c.first_day && d < c.end_day && c.channels.contains(&channel))
    }

    /// Touch-rate multiplier of an organic channel on day `d` (campaigns raise it).
    pub fn touch_multiplier(&self, channel: &str, d: usize) -> f64 {
        if self.campaign_on(channel, d).is_some() {
            PARAMS.campaign_touch_multiplier
        } else {
            1.0
        }
    }

    /// LinkedIn Ads spend per day, in EUR.
    pub fn ads_daily_spend(&self, days: usize) -> Vec<f64> {
        let mut out = vec![0.0; days];
        for f in &self.flights {
            let len = (f.end_day - f.first_day).max(1) as f64;
            for v in &mut out[f.first_day..f.end_day] {
                *v += f.spend_minor as f64 / 100.0 / len;
            }
        }
        out
    }

    /// Search ads spend per day (monthly budget plus campaign boosts), in EUR.
    pub fn search_daily_spend(&self, days: usize) -> Vec<f64> {
        let mut out = vec![0.0; days];
        for m in &self.search {
            let len = (m.end_day - m.first_day).max(1) as f64;
            for v in &mut out[m.first_day..m.end_day] {
                *v += m.spend_minor as f64 / 100.0 / len;
            }
        }
        for a in self.activities.iter().filter(|a| a.channel.as_deref() == Some(company::PAID_SEARCH)) {
            let campaign = self.campaigns.iter().find(|c| Some(&c.key) == a.campaign.as_ref());
            let (Some(spend), Some(c)) = (a.spend, campaign) else {
                continue;
            };
            let len = (c.end_day - c.first_day).max(1) as f64;
            for v in &mut out[c.first_day..c.end_day] {
                *v += spend.minor as f64 / 100.0 / len;
            }
        }
        out
    }
}

/// Euros rounded to a multiple of `step_cents` (at least one step).
fn eur(euros: f64, step_cents: i64) -> Money {
    let cents = (euros * 100.0 / step_cents as f64).round() as i64 * step_cents;
    Money::new(cents.max(step_cents), Currency::EUR)
}

fn channel_name(key: &str) -> &'static str {
    CHANNELS.iter().find(|c| c.key == key).map(|c| c.name).unwrap_or("channel")
}

/// Draws the plan of the whole period.
pub fn plan(cfg: &DemoConfig, cal: &Calendar) -> Plan {
    let p = &PARAMS;
    let mut r = rng(cfg.seed, Stream::Plan);
    let months = cal.months();
    let mut years: Vec<i32> = months.iter().map(|(m, _)| m.year()).collect();
    years.dedup();

    // Campaigns.
    let mut campaigns = Vec::new();
    for &year in &years {
        let n = 2 + usize::from(chance(&mut r, p.extra_campaign_probability));
        for k in 0..n {
            let month = ((k as f64 + 0.5) * 12.0 / n as f64).floor() as u32 + 1;
            let Some(first_of_month) = Date::from_ymd_opt(year, month, 1) else { continue };
            let Some(base) = cal.index(first_of_month) else { continue };
            let first_day = cal.next_weekday(base, 0) + 7 * r.gen_range(0..2usize);
            if first_day >= cal.days {
                continue;
            }
            let mut channels: Vec<&'static str> = p.campaign_core_channels.to_vec();
            for ch in p.campaign_optional_channels {
                if chance(&mut r, p.optional_channel_probability) {
                    channels.push(ch);
                }
            }
            campaigns.push(Campaign {
                key: format!("cmp-{year}-{}", k + 1),
                name: format!("{} {year}", text::campaign_theme(&mut r)),
                first_day,
                end_day: (first_day + p.campaign_days).min(cal.days),
                channels,
            });
        }
    }

    let mut activities = Vec::new();
    let campaign_of = |campaigns: &[Campaign], ch: &str, d: usize| -> Option<String> {
        campaigns.iter().find(|c| d >= c.first_day && d < c.end_day && c.channels.contains(&ch)).map(|c| c.key.clone())
    };

    for c in &campaigns {
        for ch in c.channels.iter().filter(|ch| **ch != company::LINKEDIN_ADS) {
            let median = p.campaign_spend_median_eur.iter().find(|(k, _)| k == ch).map_or(500.0, |(_, v)| *v);
            activities.push(Activity {
                key: format!("{}-{ch}", c.key),
                kind: ActivityKind::Campaign,
                name: format!("{} ({})", c.name, channel_name(ch)),
                channel: Some(ch.to_string()),
                campaign: Some(c.key.clone()),
                start: cal.date(c.first_day),
                end: cal.date(c.end_day - 1),
                spend: Some(eur(lognormal(&mut r, median, p.campaign_spend_sigma), 1000)),
                volume: None,
                reach: None,
                clicks: None,
            });
        }
    }

    // LinkedIn Ads flights: one per campaign, one standalone per year.
    let mut windows: Vec<(String, usize, usize, Option<String>)> = campaigns
        .iter()
        .map(|c| (format!("li-ads-{}", c.key.trim_start_matches("cmp-")), c.first_day, c.end_day, Some(c.key.clone())))
        .collect();
    for &year in &years {
        let month = r.gen_range(1..=12u32);
        let Some(first_of_month) = Date::from_ymd_opt(year, month, 1) else { continue };
        let Some(base) = cal.index(first_of_month) else { continue };
        let first_day = cal.next_weekday(base, 0);
        if first_day < cal.days {
            let end = (first_day + 7 * p.standalone_flight_weeks).min(cal.days);
            windows.push((format!("li-ads-{year}-always-on"), first_day, end, None));
        }
    }
    let mut flights = Vec::new();
    for (key, first_day, end_day, campaign) in windows {
        let weeks = (end_day - first_day) as f64 / 7.0;
        let budget = lognormal(&mut r, p.flight_weekly_budget_median_eur, p.flight_weekly_budget_sigma);
        let spend = eur(budget * weeks, 1000);
        let cpm = lognormal(&mut r, p.cpm_median_eur, p.cpm_sigma);
        let impressions = (spend.minor as f64 / 100.0 / cpm * 1000.0).round() as i64;
        let clicks = binomial(&mut r, impressions as u64, p.ad_click_rate) as i64;
        activities.push(Activity {
            key: key.clone(),
            kind: ActivityKind::PaidMedia,
            name: match &campaign {
                Some(c) => format!("LinkedIn Ads flight for {c}"),
                None => "LinkedIn Ads always-on flight".to_string(),
            },
            channel: Some(company::LINKEDIN_ADS.to_string()),
            campaign: campaign.clone(),
            start: cal.date(first_day),
            end: cal.date(end_day - 1),
            spend: Some(spend),
            volume: Some(impressions),
            reach: Some((impressions as f64 * p.ad_reach_per_impression).round() as i64),
            clicks: Some(clicks),
        });
        flights.push(Flight { key, first_day, end_day, spend_minor: spend.minor, campaign });
    }

    // Newsletter: first Tuesday of every month.
    let mut issues = Vec::new();
    for (m, (month, first)) in months.iter().enumerate() {
        let day = cal.next_weekday(*first, 1);
        if day >= cal.days {
            continue;
        }
        let expected = p.newsletter_recipients_start * p.newsletter_monthly_growth.powi(m as i32);
        let recipients = poisson(&mut r, expected) as i64;
        let opens = binomial(&mut r, recipients as u64, p.newsletter_open_rate) as i64;
        let clicks = binomial(&mut r, opens as u64, p.newsletter_click_rate_of_opens) as i64;
        let key = format!("nl-{}", month.format("%Y-%m"));
        let campaign = campaign_of(&campaigns, company::NEWSLETTER, day);
        activities.push(Activity {
            key: key.clone(),
            kind: ActivityKind::Newsletter,
            name: format!("{} Briefing {}", company::COMPANY, month.format("%B %Y")),
            channel: Some(company::NEWSLETTER.to_string()),
            campaign: campaign.clone(),
            start: cal.date(day),
            end: cal.date(day),
            spend: None,
            volume: Some(recipients),
            reach: Some(opens),
            clicks: Some(clicks),
        });
        issues.push(Dated { key, day, days: 1, campaign, outlet: None, size: recipients });
    }

    // PR items: a few per quarter.
    let mut pr_items = Vec::new();
    for chunk in months.chunks(3) {
        let (first_month, _) = chunk[0];
        let span_start = cal.month_span(first_month).0;
        let last_month = chunk[chunk.len() - 1].0;
        let span_end = cal.month_span(last_month).1;
        let quarter = (first_month.month0() / 3) + 1;
        let n = 2 + binomial(&mut r, 3, p.pr_binomial_p) as usize;
        let mut days: Vec<usize> = (0..n).map(|_| r.gen_range(span_start..span_end.max(span_start + 1))).collect();
        days.sort_unstable();
        for (i, day) in days.into_iter().enumerate() {
            let day = day.min(cal.days - 1);
            let outlet = text::outlet(&mut r);
            let audience = (lognormal(&mut r, p.pr_audience_median, p.pr_audience_sigma) / 100.0).round() as i64 * 100;
            let key = format!("pr-{}-q{quarter}-{}", first_month.year(), i + 1);
            activities.push(Activity {
                key: key.clone(),
                kind: ActivityKind::Pr,
                name: format!("{} ({outlet})", text::pr_headline(&mut r)),
                channel: Some(company::PR.to_string()),
                campaign: None,
                start: cal.date(day),
                end: cal.date(day),
                spend: None,
                volume: Some(audience.max(100)),
                reach: None,
                clicks: None,
            });
            pr_items.push(Dated {
                key,
                day,
                days: 1,
                campaign: None,
                outlet: Some(text::outlet_source(outlet)),
                size: audience,
            });
        }
    }

    // Trade fairs: 3-4 a year, second Tuesday of March, May, September, November.
    let mut fairs = Vec::new();
    for &year in &years {
        let mut fair_months = vec![3u32, 5, 9, 11];
        if !chance(&mut r, p.extra_fair_probability) {
            let drop = r.gen_range(0..fair_months.len());
            fair_months.remove(drop);
        }
        for month in fair_months {
            let Some(first_of_month) = Date::from_ymd_opt(year, month, 1) else { continue };
            let Some(base) = cal.index(first_of_month) else { continue };
            let day = cal.next_weekday(base, 1) + 7;
            if day + 1 >= cal.days {
                continue;
            }
            let booth = eur(lognormal(&mut r, p.fair_booth_median_eur, p.fair_booth_sigma), 1000);
            let visitors = lognormal(&mut r, p.fair_visitors_median, p.fair_visitors_sigma).round() as i64;
            let key = format!("ev-{year}-{month:02}");
            let campaign = campaign_of(&campaigns, company::EVENTS, day);
            activities.push(Activity {
                key: key.clone(),
                kind: ActivityKind::Event,
                name: format!("{} {year}", text::fair_name(&mut r)),
                channel: Some(company::EVENTS.to_string()),
                campaign: campaign.clone(),
                start: cal.date(day),
                end: cal.date(day + 1),
                spend: Some(booth),
                volume: Some(visitors),
                reach: None,
                clicks: None,
            });
            fairs.push(Dated { key, day, days: 2, campaign, outlet: None, size: visitors });
        }
    }

    // Webinars: every second month, third Thursday.
    let mut webinars = Vec::new();
    for (month, first) in months.iter().filter(|(m, _)| m.month() % 2 == 0) {
        let day = cal.next_weekday(*first, 3) + 14;
        if day >= cal.days {
            continue;
        }
        let expected = p.webinar_registrants_mean * mean_one_lognormal(&mut r, p.webinar_registrants_sigma);
        let registrants = poisson(&mut r, expected) as i64;
        let attendees = binomial(&mut r, registrants as u64, p.webinar_show_rate) as i64;
        let key = format!("web-{}", month.format("%Y-%m"));
        let campaign = campaign_of(&campaigns, company::WEBINAR, day);
        activities.push(Activity {
            key: key.clone(),
            kind: ActivityKind::Webinar,
            name: format!("Webinar: {}", text::topic_title(&mut r)),
            channel: Some(company::WEBINAR.to_string()),
            campaign: campaign.clone(),
            start: cal.date(day),
            end: cal.date(day),
            spend: None,
            volume: Some(attendees),
            reach: Some(registrants),
            clicks: None,
        });
        webinars.push(Dated { key, day, days: 1, campaign, outlet: None, size: registrants });
    }

    // Search ads budget per month.
    let search = months
        .iter()
        .map(|(month, _)| {
            let season = match month.month() {
                8 => 0.7,
                12 => 0.6,
                _ => 1.0,
            };
            let spend = eur(lognormal(&mut r, p.search_monthly_median_eur, p.search_monthly_sigma) * season, 1);
            let (first_day, end_day) = cal.month_span(*month);
            SearchMonth { month: *month, first_day, end_day, spend_minor: spend.minor }
        })
        .collect();

    activities.sort_by(|a, b| (a.start, &a.key).cmp(&(b.start, &b.key)));
    Plan { activities, campaigns, flights, issues, pr_items, fairs, webinars, search }
}
