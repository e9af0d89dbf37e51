//! Runs the runtime-independence examples (`cargo run -p azpay-core --example std_tcp` /
//! `--example smol_executor`) as the compiled binaries cargo builds next to this test, and
//! checks what they report.
//!
//! `cargo test -p azpay-core` builds the examples before running the tests; a run restricted
//! with `--test examples_run` does not, so when the binary is missing or older than its
//! sources the test builds it (`cargo build -p azpay-core --example NAME`, same target
//! directory and profile) before running it. A binary that still cannot be found fails the
//! test instead of skipping it.

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

/// Whether the example binary is missing or older than its source or the HTTP client it uses.
fn needs_build(name: &str, binary: &Path) -> bool {
    if !binary.exists() {
        return true;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        manifest.join("examples").join(format!("{name}.rs")),
        manifest.join("../test-support/src/http1.rs"),
    ]
    .iter()
    .any(|source| modified(binary) < modified(source))
}

/// Builds the example with the cargo that builds this test, into the same target directory
/// and profile.
fn build_example(name: &str, binary: &Path) {
    let profile_dir = binary
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/examples/");
    let target_dir = profile_dir.parent().expect("target/");
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .args(["build", "--quiet", "-p", "azpay-core", "--example", name])
        .env("CARGO_TARGET_DIR", target_dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    if profile_dir.file_name().is_some_and(|p| p == "release") {
        cargo.arg("--release");
    }
    let status = cargo.status().expect("cargo runs");
    assert!(status.success(), "cargo build --example {name}: {status}");
}

/// Runs the example `name` (built first if missing or outdated) and returns its standard
/// output; fails if it cannot be built or exits unsuccessfully.
fn run_example(name: &str) -> String {
    let binary = example_binary(name);
    if needs_build(name, &binary) {
        build_example(name, &binary);
    }
    assert!(
        !needs_build(name, &binary),
        "{} is missing or outdated after building it",
        binary.display()
    );
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

#[test]
fn an_unknown_outcome_is_reconciled_with_a_status_query() {
    let out = run_example("reconcile_unknown");
    // The refund whose answer was lost happened once and was not sent again.
    assert_eq!(value(&out, "summary: ", "refund"), "happened");
    assert_eq!(value(&out, "summary: ", "refunds_executed"), "1");
    // The payment lost on its way did not happen and was sent again: the gateway executed
    // two payment requests, `order-1`'s and the resent `order-2`'s (the lost one never
    // arrived).
    assert_eq!(value(&out, "summary: ", "payment"), "resent");
    assert_eq!(value(&out, "summary: ", "payments_executed"), "2");
}
