//! Cards attached to an order: the paying card ([`SetSrcToken`]: a stored card or a Google Pay
//! token) and the card to credit ([`SetDstToken`], whose number is checked and masked).

use std::fmt;

use super::{check_order_id, check_password, encode, RErr};
use crate::kapital::codes::InitiationEnvKind;
use crate::kapital::config::{Config, Kapital};
use crate::kapital::outcome::{self, TokenAttached};
use crate::kapital::wire;
use crate::{BuildError, HttpRequest, HttpResponse, Operation};

#[derive(Debug, Clone, PartialEq, Eq)]
enum SrcToken {
    Stored(u64),
    GooglePay(String),
}

/// `POST /api/order/{id}/set-src-token?password=…`: attaches the paying card, a stored card
/// (`storedId`) or a Google Pay token (`googlePayBlock`, hex).
///
/// ```
/// use azpay_core::{execute, kapital, HttpRequest, HttpResponse, TransportError};
///
/// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
/// let op = kapital::SetSrcToken::stored_card(6300, "qwerty1", 5125);
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(request.uri(), "https://txpgtst.kapitalbank.az/api/order/6300/set-src-token?password=qwerty1");
///     assert_eq!(request.body(), br#"{"order":{"initiationEnvKind":"Server"},"token":{"storedId":5125}}"#);
///     Ok(http::Response::new(
///         br#"{"order":{"status":"Preparing","srcToken":{"id":6298,"paymentMethod":"Card","displayName":"416974******1778"}}}"#.to_vec(),
///     ))
/// };
/// let attached = execute(&op, &config, &transport)?;
/// assert_eq!(attached.src_token.unwrap().display_name.as_deref(), Some("416974******1778"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetSrcToken {
    order_id: u64,
    password: String,
    token: SrcToken,
    initiation_env_kind: Option<InitiationEnvKind>,
}

impl SetSrcToken {
    /// A stored card (`storedId` from `storedTokens[].id`); `initiationEnvKind` `Server`
    /// unless set otherwise.
    pub fn stored_card(order_id: u64, order_password: impl Into<String>, stored_id: u64) -> Self {
        SetSrcToken {
            order_id,
            password: order_password.into(),
            token: SrcToken::Stored(stored_id),
            initiation_env_kind: Some(InitiationEnvKind::Server),
        }
    }
    /// A Google Pay token: Google's payment-token JSON, hex-encoded (`googlePayBlock`).
    pub fn google_pay(
        order_id: u64,
        order_password: impl Into<String>,
        google_pay_block_hex: impl Into<String>,
    ) -> Self {
        SetSrcToken {
            order_id,
            password: order_password.into(),
            token: SrcToken::GooglePay(google_pay_block_hex.into()),
            initiation_env_kind: None,
        }
    }
    /// `order.initiationEnvKind`.
    pub fn initiation_env_kind(mut self, kind: InitiationEnvKind) -> Self {
        self.initiation_env_kind = Some(kind);
        self
    }

    fn body(&self) -> Result<Vec<u8>, BuildError> {
        let token = match &self.token {
            SrcToken::Stored(id) => {
                if *id == 0 {
                    return Err(BuildError::invalid("storedId", "must be a positive id"));
                }
                wire::SrcTokenBody {
                    stored_id: Some(*id),
                    google_pay_block: None,
                }
            }
            SrcToken::GooglePay(block) => {
                if block.is_empty() || !block.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(BuildError::invalid(
                        "googlePayBlock",
                        "must be the Google Pay token, hex-encoded",
                    ));
                }
                wire::SrcTokenBody {
                    stored_id: None,
                    google_pay_block: Some(block),
                }
            }
        };
        wire::to_json(&wire::SrcTokenEnvelope {
            order: self
                .initiation_env_kind
                .as_ref()
                .map(|k| wire::InitiationOnly {
                    initiation_env_kind: k.as_str(),
                }),
            token,
        })
    }
}

