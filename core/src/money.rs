//! Money: [`Amount`] in exact minor units and [`Currency`] with its ISO 4217 codes.
//!
//! No float touches money anywhere in azpay. Amounts come in as text (`"10.50"`) or minor units
//! (`1050`) and go out in each gateway's wire form: `"10.50"` for EPoint and Kapital's JSON,
//! `1050` for TWEC's XML.
//!
//! ```
//! use azpay_core::{Amount, Currency};
//! let a = Amount::parse_major("10.5", Currency::AZN)?;
//! assert_eq!(a.minor(), 1050);
//! assert_eq!(a.to_major_string(), "10.50");
//! assert!(Amount::parse_major("1.234", Currency::AZN).is_err());
//! assert!(Amount::parse_major("-1", Currency::AZN).is_err());
//! # Ok::<(), azpay_core::AmountError>(())
//! ```

use std::fmt;

/// A currency: ISO 4217 alphabetic and numeric codes and the number of minor-unit digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    alpha: [u8; 3],
    numeric: u16,
    exponent: u8,
}

impl Currency {
    /// Azerbaijani manat (944), the only currency Kapital's TWEC gateway takes.
    pub const AZN: Currency = Currency::new_const(*b"AZN", 944, 2);
    /// US dollar (840).
    pub const USD: Currency = Currency::new_const(*b"USD", 840, 2);
    /// Euro (978).
    pub const EUR: Currency = Currency::new_const(*b"EUR", 978, 2);
    /// Pound sterling (826).
    pub const GBP: Currency = Currency::new_const(*b"GBP", 826, 2);
    /// Russian rouble (643).
    pub const RUB: Currency = Currency::new_const(*b"RUB", 643, 2);
    /// Turkish lira (949).
    pub const TRY: Currency = Currency::new_const(*b"TRY", 949, 2);
    /// Georgian lari (981).
    pub const GEL: Currency = Currency::new_const(*b"GEL", 981, 2);
    /// Kazakhstani tenge (398).
    pub const KZT: Currency = Currency::new_const(*b"KZT", 398, 2);
    /// Bangladeshi taka (050).
    pub const BDT: Currency = Currency::new_const(*b"BDT", 50, 2);
    /// Nepalese rupee (524).
    pub const NPR: Currency = Currency::new_const(*b"NPR", 524, 2);
    /// The currencies azpay knows by name.
    pub const KNOWN: &'static [Currency] = &[
        Currency::AZN,
        Currency::USD,
        Currency::EUR,
        Currency::GBP,
        Currency::RUB,
        Currency::TRY,
        Currency::GEL,
        Currency::KZT,
        Currency::BDT,
        Currency::NPR,
    ];
}

impl Currency {
    const fn new_const(alpha: [u8; 3], numeric: u16, exponent: u8) -> Currency {
        Currency {
            alpha,
            numeric,
            exponent,
        }
    }

    /// A currency azpay does not know by name. The alphabetic code must be three ASCII
    /// capital letters, the numeric code at most 999, the exponent at most 4.
    pub fn new(alpha: &str, numeric: u16, exponent: u8) -> Result<Currency, AmountError> {
        let bytes = alpha.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_uppercase) {
            return Err(AmountError::UnknownCurrency(alpha.to_owned()));
        }
        if numeric > 999 || exponent > 4 {
            return Err(AmountError::UnknownCurrency(alpha.to_owned()));
        }
        Ok(Currency {
            alpha: [bytes[0], bytes[1], bytes[2]],
            numeric,
            exponent,
        })
    }

    /// Looks up a known currency by its alphabetic code (`"AZN"`), case-insensitively.
    pub fn from_alpha(code: &str) -> Result<Currency, AmountError> {
        Currency::KNOWN
            .iter()
            .copied()
            .find(|c| c.alpha().eq_ignore_ascii_case(code))
            .ok_or_else(|| AmountError::UnknownCurrency(code.to_owned()))
    }

    /// Looks up a known currency by its numeric code (`944`).
    pub fn from_numeric(code: u16) -> Result<Currency, AmountError> {
        Currency::KNOWN
            .iter()
            .copied()
            .find(|c| c.numeric == code)
            .ok_or_else(|| AmountError::UnknownCurrency(code.to_string()))
    }

    /// Parses `"AZN"` or `"944"` into a known currency.
    pub fn parse(code: &str) -> Result<Currency, AmountError> {
        if !code.is_empty() && code.len() <= 3 && code.bytes().all(|b| b.is_ascii_digit()) {
            let n: u16 = code
                .parse()
                .map_err(|_| AmountError::UnknownCurrency(code.to_owned()))?;
            Currency::from_numeric(n)
        } else {
            Currency::from_alpha(code)
        }
    }

    /// The alphabetic code, e.g. `"AZN"`.
    pub fn alpha(&self) -> &str {
        // Always three ASCII capitals: checked in `new`, literal in the constants.
        std::str::from_utf8(&self.alpha).unwrap_or("???")
    }

    /// The numeric code, e.g. `944`.
    pub fn numeric(&self) -> u16 {
        self.numeric
    }

    /// The numeric code as three digits, e.g. `"944"`, `"050"`.
    pub fn numeric_string(&self) -> String {
        format!("{:03}", self.numeric)
    }

    /// How many digits the minor unit has (2 for AZN: 1 manat = 100 qəpik).
    pub fn exponent(&self) -> u8 {
        self.exponent
    }
}

