//! Building a gateway's configuration from named variables: [`FromLookup`].
//!
//! Every gateway's `Config` has a `from_lookup` constructor that reads the variables the
//! `azpay` CLI reads (`EPOINT_*`, `KAPITAL_*`, `TWEC_*`, listed in `docs/cli.md`) through a
//! function the caller passes. The core never reads the environment itself: the caller
//! decides where the values come from, the process environment
//! (`|name| env::var(name).ok()`), a secrets manager, a test's map. A transport or facade
//! crate offers the one-line `from_env::<C>()` on top of the [`FromLookup`] trait.
//!
//! An empty value counts as unset. A missing required variable, or a value that does not
//! parse, is one [`BuildError::InvalidInput`] whose `field` is the variable's name; the
//! reason never repeats a secret's value.
//!
//! ```
//! use std::collections::HashMap;
//! use azpay_core::{epoint, BuildError, FromLookup, Language};
//!
//! let vars = HashMap::from([
//!     ("EPOINT_PUBLIC_KEY", "i000000001"),
//!     ("EPOINT_PRIVATE_KEY", "my-private-key"),
//!     ("EPOINT_INTERFACE_LANG", "en"),
//!     ("EPOINT_BASE_URL", ""), // empty: unset, the default stays
//! ]);
//! let lookup = |name: &str| vars.get(name).map(|v| v.to_string());
//! let config = epoint::Config::from_lookup(lookup)?;
//! assert_eq!(config.public_key(), "i000000001");
//! assert_eq!(config.default_language(), Language::En);
//! assert_eq!(config.base(), epoint::DEFAULT_BASE_URL);
//!
//! // Generic code (a `from_env::<C>()`) goes through the trait.
//! fn build<C: FromLookup>(lookup: impl Fn(&str) -> Option<String>) -> Result<C, BuildError> {
//!     C::from_lookup(lookup)
//! }
//! let err = build::<azpay_core::kapital::Config>(|_| None).unwrap_err();
//! assert_eq!(err.field(), Some("KAPITAL_USERNAME"));
//! # Ok::<(), BuildError>(())
//! ```

use crate::BuildError;

/// A configuration that can be built from named variables (see the [module](self) docs).
///
/// Implemented by [`crate::epoint::Config`], [`crate::kapital::Config`] and
/// [`crate::twec::Config`]; each also has the same constructor as an inherent
/// `Config::from_lookup`.
pub trait FromLookup: Sized {
    /// The names of every variable read, required ones first.
    const VARIABLES: &'static [&'static str];

    /// Builds the configuration, asking `lookup` for each variable by name. An empty value
    /// counts as unset. The error names the first missing or invalid variable.
    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, BuildError>;
}

/// The caller's lookup, with an empty value read as unset.
pub(crate) struct Vars<F>(pub(crate) F);

impl<F: Fn(&str) -> Option<String>> Vars<F> {
    /// The value of `name`, if set and not empty.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        (self.0)(name).filter(|v| !v.is_empty())
    }

    /// The value of `name`, or an error naming it.
    pub(crate) fn required(&self, name: &'static str) -> Result<String, BuildError> {
        self.get(name)
            .ok_or_else(|| BuildError::invalid(name, "is not set (or is empty)"))
    }

    /// The value of `name` parsed with `parse`, if set; a parse failure names the variable
    /// and repeats the (non-secret) value.
    pub(crate) fn parsed<T>(
        &self,
        name: &'static str,
        expected: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, BuildError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => match parse(&v) {
                Some(t) => Ok(Some(t)),
                None => Err(BuildError::invalid(
                    name,
                    format!("`{}` is not {expected}", v.escape_debug()),
                )),
            },
        }
    }
}

/// Renames the field of an [`BuildError::InvalidInput`] raised by a setter (`base_url`) to
/// the variable that held the value.
pub(crate) fn renamed<T>(
    variable: &'static str,
    r: Result<T, BuildError>,
) -> Result<T, BuildError> {
    r.map_err(|e| match e {
        BuildError::InvalidInput { reason, .. } => BuildError::invalid(variable, reason),
        other => BuildError::invalid(variable, other.to_string()),
    })
}
