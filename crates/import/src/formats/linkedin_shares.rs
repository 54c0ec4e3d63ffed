//! LinkedIn personal data archive `Shares.csv` ("Get a copy of your data"): the member's own posts, without
//! metrics (the archive has none).

use super::social_common::{
    has_header, linkedin_urn, normalize_line_breaks, percent_decode, report_missing_header, social_format,
    strip_linkedin_line_quotes,
};
use crate::channel::{file_channel, AccountClue};
use crate::parse::TsFormat;
use crate::{ErrorSink, ImportOptions, SourceFile};
use socialledger_domain::{AccountKind, Dataset, Network, Post};
use std::collections::HashMap;

social_format!(LinkedInShares, "linkedin-shares", "LinkedIn personal data archive Shares.csv (your posts, no metrics)");

const REQUIRED: &[&str] = &["Date", "ShareLink", "ShareCommentary"];

fn detect(file: &SourceFile) -> bool {
    has_header(file, REQUIRED, &[])
}

fn parse(file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
    let mut ds = Dataset::default();
    let Some(h) = file.tables.iter().find_map(|t| t.header(REQUIRED)) else {
        report_missing_header(file, errs, "a LinkedIn Shares.csv", REQUIRED);
        return ds;
    };
    // The archive does not name its member: the channel is the member's personal profile (never a company page),
    // with no handle; it lands on the one profile channel, or on `--channel`.
    let clue = AccountClue::new(Network::LinkedIn, Some(AccountKind::Profile), "LinkedIn profile");
    let Some(channel) = file_channel(file, clue, opts, errs) else { return ds };
    let key = channel.key.clone();
    ds.channels.push(channel);

    let (c_date, c_link, c_text) = (h.col("Date"), h.col("ShareLink"), h.col("ShareCommentary"));
    // A post with several media appears once per media file (same link, date and text): it is one post.
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let mut repeats = 0usize;
    h.for_each_row(file, opts, errs, |r| {
        let link = r.req_str(c_link).map(percent_decode);
        let urn = link.as_deref().and_then(linkedin_urn).map(str::to_string);
        if let (Some(l), None) = (&link, &urn) {
            r.error(
                c_link,
                format!("{l:?} holds no post URN (urn:li:…)"),
                Some(
                    "LinkedIn writes the share link as https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A<id>"
                        .into(),
                ),
            );
        }
        // `2025-07-01 14:33:22`, no zone: read in `--tz`.
        let published_at = r.req_timestamp(c_date, &[TsFormat::Iso]);
        let (Some(urn), Some(published_at), false) = (urn, published_at, r.failed()) else { return };
        if first_line.insert(urn.clone(), r.line()).is_some() {
            repeats += 1;
            return;
        }
        ds.posts.push(Post {
            channel: key.clone(),
            external_id: urn,
            published_at: Some(published_at),
            post_type: None,
            text: r.get_str(c_text).map(|t| strip_linkedin_line_quotes(&normalize_line_breaks(t))),
            url: link,
            author: None,
            campaign: None,
            idea: None,
        });
    });
    if repeats > 0 {
        errs.note(format!(
            "{}: {repeats} row(s) repeat a post already read (LinkedIn writes a post once per media file); each post \
             is imported once",
            file.display_name
        ));
    }
    ds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::social_common::import_text;

    #[test]
    fn a_post_repeated_per_media_file_is_one_post() {
        let row = |media: &str| {
            format!("2021-03-04 02:56:15,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A677,\"Title\"\"\n\"\"\"\"\n\"\"Body\",,{media},MEMBER_NETWORK\n")
        };
        let text =
            format!("Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n{}{}", row("a.jpg"), row("b.jpg"));
        let ds = import_text(&LinkedInShares, "Shares.csv", &text).unwrap();
        assert_eq!(ds.posts.len(), 1);
        assert_eq!(ds.posts[0].external_id, "urn:li:share:677");
        assert_eq!(ds.posts[0].text.as_deref(), Some("Title\n\nBody"));
    }
}
