//! The interface languages the three gateways share: Azerbaijani, English, Russian.

use std::fmt;

/// The language of the gateway's payment page and messages.
///
/// EPoint and Kapital's JSON API write it in lower case (`az`), TWEC in upper case (`AZ`).
///
/// ```
/// use azpay_core::Language;
/// let l: Language = "EN".parse()?;
/// assert_eq!(l, Language::En);
/// assert_eq!(l.as_lower(), "en");
/// assert_eq!(l.as_upper(), "EN");
/// assert!("xx".parse::<Language>().is_err());
/// # Ok::<(), azpay_core::language::UnknownLanguage>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// Azerbaijani (`az`), the default of every gateway here.
    #[default]
    Az,
    /// English (`en`).
    En,
    /// Russian (`ru`).
    Ru,
}

impl Language {
    /// `"az"`, `"en"` or `"ru"`.
    pub fn as_lower(&self) -> &'static str {
        match self {
            Language::Az => "az",
            Language::En => "en",
            Language::Ru => "ru",
        }
    }

    /// `"AZ"`, `"EN"` or `"RU"`.
    pub fn as_upper(&self) -> &'static str {
        match self {
            Language::Az => "AZ",
            Language::En => "EN",
            Language::Ru => "RU",
        }
    }
}

/// A language code other than `az`, `en` or `ru`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}` (expected az, en or ru)")]
pub struct UnknownLanguage(pub String);

impl std::str::FromStr for Language {
    type Err = UnknownLanguage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "az" => Ok(Language::Az),
            "en" => Ok(Language::En),
            "ru" => Ok(Language::Ru),
            _ => Err(UnknownLanguage(s.to_owned())),
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_lower())
    }
}

impl serde::Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_lower())
    }
}
