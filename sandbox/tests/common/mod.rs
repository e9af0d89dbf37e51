//! Helpers shared by the sandbox's integration tests: requests built by hand from the wire
//! facts (`docs/wire.md`), independent of azpay-core.
#![allow(dead_code)]

use azpay_sandbox::{credentials, Sandbox, SandboxConfig};
use base64::Engine as _;
use sha1::Digest as _;

pub type Request = http::Request<Vec<u8>>;
pub type Response = http::Response<Vec<u8>>;

pub const BASE: &str = "http://sandbox.test";

/// A sandbox with a fixed clock, fixed ids and a known base URL.
pub fn sandbox() -> Sandbox {
    Sandbox::new(
        SandboxConfig::default()
            .with_base_url(BASE)
            .with_id_offset(0)
            .with_fixed_time(1_718_206_703) // 2024-06-12 15:38:23 UTC
            .with_epoint_result_url("http://shop.test/epoint/result"),
    )
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn sign(private_key: &str, data: &str) -> String {
    let digest = sha1::Sha1::digest(format!("{private_key}{data}{private_key}").as_bytes());
    b64(&digest)
}

pub fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    ser.finish().into_bytes()
}

pub fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A signed EPoint request with the sandbox's test key.
pub fn epoint(endpoint: &str, json: &str) -> Request {
    epoint_with_key(endpoint, json, credentials::EPOINT_PRIVATE_KEY)
}

pub fn epoint_with_key(endpoint: &str, json: &str, key: &str) -> Request {
    let data = b64(json.as_bytes());
    let signature = sign(key, &data);
    http::Request::post(format!("{BASE}/api/1/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[("data", &data), ("signature", &signature)]))
        .unwrap()
}

pub fn json(response: &Response) -> serde_json::Value {
    serde_json::from_slice(response.body()).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(response.body())
        )
    })
}

pub fn text(response: &Response) -> String {
    String::from_utf8_lossy(response.body()).into_owned()
}

pub fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", b64(format!("{user}:{password}").as_bytes()))
}

/// A Kapital request with the test credentials.
pub fn kapital(method: &str, path_and_query: &str, body: &str) -> Request {
    kapital_auth(
        method,
        path_and_query,
        body,
        &basic(credentials::KAPITAL_USERNAME, credentials::KAPITAL_PASSWORD),
    )
}

pub fn kapital_auth(method: &str, path_and_query: &str, body: &str, auth: &str) -> Request {
    http::Request::builder()
        .method(method)
        .uri(format!("{BASE}{path_and_query}"))
        .header("authorization", auth)
        .header("content-type", "application/json")
        .body(body.as_bytes().to_vec())
        .unwrap()
}

pub fn twec(xml: &str) -> Request {
    http::Request::post(format!("{BASE}/Exec"))
        .header("content-type", "application/xml")
        .body(xml.as_bytes().to_vec())
        .unwrap()
}

pub fn get(path_and_query: &str) -> Request {
    http::Request::get(format!("{BASE}{path_and_query}"))
        .body(Vec::new())
        .unwrap()
}

pub fn post_form(path_and_query: &str, pairs: &[(&str, &str)]) -> Request {
    http::Request::post(format!("{BASE}{path_and_query}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(pairs))
        .unwrap()
}

pub fn location(response: &Response) -> String {
    assert_eq!(response.status(), 302, "{}", text(response));
    response
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .unwrap()
        .to_owned()
}

/// The text of the first element `name` in an XML document (tests only; exact-case match).
pub fn xml_text(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&close)? + start;
    Some(xml[start..end].to_owned())
}

/// Undoes the HTML attribute escaping of the hosted pages.
pub fn html_unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The `value` of the hidden input `name` in an HTML page.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html_unescape(&html[start..end]))
}

/// The `action` of the first form in an HTML page.
pub fn form_action(html: &str) -> Option<String> {
    let marker = "action=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html_unescape(&html[start..end]))
}
