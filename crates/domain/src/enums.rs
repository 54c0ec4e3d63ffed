//! Closed vocabularies of the domain (networks, channel kinds, tasks, ...), parsed from text at the edge.
//!
//! Every enum has a canonical lower-case name used in files, the database and JSON (`as_str`/`parse`), and
//! `parse` accepts a few common spellings (`twitter` for `x`, `customer-service` for `customer_service`).

use crate::DomainError;

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $canon:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical name used in files, the database and JSON.
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $canon),+ }
            }

            /// Parses a canonical name or a known alias; case, spaces, dashes and underscores are ignored.
            pub fn parse(text: &str) -> Result<Self, DomainError> {
                let norm: String = text.trim().chars()
                    .filter(|c| !matches!(c, ' ' | '-' | '_'))
                    .flat_map(char::to_lowercase)
                    .collect();
                let fold = |s: &str| -> String { s.chars().filter(|c| !matches!(c, ' ' | '-' | '_')).collect() };
                $(
                    if norm == fold($canon) $(|| norm == fold($alias))* {
                        return Ok($name::$variant);
                    }
                )+
                Err(DomainError::UnknownName {
                    what: $what,
                    value: text.to_string(),
                    expected: [$($canon),+].join(", "),
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
        impl std::str::FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> { $name::parse(s) }
        }
        impl TryFrom<String> for $name {
            type Error = DomainError;
            fn try_from(s: String) -> Result<Self, Self::Error> { $name::parse(&s) }
        }
        impl From<$name> for &'static str {
            fn from(v: $name) -> &'static str { v.as_str() }
        }
    };
}
pub(crate) use named_enum;

named_enum!(
    /// A social network a channel lives on.
    Network, "network" {
        LinkedIn = "linkedin",
        X = "x" | "twitter",
        Facebook = "facebook" | "fb",
        Instagram = "instagram" | "ig",
        YouTube = "youtube" | "yt",
        TikTok = "tiktok",
        Mastodon = "mastodon",
        Bluesky = "bluesky",
        Threads = "threads",
    }
);

named_enum!(
    /// What kind of place a channel is. Social kinds carry a network.
    ChannelKind, "channel kind" {
        OrganicSocial = "organic_social" | "social" | "organic social",
        PaidSocial = "paid_social" | "paid social",
        Email = "email" | "newsletter",
        Pr = "pr" | "public relations",
        Event = "event" | "events",
        Webinar = "webinar",
        PaidSearch = "paid_search" | "sea" | "cpc",
        OrganicSearch = "organic_search" | "seo",
        Direct = "direct" | "web",
        Referral = "referral",
        Other = "other",
    }
);

named_enum!(
    /// What kind of account on its network a social channel is. It matters where one person or company can hold
    /// both: a LinkedIn member's personal profile and the company page they administer are different channels,
    /// always (docs/sources.md, "Channel identity").
    AccountKind, "account kind" {
        /// A company or brand page (LinkedIn Company Page, Facebook Page).
        Page = "page" | "company page" | "company",
        /// A person's own profile (LinkedIn member archive).
        Profile = "profile" | "personal profile" | "personal" | "member",
    }
);

impl ChannelKind {
    /// Social kinds are the ones this product is mainly about.
    pub fn is_social(&self) -> bool {
        matches!(self, ChannelKind::OrganicSocial | ChannelKind::PaidSocial)
    }
}

named_enum!(
    /// The format of a post.
    PostType, "post type" {
        Text = "text" | "status",
        Image = "image" | "photo",
        Video = "video" | "reel" | "short",
        Document = "document" | "carousel",
        Poll = "poll",
        Link = "link" | "url",
        Article = "article",
        Other = "other",
    }
);

named_enum!(
    /// Whether a metrics row holds cumulative counters up to its date, or the increments of that one day.
    MetricPeriod, "metric period" {
        /// Cumulative counters as of the row's date (the latest snapshot wins for totals).
        Lifetime = "lifetime" | "total",
        /// The increments of the row's date only.
        Day = "day" | "daily",
    }
);

named_enum!(
    /// Whose composition an audience slice describes.
    AudienceKind, "audience" {
        Followers = "followers",
        Visitors = "visitors",
    }
);

named_enum!(
    /// The dimension an audience slice is cut by.
    AudienceDimension, "audience dimension" {
        Location = "location",
        Country = "country",
        JobFunction = "job_function" | "function",
        Seniority = "seniority",
        Industry = "industry",
        CompanySize = "company_size" | "size",
    }
);

