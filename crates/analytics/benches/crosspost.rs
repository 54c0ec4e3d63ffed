//! Times the cross-posting audit on a synthetic corpus: `N` posts (default 100,000) over five channels, texts of
//! 12 to 60 words drawn from a skewed vocabulary of 20,000 made-up words (a few words very common, most rare,
//! like real posts), of which one in five is a copy of an earlier post on another channel with an edit (hashtags
//! appended, a link changed, emoji added, or a word replaced). Every post has lifetime metrics, so the full audit
//! runs: normalisation, shingles, MinHash, LSH, exact checks, groups, classes and the 2,000-replicate bootstrap.
//!
//! Run: `cargo bench -p socialledger-analytics --bench crosspost` (release build). Pass post counts as arguments
//! to change the sizes, e.g. `-- 10000 100000 300000`. Prints seconds per stage and for the whole audit (best of
//! three runs, and all three).

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use socialledger_analytics::crosspost::{crosspost_audit, near_duplicates, CrosspostOptions};
use socialledger_analytics::Settings;
use socialledger_domain::{Dataset, MetricPeriod, Post, PostMetrics};
use std::time::Instant;

const CHANNELS: [&str; 5] = ["linkedin", "x", "facebook", "instagram", "youtube"];
const SYLLABLES: [&str; 24] = [
    "da", "ta", "lo", "mi", "ven", "sor", "qui", "pla", "ne", "tro", "gar", "fil", "en", "ro", "ka", "stu", "ber",
    "ix", "mon", "le", "sa", "ti", "ur", "bo",
];

fn corpus(n: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut u = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let vocab: Vec<String> = (0..20_000)
        .map(|i| {
            let mut w = String::new();
            let mut k = i + 1;
            while k > 0 {
                w.push_str(SYLLABLES[k % SYLLABLES.len()]);
                k /= SYLLABLES.len();
            }
            w
        })
        .collect();
    let mut posts: Vec<Post> = Vec::with_capacity(n);
    let mut metrics = Vec::with_capacity(n);
    for i in 0..n {
        let channel = CHANNELS[(u() * 5.0) as usize % 5];
        let text = if i > 10 && u() < 0.2 {
            let original = posts[(u() * i as f64) as usize % i].text.clone().unwrap_or_default();
            match (u() * 4.0) as usize {
                0 => format!("{original} #b2b #data #growth"),
                1 => format!("{original} https://lnkd.in/x{i}"),
                2 => format!("🚀 {original} 👉"),
                _ => {
                    let mut words: Vec<&str> = original.split(' ').collect();
                    let k = (u() * words.len() as f64) as usize % words.len().max(1);
                    if let Some(w) = words.get_mut(k) {
                        *w = "replaced";
                    }
                    words.join(" ")
                }
            }
        } else {
            let len = 12 + (u() * 49.0) as usize;
            (0..len).map(|_| vocab[(vocab.len() as f64 * u().powi(3)) as usize].as_str()).collect::<Vec<_>>().join(" ")
        };
        let id = format!("p{i:07}");
        posts.push(Post {
            channel: channel.into(),
            external_id: id.clone(),
            published_at: None,
            post_type: None,
            text: Some(text),
            url: None,
            author: None,
            campaign: None,
            idea: (u() < 0.3).then(|| format!("idea-{}", (u() * (n / 4) as f64) as usize)),
        });
        let impressions = 100 + (u() * 5000.0) as i64;
        metrics.push(PostMetrics {
            channel: channel.into(),
            post_id: id,
            period: Some(MetricPeriod::Lifetime),
            impressions: Some(impressions),
            engagements: Some((impressions as f64 * 0.03 * u()) as i64),
            ..PostMetrics::default()
        });
    }
    Dataset { posts, post_metrics: metrics, ..Dataset::default() }
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![100_000] } else { sizes };
    println!("threads {}", rayon::current_num_threads());
    println!("posts     near-duplicates (s)   full audit (s)   best   distinct  candidates  confirmed  identical");
    for n in sizes {
        let ds = corpus(n, 14);
        let texts: Vec<&str> = ds.posts.iter().map(|p| p.text.as_deref().unwrap_or("")).collect();
        let mut nd = Vec::new();
        let mut full = Vec::new();
        let mut last = None;
        for _ in 0..3 {
            let t = Instant::now();
            let g = near_duplicates(&texts, 0.8);
            nd.push(t.elapsed().as_secs_f64());
            std::hint::black_box(&g);
            let t = Instant::now();
            let a = crosspost_audit(&ds, &Settings::default(), &CrosspostOptions::default()).expect("valid options");
            full.push(t.elapsed().as_secs_f64());
            last = Some(a);
        }
        let a = last.expect("three runs");
        let identical: usize = a.channels.iter().map(|c| c.identical).sum();
        let fmt = |v: &[f64]| v.iter().map(|s| format!("{s:.3}")).collect::<Vec<_>>().join("/");
        let best = full.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "{n:<9} {:<21} {:<16} {best:.3}  {:>8}  {:>10}  {:>9}  {identical:>9}",
            fmt(&nd),
            fmt(&full),
            a.distinct_texts,
            a.candidate_pairs,
            a.confirmed_pairs
        );
    }
}
