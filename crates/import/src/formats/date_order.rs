//! Which way round a platform export writes its numeric dates (`03/04/2025`): decided once per file from every
//! date in it, because the platform follows the user's locale (Clockify's workspace format, HubSpot's portal
//! locale, a spreadsheet that re-saved a YouTube file) and never says which one.

use crate::parse::{DateFormat, TsFormat};
use crate::read::Headed;
use crate::{ErrorSink, SourceFile};

/// The order of day and month in a `a/b/yyyy` date (the year is always last in these files).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// `21/01/2026`: day, month, year.
    DayFirst,
    /// `4/8/2025`: month, day, year (US).
    MonthFirst,
}

impl DateOrder {
    /// The date patterns to parse this file's dates with: ISO (never ambiguous) and the file's order.
    pub fn date_formats(self) -> [DateFormat; 2] {
        match self {
            DateOrder::DayFirst => [DateFormat::Iso, DateFormat::DayFirst],
            DateOrder::MonthFirst => [DateFormat::Iso, DateFormat::Us],
        }
    }

    /// The timestamp patterns to parse this file's date-times with.
    pub fn ts_formats(self) -> [TsFormat; 2] {
        match self {
            DateOrder::DayFirst => [TsFormat::Iso, TsFormat::DayFirst],
            DateOrder::MonthFirst => [TsFormat::Iso, TsFormat::Us],
        }
    }

    /// How the order is written in messages.
    pub fn pattern(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "DD/MM/YYYY",
            DateOrder::MonthFirst => "MM/DD/YYYY",
        }
    }
}

/// The first two numbers of a `a/b/yyyy` (or `a-b-yyyy`, `a.b.yyyy`) date at the start of `text`; `None` for ISO
/// dates and anything else.
fn day_month_candidates(text: &str) -> Option<(u32, u32)> {
    let date = text.trim().split([' ', 'T']).next()?;
    let sep = date.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let mut parts = date.split(sep);
    let (a, b, y) = (parts.next()?, parts.next()?, parts.next()?);
    let short = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    if parts.next().is_some() || !short(a) || !short(b) || y.len() != 4 || !y.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// What the dates of one file say about their order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// Some date has a first number above 12 (so it is the day), none a second one.
    Decided(DateOrder),
    /// Every date fits both orders (all day numbers are 12 or less), or there is no numeric date at all.
    Undecided,
    /// One date has its first number above 12 and another its second: the file mixes orders.
    Contradictory { day_first: String, month_first: String },
}

/// Looks at every date of a file (ISO dates and blanks are ignored) and says which order they are in.
pub fn infer<'a>(dates: impl IntoIterator<Item = &'a str>) -> Evidence {
    let (mut day_first, mut month_first) = (None, None);
    for text in dates {
        let Some((a, b)) = day_month_candidates(text) else { continue };
        if a > 12 && day_first.is_none() {
            day_first = Some(text.trim().to_string());
        }
        if b > 12 && month_first.is_none() {
            month_first = Some(text.trim().to_string());
        }
    }
    match (day_first, month_first) {
        (Some(d), Some(m)) => Evidence::Contradictory { day_first: d, month_first: m },
        (Some(_), None) => Evidence::Decided(DateOrder::DayFirst),
        (None, Some(_)) => Evidence::Decided(DateOrder::MonthFirst),
        (None, None) => Evidence::Undecided,
    }
}

/// The `DD_MM_YYYY`-style dates embedded in a file name (`Clockify_Time_Report_Detailed_01_01_2026-31_12_2026`),
/// rewritten as `DD/MM/YYYY`, so [`infer`] can use them when the cells alone do not decide.
pub fn dates_in_file_name(name: &str) -> Vec<String> {
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut out = Vec::new();
    let mut i = 0;
    while i + 10 <= b.len() {
        let fits = digit(i)
            && digit(i + 1)
            && matches!(b[i + 2], b'_' | b'-' | b'.')
            && digit(i + 3)
            && digit(i + 4)
            && b[i + 5] == b[i + 2]
            && (6..10).all(|k| digit(i + k))
            && !digit(i + 10)
            && (i == 0 || !digit(i - 1));
        if fits {
            out.push(format!("{}/{}/{}", &name[i..i + 2], &name[i + 3..i + 5], &name[i + 6..i + 10]));
            i += 10;
        } else {
            i += 1;
        }
    }
    out
}

/// The order of the dates in columns `cols` of a file: what the cells say, else what the dates in the file name
/// say, else `fallback` (with a note saying so when some date was ambiguous). Dates in both orders are an error.
pub fn file_order(
    file: &SourceFile,
    h: &Headed<'_>,
    cols: &[Option<usize>],
    fallback: DateOrder,
    errs: &mut ErrorSink,
) -> DateOrder {
    let cells = h.data().iter().flat_map(|row| cols.iter().flatten().map(move |&c| row.cell(c)));
    match infer(cells) {
        Evidence::Decided(order) => order,
        Evidence::Contradictory { day_first, month_first } => {
            errs.report(
                &file.display_name,
                h.table.sheet.as_deref(),
                h.header_line(),
                None,
                format!("the dates are written in two orders: {day_first:?} is day first, {month_first:?} month first"),
                Some("export the file again, or write every date as YYYY-MM-DD".into()),
            );
            fallback
        }
        Evidence::Undecided => {
            if let Evidence::Decided(order) = infer(dates_in_file_name(&file.file_name).iter().map(String::as_str)) {
                return order;
            }
            let ambiguous = h
                .data()
                .iter()
                .flat_map(|row| cols.iter().flatten().map(move |&c| row.cell(c)))
                .any(|t| day_month_candidates(t).is_some());
            if ambiguous {
                errs.note(format!(
                    "{}: no day in the file is above 12, so the dates fit both DD/MM/YYYY and MM/DD/YYYY; read as {}",
                    file.display_name,
                    fallback.pattern()
                ));
            }
            fallback
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_above_twelve_decides() {
        assert_eq!(infer(["01/02/2026", "21/01/2026"]), Evidence::Decided(DateOrder::DayFirst));
        assert_eq!(infer(["4/8/2025 17:19", "2/22/2025 20:22"]), Evidence::Decided(DateOrder::MonthFirst));
        assert_eq!(infer(["13-06-2025", "2025-06-14"]), Evidence::Decided(DateOrder::DayFirst));
    }

    #[test]
    fn all_small_numbers_or_iso_decide_nothing() {
        assert_eq!(infer(["01/02/2026", "12/11/2025", "", "2025-03-30"]), Evidence::Undecided);
        assert_eq!(infer(Vec::<&str>::new()), Evidence::Undecided);
    }

    #[test]
    fn mixed_orders_are_contradictory() {
        assert_eq!(
            infer(["13/01/2026", "01/13/2026"]),
            Evidence::Contradictory { day_first: "13/01/2026".into(), month_first: "01/13/2026".into() }
        );
    }

    #[test]
    fn file_name_dates() {
        let names = dates_in_file_name("Clockify_Time_Report_Detailed_01_01_2026-31_12_2026.csv");
        assert_eq!(names, ["01/01/2026", "31/12/2026"]);
        assert_eq!(infer(names.iter().map(String::as_str)), Evidence::Decided(DateOrder::DayFirst));
        assert_eq!(dates_in_file_name("Clockify_Time_Report_Detailed_01_29_2023-02_04_2023.csv").len(), 2);
        assert!(dates_in_file_name("report_2025-06-13.csv").is_empty());
    }
}
