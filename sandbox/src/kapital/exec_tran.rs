//! Kapital `exec-tran`: clearing, refunds, voids and saved-card charges per order phase, and the
//! card check that declines with `PmoDecline`.

use super::*;

impl Sandbox {
    pub(super) fn new_tran(
        &mut self,
        amount: u64,
        clear_amount: i128,
        phase: &'static str,
        kind: &'static str,
        description: &'static str,
        is_reversal: bool,
    ) -> Tran {
        self.kapital.next_tran += 1;
        let now = self.now();
        let n = self.kapital.next_tran;
        Tran {
            approval_code: format!("{:06}", self.rng.next_u64() % 1_000_000),
            action_id: format!(
                "{}-{:08}-{}=",
                now.yymmdd(),
                n,
                self.rng.string(b"abcdefghijklmnopqrstuvwxyz0123456789", 6)
            ),
            rid: format!("{}", 17_300_000 + n),
            reg_time: now.iso_space(),
            amount,
            clear_amount,
            phase,
            kind,
            description,
            is_reversal,
        }
    }

    /// The answer to an executed transaction (KBDOC's success sample); without
    /// `pmoResultCode` under [`KapitalSettings::omit_pmo_result_code`], and an HTML 500 page
    /// for [`crate::cards::KAPITAL_AMOUNT_HTML_500`] (executed all the same).
    pub(super) fn tran_reply(&self, tran: &Tran) -> http::Response<Vec<u8>> {
        if tran.amount == AMOUNT_HTML_500 {
            return crate::respond::html_response(
                500,
                "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>\
                 <body><h1>Internal Server Error</h1></body></html>",
            );
        }
        let code = (!self.config.kapital.omit_pmo_result_code).then_some("1");
        crate::respond::json_response(
            200,
            JsonObj::new()
                .obj(
                    "tran",
                    JsonObj::new()
                        .str("approvalCode", &tran.approval_code)
                        .obj(
                            "match",
                            JsonObj::new()
                                .str("tranActionId", &tran.action_id)
                                .str("ridByPmo", &tran.rid),
                        )
                        .opt_str("pmoResultCode", code),
                )
                .finish(),
        )
    }

    pub(super) fn pmo_decline(
        &mut self,
        pan: &str,
        code: &str,
        desc: &str,
        reason: &str,
    ) -> ApiError {
        self.kapital.next_tran += 1;
        let rid = format!("{}", 17_900_000 + self.kapital.next_tran);
        let full = format!("{desc}. PAN={}", util::mask_pan(pan, '*'));
        ApiError {
            http: 400,
            body: JsonObj::new()
                .str("errorCode", "PmoDecline")
                .str(
                    "errorDescription",
                    &format!("Transaction declined by PMO: Auth Response: {code} - {full}"),
                )
                .obj(
                    "errorDetails",
                    JsonObj::new()
                        .str("declineReason", reason)
                        .obj("match", JsonObj::new().str("ridByPmo", &rid))
                        .str("pmoResultCode", code)
                        .str("pmoDeclineDesc", &full),
                )
                .finish(),
        }
    }

