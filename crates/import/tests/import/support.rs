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

/// Writes `bytes` as a file called `name` into a fresh temporary folder and imports that file, as the CLI does: the
/// synthetic exports of issue 15 go through the file system like a download.
pub fn import_written(name: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Parsed, ImportError> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("socialledger-import-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let read = std::fs::read(&path).unwrap();
    let result = import_file(&path, &read, opts);
    std::fs::remove_dir_all(&dir).unwrap();
    result
}

/// A message of [`import_written`] without the temporary folder in front of the file name.
pub fn without_temp_dir(message: &str) -> String {
    let marker = "socialledger-import-";
    match message.find(marker).and_then(|at| message[at..].find('/').map(|slash| at + slash + 1)) {
        Some(end) if message[..end].starts_with(std::env::temp_dir().to_string_lossy().as_ref()) => {
            message[end..].to_string()
        }
        _ => message.to_string(),
    }
}
