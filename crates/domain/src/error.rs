//! Errors raised when a value from outside does not fit the domain.

/// A value that cannot be turned into a domain type. The message says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainError {
    #[error("unknown {what} {value:?}; expected one of: {expected}")]
    UnknownName { what: &'static str, value: String, expected: String },
    #[error("invalid amount {value:?}: {reason}")]
    InvalidAmount { value: String, reason: &'static str },
    #[error("invalid currency {0:?}: expected a three-letter ISO 4217 code such as EUR or USD")]
    InvalidCurrency(String),
    #[error("invalid period {value:?}: {reason}")]
    InvalidPeriod { value: String, reason: &'static str },
    #[error("invalid threshold {value}: {reason}")]
    InvalidThreshold { value: String, reason: &'static str },
    #[error("currency mismatch: {0} and {1} cannot be added without an exchange rate")]
    CurrencyMismatch(Currency, Currency),
}

use crate::Currency;
