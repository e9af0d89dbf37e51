//! What Kapital's operations return: [`CreatedOrder`], [`Order`], [`TranResult`],
//! [`TokenAttached`], built leniently from the wire shapes.

use super::codes::*;
use super::error::{ApiError, Decline};
use super::wire::{self, text, LStr};
use crate::{Amount, Currency, JsonDecimal, ResponseError, State};

type RErr = ResponseError<ApiError>;

/// A new order (`POST /api/order`): where to send the customer, and the order's password.
///
/// The password is needed for the hosted page and for `set-src-token` / `set-dst-token`; it is
/// shown in `Debug`, treat it like a session id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct CreatedOrder {
    /// Whether the order was created: [`State::Done`] (the page can be shown, the next step
    /// of a flow sent), or [`State::Declined`] when the answer's `status` already refuses it.
    pub state: State,
    /// `order.id`.
    pub id: u64,
    /// `order.password`.
    pub password: String,
    /// `order.hppUrl` as received: the hosted payment page, `https://…/flex` in Kapital's
    /// sample, a bare host on other processors of the platform. Required in the answer for
    /// order types paid on the hosted page; `None` when a server-side order (`Order_REC`,
    /// `DMSN3D`, `OCT`) came without one.
    pub hpp_url: Option<String>,
    /// `order.status`, normally `Preparing`.
    pub status: Option<OrderStatus>,
    /// `order.cvv2AuthStatus`.
    pub cvv2_auth_status: Option<AuthStatus>,
    /// `order.secret`.
    pub secret: Option<String>,
}

impl CreatedOrder {
    /// The URL to send the customer's browser to, `{page}?id={id}&password={password}`,
    /// where `{page}` is built from `hppUrl` whichever way the gateway writes it:
    ///
    /// | `hppUrl` | page |
    /// |---|---|
    /// | `https://txpgtst.kapitalbank.az/flex` (Kapital's sample) | used as it is |
    /// | `https://txpgtst.kapitalbank.az` or `…/` (a bare host; seed 002's template `{hppUrl}/flex?…`) | `https://txpgtst.kapitalbank.az/flex` |
    /// | `https://host/flex/` | `https://host/flex` |
    /// | any other path | used as it is (never a second `/flex`) |
    ///
    /// `None` when the answer had no `hppUrl` (a server-side order, which has no page).
    ///
    /// ```
    /// # use azpay_core::kapital::CreatedOrder;
    /// # fn url(hpp: &str) -> String {
    /// #     let body = format!(r#"{{"order":{{"id":4595,"hppUrl":"{hpp}","password":"8xjpd1ejxdma"}}}}"#);
    /// #     let op = azpay_core::kapital::CreateOrder::purchase(azpay_core::Amount::parse_major("1", azpay_core::Currency::AZN).unwrap());
    /// #     let config = azpay_core::kapital::Config::new("u", "p");
    /// #     azpay_core::Operation::parse_response(&op, &config, http::Response::new(body.into_bytes())).unwrap().payment_url().unwrap()
    /// # }
    /// let page = "https://txpgtst.kapitalbank.az/flex?id=4595&password=8xjpd1ejxdma";
    /// assert_eq!(url("https://txpgtst.kapitalbank.az/flex"), page);
    /// assert_eq!(url("https://txpgtst.kapitalbank.az"), page);
    /// assert_eq!(url("https://txpgtst.kapitalbank.az/"), page);
    /// ```
    pub fn payment_url(&self) -> Option<String> {
        let hpp = self.hpp_url.as_deref()?;
        let page = page_of(hpp);
        let sep = if page.contains('?') { '&' } else { '?' };
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("id", &self.id.to_string())
            .append_pair("password", &self.password)
            .finish();
        Some(format!("{page}{sep}{query}"))
    }
}

/// The hosted page's address from `hppUrl`: a bare host gets `/flex`, a trailing `/` goes.
fn page_of(hpp: &str) -> String {
    let (before_query, query) = match hpp.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (hpp, None),
    };
    let trimmed = before_query.trim_end_matches('/');
    let after_scheme = trimmed.split_once("://").map_or(trimmed, |(_, rest)| rest);
    let bare_host = !after_scheme.contains('/');
    let mut page = trimmed.to_owned();
    if bare_host {
        page.push_str("/flex");
    }
    if let Some(q) = query {
        page.push('?');
        page.push_str(q);
    }
    page
}

