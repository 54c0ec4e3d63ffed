//! The absorbing Markov chain of a path set: transient states (the last k channels), a start distribution and
//! the probabilities of moving between states or ending in conversion or null, stored sparsely.
//!
//! States follow ChannelAttribution's `markov_model` (C++ core, `markov_model_cpp` in `functions.cpp`, read at
//! version 2.2.5; our code is written from that reading, not copied):
//! - a path of n channels is cut into the windows of k consecutive channels (n - k + 1 of them); a path shorter
//!   than k is one state holding the whole path. So for k = 2 the path `a > b > c` visits `(a,b)` then `(b,c)`:
//!   there are no partial states such as `(a)` at the start of a long path;
//! - consecutive equal states are merged, so the chain has no self-loops (`a > a > b` is `a`, `b` for k = 1);
//! - every transition of a path is counted with the path's `conversions + nulls` journeys; from its last state
//!   the path goes to conversion with weight `conversions` and to null with weight `nulls`;
//! - the conversion value of a state is the mean value per conversion of the paths that end there (value is
//!   attached to the last state, as ChannelAttribution draws a simulated path's value from its last state).

use super::hasher::FxHashMap;
use crate::attribution::paths::{ChannelId, PathSet};
use crate::AnalyticsError;

/// The highest Markov order: four channels of 16 bits each fill the 64-bit key of a state.
pub const MAX_ORDER: u8 = 4;

/// Channel ids are stored as `id + 1` in 16 bits, so the highest usable id is 65534.
pub const MAX_CHANNELS: usize = u16::MAX as usize;

/// A transient state's channels packed into 64 bits: slot i (bits 16i..16i+16) holds the i-th channel id plus
/// one, and 0 marks an unused slot (states of paths shorter than the order hold fewer channels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateKey(pub u64);

impl StateKey {
    /// The key of a window of at most four channels.
    pub fn of(channels: &[ChannelId]) -> StateKey {
        debug_assert!(channels.len() <= MAX_ORDER as usize);
        let mut key = 0u64;
        for (i, &c) in channels.iter().enumerate() {
            key |= (u64::from(c) + 1) << (16 * i);
        }
        StateKey(key)
    }

    /// The channels of the state, in path order.
    pub fn channels(self) -> impl Iterator<Item = ChannelId> {
        (0..MAX_ORDER as u32)
            .map(move |i| ((self.0 >> (16 * i)) & 0xFFFF) as u32)
            .take_while(|&slot| slot != 0)
            .map(|slot| (slot - 1) as ChannelId)
    }

    /// True when the state holds `channel` in any position.
    pub fn contains(self, channel: ChannelId) -> bool {
        let want = u64::from(channel) + 1;
        (0..MAX_ORDER as u32).any(|i| (self.0 >> (16 * i)) & 0xFFFF == want)
    }
}

/// An absorbing chain over transient states `0..n`, with absorbing conversion and null states left implicit:
/// from state s the chain moves to t with `P(s,t)` (sparse rows), converts with `conversion[s]` and ends in null
/// with the rest.
///
/// States are numbered in the order the solver sweeps them: by the number of steps to absorption (fewest
/// first), ties by key, so a Gauss-Seidel sweep carries the absorption probabilities back along the paths in one
/// pass wherever the chain has no cycles.
#[derive(Clone, Debug)]
pub struct AbsorbingChain {
    pub(crate) channels: usize,
    pub(crate) keys: Vec<StateKey>,
    /// Where journeys start: `(state, probability)`, sorted by state.
    pub(crate) start: Vec<(u32, f64)>,
    /// Probability that a journey converts without touching any channel (empty paths), and its mean value.
    pub(crate) start_conversion: f64,
    pub(crate) start_value: f64,
    pub(crate) row_ptr: Vec<usize>,
    pub(crate) col: Vec<u32>,
    pub(crate) prob: Vec<f64>,
    /// `1 / (1 - P(s,s))`: fitted chains have no self-loops (1.0); a true chain given by hand may.
    pub(crate) stay: Vec<f64>,
    /// Per state: `[P(s -> conversion), P(s -> conversion) * mean conversion value from s]`.
    pub(crate) rhs: Vec<[f64; 2]>,
    /// Per state: `P(s -> null)`.
    pub(crate) null: Vec<f64>,
}

