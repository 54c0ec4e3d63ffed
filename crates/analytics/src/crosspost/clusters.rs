//! Groups of near-identical texts: exact copies (after normalisation) first, then MinHash/LSH candidates checked
//! by the exact Jaccard index of their shingle sets, joined by union-find.
//!
//! A group is the connected component of "Jaccard ≥ threshold" links, so it is transitive: A and C share a group
//! when A ~ B and B ~ C even if A and C are further apart (a post rewritten a little at each network). That is
//! what "the same text pushed everywhere" means in practice, and it keeps the result independent of input order.

use super::lsh::Banding;
use super::minhash::{MinHasher, SIGNATURE_LEN};
use super::shingles::{jaccard, mix64, normalize, shingles};
use rayon::prelude::*;

/// The near-duplicate groups of a list of texts.
#[derive(Clone, Debug, PartialEq)]
pub struct Groups {
    /// Per input text, the index of the smallest input in its group (itself when it has no near-duplicate);
    /// `None` for a text with nothing comparable left after normalisation (only links, mentions or emoji).
    pub group: Vec<Option<usize>>,
    /// Distinct normalised texts (exact copies counted once): the texts MinHash and LSH worked on.
    pub distinct: usize,
    /// Candidate pairs of distinct texts from LSH, and how many of them the exact check confirmed.
    pub candidates: usize,
    pub confirmed: usize,
    pub banding: Banding,
}

/// Groups `texts` whose shingle sets have a Jaccard index of at least `threshold` (in (0, 1]; the caller checks).
pub fn near_duplicates<S: AsRef<str> + Sync>(texts: &[S], threshold: f64) -> Groups {
    let banding = Banding::for_threshold(threshold);
    let sets: Vec<Vec<u32>> = texts.par_iter().map(|t| shingles(&normalize(t.as_ref()))).collect();

    // Exact copies after normalisation share one representative: identical auto-posted texts are the common
    // case, and an LSH bucket of a thousand copies would otherwise cost half a million checks.
    // Sets are found equal by sorting on a 64-bit fingerprint, then comparing the sets themselves.
    let mut order: Vec<(u64, usize)> = sets
        .iter()
        .enumerate()
        .filter(|(_, set)| !set.is_empty())
        .map(|(i, set)| (set.iter().fold(set.len() as u64, |h, &x| mix64(h ^ u64::from(x))), i))
        .collect();
    order.par_sort_unstable();
    // first[i] = the smallest input index with the same set as input i.
    let mut first: Vec<Option<usize>> = vec![None; texts.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && order[end].0 == order[start].0 {
            end += 1;
        }
        // Within a run of equal fingerprints (sorted by index), each set joins the first earlier equal set.
        for k in start..end {
            let i = order[k].1;
            let same = order[start..k].iter().map(|&(_, j)| j).find(|&j| first[j] == Some(j) && sets[j] == sets[i]);
            first[i] = Some(same.unwrap_or(i));
        }
        start = end;
    }
    let mut rep_of: Vec<Option<usize>> = vec![None; texts.len()];
    let mut reps: Vec<usize> = Vec::new();
    let mut rep_index: Vec<usize> = vec![usize::MAX; texts.len()];
    for i in 0..texts.len() {
        if let Some(f) = first[i] {
            if f == i {
                rep_index[i] = reps.len();
                reps.push(i);
            }
            rep_of[i] = Some(rep_index[f]);
        }
    }

    let hasher = MinHasher::default();
    let signatures: Vec<[u32; SIGNATURE_LEN]> = reps.par_iter().map(|&i| hasher.signature(&sets[i])).collect();
    let candidates = banding.candidates(&signatures);
    let confirmed: Vec<(u32, u32)> = candidates
        .par_iter()
        .copied()
        .filter(|&(a, b)| jaccard(&sets[reps[a as usize]], &sets[reps[b as usize]]) >= threshold)
        .collect();

    let mut uf = UnionFind::new(reps.len());
    for &(a, b) in &confirmed {
        uf.union(a as usize, b as usize);
    }
    // Name each group by its smallest input index: representatives are in input order, so a root's smallest
    // member is the first representative found for it.
    let mut name: Vec<Option<usize>> = vec![None; reps.len()];
    for (r, &input) in reps.iter().enumerate() {
        let root = uf.find(r);
        name[root].get_or_insert(input);
    }
    let group = rep_of.iter().map(|r| r.and_then(|r| name[uf.find(r)])).collect();
    Groups { group, distinct: reps.len(), candidates: candidates.len(), confirmed: confirmed.len(), banding }
}

/// Disjoint sets with path halving and union by size.
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind { parent: (0..n).collect(), size: vec![1; n] }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BASE: &str = "Most teams lose a full day a week reconciling numbers by hand. Three small checks catch nine \
                        out of ten errors before they reach a report.";

    #[test]
    fn copies_edits_and_strangers() {
        let texts = [
            BASE.to_string(),
            format!("{BASE} https://lnkd.in/abc @acme 🚀"),
            "Alerts only help when someone owns the follow-up; start with the one report everybody trusts.".into(),
            format!("{BASE} #data"),
            "🚀 https://example.com".into(),
        ];
        let g = near_duplicates(&texts, 0.8);
        assert_eq!(g.group, vec![Some(0), Some(0), Some(2), Some(0), None]);
        assert_eq!(g.distinct, 3, "the first two are the same text once links, mentions and emoji are dropped");
        assert_eq!(g.confirmed, 1);
    }

    #[test]
    fn groups_are_transitive() {
        // Each step changes one word; the ends are further apart than the threshold allows.
        let words: Vec<String> = (0..12).map(|i| format!("word{i:02}")).collect();
        let mut texts = vec![words.join(" ")];
        let mut w = words.clone();
        for i in 0..3 {
            w[i * 4] = format!("other{i}");
            texts.push(w.join(" "));
        }
        let sets: Vec<Vec<u32>> = texts.iter().map(|t| shingles(&normalize(t))).collect();
        let t = 0.75;
        assert!(jaccard(&sets[0], &sets[1]) >= t && jaccard(&sets[1], &sets[2]) >= t);
        assert!(jaccard(&sets[0], &sets[3]) < t);
        let g = near_duplicates(&texts, t);
        assert_eq!(g.group, vec![Some(0); 4]);
    }

    proptest! {
        /// Groups never depend on input order: the partition of a shuffled list is the same partition.
        #[test]
        fn partition_does_not_depend_on_order(picks in prop::collection::vec(0usize..6, 1..20), rot in 0usize..20) {
            let pool = [
                BASE.to_string(),
                format!("{BASE} #b2b #data"),
                "Quarterly planning with messy spreadsheets: start with the one report everybody trusts.".into(),
                "Quarterly planning with messy spreadsheets: start with the one report everybody trusts!! 🎉".into(),
                "Behind the scenes of our warehouse pilot in six weeks.".into(),
                "".into(),
            ];
            let texts: Vec<String> = picks.iter().map(|&i| pool[i].clone()).collect();
            let mut rotated = texts.clone();
            let k = rot % texts.len();
            rotated.rotate_left(k);
            let a = near_duplicates(&texts, 0.8).group;
            let b = near_duplicates(&rotated, 0.8).group;
            let n = texts.len();
            for i in 0..n {
                for j in 0..n {
                    let same_a = a[i].is_some() && a[i] == a[j];
                    let (ri, rj) = ((i + n - k) % n, (j + n - k) % n);
                    let same_b = b[ri].is_some() && b[ri] == b[rj];
                    prop_assert_eq!(same_a, same_b);
                }
            }
        }
    }
}
