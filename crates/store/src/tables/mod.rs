//! One module per table: how each record kind maps onto its columns, its natural key and its load order.
//!
//! The [`Table`] trait is the whole contract: columns in bind order, the natural key (the upsert's conflict target
//! and the `ORDER BY` of [`crate::Store::load`]), how to bind a record and how to read one back. Writing
//! ([`crate::upsert`]) and loading ([`crate::load`]) are generic over it, so a new record kind is one new module.

mod account;
mod activity;
mod audience;
mod channel;
mod channel_day;
mod contact;
mod conversation;
mod cost_item;
mod deal;
mod period_metric;
mod person;
mod post;
mod post_metrics;
mod time_entry;
mod touchpoint;

use crate::{Result, StoreError};
use socialledger_domain::{Dataset, Date, Money, Timestamp};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::error::BoxDynError;
use sqlx::{Any, Arguments, Encode, Row, Type};
use std::hash::Hash;

/// A record kind stored in one table.
pub(crate) trait Table: Sized + 'static {
    /// The table's name, which is also the record kind's name in [`Dataset::counts`].
    const NAME: &'static str;
    /// Stored columns in the order [`Table::bind`] binds them and [`Table::read`] reads them (without
    /// `import_id`, which the writer appends).
    const COLUMNS: &'static [&'static str];
    /// The natural key: the upsert's conflict target and the load order. A subset of `COLUMNS`.
    const KEY: &'static [&'static str];
    /// True when a column is a nullable DOUBLE PRECISION (see [`crate::upsert`] for why that matters).
    const NULLABLE_DOUBLE: bool = false;
    /// True when several sources each fill some columns of the same row (the LinkedIn content, followers and
    /// visitors exports all write a page's days): an upsert then keeps stored values where the new record has none,
    /// instead of replacing the whole row.
    const MERGE: bool = false;

    /// The natural key as a value whose `Ord` is the byte order of the stored key columns, so that sorting by it
    /// gives the order [`crate::Store::load`] returns. Enums compare by their canonical name, absent values first.
    type Key<'a>: Ord + Hash
    where
        Self: 'a;

    fn key(&self) -> Self::Key<'_>;
    /// Binds the record's columns, in `COLUMNS` order.
    fn bind<'q>(&'q self, b: &mut Binder<'q>);
    /// Reads a record from a row selected with `COLUMNS` in order.
    fn read(r: &mut Reader<'_>) -> Result<Self>;
    /// The records of this kind in a dataset.
    fn of(data: &Dataset) -> &[Self];
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self>;
    /// The channel keys the record refers to (for placeholder channels).
    fn channel_refs(&self) -> impl Iterator<Item = &str> {
        std::iter::empty()
    }
    /// A problem that would make the record unstorable or make the two backends disagree, found before writing.
    fn check(&self) -> Option<String> {
        None
    }
    /// How the record is named in messages: its natural key.
    fn describe(&self) -> String;
}

/// Checks a value that must be a finite float: SQLite stores NaN as NULL, so it would not come back.
pub(crate) fn finite(column: &str, value: Option<f64>) -> Option<String> {
    match value {
        Some(v) if !v.is_finite() => Some(format!("{column} is {v}, which a database cannot store; leave it empty")),
        _ => None,
    }
}

/// Collects the bind parameters of a statement, one record after another.
pub(crate) struct Binder<'q> {
    args: AnyArguments<'q>,
    error: Option<BoxDynError>,
}

impl<'q> Binder<'q> {
    pub fn new(capacity: usize) -> Self {
        let mut args = AnyArguments::default();
        args.reserve(capacity, 0);
        Binder { args, error: None }
    }

    fn push<T: 'q + Encode<'q, Any> + Type<Any>>(&mut self, value: T) {
        if let Err(e) = self.args.add(value) {
            self.error.get_or_insert(e);
        }
    }

