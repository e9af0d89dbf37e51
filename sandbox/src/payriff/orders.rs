//! Orders: create, expire, refund, complete (capture) and autoPay (a saved card).

use super::*;

const CURRENCIES: &[&str] = &["AZN", "USD", "EUR", "PKR", "AED", "SAR"];
const LANGUAGES: &[&str] = &["AZ", "EN", "RU", "AR"];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateIn {
    amount: Option<Box<RawValue>>,
    currency: Option<String>,
    language: Option<String>,
    operation: Option<String>,
    description: Option<String>,
    callback_url: Option<String>,
    redirect_url: Option<String>,
    card_save: Option<bool>,
    metadata: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderAmountIn {
    order_id: Option<String>,
    amount: Option<Box<RawValue>>,
    callback_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AutoPayIn {
    card_uuid: Option<String>,
    amount: Option<Box<RawValue>>,
    operation: Option<String>,
    currency: Option<String>,
    description: Option<String>,
    callback_url: Option<String>,
}

fn operation(op: Option<&str>) -> Result<bool, Reply> {
    match op.unwrap_or("PURCHASE") {
        "PURCHASE" => Ok(false),
        "PRE_AUTH" => Ok(true),
        _ => Err(Reply::invalid("operation must be PURCHASE or PRE_AUTH")),
    }
}

fn currency(c: Option<&str>) -> Result<String, Reply> {
    let c = c.unwrap_or("AZN");
    if CURRENCIES.contains(&c) {
        Ok(c.to_owned())
    } else {
        Err(Reply::invalid("unsupported currency"))
    }
}

fn check_rrn(rrn: &Option<String>) -> Result<(), Reply> {
    match rrn {
        Some(r) if r.is_empty() || r.len() > 100 => {
            Err(Reply::invalid("X-REQUEST-RRN is malformed"))
        }
        _ => Ok(()),
    }
}

impl Sandbox {
    pub(super) fn payriff_full(&self) -> Result<(), Reply> {
        if self.payriff.orders.len() >= self.config.max_orders {
            return Err(Reply::error(200, "15000", "the sandbox is full"));
        }
        Ok(())
    }

    /// A new order in `CREATED`, registered under its RRN.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn payriff_new_order(
        &mut self,
        amount: u64,
        currency: String,
        language: String,
        preauth: bool,
        description: Option<String>,
        callback_url: Option<String>,
        redirect_url: Option<String>,
        rrn: Option<String>,
    ) -> String {
        let id = self.payriff_id("ORD");
        let session = self.payriff_uuid();
        let created = self.now().iso_space().replacen(' ', "T", 1);
        if let Some(r) = rrn {
            self.payriff.by_rrn.insert(r, id.clone());
        }
        self.payriff.orders.insert(
            id.clone(),
            Order {
                id: id.clone(),
                amount,
                currency,
                language,
                preauth,
                description,
                callback_url,
                redirect_url,
                card_save: false,
                metadata: None,
                status: "CREATED",
                auto: false,
                created,
                held: 0,
                paid: 0,
                refunded: 0,
                trans: Vec::new(),
                card_save_id: None,
                session,
            },
        );
        id
    }

    pub(super) fn payriff_create(
        &mut self,
        body: &[u8],
        rrn: Option<String>,
    ) -> Result<Reply, Reply> {
        let input: CreateIn = json(body)?;
        let amount = amount(&input.amount)?.ok_or_else(|| Reply::invalid("amount is required"))?;
        let currency = currency(input.currency.as_deref())?;
        let language = input.language.unwrap_or_else(|| "AZ".into());
        if !LANGUAGES.contains(&language.as_str()) {
            return Err(Reply::invalid("language must be AZ, EN, RU or AR"));
        }
        let preauth = operation(input.operation.as_deref())?;
        for u in [&input.callback_url, &input.redirect_url]
            .into_iter()
            .flatten()
        {
            if !url_ok(u) {
                return Err(Reply::invalid("callbackUrl and redirectUrl must be URLs"));
            }
        }
        check_rrn(&rrn)?;
        if let Some(r) = &rrn {
            if self.payriff.by_rrn.contains_key(r) {
                return Err(Reply::invalid("X-REQUEST-RRN was already used"));
            }
        }
        self.payriff_full()?;
        let metadata = input
            .metadata
            .filter(|m| !m.is_empty())
            .and_then(|m| serde_json::to_string(&m).ok());
        let id = self.payriff_new_order(
            amount,
            currency,
            language,
            preauth,
            input.description,
            input.callback_url,
            input.redirect_url,
            rrn,
        );
        let session = {
            let order = self.payriff.orders.get_mut(&id).expect("just inserted");
            order.card_save = input.card_save.unwrap_or(false);
            order.metadata = metadata;
            order.session.clone()
        };
        let url = format!("{}/payriff/pay/{id}", self.config.base_url);
        let next = self.payriff.next;
        Ok(Reply::ok(
            JsonObj::new()
                .str("orderId", &id)
                .str("sessionId", &session)
                .str("paymentUrl", &url)
                .num("transactionId", next)
                .raw("comissionRate", "0")
                .raw("amount", &util::major_short(amount))
                .raw("fee", "0")
                .raw("totalAmount", &util::major_short(amount))
                .finish(),
        ))
    }

    pub(super) fn payriff_expire(&mut self, order_id: &str) -> Result<Reply, Reply> {
        let order = self
            .payriff
            .orders
            .get_mut(order_id)
            .ok_or_else(|| Reply::not_found("Order"))?;
        if order.status != "CREATED" {
            return Err(Reply::rejected(&format!(
                "only an unpaid order can expire (status {})",
                order.status
            )));
        }
        order.status = "EXPIRED";
        Ok(Reply::ok("null".into()))
    }

    fn payriff_tran(&mut self, order_id: &str, status: &'static str, rrn: Option<String>) {
        let uuid = self.payriff_uuid();
        let created = self.now().iso_space().replacen(' ', "T", 1);
        if let Some(order) = self.payriff.orders.get_mut(order_id) {
            if order.trans.len() < MAX_TRANS {
                let card = order.trans.first().cloned();
                order.trans.push(Tran {
                    uuid,
                    status,
                    created,
                    request_rrn: rrn,
                    masked_pan: card.as_ref().and_then(|c| c.masked_pan.clone()),
                    brand: card.as_ref().and_then(|c| c.brand.clone()),
                    card_uuid: None,
                });
            }
        }
    }

    pub(super) fn payriff_refund(
        &mut self,
        body: &[u8],
        rrn: Option<String>,
    ) -> Result<Reply, Reply> {
        let input: OrderAmountIn = json(body)?;
        check_rrn(&rrn)?;
        let id = input
            .order_id
            .ok_or_else(|| Reply::invalid("orderId is required"))?;
        let asked = amount(&input.amount)?;
        let order = self
            .payriff
            .orders
            .get_mut(&id)
            .ok_or_else(|| Reply::not_found("Order"))?;
        if !matches!(order.status, "APPROVED" | "PARTIAL_REFUND") {
            return Err(Reply::rejected(&format!(
                "the order cannot be refunded (status {})",
                order.status
            )));
        }
        let left = order.paid - order.refunded;
        let amount = asked.unwrap_or(left);
        if amount > left {
            return Err(Reply::rejected("the refund is larger than what is left"));
        }
        order.refunded += amount;
        order.status = if order.refunded == order.paid {
            "REFUNDED"
        } else {
            "PARTIAL_REFUND"
        };
        if let Some(u) = input.callback_url.filter(|u| url_ok(u)) {
            order.callback_url = Some(u);
        }
        self.payriff_tran(&id, "REFUNDED", rrn);
        self.payriff_queue_callback(&id);
        Ok(Reply::ok("null".into()))
    }

    pub(super) fn payriff_complete(
        &mut self,
        body: &[u8],
        rrn: Option<String>,
    ) -> Result<Reply, Reply> {
        let input: OrderAmountIn = json(body)?;
        check_rrn(&rrn)?;
        let id = input
            .order_id
            .ok_or_else(|| Reply::invalid("orderId is required"))?;
        let asked = amount(&input.amount)?;
        let order = self
            .payriff
            .orders
            .get_mut(&id)
            .ok_or_else(|| Reply::not_found("Order"))?;
        if order.status != "PREAUTH_APPROVED" {
            return Err(Reply::rejected(&format!(
                "only a hold can be completed (status {})",
                order.status
            )));
        }
        let amount = asked.unwrap_or(order.held);
        if amount > order.held {
            return Err(Reply::rejected("the capture is larger than the hold"));
        }
        // Capturing less releases the rest.
        order.paid = amount;
        order.held = 0;
        order.status = "APPROVED";
        self.payriff_tran(&id, "APPROVED", rrn);
        self.payriff_queue_callback(&id);
        Ok(Reply::ok("null".into()))
    }

    pub(super) fn payriff_auto_pay(
        &mut self,
        body: &[u8],
        rrn: Option<String>,
    ) -> Result<Reply, Reply> {
        let input: AutoPayIn = json(body)?;
        check_rrn(&rrn)?;
        let amount = amount(&input.amount)?.ok_or_else(|| Reply::invalid("amount is required"))?;
        let currency = currency(input.currency.as_deref())?;
        let preauth = operation(input.operation.as_deref())?;
        let description = input
            .description
            .filter(|d| !d.trim().is_empty())
            .ok_or_else(|| Reply::invalid("description is required"))?;
        let uuid = input.card_uuid.unwrap_or_default();
        let card = self
            .payriff
            .cards
            .get(&uuid)
            .cloned()
            .ok_or_else(|| Reply::not_found("Card"))?;
        if let Some(r) = &rrn {
            if self.payriff.by_rrn.contains_key(r) {
                return Err(Reply::invalid("X-REQUEST-RRN was already used"));
            }
        }
        self.payriff_full()?;
        let callback = input.callback_url.filter(|u| url_ok(u));
        let id = self.payriff_new_order(
            amount,
            currency,
            "AZ".into(),
            preauth,
            Some(description),
            callback,
            None,
            rrn.clone(),
        );
        // A magic amount declines (see `cards::PAYRIFF_DECLINE_AMOUNT`).
        let declined = amount == crate::cards::PAYRIFF_DECLINE_AMOUNT;
        let status = match (declined, preauth) {
            (true, _) => "DECLINED",
            (false, true) => "PREAUTH_APPROVED",
            (false, false) => "APPROVED",
        };
        let tran_uuid = self.payriff_uuid();
        let created = self.now().iso_space().replacen(' ', "T", 1);
        if let Some(order) = self.payriff.orders.get_mut(&id) {
            order.auto = true;
            order.status = status;
            match status {
                "APPROVED" => order.paid = amount,
                "PREAUTH_APPROVED" => order.held = amount,
                _ => {}
            }
            order.trans.push(Tran {
                uuid: tran_uuid,
                status,
                created,
                request_rrn: rrn,
                masked_pan: Some(card.masked_pan.clone()),
                brand: Some(card.brand.clone()),
                card_uuid: Some(card.uuid.clone()),
            });
        }
        self.payriff_queue_callback(&id);
        self.payriff_order_reply(&id)
    }
}
