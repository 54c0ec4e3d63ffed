//! The Posts page (`/posts`): every post with its figures, filtered by channel, period and text, sorted by date,
//! impressions, engagements or engagement rate, and paged, all in the database
//! ([`socialledger_store::Store::post_page`]): a request reads one page, never every post. Post texts and URLs
//! come from exports and are hostile: maud escapes them, and a URL is a link only when it is http(s).

use crate::access::SignedIn;
use crate::pages::report_view::{link_with, period_inputs, Filter};
use crate::pages::{layout_filtered, page};
use crate::state::AppState;
use crate::WebError;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use serde::Deserialize;
use socialledger_report::figures;
use socialledger_store::{FiguresSource, ListedPost, PostQuery, PostSort};

/// Posts per page.
pub const PAGE_SIZE: u32 = 50;

/// The longest text shown per post (characters); the rest is cut with an ellipsis.
const TEXT_CHARS: usize = 280;

/// The URL's parameters: the shared filter, the text search, the sort and the page.
#[derive(Debug, Default, Deserialize)]
pub struct PostsParams {
    pub channel: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Text the post contains.
    pub q: Option<String>,
    /// `date`, `impressions`, `engagements` or `rate`.
    pub sort: Option<String>,
    /// `asc` or `desc` (the default).
    pub dir: Option<String>,
    /// From 1.
    pub page: Option<String>,
}

impl PostsParams {
    fn filter(&self) -> Filter {
        Filter { channel: self.channel.clone(), from: self.from.clone(), to: self.to.clone() }
    }

    fn search(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty())
    }

    fn sort(&self) -> PostSort {
        self.sort.as_deref().and_then(PostSort::parse).unwrap_or_default()
    }

    fn descending(&self) -> bool {
        self.dir.as_deref() != Some("asc")
    }

    fn page(&self) -> u64 {
        self.page.as_deref().and_then(|p| p.trim().parse::<u64>().ok()).filter(|p| *p >= 1).unwrap_or(1)
    }

    /// The link to this listing with `changes` applied (the filter and search kept).
    fn link(&self, sort: PostSort, descending: bool, page: u64) -> String {
        let filter = self.filter();
        let mut pairs = filter.pairs();
        if let Some(q) = self.search() {
            pairs.push(("q", q));
        }
        let page = page.to_string();
        pairs.push(("sort", sort.as_str()));
        pairs.push(("dir", if descending { "desc" } else { "asc" }));
        if page != "1" {
            pairs.push(("page", &page));
        }
        link_with("/posts", &pairs)
    }
}

