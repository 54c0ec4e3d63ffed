//! `--help` is the first thing a user reads: it must show examples, and it must not change by accident.

use crate::support::bin;

#[test]
fn help_shows_commands_and_examples() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("help", text);
    for cmd in ["demo", "import", "report", "attribution", "channels", "crossposts", "verdict", "execution", "formats"]
    {
        assert!(text.contains(cmd), "--help does not mention {cmd}");
    }
}

#[test]
fn every_subcommand_help_has_an_example_or_description() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in [
        "demo",
        "import",
        "report",
        "attribution",
        "channels",
        "channels rename",
        "channels merge",
        "crossposts",
        "verdict",
        "execution",
        "mmm fit",
        "mmm counterfactual",
        "mmm allocate",
        "mmm panel",
        "serve",
        "user add",
        "time start",
        "time stop",
        "time log",
        "targets add",
        "targets list",
        "targets remove",
        "targets check",
        "targets digest",
    ] {
        let out = bin(dir.path()).args(cmd.split(' ')).arg("--help").output().unwrap();
        assert!(out.status.success(), "{cmd} --help failed");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("socialledger "), "{cmd} --help shows no example:\n{text}");
        assert!(text.contains("--json"), "{cmd} --help does not offer --json");
    }
}

#[test]
fn unknown_model_is_an_error_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path()).args(["attribution", "--model", "astrology"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("astrology"), "{err}");
}