impl AbsorbingChain {
    /// Fits the order-`order` chain of `paths` as ChannelAttribution does (see the module doc). Rows with no
    /// journey (`conversions + nulls == 0`) add nothing.
    ///
    /// # Errors
    /// [`AnalyticsError::MarkovOrder`] outside 1..=4; [`AnalyticsError::InvalidPathRow`] for a negative or
    /// non-finite count or value, or a channel id outside the dictionary; [`AnalyticsError::InvalidChain`]
    /// beyond 65535 channels.
    pub fn fit(paths: &PathSet, order: u8) -> Result<AbsorbingChain, AnalyticsError> {
        Self::fit_with_cache(paths, order, SUCCESSOR_CACHE_LIMIT)
    }

    /// [`AbsorbingChain::fit`] with the successor cache limited to `cache_limit` entries (tests use small ones).
    pub(crate) fn fit_with_cache(
        paths: &PathSet,
        order: u8,
        cache_limit: usize,
    ) -> Result<AbsorbingChain, AnalyticsError> {
        if !(1..=MAX_ORDER).contains(&order) {
            return Err(AnalyticsError::MarkovOrder { order });
        }
        if paths.channels.len() > MAX_CHANNELS {
            return Err(AnalyticsError::InvalidChain {
                detail: format!("{} channels; the Markov model handles at most {MAX_CHANNELS}", paths.channels.len()),
            });
        }
        let k = usize::from(order);
        let mut b = Builder::with_successor_cache(paths.channels.len(), cache_limit);
        for (i, row) in paths.rows.iter().enumerate() {
            for (field, value) in [("conversions", row.conversions), ("value", row.value), ("nulls", row.nulls)] {
                if !value.is_finite() || value < 0.0 {
                    return Err(AnalyticsError::InvalidPathRow { row: i, field, value });
                }
            }
            if let Some(&c) = row.channels.iter().find(|&&c| usize::from(c) >= paths.channels.len()) {
                return Err(AnalyticsError::InvalidPathRow { row: i, field: "channel id", value: f64::from(c) });
            }
            let journeys = row.conversions + row.nulls;
            if journeys == 0.0 {
                continue;
            }
            let n = row.channels.len();
            let mut last = None;
            if n > 0 {
                // The first window (or the whole of a short path), then one window per further channel.
                let mut s = b.state(StateKey::of(&row.channels[..k.min(n)]));
                b.edge(None, s, journeys);
                for &x in row.channels.iter().skip(k) {
                    s = b.shift(s, x, k, journeys);
                }
                last = Some(s);
            }
            b.end(last, row.conversions, row.nulls, if row.conversions > 0.0 { row.value } else { 0.0 });
        }
        Ok(b.finish(paths.channels.len()))
    }

