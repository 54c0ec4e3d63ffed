//! Independent seeded random streams, one per part of the model, so that changing one part (or switching a
//! channel's effect off) never shifts the random numbers of another.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The parts of the model that draw random numbers. The discriminant is the ChaCha stream number.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stream {
    Plan = 1,
    Content = 2,
    Time = 3,
    Accounts = 4,
    Touches = 5,
    Triggers = 6,
    Meetings = 7,
    Reports = 8,
    Experiment = 9,
    Audience = 10,
    Inbox = 11,
}

/// A ChaCha8 generator for `stream` of the world seeded by `seed`.
pub(crate) fn rng(seed: u64, stream: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream as u64);
    rng
}
