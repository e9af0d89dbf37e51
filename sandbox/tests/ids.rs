//! Ids start from a per-run offset by default, so successive runs do not hand out the same
//! ids to a database that outlives them; `with_id_offset` fixes them for tests.

mod common;

use azpay_sandbox::{credentials, Sandbox, SandboxConfig};
use common::*;

/// The first EPoint transaction, Kapital order and TWEC order of `sb`.
fn first_ids(sb: &mut Sandbox) -> (String, String, String) {
    let pay = json(&sb.handle(&epoint(
        "request",
        &format!(
            r#"{{"public_key":"{}","amount":"1.00","currency":"AZN","language":"az","order_id":"ids-1"}}"#,
            credentials::EPOINT_PUBLIC_KEY
        ),
    )));
    assert_eq!(pay["status"], "success", "{pay}");
    let order = json(&sb.handle(&kapital(
        "POST",
        "/api/order",
        r#"{"order":{"typeRid":"Order_SMS","amount":"1","currency":"AZN","language":"az","description":"ids","hppRedirectUrl":"https://shop.test/back"}}"#,
    )));
    let twec_xml = text(&sb.handle(&twec(
        "<TKKPG><Request><Operation>CreateOrder</Operation><Language>EN</Language><Order>\
         <OrderType>Purchase</OrderType><Merchant>E1000010</Merchant><Amount>100</Amount>\
         <Currency>944</Currency><Description>ids</Description>\
         <ApproveURL>https://shop.test/a</ApproveURL><CancelURL>https://shop.test/c</CancelURL>\
         <DeclineURL>https://shop.test/d</DeclineURL></Order></Request></TKKPG>",
    )));
    (
        pay["transaction"]
            .as_str()
            .expect("a transaction")
            .to_owned(),
        order["order"]["id"].to_string(),
        xml_text(&twec_xml, "OrderID").expect("an OrderID"),
    )
}

#[test]
fn two_sandboxes_made_one_after_another_hand_out_different_first_ids() {
    let a = first_ids(&mut Sandbox::new(SandboxConfig::default()));
    let b = first_ids(&mut Sandbox::new(SandboxConfig::default()));
    assert_ne!(a.0, b.0, "EPoint transactions");
    assert_ne!(a.1, b.1, "Kapital orders");
    assert_ne!(a.2, b.2, "TWEC orders");
    // The shapes stay: `te` and nine digits.
    for tx in [&a.0, &b.0] {
        assert_eq!(tx.len(), 11, "{tx}");
        assert!(
            tx.starts_with("te") && tx[2..].bytes().all(|b| b.is_ascii_digit()),
            "{tx}"
        );
    }
}

#[test]
fn a_fixed_offset_gives_the_same_ids_every_run() {
    let config = SandboxConfig::default().with_id_offset(0);
    let a = first_ids(&mut Sandbox::new(config.clone()));
    let b = first_ids(&mut Sandbox::new(config));
    assert_eq!(a, b);
    assert_eq!(
        a,
        (
            "te000000001".to_owned(),
            "4601".to_owned(),
            "100001".to_owned()
        )
    );
    let c = first_ids(&mut Sandbox::new(
        SandboxConfig::default().with_id_offset(5000),
    ));
    assert_eq!(
        c,
        (
            "te000005001".to_owned(),
            "9601".to_owned(),
            "105001".to_owned()
        )
    );
}
