//! The contract between the unified verbs and one gateway ([`GatewayAdapter`]), the one place
//! that maps a [`GatewayKind`] to its adapter ([`dispatch`]), and the generic plumbing every
//! verb runs through ([`build`], [`parse`], [`meta`]).
//!
//! Nothing here names a gateway except [`dispatch`]: that `match` is the registration line.

use std::convert::Infallible;
use std::marker::PhantomData;

use super::{
    unsupported, ActionOutcome, ApiError, Config, CreatePayment, CreatedForm, CreatedPayment,
    GatewayKind, PaymentRef, PaymentState, Return, Unified, Verb, Verification,
};
use crate::{
    azericard, epoint, kapital, payriff, twec, Amount, BuildError, Gateway, HttpRequest,
    HttpResponse, Operation, RequestMeta, ResponseError,
};

/// The output type of an operation.
pub(crate) type OutputOf<O> = <O as Operation>::Output;

/// What one gateway does for each unified verb. Implemented by the gateway's marker type
/// (`epoint::EPoint`, …) in its own folder, `<gateway>/unified.rs`.
///
/// Each verb names the gateway [`Operation`] it stands for (an associated type), how to make
/// it from the unified inputs, and how to turn its output into the unified one. The unified
/// verbs build exactly that operation's request and report exactly its [`RequestMeta`]
/// (through [`Operation::meta`]), so the transport sees the gateway's name, operation and
/// client-certificate needs.
///
/// A verb the gateway cannot do answers `false` from [`GatewayAdapter::supports`]; the
/// verbs then refuse it with [`BuildError::Unsupported`] before calling the adapter, and the
/// adapter names [`NotSupported`] as its operation.
///
/// Crate-private on purpose: a gateway also needs its variant in [`PaymentRef`], [`Return`],
/// [`ApiError`] and [`GatewayKind`], which only this crate can add.
pub(crate) trait GatewayAdapter: Gateway + Sized {
    /// Its [`GatewayKind`].
    const KIND: GatewayKind;

    /// Its part of a [`PaymentRef`], typed (the fields of its variant).
    type Payment;
    /// Its payment, when `payment` is one of its own (`None` for another gateway's).
    fn payment(payment: &PaymentRef) -> Option<Self::Payment>;

    /// Its configuration in the unified one (the error names the gateway when it is unset).
    fn config(config: &Config) -> Result<&Self::Config, BuildError>;
    /// Wraps its error body in the unified [`ApiError`].
    fn api_error(error: Self::ApiError) -> ApiError;
    /// Whether it can do `verb` (see [`super::supports`]).
    fn supports(verb: Verb) -> bool;

    /// [`CreatePayment`]: the operation creating a purchase or (`request.preauth`) a hold.
    type Create: Operation<Gateway = Self>;
    /// The create operation for `request`.
    fn create(request: &CreatePayment) -> Result<Self::Create, BuildError>;
    /// Its answer as a [`CreatedPayment`] (with the [`PaymentRef`] to keep).
    fn created(request: &CreatePayment, output: OutputOf<Self::Create>) -> CreatedPayment;
    /// [`CreatePayment::form`]: the payment page as a form the browser posts, for a gateway
    /// whose payment starts in the browser (Azericard); the others refuse it.
    fn form(_request: &CreatePayment, _config: &Self::Config) -> Result<CreatedForm, BuildError> {
        Err(BuildError::invalid(
            "gateway",
            format!(
                "{} creates payments with a request: execute the CreatePayment",
                Self::NAME
            ),
        ))
    }

    /// What comes back after the payment page ([`Return`]'s variant for this gateway).
    type Return;
    /// Its return, when `ret` is one of its own.
    fn return_of(ret: &Return) -> Option<&Self::Return>;
    /// [`Return::verify`]: a trusted state, or the status query that gives it.
    fn verify_return(ret: &Self::Return) -> Result<Verification, BuildError>;

