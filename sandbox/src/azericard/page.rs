//! The payment form (TRTYPE 0/1) the browser posts, the hosted card page, and the signed
//! `BACKREF` it posts back through the browser.

use super::{mac, Order, Refusal, Status};
use crate::respond::{html_response, outcome_response};
use crate::{
    page, util, CardAction, CardDecision, Gateway, HostedOutcome, Redirect, Sandbox, SandboxError,
};

/// The test cards the Azericard page approves (the official document's, PROVIDERS.md §2.1).
pub(crate) const CARDS: &[&str] = &[
    crate::cards::AZERICARD_VISA,
    crate::cards::AZERICARD_MASTERCARD,
    crate::cards::AZERICARD_VISA_2,
    crate::cards::DECLINE,
];

impl Sandbox {
    /// TRTYPE 0/1 posted by the browser: check it, keep the order, show the card page.
    pub(crate) fn azericard_form(&mut self, form: &[(String, String)]) -> http::Response<Vec<u8>> {
        let get = |k: &str| util::form_get(form, k).unwrap_or("").to_owned();
        let refuse = |r: Refusal| html_response(400, page::message("Azericard", &r.message()));
        if let Err(r) = self.azericard_check(
            form,
            &[
                "AMOUNT",
                "CURRENCY",
                "TERMINAL",
                "TRTYPE",
                "TIMESTAMP",
                "NONCE",
                "MERCH_URL",
            ],
        ) {
            return refuse(r);
        }
        let order = get("ORDER");
        if !(6..=32).contains(&order.len()) || !order.bytes().all(|b| b.is_ascii_digit()) {
            return refuse(Refusal::Parameter(String::from(
                "ORDER must be 6 to 32 digits",
            )));
        }
        if util::parse_decimal_minor(&get("AMOUNT")).is_none_or(|m| m == 0) {
            return refuse(Refusal::Parameter(String::from("AMOUNT")));
        }
        let backref = get("BACKREF");
        if !(backref.starts_with("http://") || backref.starts_with("https://")) {
            return refuse(Refusal::Parameter(String::from("BACKREF")));
        }
        if self.azericard.orders.contains_key(&order) {
            return refuse(Refusal::Duplicate(String::from("ORDER was used before")));
        }
        if self.azericard.orders.len() >= self.config.max_orders {
            return refuse(Refusal::Parameter(String::from("too many orders")));
        }
        let session = self.rng.string(b"0123456789abcdef", 24);
        self.azericard.orders.insert(
            order.clone(),
            Order {
                trtype: get("TRTYPE"),
                amount: get("AMOUNT"),
                currency: get("CURRENCY"),
                description: get("DESC"),
                backref,
                status: Status::New,
                rrn: String::new(),
                int_ref: String::new(),
                approval: String::new(),
                card: String::new(),
                completed: false,
                reversed: None,
            },
        );
        self.azericard.sessions.insert(session.clone(), order);
        self.count(Gateway::Azericard, "form");
        html_response(
            200,
            page::card_form(&self.azericard_card_form(&session, None)),
        )
    }

