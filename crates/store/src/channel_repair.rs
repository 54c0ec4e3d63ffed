//! Repairs of channel identity after the fact: renaming a channel's display name, and merging the records of one
//! account that landed on two channels into one of them (`socialledger channels rename|merge`).
//!
//! A merge runs in one transaction and is recorded in `imports` (format `channels-merge`), so the imports history
//! tells where the records of a vanished channel went. Every table with a channel column is moved; where both
//! channels hold a row with the same natural key (the same post, the same day), the rows become one: INTO's values
//! win where both have a value, FROM's fill the gaps (the rule `channel_days` follows for several sources), and the
//! FROM row is dropped. INTO takes FROM's network, handle and account kind where it has none, and when it has a
//! handle of its own, FROM's becomes an alias of INTO (`channel_aliases`); either way exports of FROM's
//! account keep landing on INTO.

use crate::error::query_error;
use crate::location::Backend;
use crate::tables::Table;
use crate::{codec, Result, Store, StoreError};
use serde::Serialize;
use socialledger_domain::{
    Activity, AudienceSlice, Channel, ChannelAlias, ChannelDay, Conversation, CostItem, Network, Post, PostMetrics,
    TimeEntry, Touchpoint,
};
use sqlx::AnyConnection;

/// The format recorded in `imports` for a merge.
pub const MERGE_FORMAT: &str = "channels-merge";

/// What [`Store::merge_channels`] did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChannelMerge {
    /// The `imports` row recording the merge (moved rows carry it as their `import_id`).
    pub import_id: i64,
    pub from: String,
    pub into: String,
    /// Per table with a channel column, in schema order.
    pub tables: Vec<MergeCounts>,
}

/// Rows of one table that a merge moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MergeCounts {
    pub table: &'static str,
    /// FROM's rows now on INTO.
    pub moved: u64,
    /// FROM's rows whose natural key INTO already had: merged into INTO's row (INTO's values win), then dropped.
    pub merged: u64,
}

impl ChannelMerge {
    /// Every row the merge touched.
    pub fn total(&self) -> u64 {
        self.tables.iter().map(|t| t.moved + t.merged).sum()
    }
}

impl Store {
    /// Every channel alias (handles of merged-away accounts), sorted by network and handle.
    pub async fn channel_aliases(&self) -> Result<Vec<ChannelAlias>> {
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT network, handle, channel FROM channel_aliases ORDER BY network, handle")
                .fetch_all(&self.pool)
                .await
                .map_err(query_error("reading channel aliases"))?;
        rows.into_iter()
            .map(|(network, handle, channel)| {
                let network = Network::parse(&network).map_err(|e| StoreError::Corrupt {
                    table: "channel_aliases",
                    column: "network",
                    value: network.clone(),
                    reason: e.to_string(),
                })?;
                Ok(ChannelAlias { network, handle, channel })
            })
            .collect()
    }

    /// Sets the display name of channel `key` (the key, which records refer to, stays). Returns the channel.
    pub async fn rename_channel(&self, key: &str, name: &str) -> Result<Channel> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::InvalidRecord {
                table: Channel::NAME,
                record: format!("{key:?}"),
                reason: "the new name is empty".into(),
            });
        }
        let done = sqlx::query("UPDATE channels SET name = $1 WHERE key = $2")
            .bind(name)
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(query_error(format!("renaming channel {key}")))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NoSuchChannel { key: key.to_string() });
        }
        let channels = self.channels().await?;
        channels.into_iter().find(|c| c.key == key).ok_or_else(|| StoreError::NoSuchChannel { key: key.to_string() })
    }

    /// Moves every record of channel `from` onto channel `into` and deletes `from`, in one transaction recorded in
    /// `imports`. See the module documentation for rows that exist on both.
    pub async fn merge_channels(&self, from: &str, into: &str) -> Result<ChannelMerge> {
        if from == into {
            return Err(StoreError::MergeIntoItself { key: from.to_string() });
        }
        let begin = match self.backend() {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        let doing = format!("merging channel {from} into {into}");
        let mut tx = self.pool.begin_with(begin).await.map_err(query_error(doing.clone()))?;
        let outcome = merge(&mut tx, from, into, &doing).await;
        match outcome {
            Ok(m) => {
                tx.commit().await.map_err(query_error(doing))?;
                Ok(m)
            }
            Err(e) => {
                let _ = tx.rollback().await;
                Err(e)
            }
        }
    }
}

