//! The TWEC simulator's raw answers held to the published shapes (issue 17, "Keep it
//! faithful"): one fixture per operation answer and for XMLOut in `tests/shapes/twec/`, each
//! naming its source; a new, missing or re-typed element or attribute path fails unless the
//! fixture says why.

mod common;

use azpay_sandbox::{Card, CardAction, Gateway, Redirect, Sandbox, SandboxConfig, TwecSettings};
use azpay_test_support::shape::{check, xml_shape};
use base64::Engine as _;
use common::*;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/shapes/twec/{name}.shape",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn hold(name: &str, body: &[u8]) {
    let shape = xml_shape(body).unwrap_or_else(|e| panic!("{name}: {e}"));
    if let Err(e) = check(name, &fixture(name), &shape) {
        panic!("{e}\n--- the answer:\n{}", String::from_utf8_lossy(body));
    }
}

fn request(operation: &str, id: &str, session: &str, extra: &str) -> Request {
    twec(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><TKKPG><Request><Operation>{operation}</Operation>\
         <Language>EN</Language><Order><Merchant>E1000010</Merchant><OrderID>{id}</OrderID>\
         </Order><SessionID>{session}</SessionID>{extra}</Request></TKKPG>"
    ))
}

fn create(sb: &mut Sandbox, order_type: &str) -> (String, String, Vec<u8>) {
    let answer = sb.handle(&twec(&format!(
        "<TKKPG><Request><Operation>CreateOrder</Operation><Language>EN</Language><Order>\
         <OrderType>{order_type}</OrderType><Merchant>E1000010</Merchant><Amount>1050</Amount>\
         <Currency>944</Currency><Description>Books</Description>\
         <ApproveURL>https://shop.test/ok</ApproveURL><CancelURL>https://shop.test/cancel</CancelURL>\
         <DeclineURL>https://shop.test/fail</DeclineURL></Order></Request></TKKPG>"
    )));
    let body = answer.body().clone();
    let xml = String::from_utf8(body.clone()).unwrap();
    (
        xml_text(&xml, "OrderID").unwrap(),
        xml_text(&xml, "SessionID").unwrap(),
        body,
    )
}

/// Pays the order on the hosted page; the `xmlmsg` posted back.
fn pay(sb: &mut Sandbox, id: &str) -> String {
    let outcome = sb
        .complete_payment(
            Gateway::Twec,
            id,
            &CardAction::Pay(Card::new(azpay_sandbox::cards::TWEC)),
        )
        .unwrap();
    match outcome.redirect {
        Redirect::PostForm { fields, .. } => fields
            .into_iter()
            .find(|(k, _)| k == "xmlmsg")
            .map(|(_, v)| v)
            .unwrap(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_twec_answer_has_the_published_shape() {
    let mut sb = sandbox();
    let (id, session, created) = create(&mut sb, "Purchase");
    hold("create_order", &created);
    let xmlout = pay(&mut sb, &id);
    hold("xmlout", xmlout.as_bytes());
    let status = sb.handle(&request("GetOrderStatus", &id, &session, ""));
    hold("get_order_status", status.body());
    let info = sb.handle(&request("GetOrderInformation", &id, &session, ""));
    hold("get_order_information", info.body());
    let classic = sb.handle(&request(
        "GetOrderInformation",
        &id,
        &session,
        "<ClassicView>true</ClassicView>",
    ));
    hold("get_order_information_classic", classic.body());
    let refund = sb.handle(&request(
        "Refund",
        &id,
        &session,
        &format!(
            "<Description>r</Description><Refund><Amount>50</Amount><Currency>944</Currency>\
             <WithFee>false</WithFee></Refund><TranId>{}</TranId><Source>1</Source>",
            xml_text(&xmlout, "TwoId").unwrap()
        ),
    ));
    hold("refund", refund.body());

    let (id, session, _) = create(&mut sb, "PreAuth");
    pay(&mut sb, &id);
    let completion = sb.handle(&request(
        "Completion",
        &id,
        &session,
        "<Amount>1050</Amount><Description>c</Description>",
    ));
    hold("completion", completion.body());
    let reverse = sb.handle(&request(
        "Reverse",
        &id,
        &session,
        "<Description>v</Description><Source>1</Source>",
    ));
    hold("reverse", reverse.body());
}

#[test]
fn signed_base64_xmlout_has_the_signed_shape() {
    let mut sb = Sandbox::new(
        SandboxConfig::default()
            .with_base_url(BASE)
            .with_id_offset(0)
            .with_fixed_time(1_718_206_703)
            .with_twec(
                TwecSettings::default()
                    .xmlout_base64(true)
                    .xmlout_signed(true),
            ),
    );
    let (id, _, _) = create(&mut sb, "Purchase");
    let xmlmsg = pay(&mut sb, &id);
    assert!(!xmlmsg.starts_with('<'), "base64, as UBRR sends it");
    let xml = base64::engine::general_purpose::STANDARD
        .decode(xmlmsg.as_bytes())
        .unwrap();
    hold("xmlout_signed", &xml);
}
