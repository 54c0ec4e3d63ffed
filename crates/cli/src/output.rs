//! Printing results and errors: JSON to stdout, the error's cause chain to stderr.

use serde::Serialize;
use std::io::Write;

/// Writes `value` as pretty JSON followed by a newline (a negative zero as `0.0`, see
/// [`socialledger_report::json::to_pretty_writer`]).
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    socialledger_report::json::to_pretty_writer(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// The width text tables are fitted to: the terminal's when stdout is one, else `COLUMNS` when set (so a pipe
/// or file can ask for a width), else the report's default of 100 columns.
pub fn terminal_width() -> usize {
    if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size_of(std::io::stdout()) {
        return usize::from(w);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
        .unwrap_or(socialledger_report::terminal::DEFAULT_WIDTH)
}

/// Writes text to stdout as is.
pub fn print_text(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

/// Prints an error and its causes, one per line, prefixed `socialledger:`.
pub fn print_error(err: &anyhow::Error) {
    let mut chain = err.chain();
    if let Some(top) = chain.next() {
        eprintln!("socialledger: {top}");
    }
    for cause in chain {
        eprintln!("  caused by: {cause}");
    }
}

/// True when the error is a write to a closed pipe, which is not worth a message.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}