/// `GET /posts[?channel=KEY&from=YYYY-MM-DD&to=YYYY-MM-DD&q=TEXT&sort=date|impressions|engagements|rate&dir=asc|desc&page=N]`.
pub async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(params): Query<PostsParams>,
) -> Result<Response, WebError> {
    let filter = params.filter();
    let channels = state.store.channels().await?;
    let (period, problem) = match filter.period() {
        Ok(period) => (period, None),
        Err(problem) => ((None, None), Some(problem)),
    };
    let (sort, descending, page_no) = (params.sort(), params.descending(), params.page());
    let query = PostQuery {
        channel: filter.channel().map(str::to_string),
        from: period.0,
        to: period.1,
        search: params.search().map(str::to_string),
        sort,
        descending,
        limit: PAGE_SIZE,
        offset: (page_no - 1).saturating_mul(u64::from(PAGE_SIZE)),
    };
    let listing = match &problem {
        None => Some(state.store.post_page(&query).await?),
        Some(_) => None,
    };
    let name_of = |key: &str| channels.iter().find(|c| c.key == key).map_or(key, |c| c.name.as_str()).to_string();
    let header = |label: &str, column: PostSort, note: Option<&str>| -> Markup {
        // A click on the sorted column turns its direction; on another column sorts it largest first.
        let next_desc = if column == sort { !descending } else { true };
        let arrow = match (column == sort, descending) {
            (true, true) => " ↓",
            (true, false) => " ↑",
            _ => "",
        };
        html! {
            a.sort href=(params.link(column, next_desc, 1)) data-sort=(column.as_str()) { (label) (arrow) }
            @if let Some(note) = note { br; small { (note) } }
        }
    };
    let body = html! {
        form.filter method="get" action="/posts" {
            label { "Channel "
                select name="channel" {
                    option value="" { "all" }
                    @for c in &channels {
                        option value=(c.key) selected[filter.channel() == Some(c.key.as_str())] { (c.name) }
                    }
                }
            }
            (period_inputs(&filter))
            label { "Text contains " input type="search" name="q" value=(params.q.as_deref().unwrap_or("")); }
            input type="hidden" name="sort" value=(sort.as_str());
            input type="hidden" name="dir" value=(if descending { "desc" } else { "asc" });
            button type="submit" { "Show" }
        }
        @if let Some(problem) = &problem { p.error { (problem) } }
        @if let Some(listing) = &listing {
            @let first = query.offset + 1;
            @let last = query.offset + listing.posts.len() as u64;
            @if listing.posts.is_empty() {
                p.muted.no-posts {
                    @if listing.total == 0 { "No posts match." } @else { "No posts on this page: " (listing.total) " match in all." }
                }
            } @else {
                p.count { "Posts " (first) "–" (last) " of " span.total { (listing.total) } "." }
                div.scroll {
                    table.posts {
                        thead { tr {
                            th { (header("Published", PostSort::Published, Some("UTC"))) }
                            th { "Channel" }
                            th { "Text" }
                            th.num { (header("Impressions", PostSort::Impressions, None)) }
                            th.num { (header("Engagements", PostSort::Engagements, Some("the platform's total, else reactions + comments + shares + clicks + saves"))) }
                            th.num { (header("Engagement rate", PostSort::EngagementRate, Some("engagements ÷ impressions of the post"))) }
                            th { "Figures" }
                        } }
                        tbody { @for p in &listing.posts { (row(p, &name_of(&p.channel))) } }
                    }
                }
                nav.pager {
                    @if page_no > 1 { a.prev href=(params.link(sort, descending, page_no - 1)) { "← previous" } }
                    @if last < listing.total { a.next href=(params.link(sort, descending, page_no + 1)) { "next →" } }
                }
            }
        }
    };
    let markup = layout_filtered("Posts", Some(&signed_in), html! {}, Some(&filter), body);
    let status = if problem.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(page(status, markup))
}

/// One post's row; its figures also as `data-` attributes (what the tests read).
fn row(p: &ListedPost, channel_name: &str) -> Markup {
    let count = |v: Option<i64>| v.map_or_else(|| "-".to_string(), |v| figures::decimal(v as f64, 0));
    let text = p.text.as_deref().unwrap_or("");
    let shown: String = text.chars().take(TEXT_CHARS).collect();
    let cut = text.chars().count() > TEXT_CHARS;
    let link = p.url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    html! {
        tr data-channel=(p.channel) data-post=(p.post_id)
            data-impressions=(p.impressions.map(|v| v.to_string()).unwrap_or_default())
            data-engagements=(p.engagements.map(|v| v.to_string()).unwrap_or_default())
            data-rate=(p.engagement_rate.map(|v| v.to_string()).unwrap_or_default()) {
            td { @match p.published_at {
                Some(at) => (at.format("%Y-%m-%d %H:%M")),
                None => span.muted { "no date" },
            } }
            td { (channel_name) @if let Some(t) = &p.post_type { br; small.muted { (t) } } }
            td.text {
                (shown) @if cut { "…" }
                @if let Some(url) = link { br; a href=(url) rel="noopener noreferrer nofollow" { "open the post" } }
            }
            td.num { (count(p.impressions)) }
            td.num { (count(p.engagements)) }
            td.num { (p.engagement_rate.map_or_else(|| "-".to_string(), |r| figures::percent(r, 2))) }
            td { small.muted { @match p.source {
                FiguresSource::Lifetime => { "lifetime snapshot" @if let Some(d) = p.metrics_date { " of " (d) } },
                FiguresSource::Days => { "sum of daily rows" @if let Some(d) = p.metrics_date { " to " (d) } },
                FiguresSource::None => { "no metrics" },
            } } }
        }
    }
}
