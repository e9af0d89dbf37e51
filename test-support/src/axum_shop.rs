//! The shop of the `axum_shop` example: create → redirect → return (callback, redirect or
//! xmlmsg) → verified status, on the unified API and the `azpay-axum` extractors. The example
//! `axum/examples/axum_shop` serves it; the tests `axum/tests/axum_shop.rs` and
//! `axum/tests/axum_lifecycle.rs` run it in-process next to the sandbox.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{FromRef, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use azpay_axum::{KapitalRedirect, TwecXmlOut, VerifiedEPointCallback};
use azpay_core::unified::{self, GatewayKind, PaymentRef, PaymentStatus, Return, Verification};
use azpay_core::{epoint, execute_async, kapital, twec, Amount, ClientIdentity, Currency};
use azpay_sandbox::serve::ServerHandle;
use azpay_transport_hyper::HyperTransport;

/// The shop's state: gateway configurations, one transport, the orders.
#[derive(Clone)]
pub struct Shop {
    inner: Arc<Inner>,
}

struct Inner {
    config: unified::Config,
    epoint: epoint::Config,
    transport: HyperTransport,
    orders: Mutex<Orders>,
}

#[derive(Default)]
struct Orders {
    next: u64,
    by_id: HashMap<String, Order>,
}

struct Order {
    payment: PaymentRef,
    /// The last status the shop got over a trusted channel (status query or signed callback).
    verified: Option<PaymentStatus>,
    /// What EPoint's signed callback said, if one came.
    callback: Option<PaymentStatus>,
}

impl FromRef<Shop> for epoint::Config {
    fn from_ref(shop: &Shop) -> Self {
        shop.inner.epoint.clone()
    }
}

impl Shop {
    /// A shop over these gateways.
    pub fn new(config: unified::Config, transport: HyperTransport) -> Result<Self, String> {
        let epoint = config.epoint_config().map_err(|e| e.to_string())?.clone();
        Ok(Shop {
            inner: Arc::new(Inner {
                config,
                epoint,
                transport,
                orders: Mutex::new(Orders::default()),
            }),
        })
    }

    /// The gateway configurations pointing at a running sandbox, with the shop at `shop_url`.
    pub fn for_sandbox(sandbox: &ServerHandle, shop_url: &str) -> Result<Self, String> {
        use azpay_sandbox::credentials as c;
        let config = unified::Config::new()
            .epoint(
                epoint::Config::new(c::EPOINT_PUBLIC_KEY, c::EPOINT_PRIVATE_KEY)
                    .base_url(sandbox.base_url())
                    .map_err(|e| e.to_string())?
                    .success_redirect_url(format!("{shop_url}/epoint/success"))
                    .error_redirect_url(format!("{shop_url}/epoint/error")),
            )
            .kapital(
                kapital::Config::new(c::KAPITAL_USERNAME, c::KAPITAL_PASSWORD)
                    .base_url(sandbox.base_url())
                    .map_err(|e| e.to_string())?
                    .redirect_url(format!("{shop_url}/kapital/return")),
            )
            .twec(
                twec::Config::kapital_test(c::TWEC_MERCHANT_ID)
                    .base_url(sandbox.twec_url())
                    .map_err(|e| e.to_string())?
                    .approve_url(format!("{shop_url}/twec/return"))
                    .cancel_url(format!("{shop_url}/twec/return"))
                    .decline_url(format!("{shop_url}/twec/return")),
            );
        let mut builder = HyperTransport::builder();
        if let Some(tls) = sandbox.tls_paths() {
            let read = |p: &std::path::Path| std::fs::read(p).map_err(|e| e.to_string());
            builder = builder.client_identity(
                ClientIdentity::from_pem(read(&tls.client_cert)?, read(&tls.client_key)?)
                    .with_ca_pem(read(&tls.ca_cert)?),
            );
        }
        let transport = builder.build().map_err(|e| e.to_string())?;
        Shop::new(config, transport)
    }

