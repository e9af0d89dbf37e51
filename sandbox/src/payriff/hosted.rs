//! The hosted page `/payriff/pay/{orderId}` and what paying on it does: the order's new
//! status, a saved card when asked, the callback to `callbackUrl`, the browser sent to
//! `redirectUrl?orderId=…`.

use super::*;
use crate::{page, CardAction, CardDecision, HostedOutcome, Redirect, SandboxError};

impl Sandbox {
    pub(crate) fn payriff_page(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        let id = decode(
            request
                .uri()
                .path()
                .strip_prefix("/payriff/pay/")
                .unwrap_or(""),
        );
        let Some(order) = self.payriff.orders.get(&id) else {
            return crate::respond::html_response(404, page::message("Payriff", "Unknown order."));
        };
        if order.status != "CREATED" {
            return crate::respond::html_response(
                409,
                page::message(
                    "Payriff",
                    &format!("This order cannot be paid here (status {}).", order.status),
                ),
            );
        }
        let form = page::CardForm {
            gateway: "Payriff",
            amount: Some(format!(
                "{} {}",
                util::major_fixed(order.amount),
                order.currency
            )),
            description: order.description.clone(),
            action: format!("/payriff/pay/{id}"),
            hidden: Vec::new(),
            cards: &[crate::cards::PAYRIFF, crate::cards::DECLINE],
            save_checkbox: None,
            error: None,
        };
        match *request.method() {
            http::Method::GET => crate::respond::html_response(200, page::card_form(&form)),
            http::Method::POST => {
                let form_pairs = util::form_pairs(request.body());
                let action = crate::respond::action_from_form(&form_pairs);
                match self.complete_payment(Gateway::Payriff, &id, &action) {
                    Ok(outcome) => crate::respond::outcome_response(&outcome),
                    Err(e) => page::error_response(&form, &e),
                }
            }
            _ => crate::respond::text_response(405, "GET or POST"),
        }
    }

    pub(crate) fn payriff_complete_page(
        &mut self,
        id: &str,
        action: &CardAction,
    ) -> Result<HostedOutcome, SandboxError> {
        let not_found = || SandboxError::NotFound(id.to_owned());
        let order = self.payriff.orders.get(id).cloned().ok_or_else(not_found)?;
        if order.status != "CREATED" {
            return Err(SandboxError::NotPayable {
                id: id.to_owned(),
                status: order.status.to_owned(),
            });
        }
        let approved_card = match action {
            CardAction::Cancel => None,
            CardAction::Pay(card) => Some((
                card,
                Sandbox::card_decision(Gateway::Payriff, &card.pan) == CardDecision::Approve,
            )),
        };
        let status: &'static str = match approved_card {
            None => "CANCELED",
            Some((_, false)) => "DECLINED",
            Some((_, true)) if order.card_save_id.is_some() => "REVERSE",
            Some((_, true)) if order.preauth => "PREAUTH_APPROVED",
            Some((_, true)) => "APPROVED",
        };
        let mut card_uuid = None;
        let mut masked = None;
        if let Some((card, ok)) = approved_card {
            let pan = util::digits(&card.pan);
            masked = Some((util::mask_pan(&pan, '*'), util::brand(&pan).to_owned()));
            if ok && (order.card_save || order.card_save_id.is_some()) {
                let uuid = self.payriff_uuid();
                let customer = order
                    .card_save_id
                    .as_ref()
                    .and_then(|s| self.payriff.saves.get(s))
                    .map(|s| s.customer_ref.clone());
                let (m, b) = masked.clone().unwrap_or_default();
                let created = self.now().iso_space().replacen(' ', "T", 1);
                self.payriff.cards.insert(
                    uuid.clone(),
                    SavedCard {
                        uuid: uuid.clone(),
                        customer_ref: customer,
                        masked_pan: m,
                        brand: b,
                        created,
                    },
                );
                card_uuid = Some(uuid);
            }
        }
        if let Some(save_id) = &order.card_save_id {
            if let Some(save) = self.payriff.saves.get_mut(save_id) {
                save.status = match status {
                    "REVERSE" => "VERIFIED",
                    _ => "DECLINED",
                };
                save.card_uuid = card_uuid.clone();
            }
        }
        let tran_uuid = self.payriff_uuid();
        let created = self.now().iso_space().replacen(' ', "T", 1);
        let rrn = self
            .payriff
            .by_rrn
            .iter()
            .find(|(_, o)| o.as_str() == id)
            .map(|(r, _)| r.clone());
        if let Some(o) = self.payriff.orders.get_mut(id) {
            o.status = status;
            match status {
                "APPROVED" => o.paid = o.amount,
                "PREAUTH_APPROVED" => o.held = o.amount,
                _ => {}
            }
            o.trans.push(Tran {
                uuid: tran_uuid,
                status,
                created,
                request_rrn: rrn,
                masked_pan: masked.as_ref().map(|(m, _)| m.clone()),
                brand: masked.as_ref().map(|(_, b)| b.clone()),
                card_uuid,
            });
        }
        self.payriff_queue_callback(id);
        let redirect = match &order.redirect_url {
            Some(url) if !url.is_empty() => {
                Redirect::Get(util::append_query(url, &[("orderId", id)]))
            }
            _ => Redirect::None,
        };
        Ok(HostedOutcome {
            gateway: Gateway::Payriff,
            id: id.to_owned(),
            approved: matches!(status, "APPROVED" | "PREAUTH_APPROVED" | "REVERSE"),
            status: status.to_owned(),
            redirect,
        })
    }
}
