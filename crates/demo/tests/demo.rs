//! Integration tests of the demo company: the written CSV files are read back with the `csv` crate and checked
//! against docs/formats.md, against each other, and against truth.json.

use serde_json::Value;
use socialledger_demo::{simulate, DemoConfig, Simulation, TRUTH_FILE};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A CSV file read into its header and rows of named fields.
struct Table {
    header: Vec<String>,
    rows: Vec<BTreeMap<String, String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        let rows = reader
            .records()
            .map(|r| {
                let r = r.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                header.iter().cloned().zip(r.iter().map(str::to_string)).collect()
            })
            .collect();
        Table { header, rows }
    }

    fn col<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.rows.iter().map(move |r| r[name].as_str())
    }
}

/// The default world, simulated and written once for all tests of this binary.
struct World {
    sim: Simulation,
    dir: PathBuf,
    paths: Vec<PathBuf>,
    truth: Value,
}

impl World {
    fn table(&self, file: &str) -> Table {
        Table::read(&self.dir.join(file))
    }
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("demo-default");
        let sim = simulate(&DemoConfig::default());
        let paths = sim.write_csv(&dir).unwrap();
        let truth = serde_json::from_str(&std::fs::read_to_string(dir.join(TRUTH_FILE)).unwrap()).unwrap();
        World { sim, dir, paths, truth }
    })
}

/// Parses a money cell: a plain decimal with exactly two digits after the point, in cents.
fn cents(text: &str) -> i64 {
    let (int, frac) = text.split_once('.').unwrap_or_else(|| panic!("money without decimals: {text:?}"));
    assert_eq!(frac.len(), 2, "money must have two decimals: {text:?}");
    assert!(int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit()), "{text:?}");
    int.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

fn int(text: &str) -> i64 {
    text.parse().unwrap_or_else(|_| panic!("not an integer: {text:?}"))
}

fn j(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer in truth.json: {v}"))
}

mod files {
    use super::*;
    use socialledger_demo::DemoError;

    /// The documented columns of every canonical file, in the order we write them (docs/formats.md).
    const HEADERS: [(&str, &str); 14] = [
        ("channels.csv", "channel,name,kind,network,handle"),
        (
            "posts.csv",
            "channel,post_id,published_at,type,text,url,author,campaign,idea,metrics_date,impressions,reach,\
             reactions,comments,shares,clicks,saves,video_views,follows,engagements",
        ),
        (
            "post_days.csv",
            "channel,post_id,date,impressions,reach,reactions,comments,shares,clicks,saves,video_views,follows,\
             engagements",
        ),
        (
            "channel_days.csv",
            "channel,date,followers,new_followers,lost_followers,impressions,engagements,page_views,\
             unique_visitors,profile_visits,video_views,posts_published",
        ),
        ("activities.csv", "activity_id,kind,name,channel,campaign,start,end,spend,currency,volume,reach,clicks"),
        ("people.csv", "person,name,team,hourly_cost,currency"),
        ("time_entries.csv", "entry_id,person,date,hours,channel,task,note"),
        ("cost_items.csv", "channel,month,kind,amount,currency,description"),
        ("accounts.csv", "account_id,name,industry,size,country"),
        ("contacts.csv", "contact_id,account_id,name,email,job_title,created_at,self_reported_source"),
        ("deals.csv", "deal_id,account_id,name,amount,currency,created,stage,status,closed,self_reported_source"),
        (
            "touchpoints.csv",
            "touchpoint_id,contact_id,account_id,deal_id,timestamp,channel,kind,campaign,post_id,utm_source,\
             utm_medium,utm_campaign",
        ),
        ("audience.csv", "channel,date,audience,dimension,value,count"),
        ("conversations.csv", "channel,conversation_id,kind,received_at,first_response_at,assignee"),
    ];

    #[test]
    fn files_come_in_import_order_with_the_documented_headers() {
        let w = world();
        let names: Vec<&str> = w.paths.iter().map(|p| p.file_name().unwrap().to_str().unwrap()).collect();
        let expected: Vec<&str> = HEADERS.iter().map(|(f, _)| *f).collect();
        assert_eq!(names, expected);
        for (file, header) in HEADERS {
            let first_line = std::fs::read_to_string(w.dir.join(file)).unwrap().lines().next().unwrap().to_string();
            assert_eq!(first_line, header, "{file}");
            assert!(!w.table(file).rows.is_empty(), "{file} has no rows");
        }
        assert!(w.dir.join(TRUTH_FILE).exists());
    }

