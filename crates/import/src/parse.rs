//! Cell text to values: whole numbers, decimals, rates, money, dates, timestamps and durations.
//!
//! Every function is pure and returns `Err(message)` where the message quotes the cell and says what was expected
//! (`"12x" is not a whole number; write digits only such as 1234`). Blank cells are the caller's business:
//! see [`is_blank`]. Formats pass the exact date pattern their source writes ([`DateFormat`], [`TsFormat`]), so a
//! US file and a day-first file are told apart by the format, never guessed per cell.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use socialledger_domain::{Currency, Date, Money, Timestamp};
use std::str::FromStr;

/// True for a cell that means "not reported": empty, only spaces, or a lone dash (X writes `-` for promoted
/// metrics of unpromoted tweets).
pub fn is_blank(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || t == "-"
}

/// Removes thousands separators (`,`, space, no-break space, narrow no-break space, `'`) from the integer part of
/// a decimal number written with a `.` decimal point. Groups after the first must have exactly three digits.
/// Returns `None` when a separator is misplaced.
fn strip_grouping(t: &str) -> Option<String> {
    let (int_part, frac) = match t.find('.') {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let (sign, digits) = match int_part.strip_prefix(['-', '+']) {
        Some(rest) => (&int_part[..1], rest),
        None => ("", int_part),
    };
    let is_sep = |c: char| matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}' | '\'');
    let mut out = String::with_capacity(t.len());
    out.push_str(sign);
    let mut groups = digits.split(is_sep);
    let first = groups.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    out.push_str(first);
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        out.push_str(g);
    }
    out.push_str(frac);
    Some(out)
}

fn has_grouping(t: &str) -> bool {
    t.contains([',', ' ', '\u{a0}', '\u{202f}', '\''])
}

/// Parses a whole number: `1234`, `-5`, `1,234`, `1 234`, and `2633.0` (spreadsheets and X write counts as
/// floats; a non-zero fraction is an error, not rounded).
pub fn parse_i64(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if let Ok(v) = t.parse::<i64>() {
        return Ok(v);
    }
    let not_whole = || format!("{text:?} is not a whole number; write digits only such as 1234");
    let owned;
    let t = if has_grouping(t) {
        owned = strip_grouping(t).ok_or_else(not_whole)?;
        owned.as_str()
    } else {
        t
    };
    let (int_part, frac) = match t.split_once('.') {
        Some((i, f)) => (i, f),
        None => (t, ""),
    };
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_whole());
    }
    if frac.bytes().any(|b| b != b'0') {
        return Err(format!("{text:?} is not a whole number; a count has no fractional part"));
    }
    let int_part = if int_part == "-" || int_part == "+" { "" } else { int_part };
    if int_part.is_empty() && frac.is_empty() {
        return Err(not_whole());
    }
    if int_part.is_empty() {
        return Ok(0);
    }
    int_part.parse::<i64>().map_err(|_| not_whole())
}

/// The largest count accepted in any cell: a trillion (10^12). No post, page or campaign has been seen a trillion
/// times; a larger number is a damaged cell, and the bound keeps every sum of a million such cells far from the
/// end of `i64`.
pub const MAX_COUNT: i64 = 1_000_000_000_000;

/// Parses a count: a whole number from 0 to [`MAX_COUNT`] (impressions, reach, reactions, lifetime counters,
/// followers).
pub fn parse_count(text: &str) -> Result<i64, String> {
    let v = parse_i64(text)?;
    if v < 0 {
        return Err("a count cannot be negative; write 0 or more, or leave it empty".into());
    }
    check_magnitude(text, v)
}

/// Parses a net change over a period (gained minus lost: YouTube's subscribers and likes of a period), which may
/// be negative; its size is bounded by [`MAX_COUNT`] as a count's is.
pub fn parse_net_change(text: &str) -> Result<i64, String> {
    let v = parse_i64(text)?;
    check_magnitude(text, v)
}

fn check_magnitude(text: &str, v: i64) -> Result<i64, String> {
    if v.unsigned_abs() > MAX_COUNT as u64 {
        return Err(format!(
            "{:?} is implausibly large (more than 10^12); the cell is probably damaged: check it in the export",
            text.trim()
        ));
    }
    Ok(v)
}

/// Parses a decimal number with a `.` decimal point: `12.5`, `-0.25`, `1,234.5`, `1e-3`.
pub fn parse_f64(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let bad = || format!("{text:?} is not a number; write digits with a decimal point such as 12.5");
    let v = match t.parse::<f64>() {
        Ok(v) => v,
        Err(_) if has_grouping(t) => strip_grouping(t).ok_or_else(bad)?.parse::<f64>().map_err(|_| bad())?,
        Err(_) => return Err(bad()),
    };
    if !v.is_finite() {
        return Err(bad());
    }
    Ok(v)
}

