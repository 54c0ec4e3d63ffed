//! How domain values are spelled in the database: dates, timestamps and "not reported" sentinels as portable TEXT.
//!
//! Both backends store exactly these strings, so what SQLite and PostgreSQL give back is byte-identical and sorts
//! the same way (fixed width, big-endian fields, compared as bytes).

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use socialledger_domain::{Date, Timestamp};

/// A calendar date as `YYYY-MM-DD` (years 0000 to 9999, which keeps the width fixed).
pub(crate) fn date_text(date: Date) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// An optional date in a natural-key column: `''` for "not reported" (a NULL would never conflict in the key).
pub(crate) fn date_key_text(date: Option<Date>) -> String {
    date.map(date_text).unwrap_or_default()
}

/// An instant as RFC 3339 in UTC with nine fractional digits and `Z` (`2025-03-01T09:30:00.000000000Z`):
/// fixed width so that text order is time order, and nanoseconds so that nothing is lost.
pub(crate) fn timestamp_text(at: Timestamp) -> String {
    at.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// [`timestamp_text`] into `out` (cleared first), without allocating: the streamed import writes one per row.
pub(crate) fn write_timestamp(out: &mut String, at: Timestamp) {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    out.clear();
    let (year, nanos) = (at.year(), at.nanosecond());
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        // A year outside the fixed width, or a leap second: chrono's own spelling.
        out.push_str(&timestamp_text(at));
        return;
    }
    let _ = write!(
        out,
        "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
}

/// Why a stored text is not a valid value; becomes [`crate::StoreError::Corrupt`] with the table and column.
pub(crate) type ParseFailure = &'static str;

pub(crate) fn parse_date(text: &str) -> Result<Date, ParseFailure> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| "not a YYYY-MM-DD date")
}

/// Reads a natural-key date column, where `''` means "not reported".
pub(crate) fn parse_date_key(text: &str) -> Result<Option<Date>, ParseFailure> {
    if text.is_empty() {
        Ok(None)
    } else {
        parse_date(text).map(Some)
    }
}

pub(crate) fn parse_timestamp(text: &str) -> Result<Timestamp, ParseFailure> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| "not an RFC 3339 timestamp")
}

/// Reads a timestamp written by [`timestamp_text`] (`2025-03-01T09:30:00.000000000Z`) by its fixed byte positions,
/// several times faster than a general RFC 3339 parser: the analysis loader reads one per touchpoint. Any other
/// spelling (a row written by hand) goes to [`parse_timestamp`], so the result is always the same.
pub(crate) fn parse_timestamp_fast(text: &str) -> Result<Timestamp, ParseFailure> {
    let b = text.as_bytes();
    let fixed = b.len() == 30
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[29] == b'Z';
    let number = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let fast = fixed
        .then(|| {
            let date = NaiveDate::from_ymd_opt(number(0, 4)? as i32, number(5, 7)?, number(8, 10)?)?;
            let time = chrono::NaiveTime::from_hms_nano_opt(
                number(11, 13)?,
                number(14, 16)?,
                number(17, 19)?,
                number(20, 29)?,
            )?;
            Some(date.and_time(time).and_utc())
        })
        .flatten();
    match fast {
        Some(at) => Ok(at),
        None => parse_timestamp(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_are_fixed_width_and_round_trip() {
        let d = NaiveDate::from_ymd_opt(987, 3, 9).unwrap();
        assert_eq!(date_text(d), "0987-03-09");
        assert_eq!(parse_date("0987-03-09").unwrap(), d);
        assert_eq!(date_key_text(None), "");
        assert_eq!(parse_date_key("").unwrap(), None);
        assert!(parse_date("2025-02-30").is_err());
    }

    #[test]
    fn timestamps_keep_nanoseconds_and_sort_as_text() {
        let a = Utc.with_ymd_and_hms(2025, 3, 1, 9, 30, 0).unwrap();
        let b = a + chrono::Duration::nanoseconds(1);
        let (ta, tb) = (timestamp_text(a), timestamp_text(b));
        assert_eq!(ta, "2025-03-01T09:30:00.000000000Z");
        assert_eq!(tb, "2025-03-01T09:30:00.000000001Z");
        assert_eq!(ta.len(), tb.len());
        assert!(ta < tb);
        assert_eq!(parse_timestamp(&tb).unwrap(), b);
        // An offset other than Z is still read correctly (a row written by hand).
        assert_eq!(parse_timestamp("2025-03-01T10:30:00+01:00").unwrap(), a);
    }

    proptest::proptest! {
        /// The allocation-free writer spells every instant as chrono does, leap seconds and years past 9999
        /// included.
        #[test]
        fn the_reused_buffer_timestamp_writer_agrees_with_chrono(
            secs in -62_000_000_000_000i64..=300_000_000_000,
            nanos in 0u32..2_000_000_000,
        ) {
            if let Some(at) = DateTime::<Utc>::from_timestamp(secs, nanos) {
                let mut out = String::from("left over");
                write_timestamp(&mut out, at);
                proptest::prop_assert_eq!(out, timestamp_text(at));
            }
        }
    }

    #[test]
    fn the_fast_timestamp_reader_agrees_with_the_general_one() {
        let a = Utc.with_ymd_and_hms(2025, 12, 31, 23, 59, 59).unwrap() + chrono::Duration::nanoseconds(123_456_789);
        for text in [
            timestamp_text(a),
            "2025-03-01T10:30:00+01:00".to_string(),
            "2025-03-01T10:30:00.5Z".to_string(),
            "0001-01-01T00:00:00.000000000Z".to_string(),
        ] {
            assert_eq!(parse_timestamp_fast(&text), parse_timestamp(&text), "{text}");
        }
        // Fixed width but not a valid instant: the same error as the general reader's.
        for bad in
            ["2025-02-30T10:30:00.000000000Z", "2025-03-01T24:30:00.000000000Z", "2025-03-01T1a:30:00.000000000Z"]
        {
            assert!(parse_timestamp_fast(bad).is_err(), "{bad}");
        }
    }
}
