//! The cross-posting audit of a dataset: which posts are identical (or near-identical) copies of a post on another
//! channel, their share per channel, and how tailored posts engage against identical copies, with an interval.
//!
//! **Classes.** A post is an *identical cross-post* when its near-duplicate group ([`super::clusters`]) holds a
//! post of another channel. A post is *tailored* when it is not, and its content idea (`Post::idea`) was also
//! published on another channel: the same idea, rewritten. Without any idea keys in the data, tailoring cannot be
//! told from unrelated content, and identical cross-posts are compared against *every other post*
//! ([`ComparisonBasis::AllOtherPosts`]); the audit says so.
//!
//! **Engagement.** Per post, the engagement rate by impressions (engagements / impressions of its latest lifetime
//! snapshot, [`crate::engagement::post_engagement`]); posts without impressions are left out. Networks differ in
//! level (X's rates are a third of LinkedIn's), so each rate is divided by the mean rate of its channel's posts,
//! and the figure is the ratio of the mean normalised rate of the compared posts to that of identical
//! cross-posts: 1.35 means tailored posts engage 35 % more than identical copies on the same channels.
//!
//! **Interval.** A percentile bootstrap (type-7 quantiles), stratified by channel and class: each replicate
//! redraws, with replacement, as many posts as each (channel, class) cell holds, recomputes the channel means and
//! the ratio (a cell of more than 2,000 posts draws its resampled sum from the sum's normal limit instead,
//! `EXACT_CELL`). Replicate `r` draws from ChaCha8 seeded with `seed` on stream `r`, collected in order, so the
//! interval does not depend on threads. Stratifying keeps each replicate's mix of channels and classes that of the
//! data, so the interval is about the rates, not about how many posts each cell happened to get.

use super::clusters::{near_duplicates, Groups};
use super::lsh::Banding;
use super::shingles::SHINGLE_CHARS;
use crate::engagement::post_engagement;
use crate::{AnalyticsError, Settings};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use socialledger_domain::{Dataset, Post};
use std::collections::{BTreeMap, BTreeSet};

/// The default Jaccard threshold of near-identical texts (see docs/crossposting.md for why 0.8).
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// How the audit runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrosspostOptions {
    /// Two texts are near-identical at a Jaccard index of their shingle sets of at least this, in (0, 1].
    pub threshold: f64,
    /// Coverage of the interval (0.9 gives the 5 % and 95 % percentiles).
    pub level: f64,
    /// Bootstrap replicates.
    pub replicates: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
}

impl Default for CrosspostOptions {
    fn default() -> Self {
        CrosspostOptions { threshold: DEFAULT_THRESHOLD, level: 0.9, replicates: 1000, seed: 14 }
    }
}

impl CrosspostOptions {
    /// Rejects a threshold outside (0, 1] and a level outside (0, 1).
    pub fn validate(&self) -> Result<(), AnalyticsError> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(AnalyticsError::CrosspostThreshold(self.threshold));
        }
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(AnalyticsError::IntervalLevel(self.level));
        }
        Ok(())
    }
}

/// A post's class in the audit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PostClass {
    /// Identical or near-identical to a post on another channel.
    Identical,
    /// Not identical, but its idea was published on another channel too.
    Tailored,
    /// Neither (or no comparable text).
    Other,
}

/// What identical cross-posts are compared against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComparisonBasis {
    /// Tailored variants: posts whose idea key also appears on another channel but which are not near-identical.
    TailoredVariants,
    /// The data carry no idea keys, so identical cross-posts are compared against every other post.
    AllOtherPosts,
}

/// One channel's cross-posting.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChannelCrossposts {
    pub channel: String,
    /// Posts published in the period.
    pub posts: usize,
    /// Posts with comparable text (anything left after normalisation).
    pub posts_with_text: usize,
    /// Posts identical or near-identical to a post on another channel.
    pub identical: usize,
    /// `identical / posts_with_text`; `None` without text.
    pub identical_share: Option<f64>,
    /// Tailored variants of an idea published elsewhere too (0 without idea keys).
    pub tailored: usize,
    /// Mean engagement rate by impressions of identical, tailored and other posts (`None` when the class has no
    /// post with impressions).
    pub rate_identical: Option<f64>,
    pub rate_tailored: Option<f64>,
    pub rate_other: Option<f64>,
}

