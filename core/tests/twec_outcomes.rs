//! TWEC outcomes (issue 12): the uniform `state` of every output on the real published
//! answer shapes, the refund that needs the TwoId (`RefundPayment`), no empty elements,
//! Kapital's 944-only currency, the vendor's raw `&`, and "empty" versus "missing".

use std::cell::RefCell;

use azpay_core::twec::{
    self, Completion, Config, GetOrderInformation, GetOrderStatus, OrderStatus, Refund,
    RefundPayment, RequestForm, ResponseCode, Reverse, StatusCode,
};
use azpay_core::{
    execute, execute_flow, Amount, Currency, Error, HttpRequest, HttpResponse, Operation,
    ResponseError, State, TransportError,
};

const AZN: Currency = Currency::AZN;
const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/twec/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ok(body: impl Into<Vec<u8>>) -> HttpResponse {
    http::Response::new(body.into())
}

fn body(r: &HttpRequest) -> String {
    String::from_utf8(r.body().clone()).unwrap()
}

fn kapital() -> Config {
    Config::kapital_test("E1000010")
}

// ---- states ---------------------------------------------------------------------------------

#[test]
fn every_order_status_word_has_its_state() {
    for (word, state) in [
        ("APPROVED", State::Done),
        ("PREAUTH-APPROVED", State::Done),
        ("REFUNDED", State::Returned),
        ("REVERSED", State::Returned),
        ("DECLINED", State::Declined),
        ("CANCELED", State::Declined),
        ("CANCELLED", State::Declined),
        ("EXPIRED", State::Declined),
        ("ERROR", State::Declined),
        ("CREATED", State::Pending),
        ("ON-PAYMENT", State::Pending),
        ("ON-LOCK", State::Pending),
        ("ON-REFUND", State::Pending),
        ("ON-HOLD", State::Pending),
        ("", State::Pending),
        ("approved", State::Done),
        (" Reversed ", State::Returned),
    ] {
        assert_eq!(OrderStatus::parse(word).state(), state, "{word:?}");
    }
    assert_eq!(OrderStatus::parse("REVERSED"), OrderStatus::Reversed);
    assert!(OrderStatus::Reversed.description().is_some());
}

#[test]
fn request_status_codes_11_55_72_97_98_are_known_refusals() {
    for code in ["11", "55", "72", "97", "98"] {
        let s = StatusCode::parse(code);
        assert!(!matches!(s, StatusCode::Other(_)), "{code}");
        assert_eq!(s.as_str(), code);
        assert!(s.description().unwrap().contains(code), "{code}");
        assert_eq!(s.state(), None, "{code}");
        // A refusal is an error naming the code and its description, never an outcome.
        let answer = format!(
            "<TKKPG><Response><Operation>Refund</Operation><Status>{code}</Status></Response></TKKPG>"
        );
        let e = Refund::new("1", "S", Amount::from_minor(1, AZN))
            .tran_id("7")
            .parse_response(&kapital(), ok(answer))
            .unwrap_err();
        let ResponseError::Api(api) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(api.status, s);
        assert!(e.to_string().contains(s.description().unwrap()), "{e}");
    }
    assert_eq!(StatusCode::parse("00").state(), Some(State::Done));
    assert_eq!(StatusCode::parse("96").state(), None);
}

#[test]
fn response_codes_of_actions() {
    assert_eq!(ResponseCode::new("001").action_state(), State::Done);
    assert_eq!(ResponseCode::new("000").action_state(), State::Done);
    assert_eq!(ResponseCode::new("076").action_state(), State::Declined);
    assert_eq!(ResponseCode::new("205").action_state(), State::Declined);
    assert_eq!(ResponseCode::new("96").action_state(), State::Pending);
    assert_eq!(ResponseCode::new("x").action_state(), State::Pending);
}

// ---- real published shapes ------------------------------------------------------------------

#[test]
fn completion_with_the_vendors_raw_ampersand_is_read() {
    // The vendor's instruction writes `&F1000#&C643#&R01#` with bare `&` in an attribute.
    let op = Completion::new("1", "S", Amount::from_minor(1000, AZN));
    let out = op
        .parse_response(&kapital(), ok(fixture("resp_completion_vendor_amp.xml")))
        .unwrap();
    assert_eq!(out.state, State::Done);
    assert_eq!(out.response_code.as_ref().unwrap().as_str(), "001");
    assert!(out
        .details
        .contains(&("a".to_owned(), "&F1000#&C643#&R01#".to_owned())));
    // SKY's Completion (no raw `&`) reads the same way.
    let sky = op
        .parse_response(&kapital(), ok(fixture("resp_completion_sky.xml")))
        .unwrap();
    assert_eq!(sky.state, State::Done);
}