    /// Every column we write is named in its file's section of docs/formats.md, so a renamed column in the spec
    /// fails here rather than at import.
    #[test]
    fn every_column_is_in_the_format_spec() {
        let spec =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/formats.md")).unwrap();
        for (file, header) in HEADERS {
            let at = spec.find(&format!("(`{file}`)")).unwrap_or_else(|| panic!("{file} not in formats.md"));
            let section = &spec[at..];
            let section = &section[..section[1..].find("\n## ").map_or(section.len(), |e| e + 1)];
            for col in header.split(',') {
                let named = section.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|word| word == col);
                assert!(named, "{file}: column {col} is not in its formats.md section");
            }
        }
    }

    #[test]
    fn values_follow_the_canonical_syntax() {
        use chrono::{DateTime, NaiveDate};
        use socialledger_domain as d;
        let w = world();
        let date = |s: &str| {
            assert_eq!(s.len(), 10, "{s:?}");
            NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s:?}: {e}"));
        };
        let stamp = |s: &str| {
            assert!(s.ends_with('Z') && s.len() == 20, "{s:?}");
            DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        };
        let some = |s: &str, f: &dyn Fn(&str)| {
            if !s.is_empty() {
                f(s)
            }
        };

        let t = w.table("channels.csv");
        for r in &t.rows {
            d::ChannelKind::parse(&r["kind"]).unwrap();
            some(&r["network"], &|s| {
                let _ = d::Network::parse(s).unwrap();
            });
        }
        let t = w.table("posts.csv");
        for r in &t.rows {
            stamp(&r["published_at"]);
            date(&r["metrics_date"]);
            d::PostType::parse(&r["type"]).unwrap();
            for c in &t.header[10..] {
                some(&r[c.as_str()], &|s| {
                    let _ = int(s);
                });
            }
        }
        for r in &w.table("post_days.csv").rows {
            date(&r["date"]);
        }
        for r in &w.table("channel_days.csv").rows {
            date(&r["date"]);
            int(&r["followers"]);
        }
        for r in &w.table("activities.csv").rows {
            d::ActivityKind::parse(&r["kind"]).unwrap();
            date(&r["start"]);
            date(&r["end"]);
            assert!(r["start"] <= r["end"]);
            some(&r["spend"], &|s| {
                let _ = cents(s);
            });
            assert_eq!(r["spend"].is_empty(), r["currency"].is_empty());
        }
        for r in &w.table("people.csv").rows {
            d::Team::parse(&r["team"]).unwrap();
            cents(&r["hourly_cost"]);
            assert_eq!(r["currency"], "EUR");
        }
        for r in &w.table("time_entries.csv").rows {
            date(&r["date"]);
            d::Task::parse(&r["task"]).unwrap();
            let hundredths = cents(&r["hours"]);
            assert!(hundredths > 0 && hundredths <= 2400, "hours are a decimal in (0, 24]: {:?}", r["hours"]);
        }
        for r in &w.table("cost_items.csv").rows {
            let m = &r["month"];
            assert_eq!(m.len(), 7, "{m:?}");
            NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").unwrap();
            d::CostKind::parse(&r["kind"]).unwrap();
            cents(&r["amount"]);
            assert_eq!(r["currency"], "EUR");
        }
        for r in &w.table("contacts.csv").rows {
            some(&r["created_at"], &|s| stamp(s));
            assert!(r["email"].ends_with(".example"), "synthetic e-mail domains only: {}", r["email"]);
        }
        for r in &w.table("deals.csv").rows {
            cents(&r["amount"]);
            date(&r["created"]);
            let status = d::DealStatus::parse(&r["status"]).unwrap();
            assert_eq!(status == d::DealStatus::Open, r["closed"].is_empty(), "{:?}", r["deal_id"]);
            some(&r["closed"], &|s| date(s));
            assert!(r["closed"].is_empty() || r["created"] <= r["closed"]);
        }
        for r in &w.table("touchpoints.csv").rows {
            stamp(&r["timestamp"]);
            d::TouchKind::parse(&r["kind"]).unwrap();
        }
        for r in &w.table("conversations.csv").rows {
            stamp(&r["received_at"]);
            some(&r["first_response_at"], &|s| stamp(s));
            assert!(r["first_response_at"].is_empty() || r["received_at"] <= r["first_response_at"]);
            d::ConversationKind::parse(&r["kind"]).unwrap();
        }
    }

    #[test]
    fn same_seed_gives_identical_files_and_another_seed_does_not() {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let again = base.join("demo-again");
        let other = base.join("demo-seed-43");
        simulate(&DemoConfig::default()).write_csv(&again).unwrap();
        simulate(&DemoConfig { seed: 43, ..DemoConfig::default() }).write_csv(&other).unwrap();
        let w = world();
        let mut names: Vec<String> = HEADERS.iter().map(|(f, _)| f.to_string()).collect();
        names.push(TRUTH_FILE.to_string());
        for name in &names {
            let a = std::fs::read(w.dir.join(name)).unwrap();
            assert!(a == std::fs::read(again.join(name)).unwrap(), "{name} differs between two runs of seed 42");
        }
        for name in ["posts.csv", "touchpoints.csv", "deals.csv", TRUTH_FILE] {
            let a = std::fs::read(w.dir.join(name)).unwrap();
            assert!(a != std::fs::read(other.join(name)).unwrap(), "{name} is the same for seeds 42 and 43");
        }
    }

    /// Edge sizes do not panic: no accounts, a single month, a start that is not a Monday or the 1st.
    #[test]
    fn tiny_worlds_simulate_and_write() {
        let start = chrono::NaiveDate::from_ymd_opt(2025, 3, 13).unwrap();
        for (accounts, months) in [(0, 1), (3, 1), (5, 0)] {
            let sim = simulate(&DemoConfig { accounts, months, start, ..DemoConfig::default() });
            assert_eq!(sim.truth().totals.accounts, accounts);
            assert!(sim.truth().period.days >= 28);
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("demo-tiny-{accounts}-{months}"));
            assert_eq!(sim.write_csv(&dir).unwrap().len(), 14);
        }
    }

    #[test]
    fn writing_into_a_file_path_is_an_error_naming_it() {
        let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("demo-not-a-dir");
        std::fs::write(&file, "x").unwrap();
        let err = world().sim.write_csv(&file).unwrap_err();
        assert!(matches!(err, DemoError::Io { .. }), "{err:?}");
        assert!(err.to_string().contains("demo-not-a-dir"), "{err}");
    }
}