/// Tailored (or all other) posts against identical cross-posts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EngagementComparison {
    pub basis: ComparisonBasis,
    /// The denominator of the engagement rate: always `impressions`.
    pub denominator: &'static str,
    /// Posts with impressions in each group.
    pub identical_posts: usize,
    pub compared_posts: usize,
    /// Mean channel-normalised rate of the compared posts over that of identical cross-posts.
    pub ratio: f64,
    /// Percentile bootstrap interval of the ratio at `level`.
    pub low: f64,
    pub high: f64,
    pub level: f64,
    /// Replicates that gave a ratio (a replicate whose identical posts all drew zero engagement gives none).
    pub replicates: usize,
    pub seed: u64,
    pub method: &'static str,
}

/// A post named by channel and id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PostRef {
    pub channel: String,
    pub post_id: String,
}

/// One group of near-identical posts that spans several channels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrosspostGroup {
    /// Its posts, sorted by channel and id.
    pub posts: Vec<PostRef>,
    /// Distinct channels among them.
    pub channels: usize,
}

/// The audit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrosspostAudit {
    pub threshold: f64,
    pub shingle_chars: usize,
    pub banding: Banding,
    /// Posts in the period, with comparable text, and distinct texts after normalisation.
    pub posts: usize,
    pub posts_with_text: usize,
    pub distinct_texts: usize,
    /// LSH candidate pairs and those confirmed by the exact Jaccard index.
    pub candidate_pairs: usize,
    pub confirmed_pairs: usize,
    /// True when some post carries an idea key (so tailored variants can be told).
    pub has_ideas: bool,
    pub channels: Vec<ChannelCrossposts>,
    /// `None` when a group has no post with impressions; `comparison_note` says which.
    pub comparison: Option<EngagementComparison>,
    pub comparison_note: Option<String>,
    /// Groups spanning several channels, by their first post.
    pub groups: Vec<CrosspostGroup>,
    /// Each audited post's class, sorted by channel and id.
    pub classes: Vec<ClassifiedPost>,
}

/// One audited post and its class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClassifiedPost {
    pub channel: String,
    pub post_id: String,
    pub class: PostClass,
}

