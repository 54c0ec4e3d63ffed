//! Issue 12, "one account is one channel, and two accounts are never one": every pair of export kinds of one
//! account lands on one channel in either import order, two accounts on two, a personal profile and a company page
//! on two, a renamed export on its account's channel, and an export that names no account asks the user when
//! several channels could be it. Files are small synthetic exports in the platforms' formats; each import sees the
//! channels stored so far, as the CLI passes them (`ImportOptions::existing_channels`, the store's upsert by key).

use super::support::import_as;
use socialledger_domain::{AccountKind, Channel, Dataset};
use socialledger_import::{ImportError, ImportOptions};
use std::collections::BTreeSet;

/// A synthetic export: file name and content.
#[derive(Clone, Debug)]
struct Export {
    name: String,
    body: String,
}

fn export(name: impl Into<String>, body: impl Into<String>) -> Export {
    Export { name: name.into(), body: body.into() }
}

/// What a database holds after importing `files` in order: its channels, and the channel keys the records of each
/// file landed on.
struct Landed {
    channels: Vec<Channel>,
    per_file: Vec<BTreeSet<String>>,
}

impl Landed {
    /// The channels that hold records.
    fn used(&self) -> BTreeSet<String> {
        self.per_file.iter().flatten().cloned().collect()
    }
}

fn record_channels(ds: &Dataset) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    keys.extend(ds.posts.iter().map(|p| p.channel.clone()));
    keys.extend(ds.post_metrics.iter().map(|p| p.channel.clone()));
    keys.extend(ds.channel_days.iter().map(|d| d.channel.clone()));
    keys.extend(ds.audience.iter().map(|a| a.channel.clone()));
    keys
}

fn import_all(files: &[Export], opts: &ImportOptions) -> Result<Landed, ImportError> {
    let mut channels: Vec<Channel> = opts.existing_channels.clone();
    let mut per_file = Vec::new();
    for f in files {
        let opts = ImportOptions { existing_channels: channels.clone(), ..opts.clone() };
        let parsed = import_as(&f.name, f.body.as_bytes(), &opts)?;
        for c in &parsed.dataset.channels {
            channels.retain(|old| old.key != c.key);
            channels.push(c.clone());
        }
        per_file.push(record_channels(&parsed.dataset));
    }
    channels.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(Landed { channels, per_file })
}

