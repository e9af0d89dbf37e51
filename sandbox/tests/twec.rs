//! TWEC / TranzWare XML through `Sandbox::handle`, no sockets.

mod common;

use azpay_sandbox::{cards, Card, CardAction, Gateway, Redirect, Sandbox};
use common::*;

fn create_xml(order_type: &str, amount: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<TKKPG>
  <Request>
    <Operation>CreateOrder</Operation>
    <Language>EN</Language>
    <Order>
      <OrderType>{order_type}</OrderType>
      <Merchant>E1000010</Merchant>
      <Amount>{amount}</Amount>
      <Currency>944</Currency>
      <Description>Books &amp; pens</Description>
      <ApproveURL>https://shop.test/approve</ApproveURL>
      <CancelURL>https://shop.test/cancel</CancelURL>
      <DeclineURL>https://shop.test/decline</DeclineURL>
    </Order>
  </Request>
</TKKPG>"#
    )
}

fn order_xml(operation: &str, id: &str, session: &str, extra: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<TKKPG><Request><Operation>{operation}</Operation><Language>EN</Language>
<Order><Merchant>E1000010</Merchant><OrderID>{id}</OrderID></Order>
<SessionID>{session}</SessionID>{extra}</Request></TKKPG>"#
    )
}

fn status_code(xml: &str) -> String {
    xml_text(xml, "Status").expect("a Status element")
}

fn create(sb: &mut Sandbox, order_type: &str, amount: &str) -> (String, String) {
    let response = sb.handle(&twec(&create_xml(order_type, amount)));
    assert_eq!(response.status(), 200);
    let xml = text(&response);
    assert_eq!(status_code(&xml), "00", "{xml}");
    assert_eq!(xml_text(&xml, "Operation").as_deref(), Some("CreateOrder"));
    assert_eq!(
        xml_text(&xml, "URL").unwrap(),
        format!("{BASE}/twec/index.jsp")
    );
    let session = xml_text(&xml, "SessionID").unwrap();
    assert_eq!(session.len(), 32);
    (xml_text(&xml, "OrderID").unwrap(), session)
}

fn exec(sb: &mut Sandbox, operation: &str, id: &str, session: &str, extra: &str) -> String {
    let response = sb.handle(&twec(&order_xml(operation, id, session, extra)));
    assert_eq!(response.status(), 200);
    text(&response)
}

fn order_status(sb: &mut Sandbox, id: &str, session: &str) -> String {
    let xml = exec(sb, "GetOrderStatus", id, session, "");
    assert_eq!(status_code(&xml), "00", "{xml}");
    assert_eq!(xml_text(&xml, "OrderID").as_deref(), Some(id));
    xml_text(&xml, "OrderStatus").unwrap()
}

/// Pays on the hosted page; returns (the form's target URL, the xmlmsg).
fn pay_on_page(
    sb: &mut Sandbox,
    id: &str,
    session: &str,
    pan: &str,
    action: &str,
) -> (String, String) {
    let page = sb.handle(&get(&format!(
        "/twec/index.jsp?ORDERID={id}&SESSIONID={session}"
    )));
    assert_eq!(page.status(), 200, "{}", text(&page));
    let html = text(&page);
    assert!(html.contains("Books &amp; pens"), "{html}");
    assert_eq!(hidden_value(&html, "ORDERID").as_deref(), Some(id));
    let response = sb.handle(&post_form(
        "/twec/index.jsp",
        &[
            ("ORDERID", id),
            ("SESSIONID", session),
            ("pan", pan),
            ("expiry", "05/23"),
            ("cvv", "447"),
            ("action", action),
        ],
    ));
    assert_eq!(response.status(), 200, "{}", text(&response));
    let html = text(&response);
    (
        form_action(&html).unwrap(),
        hidden_value(&html, "xmlmsg").expect("an xmlmsg field"),
    )
}

