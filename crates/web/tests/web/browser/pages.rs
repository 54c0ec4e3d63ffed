//! Every page a role may open, looked at on a phone and on a laptop: nothing reaches past the screen's right edge
//! outside a box that scrolls sideways, and each is kept as a full-page PNG screenshot.
//!
//! The screenshots go to `$SOCIALLEDGER_SCREENSHOTS`, else `target/browser-screenshots/` in the repository, named
//! `DATABASE-ROLE-PAGE-SCREEN.png`; each test prints the files it wrote.

use super::driver::{Browser, Screen, LAPTOP, PHONE};
use crate::support::TestApp;
use socialledger_domain::Role;
use socialledger_web::routes::{Method, ROUTES};
use std::path::PathBuf;

/// Where the screenshots are kept.
pub fn screenshot_dir() -> PathBuf {
    let dir = std::env::var_os("SOCIALLEDGER_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| socialledger_testkit::repository().join("target/browser-screenshots"));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir.canonicalize().unwrap_or(dir)
}

/// Saves what the browser shows as `NAME.png` (the whole page) and says so on stdout.
pub async fn screenshot(browser: &Browser, name: &str) -> PathBuf {
    let png = browser.full_page_png().await;
    assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
    let path = screenshot_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    println!("screenshot: {}", path.display());
    path
}

/// The pages (GET routes that answer HTML without a parameter in the path) `role` may open.
pub fn pages_of(role: Role) -> Vec<&'static str> {
    ROUTES
        .iter()
        .filter(|r| r.method == Method::Get && !r.is_api() && !r.path.contains('{'))
        .filter(|r| !r.path.starts_with("/export/") && !r.path.starts_with("/static/"))
        .filter(|r| !matches!(r.path, "/health" | "/audit.csv" | "/login"))
        .filter(|r| r.access.allows(role))
        .map(|r| r.path)
        .collect()
}

/// A file name part for a path: `/channels/costs` -> `channels-costs`, `/` -> `home`.
fn slug(path: &str) -> String {
    let s = path.trim_matches('/').replace(['/', '.'], "-");
    if s.is_empty() {
        "home".into()
    } else {
        s
    }
}

/// Elements whose box leaves the viewport sideways without a scrolling box around them, and how wide the page
/// scrolls against how wide the screen is.
const OVERFLOW: &str = r#"
var w = document.documentElement.clientWidth;
function scrolls(e) {
  for (var p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    var o = getComputedStyle(p).overflowX;
    if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
  }
  return false;
}
var out = [];
document.body.querySelectorAll('*').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) return;
  if ((r.right > w + 0.5 || r.left < -0.5) && !scrolls(e)) {
    out.push(e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).replace(/ /g, '.') : '')
      + ' ' + Math.round(r.left) + '..' + Math.round(r.right) + ' "' + (e.innerText || '').slice(0, 40) + '"');
  }
});
return { viewport: w, page: document.documentElement.scrollWidth, outside: out.slice(0, 20) };
"#;

/// Why the page does not fit the current screen: it scrolls sideways, or elements reach past the edge outside a
/// scroll box. `None` when it fits.
pub async fn layout_problem(browser: &Browser, what: &str, screen: Screen) -> Option<String> {
    let layout = browser.js(OVERFLOW, vec![]).await;
    let viewport = layout["viewport"].as_f64().unwrap();
    if viewport != screen.width as f64 {
        return Some(format!("{what}: the viewport is {viewport} px wide, not the {}'s {}", screen.name, screen.width));
    }
    let outside = layout["outside"].as_array().map_or(0, Vec::len);
    let page = layout["page"].as_f64().unwrap();
    (outside > 0 || page > viewport).then(|| format!("{what} on a {}: {layout}", screen.name))
}

/// Fails when the page does not fit the current screen (see [`layout_problem`]).
pub async fn assert_fits(browser: &Browser, what: &str, screen: Screen) {
    if let Some(problem) = layout_problem(browser, what, screen).await {
        panic!("past the screen's edge: {problem}");
    }
}

/// Opens every page `role` may open, on a phone and on a laptop: waits for its stored analysis where it has one,
/// checks the layout, runs `check` on its text (what a role must not see) and keeps a screenshot. Returns how many
/// screenshots were written.
pub async fn visit_every_page(
    browser: &Browser,
    app: &TestApp,
    label: &str,
    role: Role,
    check: impl Fn(&str, &str),
) -> usize {
    let (mut written, mut problems) = (0, Vec::new());
    for path in pages_of(role) {
        for screen in [LAPTOP, PHONE] {
            browser.screen(screen).await;
            browser.open(&app.url(path)).await;
            browser
                .wait_until(
                    &format!("{path} to show current figures"),
                    "return document.readyState === 'complete' && document.querySelector('.recomputing') === null;",
                )
                .await;
            browser.assert_no_dialog().await;
            let text = browser.text().await;
            assert!(!text.contains("Not allowed"), "{path} refused to {}:\n{text}", role.as_str());
            check(path, &text);
            problems.extend(layout_problem(browser, path, screen).await);
            screenshot(browser, &format!("{label}-{}-{}-{}", role.as_str(), slug(path), screen.name)).await;
            written += 1;
        }
    }
    browser.screen(LAPTOP).await;
    assert!(problems.is_empty(), "pages past the screen's edge:\n{}", problems.join("\n"));
    written
}
