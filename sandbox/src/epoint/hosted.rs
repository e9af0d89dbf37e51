//! The EPoint hosted payment page, what completing it does, and the signed callbacks it queues.

use super::*;

impl Sandbox {
    pub(crate) fn epoint_page(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        let id = request
            .uri()
            .path()
            .strip_prefix("/epoint/pay/")
            .unwrap_or("")
            .to_owned();
        let (amount, description) = if let Some(tx) = self.epoint.txs.get(&id) {
            if tx.status != TxStatus::New || !tx.kind.hosted() {
                return crate::respond::html_response(
                    409,
                    page::message("EPoint", "This payment is already finished."),
                );
            }
            (
                Some(format!("{} {}", util::major_fixed(tx.amount), tx.currency)),
                tx.description.clone(),
            )
        } else if let Some(card) = self.epoint.cards.get(&id).filter(|c| c.standalone) {
            if card.status != CardStatus::New {
                return crate::respond::html_response(
                    409,
                    page::message("EPoint", "This card registration is already finished."),
                );
            }
            (
                None,
                Some(
                    card.description
                        .clone()
                        .unwrap_or_else(|| String::from("Card registration")),
                ),
            )
        } else {
            return crate::respond::html_response(404, page::message("EPoint", "Unknown payment."));
        };
        let form = page::CardForm {
            gateway: "EPoint",
            amount,
            description,
            action: format!("/epoint/pay/{id}"),
            hidden: Vec::new(),
            cards: &[crate::cards::KAPITAL_VISA, crate::cards::DECLINE],
            save_checkbox: None,
            error: None,
        };
        match *request.method() {
            http::Method::GET => crate::respond::html_response(200, page::card_form(&form)),
            http::Method::POST => {
                let action = crate::respond::action_from_form(&util::form_pairs(request.body()));
                match self.complete_payment(Gateway::EPoint, &id, &action) {
                    Ok(outcome) => crate::respond::outcome_response(&outcome),
                    Err(e) => page::error_response(&form, &e),
                }
            }
            _ => crate::respond::text_response(405, "GET or POST"),
        }
    }

    pub(crate) fn epoint_complete(
        &mut self,
        id: &str,
        action: &CardAction,
    ) -> Result<HostedOutcome, SandboxError> {
        if !self.epoint.txs.contains_key(id) {
            return self.epoint_complete_registration(id, action);
        }
        let decision = match action {
            CardAction::Cancel => None,
            CardAction::Pay(card) => Some(Sandbox::card_decision(Gateway::EPoint, &card.pan)),
        };
        let approval = match action {
            CardAction::Pay(card) if decision == Some(CardDecision::Approve) => {
                Some(self.approval(&util::digits(&card.pan), &card.holder))
            }
            _ => None,
        };
        let tx = self
            .epoint
            .txs
            .get_mut(id)
            .ok_or_else(|| SandboxError::NotFound(id.to_owned()))?;
        if tx.status != TxStatus::New || !tx.kind.hosted() {
            return Err(SandboxError::NotPayable {
                id: id.to_owned(),
                status: tx.status_word().to_owned(),
            });
        }
        let approved = approval.is_some();
        match decision {
            Some(CardDecision::Approve) => {
                tx.status = TxStatus::Success;
                tx.code = String::from("000");
                tx.message = String::from(if tx.kind == Kind::PreAuth {
                    "Pre-authorization approved"
                } else {
                    "Approved"
                });
                tx.result = approval;
            }
            None => {
                tx.status = TxStatus::Failed;
                tx.code = String::from("180");
                tx.message = String::from("Rejected at the cardholder's request");
            }
            Some(_) => {
                tx.status = TxStatus::Failed;
                tx.code = String::from("100");
                tx.message = String::from("Declined");
            }
        }
        let tx = tx.clone();
        if let (Some(card_id), CardAction::Pay(card)) = (&tx.card_id, action) {
            if let Some(saved) = self.epoint.cards.get_mut(card_id) {
                if approved {
                    saved.status = CardStatus::Active;
                    saved.pan = util::digits(&card.pan);
                    saved.holder = card.holder.clone();
                    saved.expiry = card.expiry.clone();
                } else {
                    saved.status = CardStatus::Rejected;
                }
            }
        } else if let Some(card_id) = &tx.card_id {
            if let Some(saved) = self.epoint.cards.get_mut(card_id) {
                saved.status = CardStatus::Rejected;
            }
        }
        // The callback.
        let a = tx.result.as_ref();
        let mut obj = JsonObj::new()
            .str_or_null("order_id", tx.order_id.as_deref())
            .str("status", if approved { "success" } else { "failed" })
            .str("code", &tx.code);
        if !tx.kind.saves_card() || !approved {
            obj = obj.str("message", &tx.message);
        }
        obj = obj.str("transaction", &tx.id);
        if let Some(a) = a {
            obj = obj
                .str("bank_transaction", &a.bank_transaction)
                .str("bank_response", &a.bank_response)
                .str("operation_code", tx.operation_code())
                .str("rrn", &a.rrn)
                .str("card_name", &a.card_name)
                .str("card_mask", &a.card_mask)
                .raw("amount", &self.config.epoint.amount(tx.amount))
                .raw("other_attr", tx.other_attr.as_deref().unwrap_or("null"));
            if let Some(split) = tx.split_amount {
                obj = obj.raw("split_amount", &self.config.epoint.amount(split));
            }
        }
        if let Some(card_id) = &tx.card_id {
            obj = obj.str("card_id", card_id);
        }
        self.queue_callback(obj);
        let url = if approved {
            tx.success_url
                .clone()
                .or_else(|| self.config.epoint_success_redirect_url.clone())
        } else {
            tx.error_url
                .clone()
                .or_else(|| self.config.epoint_error_redirect_url.clone())
        };
        Ok(HostedOutcome {
            gateway: Gateway::EPoint,
            id: tx.id.clone(),
            approved,
            status: String::from(if approved { "success" } else { "failed" }),
            redirect: url.map(Redirect::Get).unwrap_or(Redirect::None),
        })
    }

