//! The demo's HTML report in a real headless Chromium: printed to PDF, its rendered DOM, a screenshot, its network.
//!
//! Chromium is driven with `std::process::Command` only (no webdriver). Every run gets a fresh profile, resolves
//! every host name to "not found" and writes a net log, from which we read the requests made on behalf of the page.
//! Without Chromium the tests skip (recorded and counted by `scripts/test`), except under CI, where that is a
//! failure (see `socialledger_testkit::skip`).

use crate::support::bin;
use socialledger_testkit::process::run_with_timeout;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Chromium is killed (with its whole process group) after this long.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);

#[test]
fn demo_report_renders_in_headless_chromium() {
    let Some(chromium) = Chromium::find() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["demo", "--quiet"]).output().unwrap();
    assert!(out.status.success(), "demo failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let report = dir.path().join("socialledger-demo/report.html");
    assert!(report.is_file(), "demo wrote no report at {}", report.display());
    let url = file_url(&report);

    // (a) Printed to PDF: a real PDF of at least two pages.
    let pdf = dir.path().join("report.pdf");
    let run = chromium.run(&[arg("--print-to-pdf=", &pdf), "--no-pdf-header-footer".into(), url.clone()]);
    run.assert_no_page_requests();
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("no PDF at {} ({e}); {}", pdf.display(), run.stderr));
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{} is not a PDF: starts with {:?}",
        pdf.display(),
        &bytes[..8.min(bytes.len())]
    );
    let pages = pdf_pages(&pdf, &bytes);
    assert!(pages >= 2, "the printed report has {pages} page(s); expected at least 2");
    // The decision prints as one A4 page of its own: all of it on page 1, the key figures start page 2. Needs
    // pdftotext (poppler-utils, installed with Chromium by .ci/run); without it this part is not checked.
    if let Some(pdftotext) = on_path("pdftotext") {
        let page = |n: &str| {
            let out = Command::new(&pdftotext).args(["-f", n, "-l", n]).arg(&pdf).arg("-").output().unwrap();
            assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let (first, second) = (page("1"), page("2"));
        for part in ["The decision", "Social against the rest of the mix", "How sure we are", "Facebook page"] {
            assert!(first.contains(part), "page 1 lacks {part:?}:\n{first}");
        }
        assert!(second.trim_start().starts_with("Key figures"), "the decision runs onto page 2:\n{second}");
    }

    // (b) The DOM after rendering: the inline charts, the channels, no script.
    let run = chromium.run(&["--dump-dom".into(), url.clone()]);
    run.assert_no_page_requests();
    let dom = &run.stdout;
    let svgs = dom.matches("<svg").count();
    assert!(svgs >= 4, "the rendered report has {svgs} <svg> element(s); expected at least 4");
    assert!(!dom.to_ascii_lowercase().contains("<script"), "the rendered report contains a <script> element");
    // Every channel the demo company declares in its input, by display name, as the text of some element.
    let channels = channel_names(&dir.path().join("socialledger-demo/data/channels.csv"));
    for network in ["linkedin", "x", "facebook", "instagram", "youtube"] {
        assert!(channels.iter().any(|(n, _)| n == network), "the demo declares no {network} channel: {channels:?}");
    }
    for (_, name) in &channels {
        assert!(dom.contains(&format!(">{}<", html_text(name))), "the rendered report never names the channel {name}");
    }

    // (c) A laptop-width screenshot (the top 4,000 px of about 9,300): a real, non-trivial PNG of the requested size.
    // SOCIALLEDGER_KEEP_SCREENSHOT=<file> keeps it, to look at.
    let png = dir.path().join("report.png");
    let run = chromium.run(&[arg("--screenshot=", &png), "--window-size=1280,4000".into(), url]);
    run.assert_no_page_requests();
    let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("no PNG at {} ({e}); {}", png.display(), run.stderr));
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{} is not a PNG", png.display());
    assert_eq!(png_size(&bytes), Some((1280, 4000)), "the screenshot has the wrong size");
    assert!(bytes.len() > 20_000, "the screenshot is only {} bytes: a blank page?", bytes.len());
    if let Some(keep) = std::env::var_os("SOCIALLEDGER_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
}

