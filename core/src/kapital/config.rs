//! Kapital's [`Config`] and the [`Kapital`] gateway marker.

use std::fmt;

use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};

use super::error::ApiError;
use crate::input::{self, Schemes};
use crate::{BuildError, Gateway, Language};

/// Kapital Bank's JSON e-commerce API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kapital;

impl Gateway for Kapital {
    const NAME: &'static str = "kapital";
    type Config = Config;
    type ApiError = ApiError;
}

/// The test environment (`https://txpgtst.kapitalbank.az`), the default base URL.
pub const TEST_BASE_URL: &str = "https://txpgtst.kapitalbank.az";
/// The production environment (`https://e-commerce.kapitalbank.az`).
pub const PROD_BASE_URL: &str = "https://e-commerce.kapitalbank.az";

/// Credentials and defaults for Kapital's JSON API.
///
/// The password is a [`SecretString`]: `Debug` shows `<redacted>`.
///
/// [`Config::new`] cannot fail; [`Config::base_url`] checks the URL when it is set. The
/// credentials are checked when a request is built ([`Config::authorization`]): an empty or
/// whitespace-only username or password is refused there.
///
/// ```
/// use azpay_core::kapital::{Config, PROD_BASE_URL};
/// let config = Config::new("TerminalSys/kapital", "kapital123")
///     .redirect_url("https://shop.example/return");
/// assert!(!format!("{config:?}").contains("kapital123"));
/// assert_eq!(config.base(), "https://txpgtst.kapitalbank.az");
///
/// let prod = config.clone().base_url(PROD_BASE_URL)?;
/// assert_eq!(prod.base(), "https://e-commerce.kapitalbank.az");
/// assert!(config.base_url("https://user:pw@kapital.example").is_err());
/// # Ok::<(), azpay_core::BuildError>(())
/// ```
#[derive(Clone)]
pub struct Config {
    base_url: String,
    username: String,
    password: SecretString,
    language: Language,
    redirect_url: Option<String>,
}

