//! The analysis load of touchpoints from PostgreSQL through a second, native connection that streams them with
//! `COPY ... TO STDOUT` in the pool's own snapshot.
//!
//! **Why not through the pool.** The pool speaks sqlx's `Any` driver: every row is decoded into a `PgRow`, then
//! converted into an `AnyRow` with owned values, then read. With ten million touchpoints that conversion and its
//! allocations took most of the client's time (docs/benchmarks.md). `COPY` sends the rows as text lines, which
//! are split here in place and go through the same decoding as the pool's reader ([`crate::load::push_touch`]).
//!
//! **Why the result is one snapshot.** The pool's read transaction (REPEATABLE READ) exports its snapshot with
//! `pg_export_snapshot()`; this connection adopts it with `SET TRANSACTION SNAPSHOT` before copying, so both
//! read exactly the same database state, while the pool reads the other tables at the same time.

use crate::load::{corrupt_touch, push_touch, touches_count_sql, touches_sql, TouchRow};
use crate::{Result, StoreError};
use futures_util::TryStreamExt;
use socialledger_domain::Touches;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{Connection, Executor};
use std::borrow::Cow;

fn fail(doing: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |cause| StoreError::Query { doing: doing.to_string(), cause }
}

/// Every touchpoint's analysis columns in key order, read on a new connection inside the exported snapshot
/// `snapshot` (which the exporting transaction keeps alive until this returns).
pub(crate) async fn touches(options: &PgConnectOptions, snapshot: &str) -> Result<Touches> {
    let reading = fail("reading touchpoints");
    let mut conn = PgConnection::connect_with(options).await.map_err(fail("connecting to read touchpoints"))?;
    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await.map_err(&reading)?;
    // `SET TRANSACTION SNAPSHOT` takes no parameters; the id comes from the server (`pg_export_snapshot()`,
    // hex digits and dashes) and is checked to be nothing else before it is written into the statement.
    if snapshot.is_empty() || !snapshot.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        return Err(StoreError::Query {
            doing: format!("adopting the snapshot {snapshot:?}"),
            cause: sqlx::Error::Protocol("pg_export_snapshot() returned an unexpected id".into()),
        });
    }
    conn.execute(format!("SET TRANSACTION SNAPSHOT '{snapshot}'").as_str()).await.map_err(&reading)?;
    let count: i64 = sqlx::query_scalar(&touches_count_sql()).fetch_one(&mut conn).await.map_err(&reading)?;
    let mut out = Touches::with_capacity(usize::try_from(count).unwrap_or(0));
    let copy = format!("COPY ({}) TO STDOUT", touches_sql());
    {
        let mut chunks = conn.copy_out_raw(&copy).await.map_err(&reading)?;
        // A chunk is one or more whole lines in practice; a line split across chunks is joined here anyway.
        let mut pending: Vec<u8> = Vec::new();
        while let Some(chunk) = chunks.try_next().await.map_err(&reading)? {
            let mut data: &[u8] = &chunk;
            if !pending.is_empty() {
                pending.extend_from_slice(data);
                let complete = pending.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                let rest = pending.split_off(complete);
                decode_lines(&mut out, &pending)?;
                pending = rest;
                continue;
            }
            let complete = data.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            decode_lines(&mut out, &data[..complete])?;
            data = &data[complete..];
            pending.extend_from_slice(data);
        }
        if !pending.is_empty() {
            return Err(corrupt_touch(0, &String::from_utf8_lossy(&pending), "a COPY row without its end".into()));
        }
    }
    let _ = conn.execute("ROLLBACK").await;
    let _ = conn.close().await;
    out.shrink_to_fit();
    Ok(out)
}

/// Decodes whole lines of COPY text (fields separated by tabs, `\N` for NULL, backslash escapes).
fn decode_lines(out: &mut Touches, lines: &[u8]) -> Result<()> {
    for line in lines.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let mut fields: [Option<Cow<'_, str>>; 6] = Default::default();
        let mut n = 0;
        for raw in line.split(|&b| b == b'\t') {
            if n == fields.len() {
                return Err(corrupt_touch(5, &String::from_utf8_lossy(line), "more fields than selected".into()));
            }
            fields[n] = field(raw, n)?;
            n += 1;
        }
        if n != fields.len() {
            return Err(corrupt_touch(n, &String::from_utf8_lossy(line), "fewer fields than selected".into()));
        }
        let touch = TouchRow::read(|i| Ok(fields[i].as_deref()))?;
        push_touch(out, &touch)?;
    }
    Ok(())
}

