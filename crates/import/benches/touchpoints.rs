//! Throughput of the canonical touchpoints import (read + parse + map), the product's largest file: 1M rows.
//! Run with `cargo bench -p socialledger-import --bench touchpoints`; prints rows per second (target: 500k/s).

use socialledger_import::{import_file, ImportOptions};
use std::path::Path;
use std::time::Instant;

/// A deterministic touchpoints file of `rows` rows: ids on half the rows, UTM-derived channels on a third.
fn file(rows: usize) -> Vec<u8> {
    let mut out = String::with_capacity(rows * 110);
    out.push_str("touchpoint_id,contact_id,account_id,deal_id,timestamp,channel,kind,campaign,post_id,utm_source,utm_medium,utm_campaign\n");
    let kinds = ["visit", "engagement", "impression", "form", "email_click", "meeting"];
    let channels = ["linkedin", "x", "newsletter", "events", "paid-search"];
    let utm = [("linkedin", "social"), ("google", "cpc"), ("mailchimp", "email"), ("lnkd.in", "paid_social")];
    for i in 0..rows {
        let id = if i % 2 == 0 { format!("tp-{i}") } else { String::new() };
        let secs = 1_735_689_600 + (i as i64) * 37;
        let ts = chrono::DateTime::from_timestamp(secs, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ");
        let (channel, source, medium) = if i % 3 == 0 {
            let (s, m) = utm[i % utm.len()];
            ("", s, m)
        } else {
            (channels[i % channels.len()], "", "")
        };
        out.push_str(&format!(
            "{id},c-{},acc-{},{},{ts},{channel},{},spring-launch,,{source},{medium},\n",
            i % 50_000,
            i % 4_000,
            if i % 10 == 0 { "d-1" } else { "" },
            kinds[i % kinds.len()],
        ));
    }
    out.into_bytes()
}

fn main() {
    let rows: usize = std::env::var("ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let bytes = file(rows);
    let opts = ImportOptions::default();
    let start = Instant::now();
    let read = socialledger_import::detect::read_source(Path::new("touchpoints.csv"), &bytes).unwrap();
    let read_secs = start.elapsed().as_secs_f64();
    eprintln!("reading alone: {read_secs:.3} s = {:.0} rows/s", rows as f64 / read_secs);
    drop(read);
    for run in 1..=3 {
        let start = Instant::now();
        let parsed = import_file(Path::new("touchpoints.csv"), &bytes, &opts).expect("the generated file is valid");
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(parsed.dataset.touchpoints.len(), rows);
        eprintln!(
            "run {run}: {rows} touchpoints ({:.0} MB) in {secs:.3} s = {:.0} rows/s",
            bytes.len() as f64 / 1e6,
            rows as f64 / secs
        );
    }
}
