//! Writes a dataset as the canonical CSV files of docs/formats.md: the headers of the domain's [`columns`], dates
//! `YYYY-MM-DD`, months `YYYY-MM`, RFC 3339 UTC timestamps with `Z`, money as plain decimals beside a currency
//! column.

use crate::DemoError;
use socialledger_domain::canonical::columns;
use socialledger_domain::{Dataset, Date, MetricPeriod, Money, PostMetrics, Timestamp};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File names in import order: channels first, people before time entries, accounts before contacts before
/// deals before touchpoints. `audience.csv` and `conversations.csv` came last (issue 14), so the files before
/// them keep their order.
pub(crate) const FILES: [&str; 14] = [
    "channels.csv",
    "posts.csv",
    "post_days.csv",
    "channel_days.csv",
    "activities.csv",
    "people.csv",
    "time_entries.csv",
    "cost_items.csv",
    "accounts.csv",
    "contacts.csv",
    "deals.csv",
    "touchpoints.csv",
    "audience.csv",
    "conversations.csv",
];

fn date(d: Date) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn month(d: Date) -> String {
    d.format("%Y-%m").to_string()
}

fn timestamp(t: Timestamp) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A plain decimal with the currency's minor digits (`1234.50`), no currency code, no separators.
fn decimal(m: Money) -> String {
    let exp = m.currency.exponent();
    let sign = if m.minor < 0 { "-" } else { "" };
    let abs = m.minor.unsigned_abs();
    if exp == 0 {
        return format!("{sign}{abs}");
    }
    let p = 10u64.pow(exp);
    format!("{sign}{}.{:0width$}", abs / p, abs % p, width = exp as usize)
}

/// Minutes as decimal hours (`1.25`); exact for whole minutes that are multiples of 0.6 (all quarter hours).
fn hours(minutes: i64) -> String {
    let hundredths = minutes * 100;
    if hundredths % 60 == 0 {
        let h = hundredths / 60;
        format!("{}.{:02}", h / 100, h % 100)
    } else {
        format!("{:.4}", minutes as f64 / 60.0)
    }
}

fn opt<T>(v: &Option<T>, f: impl Fn(&T) -> String) -> String {
    v.as_ref().map(f).unwrap_or_default()
}

