//! Kapital behaviours of the sandbox that tests switch on: how the real platform can answer
//! besides the happy path (issue 17).

/// Kapital answers the sandbox can give on request ([`crate::SandboxConfig::with_kapital`]).
/// All are off by default.
///
/// ```
/// use azpay_sandbox::{KapitalSettings, SandboxConfig};
/// let config = SandboxConfig::default().with_kapital(
///     KapitalSettings::default().errors_with_http_200(true).omit_pmo_result_code(true),
/// );
/// assert!(config.kapital.errors_with_http_200);
/// ```
///
/// Amounts that trigger other answers on any configuration are in [`crate::cards`]
/// (`KAPITAL_AMOUNT_*`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct KapitalSettings {
    /// Send every error body (`{"errorCode":…}`, `PmoDecline` included) with HTTP 200 instead
    /// of its 4xx status: the platform's clients must read `errorCode` whatever the status
    /// (integrify treats a 200 as success and fails on such a body).
    pub errors_with_http_200: bool,
    /// Leave `pmoResultCode` out of `exec-tran` answers and of the detailed order's
    /// `trans[]`, as another processor of the same platform answers.
    pub omit_pmo_result_code: bool,
}

impl KapitalSettings {
    /// Sets [`KapitalSettings::errors_with_http_200`].
    pub fn errors_with_http_200(mut self, on: bool) -> Self {
        self.errors_with_http_200 = on;
        self
    }

    /// Sets [`KapitalSettings::omit_pmo_result_code`].
    pub fn omit_pmo_result_code(mut self, on: bool) -> Self {
        self.omit_pmo_result_code = on;
        self
    }
}
