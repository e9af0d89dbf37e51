//! TWEC responses: the samples of Kapital's TWEC document, Status codes, tolerance (case,
//! unknown elements, both GetOrderStatus layouts) and safety (DOCTYPE, size, depth).

use azpay_core::twec::{
    ApiError, Completion, Config, CreateOrder, GetOrderInformation, GetOrderStatus, OrderStatus,
    Refund, Reverse, StatusCode,
};
use azpay_core::{Amount, Currency, HttpResponse, Operation, ResponseError};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/twec/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ok(body: impl Into<Vec<u8>>) -> HttpResponse {
    http::Response::new(body.into())
}

fn with_status(status: u16, body: impl Into<Vec<u8>>) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .body(body.into())
        .unwrap()
}

fn config() -> Config {
    Config::kapital_test("E1000010")
}

fn status() -> GetOrderStatus {
    GetOrderStatus::new("86166", "4195BE06C8BC8BBDA9CF1B55FD403E24")
}

fn info() -> GetOrderInformation {
    GetOrderInformation::new("14008766", "277F3E926B1FADDA45E449B0C0E8CF76")
}

fn create() -> CreateOrder {
    CreateOrder::purchase(Amount::from_minor(100, Currency::AZN), "d")
}

#[test]
fn create_order_rcb_sample() {
    let out = create()
        .parse_response(&config(), ok(fixture("resp_create_order_rcb.xml")))
        .unwrap();
    assert_eq!(out.order_id, "86166");
    assert_eq!(out.session_id, "4195BE06C8BC8BBDA9CF1B55FD403E24");
    assert_eq!(out.url, "https://mpi.rcbcy.com/index.jsp");
    assert_eq!(
        out.payment_url(),
        "https://mpi.rcbcy.com/index.jsp?ORDERID=86166&SESSIONID=4195BE06C8BC8BBDA9CF1B55FD403E24"
    );
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(json["payment_url"], out.payment_url());
    assert_eq!(json["order_id"], "86166");
}

#[test]
fn payment_url_percent_encodes_and_respects_an_existing_query() {
    let body = "<TKKPG><Response><Status>00</Status><Order><OrderID>a b&amp;c</OrderID>\
                <SessionID>x+y/z=</SessionID><URL>https://pay.example/index.jsp?lang=az</URL>\
                </Order></Response></TKKPG>";
    let out = create().parse_response(&config(), ok(body)).unwrap();
    assert_eq!(
        out.payment_url(),
        "https://pay.example/index.jsp?lang=az&ORDERID=a%20b%26c&SESSIONID=x%2By%2Fz%3D"
    );
}

#[test]
fn create_order_missing_session_is_malformed() {
    let body = "<TKKPG><Response><Status>00</Status><Order><OrderID>1</OrderID><URL>u</URL></Order></Response></TKKPG>";
    let e = create().parse_response(&config(), ok(body)).unwrap_err();
    assert!(
        matches!(&e, ResponseError::Malformed { reason, .. } if reason.contains("SessionID")),
        "{e:?}"
    );
}

#[test]
fn get_order_status_sample_keeps_a_receipt_that_is_not_base64() {
    let out = status()
        .parse_response(&config(), ok(fixture("resp_get_order_status.xml")))
        .unwrap();
    assert_eq!(out.order_id, "86166");
    assert_eq!(out.order_status, OrderStatus::Approved);
    assert_eq!(out.receipt, None);
    assert_eq!(out.receipt_text.as_deref(), Some("BASE64…"));
}

#[test]
fn get_order_status_decodes_a_base64_receipt() {
    let body = "<TKKPG><Response><Operation>GetOrderStatus</Operation><Status>00</Status>\
                <Order><OrderID>86166</OrderID><OrderStatus>DECLINED</OrderStatus></Order>\
                <AdditionalInfo><Receipt>\n  w7Zk yZluacWfIDEwLjUw\n</Receipt></AdditionalInfo></Response></TKKPG>";
    let out = status().parse_response(&config(), ok(body)).unwrap();
    assert_eq!(out.order_status, OrderStatus::Declined);
    assert!(out.order_status.is_declined());
    assert_eq!(out.receipt.as_deref(), Some("ödəniş 10.50".as_bytes()));
}

