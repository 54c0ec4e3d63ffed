//! The cross-posting audit: near-duplicate detection on a labelled set built from the real post texts of the
//! shared exports, and `socialledger crossposts` on a demo database.
//!
//! **The labelled set.** Every post text of the LinkedIn, X, Facebook and YouTube exports (read by our importers),
//! kept when at least [`MIN_CHARS`] characters remain after normalisation (a reply of five words cannot be told
//! from another post with the same words by resemblance, and is not what cross-posting is about), exact copies
//! after normalisation counted once. Each original gets one edited copy, the edit chosen by its position (the
//! first edit of the list that applies):
//! 1. hashtags appended (` #b2b #marketing #growth`), as a tool adds per network;
//! 2. the link changed (every `http…` token replaced by a shortened one, or one appended);
//! 3. emoji added (`🚀 ` in front, ` 👉👇` behind) and the line breaks collapsed;
//! 4. cut to fit X: at the last space before 280 characters, plus `…` and a link (only for originals of 281 to 350
//!    characters: a longer post cut to 280 is a prefix, not a near-identical text; docs/crossposting.md, "Limits");
//! 5. the first sentence moved to the end (only with at least two sentences);
//! 6. a mention added in front (`@acme `), as the X copy of a LinkedIn post tags the company's handle.
//!
//! Positives: each original with its copy. Negatives: every other pair. Precision and recall are counted over
//! pairs grouped together at the default threshold.

use crate::mmm_panel::demo;
use crate::support::{bin, export_files};
use serde_json::Value;
use socialledger_analytics::crosspost::{near_duplicates, shingles, CrosspostOptions};
use socialledger_import::ImportOptions;
use std::collections::BTreeSet;

const MIN_CHARS: usize = 100;

/// Real post texts of the shared exports, distinct after normalisation, at least `MIN_CHARS` long.
fn real_texts() -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut texts = Vec::new();
    for path in export_files() {
        let dir = path.parent().and_then(|d| d.file_name()).and_then(|d| d.to_str()).unwrap_or("");
        if !matches!(dir, "linkedin" | "x" | "facebook" | "youtube") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let Ok(parsed) = socialledger_import::import_file(&path, &bytes, &ImportOptions::default()) else {
            continue;
        };
        for text in parsed.dataset.posts.into_iter().filter_map(|p| p.text) {
            let norm = shingles::normalize(&text);
            if norm.chars().count() >= MIN_CHARS && seen.insert(norm) {
                texts.push(text);
            }
        }
    }
    texts
}

/// The edited copy of `text` (see the module documentation); `kind` picks the first edit to try.
fn edit(text: &str, kind: usize) -> String {
    for k in 0..6 {
        if let Some(copy) = try_edit(text, (kind + k) % 6) {
            return copy;
        }
    }
    unreachable!("hashtags can always be appended")
}

fn try_edit(text: &str, kind: usize) -> Option<String> {
    match kind {
        0 => Some(format!("{text} #b2b #marketing #growth")),
        1 => {
            let mut changed = false;
            let words: Vec<&str> = text
                .split(' ')
                .map(|w| {
                    if w.starts_with("http") {
                        changed = true;
                        "https://lnkd.in/e7Xq2Zp"
                    } else {
                        w
                    }
                })
                .collect();
            Some(if changed { words.join(" ") } else { format!("{text} https://bit.ly/3xYz9Qa") })
        }
        2 => Some(format!("🚀 {} 👉👇", text.split_whitespace().collect::<Vec<_>>().join(" "))),
        3 => {
            let chars = text.chars().count();
            if !(281..=350).contains(&chars) {
                return None;
            }
            let cut: String = text.chars().take(278).collect();
            let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
            Some(format!("{cut}… https://t.co/Ab3dE"))
        }
        4 => {
            let (first, rest) = text.split_once(". ")?;
            if rest.trim().is_empty() {
                return None;
            }
            Some(format!("{rest} {first}."))
        }
        _ => Some(format!("@acme {text}")),
    }
}

