//! The simulated company itself: its channels (social and other) and the people whose time it tracks.

use crate::DemoConfig;
use serde::Serialize;
use socialledger_domain::{Channel, ChannelKind, Currency, Money, Network, Person, Team};

/// The fictional company (no real organisation is meant).
pub const COMPANY: &str = "Brightquay Analytics";
/// Handle of the company on every social network.
pub const HANDLE: &str = "brightquay";
/// E-mail domain of the company's people (a reserved `.example` domain).
pub const DOMAIN: &str = "brightquay.example";

pub const LINKEDIN: &str = "linkedin";
pub const X: &str = "x";
pub const FACEBOOK: &str = "facebook";
pub const INSTAGRAM: &str = "instagram";
pub const YOUTUBE: &str = "youtube";
pub const NEWSLETTER: &str = "newsletter";
pub const PR: &str = "pr";
pub const EVENTS: &str = "events";
pub const WEBINAR: &str = "webinar";
pub const LINKEDIN_ADS: &str = "linkedin-ads";
pub const PAID_SEARCH: &str = "paid-search";
pub const ORGANIC_SEARCH: &str = "organic-search";
pub const DIRECT: &str = "direct";
/// Sales meetings: a consequence of deals, never a cause (no effect, not in the adstock).
pub const SALES: &str = "sales";

/// One channel of the company: key, display name, kind and network.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ChannelSpec {
    pub key: &'static str,
    pub name: &'static str,
    pub kind: ChannelKind,
    pub network: Option<Network>,
}

/// Every channel, in the order of `channels.csv`. Indices into this table are used throughout the model.
pub const CHANNELS: [ChannelSpec; 14] = [
    ChannelSpec {
        key: LINKEDIN,
        name: "LinkedIn page",
        kind: ChannelKind::OrganicSocial,
        network: Some(Network::LinkedIn),
    },
    ChannelSpec { key: X, name: "X account", kind: ChannelKind::OrganicSocial, network: Some(Network::X) },
    ChannelSpec {
        key: FACEBOOK,
        name: "Facebook page",
        kind: ChannelKind::OrganicSocial,
        network: Some(Network::Facebook),
    },
    ChannelSpec {
        key: INSTAGRAM,
        name: "Instagram account",
        kind: ChannelKind::OrganicSocial,
        network: Some(Network::Instagram),
    },
    ChannelSpec {
        key: YOUTUBE,
        name: "YouTube channel",
        kind: ChannelKind::OrganicSocial,
        network: Some(Network::YouTube),
    },
    ChannelSpec { key: NEWSLETTER, name: "Monthly newsletter", kind: ChannelKind::Email, network: None },
    ChannelSpec { key: PR, name: "Press and PR", kind: ChannelKind::Pr, network: None },
    ChannelSpec { key: EVENTS, name: "Trade fairs and events", kind: ChannelKind::Event, network: None },
    ChannelSpec { key: WEBINAR, name: "Webinars", kind: ChannelKind::Webinar, network: None },
    ChannelSpec {
        key: LINKEDIN_ADS,
        name: "LinkedIn Ads",
        kind: ChannelKind::PaidSocial,
        network: Some(Network::LinkedIn),
    },
    ChannelSpec { key: PAID_SEARCH, name: "Search ads", kind: ChannelKind::PaidSearch, network: None },
    ChannelSpec { key: ORGANIC_SEARCH, name: "Organic search", kind: ChannelKind::OrganicSearch, network: None },
    ChannelSpec { key: DIRECT, name: "Direct traffic", kind: ChannelKind::Direct, network: None },
    ChannelSpec { key: SALES, name: "Sales meetings", kind: ChannelKind::Other, network: None },
];

/// Index of channel `key` in [`CHANNELS`].
pub fn channel_index(key: &str) -> Option<usize> {
    CHANNELS.iter().position(|c| c.key == key)
}

/// What a person does; decides the weekly time plan in [`crate::time`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    MarketingOwner,
    ContentCreator,
    CustomerService,
    Recruiter,
    PrManager,
}

/// One person: e-mail key, synthetic name, team, role and fully loaded hourly cost in whole euros.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PersonSpec {
    pub key: &'static str,
    pub name: &'static str,
    pub team: Team,
    pub role: Role,
    /// Fully loaded cost of one hour, EUR (whole euros, so quarter hours cost whole cents).
    pub hourly_cost_eur: i64,
}

/// The people (synthetic names).
pub const PEOPLE: [PersonSpec; 5] = [
    PersonSpec {
        key: "mira.kessow@brightquay.example",
        name: "Mira Kessow",
        team: Team::Marketing,
        role: Role::MarketingOwner,
        hourly_cost_eur: 95,
    },
    PersonSpec {
        key: "jonas.tellwick@brightquay.example",
        name: "Jonas Tellwick",
        team: Team::Marketing,
        role: Role::ContentCreator,
        hourly_cost_eur: 68,
    },
    PersonSpec {
        key: "ada.brunsvik@brightquay.example",
        name: "Ada Brunsvik",
        team: Team::CustomerService,
        role: Role::CustomerService,
        hourly_cost_eur: 48,
    },
    PersonSpec {
        key: "felix.orrand@brightquay.example",
        name: "Felix Orrand",
        team: Team::Recruitment,
        role: Role::Recruiter,
        hourly_cost_eur: 62,
    },
    PersonSpec {
        key: "lea.santorp@brightquay.example",
        name: "Lea Santorp",
        team: Team::Pr,
        role: Role::PrManager,
        hourly_cost_eur: 78,
    },
];

/// The company as records.
#[derive(Debug, Clone)]
pub struct Company {
    pub channels: Vec<Channel>,
    pub people: Vec<Person>,
}

/// Builds the company's channel and people records (fixed: no randomness).
pub fn build(_cfg: &DemoConfig) -> Company {
    let channels = CHANNELS
        .iter()
        .map(|c| Channel {
            key: c.key.to_string(),
            name: c.name.to_string(),
            kind: c.kind,
            network: c.network,
            handle: (c.kind == ChannelKind::OrganicSocial).then(|| HANDLE.to_string()),
            account: None,
        })
        .collect();
    let people = PEOPLE
        .iter()
        .map(|p| Person {
            key: p.key.to_string(),
            name: p.name.to_string(),
            team: p.team,
            hourly_cost: Some(Money::new(p.hourly_cost_eur * 100, Currency::EUR)),
        })
        .collect();
    Company { channels, people }
}
