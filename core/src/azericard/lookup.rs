//! [`Config::from_lookup`]: Azericard's configuration from the `AZERICARD_*` variables.

use super::config::Config;

const BASE_URL: &str = "AZERICARD_BASE_URL";
const MERCHANT_ID: &str = "AZERICARD_MERCHANT_ID";
const MERCHANT_NAME: &str = "AZERICARD_MERCHANT_NAME";
const MERCHANT_URL: &str = "AZERICARD_MERCHANT_URL";
const MERCHANT_EMAIL: &str = "AZERICARD_MERCHANT_EMAIL";
const CALLBACK_URL: &str = "AZERICARD_CALLBACK_URL";
const KEY_FILE_PATH: &str = "AZERICARD_KEY_FILE_PATH";
const GATEWAY_PUBLIC_KEY_PATH: &str = "AZERICARD_GATEWAY_PUBLIC_KEY_PATH";
const INTERFACE_LANG: &str = "AZERICARD_INTERFACE_LANG";
const LEGACY_MAC_KEY: &str = "AZERICARD_LEGACY_MAC_KEY";

/// Every variable [`Config::from_lookup`] reads, required ones first.
pub const VARIABLES: &[&str] = &[
    MERCHANT_ID,
    KEY_FILE_PATH,
    BASE_URL,
    MERCHANT_NAME,
    MERCHANT_URL,
    MERCHANT_EMAIL,
    CALLBACK_URL,
    GATEWAY_PUBLIC_KEY_PATH,
    INTERFACE_LANG,
    LEGACY_MAC_KEY,
];

impl Config {
    /// The configuration from the variables the `azpay` CLI reads, asked of `lookup` by
    /// name (an empty value counts as unset). The key files are read through `read_file`
    /// (the core reads no file): pass a closure over your file API that returns the bytes or
    /// the error in words.
    ///
    /// | variable | setting |
    /// |---|---|
    /// | `AZERICARD_MERCHANT_ID` | required: `TERMINAL` |
    /// | `AZERICARD_KEY_FILE_PATH` | required (unless `AZERICARD_LEGACY_MAC_KEY`): the merchant's RSA private key, PEM |
    /// | `AZERICARD_GATEWAY_PUBLIC_KEY_PATH` | Azericard's public key, PEM ([`Config::gateway_key`]) |
    /// | `AZERICARD_BASE_URL` | [`Config::base_url`] (default the test host) |
    /// | `AZERICARD_MERCHANT_NAME`, `AZERICARD_MERCHANT_URL`, `AZERICARD_MERCHANT_EMAIL` | `MERCH_NAME`, `MERCH_URL`, `EMAIL` |
    /// | `AZERICARD_CALLBACK_URL` | `BACKREF` |
    /// | `AZERICARD_INTERFACE_LANG` | `LANG`: `az`, `en` or `ru` |
    /// | `AZERICARD_LEGACY_MAC_KEY` | the legacy HMAC-SHA1 scheme with this hex key ([`Config::legacy_hmac`]) |
    ///
    /// The error is a [`crate::BuildError::InvalidInput`] whose `field` is the variable's name.
    #[cfg(feature = "azericard-rsa")]
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        read_file: impl Fn(&str) -> Result<Vec<u8>, String>,
    ) -> Result<Config, crate::BuildError> {
        use super::sign::{RsaPemSigner, RsaPublicKey};
        use crate::lookup::{renamed, Vars};
        use crate::BuildError;
        use crate::Language;
        let vars = Vars(lookup);
        let terminal = vars.required(MERCHANT_ID)?;
        let read = |var: &'static str, path: &str| {
            read_file(path)
                .map_err(|e| BuildError::invalid(var, format!("cannot read `{path}`: {e}")))
        };
        let mut config = match vars.get(LEGACY_MAC_KEY) {
            Some(key) => Config::legacy_hmac(terminal, key),
            None => {
                let path = vars.required(KEY_FILE_PATH)?;
                let signer = RsaPemSigner::from_pem(&read(KEY_FILE_PATH, &path)?)
                    .map_err(|e| BuildError::invalid(KEY_FILE_PATH, e.to_string()))?;
                Config::new(terminal, signer)
            }
        };
        if let Some(path) = vars.get(GATEWAY_PUBLIC_KEY_PATH) {
            let key = RsaPublicKey::from_pem(&read(GATEWAY_PUBLIC_KEY_PATH, &path)?)
                .map_err(|e| BuildError::invalid(GATEWAY_PUBLIC_KEY_PATH, e.to_string()))?;
            config = config.gateway_key(key);
        }
        if let Some(language) = vars.parsed(INTERFACE_LANG, "az, en or ru", |v| {
            v.parse::<Language>().ok()
        })? {
            config = config.language(language);
        }
        if let Some(v) = vars.get(MERCHANT_NAME) {
            config = config.merchant_name(v);
        }
        if let Some(v) = vars.get(MERCHANT_URL) {
            config = config.merchant_url(v);
        }
        if let Some(v) = vars.get(MERCHANT_EMAIL) {
            config = config.email(v);
        }
        if let Some(v) = vars.get(CALLBACK_URL) {
            config = config.callback_url(v);
        }
        if let Some(url) = vars.get(BASE_URL) {
            config = renamed(BASE_URL, config.base_url(url))?;
        }
        Ok(config)
    }
}
