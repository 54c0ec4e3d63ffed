//! Issue 16: `socialledger user add` for scripted setups, then signing in through `socialledger serve` on the same
//! database, over HTTP: the binary prints the address it bound (port 0) on stderr.

use crate::support::bin;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

const PASSWORD: &str = "correct horse battery staple";

/// The server process, killed when the test ends (also when it fails).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn user_add_then_sign_in_through_serve() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("socialledger.db").display().to_string();
    let added = bin(dir.path())
        .args(["--db", &db, "--json", "user", "add", "--email", "Ana@Example.com", "--name", "Ana Ruiz"])
        .args(["--role", "owner", "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap();
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let user: serde_json::Value = serde_json::from_slice(&added.stdout).unwrap();
    assert_eq!((user["email"].as_str(), user["role"].as_str()), (Some("ana@example.com"), Some("owner")));

    let short = bin(dir.path())
        .args(["--db", &db, "user", "add", "--email", "b@example.com", "--name", "B", "--role", "viewer"])
        .arg("--password-stdin")
        .write_stdin("short\n")
        .output()
        .unwrap();
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12"));
    let role = bin(dir.path())
        .args(["--db", &db, "user", "add", "--email", "b@example.com", "--name", "B", "--role", "boss"])
        .arg("--password-stdin")
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap();
    assert_eq!(role.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&role.stderr).contains("customer_service"), "the error lists the roles");

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("socialledger"))
        .args(["--db", &db, "serve", "--addr", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("SOCIALLEDGER_DB")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let mut first = String::new();
    BufReader::new(stderr).read_line(&mut first).unwrap();
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("serve did not print its address: {first:?}"))
        .to_string();
    assert!(!base.ends_with(":0"), "{base}");

    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let client =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let page = client.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
        let at = page.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
        let csrf = &page[at..at + 64];
        let login = client
            .post(format!("{base}/login"))
            .header("origin", &base)
            .form(&[("email", "ana@example.com"), ("password", PASSWORD), ("csrf", csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(login.status().as_u16(), 303);
        let overview = client.get(format!("{base}/")).send().await.unwrap();
        assert_eq!(overview.status().as_u16(), 200);
        assert!(overview.text().await.unwrap().contains("Ana Ruiz"));
        let audit = client.get(format!("{base}/audit.csv")).send().await.unwrap().text().await.unwrap();
        assert!(audit.lines().any(|l| l.contains("user.created") && l.contains(",,")), "added by the CLI: {audit}");
    });
    drop(server);
}
