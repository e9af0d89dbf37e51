//! End-to-end scenarios against `azpay_sandbox::serve` over real sockets, written once and
//! run by both transports: `transport-blocking/tests/e2e_sandbox.rs` (with `execute`) and
//! `transport-hyper/tests/e2e_sandbox.rs` (with `execute_async` on tokio).
//!
//! Every scenario is an `async fn` generic over [`Client`]; the blocking client's futures are
//! always ready, so [`block_on`] drives them with a no-op waker.
//!
//! Coverage: every operation of every gateway the sandbox simulates — EPoint (heartbeat, pay,
//! checkout, pre-auth + complete, split pay, card registration (debit and payout cards), pay
//! and save card, split pay and save card, saved-card charge, split saved-card charge,
//! payout, refund (partial and full), get-status by transaction and by order id, card status,
//! token widget, wallet status, signed callbacks verified), Kapital (create order of each
//! typeRid, summary and detailed order, clearing, refund, full voids in the three phases,
//! partial void, set-src-token and set-dst-token by hand, the three flows, the redirect
//! verified) and TWEC over mutual TLS (CreateOrder purchase and pre-auth, GetOrderStatus,
//! GetOrderInformation, Completion, Reverse full and partial, Refund partial and full, the
//! posted `xmlmsg` verified). Hosted pages are paid both by a real HTTP form POST through the
//! transport under test and through `with_sandbox(|sb| sb.complete_payment(..))`.

mod azericard;
pub use azericard::{azericard_every_operation, azericard_stamp, timestamp};

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use azpay_core::http;
use azpay_core::{
    epoint, kapital, payriff, twec, Amount, ApiErrorOf, ClientIdentity, ConfigOf, Currency, Error,
    Flow, Gateway, HttpRequest, HttpResponse, Operation, ResponseError, TransportError,
};
use azpay_sandbox::serve::{serve, ServeOptions, ServerHandle};
use azpay_sandbox::{cards, credentials, Card, CardAction, SandboxConfig};

/// Result of a flow.
pub type FlowResult<F> =
    Result<<F as Flow>::Output, Error<<<F as Flow>::Gateway as Gateway>::ApiError>>;

/// What a scenario needs from a transport: run an operation, drive a flow, send a raw request
/// (the cardholder's browser).
#[allow(async_fn_in_trait)]
pub trait Client {
    /// `execute` / `execute_async`.
    async fn exec<O: Operation>(
        &self,
        op: &O,
        config: &ConfigOf<O>,
    ) -> Result<O::Output, Error<ApiErrorOf<O>>>;
    /// `execute_flow` / `execute_flow_async`.
    async fn exec_flow<F: Flow>(
        &self,
        flow: &mut F,
        config: &<F::Gateway as Gateway>::Config,
    ) -> FlowResult<F>;
    /// The transport's `send`.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Drives a future that never waits (the blocking client's).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(v) = future.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::yield_now();
    }
}

static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

/// A sandbox served on 127.0.0.1 (HTTP + HTTPS with mutual TLS for TWEC) with its throwaway
/// certificates.
pub struct Env {
    pub server: ServerHandle,
    pub dir: PathBuf,
    /// The merchant's client certificate and key, with the sandbox CA.
    pub identity: ClientIdentity,
    /// The sandbox CA (the server certificate's issuer).
    pub ca_pem: Vec<u8>,
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Env {
    pub fn start() -> Env {
        let dir = std::env::temp_dir().join(format!(
            "azpay-e2e-{}-{}",
            std::process::id(),
            NEXT_DIR.fetch_add(1, Ordering::SeqCst)
        ));
        let server = serve(
            SandboxConfig::default(),
            ServeOptions::new("127.0.0.1:0".parse().unwrap()).tls_dir(&dir),
        )
        .expect("serve the sandbox");
        let paths = server.tls_paths().expect("TLS paths").clone();
        let read = |p: &std::path::Path| std::fs::read(p).expect("read a generated PEM");
        let ca_pem = read(&paths.ca_cert);
        let identity = ClientIdentity::from_pem(read(&paths.client_cert), read(&paths.client_key))
            .with_ca_pem(ca_pem.clone());
        Env {
            server,
            dir,
            identity,
            ca_pem,
        }
    }

    pub fn base(&self) -> String {
        self.server.base_url().to_owned()
    }

    pub fn epoint_config(&self) -> epoint::Config {
        epoint::Config::new(
            credentials::EPOINT_PUBLIC_KEY,
            credentials::EPOINT_PRIVATE_KEY,
        )
        .base_url(self.base())
        .expect("the sandbox's base URL")
        .success_redirect_url(format!("{}/?shop=ok", self.base()))
        .error_redirect_url(format!("{}/?shop=failed", self.base()))
    }

    pub fn kapital_config(&self) -> kapital::Config {
        kapital::Config::new(credentials::KAPITAL_USERNAME, credentials::KAPITAL_PASSWORD)
            .base_url(self.base())
            .expect("the sandbox's base URL")
            .redirect_url(format!("{}/?shop=kapital", self.base()))
    }

    pub fn twec_config(&self) -> twec::Config {
        twec::Config::kapital_test(credentials::TWEC_MERCHANT_ID)
            .base_url(self.server.twec_url())
            .expect("the sandbox's TWEC URL")
            .approve_url(format!("{}/?shop=approve", self.base()))
            .cancel_url(format!("{}/?shop=cancel", self.base()))
            .decline_url(format!("{}/?shop=decline", self.base()))
    }

    pub fn payriff_config(&self) -> payriff::Config {
        payriff::Config::new(credentials::PAYRIFF_SECRET_KEY)
            .base_url(self.base())
            .expect("the sandbox's base URL")
            .redirect_url(format!("{}/?shop=payriff", self.base()))
    }

    /// The cardholder pays on the hosted page without HTML.
    pub fn pay_hosted(&self, gateway: azpay_sandbox::Gateway, id: &str, pan: &str) {
        let card = Card::new(pan);
        let outcome = self
            .server
            .with_sandbox(|sb| sb.complete_payment(gateway, id, &CardAction::Pay(card)))
            .unwrap_or_else(|e| panic!("{gateway} {id}: {e}"));
        assert_eq!(outcome.approved, pan != cards::DECLINE, "{outcome:?}");
    }

    /// The EPoint callbacks waiting in the outbox, verified with azpay.
    pub fn verified_callbacks(&self, config: &epoint::Config) -> Vec<epoint::Callback> {
        self.server
            .take_callbacks()
            .iter()
            .map(|c| {
                epoint::verify_callback(config, c.form_body().as_bytes())
                    .unwrap_or_else(|e| panic!("callback did not verify: {e}"))
            })
            .collect()
    }
}

pub fn azn(text: &str) -> Amount {
    Amount::parse_major(text, Currency::AZN).unwrap()
}

pub(crate) fn unwrap<T, A: std::fmt::Debug>(what: &str, r: Result<T, Error<A>>) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e:?}"))
}