    pub(super) fn kapital_exec(
        &mut self,
        id: u64,
        body: &[u8],
    ) -> Result<http::Response<Vec<u8>>, ApiError> {
        let body: TranBody = json_body(body)?;
        let tran = body.tran.ok_or_else(|| ApiError::request("Missing tran"))?;
        let amount = parse_amount(&tran.amount)?;
        let mut order = self
            .kapital
            .orders
            .get(&id)
            .cloned()
            .ok_or_else(ApiError::not_found)?;
        if order.trans.len() >= MAX_TRANS {
            return Err(ApiError::new(
                400,
                "TranProhibited",
                "Too many transactions",
            ));
        }
        let phase = tran.phase.as_deref().unwrap_or("");
        let kind = tran.kind.as_deref();
        let status = order.status;
        let now = self.now().iso_space();
        let new_status: &'static str;
        let record: Tran;
        match (phase, kind, tran.void_kind.as_deref()) {
            (_, _, Some(void)) => {
                let paid = status == "FullyPaid" && order.refunded == 0;
                match (phase, void) {
                    ("Auth", "Full") if order.type_rid.dual() && status == "Authorized" => {
                        record =
                            self.new_tran(order.authorized, 0, "Auth", "Purchase", "Void", true);
                        new_status = "Voided";
                    }
                    ("Single", "Full") if !order.type_rid.dual() && paid => {
                        let charged = order.charged;
                        record = self.new_tran(
                            charged,
                            -(charged as i128),
                            "Single",
                            "Purchase",
                            "Void",
                            true,
                        );
                        order.charged = 0;
                        new_status = "Voided";
                    }
                    ("Clearing", "Full") if order.type_rid.dual() && paid => {
                        let charged = order.charged;
                        record = self.new_tran(
                            charged,
                            -(charged as i128),
                            "Clearing",
                            "Purchase",
                            "Void",
                            true,
                        );
                        order.charged = 0;
                        new_status = "Voided";
                    }
                    ("Single" | "Clearing", "Partial") if paid && !order.partial_voided => {
                        if (phase == "Clearing") != order.type_rid.dual() {
                            return Err(ApiError::request("Phase does not match the order type"));
                        }
                        let amount = amount
                            .ok_or_else(|| ApiError::amount("A partial void needs an amount"))?;
                        if amount >= order.charged {
                            return Err(ApiError::amount(
                                "A partial void must be less than the paid amount",
                            ));
                        }
                        record = self.new_tran(
                            amount,
                            -(amount as i128),
                            if order.type_rid.dual() {
                                "Clearing"
                            } else {
                                "Single"
                            },
                            "Purchase",
                            "Partial void",
                            true,
                        );
                        order.charged -= amount;
                        order.partial_voided = true;
                        new_status = status;
                    }
                    ("Auth" | "Single" | "Clearing", "Full" | "Partial") => {
                        return Err(ApiError::state(status))
                    }
                    _ => return Err(ApiError::request("Invalid phase or voidKind")),
                }
            }
            ("Single", Some("Refund"), None) => {
                if !matches!(status, "FullyPaid" | "PartPaid") {
                    return Err(ApiError::state(status));
                }
                let left = order.charged.saturating_sub(order.refunded);
                let amount = amount.unwrap_or(left);
                if amount == 0 || amount > left {
                    return Err(ApiError::amount("Refund amount exceeds the amount paid"));
                }
                record = self.new_tran(
                    amount,
                    -(amount as i128),
                    "Single",
                    "Refund",
                    "Refund",
                    false,
                );
                order.refunded += amount;
                new_status = if order.refunded < order.charged {
                    status
                } else if order.amount == AMOUNT_REFUSED {
                    "Refused"
                } else {
                    "Refunded"
                };
            }
            ("Single", Some("Credit"), None) => {
                if order.type_rid != TypeRid::Oct {
                    return Err(ApiError::request("Credit is only allowed on OCT orders"));
                }
                if status != "Preparing" {
                    return Err(ApiError::state(status));
                }
                let token = order
                    .dst_token
                    .and_then(|t| self.kapital.tokens.get(&t))
                    .cloned()
                    .ok_or_else(|| {
                        ApiError::new(
                            400,
                            "InvalidToken",
                            "No destination token: call set-dst-token first",
                        )
                    })?;
                let amount = amount.unwrap_or(order.amount);
                if amount > order.amount {
                    return Err(ApiError::amount("Amount exceeds the order amount"));
                }
                self.kapital_card_check(&mut order, &token.pan, "DstCardInvalid", &now)?;
                record = self.new_tran(amount, amount as i128, "Single", "Credit", "Credit", false);
                order.charged = amount;
                new_status = "FullyPaid";
            }
            ("Clearing", None, None) => {
                if !order.type_rid.dual() {
                    return Err(ApiError::request(
                        "Clearing is only allowed on dual-message orders",
                    ));
                }
                if status != "Authorized" {
                    return Err(ApiError::state(status));
                }
                let amount = amount.unwrap_or(order.authorized);
                if amount > order.authorized {
                    return Err(ApiError::amount(
                        "Clearing amount exceeds the authorized amount",
                    ));
                }
                record = self.new_tran(
                    amount,
                    amount as i128,
                    "Clearing",
                    "Purchase",
                    "Clearing",
                    false,
                );
                order.charged = amount;
                new_status = "FullyPaid";
            }
            (p @ ("Single" | "Auth"), None | Some("Purchase"), None) => {
                // A charge on the order's source token (saved card, MIT).
                let dual = p == "Auth";
                if dual != order.type_rid.dual() || order.type_rid == TypeRid::Oct {
                    return Err(ApiError::request("Phase does not match the order type"));
                }
                if status != "Preparing" {
                    return Err(ApiError::state(status));
                }
                let token = order
                    .src_token
                    .and_then(|t| self.kapital.tokens.get(&t))
                    .cloned()
                    .ok_or_else(|| {
                        ApiError::new(
                            400,
                            "InvalidToken",
                            "No source token: call set-src-token first",
                        )
                    })?;
                let amount = amount.unwrap_or(order.amount);
                if amount > order.amount {
                    return Err(ApiError::amount("Amount exceeds the order amount"));
                }
                self.kapital_card_check(&mut order, &token.pan, "SrcCardInvalid", &now)?;
                if dual {
                    record = self.new_tran(amount, 0, "Auth", "Purchase", "Purchase", false);
                    order.authorized = amount;
                    new_status = "Authorized";
                } else {
                    record = self.new_tran(
                        amount,
                        amount as i128,
                        "Single",
                        "Purchase",
                        "Purchase",
                        false,
                    );
                    order.charged = amount;
                    new_status = paid_status(order.amount);
                }
            }
            _ => return Err(ApiError::request("Invalid phase or type")),
        }
        if new_status != order.status {
            order.prev_status = Some(order.status);
            order.status = new_status;
        }
        order.finish_time = Some(now);
        order.trans.push(record.clone());
        self.kapital.orders.insert(id, order);
        Ok(self.tran_reply(&record))
    }

    /// Declines the always-decline card and unknown cards with a `PmoDecline` body, marking
    /// the order `Declined`.
    pub(super) fn kapital_card_check(
        &mut self,
        order: &mut Order,
        pan: &str,
        reason: &str,
        now: &str,
    ) -> Result<(), ApiError> {
        let (code, desc) = match Sandbox::card_decision(Gateway::Kapital, pan) {
            CardDecision::Approve => return Ok(()),
            CardDecision::Decline => ("59", "Insufficient funds"),
            CardDecision::Unknown => ("52", "Card not found for MBR calculation"),
        };
        let reason = if code == "59" {
            "InsufficientFunds"
        } else {
            reason
        };
        let error = self.pmo_decline(pan, code, desc, reason);
        order.prev_status = Some(order.status);
        order.status = "Declined";
        order.finish_time = Some(now.to_owned());
        self.kapital.orders.insert(order.id, order.clone());
        Err(error)
    }
}
