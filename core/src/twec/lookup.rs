//! [`Config::from_lookup`]: TWEC's configuration from the `TWEC_*` variables.

use super::config::{Config, LanguageCase, RequestForm};
use crate::lookup::{renamed, FromLookup, Vars};
use crate::{BuildError, Language};

const MERCHANT_ID: &str = "TWEC_MERCHANT_ID";
const BASE_URL: &str = "TWEC_BASE_URL";
const LANGUAGE: &str = "TWEC_LANGUAGE";
const LANGUAGE_CASE: &str = "TWEC_LANGUAGE_CASE";
const FORM: &str = "TWEC_FORM";
const APPROVE_URL: &str = "TWEC_APPROVE_URL";
const CANCEL_URL: &str = "TWEC_CANCEL_URL";
const DECLINE_URL: &str = "TWEC_DECLINE_URL";

impl Config {
    /// The configuration from the variables the `azpay` CLI reads, asked of `lookup` by name
    /// (see [`crate::lookup`]; an empty value counts as unset), on top of
    /// [`Config::kapital_test`]:
    ///
    /// | variable | setting |
    /// |---|---|
    /// | `TWEC_MERCHANT_ID` | required: the merchant id |
    /// | `TWEC_BASE_URL` | [`Config::base_url`]: the full `Exec` URL |
    /// | `TWEC_LANGUAGE` | [`Config::language`]: `AZ`, `EN` or `RU` (either case) |
    /// | `TWEC_LANGUAGE_CASE` | [`Config::language_case`]: `upper` or `lower` |
    /// | `TWEC_FORM` | [`Config::form`]: `kapital` or `generic` |
    /// | `TWEC_APPROVE_URL`, `TWEC_CANCEL_URL`, `TWEC_DECLINE_URL` | the browser return URLs |
    ///
    /// The client certificate (`TWEC_CLIENT_CERT`, `TWEC_CLIENT_KEY`, `TWEC_CA_CERT`) belongs
    /// to the transport, not to this configuration. The error is a
    /// [`BuildError::InvalidInput`] whose `field` is the variable's name.
    ///
    /// ```
    /// use azpay_core::twec::{Config, RequestForm};
    /// let config = Config::from_lookup(|name| match name {
    ///     "TWEC_MERCHANT_ID" => Some("E1000010".to_owned()),
    ///     "TWEC_FORM" => Some("generic".to_owned()),
    ///     _ => None,
    /// })?;
    /// assert_eq!(config.form_in_use(), RequestForm::Generic);
    /// let err = Config::from_lookup(|name| match name {
    ///     "TWEC_MERCHANT_ID" => Some("E1000010".to_owned()),
    ///     "TWEC_LANGUAGE_CASE" => Some("title".to_owned()),
    ///     _ => None,
    /// })
    /// .unwrap_err();
    /// assert_eq!(err.field(), Some("TWEC_LANGUAGE_CASE"));
    /// # Ok::<(), azpay_core::BuildError>(())
    /// ```
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, BuildError> {
        let vars = Vars(lookup);
        let mut config = Config::kapital_test(vars.required(MERCHANT_ID)?);
        if let Some(url) = vars.get(BASE_URL) {
            config = renamed(BASE_URL, config.base_url(url))?;
        }
        if let Some(language) =
            vars.parsed(LANGUAGE, "AZ, EN or RU", |v| v.parse::<Language>().ok())?
        {
            config = config.language(language);
        }
        let case = vars.parsed(LANGUAGE_CASE, "upper or lower", |v| {
            match v.to_ascii_lowercase().as_str() {
                "upper" => Some(LanguageCase::Upper),
                "lower" => Some(LanguageCase::Lower),
                _ => None,
            }
        })?;
        if let Some(case) = case {
            config = config.language_case(case);
        }
        let form = vars.parsed(FORM, "kapital or generic", |v| {
            match v.to_ascii_lowercase().as_str() {
                "kapital" => Some(RequestForm::Kapital),
                "generic" => Some(RequestForm::Generic),
                _ => None,
            }
        })?;
        if let Some(form) = form {
            config = config.form(form);
        }
        if let Some(url) = vars.get(APPROVE_URL) {
            config = config.approve_url(url);
        }
        if let Some(url) = vars.get(CANCEL_URL) {
            config = config.cancel_url(url);
        }
        if let Some(url) = vars.get(DECLINE_URL) {
            config = config.decline_url(url);
        }
        Ok(config)
    }
}

impl FromLookup for Config {
    const VARIABLES: &'static [&'static str] = &[
        MERCHANT_ID,
        BASE_URL,
        LANGUAGE,
        LANGUAGE_CASE,
        FORM,
        APPROVE_URL,
        CANCEL_URL,
        DECLINE_URL,
    ];

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, BuildError> {
        Config::from_lookup(lookup)
    }
}
