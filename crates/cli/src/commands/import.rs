//! `socialledger import FILE...`: each file read, mapped and stored in its own transaction.

use crate::args::{Cli, ImportArgs};
use crate::{output, progress};
use anyhow::Context;
use serde::Serialize;
use socialledger_domain::Currency;
use socialledger_import::{utm::UtmRules, ImportOptions};
use socialledger_store::{ImportOutcome, ImportSource, Store};
use std::path::Path;
use std::process::ExitCode;

/// What happened to one file, as printed with `--json`.
#[derive(Debug, Serialize)]
pub struct FileResult {
    pub file: String,
    /// `imported`, `unchanged` (the same bytes were imported before) or `rejected`.
    pub status: &'static str,
    pub format: Option<String>,
    pub rows: usize,
    /// Records written per kind.
    pub records: Vec<(String, usize)>,
    pub notes: Vec<String>,
    pub errors: Vec<String>,
}

pub async fn run(cli: &Cli, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_store(&cli.db_or_default()).await?;
    let opts = options(args)?;
    let results = import_files(&store, &args.files, opts, cli.quiet).await?;
    let failed = results.iter().filter(|r| r.status == "rejected").count();
    if cli.json {
        output::print_json(&results)?;
    } else {
        for r in &results {
            print_result(r, cli.quiet)?;
        }
    }
    if failed > 0 {
        if !cli.json {
            eprintln!("socialledger: {failed} of {} files rejected; nothing was imported from them", results.len());
        }
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// Import options from the flags.
pub fn options(args: &ImportArgs) -> anyhow::Result<ImportOptions> {
    let tz: chrono_tz::Tz = args.tz.parse().map_err(|_| {
        anyhow::anyhow!("unknown time zone {:?}; use an IANA name such as Europe/Berlin or UTC", args.tz)
    })?;
    let currency = Currency::parse(&args.currency)?;
    let mut utm_rules = UtmRules::default();
    if let Some(path) = &args.utm_rules {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        utm_rules =
            UtmRules::from_toml_str(&text).map_err(|e| anyhow::anyhow!("bad UTM rules in {}: {e}", path.display()))?;
    }
    Ok(ImportOptions {
        format: args.format.clone(),
        tz,
        currency,
        channel: args.channel.clone(),
        period_end: args.period_end,
        own_page: args.own_page.clone(),
        utm_rules,
        stream_from_bytes: args.stream_from_bytes,
        ..ImportOptions::default()
    })
}

/// Imports files one by one, each in its own transaction. A rejected file is reported and the others go on.
pub async fn import_files(
    store: &Store,
    files: &[impl AsRef<Path>],
    mut opts: ImportOptions,
    quiet: bool,
) -> anyhow::Result<Vec<FileResult>> {
    let mut results = Vec::with_capacity(files.len());
    for path in files {
        let path = path.as_ref();
        let display = path.display().to_string();
        opts.existing_channels = store.channels().await?;
        opts.channel_aliases = store.channel_aliases().await?;
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size >= opts.stream_from_bytes && socialledger_import::stream::streams_as_touchpoints(path, &opts) {
            results.push(super::import_stream::import_touchpoints(store, path, &opts, quiet).await?);
            continue;
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                results.push(rejected(display, None, vec![format!("{}: cannot read the file: {e}", path.display())]));
                continue;
            }
        };
        // Parsing is CPU-bound and allocates and frees millions of small strings: it runs on a blocking thread, off
        // the async runtime, and the file's bytes are freed there once parsed. With glibc's allocator this also
        // matters for speed: the parser's freed temporaries stay in that thread's arena instead of riddling the heap
        // the store phase allocates from, which more than halved the import of 1M touchpoints into SQLite (see
        // docs/benchmarks.md).
        let parsed = {
            let (path, opts) = (path.to_path_buf(), opts.clone());
            tokio::task::spawn_blocking(move || socialledger_import::import_file(&path, &bytes, &opts))
                .await
                .context("the parser thread failed")?
        };
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => {
                results.push(rejected(display, None, e.to_string().lines().map(str::to_string).collect()));
                continue;
            }
        };
        let total = parsed.dataset.len() as u64;
        let bar = progress::bar(total, &format!("storing {}", file_name(path)), quiet);
        let source = ImportSource {
            file_name: file_name(path),
            format: parsed.format.to_string(),
            content_hash: parsed.content_hash.clone(),
            rows: parsed.rows,
        };
        let outcome = store.import(&source, &parsed.dataset, &|done, _total| bar.set_position(done)).await;
        bar.finish_and_clear();
        match outcome {
            Ok(ImportOutcome::AlreadyImported { .. }) => results.push(FileResult {
                file: display,
                status: "unchanged",
                format: Some(parsed.format.to_string()),
                rows: parsed.rows,
                records: Vec::new(),
                notes: vec!["the same file was imported before; nothing changed".to_string()],
                errors: Vec::new(),
            }),
            Ok(ImportOutcome::Imported { .. }) => results.push(FileResult {
                file: display,
                status: "imported",
                format: Some(parsed.format.to_string()),
                rows: parsed.rows,
                records: parsed
                    .dataset
                    .counts()
                    .iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(k, n)| (k.to_string(), *n))
                    .collect(),
                notes: parsed.notes.clone(),
                errors: Vec::new(),
            }),
            Err(e) => results.push(rejected(
                display.clone(),
                Some(parsed.format.to_string()),
                vec![format!("{display}: could not be stored, nothing was imported: {e}")],
            )),
        }
    }
    Ok(results)
}

pub(super) fn rejected(file: String, format: Option<String>, errors: Vec<String>) -> FileResult {
    FileResult { file, status: "rejected", format, rows: 0, records: Vec::new(), notes: Vec::new(), errors }
}

pub(super) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// `1 channel`, `1 time entry`, `7 channel days`, `1,200 posts`: a count with its plural noun made singular for one.
fn count_of(n: usize, plural: &str) -> String {
    let noun = match (n, plural.strip_suffix("ies"), plural.strip_suffix('s')) {
        (1, Some(stem), _) => format!("{stem}y"),
        (1, None, Some(stem)) => stem.to_string(),
        _ => plural.to_string(),
    };
    format!("{} {noun}", socialledger_report::figures::group_thousands(n as u64))
}

fn print_result(r: &FileResult, quiet: bool) -> anyhow::Result<()> {
    match r.status {
        "rejected" => {
            for e in &r.errors {
                eprintln!("{e}");
            }
        }
        "unchanged" => {
            if !quiet {
                output::print_text(&format!("{}: already imported, nothing changed", r.file))?;
            }
        }
        _ => {
            if !quiet {
                let records: Vec<String> = r.records.iter().map(|(k, n)| count_of(*n, &k.replace('_', " "))).collect();
                output::print_text(&format!(
                    "{}: imported as {} ({} rows): {}",
                    r.file,
                    r.format.as_deref().unwrap_or("?"),
                    r.rows,
                    if records.is_empty() { "no records".to_string() } else { records.join(", ") }
                ))?;
                for n in &r.notes {
                    output::print_text(&format!("  note: {n}"))?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::count_of;

    #[test]
    fn counts_read_as_words() {
        assert_eq!(count_of(1, "channels"), "1 channel");
        assert_eq!(count_of(1, "time entries"), "1 time entry");
        assert_eq!(count_of(7, "channel days"), "7 channel days");
        assert_eq!(count_of(1200, "posts"), "1,200 posts");
    }
}
