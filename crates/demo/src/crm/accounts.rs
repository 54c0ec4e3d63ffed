//! The buying organisations and their committees: firmographics, hidden buying intent, and each contact's
//! affinity for each channel and newsletter subscription.

use crate::company::CHANNELS;
use crate::sample::{binomial, chance, mean_one_lognormal, normal, weighted};
use crate::streams::{rng, Stream};
use crate::text;
use crate::DemoConfig;
use rand::Rng;
use serde::Serialize;

/// Firmographic distributions (documented in docs/demo-model.md, "Accounts and contacts").
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AccountParams {
    /// (industry, weight, fit): fit multiplies the baseline deal hazard.
    pub industries: [(&'static str, f64, f64); 8],
    /// (size band, weight, deal amount multiplier, committee size base, committee extra Binomial n).
    pub sizes: [(&'static str, f64, f64, u64, u64); 4],
    pub countries: [(&'static str, f64); 7],
    /// Sigma of each contact's mean-one LogNormal affinity for each channel.
    pub affinity_sigma: f64,
    /// Share of contacts subscribed to the newsletter; they subscribe on a uniform day in [-365, days).
    pub newsletter_share: f64,
}

pub const PARAMS: AccountParams = AccountParams {
    industries: [
        ("manufacturing", 0.20, 1.3),
        ("logistics", 0.18, 1.4),
        ("retail", 0.14, 1.0),
        ("healthcare", 0.10, 0.8),
        ("software", 0.12, 0.9),
        ("financial services", 0.08, 0.7),
        ("energy", 0.08, 1.1),
        ("professional services", 0.10, 0.8),
    ],
    sizes: [
        ("1-49", 0.25, 0.5, 2, 1),
        ("50-249", 0.35, 0.9, 2, 2),
        ("250-999", 0.25, 1.4, 3, 2),
        ("1000+", 0.15, 2.2, 4, 2),
    ],
    countries: [("DE", 0.45), ("AT", 0.10), ("CH", 0.10), ("NL", 0.10), ("FR", 0.08), ("GB", 0.10), ("US", 0.07)],
    affinity_sigma: 0.9,
    newsletter_share: 0.35,
};

/// An account with its hidden traits.
#[derive(Debug, Clone)]
pub struct AccountState {
    pub key: String,
    pub name: String,
    pub domain: String,
    pub industry: usize,
    pub size: usize,
    pub country: usize,
    /// Hidden buying intent z ~ N(0, 1): raises the baseline deal hazard and `direct`/`organic-search` visits.
    pub intent: f64,
    /// Industry fit (multiplies the baseline deal hazard).
    pub fit: f64,
    /// Indices into the contact list.
    pub contacts: Vec<usize>,
}

/// A contact with its hidden traits.
#[derive(Debug, Clone)]
pub struct ContactState {
    pub key: String,
    pub account: usize,
    pub first_name: &'static str,
    pub surname: String,
    pub job_title: &'static str,
    /// Mean-one multiplier of every touch rate, per channel (index into [`CHANNELS`]).
    pub affinity: Vec<f64>,
    /// Day index from which the contact receives the newsletter (negative: before the period), if subscribed.
    pub subscribed_from: Option<i64>,
}

/// The CRM population.
#[derive(Debug, Clone)]
pub struct Population {
    pub accounts: Vec<AccountState>,
    pub contacts: Vec<ContactState>,
}

/// Draws the accounts and their buying committees.
pub fn draw(cfg: &DemoConfig, days: usize) -> Population {
    let p = &PARAMS;
    let mut r = rng(cfg.seed, Stream::Accounts);
    let mut accounts = Vec::with_capacity(cfg.accounts);
    let mut contacts = Vec::new();
    let industry_w: Vec<f64> = p.industries.iter().map(|i| i.1).collect();
    let size_w: Vec<f64> = p.sizes.iter().map(|s| s.1).collect();
    let country_w: Vec<f64> = p.countries.iter().map(|c| c.1).collect();
    for a in 0..cfg.accounts {
        let (name, domain) = text::company(&mut r);
        let industry = weighted(&mut r, &industry_w);
        let size = weighted(&mut r, &size_w);
        let country = weighted(&mut r, &country_w);
        let intent = normal(&mut r);
        let (_, _, _, base, extra) = p.sizes[size];
        let committee = base + binomial(&mut r, extra, 0.5);
        let mut members = Vec::new();
        for m in 0..committee as usize {
            let (first_name, surname) = text::person(&mut r);
            let affinity = CHANNELS.iter().map(|_| mean_one_lognormal(&mut r, p.affinity_sigma)).collect();
            let subscribed_from = chance(&mut r, p.newsletter_share).then(|| r.gen_range(-365..days as i64));
            members.push(contacts.len());
            contacts.push(ContactState {
                key: format!("con-{:05}", contacts.len() + 1),
                account: a,
                first_name,
                surname,
                job_title: text::JOB_TITLES[m % text::JOB_TITLES.len()],
                affinity,
                subscribed_from,
            });
        }
        accounts.push(AccountState {
            key: format!("acc-{:04}", a + 1),
            name,
            domain,
            industry,
            size,
            country,
            intent,
            fit: p.industries[industry].2,
            contacts: members,
        });
    }
    Population { accounts, contacts }
}
