//! [`ListTransactions`]: `GET /api/v3/transactions`.

use crate::payriff::config::{Config, Payriff};
use crate::payriff::outcome::{self, TransactionsPage};
use crate::payriff::wire::{self, RErr};
use crate::{BuildError, HttpRequest, HttpResponse, Operation};

/// `GET /api/v3/transactions?…&from=dd.MM.yyyy&to=…&page=&offset=`: one page of the
/// application's transactions (at most 20 a page; `offset` is Payriff's name for the page
/// size). Idempotent.
///
/// ```
/// use azpay_core::{payriff, Operation};
/// let config = payriff::Config::new("app-key");
/// let op = payriff::ListTransactions::new().from("01.09.2026").to("30.09.2026").page(1).size(20);
/// let request = op.build_request(&config)?;
/// assert_eq!(request.uri(), "https://api.payriff.com/api/v3/transactions?from=01.09.2026&to=30.09.2026&page=1&offset=20");
/// assert!(payriff::ListTransactions::new().size(21).build_request(&config).is_err());
/// # Ok::<(), azpay_core::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListTransactions {
    order_id: Option<String>,
    rrn: Option<String>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: u32,
    size: Option<u32>,
}

fn check_date(field: &'static str, d: &str) -> Result<(), BuildError> {
    let b = d.as_bytes();
    let ok = b.len() == 10
        && b[2] == b'.'
        && b[5] == b'.'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit());
    if !ok {
        return Err(BuildError::invalid(field, "a date is written dd.MM.yyyy"));
    }
    Ok(())
}

impl ListTransactions {
    /// The first page, 10 a page.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only the transactions of this order.
    pub fn order_id(mut self, order_id: impl Into<String>) -> Self {
        self.order_id = Some(order_id.into());
        self
    }
    /// Only the transaction with this RRN.
    pub fn rrn(mut self, rrn: impl Into<String>) -> Self {
        self.rrn = Some(rrn.into());
        self
    }
    /// Only transactions with this `paymentStatus` word.
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }
    /// From this day, `dd.MM.yyyy`.
    pub fn from(mut self, day: impl Into<String>) -> Self {
        self.from = Some(day.into());
        self
    }
    /// To this day, `dd.MM.yyyy`.
    pub fn to(mut self, day: impl Into<String>) -> Self {
        self.to = Some(day.into());
        self
    }
    /// The page, from 0.
    pub fn page(mut self, page: u32) -> Self {
        self.page = page;
        self
    }
    /// Transactions per page, 1 to 20 (default 10).
    pub fn size(mut self, size: u32) -> Self {
        self.size = Some(size);
        self
    }
}

impl Operation for ListTransactions {
    type Gateway = Payriff;
    type Output = TransactionsPage;
    const NAME: &'static str = "list_transactions";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let size = self.size.unwrap_or(10);
        if !(1..=20).contains(&size) {
            return Err(BuildError::invalid("size", "must be 1 to 20"));
        }
        let mut query = Vec::new();
        for (name, value) in [
            ("orderId", &self.order_id),
            ("rrn", &self.rrn),
            ("status", &self.status),
        ] {
            if let Some(v) = value {
                query.push(format!("{name}={}", wire::id_segment(name, v)?));
            }
        }
        for (name, value) in [("from", &self.from), ("to", &self.to)] {
            if let Some(v) = value {
                check_date(name, v)?;
                query.push(format!("{name}={v}"));
            }
        }
        query.push(format!("page={}", self.page));
        query.push(format!("offset={size}"));
        wire::request(
            config,
            http::Method::GET,
            &format!("transactions?{}", query.join("&")),
            None,
            None,
        )
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<TransactionsPage, RErr> {
        let reply = wire::parse(Self::NAME, response, false)?;
        Ok(outcome::transactions(reply))
    }
}
