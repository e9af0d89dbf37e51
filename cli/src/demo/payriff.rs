//! The Payriff walk: create (with an RRN), pay on the hosted page, the unsigned callback the
//! shop receives confirmed by the order query, refund, status.

use azpay_core::{execute, payriff, State};
use azpay_sandbox::cards;

use super::{azn, fail, lib, show, Demo};
use crate::common::{outln, CliError};

impl Demo {
    pub(super) fn payriff(&self) -> Result<(), CliError> {
        outln!();
        outln!("== Payriff ==");
        let config = payriff::Config::new(azpay_sandbox::credentials::PAYRIFF_SECRET_KEY)
            .base_url(self.server.base_url())
            .map_err(|e| CliError::failed(format!("the sandbox URL: {e}")))?
            .language(azpay_core::Language::En)
            .callback_url(self.shop.url("/payriff/callback"))
            .redirect_url(self.shop.url("/payriff/return"));
        let amount = azn("12.30")?;
        let rrn = "azpay-demo-payriff-1";
        let create = payriff::CreateOrder::purchase(amount, rrn).description("azpay demo order");
        let created = lib(
            "Payriff create order",
            execute(&create, &config, &self.http),
        )?;
        outln!(
            "1. create: a purchase of {} with X-REQUEST-RRN {rrn}: order {}, payment page {}",
            show(amount),
            created.order_id,
            created.payment_url
        );
        self.cardholder_pays(&created.payment_url, cards::PAYRIFF)?;
        let arrived = self.shop.wait_for("POST", "/payriff/callback")?;
        let callback = payriff::parse_callback(&arrived.body)
            .map_err(|e| fail("reading the Payriff callback", e))?;
        outln!(
            "3. callback: the shop received Payriff's JSON for order {} claiming {}; it is \
             unsigned, so azpay asks Payriff",
            callback.order_id(),
            callback.claimed_status().unwrap_or("nothing")
        );
        let order = lib(
            "Payriff get order",
            execute(&callback.verify(), &config, &self.http),
        )?;
        outln!(
            "4. status: Payriff says order {} is {} (the claim {})",
            order.order_id,
            order.payment_status,
            if callback.claim_matches(&order) {
                "matches"
            } else {
                "does not match"
            }
        );
        if order.order_id != created.order_id || order.state != State::Done {
            return Err(fail("Payriff status", "the order is not APPROVED"));
        }
        let refund = lib(
            "Payriff refund",
            execute(
                &payriff::Refund::full(created.order_id.clone(), "azpay-demo-payriff-refund-1"),
                &config,
                &self.http,
            ),
        )?;
        outln!(
            "5. refund: full refund of {} requested: {} (code {})",
            show(amount),
            refund.state,
            refund.code
        );
        if refund.state != State::Done {
            return Err(fail("Payriff refund", "not done"));
        }
        let after = lib(
            "Payriff get order",
            execute(
                &payriff::GetOrder::new(created.order_id.clone()),
                &config,
                &self.http,
            ),
        )?;
        outln!("6. status after the refund: {}", after.payment_status);
        outln!("Payriff: paid (verified status APPROVED) and refunded.");
        Ok(())
    }
}
