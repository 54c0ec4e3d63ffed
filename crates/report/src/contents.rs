//! What a report shows, computed once from the input and written by every format.

use crate::period::Period;
use crate::readings::{self, Readings};
use crate::rhythm::Rhythm;
use crate::summary::Summary;
use crate::table::{channel_rows, ChannelRow};
use crate::ReportInput;

/// The figures, rows and readings of one report.
#[derive(Clone, Debug)]
pub struct Contents<'a> {
    pub input: &'a ReportInput<'a>,
    /// The period shown in the header; `None` for a dataset without any dated record.
    pub period: Option<Period>,
    pub summary: Summary,
    pub rows: Vec<ChannelRow>,
    /// The timeline's data; `None` without a period.
    pub rhythm: Option<Rhythm<'a>>,
    pub readings: Readings,
}

impl<'a> Contents<'a> {
    pub fn build(input: &'a ReportInput<'a>) -> Contents<'a> {
        let analysis = input.analysis;
        let period = Period::of(input.dataset, input.settings);
        let rows = channel_rows(analysis);
        let rhythm = period.map(|p| Rhythm::of(input.dataset, p));
        let readings = Readings {
            cost_revenue: readings::cost_revenue::reading(analysis, &rows),
            engagement: readings::engagement::reading(analysis, &rows),
            rhythm: match &rhythm {
                Some(r) => readings::rhythm::reading(analysis, r),
                None => readings::Reading {
                    says: vec!["There are no dated records, so there is no timeline.".to_string()],
                    ..readings::Reading::default()
                },
            },
            hours: readings::hours::reading(analysis, &rows),
            attribution: readings::attribution::reading(analysis, &rows),
            model_comparison: readings::model_comparison::reading(analysis, &rows, input.comparison),
        };
        Contents { input, period, summary: Summary::of(analysis), rows, rhythm, readings }
    }

    /// The report's title: the company or workspace name when given.
    pub fn title(&self) -> String {
        match self.input.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(name) => format!("{name}: social channels report"),
            None => "Social channels report".to_string(),
        }
    }

    /// `generated_at` for people (`2024-04-02 08:00 UTC`).
    pub fn generated_at_for_people(&self) -> String {
        self.input.generated_at.format("%Y-%m-%d %H:%M UTC").to_string()
    }

    /// `generated_at` as written in machine formats (RFC 3339, seconds, UTC).
    pub fn generated_at(&self) -> String {
        self.input.generated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }
}