fn land(files: &[Export]) -> Landed {
    import_all(files, &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn keys(channels: &[Channel]) -> Vec<&str> {
    channels.iter().map(|c| c.key.as_str()).collect()
}

/// Every pair of `kinds`, in both orders, ends on exactly one channel holding both files' records.
fn every_pair_lands_on_one_channel(kinds: &[Export]) {
    for (i, a) in kinds.iter().enumerate() {
        for (j, b) in kinds.iter().enumerate() {
            if i == j {
                continue;
            }
            let landed = land(&[a.clone(), b.clone()]);
            assert_eq!(
                landed.channels.len(),
                1,
                "{} then {} gave the channels {:?}",
                a.name,
                b.name,
                keys(&landed.channels)
            );
            assert!(landed.per_file.iter().all(|k| k.len() == 1), "{} then {}: {:?}", a.name, b.name, landed.per_file);
        }
    }
}

// ---- X ----

fn x_tweets(handle: &str) -> Export {
    export(
        format!("tweet_activity_metrics_{handle}_20250101_20250201_en.csv"),
        format!(
            "\"Tweet id\",\"Tweet permalink\",\"Tweet text\",\"time\",\"impressions\",\"engagements\",\"engagement rate\"\n\
             \"1876543210987654321\",\"https://twitter.com/{handle}/status/1876543210987654321\",\"hello\",\
             \"2025-01-05 10:00 +0000\",\"100\",\"5\",\"0.05\"\n"
        ),
    )
}

fn x_daily(handle: &str) -> Export {
    export(
        format!("daily_tweet_activity_metrics_{handle}_20250101_20250201_en.csv"),
        "\"Date\",\"Tweets published\",\"impressions\",\"engagements\",\"engagement rate\"\n\
         \"2025-01-05\",\"1\",\"100\",\"5\",\"0.05\"\n",
    )
}

fn x_content(handle: &str) -> Export {
    export(
        "account_analytics_content_2025-01-01_2025-02-01.csv",
        format!(
            "Post id,Date,Post text,Link,Impressions,Engagements\n\
             1876543210987654322,Sun Jan 05 2025,hello,https://x.com/{handle}/status/1876543210987654322,100,5\n"
        ),
    )
}

/// The overview export names no account; `prefix` is what a user put before X's file name.
fn x_overview(prefix: Option<&str>) -> Export {
    let name = match prefix {
        Some(p) => format!("{p}_account_overview_analytics.csv"),
        None => "account_overview_analytics.csv".to_string(),
    };
    export(name, "Date,Impressions,Engagements,New follows,Unfollows\n\"Sun, Jan 5, 2025\",100,5,1,0\n")
}

#[test]
fn issue_12_every_pair_of_x_exports_of_one_account_lands_on_one_channel() {
    // Content then overview gave `x` and `x-x`.
    every_pair_lands_on_one_channel(&[x_tweets("Acme"), x_daily("acme"), x_content("ACME"), x_overview(None)]);
    every_pair_lands_on_one_channel(&[x_tweets("acme"), x_daily("acme"), x_content("acme"), x_overview(Some("acme"))]);
    let landed = land(&[x_content("Acme"), x_overview(None), x_daily("acme"), x_tweets("acme")]);
    assert_eq!(keys(&landed.channels), ["x"]);
    assert_eq!(landed.channels[0].handle.as_deref(), Some("Acme"));
}

#[test]
fn issue_12_two_x_accounts_land_on_two_channels() {
    for (a, b) in [
        (x_tweets("acme"), x_tweets("globex")),
        (x_daily("acme"), x_daily("globex")),
        (x_content("acme"), x_content("globex")),
        // The overview names no account: the prefix a user gave the file name tells two downloads apart.
        (x_overview(Some("acme")), x_overview(Some("globex"))),
        (x_content("acme"), x_overview(Some("globex"))),
        (x_overview(Some("globex")), x_content("acme")),
        (x_tweets("acme"), x_daily("globex")),
    ] {
        let landed = land(&[a.clone(), b.clone()]);
        assert_eq!(landed.used().len(), 2, "{} then {}: {:?}", a.name, b.name, keys(&landed.channels));
        assert_eq!(landed.channels.len(), 2, "{} then {}: {:?}", a.name, b.name, keys(&landed.channels));
    }
    let landed = land(&[x_content("acme"), x_content("globex")]);
    assert_eq!(keys(&landed.channels), ["x", "x-globex"]);
}

#[test]
fn issue_12_an_export_naming_no_account_asks_when_several_could_be_it() {
    let two = [x_content("acme"), x_content("globex")];
    let mut files = two.to_vec();
    files.push(x_overview(None));
    let err = import_all(&files, &ImportOptions::default()).err().expect("the overview must be refused").to_string();
    assert!(err.contains("account_overview_analytics.csv:1: the file does not name its x account"), "{err}");
    assert!(err.contains("x (@acme), x-globex (@globex)"), "{err}");
    assert!(err.contains("--channel KEY"), "{err}");

    // `--channel` decides, and the file's records land there.
    let landed = land(&two);
    let opts = ImportOptions {
        channel: Some("x-globex".into()),
        existing_channels: landed.channels.clone(),
        ..Default::default()
    };
    let parsed = import_as("account_overview_analytics.csv", x_overview(None).body.as_bytes(), &opts).unwrap();
    assert_eq!(record_channels(&parsed.dataset).into_iter().collect::<Vec<_>>(), ["x-globex"]);
}

// ---- LinkedIn ----

fn li_content(slug: &str) -> Export {
    export(
        format!("{slug}_content_1742193384396.csv"),
        "Date,Impressions (total),Clicks (total),Reactions (total),Comments (total),Reposts (total),\
         Engagement rate (total)\n01/05/2025,100,3,2,1,0,0.06\n",
    )
}

fn li_followers(slug: &str) -> Export {
    export(
        format!("{slug}_followers_1774355119598.csv"),
        "Date,Sponsored followers,Organic followers,Auto-invited followers,Total followers\n01/05/2025,0,1,0,1\n",
    )
}

fn li_visitors(slug: &str) -> Export {
    export(
        format!("{slug}_visitors_1774355114381.csv"),
        "Date,Total page views (total),Total unique visitors (total)\n01/05/2025,10,5\n",
    )
}

fn li_shares() -> Export {
    export(
        "Shares.csv",
        "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n\
         2025-01-05 10:00:00,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7012345678901234567,\
         \"hello\",,,MEMBER_NETWORK\n",
    )
}

/// A page export renamed by the user: the file name no longer names the page.
fn renamed(e: Export, name: &str) -> Export {
    Export { name: name.into(), ..e }
}

#[test]
fn issue_12_every_pair_of_linkedin_page_exports_lands_on_one_channel() {
    every_pair_lands_on_one_channel(&[
        li_content("acme"),
        li_followers("acme"),
        li_visitors("acme"),
        renamed(li_followers("acme"), "followers (1).csv"),
    ]);
    let landed = land(&[li_content("acme"), li_visitors("acme")]);
    assert_eq!(landed.channels[0].account, Some(AccountKind::Page));
}

#[test]
fn issue_12_a_renamed_export_joins_its_page_instead_of_making_a_second_channel() {
    let landed = land(&[li_content("acme"), renamed(li_content("acme"), "LinkedIn content march.csv")]);
    assert_eq!(keys(&landed.channels), ["linkedin"]);
    let landed = land(&[x_daily("acme"), renamed(x_daily("acme"), "x daily.csv")]);
    assert_eq!(keys(&landed.channels), ["x"]);
}

#[test]
fn issue_12_a_personal_profile_and_a_company_page_are_two_channels_in_either_order() {
    for files in [[li_shares(), li_content("acme")], [li_content("acme"), li_shares()]] {
        let landed = land(&files);
        assert_eq!(landed.used().len(), 2, "{} then {}: {:?}", files[0].name, files[1].name, keys(&landed.channels));
        let kinds: BTreeSet<_> = landed.channels.iter().map(|c| c.account).collect();
        assert_eq!(kinds, [Some(AccountKind::Page), Some(AccountKind::Profile)].into_iter().collect());
    }
    // A second archive of the same member joins the profile, not the page.
    let landed = land(&[li_content("acme"), li_shares(), li_shares(), renamed(li_visitors("acme"), "visitors.csv")]);
    assert_eq!(landed.channels.len(), 2, "{:?}", keys(&landed.channels));
}

#[test]
fn issue_12_two_linkedin_pages_land_on_two_channels() {
    let landed = land(&[li_content("acme"), li_followers("globex"), li_visitors("acme")]);
    assert_eq!(keys(&landed.channels), ["linkedin", "linkedin-globex"]);
    // A renamed export then cannot tell which page it is: the user is asked.
    let mut files = vec![li_content("acme"), li_followers("globex")];
    files.push(renamed(li_visitors("acme"), "visitors.csv"));
    let err = import_all(&files, &ImportOptions::default()).err().expect("ambiguous").to_string();
    assert!(err.contains("linkedin (@acme), linkedin-globex (@globex)") && err.contains("--channel"), "{err}");
}

// ---- Facebook ----

fn fb_posts(page: &str) -> Export {
    export(
        format!("Facebook Insights Data Export (Post Level) - {page} - 2025-01-01 - 2025-02-01.csv"),
        "Post ID,Permalink,Post Message,Type,Posted,Lifetime Post Total Impressions,Lifetime Engaged Users\n\
         ,,,,,Lifetime: impressions,Lifetime: engaged users\n\
         123_456,https://www.facebook.com/acme/posts/456,hello,Status,01/05/2025 10:00:00 AM,100,5\n",
    )
}

fn fb_videos(page: &str) -> Export {
    export(
        format!("Facebook Insights Data Export (Video Posts) - {page} - 2025-01-01 - 2025-02-01.csv"),
        "Post ID,Permalink,Post Message,Type,Posted,Lifetime Total Video Views\n\
         ,,,,,Lifetime: views\n\
         123_789,https://www.facebook.com/acme/videos/789,a video,Video,01/06/2025 10:00:00 AM,50\n",
    )
}

fn fb_page(page: &str) -> Export {
    export(
        format!("Facebook Insights Data Export - {page} - 2025-01-01 - 2025-02-01.csv"),
        "Date,Lifetime Total Likes,Daily New Likes,Daily Unlikes\n,Lifetime: likes,Daily: new likes,Daily: unlikes\n\
         1/5/2025,100,2,1\n",
    )
}

fn meta_posts(page: &str) -> Export {
    export(
        "Jan-01-2025_Feb-01-2025_613168031534769.csv",
        format!(
            "\"Post ID\",\"Page ID\",\"Page name\",Title,Description,\"Publish time\",Date,Views,\
             \"Reactions, comments and shares\"\n\
             122121474620644102,61569323067856,{page},,hello,01/05/2025 10:00,Lifetime,100,5\n"
        ),
    )
}

#[test]
fn issue_12_every_pair_of_facebook_exports_of_one_page_lands_on_one_channel() {
    every_pair_lands_on_one_channel(&[
        fb_posts("Acme"),
        fb_videos("Acme"),
        fb_page("Acme"),
        meta_posts("Acme"),
        renamed(fb_page("Acme"), "page insights.csv"),
    ]);
}

#[test]
fn issue_12_two_facebook_pages_land_on_two_channels() {
    let landed = land(&[fb_posts("Acme"), meta_posts("Globex"), fb_page("Globex")]);
    assert_eq!(keys(&landed.channels), ["facebook", "facebook-globex"]);
}

// ---- YouTube ----

fn yt_table() -> Export {
    export(
        "Table data.csv",
        "Content,Video title,Video publish time,Duration,Views\nTotal,,,,100\nabcdefghijk,Hello,\"Jan 5, 2025\",60,100\n",
    )
}

fn yt_chart() -> Export {
    export(
        "Chart data.csv",
        "Date,Content,Video title,Video publish time,Duration,Views\n2025-01-05,abcdefghijk,Hello,\"Jan 5, 2025\",60,100\n",
    )
}

fn yt_totals() -> Export {
    export("Totals.csv", "Date,Views\n2025-01-05,100\n")
}

#[test]
fn issue_12_every_pair_of_youtube_exports_lands_on_one_channel() {
    every_pair_lands_on_one_channel(&[yt_table(), yt_chart(), yt_totals()]);
}

#[test]
fn issue_12_youtube_exports_ask_when_two_youtube_channels_exist() {
    let first = land(&[yt_totals()]);
    let second = import_as(
        "Totals.csv",
        yt_totals().body.as_bytes(),
        &ImportOptions { channel: Some("youtube-shorts".into()), ..Default::default() },
    )
    .unwrap();
    let mut existing = first.channels.clone();
    existing.extend(second.dataset.channels);
    let opts = ImportOptions { existing_channels: existing, ..Default::default() };
    let err = import_as("Chart data.csv", yt_chart().body.as_bytes(), &opts).unwrap_err().to_string();
    assert!(err.contains("2 channels could be it: youtube, youtube-shorts"), "{err}");
}

#[test]
fn issue_12_two_pages_in_one_meta_export_are_two_channels() {
    let body = "\"Post ID\",\"Page ID\",\"Page name\",Title,Description,\"Publish time\",Date,Views,\
                \"Reactions, comments and shares\"\n\
                122121474620644102,61569323067856,Acme,,hello,01/05/2025 10:00,Lifetime,100,5\n\
                122121474620644103,61569323067857,Globex,,hi,01/06/2025 10:00,Lifetime,50,2\n";
    // With a page channel that has no handle yet (declared), the first page claims it and the second gets its own.
    let declared = Channel {
        key: "facebook".into(),
        name: "Our page".into(),
        kind: socialledger_domain::ChannelKind::OrganicSocial,
        network: Some(socialledger_domain::Network::Facebook),
        handle: None,
        account: None,
    };
    for existing in [vec![], vec![declared]] {
        let landed = import_all(
            &[export("Jan-01-2025_Feb-01-2025_613168031534769.csv", body)],
            &ImportOptions { existing_channels: existing, ..Default::default() },
        )
        .unwrap();
        assert_eq!(landed.per_file[0].len(), 2, "{:?}", landed.per_file);
    }
}
