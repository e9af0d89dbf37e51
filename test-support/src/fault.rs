//! Fault-injection harness shared by both transport crates' tests: the sandbox on real sockets with injected faults, driven through
//! a transport given as a closure, with the sandbox's execution counters as the truth and
//! `azpay_core::reconcile` as the client's way to find it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use azpay_core::reconcile::{self, Reconciled};
use azpay_core::retry::RetryPolicy;
use azpay_core::{
    epoint, execute, kapital, twec, Amount, Currency, Error, HttpRequest, HttpResponse, Phase,
    ResponseError, SyncTransport, TransportError, TransportErrorKind,
};
use azpay_sandbox::fault::{Fault, FaultKind};
use azpay_sandbox::serve::{serve, ServeOptions, ServerHandle};
use azpay_sandbox::{cards, credentials, Card, CardAction, Gateway, SandboxConfig};

/// Client timeout in these tests, and the delay fault well above it.
pub const CLIENT_TIMEOUT: Duration = Duration::from_millis(400);
pub const DELAY: FaultKind = FaultKind::Delay(Duration::from_millis(1000));

pub const KINDS: [FaultKind; 6] = [
    DELAY,
    FaultKind::Reset,
    FaultKind::Oversize,
    FaultKind::Garbage,
    FaultKind::Status(503),
    FaultKind::DropBeforeProcessing,
];

/// Quick retries for tests (same rules as the default policy).
pub fn test_retry_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
    }
}

/// Any transport, as a shareable closure.
pub type SendFn = Arc<dyn Fn(HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync>;

#[derive(Clone)]
pub struct Client(pub SendFn);

impl SyncTransport for Client {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        (self.0)(request)
    }
}

pub struct World {
    pub server: ServerHandle,
    pub epoint: epoint::Config,
    pub kapital: kapital::Config,
    pub twec: twec::Config,
}

/// The sandbox with the given faults. TWEC is served over mutual TLS here too, since a TWEC
/// base URL is always `https` (`twec::Config::base_url`).
pub fn world(faults: Vec<Fault>) -> World {
    world_tls(faults).0
}