#[test]
fn near_duplicates_of_real_posts_are_found_with_precision_and_recall_of_at_least_95_percent() {
    socialledger_testkit::needs_shared_data!();
    let originals = real_texts();
    assert!(originals.len() >= 200, "the shared exports hold {} usable post texts", originals.len());
    let n = originals.len();
    let mut texts = originals.clone();
    texts.extend(originals.iter().enumerate().map(|(i, t)| edit(t, i)));

    let groups = near_duplicates(&texts, CrosspostOptions::default().threshold).group;
    let (mut true_pos, mut false_pos) = (0usize, 0usize);
    for a in 0..texts.len() {
        for b in a + 1..texts.len() {
            if groups[a].is_some() && groups[a] == groups[b] {
                if b == a + n {
                    true_pos += 1;
                } else {
                    false_pos += 1;
                    eprintln!("false positive: {a} and {b}");
                }
            }
        }
    }
    let precision = true_pos as f64 / (true_pos + false_pos).max(1) as f64;
    let recall = true_pos as f64 / n as f64;
    let missed: Vec<usize> = (0..n).filter(|&i| groups[i].is_none() || groups[i] != groups[i + n]).collect();
    eprintln!(
        "{n} real posts: precision {precision:.4}, recall {recall:.4}; missed edits (kind): {:?}",
        missed.iter().map(|i| i % 6).collect::<Vec<_>>()
    );
    assert!(precision >= 0.95, "precision {precision}");
    assert!(recall >= 0.95, "recall {recall}");
}

/// The real binary on the demo database: per channel, the identical share equals the simulation's truth (posts the
/// demo published as identical cross-posts whose very text also went out on another channel), and the ratio's
/// 90 % interval covers 1.15 / 0.85.
#[test]
fn crossposts_on_the_demo_database_match_the_simulation() {
    let d = demo();
    let out = bin(&d.dir).args(["--db", &d.db, "--json", "crossposts"]).output().unwrap();
    assert!(out.status.success(), "crossposts failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("crossposts --json prints JSON");

    let sim = socialledger_demo::simulate(&socialledger_demo::DemoConfig::default());
    let ideas = sim.identical_ideas();
    let posts = &sim.dataset().posts;
    let is_identical_idea = |p: &socialledger_domain::Post| p.idea.as_ref().is_some_and(|i| ideas.contains(i));
    let channels = v["channels"].as_array().unwrap();
    assert_eq!(channels.len(), 5);
    for c in channels {
        let key = c["channel"].as_str().unwrap();
        let truth = posts
            .iter()
            .filter(|p| p.channel == key && is_identical_idea(p))
            .filter(|p| posts.iter().any(|q| q.channel != key && is_identical_idea(q) && q.text == p.text))
            .count();
        let total = posts.iter().filter(|p| p.channel == key).count();
        assert_eq!(c["posts"], total, "{key}");
        assert_eq!(c["identical"], truth, "{key}");
        // serde_json reads floats to within an ulp, not exactly.
        assert!((c["identical_share"].as_f64().unwrap() - truth as f64 / total as f64).abs() < 1e-12, "{key}");
    }
    let cmp = &v["comparison"];
    assert_eq!(cmp["basis"], "tailored-variants");
    assert_eq!(cmp["denominator"], "impressions");
    let (low, high) = (cmp["low"].as_f64().unwrap(), cmp["high"].as_f64().unwrap());
    assert!(low <= 1.15 / 0.85 && 1.15 / 0.85 <= high, "{cmp}");

    let text = bin(&d.dir).args(["--db", &d.db, "crossposts"]).output().unwrap();
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Tailored variants engage"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("linkedin")), "{text}");
}

#[test]
fn a_threshold_outside_the_unit_interval_is_an_error_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    for t in ["0", "1.5", "-1"] {
        let out = bin(dir.path()).args(["crossposts", &format!("--threshold={t}")]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "--threshold {t}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("Jaccard index"));
    }
}

#[test]
fn a_missing_database_is_an_error_not_an_empty_audit() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["--db", "nothing-here.db", "crossposts"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("nothing-here.db").exists());
}

/// The documented limit (docs/crossposting.md, "Limits"): a long post cut to fit X is a prefix, and its Jaccard
/// index with the original is about the share of the text kept, so the audit does not call it a copy.
#[test]
fn a_long_post_cut_to_280_characters_is_not_a_near_duplicate() {
    socialledger_testkit::needs_shared_data!();
    let long: Vec<String> = real_texts().into_iter().filter(|t| t.chars().count() >= 700).collect();
    assert!(long.len() >= 10, "the shared exports hold {} posts of 700 characters or more", long.len());
    for text in &long {
        let cut: String = text.chars().take(280).collect();
        let (a, b) = (shingles::shingles(&shingles::normalize(text)), shingles::shingles(&shingles::normalize(&cut)));
        let j = shingles::jaccard(&a, &b);
        let kept = b.len() as f64 / a.len() as f64;
        assert!(j < CrosspostOptions::default().threshold, "J = {j}");
        assert!((j - kept).abs() < 0.05, "J = {j}, share of shingles kept {kept}");
        let groups = near_duplicates(&[text.as_str(), cut.as_str()], CrosspostOptions::default().threshold).group;
        assert_ne!(groups[0], groups[1]);
    }
}
