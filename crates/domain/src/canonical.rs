//! The header columns of the canonical CSV files of docs/formats.md, spelled once: the demo writes these headers
//! and the canonical importers read them.

/// One column list per canonical file, named after the file (`POSTS` for `posts.csv`), in the order socialledger
/// writes the columns (a reader matches them by name, in any order).
pub mod columns {
    /// A post's counters, in [`crate::PostMetrics`] field order: the tail of `posts.csv` (lifetime counters as read
    /// on `metrics_date`) and of `post_days.csv` (one day's increments).
    pub const POST_COUNTERS: [&str; 10] = [
        "impressions",
        "reach",
        "reactions",
        "comments",
        "shares",
        "clicks",
        "saves",
        "video_views",
        "follows",
        "engagements",
    ];

    /// `channels.csv`.
    pub const CHANNELS: &[&str] = &["channel", "name", "kind", "network", "handle"];

    /// `posts.csv`: the post, the day its counters were read, then [`POST_COUNTERS`].
    pub const POSTS: &[&str] = &join::<20>(
        &["channel", "post_id", "published_at", "type", "text", "url", "author", "campaign", "idea", "metrics_date"],
        &POST_COUNTERS,
    );

    /// `post_days.csv`: the post and the day, then [`POST_COUNTERS`].
    pub const POST_DAYS: &[&str] = &join::<13>(&["channel", "post_id", "date"], &POST_COUNTERS);

    /// `channel_days.csv`: the channel and the day, then the figures in [`crate::ChannelDay`] field order.
    pub const CHANNEL_DAYS: &[&str] = &[
        "channel",
        "date",
        "followers",
        "new_followers",
        "lost_followers",
        "impressions",
        "engagements",
        "page_views",
        "unique_visitors",
        "profile_visits",
        "video_views",
        "posts_published",
    ];

    /// `audience.csv`: one value of one demographic dimension of a channel's followers or visitors on a date.
    pub const AUDIENCE: &[&str] = &["channel", "date", "audience", "dimension", "value", "count"];

    /// `activities.csv`.
    pub const ACTIVITIES: &[&str] = &[
        "activity_id",
        "kind",
        "name",
        "channel",
        "campaign",
        "start",
        "end",
        "spend",
        "currency",
        "volume",
        "reach",
        "clicks",
    ];

    /// `people.csv`.
    pub const PEOPLE: &[&str] = &["person", "name", "team", "hourly_cost", "currency"];

    /// `time_entries.csv`.
    pub const TIME_ENTRIES: &[&str] = &["entry_id", "person", "date", "hours", "channel", "task", "note"];

    /// `cost_items.csv`.
    pub const COST_ITEMS: &[&str] = &["channel", "month", "kind", "amount", "currency", "description"];

    /// `accounts.csv`.
    pub const ACCOUNTS: &[&str] = &["account_id", "name", "industry", "size", "country"];

    /// `contacts.csv`.
    pub const CONTACTS: &[&str] =
        &["contact_id", "account_id", "name", "email", "job_title", "created_at", "self_reported_source"];

    /// `deals.csv`.
    pub const DEALS: &[&str] = &[
        "deal_id",
        "account_id",
        "name",
        "amount",
        "currency",
        "created",
        "stage",
        "status",
        "closed",
        "self_reported_source",
    ];

    /// `touchpoints.csv`.
    pub const TOUCHPOINTS: &[&str] = &[
        "touchpoint_id",
        "contact_id",
        "account_id",
        "deal_id",
        "timestamp",
        "channel",
        "kind",
        "campaign",
        "post_id",
        "utm_source",
        "utm_medium",
        "utm_campaign",
    ];

    /// `conversations.csv`: a comment, message or mention and when it was first answered.
    pub const CONVERSATIONS: &[&str] =
        &["channel", "conversation_id", "kind", "received_at", "first_response_at", "assignee"];

    /// `head` then `tail`, at compile time; `N` must be their total length (else the build fails).
    const fn join<const N: usize>(head: &[&'static str], tail: &[&'static str]) -> [&'static str; N] {
        assert!(head.len() + tail.len() == N, "N is not the joined length");
        let mut out = [""; N];
        let mut i = 0;
        while i < head.len() {
            out[i] = head[i];
            i += 1;
        }
        while i < N {
            out[i] = tail[i - head.len()];
            i += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::columns::*;

    #[test]
    fn post_files_end_with_the_counters_and_no_file_repeats_a_column() {
        assert_eq!(
            POSTS[..10],
            ["channel", "post_id", "published_at", "type", "text", "url", "author", "campaign", "idea", "metrics_date"]
        );
        assert_eq!(POSTS[10..], POST_COUNTERS);
        assert_eq!(POST_DAYS, ["channel", "post_id", "date"].iter().chain(&POST_COUNTERS).copied().collect::<Vec<_>>());
        for file in [
            CHANNELS,
            POSTS,
            POST_DAYS,
            CHANNEL_DAYS,
            AUDIENCE,
            ACTIVITIES,
            PEOPLE,
            TIME_ENTRIES,
            COST_ITEMS,
            ACCOUNTS,
            CONTACTS,
            DEALS,
            TOUCHPOINTS,
            CONVERSATIONS,
        ] {
            for (i, c) in file.iter().enumerate() {
                assert!(!file[..i].contains(c), "{c} twice in {file:?}");
            }
        }
    }
}