named_enum!(
    /// A marketing action outside the regular social rhythm.
    ActivityKind, "activity kind" {
        Newsletter = "newsletter" | "newsletter issue" | "email",
        Pr = "pr" | "pr item" | "press",
        Event = "event",
        Webinar = "webinar",
        Campaign = "campaign",
        PaidMedia = "paid_media" | "paid" | "ads",
    }
);

named_enum!(
    /// What time on a channel was spent on. Customer service, recruiting, PR and procurement are value beyond sales.
    Task, "task" {
        Content = "content" | "create" | "publish",
        Community = "community" | "engage" | "respond",
        CustomerService = "customer_service" | "support" | "service",
        Recruiting = "recruiting" | "recruitment" | "hr",
        Pr = "pr",
        Procurement = "procurement" | "purchasing",
        Reporting = "reporting" | "report" | "monitor",
        Other = "other",
    }
);

named_enum!(
    /// The team a person belongs to.
    Team, "team" {
        Marketing = "marketing",
        CustomerService = "customer_service" | "support",
        Pr = "pr" | "communications",
        Recruitment = "recruitment" | "hr" | "recruiting",
        Procurement = "procurement",
        Sales = "sales",
        Other = "other",
    }
);

named_enum!(
    /// What a cost item pays for.
    CostKind, "cost kind" {
        Tool = "tool" | "software",
        Ads = "ads" | "advertising" | "media",
        Agency = "agency",
        Freelancer = "freelancer" | "contractor",
        Other = "other",
    }
);

named_enum!(
    /// Where a deal stands.
    DealStatus, "deal status" {
        Open = "open",
        Won = "won" | "closed won" | "closedwon",
        Lost = "lost" | "closed lost" | "closedlost",
    }
);

named_enum!(
    /// What kind of interaction a touchpoint records. `Form` marks lead creation for W-shaped attribution.
    TouchKind, "touchpoint kind" {
        Impression = "impression" | "view",
        Engagement = "engagement" | "like" | "comment" | "share",
        Visit = "visit" | "session" | "click",
        Form = "form" | "signup" | "lead",
        EmailClick = "email_click" | "email",
        EventAttendance = "event" | "event_attendance" | "attendance",
        Meeting = "meeting" | "call",
        Other = "other",
    }
);

named_enum!(
    /// How someone reached out to the company on a channel: a comment under a post, a direct message, a mention
    /// of the account, or something else an inbox routes (a review, a question on a form).
    ConversationKind, "conversation kind" {
        Comment = "comment" | "reply",
        Dm = "dm" | "direct_message" | "message" | "private_message" | "pm",
        Mention = "mention" | "tag",
        Other = "other",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_aliases_and_rejects_unknowns() {
        assert_eq!(Network::parse("Twitter").unwrap(), Network::X);
        assert_eq!(Task::parse("Customer Service").unwrap(), Task::CustomerService);
        assert_eq!(ChannelKind::parse("organic-social").unwrap(), ChannelKind::OrganicSocial);
        let err = Network::parse("myspace").unwrap_err().to_string();
        assert!(err.contains("myspace") && err.contains("linkedin"), "{err}");
    }

    #[test]
    fn canonical_names_round_trip() {
        for n in Network::ALL {
            assert_eq!(Network::parse(n.as_str()).unwrap(), *n);
        }
        for t in Task::ALL {
            assert_eq!(Task::parse(t.as_str()).unwrap(), *t);
        }
        for k in TouchKind::ALL {
            assert_eq!(TouchKind::parse(k.as_str()).unwrap(), *k);
        }
        for k in ConversationKind::ALL {
            assert_eq!(ConversationKind::parse(k.as_str()).unwrap(), *k);
        }
        assert_eq!(ConversationKind::parse("Direct message").unwrap(), ConversationKind::Dm);
        assert_eq!(serde_json::to_string(&ChannelKind::PaidSearch).unwrap(), "\"paid_search\"");
    }
}

named_enum!(
    /// What a person may do in the web app (`docs/roles.md` has the route x role matrix). The owner is the one
    /// accountable person with oversight of everything; the others see and change what their work needs.
    Role, "role" {
        Owner = "owner",
        Manager = "manager",
        Analyst = "analyst",
        Editor = "editor",
        Contributor = "contributor",
        CustomerService = "customer_service" | "customer service" | "support",
        Pr = "pr",
        Recruitment = "recruitment" | "recruiting",
        Procurement = "procurement",
        Viewer = "viewer",
        ExternalReviewer = "external_reviewer" | "reviewer",
    }
);