/// Parses a rate as a 0-1 fraction: `4.56%` is 0.0456 and `0.0456` stays 0.0456. The percent form is divided by
/// moving the decimal point (`4.56e-2`), so the result is the correctly rounded fraction.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let bad = || format!("{text:?} is not a rate; write a percentage such as 4.56% or a fraction such as 0.0456");
    match t.strip_suffix('%') {
        Some(number) => {
            let number = number.trim_end();
            let plain = parse_f64(number).map_err(|_| bad())?;
            if number.contains(['e', 'E']) {
                return Ok(plain / 100.0);
            }
            let normal = if has_grouping(number) { strip_grouping(number).ok_or_else(bad)? } else { number.into() };
            format!("{normal}e-2").parse::<f64>().map_err(|_| bad())
        }
        None => parse_f64(t).map_err(|_| bad()),
    }
}

/// Parses an amount of money exactly (`1234.50`, `1,234.50`, `-3`), with an optional currency symbol or the
/// currency's code before or after the number (`€12.00`, `12.00 EUR`).
pub fn parse_money(text: &str, currency: Currency) -> Result<Money, String> {
    let mut t = text.trim();
    for prefix in [currency.as_str(), "€", "$", "£"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim_start();
        }
        if let Some(rest) = t.strip_suffix(prefix) {
            t = rest.trim_end();
        }
    }
    let owned;
    if t.contains([' ', '\u{a0}', '\u{202f}', '\'']) {
        owned = strip_grouping(t).unwrap_or_else(|| t.to_string());
        t = &owned;
    }
    let money = Money::parse_decimal(t, currency).map_err(|e| {
        let reason = match e {
            socialledger_domain::DomainError::InvalidAmount { reason, .. } => reason,
            _ => "not an amount",
        };
        format!("{text:?} is not an amount of {currency} ({reason}); write a plain decimal such as 1234.50")
    })?;
    if money.minor.unsigned_abs() > MAX_MONEY_MINOR as u64 {
        return Err(format!(
            "{:?} is implausibly large for an amount (more than 10^15 minor units); the cell is probably damaged",
            text.trim()
        ));
    }
    Ok(money)
}

/// The largest amount accepted, in minor units either way: 10^15 (ten trillion euros in cents).
pub const MAX_MONEY_MINOR: i64 = 1_000_000_000_000_000;

/// Parses one of a closed vocabulary (the domain enums: `Network`, `Task`, `DealStatus`, ...). The domain's
/// message already lists the accepted names.
pub fn parse_enum<T>(text: &str) -> Result<T, String>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    T::from_str(text.trim()).map_err(|e| e.to_string())
}

/// Parses a decimal number of hours into whole minutes, exactly (`1.5` -> 90, `0.25` -> 15), rounding to the
/// nearest minute only when the hours do not fall on one (`0.33` -> 20).
pub fn parse_hours_to_minutes(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let bad = || format!("{text:?} is not a number of hours; write a decimal such as 1.5");
    let (int_part, frac) = t.split_once('.').unwrap_or((t, ""));
    if int_part.starts_with('-') {
        return Err(format!("{text:?} is negative; time spent is zero or more hours"));
    }
    if (int_part.is_empty() && frac.is_empty())
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 9
        || int_part.len() > 9
    {
        return Err(bad());
    }
    // 9 + 9 digits times 60 overflows i64 (307445734.560000000 hours wrapped to 0 minutes): i128 cannot.
    let scale = 10i128.pow(frac.len() as u32);
    let int: i128 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| bad())? };
    let frac_v: i128 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| bad())? };
    let minutes = ((int * scale + frac_v) * 60 + scale / 2) / scale;
    i64::try_from(minutes).map_err(|_| bad())
}

/// Parses a duration `H:MM:SS`, `H:MM` or `H:MM:SS.fff` (hours may exceed 24) into whole seconds.
pub fn parse_duration_seconds(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let bad = || format!("{text:?} is not a duration; write hours:minutes:seconds such as 1:30:00");
    let parts: Vec<&str> = t.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let num = |s: &str| -> Result<i64, String> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 9 {
            return Err(bad());
        }
        s.parse().map_err(|_| bad())
    };
    let h = num(parts[0])?;
    let m = num(parts[1])?;
    let s = match parts.get(2) {
        Some(sec) => num(sec.split('.').next().unwrap_or(""))?,
        None => 0,
    };
    if m >= 60 || s >= 60 {
        return Err(bad());
    }
    Ok(h * 3600 + m * 60 + s)
}

/// How a source writes a calendar date. A format passes the ones its source uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateFormat {
    /// `2025-03-01` (`YYYY-MM-DD`, padding optional).
    Iso,
    /// Month first, year last: `03/15/2025`, `8/19/2015`, `03-15-2025`.
    Us,
    /// Day first, year last: `15/03/2025`, `13-06-2025`, `15.03.2025`.
    DayFirst,
    /// Month names: `Thu Mar 20 2025`, `Fri, Mar 21, 2025`, `Aug 28, 2025`, `28 August 2025`.
    Text,
    /// `20250201` (`YYYYMMDD`, GA4).
    Compact,
}

