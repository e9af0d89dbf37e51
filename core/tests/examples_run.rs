//! Runs the runtime-independence examples (`cargo run -p azpay-core --example std_tcp` /
//! `--example smol_executor`) as the compiled binaries cargo builds next to this test, and
//! checks what they report.
//!
//! `cargo test -p azpay-core` builds the examples before running the tests; a run restricted
//! with `--test examples_run` does not, so build them first (`cargo build -p azpay-core
//! --examples`). A missing or outdated binary fails the test instead of skipping it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// `target/<profile>/examples/<name>`: this test runs from `target/<profile>/deps/`.
fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test binary lives in target/<profile>/deps/");
    profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs the example `name` and returns its standard output; fails if it is missing, older than
/// its source or the HTTP client it uses, or exits unsuccessfully.
fn run_example(name: &str) -> String {
    let binary = example_binary(name);
    assert!(
        binary.exists(),
        "{} is missing: build the examples first (`cargo build -p azpay-core --examples`; \
         `cargo test -p azpay-core` does it)",
        binary.display()
    );
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for source in [
        manifest.join("examples").join(format!("{name}.rs")),
        manifest.join("../test-support/src/http1.rs"),
    ] {
        assert!(
            modified(&binary) >= modified(&source),
            "{} is older than {}: rebuild the examples (`cargo build -p azpay-core --examples`)",
            binary.display(),
            source.display()
        );
    }
    let output = Command::new(&binary)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{name} failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The value of the line `<prefix><key>=<value>`.
fn value<'a>(stdout: &'a str, prefix: &str, key: &str) -> &'a str {
    let start = format!("{prefix}{key}=");
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(start.as_str()))
        .unwrap_or_else(|| panic!("no `{start}` line in:\n{stdout}"))
}

#[test]
fn the_core_runs_over_a_std_tcp_transport() {
    let out = run_example("std_tcp");
    assert_eq!(value(&out, "summary: ", "paid"), "true");
    assert_eq!(value(&out, "summary: ", "refund_reconciled"), "true");
    assert!(value(&out, "summary: ", "transaction").starts_with("te"));
    let kapital_order: u64 = value(&out, "summary: ", "kapital_order")
        .parse()
        .expect("a number");
    assert!(kapital_order > 0);
    assert_eq!(value(&out, "summary: ", "executed_payments"), "1");
}

#[test]
fn the_core_runs_on_a_hand_written_executor_without_tokio() {
    let out = run_example("smol_executor");
    assert!(out.lines().any(|l| l == "ok: true"), "{out}");
}
