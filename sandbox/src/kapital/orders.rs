//! Kapital orders: `POST /api/order` (every `typeRid`) and `GET /api/order/{id}`, summary or
//! detailed (`trans[]`, `srcToken`, `storedTokens[]`).

use super::*;

impl Sandbox {
    pub(super) fn kapital_order(&self, id: &str) -> Result<&Order, ApiError> {
        id.parse::<u64>()
            .ok()
            .and_then(|id| self.kapital.orders.get(&id))
            .ok_or_else(ApiError::not_found)
    }

    pub(super) fn kapital_create(
        &mut self,
        body: &[u8],
    ) -> Result<http::Response<Vec<u8>>, ApiError> {
        let body: CreateBody = json_body(body)?;
        let order = body
            .order
            .ok_or_else(|| ApiError::request("Missing order"))?;
        let type_rid = order
            .type_rid
            .as_deref()
            .ok_or_else(|| ApiError::request("Missing typeRid"))?;
        let type_rid = TypeRid::parse(type_rid)
            .ok_or_else(|| ApiError::request(&format!("Unknown order type {type_rid}")))?;
        let amount =
            parse_amount(&order.amount)?.ok_or_else(|| ApiError::amount("Missing amount"))?;
        let currency = order
            .currency
            .ok_or_else(|| ApiError::request("Missing currency"))?;
        if currency != "AZN" {
            return Err(ApiError::request(
                "Currency is not allowed for the terminal",
            ));
        }
        let language = order.language.unwrap_or_else(|| String::from("az"));
        if !matches!(language.as_str(), "az" | "en" | "ru") {
            return Err(ApiError::request("Invalid language"));
        }
        if order.description.as_ref().is_some_and(|d| d.len() > 1000)
            || order.title.as_ref().is_some_and(|d| d.len() > 1000)
            || order
                .hpp_redirect_url
                .as_ref()
                .is_some_and(|d| d.len() > 2000)
        {
            return Err(ApiError::request("Field too long"));
        }
        let purposes = order.hpp_cof_capture_purposes.unwrap_or_default();
        if purposes.len() > 10 {
            return Err(ApiError::request("Too many hppCofCapturePurposes"));
        }
        let add_card = order
            .aut
            .and_then(|a| a.purpose)
            .is_some_and(|p| p == "AddCard");
        let src_token = match order.src_token {
            Some(t) => {
                let id = parse_id(&t.stored_id)
                    .ok_or_else(|| ApiError::request("Invalid srcToken.storedId"))?;
                if !self.kapital.tokens.get(&id).is_some_and(|t| t.stored) {
                    return Err(ApiError::new(400, "InvalidToken", "Stored token not found"));
                }
                Some(id)
            }
            None => None,
        };
        if self.kapital.orders.len() >= self.config.max_orders {
            return Err(ApiError::new(503, "ServiceError", "sandbox is full"));
        }
        self.kapital.next_order += 1;
        let id = 4600 + self.kapital.next_order;
        let password = self.rng.string(b"abcdefghijklmnopqrstuvwxyz0123456789", 12);
        let secret = self.rng.string(b"0123456789", 6);
        let now = self.now().iso_space();
        let order = Order {
            id,
            type_rid,
            amount,
            currency,
            language,
            title: order.title,
            description: order.description,
            hpp_redirect_url: order.hpp_redirect_url,
            password,
            secret,
            status: "Preparing",
            prev_status: None,
            create_time: now,
            finish_time: None,
            add_card,
            cof_purposes: purposes,
            initiation_env_kind: order.initiation_env_kind,
            src_token,
            dst_token: None,
            stored_tokens: Vec::new(),
            trans: Vec::new(),
            authorized: 0,
            charged: 0,
            refunded: 0,
            partial_voided: false,
            cvv2: if type_rid == TypeRid::Oct {
                "IneligibleOrder"
            } else {
                "Required"
            },
            tds_verified: false,
        };
        let text = JsonObj::new()
            .obj(
                "order",
                JsonObj::new()
                    .num("id", id)
                    .str("hppUrl", &format!("{}/flex", self.config.base_url))
                    .str("password", &order.password)
                    .str("status", order.status)
                    .str("cvv2AuthStatus", order.cvv2)
                    .str("secret", &order.secret),
            )
            .finish();
        self.kapital.orders.insert(id, order);
        Ok(crate::respond::json_response(200, text))
    }