    fn set_verified(&self, order: &str, status: PaymentStatus) {
        if let Ok(mut orders) = self.inner.orders.lock() {
            if let Some(o) = orders.by_id.get_mut(order) {
                o.verified = Some(status);
            }
        }
    }

    /// Keeps a TWEC payment's TwoId (from XMLOut: an identifier, not a claim; a Kapital
    /// refund needs it in `TranId`).
    fn set_tran_id(&self, order: &str, two_id: &str) {
        if let Ok(mut orders) = self.inner.orders.lock() {
            if let Some(PaymentRef::Twec { tran_id, .. }) =
                orders.by_id.get_mut(order).map(|o| &mut o.payment)
            {
                *tran_id = Some(two_id.to_owned());
            }
        }
    }

    /// The shop's order whose payment matches.
    fn find(&self, matches: impl Fn(&PaymentRef) -> bool) -> Option<String> {
        let orders = self.inner.orders.lock().ok()?;
        orders
            .by_id
            .iter()
            .find(|(_, o)| matches(&o.payment))
            .map(|(id, _)| id.clone())
    }

    /// Runs a verification query: the gateway's answer over an authenticated channel.
    async fn query(&self, query: &unified::GetStatus) -> Result<unified::PaymentState, String> {
        execute_async(query, &self.inner.config, &self.inner.transport)
            .await
            .map_err(|e| e.to_string())
    }
}

/// The routes:
///
/// | route | what |
/// |---|---|
/// | `POST /checkout/{gateway}/{amount}` | create a payment; JSON `{order, redirect_url, payment}` |
/// | `POST /hold/{gateway}/{amount}` | the same as a pre-authorisation (a hold) |
/// | `POST /orders/{order}/refund[/{amount}]` | refund all (or `amount`) |
/// | `POST /orders/{order}/capture`, `POST /orders/{order}/cancel` | capture or void a hold (`422` when the gateway cannot) |
/// | `GET /orders/{order}` | the verified status (a fresh status query) and what EPoint's signed callback said, JSON |
/// | `POST /epoint/result` | EPoint's signed callback (`400` when forged) |
/// | `GET /epoint/success`, `GET /epoint/error` | where the browser lands; decides nothing |
/// | `GET /kapital/return` | Kapital's `?ID=&STATUS=`: checked with a status query |
/// | `POST /twec/return` | TWEC's `xmlmsg`: checked with a status query |
pub fn router(shop: Shop) -> Router {
    Router::new()
        .route("/checkout/{gateway}/{amount}", post(checkout))
        .route("/hold/{gateway}/{amount}", post(hold))
        .route("/orders/{order}", get(order_status))
        .route("/orders/{order}/refund", post(refund_full))
        .route("/orders/{order}/refund/{amount}", post(refund_partial))
        .route("/orders/{order}/capture", post(capture))
        .route("/orders/{order}/cancel", post(cancel))
        .route("/epoint/result", post(epoint_result))
        .route("/epoint/success", get(browser_back))
        .route("/epoint/error", get(browser_back))
        .route("/kapital/return", get(kapital_return))
        .route("/twec/return", post(twec_return))
        .with_state(shop)
}

fn json(status: StatusCode, value: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json(status, serde_json::json!({ "error": message.into() }))
}

async fn checkout(State(shop): State<Shop>, Path(p): Path<(String, String)>) -> Response {
    create(shop, p, false).await
}

async fn hold(State(shop): State<Shop>, Path(p): Path<(String, String)>) -> Response {
    create(shop, p, true).await
}

