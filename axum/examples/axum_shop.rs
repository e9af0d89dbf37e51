//! A small shop on axum that takes payments through the three gateways with the unified API,
//! against the local sandbox: create → redirect to the hosted page → callback/redirect/xmlmsg
//! back to the shop → verified status.
//!
//! ```text
//! cargo run -p azpay-axum --example axum_shop
//! ```
//!
//! Then, in another terminal:
//!
//! ```text
//! curl -X POST http://127.0.0.1:3000/checkout/kapital/10.50   # open redirect_url, pay with 4169741330151778
//! curl http://127.0.0.1:3000/orders/shop-1                     # the verified status
//! ```
//!
//! The shop itself (routes, the extractors at work, the verified status) is
//! `test-support/src/axum_shop.rs`, shared with this crate's tests.

use azpay_test_support::axum_shop as app;

use std::net::SocketAddr;

use azpay_sandbox::serve::{serve, ServeOptions};
use azpay_sandbox::SandboxConfig;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::var("SHOP_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(3000);
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let shop_url = format!("http://{}", listener.local_addr()?);

    // The sandbox posts EPoint callbacks to the shop and serves TWEC with mutual TLS.
    let tls_dir = std::env::temp_dir().join(format!("azpay-axum-shop-{}", std::process::id()));
    let sandbox_config =
        SandboxConfig::default().with_epoint_result_url(format!("{shop_url}/epoint/result"));
    let sandbox = tokio::task::block_in_place(|| {
        serve(
            sandbox_config,
            ServeOptions::new(SocketAddr::from(([127, 0, 0, 1], 0))).tls_dir(&tls_dir),
        )
    })?;
    let shop = app::Shop::for_sandbox(&sandbox, &shop_url)?;

    println!("shop:    {shop_url}");
    println!("sandbox: {}", sandbox.base_url());
    println!("try:     curl -X POST {shop_url}/checkout/kapital/10.50");
    axum::serve(listener, app::router(shop)).await?;
    Ok(())
}