/// An order as `GET /api/order/{id}` reports it (summary or detailed).
///
/// Every field but `id` and `status` is optional: the summary carries few of them, and a
/// missing field never fails the parse. Timestamps are kept as the gateway writes them
/// (`YYYY-MM-DD HH:MM:SS`, no zone).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Order {
    /// The uniform outcome of the order's `status` ([`OrderStatus::state`]): done (paid,
    /// authorised, partly refunded), returned (refunded, refused, voided), declined, or
    /// pending (preparing, and every word azpay does not know).
    pub state: State,
    /// `id`.
    pub id: u64,
    /// `status`: trustworthy, since it was read from the gateway with Basic auth.
    pub status: OrderStatus,
    /// `prevStatus`.
    pub prev_status: Option<OrderStatus>,
    /// `typeRid` (or `type.rid` in the detailed form).
    pub type_rid: Option<OrderType>,
    /// `lastStatusLogin`.
    pub last_status_login: Option<String>,
    /// `amount` in `currency`, when the currency is one azpay knows.
    pub amount: Option<Amount>,
    /// `currency` as sent (`AZN`).
    pub currency: Option<String>,
    /// `srcAmount`.
    pub src_amount: Option<Amount>,
    /// `dstAmount`.
    pub dst_amount: Option<Amount>,
    /// `authorizedChargeAmount`.
    pub authorized_charge_amount: Option<Amount>,
    /// `clearedChargeAmount`.
    pub cleared_charge_amount: Option<Amount>,
    /// `clearedRefundAmount`.
    pub cleared_refund_amount: Option<Amount>,
    /// `createTime`, `YYYY-MM-DD HH:MM:SS`.
    pub create_time: Option<String>,
    /// `finishTime`, `YYYY-MM-DD HH:MM:SS`.
    pub finish_time: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `language`.
    pub language: Option<String>,
    /// `hppUrl`.
    pub hpp_url: Option<String>,
    /// `hppRedirectUrl`.
    pub hpp_redirect_url: Option<String>,
    /// `password` (detailed form).
    pub password: Option<String>,
    /// `cvv2AuthStatus`.
    pub cvv2_auth_status: Option<AuthStatus>,
    /// `tdsV1AuthStatus`.
    pub tds_v1_auth_status: Option<AuthStatus>,
    /// `tdsV2AuthStatus`.
    pub tds_v2_auth_status: Option<AuthStatus>,
    /// `otpAutStatus`.
    pub otp_aut_status: Option<AuthStatus>,
    /// `initiationEnvKind`.
    pub initiation_env_kind: Option<InitiationEnvKind>,
    /// `hppCofCapturePurposes`.
    pub hpp_cof_capture_purposes: Vec<CofPurpose>,
    /// `type`: the order type's configuration.
    pub order_type: Option<OrderTypeInfo>,
    /// `terminal`.
    pub terminal: Option<Terminal>,
    /// `merchant`.
    pub merchant: Option<Merchant>,
    /// `trans[]`: the transactions on the order (detailed form).
    pub trans: Vec<Transaction>,
    /// `storedTokens[]`: cards saved on this order; their `id` is the `storedId` to charge
    /// later (present only when a card was stored).
    pub stored_tokens: Vec<Token>,
    /// `srcToken`: the card that paid.
    pub src_token: Option<Token>,
    /// `dstToken`: the card credited.
    pub dst_token: Option<Token>,
}

