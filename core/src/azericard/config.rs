//! Azericard's [`Config`], the [`Azericard`] gateway marker, and the time-and-nonce input
//! ([`Stamp`], [`StampSource`]).

use std::fmt;
use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

use super::codes::ApiError;
use super::sign::{self, legacy_mac, Opaque, Signer, Verifier};
use crate::input::{self, Schemes};
use crate::{BuildError, Gateway, Language};

/// The Azericard gateway (MPI / e-Gateway, `3dsecure.az`).
#[derive(Debug, Clone, Copy)]
pub struct Azericard;

impl Gateway for Azericard {
    const NAME: &'static str = "azericard";
    type Config = Config;
    type ApiError = ApiError;
}

/// The test host (the default).
pub const TEST_BASE_URL: &str = "https://testmpi.3dsecure.az";
/// The production host.
pub const PROD_BASE_URL: &str = "https://mpi.3dsecure.az";
/// The path of every request under the base URL.
pub const CGI_PATH: &str = "/cgi-bin/cgi_link";

/// `TIMESTAMP` and `NONCE` of one request: the core reads no clock and draws no random
/// number, so the caller gives them (or a [`StampSource`] in the [`Config`] does).
///
/// `TIMESTAMP` is UTC `YYYYMMDDHHMMSS` (the gateway refuses more than an hour of skew);
/// `NONCE` is 8 to 32 random bytes in hex (16 to 64 hex characters), never reused.
///
/// ```
/// use azpay_core::azericard::Stamp;
/// let s = Stamp::new("20250123044608", "f2b2dd7e603a7ada")?;
/// assert_eq!(s.timestamp(), "20250123044608");
/// assert_eq!(Stamp::new("2025-01-23", "f2b2dd7e603a7ada").unwrap_err().field(), Some("timestamp"));
/// assert_eq!(Stamp::new("20250123044608", "xyz").unwrap_err().field(), Some("nonce"));
/// # Ok::<(), azpay_core::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stamp {
    timestamp: String,
    nonce: String,
}

impl Stamp {
    /// Checks and keeps a timestamp and a nonce.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidInput`] naming `timestamp` (not 14 digits forming a date and
    /// time) or `nonce` (not 16 to 64 hex characters of whole bytes).
    pub fn new(timestamp: impl Into<String>, nonce: impl Into<String>) -> Result<Self, BuildError> {
        let timestamp = timestamp.into();
        let nonce = nonce.into();
        check_timestamp(&timestamp)?;
        let n = nonce.len();
        if !(16..=64).contains(&n) || n % 2 != 0 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(BuildError::invalid(
                "nonce",
                "must be 8 to 32 random bytes in hex (16 to 64 hex characters)",
            ));
        }
        Ok(Stamp { timestamp, nonce })
    }

    /// `TIMESTAMP`.
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }

    /// `NONCE`.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }
}

fn check_timestamp(t: &str) -> Result<(), BuildError> {
    let bad = || BuildError::invalid("timestamp", "must be UTC YYYYMMDDHHMMSS (14 digits)");
    if t.len() != 14 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| t[r].parse::<u32>().unwrap_or(99);
    let (mo, d, h, mi, s) = (num(4..6), num(6..8), num(8..10), num(10..12), num(12..14));
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 59 {
        return Err(bad());
    }
    Ok(())
}

/// Where operations without their own [`Stamp`] get one: the caller's clock and random
/// source (the core has neither). The unified verbs need it, since they carry no stamp.
///
/// A closure `Fn() -> Stamp` is a source.
pub trait StampSource: Send + Sync {
    /// A fresh stamp: the current UTC time and a nonce never used before.
    fn stamp(&self) -> Stamp;
}

impl<F: Fn() -> Stamp + Send + Sync> StampSource for F {
    fn stamp(&self) -> Stamp {
        self()
    }
}

#[derive(Clone)]
enum Signing {
    Rsa(Arc<dyn Signer>),
    LegacyHmac(SecretString),
}

