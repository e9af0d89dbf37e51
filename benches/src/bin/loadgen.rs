//! Transport throughput against the sandbox on loopback (used by `compare/run.sh`).
//!
//! - `loadgen serve`: runs the sandbox (no faults) on 127.0.0.1, creates one EPoint payment
//!   and prints `BASE=<url>` and `TX=<transaction>`; serves until stdin closes.
//! - `loadgen blocking BASE TX SECS`: EPoint `get-status` in a loop with `BlockingTransport`.
//! - `loadgen hyper BASE TX SECS INFLIGHT`: the same with `HyperTransport`, INFLIGHT requests
//!   in flight (tokio multi-thread runtime).
//!
//! Prints one JSON line: mode, in flight, requests, errors, seconds, requests per second.
use std::io::Read as _;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use azpay_core::epoint::{Config, GetStatus, Pay};
use azpay_core::{execute, execute_async, Amount, Currency};
use azpay_sandbox::credentials::{EPOINT_PRIVATE_KEY, EPOINT_PUBLIC_KEY};
use azpay_transport_blocking::BlockingTransport;
use azpay_transport_hyper::HyperTransport;

fn config(base: &str) -> Config {
    match Config::new(EPOINT_PUBLIC_KEY, EPOINT_PRIVATE_KEY).base_url(base) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::exit(2)
        }
    }
}

fn usage() -> ! {
    eprintln!("usage: loadgen serve | blocking BASE TX SECS | hyper BASE TX SECS INFLIGHT");
    std::process::exit(2)
}

fn report(mode: &str, inflight: u64, ok: u64, errors: u64, secs: f64) {
    println!(
        "{{\"mode\":\"{mode}\",\"inflight\":{inflight},\"requests\":{ok},\"errors\":{errors},\
         \"secs\":{secs:.3},\"rps\":{:.1}}}",
        ok as f64 / secs
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("blocking") if args.len() == 4 => {
            let secs: f64 = args[3].parse().unwrap_or_else(|_| usage());
            blocking(&args[1], &args[2], secs)
        }
        Some("hyper") if args.len() == 5 => {
            let secs: f64 = args[3].parse().unwrap_or_else(|_| usage());
            let inflight: u64 = args[4].parse().unwrap_or_else(|_| usage());
            hyper(&args[1], &args[2], secs, inflight)
        }
        _ => usage(),
    }
}

fn serve() {
    let addr: std::net::SocketAddr = "127.0.0.1:0".parse().expect("address");
    let handle = azpay_sandbox::serve::serve(azpay_sandbox::SandboxConfig::default(), addr)
        .expect("sandbox starts");
    let base = handle.base_url().to_owned();
    let transport = BlockingTransport::builder().build().expect("transport");
    let pay = Pay::new(Amount::from_minor(1050, Currency::AZN), "bench-1");
    let created = execute(&pay, &config(&base), &transport).expect("payment created");
    println!("BASE={base}");
    println!("TX={}", created.transaction);
    // Serve until the harness closes our stdin.
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    handle.shutdown();
}

fn blocking(base: &str, tx: &str, secs: f64) {
    let transport = BlockingTransport::builder().build().expect("transport");
    let (cfg, op) = (config(base), GetStatus::by_transaction(tx));
    let deadline = Duration::from_secs_f64(secs);
    let (mut ok, mut errors) = (0u64, 0u64);
    let start = Instant::now();
    while start.elapsed() < deadline {
        match execute(&op, &cfg, &transport) {
            Ok(_) => ok += 1,
            Err(_) => errors += 1,
        }
    }
    report("blocking", 1, ok, errors, start.elapsed().as_secs_f64());
}

fn hyper(base: &str, tx: &str, secs: f64, inflight: u64) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let ok = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let elapsed = runtime.block_on(async {
        let transport = HyperTransport::builder().build().expect("transport");
        let cfg = Arc::new(config(base));
        let op = Arc::new(GetStatus::by_transaction(tx));
        let deadline = Duration::from_secs_f64(secs);
        let start = Instant::now();
        let tasks: Vec<_> = (0..inflight)
            .map(|_| {
                let (t, cfg, op) = (transport.clone(), cfg.clone(), op.clone());
                let (ok, errors) = (ok.clone(), errors.clone());
                tokio::spawn(async move {
                    while start.elapsed() < deadline {
                        match execute_async(&*op, &cfg, &t).await {
                            Ok(_) => ok.fetch_add(1, Relaxed),
                            Err(_) => errors.fetch_add(1, Relaxed),
                        };
                    }
                })
            })
            .collect();
        for t in tasks {
            let _ = t.await;
        }
        start.elapsed().as_secs_f64()
    });
    report(
        "hyper",
        inflight,
        ok.load(Relaxed),
        errors.load(Relaxed),
        elapsed,
    );
}
