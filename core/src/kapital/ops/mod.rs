//! Kapital's operations, one struct each: [`CreateOrder`], [`GetOrder`], [`ExecTran`],
//! [`SetSrcToken`], [`SetDstToken`].
//!
//! | file | operations |
//! |---|---|
//! | `orders.rs` | [`CreateOrder`], [`GetOrder`] |
//! | `exec_tran.rs` | [`ExecTran`] ([`Tran`], [`OrderState`]) |
//! | `tokens.rs` | [`SetSrcToken`], [`SetDstToken`] |
//!
//! This file keeps the checks they share.

mod exec_tran;
mod orders;
mod tokens;

pub use exec_tran::{ExecTran, OrderState, Tran};
pub use orders::{CreateOrder, GetOrder, INSTALLMENT_MONTHS};
pub(crate) use tokens::Pan;
pub use tokens::{SetDstToken, SetSrcToken};

use crate::kapital::error::ApiError;
use crate::{BuildError, ResponseError};

type RErr = ResponseError<ApiError>;

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn check_order_id(id: u64) -> Result<(), BuildError> {
    if id == 0 {
        return Err(BuildError::invalid(
            "id",
            "an order id is a positive number",
        ));
    }
    Ok(())
}

/// The order's password (returned by create-order): required, not only whitespace, no
/// control characters or Unicode direction controls, at most 255 characters (Kapital
/// documents no length).
fn check_password(password: &str) -> Result<(), BuildError> {
    if password.is_empty() {
        return Err(BuildError::invalid(
            "password",
            "the order password returned by create-order is required",
        ));
    }
    crate::input::check_id("password", password, crate::input::DEFAULT_ID_MAX)
}
