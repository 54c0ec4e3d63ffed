//! New X (2024+) account overview export, `account_overview_analytics.csv`: one channel day per row (newest first
//! in the file; the order does not matter).

use super::social_common::{channel_days, has_header, report_missing_header, social_format};
use crate::channel::{file_channel, name_prefix, AccountClue};
use crate::parse::DateFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{ChannelDay, Dataset, Network};

social_format!(XOverview, "x-overview", "X (2024+) daily account overview export (account_overview_analytics.csv)");

const REQUIRED: &[&str] = &["Date", "Impressions", "Engagements", "New follows", "Unfollows"];

fn detect(file: &SourceFile) -> bool {
    has_header(file, REQUIRED, &["Post id"])
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = file.tables.iter().find_map(|t| t.header(REQUIRED)) else {
        report_missing_header(file, errs, "an X account overview export", REQUIRED);
        return ds;
    };
    // The export names no account: the channel is the one `--channel` names, or X's by the usual resolution.
    // A prefix the user put before X's file name (`<handle>_account_overview_analytics.csv`) is taken as the handle.
    let clue =
        AccountClue::new(Network::X, None, "X").file_name(name_prefix(&file.file_name, "account_overview_analytics"));
    let Some(channel) = file_channel(file, clue, opts, errs) else { return ds };
    let key = channel.key.clone();
    ds.channels.push(channel);

    let c_date = h.col("Date");
    let c_impr = h.col("Impressions");
    let c_eng = h.col("Engagements");
    let c_new = h.col_any(&["New follows", "New followers"]);
    let c_lost = h.col_any(&["Unfollows", "Unfollow"]);
    let c_profile = h.col_any(&["Profile visits", "Profile visit"]);
    let c_video = h.col_any(&["Video views", "Video view"]);
    let c_posts = h.col_any(&["Create Post", "Create Posts", "Posts created"]);
    // `Fri, Mar 21, 2025`
    let day = (key.as_str(), c_date, &[DateFormat::Text, DateFormat::Iso][..]);
    let days = channel_days(&h, 0, file, opts, errs, day, |r| ChannelDay {
        new_followers: r.get_i64(c_new),
        lost_followers: r.get_i64(c_lost),
        impressions: r.get_i64(c_impr),
        engagements: r.get_i64(c_eng),
        profile_visits: r.get_i64(c_profile),
        video_views: r.get_i64(c_video),
        posts_published: r.get_i64(c_posts),
        ..Default::default()
    });
    ds.channel_days.extend(days);
    ds
}
