//! Kapital JSON: create-order build and detailed-order parse, azpay and floor.

use azpay_core::kapital::{Config, CreateOrder, GetOrder, Order};
use azpay_core::{Amount, Currency, HttpRequest, HttpResponse, Operation};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

/// Kapital's public test login.
pub const USERNAME: &str = "TerminalSys/kapital";
/// Kapital's public test password.
pub const PASSWORD: &str = "kapital123";
/// The test environment's create-order URL.
pub const ORDER_URL: &str = "https://txpgtst.kapitalbank.az/api/order";
/// The order of the detailed capture.
pub const ORDER_ID: u64 = 5531;

/// The azpay configuration (test environment, language `az`).
pub fn config() -> Config {
    Config::new(USERNAME, PASSWORD)
}

/// The first create-order example of Kapital's document: 1 AZN `Order_SMS`, `Othub`, `Testdesc`.
pub fn create_op() -> CreateOrder {
    CreateOrder::purchase(Amount::from_minor(100, Currency::AZN))
        .title("Othub")
        .description("Testdesc")
        .hpp_redirect_url("http://txpgtst.kapitalbank.az")
}

/// azpay: build `POST /api/order`.
pub fn azpay_create(op: &CreateOrder, config: &Config) -> HttpRequest {
    op.build_request(config).expect("valid order")
}

#[derive(Serialize)]
struct FloorEnvelope<'a> {
    order: FloorCreate<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FloorCreate<'a> {
    type_rid: &'a str,
    amount: String,
    currency: &'a str,
    language: &'a str,
    title: &'a str,
    description: &'a str,
    hpp_redirect_url: &'a str,
}

/// Floor: serde_json + base64 (Basic auth) + http.
pub fn floor_create(minor: u64) -> HttpRequest {
    let body = serde_json::to_vec(&FloorEnvelope {
        order: FloorCreate {
            type_rid: "Order_SMS",
            amount: crate::major_2(minor),
            currency: "AZN",
            language: "az",
            title: "Othub",
            description: "Testdesc",
            hpp_redirect_url: "http://txpgtst.kapitalbank.az",
        },
    })
    .expect("serialisable");
    let mut auth = String::from("Basic ");
    STANDARD.encode_string(format!("{USERNAME}:{PASSWORD}"), &mut auth);
    let mut auth = http::HeaderValue::try_from(auth).expect("ASCII");
    auth.set_sensitive(true);
    http::Request::post(ORDER_URL)
        .header(http::header::AUTHORIZATION, auth)
        .header(http::header::ACCEPT, "application/json")
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(body)
        .expect("valid request")
}

/// The detailed-order response (a real test-environment capture) as a transport hands it over.
pub fn detailed_response() -> HttpResponse {
    http::Response::new(crate::fixtures::KAPITAL_ORDER_DETAILED.to_vec())
}

/// The azpay operation.
pub fn get_op() -> GetOrder {
    GetOrder::new(ORDER_ID).detailed()
}

/// azpay: parse the detailed order.
pub fn azpay_order(op: &GetOrder, config: &Config, response: HttpResponse) -> Order {
    op.parse_response(config, response).expect("valid order")
}

/// An amount number kept exact: its JSON text read as minor units.
fn amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let raw: Option<&'de RawValue> = Deserialize::deserialize(d)?;
    Ok(raw.and_then(|r| crate::minor_2(r.get().trim_matches('"'))))
}

