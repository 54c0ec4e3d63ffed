//! Integration tests of the real `socialledger` binary, in fresh temp dirs, on real export files.

mod attribution;
#[cfg(unix)]
mod browser;
mod channels;
mod crossposts;
mod demo;
mod execution;
mod experiment;
mod first_run;
mod help;
mod imports;
mod meta;
mod mmm;
mod mmm_controls;
mod mmm_panel;
mod postgres;
mod robustness;
mod serve;
mod settings;
mod stream;
mod support;
mod target_group;
mod targets;
mod text_output;
mod tiktok_competitors;
mod time;
mod verdict;