    /// [`super::GetStatus`]: the status query.
    type Status: Operation<Gateway = Self>;
    /// What a status query of `payment` needs.
    fn status_key(payment: &Self::Payment) -> StatusKey;
    /// The status query for `key` (as made by [`GatewayAdapter::status_key`] or the
    /// gateway's own `GetStatus` constructor).
    fn status(key: &StatusKey) -> Result<Self::Status, BuildError>;
    /// Its answer as a [`PaymentState`]: the mapping onto [`super::PaymentStatus`].
    fn state(output: OutputOf<Self::Status>) -> PaymentState;

    /// [`super::Refund`].
    type Refund: Operation<Gateway = Self>;
    /// Refunds `amount` of `payment`, or all of it (`None`).
    fn refund(payment: &Self::Payment, amount: Option<Amount>) -> Result<Self::Refund, BuildError>;
    /// The refund's answer.
    fn refunded(output: OutputOf<Self::Refund>) -> ActionOutcome;

    /// [`super::Capture`] (only called for a hold).
    type Capture: Operation<Gateway = Self>;
    /// Captures `amount` of the hold `payment`, or all of it (`None`).
    fn capture(
        payment: &Self::Payment,
        amount: Option<Amount>,
    ) -> Result<Self::Capture, BuildError>;
    /// The capture's answer.
    fn captured(output: OutputOf<Self::Capture>) -> ActionOutcome;

    /// [`super::Cancel`].
    type Cancel: Operation<Gateway = Self>;
    /// Voids `payment`.
    fn cancel(payment: &Self::Payment) -> Result<Self::Cancel, BuildError>;
    /// The void's answer.
    fn cancelled(output: OutputOf<Self::Cancel>) -> ActionOutcome;
}

/// Something to do with the adapter of a gateway chosen at run time (Rust has no generic
/// closures; this is one).
pub(crate) trait WithAdapter {
    /// What it gives.
    type Output;
    /// Does it with the adapter `A`.
    fn run<A: GatewayAdapter>(self) -> Self::Output;
}

/// Runs `task` with the adapter of `kind`: the registration line of every gateway, and the
/// only `match` on [`GatewayKind`] that picks one.
pub(crate) fn dispatch<W: WithAdapter>(kind: GatewayKind, task: W) -> W::Output {
    match kind {
        GatewayKind::EPoint => task.run::<epoint::EPoint>(),
        GatewayKind::Kapital => task.run::<kapital::Kapital>(),
        GatewayKind::Twec => task.run::<twec::Twec>(),
        GatewayKind::Payriff => task.run::<payriff::Payriff>(),
        GatewayKind::Azericard => task.run::<azericard::Azericard>(),
    }
}

/// What a status query needs to name a payment: the gateway's id (EPoint `transaction`,
/// Kapital `order.id`, TWEC `OrderID`) and, where the gateway wants a second one, that (TWEC
/// `SessionID`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StatusKey {
    pub(crate) gateway: GatewayKind,
    pub(crate) id: String,
    pub(crate) session: Option<String>,
}

/// The operation of a verb a gateway does not support: never built (the verbs check
/// [`GatewayAdapter::supports`] first), and it says so if it were.
#[derive(Debug)]
pub(crate) struct NotSupported<G>(PhantomData<G>);

impl<G: GatewayAdapter> Operation for NotSupported<G> {
    type Gateway = G;
    type Output = Infallible;
    const NAME: &'static str = "unsupported";
    const IDEMPOTENT: bool = false;

    fn build_request(&self, _: &G::Config) -> Result<HttpRequest, BuildError> {
        Err(BuildError::Encoding(format!(
            "{} does not support this operation",
            G::NAME
        )))
    }

    fn parse_response(
        &self,
        _: &G::Config,
        response: HttpResponse,
    ) -> Result<Infallible, ResponseError<G::ApiError>> {
        Err(ResponseError::malformed(
            format!("{} does not support this operation", G::NAME),
            response.into_body(),
        ))
    }
}

/// The error of a verb `A` cannot do, when it cannot.
pub(crate) fn check_supported<A: GatewayAdapter>(verb: Verb) -> Result<(), BuildError> {
    if A::supports(verb) {
        Ok(())
    } else {
        Err(unsupported(A::KIND, verb))
    }
}