/// `"AZN"` or `"944"`, as [`Currency::parse`].
///
/// ```
/// use azpay_core::Currency;
/// let c: Currency = "azn".parse()?;
/// assert_eq!(c, Currency::AZN);
/// assert_eq!(Currency::try_from("944")?, Currency::AZN);
/// assert!("XYZ".parse::<Currency>().is_err());
/// # Ok::<(), azpay_core::AmountError>(())
/// ```
impl std::str::FromStr for Currency {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::parse(s)
    }
}

/// `"AZN"` or `"944"`, as [`Currency::parse`].
impl TryFrom<&str> for Currency {
    type Error = AmountError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Currency::parse(s)
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({:03})", self.alpha(), self.numeric)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.alpha())
    }
}

/// Why an amount or currency was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AmountError {
    /// The text is empty.
    #[error("amount is empty")]
    Empty,
    /// The text is not a plain decimal number (digits, at most one `.`).
    #[error("amount `{0}` is not a decimal number")]
    NotANumber(String),
    /// A minus sign: amounts are never negative.
    #[error("amount `{0}` is negative")]
    Negative(String),
    /// More decimals than the currency has minor digits (`1.234` for AZN).
    #[error("amount `{text}` has more than {max} decimals")]
    TooManyDecimals {
        /// The text given.
        text: String,
        /// The currency's exponent.
        max: u8,
    },
    /// Larger than the largest amount representable.
    #[error("amount `{0}` is too large")]
    Overflow(String),
    /// Not a currency azpay knows.
    #[error("unknown currency `{0}`")]
    UnknownCurrency(String),
    /// Two amounts of different currencies were combined.
    #[error("currency mismatch: {0} and {1}")]
    CurrencyMismatch(Currency, Currency),
}

/// An exact amount of money: a count of minor units (qəpik, cents) and its currency.
///
/// ```
/// use azpay_core::{Amount, Currency};
/// let a = Amount::from_minor(1050, Currency::AZN);
/// assert_eq!(a.to_major_string(), "10.50"); // EPoint and Kapital JSON
/// assert_eq!(a.minor(), 1050);              // TWEC XML
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Amount {
    minor: u64,
    currency: Currency,
}

impl Amount {
    /// An amount from minor units: `from_minor(1050, AZN)` is 10.50 AZN.
    pub const fn from_minor(minor: u64, currency: Currency) -> Amount {
        Amount { minor, currency }
    }

    /// Parses major units as typed by a person: `"10"`, `"10.5"`, `"10.50"`.
    ///
    /// Refuses empty text, signs, spaces, exponents, more decimals than the currency has,
    /// and anything over `u64::MAX` minor units. Never rounds.
    pub fn parse_major(text: &str, currency: Currency) -> Result<Amount, AmountError> {
        let minor = parse_decimal(text, currency.exponent, false)?;
        let minor = u64::try_from(minor).map_err(|_| AmountError::Overflow(text.to_owned()))?;
        Ok(Amount { minor, currency })
    }

