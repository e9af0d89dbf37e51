//! Kapital stored tokens: `set-src-token` / `set-dst-token` and the token registry.

use super::*;

impl Sandbox {
    pub(super) fn kapital_set_token(
        &mut self,
        id: u64,
        src: bool,
        body: &[u8],
    ) -> Result<http::Response<Vec<u8>>, ApiError> {
        let body: TokenBody = json_body(body)?;
        let token = body
            .token
            .ok_or_else(|| ApiError::request("Missing token"))?;
        let order = self
            .kapital
            .orders
            .get(&id)
            .cloned()
            .ok_or_else(ApiError::not_found)?;
        if order.status != "Preparing" {
            return Err(ApiError::state(order.status));
        }
        let token_id = if src {
            if order.type_rid == TypeRid::Oct {
                return Err(ApiError::request("OCT orders take a destination token"));
            }
            if token.google_pay_block.is_some() {
                return Err(ApiError::request(
                    "googlePayBlock is not simulated by the sandbox",
                ));
            }
            let stored = parse_id(&token.stored_id)
                .ok_or_else(|| ApiError::request("Missing token.storedId"))?;
            let Some(card) = self
                .kapital
                .tokens
                .get(&stored)
                .filter(|t| t.stored)
                .cloned()
            else {
                return Err(ApiError::new(400, "InvalidToken", "Stored token not found"));
            };
            if self.kapital.tokens.len() >= self.config.max_orders {
                return Err(ApiError::new(503, "ServiceError", "sandbox is full"));
            }
            // The paying token is a new one made from the stored card, as on the real
            // platform (KBDOC: storedId 5125 answers srcToken.id 6298).
            self.new_token(&card.pan, &card.expiry, "Src", false)
        } else {
            if order.type_rid != TypeRid::Oct {
                return Err(ApiError::request(
                    "Only OCT orders take a destination token",
                ));
            }
            let pan = token
                .card
                .and_then(|c| c.pan_block)
                .and_then(|p| p.data)
                .ok_or_else(|| ApiError::request("Missing token.card.panBlock.data"))?;
            if !util::valid_pan(&pan) {
                return Err(ApiError::new(400, "InvalidToken", "Invalid card number"));
            }
            if self.kapital.tokens.len() >= self.config.max_orders {
                return Err(ApiError::new(503, "ServiceError", "sandbox is full"));
            }
            self.new_token(&util::digits(&pan), "", "Dst", false)
        };
        let order = self
            .kapital
            .orders
            .get_mut(&id)
            .ok_or_else(ApiError::not_found)?;
        if src {
            order.src_token = Some(token_id);
        } else {
            order.dst_token = Some(token_id);
        }
        let token_json = self
            .token_json(token_id, false)
            .unwrap_or_else(|| "null".into());
        let text = JsonObj::new()
            .obj(
                "order",
                JsonObj::new()
                    .str("status", "Preparing")
                    .str("cvv2AuthStatus", "IneligibleOrder")
                    .str("tdsV1AuthStatus", "IneligibleOrder")
                    .str("tdsV2AuthStatus", "IneligibleOrder")
                    .str("otpAutStatus", "IneligibleOrder")
                    .raw(if src { "srcToken" } else { "dstToken" }, &token_json),
            )
            .finish();
        Ok(crate::respond::json_response(200, text))
    }

    pub(super) fn new_token(
        &mut self,
        pan: &str,
        expiry: &str,
        role: &'static str,
        stored: bool,
    ) -> u64 {
        self.kapital.next_token += 1;
        let id = 6000 + self.kapital.next_token;
        let reg_time = self.now().iso_space();
        self.kapital.tokens.insert(
            id,
            Token {
                id,
                pan: pan.to_owned(),
                expiry: expiry.to_owned(),
                role,
                stored,
                reg_time,
                browser: false,
            },
        );
        id
    }
}
