//! Bulk-write benchmark: generates touchpoints in memory (1,000,000 by default; `SOCIALLEDGER_BENCH_ROWS`
//! overrides), stores them with `Store::import` into a fresh SQLite file and, when `SOCIALLEDGER_TEST_PG` is set
//! (a base URL such as `postgres://postgres@127.0.0.1:5432`), into a fresh PostgreSQL database, then loads them
//! back. Prints rows per second and the peak resident memory (VmHWM from /proc/self/status).
//!
//! Run: `cargo bench -p socialledger-store --bench touchpoints` (release). The target is >= 200,000 rows/s
//! into SQLite; figures and machine are recorded in docs/storage.md.

use socialledger_domain::{Channel, ChannelKind, Dataset, Network, TouchKind, Touchpoint};
use socialledger_store::{ImportOutcome, ImportSource, Store};
use sqlx::{Connection, Executor, PgConnection};
use std::time::Instant;

/// A fixed pseudo-random sequence (splitmix64), so keys arrive in random order as hashed keys do.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

const CHANNELS: [(&str, Option<Network>, ChannelKind); 6] = [
    ("linkedin", Some(Network::LinkedIn), ChannelKind::OrganicSocial),
    ("linkedin-ads", Some(Network::LinkedIn), ChannelKind::PaidSocial),
    ("x", Some(Network::X), ChannelKind::OrganicSocial),
    ("youtube", Some(Network::YouTube), ChannelKind::OrganicSocial),
    ("newsletter", None, ChannelKind::Email),
    ("web", None, ChannelKind::Direct),
];

/// Touchpoints as a CRM/web-analytics export gives them: hashed key, contact and account, a UTM triple on
/// most, a campaign on some, a deal on a few.
fn dataset(rows: u64) -> Dataset {
    let channels = CHANNELS
        .iter()
        .map(|(key, network, kind)| Channel {
            key: key.to_string(),
            name: key.to_string(),
            kind: *kind,
            network: *network,
            handle: None,
            account: None,
        })
        .collect();
    let start = chrono::DateTime::from_timestamp(1_735_689_600, 0).unwrap(); // 2025-01-01
    let touchpoints = (0..rows)
        .map(|i| {
            let r = mix(i);
            // A draw in 0..n from bits `shift..` of r.
            let draw = |shift: u32, n: u64| (r >> shift) % n;
            let (channel, _, _) = CHANNELS[draw(0, CHANNELS.len() as u64) as usize];
            let contact = draw(8, 200_000);
            Touchpoint {
                key: format!("{r:016x}"),
                contact: Some(format!("contact-{contact}")),
                account: Some(format!("account-{}", contact / 8)),
                deal: (draw(40, 50) == 0).then(|| format!("deal-{}", contact / 40)),
                at: start + chrono::Duration::seconds(draw(20, 31_536_000) as i64),
                channel: channel.to_string(),
                kind: TouchKind::ALL[draw(4, TouchKind::ALL.len() as u64) as usize],
                campaign: (draw(50, 3) == 0).then(|| format!("campaign-{}", draw(52, 40))),
                post_ref: None,
                utm_source: (draw(30, 4) != 0).then(|| channel.to_string()),
                utm_medium: (draw(30, 4) != 0).then(|| "social".to_string()),
                utm_campaign: (draw(30, 4) != 0).then(|| format!("q{}", draw(56, 4) + 1)),
            }
        })
        .collect();
    Dataset { channels, touchpoints, ..Default::default() }
}

/// Peak resident set size so far, in MiB.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(f64::NAN);
    kib / 1024.0
}

/// CPU time (user + system) this process used so far, in seconds: on a shared machine, wall time alone mixes in
/// other people's load. Fields 14 and 15 of /proc/self/stat, in clock ticks (100 per second on Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name (field 2) may contain spaces; fields after its closing parenthesis are plain.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
    // After ")" come field 3 (state) onwards, so utime (14) and stime (15) are at indexes 11 and 12.
    (ticks(11) + ticks(12)) / 100.0
}

async fn run(label: &str, location: &str, data: &Dataset) {
    let store = Store::open(location).await.unwrap_or_else(|e| panic!("{label}: {e}"));
    let rows = data.touchpoints.len() as f64;
    let source = ImportSource {
        file_name: "bench.csv".into(),
        format: "bench".into(),
        content_hash: "bench".into(),
        rows: data.touchpoints.len(),
    };
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let outcome = store.import(&source, data, &|_, _| {}).await.unwrap_or_else(|e| panic!("{label}: {e}"));
    let secs = t.elapsed().as_secs_f64();
    let ImportOutcome::Imported { counts, .. } = outcome else { panic!("{label}: not imported") };
    let tp = counts.iter().find(|c| c.table == "touchpoints").unwrap();
    assert_eq!(tp.inserted as usize, data.touchpoints.len(), "{label}: {tp:?}");
    println!(
        "{label:<10} store {rows:>9} touchpoints in {secs:6.2} s = {:>9.0} rows/s   (this process: {:5.2} s CPU)   \
         peak RSS {:6.0} MiB",
        rows / secs,
        cpu_seconds() - cpu,
        peak_rss_mib()
    );
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let loaded = store.load().await.unwrap_or_else(|e| panic!("{label}: {e}"));
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(loaded.touchpoints.len(), data.touchpoints.len());
    println!(
        "{label:<10} load  {rows:>9} touchpoints in {secs:6.2} s = {:>9.0} rows/s   (this process: {:5.2} s CPU)   \
         peak RSS {:6.0} MiB",
        rows / secs,
        cpu_seconds() - cpu,
        peak_rss_mib()
    );
    drop(loaded);
    store.close().await;
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes `--bench`; a filter argument is ignored.
    let rows: u64 = std::env::var("SOCIALLEDGER_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let t = Instant::now();
    let data = dataset(rows);
    println!("generated {rows} touchpoints in {:.2} s, peak RSS {:.0} MiB", t.elapsed().as_secs_f64(), peak_rss_mib());

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bench.db");
    run("sqlite", file.to_str().unwrap(), &data).await;
    let size = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", file.display())).ok())
        .map(|m| m.len())
        .sum::<u64>();
    println!("sqlite     file + WAL: {:.0} MiB", size as f64 / 1048576.0);

    if let Ok(base) = std::env::var("SOCIALLEDGER_TEST_PG") {
        let with_db = |db: &str| {
            let mut url = url::Url::parse(&base).expect("SOCIALLEDGER_TEST_PG must be a URL");
            url.set_path(db);
            url.to_string()
        };
        let name = format!("socialledger_bench_{}", std::process::id());
        let mut admin = PgConnection::connect(&with_db("postgres")).await.expect("PostgreSQL not reachable");
        admin.execute(format!("CREATE DATABASE \"{name}\"").as_str()).await.unwrap();
        run("postgres", &with_db(&name), &data).await;
        admin.execute(format!("DROP DATABASE \"{name}\" WITH (FORCE)").as_str()).await.unwrap();
    } else {
        println!("postgres   skipped (set SOCIALLEDGER_TEST_PG=postgres://user@host:port to run it)");
    }
}