    /// A first-order chain given by its probabilities (one state per channel), for known-truth checks:
    /// `start[c]` the probability that a journey's first touch is c, `transitions[c][d]` that d follows c (self-
    /// loops allowed), `conversion[c]` that the journey converts after c, `value[c]` the value of such a
    /// conversion; the rest of each row ends in null. Probabilities are used as given (rows are not normalised).
    ///
    /// # Errors
    /// [`AnalyticsError::InvalidChain`] when the sizes disagree, a probability is outside [0, 1] or a row sums
    /// to more than 1.
    pub fn first_order(
        start: &[f64],
        transitions: &[Vec<f64>],
        conversion: &[f64],
        value: &[f64],
    ) -> Result<AbsorbingChain, AnalyticsError> {
        let c = start.len();
        let invalid = |detail: String| Err(AnalyticsError::InvalidChain { detail });
        if c > MAX_CHANNELS {
            return invalid(format!("{c} channels; the Markov model handles at most {MAX_CHANNELS}"));
        }
        if transitions.len() != c || conversion.len() != c || value.len() != c {
            return invalid(format!(
                "{c} start probabilities but {} transition rows, {} conversion probabilities and {} values",
                transitions.len(),
                conversion.len(),
                value.len()
            ));
        }
        let prob_ok = |p: f64| p.is_finite() && (0.0..=1.0).contains(&p);
        let start_sum: f64 = start.iter().sum();
        if !start.iter().all(|&p| prob_ok(p)) || (start_sum - 1.0).abs() > 1e-9 {
            return invalid(format!("start probabilities must lie in [0, 1] and sum to 1 (they sum to {start_sum})"));
        }
        let mut b = Builder::default();
        for ch in 0..c {
            b.state(StateKey::of(&[ch as ChannelId]));
        }
        for (from, row) in transitions.iter().enumerate() {
            let total: f64 = row.iter().sum::<f64>() + conversion[from];
            if row.len() != c || !row.iter().all(|&p| prob_ok(p)) || !prob_ok(conversion[from]) || total > 1.0 + 1e-9 {
                return invalid(format!(
                    "row {from}: {c} probabilities in [0, 1] with conversion summing to at most 1 expected"
                ));
            }
            if !value[from].is_finite() || value[from] < 0.0 {
                return invalid(format!("row {from}: value {} must be finite and not negative", value[from]));
            }
            for (to, &p) in row.iter().enumerate() {
                if p > 0.0 {
                    b.edge(Some(from as u32), to as u32, p);
                }
            }
            b.end(Some(from as u32), conversion[from], (1.0 - total).max(0.0), conversion[from] * value[from]);
        }
        for (s, &p) in start.iter().enumerate() {
            if p > 0.0 {
                b.edge(None, s as u32, p);
            }
        }
        Ok(b.finish(c))
    }

    /// Number of transient states (the start state not counted).
    pub fn states(&self) -> usize {
        self.keys.len()
    }

    /// Number of non-zero transitions between transient states (from start, and to conversion or null, not
    /// counted).
    pub fn transitions(&self) -> usize {
        self.col.len()
    }

    /// The channels of a state, in path order.
    pub fn state_channels(&self, state: usize) -> Vec<ChannelId> {
        self.keys[state].channels().collect()
    }

    /// The transition matrix as `(from, to, probability)` with states named by their channels joined by ` > `,
    /// and `(start)`, `(conversion)` and `(null)` as ChannelAttribution names them. Sorted by names.
    pub fn transition_matrix(&self, names: &[String]) -> Vec<(String, String, f64)> {
        let label = |s: usize| {
            self.keys[s]
                .channels()
                .map(|c| names.get(usize::from(c)).map_or("?", String::as_str))
                .collect::<Vec<_>>()
                .join(" > ")
        };
        let mut out = Vec::new();
        let start_null = 1.0 - self.start_conversion - self.start.iter().map(|&(_, p)| p).sum::<f64>();
        for &(s, p) in &self.start {
            out.push(("(start)".to_string(), label(s as usize), p));
        }
        if self.start_conversion > 0.0 {
            out.push(("(start)".into(), "(conversion)".into(), self.start_conversion));
        }
        if start_null > 1e-15 {
            out.push(("(start)".into(), "(null)".into(), start_null));
        }
        for s in 0..self.states() {
            let from = label(s);
            let self_loop = 1.0 - 1.0 / self.stay[s];
            if self_loop > 0.0 {
                out.push((from.clone(), from.clone(), self_loop));
            }
            for e in self.row_ptr[s]..self.row_ptr[s + 1] {
                out.push((from.clone(), label(self.col[e] as usize), self.prob[e]));
            }
            if self.rhs[s][0] > 0.0 {
                out.push((from.clone(), "(conversion)".into(), self.rhs[s][0]));
            }
            if self.null[s] > 0.0 {
                out.push((from, "(null)".into(), self.null[s]));
            }
        }
        out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        out
    }
}

