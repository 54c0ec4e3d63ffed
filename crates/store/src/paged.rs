//! Tables read a page at a time (the JSON API and the exports), with the total to page through: `LIMIT`/`OFFSET`
//! in natural-key order, so that a request never loads a whole table.

use crate::audit::AuditEntry;
use crate::error::query_error;
use crate::load::{begin_snapshot, select};
use crate::tables::{Reader, Table};
use crate::time_tracking::TrackedEntry;
use crate::{Result, Store, StoreError};
use futures_util::TryStreamExt;
use socialledger_domain::{Channel, Post, PostMetrics};
use sqlx::AnyConnection;

/// Which rows: at most `limit` after skipping `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u64,
    pub offset: u64,
}

/// One page of rows and how many rows there are in all.
#[derive(Clone, Debug, PartialEq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// A post with every metrics row stored for it (lifetime snapshots and daily increments), in key order.
#[derive(Clone, Debug, PartialEq)]
pub struct PostWithMetrics {
    pub post: Post,
    pub metrics: Vec<PostMetrics>,
}

impl PageRequest {
    fn bounds(&self) -> (i64, i64) {
        let clamp = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        (clamp(self.limit), clamp(self.offset))
    }
}

async fn count(conn: &mut AnyConnection, sql: &str, what: &str) -> Result<u64> {
    let n: i64 =
        sqlx::query_scalar(sql).fetch_one(&mut *conn).await.map_err(query_error(format!("counting {what}")))?;
    Ok(n.max(0) as u64)
}

/// Reads the records a query of `T`'s columns (in [`Table::COLUMNS`] order) returns.
async fn records<T: Table>(conn: &mut AnyConnection, sql: &str, page: PageRequest) -> Result<Vec<T>> {
    let (limit, offset) = page.bounds();
    let fail = |cause| StoreError::Query { doing: format!("reading {}", T::NAME), cause };
    let mut out = Vec::new();
    let mut rows = sqlx::query(sql).bind(limit).bind(offset).fetch(&mut *conn);
    while let Some(row) = rows.try_next().await.map_err(fail)? {
        out.push(T::read(&mut Reader::new(&row, T::NAME, T::COLUMNS))?);
    }
    Ok(out)
}

impl Store {
    /// A page of channels, by key.
    pub async fn channels_page(&self, page: PageRequest) -> Result<Paged<Channel>> {
        let mut tx =
            self.pool.begin_with(begin_snapshot(self.backend())).await.map_err(query_error("reading channels"))?;
        let total = count(&mut tx, &format!("SELECT COUNT(*) FROM {}", Channel::NAME), "channels").await?;
        let items = records::<Channel>(&mut tx, &format!("{} LIMIT $1 OFFSET $2", select::<Channel>()), page).await?;
        let _ = tx.rollback().await;
        Ok(Paged { items, total })
    }

    /// A page of posts by (channel, id), each with its metrics rows: two queries, the second joined to the same
    /// page of posts, in one snapshot.
    pub async fn posts_page(&self, page: PageRequest) -> Result<Paged<PostWithMetrics>> {
        let mut tx =
            self.pool.begin_with(begin_snapshot(self.backend())).await.map_err(query_error("reading posts"))?;
        let total = count(&mut tx, &format!("SELECT COUNT(*) FROM {}", Post::NAME), "posts").await?;
        let posts = records::<Post>(&mut tx, &format!("{} LIMIT $1 OFFSET $2", select::<Post>()), page).await?;
        let columns: Vec<String> = PostMetrics::COLUMNS.iter().map(|c| format!("m.{c}")).collect();
        let keys: Vec<String> = PostMetrics::KEY.iter().map(|c| format!("m.{c}")).collect();
        let sql = format!(
            "SELECT {} FROM {} m JOIN (SELECT channel, external_id FROM {} ORDER BY {} LIMIT $1 OFFSET $2) p \
             ON p.channel = m.channel AND p.external_id = m.post_id ORDER BY {}",
            columns.join(", "),
            PostMetrics::NAME,
            Post::NAME,
            Post::KEY.join(", "),
            keys.join(", ")
        );
        let mut metrics = records::<PostMetrics>(&mut tx, &sql, page).await?.into_iter().peekable();
        let _ = tx.rollback().await;
        // Both come in (channel, post id) order: hand each post the run of rows with its key.
        let items = posts
            .into_iter()
            .map(|post| {
                let mut own = Vec::new();
                while let Some(m) = metrics.next_if(|m| m.channel == post.channel && m.post_id == post.external_id) {
                    own.push(m);
                }
                PostWithMetrics { post, metrics: own }
            })
            .collect();
        Ok(Paged { items, total })
    }

    /// A page of tracked time entries, newest day first: the user's own (`Some(id)`) or everyone's (`None`).
    pub async fn tracked_entries_page(&self, user_id: Option<i64>, page: PageRequest) -> Result<Paged<TrackedEntry>> {
        let mut conn = self.pool.acquire().await.map_err(query_error("reading tracked time"))?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tracked_time WHERE ($1 IS NULL OR user_id = $1)")
            .bind(user_id)
            .fetch_one(&mut *conn)
            .await
            .map_err(query_error("counting tracked time"))?;
        let items = crate::time_tracking::entries_page(&mut conn, user_id, page.bounds()).await?;
        Ok(Paged { items, total: total.max(0) as u64 })
    }

    /// A page of the audit log, newest first.
    pub async fn audit_page(&self, page: PageRequest) -> Result<Paged<AuditEntry>> {
        let mut conn = self.pool.acquire().await.map_err(query_error("reading the audit log"))?;
        let total = count(&mut conn, "SELECT COUNT(*) FROM audit_log", "audit log entries").await?;
        let items = crate::audit::entries_page(&mut conn, page.bounds()).await?;
        Ok(Paged { items, total })
    }
}