/// Runs the audit on the posts published in `settings.period` (all posts without a period).
pub fn crosspost_audit(
    dataset: &Dataset,
    settings: &Settings,
    opts: &CrosspostOptions,
) -> Result<CrosspostAudit, AnalyticsError> {
    opts.validate()?;
    // One record per (channel, id), in natural-key order, published in the period.
    let mut by_key: BTreeMap<(&str, &str), &Post> = BTreeMap::new();
    for p in &dataset.posts {
        if settings.contains_opt(p.published_at.map(|t| t.date_naive())) {
            by_key.entry((p.channel.as_str(), p.external_id.as_str())).or_insert(p);
        }
    }
    let posts: Vec<&Post> = by_key.into_values().collect();
    let texts: Vec<&str> = posts.iter().map(|p| p.text.as_deref().unwrap_or("")).collect();
    let groups = near_duplicates(&texts, opts.threshold);

    let classes = classify(&posts, &groups);
    let has_ideas = posts.iter().any(|p| p.idea.is_some());

    let rates: BTreeMap<(String, String), f64> = post_engagement(dataset, settings)
        .into_iter()
        .filter_map(|e| e.rate_by_impressions.filter(|r| r.is_finite()).map(|r| ((e.channel, e.post_id), r)))
        .collect();
    let rate_of = |p: &Post| rates.get(&(p.channel.clone(), p.external_id.clone())).copied();

    // Channels by name; per post, its channel's index.
    let channel_names: Vec<&str> =
        posts.iter().map(|p| p.channel.as_str()).collect::<BTreeSet<_>>().into_iter().collect();
    let channel_index = |c: &str| channel_names.binary_search(&c).unwrap_or(0);

    let mut channels: Vec<ChannelCrossposts> = channel_names
        .iter()
        .map(|c| ChannelCrossposts {
            channel: c.to_string(),
            posts: 0,
            posts_with_text: 0,
            identical: 0,
            identical_share: None,
            tailored: 0,
            rate_identical: None,
            rate_tailored: None,
            rate_other: None,
        })
        .collect();
    let mut sums = vec![[(0.0f64, 0usize); 3]; channel_names.len()];
    // (channel, class slot 0 identical / 1 compared / 2 neither, rate) of every post with a rate.
    let mut observations: Vec<(usize, usize, f64)> = Vec::new();
    for ((p, class), group) in posts.iter().zip(&classes).zip(&groups.group) {
        let c = channel_index(&p.channel);
        let row = &mut channels[c];
        row.posts += 1;
        row.posts_with_text += usize::from(group.is_some());
        row.identical += usize::from(*class == PostClass::Identical);
        row.tailored += usize::from(*class == PostClass::Tailored);
        let slot = *class as usize;
        if let Some(rate) = rate_of(p) {
            sums[c][slot].0 += rate;
            sums[c][slot].1 += 1;
            let compared = match (class, has_ideas) {
                (PostClass::Identical, _) => 0,
                (PostClass::Tailored, _) | (PostClass::Other, false) => 1,
                (PostClass::Other, true) => 2,
            };
            observations.push((c, compared, rate));
        }
    }
    for (row, s) in channels.iter_mut().zip(&sums) {
        row.identical_share = crate::ratio(row.identical as f64, row.posts_with_text as f64);
        let mean = |(sum, n): (f64, usize)| crate::ratio(sum, n as f64);
        (row.rate_identical, row.rate_tailored, row.rate_other) = (mean(s[0]), mean(s[1]), mean(s[2]));
    }

    let basis = if has_ideas { ComparisonBasis::TailoredVariants } else { ComparisonBasis::AllOtherPosts };
    let (comparison, comparison_note) = compare(&observations, channel_names.len(), basis, opts);

    let mut spans: BTreeMap<usize, Vec<PostRef>> = BTreeMap::new();
    for ((p, class), group) in posts.iter().zip(&classes).zip(&groups.group) {
        if let (PostClass::Identical, Some(g)) = (class, group) {
            spans.entry(*g).or_default().push(post_ref(p));
        }
    }
    let group_list = spans
        .into_values()
        .map(|posts| {
            let channels = posts.iter().map(|p| p.channel.as_str()).collect::<BTreeSet<_>>().len();
            CrosspostGroup { posts, channels }
        })
        .collect();

    Ok(CrosspostAudit {
        threshold: opts.threshold,
        shingle_chars: SHINGLE_CHARS,
        banding: groups.banding,
        posts: posts.len(),
        posts_with_text: groups.group.iter().filter(|g| g.is_some()).count(),
        distinct_texts: groups.distinct,
        candidate_pairs: groups.candidates,
        confirmed_pairs: groups.confirmed,
        has_ideas,
        channels,
        comparison,
        comparison_note,
        groups: group_list,
        classes: posts
            .iter()
            .zip(classes)
            .map(|(p, class)| ClassifiedPost { channel: p.channel.clone(), post_id: p.external_id.clone(), class })
            .collect(),
    })
}

fn post_ref(p: &Post) -> PostRef {
    PostRef { channel: p.channel.clone(), post_id: p.external_id.clone() }
}

