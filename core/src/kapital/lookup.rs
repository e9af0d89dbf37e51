//! [`Config::from_lookup`]: Kapital's configuration from the `KAPITAL_*` variables.

use super::config::Config;
use crate::lookup::{renamed, FromLookup, Vars};
use crate::{BuildError, Language};

const USERNAME: &str = "KAPITAL_USERNAME";
const PASSWORD: &str = "KAPITAL_PASSWORD";
const BASE_URL: &str = "KAPITAL_BASE_URL";
const INTERFACE_LANG: &str = "KAPITAL_INTERFACE_LANG";
const REDIRECT_URL: &str = "KAPITAL_REDIRECT_URL";

impl Config {
    /// The configuration from the variables the `azpay` CLI reads, asked of `lookup` by name
    /// (see [`crate::lookup`]; an empty value counts as unset):
    ///
    /// | variable | setting |
    /// |---|---|
    /// | `KAPITAL_USERNAME` | required: the Basic-auth user |
    /// | `KAPITAL_PASSWORD` | required: the Basic-auth password (never repeated in an error) |
    /// | `KAPITAL_BASE_URL` | [`Config::base_url`] (default: the test environment) |
    /// | `KAPITAL_INTERFACE_LANG` | [`Config::language`]: `az`, `en` or `ru` |
    /// | `KAPITAL_REDIRECT_URL` | [`Config::redirect_url`] |
    ///
    /// The error is a [`BuildError::InvalidInput`] whose `field` is the variable's name.
    ///
    /// ```
    /// use azpay_core::kapital::Config;
    /// let config = Config::from_lookup(|name| match name {
    ///     "KAPITAL_USERNAME" => Some("TerminalSys/kapital".to_owned()),
    ///     "KAPITAL_PASSWORD" => Some("kapital123".to_owned()),
    ///     "KAPITAL_BASE_URL" => Some("https://e-commerce.kapitalbank.az/".to_owned()),
    ///     _ => None,
    /// })?;
    /// assert_eq!(config.base(), "https://e-commerce.kapitalbank.az");
    /// # Ok::<(), azpay_core::BuildError>(())
    /// ```
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, BuildError> {
        let vars = Vars(lookup);
        let mut config = Config::new(vars.required(USERNAME)?, vars.required(PASSWORD)?);
        if let Some(url) = vars.get(BASE_URL) {
            config = renamed(BASE_URL, config.base_url(url))?;
        }
        if let Some(language) = vars.parsed(INTERFACE_LANG, "az, en or ru", |v| {
            v.parse::<Language>().ok()
        })? {
            config = config.language(language);
        }
        if let Some(url) = vars.get(REDIRECT_URL) {
            config = config.redirect_url(url);
        }
        Ok(config)
    }
}

impl FromLookup for Config {
    const VARIABLES: &'static [&'static str] =
        &[USERNAME, PASSWORD, BASE_URL, INTERFACE_LANG, REDIRECT_URL];

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, BuildError> {
        Config::from_lookup(lookup)
    }
}
