//! Legacy Facebook Page Insights page-level export (2014-2017), `Facebook Insights Data Export - <Page> - <from> -
//! <to>.csv`: one channel day per row, a handful of columns picked by name out of about 2,700. Row 2 describes the
//! metrics and is skipped.

use super::facebook_insights::facebook_page_channel;
use super::social_common::{channel_days, description_rows, social_format};
use crate::parse::DateFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{ChannelDay, Dataset};

social_format!(
    FacebookPage,
    "facebook-page",
    "Facebook Page Insights legacy page-level daily export (Facebook Insights Data Export - <Page> - …csv)"
);

const REQUIRED: &[&str] = &["Date", "Lifetime Total Likes", "Daily New Likes", "Daily Unlikes"];

fn detect(file: &SourceFile) -> bool {
    super::social_common::has_header(file, REQUIRED, &[])
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = file.tables.iter().find_map(|t| t.header(REQUIRED)) else {
        super::social_common::report_missing_header(file, errs, "a Facebook page-level export", REQUIRED);
        return ds;
    };
    let Some((channel, _)) = facebook_page_channel(file, opts, errs) else { return ds };
    let key = channel.key.clone();
    ds.channels.push(channel);

    let c_date = h.col("Date");
    let c_likes = h.col("Lifetime Total Likes");
    let c_new = h.col("Daily New Likes");
    let c_lost = h.col("Daily Unlikes");
    let c_impr = h.col("Daily Total Impressions");
    let c_engaged = h.col("Daily Page Engaged Users");
    let skip = c_date.map_or(0, |c| description_rows(&h, c));
    // `8/19/2015`
    let day = (key.as_str(), c_date, &[DateFormat::Us, DateFormat::Iso][..]);
    let days = channel_days(&h, skip, file, opts, errs, day, |r| ChannelDay {
        // A page's likes are its followers in this era of Facebook: `Lifetime Total Likes` is the level at the end
        // of the day, `Daily New Likes` and `Daily Unlikes` the day's gains and losses.
        followers: r.get_i64(c_likes),
        new_followers: r.get_i64(c_new),
        lost_followers: r.get_i64(c_lost),
        impressions: r.get_i64(c_impr),
        // Unique people who clicked or created a story, that day.
        engagements: r.get_i64(c_engaged),
        ..Default::default()
    });
    ds.channel_days.extend(days);
    ds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::social_common::import_text;

    #[test]
    fn the_description_row_is_skipped_when_there_and_not_required() {
        let name = "Facebook Insights Data Export - Page - 2015-08-19 - 2015-08-20.csv";
        let header = "Date,Lifetime Total Likes,Daily New Likes,Daily Unlikes\r\n";
        let described =
            format!("{header},Lifetime: people who like your Page,Daily: new,Daily: lost\r\n8/19/2015,771,1,0\r\n");
        let plain = format!("{header}8/19/2015,771,1,0\r\n");
        for text in [described, plain] {
            let ds = import_text(&FacebookPage, name, &text).unwrap();
            assert_eq!(ds.channel_days.len(), 1);
            let day = &ds.channel_days[0];
            assert_eq!((day.followers, day.new_followers, day.lost_followers), (Some(771), Some(1), Some(0)));
            assert_eq!(ds.channels[0].handle.as_deref(), Some("Page"));
        }
    }
}
