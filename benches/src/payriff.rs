//! Payriff: create-order build and order-info parse, azpay and floor.

use azpay_core::payriff::{Config, CreateOrder, GetOrder, OrderInfo};
use azpay_core::{Amount, Currency, HttpRequest, HttpResponse, Operation};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// A secret key for the benchmark.
pub const SECRET_KEY: &str = "bench-payriff-secret";
/// The create-order URL.
pub const ORDER_URL: &str = "https://api.payriff.com/api/v3/orders";

/// The azpay configuration (default host, language `AZ`).
pub fn config() -> Config {
    Config::new(SECRET_KEY)
}

/// The Node SDK test's order: 10.50 AZN, `Order #1`, a callback URL, one metadata entry.
pub fn create_op() -> CreateOrder {
    CreateOrder::purchase(Amount::from_minor(1050, Currency::AZN), "rrn-1")
        .description("Order #1")
        .callback_url("https://shop.az/cb")
        .metadata("cartId", "c-9")
}

/// azpay: build `POST /api/v3/orders`.
pub fn azpay_create(op: &CreateOrder, config: &Config) -> HttpRequest {
    op.build_request(config).expect("valid order")
}

/// Floor: the body written by hand (the amount as exact number text) + http.
pub fn floor_create(minor: u64) -> HttpRequest {
    let body = format!(
        r#"{{"amount":{},"currency":"AZN","language":"AZ","operation":"PURCHASE","description":"Order #1","callbackUrl":"https://shop.az/cb","metadata":{{"cartId":"c-9"}}}}"#,
        crate::major_2(minor)
    );
    let mut auth = http::HeaderValue::from_static(SECRET_KEY);
    auth.set_sensitive(true);
    http::Request::post(ORDER_URL)
        .header(http::header::AUTHORIZATION, auth)
        .header(http::header::ACCEPT, "application/json")
        .header("x-request-rrn", "rrn-1")
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(body.into_bytes())
        .expect("valid request")
}

/// The order-info answer of Payriff's Node SDK tests (`core/tests/fixtures/payriff`).
pub fn order_response() -> HttpResponse {
    http::Response::new(crate::fixtures::PAYRIFF_ORDER_INFO.to_vec())
}

/// The azpay operation.
pub fn get_op() -> GetOrder {
    GetOrder::new("ORD-1")
}

/// azpay: parse the order.
pub fn azpay_order(op: &GetOrder, config: &Config, response: HttpResponse) -> OrderInfo {
    op.parse_response(config, response).expect("valid order")
}

fn amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let raw: Option<&'de RawValue> = Deserialize::deserialize(d)?;
    Ok(raw.and_then(|r| crate::minor_2(r.get().trim_matches('"'))))
}

/// What the floor reads: the envelope's code and the order's fields azpay exposes.
#[derive(Debug, Deserialize)]
#[allow(missing_docs)]
pub struct FloorEnvelope {
    pub code: String,
    pub payload: FloorOrder,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[allow(missing_docs)]
pub struct FloorOrder {
    pub order_id: String,
    #[serde(deserialize_with = "amount")]
    pub amount: Option<i64>,
    pub currency_type: Option<String>,
    pub operation_type: Option<String>,
    pub payment_status: Option<String>,
    pub auto: Option<bool>,
    pub created_date: Option<String>,
    pub description: Option<String>,
    pub metadata: Option<String>,
    pub transactions: Vec<FloorTran>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[allow(missing_docs)]
pub struct FloorTran {
    pub uuid: Option<String>,
    pub status: Option<String>,
    pub channel: Option<String>,
    pub card_details: Option<FloorCard>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[allow(missing_docs)]
pub struct FloorCard {
    pub masked_pan: Option<String>,
    pub brand: Option<String>,
}

/// Floor: one `serde_json::from_slice` into plain structs, and the success check.
pub fn floor_order(response: HttpResponse) -> FloorOrder {
    let e: FloorEnvelope = serde_json::from_slice(response.body()).expect("valid order");
    assert_eq!(e.code, "00000");
    e.payload
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_create_is_byte_identical_to_azpay() {
        let ours = azpay_create(&create_op(), &config());
        let floor = floor_create(1050);
        assert_eq!(ours.method(), floor.method());
        assert_eq!(ours.uri(), floor.uri());
        assert_eq!(ours.headers(), floor.headers());
        assert_eq!(
            std::str::from_utf8(ours.body()).unwrap(),
            std::str::from_utf8(floor.body()).unwrap()
        );
    }

    #[test]
    fn floor_order_reads_what_azpay_reads() {
        let o = azpay_order(&get_op(), &config(), order_response());
        let f = floor_order(order_response());
        assert_eq!(f.order_id, o.order_id);
        assert_eq!(f.amount, o.amount.map(|a| a.minor() as i64));
        assert_eq!(f.currency_type, o.currency);
        assert_eq!(
            f.operation_type.as_deref(),
            o.operation_type.as_ref().map(|v| v.as_str())
        );
        assert_eq!(f.payment_status.as_deref(), Some(o.payment_status.as_str()));
        assert_eq!(f.auto, o.auto);
        assert_eq!(f.created_date, o.created_date);
        assert_eq!(f.description, o.description);
        assert_eq!(f.metadata, o.metadata);
        assert_eq!(f.transactions.len(), o.transactions.len());
        for (ft, ot) in f.transactions.iter().zip(&o.transactions) {
            assert_eq!(ft.uuid, ot.uuid);
            assert_eq!(ft.status.as_deref(), ot.status.as_ref().map(|s| s.as_str()));
            assert_eq!(ft.channel, ot.channel);
            let card = ft.card_details.as_ref().unwrap();
            assert_eq!(card.masked_pan, ot.masked_pan);
            assert_eq!(card.brand, ot.card_brand);
        }
    }
}