/// The network check can fail: a page that loads an image, a stylesheet and a background from the network is caught,
/// and Chromium's own background requests (update checks, network time, accounts) are not blamed on the page.
#[test]
fn network_check_catches_a_page_that_loads_from_the_network() {
    let Some(chromium) = Chromium::find() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("canary.html");
    let loads = ["http://example.invalid/x.png", "https://css.invalid/a.css", "http://bg.invalid/b.png"];
    std::fs::write(
        &page,
        format!(
            "<!doctype html><html><head><link rel=\"stylesheet\" href=\"{}\"><style>body{{background:url({})}}</style>\
             </head><body><p>canary</p><img src=\"{}\"></body></html>",
            loads[1], loads[2], loads[0]
        ),
    )
    .unwrap();
    let run = chromium.run(&["--dump-dom".into(), file_url(&page)]);
    let requests = run.page_requests();
    assert!(requests.iter().any(|r| r == loads[0]), "the <img> request was not caught: {requests:?}");
    for r in &requests {
        assert!(loads.contains(&r.as_str()), "a request not made by the page was blamed on it: {r}");
    }
}

/// The classification of net log events, on a hand-written log: what runs where Chromium does not.
#[test]
fn net_log_requests_of_the_page_are_told_from_the_browsers_own() {
    let log = r#"{"constants":{"logEventTypes":{"URL_REQUEST_START_JOB":7,"HTTP_STREAM_JOB_CONTROLLER":9,"OTHER":1}},
      "events":[
        {"type":7,"params":{"initiator":"not an origin","url":"https://update.googleapis.com/service/update2/json"}},
        {"type":7,"params":{"initiator":"null","url":"http://example.invalid/x.png"}},
        {"type":7,"params":{"initiator":"null","url":"file:///tmp/local.png"}},
        {"type":9,"params":{"is_preconnect":true,"url":"https://fonts.invalid/"}},
        {"type":9,"params":{"is_preconnect":false,"url":"https://update.googleapis.com/x"}},
        {"type":1,"params":{"url":"https://elsewhere.invalid/"}}
      ]}"#;
    assert_eq!(page_requests(log).unwrap(), ["http://example.invalid/x.png", "https://fonts.invalid/"]);
    assert!(page_requests(r#"{"constants":{"logEventTypes":{}},"events":[{"#).is_err(), "a cut-off log passes");
}

/// A Chromium executable and the flags every run gets.
struct Chromium {
    exe: PathBuf,
}

/// What one Chromium run left behind.
struct Run {
    stdout: String,
    stderr: String,
    net_log: PathBuf,
    /// Holds the profile and the net log until the run is checked.
    _scratch: tempfile::TempDir,
}

impl Chromium {
    /// `/usr/bin/chromium`, else `chromium` on PATH. Missing: `None` after recording a skip, or a panic under CI.
    fn find() -> Option<Chromium> {
        socialledger_testkit::chromium().map(|exe| Chromium { exe })
    }

    /// Runs headless Chromium with a fresh profile, no name resolution and a net log, then `args`; panics when it
    /// fails or outlives `CHROMIUM_TIMEOUT`.
    fn run(&self, args: &[OsString]) -> Run {
        let scratch = tempfile::tempdir().unwrap();
        let net_log = scratch.path().join("netlog.json");
        let mut cmd = Command::new(&self.exe);
        cmd.args(socialledger_testkit::CHROMIUM_FLAGS)
            .args([
                "--headless",
                "--disable-quic",
                // Nothing can reach the network: every host name resolves to "not found".
                "--host-resolver-rules=MAP * ~NOTFOUND",
            ])
            .arg(arg("--user-data-dir=", &scratch.path().join("profile")))
            .arg(arg("--log-net-log=", &net_log))
            .args(args);
        let (status, stdout, stderr) = run_with_timeout(cmd, CHROMIUM_TIMEOUT);
        assert!(status.success(), "chromium {args:?} failed ({status}):\n{stderr}");
        Run { stdout, stderr, net_log, _scratch: scratch }
    }
}

impl Run {
    /// The http(s) URLs the page asked for, read from the net log; panics when the log is missing or unreadable.
    fn page_requests(&self) -> Vec<String> {
        let log = std::fs::read_to_string(&self.net_log)
            .unwrap_or_else(|e| panic!("chromium wrote no net log at {} ({e})", self.net_log.display()));
        page_requests(&log).unwrap_or_else(|e| panic!("the net log {} is unreadable: {e}", self.net_log.display()))
    }

    fn assert_no_page_requests(&self) {
        let requests = self.page_requests();
        assert!(requests.is_empty(), "the report asked for network resources: {requests:?}");
    }
}

/// The http(s) URLs requested on behalf of a page in a Chromium net log (`--log-net-log`): every URL request job
/// whose initiator is an origin, and every preconnect.
///
/// Chromium itself, even with `--disable-background-networking`, asks update.googleapis.com, clients2.google.com and
/// accounts.google.com for things; those requests carry the initiator "not an origin" and are not the page's doing.
fn page_requests(log: &str) -> Result<Vec<String>, String> {
    let log: serde_json::Value = serde_json::from_str(log).map_err(|e| e.to_string())?;
    let types = log["constants"]["logEventTypes"].as_object().ok_or("no constants.logEventTypes")?;
    let type_id = |name: &str| types.get(name).and_then(|v| v.as_u64());
    let (start_job, stream_job) = (type_id("URL_REQUEST_START_JOB"), type_id("HTTP_STREAM_JOB_CONTROLLER"));
    let events = log["events"].as_array().ok_or("no events")?;
    let mut urls = Vec::new();
    for event in events {
        let (kind, params) = (event["type"].as_u64(), &event["params"]);
        let Some(url) = params["url"].as_str() else { continue };
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            continue;
        }
        let by_page = (kind.is_some() && kind == start_job && params["initiator"].as_str() != Some("not an origin"))
            || (kind.is_some() && kind == stream_job && params["is_preconnect"].as_bool() == Some(true));
        if by_page && !urls.iter().any(|u| u == url) {
            urls.push(url.to_string());
        }
    }
    Ok(urls)
}

