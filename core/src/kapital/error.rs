//! Kapital's error body: `{"errorCode":…,"errorDescription":…,"errorDetails":{…}}`,
//! not wrapped in an envelope, sent with any HTTP status.

use std::fmt;

use super::codes::{ErrorCode, PmoResultCode};

/// Kapital's own error body, with the HTTP status it came with.
///
/// A declined transaction (`PmoDecline`) is one of these; [`ApiError::decline`] gives the part
/// a caller shows to the customer.
///
/// ```
/// use azpay_core::{execute, kapital, HttpRequest, HttpResponse, TransportError};
///
/// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
/// let transport = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
///     Ok(http::Response::builder().status(404)
///         .body(br#"{"errorCode":"ServiceError","errorDescription":"no order found"}"#.to_vec())
///         .unwrap())
/// };
/// let err = execute(&kapital::GetOrder::new(1), &config, &transport).unwrap_err();
/// let api = err.api().unwrap();
/// assert_eq!(api.code, kapital::ErrorCode::ServiceError);
/// assert_eq!(api.http_status, 404);
/// assert!(!api.is_decline());
/// assert_eq!(
///     err.to_string(),
///     "gateway error: Kapital get_order refused: ServiceError: no order found [HTTP 404]"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation that was refused ([`crate::Operation::NAME`], e.g. `"get_order"`).
    pub operation: &'static str,
    /// `errorCode`.
    pub code: ErrorCode,
    /// `errorDescription`.
    pub description: Option<String>,
    /// The HTTP status the body came with.
    pub http_status: u16,
    /// `errorDetails` (all fields empty when the body had none); boxed to keep errors small.
    pub details: Box<ErrorDetails>,
}

/// `errorDetails` of an error body (sent with `PmoDecline`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ErrorDetails {
    /// `errorDetails.pmoResultCode`.
    pub pmo_result_code: Option<PmoResultCode>,
    /// `errorDetails.declineReason`, e.g. `SrcCardInvalid`.
    pub decline_reason: Option<String>,
    /// `errorDetails.match.ridByPmo`: the processing centre's reference.
    pub rid_by_pmo: Option<String>,
    /// `errorDetails.pmoDeclineDesc`.
    pub pmo_decline_desc: Option<String>,
}

/// A declined transaction, ready to show: the PMO code and the best description available.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Decline {
    /// `pmoResultCode`, when the gateway gave one.
    pub pmo_result_code: Option<PmoResultCode>,
    /// The gateway's decline text (`pmoDeclineDesc`, else `errorDescription`), else the
    /// standard description of the PMO code.
    pub description: Option<String>,
    /// `declineReason`, e.g. `SrcCardInvalid`.
    pub decline_reason: Option<String>,
    /// `match.ridByPmo`.
    pub rid_by_pmo: Option<String>,
}

impl ApiError {
    /// Whether this is a declined transaction (`PmoDecline`).
    pub fn is_decline(&self) -> bool {
        self.code == ErrorCode::PmoDecline
    }

    /// The decline, when this is one.
    pub fn decline(&self) -> Option<Decline> {
        if !self.is_decline() {
            return None;
        }
        let d = &self.details;
        let description = d
            .pmo_decline_desc
            .clone()
            .or_else(|| self.description.clone())
            .or_else(|| {
                d.pmo_result_code
                    .as_ref()
                    .and_then(PmoResultCode::description)
                    .map(str::to_owned)
            });
        Some(Decline {
            pmo_result_code: d.pmo_result_code.clone(),
            description,
            decline_reason: d.decline_reason.clone(),
            rid_by_pmo: d.rid_by_pmo.clone(),
        })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kapital {} refused: {}", self.operation, self.code)?;
        if let Some(d) = &self.description {
            write!(f, ": {d}")?;
        }
        if let Some(c) = &self.details.pmo_result_code {
            write!(f, " (pmoResultCode {c})")?;
        }
        write!(f, " [HTTP {}]", self.http_status)
    }
}

impl std::error::Error for ApiError {}

impl fmt::Display for Decline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("declined")?;
        if let Some(c) = &self.pmo_result_code {
            write!(f, " (pmoResultCode {c})")?;
        }
        if let Some(d) = &self.description {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}
