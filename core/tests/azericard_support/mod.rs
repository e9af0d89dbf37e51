//! Test keys made by `openssl` in the test, and `openssl dgst -sha256 -sign` signatures.
//! Skips (with a message) when `openssl` is absent, unless `AZPAY_REQUIRE_OPENSSL=1`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

use azpay_core::azericard::SignError;

pub struct Keys {
    pub dir: PathBuf,
    /// PKCS#8 `PRIVATE KEY`.
    pub pkcs8: Vec<u8>,
    /// PKCS#1 `RSA PRIVATE KEY` of the same key.
    pub pkcs1: Vec<u8>,
    /// SPKI `PUBLIC KEY`.
    pub public: Vec<u8>,
    /// A second key pair (for "the wrong key" cases): private PKCS#8 and public.
    pub other_private: Vec<u8>,
    pub other_public: Vec<u8>,
}

fn openssl(args: &[&str], dir: &Path) -> bool {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The test keys, made once per test binary; `None` (after a message) without openssl.
pub fn keys() -> Option<&'static Keys> {
    static KEYS: OnceLock<Option<Keys>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let have = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
        if !have {
            if std::env::var("AZPAY_REQUIRE_OPENSSL").as_deref() == Ok("1") {
                panic!("openssl is not installed and AZPAY_REQUIRE_OPENSSL=1");
            }
            eprintln!("SKIPPED: `openssl` is not installed; the Azericard RSA vectors need it (set AZPAY_REQUIRE_OPENSSL=1 to fail instead)");
            return None;
        }
        let dir = std::env::temp_dir().join(format!(
            "azpay-azericard-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        for (args, what) in [
            (&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "key8.pem"][..], "key"),
            (&["rsa", "-in", "key8.pem", "-traditional", "-out", "key1.pem"][..], "pkcs1"),
            (&["pkey", "-in", "key8.pem", "-pubout", "-out", "pub.pem"][..], "public"),
            (&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other8.pem"][..], "other"),
            (&["pkey", "-in", "other8.pem", "-pubout", "-out", "otherpub.pem"][..], "other public"),
        ] {
            assert!(openssl(args, &dir), "openssl could not make the {what}");
        }
        let read = |n: &str| std::fs::read(dir.join(n)).unwrap();
        Some(Keys {
            pkcs8: read("key8.pem"),
            pkcs1: read("key1.pem"),
            public: read("pub.pem"),
            other_private: read("other8.pem"),
            other_public: read("otherpub.pem"),
            dir,
        })
    })
    .as_ref()
}

/// `openssl dgst -sha256 -sign <key> ` over `message`, as lower-case hex.
pub fn openssl_sign(keys: &Keys, key_file: &str, message: &str) -> String {
    let name = format!(
        "msg-{}-{}.txt",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let msg = keys.dir.join(&name);
    std::fs::write(&msg, message).unwrap();
    let out = Command::new("openssl")
        .args(["dgst", "-sha256", "-sign", key_file, "-hex", "-r"])
        .arg(&msg)
        .current_dir(&keys.dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().next().unwrap().to_ascii_lowercase()
}

/// `openssl dgst -sha256 -verify pub.pem -signature sig` over `message`.
pub fn openssl_verify(keys: &Keys, pub_file: &str, message: &str, sig_hex: &str) -> bool {
    let id = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let msg = keys.dir.join(format!("v-{id}.txt"));
    let sig = keys.dir.join(format!("v-{id}.sig"));
    std::fs::write(&msg, message).unwrap();
    let bytes: Vec<u8> = (0..sig_hex.len() / 2)
        .map(|i| u8::from_str_radix(&sig_hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    std::fs::write(&sig, bytes).unwrap();
    Command::new("openssl")
        .args(["dgst", "-sha256", "-verify", pub_file, "-signature"])
        .arg(&sig)
        .arg(&msg)
        .current_dir(&keys.dir)
        .output()
        .unwrap()
        .status
        .success()
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The messages a [`recording`] signer saw.
pub type Seen = Arc<Mutex<Vec<String>>>;

/// A signer that records every message and answers a fixed signature.
pub fn recording() -> (
    impl Fn(&[u8]) -> Result<Vec<u8>, SignError> + Send + Sync + 'static,
    Seen,
) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    (
        move |m: &[u8]| {
            s.lock()
                .unwrap()
                .push(String::from_utf8(m.to_vec()).unwrap());
            Ok(vec![0xab, 0xcd])
        },
        seen,
    )
}
