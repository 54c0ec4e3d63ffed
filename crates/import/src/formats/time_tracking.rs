//! What the detailed reports of time trackers (Toggl, Clockify) share: one row is one time entry with a user, a
//! client, project, tags and description, start and end, and a duration; this module maps such a row onto a
//! [`TimeEntry`], reading the channel and the task from the words of the entry.
//!
//! People are **not** emitted: a tracker knows a user's name and maybe a billable rate (a price charged to a
//! client, not the cost of the person's time), and the store replaces a record on import, so a `Person` from here
//! would overwrite the hourly cost a `people.csv` gave. Entries refer to people by key (the email, else the user
//! name), and the reports list people without an hourly cost as missing data.

use super::canonical::HashKeys;
use super::date_order::{file_order, DateOrder};
use crate::parse::{self, DateFormat};
use crate::read::{Headed, Row};
use crate::{ErrorSink, ImportOptions, SourceFile};
use chrono::NaiveDateTime;
use socialledger_domain::{Channel, ChannelKind, Dataset, Network, Task, TimeEntry};

/// The column names of one tracker's detailed report (matched case-insensitively).
#[derive(Clone, Copy, Debug)]
pub struct ReportLayout {
    /// The format's name (`toggl-detailed`), also used in messages.
    pub name: &'static str,
    /// The tracker's name as users know it (`Toggl`).
    pub tracker: &'static str,
    /// Prefix of the hashed entry keys (`toggl`, `clockify`), so two trackers never share a key.
    pub key_prefix: &'static str,
    /// The columns that identify the report; `user` or `email` must be there too.
    pub required: &'static [&'static str],
    pub user: &'static str,
    pub email: &'static str,
    pub client: &'static str,
    pub project: &'static str,
    pub task: &'static str,
    pub description: &'static str,
    pub tags: &'static str,
    pub start_date: &'static str,
    pub start_time: &'static str,
    pub end_date: &'static str,
    pub end_time: &'static str,
    /// `HH:MM:SS`, hours may exceed 24.
    pub duration: &'static str,
    /// Other date columns that help decide the order of day and month (`Date of creation`).
    pub other_dates: &'static [&'static str],
    /// The order assumed when no date in the file decides it.
    pub fallback_order: DateOrder,
}

impl ReportLayout {
    /// True when a table of the file has this report's header.
    pub fn detect(&self, file: &SourceFile) -> bool {
        file.tables.iter().any(|t| t.header(self.required).is_some_and(|h| h.has(self.user) || h.has(self.email)))
    }

    /// Maps every row of the report onto time entries, plus the channels the entries name that do not exist yet.
    /// Minutes are the duration rounded to the nearest minute (30 s rounds up); the date is the start date (an
    /// entry across midnight counts on the day it began). Rows whose duration differs from End − Start by more
    /// than one second (Toggl keeps milliseconds and truncates both) are counted in a note, not rejected: the
    /// duration is what the tracker reports.
    pub fn parse(&self, file: &SourceFile, opts: &ImportOptions, errs: &mut ErrorSink) -> Dataset {
        let Some(h) = file.tables.iter().find_map(|t| t.header(self.required)) else {
            let first = file.tables.first().and_then(|t| t.header(&[]));
            let missing = first.as_ref().map(|h| h.missing(self.required)).unwrap_or_else(|| self.required.to_vec());
            errs.report(
                &file.display_name,
                None,
                first.as_ref().map_or(1, Headed::header_line),
                None,
                format!("the header lacks the column(s) {} of a {} detailed report", missing.join(", "), self.tracker),
                Some(format!("export the Detailed report as CSV from {}", self.tracker)),
            );
            return Dataset::default();
        };
        h.report_duplicates(
            &[
                self.user,
                self.email,
                self.client,
                self.project,
                self.task,
                self.description,
                self.tags,
                self.start_date,
                self.start_time,
                self.end_date,
                self.end_time,
                self.duration,
            ],
            file,
            errs,
        );
        let c = |name: &str| h.col(name);
        let mut date_cols = vec![c(self.start_date), c(self.end_date)];
        date_cols.extend(self.other_dates.iter().map(|n| c(n)));
        let formats = file_order(file, &h, &date_cols, self.fallback_order, errs).date_formats();
        let cols = Columns {
            user: c(self.user),
            email: c(self.email),
            client: c(self.client),
            project: c(self.project),
            task: c(self.task),
            description: c(self.description),
            tags: c(self.tags),
            start_date: c(self.start_date),
            start_time: c(self.start_time),
            end_date: c(self.end_date),
            end_time: c(self.end_time),
            duration: c(self.duration),
        };
        parse_entries(file, &h, cols, self.key_prefix, &formats, opts, errs)
    }
}

