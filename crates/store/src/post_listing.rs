//! One page of posts with their figures, filtered, sorted and paged in the database: what the web app's Posts
//! page reads, so that no request loads every post.
//!
//! The figures follow `socialledger_analytics::engagement::post_engagement` (the web app's tests hold the two
//! equal on both backends): a post's counters are its latest lifetime snapshot (on equal dates the greatest
//! period name, as the natural-key order the analytics read gives last), else the sum of its daily rows; its
//! engagements are the platform's total where a row reports one, else reactions + comments + shares + clicks +
//! saves; its engagement rate is engagements ÷ impressions, none without impressions (or with zero). This is the
//! one place the store computes figures in SQL: sorting and paging by them needs them in the database. The SQL
//! uses only what SQLite (3.25+) and PostgreSQL share (window functions, `CAST(SUM(..) AS BIGINT)`), every value
//! the visitor gives is a bound parameter, and the `ORDER BY` comes from [`PostSort`], never from the request.

use crate::error::query_error;
use crate::{codec, Result, Store, StoreError};
use socialledger_domain::{Date, Timestamp};

/// The column a post listing is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PostSort {
    /// Publication time.
    #[default]
    Published,
    Impressions,
    Engagements,
    /// Engagements ÷ impressions.
    EngagementRate,
}

impl PostSort {
    pub const ALL: &'static [PostSort] =
        &[PostSort::Published, PostSort::Impressions, PostSort::Engagements, PostSort::EngagementRate];

    /// The name in URLs (`?sort=`).
    pub fn as_str(&self) -> &'static str {
        match self {
            PostSort::Published => "date",
            PostSort::Impressions => "impressions",
            PostSort::Engagements => "engagements",
            PostSort::EngagementRate => "rate",
        }
    }

    /// The sort of a URL's `?sort=`, or `None` for a name that is none.
    pub fn parse(name: &str) -> Option<PostSort> {
        PostSort::ALL.iter().copied().find(|s| s.as_str() == name)
    }

    fn column(&self) -> &'static str {
        match self {
            PostSort::Published => "published_at",
            PostSort::Impressions => "impressions",
            PostSort::Engagements => "engagements",
            PostSort::EngagementRate => "rate",
        }
    }
}

/// Which posts, in which order, which page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostQuery {
    /// Only this channel's posts.
    pub channel: Option<String>,
    /// Only posts published on or after this day (UTC); posts without a date are then left out.
    pub from: Option<Date>,
    /// Only posts published on or before this day (UTC); posts without a date are then left out.
    pub to: Option<Date>,
    /// Only posts whose text contains this, ignoring ASCII case (`%` and `_` are matched as themselves).
    pub search: Option<String>,
    pub sort: PostSort,
    /// Largest first (posts without the figure always come last).
    pub descending: bool,
    /// Posts per page (1 to [`MAX_PAGE_SIZE`]).
    pub limit: u32,
    /// Posts skipped before the page.
    pub offset: u64,
}

/// The most posts one page may hold.
pub const MAX_PAGE_SIZE: u32 = 500;

impl Default for PostQuery {
    fn default() -> Self {
        PostQuery {
            channel: None,
            from: None,
            to: None,
            search: None,
            sort: PostSort::Published,
            descending: true,
            limit: 50,
            offset: 0,
        }
    }
}

/// Where a post's counters come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FiguresSource {
    /// The latest lifetime snapshot.
    Lifetime,
    /// The sum of the daily rows.
    Days,
    /// No metrics rows.
    None,
}

/// One post of a page, with its figures.
#[derive(Clone, Debug, PartialEq)]
pub struct ListedPost {
    pub channel: String,
    pub post_id: String,
    pub published_at: Option<Timestamp>,
    pub post_type: Option<String>,
    /// Untrusted text from outside: escape before showing.
    pub text: Option<String>,
    /// Untrusted URL from outside.
    pub url: Option<String>,
    pub source: FiguresSource,
    /// The lifetime snapshot's date, or the last daily row's.
    pub metrics_date: Option<Date>,
    pub impressions: Option<i64>,
    pub engagements: Option<i64>,
    /// engagements ÷ impressions of this post.
    pub engagement_rate: Option<f64>,
}

/// One page of posts and how many posts the filter selects in all.
#[derive(Clone, Debug, PartialEq)]
pub struct PostPage {
    pub posts: Vec<ListedPost>,
    pub total: u64,
}