/// `order.type` of the detailed form (the summary has only `title`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct OrderTypeInfo {
    /// `rid`, e.g. `Order_SMS`.
    pub rid: Option<OrderType>,
    /// `title`, e.g. `Single message`.
    pub title: Option<String>,
    /// `allowVoid`.
    pub allow_void: Option<bool>,
    /// `hppTranPhase`.
    pub hpp_tran_phase: Option<TranPhase>,
    /// `paymentMethods`.
    pub payment_methods: Vec<String>,
    /// `cardBrands`.
    pub card_brands: Vec<String>,
    /// `allowTranTypes`.
    pub allow_tran_types: Vec<TranType>,
    /// `allowTranPhases`.
    pub allow_tran_phases: Vec<TranPhase>,
    /// `allowAuthKinds`.
    pub allow_auth_kinds: Vec<String>,
    /// `allowCofStoreUsages`.
    pub allow_cof_store_usages: Vec<CofPurpose>,
    /// `orderClass`, e.g. `Sale`.
    pub order_class: Option<String>,
    /// `allowCVV2`.
    pub allow_cvv2: Option<bool>,
}

/// `order.terminal`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Terminal {
    /// `id`.
    pub id: Option<String>,
    /// `rid`, e.g. `E1000010`.
    pub rid: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `mcc`.
    pub mcc: Option<String>,
    /// `status`.
    pub status: Option<String>,
}

/// `order.merchant`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Merchant {
    /// `id`.
    pub id: Option<String>,
    /// `rid`.
    pub rid: Option<String>,
    /// `title`.
    pub title: Option<String>,
}

/// One of `order.trans[]`.
///
/// Amounts are signed minor units: a refund's `clearAmount` is negative (`-1` → `-100`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Transaction {
    /// `approvalCode`.
    pub approval_code: Option<String>,
    /// `actionId`.
    pub action_id: Option<String>,
    /// `orderId`.
    pub order_id: Option<String>,
    /// `terminalId`.
    pub terminal_id: Option<String>,
    /// `merchantId`.
    pub merchant_id: Option<String>,
    /// `billingStatus`.
    pub billing_status: Option<String>,
    /// `isReversal`.
    pub is_reversal: Option<bool>,
    /// `ridByAcquirer`.
    pub rid_by_acquirer: Option<String>,
    /// `ridByPmo`.
    pub rid_by_pmo: Option<String>,
    /// `regTime`, `YYYY-MM-DD HH:MM:SS`.
    pub reg_time: Option<String>,
    /// `amount`, signed minor units of `currency`.
    pub amount_minor: Option<i64>,
    /// `currency`.
    pub currency: Option<String>,
    /// `clearAmount`, signed minor units of `clear_ccy` (negative for refunds).
    pub clear_amount_minor: Option<i64>,
    /// `clearCcy`.
    pub clear_ccy: Option<String>,
    /// `description`, e.g. `Purchase`, `Refund`.
    pub description: Option<String>,
    /// `phase`.
    pub phase: Option<TranPhase>,
    /// `type`.
    #[serde(rename = "type")]
    pub tran_type: Option<TranType>,
    /// `pmoResultCode`.
    pub pmo_result_code: Option<PmoResultCode>,
}

/// A card token (`srcToken`, `dstToken`, `storedTokens[]`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Token {
    /// `id`: for `storedTokens[]`, the `storedId` to charge later.
    pub id: Option<u64>,
    /// `paymentMethod`: `Card` or `GooglePay`.
    pub payment_method: Option<String>,
    /// `role`: `Src` or `Dst`.
    pub role: Option<String>,
    /// `status`, e.g. `Active`.
    pub status: Option<String>,
    /// `regTime`.
    pub reg_time: Option<String>,
    /// `entryMode`.
    pub entry_mode: Option<String>,
    /// `displayName`: the masked card number, e.g. `416974******1778`.
    pub display_name: Option<String>,
    /// `card.expiration` (`MMYY`).
    pub card_expiration: Option<String>,
    /// `card.brand`.
    pub card_brand: Option<String>,
}

/// The outcome of `exec-tran`: `{"tran":{approvalCode, match{tranActionId, ridByPmo},
/// pmoResultCode}}`, or a decline.
///
/// Kapital sends a declined transaction as an error body (`PmoDecline`, with any HTTP
/// status); it is read into this output, never an error: `state` [`State::Declined`], the
/// `pmoResultCode` and `match.ridByPmo` of `errorDetails`, and [`TranResult::decline`].
///
/// `state` is [`PmoResultCode::state`] (`1` done, a refusal declined, anything else pending);
/// an answer without `pmoResultCode` (seen on another processor of the platform) is done when
/// it carries an `approvalCode`, pending otherwise.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct TranResult {
    /// Whether the transaction happened as asked: done, declined or pending.
    pub state: State,
    /// `approvalCode`.
    pub approval_code: Option<String>,
    /// `match.tranActionId`.
    pub tran_action_id: Option<String>,
    /// `match.ridByPmo`.
    pub rid_by_pmo: Option<String>,
    /// `pmoResultCode`.
    pub pmo_result_code: Option<PmoResultCode>,
    /// The decline's details (`errorDetails` of a `PmoDecline` body), when it was one.
    pub decline: Option<Decline>,
}

