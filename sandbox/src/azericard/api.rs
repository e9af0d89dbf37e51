//! Server-to-server requests: completion (21), reversals (22/24) answered with a bare code,
//! and status (90) answered in JSON with the document's labels.

use super::{Refusal, Status};
use crate::respond::{json_response, text_response};
use crate::{util, Gateway, Sandbox};

impl Sandbox {
    /// TRTYPE 21, 22, 24.
    pub(crate) fn azericard_follow(
        &mut self,
        form: &[(String, String)],
    ) -> http::Response<Vec<u8>> {
        let get = |k: &str| util::form_get(form, k).unwrap_or("").to_owned();
        let checked = self.azericard_check(
            form,
            &[
                "AMOUNT", "CURRENCY", "TERMINAL", "TRTYPE", "ORDER", "RRN", "INT_REF",
            ],
        );
        let trtype = get("TRTYPE");
        let op: &'static str = match trtype.as_str() {
            "21" => "complete",
            "22" => "reverse",
            _ => "reverse_offline",
        };
        if let Err(r) = checked {
            return r.response();
        }
        let Some(order) = self.azericard.orders.get_mut(&get("ORDER")) else {
            return Refusal::Parameter(String::from("unknown ORDER")).response();
        };
        if order.status != Status::Approved
            || order.rrn != get("RRN")
            || order.int_ref != get("INT_REF")
            || util::parse_decimal_minor(&order.amount) != util::parse_decimal_minor(&get("AMOUNT"))
        {
            return Refusal::Parameter(String::from("ORDER, RRN, INT_REF or AMOUNT")).response();
        }
        if order.reversed.is_some() {
            return Refusal::Duplicate(String::from("already reversed")).response();
        }
        if trtype == "21" {
            if order.trtype != "0" {
                return Refusal::Parameter(String::from("not a pre-authorisation")).response();
            }
            if order.completed {
                return Refusal::Duplicate(String::from("already completed")).response();
            }
            order.completed = true;
        } else {
            order.reversed = Some(trtype);
        }
        self.count(Gateway::Azericard, op);
        text_response(200, "0")
    }

    /// TRTYPE 90: the status of one transaction of an order, as JSON.
    pub(crate) fn azericard_status(
        &mut self,
        form: &[(String, String)],
    ) -> http::Response<Vec<u8>> {
        let get = |k: &str| util::form_get(form, k).unwrap_or("").to_owned();
        if let Err(r) =
            self.azericard_check(form, &["ORDER", "TERMINAL", "TRTYPE", "TIMESTAMP", "NONCE"])
        {
            return r.response();
        }
        let order_id = get("ORDER");
        let tran = get("TRAN_TRTYPE");
        let Some(order) = self.azericard.orders.get(&order_id) else {
            return Refusal::Parameter(String::from("unknown ORDER")).response();
        };
        let (action, rc, state) = match (tran.as_str(), order.status) {
            (_, Status::New) => ("", "", "Pending"),
            (t, Status::Declined) if t == order.trtype => ("2", "05", "Declined"),
            (t, Status::Approved) if t == order.trtype => (
                "0",
                "00",
                match (&order.reversed, order.completed) {
                    (Some(_), _) => "Reversed",
                    (None, true) => "Completed",
                    (None, false) if order.trtype == "0" => "Authorized",
                    (None, false) => "Completed",
                },
            ),
            ("21", Status::Approved) if order.completed => ("0", "00", "Completed"),
            ("22" | "24", Status::Approved) if order.reversed.as_deref() == Some(tran.as_str()) => {
                ("0", "00", "Reversed")
            }
            _ => return Refusal::Parameter(String::from("no such transaction")).response(),
        };
        let terminal = self.config.azericard.terminal.clone();
        let timestamp = self.azericard_timestamp();
        let order = order.clone();
        self.count(Gateway::Azericard, "status");
        let body = util::JsonObj::new()
            .str("ACTION", action)
            .str("Response code", rc)
            .str("Transaction Status message", state)
            .str("TERMINAL", &terminal)
            .str("Card number", &order.card)
            .str("Transaction amount", &order.amount)
            .str("Transaction currency", "944")
            .str("Transaction state", state)
            .str("Merchant order id", &order_id)
            .str("Banks approval code", &order.approval)
            .str("Transaction RRN", &order.rrn)
            .str("INT_REF", &order.int_ref)
            .str("Original transaction TRTYPE", &tran)
            .str("Timestamp", &timestamp)
            .finish();
        json_response(200, body)
    }
}
