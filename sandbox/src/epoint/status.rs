//! EPoint `/get-status`, by `transaction` or `order_id`.

use super::*;

impl Sandbox {
    pub(super) fn payment_object(&self, tx: &Tx) -> JsonObj {
        let approval = tx.result.as_ref();
        let status = match tx.status {
            TxStatus::Success => "success",
            TxStatus::New => "new",
            TxStatus::Failed => "failed",
        };
        let amounts = &self.config.epoint;
        if tx.status != TxStatus::Success {
            // A refusal or an undecided charge: the short shape other EPoint clients' tests
            // show (`status`, `code` on a refusal, `message`, `transaction`).
            return JsonObj::new()
                .str("status", status)
                .opt_str(
                    "code",
                    (tx.status == TxStatus::Failed).then_some(tx.code.as_str()),
                )
                .str("message", &tx.message)
                .str("transaction", &tx.id);
        }
        let mut obj = JsonObj::new()
            .str("status", status)
            .str("message", &tx.message)
            .str("transaction", &tx.id)
            .opt_str(
                "bank_transaction",
                approval.map(|a| a.bank_transaction.as_str()),
            )
            .opt_str("bank_response", approval.map(|a| a.bank_response.as_str()))
            .str("operation_code", tx.operation_code())
            .opt_str("rrn", approval.map(|a| a.rrn.as_str()))
            .opt_str("card_mask", approval.map(|a| a.card_mask.as_str()))
            .opt_str("card_name", approval.map(|a| a.card_name.as_str()))
            .raw("amount", &amounts.amount(tx.base()));
        if let Some(split) = tx.split_amount {
            obj = obj.raw("split_amount", &amounts.amount(split));
        }
        obj
    }

    pub(super) fn epoint_status(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        let id = match (fields.str("transaction")?, fields.str("order_id")?) {
            (Some(t), _) => t,
            (None, Some(o)) => self
                .epoint
                .order_ids
                .get(&o)
                .cloned()
                .ok_or_else(|| String::from("Transaction not found"))?,
            (None, None) => return Err(String::from("Required field missing: transaction")),
        };
        let tx = self
            .epoint
            .txs
            .get(&id)
            .ok_or_else(|| String::from("Transaction not found"))?;
        let approval = tx.result.as_ref();
        let amounts = &self.config.epoint;
        let mut obj = JsonObj::new()
            .str("status", tx.status_word())
            .opt_str("code", (!tx.code.is_empty()).then_some(tx.code.as_str()))
            .str("message", &tx.message)
            .str("transaction", &tx.id)
            .opt_str(
                "bank_transaction",
                approval.map(|a| a.bank_transaction.as_str()),
            )
            .opt_str("bank_response", approval.map(|a| a.bank_response.as_str()))
            .str("operation_code", tx.operation_code())
            .opt_str("rrn", approval.map(|a| a.rrn.as_str()))
            .opt_str("card_name", approval.map(|a| a.card_name.as_str()))
            .opt_str("card_mask", approval.map(|a| a.card_mask.as_str()))
            .raw("amount", &amounts.amount(tx.base()))
            .str_or_null("order_id", tx.order_id.as_deref())
            .raw("other_attr", tx.other_attr.as_deref().unwrap_or("null"));
        if tx.reversed > 0 {
            obj = obj.raw("reversed_amount", &amounts.amount(tx.reversed));
        }
        if let Some(split) = tx.split_amount {
            obj = obj.raw("split_amount", &amounts.amount(split));
        }
        if let Some(user) = &tx.split_user {
            obj = obj.str("split_user", user);
        }
        if let Some(card) = &tx.card_id {
            obj = obj.str("card_id", card);
        }
        Ok(obj)
    }
}