/// The sandbox with TWEC over mutual TLS (certificates in a temporary directory), and the
/// client identity to reach it.
pub fn world_tls(faults: Vec<Fault>) -> (World, azpay_core::ClientIdentity) {
    let dir = std::env::temp_dir().join(format!(
        "azpay-fault-matrix-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let w = world_with(faults, &dir);
    let tls = w.server.tls_paths().expect("tls").clone();
    let identity = azpay_core::ClientIdentity::from_pem(
        std::fs::read(&tls.client_cert).unwrap(),
        std::fs::read(&tls.client_key).unwrap(),
    )
    .with_ca_pem(std::fs::read(&tls.ca_cert).unwrap());
    (w, identity)
}

fn world_with(faults: Vec<Fault>, tls_dir: &std::path::Path) -> World {
    let mut config = SandboxConfig::default();
    config.max_orders = 1_000_000;
    let mut options = ServeOptions::new("127.0.0.1:0".parse().unwrap()).fault_seed(0xA2);
    options = options.tls_dir(tls_dir);
    for f in faults {
        options = options.fault(f);
    }
    let server = serve(config, options).expect("sandbox");
    let epoint = epoint::Config::new(
        credentials::EPOINT_PUBLIC_KEY,
        credentials::EPOINT_PRIVATE_KEY,
    )
    .base_url(server.base_url())
    .expect("the sandbox's base URL");
    let kapital =
        kapital::Config::new(credentials::KAPITAL_USERNAME, credentials::KAPITAL_PASSWORD)
            .base_url(server.base_url())
            .expect("the sandbox's base URL");
    let twec = twec::Config::kapital_test(credentials::TWEC_MERCHANT_ID)
        .base_url(server.twec_url())
        .expect("the sandbox's TWEC URL (https: TWEC is served over mutual TLS)")
        .approve_url("https://shop.example/ok")
        .cancel_url("https://shop.example/cancel")
        .decline_url("https://shop.example/no");
    World {
        server,
        epoint,
        kapital,
        twec,
    }
}

pub fn azn(minor: u64) -> Amount {
    Amount::from_minor(minor, Currency::AZN)
}

/// Asserts that `result` failed the way `kind` makes a request fail. A forced status is a
/// plain status error for a query, and outcome unknown (with the status as its source) for a
/// request that may change a payment, told apart by `what` naming a query.
pub fn assert_fault_error<T: std::fmt::Debug, A: std::fmt::Debug>(
    kind: FaultKind,
    result: &Result<T, Error<A>>,
    what: &str,
) {
    let query = what.contains("query");
    match (kind, result) {
        (FaultKind::Status(code), Err(Error::Response(ResponseError::Status { status, .. })))
            if query =>
        {
            assert_eq!(status.as_u16(), code, "{what}")
        }
        (
            FaultKind::Status(code),
            Err(
                e @ Error::OutcomeUnknown {
                    source: ResponseError::Status { status, .. },
                    ..
                },
            ),
        ) if !query => {
            assert_eq!(status.as_u16(), code, "{what}");
            assert!(e.may_have_happened(), "{what}");
        }
        (FaultKind::Status(_), other) => panic!("{what}: expected a status error, got {other:?}"),
        (_, Err(Error::Transport(e))) => {
            assert_eq!(e.phase, Phase::OutcomeUnknown, "{what}: {e}");
            let expected = match kind {
                FaultKind::Delay(_) => Some(TransportErrorKind::Timeout),
                FaultKind::Oversize => Some(TransportErrorKind::ResponseTooLarge),
                _ => Some(TransportErrorKind::Io),
            };
            if let Some(k) = expected {
                assert_eq!(e.kind, k, "{what}: {e}");
            }
        }
        (_, other) => panic!("{what}: expected a transport error, got {other:?}"),
    }
}

/// Twenty sequential status queries through `c` after a paid EPoint payment reuse their
/// connection: at most two are opened to a fresh sandbox. One would be the ideal, but
/// hyper-util hands a connection back to its pool from the connection's own task, and on a
/// loaded machine the next checkout can win that race and open a second one (seen once while
/// two test suites shared the two cores); without reuse there would be twenty.
pub fn assert_sequential_requests_reuse_one_connection(c: &Client) {
    let w = world(Vec::new());
    let tx = paid_epoint(&w, c, "pool-1", 500);
    let before = w.server.connections_accepted();
    for _ in 0..20 {
        execute(&epoint::GetStatus::by_transaction(tx.clone()), &w.epoint, c).expect("status");
    }
    let opened = w.server.connections_accepted() - before;
    assert!(
        opened <= 2,
        "20 sequential requests opened {opened} connections"
    );
}

/// A paid EPoint transaction (paid on the hosted page, as the cardholder).
pub fn paid_epoint(w: &World, c: &Client, order_id: &str, minor: u64) -> String {
    // Even the setup never sends a payment twice blindly (a slow machine may time out).
    let transaction = pay_exactly_once(w, c, order_id, azn(minor), &mut Ledger::default());
    w.server.with_sandbox(|s| {
        s.complete_payment(
            Gateway::EPoint,
            &transaction,
            &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
        )
        .expect("hosted page")
    });
    transaction
}

/// A paid TWEC order: (OrderID, SessionID, TwoId).
pub fn paid_twec(w: &World, c: &Client, minor: u64) -> (String, String, String) {
    let create = twec::CreateOrder::purchase(azn(minor), "fault test");
    let order = retry_until_ok(|| execute(&create, &w.twec, c), "setup twec order");
    w.server.with_sandbox(|s| {
        s.complete_payment(
            Gateway::Twec,
            &order.order_id,
            &CardAction::Pay(Card::new(cards::TWEC)),
        )
        .expect("hosted page")
    });
    let info = retry_until_ok(
        || {
            execute(
                &twec::GetOrderInformation::new(order.order_id.clone(), order.session_id.clone()),
                &w.twec,
                c,
            )
        },
        "setup twec info",
    );
    (
        order.order_id,
        order.session_id,
        info.two_id.expect("TwoId"),
    )
}

/// A Kapital pre-authorisation, held (for clearing).
pub fn held_kapital(w: &World, c: &Client, minor: u64) -> u64 {
    let create = kapital::CreateOrder::preauth(azn(minor))
        .description("fault test")
        .hpp_redirect_url("https://shop.example/back");
    let order = retry_until_ok(|| execute(&create, &w.kapital, c), "setup create order");
    w.server.with_sandbox(|s| {
        s.complete_payment(
            Gateway::Kapital,
            &order.id.to_string(),
            &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
        )
        .expect("hosted page")
    });
    order.id
}

fn retry_until_ok<T, E: std::fmt::Debug>(mut f: impl FnMut() -> Result<T, E>, what: &str) -> T {
    let mut last = None;
    for _ in 0..50 {
        match f() {
            Ok(t) => return t,
            Err(e) => last = Some(e),
        }
    }
    panic!("{what}: still failing: {last:?}")
}

/// Reconciles until the answer is known; a transport failure of the (idempotent) query,
/// which random faults may cause even after the transport's retries, just asks again.
pub fn reconcile_until_known<O, T>(
    op: &O,
    config: &azpay_core::ConfigOf<O>,
    c: &Client,
) -> Reconciled<T>
where
    O: azpay_core::Operation<Output = Reconciled<T>>,
{
    for _ in 0..50 {
        match execute(op, config, c) {
            Ok(Reconciled::Unknown(reason)) => panic!("reconciliation undecided: {reason}"),
            Ok(known) => return known,
            Err(_) => continue,
        }
    }
    panic!("reconciliation kept failing")
}

/// One row of the fault matrix, for the report.
#[derive(Debug)]
pub struct Row {
    pub kind: FaultKind,
    pub class: &'static str,
    pub executed: u64,
    pub reconciled: &'static str,
}

/// Runs every fault against every operation class and checks, with the sandbox's counters:
/// the error and its phase; queries recover by retry; payments, refunds and clearings are
/// executed exactly once after reconciliation (and a resend only when it did not happen).
pub fn fault_matrix(make: &dyn Fn(Option<azpay_core::ClientIdentity>) -> Client) -> Vec<Row> {
    let (w, identity) = world_tls(Vec::new());
    let client = make(Some(identity));
    let c = &client;
    let mut rows = Vec::new();
    for (i, kind) in KINDS.into_iter().enumerate() {
        let processes = kind.processes_request();
        let what = |class: &str| format!("{kind} / {class}");

        // --- Query: one fault, then the retry succeeds; three faults exhaust the retries.
        let tx = paid_epoint(&w, c, &format!("q-{i}"), 1000);
        let query = epoint::GetStatus::by_transaction(tx.clone());
        let before = w.server.executed(Gateway::EPoint, "get-status");
        w.server.fault_next(kind, 1);
        let status = execute(&query, &w.epoint, c).expect("a query recovers by retry");
        assert!(status.is_paid(), "{}", what("query"));
        let after = w.server.executed(Gateway::EPoint, "get-status");
        assert_eq!(
            after - before,
            if processes { 2 } else { 1 },
            "{}",
            what("query")
        );
        w.server.fault_next(kind, 3);
        let failed = execute(&query, &w.epoint, c);
        assert_fault_error(kind, &failed, &what("query, retries exhausted"));
        let exhausted = w.server.executed(Gateway::EPoint, "get-status") - after;
        assert_eq!(
            exhausted,
            if processes { 3 } else { 0 },
            "{}",
            what("query x3")
        );
        rows.push(Row {
            kind,
            class: "query (epoint get-status)",
            executed: after - before,
            reconciled: "recovered by retry",
        });

        // --- Payment: never retried; reconciled; resent only if it did not happen.
        let order_id = format!("p-{i}");
        let amount = azn(2550);
        let before = w.server.executed(Gateway::EPoint, "request");
        w.server.fault_next(kind, 1);
        let result = execute(&epoint::Pay::new(amount, order_id.clone()), &w.epoint, c);
        assert_fault_error(kind, &result, &what("payment"));
        let executed = w.server.executed(Gateway::EPoint, "request") - before;
        assert_eq!(
            executed,
            u64::from(processes),
            "{}",
            what("payment executed")
        );
        let check = reconcile::epoint::PaymentByOrderId::new(order_id.clone(), amount);
        let verdict = reconcile_until_known(&check, &w.epoint, c);
        assert_eq!(
            verdict.happened(),
            processes,
            "{}: {verdict:?}",
            what("payment")
        );
        if verdict.did_not_happen() {
            execute(&epoint::Pay::new(amount, order_id.clone()), &w.epoint, c)
                .expect("resend after DidNotHappen");
            assert!(reconcile_until_known(&check, &w.epoint, c).happened());
        }
        assert_eq!(
            w.server.executed(Gateway::EPoint, "request") - before,
            1,
            "{}",
            what("payment exactly once")
        );
        rows.push(Row {
            kind,
            class: "payment (epoint request)",
            executed,
            reconciled: if processes {
                "Happened"
            } else {
                "DidNotHappen -> resent"
            },
        });

        // --- Refund (EPoint reverse).
        let tx = paid_epoint(&w, c, &format!("r-{i}"), 1000);
        let refund = epoint::Refund::new(tx.clone(), Currency::AZN).amount(azn(400));
        let before = w.server.executed(Gateway::EPoint, "reverse");
        w.server.fault_next(kind, 1);
        let result = execute(&refund, &w.epoint, c);
        assert_fault_error(kind, &result, &what("refund"));
        let executed = w.server.executed(Gateway::EPoint, "reverse") - before;
        assert_eq!(
            executed,
            u64::from(processes),
            "{}",
            what("refund executed")
        );
        let check = reconcile::epoint::RefundByTransaction::new(tx.clone(), azn(400));
        let verdict = reconcile_until_known(&check, &w.epoint, c);
        assert_eq!(
            verdict.happened(),
            processes,
            "{}: {verdict:?}",
            what("refund")
        );
        if verdict.did_not_happen() {
            execute(&refund, &w.epoint, c).expect("resend refund");
            assert!(reconcile_until_known(&check, &w.epoint, c).happened());
        }
        assert_eq!(
            w.server.executed(Gateway::EPoint, "reverse") - before,
            1,
            "{}",
            what("refund exactly once")
        );
        rows.push(Row {
            kind,
            class: "refund (epoint reverse)",
            executed,
            reconciled: if processes {
                "Happened"
            } else {
                "DidNotHappen -> resent"
            },
        });

        // --- Clearing (Kapital exec-tran on a hold).
        let order = held_kapital(&w, c, 3000);
        let clearing = kapital::ExecTran::clearing(order);
        let before = w.server.executed(Gateway::Kapital, "exec-tran");
        w.server.fault_next(kind, 1);
        let result = execute(&clearing, &w.kapital, c);
        assert_fault_error(kind, &result, &what("clearing"));
        let executed = w.server.executed(Gateway::Kapital, "exec-tran") - before;
        assert_eq!(
            executed,
            u64::from(processes),
            "{}",
            what("clearing executed")
        );
        let check = reconcile::kapital::TranOnOrder::clearing(order, azn(3000));
        let verdict = reconcile_until_known(&check, &w.kapital, c);
        assert_eq!(
            verdict.happened(),
            processes,
            "{}: {verdict:?}",
            what("clearing")
        );
        if verdict.did_not_happen() {
            execute(&clearing, &w.kapital, c).expect("resend clearing");
            assert!(reconcile_until_known(&check, &w.kapital, c).happened());
        }
        assert_eq!(
            w.server.executed(Gateway::Kapital, "exec-tran") - before,
            1,
            "{}",
            what("clearing exactly once")
        );
        rows.push(Row {
            kind,
            class: "clearing (kapital exec-tran)",
            executed,
            reconciled: if processes {
                "Happened"
            } else {
                "DidNotHappen -> resent"
            },
        });
    }
    // --- TWEC refund (Kapital form with TranId), every fault.
    for kind in KINDS {
        let processes = kind.processes_request();
        let what = format!("{kind} / twec refund");
        let (order_id, session_id, two_id) = paid_twec(&w, c, 1000);
        let refund =
            twec::Refund::new(order_id.clone(), session_id.clone(), azn(300)).tran_id(two_id);
        let before = w.server.executed(Gateway::Twec, "Refund");
        w.server.fault_next(kind, 1);
        let result = execute(&refund, &w.twec, c);
        assert_fault_error(kind, &result, &what);
        let executed = w.server.executed(Gateway::Twec, "Refund") - before;
        assert_eq!(executed, u64::from(processes), "{what} executed");
        let check = reconcile::twec::RefundOfOrder::new(order_id, session_id, azn(300));
        let verdict = reconcile_until_known(&check, &w.twec, c);
        assert_eq!(verdict.happened(), processes, "{what}: {verdict:?}");
        if verdict.did_not_happen() {
            execute(&refund, &w.twec, c).expect("resend twec refund");
            assert!(reconcile_until_known(&check, &w.twec, c).happened());
        }
        assert_eq!(
            w.server.executed(Gateway::Twec, "Refund") - before,
            1,
            "{what}: exactly once"
        );
        rows.push(Row {
            kind,
            class: "refund (twec Refund)",
            executed,
            reconciled: if processes {
                "Happened"
            } else {
                "DidNotHappen -> resent"
            },
        });
    }
    for row in &rows {
        eprintln!(
            "fault matrix: {:<24} {:<30} sandbox executions (faulted attempt + retries): {}  -> {}",
            row.kind.to_string(),
            row.class,
            row.executed,
            row.reconciled
        );
    }
    if let Some(dir) = w.server.tls_paths().and_then(|p| p.ca_cert.parent()) {
        let _ = std::fs::remove_dir_all(dir);
    }
    rows
}

/// Peak and current resident set size (kB) from /proc/self/status.
pub fn rss_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// The soak's numbers.
#[derive(Debug)]
pub struct SoakReport {
    pub ops: u64,
    pub faults_injected: u64,
    pub faults_by_kind: Vec<(String, u64)>,
    pub payments: u64,
    pub refunds: u64,
    pub queries: u64,
    pub resent_after_did_not_happen: u64,
    pub duration: Duration,
    pub peak_rss_kb: u64,
    pub rss_after_warmup_kb: u64,
    pub rss_end_kb: u64,
}

/// How many operations the soak runs: `AZPAY_SOAK_OPS`, else `default`.
pub fn soak_ops(default: u64) -> u64 {
    std::env::var("AZPAY_SOAK_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `ops` mixed operations (60 % queries, 30 % payments, 10 % refunds) on `threads` threads
/// with 5 % faults of every kind; every payment and refund ends up executed exactly once
/// (client ledger vs the sandbox's counters).
pub fn soak(c: &Client, ops: u64, threads: u64) -> SoakReport {
    let faults = vec![
        Fault::new(FaultKind::Reset, 0.01),
        Fault::new(FaultKind::Garbage, 0.01),
        Fault::new(FaultKind::Status(503), 0.01),
        Fault::new(FaultKind::DropBeforeProcessing, 0.01),
        Fault::new(FaultKind::Oversize, 0.005),
        Fault::new(DELAY, 0.005),
    ];
    let w = Arc::new(world(faults));
    let started = Instant::now();
    let per_thread = ops / threads;
    let warmup_rss = Arc::new(std::sync::Mutex::new(0u64));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let w = w.clone();
            let c = c.clone();
            let warmup_rss = warmup_rss.clone();
            std::thread::spawn(move || {
                let mut ledger = Ledger::default();
                let mut targets: Vec<String> = Vec::new();
                for n in 0..per_thread {
                    if t == 0 && n == per_thread / 10 {
                        *warmup_rss.lock().unwrap() = rss_kb().1;
                    }
                    let roll = n % 10;
                    if roll < 3 || targets.is_empty() {
                        // Payment: Pay with a fresh order id, then the cardholder pays.
                        let order_id = format!("s{t}-{n}");
                        let amount = azn(100 + n % 900);
                        let tx = pay_exactly_once(&w, &c, &order_id, amount, &mut ledger);
                        w.server.with_sandbox(|s| {
                            s.complete_payment(
                                Gateway::EPoint,
                                &tx,
                                &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
                            )
                            .expect("hosted page")
                        });
                        targets.push(tx);
                    } else if roll == 3 {
                        // Refund (full) of a paid transaction not refunded yet.
                        let tx = targets.pop().expect("target");
                        refund_exactly_once(&w, &c, &tx, &mut ledger);
                    } else {
                        let tx = &targets[(n as usize) % targets.len()];
                        let query = epoint::GetStatus::by_transaction(tx.clone());
                        let mut tries = 0;
                        loop {
                            tries += 1;
                            match execute(&query, &w.epoint, &c) {
                                Ok(status) => {
                                    assert!(status.transaction.as_deref() == Some(tx.as_str()));
                                    break;
                                }
                                Err(_) if tries < 20 => continue,
                                Err(e) => panic!("query lost: {e}"),
                            }
                        }
                        ledger.queries += 1;
                    }
                }
                ledger
            })
        })
        .collect();
    let mut total = Ledger::default();
    for h in handles {
        let l = h.join().expect("soak thread");
        total.payments += l.payments;
        total.refunds += l.refunds;
        total.queries += l.queries;
        total.resent += l.resent;
    }
    let duration = started.elapsed();
    // The truth: the sandbox executed each payment and each refund exactly once.
    assert_eq!(
        w.server.executed(Gateway::EPoint, "request"),
        total.payments,
        "payments executed by the sandbox vs the client's ledger"
    );
    assert_eq!(
        w.server.executed(Gateway::EPoint, "reverse"),
        total.refunds,
        "refunds executed by the sandbox vs the client's ledger"
    );
    let by_kind = w.server.faults_injected();
    let faults_injected = by_kind.iter().map(|(_, n)| n).sum();
    let faults_by_kind = by_kind.iter().map(|(k, n)| (k.to_string(), *n)).collect();
    let (peak, end) = rss_kb();
    let warm = *warmup_rss.lock().unwrap();
    SoakReport {
        ops: total.payments + total.refunds + total.queries,
        faults_injected,
        faults_by_kind,
        payments: total.payments,
        refunds: total.refunds,
        queries: total.queries,
        resent_after_did_not_happen: total.resent,
        duration,
        peak_rss_kb: peak,
        rss_after_warmup_kb: warm,
        rss_end_kb: end,
    }
}

#[derive(Default)]
struct Ledger {
    payments: u64,
    refunds: u64,
    queries: u64,
    resent: u64,
}

/// Sends a payment; on any failure reconciles; resends only when it did not happen.
fn pay_exactly_once(
    w: &World,
    c: &Client,
    order_id: &str,
    amount: Amount,
    ledger: &mut Ledger,
) -> String {
    let pay = epoint::Pay::new(amount, order_id);
    let check = reconcile::epoint::PaymentByOrderId::new(order_id, amount);
    for _ in 0..50 {
        match execute(&pay, &w.epoint, c) {
            Ok(redirect) => {
                ledger.payments += 1;
                return redirect.transaction;
            }
            Err(Error::Transport(e)) if e.phase == Phase::NotSent => continue,
            Err(_) => match reconcile_until_known(&check, &w.epoint, c) {
                Reconciled::Happened(status) => {
                    ledger.payments += 1;
                    return status.transaction.expect("transaction");
                }
                Reconciled::DidNotHappen => {
                    ledger.resent += 1;
                    continue;
                }
                Reconciled::Unknown(r) => panic!("{r}"),
            },
        }
    }
    panic!("payment {order_id} never went through")
}

fn refund_exactly_once(w: &World, c: &Client, tx: &str, ledger: &mut Ledger) {
    let refund = epoint::Refund::new(tx, Currency::AZN);
    let status = execute(&epoint::GetStatus::by_transaction(tx), &w.epoint, c);
    let amount = match status {
        Ok(s) => s.amount.expect("amount"),
        Err(_) => {
            // Ask again (the query is idempotent).
            return refund_exactly_once(w, c, tx, ledger);
        }
    };
    let check = reconcile::epoint::RefundByTransaction::new(tx, amount);
    for _ in 0..50 {
        match execute(&refund, &w.epoint, c) {
            Ok(_) => {
                ledger.refunds += 1;
                return;
            }
            Err(Error::Transport(e)) if e.phase == Phase::NotSent => continue,
            Err(_) => match reconcile_until_known(&check, &w.epoint, c) {
                Reconciled::Happened(_) => {
                    ledger.refunds += 1;
                    return;
                }
                Reconciled::DidNotHappen => {
                    ledger.resent += 1;
                    continue;
                }
                Reconciled::Unknown(r) => panic!("{r}"),
            },
        }
    }
    panic!("refund of {tx} never went through")
}

// ---------------------------------------------------------------------------------------------
// Tracing capture: a hand-written subscriber that writes every span and event, with all field
// values, into a string.

pub mod capture {
    use std::fmt::Write as _;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    #[derive(Clone, Default)]
    pub struct Capture {
        pub log: Arc<Mutex<String>>,
        next: Arc<AtomicU64>,
    }

    struct Writer<'a>(&'a mut String);
    impl Visit for Writer<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = write!(self.0, " {}={:?}", field.name(), value);
        }
        fn record_str(&mut self, field: &Field, value: &str) {
            let _ = write!(self.0, " {}={}", field.name(), value);
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut log = self.log.lock().unwrap();
            let _ = write!(log, "\nspan {}:", span.metadata().name());
            span.record(&mut Writer(&mut log));
            Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed) + 1)
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            let mut log = self.log.lock().unwrap();
            log.push_str("\nrecord:");
            values.record(&mut Writer(&mut log));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut log = self.log.lock().unwrap();
            let _ = write!(log, "\nevent {}:", event.metadata().target());
            event.record(&mut Writer(&mut log));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