/// Column indices of a detailed report (`None` when the export lacks the column).
#[derive(Clone, Copy, Debug)]
struct Columns {
    user: Option<usize>,
    email: Option<usize>,
    client: Option<usize>,
    project: Option<usize>,
    task: Option<usize>,
    description: Option<usize>,
    tags: Option<usize>,
    start_date: Option<usize>,
    start_time: Option<usize>,
    end_date: Option<usize>,
    end_time: Option<usize>,
    duration: Option<usize>,
}

fn parse_entries(
    file: &SourceFile,
    h: &Headed<'_>,
    cols: Columns,
    key_prefix: &str,
    date_formats: &[DateFormat],
    opts: &ImportOptions,
    errs: &mut ErrorSink,
) -> Dataset {
    let mut ds = Dataset::default();
    let mut keys = HashKeys::default();
    let mut channels = ChannelFinder::new(opts);
    let mut off_by_more_than_a_second = Vec::new();
    h.for_each_row(file, opts, errs, |r| {
        let person = person(r, cols);
        let start_date = r.req_date(cols.start_date, date_formats);
        let end_date = r.get_date(cols.end_date, date_formats);
        let start_time = r.get_with(cols.start_time, parse::parse_time_of_day);
        let end_time = r.get_with(cols.end_time, parse::parse_time_of_day);
        let seconds = r.req_with(cols.duration, parse::parse_duration_seconds);
        if seconds.is_some_and(|s| s > MAX_ENTRY_SECONDS) {
            r.error(
                cols.duration,
                "an entry of more than 168 hours (a week) is implausible",
                Some("a timer left running? correct the entry in the tracker and export again".into()),
            );
        }
        let (Some(person), Some(date), Some(seconds), false) = (person, start_date, seconds, r.failed()) else {
            return;
        };
        if let (Some(st), Some(ed), Some(et)) = (start_time, end_date, end_time) {
            let span = (NaiveDateTime::new(ed, et) - NaiveDateTime::new(date, st)).num_seconds();
            if (span - seconds).abs() > 1 {
                off_by_more_than_a_second.push(r.line());
            }
        }
        let words = EntryWords {
            client: r.cell(cols.client),
            project: r.cell(cols.project),
            task: r.cell(cols.task),
            tags: r.cell(cols.tags),
            description: r.cell(cols.description),
        };
        // The entry is who worked and when: its words (project, tags, description) are edited after the fact, and
        // an edited entry in a second, overlapping download must replace the first, not add to it.
        // Parsed values, not cell texts: a download saved with another date format is still the same entry.
        let text = |v: Option<String>| v.unwrap_or_default();
        let key = keys.key(
            key_prefix,
            &[
                &person,
                &date.to_string(),
                &text(start_time.map(|t| t.to_string())),
                &text(end_date.map(|d| d.to_string())),
                &text(end_time.map(|t| t.to_string())),
            ],
        );
        ds.time_entries.push(TimeEntry {
            key,
            person,
            date,
            minutes: minutes_of(seconds),
            channel: channels.channel_for(&words),
            task: words.task(),
            note: words.note(),
        });
    });
    if let Some(first) = off_by_more_than_a_second.first() {
        let n = off_by_more_than_a_second.len();
        let (what, lines) = if n == 1 { ("entry", "line") } else { ("entries", "lines from") };
        errs.note(format!(
            "{}: {n} {what} whose duration differs from End - Start by more than a second ({lines} {first}); the \
             duration was used (a daylight-saving change between start and end shifts End - Start by an hour)",
            file.display_name
        ));
    }
    ds.channels = channels.created;
    ds
}