impl DateFormat {
    fn pattern(&self) -> &'static str {
        match self {
            DateFormat::Iso => "YYYY-MM-DD",
            DateFormat::Us => "MM/DD/YYYY",
            DateFormat::DayFirst => "DD/MM/YYYY",
            DateFormat::Text => "a date such as Mar 20, 2025",
            DateFormat::Compact => "YYYYMMDD",
        }
    }
}

fn expected(formats: &[DateFormat]) -> String {
    let names: Vec<&str> = formats.iter().map(DateFormat::pattern).collect();
    names.join(" or ")
}

fn digits_u32(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Splits `a?b?c` on one separator out of `seps` (the same one twice).
fn three_parts<'a>(t: &'a str, seps: &[char]) -> Option<(&'a str, &'a str, &'a str)> {
    let sep = t.chars().find(|c| seps.contains(c))?;
    let mut it = t.split(sep);
    let (a, b, c) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    Some((a, b, c))
}

fn ymd(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

fn date_in(t: &str, format: DateFormat) -> Option<NaiveDate> {
    match format {
        DateFormat::Iso => {
            let (y, m, d) = three_parts(t, &['-'])?;
            ymd(digits_u32(y, 4, 4)?, digits_u32(m, 1, 2)?, digits_u32(d, 1, 2)?)
        }
        DateFormat::Us => {
            let (m, d, y) = three_parts(t, &['/', '-', '.'])?;
            ymd(digits_u32(y, 4, 4)?, digits_u32(m, 1, 2)?, digits_u32(d, 1, 2)?)
        }
        DateFormat::DayFirst => {
            let (d, m, y) = three_parts(t, &['/', '-', '.'])?;
            ymd(digits_u32(y, 4, 4)?, digits_u32(m, 1, 2)?, digits_u32(d, 1, 2)?)
        }
        DateFormat::Compact => {
            // Byte offsets below are character offsets only for ASCII: `202é101` is 8 bytes too.
            if t.len() != 8 || !t.is_ascii() {
                return None;
            }
            ymd(digits_u32(&t[..4], 4, 4)?, digits_u32(&t[4..6], 2, 2)?, digits_u32(&t[6..], 2, 2)?)
        }
        DateFormat::Text => text_date(t),
    }
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (0..12).find(|&i| full[i].starts_with(&w) && w.starts_with(MONTHS[i])).map(|i| i as u32 + 1)
}

fn text_date(t: &str) -> Option<NaiveDate> {
    let (mut year, mut month, mut day) = (None, None, None);
    for word in t.split([' ', ',']).filter(|w| !w.is_empty()) {
        if word.bytes().all(|b| b.is_ascii_digit()) {
            if word.len() == 4 && year.is_none() {
                year = digits_u32(word, 4, 4);
            } else if word.len() <= 2 && day.is_none() {
                day = digits_u32(word, 1, 2);
            } else {
                return None;
            }
        } else if let Some(m) = month_of(word) {
            if month.replace(m).is_some() {
                return None;
            }
        } else {
            let w = word.to_ascii_lowercase();
            if !WEEKDAYS.iter().any(|d| w.starts_with(d)) {
                return None;
            }
        }
    }
    ymd(year?, month?, day?)
}

/// A day of the year written without a year, as TikTok's analytics exports write their days: `August 31`,
/// `Aug 31`, `31 August` (month names in English). `None` for anything else, a date with a year included; the
/// caller gives it a year by a rule of its own (see `formats/tiktok.rs`).
pub fn parse_month_day(text: &str) -> Option<(u32, u32)> {
    let words: Vec<&str> = text.trim().split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let [a, b] = words[..] else { return None };
    let (month, day) = match (month_of(a), month_of(b)) {
        (Some(m), None) => (m, digits_u32(b, 1, 2)?),
        (None, Some(m)) => (m, digits_u32(a, 1, 2)?),
        _ => return None,
    };
    // 2000 is a leap year: February 29 is a day of the year too.
    ymd(2000, month, day).map(|_| (month, day))
}

/// Parses a calendar date in the first of `formats` that fits.
pub fn parse_date(text: &str, formats: &[DateFormat]) -> Result<Date, String> {
    let t = text.trim();
    formats
        .iter()
        .find_map(|f| date_in(t, *f))
        .ok_or_else(|| format!("{text:?} is not a date; write it as {}", expected(formats)))
}

/// Parses a month `YYYY-MM` (or a full ISO date, whose day must be the 1st) into the month's first day.
pub fn parse_month(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let bad = || format!("{text:?} is not a month; write it as YYYY-MM such as 2025-03");
    if let Some((y, m)) = t.split_once('-') {
        if !m.contains('-') {
            return ymd(digits_u32(y, 4, 4).ok_or_else(bad)?, digits_u32(m, 1, 2).ok_or_else(bad)?, 1).ok_or_else(bad);
        }
    }
    match date_in(t, DateFormat::Iso) {
        Some(d) if d.day() == 1 => Ok(d),
        Some(_) => Err(format!("{text:?} is not the first day of a month; write the month as YYYY-MM")),
        None => Err(bad()),
    }
}

/// How a source writes a point in time. The time part is `H:MM[:SS[.fff]]`, optionally followed by `AM`/`PM` and
/// by an offset (`Z`, `+01:00`, `+0000`); without an offset the time is local to the import's `--tz`. A date
/// alone means midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TsFormat {
    /// `2025-03-01T09:30:00Z` (RFC 3339), `2025-07-01 14:33:22`, `2019-01-31 23:32 +0000`.
    Iso,
    /// Month first: `02/14/2016 12:40:16 AM`, `03/15/2025 03:06`, `4/8/2025 17:19`.
    Us,
    /// Day first: `15/03/2025 14:05`, `13-06-2025 09:00:00`.
    DayFirst,
}

