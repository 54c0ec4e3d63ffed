//! One headless Chromium for the whole test binary: Debian's `chromedriver` started once, one WebDriver session
//! (fantoccini) on a runtime of its own, lent to one test at a time.
//!
//! Each `#[tokio::test]` has its own runtime, and a fantoccini session lives on the runtime that opened it; so the
//! session is opened on a runtime kept for the binary's life and tests only send it commands (over channels that
//! work from any runtime). Tests take turns ([`Browser::take`] holds a lock); each turn starts with no cookies and
//! a laptop's screen.
//!
//! Statics are never dropped, so nothing in this process could stop the browser at the end: a small shell wrapper
//! does. It starts chromedriver in its own process group and waits for its stdin to close, which happens when the
//! test binary exits however it exits; it then ends the group (chromedriver and every Chromium process) and
//! removes the profile.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, MutexGuard, OnceCell};

/// The flags of the Chromium chromedriver starts, beside [`socialledger_testkit::CHROMIUM_FLAGS`].
pub const CHROMIUM_FLAGS: &[&str] =
    &["--headless=new", "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,900"];

/// How long a wait for something on a page lasts before the test fails. Generous: the stored analyses of a debug
/// build are computed in the background while the page waits.
pub const WAIT: Duration = Duration::from_secs(180);

/// A screen the pages are looked at on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Screen {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
    pub mobile: bool,
}

/// A phone (an iPhone 12-15's CSS viewport).
pub const PHONE: Screen = Screen { name: "phone", width: 390, height: 844, mobile: true };
/// A laptop.
pub const LAPTOP: Screen = Screen { name: "laptop", width: 1280, height: 800, mobile: false };

/// The browser, for the test that holds it.
pub struct Browser {
    pub client: Client,
    _turn: MutexGuard<'static, ()>,
}

struct Shared {
    client: Client,
    /// The wrapper's stdin: closed when the process exits, which ends the browser.
    _lifeline: ChildStdin,
}

/// The runtime the session lives on.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("webdriver-session")
            .enable_all()
            .build()
            .expect("a runtime for the WebDriver session")
    })
}

/// `/usr/bin/NAME`, else NAME on `PATH`.
fn program(name: &str) -> Option<PathBuf> {
    let usr = Path::new("/usr/bin").join(name);
    if usr.is_file() {
        return Some(usr);
    }
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|p| p.is_file())
}

impl Browser {
    /// The browser, once the tests before have finished with it; `None` (after recording a skip, which is a
    /// failure under CI) when Chromium or chromedriver is not installed.
    pub async fn take() -> Option<Browser> {
        let chromium = socialledger_testkit::chromium()?;
        let Some(driver) = program("chromedriver") else {
            socialledger_testkit::skip(
                socialledger_testkit::Need::Chromium,
                "no chromedriver (Debian: chromium-driver)",
            );
            return None;
        };
        static SHARED: OnceCell<Shared> = OnceCell::const_new();
        static TURN: Mutex<()> = Mutex::const_new(());
        let turn = TURN.lock().await;
        let shared = SHARED
            .get_or_init(|| async move {
                runtime()
                    .spawn(start(chromium, driver))
                    .await
                    .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
            })
            .await;
        let browser = Browser { client: shared.client.clone(), _turn: turn };
        browser.cdp("Network.clearBrowserCookies", json!({})).await;
        browser.client.goto("about:blank").await.expect("about:blank");
        browser.screen(LAPTOP).await;
        Some(browser)
    }