    pub(super) fn kapital_summary(&self, o: &Order) -> String {
        JsonObj::new()
            .obj(
                "order",
                JsonObj::new()
                    .num("id", o.id)
                    .str("typeRid", o.type_rid.rid())
                    .str("status", o.status)
                    .opt_str("prevStatus", o.prev_status)
                    .str("lastStatusLogin", &self.config.kapital_username)
                    .raw("amount", &major(o.amount))
                    .str("currency", &o.currency)
                    .str("createTime", &o.create_time)
                    .opt_str("finishTime", o.finish_time.as_deref())
                    .opt_str("title", o.title.as_deref())
                    .obj("type", JsonObj::new().str("title", o.type_rid.title())),
            )
            .finish()
    }

    /// A token as `set-src-token` answers it (`detailed` false, KBDOC's sample) or as the
    /// detailed order shows it (`entryMode`, `owner`, `card.authentication` when 3-D Secure
    /// ran on the hosted page, `card.issuerRid`).
    pub(super) fn token_json(&self, id: u64, detailed: bool) -> Option<String> {
        let t = self.kapital.tokens.get(&id)?;
        let mut card = JsonObj::new();
        if detailed && t.browser {
            card = card.obj("authentication", self.tds_authentication(t));
        }
        card = card
            .str("expiration", &t.expiry)
            .str("brand", util::brand(&t.pan));
        if detailed {
            card = card.str("issuerRid", if t.pan.starts_with('5') { "5" } else { "4" });
        }
        let mut obj = JsonObj::new()
            .num("id", t.id)
            .str("paymentMethod", "Card")
            .str("role", t.role)
            .str("status", "Active")
            .str("regTime", &t.reg_time);
        if detailed {
            obj = obj.str("entryMode", "ECommerce");
        }
        obj = obj.str("displayName", &util::mask_pan(&t.pan, '*'));
        if detailed {
            obj = obj.raw("owner", "{}");
        }
        Some(obj.obj("card", card).finish())
    }

    /// `card.authentication` of a card paid with 3-D Secure 2 (KBDOC's detailed sample: the
    /// same keys; `tdsARes` is a JSON document inside a string). The values are the sandbox's.
    fn tds_authentication(&self, t: &Token) -> JsonObj {
        let tran_id = format!("00000000-0000-4000-8000-{:012}", t.id);
        let ds_tran_id = format!("00000000-0000-4000-9000-{:012}", t.id);
        let ares = JsonObj::new()
            .str("threeDSServerTransID", &tran_id)
            .str("dsTransID", &ds_tran_id)
            .str("messageType", "ARes")
            .str("messageVersion", "2.2.0")
            .str("eci", "05")
            .str("transStatus", "Y")
            .finish();
        JsonObj::new()
            .bool("needCvv2", false)
            .bool("needTds", false)
            .str("tranId", &tran_id)
            .str("tdsDsTranId", &ds_tran_id)
            .str("timestamp", &t.reg_time)
            .str("tdsProtocolVer", "2.2.0")
            .str("cryptType", "Tds")
            .str("cryptVal", "U0FOREJPWENBVlZBTFVFMDAwMDA=")
            .str("eci", "05")
            .str("tdsARes", &ares)
    }

