//! The followers' demographics (`audience.csv`) against their truth (`truth.json` → `audience`): every snapshot
//! lists each channel's followers of that day once per dimension, the last snapshot's shares are the true ones
//! up to the multinomial draw, and a world with another audience share changes that channel's rows only.

use super::{int, world, Table};
use socialledger_demo::audience::{dimension_shares, DIMENSIONS, OUTSIDERS};
use socialledger_demo::{parse_world, simulate, DemoConfig};
use std::collections::BTreeMap;
use std::path::Path;

/// (channel, date, dimension) -> (listed, matching the target values of [`DIMENSIONS`]).
fn snapshots(audience: &Table) -> BTreeMap<(String, String, String), (i64, i64)> {
    let mut out: BTreeMap<(String, String, String), (i64, i64)> = BTreeMap::new();
    for r in &audience.rows {
        assert_eq!(r["audience"], "followers");
        let dim = DIMENSIONS.iter().find(|d| d.dimension.as_str() == r["dimension"]).expect("a target dimension");
        let inside = dim.target.iter().any(|(v, _)| *v == r["value"]);
        assert!(inside || dim.other.iter().any(|(v, _)| *v == r["value"]), "unknown value {:?}", r["value"]);
        let n = int(&r["count"]);
        assert!(n > 0, "zero counts are not written");
        let e = out.entry((r["channel"].clone(), r["date"].clone(), r["dimension"].clone())).or_default();
        e.0 += n;
        if inside {
            e.1 += n;
        }
    }
    out
}

#[test]
fn every_dimension_of_a_snapshot_lists_the_days_followers_once() {
    let w = world();
    let followers: BTreeMap<(String, String), i64> = w
        .table("channel_days.csv")
        .rows
        .iter()
        .map(|r| ((r["channel"].clone(), r["date"].clone()), int(&r["followers"])))
        .collect();
    let snaps = snapshots(&w.table("audience.csv"));
    // 5 social channels x 24 month ends x 5 dimensions.
    assert_eq!(snaps.len(), 5 * 24 * 5);
    for ((channel, date, dim), (listed, _)) in &snaps {
        assert_eq!(Some(listed), followers.get(&(channel.clone(), date.clone())), "{channel} {date} {dim}");
    }
    let dates: std::collections::BTreeSet<&str> = snaps.keys().map(|(_, d, _)| d.as_str()).collect();
    assert_eq!(dates.first(), Some(&"2024-01-31"));
    assert_eq!(dates.last(), Some(&"2025-12-31"));
}

/// The last snapshot's share per dimension is within four binomial standard errors of the truth's `m_d`
/// (`sqrt(m (1 - m) / followers)`, 1.1-2.4 points for these audiences), and the true joint share lies between
/// the truth's product and its smallest marginal.
#[test]
fn the_last_snapshot_shows_the_true_shares_up_to_the_draw() {
    let w = world();
    let snaps = snapshots(&w.table("audience.csv"));
    let truth = w.truth["audience"].as_array().unwrap();
    assert_eq!(truth.len(), OUTSIDERS.len());
    for t in truth {
        let channel = t["channel"].as_str().unwrap();
        let date = t["last_snapshot"].as_str().unwrap();
        let n = t["followers"].as_f64().unwrap();
        let s = t["inside_share"].as_f64().unwrap();
        let (upper, product) = (t["upper_bound"].as_f64().unwrap(), t["independence_estimate"].as_f64().unwrap());
        assert!(product <= s && s <= upper, "{channel}: {product} {s} {upper}");
        for d in t["dimensions"].as_array().unwrap() {
            let dim = d["dimension"].as_str().unwrap();
            let m = d["share"].as_f64().unwrap();
            let (listed, matching) = snaps[&(channel.to_string(), date.to_string(), dim.to_string())];
            assert_eq!(listed as f64, n);
            let share = matching as f64 / listed as f64;
            let se = (m * (1.0 - m) / n).sqrt();
            assert!((share - m).abs() <= 4.0 * se, "{channel} {dim}: {share:.4} against {m:.4} (se {se:.4})");
        }
    }
    let inside = |c: &str| truth.iter().find(|t| t["channel"] == c).unwrap()["inside_share"].as_f64().unwrap();
    assert!(inside("linkedin") > 0.5 && inside("instagram") < 0.1, "LinkedIn mostly inside, Instagram outside");
}

