//! The core is sans-IO: no runtime, HTTP client or TLS crate among its dependencies, and no
//! socket, clock, environment or randomness in its source.

use std::path::Path;
use std::process::Command;

const FORBIDDEN_CRATES: &[&str] = &[
    "tokio",
    "hyper",
    "hyper-util",
    "hyper-rustls",
    "ureq",
    "rustls",
    "reqwest",
    "async-std",
    "smol",
    "rand",
    "getrandom",
];

#[test]
fn cargo_tree_of_core_has_no_runtime_http_or_tls_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let out = Command::new(cargo)
        .args([
            "tree",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--manifest-path",
        ])
        .arg(&manifest)
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        tree.lines().next().unwrap_or("").starts_with("azpay-core "),
        "{tree}"
    );
    assert!(
        tree.contains("serde_json "),
        "tree lists dependencies: {tree}"
    );
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        assert!(
            !FORBIDDEN_CRATES.contains(&name),
            "azpay-core depends on `{name}`:\n{tree}"
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn core_sources_touch_no_socket_clock_env_or_randomness() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() >= 5, "found the sources: {files:?}");
    let forbidden = [
        "std::net",
        "std::env",
        "std::fs",
        "SystemTime",
        "Instant::now",
        "thread::sleep",
        "std::process",
    ];
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        for needle in forbidden {
            assert!(
                !text.contains(needle),
                "{} mentions `{needle}`: the core must stay sans-IO",
                file.display()
            );
        }
    }
}