mod consistency {
    use super::*;

    #[test]
    fn every_reference_points_at_an_existing_record() {
        let w = world();
        let channels: BTreeSet<String> = w.table("channels.csv").col("channel").map(str::to_string).collect();
        let accounts: BTreeSet<String> = w.table("accounts.csv").col("account_id").map(str::to_string).collect();
        let contacts: BTreeMap<String, String> =
            w.table("contacts.csv").rows.iter().map(|r| (r["contact_id"].clone(), r["account_id"].clone())).collect();
        let deals: BTreeMap<String, String> =
            w.table("deals.csv").rows.iter().map(|r| (r["deal_id"].clone(), r["account_id"].clone())).collect();
        let posts: BTreeSet<(String, String)> =
            w.table("posts.csv").rows.iter().map(|r| (r["channel"].clone(), r["post_id"].clone())).collect();
        let people: BTreeSet<String> = w.table("people.csv").col("person").map(str::to_string).collect();

        assert!(contacts.values().all(|a| accounts.contains(a)));
        assert!(deals.values().all(|a| accounts.contains(a)));
        for file in ["posts.csv", "post_days.csv", "channel_days.csv"] {
            assert!(w.table(file).col("channel").all(|c| channels.contains(c)), "{file}");
        }
        for r in &w.table("post_days.csv").rows {
            assert!(posts.contains(&(r["channel"].clone(), r["post_id"].clone())));
        }
        for file in ["activities.csv", "time_entries.csv", "cost_items.csv"] {
            assert!(w.table(file).col("channel").all(|c| c.is_empty() || channels.contains(c)), "{file}");
        }
        assert!(w.table("time_entries.csv").col("person").all(|p| people.contains(p)));

        let tps = w.table("touchpoints.csv");
        assert!(tps.rows.len() >= 30_000 && tps.rows.len() <= 70_000, "{} touchpoints", tps.rows.len());
        let mut ids = BTreeSet::new();
        for r in &tps.rows {
            assert!(ids.insert(r["touchpoint_id"].clone()), "duplicate {}", r["touchpoint_id"]);
            let account =
                contacts.get(&r["contact_id"]).unwrap_or_else(|| panic!("unknown contact {}", r["contact_id"]));
            assert_eq!(account, &r["account_id"], "{}", r["touchpoint_id"]);
            assert!(channels.contains(&r["channel"]), "unknown channel {}", r["channel"]);
            if !r["deal_id"].is_empty() {
                assert_eq!(deals.get(&r["deal_id"]), Some(&r["account_id"]), "{}", r["touchpoint_id"]);
            }
            if !r["post_id"].is_empty() {
                assert!(posts.contains(&(r["channel"].clone(), r["post_id"].clone())), "{}", r["touchpoint_id"]);
            }
        }
        // Every channel of the world is touched.
        let touched: BTreeSet<&str> = tps.col("channel").collect();
        assert_eq!(touched.len(), channels.len(), "untouched channels: {:?}", channels);
    }

