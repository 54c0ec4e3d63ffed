//! X (Twitter) legacy daily analytics export, `daily_tweet_activity_metrics_<handle>_<from>_<to>_<lang>.csv`:
//! one channel day per row.

use super::social_common::{channel_days, has_header, report_missing_header, social_format, x_export_name};
use crate::channel::{file_channel, AccountClue};
use crate::parse::DateFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{ChannelDay, Dataset, Network};

social_format!(
    XDaily,
    "x-daily",
    "X/Twitter legacy daily analytics export (daily_tweet_activity_metrics_<handle>_<from>_<to>_<lang>.csv)"
);

const REQUIRED: &[&str] = &["Date", "Tweets published", "impressions", "engagements"];

fn detect(file: &SourceFile) -> bool {
    has_header(file, REQUIRED, &[])
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = file.tables.iter().find_map(|t| t.header(REQUIRED)) else {
        report_missing_header(file, errs, "an X daily export", REQUIRED);
        return ds;
    };
    // The content names no account: the handle comes from the file name, if it has X's.
    let handle = x_export_name(&file.file_name).map(|n| n.handle);
    let clue = AccountClue::new(Network::X, None, "X").file_name(handle.as_deref());
    let Some(channel) = file_channel(file, clue, opts, errs) else { return ds };
    let key = channel.key.clone();
    ds.channels.push(channel);

    let c_date = h.col("Date");
    let c_posts = h.col("Tweets published");
    let c_impr = h.col("impressions");
    let c_eng = h.col("engagements");
    let c_rate = h.col("engagement rate");
    let c_profile = h.col("user profile clicks");
    let day = (key.as_str(), c_date, &[DateFormat::Iso][..]);
    let days = channel_days(&h, 0, file, opts, errs, day, |r| ChannelDay {
        impressions: r.get_i64(c_impr),
        engagements: r.get_i64(c_eng),
        posts_published: r.get_i64(c_posts),
        profile_visits: r.get_i64(c_profile),
        reported_engagement_rate: r.get_rate(c_rate),
        ..Default::default()
    });
    ds.channel_days.extend(days);
    ds
}
