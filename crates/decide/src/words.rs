//! Numbers as the reasons write them: whole amounts with thousands grouped (`4,213`), signed percentages
//! (`+1,183 %`). Readers compare amounts at a glance; `4213` next to `46257` invites misreading.

/// `x` rounded to a whole number, thousands grouped with commas (`-1,234,568`).
pub fn whole(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let rounded = x.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A fraction as a signed whole percentage, grouped (`12.3` -> `+1,230 %`).
pub fn signed_percent(x: f64) -> String {
    let p = whole(100.0 * x);
    if x >= 0.0 && !p.starts_with('-') {
        format!("+{p} %")
    } else {
        format!("{p} %")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_and_signs_percentages() {
        assert_eq!(whole(4213.4), "4,213");
        assert_eq!(whole(-1_234_567.6), "-1,234,568");
        assert_eq!(whole(999.5), "1,000");
        assert_eq!(whole(12.0), "12");
        assert_eq!(signed_percent(11.83), "+1,183 %");
        assert_eq!(signed_percent(-0.61), "-61 %");
        assert_eq!(signed_percent(0.0), "+0 %");
    }
}