impl Operation for SetSrcToken {
    type Gateway = Kapital;
    type Output = TokenAttached;
    const NAME: &'static str = "set_src_token";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        check_order_id(self.order_id)?;
        check_password(&self.password)?;
        let body = self.body()?;
        let path = format!(
            "order/{}/set-src-token?password={}",
            self.order_id,
            encode(&self.password)
        );
        wire::request(config, &path, Some(body))
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<TokenAttached, RErr> {
        let (body, raw) = wire::parse(Self::NAME, response)?;
        outcome::token_attached(body, &raw)
    }
}

// ---------------------------------------------------------------------------------------------

/// A card number: `Debug` shows only the first six and last four digits.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Pan(pub(crate) String);

impl Pan {
    pub(crate) fn validate(&self) -> Result<(), BuildError> {
        let p = self.0.as_bytes();
        if !(12..=19).contains(&p.len()) || !p.iter().all(u8::is_ascii_digit) {
            return Err(BuildError::invalid("pan", "must be 12 to 19 digits"));
        }
        let sum: u32 = p
            .iter()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 1 {
                    let d2 = d * 2;
                    if d2 > 9 {
                        d2 - 9
                    } else {
                        d2
                    }
                } else {
                    d
                }
            })
            .sum();
        if sum % 10 != 0 {
            return Err(BuildError::invalid(
                "pan",
                "fails the Luhn check (mistyped card number)",
            ));
        }
        Ok(())
    }

    pub(crate) fn masked(&self) -> String {
        let s = &self.0;
        if s.len() >= 12 && s.is_ascii() {
            format!(
                "{}{}{}",
                &s[..6],
                "*".repeat(s.len() - 10),
                &s[s.len() - 4..]
            )
        } else {
            "<redacted>".to_owned()
        }
    }
}

impl fmt::Debug for Pan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// `POST /api/order/{id}/set-dst-token?password=…`: attaches the card to credit on an `OCT`
/// order. The card number is checked (12–19 digits, Luhn) and never shown in `Debug`.
///
/// ```
/// use azpay_core::{execute, kapital, HttpRequest, HttpResponse, TransportError};
///
/// let config = kapital::Config::new("TerminalSys/kapital", "kapital123");
/// let op = kapital::SetDstToken::card(7001, "pw7001", "4169741330151778");
/// assert!(!format!("{op:?}").contains("4169741330151778"));
/// let transport = |request: HttpRequest| -> Result<HttpResponse, TransportError> {
///     assert_eq!(request.body(), br#"{"token":{"card":{"panBlock":{"data":"4169741330151778"},"entryMode":"ECommerce"}}}"#);
///     Ok(http::Response::new(br#"{"order":{"status":"Preparing"}}"#.to_vec()))
/// };
/// let attached = execute(&op, &config, &transport)?;
/// assert_eq!(attached.status, Some(kapital::OrderStatus::Preparing));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SetDstToken {
    order_id: u64,
    password: String,
    pan: Pan,
}

impl SetDstToken {
    /// The destination card number (digits only).
    pub fn card(order_id: u64, order_password: impl Into<String>, pan: impl Into<String>) -> Self {
        SetDstToken {
            order_id,
            password: order_password.into(),
            pan: Pan(pan.into()),
        }
    }
}

impl fmt::Debug for SetDstToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SetDstToken")
            .field("order_id", &self.order_id)
            .field("password", &self.password)
            .field("pan", &self.pan)
            .finish()
    }
}

impl Operation for SetDstToken {
    type Gateway = Kapital;
    type Output = TokenAttached;
    const NAME: &'static str = "set_dst_token";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, config: &Config) -> Result<HttpRequest, BuildError> {
        check_order_id(self.order_id)?;
        check_password(&self.password)?;
        self.pan.validate()?;
        let body = wire::to_json(&wire::DstTokenEnvelope {
            token: wire::DstToken {
                card: wire::DstCard {
                    pan_block: wire::PanBlock { data: &self.pan.0 },
                    entry_mode: "ECommerce",
                },
            },
        })?;
        let path = format!(
            "order/{}/set-dst-token?password={}",
            self.order_id,
            encode(&self.password)
        );
        wire::request(config, &path, Some(body))
    }

    fn parse_response(&self, _: &Config, response: HttpResponse) -> Result<TokenAttached, RErr> {
        let (body, raw) = wire::parse(Self::NAME, response)?;
        outcome::token_attached(body, &raw)
    }
}