async fn merge(conn: &mut AnyConnection, from: &str, into: &str, doing: &str) -> Result<ChannelMerge> {
    for key in [from, into] {
        let found: Option<String> = sqlx::query_scalar("SELECT key FROM channels WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *conn)
            .await
            .map_err(query_error(doing))?;
        if found.is_none() {
            return Err(StoreError::NoSuchChannel { key: key.to_string() });
        }
    }
    let now = codec::timestamp_text(chrono::Utc::now());
    // Unique per merge: the same pair can be merged again after a later import split it anew.
    let hash = format!("{MERGE_FORMAT}:{from}:{into}:{now}");
    let import_id: i64 = sqlx::query_scalar(
        "INSERT INTO imports (file_name, format, content_hash, rows, imported_at) VALUES ($1, $2, $3, 0, $4) \
         RETURNING id",
    )
    .bind(format!("channels merge {from} into {into}"))
    .bind(MERGE_FORMAT)
    .bind(hash.as_str())
    .bind(now.as_str())
    .fetch_one(&mut *conn)
    .await
    .map_err(query_error(doing))?;

    let ids = Ids { from, into, import_id };
    let tables = vec![
        keyed::<Post>(conn, &ids, "channel", &[]).await,
        keyed::<PostMetrics>(conn, &ids, "channel", &[]).await,
        keyed::<ChannelDay>(conn, &ids, "channel", &[]).await,
        keyed::<AudienceSlice>(conn, &ids, "channel", &[]).await,
        unkeyed::<Activity>(conn, &ids).await,
        unkeyed::<TimeEntry>(conn, &ids).await,
        keyed::<CostItem>(conn, &ids, "channel_key", &["channel"]).await,
        unkeyed::<Touchpoint>(conn, &ids).await,
        keyed::<Conversation>(conn, &ids, "channel", &[]).await,
    ];
    let tables = tables.into_iter().collect::<std::result::Result<Vec<_>, _>>().map_err(query_error(doing))?;

    // FROM's handle keeps naming the account: as INTO's own handle when INTO has none, else as an alias of INTO.
    // Aliases of FROM (from earlier merges) now name INTO.
    let identity = |key: &str| {
        sqlx::query_as::<_, (Option<String>, Option<String>)>("SELECT network, handle FROM channels WHERE key = $1")
            .bind(key.to_string())
    };
    let (from_network, from_handle) = identity(from).fetch_one(&mut *conn).await.map_err(query_error(doing))?;
    let (_, into_handle) = identity(into).fetch_one(&mut *conn).await.map_err(query_error(doing))?;
    sqlx::query("UPDATE channel_aliases SET channel = $2, import_id = $3 WHERE channel = $1")
        .bind(from)
        .bind(into)
        .bind(import_id)
        .execute(&mut *conn)
        .await
        .map_err(query_error(doing))?;
    let norm = |h: &str| h.trim().trim_start_matches('@').to_lowercase();
    if let (Some(network), Some(handle), Some(own)) = (from_network, from_handle.as_deref(), into_handle.as_deref()) {
        if norm(handle) != norm(own) && !norm(handle).is_empty() {
            sqlx::query(
                "INSERT INTO channel_aliases (network, handle, channel, import_id) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (network, handle) DO UPDATE SET channel = excluded.channel, import_id = excluded.import_id",
            )
            .bind(network)
            .bind(norm(handle))
            .bind(into)
            .bind(import_id)
            .execute(&mut *conn)
            .await
            .map_err(query_error(doing))?;
        }
    }

    // INTO keeps its name and kind, and takes FROM's identity where it has none.
    let fill = |col: &str| format!("{col} = COALESCE({col}, (SELECT f.{col} FROM channels f WHERE f.key = $1))");
    let sql = format!(
        "UPDATE channels SET {}, {}, {}, import_id = $3 WHERE key = $2",
        fill("network"),
        fill("handle"),
        fill("account")
    );
    sqlx::query(&sql).bind(from).bind(into).bind(import_id).execute(&mut *conn).await.map_err(query_error(doing))?;
    sqlx::query("DELETE FROM channels WHERE key = $1")
        .bind(from)
        .execute(&mut *conn)
        .await
        .map_err(query_error(doing))?;

    let merge = ChannelMerge { import_id, from: from.to_string(), into: into.to_string(), tables };
    let rows = i64::try_from(merge.total()).unwrap_or(i64::MAX);
    sqlx::query("UPDATE imports SET rows = $1 WHERE id = $2")
        .bind(rows)
        .bind(import_id)
        .execute(&mut *conn)
        .await
        .map_err(query_error(doing))?;
    Ok(merge)
}

struct Ids<'a> {
    from: &'a str,
    into: &'a str,
    import_id: i64,
}