/// Each post's class: identical when its group spans channels; tailored when its idea spans channels.
fn classify(posts: &[&Post], groups: &Groups) -> Vec<PostClass> {
    let mut group_channels: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    let mut idea_channels: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (p, g) in posts.iter().zip(&groups.group) {
        if let Some(g) = g {
            group_channels.entry(*g).or_default().insert(&p.channel);
        }
        if let Some(idea) = p.idea.as_deref() {
            idea_channels.entry(idea).or_default().insert(&p.channel);
        }
    }
    posts
        .iter()
        .zip(&groups.group)
        .map(|(p, g)| {
            let spans = |set: Option<&BTreeSet<&str>>| set.is_some_and(|s| s.len() > 1);
            if spans(g.and_then(|g| group_channels.get(&g))) {
                PostClass::Identical
            } else if spans(p.idea.as_deref().and_then(|i| idea_channels.get(i))) {
                PostClass::Tailored
            } else {
                PostClass::Other
            }
        })
        .collect()
}

/// The ratio and its bootstrap interval from `(channel, slot, rate)` observations (slot 0 identical, 1 compared,
/// 2 neither: only counted in the channel means).
fn compare(
    obs: &[(usize, usize, f64)],
    n_channels: usize,
    basis: ComparisonBasis,
    opts: &CrosspostOptions,
) -> (Option<EngagementComparison>, Option<String>) {
    let count = |slot: usize| obs.iter().filter(|o| o.1 == slot).count();
    let (identical_posts, compared_posts) = (count(0), count(1));
    let compared_name = match basis {
        ComparisonBasis::TailoredVariants => "tailored variants",
        ComparisonBasis::AllOtherPosts => "other posts",
    };
    if identical_posts == 0 || compared_posts == 0 {
        let missing = if identical_posts == 0 { "identical cross-posts" } else { compared_name };
        return (None, Some(format!("no {missing} with impressions, so there is nothing to compare")));
    }
    let Some(ratio) = normalised_ratio(obs, n_channels) else {
        return (None, Some("identical cross-posts have no engagement at all, so the ratio is undefined".into()));
    };

    // Strata: (channel, slot) cells, each with its rates.
    let mut strata: BTreeMap<(usize, usize), Vec<f64>> = BTreeMap::new();
    for &(c, s, r) in obs {
        strata.entry((c, s)).or_default().push(r);
    }
    let strata: Vec<((usize, usize), Vec<f64>)> = strata.into_iter().collect();
    let counts = cell_counts(obs, n_channels);
    // Mean and (population) variance of each cell: the moments of the distribution a replicate draws from.
    let moments: Vec<(f64, f64)> = strata
        .iter()
        .map(|(_, r)| {
            let mean = r.iter().sum::<f64>() / r.len() as f64;
            (mean, r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / r.len() as f64)
        })
        .collect();
    let mut replicates: Vec<f64> = (0..opts.replicates)
        .into_par_iter()
        .map(|rep| {
            let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
            rng.set_stream(rep as u64);
            // Only each cell's sum enters the ratio (its size is fixed), so a replicate is one sum per cell.
            let mut sums = vec![[0.0f64; 3]; n_channels];
            for (((c, s), rates), (mean, var)) in strata.iter().zip(&moments) {
                let n = rates.len() as u64;
                if rates.len() > EXACT_CELL {
                    // The resampled sum of a large cell by its normal limit (see EXACT_CELL).
                    let (u1, u2) = (unit(&mut rng), unit(&mut rng));
                    let z = (-2.0 * (1.0 - u1).ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                    sums[*c][*s] += n as f64 * mean + (n as f64 * var).sqrt() * z;
                    continue;
                }
                for _ in 0..n {
                    // Lemire's multiply-shift: an index in 0..n without modulo bias worth mentioning (n < 2^32).
                    let i = ((u64::from(rng.next_u32()) * n) >> 32) as usize;
                    sums[*c][*s] += rates[i];
                }
            }
            ratio_from_sums(&sums, &counts)
        })
        .collect::<Vec<Option<f64>>>()
        .into_iter()
        .flatten()
        .collect();
    replicates.sort_by(f64::total_cmp);
    let (low, high) = if replicates.is_empty() {
        (ratio, ratio)
    } else {
        let q = |p: f64| crate::attribution::bootstrap::quantile(&replicates, p);
        (q((1.0 - opts.level) / 2.0), q((1.0 + opts.level) / 2.0))
    };
    let comparison = EngagementComparison {
        basis,
        denominator: "impressions",
        identical_posts,
        compared_posts,
        ratio,
        low,
        high,
        level: opts.level,
        replicates: replicates.len(),
        seed: opts.seed,
        method: "stratified percentile bootstrap",
    };
    (Some(comparison), None)
}

/// Cells of up to this many posts are resampled post by post. A larger cell's resampled sum is drawn from its
/// normal limit, `N(n·mean, n·variance)` of the cell's own rates: the sum of `n` draws with replacement has exactly
/// that mean and variance, and at `n > 2,000` its remaining skewness is the cell's divided by `√n` (a skewness of
/// 2 becomes 0.045), too little to move a percentile interval. It keeps 100,000 posts' interval to a fraction of a second.
const EXACT_CELL: usize = 2000;

/// A uniform draw in `[0, 1)` with 53 random bits.
fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Mean of `rate / channel mean rate` over compared posts (slot 1) over the same for identical posts (slot 0).
/// Channels whose mean rate is 0 carry no information and are left out. `None` when the identical mean is 0 or
/// a group is empty.
pub(crate) fn normalised_ratio(obs: &[(usize, usize, f64)], n_channels: usize) -> Option<f64> {
    let mut sums = vec![[0.0f64; 3]; n_channels];
    for &(c, s, r) in obs {
        sums[c][s] += r;
    }
    ratio_from_sums(&sums, &cell_counts(obs, n_channels))
}

/// Posts per (channel, slot).
fn cell_counts(obs: &[(usize, usize, f64)], n_channels: usize) -> Vec<[usize; 3]> {
    let mut counts = vec![[0usize; 3]; n_channels];
    for &(c, s, _) in obs {
        counts[c][s] += 1;
    }
    counts
}

/// [`normalised_ratio`] from each (channel, slot) cell's sum of rates and its count: the mean of `rate / m_c` over
/// a slot is `Σ_c (sum_c,slot / m_c) / Σ_c count_c,slot`, with `m_c` the channel's mean over all three slots.
fn ratio_from_sums(sums: &[[f64; 3]], counts: &[[usize; 3]]) -> Option<f64> {
    let mut groups = [(0.0f64, 0usize); 2];
    for (s, n) in sums.iter().zip(counts) {
        let (total, count) = (s.iter().sum::<f64>(), n.iter().sum::<usize>());
        if total <= 0.0 || count == 0 {
            continue;
        }
        let mean = total / count as f64;
        for slot in 0..2 {
            groups[slot].0 += s[slot] / mean;
            groups[slot].1 += n[slot];
        }
    }
    let mean = |(sum, n): (f64, usize)| if n == 0 { None } else { Some(sum / n as f64) };
    let identical = mean(groups[0])?;
    let compared = mean(groups[1])?;
    (identical > 0.0).then(|| compared / identical)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::{metrics, post};
    use socialledger_domain::MetricPeriod;

    fn with_text(channel: &str, id: &str, text: &str, idea: Option<&str>) -> Post {
        let mut p = post(channel, id, Some("2024-03-01T10:00:00Z"));
        p.text = Some(text.into());
        p.idea = idea.map(str::to_string);
        p
    }

    const A: &str = "On demand forecasting: the best forecasts start with cleaner master data, not fancier models.";
    const B: &str = "Lesson learned: one shared dashboard ended a weekly argument between sales and operations.";

    fn dataset() -> Dataset {
        let posts = vec![
            with_text("linkedin", "l1", A, Some("i1")),
            with_text("x", "x1", &format!("{A} https://t.co/abc"), Some("i1")),
            with_text(
                "linkedin",
                "l2",
                &format!("{B} We wrote down what worked. Tell us in the comments."),
                Some("i2"),
            ),
            with_text("x", "x2", "A weekly argument ended: #dashboard #analytics", Some("i2")),
            with_text("x", "x3", "Something else entirely, about returns management and pricing.", None),
            with_text("x", "x4", "https://t.co/only-a-link", None),
        ];
        let rate = |ch: &str, id: &str, imp: i64, eng: i64| {
            let mut m = metrics(ch, id, "2024-03-10", MetricPeriod::Lifetime);
            (m.impressions, m.engagements) = (Some(imp), Some(eng));
            m
        };
        let post_metrics = vec![
            rate("linkedin", "l1", 1000, 20),
            rate("x", "x1", 1000, 10),
            rate("linkedin", "l2", 1000, 40),
            rate("x", "x2", 1000, 20),
            rate("x", "x3", 1000, 30),
        ];
        Dataset { posts, post_metrics, ..Dataset::default() }
    }

    #[test]
    fn classes_shares_and_ratio_by_hand() {
        let opts = CrosspostOptions { replicates: 200, ..CrosspostOptions::default() };
        let a = crosspost_audit(&dataset(), &Settings::default(), &opts).unwrap();
        let class = |id: &str| a.classes.iter().find(|p| p.post_id == id).map(|p| p.class).unwrap();
        assert_eq!(
            ["l1", "x1", "l2", "x2", "x3", "x4"].map(class),
            [
                PostClass::Identical,
                PostClass::Identical,
                PostClass::Tailored,
                PostClass::Tailored,
                PostClass::Other,
                PostClass::Other
            ]
        );
        let x = &a.channels[1];
        assert_eq!((x.channel.as_str(), x.posts, x.posts_with_text, x.identical, x.tailored), ("x", 4, 3, 1, 1));
        assert_eq!(x.identical_share, Some(1.0 / 3.0));
        assert_eq!((x.rate_identical, x.rate_tailored, x.rate_other), (Some(0.01), Some(0.02), Some(0.03)));
        assert_eq!(a.groups.len(), 1);
        assert_eq!(a.groups[0].channels, 2);
        // Channel means: linkedin 0.03, x 0.02. Identical: 0.02/0.03 and 0.01/0.02; tailored: 0.04/0.03, 0.02/0.02.
        let c = a.comparison.as_ref().unwrap();
        let expected = ((0.04 / 0.03 + 1.0) / 2.0) / ((0.02 / 0.03 + 0.5) / 2.0);
        assert!((c.ratio - expected).abs() < 1e-12, "{} vs {expected}", c.ratio);
        assert_eq!(c.basis, ComparisonBasis::TailoredVariants);
        assert!(c.low <= c.ratio + 1e-12 && c.ratio <= c.high + 1e-12, "{c:?}");
    }

    #[test]
    fn without_ideas_identical_posts_are_compared_with_all_others() {
        let mut ds = dataset();
        for p in &mut ds.posts {
            p.idea = None;
        }
        let a = crosspost_audit(&ds, &Settings::default(), &CrosspostOptions::default()).unwrap();
        let c = a.comparison.unwrap();
        assert_eq!((c.basis, c.identical_posts, c.compared_posts), (ComparisonBasis::AllOtherPosts, 2, 3));
        assert!(!a.has_ideas);
        assert!(a.channels.iter().all(|c| c.tailored == 0));
    }

    #[test]
    fn nothing_to_compare_is_said_not_invented() {
        let mut ds = dataset();
        ds.post_metrics.retain(|m| m.post_id != "l1" && m.post_id != "x1");
        let a = crosspost_audit(&ds, &Settings::default(), &CrosspostOptions::default()).unwrap();
        assert!(a.comparison.is_none());
        assert!(a.comparison_note.unwrap().contains("no identical cross-posts"));
    }

    #[test]
    fn bad_options_are_rejected() {
        for threshold in [0.0, -0.1, 1.5, f64::NAN] {
            let o = CrosspostOptions { threshold, ..CrosspostOptions::default() };
            assert_eq!(
                crosspost_audit(&dataset(), &Settings::default(), &o).unwrap_err().to_string(),
                AnalyticsError::CrosspostThreshold(threshold).to_string()
            );
        }
        let o = CrosspostOptions { level: 1.0, ..CrosspostOptions::default() };
        assert!(crosspost_audit(&dataset(), &Settings::default(), &o).is_err());
    }

    #[test]
    fn the_interval_is_deterministic() {
        let o = CrosspostOptions { replicates: 300, ..CrosspostOptions::default() };
        let a = crosspost_audit(&dataset(), &Settings::default(), &o).unwrap();
        let b = crosspost_audit(&dataset(), &Settings::default(), &o).unwrap();
        assert_eq!(a, b);
    }

    /// A known ratio with noise: two channels at different levels, tailored posts at 1.3× identical ones. The 90 %
    /// interval covers 1.3 in about 90 % of 40 seeded worlds (at least 30: a binomial(40, 0.9) falls below 31 with
    /// probability 0.7 %).
    #[test]
    fn the_interval_covers_a_known_ratio() {
        let mut covered = 0;
        for world in 0..40u64 {
            let mut rng = ChaCha8Rng::seed_from_u64(world);
            let mut obs = Vec::new();
            for (c, level) in [(0usize, 0.03), (1, 0.01)] {
                for (slot, mult, n) in [(0usize, 1.0, 60), (1, 1.3, 80), (2, 1.1, 100)] {
                    for _ in 0..n {
                        // Rate noise: a uniform factor in [0.5, 1.5) (mean 1).
                        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                        obs.push((c, slot, level * mult * (0.5 + u)));
                    }
                }
            }
            let opts = CrosspostOptions { replicates: 400, seed: world, ..CrosspostOptions::default() };
            let (c, _) = compare(&obs, 2, ComparisonBasis::TailoredVariants, &opts);
            let c = c.unwrap();
            covered += usize::from(c.low <= 1.3 && 1.3 <= c.high);
        }
        assert!(covered >= 31, "covered {covered} of 40");
    }

    /// The same with cells of 2,500 posts (resampled sums from their normal limit): the 90 % interval covers the
    /// true 1.3 in at least 31 of 40 worlds and is as wide as the delta method says (within 25 %).
    #[test]
    fn large_cells_keep_the_coverage() {
        let (mut covered, mut widths) = (0, Vec::new());
        for world in 0..40u64 {
            let mut rng = ChaCha8Rng::seed_from_u64(100 + world);
            let mut obs = Vec::new();
            for (c, level) in [(0usize, 0.03), (1, 0.01)] {
                for (slot, mult) in [(0usize, 1.0), (1, 1.3)] {
                    for _ in 0..2500 {
                        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                        obs.push((c, slot, level * mult * (0.5 + u)));
                    }
                }
            }
            assert!(cell_counts(&obs, 2).iter().all(|n| n[0] > EXACT_CELL && n[1] > EXACT_CELL));
            let opts = CrosspostOptions { replicates: 400, seed: world, ..CrosspostOptions::default() };
            let c = compare(&obs, 2, ComparisonBasis::TailoredVariants, &opts).0.unwrap();
            covered += usize::from(c.low <= 1.3 && 1.3 <= c.high);
            widths.push(c.high - c.low);
        }
        assert!(covered >= 31, "covered {covered} of 40");
        // Delta method: each group's mean of uniform(0.5, 1.5) noise over 5,000 posts has CV (1/√12)/√5000; the
        // ratio's CV is √2 times that; a 90 % interval is 2·1.645 of them wide.
        let expected = 1.3 * 2.0 * 1.645 * 2f64.sqrt() * (1.0 / 12f64.sqrt()) / 5000f64.sqrt();
        let mean_width = widths.iter().sum::<f64>() / widths.len() as f64;
        assert!((mean_width / expected - 1.0).abs() < 0.25, "width {mean_width}, delta method {expected}");
    }
}