    pub(super) fn epoint_complete_registration(
        &mut self,
        id: &str,
        action: &CardAction,
    ) -> Result<HostedOutcome, SandboxError> {
        let approval = match action {
            CardAction::Pay(card)
                if Sandbox::card_decision(Gateway::EPoint, &card.pan) == CardDecision::Approve =>
            {
                Some(self.approval(&util::digits(&card.pan), &card.holder))
            }
            _ => None,
        };
        let card = self
            .epoint
            .cards
            .get_mut(id)
            .filter(|c| c.standalone)
            .ok_or_else(|| SandboxError::NotFound(id.to_owned()))?;
        if card.status != CardStatus::New {
            return Err(SandboxError::NotPayable {
                id: id.to_owned(),
                status: format!("{:?}", card.status).to_lowercase(),
            });
        }
        let approved = approval.is_some();
        if let (Some(_), CardAction::Pay(input)) = (&approval, action) {
            card.status = CardStatus::Active;
            card.pan = util::digits(&input.pan);
            card.holder = input.holder.clone();
            card.expiry = input.expiry.clone();
        } else {
            card.status = CardStatus::Rejected;
        }
        let card = card.clone();
        let mut obj = JsonObj::new()
            .str("status", if approved { "success" } else { "failed" })
            .str("code", if approved { "000" } else { "500" })
            .str(
                "message",
                if approved {
                    "Card registered"
                } else {
                    "Card registration failed"
                },
            );
        if let Some(a) = &approval {
            obj = obj
                .str("bank_transaction", &a.bank_transaction)
                .str("bank_response", &a.bank_response)
                .str("operation_code", "001")
                .str("rrn", &a.rrn)
                .str("card_name", &a.card_name)
                .str("card_mask", &a.card_mask);
        }
        obj = obj.str("card_id", &card.id);
        self.queue_callback(obj);
        let url = if approved {
            card.success_url
                .clone()
                .or_else(|| self.config.epoint_success_redirect_url.clone())
        } else {
            card.error_url
                .clone()
                .or_else(|| self.config.epoint_error_redirect_url.clone())
        };
        Ok(HostedOutcome {
            gateway: Gateway::EPoint,
            id: card.id,
            approved,
            status: String::from(if approved { "success" } else { "failed" }),
            redirect: url.map(Redirect::Get).unwrap_or(Redirect::None),
        })
    }

    pub(super) fn queue_callback(&mut self, obj: JsonObj) {
        let data = util::b64_encode(obj.finish().as_bytes());
        let signature = util::epoint_signature(&self.config.epoint_private_key, &data);
        let callback = crate::Callback {
            url: self.config.epoint_result_url.clone(),
            data,
            signature,
        };
        self.push_callback(callback);
    }
}
