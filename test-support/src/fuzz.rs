//! The bodies of the fuzz targets, one function per target.
//!
//! Each `fuzz/fuzz_targets/<name>.rs` is `fuzz_target!(|data| azpay_fuzz::<name>(data))`
//! (`azpay_fuzz` re-exports this module), and `core/tests/fuzz_regressions.rs` replays the
//! committed seed corpus and every saved crash through the same functions on the stable
//! toolchain; `core/tests/prop_requests.rs` uses its independent decoders.
//!
//! Only `azpay_core` and the crates `azpay-core` itself depends on are used here, so the fuzz
//! workspace builds it without the rest of the test support. A function panics only on a broken property (an `assert!`), never
//! on an input the core is expected to refuse.

use azpay_core::{epoint, kapital, twec, Amount, Currency, HttpResponse, Operation};

/// The private key used by the EPoint targets.
pub const EPOINT_KEY: &str = "fuzz-private-key";

fn response(status: u16, body: &[u8]) -> HttpResponse {
    let mut r = http::Response::new(body.to_vec());
    *r.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    r
}

/// `amount_parse`: `Amount::parse_major` / `parse_wire` never panic; what they accept is
/// exact and formats back to the same value.
pub fn amount_parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for currency in [
        Currency::AZN,
        Currency::new("XXX", 999, 0).unwrap_or(Currency::AZN),
    ] {
        if let Ok(a) = Amount::parse_major(text, currency) {
            let again = Amount::parse_major(&a.to_major_string(), currency);
            assert_eq!(again, Ok(a), "{text:?}");
            // The accepted text is the same number as the canonical form: digits agree once
            // leading zeros (and a missing fraction) are normalised.
            assert_eq!(
                normalise(text, currency.exponent()),
                normalise(&a.to_major_string(), currency.exponent())
            );
        }
        if let Ok(a) = Amount::parse_wire(text, currency) {
            let again = Amount::parse_wire(&a.to_major_string(), currency);
            assert_eq!(again, Ok(a), "{text:?}");
        }
    }
}

/// A decimal text as `(integer digits without leading zeros, fraction padded to exponent)`.
fn normalise(text: &str, exponent: u8) -> (String, String) {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let int = int.trim_start_matches('0').to_owned();
    let mut frac = frac.to_owned();
    while frac.len() < usize::from(exponent) {
        frac.push('0');
    }
    (int, frac)
}

/// `twec_response`: every TWEC operation's `parse_response` with the input as the body.
pub fn twec_response(data: &[u8]) {
    let config = twec::Config::kapital_test("E1000010");
    let amount = Amount::from_minor(100, Currency::AZN);
    for status in [200, 500] {
        let _ = twec::CreateOrder::purchase(amount, "d")
            .parse_response(&config, response(status, data));
        if let Ok(s) =
            twec::GetOrderStatus::new("1", "S").parse_response(&config, response(status, data))
        {
            let _ = format!("{s:?}");
        }
        let _ = twec::GetOrderInformation::new("1", "S")
            .parse_response(&config, response(status, data));
        let _ =
            twec::Completion::new("1", "S", amount).parse_response(&config, response(status, data));
        let _ = twec::Reverse::new("1", "S").parse_response(&config, response(status, data));
        let _ = twec::Refund::new("1", "S", amount).parse_response(&config, response(status, data));
    }
    let generic =
        twec::Config::generic("https://tw.example/Exec", "M1", Currency::USD).expect("a valid URL");
    let _ = twec::GetOrderInformation::new("1", "S").parse_response(&generic, response(200, data));
}

/// `twec_xmlout`: `parse_xmlout` (and its plain-only variant) never panic; a parsed message
/// hands out a status query for exactly its own order and session.
pub fn twec_xmlout(data: &[u8]) {
    if let Ok(msg) = twec::parse_xmlout(data) {
        if let Ok(check) = msg.verify() {
            assert_eq!(Some(check.order_id()), msg.order_id());
            assert_eq!(Some(check.session_id()), msg.session_id());
        }
        let _ = format!("{msg:?}");
    }
    let plain = twec::Config::kapital_test("E1").xmlmsg_encoding(twec::XmlMsgEncoding::Plain);
    let _ = twec::parse_xmlout_with(&plain, data);
}

