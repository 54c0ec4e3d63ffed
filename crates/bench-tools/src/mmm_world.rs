//! A mix-model world (`socialledger_mmm_worlds`) as files another tool can fit: a weekly CSV and its truth as
//! JSON, so the PyMC-Marketing comparison fits exactly the panel the Rust tests score.
//!
//! `mmm_world_<seed>.csv` has the columns `date_week` (ISO date of the week's Monday), `y` (pipeline, EUR), one
//! column per channel (its input: spend in EUR, staff hours or a volume, named by the channel's key), one per
//! control (0/1), and `t` (the week's index from 0): PyMC-Marketing has no trend of its own and its example
//! passes one as the control `t`, while our model builds it in, so a fit of the same model there lists
//! `holiday,launch,t` as controls. Numbers print in Rust's shortest round-trip form, so a reader gets the very `f64`s the
//! generator made. `mmm_world_<seed>_truth.json` is the world's `Truth` (docs/mmm-worlds.md lists its fields).

use anyhow::{Context, Result};
use socialledger_mmm_worlds::World;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The CSV's and the truth's paths for `seed` in `dir`.
pub fn paths(dir: &Path, seed: u64) -> (PathBuf, PathBuf) {
    (dir.join(format!("mmm_world_{seed}.csv")), dir.join(format!("mmm_world_{seed}_truth.json")))
}

/// Writes the world's CSV and truth into `dir` (created if missing) and returns their paths.
pub fn write(world: &World, dir: &Path) -> Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let (csv_path, truth_path) = paths(dir, world.truth.seed);
    let file = std::fs::File::create(&csv_path).with_context(|| format!("creating {}", csv_path.display()))?;
    let mut w = std::io::BufWriter::new(file);
    write_csv_to(world, &mut w).with_context(|| format!("writing {}", csv_path.display()))?;
    w.flush().with_context(|| format!("writing {}", csv_path.display()))?;
    let text = serde_json::to_string_pretty(&world.truth)?;
    std::fs::write(&truth_path, text + "\n").with_context(|| format!("writing {}", truth_path.display()))?;
    Ok((csv_path, truth_path))
}

/// The CSV's header: `date_week`, `y`, the channel keys, the control names, `t`.
pub fn header(world: &World) -> Vec<String> {
    let p = &world.panel;
    ["date_week".to_string(), "y".to_string()]
        .into_iter()
        .chain(p.channels.iter().map(|c| c.key.clone()))
        .chain(p.controls.iter().map(|c| c.name.clone()))
        .chain(["t".to_string()])
        .collect()
}

/// Writes the world's CSV to any writer (see [`write()`]).
pub fn write_csv_to(world: &World, w: &mut impl Write) -> Result<()> {
    let p = &world.panel;
    let mut out = csv::Writer::from_writer(w);
    out.write_record(header(world))?;
    for (t, date) in p.dates.iter().enumerate() {
        let mut row = vec![date.to_string(), p.target[t].to_string()];
        row.extend(p.channels.iter().map(|c| c.values[t].to_string()));
        row.extend(p.controls.iter().map(|c| c.values[t].to_string()));
        row.push(t.to_string());
        out.write_record(&row)?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_reads_back_to_the_panel_exactly() {
        let world = World::generate(3);
        let mut bytes = Vec::new();
        write_csv_to(&world, &mut bytes).unwrap();
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(head, header(&world));
        assert_eq!(&head[..5], ["date_week", "y", "linkedin", "campaign", "paid_search"]);
        assert_eq!(&head[head.len() - 3..], ["holiday", "launch", "t"]);
        let p = &world.panel;
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), p.len());
        for (t, row) in rows.iter().enumerate() {
            assert_eq!(row[0], p.dates[t].to_string());
            assert_eq!(row[1].parse::<f64>().unwrap(), p.target[t]);
            for (m, c) in p.channels.iter().enumerate() {
                assert_eq!(row[2 + m].parse::<f64>().unwrap(), c.values[t]);
            }
            for (j, c) in p.controls.iter().enumerate() {
                assert_eq!(row[2 + p.channels.len() + j].parse::<f64>().unwrap(), c.values[t]);
            }
            assert_eq!(row[row.len() - 1], t.to_string());
        }
        assert!(String::from_utf8(bytes).unwrap().starts_with("date_week,y,linkedin,campaign,paid_search,"));
    }
}