#[test]
fn an_empty_status_says_empty_not_missing() {
    let op = Completion::new("1", "S", Amount::from_minor(1000, AZN));
    let e = op
        .parse_response(
            &kapital(),
            ok(fixture("resp_completion_forte_empty_status.xml")),
        )
        .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("Response/Status is empty"), "{text}");
    assert!(!text.contains("no Response/Status"), "{text}");
    // Through execute, an unreadable answer to a Completion is outcome unknown.
    let t = |_: HttpRequest| -> Result<HttpResponse, TransportError> {
        Ok(ok(fixture("resp_completion_forte_empty_status.xml")))
    };
    let e = execute(&op, &kapital(), &t).unwrap_err();
    assert!(e.may_have_happened(), "{e}");
    // A missing one still says missing.
    let e = op
        .parse_response(
            &kapital(),
            ok("<TKKPG><Response><Operation>Completion</Operation></Response></TKKPG>"),
        )
        .unwrap_err();
    assert!(e.to_string().contains("no Response/Status element"), "{e}");
    // An empty OrderStatus likewise.
    let e = GetOrderStatus::new("1", "S")
        .parse_response(
            &kapital(),
            ok(
                "<TKKPG><Response><Operation>GetOrderStatus</Operation><Status>00</Status>\
                <Order><OrderID>1</OrderID><OrderStatus></OrderStatus></Order></Response></TKKPG>",
            ),
        )
        .unwrap_err();
    assert!(e.to_string().contains("OrderStatus is empty"), "{e}");
}

#[test]
fn reverse_and_refund_answers_as_published() {
    let rev = Reverse::new("1234", "S");
    let out = rev
        .parse_response(&kapital(), ok(fixture("resp_reverse_forte.xml")))
        .unwrap();
    assert_eq!(out.state, State::Done);
    assert_eq!(out.order_id.as_deref(), Some("1234"));
    assert_eq!(out.response_code.as_ref().unwrap().as_str(), "001");
    let refused = rev
        .parse_response(&kapital(), ok(fixture("resp_reverse_forte_refused.xml")))
        .unwrap();
    // `96` is not a code of the response table: undecided, never done.
    assert_eq!(refused.state, State::Pending);
    let refund = Refund::new("1", "S", Amount::from_minor(100, AZN)).tran_id("7");
    let out = refund
        .parse_response(&kapital(), ok(fixture("resp_refund_forte.xml")))
        .unwrap();
    assert_eq!(out.state, State::Done);
    assert_eq!(out.operation.as_deref(), Some("Refund"));
    assert!(out.response_code.is_none());
    // A declining host code is a decline, an output.
    let declined = refund
        .parse_response(
            &kapital(),
            ok("<TKKPG><Response><Operation>Refund</Operation><Status>00</Status>\
                <POSResponse><l name=\"ResponseCode\" value=\"205\"/></POSResponse></Response></TKKPG>"),
        )
        .unwrap();
    assert_eq!(declined.state, State::Declined);
}

#[test]
fn status_and_information_states_on_published_shapes() {
    let status = GetOrderStatus::new("86166", "S")
        .parse_response(&kapital(), ok(fixture("resp_get_order_status.xml")))
        .unwrap();
    assert_eq!(status.order_status, OrderStatus::Approved);
    assert_eq!(status.state, State::Done);
    let info = GetOrderInformation::new("14008766", "S");
    let s1 = info
        .parse_response(&kapital(), ok(fixture("resp_get_order_information_s1.xml")))
        .unwrap();
    assert_eq!(s1.state, State::Done);
    assert_eq!(s1.payment_two_id(), Some("2292054"));
    let wrapped = info
        .parse_response(
            &kapital(),
            ok(fixture("resp_get_order_information_wrapped.xml")),
        )
        .unwrap();
    assert_eq!(wrapped.state, State::Done);
    let declined = info
        .parse_response(
            &kapital(),
            ok(fixture("resp_get_order_information_forte_declined.xml")),
        )
        .unwrap();
    assert_eq!(declined.state, State::Declined);
    assert_eq!(declined.payment_two_id(), None);
    let created = twec::CreateOrder::purchase(Amount::from_minor(1, AZN), "d")
        .parse_response(&kapital(), ok(fixture("resp_create_order_rcb.xml")))
        .unwrap();
    assert_eq!(created.state, State::Done);
}

