//! [`Config::from_lookup`]: Payriff's configuration from the `PAYRIFF_*` variables.

use super::config::Config;
use crate::lookup::{renamed, FromLookup, Vars};
use crate::{BuildError, Language};

const SECRET_KEY: &str = "PAYRIFF_SECRET_KEY";
const BASE_URL: &str = "PAYRIFF_BASE_URL";
const CALLBACK_URL: &str = "PAYRIFF_CALLBACK_URL";
const REDIRECT_URL: &str = "PAYRIFF_REDIRECT_URL";
const INTERFACE_LANG: &str = "PAYRIFF_INTERFACE_LANG";

impl Config {
    /// The configuration from the variables the `azpay` CLI reads, asked of `lookup` by name
    /// (an empty value counts as unset):
    ///
    /// | variable | setting |
    /// |---|---|
    /// | `PAYRIFF_SECRET_KEY` | required: the application's secret key (never repeated in an error) |
    /// | `PAYRIFF_BASE_URL` | [`Config::base_url`] (default `https://api.payriff.com`) |
    /// | `PAYRIFF_CALLBACK_URL` | [`Config::callback_url`] |
    /// | `PAYRIFF_REDIRECT_URL` | [`Config::redirect_url`] |
    /// | `PAYRIFF_INTERFACE_LANG` | [`Config::language`]: `AZ`, `EN` or `RU` (any case) |
    ///
    /// ```
    /// use azpay_core::payriff::Config;
    /// let config = Config::from_lookup(|name| match name {
    ///     "PAYRIFF_SECRET_KEY" => Some("key".to_owned()),
    ///     "PAYRIFF_INTERFACE_LANG" => Some("EN".to_owned()),
    ///     _ => None,
    /// })?;
    /// assert_eq!(config.default_language(), azpay_core::Language::En);
    /// let err = Config::from_lookup(|_| None).unwrap_err();
    /// assert_eq!(err.field(), Some("PAYRIFF_SECRET_KEY"));
    /// # Ok::<(), azpay_core::BuildError>(())
    /// ```
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, BuildError> {
        let vars = Vars(lookup);
        let mut config = Config::new(vars.required(SECRET_KEY)?);
        if let Some(url) = vars.get(BASE_URL) {
            config = renamed(BASE_URL, config.base_url(url))?;
        }
        if let Some(language) = vars.parsed(INTERFACE_LANG, "AZ, EN or RU", |v| {
            v.parse::<Language>().ok()
        })? {
            config = config.language(language);
        }
        if let Some(url) = vars.get(CALLBACK_URL) {
            config = config.callback_url(url);
        }
        if let Some(url) = vars.get(REDIRECT_URL) {
            config = config.redirect_url(url);
        }
        Ok(config)
    }
}

impl FromLookup for Config {
    const VARIABLES: &'static [&'static str] = &[
        SECRET_KEY,
        BASE_URL,
        CALLBACK_URL,
        REDIRECT_URL,
        INTERFACE_LANG,
    ];

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, BuildError> {
        Config::from_lookup(lookup)
    }
}