/// A table whose natural key holds the channel (`channel_col`): rows on both channels are merged, the rest moved.
/// `also` are further columns that hold the channel key (`cost_items.channel`, which must equal `channel_key`).
async fn keyed<T: Table>(
    conn: &mut AnyConnection,
    ids: &Ids<'_>,
    channel_col: &str,
    also: &[&str],
) -> std::result::Result<MergeCounts, sqlx::Error> {
    let table = T::NAME;
    let twin = |alias: &str| -> String {
        T::KEY
            .iter()
            .filter(|k| **k != channel_col)
            .map(|k| format!(" AND {alias}.{k} = {table}.{k}"))
            .collect::<String>()
    };
    let twin_from = format!("SELECT {{col}} FROM {table} f WHERE f.{channel_col} = $1{}", twin("f"));
    let values: Vec<String> = T::COLUMNS
        .iter()
        .filter(|c| !T::KEY.contains(c) && !also.contains(c))
        .map(|c| format!("{c} = COALESCE({c}, ({}))", twin_from.replace("{col}", &format!("f.{c}"))))
        .collect();
    let exists_from = twin_from.replace("{col}", "1");
    // 1. INTO's rows that FROM also has take FROM's values where they have none.
    if !values.is_empty() {
        let sql = format!(
            "UPDATE {table} SET {}, import_id = $3 WHERE {channel_col} = $2 AND EXISTS ({exists_from})",
            values.join(", ")
        );
        sqlx::query(&sql).bind(ids.from).bind(ids.into).bind(ids.import_id).execute(&mut *conn).await?;
    }
    // 2. FROM's copies of them go.
    let sql = format!(
        "DELETE FROM {table} WHERE {channel_col} = $1 AND EXISTS (SELECT 1 FROM {table} i WHERE i.{channel_col} = $2{})",
        twin("i")
    );
    let merged = sqlx::query(&sql).bind(ids.from).bind(ids.into).execute(&mut *conn).await?.rows_affected();
    // 3. The rest moves.
    let sets: String = also.iter().map(|c| format!(", {c} = $2")).collect();
    let sql = format!("UPDATE {table} SET {channel_col} = $2{sets}, import_id = $3 WHERE {channel_col} = $1");
    let moved =
        sqlx::query(&sql).bind(ids.from).bind(ids.into).bind(ids.import_id).execute(&mut *conn).await?.rows_affected();
    Ok(MergeCounts { table, moved, merged })
}

/// A table that refers to a channel outside its natural key: the rows move.
async fn unkeyed<T: Table>(conn: &mut AnyConnection, ids: &Ids<'_>) -> std::result::Result<MergeCounts, sqlx::Error> {
    let sql = format!("UPDATE {} SET channel = $2, import_id = $3 WHERE channel = $1", T::NAME);
    let moved =
        sqlx::query(&sql).bind(ids.from).bind(ids.into).bind(ids.import_id).execute(&mut *conn).await?.rows_affected();
    Ok(MergeCounts { table: T::NAME, moved, merged: 0 })
}
