//! Saved cards: [`SaveCard`] (`POST /api/v3/cards/save`), [`GetCardSave`],
//! [`ListSavedCards`] and [`DeleteCard`].

use std::collections::BTreeMap;

use super::check_metadata;
use crate::payriff::config::{Config, Payriff};
use crate::payriff::outcome::{self, ActionResult, CardSave, SavedCards};
use crate::payriff::wire::{self, RErr};
use crate::{BuildError, HttpRequest, HttpResponse, Language, Operation};

/// `POST /api/v3/cards/save {customerRef, callbackUrl, description?, language, metadata?}`
/// with `X-Idempotency-Key`: a page where the customer saves a card. The answer's
/// `paymentUrl` is that page; once the save is `VERIFIED` ([`GetCardSave`]) its `cardUuid`
/// charges the card with [`crate::payriff::AutoPay`].
///
/// ```
/// use azpay_core::{payriff, Operation};
/// let config = payriff::Config::new("app-key");
/// let op = payriff::SaveCard::new("cust-1", "idem-1").callback_url("https://shop.az/cards/cb");
/// let request = op.build_request(&config)?;
/// assert_eq!(request.headers()["x-idempotency-key"], "idem-1");
/// assert_eq!(request.body(), br#"{"customerRef":"cust-1","callbackUrl":"https://shop.az/cards/cb","language":"AZ"}"#);
/// # Ok::<(), azpay_core::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveCard {
    customer_ref: String,
    idempotency_key: String,
    callback_url: Option<String>,
    description: Option<String>,
    language: Option<Language>,
    metadata: BTreeMap<String, String>,
}

impl SaveCard {
    /// A card save for the customer `customer_ref`; `idempotency_key` is sent as
    /// `X-Idempotency-Key` (the same key for a retry of the same save).
    pub fn new(customer_ref: impl Into<String>, idempotency_key: impl Into<String>) -> Self {
        SaveCard {
            customer_ref: customer_ref.into(),
            idempotency_key: idempotency_key.into(),
            callback_url: None,
            description: None,
            language: None,
            metadata: BTreeMap::new(),
        }
    }
    /// `callbackUrl` (required by Payriff; default: the configuration's).
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }
    /// `description`.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
    /// `language`; default: the configuration's.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
    /// One `metadata` entry.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }
}

impl Operation for SaveCard {
    type Gateway = Payriff;
    type Output = CardSave;
    const NAME: &'static str = "save_card";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        crate::input::check_id("customer_ref", &self.customer_ref, 255)?;
        wire::check_rrn(&self.idempotency_key).map_err(|_| {
            BuildError::invalid("idempotency_key", "1 to 100 printable ASCII characters")
        })?;
        let callback = self
            .callback_url
            .as_deref()
            .or(config.default_callback_url())
            .ok_or_else(|| BuildError::invalid("callbackUrl", "is required to save a card"))?;
        wire::check_url("callbackUrl", callback)?;
        if let Some(d) = &self.description {
            wire::check_text("description", d)?;
        }
        check_metadata(&self.metadata)?;
        let body = wire::to_json(&wire::CardSaveBody {
            customer_ref: &self.customer_ref,
            callback_url: callback,
            description: self.description.as_deref(),
            language: self
                .language
                .unwrap_or(config.default_language())
                .as_upper(),
            metadata: (!self.metadata.is_empty()).then_some(&self.metadata),
        })?;
        let mut request =
            wire::request(config, http::Method::POST, "cards/save", Some(body), None)?;
        let key = http::HeaderValue::from_str(&self.idempotency_key)
            .map_err(|e| BuildError::Encoding(e.to_string()))?;
        request.headers_mut().insert("x-idempotency-key", key);
        Ok(request)
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<CardSave, RErr> {
        let body = response.body().clone();
        let reply = wire::parse(Self::NAME, response, false)?;
        outcome::card_save(reply, true, &body)
    }
}

/// `GET /api/v3/cards/save/{cardSaveId}`: a card save and, once `VERIFIED`, its `cardUuid`.
/// Idempotent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCardSave {
    card_save_id: String,
}

impl GetCardSave {
    /// The card save `card_save_id`.
    pub fn new(card_save_id: impl Into<String>) -> Self {
        GetCardSave {
            card_save_id: card_save_id.into(),
        }
    }
}

impl Operation for GetCardSave {
    type Gateway = Payriff;
    type Output = CardSave;
    const NAME: &'static str = "get_card_save";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let id = wire::id_segment("card_save_id", &self.card_save_id)?;
        wire::request(
            config,
            http::Method::GET,
            &format!("cards/save/{id}"),
            None,
            None,
        )
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<CardSave, RErr> {
        let body = response.body().clone();
        let reply = wire::parse(Self::NAME, response, false)?;
        outcome::card_save(reply, false, &body)
    }
}

/// `GET /api/v3/cards/save?customerRef=…`: the saved cards of a customer. Idempotent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSavedCards {
    customer_ref: String,
}

impl ListSavedCards {
    /// The cards of `customer_ref`.
    pub fn new(customer_ref: impl Into<String>) -> Self {
        ListSavedCards {
            customer_ref: customer_ref.into(),
        }
    }
}

impl Operation for ListSavedCards {
    type Gateway = Payriff;
    type Output = SavedCards;
    const NAME: &'static str = "list_saved_cards";
    const IDEMPOTENT: bool = true;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let c = wire::id_segment("customer_ref", &self.customer_ref)?;
        wire::request(
            config,
            http::Method::GET,
            &format!("cards/save?customerRef={c}"),
            None,
            None,
        )
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<SavedCards, RErr> {
        let body = response.body().clone();
        let reply = wire::parse(Self::NAME, response, false)?;
        outcome::saved_cards(reply, &body)
    }
}

/// `DELETE /api/v3/cards/{cardUuid}`: forgets a saved card. Deleting twice is harmless.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteCard {
    card_uuid: String,
}

impl DeleteCard {
    /// Deletes the saved card `card_uuid`.
    pub fn new(card_uuid: impl Into<String>) -> Self {
        DeleteCard {
            card_uuid: card_uuid.into(),
        }
    }
}

impl Operation for DeleteCard {
    type Gateway = Payriff;
    type Output = ActionResult;
    const NAME: &'static str = "delete_card";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        let id = wire::id_segment("card_uuid", &self.card_uuid)?;
        wire::request(
            config,
            http::Method::DELETE,
            &format!("cards/{id}"),
            None,
            None,
        )
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<ActionResult, RErr> {
        let reply = wire::parse::<serde::de::IgnoredAny>(Self::NAME, response, true)?;
        Ok(outcome::action(reply))
    }
}
