//! The Kapital `/flex` hosted page and what completing it does to the order.

use super::*;

impl Sandbox {
    pub(crate) fn kapital_page(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        let mut pairs = util::query_pairs(request.uri());
        let form_pairs = if request.method() == http::Method::POST {
            util::form_pairs(request.body())
        } else {
            Vec::new()
        };
        pairs.extend(form_pairs.iter().cloned());
        let id = util::form_get(&pairs, "id").unwrap_or("").to_owned();
        let password = util::form_get(&pairs, "password").unwrap_or("").to_owned();
        let Some(order) = id
            .parse::<u64>()
            .ok()
            .and_then(|n| self.kapital.orders.get(&n))
        else {
            return crate::respond::html_response(404, page::message("Kapital", "Unknown order."));
        };
        if !util::constant_time_eq(password.as_bytes(), order.password.as_bytes()) {
            return crate::respond::html_response(
                403,
                page::message("Kapital", "Wrong order password."),
            );
        }
        if order.status != "Preparing" || order.type_rid == TypeRid::Oct {
            return crate::respond::html_response(
                409,
                page::message(
                    "Kapital",
                    &format!("This order cannot be paid here (status {}).", order.status),
                ),
            );
        }
        let form = page::CardForm {
            gateway: "Kapital",
            amount: Some(format!(
                "{} {}",
                util::major_fixed(order.amount),
                order.currency
            )),
            description: order.description.clone(),
            action: format!(
                "/flex?{}",
                util::form_encode(&[("id", &id), ("password", &password)])
            ),
            hidden: Vec::new(),
            cards: &[
                crate::cards::KAPITAL_VISA,
                crate::cards::KAPITAL_MASTERCARD,
                crate::cards::DECLINE,
            ],
            save_checkbox: (order.add_card || !order.cof_purposes.is_empty())
                .then_some(order.add_card),
            error: None,
        };
        match *request.method() {
            http::Method::GET => crate::respond::html_response(200, page::card_form(&form)),
            http::Method::POST => {
                let action = crate::respond::action_from_form(&form_pairs);
                match self.complete_payment(Gateway::Kapital, &id, &action) {
                    Ok(outcome) => crate::respond::outcome_response(&outcome),
                    Err(e) => page::error_response(&form, &e),
                }
            }
            _ => crate::respond::text_response(405, "GET or POST"),
        }
    }

    pub(crate) fn kapital_complete(
        &mut self,
        id: &str,
        action: &CardAction,
    ) -> Result<HostedOutcome, SandboxError> {
        let not_found = || SandboxError::NotFound(id.to_owned());
        let key = id.trim().parse::<u64>().map_err(|_| not_found())?;
        let mut order = self
            .kapital
            .orders
            .get(&key)
            .cloned()
            .ok_or_else(not_found)?;
        if order.status != "Preparing" || order.type_rid == TypeRid::Oct {
            return Err(SandboxError::NotPayable {
                id: id.to_owned(),
                status: order.status.to_owned(),
            });
        }
        let now = self.now().iso_space();
        let new_status = match action {
            CardAction::Cancel => "Cancelled",
            CardAction::Pay(card) => match Sandbox::card_decision(Gateway::Kapital, &card.pan) {
                CardDecision::Approve => {
                    let pan = util::digits(&card.pan);
                    let expiry = util::expiry_mmyy(&card.expiry).unwrap_or_default();
                    let store = order.add_card || card.save;
                    let token = self.new_token(&pan, &expiry, "Src", false);
                    if let Some(t) = self.kapital.tokens.get_mut(&token) {
                        t.browser = true;
                    }
                    order.src_token = Some(token);
                    if store {
                        // The stored card gets its own id, not the paying token's (KBDOC:
                        // srcToken.id 5652, storedTokens[].id 5654).
                        let stored = self.new_token(&pan, &expiry, "Src", true);
                        order.stored_tokens.push(stored);
                    }
                    order.cvv2 = "Provided";
                    order.tds_verified = true;
                    if order.type_rid.dual() {
                        let t =
                            self.new_tran(order.amount, 0, "Auth", "Purchase", "Purchase", false);
                        order.trans.push(t);
                        order.authorized = order.amount;
                        "Authorized"
                    } else {
                        let t = self.new_tran(
                            order.amount,
                            order.amount as i128,
                            "Single",
                            "Purchase",
                            "Purchase",
                            false,
                        );
                        order.trans.push(t);
                        order.charged = order.amount;
                        paid_status(order.amount)
                    }
                }
                CardDecision::Decline | CardDecision::Unknown => "Declined",
            },
        };
        order.prev_status = Some(order.status);
        order.status = new_status;
        order.finish_time = Some(now);
        let redirect = match &order.hpp_redirect_url {
            Some(url) if !url.is_empty() => Redirect::Get(util::append_query(
                url,
                &[("ID", &order.id.to_string()), ("STATUS", new_status)],
            )),
            _ => Redirect::None,
        };
        self.kapital.orders.insert(key, order);
        Ok(HostedOutcome {
            gateway: Gateway::Kapital,
            id: key.to_string(),
            approved: matches!(
                new_status,
                "FullyPaid" | "Authorized" | "PartPaid" | "Processing"
            ),
            status: new_status.to_owned(),
            redirect,
        })
    }
}