/// Over all 600 snapshots (5 channels x 24 months x 5 dimensions) the standardised errors of the matching
/// share, `(share - m_d) / sqrt(m_d (1 - m_d) / followers)`, are standard normal: mean within 0.15 of 0 (about
/// four standard errors of a mean of 600) and standard deviation within 0.9 to 1.1. A biased draw (a wrong
/// weight, target values missed) or a wrong spread (counts not multinomial) fails here.
#[test]
fn the_shares_of_every_snapshot_scatter_around_the_truth_as_a_multinomial_draw_should() {
    let w = world();
    let snaps = snapshots(&w.table("audience.csv"));
    let mut z = Vec::new();
    for t in w.truth["audience"].as_array().unwrap() {
        let channel = t["channel"].as_str().unwrap();
        for d in t["dimensions"].as_array().unwrap() {
            let (dim, m) = (d["dimension"].as_str().unwrap(), d["share"].as_f64().unwrap());
            for ((c, _, x), (listed, matching)) in &snaps {
                if c == channel && x == dim {
                    let n = *listed as f64;
                    z.push((*matching as f64 / n - m) / (m * (1.0 - m) / n).sqrt());
                }
            }
        }
    }
    assert_eq!(z.len(), 600);
    let mean = z.iter().sum::<f64>() / z.len() as f64;
    let sd = (z.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / z.len() as f64).sqrt();
    eprintln!("standardised errors of 600 snapshots: mean {mean:.3}, sd {sd:.3}");
    assert!(mean.abs() < 0.15 && (0.9..1.1).contains(&sd), "mean {mean:.3}, sd {sd:.3}");
}

/// A world whose effects file sets Instagram's audience share changes Instagram's audience rows and nothing
/// else: every other file (its deals too, as Instagram's effect is kept) and every other channel's audience rows
/// are byte for byte those of the default world.
#[test]
fn another_audience_share_changes_only_that_channels_rows() {
    let w = world();
    let file = "[[effect]]\nchannel = \"instagram\"\naudience_in_target_group = 0.01\n";
    let world_file = parse_world(file, "instagram.toml").unwrap();
    let cfg = DemoConfig { effects: world_file.effects, audience: world_file.audience, ..DemoConfig::default() };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("demo-instagram-audience");
    let sim = simulate(&cfg);
    let paths = sim.write_csv(&dir).unwrap();
    for path in &paths {
        let name = path.file_name().unwrap().to_str().unwrap();
        let (a, b) = (std::fs::read(w.dir.join(name)).unwrap(), std::fs::read(path).unwrap());
        if name == "audience.csv" {
            let lines = |x: &[u8]| -> Vec<String> {
                String::from_utf8(x.to_vec())
                    .unwrap()
                    .lines()
                    .filter(|l| !l.starts_with("instagram,"))
                    .map(String::from)
                    .collect()
            };
            assert_eq!(lines(&a), lines(&b), "other channels' audience rows changed");
            assert_ne!(a, b);
        } else {
            assert!(a == b, "{name} changed with Instagram's audience share");
        }
    }
    let t = sim.truth();
    let ig = t.audience.iter().find(|a| a.channel == "instagram").unwrap();
    assert_eq!(ig.inside_share, 0.01);
    let profile = OUTSIDERS.iter().find(|o| o.channel == "instagram").unwrap();
    let expected = dimension_shares(0.01, &profile.match_rates);
    assert!(ig.upper_bound < 0.05 && (ig.upper_bound - expected.iter().copied().fold(1.0, f64::min)).abs() < 1e-12);
}