/// `epoint_callback`: `verify_callback` on the raw input never panics and refuses what is not
/// signed with the key; the input as a correctly signed `data` payload never panics either.
pub fn epoint_callback(data: &[u8]) {
    let config = epoint::Config::new("i000000001", EPOINT_KEY);
    let _ = epoint::verify_callback(&config, data);
    if data.is_empty() {
        // An empty `data` field is refused before any signature check (nothing to decode).
        return;
    }
    // The same bytes as the JSON inside a properly signed callback.
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    let sig = epoint::signature(EPOINT_KEY, &b64);
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("data", &b64)
        .append_pair("signature", &sig)
        .finish();
    match epoint::verify_callback(&config, body.as_bytes()) {
        Ok(cb) => {
            let _ = serde_json::to_string(&cb);
        }
        Err(azpay_core::ResponseError::Signature(e)) => {
            panic!("a correctly signed callback was refused as forged: {e}")
        }
        Err(_) => {}
    }
    // Signed with another key: never accepted.
    let other = epoint::Config::new("i000000001", "another-key");
    assert!(epoint::verify_callback(&other, body.as_bytes()).is_err());
}

/// `epoint_response`: every EPoint operation's `parse_response` with the input as the body.
pub fn epoint_response(data: &[u8]) {
    let c = epoint::Config::new("i000000001", EPOINT_KEY);
    let a = Amount::from_minor(1050, Currency::AZN);
    let r = || response(200, data);
    let _ = epoint::Pay::new(a, "1").parse_response(&c, r());
    let _ = epoint::Checkout::new(a, "1").parse_response(&c, r());
    let _ = epoint::PreAuth::new(a, "1").parse_response(&c, r());
    let _ = epoint::SplitPay::new(a, "1", "u", Amount::from_minor(1, Currency::AZN))
        .parse_response(&c, r());
    let _ = epoint::WalletPayment::new("w", a, "1").parse_response(&c, r());
    let _ = epoint::GetStatus::by_transaction("t").parse_response(&c, r());
    let _ = epoint::SaveCard::new().parse_response(&c, r());
    let _ = epoint::PayAndSaveCard::new(a, "1").parse_response(&c, r());
    let _ = epoint::PayWithSavedCard::new("c", a, "1").parse_response(&c, r());
    let _ = epoint::Payout::new("c", a, "1").parse_response(&c, r());
    let _ = epoint::GetCardStatus::new("c").parse_response(&c, r());
    let _ = epoint::Refund::new("t", Currency::AZN).parse_response(&c, r());
    let _ = epoint::PreAuthComplete::new(a, "t").parse_response(&c, r());
    let _ = epoint::TokenWidget::new(a, "1", "d").parse_response(&c, r());
    let _ = epoint::TokenPayment::new(a, "1", "d").parse_response(&c, r());
    let _ = epoint::AppleSession::new("o").parse_response(&c, r());
    let _ = epoint::ApplePay::new("i", serde_json::Value::Null, serde_json::Value::Null)
        .parse_response(&c, r());
    let _ = epoint::WalletStatus.parse_response(&c, r());
    let _ = epoint::Heartbeat.parse_response(&c, r());
    let _ = epoint::Pay::new(a, "1").parse_response(&c, response(500, data));
}

/// `kapital_response`: every Kapital operation's `parse_response` with the input as the body,
/// under a success and the error statuses the gateway uses.
pub fn kapital_response(data: &[u8]) {
    let c = kapital::Config::new("TerminalSys/kapital", "kapital123");
    let a = Amount::from_minor(1050, Currency::AZN);
    for status in [200, 400, 404, 500] {
        let r = || response(status, data);
        let _ = kapital::CreateOrder::purchase(a).parse_response(&c, r());
        if let Ok(order) = kapital::GetOrder::new(1).parse_response(&c, r()) {
            let _ = serde_json::to_string(&order);
        }
        let _ = kapital::GetOrder::new(1).detailed().parse_response(&c, r());
        let _ = kapital::ExecTran::clearing(1).parse_response(&c, r());
        let _ = kapital::ExecTran::refund(1, a).parse_response(&c, r());
        let _ = kapital::SetSrcToken::stored_card(1, "p", 2).parse_response(&c, r());
        let _ = kapital::SetDstToken::card(1, "p", "4169741234567899").parse_response(&c, r());
    }
}

