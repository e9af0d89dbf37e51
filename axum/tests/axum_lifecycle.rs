//! The `axum_shop` example app over the unified API against the sandbox, past the payment:
//! partial and full refunds, capture and cancel of holds, for each gateway, with the
//! verified status after each step; EPoint's cancel answers Unsupported (422), sending nothing.

use azpay_test_support::axum_shop as app;

use std::net::SocketAddr;
use std::time::Duration;

use azpay_core::AsyncTransport;
use azpay_sandbox::serve::{serve, ServeOptions, ServerHandle};
use azpay_sandbox::{cards, Card, CardAction, Gateway, SandboxConfig};
use azpay_transport_hyper::HyperTransport;
use serde_json::Value;

struct Shop {
    url: String,
    sandbox: ServerHandle,
    client: HyperTransport,
    tls_dir: std::path::PathBuf,
}

impl Drop for Shop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.tls_dir);
    }
}

async fn start(name: &str) -> Shop {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let tls_dir =
        std::env::temp_dir().join(format!("azpay-axum-life-{}-{name}", std::process::id()));
    let config = SandboxConfig::default().with_epoint_result_url(format!("{url}/epoint/result"));
    let sandbox = tokio::task::block_in_place(|| {
        serve(
            config,
            ServeOptions::new(SocketAddr::from(([127, 0, 0, 1], 0))).tls_dir(&tls_dir),
        )
    })
    .unwrap();
    let shop = app::Shop::for_sandbox(&sandbox, &url).unwrap();
    tokio::spawn(async move { axum::serve(listener, app::router(shop)).await.unwrap() });
    Shop {
        url,
        sandbox,
        client: HyperTransport::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap(),
        tls_dir,
    }
}

impl Shop {
    async fn call(&self, method: &str, path: &str) -> (u16, Value) {
        let request = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.url))
            .body(Vec::new())
            .unwrap();
        let response = self.client.send(request).await.unwrap();
        let status = response.status().as_u16();
        let body = serde_json::from_slice(response.body())
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(response.body())));
        (status, body)
    }

    async fn status(&self, order: &str) -> String {
        let (code, body) = self.call("GET", &format!("/orders/{order}")).await;
        assert_eq!(code, 200, "{body}");
        body["status"].as_str().unwrap().to_owned()
    }

    /// Creates (purchase or hold) and pays on the hosted page; answers the shop's order id.
    async fn paid(&self, gateway: &str, amount: &str, hold: bool) -> String {
        let kind = if hold { "hold" } else { "checkout" };
        let (code, created) = self
            .call("POST", &format!("/{kind}/{gateway}/{amount}"))
            .await;
        assert_eq!(code, 201, "{created}");
        let (sandbox_gateway, id, card) = match gateway {
            "epoint" => (
                Gateway::EPoint,
                created["payment"]["transaction"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                cards::KAPITAL_VISA,
            ),
            "kapital" => (
                Gateway::Kapital,
                created["payment"]["order_id"].to_string(),
                cards::KAPITAL_VISA,
            ),
            _ => (
                Gateway::Twec,
                created["payment"]["order_id"].as_str().unwrap().to_owned(),
                cards::TWEC,
            ),
        };
        let outcome = tokio::task::block_in_place(|| {
            self.sandbox.with_sandbox(|sb| {
                sb.complete_payment(sandbox_gateway, &id, &CardAction::Pay(Card::new(card)))
                    .unwrap()
            })
        });
        assert!(outcome.approved, "{outcome:?}");
        created["order"].as_str().unwrap().to_owned()
    }

    async fn act(&self, order: &str, what: &str) -> (u16, Value) {
        self.call("POST", &format!("/orders/{order}/{what}")).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kapital_refunds_capture_and_cancel() {
    let shop = start("kapital").await;
    let order = shop.paid("kapital", "10", false).await;
    assert_eq!(shop.status(&order).await, "paid");
    let (code, body) = shop.act(&order, "refund/4").await;
    assert_eq!(
        (code, &body["approved"]),
        (200, &Value::Bool(true)),
        "{body}"
    );
    assert_eq!(shop.status(&order).await, "partially_refunded");
    let (code, body) = shop.act(&order, "refund/6").await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(shop.status(&order).await, "refunded");

    let hold = shop.paid("kapital", "7", true).await;
    assert_eq!(shop.status(&hold).await, "authorized");
    let (code, body) = shop.act(&hold, "capture").await;
    assert_eq!(
        (code, &body["approved"]),
        (200, &Value::Bool(true)),
        "{body}"
    );
    assert_eq!(shop.status(&hold).await, "paid");
    let (code, body) = shop.act(&hold, "refund").await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(shop.status(&hold).await, "refunded");

    let hold = shop.paid("kapital", "3", true).await;
    let (code, body) = shop.act(&hold, "cancel").await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(shop.status(&hold).await, "voided");

    let purchase = shop.paid("kapital", "2", false).await;
    let (code, body) = shop.act(&purchase, "cancel").await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(shop.status(&purchase).await, "voided");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn epoint_refunds_capture_and_unsupported_cancel() {
    let shop = start("epoint").await;
    let order = shop.paid("epoint", "10", false).await;
    assert_eq!(shop.status(&order).await, "paid");
    let (code, body) = shop.act(&order, "refund/4").await;
    assert_eq!(
        (code, &body["approved"]),
        (200, &Value::Bool(true)),
        "{body}"
    );
    assert_eq!(shop.status(&order).await, "paid"); // EPoint: success until all is returned
    let (code, body) = shop.act(&order, "refund").await;
    // A full refund after a partial one: EPoint's `/reverse` without amount.
    assert_eq!(code, 200, "{body}");
    assert_eq!(shop.status(&order).await, "refunded");

    let hold = shop.paid("epoint", "5", true).await;
    let (code, body) = shop.act(&hold, "capture").await;
    assert_eq!(
        (code, &body["approved"]),
        (200, &Value::Bool(true)),
        "{body}"
    );
    assert_eq!(shop.status(&hold).await, "paid");

    let before = shop.sandbox.executed(Gateway::EPoint, "reverse");
    let (code, body) = shop.act(&hold, "cancel").await;
    assert_eq!(code, 422, "{body}");
    assert_eq!(body["error"], "epoint does not support cancel");
    assert_eq!(shop.sandbox.executed(Gateway::EPoint, "reverse"), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twec_refund_capture_and_cancel() {
    let shop = start("twec").await;
    let order = shop.paid("twec", "10", false).await;
    assert_eq!(shop.status(&order).await, "paid");
    let (code, body) = shop.act(&order, "refund").await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(shop.status(&order).await, "refunded");

    let hold = shop.paid("twec", "5", true).await;
    assert_eq!(shop.status(&hold).await, "authorized");
    let (code, body) = shop.act(&hold, "capture").await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(shop.status(&hold).await, "paid");

    let hold = shop.paid("twec", "4", true).await;
    let (code, body) = shop.act(&hold, "cancel").await;
    assert_eq!(code, 200, "{body}");
    // TWEC writes `REVERSED` after a Reverse (the vendor's status list): voided.
    assert_eq!(shop.status(&hold).await, "voided");
}