impl TranResult {
    /// Whether the processing approved the transaction (`pmoResultCode` `"1"`).
    pub fn is_approved(&self) -> bool {
        self.pmo_result_code
            .as_ref()
            .is_some_and(PmoResultCode::is_approved)
    }
}

/// The order after `set-src-token` / `set-dst-token`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct TokenAttached {
    /// Whether the card was attached: [`State::Done`], or [`State::Declined`] when the
    /// answer's `status` refuses the order.
    pub state: State,
    /// `order.status`.
    pub status: Option<OrderStatus>,
    /// `order.cvv2AuthStatus`.
    pub cvv2_auth_status: Option<AuthStatus>,
    /// `order.tdsV1AuthStatus`.
    pub tds_v1_auth_status: Option<AuthStatus>,
    /// `order.tdsV2AuthStatus`.
    pub tds_v2_auth_status: Option<AuthStatus>,
    /// `order.otpAutStatus`.
    pub otp_aut_status: Option<AuthStatus>,
    /// `order.srcToken`.
    pub src_token: Option<Token>,
    /// `order.dstToken`.
    pub dst_token: Option<Token>,
}

// ---------------------------------------------------------------------------------------------
// Conversions from the wire.

fn malformed(reason: impl Into<String>, raw: &[u8]) -> RErr {
    ResponseError::malformed(reason, raw.to_vec())
}

fn exponent_of(currency: Option<&str>) -> u8 {
    currency
        .and_then(|c| Currency::from_alpha(c).ok())
        .map_or(2, |c| c.exponent())
}

fn amount(
    field: &str,
    value: Option<JsonDecimal>,
    currency: Option<&str>,
    raw: &[u8],
) -> Result<Option<Amount>, RErr> {
    let (Some(value), Some(currency)) = (value, currency) else {
        return Ok(None);
    };
    let Ok(currency) = Currency::from_alpha(currency) else {
        return Ok(None);
    };
    value
        .amount(currency)
        .map(Some)
        .map_err(|e| malformed(format!("`{field}`: {e}"), raw))
}

fn signed(
    field: &str,
    value: Option<JsonDecimal>,
    currency: Option<&str>,
    raw: &[u8],
) -> Result<Option<i64>, RErr> {
    value
        .map(|v| v.signed_minor(exponent_of(currency)))
        .transpose()
        .map_err(|e| malformed(format!("`{field}`: {e}"), raw))
}

fn id(field: &str, v: Option<LStr>, raw: &[u8]) -> Result<Option<u64>, RErr> {
    v.map(|s| {
        s.0.parse::<u64>()
            .map_err(|_| malformed(format!("`{field}` `{}` is not an id", s.0), raw))
    })
    .transpose()
}

fn texts(v: Option<Vec<LStr>>) -> Vec<String> {
    v.unwrap_or_default().into_iter().map(|s| s.0).collect()
}

pub(crate) fn token(t: wire::WireToken, raw: &[u8]) -> Result<Token, RErr> {
    let card = t.card.unwrap_or_default();
    Ok(Token {
        id: id("token.id", t.id, raw)?,
        payment_method: text(t.payment_method),
        role: text(t.role),
        status: text(t.status),
        reg_time: text(t.reg_time),
        entry_mode: text(t.entry_mode),
        display_name: text(t.display_name),
        card_expiration: text(card.expiration),
        card_brand: text(card.brand),
    })
}

