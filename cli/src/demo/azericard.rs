//! The Azericard walk: the signed form, pay on the hosted page, the signed BACKREF checked,
//! status, reversal.

use azpay_core::azericard::{
    self, Config, GetStatus, Pay, Reverse, RsaPemSigner, RsaPublicKey, Stamp,
};
use azpay_core::{execute, http, State};
use azpay_sandbox::cards;

use super::page::{resolve, Form};
use super::{azn, fail, lib, show, Demo};
use crate::common::{outln, CliError};

fn stamp() -> Stamp {
    // The clock and 8 random bytes: both are checked, so this cannot fail.
    Stamp::new(
        crate::azericard::utc_now(),
        crate::azericard::random_nonce(),
    )
    .unwrap_or_else(|_| unreachable!("a well-formed clock stamp"))
}

impl Demo {
    pub(super) fn azericard(&self) -> Result<(), CliError> {
        outln!();
        outln!("== Azericard (RSA-signed forms) ==");
        let signer =
            RsaPemSigner::from_pem(azpay_sandbox::TEST_MERCHANT_PRIVATE_KEY_PEM.as_bytes())
                .map_err(|e| fail("the sandbox's test merchant key", e))?;
        let gateway_key =
            RsaPublicKey::from_pem(azpay_sandbox::TEST_GATEWAY_PUBLIC_KEY_PEM.as_bytes())
                .map_err(|e| fail("the sandbox's test gateway key", e))?;
        let config = Config::new(azpay_sandbox::credentials::AZERICARD_TERMINAL, signer)
            .base_url(self.server.base_url())
            .map_err(|e| CliError::failed(format!("the sandbox URL: {e}")))?
            .merchant_name("azpay demo shop")
            .merchant_url(self.shop.url("/"))
            .callback_url(self.shop.url("/azericard/back"))
            .gateway_key(gateway_key)
            .stamps(stamp);
        let amount = azn("12.40")?;
        let order = format!("{:06}", std::process::id() % 1_000_000);
        let form = Pay::purchase(amount, &order, "azpay demo order")
            .form(&config)
            .map_err(|e| fail("the Azericard form", e))?;
        outln!(
            "1. create: a payment form of {} for order {order}, signed with the merchant's RSA key (P_SIGN), posted by the browser to {}",
            show(amount),
            form.action()
        );
        let fields: Vec<(String, String)> = form
            .fields()
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let page = self.browse(http::Method::POST, form.action(), Some(&fields))?;
        let html = String::from_utf8_lossy(page.body()).into_owned();
        let card_form = Form::first(&html).ok_or_else(|| fail("the Azericard page", "no form"))?;
        self.cardholder_pays(
            &resolve(form.action(), &card_form.action),
            cards::AZERICARD_VISA,
        )?;
        let posted = self.shop.wait_for("POST", "/azericard/back")?;
        let claim = azericard::verify_callback(&config, &posted.body)
            .map_err(|e| fail("the Azericard BACKREF", e))?;
        outln!(
            "3. return: the page posted the result to the shop's BACKREF; its P_SIGN verifies with Azericard's public key; it claims ACTION {} RC {} for order {}",
            claim.claimed_action(),
            claim.claimed_rc(),
            claim.order()
        );
        outln!("   the signature does not cover ORDER or ACTION, so azpay asks the gateway");
        let status = lib(
            "Azericard status",
            execute(&claim.status_query(), &config, &self.http),
        )?;
        outln!(
            "4. status: TRTYPE 90 says ACTION {} RC {}: {}",
            status.action,
            status.rc.as_ref().map_or("-", |r| r.as_str()),
            status.state
        );
        if status.state != State::Done || !claim.claim_matches(&status) {
            return Err(fail("Azericard status", "the payment is not confirmed"));
        }
        let reverse = Reverse::new(&order, amount, claim.rrn(), claim.int_ref());
        let reply = lib("Azericard reversal", execute(&reverse, &config, &self.http))?;
        outln!(
            "5. refund: reversal (TRTYPE 22) of {}: reply {} ({})",
            show(amount),
            reply.code,
            reply.state
        );
        let after = lib(
            "Azericard status",
            execute(&GetStatus::new(&order), &config, &self.http),
        )?;
        outln!("6. status after the reversal: {}", after.state);
        if after.state != State::Returned {
            return Err(fail("Azericard reversal", "the payment is not returned"));
        }
        outln!("Azericard: paid (verified by status) and reversed.");
        Ok(())
    }
}
