//! EPoint saved cards: charging them (`/execute-pay`, `/split-execute-pay`), payouts
//! (`/refund-request`) and `/get-status-card`.

use super::*;

impl Sandbox {
    pub(super) fn approval(&mut self, pan: &str, holder: &str) -> Approval {
        let rrn = format!("{:012}", self.rng.next_u64() % 1_000_000_000_000);
        let bank_transaction = self.rng.string(b"0123456789ABCDEF", 16);
        Approval {
            card_mask: util::mask_pan(pan, '*'),
            card_name: holder.to_owned(),
            rrn,
            bank_transaction,
            bank_response: String::from("APPROVED"),
        }
    }

    /// Decides a saved-card charge or payout by its amount (`settings.rs`) and answers the
    /// payment object: approved, refused `failed`/`116`, left `new`, or an unknown word.
    fn decide_saved_card(
        &mut self,
        id: &str,
        amount: u64,
        card: &SavedCard,
    ) -> Result<JsonObj, String> {
        let settings = &self.config.epoint;
        let word =
            if Some(amount) == util::parse_decimal_minor(crate::cards::EPOINT_INSUFFICIENT_FUNDS) {
                Some("failed")
            } else if Some(amount) == util::parse_decimal_minor(crate::cards::EPOINT_UNDECIDED) {
                Some("new")
            } else if Some(amount) == settings.unknown_word_amount {
                None
            } else {
                Some("success")
            };
        let unknown = settings.unknown_word.clone();
        let approval = (word == Some("success")).then(|| self.approval(&card.pan, &card.holder));
        let tx = self
            .epoint
            .txs
            .get_mut(id)
            .ok_or_else(|| String::from("Transaction not found"))?;
        match word {
            Some("success") => {
                tx.status = TxStatus::Success;
                tx.code = String::from("000");
                tx.message = String::from("Approved");
                tx.result = approval;
            }
            Some("failed") => {
                tx.status = TxStatus::Failed;
                tx.code = String::from("116");
                tx.message = String::from("Declined, insufficient funds");
            }
            _ => {
                // Undecided: the payment stays `new` in get-status.
                tx.status = TxStatus::New;
                tx.message = String::from("Processing");
            }
        }
        let tx = tx.clone();
        Ok(match word {
            Some(_) => self.payment_object(&tx),
            None => JsonObj::new()
                .str("status", &unknown)
                .str("message", &tx.message)
                .str("transaction", &tx.id),
        })
    }

    pub(super) fn active_card(&self, fields: &Fields) -> Result<SavedCard, String> {
        let card_id = fields.required("card_id")?;
        let card = self
            .epoint
            .cards
            .get(&card_id)
            .ok_or_else(|| String::from("Card not found"))?;
        if card.status != CardStatus::Active {
            return Err(String::from("Card is not active"));
        }
        Ok(card.clone())
    }

    pub(super) fn epoint_saved_card_pay(
        &mut self,
        fields: &Fields,
        split: bool,
    ) -> Result<JsonObj, String> {
        check_language(fields)?;
        let card = self.active_card(fields)?;
        if card.refund {
            return Err(String::from(
                "Card is registered for payouts and cannot be charged",
            ));
        }
        let order_id = check_order_id(fields)?;
        let amount = fields.required_amount("amount")?;
        let currency = check_currency(fields)?;
        let description = check_description(fields)?;
        let split_fields = if split {
            Some(self.split_fields(fields, amount)?)
        } else {
            None
        };
        self.unique_order_id(&order_id)?;
        self.epoint_room()?;
        let kind = if split {
            Kind::SplitSavedCardPay
        } else {
            Kind::SavedCardPay
        };
        let id = self.insert_tx(
            kind,
            Some(order_id),
            amount,
            currency,
            description,
            split_fields,
            (None, None),
            None,
            Some(card.id.clone()),
        );
        self.decide_saved_card(&id, amount, &card)
    }

    pub(super) fn epoint_payout(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        check_language(fields)?;
        let card = self.active_card(fields)?;
        if !card.refund {
            return Err(String::from(
                "Card is not registered for payouts (register it with refund: 1)",
            ));
        }
        let order_id = check_order_id(fields)?;
        let amount = fields.required_amount("amount")?;
        let currency = check_currency(fields)?;
        let description = check_description(fields)?;
        self.unique_order_id(&order_id)?;
        self.epoint_room()?;
        let id = self.insert_tx(
            Kind::Payout,
            Some(order_id),
            amount,
            currency,
            description,
            None,
            (None, None),
            None,
            Some(card.id.clone()),
        );
        self.decide_saved_card(&id, amount, &card)
    }

    pub(super) fn epoint_card_status(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        let id = fields.required("card_id")?;
        let card = self
            .epoint
            .cards
            .get(&id)
            .ok_or_else(|| String::from("Card not found"))?;
        let status = match card.status {
            CardStatus::New => "new",
            CardStatus::Active => "active",
            CardStatus::Rejected => "rejected",
        };
        let has_card = !card.pan.is_empty();
        let expired = util::expiry_mmyy(&card.expiry)
            .map(|e| format!("{}/{}", &e[..2], &e[2..]))
            .filter(|_| has_card);
        Ok(JsonObj::new()
            .str("id", &card.id)
            .str_or_null("name", has_card.then_some(card.holder.as_str()))
            .str_or_null(
                "mask",
                has_card.then(|| util::mask_pan(&card.pan, '*')).as_deref(),
            )
            .str("status", status)
            .str_or_null("expired_date", expired.as_deref())
            .str_or_null("description", card.description.as_deref())
            .num("refund", u64::from(card.refund)))
    }
}