impl Config {
    /// The merchant's Basic-auth credentials; base URL [`TEST_BASE_URL`], language `az`,
    /// no default redirect URL.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Config {
            base_url: TEST_BASE_URL.to_owned(),
            username: username.into(),
            password: SecretString::from(password.into()),
            language: Language::Az,
            redirect_url: None,
        }
    }

    /// Overrides the base URL (scheme and host, e.g. [`PROD_BASE_URL`] or a local sandbox).
    /// Write it as people do: with or without the `/api` that Kapital's documents put at the
    /// end (seed 002: `https://txpgtst.kapitalbank.az/api`), with or without a trailing `/`.
    /// `https://txpgtst.kapitalbank.az`, `…/`, `…/api` and `…/api/` all give endpoints
    /// `https://txpgtst.kapitalbank.az/api/order…`; the path is never doubled.
    ///
    /// The URL is checked here, once: it must be `https://` (plain `http://` only for a
    /// loopback host: `localhost`, `127.0.0.0/8`, `[::1]`), with a valid host and a port from
    /// 1 to 65535, without a user name or password (`user:pw@`: the credentials go in
    /// [`Config::new`]), a query (`?`) or a fragment (`#`). A proxy's prefix path is kept
    /// (`https://proxy.example/kapital/api` → `https://proxy.example/kapital/api/order`); a
    /// path naming an endpoint (`…/api/order`, `…/api/api`, `…/flex`) is refused.
    ///
    /// ```
    /// use azpay_core::kapital::Config;
    /// let c = Config::new("u", "p");
    /// for base in ["https://txpgtst.kapitalbank.az", "https://txpgtst.kapitalbank.az/",
    ///              "https://txpgtst.kapitalbank.az/api", "https://txpgtst.kapitalbank.az/api/"] {
    ///     assert_eq!(c.clone().base_url(base)?.base(), "https://txpgtst.kapitalbank.az");
    /// }
    /// let e = c.base_url("https://txpgtst.kapitalbank.az/api/order").unwrap_err();
    /// assert_eq!(e.field(), Some("base_url"));
    /// # Ok::<(), azpay_core::BuildError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidInput`] with `field` `base_url` and the reason in plain words.
    pub fn base_url(mut self, base_url: impl AsRef<str>) -> Result<Self, BuildError> {
        let checked = input::base_url(base_url.as_ref(), Schemes::HttpsOrLoopbackHttp)?;
        self.base_url = without_api_path(&checked)?;
        Ok(self)
    }

    /// The default interface language of the hosted page (`KAPITAL_INTERFACE_LANG`).
    pub fn language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    /// The default `hppRedirectUrl` for orders paid on the hosted page
    /// (`KAPITAL_REDIRECT_URL`).
    pub fn redirect_url(mut self, url: impl Into<String>) -> Self {
        self.redirect_url = Some(url.into());
        self
    }

    /// The base URL in use, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base_url
    }

    /// The username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The default language.
    pub fn default_language(&self) -> Language {
        self.language
    }

    /// The default redirect URL, if any.
    pub fn default_redirect_url(&self) -> Option<&str> {
        self.redirect_url.as_deref()
    }

    /// The `Authorization` header value, `Basic base64(username:password)`, marked sensitive
    /// so that HTTP libraries keep it out of their logs.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidInput`] when the username is empty, only whitespace, holds a
    /// control character or a `:`, or the password is empty or only whitespace.
    pub fn authorization(&self) -> Result<http::HeaderValue, BuildError> {
        if self.username.trim().is_empty() {
            return Err(BuildError::invalid(
                "username",
                "must not be empty or only whitespace",
            ));
        }
        if self.username.chars().any(char::is_control) {
            return Err(BuildError::invalid(
                "username",
                "must not contain control characters",
            ));
        }
        if self.username.contains(':') {
            return Err(BuildError::invalid(
                "username",
                "must not contain `:` (HTTP Basic auth separates user and password with it)",
            ));
        }
        input::check_secret("password", self.password.expose_secret())?;
        let raw = format!("{}:{}", self.username, self.password.expose_secret());
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw.as_bytes());
        let mut value = http::HeaderValue::from_str(&format!("Basic {encoded}"))
            .map_err(|e| BuildError::Encoding(e.to_string()))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

/// The base without the `/api` that Kapital's documents end it with (a checked base URL has
/// no trailing `/`). A prefix path of a proxy is kept (`https://proxy/kapital/api` →
/// `https://proxy/kapital`); a path that names an endpoint or another `/api` is refused,
/// naming `base_url`, since `<base>/api/order` would double it.
fn without_api_path(checked: &str) -> Result<String, BuildError> {
    let (scheme, rest) = checked.split_once("://").unwrap_or(("", checked));
    let Some((authority, path)) = rest.split_once('/') else {
        return Ok(checked.to_owned());
    };
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .last()
        .is_some_and(|s| s.eq_ignore_ascii_case("api"))
    {
        segments.pop();
    }
    if let Some(odd) = segments.iter().find(|s| {
        [
            "api",
            "order",
            "flex",
            "exec-tran",
            "set-src-token",
            "set-dst-token",
        ]
        .iter()
        .any(|e| s.eq_ignore_ascii_case(e))
    }) {
        return Err(BuildError::invalid(
            "base_url",
            format!(
                "the path `/{path}` names an endpoint (`{odd}`): give the gateway's address, \
                 e.g. `https://txpgtst.kapitalbank.az` or `https://txpgtst.kapitalbank.az/api` \
                 (requests go to `<base>/api/order…`)"
            ),
        ));
    }
    let mut base = format!("{scheme}://{authority}");
    for s in segments {
        base.push('/');
        base.push_str(s);
    }
    Ok(base)
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("language", &self.language)
            .field("redirect_url", &self.redirect_url)
            .finish()
    }
}