fn transaction(t: wire::WireTran, raw: &[u8]) -> Result<Transaction, RErr> {
    let currency = text(t.currency);
    let clear_ccy = text(t.clear_ccy);
    Ok(Transaction {
        amount_minor: signed("trans.amount", t.amount, currency.as_deref(), raw)?,
        clear_amount_minor: signed(
            "trans.clearAmount",
            t.clear_amount,
            clear_ccy.as_deref().or(currency.as_deref()),
            raw,
        )?,
        currency,
        clear_ccy,
        approval_code: text(t.approval_code),
        action_id: text(t.action_id),
        order_id: text(t.order_id),
        terminal_id: text(t.terminal_id),
        merchant_id: text(t.merchant_id),
        billing_status: text(t.billing_status),
        is_reversal: t.is_reversal,
        rid_by_acquirer: text(t.rid_by_acquirer),
        rid_by_pmo: text(t.rid_by_pmo),
        reg_time: text(t.reg_time),
        description: text(t.description),
        phase: t.phase,
        tran_type: t.tran_type,
        pmo_result_code: t.pmo_result_code,
    })
}

/// An action's state from the order status it answered with: done, unless the status
/// already says declined.
fn action_state(status: Option<&OrderStatus>) -> State {
    match status.map(OrderStatus::state) {
        Some(State::Declined) => State::Declined,
        _ => State::Done,
    }
}

/// `needs_page`: the order type is paid on the hosted page, so `hppUrl` must be there.
pub(crate) fn created_order(
    body: wire::OrderResponse,
    needs_page: bool,
    raw: &[u8],
) -> Result<CreatedOrder, RErr> {
    let o = body
        .order
        .ok_or_else(|| malformed("no `order` object", raw))?;
    let id = id("order.id", o.id, raw)?.ok_or_else(|| malformed("no `order.id`", raw))?;
    let password = text(o.password).ok_or_else(|| malformed("no `order.password`", raw))?;
    let hpp_url = text(o.hpp_url).filter(|u| !u.is_empty());
    match &hpp_url {
        None if needs_page => return Err(malformed("no `order.hppUrl`", raw)),
        None => {}
        Some(u) => crate::input::browser_url(u).map_err(|why| {
            malformed(
                format!("`order.hppUrl` is not a URL to send a browser to: {why}"),
                raw,
            )
        })?,
    }
    Ok(CreatedOrder {
        state: action_state(o.status.as_ref()),
        id,
        password,
        hpp_url,
        status: o.status,
        cvv2_auth_status: o.cvv2_auth_status,
        secret: text(o.secret),
    })
}