fn form_body(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish().into_bytes()
}

fn get(url: &str) -> HttpRequest {
    http::Request::get(url).body(Vec::new()).unwrap()
}

/// What a browser posts when the cardholder fills the card form and presses Pay. `extra` are
/// the hidden fields of the form.
pub(crate) fn card_post(url: &str, pan: &str, extra: &[(&str, &str)]) -> HttpRequest {
    let mut fields = extra.to_vec();
    fields.extend([
        ("pan", pan),
        ("expiry", "12/30"),
        ("cvv", "123"),
        ("holder", "TEST CARDHOLDER"),
        ("action", "pay"),
    ]);
    http::Request::post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&fields))
        .unwrap()
}

fn location(response: &HttpResponse) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no Location in a {} response", response.status()))
        .to_owned()
}

pub(crate) fn text(response: &HttpResponse) -> String {
    String::from_utf8_lossy(response.body()).into_owned()
}

/// The value of `<input ... name="NAME" value="...">`, HTML entities decoded.
fn hidden_input(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\" value=\""))?;
    let rest = &html[at + name.len() + 15..];
    let end = rest.find('"')?;
    Some(
        rest[..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

// ---------------------------------------------------------------------------------------------
// EPoint

pub async fn epoint_every_operation<C: Client>(c: &C, env: &Env) {
    let config = env.epoint_config();
    let base = env.base();

    let heartbeat = unwrap("heartbeat", c.exec(&epoint::Heartbeat, &config).await);
    assert!(heartbeat.is_ok(), "{heartbeat:?}");

    // Pay, then the cardholder pays on the hosted page through a real HTTP form POST.
    let pay = epoint::Pay::new(azn("10.50"), "e2e-pay-1").description("e2e payment");
    let created = unwrap("pay", c.exec(&pay, &config).await);
    assert_eq!(
        created.redirect_url,
        format!("{base}/epoint/pay/{}", created.transaction)
    );
    let status = unwrap(
        "get-status",
        c.exec(
            &epoint::GetStatus::by_transaction(&created.transaction),
            &config,
        )
        .await,
    );
    assert_eq!(status.status, epoint::Status::New);
    let page = unwrap_t("page", c.send(get(&created.redirect_url)).await);
    assert_eq!(page.status(), 200);
    assert!(text(&page).contains("10.50 AZN"), "{}", text(&page));
    let paid = unwrap_t(
        "page post",
        c.send(card_post(&created.redirect_url, cards::KAPITAL_VISA, &[]))
            .await,
    );
    assert_eq!(paid.status(), 302, "{}", text(&paid));
    assert_eq!(location(&paid), format!("{base}/?shop=ok"));
    let callbacks = env.verified_callbacks(&config);
    assert_eq!(callbacks.len(), 1);
    assert!(callbacks[0].is_success());
    assert_eq!(callbacks[0].order_id.as_deref(), Some("e2e-pay-1"));
    assert_eq!(callbacks[0].amount, Some(azn("10.50")));
    assert_eq!(
        callbacks[0].transaction.as_deref(),
        Some(created.transaction.as_str())
    );
    for query in [
        epoint::GetStatus::by_transaction(&created.transaction),
        epoint::GetStatus::by_order_id("e2e-pay-1"),
    ] {
        let status = unwrap("get-status", c.exec(&query, &config).await);
        assert!(status.is_paid(), "{status:?}");
        assert_eq!(status.amount, Some(azn("10.50")));
        assert_eq!(status.card_mask.as_deref(), Some("416974******1778"));
    }
    // A partial refund, then the rest.
    let partial = epoint::Refund::new(&created.transaction, Currency::AZN).amount(azn("4"));
    let ack = unwrap("refund", c.exec(&partial, &config).await);
    assert!(ack.status.is_success(), "{ack:?}");
    let rest = epoint::Refund::new(&created.transaction, Currency::AZN);
    let ack = unwrap("refund", c.exec(&rest, &config).await);
    assert!(ack.status.is_success(), "{ack:?}");
    let status = unwrap(
        "get-status",
        c.exec(
            &epoint::GetStatus::by_transaction(&created.transaction),
            &config,
        )
        .await,
    );
    assert_eq!(status.status, epoint::Status::Returned);
    // The full refund sends its signed `returned` callback (issue 17).
    let cbs = env.verified_callbacks(&config);
    assert_eq!(cbs.len(), 1);
    assert_eq!(cbs[0].state, azpay_core::State::Returned);
    // Nothing left to refund: the gateway's refusal is a typed API error.
    let again = c.exec(&rest, &config).await;
    assert!(
        matches!(again, Err(Error::Response(ResponseError::Api(_)))),
        "{again:?}"
    );

    // A declined card on the page: the error URL, a failed callback, not paid.
    let declined = unwrap(
        "pay",
        c.exec(&epoint::Pay::new(azn("1"), "e2e-decline"), &config)
            .await,
    );
    let reply = unwrap_t(
        "page post",
        c.send(card_post(&declined.redirect_url, cards::DECLINE, &[]))
            .await,
    );
    assert_eq!(location(&reply), format!("{base}/?shop=failed"));
    let cbs = env.verified_callbacks(&config);
    assert_eq!(cbs.len(), 1);
    assert!(!cbs[0].is_success());
    let status = unwrap(
        "get-status",
        c.exec(&epoint::GetStatus::by_order_id("e2e-decline"), &config)
            .await,
    );
    assert!(!status.is_paid(), "{status:?}");

    // Checkout: the gateway answers with a redirect to its page.
    let page = unwrap(
        "checkout",
        c.exec(&epoint::Checkout::new(azn("1"), "e2e-checkout"), &config)
            .await,
    );
    assert_eq!(page.status, 302);
    let to = page.location.clone().unwrap_or_default();
    assert!(to.starts_with(&format!("{base}/epoint/pay/te")), "{page:?}");

    // Pre-authorisation, then completion of part of the hold.
    let hold = unwrap(
        "pre-auth",
        c.exec(&epoint::PreAuth::new(azn("100"), "e2e-hold"), &config)
            .await,
    );
    env.pay_hosted(
        azpay_sandbox::Gateway::EPoint,
        &hold.transaction,
        cards::TWEC,
    );
    let done = unwrap(
        "pre-auth-complete",
        c.exec(
            &epoint::PreAuthComplete::new(azn("80"), &hold.transaction),
            &config,
        )
        .await,
    );
    assert!(done.status.is_success(), "{done:?}");
    let status = unwrap(
        "get-status",
        c.exec(
            &epoint::GetStatus::by_transaction(&hold.transaction),
            &config,
        )
        .await,
    );
    assert_eq!(status.amount, Some(azn("80")));
    let callbacks = env.verified_callbacks(&config);
    assert_eq!(callbacks.len(), 1, "{callbacks:?}");
    assert_eq!(callbacks[0].amount, Some(azn("100")), "the hold's callback");

    // Split payment through the page.
    let split = unwrap(
        "split-request",
        c.exec(
            &epoint::SplitPay::new(azn("10"), "e2e-split", "i000000002", azn("4")),
            &config,
        )
        .await,
    );
    env.pay_hosted(
        azpay_sandbox::Gateway::EPoint,
        &split.transaction,
        cards::KAPITAL_VISA,
    );

    // Card registrations: a debit card and a payout card.
    let debit = unwrap(
        "card-registration",
        c.exec(
            &epoint::SaveCard::new().refund(false).description("debit"),
            &config,
        )
        .await,
    );
    env.pay_hosted(
        azpay_sandbox::Gateway::EPoint,
        &debit.card_id,
        cards::KAPITAL_MASTERCARD,
    );
    let payout_card = unwrap(
        "card-registration",
        c.exec(&epoint::SaveCard::new().refund(true), &config).await,
    );
    env.pay_hosted(
        azpay_sandbox::Gateway::EPoint,
        &payout_card.card_id,
        cards::KAPITAL_VISA,
    );
    let card = unwrap(
        "get-status-card",
        c.exec(&epoint::GetCardStatus::new(&debit.card_id), &config)
            .await,
    );
    assert_eq!(card.status, epoint::CardStatus::Active);
    assert_eq!(card.mask.as_deref(), Some("523915******3468"));
    let callbacks = env.verified_callbacks(&config);
    assert_eq!(
        callbacks.len(),
        3,
        "split, two registrations: {callbacks:?}"
    );
    assert_eq!(callbacks[0].split_amount, Some(azn("4")));
    assert_eq!(
        callbacks[1].card_id.as_deref(),
        Some(debit.card_id.as_str())
    );

    // Saved-card charges and the payout.
    let charged = unwrap(
        "execute-pay",
        c.exec(
            &epoint::PayWithSavedCard::new(&debit.card_id, azn("10.5"), "e2e-saved-1"),
            &config,
        )
        .await,
    );
    assert!(charged.is_success(), "{charged:?}");
    assert_eq!(charged.amount, Some(azn("10.50")));
    let split_charged = unwrap(
        "split-execute-pay",
        c.exec(
            &epoint::SplitPayWithSavedCard::new(
                &debit.card_id,
                azn("10"),
                "e2e-saved-2",
                "i000000002",
                azn("3"),
            ),
            &config,
        )
        .await,
    );
    assert!(split_charged.is_success(), "{split_charged:?}");
    assert_eq!(split_charged.split_amount, Some(azn("3")));
    let paid_out = unwrap(
        "refund-request",
        c.exec(
            &epoint::Payout::new(&payout_card.card_id, azn("5"), "e2e-payout"),
            &config,
        )
        .await,
    );
    assert!(paid_out.is_success(), "{paid_out:?}");

    // Pay and save the card, then charge the saved card.
    let first = unwrap(
        "card-registration-with-pay",
        c.exec(
            &epoint::PayAndSaveCard::new(azn("2"), "e2e-ps-1").description("first"),
            &config,
        )
        .await,
    );
    let tx = first.transaction.clone().expect("a transaction");
    env.pay_hosted(azpay_sandbox::Gateway::EPoint, &tx, cards::KAPITAL_VISA);
    let again = unwrap(
        "execute-pay",
        c.exec(
            &epoint::PayWithSavedCard::new(&first.card_id, azn("1"), "e2e-ps-2"),
            &config,
        )
        .await,
    );
    assert!(again.is_success(), "{again:?}");
    let split_first = unwrap(
        "split-card-registration-with-pay",
        c.exec(
            &epoint::SplitPayAndSaveCard::new(azn("5"), "e2e-sps-1", "i000000002", azn("1")),
            &config,
        )
        .await,
    );
    let tx = split_first.transaction.clone().expect("a transaction");
    env.pay_hosted(azpay_sandbox::Gateway::EPoint, &tx, cards::KAPITAL_VISA);
    let callbacks = env.verified_callbacks(&config);
    assert_eq!(callbacks.len(), 2, "{callbacks:?}");
    assert!(callbacks.iter().all(|c| c.is_success()));
    assert_eq!(
        callbacks[1].card_id.as_deref(),
        Some(split_first.card_id.as_str())
    );

    let widget = unwrap(
        "token/widget",
        c.exec(
            &epoint::TokenWidget::new(azn("2.50"), "e2e-widget", "Test payment"),
            &config,
        )
        .await,
    );
    assert!(widget.widget_url.starts_with(&base), "{widget:?}");
    let wallets = unwrap(
        "wallet/status",
        c.exec(&epoint::WalletStatus, &config).await,
    );
    assert_eq!(wallets["status"], "success", "{wallets}");

    // A wrong private key: the sandbox refuses the signature.
    let wrong = epoint::Config::new(credentials::EPOINT_PUBLIC_KEY, "not-the-key")
        .base_url(&base)
        .expect("the sandbox's base URL");
    let refused = c
        .exec(&epoint::GetStatus::by_order_id("e2e-pay-1"), &wrong)
        .await;
    assert!(
        matches!(refused, Err(Error::Response(ResponseError::Api(_)))),
        "{refused:?}"
    );
    for op in [
        "request",
        "checkout",
        "pre-auth-request",
        "pre-auth-complete",
        "split-request",
        "card-registration",
        "card-registration-with-pay",
        "split-card-registration-with-pay",
        "execute-pay",
        "split-execute-pay",
        "refund-request",
        "reverse",
        "get-status",
        "get-status-card",
        "token/widget",
        "wallet/status",
    ] {
        assert!(
            env.server.executed(azpay_sandbox::Gateway::EPoint, op) > 0,
            "{op} never executed"
        );
    }
}

fn unwrap_t<T>(what: &str, r: Result<T, TransportError>) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e:?}"))
}

