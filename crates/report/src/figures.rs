//! How numbers are written for people: thousands separators, money with its currency, rates as percentages.
//!
//! Display only. Machine outputs (JSON, CSV) keep full precision and never go through these functions.

use socialledger_domain::{Currency, Money};

/// What a charted or tabulated number measures, so it is written with its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Major units of a currency (charts carry money as `f64` major units; sums stay in integer minor units).
    Money(Currency),
    /// A fraction (0.034 is written 3.4%).
    Rate,
    /// Hours of work.
    Hours,
    /// A plain count.
    Count,
}

/// Writes a non-negative integer with `,` between groups of three digits (`41200` -> `41,200`).
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let head = match digits.len() % 3 {
        0 => 3,
        r => r,
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    out.push_str(&digits[..head]);
    // Digits are ASCII, so byte chunks are characters.
    for group in digits.as_bytes()[head..].chunks(3) {
        out.push(',');
        out.extend(group.iter().map(|b| *b as char));
    }
    out
}

/// Writes `value` with `decimals` digits after the point and grouped thousands (`41200.5`, 1 -> `41,200.5`).
/// A value that is not finite is written `n/a` rather than `NaN`, which means nothing to a reader.
pub fn decimal(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    let scale = 10f64.powi(decimals as i32);
    let scaled = (value.abs() * scale).round();
    // Rounded to zero: no "-0".
    let negative = value < 0.0 && scaled > 0.0;
    let whole = (scaled / scale).trunc();
    let frac = scaled - whole * scale;
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group_thousands(whole as u64));
    if decimals > 0 {
        out.push('.');
        out.push_str(&format!("{:0width$}", frac as u64, width = decimals));
    }
    out
}

/// A range of money in whole units with grouped thousands and no currency (`12,000-45,500`), or one figure when
/// both ends round to the same.
pub fn money_range(lo: Money, hi: Money) -> String {
    let (a, b) = (money_number(lo), money_number(hi));
    if a == b {
        a
    } else {
        format!("{a}-{b}")
    }
}

/// Money in whole major units with grouped thousands and the currency code (`41,200 EUR`), rounded half away
/// from zero. Reports show whole units: cents would only add noise to channel-level sums.
pub fn money(amount: Money) -> String {
    format!("{} {}", money_number(amount), amount.currency)
}

/// The number part of [`money`], without the currency (for table cells under a header that names it).
pub fn money_number(amount: Money) -> String {
    let p = 10i64.pow(amount.currency.exponent());
    let abs = amount.minor.unsigned_abs();
    let half = (p as u64) / 2;
    let whole = (abs + half) / p as u64;
    let sign = if amount.minor < 0 && whole > 0 { "-" } else { "" };
    format!("{sign}{}", group_thousands(whole))
}

/// Money as an exact decimal of major units without grouping or currency (`4120050` cents -> `41200.50`), for
/// machine-readable outputs (CSV) that keep full precision.
pub fn money_exact(amount: Money) -> String {
    let exp = amount.currency.exponent();
    let sign = if amount.minor < 0 { "-" } else { "" };
    let abs = amount.minor.unsigned_abs();
    if exp == 0 {
        return format!("{sign}{abs}");
    }
    let p = 10u64.pow(exp);
    format!("{sign}{}.{:0width$}", abs / p, abs % p, width = exp as usize)
}

/// A return on investment (a fraction) for text tables: a signed whole percentage below ten times the cost
/// (`1.5` -> `+150%`, `-0.2` -> `-20%`), and from there on a multiple (`12.34` -> `12.3x`, `140.2` -> `140x`,
/// `1234.0` -> `1,234x`), so every ROI is at most six characters and reads the same way in every row.
pub fn roi(r: f64) -> String {
    if !r.is_finite() {
        return "n/a".to_string();
    }
    if r >= 9.995 {
        return if r < 99.95 { format!("{}x", decimal(r, 1)) } else { format!("{}x", decimal(r, 0)) };
    }
    roi_full(r)
}

/// A return on investment as a signed whole percentage written in full (`12.34` -> `+1,234%`), for tables with
/// room for it: readers of a report should not have to decode `+1.23k%`.
pub fn roi_full(r: f64) -> String {
    if !r.is_finite() {
        return "n/a".to_string();
    }
    let pct = r * 100.0;
    let body = decimal(pct.abs(), 0);
    let sign = if body == "0" {
        ""
    } else if pct < 0.0 {
        "-"
    } else {
        "+"
    };
    format!("{sign}{body}%")
}

/// A rate (fraction) as a percentage with `decimals` digits (`0.0342`, 1 -> `3.4%`).
pub fn percent(rate: f64, decimals: usize) -> String {
    if !rate.is_finite() {
        return "n/a".to_string();
    }
    format!("{}%", decimal(rate * 100.0, decimals))
}

/// Hours with one decimal (`12.5 h`).
pub fn hours(h: f64) -> String {
    format!("{} h", decimal(h, 1))
}

/// A value written in full with its unit, for labels and readings.
pub fn value(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Money(c) => format!("{} {c}", decimal(v, 0)),
        Unit::Rate => percent(v, 1),
        Unit::Hours => hours(v),
        Unit::Count => decimal(v, 0),
    }
}

