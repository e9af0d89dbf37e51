//! The TWEC simulator's settings: [`TwecSettings`], one field of
//! [`SandboxConfig`](crate::SandboxConfig) (`with_twec`).

/// How the TWEC simulator answers where banks differ. Every setting is off by default, which
/// is Kapital's behaviour as its document and clients show it.
///
/// ```
/// use azpay_sandbox::{SandboxConfig, TwecSettings};
/// let config = SandboxConfig::default()
///     .with_twec(TwecSettings::default().xmlout_base64(true).xmlout_signed(true));
/// assert!(config.twec.xmlout_signed);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TwecSettings {
    /// Send the XMLOut `xmlmsg` base64-encoded, as UBRR does (PROTOCOLS.md §3.5); Kapital
    /// sends it as plain XML.
    pub xmlout_base64: bool,
    /// Add an XML-DSig `<Signature>` to XMLOut, in the layout of the Trade and Development
    /// Bank sample (PROTOCOLS.md §3.5, TDB). The signature value is not a real RSA signature
    /// (the sandbox has no bank key): a client must treat the message as unverified anyway
    /// and confirm with `GetOrderStatus`.
    pub xmlout_signed: bool,
    /// Every approved order has no TwoId (`twoId` empty in GetOrderInformation, no `TwoId` in
    /// XMLOut), as for the amount [`crate::cards::TWEC_AMOUNT_NO_TWO_ID`].
    pub no_two_id: bool,
}

impl TwecSettings {
    /// Sets [`TwecSettings::xmlout_base64`].
    pub fn xmlout_base64(mut self, on: bool) -> Self {
        self.xmlout_base64 = on;
        self
    }
    /// Sets [`TwecSettings::xmlout_signed`].
    pub fn xmlout_signed(mut self, on: bool) -> Self {
        self.xmlout_signed = on;
        self
    }
    /// Sets [`TwecSettings::no_two_id`].
    pub fn no_two_id(mut self, on: bool) -> Self {
        self.no_two_id = on;
        self
    }
}
