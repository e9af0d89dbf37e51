//! EPoint endpoints that open a hosted-page transaction: `/request`, `/checkout`,
//! `/pre-auth-request`, `/split-request`, the card registrations and `/token/widget`.

use super::*;

impl Sandbox {
    pub(super) fn epoint_create(
        &mut self,
        kind: Kind,
        fields: &Fields,
    ) -> Result<(JsonObj, String), String> {
        let amount = fields.required_amount("amount")?;
        let currency = check_currency(fields)?;
        check_language(fields)?;
        let order_id = check_order_id(fields)?;
        let description = check_description(fields)?;
        fields.flag("is_installment")?;
        let split = if kind.split() {
            Some(self.split_fields(fields, amount)?)
        } else {
            None
        };
        let urls = (
            fields.str("success_redirect_url")?,
            fields.str("error_redirect_url")?,
        );
        let other_attr = fields.raw("other_attr").map(str::to_owned);
        if other_attr
            .as_ref()
            .is_some_and(|o| o.len() > MAX_OTHER_ATTR)
        {
            return Err(String::from("other_attr is too long"));
        }
        self.unique_order_id(&order_id)?;
        self.epoint_room()?;
        let card_id = if kind.saves_card() {
            let id = self.new_card_id();
            self.epoint.cards.insert(
                id.clone(),
                SavedCard {
                    id: id.clone(),
                    refund: false,
                    status: CardStatus::New,
                    standalone: false,
                    pan: String::new(),
                    holder: String::new(),
                    expiry: String::new(),
                    description: description.clone(),
                    success_url: None,
                    error_url: None,
                },
            );
            Some(id)
        } else {
            None
        };
        let id = self.insert_tx(
            kind,
            Some(order_id),
            amount,
            currency,
            description,
            split,
            urls,
            other_attr,
            card_id.clone(),
        );
        let obj = ok()
            .str("transaction", &id)
            .str("redirect_url", &self.epoint_page_url(&id))
            .opt_str("card_id", card_id.as_deref());
        Ok((obj, id))
    }

    pub(super) fn epoint_widget(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        let amount = fields.required_amount("amount")?;
        let order_id = check_order_id(fields)?;
        let description = fields.required("description")?;
        self.unique_order_id(&order_id)?;
        self.epoint_room()?;
        let id = self.insert_tx(
            Kind::Payment,
            Some(order_id),
            amount,
            String::from("AZN"),
            Some(description),
            None,
            (None, None),
            None,
            None,
        );
        Ok(ok().str("widget_url", &self.epoint_page_url(&id)))
    }

    pub(super) fn epoint_card_registration(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        check_language(fields)?;
        let refund = fields.flag("refund")?;
        let description = check_description(fields)?;
        let success_url = fields.str("success_redirect_url")?;
        let error_url = fields.str("error_redirect_url")?;
        self.epoint_room()?;
        let id = self.new_card_id();
        self.epoint.cards.insert(
            id.clone(),
            SavedCard {
                id: id.clone(),
                refund,
                status: CardStatus::New,
                standalone: true,
                pan: String::new(),
                holder: String::new(),
                expiry: String::new(),
                description,
                success_url,
                error_url,
            },
        );
        Ok(ok()
            .str("redirect_url", &self.epoint_page_url(&id))
            .str("card_id", &id))
    }
}