impl TsFormat {
    fn date_format(&self) -> DateFormat {
        match self {
            TsFormat::Iso => DateFormat::Iso,
            TsFormat::Us => DateFormat::Us,
            TsFormat::DayFirst => DateFormat::DayFirst,
        }
    }
    fn pattern(&self) -> &'static str {
        match self {
            TsFormat::Iso => "YYYY-MM-DD HH:MM[:SS] or RFC 3339 such as 2025-03-01T09:30:00Z",
            TsFormat::Us => "MM/DD/YYYY HH:MM[:SS] [AM/PM]",
            TsFormat::DayFirst => "DD/MM/YYYY HH:MM[:SS]",
        }
    }
}

/// A parsed timestamp before its zone is settled.
enum Stamp {
    /// Written with an offset: an instant.
    Fixed(Timestamp),
    /// Written without one: local wall-clock time.
    Naive(NaiveDateTime),
}

/// The fast path for `YYYY-MM-DDTHH:MM:SSZ`, the form machines write (1M-row touchpoint files).
fn rfc3339_z(t: &[u8]) -> Option<Timestamp> {
    if t.len() != 20 || t[4] != b'-' || t[7] != b'-' || t[10] != b'T' || t[13] != b':' || t[16] != b':' || t[19] != b'Z'
    {
        return None;
    }
    let n = |a: usize, b: usize| -> Option<u32> {
        let mut v = 0u32;
        for &c in &t[a..b] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + (c - b'0') as u32;
        }
        Some(v)
    };
    let date = NaiveDate::from_ymd_opt(n(0, 4)? as i32, n(5, 7)?, n(8, 10)?)?;
    let time = NaiveTime::from_hms_opt(n(11, 13)?, n(14, 16)?, n(17, 19)?)?;
    Some(Utc.from_utc_datetime(&date.and_time(time)))
}

/// Parses `H:MM[:SS[.fff]]` with an optional `AM`/`PM` after it (12-hour clock).
pub fn parse_time_of_day(text: &str) -> Result<NaiveTime, String> {
    time_of_day(text.trim()).ok_or_else(|| format!("{text:?} is not a time of day; write it as HH:MM or HH:MM:SS"))
}

fn time_of_day(t: &str) -> Option<NaiveTime> {
    let upper = t.to_ascii_uppercase();
    let (clock, meridiem) = if let Some(rest) = upper.strip_suffix("AM") {
        (rest.trim_end(), Some(false))
    } else if let Some(rest) = upper.strip_suffix("PM") {
        (rest.trim_end(), Some(true))
    } else {
        (upper.as_str(), None)
    };
    let mut parts = clock.split(':');
    let h = digits_u32(parts.next()?, 1, 2)?;
    let m = digits_u32(parts.next()?, 2, 2)?;
    let (s, nanos) = match parts.next() {
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let s = digits_u32(whole, 2, 2)?;
            let nanos = if frac.is_empty() {
                0
            } else {
                let f = frac.get(..frac.len().min(9))?;
                digits_u32(f, 1, 9)? * 10u32.pow(9 - f.len() as u32)
            };
            (s, nanos)
        }
        None => (0, 0),
    };
    if parts.next().is_some() {
        return None;
    }
    let h = match meridiem {
        None => h,
        Some(pm) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            (h % 12) + if pm { 12 } else { 0 }
        }
    };
    NaiveTime::from_hms_nano_opt(h, m, s, nanos)
}

