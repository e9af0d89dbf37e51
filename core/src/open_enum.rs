//! The one definition of the gateways' open vocabularies (statuses, codes, types).
//!
//! An open enum is written out in full where it lives, `pub enum` and all, inside an
//! `open_enum!` invocation; the macro re-emits that enum as written (minus the `= "wire"`
//! words) and generates only its impls:
//!
//! - `as_str()` (the wire word; `Other` gives back what it holds), `parse()` (never fails:
//!   an unknown word becomes `Other`), `From<&str>`, `From<String>`, `FromStr`
//!   (`Infallible`) and `Display` (the wire word);
//! - `Serialize` as the wire word and `Deserialize` from it, so a value survives a round trip
//!   through JSON whether the word is known or not. Deserialisation also accepts a JSON
//!   number or boolean as its text (Kapital sends `"resultCode": 1` as well as `"1"`).
//!
//! The pattern insists on `#[derive(Debug, Clone, PartialEq, Eq, Hash)]`, `#[non_exhaustive]`,
//! a doc comment on every known variant and a final `Other(String)` catch-all, so every
//! enum has the same shape. After the enum, `match <Mode>;` picks how words compare (see
//! [`Match`]).

use std::fmt;

/// How an open enum compares a received word with its known words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    /// Byte for byte; `Other` keeps the word exactly as received.
    Exact,
    /// Surrounding whitespace ignored (and dropped from `Other`), then byte for byte.
    Trimmed,
    /// Surrounding whitespace ignored, then ASCII case ignored.
    TrimmedIgnoreCase,
}

impl Match {
    pub(crate) fn prepare(self, text: &str) -> &str {
        match self {
            Match::Exact => text,
            Match::Trimmed | Match::TrimmedIgnoreCase => text.trim(),
        }
    }

    pub(crate) fn eq(self, text: &str, wire: &str) -> bool {
        match self {
            Match::Exact | Match::Trimmed => text == wire,
            Match::TrimmedIgnoreCase => text.eq_ignore_ascii_case(wire),
        }
    }
}

/// A wire word as deserialised: a string, or the text of a JSON number or boolean.
pub(crate) struct WireWord(pub(crate) String);

