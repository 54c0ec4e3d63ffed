//! Running an external program from a test (headless Chromium) with a deadline: a hung program is killed with
//! every helper it started, so no stray process holds the test's output pipes open.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Runs `cmd` in its own process group, reading its stdout and stderr; kills the group after `timeout` and
/// panics. Returns the exit status and the output as (lossy) text.
pub fn run_with_timeout(mut cmd: Command, timeout: Duration) -> (ExitStatus, String, String) {
    use std::os::unix::process::CommandExt;
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.process_group(0).spawn().unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let reader = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let stdout = reader(Box::new(child.stdout.take().expect("stdout is piped")));
    let stderr = reader(Box::new(child.stderr.take().expect("stderr is piped")));
    let (pid, started) = (child.id(), Instant::now());
    let mut finished = false;
    while !finished && started.elapsed() < timeout {
        std::thread::sleep(Duration::from_millis(50));
        finished = exited(&mut child);
    }
    // The helpers the program started (Chromium's zygote and renderers) share its process group: end them too,
    // so that no stray process holds the output pipes open. The group id cannot have been reused: its leader is
    // not yet reaped.
    let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pid}")]).stderr(Stdio::null()).status();
    let status = child.wait().expect("the child can be waited for");
    let (stdout, stderr) = (stdout.join().expect("stdout reader"), stderr.join().expect("stderr reader"));
    assert!(finished, "{cmd:?} did not finish within {timeout:?}; killed. stderr:\n{stderr}");
    (status, stdout, stderr)
}

/// Whether `child` has exited, without reaping it (a zombie in `/proc/<pid>/stat`), so that its process group id
/// stays reserved. Where there is no `/proc`, falls back to reaping it.
fn exited(child: &mut std::process::Child) -> bool {
    match std::fs::read_to_string(format!("/proc/{}/stat", child.id())) {
        // The state follows the parenthesised command name, which may itself contain ')'.
        Ok(stat) => stat.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => child.try_wait().expect("try_wait").is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hung program is killed with its helpers: the background `sleep` would otherwise hold the output pipe open.
    #[test]
    #[should_panic(expected = "did not finish within")]
    fn a_hung_program_is_killed_after_the_timeout() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 30 & sleep 30"]);
        run_with_timeout(cmd, Duration::from_millis(300));
    }

    #[test]
    fn output_and_status_come_back() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo out; echo err >&2; exit 3"]);
        let (status, out, err) = run_with_timeout(cmd, Duration::from_secs(20));
        assert_eq!((status.code(), out.as_str(), err.as_str()), (Some(3), "out\n", "err\n"));
    }
}