    /// Lifetime counters in posts.csv are the sums of the daily increments in post_days.csv, and a channel day's
    /// impressions and engagements are the sums over its posts that day.
    #[test]
    fn daily_counters_add_up_to_lifetime_and_channel_days() {
        let w = world();
        let days = w.table("post_days.csv");
        let mut per_post: BTreeMap<(String, String), [i64; 4]> = BTreeMap::new();
        let mut per_day: BTreeMap<(String, String), [i64; 2]> = BTreeMap::new();
        for r in &days.rows {
            let e = per_post.entry((r["channel"].clone(), r["post_id"].clone())).or_default();
            e[0] += int(&r["impressions"]);
            e[1] += int(&r["engagements"]);
            e[2] +=
                int(&r["reactions"]) + int(&r["comments"]) + int(&r["shares"]) + int(&r["clicks"]) + int(&r["saves"]);
            e[3] += int(&r["follows"]);
            let d = per_day.entry((r["channel"].clone(), r["date"].clone())).or_default();
            d[0] += int(&r["impressions"]);
            d[1] += int(&r["engagements"]);
        }
        let posts = w.table("posts.csv");
        assert_eq!(per_post.len(), posts.rows.len());
        for r in &posts.rows {
            let sums = per_post[&(r["channel"].clone(), r["post_id"].clone())];
            assert_eq!(int(&r["impressions"]), sums[0], "{}", r["post_id"]);
            assert_eq!(int(&r["engagements"]), sums[1], "{}", r["post_id"]);
            assert_eq!(sums[1], sums[2], "{}", r["post_id"]);
            assert_eq!(int(&r["follows"]), sums[3], "{}", r["post_id"]);
            assert!(int(&r["reach"]) <= int(&r["impressions"]));
        }
        let mut previous: BTreeMap<String, i64> = BTreeMap::new();
        for r in &w.table("channel_days.csv").rows {
            let sums = per_day.get(&(r["channel"].clone(), r["date"].clone())).copied().unwrap_or_default();
            assert_eq!(int(&r["impressions"]), sums[0], "{} {}", r["channel"], r["date"]);
            assert_eq!(int(&r["engagements"]), sums[1], "{} {}", r["channel"], r["date"]);
            let followers = int(&r["followers"]);
            if let Some(before) = previous.get(&r["channel"]) {
                assert_eq!(followers, before + int(&r["new_followers"]) - int(&r["lost_followers"]));
            }
            previous.insert(r["channel"].clone(), followers);
        }
    }

    /// Engagement rates differ by network as documented: LinkedIn 2-4 % of impressions, X about 1 %.
    #[test]
    fn engagement_rates_differ_by_network() {
        let w = world();
        let mut sums: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for r in &w.table("posts.csv").rows {
            let e = sums.entry(r["channel"].clone()).or_default();
            e.0 += int(&r["engagements"]);
            e.1 += int(&r["impressions"]);
        }
        let rate = |c: &str| sums[c].0 as f64 / sums[c].1 as f64;
        assert!((0.02..=0.045).contains(&rate("linkedin")), "linkedin {}", rate("linkedin"));
        assert!((0.006..=0.015).contains(&rate("x")), "x {}", rate("x"));
        assert!(rate("linkedin") > 2.0 * rate("x"));
        // Identical cross-posts exist: some texts appear on more than one channel.
        let posts = w.table("posts.csv");
        let mut channels_of_text: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for r in &posts.rows {
            channels_of_text.entry(r["text"].as_str()).or_default().insert(r["channel"].as_str());
        }
        assert!(channels_of_text.values().any(|c| c.len() >= 3));
    }
}

mod truth {
    use super::*;

