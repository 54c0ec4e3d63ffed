//! What the company spends on its channels: weekly time entries per person, channel and task, and monthly cost
//! items (tools, agency, freelancers, ads). Instagram deliberately gets no time entries.

use crate::activities::Plan;
use crate::calendar::Calendar;
use crate::company::{self, Role, PEOPLE};
use crate::content::{self, Content};
use crate::sample::{chance, lognormal, mean_one_gamma};
use crate::streams::{rng, Stream};
use crate::DemoConfig;
use serde::Serialize;
use socialledger_domain::{CostItem, CostKind, Currency, Money, Task, TimeEntry};

/// How many hours a work line takes in a week (before noise).
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hours {
    /// The same mean every week.
    Weekly(f64),
    /// Hours per post the network (index into [`content::NETWORKS`]) published that week.
    PerPost(usize, f64),
    /// Only in the first week of each month.
    Monthly(f64),
    /// Only in weeks with a newsletter issue.
    IssueWeeks(f64),
    /// Only in weeks with a webinar.
    WebinarWeeks(f64),
    /// Only in weeks with a LinkedIn Ads flight running.
    FlightWeeks(f64),
    /// In a trade fair's week (`event`) and in each of the two weeks before it (`before`).
    FairWeeks { event: f64, before: f64 },
}

/// One recurring kind of work of one role.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct WorkLine {
    pub role: Role,
    pub channel: Option<&'static str>,
    pub task: Task,
    pub hours: Hours,
    pub note: &'static str,
}

const fn line(role: Role, channel: Option<&'static str>, task: Task, hours: Hours, note: &'static str) -> WorkLine {
    WorkLine { role, channel, task, hours, note }
}

/// The weekly time plan. No line names `instagram`: the content creator posts there but never logs it.
pub const WORK: [WorkLine; 26] = {
    use company::{EVENTS, FACEBOOK, LINKEDIN, LINKEDIN_ADS, NEWSLETTER, PR, WEBINAR, X, YOUTUBE};
    use Role::*;
    [
        line(MarketingOwner, Some(LINKEDIN), Task::Content, Hours::PerPost(0, 0.3), "review and approval"),
        line(MarketingOwner, Some(LINKEDIN), Task::Community, Hours::Weekly(1.0), "comments and messages"),
        line(MarketingOwner, None, Task::Reporting, Hours::Weekly(1.5), "weekly social media report"),
        line(MarketingOwner, None, Task::Procurement, Hours::Monthly(1.0), "tool and agency invoices"),
        line(MarketingOwner, Some(LINKEDIN_ADS), Task::Other, Hours::FlightWeeks(2.0), "ads management"),
        line(MarketingOwner, Some(EVENTS), Task::Content, Hours::FairWeeks { event: 16.0, before: 3.0 }, "trade fair"),
        line(ContentCreator, Some(LINKEDIN), Task::Content, Hours::PerPost(0, 1.2), "posts"),
        line(ContentCreator, Some(X), Task::Content, Hours::PerPost(1, 0.3), "posts"),
        line(ContentCreator, Some(FACEBOOK), Task::Content, Hours::PerPost(2, 0.5), "posts"),
        line(ContentCreator, Some(YOUTUBE), Task::Content, Hours::PerPost(4, 6.0), "video production"),
        line(ContentCreator, Some(NEWSLETTER), Task::Content, Hours::IssueWeeks(5.0), "newsletter issue"),
        line(ContentCreator, Some(WEBINAR), Task::Content, Hours::WebinarWeeks(4.0), "webinar preparation"),
        line(ContentCreator, Some(LINKEDIN), Task::Community, Hours::Weekly(1.5), "comments"),
        line(ContentCreator, Some(X), Task::Community, Hours::Weekly(1.0), "replies"),
        line(ContentCreator, Some(FACEBOOK), Task::Community, Hours::Weekly(0.5), "comments"),
        line(ContentCreator, Some(YOUTUBE), Task::Community, Hours::Weekly(0.5), "comments"),
        line(CustomerService, Some(X), Task::CustomerService, Hours::Weekly(3.0), "support requests"),
        line(CustomerService, Some(FACEBOOK), Task::CustomerService, Hours::Weekly(2.5), "support requests"),
        line(CustomerService, Some(LINKEDIN), Task::CustomerService, Hours::Weekly(0.75), "support requests"),
        line(CustomerService, Some(YOUTUBE), Task::CustomerService, Hours::Weekly(0.5), "support requests"),
        line(Recruiter, Some(LINKEDIN), Task::Recruiting, Hours::Weekly(4.0), "job posts and sourcing"),
        line(Recruiter, Some(FACEBOOK), Task::Recruiting, Hours::Weekly(0.5), "job posts"),
        line(PrManager, Some(PR), Task::Pr, Hours::Weekly(6.0), "press relations"),
        line(PrManager, Some(LINKEDIN), Task::Pr, Hours::Weekly(1.0), "executive visibility"),
        line(PrManager, Some(X), Task::Pr, Hours::Weekly(1.0), "press mentions"),
        line(PrManager, Some(EVENTS), Task::Pr, Hours::FairWeeks { event: 16.0, before: 4.0 }, "trade fair"),
    ]
};

