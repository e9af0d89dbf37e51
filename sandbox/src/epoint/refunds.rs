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
        Ok(ok().str(
            "message",
            if full {
                "Transaction reversed"
            } else {
                "Transaction partially reversed"
            },
        ))
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
