//! Issue 16 in a real headless Chromium (Debian's `chromium`, driven through Debian's `chromedriver` over
//! WebDriver with fantoccini; nothing is downloaded): the pages as a person uses them, on a phone and on a laptop,
//! with a full-page screenshot of each kept under `target/browser-screenshots/` (see `pages`).
//!
//! One browser serves the whole test binary, one test at a time (`driver`). Without Chromium or chromedriver the
//! tests skip, recorded and counted by `scripts/test`; under CI that is a failure.

mod driver;
mod hostile;
mod pages;
mod upload;
mod walk;

use crate::support::{TestApp, PASSWORD};
use driver::Browser;

/// Signs `email` in through the sign-in form and waits for the page after it.
pub async fn sign_in(browser: &Browser, app: &TestApp, email: &str) {
    browser.open(&app.url("/login")).await;
    browser.fill("input[name=email]", email).await;
    browser.fill("input[name=password]", PASSWORD).await;
    browser.click_and_wait("form[action='/login'] button[type=submit]").await;
    browser.wait_until("signed in", "return document.querySelector(\"form[action='/logout']\") !== null;").await;
}