async fn create(shop: Shop, (gateway, amount): (String, String), preauth: bool) -> Response {
    let gateway = match gateway.as_str() {
        "epoint" => GatewayKind::EPoint,
        "kapital" => GatewayKind::Kapital,
        "twec" => GatewayKind::Twec,
        _ => return error(StatusCode::NOT_FOUND, "unknown gateway"),
    };
    let amount = match Amount::parse_major(&amount, Currency::AZN) {
        Ok(a) => a,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("amount: {e}")),
    };
    let order = match shop.inner.orders.lock() {
        Ok(mut o) => {
            o.next += 1;
            format!("shop-{}", o.next)
        }
        Err(_) => return error(StatusCode::INTERNAL_SERVER_ERROR, "state poisoned"),
    };
    let mut create = unified::CreatePayment::new(gateway, amount, order.as_str())
        .description(format!("azpay shop order {order}"));
    if preauth {
        create = create.preauth();
    }
    match execute_async(&create, &shop.inner.config, &shop.inner.transport).await {
        Ok(created) => {
            let payment = serde_json::to_value(&created.payment).unwrap_or_default();
            if let Ok(mut orders) = shop.inner.orders.lock() {
                orders.by_id.insert(
                    order.clone(),
                    Order {
                        payment: created.payment,
                        verified: None,
                        callback: None,
                    },
                );
            }
            json(
                StatusCode::CREATED,
                serde_json::json!({
                    "order": order,
                    "redirect_url": created.redirect_url,
                    "payment": payment,
                }),
            )
        }
        Err(e) => error(StatusCode::BAD_GATEWAY, e.to_string()),
    }
}

async fn order_status(State(shop): State<Shop>, Path(order): Path<String>) -> Response {
    let (payment, callback) = match shop.inner.orders.lock() {
        Ok(orders) => match orders.by_id.get(&order) {
            Some(o) => (o.payment.clone(), o.callback),
            None => return error(StatusCode::NOT_FOUND, "no such order"),
        },
        Err(_) => return error(StatusCode::INTERNAL_SERVER_ERROR, "state poisoned"),
    };
    match shop.query(&unified::GetStatus::new(&payment)).await {
        Ok(state) => {
            shop.set_verified(&order, state.status);
            json(
                StatusCode::OK,
                serde_json::json!({
                    "order": order,
                    "status": state.status,
                    "gateway_status": state.gateway_status,
                    "callback": callback,
                }),
            )
        }
        Err(e) => error(StatusCode::BAD_GATEWAY, e),
    }
}

async fn epoint_result(
    State(shop): State<Shop>,
    VerifiedEPointCallback(callback): VerifiedEPointCallback,
) -> Response {
    let transaction = callback.transaction.clone();
    let Ok(Verification::Verified(state)) = Return::EPoint(callback).verify() else {
        return error(StatusCode::BAD_REQUEST, "unexpected callback");
    };
    let order = shop.find(|p| {
        matches!(p, PaymentRef::EPoint { transaction: t, .. } if Some(t) == transaction.as_ref())
    });
    if let Some(order) = order {
        shop.set_verified(&order, state.status);
        if let Ok(mut orders) = shop.inner.orders.lock() {
            if let Some(o) = orders.by_id.get_mut(&order) {
                o.callback = Some(state.status);
            }
        }
    }
    // Answer 200 whatever the order: EPoint retries otherwise.
    (StatusCode::OK, "OK").into_response()
}

async fn browser_back() -> &'static str {
    "Thank you. Your payment is being confirmed with the bank; we ship once it is."
}

async fn kapital_return(
    State(shop): State<Shop>,
    KapitalRedirect(claim): KapitalRedirect,
) -> Response {
    let order = shop.find(
        |p| matches!(p, PaymentRef::Kapital { order_id, .. } if *order_id == claim.order_id()),
    );
    verify_and_answer(&shop, order, Return::Kapital(claim)).await
}

async fn twec_return(State(shop): State<Shop>, TwecXmlOut(message): TwecXmlOut) -> Response {
    let order = shop.find(|p| {
        matches!(p, PaymentRef::Twec { order_id, .. } if Some(order_id.as_str()) == message.order_id())
    });
    if let (Some(order), Some(two_id)) = (&order, message.two_id()) {
        shop.set_tran_id(order, two_id);
    }
    verify_and_answer(&shop, order, Return::Twec(message)).await
}

