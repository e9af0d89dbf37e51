//! EPoint's [`Config`] and the [`EPoint`] gateway marker.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use super::codes::ApiError;
use crate::input::{self, Schemes};
use crate::{BuildError, Gateway, Language};

/// The EPoint gateway.
#[derive(Debug, Clone, Copy)]
pub struct EPoint;

impl Gateway for EPoint {
    const NAME: &'static str = "epoint";
    type Config = Config;
    type ApiError = ApiError;
}

/// The production base URL.
pub const DEFAULT_BASE_URL: &str = "https://epoint.az";

/// Merchant keys and defaults. Its `Debug` never shows the private key.
///
/// [`Config::new`] cannot fail; [`Config::base_url`] checks the URL when it is set and
/// returns a [`BuildError`] for one that is unusable. The keys are checked when a request is
/// built: an empty or whitespace-only private key is refused there (`private_key`).
///
/// ```
/// use azpay_core::{epoint::Config, Language};
/// let c = Config::new("i000000001", "my-secret")
///     .base_url("http://127.0.0.1:8080/")?
///     .language(Language::En)
///     .success_redirect_url("https://shop.example/ok");
/// assert_eq!(c.endpoint("request"), "http://127.0.0.1:8080/api/1/request");
/// assert!(!format!("{c:?}").contains("my-secret"));
///
/// // Checked once, when set.
/// let bad = Config::new("i000000001", "my-secret").base_url("http://127.0.0.1:99999");
/// assert!(bad.unwrap_err().to_string().contains("port 99999 is out of range"));
/// # Ok::<(), azpay_core::BuildError>(())
/// ```
#[derive(Clone)]
pub struct Config {
    public_key: String,
    private_key: SecretString,
    base_url: String,
    language: Language,
    success_redirect_url: Option<String>,
    error_redirect_url: Option<String>,
}

impl Config {
    /// The merchant's `public_key` (e.g. `i000000001`) and `private_key`.
    pub fn new(public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        Config {
            public_key: public_key.into(),
            private_key: SecretString::from(private_key.into()),
            base_url: DEFAULT_BASE_URL.to_owned(),
            language: Language::Az,
            success_redirect_url: None,
            error_redirect_url: None,
        }
    }

    /// The base URL (default `https://epoint.az`); endpoints are `{base}/api/1/<name>`.
    /// Written as people write it: `https://epoint.az`, `https://epoint.az/`,
    /// `https://epoint.az/api/1` and `https://epoint.az/api/1/` all mean the same base (a
    /// trailing `/api/1` is dropped, so the path is never doubled). A path of its own in
    /// front (a proxy such as `https://proxy.example/epoint`) is kept. Any other `/api` path
    /// (`…/api`, `…/api/2`, `…/api/1/request`) is refused: it would not reach the API.
    ///
    /// The URL is checked here, once: it must be `https://` (plain `http://` only for a
    /// loopback host: `localhost`, `127.0.0.0/8`, `[::1]`, e.g. a local sandbox), with a
    /// valid host and a port from 1 to 65535, and without a user name or password
    /// (`user:pw@`), a query (`?`) or a fragment (`#`).
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidInput`] with `field` `base_url` and the reason in plain words.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Result<Self, BuildError> {
        let url = input::base_url(url.as_ref(), Schemes::HttpsOrLoopbackHttp)?;
        self.base_url = without_api_path(url)?;
        Ok(self)
    }

    /// The payment page language used when an operation sets none (default `az`).
    pub fn language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    /// The `success_redirect_url` used when an operation sets none.
    pub fn success_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.success_redirect_url = Some(url.into());
        self
    }

    /// The `error_redirect_url` used when an operation sets none.
    pub fn error_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.error_redirect_url = Some(url.into());
        self
    }

    /// The merchant's public key.
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// The base URL, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base_url
    }

    /// The default language.
    pub fn default_language(&self) -> Language {
        self.language
    }

    /// The full URL of an `/api/1/` endpoint, e.g. `endpoint("request")`.
    pub fn endpoint(&self, name: &str) -> String {
        format!("{}/api/1/{name}", self.base_url)
    }

    pub(crate) fn private_key(&self) -> &str {
        self.private_key.expose_secret()
    }

    /// The `success_redirect_url` of operations that set none.
    pub fn default_success_redirect_url(&self) -> Option<&str> {
        self.success_redirect_url.as_deref()
    }

    /// The `error_redirect_url` of operations that set none.
    pub fn default_error_redirect_url(&self) -> Option<&str> {
        self.error_redirect_url.as_deref()
    }

    pub(crate) fn default_success_url(&self) -> Option<&str> {
        self.default_success_redirect_url()
    }

    pub(crate) fn default_error_url(&self) -> Option<&str> {
        self.default_error_redirect_url()
    }
}

/// `url` (already checked, without trailing `/`) without a trailing `/api/1`; a URL whose
/// path still has an `api` segment is refused.
fn without_api_path(url: String) -> Result<String, BuildError> {
    let base = url.strip_suffix("/api/1").unwrap_or(&url);
    let base = base.trim_end_matches('/');
    // The path: what follows `scheme://authority`.
    let after_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    if path
        .split('/')
        .any(|segment| segment.eq_ignore_ascii_case("api"))
    {
        return Err(BuildError::invalid(
            "base_url",
            format!(
                "has the path `{path}`: give the host (`https://epoint.az`) or the API base \
                 (`https://epoint.az/api/1`); endpoints are `{{base}}/api/1/<name>`"
            ),
        ));
    }
    Ok(base.to_owned())
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("public_key", &self.public_key)
            .field("private_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("language", &self.language)
            .field("success_redirect_url", &self.success_redirect_url)
            .field("error_redirect_url", &self.error_redirect_url)
            .finish()
    }
}
