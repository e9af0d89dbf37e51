//! Saved cards: a card-save request is a small verification order (0.10 AZN) paid on the
//! hosted page; once paid it is `VERIFIED`, its `cardUuid` is charged with `autoPay`, and the
//! verification amount is reversed.

use super::*;

/// The verification amount of a card save, in qəpik.
pub(super) const VERIFY_AMOUNT: u64 = 10;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SaveIn {
    customer_ref: Option<String>,
    callback_url: Option<String>,
    description: Option<String>,
    language: Option<String>,
}

impl Sandbox {
    fn payriff_save_json(&self, save: &CardSave) -> String {
        let card = save
            .card_uuid
            .as_ref()
            .and_then(|u| self.payriff.cards.get(u));
        JsonObj::new()
            .str("cardSaveId", &save.id)
            .str("orderId", &save.order_id)
            .str(
                "paymentUrl",
                &format!("{}/payriff/pay/{}", self.config.base_url, save.order_id),
            )
            .raw("amount", &util::major_short(VERIFY_AMOUNT))
            .str("currency", "AZN")
            .str("status", save.status)
            .opt_str("cardUuid", save.card_uuid.as_deref())
            .opt_str("maskedPan", card.map(|c| c.masked_pan.as_str()))
            .opt_str("cardBrand", card.map(|c| c.brand.as_str()))
            .str("customerRef", &save.customer_ref)
            .finish()
    }

    pub(super) fn payriff_card_save(&mut self, body: &[u8]) -> Result<Reply, Reply> {
        let input: SaveIn = json(body)?;
        let customer = input
            .customer_ref
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| Reply::invalid("customerRef is required"))?;
        let callback = input
            .callback_url
            .filter(|u| url_ok(u))
            .ok_or_else(|| Reply::invalid("callbackUrl is required"))?;
        self.payriff_full()?;
        let order_id = self.payriff_new_order(
            VERIFY_AMOUNT,
            "AZN".into(),
            input.language.unwrap_or_else(|| "AZ".into()),
            false,
            input
                .description
                .or_else(|| Some("Card verification".into())),
            Some(callback),
            None,
            None,
        );
        let id = self.payriff_uuid();
        if let Some(o) = self.payriff.orders.get_mut(&order_id) {
            o.card_save = true;
            o.card_save_id = Some(id.clone());
        }
        let save = CardSave {
            id: id.clone(),
            order_id,
            customer_ref: customer,
            status: "CREATED",
            card_uuid: None,
        };
        let json = self.payriff_save_json(&save);
        self.payriff.saves.insert(id, save);
        Ok(Reply::ok(json))
    }

    pub(super) fn payriff_card_save_get(&self, id: &str) -> Result<Reply, Reply> {
        let save = self
            .payriff
            .saves
            .get(id)
            .ok_or_else(|| Reply::not_found("Card save"))?;
        Ok(Reply::ok(self.payriff_save_json(save)))
    }

    pub(super) fn payriff_cards_list(&self, customer: &str) -> Reply {
        let cards = json_array(
            self.payriff
                .cards
                .values()
                .filter(|c| c.customer_ref.as_deref() == Some(customer))
                .map(|c| {
                    JsonObj::new()
                        .str("cardUuid", &c.uuid)
                        .str("maskedPan", &c.masked_pan)
                        .str("cardBrand", &c.brand)
                        .str("createdDate", &c.created)
                        .finish()
                }),
        );
        Reply::ok(cards)
    }

    pub(super) fn payriff_card_delete(&mut self, uuid: &str) -> Result<Reply, Reply> {
        self.payriff
            .cards
            .remove(uuid)
            .ok_or_else(|| Reply::not_found("Card"))?;
        Ok(Reply::ok("true".into()))
    }
}
