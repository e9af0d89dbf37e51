//! The TWEC (mutual TLS) walk: create, pay on the hosted page, verify what the shop received, status,
//! refund.

use azpay_core::{execute, execute_flow, twec};
use azpay_sandbox::cards;

use super::{azn, fail, form_field, lib, show, Demo};
use crate::common::{outln, CliError};

impl Demo {
    pub(super) fn twec(&self) -> Result<(), CliError> {
        outln!();
        outln!("== TWEC (mutual TLS) ==");
        let config = twec::Config::kapital_test(azpay_sandbox::credentials::TWEC_MERCHANT_ID)
            .base_url(self.server.twec_url())
            .map_err(|e| CliError::failed(format!("the sandbox URL: {e}")))?
            .approve_url(self.shop.url("/twec/approve"))
            .cancel_url(self.shop.url("/twec/cancel"))
            .decline_url(self.shop.url("/twec/decline"));
        let amount = azn("30.75")?;
        let create = twec::CreateOrder::purchase(amount, "azpay demo order");
        let created = lib("TWEC CreateOrder", execute(&create, &config, &self.tls))?;
        let page = created.payment_url();
        outln!(
            "1. create: CreateOrder of {} over mutual TLS: order {}, session {}, payment page {page}",
            show(amount),
            created.order_id,
            created.session_id
        );
        self.cardholder_pays(&page, cards::TWEC)?;
        let posted = self.shop.wait_for("POST", "/twec/approve")?;
        let xmlmsg = form_field(&posted.body, "xmlmsg")
            .ok_or_else(|| fail("TWEC return", "the shop received no xmlmsg"))?;
        let message = twec::parse_xmlout(xmlmsg.as_bytes())
            .map_err(|e| fail("reading the TWEC xmlmsg", e))?;
        outln!(
            "3. return: the page posted xmlmsg to the shop's approve URL; it claims order {} is {}",
            message.order_id().unwrap_or("?"),
            message
                .unverified_order_status()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_else(|| "?".into())
        );
        outln!("   azpay does not trust it (the message is not signed) and asks the gateway");
        let check = message.verify().map_err(|e| fail("TWEC xmlmsg", e))?;
        let status = lib("TWEC GetOrderStatus", execute(&check, &config, &self.tls))?;
        outln!(
            "4. status: GetOrderStatus says order {} is {}",
            status.order_id,
            status.order_status
        );
        if status.order_id != created.order_id || status.order_status != twec::OrderStatus::Approved
        {
            return Err(fail("TWEC status", "the order is not APPROVED"));
        }
        // Kapital's refund carries the purchase's TwoId in TranId: the one XMLOut gave (it only
        // identifies the payment), else RefundPayment asks GetOrderInformation for it first.
        let mut refund_flow =
            twec::RefundPayment::new(&created.order_id, &created.session_id, amount)
                .tran_id_opt(message.two_id());
        let refund = lib(
            "TWEC Refund",
            execute_flow(&mut refund_flow, &config, &self.tls),
        )?;
        outln!(
            "5. refund: Refund of {} with TranId {}: {}, response code {}",
            show(amount),
            refund_flow.two_id().unwrap_or("-"),
            refund.state,
            refund
                .response_code
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_else(|| "-".into())
        );
        let after = lib(
            "TWEC GetOrderStatus",
            execute(
                &twec::GetOrderStatus::new(&created.order_id, &created.session_id),
                &config,
                &self.tls,
            ),
        )?;
        outln!("6. status after the refund: {}", after.order_status);
        if after.order_status != twec::OrderStatus::Refunded {
            return Err(fail("TWEC refund", "the order is not REFUNDED"));
        }
        outln!("TWEC: paid (verified status APPROVED) and refunded.");
        Ok(())
    }
}
