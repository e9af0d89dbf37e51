//! Payriff's [`Config`] and the [`Payriff`] gateway marker.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use super::codes::ApiError;
use crate::input::{self, Schemes};
use crate::{BuildError, Gateway, Language};

/// Payriff's JSON API (`/api/v3/…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payriff;

impl Gateway for Payriff {
    const NAME: &'static str = "payriff";
    type Config = Config;
    type ApiError = ApiError;
}

/// `https://api.payriff.com`, the default base URL. Payriff has no separate test host: an
/// application in "development" status is in test mode.
pub const DEFAULT_BASE_URL: &str = "https://api.payriff.com";
/// `https://api.gccpay.sa`, the host for Saudi Arabia.
pub const SAUDI_BASE_URL: &str = "https://api.gccpay.sa";

/// The secret key and defaults for Payriff.
///
/// The secret key goes raw in the `Authorization` header (no scheme) and is a
/// [`SecretString`]: `Debug` shows `<redacted>`, and the header value is marked sensitive.
///
/// ```
/// use azpay_core::payriff::Config;
/// let config = Config::new("my-secret-key").callback_url("https://shop.example/payriff");
/// assert!(!format!("{config:?}").contains("my-secret-key"));
/// assert_eq!(config.base(), "https://api.payriff.com");
/// assert!(config.clone().base_url("http://example.com").is_err());
/// ```
#[derive(Clone)]
pub struct Config {
    base_url: String,
    secret_key: SecretString,
    language: Language,
    callback_url: Option<String>,
    redirect_url: Option<String>,
}

impl Config {
    /// The application's secret key; base URL [`DEFAULT_BASE_URL`], language `AZ`.
    pub fn new(secret_key: impl Into<String>) -> Self {
        Config {
            base_url: DEFAULT_BASE_URL.to_owned(),
            secret_key: SecretString::from(secret_key.into()),
            language: Language::Az,
            callback_url: None,
            redirect_url: None,
        }
    }

    /// Overrides the base URL (scheme and host; endpoints are `{base}/api/v3/…`). `https`,
    /// or `http` for a loopback host; no user name, query or fragment.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidInput`] with `field` `base_url`.
    pub fn base_url(mut self, base_url: impl AsRef<str>) -> Result<Self, BuildError> {
        self.base_url = input::base_url(base_url.as_ref(), Schemes::HttpsOrLoopbackHttp)?;
        Ok(self)
    }

    /// The default `language` of the payment page (`PAYRIFF_INTERFACE_LANG`).
    pub fn language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    /// The default `callbackUrl` (`PAYRIFF_CALLBACK_URL`).
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// The default `redirectUrl` (`PAYRIFF_REDIRECT_URL`).
    pub fn redirect_url(mut self, url: impl Into<String>) -> Self {
        self.redirect_url = Some(url.into());
        self
    }

    /// The base URL in use, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base_url
    }

    /// The default language.
    pub fn default_language(&self) -> Language {
        self.language
    }

    /// The default callback URL, if any.
    pub fn default_callback_url(&self) -> Option<&str> {
        self.callback_url.as_deref()
    }

    /// The default redirect URL, if any.
    pub fn default_redirect_url(&self) -> Option<&str> {
        self.redirect_url.as_deref()
    }

    /// The `Authorization` header value: the raw secret key, marked sensitive.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidInput`] naming `secret_key` when it is empty, only whitespace,
    /// or not a valid header value (the reason never shows it).
    pub fn authorization(&self) -> Result<http::HeaderValue, BuildError> {
        let key = self.secret_key.expose_secret();
        input::check_secret("secret_key", key)?;
        if key.chars().any(|c| c.is_control()) || key.trim() != key {
            return Err(BuildError::invalid(
                "secret_key",
                "must not contain control characters or surrounding whitespace",
            ));
        }
        let mut value = http::HeaderValue::from_str(key)
            .map_err(|_| BuildError::invalid("secret_key", "is not a valid HTTP header value"))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("secret_key", &"<redacted>")
            .field("language", &self.language)
            .field("callback_url", &self.callback_url)
            .field("redirect_url", &self.redirect_url)
            .finish()
    }
}
