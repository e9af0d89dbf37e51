//! [`Config::from_lookup`]: EPoint's configuration from the `EPOINT_*` variables.

use super::config::Config;
use crate::lookup::{renamed, FromLookup, Vars};
use crate::{BuildError, Language};

const PUBLIC_KEY: &str = "EPOINT_PUBLIC_KEY";
const PRIVATE_KEY: &str = "EPOINT_PRIVATE_KEY";
const INTERFACE_LANG: &str = "EPOINT_INTERFACE_LANG";
const SUCCESS_REDIRECT_URL: &str = "EPOINT_SUCCESS_REDIRECT_URL";
const FAILED_REDIRECT_URL: &str = "EPOINT_FAILED_REDIRECT_URL";
const BASE_URL: &str = "EPOINT_BASE_URL";

impl Config {
    /// The configuration from the variables the `azpay` CLI reads, asked of `lookup` by name
    /// (see [`crate::lookup`]; an empty value counts as unset):
    ///
    /// | variable | setting |
    /// |---|---|
    /// | `EPOINT_PUBLIC_KEY` | required: [`Config::new`]'s public key |
    /// | `EPOINT_PRIVATE_KEY` | required: the signing key (never repeated in an error) |
    /// | `EPOINT_INTERFACE_LANG` | [`Config::language`]: `az`, `en` or `ru` |
    /// | `EPOINT_SUCCESS_REDIRECT_URL` | [`Config::success_redirect_url`] |
    /// | `EPOINT_FAILED_REDIRECT_URL` | [`Config::error_redirect_url`] |
    /// | `EPOINT_BASE_URL` | [`Config::base_url`] |
    ///
    /// The error is a [`BuildError::InvalidInput`] whose `field` is the variable's name.
    ///
    /// ```
    /// use azpay_core::epoint::Config;
    /// let err = Config::from_lookup(|name| match name {
    ///     "EPOINT_PUBLIC_KEY" => Some("i000000001".to_owned()),
    ///     "EPOINT_PRIVATE_KEY" => Some("secret".to_owned()),
    ///     "EPOINT_INTERFACE_LANG" => Some("de".to_owned()),
    ///     _ => None,
    /// })
    /// .unwrap_err();
    /// assert_eq!(err.field(), Some("EPOINT_INTERFACE_LANG"));
    /// ```
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, BuildError> {
        let vars = Vars(lookup);
        let mut config = Config::new(vars.required(PUBLIC_KEY)?, vars.required(PRIVATE_KEY)?);
        if let Some(language) = vars.parsed(INTERFACE_LANG, "az, en or ru", |v| {
            v.parse::<Language>().ok()
        })? {
            config = config.language(language);
        }
        if let Some(url) = vars.get(SUCCESS_REDIRECT_URL) {
            config = config.success_redirect_url(url);
        }
        if let Some(url) = vars.get(FAILED_REDIRECT_URL) {
            config = config.error_redirect_url(url);
        }
        if let Some(url) = vars.get(BASE_URL) {
            config = renamed(BASE_URL, config.base_url(url))?;
        }
        Ok(config)
    }
}

impl FromLookup for Config {
    const VARIABLES: &'static [&'static str] = &[
        PUBLIC_KEY,
        PRIVATE_KEY,
        INTERFACE_LANG,
        SUCCESS_REDIRECT_URL,
        FAILED_REDIRECT_URL,
        BASE_URL,
    ];

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, BuildError> {
        Config::from_lookup(lookup)
    }
}
