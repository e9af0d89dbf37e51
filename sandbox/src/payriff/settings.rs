//! The sandbox's Payriff settings ([`PayriffSettings`], one field of `SandboxConfig`).

/// How the simulated Payriff is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PayriffSettings {
    /// The application secret key accepted in `Authorization` (raw, no scheme).
    pub secret_key: String,
}

impl Default for PayriffSettings {
    fn default() -> Self {
        PayriffSettings {
            secret_key: crate::credentials::PAYRIFF_SECRET_KEY.into(),
        }
    }
}
