//! X (Twitter) legacy per-Tweet analytics export, `tweet_activity_metrics_<handle>_<from>_<to>_<lang>.csv`
//! (analytics.twitter.com, 2013-2022): one post and one lifetime metrics snapshot per tweet.

use super::canonical::SeenKeys;
use super::social_common::{
    decode_html_entities, handle_in_status_url, has_header, report_missing_header, social_format, sum_reported,
    x_export_name,
};
use crate::channel::{file_channel, AccountClue};
use crate::parse::TsFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{Dataset, MetricPeriod, Network, Post, PostMetrics};

social_format!(
    XTweets,
    "x-tweets",
    "X/Twitter legacy per-Tweet analytics export (tweet_activity_metrics_<handle>_<from>_<to>_<lang>.csv)"
);

const REQUIRED: &[&str] = &["Tweet id", "Tweet permalink", "time", "impressions", "engagements"];

/// Every column X adds up into `engagements` besides likes, retweets, replies and follows: the clicks of all
/// kinds (profile, link, hashtag, detail expand, permalink, app, email, phone, media). Their sum is our `clicks`.
pub(crate) const X_LEGACY_CLICKS: &[&str] = &[
    "user profile clicks",
    "url clicks",
    "hashtag clicks",
    "detail expands",
    "permalink clicks",
    "app opens",
    "app installs",
    "email tweet",
    "dial phone",
    "media engagements",
];

fn detect(file: &SourceFile) -> bool {
    has_header(file, REQUIRED, &[])
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = file.tables.iter().find_map(|t| t.header(REQUIRED)) else {
        report_missing_header(file, errs, "an X per-Tweet export", REQUIRED);
        return ds;
    };
    let name = x_export_name(&file.file_name);
    let c_id = h.col("Tweet id");
    let c_link = h.col("Tweet permalink");
    let c_text = h.col("Tweet text");
    let c_time = h.col("time");
    let c_impr = h.col("impressions");
    let c_eng = h.col("engagements");
    let c_rate = h.col("engagement rate");
    let c_likes = h.col_any(&["likes", "favorites"]);
    let c_retweets = h.col("retweets");
    let c_replies = h.col("replies");
    let c_follows = h.col("follows");
    let c_clicks: Vec<Option<usize>> = X_LEGACY_CLICKS.iter().map(|c| h.col(c)).collect();
    let c_promoted = h.col("promoted impressions");

    // The account: the handle of the first permalink (x.com/<handle>/status/<id>), else the file name's.
    let linked = h.data().iter().find_map(|r| c_link.and_then(|c| handle_in_status_url(r.cell(c))));
    let clue =
        AccountClue::new(Network::X, None, "X").content(linked).file_name(name.as_ref().map(|n| n.handle.as_str()));
    let Some(channel) = file_channel(file, clue, opts, errs) else { return ds };
    let key = channel.key.clone();
    ds.channels.push(channel);

    let mut seen = SeenKeys::default();
    let mut promoted = 0usize;
    h.for_each_row(file, opts, errs, |r| {
        let id = r.req_str(c_id);
        if let Some(id) = id {
            if !id.bytes().all(|b| b.is_ascii_digit()) {
                r.error(
                    c_id,
                    format!("{id:?} is not a tweet id"),
                    Some(
                        "a spreadsheet that re-saved the file rounds 19-digit ids: download the export again \
                         and import it as downloaded"
                            .into(),
                    ),
                );
            } else {
                seen.check(id.to_string(), || format!("tweet {id}"), r, c_id);
            }
        }
        let published_at = r.req_timestamp(c_time, &[TsFormat::Iso]);
        let impressions = r.get_i64(c_impr);
        let engagements = r.get_i64(c_eng);
        let rate = r.get_rate(c_rate);
        let likes = r.get_i64(c_likes);
        let retweets = r.get_i64(c_retweets);
        let replies = r.get_i64(c_replies);
        let follows = r.get_i64(c_follows);
        let clicks: Vec<Option<i64>> = c_clicks.iter().map(|c| r.get_i64(*c)).collect();
        if r.get_i64(c_promoted).is_some_and(|v| v > 0) {
            promoted += 1;
        }
        let (Some(id), Some(published_at), false) = (id, published_at, r.failed()) else { return };
        let date = name.as_ref().map(|n| n.end).unwrap_or_else(|| published_at.date_naive());
        ds.posts.push(Post {
            channel: key.clone(),
            external_id: id.to_string(),
            published_at: Some(published_at),
            post_type: None,
            text: r.get_str(c_text).map(decode_html_entities),
            url: r.get_string(c_link),
            author: None,
            campaign: None,
            idea: None,
        });
        ds.post_metrics.push(PostMetrics {
            channel: key.clone(),
            post_id: id.to_string(),
            date: Some(date),
            period: Some(MetricPeriod::Lifetime),
            impressions,
            reactions: likes,
            comments: replies,
            shares: retweets,
            clicks: sum_reported(&clicks),
            follows,
            engagements,
            reported_engagement_rate: rate,
            ..Default::default()
        });
    });
    if promoted > 0 {
        errs.note(format!(
            "{}: {promoted} promoted tweet(s): only their organic figures are imported (the promoted columns are paid \
             reach, import them as ads spend separately)",
            file.display_name
        ));
    }
    ds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::social_common::import_text;

    const HEADER: &str = "\"Tweet id\",\"Tweet permalink\",\"Tweet text\",\"time\",\"impressions\",\"engagements\",\
                          \"engagement rate\",\"likes\",\"url clicks\",\"promoted impressions\"\n";

    #[test]
    fn without_the_export_name_the_handle_comes_from_the_permalink_and_the_date_from_the_tweet() {
        let text = format!(
            "{HEADER}\"1091117122825084928\",\"https://twitter.com/rOpenSci/status/1091117122825084928\",\
             \"a &amp; b\",\"2019-01-31 23:32 +0000\",\"100.0\",\"3.0\",\"0.03\",\"2.0\",\"1.0\",\"-\"\n"
        );
        let ds = import_text(&XTweets, "tweets.csv", &text).unwrap();
        assert_eq!(ds.channels[0].handle.as_deref(), Some("rOpenSci"));
        assert_eq!(ds.posts[0].text.as_deref(), Some("a & b"));
        let m = &ds.post_metrics[0];
        assert_eq!(m.date, chrono::NaiveDate::from_ymd_opt(2019, 1, 31));
        assert_eq!((m.impressions, m.engagements, m.reactions, m.clicks), (Some(100), Some(3), Some(2), Some(1)));
        assert_eq!(m.reported_engagement_rate, Some(0.03));
    }

    #[test]
    fn a_rounded_tweet_id_and_a_repeated_one_are_errors() {
        let row = |id: &str| {
            format!("\"{id}\",\"\",\"t\",\"2019-01-31 23:32 +0000\",\"1.0\",\"0.0\",\"0.0\",\"0\",\"0\",\"-\"\n")
        };
        let text = format!(
            "{HEADER}{}{}{}",
            row("1.09111712282508E+18"),
            row("1091117122825084928"),
            row("1091117122825084928")
        );
        let errs = import_text(&XTweets, "tweets.csv", &text).unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(
            errs[0].starts_with("tweets.csv:2:Tweet id: \"1.09111712282508E+18\" is not a tweet id; a spreadsheet"),
            "{}",
            errs[0]
        );
        assert_eq!(
            errs[1],
            "tweets.csv:4:Tweet id: tweet 1091117122825084928 is also on line 3; a key may appear once per file"
        );
    }
}
