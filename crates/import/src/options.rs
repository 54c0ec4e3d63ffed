//! Settings an import runs with: forced format, time zone of naive timestamps, default currency, channel override.

use socialledger_domain::{Channel, ChannelAlias, Currency, Date};

/// How to read a file. Defaults: detect the format, naive timestamps in UTC, currency EUR.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// `--format NAME`: skip detection.
    pub format: Option<String>,
    /// `--tz`: the zone of timestamps written without an offset.
    pub tz: chrono_tz::Tz,
    /// `--currency`: for money columns whose file says no currency.
    pub currency: Currency,
    /// `--channel KEY`: put everything from a platform export on this channel instead of the derived one.
    pub channel: Option<String>,
    /// `--period-end DATE`: the last day an export covers (or the day it was downloaded), for exports that write
    /// days without a year (TikTok's `August 31`): each day gets the year that puts it on or before this date.
    pub period_end: Option<Date>,
    /// `--own-page NAME`: which page of a LinkedIn competitor analytics export is the company's own, when the
    /// file name does not tell (the page's name as the export writes it).
    pub own_page: Option<String>,
    /// Channels already in the database, so a platform export lands on the channel it landed on before.
    pub existing_channels: Vec<Channel>,
    /// Handles of merged channels, so an export of a merged-away account lands on the channel it was merged into.
    pub channel_aliases: Vec<ChannelAlias>,
    /// UTM source/medium -> channel rules.
    pub utm_rules: crate::utm::UtmRules,
    /// Stop collecting errors after this many (the file is rejected either way).
    pub max_errors: usize,
    /// Canonical touchpoints files of at least this many bytes are streamed into the store in batches
    /// ([`crate::stream`]) instead of being read whole: the whole-file parse holds about 13 times the file's size
    /// in memory (1,071 MiB for an 83 MB file of 1M rows), so 16 MiB keeps an import near 250 MB at most.
    pub stream_from_bytes: u64,
}

/// The default of [`ImportOptions::stream_from_bytes`]: 16 MiB.
pub const STREAM_FROM_BYTES: u64 = 16 << 20;

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            format: None,
            tz: chrono_tz::UTC,
            currency: Currency::EUR,
            channel: None,
            period_end: None,
            own_page: None,
            existing_channels: Vec::new(),
            channel_aliases: Vec::new(),
            utm_rules: crate::utm::UtmRules::default(),
            max_errors: 50,
            stream_from_bytes: STREAM_FROM_BYTES,
        }
    }
}
