//! Meta Business Suite post exports (2025): Insights -> Content -> Export, "Lifetime" rows, one post and one
//! lifetime metrics snapshot per row. Facebook pages (`meta-posts`, `Page name`) and Instagram accounts
//! (`meta-instagram-posts`, `Account username`) come from the same tool with the same layout and are read by one
//! mapping, [`PostExport`]; only the account column, the network and a few counters' names differ. Columns are
//! found by name (their order varies between downloads).
//!
//! Meta writes rows it could not fill as errors: no post id, or fewer fields than the header. Those rows are
//! skipped with a note naming their lines; they are not a reason to refuse the file.

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

/// The Instagram post export of Meta Business Suite / the Professional Dashboard: see the module documentation.
#[derive(Debug, Clone, Copy)]
pub struct MetaInstagramPosts;

crate::formats::delegate_format!(
    MetaInstagramPosts,
    name: "meta-instagram-posts",
    description: "Meta Business Suite Instagram post export (Post ID, Account username, Publish time, Views, Reach, \
                  Likes, …, Saves)",
    detect: |file| INSTAGRAM.detect(file),
    parse: |file, opts, errs| INSTAGRAM.parse(file, opts, errs),
);

/// What differs between the Facebook and the Instagram post export.
pub struct PostExport {
    /// What the export is called in error messages.
    what: &'static str,
    network: Network,
    account_kind: Option<AccountKind>,
    /// The columns that identify the export (detection and the header search).
    required: &'static [&'static str],
    /// The column naming the account: its handle on the network.
    account: &'static str,
}

const FACEBOOK: PostExport = PostExport {
    what: "a Meta Business Suite Facebook post export",
    network: Network::Facebook,
    account_kind: Some(AccountKind::Page),
    required: &["Post ID", "Page name", "Publish time", "Reactions, comments and shares"],
    account: "Page name",
};

const INSTAGRAM: PostExport = PostExport {
    what: "a Meta Business Suite Instagram post export",
    network: Network::Instagram,
    account_kind: None,
    required: &["Post ID", "Account username", "Publish time", "Likes", "Saves"],
    account: "Account username",
};

fn detect(file: &SourceFile) -> bool {
    FACEBOOK.detect(file)
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    FACEBOOK.parse(file, opts, errs)
}

impl PostExport {
    fn detect(&self, file: &SourceFile) -> bool {
        has_header(file, self.required, &[])
    }

    fn parse(&self, file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
        let mut ds = Dataset::default();
        let Some(h) = file.tables.iter().find_map(|t| t.header(self.required)) else {
            report_missing_header(file, errs, self.what, self.required);
            return ds;
        };
        let end = meta_export_end(&file.file_name);
        let c_id = h.col("Post ID");
        let c_account = h.col(self.account);
        let c_title = h.col("Title");
        let c_description = h.col("Description");
        let c_time = h.col("Publish time");
        let c_link = h.col("Permalink");
        let c_type = h.col("Post type");
        let c_period = h.col("Date");
        // `Views` is there twice in the Facebook export. The first sits where exports before 2025 had
        // `Impressions` (Meta renamed it when "views" replaced impressions); the second is not documented and is
        // not read.
        let c_views = h.cols_named("Views").first().copied();
        let c_reach = h.col("Reach");
        let c_engagements = h.col("Reactions, comments and shares");
        // Facebook counts reactions, Instagram likes.
        let c_reactions = h.col("Reactions").or_else(|| h.col("Likes"));
        let c_comments = h.col("Comments");
        let c_shares = h.col("Shares");
        let c_clicks = h.col("Total clicks");
        let c_saves = h.col("Saves");
        let c_follows = h.col("Follows");
        let c_video = h.col("3-second video views");
        let width = h.headers.len();

        let mut channels: HashMap<String, String> = HashMap::new();
        let mut known = opts.clone();
        let mut seen = SeenKeys::default();
        let mut meta_errors: Vec<usize> = Vec::new();
        h.for_each_row(file, opts, errs, |r| {
            // A row Meta wrote as an error: skipped, and named in a note below.
            if r.raw().cells.len() < width || r.cell(c_id).trim().is_empty() {
                meta_errors.push(r.line());
                return;
            }
            let account = r.req_str(c_account);
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
                impressions: r.get_count(c_views),
                reach: r.get_count(c_reach),
                reactions: r.get_count(c_reactions),
                comments: r.get_count(c_comments),
                shares: r.get_count(c_shares),
                clicks: r.get_count(c_clicks),
                saves: r.get_count(c_saves),
                follows: r.get_count(c_follows),
                video_views: r.get_count(c_video),
                // Facebook's own total, "Reactions, comments and shares" (equal to their sum in every row seen);
                // Instagram prints none.
                engagements: r.get_count(c_engagements),
                ..Default::default()
            };
            let (Some(account), Some(id), Some(published_at), false) = (account, id, published_at, r.failed()) else {
                return;
            };
            let key = match channels.get(account) {
                Some(k) => k.clone(),
                None => {
                    // The page name (Facebook) or username (Instagram) is the channel's handle, as for the legacy
                    // Facebook exports; accounts met earlier in this file count as existing, so two accounts of one
                    // file get two channels.
                    let clue = AccountClue::new(self.network, self.account_kind, account).content(Some(account));
                    let c = match resolve_channel(clue, &known) {
                        Ok(c) => c,
                        Err(e) => {
                            r.error(c_account, e.message(), Some(e.hint()));
                            return;
                        }
                    };
                    channels.insert(account.to_string(), c.key.clone());
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
            // Instagram writes `IG image`, `IG reel`, `IG carousel`.
            let kind = r.cell(c_type).trim();
            let kind = kind.strip_prefix("IG ").or_else(|| kind.strip_prefix("ig ")).unwrap_or(kind);
            ds.posts.push(Post {
                channel: key.clone(),
                external_id: id.to_string(),
                published_at: Some(published_at),
                post_type: post_type_named(kind),
                text,
                url: r.get_string(c_link),
                author: None,
                campaign: None,
                idea: None,
            });
            let date = end.unwrap_or_else(|| published_at.date_naive());
            ds.post_metrics.push(PostMetrics { channel: key, post_id: id.to_string(), date: Some(date), ..metrics });
        });
        if !meta_errors.is_empty() {
            errs.note(format!(
                "{}: skipped {} row(s) that Meta wrote as errors (no post id, or fewer fields than the header): \
                 line(s) {}",
                file.display_name,
                meta_errors.len(),
                lines_list(&meta_errors)
            ));
        }
        ds
    }
}

/// Line numbers for a note: all of them up to 20, else the first 20 and how many more.
fn lines_list(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().take(20).map(usize::to_string).collect();
    match lines.len() {
        n if n > 20 => format!("{} and {} more", shown.join(", "), n - 20),
        _ => shown.join(", "),
    }
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