    /// The arguments, or the first encoding error (the Any driver never fails on the types used here).
    pub fn finish(self) -> std::result::Result<AnyArguments<'q>, BoxDynError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.args),
        }
    }

    pub fn text(&mut self, v: &'q str) {
        self.push(v);
    }
    pub fn opt_text(&mut self, v: Option<&'q str>) {
        self.push(v);
    }
    pub fn owned(&mut self, v: String) {
        self.push(v);
    }
    pub fn int(&mut self, v: i64) {
        self.push(v);
    }
    pub fn opt_int(&mut self, v: Option<i64>) {
        self.push(v);
    }
    /// A float; `-0.0` is stored as `0.0`, because SQLite turns an integral REAL into an integer on disk and
    /// would give `0.0` back while PostgreSQL keeps the sign: both backends must return the same value.
    pub fn opt_double(&mut self, v: Option<f64>) {
        self.push(v.map(|v| if v == 0.0 { 0.0 } else { v }));
    }
    pub fn date(&mut self, v: Date) {
        self.owned(crate::codec::date_text(v));
    }
    pub fn opt_date(&mut self, v: Option<Date>) {
        self.push(v.map(crate::codec::date_text));
    }
    /// A date in a natural-key column: `''` when not reported.
    pub fn date_key(&mut self, v: Option<Date>) {
        self.owned(crate::codec::date_key_text(v));
    }
    pub fn timestamp(&mut self, v: Timestamp) {
        self.owned(crate::codec::timestamp_text(v));
    }
    pub fn opt_timestamp(&mut self, v: Option<Timestamp>) {
        self.push(v.map(crate::codec::timestamp_text));
    }
    /// Money as two columns: minor units, then the currency code.
    pub fn money(&mut self, v: &'q Money) {
        self.int(v.minor);
        self.text(v.currency.as_str());
    }
    pub fn opt_money(&mut self, v: Option<&'q Money>) {
        self.opt_int(v.map(|m| m.minor));
        self.opt_text(v.map(|m| m.currency.as_str()));
    }
}

/// A closed vocabulary of the domain, stored as its canonical name. Reading compares with the canonical names
/// only (no aliases, no allocation): the store writes nothing else.
pub(crate) trait Named: Copy + 'static {
    const ALL: &'static [Self];
    const WHAT: &'static str;
    fn as_str(&self) -> &'static str;
}

macro_rules! named {
    ($($t:ident = $what:literal),+ $(,)?) => {
        $(impl Named for socialledger_domain::$t {
            const ALL: &'static [Self] = socialledger_domain::$t::ALL;
            const WHAT: &'static str = $what;
            fn as_str(&self) -> &'static str {
                socialledger_domain::$t::as_str(self)
            }
        })+
    };
}

named!(
    Network = "network",
    ChannelKind = "channel kind",
    AccountKind = "account kind",
    PostType = "post type",
    MetricPeriod = "metric period",
    AudienceKind = "audience",
    AudienceDimension = "audience dimension",
    ActivityKind = "activity kind",
    Task = "task",
    Team = "team",
    CostKind = "cost kind",
    DealStatus = "deal status",
    TouchKind = "touchpoint kind",
    ConversationKind = "conversation kind",
);

/// Reads the columns of one row in order, turning bad values into [`StoreError::Corrupt`] with table and column.
pub(crate) struct Reader<'r> {
    row: &'r AnyRow,
    table: &'static str,
    columns: &'static [&'static str],
    next: usize,
}