/// `A`'s part of `payment` (an error if `payment` belongs to another gateway, which the
/// verbs never ask: they dispatch on [`PaymentRef::gateway`]).
pub(crate) fn payment_of<A: GatewayAdapter>(
    payment: &PaymentRef,
) -> Result<A::Payment, BuildError> {
    A::payment(payment)
        .ok_or_else(|| BuildError::invalid("payment", format!("is not a {} payment", A::NAME)))
}

// ---------------------------------------------------------------------------------------
// The verbs, generically

/// A unified verb: which gateway it goes to, the gateway operation it stands for and how its
/// output becomes the verb's. Its [`Operation`] methods are [`build`], [`parse`] and
/// [`meta`].
pub(crate) trait UnifiedVerb: Operation<Gateway = Unified> {
    /// The gateway operation for the adapter `A`.
    type Inner<A: GatewayAdapter>: Operation<Gateway = A>;
    /// The gateway the verb goes to.
    fn gateway(&self) -> GatewayKind;
    /// The gateway operation (or why there is none, before anything is sent).
    fn inner<A: GatewayAdapter>(&self) -> Result<Self::Inner<A>, BuildError>;
    /// The gateway operation's output as the verb's.
    fn output<A: GatewayAdapter>(&self, output: OutputOf<Self::Inner<A>>) -> Self::Output;
}

/// [`Operation::build_request`] of a verb: exactly the gateway operation's request.
pub(crate) fn build<V: UnifiedVerb>(verb: &V, config: &Config) -> Result<HttpRequest, BuildError> {
    struct Build<'a, V>(&'a V, &'a Config);
    impl<V: UnifiedVerb> WithAdapter for Build<'_, V> {
        type Output = Result<HttpRequest, BuildError>;
        fn run<A: GatewayAdapter>(self) -> Self::Output {
            let Build(verb, config) = self;
            let op = verb.inner::<A>()?;
            op.build_request(A::config(config)?)
        }
    }
    dispatch(verb.gateway(), Build(verb, config))
}

/// [`Operation::parse_response`] of a verb: the gateway operation's parser, its error body
/// wrapped in [`ApiError`], its output turned into the verb's.
pub(crate) fn parse<V: UnifiedVerb>(
    verb: &V,
    config: &Config,
    response: HttpResponse,
) -> Result<V::Output, ResponseError<ApiError>> {
    struct Parse<'a, V>(&'a V, &'a Config, HttpResponse);
    impl<V: UnifiedVerb> WithAdapter for Parse<'_, V> {
        type Output = Result<V::Output, ResponseError<ApiError>>;
        fn run<A: GatewayAdapter>(self) -> Self::Output {
            let Parse(verb, config, response) = self;
            let malformed = |e: BuildError| ResponseError::malformed(e.to_string(), Vec::new());
            let op = verb.inner::<A>().map_err(malformed)?;
            let config = A::config(config).map_err(malformed)?;
            let output = op
                .parse_response(config, response)
                .map_err(|e| e.map_api(A::api_error))?;
            Ok(verb.output::<A>(output))
        }
    }
    dispatch(verb.gateway(), Parse(verb, config, response))
}

/// [`Operation::meta`] of a verb: the gateway operation's (so the transport sees e.g.
/// `twec`/`get_order_status`, asks for the client certificate, and retries only what is
/// idempotent); `unified`/the verb's name when there is no gateway operation.
pub(crate) fn meta<V: UnifiedVerb>(verb: &V) -> RequestMeta {
    struct Meta<'a, V>(&'a V);
    impl<V: UnifiedVerb> WithAdapter for Meta<'_, V> {
        type Output = RequestMeta;
        fn run<A: GatewayAdapter>(self) -> RequestMeta {
            match self.0.inner::<A>() {
                Ok(op) => op.meta(),
                Err(_) => RequestMeta {
                    gateway: <Unified as Gateway>::NAME,
                    operation: V::NAME,
                    idempotent: V::IDEMPOTENT,
                    requires_client_identity: false,
                },
            }
        }
    }
    dispatch(verb.gateway(), Meta(verb))
}
