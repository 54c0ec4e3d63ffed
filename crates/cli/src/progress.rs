//! Progress bars on stderr, hidden when stderr is not a terminal or with `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar for `len` units of work, or a hidden one when progress should not be shown.
pub fn bar(len: u64, message: &str, quiet: bool) -> ProgressBar {
    let visible = !quiet && std::io::stderr().is_terminal();
    let pb = ProgressBar::with_draw_target(
        Some(len),
        if visible { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() },
    );
    if let Ok(style) = ProgressStyle::with_template("{msg:30!} [{bar:30}] {pos:>9}/{len:9} {per_sec:>12} eta {eta}") {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(message.to_string());
    pb
}
