//! Paths and one-call imports shared by the test modules.

use socialledger_import::{import_file, ImportError, ImportOptions, Parsed};
use std::path::{Path, PathBuf};

/// The repository's `examples/` folder.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// The real export files in the shared data beside the repository (`../shared/data/exports`). A test that uses
/// them begins with `socialledger_testkit::needs_shared_data!()`, which skips it when they are missing.
pub fn shared_exports() -> PathBuf {
    socialledger_testkit::shared_data().expect("the test begins with needs_shared_data!()").join("exports")
}

pub fn example_bytes(name: &str) -> Vec<u8> {
    let path = examples_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Imports `bytes` as if read from a file called `name`.
pub fn import_as(name: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Parsed, ImportError> {
    import_file(Path::new(name), bytes, opts)
}

/// Imports an example file with default options, failing the test with the full error text.
pub fn example(name: &str) -> Parsed {
    import_as(name, &example_bytes(name), &ImportOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}
