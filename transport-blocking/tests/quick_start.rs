//! The README's blocking quick start is `examples/quick_start` word for word, and that example
//! pays on the sandbox when given the sandbox's settings (in its own environment, not this
//! process's).

use std::path::{Path, PathBuf};

/// The README's ```` ```rust,no_run ```` blocks, in order.
fn readme_snippets() -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("the README");
    let mut snippets = Vec::new();
    let mut rest = readme.as_str();
    while let Some(start) = rest.find("```rust,no_run\n") {
        let body = &rest[start + "```rust,no_run\n".len()..];
        let end = body.find("```").expect("a closed block");
        snippets.push(body[..end].to_owned());
        rest = &body[end + 3..];
    }
    snippets
}

fn file(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_readme_snippets_are_the_examples_word_for_word() {
    let snippets = readme_snippets();
    assert!(snippets.len() >= 2, "{snippets:?}");
    assert_eq!(snippets[0], file("examples/quick_start/readme_snippet.rs"));
    assert_eq!(
        snippets[1],
        file("../transport-hyper/examples/quick_start_async/readme_snippet.rs")
    );
    // The library's variable names, never a hard-coded key or URL.
    for snippet in &snippets[..2] {
        assert!(snippet.contains("from_env()?"), "{snippet}");
        assert!(!snippet.contains("base_url"), "{snippet}");
        assert!(!snippet.contains("i000000001"), "{snippet}");
    }
}

/// The built example `name` of `package`, built now if `cargo test` did not build it.
#[allow(dead_code)]
fn example(package: &str, name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary");
    // target/<profile>/deps/<test> -> target/<profile>/examples/<name>
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the profile directory")
        .join("examples");
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        let status = std::process::Command::new(env!("CARGO"))
            .args(["build", "-q", "-p", package, "--example", name])
            .status()
            .expect("run cargo");
        assert!(status.success(), "cargo build --example {name}");
    }
    path
}

#[test]
fn the_quick_start_pays_on_the_sandbox_with_its_settings() {
    use azpay_sandbox::serve::{serve, ServeOptions};
    use azpay_sandbox::{Gateway, SandboxConfig};

    let server = serve(
        SandboxConfig::default(),
        ServeOptions::new("127.0.0.1:0".parse().unwrap()),
    )
    .expect("the sandbox");
    let mut cmd = std::process::Command::new(example("azpay-transport-blocking", "quick_start"));
    for (key, _) in std::env::vars() {
        if ["EPOINT_", "KAPITAL_", "TWEC_"]
            .iter()
            .any(|p| key.starts_with(p))
        {
            cmd.env_remove(key);
        }
    }
    for line in server.env_lines() {
        let (key, value) = line.split_once('=').expect("KEY=VALUE");
        cmd.env(key, value);
    }
    let out = cmd.output().expect("run the example");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = format!("send the customer to {}/epoint/pay/te", server.base_url());
    assert!(stdout.starts_with(&page), "{stdout}");
    assert_eq!(server.executed(Gateway::EPoint, "request"), 1);
}