/// Runs one EPoint payment, one Kapital order and one TWEC order (over mutual TLS, with the
/// client key in `identity`) plus a faulted query with retries under a capturing subscriber;
/// returns the log and the secrets that must not appear in it.
pub fn traced_run(
    make: &dyn Fn(Option<azpay_core::ClientIdentity>) -> Client,
) -> (String, Vec<String>) {
    use azpay_core::{twec, Operation};
    let dir = std::env::temp_dir().join(format!("azpay-fault-tracing-{}", std::process::id()));
    let server = serve(
        SandboxConfig::default(),
        ServeOptions::new("127.0.0.1:0".parse().unwrap()).tls_dir(&dir),
    )
    .expect("sandbox");
    let tls = server.tls_paths().expect("tls").clone();
    let key_pem = std::fs::read(&tls.client_key).unwrap();
    let identity = azpay_core::ClientIdentity::from_pem(
        std::fs::read(&tls.client_cert).unwrap(),
        key_pem.clone(),
    )
    .with_ca_pem(std::fs::read(&tls.ca_cert).unwrap());
    let c = make(Some(identity));
    let epoint = epoint::Config::new(
        credentials::EPOINT_PUBLIC_KEY,
        credentials::EPOINT_PRIVATE_KEY,
    )
    .base_url(server.base_url())
    .expect("the sandbox's base URL");
    let kapital =
        kapital::Config::new(credentials::KAPITAL_USERNAME, credentials::KAPITAL_PASSWORD)
            .base_url(server.base_url())
            .expect("the sandbox's base URL");
    let twec = twec::Config::kapital_test(credentials::TWEC_MERCHANT_ID)
        .base_url(server.twec_url())
        .expect("the sandbox's TWEC URL (https: TWEC is served over mutual TLS)")
        .approve_url("https://shop.example/ok")
        .cancel_url("https://shop.example/cancel")
        .decline_url("https://shop.example/no");

    let pay = epoint::Pay::new(azn(1234), "trace-1");
    let signed = pay.build_request(&epoint).unwrap();
    let form: Vec<(String, String)> = form_urlencoded::parse(signed.body()).into_owned().collect();
    let mut secrets: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "data" || k == "signature")
        .map(|(_, v)| v.clone())
        .collect();
    assert_eq!(secrets.len(), 2, "EPoint data and signature");
    secrets.push(credentials::EPOINT_PRIVATE_KEY.to_owned());
    let create = kapital::CreateOrder::purchase(azn(500))
        .description("trace")
        .hpp_redirect_url("https://shop.example/back");
    let kreq = create.build_request(&kapital).unwrap();
    let auth = kreq.headers()["authorization"].to_str().unwrap().to_owned();
    secrets.push(auth.trim_start_matches("Basic ").to_owned());
    secrets.push(credentials::KAPITAL_PASSWORD.to_owned());
    let key_text = String::from_utf8(key_pem).unwrap();
    let key_body: String = key_text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    secrets.push(key_body.chars().take(40).collect());

    let capture = capture::Capture::default();
    let log = capture.log.clone();
    tracing::subscriber::with_default(capture, || {
        let redirect = execute(&pay, &epoint, &c).expect("epoint pay");
        secrets.push(redirect.transaction.clone());
        execute(&create, &kapital, &c).expect("kapital order");
        execute(&twec::CreateOrder::purchase(azn(700), "trace"), &twec, &c).expect("twec order");
        server.fault_next(FaultKind::Reset, 1);
        execute(
            &epoint::GetStatus::by_transaction(redirect.transaction),
            &epoint,
            &c,
        )
        .expect("query after a retry");
    });
    // The transaction id is not a secret, but it only travels in bodies: it must not show.
    let log = log.lock().unwrap().clone();
    let _ = std::fs::remove_dir_all(&dir);
    (log, secrets)
}

