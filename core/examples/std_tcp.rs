//! azpay-core with a transport written on the spot over `std::net::TcpStream`: no HTTP
//! library, no async runtime on the client side. Runs the sandbox (`azpay-sandbox`, feature
//! `serve`) on 127.0.0.1 and drives an EPoint payment, its status, a refund and its
//! reconciliation, and a Kapital order.
//!
//! The HTTP/1.1 framing is `azpay_test_support::http1` (about 100 lines of `std::net`),
//! shared with the `smol_executor` example. `core/tests/examples_run.rs` runs this example
//! and checks the `summary:` lines it prints last.
//!
//! `cargo run -p azpay-core --example std_tcp`

use azpay_test_support::http1;

use std::time::Duration;

use azpay_core::reconcile::{self, Reconciled};
use azpay_core::{
    epoint, execute, kapital, Amount, Currency, HttpRequest, HttpResponse, TransportError,
};
use azpay_sandbox::serve::serve;
use azpay_sandbox::{cards, credentials, Card, CardAction, Gateway, SandboxConfig};

/// What the run did, printed for the reader (and the test) to check.
#[derive(Debug)]
struct Summary {
    transaction: String,
    paid: bool,
    refund_reconciled: bool,
    kapital_order: u64,
    executed_payments: u64,
}

fn run() -> Result<Summary, Box<dyn std::error::Error>> {
    let server = serve(
        SandboxConfig::default(),
        "127.0.0.1:0".parse::<std::net::SocketAddr>()?,
    )?;
    // The whole transport: a closure.
    let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
        http1::send(request, Duration::from_secs(5))
    };

    let config = epoint::Config::new(
        credentials::EPOINT_PUBLIC_KEY,
        credentials::EPOINT_PRIVATE_KEY,
    )
    .base_url(server.base_url())?;
    let amount = Amount::parse_major("12.34", Currency::AZN)?;
    let redirect = execute(&epoint::Pay::new(amount, "std-tcp-1"), &config, &transport)?;
    println!("payment page: {}", redirect.redirect_url);
    // The cardholder pays on the hosted page.
    server.with_sandbox(|s| {
        s.complete_payment(
            Gateway::EPoint,
            &redirect.transaction,
            &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
        )
    })?;
    let status = execute(
        &epoint::GetStatus::by_transaction(redirect.transaction.clone()),
        &config,
        &transport,
    )?;
    println!("status: {}", status.status);
    execute(
        &epoint::Refund::new(redirect.transaction.clone(), Currency::AZN),
        &config,
        &transport,
    )?;
    let check = reconcile::epoint::RefundByTransaction::new(redirect.transaction.clone(), amount);
    let refund_reconciled = matches!(
        execute(&check, &config, &transport)?,
        Reconciled::Happened(_)
    );
    println!("refund reconciled: {refund_reconciled}");

    let kconfig =
        kapital::Config::new(credentials::KAPITAL_USERNAME, credentials::KAPITAL_PASSWORD)
            .base_url(server.base_url())?;
    let order = execute(
        &kapital::CreateOrder::purchase(Amount::parse_major("5", Currency::AZN)?)
            .description("std tcp")
            .hpp_redirect_url("https://shop.example/back"),
        &kconfig,
        &transport,
    )?;
    let read = execute(&kapital::GetOrder::new(order.id), &kconfig, &transport)?;
    println!("kapital order {} is {}", read.id, read.status);

    Ok(Summary {
        transaction: redirect.transaction,
        paid: status.is_paid(),
        refund_reconciled,
        kapital_order: read.id,
        executed_payments: server.executed(Gateway::EPoint, "request"),
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let summary = run()?;
    println!("summary: transaction={}", summary.transaction);
    println!("summary: paid={}", summary.paid);
    println!("summary: refund_reconciled={}", summary.refund_reconciled);
    println!("summary: kapital_order={}", summary.kapital_order);
    println!("summary: executed_payments={}", summary.executed_payments);
    Ok(())
}