#[test]
fn get_order_status_directly_under_response_and_any_case() {
    // eyvazoff/kapitalbank reads OrderID/OrderStatus directly under Response.
    let body = "<tkkpg><response><operation>GetOrderStatus</operation><status>00</status>\
                <orderid>86166</orderid><Orderstatus>preauth-approved</Orderstatus>\
                <Unknown><Deep>x</Deep></Unknown></response></tkkpg>";
    let out = status().parse_response(&config(), ok(body)).unwrap();
    assert_eq!(out.order_id, "86166");
    assert_eq!(out.order_status, OrderStatus::PreauthApproved);
    assert_eq!(out.receipt_text, None);
}

#[test]
fn get_order_status_unknown_status_and_cancelled_spellings() {
    for (wire, expected) in [
        ("CANCELED", OrderStatus::Canceled),
        ("CANCELLED", OrderStatus::Canceled),
        ("ON-HOLD", OrderStatus::Other("ON-HOLD".into())),
    ] {
        let body = format!(
            "<TKKPG><Response><Status>00</Status><Order><OrderID>1</OrderID>\
             <OrderStatus>{wire}</OrderStatus></Order></Response></TKKPG>"
        );
        let out = status().parse_response(&config(), ok(body)).unwrap();
        assert_eq!(out.order_status, expected);
    }
    // No OrderID in the answer: the one asked about.
    let body = "<TKKPG><Response><Status>00</Status><Order><OrderStatus>EXPIRED</OrderStatus></Order></Response></TKKPG>";
    let out = status().parse_response(&config(), ok(body)).unwrap();
    assert_eq!(out.order_id, "86166");
    assert_eq!(out.order_status, OrderStatus::Expired);
}

#[test]
fn get_order_status_without_a_status_is_malformed() {
    let body = "<TKKPG><Response><Status>00</Status><Order><OrderID>1</OrderID></Order></Response></TKKPG>";
    assert!(matches!(
        status().parse_response(&config(), ok(body)),
        Err(ResponseError::Malformed { .. })
    ));
    let body =
        "<TKKPG><Response><Order><OrderStatus>APPROVED</OrderStatus></Order></Response></TKKPG>";
    assert!(matches!(
        status().parse_response(&config(), ok(body)),
        Err(ResponseError::Malformed { reason, .. }) if reason.contains("Status")
    ));
}

