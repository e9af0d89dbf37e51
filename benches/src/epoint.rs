//! EPoint: `Pay` build+sign and callback verify+decode, azpay and floor.

use azpay_core::epoint::{self, Callback, Config, Pay};
use azpay_core::{Amount, Currency, HttpRequest, Operation};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

/// EPoint's sample merchant.
pub const PUBLIC_KEY: &str = "i000000001";
/// EPoint's sample private key (the signing test vector of `docs/wire.md`).
pub const PRIVATE_KEY: &str = "d3hjsl38sd8kdfhbcea0be04eafde9e8e2bad2fb092d";
/// The production endpoint of `/request`.
pub const REQUEST_URL: &str = "https://epoint.az/api/1/request";

/// The inputs of the measured payment (the values of EPoint's documented example).
pub struct PayInput {
    /// Amount in minor units (AZN).
    pub minor: u64,
    /// `order_id`.
    pub order_id: &'static str,
    /// `description`.
    pub description: &'static str,
}

/// 30.75 AZN, order `1`, `test payment`.
pub const PAY: PayInput = PayInput {
    minor: 3075,
    order_id: "1",
    description: "test payment",
};

/// The azpay configuration.
pub fn config() -> Config {
    Config::new(PUBLIC_KEY, PRIVATE_KEY)
}

/// The azpay operation.
pub fn pay_op() -> Pay {
    Pay::new(Amount::from_minor(PAY.minor, Currency::AZN), PAY.order_id)
        .description(PAY.description)
}

/// azpay: build and sign the `/request` call.
pub fn azpay_pay(op: &Pay, config: &Config) -> HttpRequest {
    op.build_request(config).expect("valid payment")
}

#[derive(Serialize)]
struct FloorPayload<'a> {
    public_key: &'a str,
    amount: String,
    currency: &'a str,
    language: &'a str,
    order_id: &'a str,
    description: &'a str,
}

/// `base64(sha1(key + data + key))`.
fn floor_sign(key: &str, data: &str) -> String {
    let mut h = Sha1::new();
    h.update(key.as_bytes());
    h.update(data.as_bytes());
    h.update(key.as_bytes());
    STANDARD.encode(h.finalize())
}

/// Floor: serde_json + base64 + sha1 + form_urlencoded + http, nothing else.
pub fn floor_pay(input: &PayInput) -> HttpRequest {
    let json = serde_json::to_vec(&FloorPayload {
        public_key: PUBLIC_KEY,
        amount: crate::major_2(input.minor),
        currency: "AZN",
        language: "az",
        order_id: input.order_id,
        description: input.description,
    })
    .expect("serialisable");
    let data = STANDARD.encode(&json);
    let signature = floor_sign(PRIVATE_KEY, &data);
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("data", &data)
        .append_pair("signature", &signature)
        .finish()
        .into_bytes();
    http::Request::post(REQUEST_URL)
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body)
        .expect("valid request")
}

/// A successful payment callback as EPoint signs it (the fields of its documented callback).
pub fn callback_body() -> Vec<u8> {
    epoint::sign_callback(
        &config(),
        &serde_json::json!({
            "order_id": "1",
            "status": "success",
            "code": "000",
            "message": "Payment is successful",
            "transaction": "te000000001",
            "bank_transaction": "F5A0D1C2B3E4",
            "bank_response": "RESULT: OK",
            "operation_code": "100",
            "rrn": "412345678901",
            "card_name": "TEST CARDHOLDER",
            "card_mask": "416974******1778",
            "amount": 30.75,
            "other_attr": null
        }),
    )
}

/// azpay: verify and decode a callback.
pub fn azpay_callback(config: &Config, body: &[u8]) -> Callback {
    epoint::verify_callback(config, body).expect("valid callback")
}

/// What the floor decodes from a callback.
#[derive(Debug, Default, PartialEq)]
pub struct FloorCallback {
    /// `order_id`.
    pub order_id: Option<String>,
    /// `status`.
    pub status: Option<String>,
    /// `code`.
    pub code: Option<String>,
    /// `message`.
    pub message: Option<String>,
    /// `transaction`.
    pub transaction: Option<String>,
    /// `bank_transaction`.
    pub bank_transaction: Option<String>,
    /// `bank_response`.
    pub bank_response: Option<String>,
    /// `operation_code`.
    pub operation_code: Option<String>,
    /// `rrn`.
    pub rrn: Option<String>,
    /// `card_name`.
    pub card_name: Option<String>,
    /// `card_mask`.
    pub card_mask: Option<String>,
    /// `amount` in minor units (from the raw number text).
    pub amount_minor: Option<i64>,
    /// `card_id`.
    pub card_id: Option<String>,
}