/// `kapital_redirect`: `parse_redirect` never panics; what it accepts names a positive order
/// and a non-empty claim, and hands out the status query for that order.
pub fn kapital_redirect(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(r) = kapital::parse_redirect(text) {
        assert!(r.order_id() > 0);
        assert!(!r.claimed_status().is_empty());
        assert_eq!(r.verify().id(), r.order_id());
    }
    if let Some((id, status)) = text.split_once('\n') {
        let _ = kapital::UnverifiedRedirect::from_parts(id, status);
    }
}

/// `payriff_response`: every Payriff parser, on every status, never panics; whatever parses
/// as an order carries the state its status word maps to; the callback parser accepts only a
/// non-empty order id and hands out the query for that order, never a state of its own.
pub fn payriff_response(data: &[u8]) {
    use azpay_core::payriff;
    let c = payriff::Config::new("k");
    let a = Amount::from_minor(1050, Currency::AZN);
    for status in [200, 400, 404, 500] {
        let r = || response(status, data);
        let _ = payriff::CreateOrder::purchase(a, "r").parse_response(&c, r());
        if let Ok(order) = payriff::GetOrder::new("O").parse_response(&c, r()) {
            assert_eq!(order.state, order.payment_status.state());
            let _ = serde_json::to_string(&order);
        }
        let _ = payriff::GetOrderByRrn::new("r").parse_response(&c, r());
        let _ = payriff::Refund::full("O", "r").parse_response(&c, r());
        let _ = payriff::AutoPay::new("u", a, "d", "r").parse_response(&c, r());
        let _ = payriff::GetCardSave::new("s").parse_response(&c, r());
        let _ = payriff::ListSavedCards::new("c").parse_response(&c, r());
        let _ = payriff::ListTransactions::new().parse_response(&c, r());
    }
    if let Ok(cb) = payriff::parse_callback(data) {
        assert!(!cb.order_id().trim().is_empty());
        assert_eq!(cb.verify().order_id(), cb.order_id());
    }
}

// ---------------------------------------------------------------------------------------
// Structured: build requests from arbitrary inputs and read them back independently.

/// Whether XML 1.0 allows the character.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The text of every element called `name`, in document order, read with a plain quick-xml
/// event loop (not the core's reader). Panics if the document is not well-formed.
pub fn xml_texts(xml: &[u8], name: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == name.as_bytes() => {
                current = Some(String::new())
            }
            Event::Empty(e) if e.name().as_ref() == name.as_bytes() => out.push(String::new()),
            Event::End(e) if e.name().as_ref() == name.as_bytes() => {
                out.push(current.take().expect("open element"))
            }
            Event::Text(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t.xml10_content().expect("UTF-8 text"));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = current.as_mut() {
                    let ch = match r.resolve_char_ref().expect("character reference") {
                        Some(ch) => ch,
                        None => match r.as_ref() {
                            b"lt" => '<',
                            b"gt" => '>',
                            b"amp" => '&',
                            b"apos" => '\'',
                            b"quot" => '"',
                            other => panic!("unexpected entity {other:?}"),
                        },
                    };
                    c.push(ch);
                }
            }
            Event::CData(_) => panic!("the writer uses no CDATA"),
            Event::DocType(_) => panic!("the writer writes no DOCTYPE"),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

fn xml_ok(s: &str) -> bool {
    s.chars().all(is_xml_char)
}