/// One field of COPY text: `None` for `\N`, else the text with PostgreSQL's escapes undone (borrowed when there
/// are none, as nearly always).
fn field(raw: &[u8], i: usize) -> Result<Option<Cow<'_, str>>> {
    if raw == b"\\N" {
        return Ok(None);
    }
    let bad = |reason: String| corrupt_touch(i, &String::from_utf8_lossy(raw), reason);
    if !raw.contains(&b'\\') {
        return std::str::from_utf8(raw).map(|s| Some(Cow::Borrowed(s))).map_err(|e| bad(e.to_string()));
    }
    let mut bytes = Vec::with_capacity(raw.len());
    let mut it = raw.iter().copied().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        let Some(e) = it.next() else { return Err(bad("a backslash at the end of a COPY field".into())) };
        match e {
            b'b' => bytes.push(0x08),
            b'f' => bytes.push(0x0c),
            b'n' => bytes.push(b'\n'),
            b'r' => bytes.push(b'\r'),
            b't' => bytes.push(b'\t'),
            b'v' => bytes.push(0x0b),
            b'0'..=b'7' => {
                // Up to three octal digits.
                let mut value = u32::from(e - b'0');
                for _ in 0..2 {
                    match it.peek() {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            it.next();
                        }
                        _ => break,
                    }
                }
                bytes.push(u8::try_from(value).map_err(|_| bad("an octal escape above 255".into()))?);
            }
            b'x' => {
                let mut value = 0u32;
                let mut digits = 0;
                while digits < 2 {
                    match it.peek().and_then(|d| char::from(*d).to_digit(16)) {
                        Some(d) => {
                            value = value * 16 + d;
                            it.next();
                            digits += 1;
                        }
                        None => break,
                    }
                }
                if digits == 0 {
                    bytes.push(b'x');
                } else {
                    bytes.push(value as u8);
                }
            }
            // Any other escaped byte stands for itself (`\\` among them).
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).map(|s| Some(Cow::Owned(s))).map_err(|e| bad(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_fields_are_unescaped_as_postgres_escapes_them() {
        assert_eq!(field(b"\\N", 0).unwrap(), None);
        assert_eq!(field(b"plain", 0).unwrap().as_deref(), Some("plain"));
        assert_eq!(field(b"a\\tb\\\\c\\nd\\re", 0).unwrap().as_deref(), Some("a\tb\\c\nd\re"));
        assert_eq!(field(b"\\101\\x42\\b\\f\\v", 0).unwrap().as_deref(), Some("AB\x08\x0c\x0b"));
        // `\N` only as the whole field means NULL.
        assert_eq!(field(b"x\\N", 0).unwrap().as_deref(), Some("xN"));
        assert!(field(b"dangling\\", 0).is_err());
        assert!(field(b"\\777", 0).is_err());
    }

    #[test]
    fn lines_decode_into_touches_and_malformed_lines_are_errors() {
        let mut out = Touches::default();
        let lines = b"2025-03-01T09:30:00.000000000Z\tlinkedin\t\\N\tc-1\t\\N\tengagement\n\
                      2025-03-02T09:30:00.000000000Z\tx\tacc\\t1\t\\N\td-1\timpression\n";
        decode_lines(&mut out, lines).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out.channel_key(0).as_ref(), "linkedin");
        assert_eq!(out.account(0), None);
        assert_eq!(out.contact(0).map(|c| out.contacts().name(c).to_string()).as_deref(), Some("c-1"));
        assert_eq!(out.account(1).map(|a| out.accounts().name(a).to_string()).as_deref(), Some("acc\t1"));
        assert!(decode_lines(&mut out, b"2025-03-01T09:30:00.000000000Z\tlinkedin\n").is_err());
        assert!(decode_lines(&mut out, b"a\tb\tc\td\te\tf\tg\n").is_err());
        assert!(decode_lines(&mut out, b"2025-03-01T09:30:00.000000000Z\t\\N\t\\N\t\\N\t\\N\tengagement\n").is_err());
    }
}