    /// The inbox behaves as truth.json says: per channel, the sample median of the hours to the first answer is
    /// near the true median (log-normal, 120 to 900 answers over two years: within 25 %, more than three standard
    /// errors of a sample median), the share never
    /// answered near the true one (within 5 points), and every median is well under the verdict's 24 hours.
    #[test]
    fn the_inbox_answers_as_the_truth_says() {
        let w = world();
        let inbox = w.truth["inbox"].as_array().unwrap();
        assert_eq!(inbox.len(), 5);
        let table = w.table("conversations.csv");
        for spec in inbox {
            let channel = spec["channel"].as_str().unwrap();
            let rows: Vec<_> = table.rows.iter().filter(|r| r["channel"] == channel).collect();
            // Poisson counts: within three standard deviations of the expected number.
            let expected = spec["per_week"].as_f64().unwrap() * w.truth["period"]["days"].as_f64().unwrap() / 7.0;
            let n = rows.len() as f64;
            assert!((n - expected).abs() < 3.0 * expected.sqrt(), "{channel}: {n} conversations, {expected} expected");
            let stamp = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
            let mut hours: Vec<f64> = rows
                .iter()
                .filter(|r| !r["first_response_at"].is_empty())
                .map(|r| (stamp(&r["first_response_at"]) - stamp(&r["received_at"])).num_seconds() as f64 / 3600.0)
                .collect();
            hours.sort_by(f64::total_cmp);
            let median = hours[hours.len() / 2];
            let true_median = spec["median_hours"].as_f64().unwrap();
            assert!((median / true_median - 1.0).abs() < 0.25, "{channel}: median {median} against {true_median}");
            assert!(median < 24.0, "{channel}");
            let unanswered = 1.0 - hours.len() as f64 / rows.len() as f64;
            let true_unanswered = spec["unanswered"].as_f64().unwrap();
            assert!((unanswered - true_unanswered).abs() < 0.05, "{channel}: {unanswered} against {true_unanswered}");
        }
    }

    #[test]
    fn totals_match_the_files() {
        let w = world();
        let t = &w.truth["totals"];
        let deals = w.table("deals.csv");
        let status = |s: &str| deals.col("status").filter(|x| *x == s).count() as i64;
        assert_eq!(deals.rows.len() as i64, j(&t["deals"]));
        assert_eq!(status("won"), j(&t["won"]));
        assert_eq!(status("lost"), j(&t["lost"]));
        assert_eq!(status("open"), j(&t["open"]));
        let won_revenue: i64 = deals.rows.iter().filter(|r| r["status"] == "won").map(|r| cents(&r["amount"])).sum();
        assert_eq!(won_revenue, j(&t["won_revenue_minor"]));
        assert_eq!(deals.col("amount").map(cents).sum::<i64>(), j(&t["pipeline_minor"]));
        assert!(j(&t["won"]) >= 30, "too few won deals to analyse: {}", t["won"]);

        let tps = w.table("touchpoints.csv");
        assert_eq!(tps.rows.len() as i64, j(&t["touchpoints"]));
        let mut by_channel: BTreeMap<&str, i64> = BTreeMap::new();
        for c in tps.col("channel") {
            *by_channel.entry(c).or_default() += 1;
        }
        for (c, n) in &by_channel {
            assert_eq!(*n, j(&t["touchpoints_by_channel"][*c]), "{c}");
        }
        let mut posts: BTreeMap<&str, i64> = BTreeMap::new();
        let post_table = w.table("posts.csv");
        for c in post_table.col("channel") {
            *posts.entry(c).or_default() += 1;
        }
        for (c, n) in &posts {
            assert_eq!(*n, j(&t["posts"][*c]), "{c}");
        }
        let contacts = w.table("contacts.csv");
        assert_eq!(contacts.rows.len() as i64, j(&t["contacts"]));
        assert_eq!(contacts.col("created_at").filter(|c| !c.is_empty()).count() as i64, j(&t["leads"]));
        assert_eq!(w.table("accounts.csv").rows.len() as i64, j(&t["accounts"]));
        assert_eq!(w.table("time_entries.csv").rows.len() as i64, j(&t["time_entries"]));
        assert_eq!(w.table("cost_items.csv").rows.len() as i64, j(&t["cost_items"]));
        assert_eq!(w.table("activities.csv").rows.len() as i64, j(&t["activities"]));
        assert_eq!(w.table("audience.csv").rows.len() as i64, j(&t["audience_slices"]));
    }

