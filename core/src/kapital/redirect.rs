//! The browser's return from the hosted page: `{hppRedirectUrl}?ID=1234&STATUS=FullyPaid`.

use std::fmt;

use super::ops::GetOrder;
use super::outcome::Order;

/// The most bytes [`parse_redirect`] reads.
pub const MAX_REDIRECT_BYTES: usize = 8 * 1024;

/// Why a redirect could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RedirectError {
    /// A parameter is absent (`ID` or `STATUS`).
    #[error("the redirect has no `{0}` parameter")]
    Missing(&'static str),
    /// A parameter appears more than once, which no honest redirect does.
    #[error("the redirect has more than one `{0}` parameter")]
    Duplicate(&'static str),
    /// `ID` is not an order id (a positive decimal number).
    #[error("the redirect's `ID` is not an order id")]
    InvalidId,
    /// `STATUS` is empty or longer than 64 characters.
    #[error("the redirect's `STATUS` is empty or too long")]
    InvalidStatus,
    /// The input is longer than [`MAX_REDIRECT_BYTES`].
    #[error("the redirect is longer than {MAX_REDIRECT_BYTES} bytes")]
    TooLong,
}

/// What the customer's browser claims when it returns: an order id and a status.
///
/// The browser carries these parameters, so anyone can forge them (`?ID=…&STATUS=FullyPaid`
/// costs nothing to type), and Kapital signs nothing here. This type therefore has no "paid"
/// accessor: the claimed status is only an unverified string. The one way to a trusted status
/// is [`UnverifiedRedirect::verify`], the [`GetOrder`] query sent with the merchant's own
/// credentials; its [`Order::status`] is the answer.
///
/// ```
/// use azpay_core::{execute, kapital, HttpRequest, HttpResponse, TransportError};
///
/// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
/// let redirect = kapital::parse_redirect("https://shop.example/return?ID=5531&STATUS=FullyPaid")?;
/// assert_eq!(redirect.claimed_status(), "FullyPaid"); // a claim, nothing more
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(
///         request.uri(),
///         "https://txpgtst.kapitalbank.az/api/order/5531?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2"
///     );
///     Ok(http::Response::new(br#"{"order":{"id":5531,"status":"Declined"}}"#.to_vec()))
/// };
/// let order = execute(&redirect.verify(), &config, &transport)?;
/// assert!(!order.status.is_paid());          // the gateway's answer decides
/// assert_eq!(order.state, azpay_core::State::Declined);
/// assert!(!redirect.claim_matches(&order));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// There is deliberately nothing to ask the redirect itself whether it is paid:
///
/// ```compile_fail
/// let redirect = azpay_core::kapital::parse_redirect("ID=1&STATUS=FullyPaid").unwrap();
/// let _ = redirect.is_paid();
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct UnverifiedRedirect {
    order_id: u64,
    claimed_status: String,
}

impl UnverifiedRedirect {
    /// Builds the claim from its two parts, as a web framework hands them over.
    pub fn from_parts(id: &str, status: &str) -> Result<Self, RedirectError> {
        if id.len() > 20 || id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RedirectError::InvalidId);
        }
        let order_id: u64 = id.parse().map_err(|_| RedirectError::InvalidId)?;
        if order_id == 0 {
            return Err(RedirectError::InvalidId);
        }
        if status.is_empty() || status.chars().count() > 64 {
            return Err(RedirectError::InvalidStatus);
        }
        Ok(UnverifiedRedirect {
            order_id,
            claimed_status: status.to_owned(),
        })
    }

    /// The order id the browser names. Querying it is how the claim gets checked.
    pub fn order_id(&self) -> u64 {
        self.order_id
    }

    /// The status the browser claims. Unverified: show it at most, never act on it.
    pub fn claimed_status(&self) -> &str {
        &self.claimed_status
    }

    /// The query whose answer is the trusted status: the "Transaction details" request of
    /// seed 002's flow, `GET /api/order/{ID}?tranDetailLevel=2&tokenDetailLevel=2&orderDetailLevel=2`
    /// ([`GetOrder::detailed`]), so the verified [`Order`] carries its transactions
    /// (`trans[]`), cards and amounts besides its `status` and `state`.
    pub fn verify(&self) -> GetOrder {
        GetOrder::new(self.order_id).detailed()
    }

    /// Whether the verified order (from [`UnverifiedRedirect::verify`]) is the one named and
    /// has the status the browser claimed (compared without regard to case).
    pub fn claim_matches(&self, verified: &Order) -> bool {
        verified.id == self.order_id
            && crate::state::word_is(&self.claimed_status, verified.status.as_str())
    }
}

impl fmt::Debug for UnverifiedRedirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnverifiedRedirect")
            .field("order_id", &self.order_id)
            .field("claimed_status", &self.claimed_status)
            .finish()
    }
}

/// Reads the redirect from a full URL (`https://shop/return?ID=…&STATUS=…`), a query string
/// with or without the leading `?`, as the browser delivered it. Parameter names are matched
/// case-insensitively; a fragment is ignored. Hostile input yields an error, never a panic.
pub fn parse_redirect(query_or_url: &str) -> Result<UnverifiedRedirect, RedirectError> {
    if query_or_url.len() > MAX_REDIRECT_BYTES {
        return Err(RedirectError::TooLong);
    }
    let without_fragment = query_or_url
        .split_once('#')
        .map_or(query_or_url, |(before, _)| before);
    let query = match without_fragment.split_once('?') {
        Some((_, q)) => q,
        None => without_fragment,
    };
    let mut id: Option<String> = None;
    let mut status: Option<String> = None;
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let (slot, name) = if key.eq_ignore_ascii_case("id") {
            (&mut id, "ID")
        } else if key.eq_ignore_ascii_case("status") {
            (&mut status, "STATUS")
        } else {
            continue;
        };
        if slot.is_some() {
            return Err(RedirectError::Duplicate(name));
        }
        *slot = Some(value.into_owned());
    }
    let id = id.ok_or(RedirectError::Missing("ID"))?;
    let status = status.ok_or(RedirectError::Missing("STATUS"))?;
    UnverifiedRedirect::from_parts(&id, &status)
}