#[test]
fn xmlout_is_pending_until_status_confirms_signed_or_not() {
    for name in [
        "xmlout_tdb_signed.xml",
        "xmlout_tdb_signed.b64",
        "xmlout_kapital_constructed.xml",
        "xmlout_kapital_constructed.form_b64",
    ] {
        let msg = twec::parse_xmlout(&fixture(name)).unwrap();
        assert_eq!(msg.state, State::Pending, "{name}");
        assert_eq!(msg.unverified_state(), State::Done, "{name}");
        let json = serde_json::to_value(&msg).unwrap();
        assert_eq!(json["state"], "pending", "{name}");
    }
    assert!(twec::parse_xmlout(&fixture("xmlout_tdb_signed.xml"))
        .unwrap()
        .has_signature());
}

// ---- requests: no empty elements, currency ----------------------------------------------------

#[test]
fn refund_and_reverse_send_a_default_description_never_an_empty_element() {
    let refund = Refund::new("7", "S", Amount::from_minor(100, AZN)).tran_id("2292054");
    assert_eq!(
        body(&refund.build_request(&kapital()).unwrap()),
        format!(
            "{DECL}<TKKPG><Request><Operation>Refund</Operation><Language>EN</Language><Order>\
             <Merchant>E1000010</Merchant><OrderID>7</OrderID><Positions><Position>\
             <PaymentSubjectType>1</PaymentSubjectType><Quantity>1</Quantity><Price>1</Price>\
             <Tax>1</Tax><Text>name position</Text><PaymentType>2</PaymentType>\
             <PaymentMethodType>1</PaymentMethodType></Position></Positions></Order>\
             <Description>Refund of order 7</Description><SessionID>S</SessionID><Refund>\
             <Amount>100</Amount><Currency>944</Currency><WithFee>false</WithFee></Refund>\
             <TranId>2292054</TranId><Source>1</Source></Request></TKKPG>"
        )
    );
    // A blank description gets the default too.
    let blank = refund.clone().description("  ");
    assert!(body(&blank.build_request(&kapital()).unwrap())
        .contains("<Description>Refund of order 7</Description>"));
    assert_eq!(
        body(&Reverse::new("7", "S").build_request(&kapital()).unwrap()),
        format!(
            "{DECL}<TKKPG><Request><Operation>Reverse</Operation><Language>EN</Language><Order>\
             <Merchant>E1000010</Merchant><OrderID>7</OrderID><Positions><Position>\
             <PaymentSubjectType>1</PaymentSubjectType><Quantity>1</Quantity>\
             <PaymentType>2</PaymentType><PaymentMethodType>1</PaymentMethodType></Position>\
             </Positions></Order><Description>Reverse of order 7</Description>\
             <SessionID>S</SessionID><Source>1</Source></Request></TKKPG>"
        )
    );
    // The generic form leaves an absent or blank description out.
    let generic = kapital().form(RequestForm::Generic);
    for op in [
        Reverse::new("7", "S"),
        Reverse::new("7", "S").description(""),
    ] {
        assert_eq!(
            body(&op.build_request(&generic).unwrap()),
            format!(
                "{DECL}<TKKPG><Request><Operation>Reverse</Operation><Language>EN</Language>\
                 <Order><Merchant>E1000010</Merchant><OrderID>7</OrderID></Order>\
                 <SessionID>S</SessionID></Request></TKKPG>"
            )
        );
    }
    let completion = Completion::new("7", "S", Amount::from_minor(100, AZN)).description(" ");
    assert!(!body(&completion.build_request(&kapital()).unwrap()).contains("<Description>"));
    let refund = Refund::new("7", "S", Amount::from_minor(100, AZN)).tran_id("1");
    for config in [kapital(), generic.clone()] {
        for b in [
            body(&refund.build_request(&config).unwrap()),
            body(&Reverse::new("7", "S").build_request(&config).unwrap()),
        ] {
            // No `<X></X>` anywhere.
            for name in b
                .split('<')
                .filter_map(|t| t.split_once('>').map(|(n, _)| n))
            {
                if !name.starts_with(['/', '?']) {
                    assert!(
                        !b.contains(&format!("<{name}></{name}>")),
                        "<{name}> empty in {b}"
                    );
                }
            }
        }
    }
}