/// The person key: the email as written when the export has it, else the user name (as `people.csv` keys).
fn person(r: &mut Row<'_>, cols: Columns) -> Option<String> {
    if let Some(email) = r.get_str(cols.email) {
        return Some(email.to_string());
    }
    match cols.user {
        Some(_) => r.req_str(cols.user).map(str::to_string),
        None => r.req_str(cols.email).map(str::to_string),
    }
}

/// The longest entry accepted: a week. Trackers allow longer ones only when a timer was left running.
pub const MAX_ENTRY_SECONDS: i64 = 168 * 3600;

/// Whole minutes of a duration in seconds, rounded to the nearest minute (half a minute rounds up).
pub fn minutes_of(seconds: i64) -> i64 {
    (seconds + 30).div_euclid(60)
}

/// The free-text fields of one entry, where its channel and task are named.
#[derive(Clone, Copy, Debug, Default)]
pub struct EntryWords<'a> {
    pub client: &'a str,
    pub project: &'a str,
    pub task: &'a str,
    pub tags: &'a str,
    pub description: &'a str,
}

/// Lower-case words (runs of letters and digits) of a text.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// A channel a time entry can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Named {
    Network(Network),
    Newsletter,
}

/// The channel named by one word. `x` counts only in names (client, project, tags), where it is the network; in a
/// description it is too often a letter (`2 x 3`, `project X`).
fn named_by(word: &str, in_names: bool) -> Option<Named> {
    Some(match word {
        "linkedin" => Named::Network(Network::LinkedIn),
        "twitter" | "tweet" | "tweets" => Named::Network(Network::X),
        "x" if in_names => Named::Network(Network::X),
        "facebook" => Named::Network(Network::Facebook),
        "instagram" => Named::Network(Network::Instagram),
        "youtube" => Named::Network(Network::YouTube),
        "tiktok" => Named::Network(Network::TikTok),
        "newsletter" | "newsletters" => Named::Newsletter,
        _ => return None,
    })
}

/// Keywords of each task, tried in this order (the first task with a keyword in the entry wins). A keyword ending
/// in `*` matches any word it begins; a keyword of two words matches two consecutive words.
pub const TASK_KEYWORDS: &[(Task, &[&str])] = &[
    (Task::CustomerService, &["support", "customer service", "customer care", "helpdesk"]),
    (Task::Recruiting, &["hiring", "recruit*", "candidate", "candidates", "job ad", "job ads", "job post*"]),
    (Task::Pr, &["pr", "press", "journalist*", "media relations"]),
    (Task::Procurement, &["procurement", "purchasing", "supplier*", "vendor*"]),
    (Task::Reporting, &["report", "reports", "reporting", "analytics", "monitoring"]),
    (Task::Community, &["community", "engage", "engagement", "reply", "replies", "comments", "moderation"]),
    (Task::Content, &["content", "post", "posts", "posting", "writing", "copywriting", "publish*", "scheduling"]),
];

fn keyword_in(keyword: &str, words: &[String]) -> bool {
    let parts: Vec<&str> = keyword.split(' ').collect();
    words.windows(parts.len()).any(|w| {
        w.iter().zip(&parts).all(|(word, part)| match part.strip_suffix('*') {
            Some(stem) => word.starts_with(stem),
            None => word == part,
        })
    })
}

impl EntryWords<'_> {
    /// The channels named anywhere in the entry, without repeats.
    fn named(&self) -> Vec<Named> {
        let mut found = Vec::new();
        let fields = [(self.project, true), (self.client, true), (self.tags, true), (self.description, false)];
        for (text, in_names) in fields {
            for w in words(text) {
                if let Some(n) = named_by(&w, in_names) {
                    if !found.contains(&n) {
                        found.push(n);
                    }
                }
            }
        }
        found
    }

    /// The task: the tracker's own `Task` when it is one of ours (`support`, `content`), else the first task of
    /// [`TASK_KEYWORDS`] whose keyword appears, looking at the task, tags, description and project in that order;
    /// else `other`.
    pub fn task(&self) -> Task {
        if let Ok(task) = Task::parse(self.task) {
            return task;
        }
        for text in [self.task, self.tags, self.description, self.project] {
            let w = words(text);
            for (task, keywords) in TASK_KEYWORDS {
                if keywords.iter().any(|k| keyword_in(k, &w)) {
                    return *task;
                }
            }
        }
        Task::Other
    }

    /// The note kept with the entry: `Project: Description` (either alone when the other is empty).
    pub fn note(&self) -> Option<String> {
        match (self.project, self.description) {
            ("", "") => None,
            (p, "") => Some(p.to_string()),
            ("", d) => Some(d.to_string()),
            (p, d) => Some(format!("{p}: {d}")),
        }
    }
}

