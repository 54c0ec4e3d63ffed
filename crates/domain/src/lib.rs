//! The canonical domain of socialledger: every importer normalises into these types, the store persists them,
//! and the analytics read them. Types only: no I/O, no clock, no database.
//!
//! Identity is by *natural key* (a channel's `key`, a post's external id within its channel, a deal's CRM id, ...)
//! so that importing the same data twice changes nothing.

pub mod canonical;
pub mod dataset;
pub mod enums;
pub mod error;
pub mod money;
pub mod paths;
pub mod records;
pub mod target;
pub mod touches;

pub use dataset::Dataset;
pub use enums::*;
pub use error::DomainError;
pub use money::{Currency, Money};
pub use paths::{ChannelId, PathRow, PathSet};
pub use records::*;
pub use target::{Comparison, PeriodKind, Target, TargetMetric, TargetPeriod};
pub use touches::Touches;

/// A calendar date (no time of day, no zone): metrics days, cost months, deal dates.
pub type Date = chrono::NaiveDate;
/// An instant, always in UTC. Importers convert from the source's zone explicitly.
pub type Timestamp = chrono::DateTime<chrono::Utc>;