/// Noise and absence of time logging.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct TimeParams {
    /// Shape of the mean-one Gamma noise on a line's weekly hours (coefficient of variation 1/sqrt(shape)).
    pub hours_gamma_shape: f64,
    /// Hours are rounded to this many minutes (lines that round to zero are not logged).
    pub rounding_minutes: i64,
    /// Probability that a person logs nothing in a week (leave, sickness).
    pub absence_probability: f64,
    /// Upper bound of one entry, in hours (the canonical format accepts at most 24).
    pub max_hours_per_entry: f64,
}

pub const PARAMS: TimeParams =
    TimeParams { hours_gamma_shape: 4.0, rounding_minutes: 15, absence_probability: 0.08, max_hours_per_entry: 24.0 };

/// A monthly cost line. `amount` is fixed (EUR) or drawn LogNormal(median, sigma) rounded to `step_cents`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CostLine {
    pub channel: Option<&'static str>,
    pub kind: CostKind,
    pub description: &'static str,
    pub median_eur: f64,
    pub sigma: f64,
    pub step_cents: i64,
    /// Probability that the line is billed in a month.
    pub probability: f64,
    /// First month index (0 = first simulated month) the line is billed in.
    pub from_month: usize,
    /// Price from month 12 on (a price rise), when set.
    pub second_year_eur: Option<f64>,
}

const fn cost(channel: Option<&'static str>, kind: CostKind, description: &'static str, median_eur: f64) -> CostLine {
    CostLine {
        channel,
        kind,
        description,
        median_eur,
        sigma: 0.0,
        step_cents: 1,
        probability: 1.0,
        from_month: 0,
        second_year_eur: None,
    }
}

/// Monthly cost lines besides search ads (whose budget comes from the plan).
pub const COSTS: [CostLine; 7] = [
    CostLine { second_year_eur: Some(149.0), ..cost(None, CostKind::Tool, "Scheduling tool subscription", 129.0) },
    cost(Some(company::NEWSLETTER), CostKind::Tool, "Newsletter platform", 89.0),
    CostLine { from_month: 6, ..cost(None, CostKind::Tool, "Social listening tool", 250.0) },
    cost(Some(company::PR), CostKind::Agency, "PR agency retainer", 3500.0),
    CostLine {
        sigma: 0.4,
        step_cents: 1000,
        ..cost(Some(company::YOUTUBE), CostKind::Freelancer, "Video editing", 900.0)
    },
    CostLine {
        sigma: 0.4,
        step_cents: 1000,
        probability: 0.7,
        ..cost(Some(company::LINKEDIN), CostKind::Freelancer, "Graphic design", 400.0)
    },
    CostLine { sigma: 0.25, ..cost(Some(company::INSTAGRAM), CostKind::Ads, "Boosted posts", 150.0) },
];

/// Description of the monthly search ads cost item.
pub const SEARCH_ADS: &str = "Search ads";

/// Time entries and cost items of the period.
#[derive(Debug, Clone)]
pub struct Work {
    pub time_entries: Vec<TimeEntry>,
    pub cost_items: Vec<CostItem>,
}

fn in_week(cal: &Calendar, day: usize, w: usize) -> bool {
    cal.week_of(day) == w
}

