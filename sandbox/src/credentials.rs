//! The sandbox's fixed test credentials (the defaults of [`SandboxConfig`](crate::SandboxConfig)).

/// EPoint merchant id (`public_key`).
pub const EPOINT_PUBLIC_KEY: &str = "i000000001";
/// EPoint merchant secret (`private_key`) the sandbox signs and verifies with.
pub const EPOINT_PRIVATE_KEY: &str = "sandbox0private0key0for0azpay0i000000001";
/// Kapital Basic-auth user (Kapital's public test login).
pub const KAPITAL_USERNAME: &str = "TerminalSys/kapital";
/// Kapital Basic-auth password (Kapital's public test password).
pub const KAPITAL_PASSWORD: &str = "kapital123";
/// Payriff application secret key (sent raw in `Authorization`).
pub const PAYRIFF_SECRET_KEY: &str = "sandbox-payriff-secret-key";
/// TWEC merchant id (Kapital's test MID).
pub const TWEC_MERCHANT_ID: &str = "E1000010";

/// Azericard's test `TERMINAL` (the one in the official document's status example). Its TEST-ONLY
/// keys are [`crate::TEST_MERCHANT_PRIVATE_KEY_PEM`] and [`crate::TEST_GATEWAY_PUBLIC_KEY_PEM`].
pub const AZERICARD_TERMINAL: &str = "17202191";