    pub(super) fn kapital_detailed(&self, o: &Order) -> String {
        let trans = json_array(o.trans.iter().map(|t| {
            JsonObj::new()
                .str("approvalCode", &t.approval_code)
                .str("actionId", &t.action_id)
                .num("orderId", o.id)
                .num("terminalId", 41)
                .num("merchantId", 101)
                .str("billingStatus", "Normal")
                .bool("isReversal", t.is_reversal)
                .str("ridByAcquirer", &t.rid)
                .str("ridByPmo", &t.rid)
                .str("regTime", &t.reg_time)
                .raw("clearAmount", &signed_major(t.clear_amount))
                .str("clearCcy", &o.currency)
                .raw("amount", &major(t.amount))
                .str("currency", &o.currency)
                .str("description", t.description)
                .str("phase", t.phase)
                .str("type", t.kind)
                .opt_str(
                    "pmoResultCode",
                    (!self.config.kapital.omit_pmo_result_code).then_some("1"),
                )
                .finish()
        }));
        let allow_types = if o.type_rid == TypeRid::Oct {
            r#"["Credit"]"#
        } else {
            r#"["Purchase","Refund","CheckToken"]"#
        };
        let (allow_phases, hpp_phase) = if o.type_rid.dual() {
            (r#"["Auth","Clearing"]"#, "Auth")
        } else {
            (r#"["Single","Prepare"]"#, "Single")
        };
        let mut obj = JsonObj::new()
            .num("id", o.id)
            .str("hppUrl", &format!("{}/flex", self.config.base_url))
            .opt_str("hppRedirectUrl", o.hpp_redirect_url.as_deref())
            .str("password", &o.password)
            .str("status", o.status)
            .opt_str("prevStatus", o.prev_status)
            .str("lastStatusLogin", &self.config.kapital_username)
            .raw("amount", &major(o.amount))
            .str("currency", &o.currency)
            .obj(
                "terminal",
                JsonObj::new()
                    .num("id", 41)
                    .str("rid", "E1000010")
                    .str("title", "E1000010")
                    .num("mcc", 3011)
                    .str("status", "Active"),
            )
            .raw("srcAmount", &major(o.amount))
            .raw("srcAmountFull", &major(o.amount))
            .str("srcCurrency", &o.currency)
            .raw("dstAmount", &major(o.amount))
            .str("dstCurrency", &o.currency)
            .str("createTime", &o.create_time)
            .opt_str("finishTime", o.finish_time.as_deref())
            .raw("trans", &trans)
            .str("cvv2AuthStatus", o.cvv2)
            .str("tdsV1AuthStatus", "IneligibleOrder")
            .str(
                "tdsV2AuthStatus",
                if o.tds_verified {
                    "Verified"
                } else {
                    "IneligibleOrder"
                },
            )
            .opt_str(
                "tdsServerUrl",
                o.tds_verified
                    .then(|| format!("{}/tds", self.config.base_url))
                    .as_deref(),
            )
            .raw(
                "authorizedChargeAmount",
                &major(o.authorized.max(o.charged)),
            )
            .raw("clearedChargeAmount", &major(o.charged))
            .raw("clearedRefundAmount", &major(o.refunded))
            .opt_str("title", o.title.as_deref())
            .opt_str("description", o.description.as_deref())
            .str("language", &o.language);
        if let Some(t) = o.src_token.and_then(|id| self.token_json(id, true)) {
            obj = obj.raw("srcToken", &t);
        }
        if let Some(t) = o.dst_token.and_then(|id| self.token_json(id, true)) {
            obj = obj.raw("dstToken", &t);
        }
        if !o.stored_tokens.is_empty() {
            // KBDOC: `"storedTokens":[{"id":5654}]`, the id alone.
            let stored = json_array(
                o.stored_tokens
                    .iter()
                    .map(|id| JsonObj::new().num("id", *id).finish()),
            );
            obj = obj.raw("storedTokens", &stored);
        }
        let purposes = serde_json::to_string(&o.cof_purposes).unwrap_or_else(|_| "[]".into());
        obj = obj
            .obj(
                "merchant",
                JsonObj::new()
                    .num("id", 101)
                    .str("rid", "E1000010")
                    .str("title", "E1000010")
                    .obj(
                        "businessAddress",
                        JsonObj::new()
                            .str("country", "AZE")
                            .str("countryA2", "AZ")
                            .num("countryN3", 31),
                    )
                    .bool("trustConsumerPhone", false),
            )
            .opt_str("initiationEnvKind", o.initiation_env_kind.as_deref())
            .obj(
                "type",
                JsonObj::new()
                    .bool("allowVoid", true)
                    .str("hppTranPhase", hpp_phase)
                    .num("secretLength", 6)
                    .str("title", o.type_rid.title())
                    .str("rid", o.type_rid.rid())
                    .raw("paymentMethods", r#"["Card"]"#)
                    .raw("cardBrands", r#"["Visa","Mastercard"]"#)
                    .bool("allowTdsAttempt", false)
                    .bool("allowTdsCant", false)
                    .bool("allowTdsChallenged", false)
                    .bool("allowSurcharge", false)
                    .raw("allowTranTypes", allow_types)
                    .raw("allowTranPhases", allow_phases)
                    .raw("allowAuthKinds", r#"["Final","Undefined"]"#)
                    .raw(
                        "allowCofStoreUsages",
                        r#"["Cit","PartialShipment","Instalment","Recurring","UnspecifiedMit","DelayedCharge"]"#,
                    )
                    .str("orderClass", if o.type_rid == TypeRid::Oct { "Credit" } else { "Sale" })
                    .bool("allowCVV2", o.type_rid != TypeRid::Oct),
            )
            .raw("hppCofCapturePurposes", &purposes)
            .raw("custAttrs", "[]")
            .raw("reportPubs", "{}");
        JsonObj::new().obj("order", obj).finish()
    }
}
