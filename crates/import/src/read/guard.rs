//! The last resort around third-party parsers: a panic inside one becomes an error message instead of ending the
//! process, and its panic message stays off the terminal (the user gets our error, not a backtrace hint).
//!
//! Panics are the only failure this can catch: an allocation that fails aborts the process before any handler
//! runs, so the readers check sizes *before* handing bytes to a parser (see [`super::sheet`]).

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// True while this thread runs inside [`catch_panic`]: the panic hook stays silent then.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

static QUIET_HOOK: Once = Once::new();

/// Wraps the process's panic hook once so that it says nothing for panics [`catch_panic`] is about to catch, and
/// behaves as before for every other panic.
fn install_quiet_hook() {
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it becomes `Err` with `what` and the panic's message.
pub fn catch_panic<T>(what: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    install_quiet_hook();
    let was = GUARDED.with(|g| g.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    match result {
        Ok(r) => r,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".into());
            Err(format!("{what} failed on malformed data ({})", super::printable(&detail, 120)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error() {
        let r: Result<(), String> = catch_panic("the test parser", || panic!("index out of bounds"));
        let e = r.unwrap_err();
        assert!(e.starts_with("the test parser failed on malformed data"), "{e}");
        assert!(e.contains("index out of bounds"), "{e}");
        assert_eq!(catch_panic("x", || Ok(3)), Ok(3));
    }
}