/// Splits an offset off the end of a time part: `Z`, `+01:00`, `+0100`, `-05`, `UTC`.
fn split_offset(rest: &str) -> Result<(&str, Option<i32>), ()> {
    let r = rest.trim_end();
    if let Some(clock) = r.strip_suffix('Z').or_else(|| r.strip_suffix(" UTC")).or_else(|| r.strip_suffix(" GMT")) {
        return Ok((clock.trim_end(), Some(0)));
    }
    let Some(pos) = r.rfind(['+', '-']) else {
        return Ok((r, None));
    };
    let (clock, off) = (&r[..pos], &r[pos + 1..]);
    let sign = if r.as_bytes()[pos] == b'-' { -1 } else { 1 };
    let digits: String = off.chars().filter(|c| *c != ':').collect();
    if !digits.is_ascii() {
        return Err(());
    }
    let (h, m) = match digits.len() {
        2 => (digits_u32(&digits, 2, 2).ok_or(())?, 0),
        4 => (digits_u32(&digits[..2], 2, 2).ok_or(())?, digits_u32(&digits[2..], 2, 2).ok_or(())?),
        _ => return Err(()),
    };
    if h > 23 || m > 59 {
        return Err(());
    }
    Ok((clock.trim_end(), Some(sign * (h as i32 * 3600 + m as i32 * 60))))
}

fn stamp_in(t: &str, format: TsFormat) -> Option<Stamp> {
    let split = match format {
        TsFormat::Iso => t.find(['T', 't', ' ']),
        _ => t.find([' ', ',']),
    };
    let (date_text, rest) = match split {
        Some(i) => (&t[..i], t[i + 1..].trim_start_matches([',', ' '])),
        None => (t, ""),
    };
    let date = date_in(date_text, format.date_format())?;
    if rest.is_empty() {
        return Some(Stamp::Naive(date.and_time(NaiveTime::MIN)));
    }
    let (clock, offset) = split_offset(rest).ok()?;
    let time = time_of_day(clock)?;
    let naive = date.and_time(time);
    match offset {
        None => Some(Stamp::Naive(naive)),
        Some(secs) => {
            let utc = naive.checked_sub_signed(chrono::Duration::seconds(secs as i64))?;
            Some(Stamp::Fixed(Utc.from_utc_datetime(&utc)))
        }
    }
}

/// Reads a wall-clock time in `tz` as an instant. A time that happens twice (clocks go back) or never (clocks go
/// forward) is an error: guessing would move the record by an hour.
pub fn localize(naive: NaiveDateTime, tz: chrono_tz::Tz) -> Result<Timestamp, String> {
    use chrono::LocalResult;
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(dt) => Ok(dt.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Err(format!(
            "{naive} happened twice in {tz} (the clocks went back); write the offset, as {} or {}",
            a.format("%Y-%m-%dT%H:%M:%S%:z"),
            b.format("%Y-%m-%dT%H:%M:%S%:z")
        )),
        LocalResult::None => Err(format!(
            "{naive} does not exist in {tz} (the clocks went forward); check the time or write it with an offset"
        )),
    }
}