#[test]
fn purchase_lifecycle_with_xmlout_and_refunds() {
    let mut sb = sandbox();
    let (id, session) = create(&mut sb, "Purchase", "1050");
    assert_eq!(order_status(&mut sb, &id, &session), "CREATED");

    let (url, msg) = pay_on_page(&mut sb, &id, &session, cards::TWEC, "pay");
    assert_eq!(url, "https://shop.test/approve");
    assert!(msg.starts_with("<?xml"), "{msg}");
    assert!(
        msg.contains("<Message date=\"12/06/2024 15:38:23\">"),
        "{msg}"
    );
    assert_eq!(xml_text(&msg, "OrderID").as_deref(), Some(id.as_str()));
    assert_eq!(
        xml_text(&msg, "SessionId").as_deref(),
        Some(session.as_str())
    );
    assert_eq!(xml_text(&msg, "PurchaseAmount").as_deref(), Some("1050"));
    assert_eq!(xml_text(&msg, "Currency").as_deref(), Some("944"));
    assert_eq!(xml_text(&msg, "OrderStatus").as_deref(), Some("APPROVED"));
    assert_eq!(xml_text(&msg, "ResponseCode").as_deref(), Some("001"));
    assert_eq!(xml_text(&msg, "PAN").as_deref(), Some("416973XXXXXX5869"));
    assert_eq!(
        xml_text(&msg, "OrderDescription").as_deref(),
        Some("Books &amp; pens"),
        "text is XML-escaped"
    );
    let two_id = xml_text(&msg, "TwoId").expect("TwoId");

    assert_eq!(order_status(&mut sb, &id, &session), "APPROVED");
    // Kapital's sample (seed 001): the bare `<Order><row>` document, no TKKPG wrapper.
    let bare = exec(&mut sb, "GetOrderInformation", &id, &session, "");
    assert!(
        bare.contains("\n<Order><row>") && !bare.contains("<TKKPG>"),
        "{bare}"
    );
    assert_eq!(xml_text(&bare, "Status"), None, "{bare}");
    // With ClassicView: inside TKKPG/Response with its Status.
    let info = exec(
        &mut sb,
        "GetOrderInformation",
        &id,
        &session,
        "<ClassicView>true</ClassicView>",
    );
    assert_eq!(status_code(&info), "00", "{info}");
    assert!(info.contains("<row>"), "{info}");
    assert_eq!(
        xml_text(&bare, "row"),
        xml_text(&info, "row"),
        "the same row either way"
    );
    assert_eq!(xml_text(&info, "Orderstatus").as_deref(), Some("APPROVED"));
    assert_eq!(xml_text(&info, "twoId").as_deref(), Some(two_id.as_str()));
    assert_eq!(xml_text(&info, "Amount").as_deref(), Some("1050"));
    assert_eq!(xml_text(&info, "MerchantID").as_deref(), Some("E1000010"));
    assert_eq!(xml_text(&info, "RefundCurrency").as_deref(), Some("null"));
    assert_eq!(xml_text(&info, "TWODate").as_deref(), Some("240612"));
    assert_eq!(
        xml_text(&info, "payDate").as_deref(),
        Some("2024-06-12 15:38:23")
    );

    // Kapital-form refund with the TwoId, partial.
    let kapital_refund = |amount: &str, tran_id: &str| {
        format!(
            "<Description>refund test</Description><Refund><Amount>{amount}</Amount><Currency>944</Currency><WithFee>false</WithFee></Refund><TranId>{tran_id}</TranId><Source>1</Source>"
        )
    };
    let wrong_tran = exec(&mut sb, "Refund", &id, &session, &kapital_refund("50", "1"));
    assert_eq!(status_code(&wrong_tran), "54");
    let partial = exec(
        &mut sb,
        "Refund",
        &id,
        &session,
        &kapital_refund("50", &two_id),
    );
    assert_eq!(status_code(&partial), "00", "{partial}");
    assert_eq!(order_status(&mut sb, &id, &session), "APPROVED");
    // More than what is left.
    let too_much = exec(
        &mut sb,
        "Refund",
        &id,
        &session,
        "<Refund><Amount>1001</Amount><Currency>944</Currency></Refund>",
    );
    assert_eq!(status_code(&too_much), "54");
    // Generic form for the rest.
    let rest = exec(
        &mut sb,
        "Refund",
        &id,
        &session,
        "<Refund><Amount>1000</Amount><Currency>944</Currency></Refund>",
    );
    assert_eq!(status_code(&rest), "00");
    assert_eq!(order_status(&mut sb, &id, &session), "REFUNDED");
    let info = exec(
        &mut sb,
        "GetOrderInformation",
        &id,
        &session,
        "<ClassicView>true</ClassicView>",
    );
    assert_eq!(xml_text(&info, "RefundAmount").as_deref(), Some("1050"));

    assert_eq!(sb.executed(Gateway::Twec, "Refund"), 4);
    assert_eq!(sb.executed(Gateway::Twec, "CreateOrder"), 1);
}

