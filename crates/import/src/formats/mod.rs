//! The registry of source formats: every format socialledger reads, in detection order.
//!
//! Canonical formats (our own CSVs, docs/formats.md) live in [`canonical`]; native platform exports each have a
//! module here. A new format adds its `pub mod` line and its entry in [`ALL`] in the block of its kind.

use crate::Format;

/// Implements [`crate::Format`] for the unit struct `$ty`: `name` and `description` are `&'static str`
/// expressions, `detect` and `parse` functions or closures taking the trait method's arguments. The formats' own
/// macros ([`canonical::canonical_format`], [`social_common::social_format`]) and the time trackers use it.
macro_rules! delegate_format {
    ($ty:ident, name: $name:expr, description: $description:expr, detect: $detect:expr, parse: $parse:expr $(,)?) => {
        impl $crate::Format for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn description(&self) -> &'static str {
                $description
            }
            fn detect(&self, file: &$crate::SourceFile) -> bool {
                ($detect)(file)
            }
            fn parse(
                &self,
                file: &$crate::SourceFile,
                opts: &$crate::ImportOptions,
                errs: &mut $crate::ErrorSink,
            ) -> socialledger_domain::Dataset {
                ($parse)(file, opts, errs)
            }
        }
    };
}
pub(crate) use delegate_format;

pub mod canonical;

// native: social (X, LinkedIn, Facebook, Meta)
pub mod facebook_insights;
pub mod facebook_page;
pub mod facebook_posts;
pub mod facebook_videos;
pub mod linkedin_competitors;
pub mod linkedin_content;
pub mod linkedin_followers;
pub mod linkedin_page;
pub mod linkedin_shares;
pub mod linkedin_visitors;
pub mod meta_daily;
pub mod meta_posts;
pub mod social_common;
pub mod tiktok;
pub mod x_content;
pub mod x_daily;
pub mod x_overview;
pub mod x_tweets;
// end native: social

// native: web, time, CRM, ads (YouTube, GA4, Meta Ads, Toggl, Clockify, HubSpot)
pub mod clockify;
pub mod date_order;
pub mod ga4;
pub mod hubspot;
pub mod meta_ads;
pub mod time_tracking;
pub mod toggl;
pub mod youtube;
// end native: web, time, CRM, ads

/// Every known format. `socialledger formats` lists them in this order; detection asks each.
pub static ALL: &[&dyn Format] = &[
    &canonical::channels::Channels,
    &canonical::posts::Posts,
    &canonical::post_days::PostDays,
    &canonical::channel_days::ChannelDays,
    &canonical::audience::Audience,
    &canonical::activities::Activities,
    &canonical::people::People,
    &canonical::time_entries::TimeEntries,
    &canonical::cost_items::CostItems,
    &canonical::accounts::Accounts,
    &canonical::contacts::Contacts,
    &canonical::deals::Deals,
    &canonical::touchpoints::Touchpoints,
    &canonical::conversations::Conversations,
    // native: social (X, LinkedIn, Facebook, Meta)
    &x_tweets::XTweets,
    &x_daily::XDaily,
    &x_content::XContent,
    &x_overview::XOverview,
    &tiktok::TikTokOverview,
    &tiktok::TikTokFollowers,
    &tiktok::TikTokContent,
    &linkedin_content::LinkedInContent,
    &linkedin_followers::LinkedInFollowers,
    &linkedin_visitors::LinkedInVisitors,
    &linkedin_competitors::LinkedInCompetitors,
    &linkedin_shares::LinkedInShares,
    &facebook_posts::FacebookPosts,
    &facebook_videos::FacebookVideos,
    &facebook_page::FacebookPage,
    &meta_posts::MetaPosts,
    &meta_posts::MetaInstagramPosts,
    &meta_daily::MetaDaily,
    // end native: social
    // native: web, time, CRM, ads (YouTube, GA4, Meta Ads, Toggl, Clockify, HubSpot)
    &youtube::YouTubeTable,
    &youtube::YouTubeChart,
    &youtube::YouTubeTotals,
    &ga4::Ga4Report,
    &meta_ads::MetaAds,
    &toggl::Toggl,
    &clockify::Clockify,
    &hubspot::HubSpotContacts,
    &hubspot::HubSpotDeals,
    // end native: web, time, CRM, ads
];