/// TWEC `CreateOrder`, `Refund` and `GetOrderStatus` from arbitrary inputs: either refused
/// naming the right field, or every input read back unchanged from the XML.
pub fn twec_request_roundtrip(
    merchant: &str,
    description: &str,
    order_id: &str,
    session_id: &str,
    minor: u64,
) {
    let config = twec::Config::kapital_test(merchant)
        .approve_url("https://shop.example/ok?a=1&b=2")
        .cancel_url("https://shop.example/cancel")
        .decline_url("https://shop.example/decline");
    let amount = Amount::from_minor(minor, Currency::AZN);
    let merchant_bad = id_refused(merchant, 255) || !xml_ok(merchant);

    let built = twec::CreateOrder::purchase(amount, description).build_request(&config);
    let expected = if merchant_bad {
        Some("Merchant")
    } else if minor == 0 {
        Some("Amount")
    } else if !xml_ok(description) {
        Some("Description")
    } else {
        None
    };
    match (built, expected) {
        (Ok(req), None) => {
            let body = req.body();
            assert_eq!(xml_texts(body, "Merchant"), [merchant]);
            assert_eq!(xml_texts(body, "Description"), [description]);
            assert_eq!(xml_texts(body, "Amount"), [minor.to_string()]);
            assert_eq!(xml_texts(body, "Currency"), ["944"]);
            assert_eq!(
                xml_texts(body, "ApproveURL"),
                ["https://shop.example/ok?a=1&b=2"]
            );
        }
        (Err(e), Some(field)) => assert_eq!(e.field(), Some(field), "{e}"),
        (got, want) => panic!("CreateOrder: expected {want:?}, got {got:?}"),
    }

    let built = twec::GetOrderStatus::new(order_id, session_id).build_request(&config);
    let blank = |s: &str| id_refused(s, 255) || !xml_ok(s);
    let expected = if blank(session_id) {
        Some("SessionID")
    } else if merchant_bad {
        Some("Merchant")
    } else if blank(order_id) {
        Some("OrderID")
    } else {
        None
    };
    match (built, expected) {
        (Ok(req), None) => {
            let body = req.body();
            assert_eq!(xml_texts(body, "Operation"), ["GetOrderStatus"]);
            assert_eq!(xml_texts(body, "OrderID"), [order_id]);
            assert_eq!(xml_texts(body, "SessionID"), [session_id]);
            assert_eq!(xml_texts(body, "Merchant"), [merchant]);
        }
        (Err(e), Some(field)) => assert_eq!(e.field(), Some(field), "{e}"),
        (got, want) => panic!("GetOrderStatus: expected {want:?}, got {got:?}"),
    }

    // Kapital's Refund needs the purchase's TwoId; a blank description gets the default.
    let built = twec::Refund::new(order_id, session_id, amount)
        .description(description)
        .tran_id("2292054")
        .build_request(&config);
    match built {
        Ok(req) => {
            let body = req.body();
            assert_eq!(xml_texts(body, "OrderID"), [order_id]);
            assert_eq!(xml_texts(body, "SessionID"), [session_id]);
            let sent = if description.trim().is_empty() {
                format!("Refund of order {order_id}")
            } else {
                description.to_owned()
            };
            assert_eq!(xml_texts(body, "Description"), [sent]);
            assert_eq!(xml_texts(body, "Amount"), [minor.to_string()]);
        }
        Err(e) => {
            let field = e.field().expect("a refused input names its field");
            assert!(
                ["SessionID", "Amount", "Merchant", "OrderID", "Description"].contains(&field),
                "{e}"
            );
        }
    }
}

/// The `data` JSON and `signature` of an EPoint form body, read independently
/// (form_urlencoded + base64 + serde_json); asserts the signature.
pub fn epoint_decode(body: &[u8], key: &str) -> serde_json::Value {
    use base64::Engine as _;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    assert_eq!(pairs.len(), 2, "exactly data and signature");
    assert_eq!(pairs[0].0, "data");
    assert_eq!(pairs[1].0, "signature");
    assert_eq!(pairs[1].1, epoint::signature(key, &pairs[0].1));
    let json = base64::engine::general_purpose::STANDARD
        .decode(&pairs[0].1)
        .expect("data is base64");
    serde_json::from_slice(&json).expect("data is JSON")
}