    /// Parses an amount as a gateway writes it in a response (`"1"`, `"1.0"`, `"2.360"`).
    /// Like [`Amount::parse_major`] but extra decimals are accepted when they are zeros, since
    /// they change nothing; a non-zero digit past the currency's exponent is still refused.
    pub fn parse_wire(text: &str, currency: Currency) -> Result<Amount, AmountError> {
        let minor = parse_decimal(text, currency.exponent, true)?;
        let minor = u64::try_from(minor).map_err(|_| AmountError::Overflow(text.to_owned()))?;
        Ok(Amount { minor, currency })
    }

    /// The count of minor units.
    pub const fn minor(&self) -> u64 {
        self.minor
    }

    /// The currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is zero.
    pub const fn is_zero(&self) -> bool {
        self.minor == 0
    }

    /// Major units with exactly the currency's number of decimals: `"10.50"`.
    pub fn to_major_string(&self) -> String {
        format_minor(self.minor as i128, self.currency.exponent)
    }

    /// Adds two amounts of the same currency; `None` on overflow or mismatch.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        if self.currency != other.currency {
            return None;
        }
        Some(Amount::from_minor(
            self.minor.checked_add(other.minor)?,
            self.currency,
        ))
    }

    /// Subtracts an amount of the same currency; `None` below zero or on mismatch.
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        if self.currency != other.currency {
            return None;
        }
        Some(Amount::from_minor(
            self.minor.checked_sub(other.minor)?,
            self.currency,
        ))
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({} {})", self.to_major_string(), self.currency)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_major_string(), self.currency)
    }
}

/// Formats a signed count of minor units as a decimal with `exponent` decimals.
pub(crate) fn format_minor(minor: i128, exponent: u8) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if exponent == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u128.pow(u32::from(exponent));
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = usize::from(exponent)
    )
}

/// Parses a decimal text exactly into minor units. `lenient_zeros` accepts extra trailing
/// zero decimals (wire form); `-` is accepted only through [`parse_signed_minor`].
fn parse_decimal(text: &str, exponent: u8, lenient_zeros: bool) -> Result<i128, AmountError> {
    if text.starts_with('-') {
        return Err(AmountError::Negative(text.to_owned()));
    }
    parse_unsigned(text, exponent, lenient_zeros)
}

fn parse_unsigned(text: &str, exponent: u8, lenient_zeros: bool) -> Result<i128, AmountError> {
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let nan = || AmountError::NotANumber(text.to_owned());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return Err(nan());
    }
    let frac = match frac {
        None => "",
        Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => return Err(nan()),
        Some(f) => f,
    };
    let max = usize::from(exponent);
    let frac = if frac.len() > max {
        let (keep, extra) = frac.split_at(max);
        if !lenient_zeros || extra.bytes().any(|b| b != b'0') {
            return Err(AmountError::TooManyDecimals {
                text: text.to_owned(),
                max: exponent,
            });
        }
        keep
    } else {
        frac
    };
    let overflow = || AmountError::Overflow(text.to_owned());
    // Strip leading zeros so that the length check below bounds the value.
    let int = int.trim_start_matches('0');
    if int.len() > 30 {
        return Err(overflow());
    }
    let mut value: i128 = 0;
    for b in int.bytes() {
        value = value * 10 + i128::from(b - b'0');
    }
    for i in 0..max {
        let digit = frac.as_bytes().get(i).map_or(0, |b| b - b'0');
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i128::from(digit)))
            .ok_or_else(overflow)?;
    }
    if value > i128::from(u64::MAX) {
        return Err(overflow());
    }
    Ok(value)
}

