//! Runs the `axum_shop` example app against the sandbox on free ports: create a payment,
//! complete it as the cardholder, let the callback / redirect / xmlmsg reach the app, and
//! check the app reports it paid from a verified status. Forged returns are refused or
//! decide nothing.

use azpay_test_support::axum_shop as app;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use azpay_axum::MAX_RETURN_BODY_BYTES;
use azpay_core::{epoint, AsyncTransport};
use azpay_sandbox::serve::{serve, ServeOptions, ServerHandle};
use azpay_sandbox::{cards, Card, CardAction, Gateway, Redirect, SandboxConfig};
use azpay_transport_hyper::HyperTransport;
use serde_json::Value;

struct Running {
    shop_url: String,
    sandbox: ServerHandle,
    client: HyperTransport,
    _server: tokio::task::JoinHandle<()>,
    _tls_dir: TempDir,
}

struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn start(test: &str) -> Running {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let shop_url = format!("http://{}", listener.local_addr().unwrap());
    let tls_dir = TempDir(
        std::env::temp_dir().join(format!("azpay-axum-test-{}-{test}", std::process::id())),
    );
    let config =
        SandboxConfig::default().with_epoint_result_url(format!("{shop_url}/epoint/result"));
    let sandbox = tokio::task::block_in_place(|| {
        serve(
            config,
            ServeOptions::new(SocketAddr::from(([127, 0, 0, 1], 0))).tls_dir(&tls_dir.0),
        )
    })
    .unwrap();
    let shop = app::Shop::for_sandbox(&sandbox, &shop_url).unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, app::router(shop)).await.unwrap();
    });
    Running {
        shop_url,
        sandbox,
        client: HyperTransport::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap(),
        _server: server,
        _tls_dir: tls_dir,
    }
}

impl Running {
    async fn call(&self, method: &str, url: &str, body: Vec<u8>, form: bool) -> (u16, String) {
        let mut builder = http::Request::builder().method(method).uri(url);
        if form {
            builder = builder.header("content-type", "application/x-www-form-urlencoded");
        }
        let response = self.client.send(builder.body(body).unwrap()).await.unwrap();
        (
            response.status().as_u16(),
            String::from_utf8_lossy(response.body()).into_owned(),
        )
    }

    async fn json(&self, method: &str, path: &str) -> (u16, Value) {
        let (status, text) = self
            .call(
                method,
                &format!("{}{path}", self.shop_url),
                Vec::new(),
                false,
            )
            .await;
        (
            status,
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")),
        )
    }

    async fn checkout(&self, gateway: &str, amount: &str) -> Value {
        let (status, body) = self
            .json("POST", &format!("/checkout/{gateway}/{amount}"))
            .await;
        assert_eq!(status, 201, "{body}");
        body
    }