    /// Full cost per channel recomputed from people.csv (hourly cost), time_entries.csv, cost_items.csv and
    /// activities.csv equals the truth.
    #[test]
    fn costs_match_the_files() {
        let w = world();
        let rate: BTreeMap<String, i64> =
            w.table("people.csv").rows.iter().map(|r| (r["person"].clone(), cents(&r["hourly_cost"]))).collect();
        let mut cost: BTreeMap<String, [i64; 4]> = BTreeMap::new();
        for r in &w.table("time_entries.csv").rows {
            let minutes = cents(&r["hours"]) * 60 / 100;
            let e = cost.entry(r["channel"].clone()).or_default();
            e[0] += minutes;
            e[1] += minutes * rate[&r["person"]] / 60;
        }
        for r in &w.table("cost_items.csv").rows {
            cost.entry(r["channel"].clone()).or_default()[2] += cents(&r["amount"]);
        }
        for r in w.table("activities.csv").rows.iter().filter(|r| !r["spend"].is_empty()) {
            cost.entry(r["channel"].clone()).or_default()[3] += cents(&r["spend"]);
        }
        let mut rows: Vec<&Value> = w.truth["costs"].as_array().unwrap().iter().collect();
        rows.push(&w.truth["general_cost"]);
        for c in rows {
            let key = c["channel"].as_str().unwrap();
            let mine = cost.get(key).copied().unwrap_or_default();
            assert_eq!(mine[0], j(&c["minutes"]), "{key}");
            assert_eq!(mine[1], j(&c["time_cost_minor"]), "{key}");
            assert_eq!(mine[2], j(&c["cost_items_minor"]), "{key}");
            assert_eq!(mine[3], j(&c["activity_spend_minor"]), "{key}");
            assert_eq!(mine.iter().skip(1).sum::<i64>(), j(&c["total_minor"]), "{key}");
        }
    }

    #[test]
    fn instagram_is_posted_on_but_gets_no_time() {
        let w = world();
        let entries = w.table("time_entries.csv");
        assert!(entries.col("channel").all(|c| c != "instagram"));
        assert!(entries.col("channel").any(|c| c == "linkedin"));
        assert!(w.table("posts.csv").col("channel").filter(|c| *c == "instagram").count() > 100);
        assert_eq!(w.truth["unlogged"]["channel"], "instagram");
        assert!(w.truth["unlogged"]["hours"].as_f64().unwrap() > 0.0);
    }

    /// Hidden intent raises direct visits and buying: accounts that buy have clearly more direct touches per
    /// contact although `direct` causes nothing.
    #[test]
    fn intent_confounds_direct_visits() {
        let w = world();
        let buyers: BTreeSet<String> = w
            .table("deals.csv")
            .rows
            .iter()
            .filter(|r| r["status"] == "won")
            .map(|r| r["account_id"].clone())
            .collect();
        let mut contacts = [0f64; 2];
        for a in w.table("contacts.csv").col("account_id") {
            contacts[usize::from(buyers.contains(a))] += 1.0;
        }
        let mut direct = [0f64; 2];
        for r in w.table("touchpoints.csv").rows.iter().filter(|r| r["channel"] == "direct") {
            direct[usize::from(buyers.contains(&r["account_id"]))] += 1.0;
        }
        let ratio = (direct[1] / contacts[1]) / (direct[0] / contacts[0]);
        assert!(ratio > 1.3, "direct touches per contact, buyers over others: {ratio}");
        let effect = w.truth["effects"].as_array().unwrap().iter().find(|e| e["channel"] == "direct").unwrap();
        assert_eq!(effect["create"].as_f64(), Some(0.0));
        assert!(
            w.truth["confounding"]["mean_intent_buyers"].as_f64()
                > w.truth["confounding"]["mean_intent_others"].as_f64()
        );
    }

