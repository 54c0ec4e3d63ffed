//! Issue 16, the Posts page: every post with the figures `socialledger_analytics::engagement::post_engagement`
//! gives it (paged, sorted and filtered in the database on both backends), the filter kept in the navigation's
//! links, and post texts from exports shown as text.

use crate::overview::{demo, import};
use crate::support::{on_both, TestApp};
use reqwest::{Client, StatusCode};
use socialledger_analytics::engagement::post_engagement;
use socialledger_analytics::Settings;
use socialledger_demo::simulate;
use socialledger_domain::{Channel, ChannelKind, Dataset, Post, PostMetrics, Role};
use socialledger_store::ImportSource;
use std::collections::BTreeMap;

/// A post row as the page gives it: its `data-` attributes.
#[derive(Debug)]
struct Row {
    channel: String,
    post: String,
    impressions: Option<i64>,
    engagements: Option<i64>,
    rate: Option<f64>,
}

/// The value of `attr="…"` in `tag` (a start tag's text).
fn attr(tag: &str, attr: &str) -> Option<String> {
    let start = tag.find(&format!(" {attr}=\""))? + attr.len() + 3;
    Some(tag[start..start + tag[start..].find('"')?].replace("&amp;", "&"))
}

/// Every post row of a page.
fn rows(html: &str) -> Vec<Row> {
    let table = match html.find("<table class=\"posts\"") {
        Some(at) => &html[at..],
        None => return Vec::new(),
    };
    table
        .match_indices("<tr data-channel=")
        .map(|(at, _)| {
            let tag = &table[at..at + table[at..].find('>').unwrap()];
            let num = |name: &str| attr(tag, name).filter(|v| !v.is_empty());
            Row {
                channel: attr(tag, "data-channel").unwrap(),
                post: attr(tag, "data-post").unwrap(),
                impressions: num("data-impressions").map(|v| v.parse().unwrap()),
                engagements: num("data-engagements").map(|v| v.parse().unwrap()),
                rate: num("data-rate").map(|v| v.parse().unwrap()),
            }
        })
        .collect()
}

/// The `href` of the first `<a class="CLASS" …>`.
fn link(html: &str, class: &str) -> Option<String> {
    let at = html.find(&format!("<a class=\"{class}\""))?;
    attr(&html[at..at + html[at..].find('>')?], "href")
}

/// The total the page counts.
fn total(html: &str) -> u64 {
    match html.find("class=\"total\">") {
        Some(at) => {
            let start = at + "class=\"total\">".len();
            html[start..start + html[start..].find('<').unwrap()].parse().unwrap()
        }
        None => 0,
    }
}

async fn get_ok(app: &TestApp, client: &Client, path: &str) -> String {
    let response = app.get(client, path).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.unwrap()
}

/// Every row of a listing, following its "next" links; checks that each page's total is the same.
async fn all_rows(app: &TestApp, client: &Client, path: &str) -> (Vec<Row>, u64) {
    let mut html = get_ok(app, client, path).await;
    let expected = total(&html);
    let mut out = rows(&html);
    while let Some(next) = link(&html, "next") {
        html = get_ok(app, client, &next).await;
        assert_eq!(total(&html), expected, "{next}");
        out.extend(rows(&html));
    }
    (out, expected)
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * a.abs().max(1.0),
        (None, None) => true,
        _ => false,
    }
}