/// Finds the channel key for the channels entries name, and collects the channels that had to be created.
#[derive(Debug)]
pub struct ChannelFinder<'o> {
    opts: &'o ImportOptions,
    /// Channels created by this import (not in `opts.existing_channels`), each once.
    pub created: Vec<Channel>,
}

impl<'o> ChannelFinder<'o> {
    pub fn new(opts: &'o ImportOptions) -> Self {
        ChannelFinder { opts, created: Vec::new() }
    }

    /// The channel of an entry: `--channel` when given (every entry of the file is on it); else the one channel
    /// its words name (`None` when they name none, or several: time shared by channels is social in general).
    pub fn channel_for(&mut self, entry: &EntryWords<'_>) -> Option<String> {
        if let Some(key) = self.opts.channel.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            let network = Network::parse(key).ok();
            return Some(self.ensure(key, || Channel {
                key: key.to_string(),
                name: key.to_string(),
                kind: if network.is_some() { ChannelKind::OrganicSocial } else { ChannelKind::Other },
                network,
                handle: None,
                account: None,
            }));
        }
        match entry.named().as_slice() {
            [Named::Network(n)] => Some(self.network_channel(*n)),
            [Named::Newsletter] => Some(self.newsletter_channel()),
            _ => None,
        }
    }

    /// The existing channel with `key`, else the one created before, else `make()` (remembered as created).
    fn ensure(&mut self, key: &str, make: impl FnOnce() -> Channel) -> String {
        let known = self.opts.existing_channels.iter().chain(&self.created).any(|c| c.key == key);
        if !known {
            self.created.push(make());
        }
        key.to_string()
    }

    /// The organic channel on `network`: the one keyed by the network's name, else the only existing channel on
    /// the network, else a new one keyed by the network's name.
    fn network_channel(&mut self, network: Network) -> String {
        let existing: Vec<&Channel> =
            self.opts.existing_channels.iter().filter(|c| c.network == Some(network)).collect();
        let base = network.as_str();
        if let ([only], false) = (existing.as_slice(), existing.iter().any(|c| c.key == base)) {
            return only.key.clone();
        }
        self.ensure(base, || Channel {
            key: base.to_string(),
            name: network_name(network).to_string(),
            kind: ChannelKind::OrganicSocial,
            network: Some(network),
            handle: None,
            account: None,
        })
    }

    /// The newsletter: the channel keyed `newsletter`, else the only existing email channel, else a new one.
    fn newsletter_channel(&mut self) -> String {
        let email: Vec<&Channel> =
            self.opts.existing_channels.iter().filter(|c| c.kind == ChannelKind::Email).collect();
        if let ([only], false) = (email.as_slice(), email.iter().any(|c| c.key == "newsletter")) {
            return only.key.clone();
        }
        self.ensure("newsletter", || Channel {
            key: "newsletter".into(),
            name: "Newsletter".into(),
            kind: ChannelKind::Email,
            network: None,
            handle: None,
            account: None,
        })
    }
}