/// Parses a timestamp in the first of `formats` that fits; times without an offset are read in `tz`.
pub fn parse_timestamp(text: &str, formats: &[TsFormat], tz: chrono_tz::Tz) -> Result<Timestamp, String> {
    let t = text.trim();
    if let Some(ts) = rfc3339_z(t.as_bytes()) {
        if formats.contains(&TsFormat::Iso) {
            return Ok(ts);
        }
    }
    for f in formats {
        match stamp_in(t, *f) {
            Some(Stamp::Fixed(ts)) => return Ok(ts),
            Some(Stamp::Naive(naive)) => return localize(naive, tz).map_err(|e| format!("{text:?}: {e}")),
            None => {}
        }
    }
    let names: Vec<&str> = formats.iter().map(TsFormat::pattern).collect();
    Err(format!("{text:?} is not a timestamp; write it as {}", names.join(" or ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn utc(s: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn days_of_the_year_without_a_year() {
        assert_eq!(parse_month_day("August 31"), Some((8, 31)));
        assert_eq!(parse_month_day(" Sep 1 "), Some((9, 1)));
        assert_eq!(parse_month_day("28 August"), Some((8, 28)));
        assert_eq!(parse_month_day("February 29"), Some((2, 29)));
        assert_eq!(parse_month_day("February 30"), None);
        assert_eq!(parse_month_day("August 31, 2025"), None);
        assert_eq!(parse_month_day("2025-08-31"), None);
        assert_eq!(parse_month_day("Mon 31"), None);
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(parse_i64("1234"), Ok(1234));
        assert_eq!(parse_i64(" 2633.0 "), Ok(2633));
        assert_eq!(parse_i64("1,234"), Ok(1234));
        assert_eq!(parse_i64("1 234 567"), Ok(1_234_567));
        assert_eq!(parse_i64("1\u{a0}234"), Ok(1234));
        assert_eq!(parse_i64("-5"), Ok(-5));
        assert_eq!(parse_i64("0.0"), Ok(0));
        assert_eq!(parse_i64("12x"), Err("\"12x\" is not a whole number; write digits only such as 1234".into()));
        assert!(parse_i64("12.5").unwrap_err().contains("fractional"));
        assert!(parse_i64("1,23").is_err());
        assert!(parse_i64("").is_err());
        assert!(parse_i64(".").is_err());
    }

    #[test]
    fn counts_are_not_negative_and_not_implausible() {
        assert_eq!(parse_count("1,234"), Ok(1234));
        assert_eq!(parse_count("1000000000000"), Ok(MAX_COUNT));
        assert_eq!(parse_count("-5000"), Err("a count cannot be negative; write 0 or more, or leave it empty".into()));
        assert!(parse_count("9223372036854775807").unwrap_err().contains("implausibly large"));
        assert!(parse_count("1000000000001").unwrap_err().contains("implausibly large"));
        assert_eq!(parse_net_change("-7"), Ok(-7));
        assert!(parse_net_change("-9223372036854775808").unwrap_err().contains("implausibly large"));
    }

    #[test]
    fn multi_byte_characters_never_split() {
        // Regression (issue 12): byte slicing inside a character panicked.
        for text in ["202é101", "20é10101", "2025-03-01T10:00:00+0é", "2025-03-01 10:00:00.12345678é9", "10:00:00.1é"]
        {
            let _ = parse_date(text, &[DateFormat::Compact, DateFormat::Iso]);
            let _ = parse_timestamp(text, &[TsFormat::Iso, TsFormat::Us], chrono_tz::UTC);
            let _ = parse_time_of_day(text);
        }
        assert!(parse_date("202é101", &[DateFormat::Compact]).is_err());
    }

    #[test]
    fn blanks() {
        assert!(is_blank(""));
        assert!(is_blank("  "));
        assert!(is_blank("-"));
        assert!(!is_blank("0"));
    }

    #[test]
    fn decimals_and_rates() {
        assert_eq!(parse_f64("12.5"), Ok(12.5));
        assert_eq!(parse_f64("1,234.5"), Ok(1234.5));
        assert_eq!(parse_f64("0.015571591340676035"), Ok(0.015571591340676035));
        assert!(parse_f64("abc").is_err());
        assert!(parse_f64("NaN").is_err());
        assert_eq!(parse_rate("4.56%"), Ok(0.0456));
        assert_eq!(parse_rate("4.56 %"), Ok(0.0456));
        assert_eq!(parse_rate("0.0456"), Ok(0.0456));
        assert_eq!(parse_rate("100%"), Ok(1.0));
        assert!(parse_rate("x%").unwrap_err().contains("is not a rate"));
    }

    #[test]
    fn money() {
        assert_eq!(parse_money("1,234.50", Currency::EUR), Ok(Money::new(123_450, Currency::EUR)));
        assert_eq!(parse_money("€12", Currency::EUR), Ok(Money::new(1200, Currency::EUR)));
        assert_eq!(parse_money("12.00 USD", Currency::USD), Ok(Money::new(1200, Currency::USD)));
        assert_eq!(parse_money("1 234.5", Currency::EUR), Ok(Money::new(123_450, Currency::EUR)));
        assert!(parse_money("92233720368547758.07", Currency::EUR).unwrap_err().contains("implausibly large"));
        assert_eq!(parse_money("-10000000000000.00", Currency::EUR), Ok(Money::new(-MAX_MONEY_MINOR, Currency::EUR)));
        let err = parse_money("12.345", Currency::EUR).unwrap_err();
        assert!(err.contains("more decimal places") && err.contains("EUR"), "{err}");
    }

    #[test]
    fn hours_and_durations() {
        assert_eq!(parse_hours_to_minutes("1.5"), Ok(90));
        assert_eq!(parse_hours_to_minutes("0.25"), Ok(15));
        assert_eq!(parse_hours_to_minutes("2"), Ok(120));
        assert_eq!(parse_hours_to_minutes("0.33"), Ok(20));
        assert!(parse_hours_to_minutes("-1").is_err());
        assert!(parse_hours_to_minutes("1h").is_err());
        // Regression (issue 12): these wrapped around i64 to 0 and to -9.2e9 minutes.
        assert_eq!(parse_hours_to_minutes("307445734.560000000"), Ok(18_446_744_074));
        assert_eq!(parse_hours_to_minutes("153722867.280000000"), Ok(9_223_372_037));
        assert_eq!(parse_duration_seconds("01:30:00"), Ok(5400));
        assert_eq!(parse_duration_seconds("26:00:05"), Ok(93_605));
        assert_eq!(parse_duration_seconds("0:45"), Ok(2700));
        assert!(parse_duration_seconds("1:75:00").is_err());
    }

    #[test]
    fn enums() {
        use socialledger_domain::Task;
        assert_eq!(parse_enum::<Task>("support"), Ok(Task::CustomerService));
        assert!(parse_enum::<Task>("napping").unwrap_err().contains("napping"));
    }

    #[test]
    fn dates_in_every_source_pattern() {
        use DateFormat::*;
        assert_eq!(parse_date("2025-03-01", &[Iso]), Ok(d(2025, 3, 1)));
        assert_eq!(parse_date("03/15/2025", &[Us]), Ok(d(2025, 3, 15)));
        assert_eq!(parse_date("8/19/2015", &[Us]), Ok(d(2015, 8, 19)));
        assert_eq!(parse_date("15/03/2025", &[DayFirst]), Ok(d(2025, 3, 15)));
        assert_eq!(parse_date("13-06-2025", &[DayFirst]), Ok(d(2025, 6, 13)));
        assert_eq!(parse_date("Thu Mar 20 2025", &[Text]), Ok(d(2025, 3, 20)));
        assert_eq!(parse_date("Fri, Mar 21, 2025", &[Text]), Ok(d(2025, 3, 21)));
        assert_eq!(parse_date("Aug 28, 2025", &[Text]), Ok(d(2025, 8, 28)));
        assert_eq!(parse_date("28 August 2025", &[Text]), Ok(d(2025, 8, 28)));
        assert_eq!(parse_date("20250201", &[Compact]), Ok(d(2025, 2, 1)));
        // The format decides, not the cell: 03/04 is March 4th in a US file and April 3rd in a day-first one.
        assert_eq!(parse_date("03/04/2025", &[Us]), Ok(d(2025, 3, 4)));
        assert_eq!(parse_date("03/04/2025", &[DayFirst]), Ok(d(2025, 4, 3)));
        assert_eq!(parse_date("15/03/2025", &[Us]), Err("\"15/03/2025\" is not a date; write it as MM/DD/YYYY".into()));
        assert!(parse_date("2025-02-30", &[Iso]).is_err());
        assert!(parse_date("Foo Mar 20 2025", &[Text]).is_err());
        assert!(parse_date("2025-03-01", &[Us, DayFirst]).unwrap_err().contains("MM/DD/YYYY or DD/MM/YYYY"));
    }

    #[test]
    fn months() {
        assert_eq!(parse_month("2025-03"), Ok(d(2025, 3, 1)));
        assert_eq!(parse_month("2025-3"), Ok(d(2025, 3, 1)));
        assert_eq!(parse_month("2025-03-01"), Ok(d(2025, 3, 1)));
        assert!(parse_month("2025-03-15").unwrap_err().contains("first day"));
        assert!(parse_month("2025-13").is_err());
        assert!(parse_month("March").is_err());
    }

    #[test]
    fn timestamps_in_every_source_pattern() {
        use TsFormat::*;
        let tz = chrono_tz::UTC;
        assert_eq!(parse_timestamp("2019-01-31 23:32 +0000", &[Iso], tz), Ok(utc("2019-01-31T23:32:00Z")));
        assert_eq!(parse_timestamp("02/14/2016 12:40:16 AM", &[Us], tz), Ok(utc("2016-02-14T00:40:16Z")));
        assert_eq!(parse_timestamp("02/14/2016 12:40:16 PM", &[Us], tz), Ok(utc("2016-02-14T12:40:16Z")));
        assert_eq!(parse_timestamp("03/15/2025 03:06", &[Us], tz), Ok(utc("2025-03-15T03:06:00Z")));
        assert_eq!(parse_timestamp("2025-07-01 14:33:22", &[Iso], tz), Ok(utc("2025-07-01T14:33:22Z")));
        assert_eq!(parse_timestamp("4/8/2025 17:19", &[Us], tz), Ok(utc("2025-04-08T17:19:00Z")));
        assert_eq!(parse_timestamp("15/03/2025 14:05", &[DayFirst], tz), Ok(utc("2025-03-15T14:05:00Z")));
        assert_eq!(parse_timestamp("2025-03-01T09:30:00Z", &[Iso], tz), Ok(utc("2025-03-01T09:30:00Z")));
        assert_eq!(parse_timestamp("2025-03-01T10:30:00+01:00", &[Iso], tz), Ok(utc("2025-03-01T09:30:00Z")));
        assert_eq!(parse_timestamp("2025-03-01T10:30:00.250-05:00", &[Iso], tz), Ok(utc("2025-03-01T15:30:00.25Z")));
        assert_eq!(parse_timestamp("2025-03-01", &[Iso], tz), Ok(utc("2025-03-01T00:00:00Z")));
        assert!(parse_timestamp("2025-03-01T25:00:00Z", &[Iso], tz).is_err());
        assert!(parse_timestamp("yesterday", &[Iso], tz).unwrap_err().contains("RFC 3339"));
        // The fast path and the general path agree.
        assert_eq!(
            parse_timestamp("2025-12-31T23:59:59Z", &[Iso], tz),
            parse_timestamp("2025-12-31 23:59:59 +00:00", &[Iso], tz)
        );
    }

    #[test]
    fn naive_times_are_read_in_the_zone_and_dst_gaps_are_errors() {
        use TsFormat::*;
        let ams: chrono_tz::Tz = "Europe/Amsterdam".parse().unwrap();
        assert_eq!(parse_timestamp("2025-07-01 14:00", &[Iso], ams), Ok(utc("2025-07-01T12:00:00Z")));
        assert_eq!(parse_timestamp("2025-01-15 14:00", &[Iso], ams), Ok(utc("2025-01-15T13:00:00Z")));
        // An explicit offset is not re-read in the zone.
        assert_eq!(parse_timestamp("2025-07-01T14:00:00Z", &[Iso], ams), Ok(utc("2025-07-01T14:00:00Z")));
        let gap = parse_timestamp("2025-03-30 02:30", &[Iso], ams).unwrap_err();
        assert!(gap.contains("does not exist in Europe/Amsterdam"), "{gap}");
        let twice = parse_timestamp("2025-10-26 02:30", &[Iso], ams).unwrap_err();
        assert!(twice.contains("happened twice") && twice.contains("+02:00") && twice.contains("+01:00"), "{twice}");
    }

    #[test]
    fn times_of_day() {
        assert_eq!(parse_time_of_day("09:05:30"), Ok(NaiveTime::from_hms_opt(9, 5, 30).unwrap()));
        assert_eq!(parse_time_of_day("12:00 AM"), Ok(NaiveTime::MIN));
        assert_eq!(parse_time_of_day("1:15 pm"), Ok(NaiveTime::from_hms_opt(13, 15, 0).unwrap()));
        assert!(parse_time_of_day("13:00 PM").is_err());
        assert!(parse_time_of_day("24:00").is_err());
    }

    fn grouped(v: i64, sep: &str) -> String {
        let digits = v.unsigned_abs().to_string();
        let head = match digits.len() % 3 {
            0 => 3,
            n => n,
        };
        let mut out = digits[..head].to_string();
        for group in digits.as_bytes()[head..].chunks(3) {
            out.push_str(sep);
            out.push_str(std::str::from_utf8(group).unwrap());
        }
        if v < 0 {
            format!("-{out}")
        } else {
            out
        }
    }

    proptest! {
        #[test]
        fn whole_numbers_round_trip_in_every_spelling(v in -1_000_000_000_000i64..1_000_000_000_000i64) {
            prop_assert_eq!(parse_i64(&v.to_string()), Ok(v));
            prop_assert_eq!(parse_i64(&format!("{v}.0")), Ok(v));
            prop_assert_eq!(parse_i64(&grouped(v, ",")), Ok(v));
            prop_assert_eq!(parse_i64(&grouped(v, " ")), Ok(v));
        }

        #[test]
        fn decimals_round_trip(v in proptest::num::f64::NORMAL | proptest::num::f64::ZERO) {
            prop_assert_eq!(parse_f64(&v.to_string()), Ok(v));
            prop_assert_eq!(parse_f64(&format!("{v:e}")), Ok(v));
        }

        #[test]
        fn percent_and_fraction_agree(basis_points in 0u32..1_000_000) {
            // 4.56% and 0.0456 are the same rate, to the last bit.
            let percent = format!("{}.{:02}%", basis_points / 100, basis_points % 100);
            let fraction = format!("0.{:04}", basis_points).parse::<f64>().ok();
            let shifted = format!("{}e-4", basis_points).parse::<f64>().ok();
            prop_assert_eq!(parse_rate(&percent).ok(), shifted);
            if basis_points < 10_000 {
                prop_assert_eq!(parse_rate(&percent).ok(), fraction);
            }
        }

        #[test]
        fn iso_dates_round_trip(days in 0i64..60_000) {
            let date = d(1970, 1, 1) + chrono::Duration::days(days);
            prop_assert_eq!(parse_date(&date.to_string(), &[DateFormat::Iso]), Ok(date));
            let us = date.format("%m/%d/%Y").to_string();
            prop_assert_eq!(parse_date(&us, &[DateFormat::Us]), Ok(date));
            let compact = date.format("%Y%m%d").to_string();
            prop_assert_eq!(parse_date(&compact, &[DateFormat::Compact]), Ok(date));
        }

        #[test]
        fn rfc3339_round_trips(secs in 0i64..4_000_000_000) {
            let ts = Utc.timestamp_opt(secs, 0).unwrap();
            let text = ts.format("%Y-%m-%dT%H:%M:%SZ").to_string();
            prop_assert_eq!(parse_timestamp(&text, &[TsFormat::Iso], chrono_tz::UTC), Ok(ts));
            let offset = ts.with_timezone(&chrono::FixedOffset::east_opt(5 * 3600 + 1800).unwrap()).to_rfc3339();
            prop_assert_eq!(parse_timestamp(&offset, &[TsFormat::Iso], chrono_tz::UTC), Ok(ts));
        }
    }
}
