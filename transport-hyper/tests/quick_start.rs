//! The README's async quick start (`examples/quick_start_async`, checked word for word against
//! the README by transport-blocking's `quick_start` test) pays on the sandbox and reads the
//! status back, given the sandbox's settings in its own environment (not this process's).

use std::path::{Path, PathBuf};

use azpay_sandbox::serve::{serve, ServeOptions};
use azpay_sandbox::{Gateway, SandboxConfig};

/// The built example `name`, built now if `cargo test` did not build it.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the profile directory")
        .join("examples");
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        let status = std::process::Command::new(env!("CARGO"))
            .args([
                "build",
                "-q",
                "-p",
                "azpay-transport-hyper",
                "--example",
                name,
            ])
            .status()
            .expect("run cargo");
        assert!(status.success(), "cargo build --example {name}");
    }
    path
}

#[test]
fn the_async_quick_start_pays_on_the_sandbox_with_its_settings() {
    let server = serve(
        SandboxConfig::default(),
        ServeOptions::new("127.0.0.1:0".parse().unwrap()),
    )
    .expect("the sandbox");
    let mut cmd = std::process::Command::new(example("quick_start_async"));
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
    let page = format!("{}/epoint/pay/te", server.base_url());
    assert!(stdout.starts_with(&page), "{stdout}");
    assert_eq!(server.executed(Gateway::EPoint, "request"), 1);
    assert_eq!(server.executed(Gateway::EPoint, "get-status"), 1);
}
