//! The records of the canonical domain. Every field that a source may not report is an `Option`:
//! `None` means "not reported", which is different from zero.

use crate::{
    AccountKind, ActivityKind, AudienceDimension, AudienceKind, ChannelKind, ConversationKind, CostKind, Currency,
    Date, DealStatus, MetricPeriod, Money, Network, PostType, Task, Team, Timestamp, TouchKind,
};
use serde::{Deserialize, Serialize};

/// A place where the company communicates. `key` is the natural key (`linkedin`, `x-ropensci`, `newsletter`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    pub key: String,
    pub name: String,
    pub kind: ChannelKind,
    pub network: Option<Network>,
    /// The account's identity on its network as the exports name it: an X handle, a LinkedIn page slug, a Facebook
    /// page name. Compared case-insensitively without `@`.
    pub handle: Option<String>,
    /// Page or personal profile, where the network has both; `None` when unknown or when the network has one kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountKind>,
}

/// A handle that names a channel besides its own: `channels merge FROM INTO` keeps FROM's handle as an alias of
/// INTO, so later exports of FROM's account land on INTO. Natural key: (`network`, `handle`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelAlias {
    pub network: Network,
    /// Lower case, without `@`.
    pub handle: String,
    /// The channel's key.
    pub channel: String,
}

/// Content published on one social channel. Natural key: (`channel`, `external_id`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Post {
    pub channel: String,
    pub external_id: String,
    pub published_at: Option<Timestamp>,
    pub post_type: Option<PostType>,
    /// Untrusted text from outside: escape before showing.
    pub text: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub campaign: Option<String>,
    /// The shared content idea this post is a variant of (variants on several channels share it).
    pub idea: Option<String>,
}

/// Counters of one post: cumulative up to `date` (`Lifetime`) or that day's increments (`Day`).
/// Natural key: (`channel`, `post_id`, `date`, `period`).
///
/// `engagements` is the platform's own total where it reports one (X counts clicks and detail expands, LinkedIn
/// counts clicks and follows); importers fill it by the platform's definition, see docs/metrics.md.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PostMetrics {
    pub channel: String,
    pub post_id: String,
    pub date: Option<Date>,
    pub period: Option<MetricPeriod>,
    pub impressions: Option<i64>,
    pub reach: Option<i64>,
    pub reactions: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub clicks: Option<i64>,
    pub saves: Option<i64>,
    pub video_views: Option<i64>,
    pub follows: Option<i64>,
    pub engagements: Option<i64>,
    pub watch_seconds: Option<i64>,
    /// The engagement rate the platform itself printed (0-1 fraction), kept to check our own figure against.
    pub reported_engagement_rate: Option<f64>,
}

/// Account-level figures of one channel on one day. Natural key: (`channel`, `date`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChannelDay {
    pub channel: String,
    pub date: Option<Date>,
    /// Follower count at the end of the day (a level, not a change).
    pub followers: Option<i64>,
    pub new_followers: Option<i64>,
    pub lost_followers: Option<i64>,
    pub impressions: Option<i64>,
    pub engagements: Option<i64>,
    pub page_views: Option<i64>,
    pub unique_visitors: Option<i64>,
    pub profile_visits: Option<i64>,
    pub video_views: Option<i64>,
    pub posts_published: Option<i64>,
    pub reported_engagement_rate: Option<f64>,
}

/// How a channel's followers or visitors split along one dimension on a date. Natural key: all but `count`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AudienceSlice {
    pub channel: String,
    pub date: Date,
    pub audience: AudienceKind,
    pub dimension: AudienceDimension,
    pub value: String,
    pub count: i64,
}

/// A marketing action in time beside the social rhythm: a newsletter issue, PR item, event, webinar, campaign or
/// paid flight. Natural key: `key`. Its `spend` counts towards its channel's full cost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub key: String,
    pub kind: ActivityKind,
    pub name: String,
    pub channel: Option<String>,
    pub campaign: Option<String>,
    pub start: Date,
    pub end: Date,
    pub spend: Option<Money>,
    /// Size of the action in its own unit: recipients of a newsletter, attendees of an event, ad impressions.
    pub volume: Option<i64>,
    pub reach: Option<i64>,
    pub clicks: Option<i64>,
}

