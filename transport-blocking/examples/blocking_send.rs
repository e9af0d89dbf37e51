//! Sends one GET with the blocking transport and prints the status, headers and body size.
//!
//! ```text
//! cargo run -p azpay-transport-blocking --example blocking_send -- URL [CERT_CHAIN.pem KEY.pem [CA.pem]]
//! ```
use std::time::Duration;

use azpay_core::{ClientIdentity, SyncTransport};
use azpay_transport_blocking::BlockingTransport;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(url) = args.first() else {
        eprintln!("usage: send URL [CERT_CHAIN.pem KEY.pem [CA.pem]]");
        std::process::exit(2);
    };
    let mut builder = BlockingTransport::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20));
    if let (Some(cert), Some(key)) = (args.get(1), args.get(2)) {
        let mut identity = ClientIdentity::from_pem(std::fs::read(cert)?, std::fs::read(key)?);
        if let Some(ca) = args.get(3) {
            identity = identity.with_ca_pem(std::fs::read(ca)?);
        }
        builder = builder.client_identity(identity);
    }
    let transport = builder.build()?;
    match transport.send(http::Request::get(url.as_str()).body(Vec::new())?) {
        Ok(response) => {
            println!("{:?} {}", response.version(), response.status());
            for (name, value) in response.headers() {
                println!("{name}: {}", value.to_str().unwrap_or("<binary>"));
            }
            println!("({} body bytes)", response.body().len());
        }
        Err(e) => {
            eprintln!("{e} [phase: {}, kind: {:?}]", e.phase, e.kind);
            std::process::exit(1);
        }
    }
    Ok(())
}