#[test]
fn kapital_takes_944_only_the_generic_form_any_currency() {
    let usd = Amount::from_minor(500, Currency::USD);
    let kapital_usd = kapital().currency(Currency::USD);
    for e in [
        twec::CreateOrder::purchase(usd, "d")
            .approve_url("https://s/ok")
            .cancel_url("https://s/c")
            .decline_url("https://s/d")
            .build_request(&kapital_usd)
            .unwrap_err(),
        Refund::new("1", "S", usd)
            .tran_id("7")
            .build_request(&kapital_usd)
            .unwrap_err(),
        Completion::new("1", "S", usd)
            .build_request(&kapital_usd)
            .unwrap_err(),
    ] {
        assert_eq!(e.field(), Some("Currency"), "{e}");
        assert!(e.to_string().contains("944"), "{e}");
    }
    let generic = Config::kapital_test("LIB01")
        .form(RequestForm::Generic)
        .currency(Currency::USD);
    assert_eq!(
        body(&Refund::new("1", "S", usd).build_request(&generic).unwrap()),
        format!(
            "{DECL}<TKKPG><Request><Operation>Refund</Operation><Language>EN</Language><Order>\
             <Merchant>LIB01</Merchant><OrderID>1</OrderID></Order><SessionID>S</SessionID>\
             <Refund><Amount>500</Amount><Currency>840</Currency></Refund></Request></TKKPG>"
        )
    );
    let created = twec::CreateOrder::purchase(usd, "d")
        .approve_url("https://s/ok")
        .cancel_url("https://s/c")
        .decline_url("https://s/d")
        .build_request(&generic)
        .unwrap();
    assert!(body(&created).contains("<Amount>500</Amount><Currency>840</Currency>"));
}

// ---- RefundPayment ----------------------------------------------------------------------------

const INFO_APPROVED: &str = "<Order><row><id>7</id><Orderstatus>APPROVED</Orderstatus>\
     <twoId>2292054</twoId></row></Order>";
const REFUND_OK: &str =
    "<TKKPG><Response><Operation>Refund</Operation><Status>00</Status></Response></TKKPG>";

/// A transport answering each request in turn, recording the bodies sent.
struct Script {
    answers: RefCell<Vec<Result<HttpResponse, TransportError>>>,
    sent: RefCell<Vec<String>>,
}

impl Script {
    fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Self {
        Script {
            answers: RefCell::new(answers),
            sent: RefCell::new(Vec::new()),
        }
    }
}

impl azpay_core::SyncTransport for Script {
    fn send(&self, r: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.borrow_mut().push(body(&r));
        self.answers.borrow_mut().remove(0)
    }
}

fn refund_flow() -> RefundPayment {
    RefundPayment::new("7", "S", Amount::from_minor(100, AZN))
}

#[test]
fn refund_flow_fetches_the_two_id_first() {
    let t = Script::new(vec![Ok(ok(INFO_APPROVED)), Ok(ok(REFUND_OK))]);
    let mut flow = refund_flow();
    let out = execute_flow(&mut flow, &kapital(), &t).unwrap();
    assert_eq!(out.state, State::Done);
    assert_eq!(flow.two_id(), Some("2292054"));
    assert_eq!(flow.sent(), ["get-order-information", "refund"]);
    let sent = t.sent.borrow();
    assert_eq!(
        sent[0],
        format!(
            "{DECL}<TKKPG><Request><Operation>GetOrderInformation</Operation>\
             <Language>EN</Language><Order><Merchant>E1000010</Merchant><OrderID>7</OrderID>\
             </Order><SessionID>S</SessionID></Request></TKKPG>"
        )
    );
    assert_eq!(
        sent[1],
        body(
            &Refund::new("7", "S", Amount::from_minor(100, AZN))
                .tran_id("2292054")
                .build_request(&kapital())
                .unwrap()
        )
    );
    assert!(sent[1].contains("<TranId>2292054</TranId>"));
}

#[test]
fn refund_flow_with_a_known_two_id_or_the_generic_form_is_one_request() {
    let t = Script::new(vec![Ok(ok(REFUND_OK))]);
    let mut flow = refund_flow().tran_id("99");
    execute_flow(&mut flow, &kapital(), &t).unwrap();
    assert_eq!(t.sent.borrow().len(), 1);
    assert!(t.sent.borrow()[0].contains("<TranId>99</TranId>"));
    let t = Script::new(vec![Ok(ok(REFUND_OK))]);
    let generic = kapital().form(RequestForm::Generic);
    execute_flow(&mut refund_flow(), &generic, &t).unwrap();
    assert_eq!(t.sent.borrow().len(), 1);
    assert!(!t.sent.borrow()[0].contains("TranId"));
    // One request: an unreadable answer is outcome unknown, like the plain operation.
    let t = Script::new(vec![Ok(http::Response::builder()
        .status(500)
        .body(b"<html>error</html>".to_vec())
        .unwrap())]);
    let e = execute_flow(&mut refund_flow().tran_id("99"), &kapital(), &t).unwrap_err();
    assert!(e.may_have_happened(), "{e}");
}