/// The browser's claim decides nothing: the status query's answer does.
async fn verify_and_answer(shop: &Shop, order: Option<String>, ret: Return) -> Response {
    let Some(order) = order else {
        return error(StatusCode::NOT_FOUND, "no such order");
    };
    let state = match ret.verify() {
        Ok(Verification::Query(query)) => match shop.query(&query).await {
            Ok(state) => state,
            Err(e) => return error(StatusCode::BAD_GATEWAY, e),
        },
        Ok(Verification::Verified(state)) => state,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    shop.set_verified(&order, state.status);
    json(
        StatusCode::OK,
        serde_json::json!({ "order": order, "status": state.status }),
    )
}

fn payment_of(shop: &Shop, order: &str) -> Option<PaymentRef> {
    let orders = shop.inner.orders.lock().ok()?;
    orders.by_id.get(order).map(|o| o.payment.clone())
}

fn no_such_order() -> Response {
    error(StatusCode::NOT_FOUND, "no such order")
}

/// Runs a refund, capture or cancel and answers its outcome; what the gateway cannot do is
/// `422` with the reason.
async fn act<O>(shop: &Shop, op: O) -> Response
where
    O: azpay_core::Operation<Gateway = unified::Unified, Output = unified::ActionOutcome> + Sync,
{
    match execute_async(&op, &shop.inner.config, &shop.inner.transport).await {
        Ok(outcome) => json(
            StatusCode::OK,
            serde_json::json!({ "state": outcome.state, "approved": outcome.approved(), "code": outcome.code }),
        ),
        Err(azpay_core::Error::Build(e)) => error(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        Err(e) => error(StatusCode::BAD_GATEWAY, e.to_string()),
    }
}

/// A TWEC payment whose TwoId is not known yet gets it from `GetOrderInformation` (Kapital's
/// refund needs it in `TranId`), as `twec::RefundPayment` does; other payments are unchanged.
async fn with_two_id(shop: &Shop, order: &str, payment: PaymentRef) -> PaymentRef {
    let PaymentRef::Twec {
        order_id,
        session_id,
        tran_id: None,
        ..
    } = &payment
    else {
        return payment;
    };
    let Ok(config) = shop.inner.config.twec_config() else {
        return payment;
    };
    let query = twec::GetOrderInformation::new(order_id.as_str(), session_id.as_str());
    let Ok(info) = execute_async(&query, config, &shop.inner.transport).await else {
        return payment;
    };
    match info.payment_two_id() {
        Some(two_id) => {
            shop.set_tran_id(order, two_id);
            payment_of(shop, order).unwrap_or(payment)
        }
        None => payment,
    }
}

async fn refund_full(State(shop): State<Shop>, Path(order): Path<String>) -> Response {
    match payment_of(&shop, &order) {
        Some(p) => {
            let p = with_two_id(&shop, &order, p).await;
            act(&shop, unified::Refund::full(&p)).await
        }
        None => no_such_order(),
    }
}

async fn refund_partial(
    State(shop): State<Shop>,
    Path((order, amount)): Path<(String, String)>,
) -> Response {
    let Some(payment) = payment_of(&shop, &order) else {
        return no_such_order();
    };
    let payment = with_two_id(&shop, &order, payment).await;
    match Amount::parse_major(&amount, payment.amount().currency()) {
        Ok(a) => act(&shop, unified::Refund::partial(&payment, a)).await,
        Err(e) => error(StatusCode::BAD_REQUEST, format!("amount: {e}")),
    }
}

async fn capture(State(shop): State<Shop>, Path(order): Path<String>) -> Response {
    match payment_of(&shop, &order) {
        Some(p) => act(&shop, unified::Capture::new(&p)).await,
        None => no_such_order(),
    }
}

async fn cancel(State(shop): State<Shop>, Path(order): Path<String>) -> Response {
    match payment_of(&shop, &order) {
        Some(p) => act(&shop, unified::Cancel::new(&p)).await,
        None => no_such_order(),
    }
}
