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

/// `cargo tree -e normal --prefix none` of the core with `extra` arguments.
fn core_tree(extra: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let out = Command::new(cargo)
        .args(["tree", "-e", "normal", "--prefix", "none"])
        .args(extra)
        .arg("--manifest-path")
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
    tree
}

fn assert_none_of(tree: &str, forbidden: &[&str], what: &str) {
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        assert!(
            !forbidden.contains(&name),
            "azpay-core ({what}) depends on `{name}`:\n{tree}"
        );
    }
}

#[test]
fn cargo_tree_of_core_has_no_runtime_http_or_tls_crate() {
    // Without the default features, nothing forbidden at all.
    let bare = core_tree(&["--no-default-features"]);
    assert_none_of(&bare, FORBIDDEN_CRATES, "no default features");
    // With them, the same once ring (Azericard's default RSA signer) is pruned: ring's
    // `getrandom` (OS randomness for RSA blinding, DESIGN.md "Trust") is the only way in.
    let pruned = core_tree(&["--prune", "ring"]);
    assert_none_of(&pruned, FORBIDDEN_CRATES, "default features, ring pruned");
    // And no runtime, HTTP client or TLS crate even under ring.
    let full = core_tree(&[]);
    assert!(full.lines().any(|l| l.starts_with("ring ")), "{full}");
    let not_randomness: Vec<&str> = FORBIDDEN_CRATES
        .iter()
        .copied()
        .filter(|c| *c != "getrandom")
        .collect();
    assert_none_of(&full, &not_randomness, "default features");
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