/// Page count: `pdfinfo` (poppler-utils) when on PATH, else the number of `/Type /Page` objects.
fn pdf_pages(pdf: &Path, bytes: &[u8]) -> usize {
    if let Some(pdfinfo) = on_path("pdfinfo") {
        let out = Command::new(pdfinfo).arg(pdf).output().unwrap();
        assert!(out.status.success(), "pdfinfo rejects the PDF: {}", String::from_utf8_lossy(&out.stderr));
        let info = String::from_utf8_lossy(&out.stdout);
        let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).map(str::trim);
        return pages.and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("pdfinfo names no page count:\n{info}"));
    }
    count_page_objects(bytes)
}

/// `/Type /Page` (or `/Type/Page`) dictionary entries, not `/Type /Pages`.
fn count_page_objects(bytes: &[u8]) -> usize {
    let mut count = 0;
    for needle in [&b"/Type /Page"[..], &b"/Type/Page"[..]] {
        count += bytes
            .windows(needle.len() + 1)
            .filter(|w| w.starts_with(needle) && !w[needle.len()].is_ascii_alphanumeric())
            .count();
    }
    count
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let ihdr = bytes.get(12..24).filter(|c| c.starts_with(b"IHDR"))?;
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&ihdr[4..8]), be(&ihdr[8..12])))
}

/// `(network, name)` of every channel in a canonical `channels.csv` (see docs/formats.md).
fn channel_names(csv_path: &Path) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(csv_path).unwrap_or_else(|e| panic!("{}: {e}", csv_path.display()));
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name} column"));
    let (network, name) = (column("network"), column("name"));
    reader.records().map(|r| r.unwrap()).map(|r| (r[network].to_string(), r[name].to_string())).collect()
}

/// `text` as it appears in serialised HTML text content.
fn html_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// `--flag=<path>` as one argument, for paths that are not UTF-8.
fn arg(flag: &str, path: &Path) -> OsString {
    let mut a = OsString::from(flag);
    a.push(path.as_os_str());
    a
}

fn file_url(path: &Path) -> OsString {
    let mut url = OsString::from("file://");
    url.push(path.canonicalize().unwrap().as_os_str());
    url
}

#[test]
fn pdf_page_objects_are_counted_without_the_page_tree() {
    let pdf = b"%PDF-1.4\n1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R]>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page/Parent 1 0 R>>";
    assert_eq!(count_page_objects(pdf), 2);
}