#[test]
fn refund_flow_refuses_clearly_without_a_two_id() {
    for info in [
        "<Order><row><id>7</id><Orderstatus>APPROVED</Orderstatus><twoId></twoId></row></Order>",
        "<Order><row><id>7</id><Orderstatus>APPROVED</Orderstatus></row></Order>",
        "<Order><row><id>7</id><Orderstatus>DECLINED</Orderstatus><twoId>5</twoId></row></Order>",
    ] {
        let t = Script::new(vec![Ok(ok(info))]);
        let e = execute_flow(&mut refund_flow(), &kapital(), &t).unwrap_err();
        assert_eq!(t.sent.borrow().len(), 1, "no refund was sent for {info}");
        let Error::Flow(f) = &e else { panic!("{e:?}") };
        assert_eq!(f.flow, "refund_payment");
        assert_eq!(f.step, "refund");
        assert_eq!(f.sent, ["get-order-information"]);
        let Error::Build(b) = f.source.as_ref() else {
            panic!("{:?}", f.source)
        };
        assert_eq!(b.field(), Some("TranId"));
        assert!(
            b.to_string().contains("TwoId") && b.to_string().contains("could not be found"),
            "{b}"
        );
        assert!(!e.may_have_happened() && !e.nothing_sent(), "{e}");
    }
}

#[test]
fn refund_flow_failures_after_the_first_request_are_flow_errors() {
    // The refund's answer is an HTML 500: outcome unknown, inside a Flow error.
    let html = http::Response::builder()
        .status(500)
        .body(b"<!DOCTYPE html><html><body>Internal Server Error</body></html>".to_vec())
        .unwrap();
    let t = Script::new(vec![Ok(ok(INFO_APPROVED)), Ok(html)]);
    let e = execute_flow(&mut refund_flow(), &kapital(), &t).unwrap_err();
    let Error::Flow(f) = &e else { panic!("{e:?}") };
    assert_eq!(f.step, "refund");
    assert_eq!(f.sent, ["get-order-information", "refund"]);
    assert!(e.may_have_happened(), "{e}");
    // The connection dropped after the refund was sent: outcome unknown too.
    let t = Script::new(vec![
        Ok(ok(INFO_APPROVED)),
        Err(TransportError::outcome_unknown(
            azpay_core::TransportErrorKind::Io,
            "connection reset",
        )),
    ]);
    let e = execute_flow(&mut refund_flow(), &kapital(), &t).unwrap_err();
    assert!(e.may_have_happened(), "{e}");
    // The information query failed: nothing refunded, a Flow error at that step.
    let t = Script::new(vec![Ok(ok(
        "<TKKPG><Response><Operation>GetOrderInformation</Operation><Status>10</Status></Response></TKKPG>",
    ))]);
    let e = execute_flow(&mut refund_flow(), &kapital(), &t).unwrap_err();
    let Error::Flow(f) = &e else { panic!("{e:?}") };
    assert_eq!(f.step, "get-order-information");
    assert!(!e.may_have_happened());
    // Bad input is refused before anything is sent: a plain Build error.
    let t = Script::new(vec![]);
    let e = execute_flow(
        &mut RefundPayment::new("7", "S", Amount::from_minor(0, AZN)),
        &kapital(),
        &t,
    )
    .unwrap_err();
    assert!(matches!(e, Error::Build(_)) && e.nothing_sent(), "{e:?}");
    let e = execute_flow(
        &mut RefundPayment::new("7", "S", Amount::from_minor(1, Currency::USD)),
        &kapital().currency(Currency::USD),
        &t,
    )
    .unwrap_err();
    let Error::Build(b) = &e else { panic!("{e:?}") };
    assert_eq!(b.field(), Some("Currency"));
    assert!(t.sent.borrow().is_empty());
}

#[test]
fn unified_refund_uses_the_stored_two_id() {
    use azpay_core::unified::PaymentRef;
    let payment = |tran_id: Option<&str>| PaymentRef::Twec {
        order_id: "7".into(),
        session_id: "S".into(),
        amount: Amount::from_minor(100, AZN),
        preauth: false,
        tran_id: tran_id.map(str::to_owned),
    };
    let flow = RefundPayment::for_payment(&payment(Some("2292054")), None).unwrap();
    assert_eq!(flow.two_id(), Some("2292054"));
    let flow = RefundPayment::for_payment(&payment(None), Some(Amount::from_minor(50, AZN)));
    assert_eq!(flow.unwrap().two_id(), None);
}
