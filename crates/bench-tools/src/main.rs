//! `gen-worlds`: writes the simulated path files of the attribution benchmark (benches/attribution) in
//! ChannelAttribution's format, and the mix-model worlds as weekly CSV, with what is known exactly about each
//! world beside them.
//!
//! - `--world markov`: journeys from a known first-order chain; the chain goes to `<out stem>.chain.json`
//!   (benches/attribution/markov_truth.py turns it into exact removal-effect shares with numpy).
//! - `--world confounded`: the analytics crate's `ConfoundedWorld::b2b` (hidden buying intent); its true
//!   incremental shares go to `<out stem>.truth.json`.
//! - `--world realistic`: a random second-order world with no truth, for the agreement test.
//! - `--world mmm`: the weekly marketing-mix world of `--seed` (`socialledger_mmm_worlds`); `--out` is a
//!   directory that gets `mmm_world_<seed>.csv` and `mmm_world_<seed>_truth.json`, for the PyMC-Marketing
//!   comparison (`--adstock` and `--saturation` choose other true transforms).
//!
//! Not shipped (`publish = false`); the product never depends on it.

mod markov_world;
mod mmm_world;
mod pathfile;
mod realistic_world;
mod rng;

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use serde_json::json;
use socialledger_analytics::worlds::ConfoundedWorld;
use socialledger_mmm::{AdstockKind, SaturationKind};
use socialledger_mmm_worlds::WorldOptions;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum World {
    Markov,
    Confounded,
    Realistic,
    Mmm,
}

/// The true adstock of a `--world mmm` world.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Adstock {
    Geometric,
    WeibullPdf,
    WeibullCdf,
}

/// The true saturation of a `--world mmm` world.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Saturation {
    Logistic,
    Hill,
}

/// Writes one simulated path file (and its truth) for the attribution benchmark, or one mix-model world.
#[derive(Debug, Parser)]
#[command(
    name = "gen-worlds",
    after_help = "Examples:\n  \
                  gen-worlds --world markov --journeys 100000 --seed 1 --out m.csv\n  \
                  gen-worlds --world mmm --seed 7 --out worlds/\n      \
                  (writes worlds/mmm_world_7.csv and worlds/mmm_world_7_truth.json)"
)]
struct Args {
    /// Which world to simulate.
    #[arg(long, value_enum)]
    world: World,
    /// Journeys to simulate (each is one row's count: a conversion or a null); required by the path worlds,
    /// not used by `mmm`.
    #[arg(long)]
    journeys: Option<u64>,
    /// Seed of the journeys, or of the whole `mmm` world (the same seed writes the same file).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Seed of the realistic world's random chain (kept apart so one world can be sampled at several sizes).
    #[arg(long, default_value_t = 2024)]
    world_seed: u64,
    /// The path file to write (`.csv`); side files take its name with `.chain.json` or `.truth.json`. For
    /// `mmm`, the directory to write `mmm_world_<seed>.csv` and `mmm_world_<seed>_truth.json` into (created if
    /// missing).
    #[arg(long)]
    out: PathBuf,
    /// The true adstock of an `mmm` world (the model's default is geometric).
    #[arg(long, value_enum, default_value_t = Adstock::Geometric)]
    adstock: Adstock,
    /// The true saturation of an `mmm` world (the model's default is logistic).
    #[arg(long, value_enum, default_value_t = Saturation::Logistic)]
    saturation: Saturation,
}

impl Args {
    fn journeys(&self) -> Result<u64> {
        match self.journeys {
            Some(j) => Ok(j),
            None => {
                let world = self.world.to_possible_value().expect("every world has a name");
                bail!("--world {} needs --journeys N (how many journeys to simulate)", world.get_name())
            }
        }
    }

    fn mmm_options(&self) -> WorldOptions {
        WorldOptions {
            adstock: match self.adstock {
                Adstock::Geometric => AdstockKind::Geometric,
                Adstock::WeibullPdf => AdstockKind::WeibullPdf,
                Adstock::WeibullCdf => AdstockKind::WeibullCdf,
            },
            saturation: match self.saturation {
                Saturation::Logistic => SaturationKind::Logistic,
                Saturation::Hill => SaturationKind::Hill,
            },
        }
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    match args.world {
        World::Markov => {
            let chain = markov_world::reference();
            let paths = markov_world::simulate(&chain, args.journeys()?, args.seed);
            pathfile::write(&paths, &args.out)?;
            write_json(&side_file(&args.out, "chain.json"), &json!({ "world": "markov", "chain": chain }))?;
        }
        World::Confounded => {
            let journeys = usize::try_from(args.journeys()?).context("--journeys does not fit this machine")?;
            let sample = ConfoundedWorld::b2b(journeys).simulate(args.seed);
            pathfile::write(&sample.paths, &args.out)?;
            let shares: serde_json::Map<String, serde_json::Value> =
                sample.true_shares.iter().map(|(c, s)| (c.clone(), json!(s))).collect();
            let incremental: serde_json::Map<String, serde_json::Value> =
                sample.true_incremental.iter().map(|(c, s)| (c.clone(), json!(s))).collect();
            let truth = json!({
                "world": "confounded",
                "journeys": journeys,
                "seed": args.seed,
                "shares": shares,
                "incremental_conversions": incremental,
                "intent_channels": sample.intent_channels,
            });
            write_json(&side_file(&args.out, "truth.json"), &truth)?;
        }
        World::Realistic => {
            let paths = realistic_world::World::new(args.world_seed).simulate(args.journeys()?, args.seed);
            pathfile::write(&paths, &args.out)?;
        }
        World::Mmm => {
            let world = socialledger_mmm_worlds::World::generate_with(args.seed, args.mmm_options());
            mmm_world::write(&world, &args.out)?;
        }
    }
    Ok(())
}

/// `dir/name.csv` -> `dir/name.<suffix>`.
fn side_file(out: &Path, suffix: &str) -> PathBuf {
    out.with_extension(suffix)
}

fn write_json(path: &Path, value: &serde_json::Value) -> Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    std::fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))
}