/// Someone whose time on social is tracked. Natural key: `key` (an email or a short name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub key: String,
    pub name: String,
    pub team: Team,
    /// Fully loaded cost of one hour of this person's time.
    pub hourly_cost: Option<Money>,
}

/// Time a person spent, on a channel or on social in general. Natural key: `key` (from the source, or a hash of
/// the other fields).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeEntry {
    pub key: String,
    pub person: String,
    pub date: Date,
    pub minutes: i64,
    pub channel: Option<String>,
    pub task: Task,
    pub note: Option<String>,
}

/// Money spent on a channel (or on social in general) in one month. Natural key: (`channel`, `month`, `kind`,
/// `description`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostItem {
    pub channel: Option<String>,
    /// First day of the month.
    pub month: Date,
    pub kind: CostKind,
    pub amount: Money,
    pub description: String,
}

/// A buying organisation in the CRM. Natural key: `key` (the CRM id).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub key: String,
    pub name: String,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub country: Option<String>,
}

/// A person at an account. `created_at` is when they became a lead. Natural key: `key`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub key: String,
    pub account: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub job_title: Option<String>,
    pub created_at: Option<Timestamp>,
    /// What the contact answered to "how did you hear of us", as typed.
    pub self_reported_source: Option<String>,
}

/// A sales opportunity. Natural key: `key` (the CRM id). Amount in the deal's currency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Deal {
    pub key: String,
    pub account: Option<String>,
    pub name: String,
    pub amount: Option<Money>,
    pub created: Option<Date>,
    pub stage: Option<String>,
    pub status: DealStatus,
    pub closed: Option<Date>,
    pub self_reported_source: Option<String>,
}

/// A dated interaction of a contact or account with a channel. Natural key: `key` (from the source, or a hash of
/// the other fields).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Touchpoint {
    pub key: String,
    pub contact: Option<String>,
    pub account: Option<String>,
    pub deal: Option<String>,
    pub at: Timestamp,
    pub channel: String,
    pub kind: TouchKind,
    pub campaign: Option<String>,
    pub post_ref: Option<String>,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
}

/// Someone reaching out to the company on a channel (a comment, a direct message, a mention) and when the company
/// first answered. Natural key: (`channel`, `key`), the conversation's (or first message's) id on its channel.
///
/// Written by the canonical `conversations.csv` today and by a routed inbox later, which upserts the same row
/// when the first answer goes out: `first_response_at` is `None` until then. How fast a company answers is one of
/// the signs that a channel reaches people but is run badly (the verdict's `fix`, docs/verdict.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    pub channel: String,
    pub key: String,
    /// Comment, direct message, mention or other; `None` when the source does not say.
    pub kind: Option<ConversationKind>,
    /// When the first message of the other side arrived.
    pub received_at: Timestamp,
    /// When the company first answered; `None`: not answered (yet). Never before `received_at`.
    pub first_response_at: Option<Timestamp>,
    /// Who the conversation is assigned to (a person key or a team), as the inbox names it.
    pub assignee: Option<String>,
}

/// An aggregate a platform reports for a whole period and one dimension value (a GA4 channel group or landing
/// page, or a competitor's page in LinkedIn's competitor analytics, for example), kept as the platform printed it. Natural key: (`source`, `dimension`, `value`,
/// `period_start`, `period_end`, `metric`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodMetric {
    pub source: String,
    pub dimension: String,
    pub value: String,
    pub period_start: Date,
    pub period_end: Date,
    pub metric: String,
    /// The printed figure; `None` where the platform printed "no data" (GA4's `-1` in retention and cohort
    /// tables), which is neither zero nor a number to add up.
    pub amount: Option<f64>,
}

/// Helper used by importers for a money column whose currency sits in the header (`Amount spent (INR)`).
pub fn currency_in_header(header: &str) -> Option<Currency> {
    let open = header.rfind('(')?;
    let close = header[open..].find(')')? + open;
    Currency::parse(&header[open + 1..close]).ok()
}
