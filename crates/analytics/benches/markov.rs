//! Times the exact Markov attribution (orders 1-4) on journeys drawn from a known first-order chain of 12
//! channels: 100k and 1M journeys, aggregated into distinct paths. Prints seconds per fit.
//!
//! Run: `cargo bench -p socialledger-analytics --bench markov` (release build). Pass journey counts as
//! arguments to change the sizes, e.g. `-- 10000000`.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use socialledger_analytics::attribution::markov::{markov, simulate_chain, FirstOrderChain};
use std::time::Instant;

/// A 12-channel chain with repeat touches and cycles; journeys average about five touches and one in six
/// converts. Probabilities are drawn once from a fixed seed.
fn chain() -> FirstOrderChain {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
    let mut u = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let c = 12;
    let channels: Vec<String> = (0..c).map(|i| format!("channel_{i:02}")).collect();
    let start_raw: Vec<f64> = (0..c).map(|_| 0.2 + u()).collect();
    let total: f64 = start_raw.iter().sum();
    let start = start_raw.iter().map(|w| w / total).collect();
    let mut transitions = Vec::new();
    let mut conversion = Vec::new();
    for _ in 0..c {
        // Leave the chain with probability 0.2 (of which a quarter to a half converts), move on otherwise.
        let leave = 0.2;
        let conv = leave * (0.05 + 0.25 * u());
        let raw: Vec<f64> = (0..c).map(|_| u() * u()).collect();
        let sum: f64 = raw.iter().sum();
        transitions.push(raw.iter().map(|w| (1.0 - leave) * w / sum).collect());
        conversion.push(conv);
    }
    let value = (0..c).map(|i| 1_000.0 * (1 + i % 4) as f64).collect();
    FirstOrderChain { channels, start, transitions, conversion, value }
}

fn main() {
    let sizes: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![100_000, 1_000_000] } else { sizes };
    let chain = chain();
    println!("journeys  paths    order  states   transitions  sweeps  seconds");
    for journeys in sizes {
        let paths = simulate_chain(&chain, journeys, 1).expect("valid chain");
        for order in 1..=4u8 {
            let t = Instant::now();
            let fit = markov(&paths, order).expect("fit");
            let seconds = t.elapsed().as_secs_f64();
            println!(
                "{journeys:<9} {:<8} {order:<6} {:<8} {:<12} {:<7} {seconds:.3}",
                paths.rows.len(),
                fit.states,
                fit.transitions,
                fit.sweeps
            );
        }
    }
}