/// Every post (of `posts` or only of `post_metrics`) with its figures, as the columns the filter, the sort and the
/// page read.
const LISTED: &str = "\
WITH keys AS (
    SELECT channel, external_id AS post_id FROM posts
    UNION
    SELECT channel, post_id FROM post_metrics
),
row_figures AS (
    SELECT channel, post_id, date, period, impressions,
        CASE WHEN engagements IS NOT NULL THEN engagements
             WHEN reactions IS NULL AND comments IS NULL AND shares IS NULL AND clicks IS NULL AND saves IS NULL
                 THEN NULL
             ELSE COALESCE(reactions, 0) + COALESCE(comments, 0) + COALESCE(shares, 0) + COALESCE(clicks, 0)
                 + COALESCE(saves, 0)
        END AS engagements
    FROM post_metrics
),
lifetime AS (
    SELECT channel, post_id, date, impressions, engagements,
        ROW_NUMBER() OVER (PARTITION BY channel, post_id ORDER BY date DESC, period DESC) AS latest
    FROM row_figures WHERE period <> 'day'
),
figures AS (
    SELECT channel, post_id, 'lifetime' AS source, date, impressions, engagements FROM lifetime WHERE latest = 1
    UNION ALL
    SELECT channel, post_id, 'days' AS source, MAX(date), CAST(SUM(impressions) AS BIGINT),
        CAST(SUM(engagements) AS BIGINT)
    FROM row_figures d
    WHERE period = 'day' AND NOT EXISTS
        (SELECT 1 FROM post_metrics l WHERE l.channel = d.channel AND l.post_id = d.post_id AND l.period <> 'day')
    GROUP BY channel, post_id
),
listed AS (
    SELECT k.channel, k.post_id, p.published_at, p.post_type, p.text, p.url,
        COALESCE(f.source, 'none') AS source, f.date AS metrics_date, f.impressions, f.engagements,
        CASE WHEN f.impressions <> 0 AND f.engagements IS NOT NULL
            THEN CAST(f.engagements AS DOUBLE PRECISION) / f.impressions END AS rate
    FROM keys k
    LEFT JOIN posts p ON p.channel = k.channel AND p.external_id = k.post_id
    LEFT JOIN figures f ON f.channel = k.channel AND f.post_id = k.post_id
)";

/// The filter of [`LISTED`]'s rows: `$1` channel, `$2` first instant, `$3` instant after the last day, `$4` the
/// lower-cased `LIKE` pattern; `''` for "any".
const FILTER: &str = "\
WHERE ($1 = '' OR channel = $1)
  AND ($2 = '' OR published_at >= $2)
  AND ($3 = '' OR published_at < $3)
  AND ($4 = '' OR LOWER(COALESCE(text, '')) LIKE $4 ESCAPE '\\')";

type Row = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<f64>,
);

/// `%text%` for `LIKE`, lower-cased, with `\`, `%` and `_` escaped so they match themselves.
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Store {
    /// One page of posts with their figures (see the module docs), and how many the filter selects.
    pub async fn post_page(&self, query: &PostQuery) -> Result<PostPage> {
        let channel = query.channel.clone().unwrap_or_default();
        let from = query.from.map(codec::date_text).unwrap_or_default();
        // Published before the day after `to`: timestamps are fixed-width text, so text order is time order.
        let until = query.to.and_then(|d| d.succ_opt()).map(codec::date_text).unwrap_or_default();
        let search = query.search.as_deref().filter(|s| !s.is_empty()).map(like_pattern).unwrap_or_default();
        let doing = "reading a page of posts";
        let total: i64 = sqlx::query_scalar(&format!("{LISTED} SELECT COUNT(*) FROM listed {FILTER}"))
            .bind(channel.as_str())
            .bind(from.as_str())
            .bind(until.as_str())
            .bind(search.as_str())
            .fetch_one(&self.pool)
            .await
            .map_err(query_error(doing))?;
        let column = query.sort.column();
        let direction = if query.descending { "DESC" } else { "ASC" };
        let sql = format!(
            "{LISTED} SELECT channel, post_id, published_at, post_type, text, url, source, metrics_date, \
             impressions, engagements, rate FROM listed {FILTER} \
             ORDER BY ({column} IS NULL), {column} {direction}, channel, post_id LIMIT $5 OFFSET $6"
        );
        let limit = i64::from(query.limit.clamp(1, MAX_PAGE_SIZE));
        let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
        let rows: Vec<Row> = sqlx::query_as(&sql)
            .bind(channel.as_str())
            .bind(from.as_str())
            .bind(until.as_str())
            .bind(search.as_str())
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await
            .map_err(query_error(doing))?;
        let posts = rows.into_iter().map(listed_post).collect::<Result<Vec<_>>>()?;
        Ok(PostPage { posts, total: u64::try_from(total).unwrap_or(0) })
    }
}

fn listed_post(row: Row) -> Result<ListedPost> {
    let (channel, post_id, published_at, post_type, text, url, source, metrics_date, impressions, engagements, rate) =
        row;
    let corrupt = |table: &'static str, column: &'static str, value: &str, reason: &str| StoreError::Corrupt {
        table,
        column,
        value: value.to_string(),
        reason: reason.to_string(),
    };
    let published_at = match published_at {
        Some(t) => Some(codec::parse_timestamp(&t).map_err(|r| corrupt("posts", "published_at", &t, r))?),
        None => None,
    };
    let metrics_date = match metrics_date {
        Some(d) => codec::parse_date_key(&d).map_err(|r| corrupt("post_metrics", "date", &d, r))?,
        None => None,
    };
    let source = match source.as_str() {
        "lifetime" => FiguresSource::Lifetime,
        "days" => FiguresSource::Days,
        _ => FiguresSource::None,
    };
    Ok(ListedPost {
        channel,
        post_id,
        published_at,
        post_type,
        text,
        url,
        source,
        metrics_date,
        impressions,
        engagements,
        engagement_rate: rate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_match_wildcards_as_themselves() {
        assert_eq!(like_pattern("50%_Off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(like_pattern(""), "%%");
    }

    #[test]
    fn sort_names_round_trip() {
        for s in PostSort::ALL {
            assert_eq!(PostSort::parse(s.as_str()), Some(*s));
        }
        assert_eq!(PostSort::parse("published_at; DROP TABLE posts"), None);
    }
}
