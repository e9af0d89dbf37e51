//! [`Pay`]: the payment form (TRTYPE `1` purchase, `0` pre-authorisation).

use super::{amount_text, check_order, check_terminal, check_text, currency_text};
use crate::azericard::codes::TrType;
use crate::azericard::config::{Config, Stamp};
use crate::azericard::outcome::PaymentForm;
use crate::{input, Amount, BuildError, Language};

/// A purchase (TRTYPE `1`) or a hold (TRTYPE `0`): the form the customer's browser posts to
/// Azericard, which shows its payment page and posts the result to `BACKREF`
/// ([`crate::azericard::verify_callback`]). Nothing is sent by azpay: [`Pay::form`] builds
/// and signs the form.
///
/// Fields in order: `AMOUNT, CURRENCY, ORDER, DESC, MERCH_NAME, MERCH_URL, TERMINAL, EMAIL,
/// TRTYPE, COUNTRY, MERCH_GMT, BACKREF, TIMESTAMP, NONCE, LANG, NAME, M_INFO, P_SIGN`, unset
/// optional ones left out. `P_SIGN` signs `AMOUNT, CURRENCY, TERMINAL, TRTYPE, TIMESTAMP,
/// NONCE, MERCH_URL` (the legacy scheme: `AMOUNT, CURRENCY, ORDER, DESC, MERCH_NAME,
/// MERCH_URL, TERMINAL, EMAIL, TRTYPE, COUNTRY, MERCH_GMT, TIMESTAMP, NONCE, BACKREF`).
///
/// ```
/// use azpay_core::azericard::{mac_source, Config, Pay, SignError, Stamp};
/// use azpay_core::{Amount, Currency};
/// let signer = |m: &[u8]| -> Result<Vec<u8>, SignError> {
///     assert_eq!(m, b"510.503AZN81720219111142025012304460816f2b2dd7e603a7ada23https://shop.example.az");
///     Ok(vec![0xab, 0xcd])
/// };
/// let config = Config::new("17202191", signer)
///     .merchant_name("Shop")
///     .merchant_url("https://shop.example.az")
///     .callback_url("https://shop.example.az/back");
/// let form = Pay::purchase(Amount::parse_major("10.5", Currency::AZN)?, "000001", "Books")
///     .stamp(Stamp::new("20250123044608", "f2b2dd7e603a7ada")?)
///     .form(&config)?;
/// assert_eq!(form.action(), "https://testmpi.3dsecure.az/cgi-bin/cgi_link");
/// assert_eq!(form.field("AMOUNT"), Some("10.50"));
/// assert_eq!(form.field("P_SIGN"), Some("abcd"));
/// assert_eq!(form.field("EMAIL"), None); // unset: absent
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pay {
    trtype: TrType,
    amount: Amount,
    order: String,
    description: String,
    stamp: Option<Stamp>,
    language: Option<Language>,
    email: Option<String>,
    callback_url: Option<String>,
    cardholder_name: Option<String>,
    m_info: Option<String>,
}

impl Pay {
    fn new(trtype: TrType, amount: Amount, order: String, description: String) -> Self {
        Pay {
            trtype,
            amount,
            order,
            description,
            stamp: None,
            language: None,
            email: None,
            callback_url: None,
            cardholder_name: None,
            m_info: None,
        }
    }

    /// A purchase (TRTYPE `1`) of `amount` for `order` (6–32 digits), described by
    /// `description` (`DESC`, 1–50 characters).
    pub fn purchase(
        amount: Amount,
        order: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self::new(TrType::Purchase, amount, order.into(), description.into())
    }

    /// A pre-authorisation (TRTYPE `0`): the amount is held; complete it with
    /// [`crate::azericard::Complete`] or release it with [`crate::azericard::Reverse`].
    pub fn preauth(
        amount: Amount,
        order: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self::new(TrType::PreAuth, amount, order.into(), description.into())
    }

    /// `TIMESTAMP` and `NONCE` (else the configuration's [`crate::azericard::StampSource`]).
    pub fn stamp(mut self, stamp: Stamp) -> Self {
        self.stamp = Some(stamp);
        self
    }

    /// `LANG` (default: the configuration's).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// `EMAIL` (default: the configuration's).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// `BACKREF` (default: the configuration's callback URL).
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// `NAME`: the cardholder's name (2–45 characters).
    pub fn cardholder_name(mut self, name: impl Into<String>) -> Self {
        self.cardholder_name = Some(name.into());
        self
    }

    /// `M_INFO`: base64 of the browser and phone JSON the document describes (at most 35000
    /// characters), passed through as given.
    pub fn m_info(mut self, m_info: impl Into<String>) -> Self {
        self.m_info = Some(m_info.into());
        self
    }