/// The network's display name for a channel created here.
fn network_name(network: Network) -> &'static str {
    match network {
        Network::LinkedIn => "LinkedIn",
        Network::X => "X",
        Network::Facebook => "Facebook",
        Network::Instagram => "Instagram",
        Network::YouTube => "YouTube",
        Network::TikTok => "TikTok",
        Network::Mastodon => "Mastodon",
        Network::Bluesky => "Bluesky",
        Network::Threads => "Threads",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(project: &'a str, tags: &'a str, description: &'a str) -> EntryWords<'a> {
        EntryWords { project, tags, description, ..Default::default() }
    }

    #[test]
    fn minutes_round_to_the_nearest() {
        assert_eq!(minutes_of(0), 0);
        assert_eq!(minutes_of(29), 0);
        assert_eq!(minutes_of(30), 1);
        assert_eq!(minutes_of(89), 1);
        assert_eq!(minutes_of(93_605), 1560);
    }

    #[test]
    fn tasks_from_keywords() {
        assert_eq!(entry("Project D", "", "Support: User").task(), Task::CustomerService);
        assert_eq!(entry("", "", "Hiring a designer").task(), Task::Recruiting);
        assert_eq!(entry("", "Recruitment", "").task(), Task::Recruiting);
        assert_eq!(entry("", "", "Some writing").task(), Task::Content);
        assert_eq!(entry("", "", "Press release draft").task(), Task::Pr);
        assert_eq!(entry("", "", "Call with Client").task(), Task::Other);
        // "supporter" is not "support": words match whole unless the keyword is a stem.
        assert_eq!(entry("", "", "Thank a supporter").task(), Task::Other);
        assert_eq!(entry("", "", "answer customer service tickets").task(), Task::CustomerService);
        let with_task = EntryWords { task: "support", description: "Writing posts", ..Default::default() };
        assert_eq!(with_task.task(), Task::CustomerService);
    }

    #[test]
    fn channels_from_words() {
        let opts = ImportOptions::default();
        let mut f = ChannelFinder::new(&opts);
        assert_eq!(f.channel_for(&entry("LinkedIn content", "", "")), Some("linkedin".into()));
        assert_eq!(f.channel_for(&entry("", "", "reply to tweets")), Some("x".into()));
        assert_eq!(f.channel_for(&entry("X", "", "")), Some("x".into()));
        assert_eq!(f.channel_for(&entry("", "", "2 x 3 grid")), None);
        assert_eq!(f.channel_for(&entry("", "Instagram", "")), Some("instagram".into()));
        assert_eq!(f.channel_for(&entry("", "", "March Newsletter")), Some("newsletter".into()));
        assert_eq!(f.channel_for(&entry("Social", "", "LinkedIn and Facebook posts")), None);
        assert_eq!(f.channel_for(&entry("Website", "", "xlinkedinx")), None);
        let keys: Vec<&str> = f.created.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["linkedin", "x", "instagram", "newsletter"]);
        assert_eq!(f.created[3].kind, ChannelKind::Email);
    }

    #[test]
    fn channels_land_on_existing_ones() {
        let channel = |key: &str, network| Channel {
            key: key.into(),
            name: key.into(),
            kind: ChannelKind::OrganicSocial,
            network: Some(network),
            handle: Some("acme".into()),
            account: None,
        };
        let opts = ImportOptions {
            existing_channels: vec![
                channel("li-acme", Network::LinkedIn),
                channel("youtube", Network::YouTube),
                channel("tiktok", Network::TikTok),
            ],
            ..Default::default()
        };
        let mut f = ChannelFinder::new(&opts);
        assert_eq!(f.channel_for(&entry("LinkedIn", "", "")), Some("li-acme".into()));
        assert_eq!(f.channel_for(&entry("", "", "YouTube edit")), Some("youtube".into()));
        assert_eq!(f.channel_for(&entry("", "", "TikTok hiring video")), Some("tiktok".into()));
        assert!(f.created.is_empty());
        let forced = ImportOptions { channel: Some("linkedin-hr".into()), ..Default::default() };
        let mut f = ChannelFinder::new(&forced);
        assert_eq!(f.channel_for(&entry("", "", "anything")), Some("linkedin-hr".into()));
        assert_eq!(f.created.len(), 1);
        assert_eq!(f.created[0].kind, ChannelKind::Other);
    }

    #[test]
    fn notes() {
        assert_eq!(entry("Project A", "", "Recurring").note().as_deref(), Some("Project A: Recurring"));
        assert_eq!(entry("", "", "Recurring").note().as_deref(), Some("Recurring"));
        assert_eq!(entry("", "", "").note(), None);
    }
}
