//! Kapital responses parsed from the fixtures of Kapital's JSON API document (see
//! fixtures/kapital/README.md), error bodies on any status, declines, unknown codes,
//! missing fields, and what is not JSON.

use azpay_core::kapital::{
    ApiError, AuthStatus, CofPurpose, Config, CreateOrder, ErrorCode, ExecTran, GetOrder,
    InitiationEnvKind, OrderStatus, OrderType, PmoResultCode, SetSrcToken, TranPhase, TranType,
};
use azpay_core::{Amount, Currency, Operation, ResponseError};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/kapital/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn response(status: u16, body: Vec<u8>) -> http::Response<Vec<u8>> {
    http::Response::builder().status(status).body(body).unwrap()
}

fn config() -> Config {
    Config::new("TerminalSys/kapital", "kapital123")
}

fn azn(minor: u64) -> Amount {
    Amount::from_minor(minor, Currency::AZN)
}

fn api_error<T: std::fmt::Debug>(r: Result<T, ResponseError<ApiError>>) -> ApiError {
    match r {
        Err(ResponseError::Api(e)) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

// --- K1 ------------------------------------------------------------------------------------------

#[test]
fn created_order_from_kbdoc() {
    let op = CreateOrder::purchase(azn(100));
    let out = op
        .parse_response(
            &config(),
            response(200, fixture("create_order_response.json")),
        )
        .unwrap();
    assert_eq!(out.id, 4595);
    assert_eq!(out.password, "8xjpd1ejxdma");
    assert_eq!(
        out.hpp_url.as_deref(),
        Some("https://txpgtst.kapitalbank.az/flex")
    );
    assert_eq!(out.state, azpay_core::State::Done);
    assert_eq!(out.status, Some(OrderStatus::Preparing));
    assert_eq!(out.cvv2_auth_status, Some(AuthStatus::Required));
    assert_eq!(out.secret.as_deref(), Some("312866"));
    // Built from hppUrl verbatim: no doubled /flex.
    assert_eq!(
        out.payment_url().as_deref(),
        Some("https://txpgtst.kapitalbank.az/flex?id=4595&password=8xjpd1ejxdma")
    );
    assert!(!out.payment_url().unwrap().contains("/flex/flex"));
}

#[test]
fn created_order_without_essentials_is_malformed() {
    let op = CreateOrder::purchase(azn(100));
    for body in [
        &br#"{"order":{"hppUrl":"https://x/flex","password":"p"}}"#[..],
        br#"{"order":{"id":1,"hppUrl":"https://x/flex"}}"#,
        br#"{"order":{"id":1,"password":"p"}}"#,
        br#"{"order":{"id":"abc","hppUrl":"https://x/flex","password":"p"}}"#,
        br#"{"tran":{}}"#,
        br#"{}"#,
    ] {
        let r = op.parse_response(&config(), response(200, body.to_vec()));
        assert!(
            matches!(r, Err(ResponseError::Malformed { .. })),
            "{}: {r:?}",
            String::from_utf8_lossy(body)
        );
    }
    // The id may come as a string; status is optional.
    let out = op
        .parse_response(
            &config(),
            response(
                201,
                br#"{"order":{"id":"77","hppUrl":"https://x/flex?lang=az","password":"p w"}}"#
                    .to_vec(),
            ),
        )
        .unwrap();
    assert_eq!(out.id, 77);
    assert_eq!(out.status, None);
    assert_eq!(
        out.payment_url().as_deref(),
        Some("https://x/flex?lang=az&id=77&password=p+w")
    );
}

// --- K2 / K3 -----------------------------------------------------------------------------------

#[test]
fn order_summary_from_kbdoc() {
    let order = GetOrder::new(5531)
        .parse_response(&config(), response(200, fixture("order_summary.json")))
        .unwrap();
    assert_eq!(order.id, 5531);
    assert_eq!(order.type_rid, Some(OrderType::Purchase));
    assert_eq!(order.status, OrderStatus::Refunded);
    assert_eq!(order.prev_status, Some(OrderStatus::FullyPaid));
    assert_eq!(order.last_status_login.as_deref(), Some("E1010"));
    assert_eq!(order.amount, Some(azn(100)));
    assert_eq!(order.currency.as_deref(), Some("AZN"));
    assert_eq!(order.create_time.as_deref(), Some("2024-06-12 15:38:23"));
    assert_eq!(order.finish_time.as_deref(), Some("2024-06-12 15:39:17"));
    assert_eq!(order.title.as_deref(), Some("Othub"));
    let t = order.order_type.unwrap();
    assert_eq!(t.title.as_deref(), Some("Single message"));
    assert_eq!(t.rid, None);
    // Detailed-only fields are absent, not errors.
    assert!(order.trans.is_empty());
    assert!(order.stored_tokens.is_empty());
    assert_eq!(order.src_token, None);
    assert_eq!(order.terminal, None);
}

#[test]
fn order_detailed_real_capture() {
    let order = GetOrder::new(5531)
        .detailed()
        .parse_response(&config(), response(200, fixture("order_detailed.json")))
        .unwrap();
    assert_eq!(order.id, 5531);
    assert_eq!(order.status, OrderStatus::Refunded);
    assert_eq!(order.prev_status, Some(OrderStatus::FullyPaid));
    // typeRid is absent at top level in the detailed form; it comes from type.rid.
    assert_eq!(order.type_rid, Some(OrderType::Purchase));
    assert_eq!(
        order.hpp_url.as_deref(),
        Some("https://txpgtst.kapitalbank.az/flex")
    );
    assert_eq!(
        order.hpp_redirect_url.as_deref(),
        Some("http://txpgtst.kapitalbank.az")
    );
    assert_eq!(order.password.as_deref(), Some("1a06f5aj3yhqr"));
    assert_eq!(order.amount, Some(azn(100)));
    assert_eq!(order.src_amount, Some(azn(100)));
    assert_eq!(order.dst_amount, Some(azn(100)));
    assert_eq!(order.authorized_charge_amount, Some(azn(100)));
    assert_eq!(order.cleared_charge_amount, Some(azn(100)));
    assert_eq!(order.cleared_refund_amount, Some(azn(100)));
    assert_eq!(order.cvv2_auth_status, Some(AuthStatus::Provided));
    assert_eq!(order.tds_v1_auth_status, Some(AuthStatus::IneligibleOrder));
    assert_eq!(order.tds_v2_auth_status, Some(AuthStatus::Verified));
    assert_eq!(order.otp_aut_status, None);
    assert_eq!(order.initiation_env_kind, Some(InitiationEnvKind::Server));
    assert_eq!(
        order.hpp_cof_capture_purposes,
        vec![CofPurpose::UnspecifiedMit]
    );
    assert_eq!(order.description.as_deref(), Some("Testdesc"));
    assert_eq!(order.language.as_deref(), Some("az"));

    let terminal = order.terminal.as_ref().unwrap();
    assert_eq!(terminal.id.as_deref(), Some("41"));
    assert_eq!(terminal.rid.as_deref(), Some("E1000010"));
    assert_eq!(terminal.mcc.as_deref(), Some("3011"));
    assert_eq!(terminal.status.as_deref(), Some("Active"));
    let merchant = order.merchant.as_ref().unwrap();
    assert_eq!(merchant.id.as_deref(), Some("101"));
    assert_eq!(merchant.rid.as_deref(), Some("E1000010"));

    assert_eq!(order.trans.len(), 2);
    let purchase = &order.trans[0];
    assert_eq!(purchase.approval_code.as_deref(), Some("047347"));
    assert_eq!(
        purchase.action_id.as_deref(),
        Some("240612-11385786-000tn5=")
    );
    assert_eq!(purchase.order_id.as_deref(), Some("5531"));
    assert_eq!(purchase.terminal_id.as_deref(), Some("41"));
    assert_eq!(purchase.merchant_id.as_deref(), Some("101"));
    assert_eq!(purchase.billing_status.as_deref(), Some("Normal"));
    assert_eq!(purchase.is_reversal, Some(false));
    assert_eq!(purchase.rid_by_acquirer.as_deref(), Some("17579346"));
    assert_eq!(purchase.rid_by_pmo.as_deref(), Some("17579346"));
    assert_eq!(purchase.reg_time.as_deref(), Some("2024-06-12 15:38:57"));
    assert_eq!(purchase.clear_amount_minor, Some(100));
    assert_eq!(purchase.amount_minor, Some(100));
    assert_eq!(purchase.currency.as_deref(), Some("AZN"));
    assert_eq!(purchase.clear_ccy.as_deref(), Some("AZN"));
    assert_eq!(purchase.description.as_deref(), Some("Purchase"));
    assert_eq!(purchase.phase, Some(TranPhase::Single));
    assert_eq!(purchase.tran_type, Some(TranType::Purchase));
    assert_eq!(purchase.pmo_result_code, Some(PmoResultCode::Approved));

    let refund = &order.trans[1];
    assert_eq!(refund.approval_code.as_deref(), Some("963348"));
    assert_eq!(
        refund.clear_amount_minor,
        Some(-100),
        "refunds are negative"
    );
    assert_eq!(refund.amount_minor, None, "absent in the capture");
    assert_eq!(refund.tran_type, Some(TranType::Refund));
    assert_eq!(refund.pmo_result_code, Some(PmoResultCode::Approved));

    let src = order.src_token.as_ref().unwrap();
    assert_eq!(src.id, Some(4833));
    assert_eq!(src.payment_method.as_deref(), Some("Card"));
    assert_eq!(src.role.as_deref(), Some("Src"));
    assert_eq!(src.status.as_deref(), Some("Active"));
    assert_eq!(src.reg_time.as_deref(), Some("2024-06-12 15:38:28"));
    assert_eq!(src.entry_mode.as_deref(), Some("ECommerce"));
    assert_eq!(src.display_name.as_deref(), Some("416974******1778"));
    assert_eq!(src.card_expiration.as_deref(), Some("1126"));
    assert_eq!(src.card_brand.as_deref(), Some("Visa"));

    let t = order.order_type.as_ref().unwrap();
    assert_eq!(t.rid, Some(OrderType::Purchase));
    assert_eq!(t.title.as_deref(), Some("Single message"));
    assert_eq!(t.allow_void, Some(true));
    assert_eq!(t.hpp_tran_phase, Some(TranPhase::Single));
    assert_eq!(t.payment_methods, vec!["Card"]);
    assert_eq!(t.card_brands, vec!["Visa", "Mastercard"]);
    assert_eq!(
        t.allow_tran_types,
        vec![TranType::Purchase, TranType::Refund, TranType::CheckToken]
    );
    assert_eq!(
        t.allow_tran_phases,
        vec![TranPhase::Single, TranPhase::Prepare]
    );
    assert_eq!(t.allow_auth_kinds, vec!["Final", "Undefined"]);
    assert_eq!(t.allow_cof_store_usages.len(), 6);
    assert_eq!(t.allow_cof_store_usages[3], CofPurpose::Recurring);
    assert_eq!(t.order_class.as_deref(), Some("Sale"));
    assert_eq!(
        t.allow_cvv2,
        Some(true),
        "the key breaks camelCase: allowCVV2"
    );
}

#[test]
fn order_with_unknown_values_and_string_amounts() {
    let order = GetOrder::new(9001)
        .parse_response(
            &config(),
            response(200, fixture("order_unknown_values.json")),
        )
        .unwrap();
    assert_eq!(order.type_rid, Some(OrderType::Other("GN3D".into())));
    assert_eq!(order.status, OrderStatus::Other("Frozen".into()));
    assert!(!order.status.is_paid());
    assert_eq!(order.amount, Some(azn(1250)));
    assert_eq!(
        order.cvv2_auth_status,
        Some(AuthStatus::Other("Skipped".into()))
    );
    assert_eq!(
        order.initiation_env_kind,
        Some(InitiationEnvKind::Other("Kiosk".into()))
    );
    assert_eq!(
        order.hpp_cof_capture_purposes,
        vec![CofPurpose::Cit, CofPurpose::Other("Subscription".into())]
    );
    assert_eq!(order.stored_tokens.len(), 1);
    assert_eq!(order.stored_tokens[0].id, Some(5654));
    let t = &order.trans[0];
    assert_eq!(t.clear_amount_minor, Some(-250));
    assert_eq!(t.phase, Some(TranPhase::Other("Reverse".into())));
    assert_eq!(t.tran_type, Some(TranType::Other("Chargeback".into())));
    let code = t.pmo_result_code.clone().unwrap();
    assert_eq!(code, PmoResultCode::Other("77".into()));
    assert_eq!(code.description(), None);
    assert!(!code.is_approved());
}

#[test]
fn order_parse_is_lenient_but_not_blind() {
    let op = GetOrder::new(12);
    // Only status is needed; the id defaults to the one asked for.
    let order = op
        .parse_response(
            &config(),
            response(200, br#"{"order":{"status":"Preparing"}}"#.to_vec()),
        )
        .unwrap();
    assert_eq!(order.id, 12);
    assert_eq!(order.amount, None);
    // Nulls are absent values.
    let order = op
        .parse_response(
            &config(),
            response(
                200,
                br#"{"order":{"id":12,"status":"Expired","amount":null,"trans":null,"type":null}}"#
                    .to_vec(),
            ),
        )
        .unwrap();
    assert_eq!(order.status, OrderStatus::Expired);
    // An unknown currency: no Amount, the code is kept.
    let order = op
        .parse_response(
            &config(),
            response(
                200,
                br#"{"order":{"id":12,"status":"FullyPaid","amount":5,"currency":"XAU"}}"#.to_vec(),
            ),
        )
        .unwrap();
    assert_eq!(order.amount, None);
    assert_eq!(order.currency.as_deref(), Some("XAU"));
    for body in [
        &br#"{"order":{"id":12}}"#[..],                 // no status
        br#"{"order":{"id":13,"status":"FullyPaid"}}"#, // another order
        br#"{"order":{"id":12,"status":"FullyPaid","amount":1.234,"currency":"AZN"}}"#, // sub-qəpik
        br#"{"order":{"id":12,"status":"FullyPaid","amount":-1,"currency":"AZN"}}"#, // negative
        br#"{"order":{"id":12,"status":"FullyPaid","amount":"1e3","currency":"AZN"}}"#,
        br#"{"order":{"id":12,"status":{"x":1}}}"#,
        br#"{"order":{"id":12,"status":"FullyPaid","trans":[{"clearAmount":"abc"}]}}"#,
        br#"{"order":{"id":12,"status":"FullyPaid","storedTokens":[{"id":-5}]}}"#,
        br#"{"order":"#,
    ] {
        let r = op.parse_response(&config(), response(200, body.to_vec()));
        assert!(
            matches!(r, Err(ResponseError::Malformed { .. })),
            "{}: {r:?}",
            String::from_utf8_lossy(body)
        );
    }
}

// --- K4 / K5 -------------------------------------------------------------------------------------

#[test]
fn exec_tran_success_from_kbdoc() {
    let out = ExecTran::refund(1, azn(200))
        .parse_response(&config(), response(200, fixture("exec_tran_ok.json")))
        .unwrap();
    assert_eq!(out.approval_code.as_deref(), Some("053703"));
    assert_eq!(
        out.tran_action_id.as_deref(),
        Some("240422-13060545-000oed=")
    );
    assert_eq!(out.rid_by_pmo.as_deref(), Some("17302955"));
    assert_eq!(out.pmo_result_code, Some(PmoResultCode::Approved));
    assert!(out.is_approved());
}

#[test]
fn exec_tran_unknown_pmo_code_is_kept() {
    let out = ExecTran::credit(1)
        .parse_response(
            &config(),
            response(200, fixture("exec_tran_unknown_pmo.json")),
        )
        .unwrap();
    // FAGAN's numbering has no code 5.
    assert_eq!(out.pmo_result_code, Some(PmoResultCode::Other("5".into())));
    assert!(!out.is_approved());
    assert_eq!(out.rid_by_pmo.as_deref(), Some("17302956"));
}

#[test]
fn pmo_codes_follow_fagan_numbering() {
    // FAGAN's numbering for 5–20, matching TWO codes 500+N.
    assert_eq!(PmoResultCode::from("6"), PmoResultCode::ScaRequired);
    assert_eq!(PmoResultCode::from("10"), PmoResultCode::SelectAccount);
    assert_eq!(PmoResultCode::from("11"), PmoResultCode::ChangePvv);
    assert_eq!(PmoResultCode::from("17"), PmoResultCode::PersonalInfoError);
    assert_eq!(
        PmoResultCode::from("20"),
        PmoResultCode::PrepaidCodeNotFound
    );
    assert_eq!(
        PmoResultCode::from("20").description(),
        Some("Prepaid code not found")
    );
    assert_eq!(PmoResultCode::from("5").description(), None);
    assert_eq!(
        PmoResultCode::from("63").description(),
        Some("Limit or statement condition (61-66)")
    );
    assert_eq!(
        PmoResultCode::from("52").description(),
        Some("Invalid card")
    );
    assert_eq!(PmoResultCode::InsufficientFunds.as_str(), "59");
    assert!(!PmoResultCode::from("96").is_approved());
    assert_eq!(
        serde_json::to_string(&PmoResultCode::BadCvv2).unwrap(),
        r#""81""#
    );
}

#[test]
fn set_src_token_response_from_kbdoc() {
    let out = SetSrcToken::stored_card(1, "pw", 5125)
        .parse_response(
            &config(),
            response(200, fixture("set_src_token_response.json")),
        )
        .unwrap();
    assert_eq!(out.status, Some(OrderStatus::Preparing));
    assert_eq!(out.cvv2_auth_status, Some(AuthStatus::IneligibleOrder));
    assert_eq!(out.tds_v1_auth_status, Some(AuthStatus::IneligibleOrder));
    assert_eq!(out.tds_v2_auth_status, Some(AuthStatus::IneligibleOrder));
    assert_eq!(out.otp_aut_status, Some(AuthStatus::IneligibleOrder));
    let token = out.src_token.unwrap();
    assert_eq!(token.id, Some(6298));
    assert_eq!(token.reg_time.as_deref(), Some("2024-08-09 15:03:26"));
    assert_eq!(token.card_expiration.as_deref(), Some("1125"));
    assert_eq!(token.card_brand.as_deref(), Some("Visa"));
    assert_eq!(out.dst_token, None);
}

// --- K8 / K9 errors -----------------------------------------------------------------------------

#[test]
fn no_order_404_service_error() {
    let e = api_error(
        GetOrder::new(99999999)
            .parse_response(&config(), response(404, fixture("error_no_order_404.json"))),
    );
    assert_eq!(e.code, ErrorCode::ServiceError);
    assert_eq!(e.description.as_deref(), Some("no order found"));
    assert_eq!(e.http_status, 404);
    assert_eq!(e.details.pmo_result_code, None);
    assert!(!e.is_decline());
    assert_eq!(e.decline(), None);
    assert_eq!(
        e.to_string(),
        "Kapital get_order refused: ServiceError: no order found [HTTP 404]"
    );
}

#[test]
fn pmo_decline_is_a_declined_output() {
    // A decline is an Output (issue 12), with any HTTP status; the details are kept.
    for status in [400, 200, 500] {
        let out = ExecTran::charge_saved_card(1)
            .parse_response(
                &config(),
                response(status, fixture("error_pmo_decline.json")),
            )
            .unwrap();
        assert_eq!(out.state, azpay_core::State::Declined);
        assert!(!out.is_approved());
        assert_eq!(out.pmo_result_code, Some(PmoResultCode::InvalidCard));
        assert_eq!(out.rid_by_pmo.as_deref(), Some("17947770"));
        assert_eq!(out.approval_code, None);
        let d = out.decline.unwrap();
        assert_eq!(d.pmo_result_code, Some(PmoResultCode::InvalidCard));
        assert_eq!(
            d.description.as_deref(),
            Some("Card not found for MBR calculation. PAN=416974******1778, ExpDate from Track2 (YYMM)=2511")
        );
        assert_eq!(d.decline_reason.as_deref(), Some("SrcCardInvalid"));
        assert_eq!(d.rid_by_pmo.as_deref(), Some("17947770"));
        assert!(d
            .to_string()
            .starts_with("declined (pmoResultCode 52): Card not found"));
    }
    // The error body itself still reads as a typed decline for a caller parsing by hand
    // (another operation than exec-tran keeps it an error).
    let e = api_error(
        GetOrder::new(1)
            .parse_response(&config(), response(400, fixture("error_pmo_decline.json"))),
    );
    assert_eq!(e.code, ErrorCode::PmoDecline);
    assert_eq!(e.http_status, 400);
    assert!(e.is_decline());
    assert_eq!(e.details.pmo_result_code, Some(PmoResultCode::InvalidCard));
    assert_eq!(e.details.decline_reason.as_deref(), Some("SrcCardInvalid"));
    assert_eq!(e.details.rid_by_pmo.as_deref(), Some("17947770"));
}

#[test]
fn decline_without_details_falls_back_to_the_code_table() {
    let out = ExecTran::charge_saved_card(1)
        .parse_response(
            &config(),
            response(
                400,
                br#"{"errorCode":"PmoDecline","errorDetails":{"pmoResultCode":"59"}}"#.to_vec(),
            ),
        )
        .unwrap();
    assert_eq!(out.state, azpay_core::State::Declined);
    let d = out.decline.unwrap();
    assert_eq!(d.description.as_deref(), Some("Insufficient funds"));
}

#[test]
fn unknown_error_code_is_kept() {
    let e = api_error(
        ExecTran::charge_saved_card(1)
            .parse_response(&config(), response(422, fixture("error_unknown_code.json"))),
    );
    assert_eq!(e.code, ErrorCode::Other("QuotaExceeded".into()));
    assert_eq!(e.code.as_str(), "QuotaExceeded");
    assert_eq!(
        e.details.pmo_result_code,
        Some(PmoResultCode::Other("63".into()))
    );
    assert_eq!(e.details.decline_reason.as_deref(), Some("Limit"));
    assert!(!e.is_decline());
}

#[test]
fn every_documented_error_code_parses() {
    for code in [
        "InvalidAmt",
        "InvalidRequest",
        "InvalidTran",
        "InvalidTranLink",
        "TranProhibited",
        "ActionAppException",
        "CantChooseSettleAcct",
        "PmoIfaceNotFound",
        "PmoDecline",
        "PmoUnreachable",
        "InvalidCert",
        "InvalidLogin",
        "InvalidOrderState",
        "InvalidUserSession",
        "NeedChangePwd",
        "OperationProhibited",
        "PwdTryLimitExceeded",
        "UserSessionExpired",
        "CofpDecline",
        "CofpUnreachable",
        "InvalidToken",
        "InvalidAutStatus",
        "ConsumerNotFound",
        "InvalidConsumer",
        "InvalidSecret",
        "SecretTryLimit",
        "ServiceError",
    ] {
        let parsed = ErrorCode::from(code);
        assert!(!matches!(parsed, ErrorCode::Other(_)), "{code}");
        assert_eq!(parsed.as_str(), code);
    }
}

#[test]
fn non_json_and_unexpected_statuses() {
    let op = GetOrder::new(1);
    // 2xx but not JSON: malformed, body kept.
    match op.parse_response(&config(), response(200, b"<html>oops</html>".to_vec())) {
        Err(ResponseError::Malformed { body, .. }) => {
            assert_eq!(body.as_bytes(), b"<html>oops</html>")
        }
        other => panic!("{other:?}"),
    }
    // Non-2xx without an error body: Status, whatever the body.
    for body in [
        &b"<html>Bad Gateway</html>"[..],
        b"",
        br#"{"order":{"id":1,"status":"FullyPaid"}}"#,
        br#"{"message":"x"}"#,
    ] {
        match op.parse_response(&config(), response(502, body.to_vec())) {
            Err(ResponseError::Status { status, body: raw }) => {
                assert_eq!(status, 502);
                assert_eq!(raw.as_bytes(), body);
            }
            other => panic!("{other:?}"),
        }
    }
    // An error body wins over a 2xx status (not only 200 is success).
    let e = api_error(op.parse_response(
        &config(),
        response(200, br#"{"errorCode":"InvalidLogin"}"#.to_vec()),
    ));
    assert_eq!(e.code, ErrorCode::InvalidLogin);
    assert_eq!(e.description, None);
    // 201 with a normal body is fine.
    assert!(op
        .parse_response(
            &config(),
            response(201, br#"{"order":{"id":1,"status":"FullyPaid"}}"#.to_vec())
        )
        .is_ok());
}

#[test]
fn oversized_body_is_refused() {
    let mut body = br#"{"order":{"id":1,"status":"FullyPaid","title":""#.to_vec();
    body.extend(std::iter::repeat_n(b'a', azpay_core::MAX_BODY_BYTES));
    body.extend(br#""}}"#);
    let r = GetOrder::new(1).parse_response(&config(), response(200, body));
    assert!(matches!(r, Err(ResponseError::TooLarge { .. })), "{r:?}");
}

#[test]
fn hostile_bodies_never_panic() {
    let op = GetOrder::new(1);
    let cases: Vec<Vec<u8>> = vec![
        vec![0xff, 0xfe, 0x00],
        b"[]".to_vec(),
        b"null".to_vec(),
        b"{\"order\":[]}".to_vec(),
        b"{\"errorCode\":null}".to_vec(),
        b"{\"errorCode\":{}}".to_vec(),
        b"{\"order\":{\"id\":99999999999999999999999,\"status\":\"x\"}}".to_vec(),
        "[".repeat(10_000).into_bytes(),
    ];
    for body in cases {
        for status in [200, 400, 404, 500] {
            let _ = op.parse_response(&config(), response(status, body.clone()));
            let _ = ExecTran::credit(1).parse_response(&config(), response(status, body.clone()));
        }
    }
}