// ---------------------------------------------------------------------------------------------
// Kapital

pub async fn kapital_every_operation<C: Client>(c: &C, env: &Env) {
    use kapital::{CreateOrder, ExecTran, GetOrder, OrderState, OrderStatus};
    let config = env.kapital_config();
    let base = env.base();

    // Purchase (Order_SMS) paid on the page through a real HTTP form POST; the redirect
    // parsed and verified.
    let created = unwrap(
        "create order",
        c.exec(&CreateOrder::purchase(azn("5")).description("e2e"), &config)
            .await,
    );
    let order = unwrap(
        "get order",
        c.exec(&GetOrder::new(created.id), &config).await,
    );
    assert_eq!(order.status, OrderStatus::Preparing);
    let page_url = created
        .payment_url()
        .expect("a purchase order has a payment page");
    let page = unwrap_t("page", c.send(get(&page_url)).await);
    assert_eq!(page.status(), 200);
    assert!(text(&page).contains("5.00 AZN"));
    let back = unwrap_t(
        "page post",
        c.send(card_post(&page_url, cards::KAPITAL_VISA, &[])).await,
    );
    assert_eq!(back.status(), 302, "{}", text(&back));
    let back = location(&back);
    assert_eq!(
        back,
        format!("{base}/?shop=kapital&ID={}&STATUS=FullyPaid", created.id)
    );
    let redirect = kapital::parse_redirect(&back).expect("a Kapital redirect");
    assert_eq!(redirect.order_id(), created.id);
    let verified = unwrap("verify", c.exec(&redirect.verify(), &config).await);
    assert!(redirect.claim_matches(&verified));
    assert_eq!(verified.status, OrderStatus::FullyPaid);
    let detailed = unwrap(
        "get order detailed",
        c.exec(&GetOrder::new(created.id).detailed(), &config).await,
    );
    assert!(!detailed.trans.is_empty(), "{detailed:?}");
    assert!(detailed.src_token.is_some(), "{detailed:?}");
    // Partial void once, then a refund.
    let void = unwrap(
        "partial void",
        c.exec(&ExecTran::partial_void(created.id, azn("1")), &config)
            .await,
    );
    assert!(void.is_approved(), "{void:?}");
    let refund = unwrap(
        "refund",
        c.exec(&ExecTran::refund(created.id, azn("2")), &config)
            .await,
    );
    assert!(refund.is_approved(), "{refund:?}");
    let too_much = c
        .exec(&ExecTran::refund(created.id, azn("4.01")), &config)
        .await;
    assert!(
        matches!(too_much, Err(Error::Response(ResponseError::Api(_)))),
        "{too_much:?}"
    );

    // Full void after a purchase.
    let sms = unwrap(
        "create order",
        c.exec(&CreateOrder::purchase(azn("3")), &config).await,
    );
    env.pay_hosted(
        azpay_sandbox::Gateway::Kapital,
        &sms.id.to_string(),
        cards::KAPITAL_MASTERCARD,
    );
    let void = unwrap(
        "void",
        c.exec(&ExecTran::void(sms.id, OrderState::Purchased), &config)
            .await,
    );
    assert!(void.is_approved(), "{void:?}");
    let order = unwrap("get order", c.exec(&GetOrder::new(sms.id), &config).await);
    assert_eq!(order.status, OrderStatus::Voided);

    // Pre-authorisation (Order_DMS): hold, clearing of part, void of the clearing.
    let dms = unwrap(
        "create order",
        c.exec(&CreateOrder::preauth(azn("20")), &config).await,
    );
    env.pay_hosted(
        azpay_sandbox::Gateway::Kapital,
        &dms.id.to_string(),
        cards::KAPITAL_VISA,
    );
    let order = unwrap("get order", c.exec(&GetOrder::new(dms.id), &config).await);
    assert_eq!(order.status, OrderStatus::Authorized);
    let cleared = unwrap(
        "clearing",
        c.exec(&ExecTran::clearing(dms.id).amount(azn("15")), &config)
            .await,
    );
    assert!(cleared.is_approved(), "{cleared:?}");
    let order = unwrap(
        "get order",
        c.exec(&GetOrder::new(dms.id).detailed(), &config).await,
    );
    assert_eq!(order.status, OrderStatus::FullyPaid);
    assert_eq!(order.cleared_charge_amount, Some(azn("15")));
    let void = unwrap(
        "void",
        c.exec(&ExecTran::void(dms.id, OrderState::Cleared), &config)
            .await,
    );
    assert!(void.is_approved());
    // ... and a void of the hold itself.
    let held = unwrap(
        "create order",
        c.exec(&CreateOrder::preauth(azn("3")), &config).await,
    );
    env.pay_hosted(
        azpay_sandbox::Gateway::Kapital,
        &held.id.to_string(),
        cards::KAPITAL_VISA,
    );
    let void = unwrap(
        "void",
        c.exec(&ExecTran::void(held.id, OrderState::Held), &config)
            .await,
    );
    assert!(void.is_approved());
    let order = unwrap("get order", c.exec(&GetOrder::new(held.id), &config).await);
    assert_eq!(order.status, OrderStatus::Voided);

    // Save a card on the page (aut AddCard), read its token.
    let first = unwrap(
        "create order",
        c.exec(&CreateOrder::purchase(azn("1")).add_card(), &config)
            .await,
    );
    env.pay_hosted(
        azpay_sandbox::Gateway::Kapital,
        &first.id.to_string(),
        cards::KAPITAL_VISA,
    );
    let order = unwrap(
        "get order detailed",
        c.exec(&GetOrder::new(first.id).detailed(), &config).await,
    );
    let token = order
        .stored_tokens
        .first()
        .and_then(|t| t.id)
        .expect("a stored token");

    // By hand: Order_REC + set-src-token + exec-tran.
    let rec = unwrap(
        "create order",
        c.exec(&CreateOrder::recurring(azn("7.25")), &config).await,
    );
    let attached = unwrap(
        "set-src-token",
        c.exec(
            &kapital::SetSrcToken::stored_card(rec.id, &rec.password, token),
            &config,
        )
        .await,
    );
    // The paying token is a new one made from the stored card (as on the real platform),
    // not the stored card's own id.
    let paying = attached.src_token.as_ref().expect("the paying token");
    assert_ne!(paying.id, Some(token));
    assert_eq!(paying.display_name.as_deref(), Some("416974******1778"));
    let charged = unwrap(
        "exec-tran",
        c.exec(&ExecTran::charge_saved_card(rec.id), &config).await,
    );
    assert!(charged.is_approved(), "{charged:?}");
    let order = unwrap("get order", c.exec(&GetOrder::new(rec.id), &config).await);
    assert_eq!(order.status, OrderStatus::FullyPaid);
    // DMSN3D + set-src-token + exec-tran (hold), then clearing.
    let dmsn3d = unwrap(
        "create order",
        c.exec(&CreateOrder::recurring_preauth(azn("3")), &config)
            .await,
    );
    unwrap(
        "set-src-token",
        c.exec(
            &kapital::SetSrcToken::stored_card(dmsn3d.id, &dmsn3d.password, token),
            &config,
        )
        .await,
    );
    let hold = unwrap(
        "exec-tran",
        c.exec(&ExecTran::preauth_saved_card(dmsn3d.id), &config)
            .await,
    );
    assert!(hold.is_approved(), "{hold:?}");
    let order = unwrap(
        "get order",
        c.exec(&GetOrder::new(dmsn3d.id), &config).await,
    );
    assert_eq!(order.status, OrderStatus::Authorized);
    let cleared = unwrap(
        "clearing",
        c.exec(&ExecTran::clearing(dmsn3d.id), &config).await,
    );
    assert!(cleared.is_approved());
    // OCT + set-dst-token + exec-tran (credit).
    let oct = unwrap(
        "create order",
        c.exec(&CreateOrder::credit(azn("1")), &config).await,
    );
    unwrap(
        "set-dst-token",
        c.exec(
            &kapital::SetDstToken::card(oct.id, &oct.password, cards::KAPITAL_MASTERCARD),
            &config,
        )
        .await,
    );
    let credit = unwrap(
        "exec-tran",
        c.exec(&ExecTran::credit(oct.id), &config).await,
    );
    assert!(credit.is_approved(), "{credit:?}");

    // The three flows.
    let mut flow = kapital::PayWithSavedCard::new(azn("5"), token).description("flow");
    let outcome = unwrap("pay with saved card", c.exec_flow(&mut flow, &config).await);
    assert!(outcome.tran.is_approved(), "{outcome:?}");
    let order = unwrap(
        "get order",
        c.exec(&GetOrder::new(outcome.order_id), &config).await,
    );
    assert_eq!(order.status, OrderStatus::FullyPaid);
    let mut flow = kapital::SavedCardPreAuth::new(azn("3"), token);
    let outcome = unwrap("saved card pre-auth", c.exec_flow(&mut flow, &config).await);
    assert!(outcome.tran.is_approved(), "{outcome:?}");
    let order = unwrap(
        "get order",
        c.exec(&GetOrder::new(outcome.order_id), &config).await,
    );
    assert_eq!(order.status, OrderStatus::Authorized);
    let mut flow = kapital::Payout::new(azn("1"), cards::KAPITAL_VISA);
    let outcome = unwrap("payout", c.exec_flow(&mut flow, &config).await);
    assert!(outcome.tran.is_approved(), "{outcome:?}");
    // A flow whose token step fails says which step, and keeps the order.
    let mut flow = kapital::PayWithSavedCard::new(azn("5"), 999_999);
    let failed = c.exec_flow(&mut flow, &config).await;
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(flow.failed_step(), Some(kapital::FlowStep::SetToken));
    assert!(flow.order_id().is_some());

    // Unknown order: 404 ServiceError, typed. Wrong password: 401.
    let missing = c.exec(&GetOrder::new(987_654_321), &config).await;
    assert!(
        matches!(missing, Err(Error::Response(ResponseError::Api(_)))),
        "{missing:?}"
    );
    let wrong = kapital::Config::new(credentials::KAPITAL_USERNAME, "wrong")
        .base_url(&base)
        .expect("the sandbox's base URL");
    let refused = c.exec(&GetOrder::new(created.id), &wrong).await;
    assert!(refused.is_err(), "{refused:?}");

    for op in [
        "create-order",
        "get-order",
        "exec-tran",
        "set-src-token",
        "set-dst-token",
    ] {
        assert!(
            env.server.executed(azpay_sandbox::Gateway::Kapital, op) > 0,
            "{op} never executed"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// TWEC over mutual TLS

pub async fn twec_every_operation<C: Client>(c: &C, env: &Env) {
    use twec::{
        Completion, CreateOrder, GetOrderInformation, GetOrderStatus, OrderStatus, Refund, Reverse,
    };
    let config = env.twec_config();
    let base = env.base();
    assert!(config.base().starts_with("https://127.0.0.1:"));

    // Purchase paid on the page by a real HTTP form POST; the page's auto-posted xmlmsg is
    // parsed and verified with GetOrderStatus.
    let created = unwrap(
        "CreateOrder",
        c.exec(
            &CreateOrder::purchase(azn("30.75"), "e2e purchase"),
            &config,
        )
        .await,
    );
    let status = unwrap(
        "GetOrderStatus",
        c.exec(
            &GetOrderStatus::new(&created.order_id, &created.session_id),
            &config,
        )
        .await,
    );
    assert_eq!(status.order_status, OrderStatus::Created);
    let page_url = created.payment_url();
    let page = unwrap_t("page", c.send(get(&page_url)).await);
    assert_eq!(page.status(), 200);
    let form_action = format!("{base}/twec/index.jsp");
    let reply = unwrap_t(
        "page post",
        c.send(card_post(
            &form_action,
            cards::TWEC,
            &[
                ("ORDERID", &created.order_id),
                ("SESSIONID", &created.session_id),
            ],
        ))
        .await,
    );
    assert_eq!(reply.status(), 200, "{}", text(&reply));
    let html = text(&reply);
    assert!(
        html.contains(&format!("action=\"{base}/?shop=approve\"")),
        "{html}"
    );
    let xmlmsg = hidden_input(&html, "xmlmsg").expect("an xmlmsg field");
    let message = twec::parse_xmlout(xmlmsg.as_bytes()).expect("XMLOut");
    assert_eq!(message.order_id(), Some(created.order_id.as_str()));
    assert_eq!(
        message.unverified_order_status(),
        Some(&OrderStatus::Approved)
    );
    let two_id = message.two_id().expect("TwoId").to_owned();
    let check = message.verify().expect("a status query");
    let verified = unwrap("GetOrderStatus", c.exec(&check, &config).await);
    assert_eq!(verified.order_status, OrderStatus::Approved);
    let info = unwrap(
        "GetOrderInformation",
        c.exec(
            &GetOrderInformation::new(&created.order_id, &created.session_id),
            &config,
        )
        .await,
    );
    assert_eq!(info.amount, Some(azn("30.75")));
    assert_eq!(info.two_id.as_deref(), Some(two_id.as_str()));
    assert_eq!(info.order_status, Some(OrderStatus::Approved));
    // Partial refund with the TwoId, then the rest.
    let refund = unwrap(
        "Refund",
        c.exec(
            &Refund::new(&created.order_id, &created.session_id, azn("10")).tran_id(&two_id),
            &config,
        )
        .await,
    );
    assert!(!refund.is_declined(), "{refund:?}");
    let status = unwrap(
        "GetOrderStatus",
        c.exec(
            &GetOrderStatus::new(&created.order_id, &created.session_id),
            &config,
        )
        .await,
    );
    assert_eq!(status.order_status, OrderStatus::Approved);
    unwrap(
        "Refund",
        c.exec(
            &Refund::new(&created.order_id, &created.session_id, azn("20.75")).tran_id(&two_id),
            &config,
        )
        .await,
    );
    let status = unwrap(
        "GetOrderStatus",
        c.exec(
            &GetOrderStatus::new(&created.order_id, &created.session_id),
            &config,
        )
        .await,
    );
    assert_eq!(status.order_status, OrderStatus::Refunded);
    // Refunding more is refused with Status 54, typed.
    let over = c
        .exec(
            &Refund::new(&created.order_id, &created.session_id, azn("1")).tran_id(&two_id),
            &config,
        )
        .await;
    assert!(
        matches!(over, Err(Error::Response(ResponseError::Api(_)))),
        "{over:?}"
    );

    // Pre-authorisation, completion of part, then a full reverse.
    let hold = unwrap(
        "CreateOrder",
        c.exec(&CreateOrder::preauth(azn("50"), "e2e hold"), &config)
            .await,
    );
    env.pay_hosted(azpay_sandbox::Gateway::Twec, &hold.order_id, cards::TWEC);
    let status = unwrap(
        "GetOrderStatus",
        c.exec(
            &GetOrderStatus::new(&hold.order_id, &hold.session_id),
            &config,
        )
        .await,
    );
    assert_eq!(status.order_status, OrderStatus::PreauthApproved);
    let done = unwrap(
        "Completion",
        c.exec(
            &Completion::new(&hold.order_id, &hold.session_id, azn("40")),
            &config,
        )
        .await,
    );
    assert!(!done.is_declined(), "{done:?}");
    let status = unwrap(
        "GetOrderStatus",
        c.exec(
            &GetOrderStatus::new(&hold.order_id, &hold.session_id),
            &config,
        )
        .await,
    );
    assert_eq!(status.order_status, OrderStatus::Approved);
    let reversed = unwrap(
        "Reverse",
        c.exec(&Reverse::new(&hold.order_id, &hold.session_id), &config)
            .await,
    );
    assert!(!reversed.is_declined(), "{reversed:?}");
    let status = unwrap(
        "GetOrderStatus",
        c.exec(
            &GetOrderStatus::new(&hold.order_id, &hold.session_id),
            &config,
        )
        .await,
    );
    assert_eq!(status.order_status, OrderStatus::Reversed);

    // Partial reverse of a purchase (the generic TranzWare form: Kapital's Reverse takes no
    // amount): still approved.
    let generic = config.clone().form(twec::RequestForm::Generic);
    let p = unwrap(
        "CreateOrder",
        c.exec(&CreateOrder::purchase(azn("8"), "e2e partial"), &config)
            .await,
    );
    env.pay_hosted(azpay_sandbox::Gateway::Twec, &p.order_id, cards::TWEC);
    unwrap(
        "Reverse",
        c.exec(
            &Reverse::new(&p.order_id, &p.session_id).amount(azn("5")),
            &generic,
        )
        .await,
    );
    let info = unwrap(
        "GetOrderInformation",
        c.exec(
            &GetOrderInformation::new(&p.order_id, &p.session_id),
            &config,
        )
        .await,
    );
    assert_eq!(info.order_status, Some(OrderStatus::Approved));

    // A wrong session: Status 10, typed.
    let wrong = c
        .exec(&GetOrderStatus::new(&p.order_id, "WRONGSESSION"), &config)
        .await;
    assert!(
        matches!(wrong, Err(Error::Response(ResponseError::Api(_)))),
        "{wrong:?}"
    );

    for op in [
        "CreateOrder",
        "GetOrderStatus",
        "GetOrderInformation",
        "Completion",
        "Reverse",
        "Refund",
    ] {
        assert!(
            env.server.executed(azpay_sandbox::Gateway::Twec, op) > 0,
            "{op} never executed"
        );
    }
}

/// Every Payriff operation against the sandbox: create (purchase, hold, card saving), the
/// three order reads, expiry, refunds, captures, saved cards and autoPay, transactions, the
/// envelope's errors, reconciliation by RRN, and the unsigned callback confirmed by query.
pub async fn payriff_every_operation<C: Client>(c: &C, env: &Env) {
    use azpay_core::reconcile::{payriff as rec, Reconciled};
    use azpay_core::State;
    use payriff::{
        AutoPay, Capture, CreateOrder, ExpireOrder, GetCardSave, GetOrder, GetOrderByRrn,
        GetOrderStatus, ListSavedCards, ListTransactions, PaymentStatus, Refund, ResultCode,
        SaveCard,
    };
    let config = env.payriff_config();
    let tag = format!("{}", std::process::id());
    let rrn = |s: &str| format!("e2e-{tag}-{s}");
    let pay = |id: &str, pan: &str| env.pay_hosted(azpay_sandbox::Gateway::Payriff, id, pan);

    // Reconcile before anything was sent: nothing under this RRN.
    let before = unwrap(
        "reconcile",
        c.exec(&rec::OrderByRrn::new(rrn("p1")), &config).await,
    );
    assert!(before.did_not_happen());

    // A purchase, paid on the page, read three ways.
    let created = unwrap(
        "create",
        c.exec(
            &CreateOrder::purchase(azn("10.50"), rrn("p1"))
                .description("e2e")
                .metadata("k", "v"),
            &config,
        )
        .await,
    );
    assert_eq!(created.state, State::Done);
    let id = created.order_id.clone();
    let order = unwrap("get", c.exec(&GetOrder::new(id.clone()), &config).await);
    assert_eq!(
        (order.state, order.payment_status.clone()),
        (State::Pending, PaymentStatus::Created)
    );
    pay(&id, cards::PAYRIFF);
    for order in [
        unwrap("get", c.exec(&GetOrder::new(id.clone()), &config).await),
        unwrap(
            "status",
            c.exec(&GetOrderStatus::new(id.clone()), &config).await,
        ),
        unwrap(
            "by rrn",
            c.exec(&GetOrderByRrn::new(rrn("p1")), &config).await,
        ),
    ] {
        assert_eq!(order.order_id, id);
        assert_eq!(order.state, State::Done);
        assert_eq!(order.amount, Some(azn("10.50")));
        assert_eq!(order.metadata.as_deref(), Some(r#"{"k":"v"}"#));
    }
    // Reconcile finds it by the RRN: do not send it again.
    match unwrap(
        "reconcile",
        c.exec(&rec::OrderByRrn::new(rrn("p1")), &config).await,
    ) {
        Reconciled::Happened(o) => assert_eq!(o.order_id, id),
        other => panic!("{other:?}"),
    }
    // The same RRN again is refused (15400), HTTP 200.
    let err = c
        .exec(&CreateOrder::purchase(azn("1"), rrn("p1")), &config)
        .await
        .unwrap_err();
    assert_eq!(
        err.api().map(|a| a.code.clone()),
        Some(ResultCode::InvalidParameters)
    );
    assert!(!err.may_have_happened());

    // Refunds: partial, too much (01000 → declined), the rest.
    let r = unwrap(
        "refund",
        c.exec(&Refund::partial(id.clone(), azn("4"), rrn("r1")), &config)
            .await,
    );
    assert_eq!(r.state, State::Done);
    let r = unwrap(
        "refund",
        c.exec(&Refund::partial(id.clone(), azn("7"), rrn("r2")), &config)
            .await,
    );
    assert_eq!(
        (r.state, r.code.clone()),
        (State::Declined, ResultCode::Rejected)
    );
    let check = unwrap(
        "reconcile refund",
        c.exec(&rec::ActionOnOrder::refund(id.clone(), rrn("r1")), &config)
            .await,
    );
    assert!(check.happened());
    let check = unwrap(
        "reconcile refund",
        c.exec(
            &rec::ActionOnOrder::refund(id.clone(), rrn("r2")).refunded_before(),
            &config,
        )
        .await,
    );
    assert!(!check.happened());
    let r = unwrap(
        "refund",
        c.exec(&Refund::full(id.clone(), rrn("r3")), &config).await,
    );
    assert_eq!(r.state, State::Done);
    let order = unwrap("get", c.exec(&GetOrder::new(id.clone()), &config).await);
    assert_eq!(
        (order.state, order.payment_status),
        (State::Returned, PaymentStatus::Refunded)
    );

    // A hold, captured for less; a second capture is declined.
    let hold = unwrap(
        "create",
        c.exec(
            &CreateOrder::preauth(azn("20"), rrn("h1")).save_card(),
            &config,
        )
        .await,
    );
    pay(&hold.order_id, cards::PAYRIFF);
    let held = unwrap(
        "get",
        c.exec(&GetOrder::new(hold.order_id.clone()), &config).await,
    );
    assert_eq!(held.payment_status, PaymentStatus::PreauthApproved);
    let card = held.transactions[0]
        .card_uuid
        .clone()
        .expect("a saved card");
    let check = unwrap(
        "reconcile capture",
        c.exec(
            &rec::ActionOnOrder::capture(hold.order_id.clone(), rrn("c1")),
            &config,
        )
        .await,
    );
    assert!(check.did_not_happen());
    let cap = unwrap(
        "capture",
        c.exec(
            &Capture::partial(hold.order_id.clone(), azn("15"), rrn("c1")),
            &config,
        )
        .await,
    );
    assert_eq!(cap.state, State::Done);
    let cap = unwrap(
        "capture",
        c.exec(&Capture::full(hold.order_id.clone(), rrn("c2")), &config)
            .await,
    );
    assert_eq!(cap.state, State::Declined);
    let check = unwrap(
        "reconcile capture",
        c.exec(
            &rec::ActionOnOrder::capture(hold.order_id.clone(), rrn("c1")),
            &config,
        )
        .await,
    );
    assert!(check.happened());

    // The saved card charged, and declined at the magic amount.
    let charge = unwrap(
        "autoPay",
        c.exec(
            &AutoPay::new(card.clone(), azn("3"), "sub", rrn("a1")),
            &config,
        )
        .await,
    );
    assert_eq!(charge.state, State::Done);
    let charge = unwrap(
        "autoPay",
        c.exec(
            &AutoPay::new(card.clone(), azn("0.51"), "sub", rrn("a2")),
            &config,
        )
        .await,
    );
    assert_eq!(charge.state, State::Declined);

    // A card save, verified on the page, listed.
    let save = unwrap(
        "save card",
        c.exec(
            &SaveCard::new(format!("cust-{tag}"), rrn("s1")).callback_url("http://127.0.0.1:9/cb"),
            &config,
        )
        .await,
    );
    assert_eq!(save.state, State::Done);
    pay(save.order_id.as_deref().unwrap(), cards::PAYRIFF);
    let got = unwrap(
        "get save",
        c.exec(&GetCardSave::new(save.card_save_id.clone()), &config)
            .await,
    );
    assert_eq!(got.state, State::Done);
    let list = unwrap(
        "list",
        c.exec(&ListSavedCards::new(format!("cust-{tag}")), &config)
            .await,
    );
    assert_eq!(list.cards.len(), 1);
    let deleted = unwrap(
        "delete",
        c.exec(
            &payriff::DeleteCard::new(list.cards[0].card_uuid.clone()),
            &config,
        )
        .await,
    );
    assert_eq!(deleted.state, State::Done);

    // Expiry of an unpaid order; a declined page.
    let unpaid = unwrap(
        "create",
        c.exec(&CreateOrder::purchase(azn("1"), rrn("e1")), &config)
            .await,
    );
    let exp = unwrap(
        "expire",
        c.exec(&ExpireOrder::new(unpaid.order_id.clone()), &config)
            .await,
    );
    assert_eq!(exp.state, State::Done);
    let order = unwrap(
        "get",
        c.exec(&GetOrder::new(unpaid.order_id.clone()), &config)
            .await,
    );
    assert_eq!(order.state, State::Declined);
    let declined = unwrap(
        "create",
        c.exec(&CreateOrder::purchase(azn("1"), rrn("d1")), &config)
            .await,
    );
    pay(&declined.order_id, cards::DECLINE);
    let order = unwrap(
        "get",
        c.exec(&GetOrder::new(declined.order_id.clone()), &config)
            .await,
    );
    assert_eq!(order.payment_status, PaymentStatus::Declined);

    // Transactions.
    let page = unwrap(
        "transactions",
        c.exec(&ListTransactions::new().size(20), &config).await,
    );
    assert!(page.total_elements.unwrap_or(0) >= 5);

    // The unsigned callback is a claim: the order query decides.
    let forged = format!(
        r#"{{"payload":{{"orderId":"{}","paymentStatus":"APPROVED"}},"code":"00000"}}"#,
        unpaid.order_id
    );
    let claim = payriff::parse_callback(forged.as_bytes()).unwrap();
    let truth = unwrap("verify", c.exec(&claim.verify(), &config).await);
    assert!(!claim.claim_matches(&truth));
    assert_eq!(truth.state, State::Declined);

    // A wrong key: the envelope's 14010 with HTTP 200, a typed error.
    let wrong = payriff::Config::new("wrong").base_url(env.base()).unwrap();
    let err = c
        .exec(&GetOrder::new(id.clone()), &wrong)
        .await
        .unwrap_err();
    assert!(err
        .api()
        .is_some_and(|a| a.code.is_authentication() && a.http_status == 200));
}
