//! The sandbox's configuration: [`SandboxConfig`], defaulting to the test [`credentials`].

use crate::credentials;
#[allow(unused_imports)] // for rustdoc links
use crate::Sandbox;

/// How the sandbox is set up: test credentials and the public base URL it writes into the URLs
/// it returns (hosted pages). Every field has a default (see [`credentials`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SandboxConfig {
    /// Public base URL of the sandbox without a trailing slash, e.g. `http://127.0.0.1:8080`.
    /// Hosted-page URLs (`redirect_url`, `hppUrl`, TWEC `URL`) start with it.
    pub base_url: String,
    /// EPoint `public_key` accepted.
    pub epoint_public_key: String,
    /// EPoint `private_key` used to verify requests and sign callbacks.
    pub epoint_private_key: String,
    /// The merchant's registered `result_url`: where callbacks go (in serve mode they are
    /// POSTed there; otherwise they wait in [`Sandbox::take_callbacks`]).
    pub epoint_result_url: Option<String>,
    /// The merchant's registered success page, used when a request has no `success_redirect_url`.
    pub epoint_success_redirect_url: Option<String>,
    /// The merchant's registered error page, used when a request has no `error_redirect_url`.
    pub epoint_error_redirect_url: Option<String>,
    /// Kapital Basic-auth user.
    pub kapital_username: String,
    /// Kapital Basic-auth password.
    pub kapital_password: String,
    /// TWEC merchant id accepted in `Order/Merchant`.
    pub twec_merchant_id: String,
    /// Seed of the deterministic generator for passwords, secrets and session ids.
    pub seed: u64,
    /// A fixed clock (seconds since the Unix epoch) for reproducible timestamps; `None` reads
    /// the system clock.
    pub fixed_time: Option<u64>,
    /// How many orders (transactions, saved cards) each gateway keeps before refusing new ones.
    pub max_orders: usize,
    /// Where the ids the sandbox hands out start. `None` (the default): from an offset picked
    /// per run (from the clock and the standard library's random hasher keys, below
    /// 99 000 000), so that ids of successive runs do not clash in a database that outlives
    /// them. `Some(n)`: ids continue after `n`, the same every run; with `Some(0)` the first
    /// EPoint transaction is `te000000001`, the first card `ce0000000001`, the first Kapital
    /// order 4601 and the first TWEC order 100001 (for tests that assert exact ids).
    pub id_offset: Option<u64>,
    /// Kapital answers beyond the happy path (errors with HTTP 200, no `pmoResultCode`).
    pub kapital: crate::KapitalSettings,

    /// The TWEC simulator's settings (XMLOut encoding and signature, TwoId-less orders).
    pub twec: crate::TwecSettings,

    /// EPoint's answers beyond the happy path and how its callbacks are posted
    /// ([`crate::epoint_settings`]).
    pub epoint: crate::epoint_settings::EPointSettings,

    /// Payriff's settings (its secret key).
    pub payriff: crate::PayriffSettings,

    /// The simulated Azericard gateway: terminal, TEST-ONLY keys, allowed clock skew.
    pub azericard: crate::AzericardSettings,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            base_url: String::from("http://127.0.0.1:8080"),
            epoint_public_key: credentials::EPOINT_PUBLIC_KEY.into(),
            epoint_private_key: credentials::EPOINT_PRIVATE_KEY.into(),
            epoint_result_url: None,
            epoint_success_redirect_url: None,
            epoint_error_redirect_url: None,
            kapital_username: credentials::KAPITAL_USERNAME.into(),
            kapital_password: credentials::KAPITAL_PASSWORD.into(),
            twec_merchant_id: credentials::TWEC_MERCHANT_ID.into(),
            seed: 0x00A2_9A75,
            fixed_time: None,
            max_orders: 10_000,
            id_offset: None,
            kapital: crate::KapitalSettings::default(),
            twec: crate::TwecSettings::default(),
            epoint: Default::default(),
            payriff: crate::PayriffSettings::default(),
            azericard: crate::AzericardSettings::default(),
        }
    }
}

impl SandboxConfig {
    /// The defaults with another public base URL (a trailing `/` is removed).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        let mut url: String = base_url.into();
        while url.ends_with('/') {
            url.pop();
        }
        self.base_url = url;
        self
    }

    /// Sets the EPoint `result_url` callbacks are addressed to.
    pub fn with_epoint_result_url(mut self, url: impl Into<String>) -> Self {
        self.epoint_result_url = Some(url.into());
        self
    }

    /// Fixes where ids start (see [`SandboxConfig::id_offset`]): `0` gives `te000000001`,
    /// Kapital order 4601, TWEC order 100001, on every run.
    pub fn with_id_offset(mut self, offset: u64) -> Self {
        self.id_offset = Some(offset);
        self
    }

    /// Sets the Kapital behaviours ([`crate::KapitalSettings`]).
    pub fn with_kapital(mut self, settings: crate::KapitalSettings) -> Self {
        self.kapital = settings;
        self
    }

    /// Sets the TWEC simulator's settings.
    pub fn with_twec(mut self, settings: crate::TwecSettings) -> Self {
        self.twec = settings;
        self
    }

    /// EPoint's settings ([`crate::epoint_settings::EPointSettings`]).
    pub fn with_epoint(mut self, settings: crate::epoint_settings::EPointSettings) -> Self {
        self.epoint = settings;
        self
    }

    /// Sets Payriff's settings.
    pub fn with_payriff(mut self, settings: crate::PayriffSettings) -> Self {
        self.payriff = settings;
        self
    }

    /// Sets the Azericard simulator's settings.
    pub fn with_azericard(mut self, settings: crate::AzericardSettings) -> Self {
        self.azericard = settings;
        self
    }

    /// Freezes the clock at `unix_seconds`.
    pub fn with_fixed_time(mut self, unix_seconds: u64) -> Self {
        self.fixed_time = Some(unix_seconds);
        self
    }
}