#[derive(Deserialize)]
struct FloorCallbackWire<'a> {
    order_id: Option<String>,
    status: Option<String>,
    code: Option<String>,
    message: Option<String>,
    transaction: Option<String>,
    bank_transaction: Option<String>,
    bank_response: Option<String>,
    operation_code: Option<String>,
    rrn: Option<String>,
    card_name: Option<String>,
    card_mask: Option<String>,
    #[serde(borrow, default)]
    amount: Option<&'a RawValue>,
    card_id: Option<String>,
}

/// Floor: form_urlencoded + sha1 + base64 + constant-time compare + serde_json.
pub fn floor_callback(body: &[u8]) -> Option<FloorCallback> {
    let mut data = None;
    let mut sig = None;
    for (k, v) in form_urlencoded::parse(body) {
        match &*k {
            "data" => data = Some(v),
            "signature" => sig = Some(v),
            _ => {}
        }
    }
    let (data, sig) = (data?, sig?);
    let expected = floor_sign(PRIVATE_KEY, &data);
    if !bool::from(expected.as_bytes().ct_eq(sig.as_bytes())) {
        return None;
    }
    let json = STANDARD.decode(data.as_bytes()).ok()?;
    let wire: FloorCallbackWire<'_> = serde_json::from_slice(&json).ok()?;
    Some(FloorCallback {
        order_id: wire.order_id,
        status: wire.status,
        code: wire.code,
        message: wire.message,
        transaction: wire.transaction,
        bank_transaction: wire.bank_transaction,
        bank_response: wire.bank_response,
        operation_code: wire.operation_code,
        rrn: wire.rrn,
        card_name: wire.card_name,
        card_mask: wire.card_mask,
        amount_minor: wire.amount.and_then(|r| crate::minor_2(r.get())),
        card_id: wire.card_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_pay_is_byte_identical_to_azpay() {
        let ours = azpay_pay(&pay_op(), &config());
        let floor = floor_pay(&PAY);
        assert_eq!(ours.method(), floor.method());
        assert_eq!(ours.uri(), floor.uri());
        assert_eq!(ours.headers(), floor.headers());
        assert_eq!(
            std::str::from_utf8(ours.body()).unwrap(),
            std::str::from_utf8(floor.body()).unwrap()
        );
        // And the signature is the algorithm of the signing test vector in `docs/wire.md`.
        let body = String::from_utf8(floor.body().clone()).unwrap();
        assert!(body.starts_with("data=eyJwdWJsaWNfa2V5IjoiaTAwMDAwMDAwMSIs"));
    }

    #[test]
    fn floor_callback_decodes_what_azpay_decodes() {
        let body = callback_body();
        let ours = azpay_callback(&config(), &body);
        let floor = floor_callback(&body).expect("verifies");
        assert_eq!(floor.order_id, ours.order_id);
        assert_eq!(
            floor.status.as_deref(),
            ours.status.as_ref().map(|s| s.as_str())
        );
        assert_eq!(
            floor.code.as_deref(),
            ours.code.as_ref().map(|s| s.as_str())
        );
        assert_eq!(floor.message, ours.message);
        assert_eq!(floor.transaction, ours.transaction);
        assert_eq!(floor.bank_transaction, ours.bank_transaction);
        assert_eq!(floor.bank_response, ours.bank_response);
        assert_eq!(
            floor.operation_code.as_deref(),
            ours.operation_code.as_ref().map(|s| s.as_str())
        );
        assert_eq!(floor.rrn, ours.rrn);
        assert_eq!(floor.card_name, ours.card_name);
        assert_eq!(floor.card_mask, ours.card_mask);
        assert_eq!(floor.amount_minor, ours.amount.map(|a| a.minor() as i64));
        assert_eq!(floor.amount_minor, Some(3075));
        assert_eq!(floor.card_id, ours.card_id);
        assert_eq!(ours.other_attr, None);
        // A forged body is refused by both.
        let mut forged = body.clone();
        forged[7] ^= 1;
        assert!(floor_callback(&forged).is_none());
        assert!(epoint::verify_callback(&config(), &forged).is_err());
    }
}
