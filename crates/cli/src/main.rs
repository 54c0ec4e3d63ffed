//! `socialledger`: the command line. Glue only: parse flags, call the libraries, print results.
//!
//! Exit codes: 0 success, 1 nothing found or a check failed, 2 error. Results go to stdout, progress and errors to
//! stderr; a closed pipe (`socialledger report | head`) ends quietly.

mod args;
mod commands;
mod output;
mod progress;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the streamed import's parser allocates every record's strings on one
/// thread and they are freed on others, where glibc's allocator spent a fifth of the import's CPU
/// (docs/benchmarks.md, "Streaming import").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("socialledger: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        Err(err) => {
            if output::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            output::print_error(&err);
            ExitCode::from(2)
        }
    }
}