    #[test]
    fn true_effects_are_sane() {
        let w = world();
        let effects = w.truth["effects"].as_array().unwrap();
        let mut revenue_shares = w.truth["baseline_revenue_share"].as_f64().unwrap();
        let mut pipeline_shares =
            w.truth["baseline"]["deals"].as_f64().unwrap() / w.truth["expected"]["deals"].as_f64().unwrap();
        for e in effects {
            let name = e["channel"].as_str().unwrap();
            let f = |path: [&str; 2]| e[path[0]][path[1]].as_f64().unwrap();
            for k in ["deals", "won", "revenue_eur"] {
                assert!(f(["removal_expected", k]) >= 0.0, "{name}: removing it raises expected {k}");
            }
            for k in ["deals", "won", "revenue_minor"] {
                assert!(f(["removal_realized", k]) >= 0.0, "{name}: removing it raised {k}");
            }
            let share = e["revenue_share"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&share), "{name}: {share}");
            revenue_shares += share;
            pipeline_shares += e["pipeline_share"].as_f64().unwrap();
            if e["create"].as_f64() == Some(0.0) && e["win"].as_f64() == Some(0.0) {
                for k in ["deals", "won", "revenue_eur"] {
                    assert_eq!(f(["removal_expected", k]), 0.0, "{name} has no effect");
                }
                assert_eq!(f(["removal_realized", "revenue_minor"]), 0.0, "{name} has no effect");
                assert_eq!(share, 0.0, "{name} has no effect");
            } else {
                assert!(f(["removal_expected", "deals"]) > 0.0, "{name} has an effect");
            }
        }
        assert!((revenue_shares - 1.0).abs() < 1e-9, "revenue shares add up to {revenue_shares}");
        assert!((pipeline_shares - 1.0).abs() < 1e-9, "pipeline shares add up to {pipeline_shares}");
        let by = |c: &str| effects.iter().find(|e| e["channel"] == c).unwrap()["revenue_share"].as_f64().unwrap();
        assert!(by("linkedin") > by("x") && by("linkedin") > by("instagram"));
    }

    /// Switching a channel's effect off in the config re-simulates the same world with the same random numbers:
    /// every touch but the sales meetings is unchanged, and exactly the deals and revenue the truth says would
    /// disappear do disappear.
    #[test]
    fn switching_an_effect_off_removes_what_the_truth_says() {
        let w = world();
        let off = simulate(&DemoConfig::default().without_effect("linkedin"));
        let base = w.sim.truth();
        let removed = &base.effects.iter().find(|e| e.channel == "linkedin").unwrap().removal_realized;
        assert!(removed.revenue_minor > 0);
        assert_eq!(off.truth().totals.deals as i64, base.totals.deals as i64 - removed.deals);
        assert_eq!(off.truth().totals.won as i64, base.totals.won as i64 - removed.won);
        assert_eq!(off.truth().totals.won_revenue_minor, base.totals.won_revenue_minor - removed.revenue_minor);
        let non_meetings = |s: &Simulation| {
            s.dataset()
                .touchpoints
                .iter()
                .filter(|t| t.channel != "sales")
                .map(|t| (t.at, t.contact.clone(), t.channel.clone(), t.kind))
                .collect::<Vec<_>>()
        };
        assert!(non_meetings(&off) == non_meetings(&w.sim));
        let linkedin = off.truth().effects.iter().find(|e| e.channel == "linkedin").unwrap();
        assert_eq!(linkedin.removal_expected.revenue_eur, 0.0);
        assert!(off.truth().expected.revenue_eur < base.expected.revenue_eur);
    }
}

/// The weekly pipeline truth (`truth.json` -> `weekly_pipeline`), which a mix model's decomposition is checked
/// against, and the 36-month world a mix model needs.
mod weekly {
    use super::*;
    use chrono::{Datelike, Weekday};
    use socialledger_demo::truth::WeeklyPipeline;

    /// Sums of cent-rounded weekly values differ from the exact totals by at most half a cent per week.
    fn close(a: f64, b: f64, weeks: usize) -> bool {
        (a - b).abs() <= 0.005 * weeks as f64 + 1e-9 * b.abs()
    }

    fn check(sim: &Simulation) -> &WeeklyPipeline {
        let t = sim.truth();
        let w = &t.weekly_pipeline;
        let n = w.weeks.len();
        assert!(w.weeks.iter().all(|d| d.weekday() == Weekday::Mon));
        assert!(w.weeks.windows(2).all(|p| (p[1] - p[0]).num_days() == 7));
        assert_eq!(w.days.iter().map(|&d| usize::from(d)).sum::<usize>(), t.period.days);
        assert!(w.weeks[0] <= t.period.start && t.period.last < w.weeks[n - 1] + chrono::Days::new(7));
        for series in [&w.expected_eur, &w.baseline_eur] {
            assert_eq!(series.len(), n);
        }
        assert!(close(w.expected_eur.iter().sum(), t.expected.pipeline_eur, n));
        assert!(close(w.baseline_eur.iter().sum(), t.baseline.pipeline_eur, n));
        let with_creation: Vec<&str> =
            t.effects.iter().filter(|e| e.create > 0.0).map(|e| e.channel.as_str()).collect();
        let listed: Vec<&str> = w.channels.iter().map(|c| c.channel.as_str()).collect();
        assert_eq!(listed, with_creation);
        for c in &w.channels {
            let e = t.effects.iter().find(|e| e.channel == c.channel).unwrap();
            let removal: f64 = c.removal_eur.iter().sum();
            assert!(
                close(removal, e.removal_expected.pipeline_eur, n),
                "{}: weekly removals sum to {removal}, removal_expected says {}",
                c.channel,
                e.removal_expected.pipeline_eur
            );
            assert!(close(c.shapley_eur.iter().sum(), e.shapley_expected.pipeline_eur, n), "{}", c.channel);
            assert!(c.removal_eur.iter().all(|&v| v >= 0.0) && c.shapley_eur.iter().all(|&v| v >= 0.0));
        }
        for i in 0..n {
            let shapley: f64 = w.channels.iter().map(|c| c.shapley_eur[i]).sum();
            let removal: f64 = w.channels.iter().map(|c| c.removal_eur[i]).sum();
            let effect = w.expected_eur[i] - w.baseline_eur[i];
            // Shapley values split the effect exactly; removals add up to less (the creation probability is
            // concave in the hazards), as the doc comment says.
            assert!((w.baseline_eur[i] + shapley - w.expected_eur[i]).abs() <= 0.005 * (w.channels.len() + 2) as f64);
            assert!(removal <= effect + 0.005 * (w.channels.len() + 2) as f64, "week {i}: {removal} > {effect}");
        }
        w
    }