    /// Sends a Chrome DevTools Protocol command to the page through chromedriver (`goog/cdp/execute`).
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(Cdp { cmd: cmd.to_string(), params: params.clone() })
            .await
            .unwrap_or_else(|e| panic!("{cmd} {params}: {e}"))
    }

    /// Lays the pages out for `screen` (the viewport's CSS width and height, a touch screen for a phone).
    pub async fn screen(&self, screen: Screen) {
        let metrics =
            json!({ "width": screen.width, "height": screen.height, "deviceScaleFactor": 1, "mobile": screen.mobile });
        self.cdp("Emulation.setDeviceMetricsOverride", metrics).await;
        self.cdp("Emulation.setTouchEmulationEnabled", json!({ "enabled": screen.mobile })).await;
    }

    /// The whole page (not only what fits on the screen) as PNG, at most 10,000 px tall.
    pub async fn full_page_png(&self) -> Vec<u8> {
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await;
        let size = &metrics["cssContentSize"];
        let (width, height) = (size["width"].as_f64().unwrap_or(1280.0), size["height"].as_f64().unwrap_or(800.0));
        let clip = json!({ "x": 0, "y": 0, "width": width, "height": height.min(10_000.0), "scale": 1 });
        let shot = self
            .cdp("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true, "clip": clip }))
            .await;
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().expect("screenshot data")).unwrap()
    }

    /// Opens `url` and waits until its document has loaded.
    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Runs `script` (a function body; `arguments[0..]` are `args`) in the page and returns its value.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits until `script` returns true, polling; panics with `what` after [`WAIT`]. Errors while a page is
    /// being replaced (a reload, a form's answer) count as "not yet".
    pub async fn wait_until(&self, what: &str, script: &str) {
        let started = Instant::now();
        loop {
            if let Ok(Value::Bool(true)) = self.client.execute(script, vec![]).await {
                return;
            }
            if started.elapsed() > WAIT {
                let url = self.client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
                let text = self.text().await;
                panic!("waited {WAIT:?} for {what} on {url}; the page says:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the page shows `text`.
    pub async fn wait_for_text(&self, text: &str) {
        let script = format!("return document.body !== null && document.body.innerText.includes({});", json!(text));
        self.wait_until(&format!("the text {text:?}"), &script).await;
    }

    /// Waits for the page to show a stored analysis that is current: "Computed at" and no recompute under way.
    /// The page reloads itself meanwhile (`<meta http-equiv=refresh>`); this only watches.
    pub async fn wait_for_current_analysis(&self) {
        self.wait_until(
            "a current stored analysis",
            "return document.readyState === 'complete' && document.querySelector('.computed-at') !== null \
             && document.querySelector('.recomputing') === null;",
        )
        .await;
    }

    /// The page's visible text.
    pub async fn text(&self) -> String {
        match self.client.execute("return document.body ? document.body.innerText : '';", vec![]).await {
            Ok(Value::String(s)) => s,
            _ => String::new(),
        }
    }

    /// Types `value` into the form field `selector` (replacing what is there), or picks it in a `<select>`.
    pub async fn fill(&self, selector: &str, value: &str) {
        self.fill_at(Locator::Css(selector), value).await
    }

    /// [`Browser::fill`] with any locator (XPath where CSS cannot say it).
    pub async fn fill_at(&self, at: Locator<'_>, value: &str) {
        let selector = format!("{at:?}");
        let field =
            self.client.wait().at_most(WAIT).for_element(at).await.unwrap_or_else(|e| panic!("{selector}: {e}"));
        if field.tag_name().await.unwrap() == "select" {
            field.select_by_value(value).await.unwrap_or_else(|e| panic!("{selector} = {value}: {e}"));
        } else {
            field.clear().await.unwrap();
            field.send_keys(value).await.unwrap_or_else(|e| panic!("{selector} = {value}: {e}"));
        }
    }

    /// Clicks the element `selector` and waits for the page it leads to (the old page's document goes away).
    pub async fn click_and_wait(&self, selector: &str) {
        self.click_and_wait_at(Locator::Css(selector)).await
    }

    /// [`Browser::click_and_wait`] with any locator.
    pub async fn click_and_wait_at(&self, at: Locator<'_>) {
        let selector = format!("{at:?}");
        self.js("window.__before_click = true; return true;", vec![]).await;
        let element =
            self.client.wait().at_most(WAIT).for_element(at).await.unwrap_or_else(|e| panic!("{selector}: {e}"));
        element.click().await.unwrap_or_else(|e| panic!("click {selector}: {e}"));
        self.wait_until(
            &format!("the page after clicking {selector}"),
            "return window.__before_click === undefined && document.readyState === 'complete';",
        )
        .await;
    }

    /// The session's cookies as a `Cookie` header, for fetching what a link points at as this browser would.
    pub async fn cookie_header(&self) -> String {
        let cookies = self.client.get_all_cookies().await.unwrap();
        cookies.iter().map(|c| format!("{}={}", c.name(), c.value())).collect::<Vec<_>>().join("; ")
    }

    /// Fails when a dialog (`alert`, `confirm`, `prompt`) is open: a script some page ran.
    pub async fn assert_no_dialog(&self) {
        if let Ok(text) = self.client.get_alert_text().await {
            let _ = self.client.dismiss_alert().await;
            panic!("a dialog opened: {text:?}");
        }
    }
}

/// `POST /session/ID/goog/cdp/execute`: chromedriver's way to send a DevTools command to the page.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}

/// Starts chromedriver under the wrapper, reads its port, and opens the session.
async fn start(chromium: PathBuf, driver: PathBuf) -> Shared {
    let profile = std::env::temp_dir().join(format!("socialledger-browser-{}", std::process::id()));
    std::fs::create_dir_all(&profile).unwrap();
    // Waits for stdin to close (the test binary exited), then ends the process group and removes the profile.
    const WRAPPER: &str = r#"
        "$1" --port=0 </dev/null 2>/dev/null &
        cat >/dev/null
        trap '' TERM
        kill -TERM 0 2>/dev/null
        sleep 1
        rm -rf "$2"
        kill -KILL 0
    "#;
    use std::os::unix::process::CommandExt;
    let mut child = Command::new("sh")
        .args(["-c", WRAPPER, "sh"])
        .arg(&driver)
        .arg(&profile)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
    let lifeline = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = loop {
        let line = lines.next().and_then(Result::ok).unwrap_or_else(|| panic!("{} stopped at once", driver.display()));
        if let Some(rest) = line.split("started successfully on port ").nth(1) {
            break rest.trim_end_matches('.').trim().to_string();
        }
    };
    // Whatever chromedriver says later goes nowhere, without filling the pipe; the wrapper is reaped when it ends.
    std::thread::spawn(move || lines.for_each(drop));
    std::thread::spawn(move || child.wait());

    let mut args: Vec<String> =
        socialledger_testkit::CHROMIUM_FLAGS.iter().chain(CHROMIUM_FLAGS).map(|f| f.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert("goog:chromeOptions".into(), json!({ "binary": chromium, "args": args }));
    caps.insert("unhandledPromptBehavior".into(), json!("ignore"));
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("chromedriver on port {port} opened no session: {e}"));
    Shared { client, _lifeline: lifeline }
}