#[test]
fn pre_auth_completion_and_reverse() {
    let mut sb = sandbox();
    let (id, session) = create(&mut sb, "PreAuth", "5000");
    let early = exec(
        &mut sb,
        "Completion",
        &id,
        &session,
        "<Amount>5000</Amount>",
    );
    assert_eq!(status_code(&early), "54");
    let outcome = sb
        .complete_payment(Gateway::Twec, &id, &CardAction::Pay(Card::new(cards::TWEC)))
        .unwrap();
    assert_eq!(outcome.status, "PREAUTH-APPROVED");
    assert_eq!(order_status(&mut sb, &id, &session), "PREAUTH-APPROVED");
    let over = exec(
        &mut sb,
        "Completion",
        &id,
        &session,
        "<Amount>5001</Amount>",
    );
    assert_eq!(status_code(&over), "54");
    let done = exec(
        &mut sb,
        "Completion",
        &id,
        &session,
        "<Amount>4000</Amount><Description>capture</Description>",
    );
    assert_eq!(status_code(&done), "00", "{done}");
    assert!(done.contains("<POSResponse>"), "{done}");
    assert_eq!(order_status(&mut sb, &id, &session), "APPROVED");

    // Reverse (Kapital form: empty TranId, Source 1).
    let reverse = exec(
        &mut sb,
        "Reverse",
        &id,
        &session,
        "<Description>void</Description><TranId></TranId><Source>1</Source>",
    );
    assert_eq!(status_code(&reverse), "00", "{reverse}");
    assert!(
        reverse.contains("<Reversal><RespCode>001</RespCode>"),
        "{reverse}"
    );
    assert_eq!(order_status(&mut sb, &id, &session), "REVERSED");
    let twice = exec(&mut sb, "Reverse", &id, &session, "");
    assert_eq!(status_code(&twice), "54");
}