    fn azericard_card_form(&self, session: &str, error: Option<String>) -> page::CardForm<'static> {
        let order = self
            .azericard
            .sessions
            .get(session)
            .and_then(|o| self.azericard.orders.get(o));
        page::CardForm {
            gateway: "Azericard",
            amount: order.map(|o| format!("{} {}", o.amount, o.currency)),
            description: order.map(|o| o.description.clone()),
            action: format!("/azericard/pay/{session}"),
            hidden: Vec::new(),
            cards: CARDS,
            save_checkbox: None,
            error,
        }
    }

    /// `/azericard/pay/{session}`: the card page (GET) and its submission (POST).
    pub(crate) fn azericard_page(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        let session = request
            .uri()
            .path()
            .strip_prefix("/azericard/pay/")
            .unwrap_or("")
            .to_owned();
        if !self.azericard.sessions.contains_key(&session) {
            return html_response(404, page::message("Azericard", "Unknown payment."));
        }
        let form = self.azericard_card_form(&session, None);
        match *request.method() {
            http::Method::GET => html_response(200, page::card_form(&form)),
            http::Method::POST => {
                let action = crate::respond::action_from_form(&util::form_pairs(request.body()));
                match self.complete_payment(Gateway::Azericard, &session, &action) {
                    Ok(outcome) => outcome_response(&outcome),
                    Err(e) => page::error_response(&form, &e),
                }
            }
            _ => crate::respond::text_response(405, "GET or POST"),
        }
    }

    /// The cardholder's decision on the page: the order's outcome and the signed `BACKREF`.
    pub(crate) fn azericard_complete(
        &mut self,
        session: &str,
        action: &CardAction,
    ) -> Result<HostedOutcome, SandboxError> {
        let order_id = self
            .azericard
            .sessions
            .get(session)
            .cloned()
            .ok_or_else(|| SandboxError::NotFound(session.to_owned()))?;
        let approve = match action {
            CardAction::Pay(card) => {
                let pan = util::digits(&card.pan);
                let ok = pan != crate::cards::DECLINE
                    && Sandbox::card_decision(Gateway::Azericard, &pan) == CardDecision::Approve;
                Some((ok, pan))
            }
            CardAction::Cancel => None,
        };
        let rrn = format!("{:012}", self.rng.next_u64() % 1_000_000_000_000);
        let int_ref = self.rng.string(b"0123456789ABCDEF", 16);
        let approval = format!("{:06}", self.rng.next_u64() % 1_000_000);
        let timestamp = self.azericard_timestamp();
        let nonce = self.rng.string(b"0123456789ABCDEF", 16);
        let terminal = self.config.azericard.terminal.clone();
        let order = self
            .azericard
            .orders
            .get_mut(&order_id)
            .ok_or_else(|| SandboxError::NotFound(order_id.clone()))?;
        if order.status != Status::New {
            return Err(SandboxError::NotPayable {
                id: order_id,
                status: String::from("finished"),
            });
        }
        let (action_code, rc) = match &approve {
            Some((true, pan)) => {
                order.status = Status::Approved;
                order.rrn = rrn;
                order.int_ref = int_ref;
                order.approval = approval;
                order.card = format!("{}******{}", &pan[..6], &pan[pan.len() - 4..]);
                ("0", "00")
            }
            Some((false, _)) => {
                order.status = Status::Declined;
                ("2", "05")
            }
            None => {
                order.status = Status::Declined;
                ("2", "17")
            }
        };
        let order = order.clone();
        let source = mac(&[
            &order.amount,
            &terminal,
            &order.approval,
            &order.rrn,
            &order.int_ref,
        ]);
        let p_sign = self.azericard_sign(&source).unwrap_or_default();
        let fields: Vec<(String, String)> = [
            ("TERMINAL", terminal.as_str()),
            ("TRTYPE", order.trtype.as_str()),
            ("ORDER", order_id.as_str()),
            ("AMOUNT", order.amount.as_str()),
            ("CURRENCY", "944"),
            ("ACTION", action_code),
            ("RC", rc),
            ("APPROVAL", order.approval.as_str()),
            ("RRN", order.rrn.as_str()),
            ("INT_REF", order.int_ref.as_str()),
            ("TIMESTAMP", timestamp.as_str()),
            ("NONCE", nonce.as_str()),
            ("P_SIGN", p_sign.as_str()),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        self.azericard.sessions.remove(session);
        Ok(HostedOutcome {
            gateway: Gateway::Azericard,
            id: order_id,
            approved: action_code == "0",
            status: format!("ACTION {action_code} RC {rc}"),
            redirect: Redirect::PostForm {
                url: order.backref,
                fields,
            },
        })
    }
}