/// What the floor reads from a detailed order: the fields azpay's `Order` exposes that the
/// capture carries, with natural Rust types (numbers as numbers, enums as strings).
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[allow(missing_docs)]
pub struct FloorOrder {
    pub id: u64,
    pub type_rid: Option<String>,
    pub hpp_url: Option<String>,
    pub hpp_redirect_url: Option<String>,
    pub password: Option<String>,
    pub status: Option<String>,
    pub prev_status: Option<String>,
    pub last_status_login: Option<String>,
    #[serde(deserialize_with = "amount")]
    pub amount: Option<i64>,
    pub currency: Option<String>,
    #[serde(deserialize_with = "amount")]
    pub src_amount: Option<i64>,
    #[serde(deserialize_with = "amount")]
    pub dst_amount: Option<i64>,
    #[serde(deserialize_with = "amount")]
    pub authorized_charge_amount: Option<i64>,
    #[serde(deserialize_with = "amount")]
    pub cleared_charge_amount: Option<i64>,
    #[serde(deserialize_with = "amount")]
    pub cleared_refund_amount: Option<i64>,
    pub create_time: Option<String>,
    pub finish_time: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    pub cvv2_auth_status: Option<String>,
    pub tds_v1_auth_status: Option<String>,
    pub tds_v2_auth_status: Option<String>,
    pub initiation_env_kind: Option<String>,
    pub hpp_cof_capture_purposes: Vec<String>,
    pub terminal: Option<FloorTerminal>,
    pub merchant: Option<FloorMerchant>,
    #[serde(rename = "type")]
    pub order_type: Option<FloorOrderType>,
    pub trans: Vec<FloorTran>,
    pub stored_tokens: Vec<FloorToken>,
    pub src_token: Option<FloorToken>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct FloorWrapper {
    pub order: FloorOrder,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[allow(missing_docs)]
pub struct FloorTerminal {
    pub id: Option<u64>,
    pub rid: Option<String>,
    pub title: Option<String>,
    pub mcc: Option<u64>,
    pub status: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[allow(missing_docs)]
pub struct FloorMerchant {
    pub id: Option<u64>,
    pub rid: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[allow(missing_docs)]
pub struct FloorOrderType {
    pub rid: Option<String>,
    pub title: Option<String>,
    pub allow_void: Option<bool>,
    pub hpp_tran_phase: Option<String>,
    pub payment_methods: Vec<String>,
    pub card_brands: Vec<String>,
    pub allow_tran_types: Vec<String>,
    pub allow_tran_phases: Vec<String>,
    pub allow_auth_kinds: Vec<String>,
    pub allow_cof_store_usages: Vec<String>,
    pub order_class: Option<String>,
    #[serde(rename = "allowCVV2")]
    pub allow_cvv2: Option<bool>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[allow(missing_docs)]
pub struct FloorTran {
    pub approval_code: Option<String>,
    pub action_id: Option<String>,
    pub order_id: Option<u64>,
    pub terminal_id: Option<u64>,
    pub merchant_id: Option<u64>,
    pub billing_status: Option<String>,
    pub is_reversal: Option<bool>,
    pub rid_by_acquirer: Option<String>,
    pub rid_by_pmo: Option<String>,
    pub reg_time: Option<String>,
    #[serde(deserialize_with = "amount")]
    pub amount: Option<i64>,
    pub currency: Option<String>,
    #[serde(deserialize_with = "amount")]
    pub clear_amount: Option<i64>,
    pub clear_ccy: Option<String>,
    pub description: Option<String>,
    pub phase: Option<String>,
    #[serde(rename = "type")]
    pub tran_type: Option<String>,
    pub pmo_result_code: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[allow(missing_docs)]
pub struct FloorToken {
    pub id: Option<u64>,
    pub payment_method: Option<String>,
    pub role: Option<String>,
    pub status: Option<String>,
    pub reg_time: Option<String>,
    pub entry_mode: Option<String>,
    pub display_name: Option<String>,
    pub card: Option<FloorCard>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
#[allow(missing_docs)]
pub struct FloorCard {
    pub expiration: Option<String>,
    pub brand: Option<String>,
}

/// Floor: one `serde_json::from_slice` into plain structs.
pub fn floor_order(response: HttpResponse) -> FloorOrder {
    serde_json::from_slice::<FloorWrapper>(response.body())
        .expect("valid order")
        .order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_create_is_byte_identical_to_azpay() {
        let ours = azpay_create(&create_op(), &config());
        let floor = floor_create(100);
        assert_eq!(ours.method(), floor.method());
        assert_eq!(ours.uri(), floor.uri());
        assert_eq!(ours.headers(), floor.headers());
        assert_eq!(
            std::str::from_utf8(ours.body()).unwrap(),
            std::str::from_utf8(floor.body()).unwrap()
        );
    }

    fn s<T: ToString>(v: &Option<T>) -> Option<String> {
        v.as_ref().map(ToString::to_string)
    }

    #[test]
    fn floor_order_reads_what_azpay_reads() {
        let o = azpay_order(&get_op(), &config(), detailed_response());
        let f = floor_order(detailed_response());
        assert_eq!(f.id, o.id);
        assert_eq!(f.status.as_deref(), Some(o.status.as_str()));
        assert_eq!(
            f.prev_status.as_deref(),
            o.prev_status.as_ref().map(|v| v.as_str())
        );
        assert_eq!(
            f.type_rid
                .as_deref()
                .or(f.order_type.as_ref().and_then(|t| t.rid.as_deref())),
            o.type_rid.as_ref().map(|v| v.as_str())
        );
        assert_eq!(f.last_status_login, o.last_status_login);
        let minor = |a: &Option<Amount>| a.map(|a| a.minor() as i64);
        assert_eq!(f.amount, minor(&o.amount));
        assert_eq!(f.src_amount, minor(&o.src_amount));
        assert_eq!(f.dst_amount, minor(&o.dst_amount));
        assert_eq!(
            f.authorized_charge_amount,
            minor(&o.authorized_charge_amount)
        );
        assert_eq!(f.cleared_charge_amount, minor(&o.cleared_charge_amount));
        assert_eq!(f.cleared_refund_amount, minor(&o.cleared_refund_amount));
        assert_eq!(f.currency, o.currency);
        assert_eq!(f.create_time, o.create_time);
        assert_eq!(f.finish_time, o.finish_time);
        assert_eq!(f.title, o.title);
        assert_eq!(f.description, o.description);
        assert_eq!(f.language, o.language);
        assert_eq!(f.hpp_url, o.hpp_url);
        assert_eq!(f.hpp_redirect_url, o.hpp_redirect_url);
        assert_eq!(f.password, o.password);
        let st =
            |v: &Option<azpay_core::kapital::AuthStatus>| v.as_ref().map(|v| v.as_str().to_owned());
        assert_eq!(f.cvv2_auth_status, st(&o.cvv2_auth_status));
        assert_eq!(f.tds_v1_auth_status, st(&o.tds_v1_auth_status));
        assert_eq!(f.tds_v2_auth_status, st(&o.tds_v2_auth_status));
        assert_eq!(
            f.initiation_env_kind.as_deref(),
            o.initiation_env_kind.as_ref().map(|v| v.as_str())
        );
        let purposes: Vec<&str> = o
            .hpp_cof_capture_purposes
            .iter()
            .map(|p| p.as_str())
            .collect();
        assert_eq!(f.hpp_cof_capture_purposes, purposes);

        let (ft, ot) = (f.terminal.as_ref().unwrap(), o.terminal.as_ref().unwrap());
        assert_eq!(s(&ft.id), ot.id);
        assert_eq!(ft.rid, ot.rid);
        assert_eq!(ft.title, ot.title);
        assert_eq!(s(&ft.mcc), ot.mcc);
        assert_eq!(ft.status, ot.status);
        let (fm, om) = (f.merchant.as_ref().unwrap(), o.merchant.as_ref().unwrap());
        assert_eq!(s(&fm.id), om.id);
        assert_eq!(fm.rid, om.rid);
        assert_eq!(fm.title, om.title);

        let (fy, oy) = (
            f.order_type.as_ref().unwrap(),
            o.order_type.as_ref().unwrap(),
        );
        assert_eq!(fy.rid.as_deref(), oy.rid.as_ref().map(|v| v.as_str()));
        assert_eq!(fy.title, oy.title);
        assert_eq!(fy.allow_void, oy.allow_void);
        assert_eq!(
            fy.hpp_tran_phase.as_deref(),
            oy.hpp_tran_phase.as_ref().map(|v| v.as_str())
        );
        assert_eq!(fy.payment_methods, oy.payment_methods);
        assert_eq!(fy.card_brands, oy.card_brands);
        let strs = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            fy.allow_tran_types,
            strs(oy.allow_tran_types.iter().map(|v| v.as_str()).collect())
        );
        assert_eq!(
            fy.allow_tran_phases,
            strs(oy.allow_tran_phases.iter().map(|v| v.as_str()).collect())
        );
        assert_eq!(fy.allow_auth_kinds, oy.allow_auth_kinds);
        assert_eq!(
            fy.allow_cof_store_usages,
            strs(
                oy.allow_cof_store_usages
                    .iter()
                    .map(|v| v.as_str())
                    .collect()
            )
        );
        assert_eq!(fy.order_class, oy.order_class);
        assert_eq!(fy.allow_cvv2, oy.allow_cvv2);

        assert_eq!(f.trans.len(), 2);
        assert_eq!(f.trans.len(), o.trans.len());
        for (ft, ot) in f.trans.iter().zip(&o.trans) {
            assert_eq!(ft.approval_code, ot.approval_code);
            assert_eq!(ft.action_id, ot.action_id);
            assert_eq!(s(&ft.order_id), ot.order_id);
            assert_eq!(s(&ft.terminal_id), ot.terminal_id);
            assert_eq!(s(&ft.merchant_id), ot.merchant_id);
            assert_eq!(ft.billing_status, ot.billing_status);
            assert_eq!(ft.is_reversal, ot.is_reversal);
            assert_eq!(ft.rid_by_acquirer, ot.rid_by_acquirer);
            assert_eq!(ft.rid_by_pmo, ot.rid_by_pmo);
            assert_eq!(ft.reg_time, ot.reg_time);
            assert_eq!(ft.amount, ot.amount_minor);
            assert_eq!(ft.currency, ot.currency);
            assert_eq!(ft.clear_amount, ot.clear_amount_minor);
            assert_eq!(ft.clear_ccy, ot.clear_ccy);
            assert_eq!(ft.description, ot.description);
            assert_eq!(ft.phase.as_deref(), ot.phase.as_ref().map(|v| v.as_str()));
            assert_eq!(
                ft.tran_type.as_deref(),
                ot.tran_type.as_ref().map(|v| v.as_str())
            );
            assert_eq!(
                ft.pmo_result_code.as_deref(),
                ot.pmo_result_code.as_ref().map(|v| v.as_str())
            );
        }
        assert_eq!(o.trans[1].clear_amount_minor, Some(-100));

        assert_eq!(f.stored_tokens.len(), o.stored_tokens.len());
        let (fk, ok) = (f.src_token.as_ref().unwrap(), o.src_token.as_ref().unwrap());
        assert_eq!(fk.id, ok.id);
        assert_eq!(fk.payment_method, ok.payment_method);
        assert_eq!(fk.role, ok.role);
        assert_eq!(fk.status, ok.status);
        assert_eq!(fk.reg_time, ok.reg_time);
        assert_eq!(fk.entry_mode, ok.entry_mode);
        assert_eq!(fk.display_name, ok.display_name);
        let card = fk.card.as_ref().unwrap();
        assert_eq!(card.expiration, ok.card_expiration);
        assert_eq!(card.brand, ok.card_brand);
    }
}
