//! Meta Business Suite post export (2025), `<Mon-DD-YYYY>_<Mon-DD-YYYY>_<page-id>.csv` (Insights -> Content ->
//! Export, "Lifetime" rows): one post and one lifetime metrics snapshot per row.

use super::canonical::SeenKeys;
use super::social_common::{has_header, meta_export_end, post_type_named, report_missing_header, social_format};
use crate::channel::{resolve_channel, AccountClue};
use crate::parse::TsFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{AccountKind, Dataset, MetricPeriod, Network, Post, PostMetrics};
use std::collections::HashMap;

social_format!(
    MetaPosts,
    "meta-posts",
    "Meta Business Suite Facebook post export (<Mon-DD-YYYY>_<Mon-DD-YYYY>_<page-id>.csv)"
);

const REQUIRED: &[&str] = &["Post ID", "Page name", "Publish time", "Reactions, comments and shares"];

fn detect(file: &SourceFile) -> bool {
    has_header(file, REQUIRED, &[])
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = file.tables.iter().find_map(|t| t.header(REQUIRED)) else {
        report_missing_header(file, errs, "a Meta Business Suite post export", REQUIRED);
        return ds;
    };
    let end = meta_export_end(&file.file_name);
    let c_id = h.col("Post ID");
    let c_page = h.col("Page name");
    let c_title = h.col("Title");
    let c_description = h.col("Description");
    let c_time = h.col("Publish time");
    let c_link = h.col("Permalink");
    let c_type = h.col("Post type");
    let c_period = h.col("Date");
    // `Views` is there twice. The first sits where exports before 2025 had `Impressions` (Meta renamed it when
    // "views" replaced impressions); the second is not documented and is not read.
    let c_views = h.cols_named("Views").first().copied();
    let c_reach = h.col("Reach");
    let c_engagements = h.col("Reactions, comments and shares");
    let c_reactions = h.col("Reactions");
    let c_comments = h.col("Comments");
    let c_shares = h.col("Shares");
    let c_clicks = h.col("Total clicks");
    let c_video = h.col("3-second video views");

    let mut channels: HashMap<String, String> = HashMap::new();
    let mut known = opts.clone();
    let mut seen = SeenKeys::default();
    h.for_each_row(file, opts, errs, |r| {
        let page = r.req_str(c_page);
        let id = r.req_str(c_id);
        // `03/15/2025 03:06`, 24-hour, no zone: read in `--tz`.
        let published_at = r.req_timestamp(c_time, &[TsFormat::Us, TsFormat::Iso]);
        let period = r.cell(c_period);
        if !period.is_empty() && !period.eq_ignore_ascii_case("lifetime") {
            r.error(
                c_period,
                format!("{period:?} rows are not supported: only lifetime rows are"),
                Some("export the post insights with the \"Lifetime\" option".into()),
            );
        }
        let metrics = PostMetrics {
            period: Some(MetricPeriod::Lifetime),
            impressions: r.get_i64(c_views),
            reach: r.get_i64(c_reach),
            reactions: r.get_i64(c_reactions),
            comments: r.get_i64(c_comments),
            shares: r.get_i64(c_shares),
            clicks: r.get_i64(c_clicks),
            video_views: r.get_i64(c_video),
            // Meta's own total, "Reactions, comments and shares" (equal to their sum in every row seen).
            engagements: r.get_i64(c_engagements),
            ..Default::default()
        };
        let (Some(page), Some(id), Some(published_at), false) = (page, id, published_at, r.failed()) else { return };
        let key = match channels.get(page) {
            Some(k) => k.clone(),
            None => {
                // The page name is the channel's handle, as for the legacy Facebook exports; pages met earlier in
                // this file count as existing, so two pages of one file get two channels.
                let clue = AccountClue::new(Network::Facebook, Some(AccountKind::Page), page).content(Some(page));
                let c = match resolve_channel(clue, &known) {
                    Ok(c) => c,
                    Err(e) => {
                        r.error(c_page, e.message(), Some(e.hint()));
                        return;
                    }
                };
                channels.insert(page.to_string(), c.key.clone());
                let k = c.key.clone();
                known.existing_channels.retain(|old| old.key != c.key);
                known.existing_channels.push(c.clone());
                ds.channels.push(c);
                k
            }
        };
        seen.check((key.clone(), id.to_string()), || format!("post {id}"), r, c_id);
        if r.failed() {
            return;
        }
        let text = r.get_string(c_description).or_else(|| r.get_string(c_title));
        ds.posts.push(Post {
            channel: key.clone(),
            external_id: id.to_string(),
            published_at: Some(published_at),
            post_type: post_type_named(r.cell(c_type)),
            text,
            url: r.get_string(c_link),
            author: None,
            campaign: None,
            idea: None,
        });
        let date = end.unwrap_or_else(|| published_at.date_naive());
        ds.post_metrics.push(PostMetrics { channel: key, post_id: id.to_string(), date: Some(date), ..metrics });
    });
    ds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::social_common::import_text;

    const HEADER: &str = "\u{feff}\"Post ID\",\"Page name\",\"Publish time\",\"Post type\",Date,Views,Reach,\
                          \"Reactions, comments and shares\",Reactions,Comments,Shares,\"Total clicks\",Views\n";

    #[test]
    fn the_first_views_column_is_read_and_the_page_name_is_the_channel() {
        let text = format!("{HEADER}122121474620644102,Page A,03/15/2025 03:06,Videos,Lifetime,7,5,3,1,1,1,2,99\n");
        let ds = import_text(&MetaPosts, "Feb-01-2025_Mar-15-2025_1.csv", &text).unwrap();
        let m = &ds.post_metrics[0];
        assert_eq!((m.impressions, m.reach, m.engagements, m.clicks), (Some(7), Some(5), Some(3), Some(2)));
        assert_eq!(m.date, chrono::NaiveDate::from_ymd_opt(2025, 3, 15));
        assert_eq!(ds.channels[0].handle.as_deref(), Some("Page A"));
    }

    #[test]
    fn rows_of_one_day_are_refused() {
        let text = format!("{HEADER}1,Page A,03/15/2025 03:06,Photos,03/15/2025,7,5,3,1,1,1,2,0\n");
        let errs = import_text(&MetaPosts, "posts.csv", &text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].starts_with("posts.csv:2:Date: \"03/15/2025\" rows are not supported"), "{}", errs[0]);
    }
}
