//! Snapshots of all four formats of the fixture company, reviewed by reading and committed.

use crate::rendered;
use socialledger_report::Format;

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn terminal_report() {
    snapshot("terminal", &rendered(Format::Terminal));
}

#[test]
fn json_report() {
    snapshot("json", &rendered(Format::Json));
}

#[test]
fn csv_report() {
    snapshot("csv", &rendered(Format::Csv));
}

/// The HTML with a line break between adjacent tags, so the snapshot reads (and diffs) line by line; the page
/// itself has no such breaks.
#[test]
fn html_report() {
    snapshot("html", &rendered(Format::Html).replace("><", ">\n<"));
}