pub(crate) fn order(
    body: wire::OrderResponse,
    requested_id: u64,
    raw: &[u8],
) -> Result<Order, RErr> {
    let o = body
        .order
        .ok_or_else(|| malformed("no `order` object", raw))?;
    let status = o
        .status
        .ok_or_else(|| malformed("no `order.status`", raw))?;
    let id = id("order.id", o.id, raw)?.unwrap_or(requested_id);
    if id != requested_id {
        return Err(malformed(
            format!("asked for order {requested_id}, the answer is about order {id}"),
            raw,
        ));
    }
    let currency = text(o.currency);
    let cur = currency.as_deref();
    let src_currency = text(o.src_currency);
    let dst_currency = text(o.dst_currency);
    let order_type = o.order_type.map(|t| OrderTypeInfo {
        rid: t.rid,
        title: text(t.title),
        allow_void: t.allow_void,
        hpp_tran_phase: t.hpp_tran_phase,
        payment_methods: texts(t.payment_methods),
        card_brands: texts(t.card_brands),
        allow_tran_types: t.allow_tran_types.unwrap_or_default(),
        allow_tran_phases: t.allow_tran_phases.unwrap_or_default(),
        allow_auth_kinds: texts(t.allow_auth_kinds),
        allow_cof_store_usages: t.allow_cof_store_usages.unwrap_or_default(),
        order_class: text(t.order_class),
        allow_cvv2: t.allow_cvv2,
    });
    let type_rid = o
        .type_rid
        .or_else(|| order_type.as_ref().and_then(|t| t.rid.clone()));
    let trans = o
        .trans
        .unwrap_or_default()
        .into_iter()
        .map(|t| transaction(t, raw))
        .collect::<Result<Vec<_>, _>>()?;
    let stored_tokens = o
        .stored_tokens
        .unwrap_or_default()
        .into_iter()
        .map(|t| token(t, raw))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Order {
        state: status.state(),
        id,
        status,
        prev_status: o.prev_status,
        type_rid,
        last_status_login: text(o.last_status_login),
        amount: amount("amount", o.amount, cur, raw)?,
        src_amount: amount(
            "srcAmount",
            o.src_amount,
            src_currency.as_deref().or(cur),
            raw,
        )?,
        dst_amount: amount(
            "dstAmount",
            o.dst_amount,
            dst_currency.as_deref().or(cur),
            raw,
        )?,
        authorized_charge_amount: amount(
            "authorizedChargeAmount",
            o.authorized_charge_amount,
            cur,
            raw,
        )?,
        cleared_charge_amount: amount("clearedChargeAmount", o.cleared_charge_amount, cur, raw)?,
        cleared_refund_amount: amount("clearedRefundAmount", o.cleared_refund_amount, cur, raw)?,
        currency,
        create_time: text(o.create_time),
        finish_time: text(o.finish_time),
        title: text(o.title),
        description: text(o.description),
        language: text(o.language),
        hpp_url: text(o.hpp_url),
        hpp_redirect_url: text(o.hpp_redirect_url),
        password: text(o.password),
        cvv2_auth_status: o.cvv2_auth_status,
        tds_v1_auth_status: o.tds_v1_auth_status,
        tds_v2_auth_status: o.tds_v2_auth_status,
        otp_aut_status: o.otp_aut_status,
        initiation_env_kind: o.initiation_env_kind,
        hpp_cof_capture_purposes: o.hpp_cof_capture_purposes.unwrap_or_default(),
        order_type,
        terminal: o.terminal.map(|t| Terminal {
            id: text(t.id),
            rid: text(t.rid),
            title: text(t.title),
            mcc: text(t.mcc),
            status: text(t.status),
        }),
        merchant: o.merchant.map(|m| Merchant {
            id: text(m.id),
            rid: text(m.rid),
            title: text(m.title),
        }),
        trans,
        stored_tokens,
        src_token: o.src_token.map(|t| token(t, raw)).transpose()?,
        dst_token: o.dst_token.map(|t| token(t, raw)).transpose()?,
    })
}

pub(crate) fn token_attached(body: wire::OrderResponse, raw: &[u8]) -> Result<TokenAttached, RErr> {
    let o = body
        .order
        .ok_or_else(|| malformed("no `order` object", raw))?;
    Ok(TokenAttached {
        state: action_state(o.status.as_ref()),
        status: o.status,
        cvv2_auth_status: o.cvv2_auth_status,
        tds_v1_auth_status: o.tds_v1_auth_status,
        tds_v2_auth_status: o.tds_v2_auth_status,
        otp_aut_status: o.otp_aut_status,
        src_token: o.src_token.map(|t| token(t, raw)).transpose()?,
        dst_token: o.dst_token.map(|t| token(t, raw)).transpose()?,
    })
}

pub(crate) fn tran_result(body: wire::TranResponse, raw: &[u8]) -> Result<TranResult, RErr> {
    let t = body
        .tran
        .ok_or_else(|| malformed("no `tran` object", raw))?;
    let m = t.matched.unwrap_or_default();
    let approval_code = text(t.approval_code).filter(|c| !c.trim().is_empty());
    let state = match (&t.pmo_result_code, &approval_code) {
        (Some(code), _) => code.state(),
        (None, Some(_)) => State::Done,
        (None, None) => State::Pending,
    };
    Ok(TranResult {
        state,
        approval_code,
        tran_action_id: text(m.tran_action_id),
        rid_by_pmo: text(m.rid_by_pmo),
        pmo_result_code: t.pmo_result_code,
        decline: None,
    })
}

/// A `PmoDecline` error body read as the declined transaction it reports.
pub(crate) fn declined_tran(error: &ApiError) -> TranResult {
    TranResult {
        state: State::Declined,
        approval_code: None,
        tran_action_id: None,
        rid_by_pmo: error.details.rid_by_pmo.clone(),
        pmo_result_code: error.details.pmo_result_code.clone(),
        decline: error.decline(),
    }
}