    /// The transaction type (`1` or `0`).
    pub fn trtype(&self) -> &TrType {
        &self.trtype
    }

    /// The amount.
    pub fn amount(&self) -> Amount {
        self.amount
    }

    /// `ORDER`.
    pub fn order(&self) -> &str {
        &self.order
    }

    /// Checks every field, signs, and returns the form.
    ///
    /// # Errors
    ///
    /// [`BuildError::InvalidInput`] naming the field (`order`, `amount`, `description`,
    /// `merchant_name`, `merchant_url`, `callback_url`, `email`, `terminal`, `timestamp`, …);
    /// [`BuildError::Encoding`] when the signer fails.
    pub fn form(&self, config: &Config) -> Result<PaymentForm, BuildError> {
        check_order(&self.order)?;
        let amount = amount_text(&self.amount)?;
        let currency = currency_text(&self.amount);
        let legacy = config.is_legacy();
        check_text("description", &self.description, 1, 50, legacy)?;
        let merch_name = config.default_merchant_name().ok_or_else(|| {
            BuildError::invalid(
                "merchant_name",
                "is not set (MERCH_NAME, in the configuration)",
            )
        })?;
        check_text("merchant_name", merch_name, 1, 50, legacy)?;
        let merch_url = config.default_merchant_url().ok_or_else(|| {
            BuildError::invalid(
                "merchant_url",
                "is not set (MERCH_URL, in the configuration)",
            )
        })?;
        check_text("merchant_url", merch_url, 1, 250, true)?;
        let backref = self
            .callback_url
            .as_deref()
            .or(config.default_callback_url())
            .ok_or_else(|| {
                BuildError::invalid(
                    "callback_url",
                    "is not set (BACKREF: where the result is posted)",
                )
            })?;
        check_text("callback_url", backref, 1, 250, true)?;
        input::browser_url(backref).map_err(|r| BuildError::invalid("callback_url", r))?;
        let email = self.email.as_deref().or(config.default_email());
        if let Some(e) = email {
            check_text("email", e, 3, 80, true)?;
        }
        check_terminal(config.terminal())?;
        let country = config.country_in_use();
        if let Some(c) = country {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(BuildError::invalid("country", "must be 2 letters"));
            }
        }
        let gmt = config.merchant_gmt_in_use();
        if let Some(g) = gmt {
            check_text("merchant_gmt", g, 1, 5, true)?;
        }
        if let Some(n) = &self.cardholder_name {
            check_text("cardholder_name", n, 2, 45, false)?;
        }
        if let Some(m) = &self.m_info {
            check_text("m_info", m, 1, 35_000, true)?;
        }
        let stamp = config.stamp_or(self.stamp.as_ref())?;
        let lang = self.language.unwrap_or(config.default_language());
        let terminal = config.terminal();
        let trtype = self.trtype.as_str();
        let (ts, nonce) = (stamp.timestamp(), stamp.nonce());
        let p_sign = config.p_sign(
            &[&amount, &currency, terminal, trtype, ts, nonce, merch_url],
            &[
                &amount,
                &currency,
                &self.order,
                &self.description,
                merch_name,
                merch_url,
                terminal,
                email.unwrap_or(""),
                trtype,
                country.unwrap_or(""),
                gmt.unwrap_or(""),
                ts,
                nonce,
                backref,
            ],
        )?;
        let mut fields: Vec<(&'static str, String)> = vec![
            ("AMOUNT", amount.clone()),
            ("CURRENCY", currency.clone()),
            ("ORDER", self.order.clone()),
            ("DESC", self.description.clone()),
            ("MERCH_NAME", merch_name.to_owned()),
            ("MERCH_URL", merch_url.to_owned()),
            ("TERMINAL", terminal.to_owned()),
        ];
        if let Some(e) = email {
            fields.push(("EMAIL", e.to_owned()));
        }
        fields.push(("TRTYPE", trtype.to_owned()));
        if let Some(c) = country {
            fields.push(("COUNTRY", c.to_owned()));
        }
        if let Some(g) = gmt {
            fields.push(("MERCH_GMT", g.to_owned()));
        }
        fields.push(("BACKREF", backref.to_owned()));
        fields.push(("TIMESTAMP", ts.to_owned()));
        fields.push(("NONCE", nonce.to_owned()));
        fields.push(("LANG", lang.as_lower().to_owned()));
        if let Some(n) = &self.cardholder_name {
            fields.push(("NAME", n.clone()));
        }
        if let Some(m) = &self.m_info {
            fields.push(("M_INFO", m.clone()));
        }
        fields.push(("P_SIGN", p_sign));
        Ok(PaymentForm::new(config.endpoint(), fields))
    }
}