/// The checks on a traced run.
pub fn assert_traced(log: &str, secrets: &[String]) {
    eprintln!("captured:{log}");
    for needle in [
        "azpay.request",
        "gateway=epoint",
        "operation=pay",
        "gateway=kapital",
        "gateway=twec",
        "status=200",
        "duration_ms=",
        "attempt=2",
        "phase=outcome unknown",
        "azpay.retry",
    ] {
        assert!(log.contains(needle), "missing `{needle}` in:\n{log}");
    }
    for secret in secrets {
        assert!(!secret.is_empty());
        assert!(
            !log.contains(secret.as_str()),
            "secret `{secret}` leaked into:\n{log}"
        );
    }
}

/// A server that takes one request, closes the connection without answering, and stops
/// listening: a retried query then meets a refused connection.
pub fn one_shot_dropper() -> String {
    use std::io::Read;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 8192];
            let _ = s.read(&mut buf);
        }
        // The listener and the connection are dropped here.
    });
    format!("http://{addr}")
}

/// A query whose first attempt may have arrived stays `OutcomeUnknown` even when the retry
/// finds nobody listening (`NotSent` for that attempt).
pub fn unknown_then_refused_is_unknown(c: &Client) {
    let base = one_shot_dropper();
    let config = epoint::Config::new("i000000001", "k")
        .base_url(base)
        .expect("a loopback URL");
    match execute(&epoint::GetStatus::by_transaction("te1"), &config, c) {
        Err(Error::Transport(e)) => assert_eq!(e.phase, Phase::OutcomeUnknown, "{e}"),
        other => panic!("{other:?}"),
    }
}