/// Whether the gateways refuse `id` as an identifier: blank, holding a control character or a
/// Unicode direction control (U+202A–U+202E, U+2066–U+2069), or longer than `max` characters.
pub fn id_refused(id: &str, max: usize) -> bool {
    id.trim().is_empty()
        || id.chars().any(|c| {
            c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        || id.chars().count() > max
}

/// EPoint `Pay` and `PayWithSavedCard` from arbitrary inputs: refused naming the right field,
/// or every input read back unchanged from the signed form.
pub fn epoint_request_roundtrip(order_id: &str, description: &str, card_id: &str, minor: u64) {
    let config = epoint::Config::new("i000000001", EPOINT_KEY);
    let amount = Amount::from_minor(minor, Currency::AZN);
    let expected = if minor == 0 {
        Some("amount")
    } else if id_refused(order_id, 255) {
        Some("order_id")
    } else if description.chars().count() > 1000 {
        Some("description")
    } else {
        None
    };
    let built = epoint::Pay::new(amount, order_id)
        .description(description)
        .build_request(&config);
    match (built, expected) {
        (Ok(req), None) => {
            let v = epoint_decode(req.body(), EPOINT_KEY);
            assert_eq!(v["order_id"], order_id);
            assert_eq!(v["description"], description);
            assert_eq!(v["amount"], amount.to_major_string());
            assert_eq!(v["currency"], "AZN");
            assert_eq!(v["public_key"], "i000000001");
        }
        (Err(e), Some(field)) => assert_eq!(e.field(), Some(field), "{e}"),
        (got, want) => panic!("Pay: expected {want:?}, got {got:?}"),
    }
    let built = epoint::PayWithSavedCard::new(card_id, amount, order_id)
        .description(description)
        .build_request(&config);
    let expected = expected.or_else(|| id_refused(card_id, 255).then_some("card_id"));
    match (built, expected) {
        (Ok(req), None) => {
            let v = epoint_decode(req.body(), EPOINT_KEY);
            assert_eq!(v["card_id"], card_id);
            assert_eq!(v["order_id"], order_id);
            assert_eq!(v["description"], description);
        }
        (Err(e), Some(field)) => assert_eq!(e.field(), Some(field), "{e}"),
        (got, want) => panic!("PayWithSavedCard: expected {want:?}, got {got:?}"),
    }
}

/// The Azericard configuration of the fuzz targets: a signer that is never asked (the
/// targets parse, they do not sign) and a verifier chosen by the target.
fn azericard_config(accept: bool) -> azpay_core::azericard::Config {
    use azpay_core::azericard::{Config, SignError};
    let signer = |_: &[u8]| -> Result<Vec<u8>, SignError> { Err(SignError::new("fuzz")) };
    let verifier = move |_: &[u8], _: &[u8]| accept;
    Config::new("17202191", signer).gateway_key(verifier)
}

/// `azericard_callback`: `verify_callback` never panics; with a key that verifies nothing it
/// refuses everything; with one that verifies everything what it accepts is well formed
/// (an ORDER, the configured terminal, a decimal AMOUNT) and serialises.
pub fn azericard_callback(data: &[u8]) {
    use azpay_core::azericard::verify_callback;
    assert!(verify_callback(&azericard_config(false), data).is_err());
    if let Ok(cb) = verify_callback(&azericard_config(true), data) {
        assert!(!cb.order().is_empty());
        assert_eq!(cb.terminal(), "17202191");
        assert!(cb
            .amount_text()
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.'));
        let _ = serde_json::to_string(&cb);
        assert_eq!(cb.status_query().order(), cb.order());
    }
}

/// `azericard_status`: the TRTYPE 90 reply (JSON, form, XML or a bare code) never panics, and
/// `done` only ever comes with ACTION `0` and RC `00`. The 21/22/24 reply parser too.
pub fn azericard_status(data: &[u8]) {
    use azpay_core::azericard::{Action, Complete, GetStatus, Rc};
    use azpay_core::State;
    let c = azericard_config(false);
    if let Ok(s) = GetStatus::new("000001").parse_response(&c, response(200, data)) {
        if s.state == State::Done {
            assert_eq!(
                (s.action.clone(), s.rc.clone()),
                (Action::Success, Some(Rc::Approved))
            );
        }
        let _ = serde_json::to_string(&s);
    }
    let op = Complete::new(
        "000001",
        Amount::from_minor(100, Currency::AZN),
        "306276834930",
        "A1",
    );
    if let Ok(r) = op.parse_response(&c, response(200, data)) {
        assert_eq!(r.state == State::Done, r.code.as_str() == "0");
    }
}