/// The merchant's terminal, keys and defaults. Its `Debug` never shows a key.
///
/// ```
/// use azpay_core::azericard::{Config, SignError};
/// // Any `Signer` (an HSM, a KMS, `RsaPemSigner::from_pem`); here a stand-in.
/// let signer = |_: &[u8]| -> Result<Vec<u8>, SignError> { Ok(vec![0xab; 256]) };
/// let c = Config::new("17202191", signer)
///     .base_url("http://127.0.0.1:8080/")?
///     .merchant_name("Shop")
///     .merchant_url("https://shop.example.az")
///     .callback_url("https://shop.example.az/azericard/back");
/// assert_eq!(c.endpoint(), "http://127.0.0.1:8080/cgi-bin/cgi_link");
/// assert_eq!(c.terminal(), "17202191");
/// # Ok::<(), azpay_core::BuildError>(())
/// ```
#[derive(Clone)]
pub struct Config {
    terminal: String,
    signing: Signing,
    gateway_key: Option<Arc<dyn Verifier>>,
    stamps: Option<Arc<dyn StampSource>>,
    base_url: String,
    merchant_name: Option<String>,
    merchant_url: Option<String>,
    email: Option<String>,
    callback_url: Option<String>,
    language: Language,
    country: Option<String>,
    merchant_gmt: Option<String>,
}

impl Config {
    /// A terminal (`TERMINAL`, 8 characters) signing with RSA through `signer`.
    pub fn new(terminal: impl Into<String>, signer: impl Signer + 'static) -> Self {
        Self::with_signer(terminal, Arc::new(signer))
    }

    /// [`Config::new`] with a shared signer.
    pub fn with_signer(terminal: impl Into<String>, signer: Arc<dyn Signer>) -> Self {
        Self::make(terminal.into(), Signing::Rsa(signer))
    }

    /// A terminal on the legacy scheme: `P_SIGN` is HMAC-SHA1 with the hex key `key_hex`, over
    /// the older, longer field lists (PROVIDERS.md §2.5). Only for terminals Azericard has not
    /// moved to RSA.
    pub fn legacy_hmac(terminal: impl Into<String>, key_hex: impl Into<String>) -> Self {
        Self::make(
            terminal.into(),
            Signing::LegacyHmac(SecretString::from(key_hex.into())),
        )
    }

    fn make(terminal: String, signing: Signing) -> Self {
        Config {
            terminal,
            signing,
            gateway_key: None,
            stamps: None,
            base_url: TEST_BASE_URL.to_owned(),
            merchant_name: None,
            merchant_url: None,
            email: None,
            callback_url: None,
            language: Language::Az,
            country: None,
            merchant_gmt: None,
        }
    }

    /// The scheme and host (default [`TEST_BASE_URL`]); requests go to `{base}/cgi-bin/cgi_link`.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidInput`] naming `base_url` (the rules of every gateway: `https`,
    /// plain `http` only for loopback, no user info, query or fragment).
    pub fn base_url(mut self, url: impl AsRef<str>) -> Result<Self, BuildError> {
        self.base_url = input::base_url(url.as_ref(), Schemes::HttpsOrLoopbackHttp)?;
        Ok(self)
    }

    /// Azericard's public key, to verify the `BACKREF` callback ([`super::verify_callback`]).
    pub fn gateway_key(mut self, key: impl Verifier + 'static) -> Self {
        self.gateway_key = Some(Arc::new(key));
        self
    }

    /// Where operations without their own [`Stamp`] (and the unified verbs) get one.
    pub fn stamps(mut self, source: impl StampSource + 'static) -> Self {
        self.stamps = Some(Arc::new(source));
        self
    }

    /// `MERCH_NAME` (1–50 characters) of payment forms.
    pub fn merchant_name(mut self, name: impl Into<String>) -> Self {
        self.merchant_name = Some(name.into());
        self
    }

    /// `MERCH_URL` (1–250 ASCII characters) of payment forms; it is in the MAC.
    pub fn merchant_url(mut self, url: impl Into<String>) -> Self {
        self.merchant_url = Some(url.into());
        self
    }

    /// `EMAIL` (at most 80 characters): where the gateway may send the result.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// `BACKREF` (1–250 characters): where the gateway posts the result (the callback).
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// `LANG` of the payment page (default `az`).
    pub fn language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    /// `COUNTRY` (2 letters), only for a merchant outside Azerbaijan.
    pub fn country(mut self, country: impl Into<String>) -> Self {
        self.country = Some(country.into());
        self
    }

    /// `MERCH_GMT` (e.g. `+4`), only for a merchant in another time zone.
    pub fn merchant_gmt(mut self, gmt: impl Into<String>) -> Self {
        self.merchant_gmt = Some(gmt.into());
        self
    }

