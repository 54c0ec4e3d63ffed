//! The `period_metrics` table: aggregates a platform printed for a period and one dimension value, keyed by
//! (`source`, `dimension`, `value`, `period_start`, `period_end`, `metric`).

use super::{finite, Binder, Reader, Table};
use crate::Result;
use socialledger_domain::{Dataset, Date, PeriodMetric};

impl Table for PeriodMetric {
    const NAME: &'static str = "period_metrics";
    const COLUMNS: &'static [&'static str] =
        &["source", "dimension", "value", "period_start", "period_end", "metric", "amount"];
    const KEY: &'static [&'static str] = &["source", "dimension", "value", "period_start", "period_end", "metric"];
    type Key<'a> = (&'a str, &'a str, &'a str, Date, Date, &'a str);

    fn key(&self) -> Self::Key<'_> {
        (&self.source, &self.dimension, &self.value, self.period_start, self.period_end, &self.metric)
    }
    fn bind<'q>(&'q self, b: &mut Binder<'q>) {
        b.text(&self.source);
        b.text(&self.dimension);
        b.text(&self.value);
        b.date(self.period_start);
        b.date(self.period_end);
        b.text(&self.metric);
        b.opt_double(self.amount);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        Ok(PeriodMetric {
            source: r.text()?,
            dimension: r.text()?,
            value: r.text()?,
            period_start: r.date()?,
            period_end: r.date()?,
            metric: r.text()?,
            amount: r.opt_double()?,
        })
    }
    fn of(data: &Dataset) -> &[Self] {
        &data.period_metrics
    }
    fn of_mut(data: &mut Dataset) -> &mut Vec<Self> {
        &mut data.period_metrics
    }
    fn check(&self) -> Option<String> {
        finite("amount", self.amount)
    }
    fn describe(&self) -> String {
        format!(
            "{} {}={:?} {} {}..{}",
            self.source, self.dimension, self.value, self.metric, self.period_start, self.period_end
        )
    }
}
