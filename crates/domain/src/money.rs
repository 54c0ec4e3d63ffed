//! Money as integer minor units with a currency: never a binary float in storage or sums.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency code, upper-case ASCII.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");
    pub const USD: Currency = Currency(*b"USD");

    /// Parses a three-letter code, case-insensitively (`eur`, `EUR`).
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        let t = code.trim();
        let b = t.as_bytes();
        if b.len() != 3 || !b.iter().all(u8::is_ascii_alphabetic) {
            return Err(DomainError::InvalidCurrency(code.to_string()));
        }
        Ok(Currency([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase(), b[2].to_ascii_uppercase()]))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point in this currency's minor unit (ISO 4217 exponent).
    pub fn exponent(&self) -> u32 {
        match self.as_str() {
            "JPY" | "KRW" | "CLP" | "ISK" | "VND" | "HUF" | "XOF" | "XAF" | "UGX" | "PYG" => 0,
            "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "IQD" | "LYD" => 3,
            _ => 2,
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Currency::parse(&s)
    }
}
impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.as_str().to_string()
    }
}
impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount of money: `minor` units (cents for EUR) of `currency`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }
    pub fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    /// Parses a decimal amount exactly (`"45362.12"`, `"-3.5"`, `"1,234.50"` with thousands commas, `"1234"`).
    /// More fractional digits than the currency has are rejected unless they are zeros, because silently
    /// rounding money is how ledgers drift.
    pub fn parse_decimal(text: &str, currency: Currency) -> Result<Self, DomainError> {
        let bad = |reason| DomainError::InvalidAmount { value: text.to_string(), reason };
        let t = text.trim();
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        if t.is_empty() {
            return Err(bad("empty amount"));
        }
        let (int_part, frac_part) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t, ""),
        };
        let int_digits: String = if int_part.contains(',') {
            let groups: Vec<&str> = int_part.split(',').collect();
            let ok = !groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
            if !ok {
                return Err(bad("misplaced thousands separator"));
            }
            groups.concat()
        } else {
            int_part.to_string()
        };
        if int_digits.is_empty() && frac_part.is_empty() {
            return Err(bad("no digits"));
        }
        if !int_digits.bytes().all(|b| b.is_ascii_digit()) || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("not a decimal number"));
        }
        let exp = currency.exponent() as usize;
        let (kept, dropped) = if frac_part.len() > exp { frac_part.split_at(exp) } else { (frac_part, "") };
        if dropped.bytes().any(|b| b != b'0') {
            return Err(bad("more decimal places than the currency has"));
        }
        let mut digits = int_digits;
        digits.push_str(kept);
        for _ in kept.len()..exp {
            digits.push('0');
        }
        let digits = digits.trim_start_matches('0');
        let value: i64 = if digits.is_empty() { 0 } else { digits.parse().map_err(|_| bad("amount too large"))? };
        Ok(Money { minor: if neg { -value } else { value }, currency })
    }

    /// Adds two amounts of the same currency.
    pub fn checked_add(self, other: Money) -> Result<Money, DomainError> {
        if self.currency != other.currency {
            return Err(DomainError::CurrencyMismatch(self.currency, other.currency));
        }
        Ok(Money { minor: self.minor.saturating_add(other.minor), currency: self.currency })
    }

    /// The amount in major units as a float, for rates and charts only (never for storage or sums).
    pub fn to_major_f64(&self) -> f64 {
        self.minor as f64 / 10f64.powi(self.currency.exponent() as i32)
    }

    /// Rounds a major-unit float to the nearest minor unit (used only for computed figures such as
    /// hours x hourly rate, where the inputs are already exact).
    pub fn from_major_f64(major: f64, currency: Currency) -> Money {
        let minor = (major * 10f64.powi(currency.exponent() as i32)).round() as i64;
        Money { minor, currency }
    }
}

impl Money {
    /// The amount for people to read: thousands grouped with `,` (`23,938.50 EUR`). `Display` stays ungrouped so
    /// that it parses back with [`Money::parse_decimal`] unchanged.
    pub fn grouped(&self) -> String {
        let plain = self.to_string();
        let (number, currency) = plain.split_once(' ').unwrap_or((&plain, ""));
        let (sign, digits) = number.strip_prefix('-').map_or(("", number), |d| ("-", d));
        let (int, frac) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
        let mut grouped = String::with_capacity(int.len() + int.len() / 3);
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        match frac {
            Some(f) => format!("{sign}{grouped}.{f} {currency}"),
            None => format!("{sign}{grouped} {currency}"),
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exp = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exp == 0 {
            write!(f, "{sign}{abs} {}", self.currency)
        } else {
            let p = 10u64.pow(exp);
            write!(f, "{sign}{}.{:0width$} {}", abs / p, abs % p, self.currency, width = exp as usize)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_exact_decimals() {
        let eur = Currency::EUR;
        assert_eq!(Money::parse_decimal("45362.12", eur).unwrap().minor, 4_536_212);
        assert_eq!(Money::parse_decimal("1,234.5", eur).unwrap().minor, 123_450);
        assert_eq!(Money::parse_decimal("-3", eur).unwrap().minor, -300);
        assert_eq!(Money::parse_decimal(".5", eur).unwrap().minor, 50);
        assert_eq!(Money::parse_decimal("7.00", Currency::parse("jpy").unwrap()).unwrap().minor, 7);
        assert!(Money::parse_decimal("1.234", eur).is_err());
        assert!(Money::parse_decimal("12x", eur).is_err());
        assert!(Money::parse_decimal("1,23.00", eur).is_err());
        assert!(Money::parse_decimal("", eur).is_err());
    }

    #[test]
    fn displays_with_minor_digits() {
        assert_eq!(Money::new(-105, Currency::EUR).to_string(), "-1.05 EUR");
        assert_eq!(Money::new(5, Currency::parse("JPY").unwrap()).to_string(), "5 JPY");
    }

    #[test]
    fn groups_thousands_for_reading() {
        assert_eq!(Money::new(2_393_850, Currency::EUR).grouped(), "23,938.50 EUR");
        assert_eq!(Money::new(-12_345_678_900, Currency::EUR).grouped(), "-123,456,789.00 EUR");
        assert_eq!(Money::new(99_999, Currency::EUR).grouped(), "999.99 EUR");
        assert_eq!(Money::new(1_000, Currency::parse("JPY").unwrap()).grouped(), "1,000 JPY");
    }

    #[test]
    fn refuses_to_add_currencies() {
        let a = Money::new(1, Currency::EUR);
        let b = Money::new(1, Currency::USD);
        assert!(a.checked_add(b).is_err());
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(minor in -1_000_000_000_000i64..1_000_000_000_000i64) {
            let m = Money::new(minor, Currency::EUR);
            let shown = m.to_string();
            let number = shown.trim_end_matches(" EUR");
            prop_assert_eq!(Money::parse_decimal(number, Currency::EUR).unwrap(), m);
        }
    }
}