/// Values in page order, with the posts without the figure (which come last) left out; panics when one with the
/// figure follows one without.
fn present<T: Copy>(values: impl Iterator<Item = Option<T>>) -> Vec<T> {
    let mut out = Vec::new();
    let mut missing = false;
    for v in values {
        match v {
            Some(v) => {
                assert!(!missing, "a post without the figure is listed before one with it");
                out.push(v);
            }
            None => missing = true,
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_posts_page_has_the_analytics_figures_sorted_filtered_and_paged() {
    on_both("posts_page", |app| async move {
        let dir = tempfile::tempdir().unwrap();
        let sim = simulate(&demo());
        let files = sim.write_csv(dir.path()).unwrap();
        import(&app.store, &files).await;
        app.add_user("cs@example.com", "Service", Role::CustomerService).await;
        let cs = app.client();
        app.signed_in(&cs, "cs@example.com").await;

        // Every post, page by page, with the figures of the analytics' per-post function.
        let data = app.store.load().await.unwrap();
        let expected = post_engagement(&data, &Settings::default());
        assert!(expected.len() > 100, "the demo has several pages of posts ({})", expected.len());
        let (listed, count) = all_rows(&app, &cs, "/posts").await;
        assert_eq!(count as usize, expected.len(), "the page counts every post");
        assert_eq!(listed.len(), expected.len(), "the pages list every post once");
        let by_key: BTreeMap<(&str, &str), &Row> =
            listed.iter().map(|r| ((r.channel.as_str(), r.post.as_str()), r)).collect();
        assert_eq!(by_key.len(), listed.len(), "no post on two pages");
        for e in &expected {
            let r = by_key[&(e.channel.as_str(), e.post_id.as_str())];
            assert_eq!((r.impressions, r.engagements), (e.impressions, e.engagements), "{}/{}", e.channel, e.post_id);
            assert!(
                close(r.rate, e.rate_by_impressions),
                "{}/{}: {:?} {:?}",
                e.channel,
                e.post_id,
                r.rate,
                e.rate_by_impressions
            );
        }

        // Sorted by engagement rate, largest first, across pages; by impressions, smallest first.
        let (by_rate, _) = all_rows(&app, &cs, "/posts?sort=rate&dir=desc").await;
        let rates = present(by_rate.iter().map(|r| r.rate));
        assert!(rates.windows(2).all(|w| w[0] >= w[1]), "rates fall down the pages");
        assert!(rates.len() > 50, "more than one page has rates");
        let (by_impressions, _) = all_rows(&app, &cs, "/posts?sort=impressions&dir=asc").await;
        let impressions = present(by_impressions.iter().map(|r| r.impressions));
        assert!(impressions.windows(2).all(|w| w[0] <= w[1]), "impressions rise down the pages");
        let (by_engagements, _) = all_rows(&app, &cs, "/posts?sort=engagements").await;
        let engagements = present(by_engagements.iter().map(|r| r.engagements));
        assert!(engagements.windows(2).all(|w| w[0] >= w[1]), "engagements fall down the pages");

        // The channel filter and a period, against the analytics with the same period.
        let key = expected[0].channel.clone();
        let (from, to) = ("2024-02-01", "2024-03-31");
        let first = chrono::NaiveDate::parse_from_str(from, "%Y-%m-%d").unwrap();
        let last = chrono::NaiveDate::parse_from_str(to, "%Y-%m-%d").unwrap();
        let in_period = post_engagement(&data, &Settings { period: Some((first, last)), ..Settings::default() });
        let path = format!("/posts?channel={key}&from={from}&to={to}");
        let (filtered, n) = all_rows(&app, &cs, &path).await;
        let want: Vec<_> = in_period.iter().filter(|p| p.channel == key).collect();
        assert_eq!(n as usize, want.len(), "{path}");
        assert!(filtered.iter().all(|r| r.channel == key));
        let (period_only, n) = all_rows(&app, &cs, &format!("/posts?from={from}&to={to}")).await;
        assert_eq!((n as usize, period_only.len()), (in_period.len(), in_period.len()), "the period's posts");

        // The text search, case-insensitive, against the posts' own texts.
        let word = data
            .posts
            .iter()
            .filter_map(|p| p.text.as_deref())
            .flat_map(|t| t.split_whitespace())
            .find(|w| w.len() > 5 && w.chars().all(|c| c.is_ascii_alphabetic()))
            .expect("the demo's posts have words")
            .to_string();
        let needle = word.to_ascii_lowercase();
        let with_word = data
            .posts
            .iter()
            .filter(|p| p.text.as_deref().is_some_and(|t| t.to_ascii_lowercase().contains(&needle)))
            .count();
        let (found, n) = all_rows(&app, &cs, &format!("/posts?q={}", word.to_ascii_uppercase())).await;
        assert_eq!((n as usize, found.len()), (with_word, with_word), "posts containing {word:?}");

        // The filter stays in the navigation's links, and a page of the whole history says it cannot apply it.
        let html = get_ok(&app, &cs, &path).await;
        let kept = format!("href=\"/channels?channel={key}&amp;from={from}&amp;to={to}\"");
        assert!(html.contains(&kept), "the Channels link keeps the filter: {kept}");
        let channels = crate::overview::current_page(&app, &cs, &format!("/channels?channel={key}&from={from}")).await;
        assert!(channels.contains("period-ignored"), "Channels says it does not filter by date");
        assert!(channels.contains(&format!("href=\"/posts?channel={key}&amp;from={from}\"")), "and links on with it");

        // A date that is none is refused with what to write.
        let bad = app.get(&cs, "/posts?from=2026-13-01").await;
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        assert!(bad.text().await.unwrap().contains("write YYYY-MM-DD"));
        // A sort that is none falls back to the date; a page past the end says so.
        assert_eq!(app.get(&cs, "/posts?sort=1;DROP%20TABLE%20posts&page=x").await.status(), StatusCode::OK);
        let past = get_ok(&app, &cs, "/posts?page=100000").await;
        assert!(past.contains("No posts on this page"));
    })
    .await;
}

const HOSTILE_TEXT: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>\" onerror=alert(3) x=\"";
const HOSTILE_URL: &str = "javascript:alert(4)";

#[tokio::test]
async fn issue_16_hostile_post_texts_are_shown_as_text() {
    on_both("posts_escaping", |app| async move {
        let channel = Channel {
            key: "x_<b>".into(),
            name: "<script>alert(5)</script>".into(),
            kind: ChannelKind::OrganicSocial,
            network: None,
            handle: None,
            account: None,
        };
        let post = |id: &str, text: &str, url: &str| Post {
            channel: channel.key.clone(),
            external_id: id.into(),
            published_at: Some(chrono::Utc::now()),
            post_type: None,
            text: Some(text.into()),
            url: Some(url.into()),
            author: None,
            campaign: None,
            idea: None,
        };
        let data = Dataset {
            channels: vec![channel.clone()],
            posts: vec![post("p1\"><script>", HOSTILE_TEXT, HOSTILE_URL), post("p2", "fine", "https://example.com/p2")],
            post_metrics: vec![PostMetrics {
                channel: channel.key.clone(),
                post_id: "p2".into(),
                impressions: Some(100),
                reactions: Some(3),
                ..PostMetrics::default()
            }],
            ..Dataset::default()
        };
        let source =
            ImportSource { file_name: "hostile.csv".into(), format: "test".into(), content_hash: "h1".into(), rows: 2 };
        app.store.import(&source, &data, &|_, _| ()).await.unwrap();
        app.add_user("pr@example.com", "PR", Role::Pr).await;
        let pr = app.client();
        app.signed_in(&pr, "pr@example.com").await;
        let html = get_ok(&app, &pr, "/posts?q=%3Cscript").await;
        assert!(!html.contains("<script"), "no script element");
        assert!(!html.contains("<img"), "no image element");
        assert!(!html.contains("\" onerror="), "the text does not leave its attribute or element");
        assert!(!html.contains("javascript:"), "a javascript: URL is no link");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the text is shown as text");
        assert_eq!(total(&html), 1, "the search matches the hostile post only");
        let all = get_ok(&app, &pr, "/posts").await;
        assert!(all.contains("href=\"https://example.com/p2\""), "an http(s) URL is a link");
        let p2 = rows(&all).into_iter().find(|r| r.post == "p2").unwrap();
        assert_eq!((p2.impressions, p2.engagements, p2.rate), (Some(100), Some(3), Some(0.03)));

        // The external reviewer sees only what is shared with them: not the posts.
        app.add_user("ext@example.com", "Ext", Role::ExternalReviewer).await;
        let ext = app.client();
        app.signed_in(&ext, "ext@example.com").await;
        assert_eq!(app.get(&ext, "/posts").await.status(), StatusCode::FORBIDDEN);
    })
    .await;
}