/// States x channels up to which the successor cache is kept (12 bytes an entry, so at most 200 MB).
const SUCCESSOR_CACHE_LIMIT: usize = 1 << 24;

/// Marks a successor not looked up yet.
const UNKNOWN: u32 = u32::MAX;

/// Collects states and transition weights in one pass over the paths.
#[derive(Default)]
struct Builder {
    ids: FxHashMap<StateKey, u32>,
    keys: Vec<StateKey>,
    /// Per state: weight of journeys starting there, ending there in conversion / null, and the conversion
    /// value ending there.
    start: Vec<f64>,
    conversion: Vec<f64>,
    null: Vec<f64>,
    value: Vec<f64>,
    /// Journeys that end without touching a channel: converted, not converted, value.
    start_end: [f64; 3],
    /// Weight of `from -> to` between transient states, keyed `from << 32 | to`.
    edges: FxHashMap<u64, f64>,
    /// The state after s when channel x comes next is a function of (s, x): the window slides by one. While
    /// states x channels is small this table caches it (and the weight of the move), so that a step of a path
    /// costs two array reads instead of two hash look-ups. Folded into `edges` when it would grow too large.
    successors: Option<SuccessorCache>,
}

struct SuccessorCache {
    channels: usize,
    /// Entries allowed ([`SUCCESSOR_CACHE_LIMIT`] but in tests).
    limit: usize,
    /// `next[s * channels + x]`: the state after s when x comes next, or [`UNKNOWN`].
    next: Vec<u32>,
    /// `weight[s * channels + x]`: journeys moving that way.
    weight: Vec<f64>,
}

impl Builder {
    fn with_successor_cache(channels: usize, limit: usize) -> Builder {
        let successors =
            (channels > 0).then(|| SuccessorCache { channels, limit, next: Vec::new(), weight: Vec::new() });
        Builder { successors, ..Builder::default() }
    }

    fn state(&mut self, key: StateKey) -> u32 {
        let next = self.keys.len() as u32;
        let id = *self.ids.entry(key).or_insert(next);
        if id == next {
            self.keys.push(key);
            self.start.push(0.0);
            self.conversion.push(0.0);
            self.null.push(0.0);
            self.value.push(0.0);
            if let Some(cache) = &mut self.successors {
                if cache.next.len() + cache.channels > cache.limit {
                    self.fold_successor_cache();
                } else {
                    cache.next.extend(std::iter::repeat_n(UNKNOWN, cache.channels));
                    cache.weight.extend(std::iter::repeat_n(0.0, cache.channels));
                }
            }
        }
        id
    }

    /// Moves the cached weights into `edges` and stops caching.
    fn fold_successor_cache(&mut self) {
        if let Some(cache) = self.successors.take() {
            for (slot, (&to, &w)) in cache.next.iter().zip(&cache.weight).enumerate() {
                if to != UNKNOWN && w > 0.0 {
                    let from = (slot / cache.channels) as u64;
                    *self.edges.entry(from << 32 | u64::from(to)).or_insert(0.0) += w;
                }
            }
        }
    }

    /// One step of a path of at least `order + 1` channels: from the full window `s`, channel `x` comes next.
    /// Returns the new state; a window equal to the last one (a run of one channel) is no move at all, as in
    /// ChannelAttribution, which merges repeated states.
    fn shift(&mut self, s: u32, x: ChannelId, order: usize, journeys: f64) -> u32 {
        let slot = self.successors.as_ref().map(|c| s as usize * c.channels + usize::from(x));
        let cached = match (slot, &self.successors) {
            (Some(slot), Some(cache)) => cache.next[slot],
            _ => UNKNOWN,
        };
        let t = if cached != UNKNOWN {
            cached
        } else {
            let key = self.keys[s as usize].0 >> 16 | (u64::from(x) + 1) << (16 * (order - 1));
            let t = self.state(StateKey(key));
            if let (Some(slot), Some(cache)) = (slot, &mut self.successors) {
                cache.next[slot] = t;
            }
            t
        };
        if t != s {
            match (slot, &mut self.successors) {
                (Some(slot), Some(cache)) => cache.weight[slot] += journeys,
                _ => *self.edges.entry(u64::from(s) << 32 | u64::from(t)).or_insert(0.0) += journeys,
            }
        }
        t
    }

