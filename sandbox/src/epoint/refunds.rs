//! EPoint `/reverse` (full or partial) and `/pre-auth-complete`.

use super::*;

impl Sandbox {
    pub(super) fn epoint_reverse(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        check_language(fields)?;
        let id = fields.required("transaction")?;
        let currency = check_currency(fields)?;
        let amount = fields.amount("amount")?;
        let tx = self
            .epoint
            .txs
            .get_mut(&id)
            .ok_or_else(|| String::from("Transaction not found"))?;
        if tx.kind == Kind::Payout {
            return Err(String::from("A payout cannot be reversed"));
        }
        if tx.status != TxStatus::Success {
            return Err(String::from("Transaction is not paid"));
        }
        if tx.currency != currency {
            return Err(String::from("Currency does not match the transaction"));
        }
        let remaining = tx.remaining();
        if remaining == 0 {
            return Err(String::from("Transaction is already fully reversed"));
        }
        let amount = amount.unwrap_or(remaining);
        if amount > remaining {
            return Err(String::from("Amount exceeds the amount left to reverse"));
        }
        if tx.reversals >= MAX_REVERSALS {
            return Err(String::from("Too many partial reversals"));
        }
        tx.reversed += amount;
        tx.reversals += 1;
        let full = tx.remaining() == 0;
        if full {
            let tx = tx.clone();
            self.queue_returned_callback(&tx);
        }
        Ok(ok().str(
            "message",
            if full {
                "Transaction reversed"
            } else {
                "Transaction partially reversed"
            },
        ))
    }

    /// A full refund's signed callback: the payment's fields with `status` `returned` (the
    /// word `get-status` answers for a refunded payment).
    fn queue_returned_callback(&mut self, tx: &Tx) {
        let amounts = &self.config.epoint;
        let a = tx.result.as_ref();
        let mut obj = JsonObj::new()
            .str_or_null("order_id", tx.order_id.as_deref())
            .str("status", "returned")
            .str("code", &tx.code)
            .str("message", "Transaction reversed")
            .str("transaction", &tx.id)
            .opt_str("bank_transaction", a.map(|a| a.bank_transaction.as_str()))
            .opt_str("bank_response", a.map(|a| a.bank_response.as_str()))
            .str("operation_code", tx.operation_code())
            .opt_str("rrn", a.map(|a| a.rrn.as_str()))
            .opt_str("card_name", a.map(|a| a.card_name.as_str()))
            .opt_str("card_mask", a.map(|a| a.card_mask.as_str()))
            .raw("amount", &amounts.amount(tx.base()))
            .raw("other_attr", tx.other_attr.as_deref().unwrap_or("null"));
        if let Some(card_id) = &tx.card_id {
            obj = obj.str("card_id", card_id);
        }
        self.queue_callback(obj);
    }

    pub(super) fn epoint_preauth_complete(&mut self, fields: &Fields) -> Result<JsonObj, String> {
        let id = fields.required("transaction")?;
        let amount = fields.required_amount("amount")?;
        let tx = self
            .epoint
            .txs
            .get_mut(&id)
            .ok_or_else(|| String::from("Transaction not found"))?;
        if tx.kind != Kind::PreAuth {
            return Err(String::from("Transaction is not a pre-authorization"));
        }
        if tx.status != TxStatus::Success || tx.captured.is_some() || tx.reversed > 0 {
            return Err(String::from(
                "Pre-authorization is not waiting for completion",
            ));
        }
        if amount > tx.amount {
            return Err(String::from("Amount exceeds the pre-authorized amount"));
        }
        tx.captured = Some(amount);
        tx.message = String::from("Approved");
        Ok(ok()
            .str("message", "Pre-authorization completed")
            .str("transaction", &id))
    }
}
