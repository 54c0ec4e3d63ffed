//! The mix model's section laid out by a real headless Chromium at a phone's width and a laptop's: nothing in it
//! reaches past the right edge of the screen (tables and the wide decomposition chart may scroll inside their own
//! box, as the report's tables do), and no chart draws outside its own box.
//!
//! Headless Chromium opens no window narrower than 500 px, and layout cannot be read without a script, which the
//! report has none of. So the report is loaded, unchanged, into an `<iframe>` exactly as wide as the screen (its
//! viewport is then that wide: media queries and percentages see a phone), and a script in the wrapping page
//! measures the section once the frame has loaded and writes the result into the wrapping page, which
//! `--dump-dom` prints. Without Chromium the test skips (recorded and counted by `scripts/test`), except under
//! CI, where that is a failure (see `socialledger_testkit::skip`).

use crate::rendered_with;
use socialledger_report::Format;
use socialledger_testkit::process::run_with_timeout;
use std::process::Command;
use std::time::Duration;

/// The wrapping page: the report in a frame `{W}` by `{H}` px, measured when it has loaded: the frame's viewport
/// width, how wide the section scrolls, every element of the section (except inside a scroll box) whose
/// box leaves the viewport, and every chart mark outside its chart.
const WRAPPER: &str = r#"<!doctype html><html><head><meta charset="utf-8"><script>
function measure(frame) {
  var doc = frame.contentDocument;
  var w = doc.documentElement.clientWidth;
  var section = doc.getElementById('mmm');
  var out = [];
  section.querySelectorAll('*').forEach(function (e) {
    var wrap = e.closest('.table-wrap, .chart-scroll');
    if (wrap && wrap !== e) return;
    var r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    if (r.right > w + 0.5 || r.left < -0.5) {
      out.push(e.tagName + '.' + (e.getAttribute('class') || '') + ' ' + Math.round(r.left) + '..' + Math.round(r.right)
        + ' ' + (e.textContent || '').slice(0, 40));
    }
  });
  var svgOut = [];
  section.querySelectorAll('svg').forEach(function (svg) {
    var box = svg.getBoundingClientRect();
    svg.querySelectorAll('text, rect, polygon, polyline, circle, line').forEach(function (e) {
      var r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        svgOut.push(svg.id + ' ' + e.tagName + ' ' + (e.textContent || '').slice(0, 40));
      }
    });
  });
  var pre = document.createElement('pre');
  pre.id = 'layout';
  pre.textContent = JSON.stringify({ viewport: w, section: section.scrollWidth, section_box: section.clientWidth,
    outside: out, outside_svg: svgOut });
  document.body.appendChild(pre);
}
</script></head><body style="margin:0">
<iframe src="report.html" style="border:0;width:{W}px;height:{H}px" onload="measure(this)"></iframe>
</body></html>"#;

#[test]
fn the_mix_model_section_fits_a_phone_and_a_laptop() {
    let Some(chromium) = socialledger_testkit::chromium() else { return };
    let html = rendered_with(Format::Html, Some(crate::mmm::section()));
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, html).unwrap();
    for (width, height) in [(390, 844), (1280, 900)] {
        let wrapper = dir.path().join(format!("wrapper-{width}.html"));
        std::fs::write(&wrapper, WRAPPER.replace("{W}", &width.to_string()).replace("{H}", &height.to_string()))
            .unwrap();
        let mut cmd = Command::new(&chromium);
        cmd.args(socialledger_testkit::CHROMIUM_FLAGS).args([
            "--headless",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            // The frame reads the report beside it.
            "--allow-file-access-from-files",
            &format!("--window-size={},{}", width.max(500) + 20, height + 20),
            &format!("--user-data-dir={}", dir.path().join(format!("profile-{width}")).display()),
            "--dump-dom",
            &format!("file://{}", wrapper.display()),
        ]);
        let (status, dom, stderr) = run_with_timeout(cmd, Duration::from_secs(60));
        assert!(status.success(), "chromium failed ({status}):\n{stderr}");
        let open = "<pre id=\"layout\">";
        let start =
            dom.find(open).unwrap_or_else(|| panic!("the measuring script did not run:\n{stderr}")) + open.len();
        let end = dom[start..].find("</pre>").unwrap() + start;
        let layout: serde_json::Value = serde_json::from_str(&html_unescape(&dom[start..end])).unwrap();
        let viewport = layout["viewport"].as_f64().unwrap();
        assert_eq!(viewport, width as f64, "the frame's viewport");
        assert!(
            layout["section"].as_f64().unwrap() <= layout["section_box"].as_f64().unwrap(),
            "{width} px: the section scrolls sideways: {layout}"
        );
        assert_eq!(layout["outside"], serde_json::json!([]), "{width} px: elements past the screen's edge");
        assert_eq!(layout["outside_svg"], serde_json::json!([]), "{width} px: chart marks outside their chart");
    }
}

/// The text of a `<pre>` as `--dump-dom` serialises it.
fn html_unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}