/// Mean hours of `line` in week `w`.
fn planned_hours(line: &WorkLine, w: usize, cal: &Calendar, plan: &Plan, content: &Content) -> f64 {
    match line.hours {
        Hours::Weekly(h) => h,
        Hours::PerPost(n, h) => h * f64::from(content.posts_per_week[n][w]),
        Hours::Monthly(h) => {
            if cal.months().iter().any(|(_, first)| cal.week_of(cal.next_weekday(*first, 0).min(cal.days - 1)) == w) {
                h
            } else {
                0.0
            }
        }
        Hours::IssueWeeks(h) => {
            if plan.issues.iter().any(|i| in_week(cal, i.day, w)) {
                h
            } else {
                0.0
            }
        }
        Hours::WebinarWeeks(h) => {
            if plan.webinars.iter().any(|i| in_week(cal, i.day, w)) {
                h
            } else {
                0.0
            }
        }
        Hours::FlightWeeks(h) => {
            if plan.flights.iter().any(|f| f.first_day < 7 * w + 7 && f.end_day > 7 * w) {
                h
            } else {
                0.0
            }
        }
        Hours::FairWeeks { event, before } => {
            let mut h = 0.0;
            for f in &plan.fairs {
                let fw = cal.week_of(f.day);
                if fw == w {
                    h += event;
                } else if fw > w && fw - w <= 2 {
                    h += before;
                }
            }
            h
        }
    }
}

/// Logs the people's time week by week and bills the monthly costs.
pub fn log(cfg: &DemoConfig, cal: &Calendar, plan: &Plan, content: &Content) -> Work {
    let p = &PARAMS;
    let mut r = rng(cfg.seed, Stream::Time);
    let mut time_entries = Vec::new();
    for w in 0..cal.weeks() {
        let day = (7 * w + 4).min(cal.days - 1);
        if content::closed(cal, day) {
            continue;
        }
        for person in &PEOPLE {
            if chance(&mut r, p.absence_probability) {
                continue;
            }
            for line in WORK.iter().filter(|l| l.role == person.role) {
                let mean = planned_hours(line, w, cal, plan, content);
                if mean <= 0.0 {
                    continue;
                }
                let hours = (mean * mean_one_gamma(&mut r, p.hours_gamma_shape)).min(p.max_hours_per_entry);
                let minutes = ((hours * 60.0) / p.rounding_minutes as f64).round() as i64 * p.rounding_minutes;
                if minutes <= 0 {
                    continue;
                }
                time_entries.push(TimeEntry {
                    key: format!("te-{:05}", time_entries.len() + 1),
                    person: person.key.to_string(),
                    date: cal.date(day),
                    minutes,
                    channel: line.channel.map(str::to_string),
                    task: line.task,
                    note: Some(line.note.to_string()),
                });
            }
        }
    }

    let mut cost_items = Vec::new();
    for (m, (month, _)) in cal.months().iter().enumerate() {
        for c in &COSTS {
            if m < c.from_month || !chance(&mut r, c.probability) {
                continue;
            }
            let base = match c.second_year_eur {
                Some(later) if m >= 12 => later,
                _ => c.median_eur,
            };
            let eur = if c.sigma > 0.0 { lognormal(&mut r, base, c.sigma) } else { base };
            let cents = ((eur * 100.0 / c.step_cents as f64).round() as i64 * c.step_cents).max(c.step_cents);
            cost_items.push(CostItem {
                channel: c.channel.map(str::to_string),
                month: *month,
                kind: c.kind,
                amount: Money::new(cents, Currency::EUR),
                description: c.description.to_string(),
            });
        }
        if let Some(s) = plan.search.iter().find(|s| s.month == *month) {
            cost_items.push(CostItem {
                channel: Some(company::PAID_SEARCH.to_string()),
                month: *month,
                kind: CostKind::Ads,
                amount: Money::new(s.spend_minor, Currency::EUR),
                description: SEARCH_ADS.to_string(),
            });
        }
    }
    Work { time_entries, cost_items }
}

/// Hours the content creator truly spends per Instagram post without logging them (reported in the truth so a
/// report's "cost understated" warning can be checked).
pub const INSTAGRAM_UNLOGGED_HOURS_PER_POST: f64 = 0.5;