fn api_error<T: std::fmt::Debug>(r: Result<T, ResponseError<ApiError>>) -> ApiError {
    match r {
        Err(ResponseError::Api(a)) => a,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[test]
fn s1_status_30_sample_is_a_typed_error() {
    let e = api_error(
        status().parse_response(&config(), ok(fixture("resp_get_order_status_s1_fixed.xml"))),
    );
    assert_eq!(e.status, StatusCode::FormatError);
    assert_eq!(e.operation, "GetOrderStatus");
    assert_eq!(
        e.to_string(),
        "TWEC GetOrderStatus refused: Status 30 (wrong message format (mandatory fields missing, etc.))"
    );
}

#[test]
fn every_documented_status_code() {
    let cases = [
        ("10", StatusCode::NoAccess),
        ("30", StatusCode::FormatError),
        ("54", StatusCode::InvalidOperation),
        ("96", StatusCode::SystemError),
        ("77", StatusCode::Other("77".into())),
    ];
    for (code, expected) in cases {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><TKKPG><Response><Operation>CreateOrder</Operation>\
             <Status>{code}</Status></Response></TKKPG>"
        );
        let e = api_error(create().parse_response(&config(), ok(body.clone())));
        assert_eq!(e.status, expected);
        assert_eq!(e.status.as_str(), code);
        assert_eq!(e.operation, "CreateOrder");
        assert_eq!(e.status.description().is_some(), code != "77");
        // The same for every operation.
        let r = Refund::new("1", "S", Amount::from_minor(1, Currency::AZN))
            .parse_response(&config(), ok(body.clone()));
        assert_eq!(api_error(r).operation, "Refund");
        let r = info().parse_response(&config(), ok(body));
        assert_eq!(api_error(r).status, expected);
    }
    assert!(StatusCode::parse("00").is_success());
    assert_eq!(StatusCode::SystemError.description(), Some("system error"));
}

#[test]
fn http_errors() {
    // A TKKPG error body on a 500 is still the typed error.
    let body = "<TKKPG><Response><Status>96</Status></Response></TKKPG>";
    let e = api_error(status().parse_response(&config(), with_status(500, body)));
    assert_eq!(e.status, StatusCode::SystemError);
    // Anything else on a non-2xx is a Status error with the body kept.
    match status().parse_response(&config(), with_status(502, "<html>Bad gateway")) {
        Err(ResponseError::Status { status, body }) => {
            assert_eq!(status, 502);
            assert_eq!(body.as_bytes(), b"<html>Bad gateway");
        }
        other => panic!("{other:?}"),
    }
    // A success Status on a 503 is still not a success.
    let body = "<TKKPG><Response><Status>00</Status><Order><OrderStatus>APPROVED</OrderStatus></Order></Response></TKKPG>";
    assert!(matches!(
        status().parse_response(&config(), with_status(503, body)),
        Err(ResponseError::Status { .. })
    ));
}

#[test]
fn get_order_information_s1_row() {
    let out = info()
        .parse_response(&config(), ok(fixture("resp_get_order_information_s1.xml")))
        .unwrap();
    assert_eq!(out.id.as_deref(), Some("15859914"));
    assert_eq!(
        out.session_id.as_deref(),
        Some("02447E3150B781C426638A03706030A5")
    );
    assert_eq!(out.create_date.as_deref(), Some("2021-02-22 10:43:36"));
    assert_eq!(out.last_update_date.as_deref(), Some("2021-02-22 10:44:24"));
    assert_eq!(out.pay_date.as_deref(), Some("2021-02-22 10:44:24"));
    assert_eq!(out.merchant_id.as_deref(), Some("E1000010"));
    assert_eq!(out.amount, Some(Amount::from_minor(328, Currency::AZN)));
    assert_eq!(out.amount_minor, Some(328));
    assert_eq!(out.currency.as_deref(), Some("944"));
    assert_eq!(out.order_language.as_deref(), Some("EN"));
    assert_eq!(out.description.as_deref(), Some("xxxxx"));
    assert_eq!(out.approve_url.as_deref(), Some("app.com"));
    assert_eq!(out.cancel_url.as_deref(), Some("can.com"));
    assert_eq!(out.decline_url.as_deref(), Some("dec.com"));
    assert_eq!(out.order_status, Some(OrderStatus::Approved));
    assert_eq!(out.receipt, None);
    assert_eq!(out.two_id.as_deref(), Some("2292054"));
    assert_eq!(
        out.refund_amount,
        Some(Amount::from_minor(0, Currency::AZN))
    );
    assert_eq!(out.refund_currency, None, "'null' is no currency");
    assert_eq!(out.ext_system_process.as_deref(), Some("0"));
    assert_eq!(out.order_type.as_deref(), Some("Purchase"));
    assert_eq!(out.order_sub_type, None);
    assert_eq!(out.fee_minor, Some(0));
    assert_eq!(out.email, None);
    assert_eq!(out.refund_date, None, "0000-00-00 00:00:00 is no date");
    assert_eq!(out.two_date.as_deref(), Some("210222"));
    assert_eq!(out.two_time.as_deref(), Some("104424"));
    assert!(out.other.is_empty(), "{:?}", out.other);
}

#[test]
fn get_order_information_wrapped_in_tkkpg_response_is_the_same() {
    let bare = info()
        .parse_response(&config(), ok(fixture("resp_get_order_information_s1.xml")))
        .unwrap();
    let wrapped = info()
        .parse_response(
            &config(),
            ok(fixture("resp_get_order_information_wrapped.xml")),
        )
        .unwrap();
    assert_eq!(bare, wrapped);
}

#[test]
fn get_order_information_case_variants_unknown_fields_and_refunds() {
    let body = "<TKKPG><Response><Status>00</Status><Order><row><ID>9</ID><SessionId>S</SessionId>\
                <OrderStatus>REFUNDED</OrderStatus><TwoId>77</TwoId><Amount>1050</Amount><Currency>840</Currency>\
                <RefundAmount>500</RefundAmount><RefundCurrency>840</RefundCurrency>\
                <RefundDate>2021-03-01 09:00:00</RefundDate><Description> two  spaces </Description>\
                <NewField>v</NewField><Params><p>1</p></Params></row></Order></Response></TKKPG>";
    let out = info().parse_response(&config(), ok(body)).unwrap();
    assert_eq!(out.id.as_deref(), Some("9"));
    assert_eq!(out.session_id.as_deref(), Some("S"));
    assert_eq!(out.order_status, Some(OrderStatus::Refunded));
    assert_eq!(out.two_id.as_deref(), Some("77"));
    assert_eq!(out.amount, Some(Amount::from_minor(1050, Currency::USD)));
    assert_eq!(
        out.refund_amount,
        Some(Amount::from_minor(500, Currency::USD))
    );
    assert_eq!(out.refund_date.as_deref(), Some("2021-03-01 09:00:00"));
    assert_eq!(out.description.as_deref(), Some(" two  spaces "));
    assert_eq!(out.other, vec![("NewField".to_owned(), "v".to_owned())]);
    // Missing fields are None; an amount that is no integer is malformed.
    let out = info()
        .parse_response(&config(), ok("<Order><row><id>1</id></row></Order>"))
        .unwrap();
    assert_eq!(out.amount, None);
    assert_eq!(out.order_status, None);
    assert!(matches!(
        info().parse_response(
            &config(),
            ok("<Order><row><Amount>3.28</Amount></row></Order>")
        ),
        Err(ResponseError::Malformed { .. })
    ));
    for not_minor_units in ["+328", "-328", "3e2", ""] {
        let body = format!("<Order><row><Amount>{not_minor_units}</Amount></row></Order>");
        let parsed = info().parse_response(&config(), ok(body.clone()));
        if not_minor_units.is_empty() {
            // An empty element is an absent value, not a malformed one.
            assert_eq!(parsed.unwrap().amount, None);
        } else {
            assert!(
                matches!(parsed, Err(ResponseError::Malformed { .. })),
                "{not_minor_units:?}: {parsed:?}"
            );
        }
    }
    assert!(matches!(
        info().parse_response(&config(), ok("<Something/>")),
        Err(ResponseError::Malformed { .. })
    ));
}

#[test]
fn completion_sky_sample() {
    let op = Completion::new("1", "S", Amount::from_minor(100, Currency::AZN));
    let out = op
        .parse_response(&config(), ok(fixture("resp_completion_sky.xml")))
        .unwrap();
    assert_eq!(out.operation.as_deref(), Some("Completion"));
    let code = out.response_code.clone().unwrap();
    assert_eq!(code.as_str(), "001");
    assert_eq!(code.description(), Some("Approved, no balances available"));
    assert!(!out.is_declined());
    assert_eq!(out.details.len(), 6);
    assert_eq!(out.details[1], ("F".to_owned(), "491385 A".to_owned()));
    assert_eq!(
        out.details[3],
        ("a".to_owned(), "F100#C643#R01#".to_owned())
    );
}

#[test]
fn reverse_and_refund_answers() {
    let rev = Reverse::new("1", "S");
    let out = rev
        .parse_response(
            &config(),
            ok("<TKKPG><Response><Operation>Reverse</Operation><Status>00</Status></Response></TKKPG>"),
        )
        .unwrap();
    assert_eq!(out.operation.as_deref(), Some("Reverse"));
    assert_eq!(out.response_code, None);
    // Unified Payment's Reversal block.
    let out = rev
        .parse_response(
            &config(),
            ok("<TKKPG><Response><Operation>Reverse</Operation><Status>00</Status>\
                <Order><OrderID>1086880</OrderID><OrderStatus>CANCELED</OrderStatus></Order>\
                <Reversal><RespCode>876</RespCode><RespMessage>resp-message</RespMessage></Reversal>\
                </Response></TKKPG>"),
        )
        .unwrap();
    assert_eq!(out.order_id.as_deref(), Some("1086880"));
    assert_eq!(out.order_status, Some(OrderStatus::Canceled));
    assert_eq!(out.response_code.as_ref().map(|c| c.as_str()), Some("876"));
    assert!(out.is_declined());
    assert_eq!(out.details.len(), 2);
    // Kapital's refund without merchant funds.
    let refund = Refund::new("1", "S", Amount::from_minor(1, Currency::AZN));
    let out = refund
        .parse_response(
            &config(),
            ok(
                "<TKKPG><Response><Operation>Refund</Operation><Status>00</Status>\
                <ResponseCode>205</ResponseCode></Response></TKKPG>",
            ),
        )
        .unwrap();
    assert!(out.is_declined());
    assert!(out
        .response_code
        .unwrap()
        .description()
        .unwrap()
        .contains("refund"));
}

#[test]
fn doctype_and_entities_are_refused() {
    for name in ["doctype_billion_laughs.xml", "doctype_external_entity.xml"] {
        let r = status().parse_response(&config(), ok(fixture(name)));
        assert!(
            matches!(&r, Err(ResponseError::Malformed { reason, .. }) if reason.contains("DOCTYPE")),
            "{name}: {r:?}"
        );
        let r = create().parse_response(&config(), ok(fixture(name)));
        assert!(matches!(r, Err(ResponseError::Malformed { .. })));
    }
    // An undeclared entity without a DOCTYPE.
    let body = "<TKKPG><Response><Status>00</Status><Order><OrderID>&xxe;</OrderID><OrderStatus>APPROVED</OrderStatus></Order></Response></TKKPG>";
    assert!(matches!(
        status().parse_response(&config(), ok(body)),
        Err(ResponseError::Malformed { .. })
    ));
}

#[test]
fn size_and_depth_are_bounded() {
    let mut big = b"<TKKPG><Response><Status>00</Status><X>".to_vec();
    big.resize(azpay_core::MAX_BODY_BYTES + 1, b'a');
    assert!(matches!(
        status().parse_response(&config(), ok(big)),
        Err(ResponseError::TooLarge { .. })
    ));
    let deep = format!(
        "<TKKPG><Response><Status>00</Status>{}{}</Response></TKKPG>",
        "<a>".repeat(200),
        "</a>".repeat(200)
    );
    assert!(matches!(
        status().parse_response(&config(), ok(deep)),
        Err(ResponseError::Malformed { reason, .. }) if reason.contains("deeper")
    ));
    // An unclosed flood of start tags: refused, no stack overflow.
    let flood = "<a>".repeat(300_000);
    assert!(status().parse_response(&config(), ok(flood)).is_err());
}

#[test]
fn garbage_never_panics() {
    let samples: [&[u8]; 10] = [
        b"",
        b"\xff\xfe\x00<",
        b"<",
        b"<TKKPG>",
        b"<TKKPG><Response><Status>00</Status></Response>",
        b"</a>",
        b"<a></b>",
        b"<?xml version='1.0'?>",
        b"<TKKPG><Response><Status>00</Status></Response></TKKPG><extra/>",
        b"<a b='1' b='2'/>",
    ];
    for s in samples {
        assert!(
            status().parse_response(&config(), ok(s.to_vec())).is_err(),
            "{s:?}"
        );
        assert!(
            info().parse_response(&config(), ok(s.to_vec())).is_err(),
            "{s:?}"
        );
    }
    // Malformed keeps the body but Debug shows only a prefix.
    let e = status()
        .parse_response(&config(), ok(vec![b'<'; 5000]))
        .unwrap_err();
    assert!(format!("{e:?}").len() < 400);
}

#[test]
fn s1_mislabelled_request_wrapper_is_tolerated_but_its_broken_receipt_tag_is_not() {
    // Kapital's TWEC document labels its GetOrderStatus answer <Request>; a Status inside it is
    // still read.
    let relabelled = "<TKKPG><Request><Operation>GetOrderStatus</Operation><Status>30</Status>\
                      <Order><OrderID></OrderID><OrderStatus></OrderStatus></Order></Request></TKKPG>";
    assert_eq!(
        api_error(status().parse_response(&config(), ok(relabelled))).status,
        StatusCode::FormatError
    );
    // Kapital's TWEC document verbatim (`Receipt>` without `<`) is not well-formed XML.
    let verbatim = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TKKPG>\n<Request>\n\
                    <Operation>GetOrderStatus</Operation>\n<Status>30</Status>\n<Order>\n<OrderID></OrderID>\n\
                    <OrderStatus></OrderStatus>\n</Order>\n<AdditionalInfo>\nReceipt>BASE64-encode-info</Receipt>\n\
                    </AdditionalInfo>\n</Request>\n</TKKPG>";
    assert!(matches!(
        status().parse_response(&config(), ok(verbatim)),
        Err(ResponseError::Malformed { .. })
    ));
}
