//! Payriff's operations, one struct each.
//!
//! | file | operations |
//! |---|---|
//! | `orders.rs` | [`CreateOrder`], [`GetOrder`], [`GetOrderStatus`], [`GetOrderByRrn`], [`ExpireOrder`] |
//! | `actions.rs` | [`Refund`], [`Capture`], [`AutoPay`] |
//! | `cards.rs` | [`SaveCard`], [`GetCardSave`], [`ListSavedCards`], [`DeleteCard`] |
//! | `transactions.rs` | [`ListTransactions`] |

mod actions;
mod cards;
mod orders;
mod transactions;

pub use actions::{AutoPay, Capture, Refund};
pub use cards::{DeleteCard, GetCardSave, ListSavedCards, SaveCard};
pub use orders::{CreateOrder, ExpireOrder, GetOrder, GetOrderByRrn, GetOrderStatus};
pub use transactions::ListTransactions;

use std::collections::BTreeMap;

use crate::payriff::wire::check_text;
use crate::BuildError;

/// Checks a metadata map: keys not empty, keys and values plain text.
fn check_metadata(metadata: &BTreeMap<String, String>) -> Result<(), BuildError> {
    for (k, v) in metadata {
        if k.trim().is_empty() {
            return Err(BuildError::invalid("metadata", "a key must not be empty"));
        }
        check_text("metadata", k)?;
        check_text("metadata", v)?;
    }
    Ok(())
}
