//! Simulated marketing-mix worlds with known truth, the ground the mix model (`socialledger_mmm`) is tested
//! against, and the least-squares oracle that says how good a fit can be on them.
//!
//! Not shipped (`publish = false`): a test generator, kept out of the product crate. Seeded and pure
//! (ChaCha8, no I/O, no clock). docs/mmm-worlds.md states every range and why the channels look as they do.
//!
//! ```
//! use socialledger_mmm_worlds::{oracle_shares, share_errors_pp, World};
//! let world = World::generate(3);
//! let shares = oracle_shares(&world).unwrap();
//! let errors = share_errors_pp(&world.truth, &shares).unwrap();
//! assert_eq!(errors.len(), world.panel.channels.len());
//! ```
//!
//! Modules: [`channels`] (the channels and their inputs), [`baseline`] (the outcome without media), [`ranges`]
//! (every range a true parameter is drawn from), [`world`] (putting a world together), [`truth`], [`oracle`],
//! [`score`].

pub mod baseline;
pub mod channels;
pub mod error;
pub mod oracle;
pub mod ranges;
mod rng;
pub mod score;
pub mod truth;
pub mod world;

pub use channels::ChannelKind;
pub use error::WorldsError;
pub use oracle::{oracle_fit, oracle_shares, OracleFit};
pub use score::{covers, share_errors_pp};
pub use truth::{BaselineTruth, ChannelTruth, ControlTruth, Truth};
pub use world::{World, WorldOptions};