    #[test]
    fn weekly_removals_sum_to_the_removal_totals() {
        let w = check(&world().sim);
        assert_eq!((w.weeks[0], w.weeks.len()), (chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), 105));
        // The last week holds 29 to 31 December 2025 only.
        assert_eq!(w.days[104], 3);
        // truth.json carries it, and stays a reasonable size.
        let weekly = &world().truth["weekly_pipeline"];
        assert_eq!(weekly["channels"].as_array().unwrap().len(), 10);
        let size = std::fs::metadata(world().dir.join(TRUTH_FILE)).unwrap().len();
        assert!(size < 400_000, "truth.json has {size} bytes");
        // Removing a channel loses less than it adds on its own, and less than its Shapley value in total.
        let removal_total: f64 = w.channels.iter().map(|c| c.removal_eur.iter().sum::<f64>()).sum();
        let effect: f64 = world().sim.truth().expected.pipeline_eur - world().sim.truth().baseline.pipeline_eur;
        assert!(removal_total < effect, "{removal_total} {effect}");
    }

    /// A start that is not a Monday: the first week begins before it and is partial.
    #[test]
    fn weeks_of_a_world_starting_midweek() {
        let start = chrono::NaiveDate::from_ymd_opt(2025, 3, 13).unwrap();
        let sim = simulate(&DemoConfig { accounts: 60, months: 3, start, ..DemoConfig::default() });
        let w = check(&sim);
        assert_eq!(w.weeks[0], chrono::NaiveDate::from_ymd_opt(2025, 3, 10).unwrap());
        assert_eq!(w.days[0], 4);
    }

    /// `socialledger demo --months 36`: three years simulate, write and keep their truth consistent; the
    /// plan repeats every year (campaigns, fairs, webinars).
    #[test]
    fn a_36_month_world_simulates_end_to_end() {
        let started = std::time::Instant::now();
        let sim = simulate(&DemoConfig { months: 36, ..DemoConfig::default() });
        let t = sim.truth();
        assert_eq!((t.period.days, t.period.last), (1096, chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()));
        let w = check(&sim);
        assert_eq!(w.weeks.len(), 157);
        let ds = sim.dataset();
        for year in [2024, 2025, 2026] {
            let of = |kind: socialledger_domain::ActivityKind| {
                ds.activities.iter().filter(|a| a.kind == kind && a.start.year() == year).count()
            };
            assert!(of(socialledger_domain::ActivityKind::Event) >= 3, "{year}: fairs");
            assert!(of(socialledger_domain::ActivityKind::Webinar) == 6, "{year}: webinars");
            assert!(of(socialledger_domain::ActivityKind::Newsletter) == 12, "{year}: newsletters");
            assert!(ds.activities.iter().any(|a| a.key.starts_with(&format!("cmp-{year}"))), "{year}: campaigns");
        }
        assert!(t.totals.deals > 500, "{} deals in three years", t.totals.deals);
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("demo-36-months");
        assert_eq!(sim.write_csv(&dir).unwrap().len(), 14);
        let bytes: u64 = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).sum();
        eprintln!(
            "36 months: {} deals, {} touchpoints, {} files, {:.1} MB, {:.2} s (simulate and write, this build)",
            t.totals.deals,
            t.totals.touchpoints,
            14,
            bytes as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
    }
}

#[path = "demo/audience.rs"]
mod audience;
#[path = "demo/experiments.rs"]
mod experiments;