impl<'de> serde::Deserialize<'de> for WireWord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = WireWord;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<WireWord, E> {
                Ok(WireWord(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<WireWord, E> {
                Ok(WireWord(v))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<WireWord, E> {
                Ok(WireWord(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<WireWord, E> {
                Ok(WireWord(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<WireWord, E> {
                Ok(WireWord(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<WireWord, E> {
                serde_json::Number::from_f64(v)
                    .map(|n| WireWord(n.to_string()))
                    .ok_or_else(|| E::custom("a non-finite number is no wire word"))
            }
        }
        d.deserialize_any(V)
    }
}

/// `Serialize` as `as_str()` and `Deserialize` through `parse()`, for an open vocabulary
/// (an [`open_enum!`] or a hand-written one such as `epoint::BankCode`).
macro_rules! open_word_serde {
    ($name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = <$crate::open_enum::WireWord as serde::Deserialize>::deserialize(d)?;
                Ok($name::parse(&word.0))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::parse(s)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name::parse(&s)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name::parse(s))
            }
        }
    };
}

/// See the [module documentation](self).
macro_rules! open_enum {
    (
        $(#[doc = $doc:literal])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name:ident {
            $(
                #[doc = $vdoc1:literal]
                $(#[doc = $vdoc:literal])*
                $variant:ident = $wire:literal $(| $alias:literal)*,
            )*
            Other(String) $(,)?
        }
        match $mode:ident;
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = $vdoc1]
                $(#[doc = $vdoc])*
                $variant,
            )*
            /// A word this version of azpay does not know, kept as received.
            Other(String),
        }

        impl $name {
            /// The wire word.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Other(s) => s,
                }
            }

            /// Reads a wire word. Never fails: an unknown word becomes `Other`.
            pub fn parse(text: &str) -> Self {
                const MODE: $crate::open_enum::Match = $crate::open_enum::Match::$mode;
                let t = MODE.prepare(text);
                $(
                    if MODE.eq(t, $wire) $(|| MODE.eq(t, $alias))* {
                        return $name::$variant;
                    }
                )*
                $name::Other(t.to_owned())
            }

            /// Every known variant, in declaration order (for tests and tables).
            #[allow(dead_code)]
            pub(crate) const KNOWN: &'static [$name] = &[$($name::$variant),*];
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::open_enum::open_word_serde!($name);
    };
}

pub(crate) use open_enum;
pub(crate) use open_word_serde;

#[cfg(test)]
mod tests {
    use super::*;

    open_enum! {
        /// A test vocabulary.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Colour {
            /// `red`.
            Red = "red",
            /// `grey`, also spelt `gray`.
            Grey = "grey" | "gray",
            Other(String),
        }
        match TrimmedIgnoreCase;
    }

    #[test]
    fn parse_known_alias_and_unknown() {
        assert_eq!(Colour::parse(" RED "), Colour::Red);
        assert_eq!(Colour::parse("Gray"), Colour::Grey);
        assert_eq!(Colour::Grey.as_str(), "grey");
        assert_eq!(Colour::parse(" teal "), Colour::Other("teal".into()));
        assert_eq!(Colour::KNOWN, &[Colour::Red, Colour::Grey]);
    }

    #[test]
    fn serde_round_trip_and_scalars() {
        for c in [Colour::Red, Colour::Grey, Colour::Other("teal".into())] {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<Colour>(&json).unwrap(), c);
        }
        assert_eq!(
            serde_json::from_str::<Colour>("12").unwrap(),
            Colour::Other("12".into())
        );
        assert_eq!(
            serde_json::from_str::<Colour>("1.5").unwrap(),
            Colour::Other("1.5".into())
        );
        assert!(serde_json::from_str::<Colour>("[1]").is_err());
        assert!(serde_json::from_str::<Colour>("null").is_err());
    }

    #[test]
    fn modes() {
        assert_eq!(Match::Exact.prepare(" a "), " a ");
        assert!(!Match::Trimmed.eq("A", "a"));
        assert!(Match::TrimmedIgnoreCase.eq("A", "a"));
    }

    /// Every open vocabulary of the gateways survives a JSON round trip, known words and
    /// unknown ones alike, and serialises as its wire word.
    #[test]
    fn every_gateway_vocabulary_round_trips_through_json() {
        fn check<T>(known: &[T], unknown: &str, word: fn(&T) -> &str)
        where
            T: serde::Serialize
                + serde::de::DeserializeOwned
                + PartialEq
                + fmt::Debug
                + std::str::FromStr
                + for<'a> From<&'a str>,
        {
            assert!(!known.is_empty());
            for value in known {
                let json = serde_json::to_string(value).unwrap();
                assert_eq!(json, serde_json::to_string(word(value)).unwrap());
                let back: T = serde_json::from_str(&json).unwrap();
                assert_eq!(&back, value, "{json}");
                assert_eq!(T::from(word(value)), back);
            }
            let json = serde_json::to_string(unknown).unwrap();
            let back: T = serde_json::from_str(&json).unwrap();
            assert_eq!(word(&back), unknown);
            assert!(!known.contains(&back), "{unknown} parsed as a known word");
            assert_eq!(serde_json::to_string(&back).unwrap(), json);
        }
        use crate::{epoint as e, kapital as k, twec as t};
        check(e::Status::KNOWN, "pending-review", |v| v.as_str());
        check(e::OperationCode::KNOWN, "999", |v| v.as_str());
        check(e::CardStatus::KNOWN, "frozen", |v| v.as_str());
        let bank: Vec<e::BankCode> = e::BankCode::table()
            .iter()
            .map(|(c, _)| e::BankCode::parse(c))
            .collect();
        check(&bank, "Q99", |v| v.as_str());
        check(k::OrderType::KNOWN, "GN3D", |v| v.as_str());
        check(k::OrderStatus::KNOWN, "Frozen", |v| v.as_str());
        check(k::AuthStatus::KNOWN, "Skipped", |v| v.as_str());
        check(k::CofPurpose::KNOWN, "Moto", |v| v.as_str());
        check(k::InitiationEnvKind::KNOWN, "Kiosk", |v| v.as_str());
        check(k::TranPhase::KNOWN, "Reversal", |v| v.as_str());
        check(k::TranType::KNOWN, "Payout", |v| v.as_str());
        check(k::ErrorCode::KNOWN, "NewErrorCode", |v| v.as_str());
        check(k::PmoResultCode::KNOWN, "77", |v| v.as_str());
        check(t::StatusCode::KNOWN, "77", |v| v.as_str());
        check(t::OrderStatus::KNOWN, "ON-HOLD", |v| v.as_str());
        let responses: Vec<t::ResponseCode> = t::RESPONSE_CODES
            .iter()
            .map(|(c, _)| t::ResponseCode::parse(c))
            .collect();
        check(&responses, "Z99", |v| v.as_str());
    }
}
