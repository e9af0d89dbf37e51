//! The Kapital Bank walk: create, pay on the hosted page, verify what the shop received, status,
//! refund.

use azpay_core::{execute, kapital};
use azpay_sandbox::cards;

use super::{azn, fail, lib, show, Demo};
use crate::common::{outln, CliError};

impl Demo {
    pub(super) fn kapital(&self) -> Result<(), CliError> {
        outln!();
        outln!("== Kapital Bank ==");
        let config = kapital::Config::new(
            azpay_sandbox::credentials::KAPITAL_USERNAME,
            azpay_sandbox::credentials::KAPITAL_PASSWORD,
        )
        .base_url(self.server.base_url())
        .map_err(|e| CliError::failed(format!("the sandbox URL: {e}")))?
        .language(azpay_core::Language::En);
        let amount = azn("25")?;
        let create = kapital::CreateOrder::purchase(amount)
            .description("azpay demo order")
            .hpp_redirect_url(self.shop.url("/kapital/return"));
        let created = lib(
            "Kapital create-order",
            execute(&create, &config, &self.http),
        )?;
        let page = created
            .payment_url()
            .ok_or_else(|| fail("Kapital create-order", "the answer has no hppUrl"))?;
        outln!(
            "1. create: a purchase order of {}: order {}, payment page {page}",
            show(amount),
            created.id
        );
        let landed = self.cardholder_pays(&page, cards::KAPITAL_VISA)?;
        let arrived = self.shop.wait_for("GET", "/kapital/return")?;
        outln!(
            "3. redirect: the shop received the browser's return, GET {}",
            arrived.target
        );
        if !landed.ends_with(&arrived.target) {
            return Err(fail("Kapital page", format!("returned to {landed}")));
        }
        let redirect = kapital::parse_redirect(&arrived.target)
            .map_err(|e| fail("reading the Kapital redirect", e))?;
        outln!(
            "   the redirect claims order {} is {:?}; azpay does not trust it and asks the bank",
            redirect.order_id(),
            redirect.claimed_status()
        );
        let order = lib(
            "Kapital get order",
            execute(&redirect.verify(), &config, &self.http),
        )?;
        outln!(
            "4. status: the bank says order {} is {} (the claim {})",
            order.id,
            order.status,
            if redirect.claim_matches(&order) {
                "matches"
            } else {
                "does not match"
            }
        );
        if order.id != created.id || order.status != kapital::OrderStatus::FullyPaid {
            return Err(fail("Kapital status", "the order is not FullyPaid"));
        }
        let refund = lib(
            "Kapital refund",
            execute(
                &kapital::ExecTran::refund(created.id, amount),
                &config,
                &self.http,
            ),
        )?;
        outln!(
            "5. refund: {} refunded: {} (approval code {})",
            show(amount),
            if refund.is_approved() {
                "approved"
            } else {
                "not approved"
            },
            refund.approval_code.as_deref().unwrap_or("-")
        );
        if !refund.is_approved() {
            return Err(fail("Kapital refund", "not approved"));
        }
        let after = lib(
            "Kapital get order",
            execute(&kapital::GetOrder::new(created.id), &config, &self.http),
        )?;
        outln!(
            "6. status after the refund: {} ({})",
            after.status,
            after.state
        );
        outln!("Kapital Bank: paid (verified status FullyPaid) and refunded.");
        Ok(())
    }
}