#[test]
fn decline_and_cancel_post_to_their_urls() {
    let mut sb = sandbox();
    let (id, session) = create(&mut sb, "Purchase", "100");
    let (url, msg) = pay_on_page(&mut sb, &id, &session, cards::DECLINE, "pay");
    assert_eq!(url, "https://shop.test/decline");
    assert_eq!(xml_text(&msg, "OrderStatus").as_deref(), Some("DECLINED"));
    assert!(xml_text(&msg, "TwoId").is_none());
    assert_eq!(order_status(&mut sb, &id, &session), "DECLINED");
    let refund = exec(
        &mut sb,
        "Refund",
        &id,
        &session,
        "<Refund><Amount>100</Amount><Currency>944</Currency></Refund>",
    );
    assert_eq!(status_code(&refund), "54");

    let (id, session) = create(&mut sb, "Purchase", "100");
    let (url, msg) = pay_on_page(&mut sb, &id, &session, "", "cancel");
    assert_eq!(url, "https://shop.test/cancel");
    assert_eq!(xml_text(&msg, "OrderStatus").as_deref(), Some("CANCELED"));
    assert_eq!(order_status(&mut sb, &id, &session), "CANCELED");

    // Only the TWEC test card is known to the test environment.
    let (id, _) = create(&mut sb, "Purchase", "100");
    let outcome = sb
        .complete_payment(
            Gateway::Twec,
            &id,
            &CardAction::Pay(Card::new(cards::KAPITAL_VISA)),
        )
        .unwrap();
    assert_eq!(outcome.status, "DECLINED");
    match outcome.redirect {
        Redirect::PostForm { url, fields } => {
            assert_eq!(url, "https://shop.test/decline");
            assert_eq!(fields[0].0, "xmlmsg");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn request_level_status_codes() {
    let mut sb = sandbox();
    // Malformed XML, missing fields, bad amount or currency: 30.
    for body in [
        "not xml at all <".to_owned(),
        "<TKKPG><Request><Operation>CreateOrder</Operation></Request>".to_owned(),
        create_xml("Purchase", "10.50"),
        create_xml("Purchase", "-1"),
        create_xml("Purchase", "100").replace("<Currency>944", "<Currency>840"),
        create_xml("Purchase", "100").replace("<Language>EN</Language>", ""),
        create_xml("Sale", "100"),
        create_xml("Purchase", "100").replace("<Merchant>E1000010</Merchant>", ""),
    ] {
        let xml = text(&sb.handle(&twec(&body)));
        assert_eq!(status_code(&xml), "30", "{body}\n{xml}");
    }
    // DOCTYPE (entity expansion / XXE) refused.
    let doctype = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE TKKPG [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>{}",
        create_xml("Purchase", "100").replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "")
    );
    assert_eq!(status_code(&text(&sb.handle(&twec(&doctype)))), "30");
    // Unknown merchant: 10.
    let other = create_xml("Purchase", "100").replace("E1000010", "E9999999");
    assert_eq!(status_code(&text(&sb.handle(&twec(&other)))), "10");
    // Invalid operation: 54.
    let invalid = create_xml("Purchase", "100").replace(
        "<Operation>CreateOrder</Operation>",
        "<Operation>Teleport</Operation>",
    );
    let xml = text(&sb.handle(&twec(&invalid)));
    assert_eq!(status_code(&xml), "54");
    // Counted: the four requests that reached CreateOrder (bad amount x2, currency, type);
    // not the malformed ones, the unknown merchant or the invalid operation.
    assert_eq!(sb.executed(Gateway::Twec, "CreateOrder"), 4);

    // Unknown order or wrong session: 10.
    let (id, session) = create(&mut sb, "Purchase", "100");
    let wrong_session = exec(
        &mut sb,
        "GetOrderStatus",
        &id,
        "00000000000000000000000000000000",
        "",
    );
    assert_eq!(status_code(&wrong_session), "10");
    let unknown = exec(&mut sb, "GetOrderStatus", "1", &session, "");
    assert_eq!(status_code(&unknown), "10");
    // GET is not how TWEC is called.
    assert_eq!(sb.handle(&get("/Exec")).status(), 405);
}

#[test]
fn element_names_are_matched_case_insensitively() {
    let mut sb = sandbox();
    let lower = "<tkkpg><request><operation>CreateOrder</operation><language>az</language>\
<order><ordertype>purchase</ordertype><merchant>E1000010</merchant><amount>300</amount>\
<currency>944</currency><approveurl>/ok</approveurl></order></request></tkkpg>";
    let xml = text(&sb.handle(&twec(lower)));
    assert_eq!(status_code(&xml), "00", "{xml}");
    let id = xml_text(&xml, "OrderID").unwrap();
    let session = xml_text(&xml, "SessionID").unwrap();
    // Cancel and decline default to the approve URL when not given.
    let outcome = sb
        .complete_payment(Gateway::Twec, &id, &CardAction::Cancel)
        .unwrap();
    match outcome.redirect {
        Redirect::PostForm { url, .. } => assert_eq!(url, "/ok"),
        other => panic!("{other:?}"),
    }
    // Lower-case query keys on the hosted page (as some banks' clients send) are accepted.
    let (id2, session2) = create(&mut sb, "Purchase", "100");
    let page = sb.handle(&get(&format!(
        "/twec/index.jsp?orderid={id2}&sessionid={session2}"
    )));
    assert_eq!(page.status(), 200);
    assert_eq!(order_status(&mut sb, &id, &session), "CANCELED");
}

#[test]
fn the_index_page_takes_the_posted_return_of_the_payment_page() {
    let mut sb = azpay_sandbox::Sandbox::default();
    for method in ["GET", "POST"] {
        let request = http::Request::builder()
            .method(method)
            .uri("http://127.0.0.1/?result=approve")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(b"xmlmsg=%3CMessage%2F%3E".to_vec())
            .unwrap();
        let response = sb.handle(&request);
        assert_eq!(response.status(), 200, "{method}");
        assert!(String::from_utf8_lossy(response.body()).contains("<html"));
    }
}