fn num(v: &Option<i64>) -> String {
    opt(v, i64::to_string)
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

struct Out {
    path: PathBuf,
    writer: csv::Writer<std::fs::File>,
}

impl Out {
    fn create(dir: &Path, name: &str, header: &[&str]) -> Result<Out, DemoError> {
        let path = dir.join(name);
        let writer = csv::Writer::from_path(&path).map_err(|source| DemoError::Csv { path: path.clone(), source })?;
        let mut out = Out { path, writer };
        out.row(header.iter().map(|h| h.to_string()).collect())?;
        Ok(out)
    }

    fn row(&mut self, fields: Vec<String>) -> Result<(), DemoError> {
        self.writer.write_record(&fields).map_err(|source| DemoError::Csv { path: self.path.clone(), source })
    }

    fn finish(mut self) -> Result<PathBuf, DemoError> {
        self.writer.flush().map_err(|source| DemoError::Io { path: self.path.clone(), source })?;
        Ok(self.path)
    }
}

/// Writes every file of [`FILES`] into `dir`, returning their paths in that order.
pub(crate) fn write_all(ds: &Dataset, dir: &Path) -> Result<Vec<PathBuf>, DemoError> {
    let mut paths = Vec::with_capacity(FILES.len());

    let mut f = Out::create(dir, FILES[0], columns::CHANNELS)?;
    for c in &ds.channels {
        f.row(vec![
            c.key.clone(),
            c.name.clone(),
            c.kind.as_str().to_string(),
            opt(&c.network, |n| n.as_str().to_string()),
            text(&c.handle),
        ])?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[1], columns::POSTS)?;
    let lifetime: BTreeMap<(&str, &str), &PostMetrics> = ds
        .post_metrics
        .iter()
        .filter(|m| m.period == Some(MetricPeriod::Lifetime))
        .map(|m| ((m.channel.as_str(), m.post_id.as_str()), m))
        .collect();
    for p in &ds.posts {
        let m = lifetime.get(&(p.channel.as_str(), p.external_id.as_str()));
        let mut row = vec![
            p.channel.clone(),
            p.external_id.clone(),
            opt(&p.published_at, |t| timestamp(*t)),
            opt(&p.post_type, |t| t.as_str().to_string()),
            text(&p.text),
            text(&p.url),
            text(&p.author),
            text(&p.campaign),
            text(&p.idea),
        ];
        match m {
            Some(m) => {
                row.push(opt(&m.date, |d| date(*d)));
                row.extend(counter_values(m));
            }
            None => row.extend(vec![String::new(); 1 + columns::POST_COUNTERS.len()]),
        }
        f.row(row)?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[2], columns::POST_DAYS)?;
    for m in ds.post_metrics.iter().filter(|m| m.period == Some(MetricPeriod::Day)) {
        let mut row = vec![m.channel.clone(), m.post_id.clone(), opt(&m.date, |d| date(*d))];
        row.extend(counter_values(m));
        f.row(row)?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[3], columns::CHANNEL_DAYS)?;
    for d in &ds.channel_days {
        f.row(vec![
            d.channel.clone(),
            opt(&d.date, |x| date(*x)),
            num(&d.followers),
            num(&d.new_followers),
            num(&d.lost_followers),
            num(&d.impressions),
            num(&d.engagements),
            num(&d.page_views),
            num(&d.unique_visitors),
            num(&d.profile_visits),
            num(&d.video_views),
            num(&d.posts_published),
        ])?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[4], columns::ACTIVITIES)?;
    for a in &ds.activities {
        f.row(vec![
            a.key.clone(),
            a.kind.as_str().to_string(),
            a.name.clone(),
            text(&a.channel),
            text(&a.campaign),
            date(a.start),
            date(a.end),
            opt(&a.spend, |m| decimal(*m)),
            opt(&a.spend, |m| m.currency.to_string()),
            num(&a.volume),
            num(&a.reach),
            num(&a.clicks),
        ])?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[5], columns::PEOPLE)?;
    for p in &ds.people {
        f.row(vec![
            p.key.clone(),
            p.name.clone(),
            p.team.as_str().to_string(),
            opt(&p.hourly_cost, |m| decimal(*m)),
            opt(&p.hourly_cost, |m| m.currency.to_string()),
        ])?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[6], columns::TIME_ENTRIES)?;
    for t in &ds.time_entries {
        f.row(vec![
            t.key.clone(),
            t.person.clone(),
            date(t.date),
            hours(t.minutes),
            text(&t.channel),
            t.task.as_str().to_string(),
            text(&t.note),
        ])?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[7], columns::COST_ITEMS)?;
    for c in &ds.cost_items {
        f.row(vec![
            text(&c.channel),
            month(c.month),
            c.kind.as_str().to_string(),
            decimal(c.amount),
            c.amount.currency.to_string(),
            c.description.clone(),
        ])?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[8], columns::ACCOUNTS)?;
    for a in &ds.accounts {
        f.row(vec![a.key.clone(), a.name.clone(), text(&a.industry), text(&a.size), text(&a.country)])?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[9], columns::CONTACTS)?;
    for c in &ds.contacts {
        f.row(vec![
            c.key.clone(),
            text(&c.account),
            text(&c.name),
            text(&c.email),
            text(&c.job_title),
            opt(&c.created_at, |t| timestamp(*t)),
            text(&c.self_reported_source),
        ])?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[10], columns::DEALS)?;
    for d in &ds.deals {
        f.row(vec![
            d.key.clone(),
            text(&d.account),
            d.name.clone(),
            opt(&d.amount, |m| decimal(*m)),
            opt(&d.amount, |m| m.currency.to_string()),
            opt(&d.created, |x| date(*x)),
            text(&d.stage),
            d.status.as_str().to_string(),
            opt(&d.closed, |x| date(*x)),
            text(&d.self_reported_source),
        ])?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[11], columns::TOUCHPOINTS)?;
    for t in &ds.touchpoints {
        f.row(vec![
            t.key.clone(),
            text(&t.contact),
            text(&t.account),
            text(&t.deal),
            timestamp(t.at),
            t.channel.clone(),
            t.kind.as_str().to_string(),
            text(&t.campaign),
            text(&t.post_ref),
            text(&t.utm_source),
            text(&t.utm_medium),
            text(&t.utm_campaign),
        ])?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[12], columns::AUDIENCE)?;
    for a in &ds.audience {
        f.row(vec![
            a.channel.clone(),
            date(a.date),
            a.audience.as_str().to_string(),
            a.dimension.as_str().to_string(),
            a.value.clone(),
            a.count.to_string(),
        ])?;
    }
    paths.push(f.finish()?);

    let mut f = Out::create(dir, FILES[13], columns::CONVERSATIONS)?;
    for c in &ds.conversations {
        f.row(vec![
            c.channel.clone(),
            c.key.clone(),
            opt(&c.kind, |k| k.as_str().to_string()),
            timestamp(c.received_at),
            opt(&c.first_response_at, |t| timestamp(*t)),
            text(&c.assignee),
        ])?;
    }
    paths.push(f.finish()?);

    Ok(paths)
}

fn counter_values(m: &PostMetrics) -> Vec<String> {
    vec![
        num(&m.impressions),
        num(&m.reach),
        num(&m.reactions),
        num(&m.comments),
        num(&m.shares),
        num(&m.clicks),
        num(&m.saves),
        num(&m.video_views),
        num(&m.follows),
        num(&m.engagements),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use socialledger_domain::Currency;

    #[test]
    fn money_is_a_plain_decimal() {
        assert_eq!(decimal(Money::new(123_450, Currency::EUR)), "1234.50");
        assert_eq!(decimal(Money::new(-5, Currency::EUR)), "-0.05");
        assert_eq!(decimal(Money::new(7, Currency::parse("JPY").unwrap())), "7");
    }

    #[test]
    fn quarter_hours_are_exact() {
        assert_eq!(hours(75), "1.25");
        assert_eq!(hours(15), "0.25");
        assert_eq!(hours(600), "10.00");
    }
}