    /// `TERMINAL`.
    pub fn terminal(&self) -> &str {
        &self.terminal
    }

    /// The base URL, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base_url
    }

    /// `{base}/cgi-bin/cgi_link`: where every request (and the payment form) goes.
    pub fn endpoint(&self) -> String {
        format!("{}{CGI_PATH}", self.base_url)
    }

    /// `MERCH_NAME` of forms that set none.
    pub fn default_merchant_name(&self) -> Option<&str> {
        self.merchant_name.as_deref()
    }

    /// `MERCH_URL` of forms that set none.
    pub fn default_merchant_url(&self) -> Option<&str> {
        self.merchant_url.as_deref()
    }

    /// `EMAIL` of forms that set none.
    pub fn default_email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// `BACKREF` of forms that set none.
    pub fn default_callback_url(&self) -> Option<&str> {
        self.callback_url.as_deref()
    }

    /// `LANG` of forms that set none.
    pub fn default_language(&self) -> Language {
        self.language
    }

    /// `COUNTRY`, when set.
    pub fn country_in_use(&self) -> Option<&str> {
        self.country.as_deref()
    }

    /// `MERCH_GMT`, when set.
    pub fn merchant_gmt_in_use(&self) -> Option<&str> {
        self.merchant_gmt.as_deref()
    }

    /// Whether requests are signed with the legacy HMAC-SHA1 scheme.
    pub fn is_legacy(&self) -> bool {
        matches!(self.signing, Signing::LegacyHmac(_))
    }

    /// Whether a gateway key is set (callbacks can be verified).
    pub fn has_gateway_key(&self) -> bool {
        self.gateway_key.is_some()
    }

    pub(crate) fn verifier(&self) -> Option<&dyn Verifier> {
        self.gateway_key.as_deref()
    }

    pub(crate) fn legacy_key(&self) -> Option<&str> {
        match &self.signing {
            Signing::LegacyHmac(k) => Some(k.expose_secret()),
            Signing::Rsa(_) => None,
        }
    }

    /// The stamp to use: the operation's, or the configured source's.
    pub(crate) fn stamp_or(&self, own: Option<&Stamp>) -> Result<Stamp, BuildError> {
        match (own, &self.stamps) {
            (Some(s), _) => Ok(s.clone()),
            (None, Some(source)) => {
                let s = source.stamp();
                // A source's stamp is checked like a given one.
                Stamp::new(s.timestamp, s.nonce)
            }
            (None, None) => Err(BuildError::invalid(
                "timestamp",
                "no TIMESTAMP/NONCE given: set them on the operation (`.stamp(..)`) or give \
                 the configuration a `StampSource` (`Config::stamps`); the core reads no clock",
            )),
        }
    }

    /// `P_SIGN` over `rsa` (the RSA scheme's MAC fields) or `legacy` (the legacy list).
    pub(crate) fn p_sign(&self, rsa: &[&str], legacy: &[&str]) -> Result<String, BuildError> {
        match &self.signing {
            Signing::Rsa(signer) => {
                let source = sign::mac_source(rsa.iter().copied());
                sign::p_sign(signer.as_ref(), &source)
                    .map_err(|e| BuildError::Encoding(e.to_string()))
            }
            Signing::LegacyHmac(key) => {
                input::check_secret("key", key.expose_secret())?;
                let source = sign::mac_source(legacy.iter().copied());
                Ok(legacy_mac(key.expose_secret(), &source))
            }
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let signing = match self.signing {
            Signing::Rsa(_) => Opaque("rsa(<signer>)"),
            Signing::LegacyHmac(_) => Opaque("legacy_hmac(<redacted>)"),
        };
        f.debug_struct("Config")
            .field("terminal", &self.terminal)
            .field("signing", &signing)
            .field(
                "gateway_key",
                &self.gateway_key.as_ref().map(|_| Opaque("<verifier>")),
            )
            .field("stamps", &self.stamps.as_ref().map(|_| Opaque("<source>")))
            .field("base_url", &self.base_url)
            .field("merchant_name", &self.merchant_name)
            .field("merchant_url", &self.merchant_url)
            .field("email", &self.email)
            .field("callback_url", &self.callback_url)
            .field("language", &self.language)
            .field("country", &self.country)
            .field("merchant_gmt", &self.merchant_gmt)
            .finish()
    }
}