    fn edge(&mut self, from: Option<u32>, to: u32, weight: f64) {
        match from {
            None => self.start[to as usize] += weight,
            Some(from) => *self.edges.entry(u64::from(from) << 32 | u64::from(to)).or_insert(0.0) += weight,
        }
    }

    fn end(&mut self, last: Option<u32>, conversions: f64, nulls: f64, value: f64) {
        match last {
            None => {
                self.start_end[0] += conversions;
                self.start_end[1] += nulls;
                self.start_end[2] += value;
            }
            Some(s) => {
                let s = s as usize;
                self.conversion[s] += conversions;
                self.null[s] += nulls;
                self.value[s] += value;
            }
        }
    }

    fn finish(mut self, channels: usize) -> AbsorbingChain {
        self.fold_successor_cache();
        let n = self.keys.len();
        let mut edges: Vec<(u32, u32, f64)> =
            self.edges.into_iter().map(|(k, w)| ((k >> 32) as u32, k as u32, w)).collect();
        edges.sort_unstable_by_key(|&(from, to, _)| (from, to));

        // Steps to absorption, by breadth-first search backwards from the states that can end a journey.
        let mut rev_ptr = vec![0usize; n + 1];
        for &(from, to, _) in &edges {
            if from != to {
                rev_ptr[to as usize + 1] += 1;
            }
        }
        for s in 0..n {
            rev_ptr[s + 1] += rev_ptr[s];
        }
        let mut rev = vec![0u32; rev_ptr[n]];
        let mut fill = rev_ptr.clone();
        for &(from, to, _) in &edges {
            if from != to {
                rev[fill[to as usize]] = from;
                fill[to as usize] += 1;
            }
        }
        let mut dist = vec![u32::MAX; n];
        let mut queue: Vec<u32> = Vec::with_capacity(n);
        for (s, d) in dist.iter_mut().enumerate() {
            if self.conversion[s] + self.null[s] > 0.0 {
                *d = 0;
                queue.push(s as u32);
            }
        }
        let mut head = 0;
        while head < queue.len() {
            let t = queue[head] as usize;
            head += 1;
            for &s in &rev[rev_ptr[t]..rev_ptr[t + 1]] {
                if dist[s as usize] == u32::MAX {
                    dist[s as usize] = dist[t] + 1;
                    queue.push(s);
                }
            }
        }
        drop(rev);
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by_key(|&s| (dist[s as usize], self.keys[s as usize]));
        let mut new_id = vec![0u32; n];
        for (new, &old) in order.iter().enumerate() {
            new_id[old as usize] = new as u32;
        }

        // Rows in the new numbering, each sorted by target.
        let mut self_loop = vec![0.0; n];
        let mut row_ptr = vec![0usize; n + 1];
        for &(from, to, _) in &edges {
            if from != to {
                row_ptr[new_id[from as usize] as usize + 1] += 1;
            }
        }
        for s in 0..n {
            row_ptr[s + 1] += row_ptr[s];
        }
        let nnz = row_ptr[n];
        let mut col = vec![0u32; nnz];
        let mut weight = vec![0.0f64; nnz];
        let mut fill = row_ptr.clone();
        for &(from, to, w) in &edges {
            let f = new_id[from as usize] as usize;
            if from == to {
                self_loop[f] += w;
                continue;
            }
            col[fill[f]] = new_id[to as usize];
            weight[fill[f]] = w;
            fill[f] += 1;
        }
        drop(edges);
        let mut pairs: Vec<(u32, f64)> = Vec::new();
        for s in 0..n {
            let (a, z) = (row_ptr[s], row_ptr[s + 1]);
            pairs.clear();
            pairs.extend(col[a..z].iter().copied().zip(weight[a..z].iter().copied()));
            pairs.sort_unstable_by_key(|&(t, _)| t);
            for (i, &(t, w)) in pairs.iter().enumerate() {
                col[a + i] = t;
                weight[a + i] = w;
            }
        }

        let mut keys = vec![StateKey(0); n];
        let mut rhs = vec![[0.0; 2]; n];
        let mut null = vec![0.0; n];
        let mut stay = vec![1.0; n];
        let mut start: Vec<(u32, f64)> = Vec::new();
        for (old, &s) in new_id.iter().enumerate() {
            let s = s as usize;
            keys[s] = self.keys[old];
            let moves: f64 = weight[row_ptr[s]..row_ptr[s + 1]].iter().sum();
            let out = moves + self_loop[s] + self.conversion[old] + self.null[old];
            if out > 0.0 {
                for w in &mut weight[row_ptr[s]..row_ptr[s + 1]] {
                    *w /= out;
                }
                rhs[s] = [self.conversion[old] / out, self.value[old] / out];
                null[s] = self.null[old] / out;
                let p_stay = self_loop[s] / out;
                stay[s] = if p_stay < 1.0 { 1.0 / (1.0 - p_stay) } else { 0.0 };
            }
            if self.start[old] > 0.0 {
                start.push((s as u32, self.start[old]));
            }
        }
        start.sort_unstable_by_key(|&(s, _)| s);
        let [end_conv, end_null, end_value] = self.start_end;
        let start_total: f64 = start.iter().map(|&(_, w)| w).sum::<f64>() + end_conv + end_null;
        let (mut start_conversion, mut start_value) = (0.0, 0.0);
        if start_total > 0.0 {
            for (_, w) in &mut start {
                *w /= start_total;
            }
            start_conversion = end_conv / start_total;
            start_value = end_value / start_total;
        }
        AbsorbingChain {
            channels,
            keys,
            start,
            start_conversion,
            start_value,
            row_ptr,
            col,
            prob: weight,
            stay,
            rhs,
            null,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(rows: &[(&str, f64, f64, f64)]) -> PathSet {
        PathSet::from_named(rows.iter().map(|(p, c, v, n)| (p.split(" > ").collect::<Vec<_>>(), *c, *v, *n))).0
    }

    fn matrix(paths: &PathSet, order: u8) -> Vec<(String, String, f64)> {
        AbsorbingChain::fit(paths, order).unwrap().transition_matrix(&paths.channels)
    }

    fn row(from: &str, to: &str, p: f64) -> (String, String, f64) {
        (from.to_string(), to.to_string(), p)
    }

    #[test]
    fn keys_pack_and_unpack() {
        let k = StateKey::of(&[0, 7, 65534]);
        assert_eq!(k.channels().collect::<Vec<_>>(), vec![0, 7, 65534]);
        assert!(k.contains(0) && k.contains(7) && k.contains(65534) && !k.contains(1));
        assert_ne!(StateKey::of(&[0]), StateKey::of(&[0, 0]));
    }

    #[test]
    fn first_order_counts_merge_repeats_and_weigh_by_journeys() {
        // a > a > b: 1 conversion, 1 null (2 journeys); b: 0 conversions, 2 nulls.
        let p = set(&[("a > a > b", 1.0, 10.0, 1.0), ("b", 0.0, 0.0, 2.0)]);
        assert_eq!(
            matrix(&p, 1),
            vec![
                row("(start)", "a", 0.5),
                row("(start)", "b", 0.5),
                row("a", "b", 1.0),
                row("b", "(conversion)", 0.25),
                row("b", "(null)", 0.75),
            ]
        );
    }

    #[test]
    fn higher_orders_use_full_windows_and_short_paths_as_they_are() {
        // Order 2: a > b > c > a is (a,b) (b,c) (c,a); the short path c is the state (c).
        let p = set(&[("a > b > c > a", 1.0, 0.0, 0.0), ("c", 0.0, 0.0, 1.0), ("a > a > a", 0.0, 0.0, 2.0)]);
        assert_eq!(
            matrix(&p, 2),
            vec![
                row("(start)", "a > a", 0.5),
                row("(start)", "a > b", 0.25),
                row("(start)", "c", 0.25),
                row("a > a", "(null)", 1.0),
                row("a > b", "b > c", 1.0),
                row("b > c", "c > a", 1.0),
                row("c", "(null)", 1.0),
                row("c > a", "(conversion)", 1.0),
            ]
        );
        // Order 4 on a path of 4 channels: one state; order 3: two.
        let m = matrix(&set(&[("a > b > c > d", 1.0, 0.0, 0.0)]), 4);
        assert_eq!(m, vec![row("(start)", "a > b > c > d", 1.0), row("a > b > c > d", "(conversion)", 1.0)]);
        let chain = AbsorbingChain::fit(&set(&[("a > b > c > d", 1.0, 0.0, 0.0)]), 3).unwrap();
        assert_eq!((chain.states(), chain.transitions()), (2, 1));
    }

    #[test]
    fn states_are_numbered_by_steps_to_absorption() {
        let p = set(&[("a > b > c", 1.0, 0.0, 0.0)]);
        let chain = AbsorbingChain::fit(&p, 1).unwrap();
        let order: Vec<Vec<ChannelId>> = (0..3).map(|s| chain.state_channels(s)).collect();
        assert_eq!(order, vec![vec![2], vec![1], vec![0]]);
    }

    #[test]
    fn value_is_the_mean_per_conversion_of_paths_ending_in_the_state() {
        // Paths ending in b: 2 conversions worth 30 in all and 1 conversion worth 6; 1 null. Mean 12 per
        // conversion; P(b -> conversion) = 3/4, so the value right-hand side is 3/4 * 12 = 9.
        let p = set(&[("a > b", 2.0, 30.0, 0.0), ("b", 1.0, 6.0, 1.0), ("a", 0.0, 99.0, 1.0)]);
        let chain = AbsorbingChain::fit(&p, 1).unwrap();
        let b = (0..2).find(|&s| chain.state_channels(s) == vec![1]).unwrap();
        assert_eq!(chain.rhs[b], [0.75, 9.0]);
    }

    #[test]
    fn the_successor_cache_changes_nothing() {
        // Without the cache, with one folded into the hash map half-way, and with the full cache.
        let p = set(&[
            ("a > b > a > b > c", 2.0, 10.0, 1.0),
            ("c > c > b > a", 1.0, 5.0, 3.0),
            ("b > c > a > a > b > c", 0.0, 0.0, 2.0),
            ("a", 1.0, 1.0, 1.0),
        ]);
        for order in 1..=4 {
            let full = AbsorbingChain::fit(&p, order).unwrap().transition_matrix(&p.channels);
            for limit in [0, 3 * 3, 6 * 3] {
                let other = AbsorbingChain::fit_with_cache(&p, order, limit).unwrap();
                assert_eq!(other.transition_matrix(&p.channels), full, "order {order}, limit {limit}");
            }
        }
    }

    #[test]
    fn bad_rows_and_orders_are_rejected() {
        let mut p = set(&[("a", 1.0, 0.0, 0.0)]);
        assert_eq!(AbsorbingChain::fit(&p, 0).unwrap_err(), AnalyticsError::MarkovOrder { order: 0 });
        assert_eq!(AbsorbingChain::fit(&p, 5).unwrap_err(), AnalyticsError::MarkovOrder { order: 5 });
        p.rows[0].nulls = f64::NAN;
        assert!(matches!(
            AbsorbingChain::fit(&p, 1).unwrap_err(),
            AnalyticsError::InvalidPathRow { row: 0, field: "nulls", .. }
        ));
        p.rows[0].nulls = 0.0;
        p.rows[0].channels = vec![3];
        assert!(matches!(
            AbsorbingChain::fit(&p, 1).unwrap_err(),
            AnalyticsError::InvalidPathRow { row: 0, field: "channel id", .. }
        ));
    }
}