impl<'r> Reader<'r> {
    pub fn new(row: &'r AnyRow, table: &'static str, columns: &'static [&'static str]) -> Self {
        Reader { row, table, columns, next: 0 }
    }

    fn column(&self, i: usize) -> &'static str {
        self.columns.get(i).copied().unwrap_or("?")
    }

    fn corrupt(&self, i: usize, value: impl Into<String>, reason: impl Into<String>) -> StoreError {
        StoreError::Corrupt { table: self.table, column: self.column(i), value: value.into(), reason: reason.into() }
    }

    fn get<T>(&mut self) -> Result<T>
    where
        T: for<'a> sqlx::Decode<'a, Any> + Type<Any>,
    {
        let i = self.next;
        self.next += 1;
        self.row.try_get::<T, usize>(i).map_err(|e| self.corrupt(i, "", e.to_string()))
    }

    pub fn text(&mut self) -> Result<String> {
        self.get()
    }
    pub fn opt_text(&mut self) -> Result<Option<String>> {
        self.get()
    }
    pub fn int(&mut self) -> Result<i64> {
        self.get()
    }
    pub fn opt_int(&mut self) -> Result<Option<i64>> {
        self.get()
    }
    pub fn opt_double(&mut self) -> Result<Option<f64>> {
        self.get()
    }

    /// Reads a text column and converts it, reporting the stored text when it does not convert.
    fn convert<T>(&mut self, text: String, f: impl FnOnce(&str) -> std::result::Result<T, &'static str>) -> Result<T> {
        f(&text).map_err(|reason| self.corrupt(self.next - 1, text.clone(), reason))
    }

    pub fn date(&mut self) -> Result<Date> {
        let t = self.text()?;
        self.convert(t, crate::codec::parse_date)
    }
    pub fn opt_date(&mut self) -> Result<Option<Date>> {
        match self.opt_text()? {
            Some(t) => self.convert(t, crate::codec::parse_date).map(Some),
            None => Ok(None),
        }
    }
    /// A natural-key date column, where `''` means not reported.
    pub fn date_key(&mut self) -> Result<Option<Date>> {
        let t = self.text()?;
        self.convert(t, crate::codec::parse_date_key)
    }
    pub fn timestamp(&mut self) -> Result<Timestamp> {
        let t = self.text()?;
        self.convert(t, crate::codec::parse_timestamp)
    }
    pub fn opt_timestamp(&mut self) -> Result<Option<Timestamp>> {
        match self.opt_text()? {
            Some(t) => self.convert(t, crate::codec::parse_timestamp).map(Some),
            None => Ok(None),
        }
    }
    /// Reads an enum stored as its canonical name (a NULL or `''` in an optional column reads as `None`).
    fn named<T: Named>(&mut self, text: Option<String>) -> Result<Option<T>> {
        match text {
            None => Ok(None),
            Some(t) if t.is_empty() => Ok(None),
            Some(t) => match T::ALL.iter().find(|v| v.as_str() == t) {
                Some(v) => Ok(Some(*v)),
                None => Err(self.corrupt(self.next - 1, t, format!("not a canonical {} name", T::WHAT))),
            },
        }
    }
    pub fn name<T: Named>(&mut self) -> Result<T> {
        let t = self.text()?;
        match T::ALL.iter().find(|v| v.as_str() == t) {
            Some(v) => Ok(*v),
            None => Err(self.corrupt(self.next - 1, t, format!("not a canonical {} name", T::WHAT))),
        }
    }
    pub fn opt_name<T: Named>(&mut self) -> Result<Option<T>> {
        let t = self.opt_text()?;
        self.named(t)
    }
    /// A natural-key enum column, where `''` means not reported.
    pub fn name_key<T: Named>(&mut self) -> Result<Option<T>> {
        let t = self.text()?;
        self.named(Some(t))
    }
    pub fn money(&mut self) -> Result<Money> {
        let minor = self.int()?;
        let code = self.text()?;
        let currency = socialledger_domain::Currency::parse(&code)
            .map_err(|e| self.corrupt(self.next - 1, code.clone(), e.to_string()))?;
        Ok(Money::new(minor, currency))
    }
    pub fn opt_money(&mut self) -> Result<Option<Money>> {
        let minor = self.opt_int()?;
        let code = self.opt_text()?;
        match (minor, code) {
            (Some(minor), Some(code)) => {
                let currency = socialledger_domain::Currency::parse(&code)
                    .map_err(|e| self.corrupt(self.next - 1, code.clone(), e.to_string()))?;
                Ok(Some(Money::new(minor, currency)))
            }
            (None, None) => Ok(None),
            (minor, code) => Err(self.corrupt(
                self.next - 1,
                format!("{minor:?} {code:?}"),
                "an amount needs both minor units and a currency",
            )),
        }
    }
}

/// Runs `$body` once per table with `$t` naming the record type, in write order: channels first, because the
/// other tables refer to them. `$body` may use `.await` and `?`.
macro_rules! for_each_table {
    (|$t:ident| $body:block) => {{
        {
            type $t = socialledger_domain::Channel;
            $body
        }
        {
            type $t = socialledger_domain::Post;
            $body
        }
        {
            type $t = socialledger_domain::PostMetrics;
            $body
        }
        {
            type $t = socialledger_domain::ChannelDay;
            $body
        }
        {
            type $t = socialledger_domain::AudienceSlice;
            $body
        }
        {
            type $t = socialledger_domain::Activity;
            $body
        }
        {
            type $t = socialledger_domain::Person;
            $body
        }
        {
            type $t = socialledger_domain::TimeEntry;
            $body
        }
        {
            type $t = socialledger_domain::CostItem;
            $body
        }
        {
            type $t = socialledger_domain::Account;
            $body
        }
        {
            type $t = socialledger_domain::Contact;
            $body
        }
        {
            type $t = socialledger_domain::Deal;
            $body
        }
        {
            type $t = socialledger_domain::Touchpoint;
            $body
        }
        {
            type $t = socialledger_domain::PeriodMetric;
            $body
        }
        {
            type $t = socialledger_domain::Conversation;
            $body
        }
    }};
}
pub(crate) use for_each_table;

/// Compares two records by natural key (the load order).
pub(crate) fn by_key<T: Table>(a: &T, b: &T) -> std::cmp::Ordering {
    a.key().cmp(&b.key())
}

/// Sorts every record kind of a dataset by its natural key: the order [`crate::Store::load`] returns.
/// Stable, so records with equal keys (which a load never returns) keep their relative order.
pub fn sort_by_natural_key(data: &mut Dataset) {
    for_each_table!(|T| {
        T::of_mut(data).sort_by(by_key::<T>);
    });
}