/// Parses a signed wire decimal (`"-1"`, `"2.00"`) into signed minor units, exactly, for
/// response fields that may be negative (Kapital's `clearAmount` of a refund).
pub(crate) fn parse_signed_minor(text: &str, exponent: u8) -> Result<i64, AmountError> {
    let (neg, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let v = parse_unsigned(rest, exponent, true)?;
    let v = if neg { -v } else { v };
    i64::try_from(v).map_err(|_| AmountError::Overflow(text.to_owned()))
}

/// A decimal as a gateway sent it in JSON: a number (`1.0`) or a string (`"1.00"`), kept as
/// its exact text so that no float ever holds money. Parse it with [`JsonDecimal::amount`].
#[derive(Clone, PartialEq, Eq)]
pub struct JsonDecimal(String);

impl JsonDecimal {
    /// The text as received (without quotes).
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The exact amount in the given currency (zeros beyond the exponent are accepted).
    pub fn amount(&self, currency: Currency) -> Result<Amount, AmountError> {
        Amount::parse_wire(&self.0, currency)
    }
    /// The exact signed count of minor units, for fields that may be negative.
    pub fn signed_minor(&self, exponent: u8) -> Result<i64, AmountError> {
        parse_signed_minor(&self.0, exponent)
    }
}

impl fmt::Debug for JsonDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JsonDecimal({})", self.0)
    }
}

impl fmt::Display for JsonDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for JsonDecimal {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let raw: Box<serde_json::value::RawValue> = serde::Deserialize::deserialize(d)?;
        let text = raw.get();
        if text.starts_with('"') {
            let s: String = serde_json::from_str(text).map_err(D::Error::custom)?;
            Ok(JsonDecimal(s))
        } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            Ok(JsonDecimal(text.to_owned()))
        } else {
            Err(D::Error::custom(format!(
                "expected a decimal, found {text}"
            )))
        }
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.alpha())
    }
}

/// Serialised as `{"value":"10.50","currency":"AZN"}`: exact text, never a float.
impl serde::Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Amount", 2)?;
        st.serialize_field("value", &self.to_major_string())?;
        st.serialize_field("currency", &self.currency)?;
        st.end()
    }
}

/// Read back from its alpha code (`"AZN"`), as serialised; a code azpay does not know is an
/// error.
impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let code = String::deserialize(d)?;
        Currency::from_alpha(&code).map_err(D::Error::custom)
    }
}

/// Read back from `{"value":"10.50","currency":"AZN"}`, exactly: the value is parsed as
/// [`Amount::parse_major`] does, so `10.005`, `-1` or a JSON number are errors, never a
/// rounding.
///
/// ```
/// use azpay_core::{Amount, Currency};
/// let a = Amount::parse_major("10.50", Currency::USD)?;
/// let json = serde_json::to_string(&a)?;
/// assert_eq!(json, r#"{"value":"10.50","currency":"USD"}"#);
/// assert_eq!(serde_json::from_str::<Amount>(&json)?, a);
/// assert!(serde_json::from_str::<Amount>(r#"{"value":"10.005","currency":"AZN"}"#).is_err());
/// assert!(serde_json::from_str::<Amount>(r#"{"value":10.5,"currency":"AZN"}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl<'de> serde::Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Wire {
            value: String,
            currency: Currency,
        }
        let w = Wire::deserialize(d)?;
        Amount::parse_major(&w.value, w.currency).map_err(D::Error::custom)
    }
}

