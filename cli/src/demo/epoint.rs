//! The EPoint walk: create, pay on the hosted page, verify what the shop received, status,
//! refund.

use azpay_core::{epoint, execute, Currency};
use azpay_sandbox::cards;

use super::{azn, fail, lib, show, Demo};
use crate::common::{outln, CliError};

impl Demo {
    pub(super) fn epoint(&self) -> Result<(), CliError> {
        outln!();
        outln!("== EPoint ==");
        let config = epoint::Config::new(
            azpay_sandbox::credentials::EPOINT_PUBLIC_KEY,
            azpay_sandbox::credentials::EPOINT_PRIVATE_KEY,
        )
        .base_url(self.server.base_url())
        .map_err(|e| CliError::failed(format!("the sandbox URL: {e}")))?
        .success_redirect_url(self.shop.url("/epoint/success"))
        .error_redirect_url(self.shop.url("/epoint/error"));
        let amount = azn("10.50")?;
        let order_id = format!("demo-{}", std::process::id());
        let pay = epoint::Pay::new(amount, &order_id).description("azpay demo order");
        let created = lib("EPoint pay", execute(&pay, &config, &self.http))?;
        outln!(
            "1. create: a payment of {} for order {order_id}: transaction {}, payment page {}",
            show(amount),
            created.transaction,
            created.redirect_url
        );
        let landed = self.cardholder_pays(&created.redirect_url, cards::KAPITAL_VISA)?;
        let callback = self.shop.wait_for("POST", "/epoint/result")?;
        outln!(
            "3. callback: EPoint posted a signed callback to the shop ({} bytes)",
            callback.body.len()
        );
        let verified = epoint::verify_callback(&config, &callback.body)
            .map_err(|e| fail("verifying the EPoint callback", e))?;
        let status = verified.status.as_ref().map(|s| s.as_str()).unwrap_or("?");
        outln!(
            "   signature verified with the private key: status {status}, order {}, amount {}",
            verified.order_id.as_deref().unwrap_or("?"),
            verified.amount.map(show).unwrap_or_else(|| "?".into())
        );
        if !verified.is_success() || verified.transaction.as_deref() != Some(&created.transaction) {
            return Err(fail(
                "EPoint callback",
                "the callback does not report this payment paid",
            ));
        }
        if !landed.contains("/epoint/success") {
            return Err(fail("EPoint page", format!("returned to {landed}")));
        }
        let status = lib(
            "EPoint get-status",
            execute(
                &epoint::GetStatus::by_transaction(&created.transaction),
                &config,
                &self.http,
            ),
        )?;
        outln!(
            "4. status: get-status says {} ({}), amount {}",
            status.status.as_str(),
            status.status.description().unwrap_or(""),
            status.amount.map(show).unwrap_or_else(|| "?".into())
        );
        if !status.is_paid() {
            return Err(fail("EPoint get-status", "not paid"));
        }
        let refund = lib(
            "EPoint refund",
            execute(
                &epoint::Refund::new(&created.transaction, Currency::AZN),
                &config,
                &self.http,
            ),
        )?;
        outln!(
            "5. refund: full refund of {} requested: {}",
            show(amount),
            refund.status.as_str()
        );
        let after = lib(
            "EPoint get-status",
            execute(
                &epoint::GetStatus::by_transaction(&created.transaction),
                &config,
                &self.http,
            ),
        )?;
        outln!(
            "6. status after the refund: {} ({})",
            after.status.as_str(),
            after.status.description().unwrap_or("")
        );
        if after.status != epoint::Status::Returned {
            return Err(fail("EPoint refund", "the payment is not marked returned"));
        }
        outln!("EPoint: paid (verified status success) and refunded.");
        Ok(())
    }
}
