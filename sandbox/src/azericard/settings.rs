//! The Azericard simulator's settings: the terminal and the two TEST-ONLY key pairs.

/// The sandbox merchant's signing key (PKCS#8 PEM). **Test only**: published in this
/// repository, worthless for a real terminal.
pub const TEST_MERCHANT_PRIVATE_KEY_PEM: &str = include_str!("test_keys/merchant_private.pem");
/// The sandbox merchant's public key (PKCS#1 PEM), with which the simulator checks `P_SIGN`.
pub const TEST_MERCHANT_PUBLIC_KEY_PEM: &str = include_str!("test_keys/merchant_public_pkcs1.pem");
/// The simulated gateway's signing key (PKCS#8 PEM) for `BACKREF` callbacks. **Test only**.
pub const TEST_GATEWAY_PRIVATE_KEY_PEM: &str = include_str!("test_keys/gateway_private.pem");
/// The simulated gateway's public key (SubjectPublicKeyInfo PEM), for
/// `AZERICARD_GATEWAY_PUBLIC_KEY_PATH`.
pub const TEST_GATEWAY_PUBLIC_KEY_PEM: &str = include_str!("test_keys/gateway_public.pem");

/// How the simulated Azericard gateway is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AzericardSettings {
    /// `TERMINAL` (8 characters).
    pub terminal: String,
    /// The merchant's public key (PKCS#1 `RSA PUBLIC KEY` PEM) that `P_SIGN` is checked with.
    pub merchant_public_key_pem: String,
    /// The gateway's private key (PKCS#8 PEM) that signs callbacks.
    pub gateway_private_key_pem: String,
    /// The most clock skew accepted on `TIMESTAMP`, in seconds (the gateway's: one hour).
    pub max_skew_secs: u64,
}

impl Default for AzericardSettings {
    fn default() -> Self {
        AzericardSettings {
            terminal: crate::credentials::AZERICARD_TERMINAL.into(),
            merchant_public_key_pem: TEST_MERCHANT_PUBLIC_KEY_PEM.into(),
            gateway_private_key_pem: TEST_GATEWAY_PRIVATE_KEY_PEM.into(),
            max_skew_secs: 3600,
        }
    }
}