    fn pay(&self, gateway: Gateway, id: &str) -> azpay_sandbox::HostedOutcome {
        let card = match gateway {
            Gateway::Twec => cards::TWEC,
            _ => cards::KAPITAL_VISA,
        };
        tokio::task::block_in_place(|| {
            self.sandbox.with_sandbox(|sb| {
                sb.complete_payment(gateway, id, &CardAction::Pay(Card::new(card)))
                    .unwrap()
            })
        })
    }
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn epoint_callback_reaches_the_app_and_the_status_is_verified() {
    let run = start("epoint").await;
    let created = run.checkout("epoint", "10.50").await;
    let order = s(&created["order"]).to_owned();
    assert!(s(&created["redirect_url"]).starts_with(run.sandbox.base_url()));
    let transaction = s(&created["payment"]["transaction"]).to_owned();

    // Not paid yet: the verified status says so.
    let (_, before) = run.json("GET", &format!("/orders/{order}")).await;
    assert_eq!(before["status"], "pending", "{before}");
    assert_eq!(before["callback"], Value::Null);

    let outcome = run.pay(Gateway::EPoint, &transaction);
    assert!(outcome.approved);

    // The sandbox POSTs the signed callback to /epoint/result; the app's status then agrees.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = run.json("GET", &format!("/orders/{order}")).await;
        assert_eq!(status, 200, "{body}");
        if body["callback"] == "paid" {
            assert_eq!(body["status"], "paid", "{body}");
            assert_eq!(body["gateway_status"], "success");
            break;
        }
        assert!(Instant::now() < deadline, "never paid: {body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_epoint_callback_gets_400() {
    let run = start("forged").await;
    let forger = epoint::Config::new(azpay_sandbox::credentials::EPOINT_PUBLIC_KEY, "not-the-key");
    let body = epoint::sign_callback(
        &forger,
        &serde_json::json!({"order_id":"shop-1","status":"success","transaction":"te1"}),
    );
    let url = format!("{}/epoint/result", run.shop_url);
    let (status, text) = run.call("POST", &url, body, true).await;
    assert_eq!(status, 400);
    assert_eq!(text, "invalid signature");
    // Garbage and oversized bodies are refused too.
    let (status, _) = run.call("POST", &url, b"hello".to_vec(), true).await;
    assert_eq!(status, 400);
    let (status, _) = run
        .call("POST", &url, vec![b'a'; MAX_RETURN_BODY_BYTES + 1], true)
        .await;
    assert_eq!(status, 413);
    // A correctly signed one is accepted.
    let real = epoint::Config::new(
        azpay_sandbox::credentials::EPOINT_PUBLIC_KEY,
        azpay_sandbox::credentials::EPOINT_PRIVATE_KEY,
    );
    let body = epoint::sign_callback(&real, &serde_json::json!({"status":"success"}));
    let (status, _) = run.call("POST", &url, body, true).await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kapital_redirect_is_checked_with_the_status_query() {
    let run = start("kapital").await;
    let created = run.checkout("kapital", "5").await;
    let order = s(&created["order"]).to_owned();
    let id = created["payment"]["order_id"].as_u64().unwrap();

    // A forged "FullyPaid" before paying decides nothing: the query says pending.
    let forged = format!("{}/kapital/return?ID={id}&STATUS=FullyPaid", run.shop_url);
    let (status, text) = run.call("GET", &forged, Vec::new(), false).await;
    assert_eq!(status, 200, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["status"], "pending");

    let outcome = run.pay(Gateway::Kapital, &id.to_string());
    let Redirect::Get(url) = outcome.redirect else {
        panic!("Kapital redirects with GET: {:?}", outcome.redirect)
    };
    assert!(
        url.starts_with(&format!("{}/kapital/return?", run.shop_url)),
        "{url}"
    );
    // The browser follows the redirect to the shop.
    let (status, text) = run.call("GET", &url, Vec::new(), false).await;
    assert_eq!(status, 200, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["order"], order.as_str());
    assert_eq!(body["status"], "paid");
    let (_, body) = run.json("GET", &format!("/orders/{order}")).await;
    assert_eq!(body["status"], "paid");
    assert_eq!(body["gateway_status"], "FullyPaid");

    // A redirect without ID is refused.
    let bad = format!("{}/kapital/return?STATUS=FullyPaid", run.shop_url);
    assert_eq!(run.call("GET", &bad, Vec::new(), false).await.0, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twec_xmlmsg_is_checked_with_the_status_query_over_mutual_tls() {
    let run = start("twec").await;
    let created = run.checkout("twec", "3").await;
    let order = s(&created["order"]).to_owned();
    let twec_order = s(&created["payment"]["order_id"]).to_owned();

    let outcome = run.pay(Gateway::Twec, &twec_order);
    let Redirect::PostForm { url, fields } = outcome.redirect else {
        panic!("TWEC posts a form: {:?}", outcome.redirect)
    };
    assert_eq!(url, format!("{}/twec/return", run.shop_url));
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &fields {
        form.append_pair(k, v);
    }
    let (status, text) = run
        .call("POST", &url, form.finish().into_bytes(), true)
        .await;
    assert_eq!(status, 200, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["order"], order.as_str());
    assert_eq!(body["status"], "paid");

    // Not an XMLOut message: 400.
    let (status, _) = run.call("POST", &url, b"xmlmsg=nope".to_vec(), true).await;
    assert_eq!(status, 400);
}