impl serde::Serialize for JsonDecimal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AZN: Currency = Currency::AZN;

    #[test]
    fn parses_major_units_exactly() {
        assert_eq!(Amount::parse_major("10", AZN).unwrap().minor(), 1000);
        assert_eq!(Amount::parse_major("10.5", AZN).unwrap().minor(), 1050);
        assert_eq!(Amount::parse_major("10.50", AZN).unwrap().minor(), 1050);
        assert_eq!(Amount::parse_major("0.01", AZN).unwrap().minor(), 1);
        assert_eq!(Amount::parse_major("0", AZN).unwrap().minor(), 0);
        assert_eq!(Amount::parse_major("007.10", AZN).unwrap().minor(), 710);
        assert_eq!(
            Amount::parse_major("184467440737095516.15", AZN)
                .unwrap()
                .minor(),
            u64::MAX
        );
    }

    #[test]
    fn refuses_what_is_not_money() {
        for bad in [
            "", "abc", "-1", "1.234", "10.005", "1.", ".5", "+1", " 1", "1 ", "1e3", "1,5", "0x10",
            "1.2.3", "NaN", "inf", "١",
        ] {
            assert!(Amount::parse_major(bad, AZN).is_err(), "{bad:?} parsed");
        }
        assert_eq!(Amount::parse_major("", AZN), Err(AmountError::Empty));
        assert!(matches!(
            Amount::parse_major("-1", AZN),
            Err(AmountError::Negative(_))
        ));
        assert!(matches!(
            Amount::parse_major("1.234", AZN),
            Err(AmountError::TooManyDecimals { max: 2, .. })
        ));
        assert!(matches!(
            Amount::parse_major("184467440737095516.16", AZN),
            Err(AmountError::Overflow(_))
        ));
        assert!(matches!(
            Amount::parse_major("99999999999999999999999999999999999999999", AZN),
            Err(AmountError::Overflow(_))
        ));
        // Strict for people, even when the extra digit is zero.
        assert!(Amount::parse_major("1.230", AZN).is_err());
    }

    #[test]
    fn wire_forms() {
        let a = Amount::from_minor(1050, AZN);
        assert_eq!(a.to_major_string(), "10.50");
        assert_eq!(Amount::from_minor(5, AZN).to_major_string(), "0.05");
        assert_eq!(Amount::from_minor(0, AZN).to_major_string(), "0.00");
        assert_eq!(
            Amount::from_minor(u64::MAX, AZN).to_major_string(),
            "184467440737095516.15"
        );
        let jpy_like = Currency::new("JPY", 392, 0).unwrap();
        assert_eq!(Amount::from_minor(150, jpy_like).to_major_string(), "150");
        assert_eq!(format!("{a}"), "10.50 AZN");
        assert_eq!(format!("{a:?}"), "Amount(10.50 AZN)");
    }

    #[test]
    fn wire_parsing_accepts_trailing_zeros_only() {
        assert_eq!(Amount::parse_wire("2.360", AZN).unwrap().minor(), 236);
        assert_eq!(Amount::parse_wire("1.0", AZN).unwrap().minor(), 100);
        assert!(Amount::parse_wire("2.365", AZN).is_err());
        assert_eq!(parse_signed_minor("-1", 2), Ok(-100));
        assert_eq!(parse_signed_minor("-0.5", 2), Ok(-50));
        assert!(parse_signed_minor("--1", 2).is_err());
    }

    #[test]
    fn json_decimal_keeps_the_text() {
        #[derive(serde::Deserialize)]
        struct T {
            a: JsonDecimal,
            b: JsonDecimal,
            c: JsonDecimal,
        }
        let t: T = serde_json::from_str(r#"{"a":2.36,"b":"10.50","c":-1}"#).unwrap();
        assert_eq!(t.a.amount(AZN).unwrap().minor(), 236);
        assert_eq!(t.b.amount(AZN).unwrap().minor(), 1050);
        assert_eq!(t.c.signed_minor(2).unwrap(), -100);
        // 0.1 + 0.2 style floats never appear: the text is exact.
        let t: T = serde_json::from_str(r#"{"a":0.29,"b":"0.57","c":1.15}"#).unwrap();
        assert_eq!(t.a.amount(AZN).unwrap().minor(), 29);
        assert_eq!(t.c.amount(AZN).unwrap().minor(), 115);
        assert!(serde_json::from_str::<T>(r#"{"a":true,"b":"1","c":1}"#).is_err());
    }

    #[test]
    fn currencies() {
        assert_eq!(Currency::parse("AZN").unwrap(), AZN);
        assert_eq!(Currency::parse("azn").unwrap(), AZN);
        assert_eq!(Currency::parse("944").unwrap(), AZN);
        assert_eq!(Currency::parse("050").unwrap(), Currency::BDT);
        assert_eq!(Currency::BDT.numeric_string(), "050");
        assert!(Currency::parse("XXX").is_err());
        assert!(Currency::parse("").is_err());
        assert!(Currency::new("az", 944, 2).is_err());
    }

    #[test]
    fn arithmetic_is_checked() {
        let a = Amount::from_minor(100, AZN);
        let b = Amount::from_minor(30, AZN);
        assert_eq!(a.checked_sub(b).unwrap().minor(), 70);
        assert!(b.checked_sub(a).is_none());
        assert!(a
            .checked_add(Amount::from_minor(1, Currency::USD))
            .is_none());
        assert!(Amount::from_minor(u64::MAX, AZN).checked_add(b).is_none());
    }
}