/// A short axis label: `250k`, `1.5M`, `3%`, `40 h`. Tick values are nice numbers, so few digits suffice.
pub fn axis(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Rate => {
            let pct = v * 100.0;
            let decimals = if (pct - pct.round()).abs() < 1e-9 { 0 } else { 1 };
            percent(v, decimals)
        }
        Unit::Hours => format!("{} h", compact(v)),
        Unit::Money(_) | Unit::Count => compact(v),
    }
}

/// At most three significant digits with a thousands suffix: `1500` -> `1.5k`, `1250` -> `1.25k`,
/// `2000000` -> `2M`, `999` -> `999`. For axis labels (nice numbers) and narrow terminal columns.
pub fn compact(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    const SUFFIXES: [(f64, &str); 4] = [(1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, "")];
    let a = v.abs();
    let mut i = SUFFIXES.iter().position(|(scale, _)| a >= *scale).unwrap_or(SUFFIXES.len() - 1);
    loop {
        let (scale, suffix) = SUFFIXES[i];
        let scaled = a / scale;
        let decimals = if scaled < 10.0 {
            2
        } else if scaled < 100.0 {
            1
        } else {
            0
        };
        let rounded = (scaled * 10f64.powi(decimals)).round() / 10f64.powi(decimals);
        // 999.6k rounds to 1000k: write it as 1M instead.
        if rounded >= 1000.0 && i > 0 {
            i -= 1;
            continue;
        }
        let mut text = decimal(rounded, decimals as usize);
        if text.contains('.') {
            text = text.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        let sign = if v < 0.0 && text != "0" { "-" } else { "" };
        return format!("{sign}{text}{suffix}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(41200), "41,200");
        assert_eq!(group_thousands(1234567), "1,234,567");
    }

    #[test]
    fn writes_decimals_without_negative_zero_or_nan() {
        assert_eq!(decimal(41200.46, 1), "41,200.5");
        assert_eq!(decimal(-1234.5, 0), "-1,235");
        assert_eq!(decimal(-0.004, 2), "0.00");
        assert_eq!(decimal(0.999, 2), "1.00");
        assert_eq!(decimal(f64::NAN, 1), "n/a");
        assert_eq!(decimal(f64::INFINITY, 1), "n/a");
    }

    #[test]
    fn writes_money_in_whole_units_with_currency() {
        assert_eq!(money(Money::new(4_120_000, Currency::EUR)), "41,200 EUR");
        assert_eq!(money(Money::new(4_120_050, Currency::EUR)), "41,201 EUR");
        assert_eq!(money(Money::new(-149, Currency::EUR)), "-1 EUR");
        assert_eq!(money(Money::new(-49, Currency::EUR)), "0 EUR");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(money(Money::new(1_500_000, jpy)), "1,500,000 JPY");
    }

    #[test]
    fn writes_exact_money_and_roi() {
        assert_eq!(money_exact(Money::new(4_120_050, Currency::EUR)), "41200.50");
        assert_eq!(money_exact(Money::new(-5, Currency::EUR)), "-0.05");
        assert_eq!(money_exact(Money::new(7, Currency::parse("JPY").unwrap())), "7");
        assert_eq!(roi(1.5), "+150%");
        assert_eq!(roi(-0.2), "-20%");
        assert_eq!(roi(-1.0), "-100%");
        assert_eq!(roi(0.001), "0%");
        assert_eq!(roi(12.34), "12.3x");
        assert_eq!(roi(9.99), "+999%");
        assert_eq!(roi(10.0), "10.0x");
        assert_eq!(roi(140.2), "140x");
        assert_eq!(roi(1234.0), "1,234x");
        assert_eq!(roi(f64::NAN), "n/a");
        assert_eq!(roi_full(12.34), "+1,234%");
        assert_eq!(roi_full(94.1), "+9,410%");
        assert_eq!(roi_full(-0.004), "0%");
        assert_eq!(roi_full(-0.726), "-73%");
        assert_eq!(roi_full(f64::INFINITY), "n/a");
    }

    #[test]
    fn writes_rates_and_axis_labels() {
        assert_eq!(percent(0.0342, 1), "3.4%");
        assert_eq!(axis(0.03, Unit::Rate), "3%");
        assert_eq!(axis(0.025, Unit::Rate), "2.5%");
        assert_eq!(axis(250_000.0, Unit::Money(Currency::EUR)), "250k");
        assert_eq!(axis(1_500_000.0, Unit::Count), "1.5M");
        assert_eq!(axis(40.0, Unit::Hours), "40 h");
        assert_eq!(value(41_200.0, Unit::Money(Currency::EUR)), "41,200 EUR");
        assert_eq!(compact(1250.0), "1.25k");
        assert_eq!(compact(999.0), "999");
        assert_eq!(compact(999_600.0), "1M");
        assert_eq!(compact(99_540.0), "99.5k");
        assert_eq!(compact(-2500.0), "-2.5k");
        assert_eq!(compact(0.25), "0.25");
        assert_eq!(compact(0.0), "0");
    }
}
