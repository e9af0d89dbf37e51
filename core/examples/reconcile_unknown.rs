//! An unknown outcome, and how the merchant finds out what happened (`docs/unknown-outcomes.md`).
//!
//! The gateway is the sandbox's pure handler (`azpay_sandbox::Sandbox::handle`, no socket);
//! the transport is a closure that can lose a request on its way, or lose the answer after
//! the gateway acted on it. Both failures look the same to the caller:
//! `Phase::OutcomeUnknown`. A status query tells them apart.
//!
//! 1. A refund whose answer is lost: reconciliation says it happened, so it is not sent again.
//! 2. A payment request lost before it arrived: reconciliation says it did not happen, so it
//!    is sent again, safely.
//!
//! `core/tests/examples_run.rs` runs this example and checks the `summary:` lines.
//!
//! `cargo run -p azpay-core --example reconcile_unknown`

use std::cell::{Cell, RefCell};

use azpay_core::reconcile::{self, Reconciled};
use azpay_core::{
    epoint, execute, Amount, Currency, HttpRequest, HttpResponse, Phase, TransportError,
    TransportErrorKind,
};
use azpay_sandbox::{cards, credentials, Card, CardAction, Gateway, Sandbox, SandboxConfig};

/// What the closure transport does with the next non-idempotent request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fault {
    /// Deliver it and its answer.
    None,
    /// Deliver it to the gateway, then lose the answer (a timeout after sending).
    LoseAnswer,
    /// Lose it on the way: the gateway never sees it, but the caller cannot know that.
    LoseRequest,
}

fn lost() -> TransportError {
    TransportError::outcome_unknown(TransportErrorKind::Timeout, "no answer within the timeout")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = RefCell::new(Sandbox::new(SandboxConfig::default()));
    let fault = Cell::new(Fault::None);
    let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
        let idempotent = azpay_core::RequestMeta::of(&request).is_some_and(|m| m.idempotent);
        match (fault.get(), idempotent) {
            (Fault::LoseRequest, false) => {
                fault.set(Fault::None);
                Err(lost())
            }
            (Fault::LoseAnswer, false) => {
                fault.set(Fault::None);
                let _answer_lost = sandbox.borrow_mut().handle(&request);
                Err(lost())
            }
            _ => Ok(sandbox.borrow_mut().handle(&request)),
        }
    };
    let config = epoint::Config::new(
        credentials::EPOINT_PUBLIC_KEY,
        credentials::EPOINT_PRIVATE_KEY,
    );
    let amount = Amount::parse_major("12.34", Currency::AZN)?;

    // A paid order to refund.
    let page = execute(&epoint::Pay::new(amount, "order-1"), &config, &transport)?;
    sandbox.borrow_mut().complete_payment(
        Gateway::EPoint,
        &page.transaction,
        &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
    )?;

    // 1. The refund reaches EPoint, but its answer is lost.
    fault.set(Fault::LoseAnswer);
    let refund = epoint::Refund::new(page.transaction.clone(), Currency::AZN);
    let err = execute(&refund, &config, &transport).unwrap_err();
    assert!(err.is_outcome_unknown());
    println!("refund: {err}");
    // Never send it again blindly: ask.
    let check = reconcile::epoint::RefundByTransaction::new(page.transaction.clone(), amount);
    let refund_outcome = match execute(&check, &config, &transport)? {
        Reconciled::Happened(status) => {
            println!(
                "the refund happened (status {}): not sending it again",
                status.status
            );
            "happened"
        }
        Reconciled::DidNotHappen => {
            execute(&refund, &config, &transport)?;
            "resent"
        }
        Reconciled::Unknown(reason) => {
            println!("cannot tell yet ({reason}): ask again later, or a human");
            "unknown"
        }
    };

    // 2. A payment request is lost before it reaches EPoint.
    fault.set(Fault::LoseRequest);
    let pay = epoint::Pay::new(amount, "order-2");
    let err = execute(&pay, &config, &transport).unwrap_err();
    assert!(matches!(&err, azpay_core::Error::Transport(t) if t.phase == Phase::OutcomeUnknown));
    println!("payment: {err}");
    let check = reconcile::epoint::PaymentByOrderId::new("order-2", amount);
    let payment_outcome = match execute(&check, &config, &transport)? {
        Reconciled::Happened(status) => {
            println!("the payment exists (status {}): use it", status.status);
            "happened"
        }
        Reconciled::DidNotHappen => {
            let page = execute(&pay, &config, &transport)?;
            println!("EPoint never saw it; sent again: {}", page.redirect_url);
            "resent"
        }
        Reconciled::Unknown(reason) => {
            println!("cannot tell yet ({reason}): ask again later, or a human");
            "unknown"
        }
    };

    let sandbox = sandbox.borrow();
    println!("summary: refund={refund_outcome}");
    println!("summary: payment={payment_outcome}");
    println!(
        "summary: refunds_executed={}",
        sandbox.executed(Gateway::EPoint, "reverse")
    );
    println!(
        "summary: payments_executed={}",
        sandbox.executed(Gateway::EPoint, "request")
    );
    Ok(())
}
