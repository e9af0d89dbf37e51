//! TWEC requests to the byte: golden XML from Kapital's TKKPG document and other banks'
//! samples, the Kapital vs generic forms, validation, escaping.

use azpay_core::twec::{
    self, Completion, Config, CreateOrder, GetOrderInformation, GetOrderStatus, LanguageCase,
    Refund, RequestForm, Reverse,
};
use azpay_core::{
    execute, Amount, BuildError, Currency, HttpRequest, HttpResponse, Language, Operation,
    RequestMeta, TransportError,
};

const AZN: Currency = Currency::AZN;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/twec/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Removes the whitespace between tags (indentation of the pretty-printed samples).
fn compact(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut pending = String::new();
    for c in xml.trim().chars() {
        if c.is_whitespace() && out.ends_with('>') {
            pending.push(c);
            continue;
        }
        if c != '<' {
            out.push_str(&pending);
        }
        pending.clear();
        out.push(c);
    }
    out
}

fn body(req: &HttpRequest) -> &str {
    std::str::from_utf8(req.body()).expect("UTF-8 body")
}

/// Exact method, URL, headers and body.
fn assert_request(req: &HttpRequest, url: &str, expected_body: &str) {
    assert_eq!(req.method(), http::Method::POST);
    assert_eq!(req.uri().to_string(), url);
    assert_eq!(req.headers().len(), 1, "{:?}", req.headers());
    assert_eq!(
        req.headers()[http::header::CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    assert_eq!(body(req), expected_body);
}

fn kapital() -> Config {
    Config::kapital_test("E1000010")
        .approve_url("/testshopPageReturn.jsp")
        .cancel_url("/testshopPageReturn.jsp")
        .decline_url("/testshopPageReturn.jsp")
}

const KAPITAL_TEST: &str = "https://tstpg.kapitalbank.az:5443/Exec";

#[test]
fn compact_only_drops_whitespace_between_tags() {
    assert_eq!(
        compact("<a>\n  <b> x y </b>\n</a>\n"),
        "<a><b> x y </b></a>"
    );
}

#[test]
fn create_order_matches_s1_purchase_sample() {
    // Kapital's TWEC document: "always multiply the amount by 100": 1234.56 AZN is 123456.
    let amount = Amount::parse_major("1234.56", AZN).unwrap();
    assert_eq!(amount.minor(), 123456);
    let op = CreateOrder::purchase(amount, "xxxxxxxx");
    let req = op.build_request(&kapital().language(Language::Ru)).unwrap();
    assert_request(
        &req,
        KAPITAL_TEST,
        &compact(&fixture("req_create_order_s1.xml")),
    );
}

#[test]
fn create_order_exact_bytes_and_preauth() {
    let op = CreateOrder::preauth(Amount::from_minor(3000, AZN), "Order 1");
    let req = op.build_request(&kapital()).unwrap();
    assert_eq!(
        body(&req),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><TKKPG><Request><Operation>CreateOrder</Operation>\
         <Language>EN</Language><Order><OrderType>PreAuth</OrderType><Merchant>E1000010</Merchant>\
         <Amount>3000</Amount><Currency>944</Currency><Description>Order 1</Description>\
         <ApproveURL>/testshopPageReturn.jsp</ApproveURL><CancelURL>/testshopPageReturn.jsp</CancelURL>\
         <DeclineURL>/testshopPageReturn.jsp</DeclineURL></Order></Request></TKKPG>"
    );
}

#[test]
fn create_order_operation_urls_override_config_and_extras_follow_decline_url() {
    // Mutual Trust Bank style: AddParams/FA-DATA, Fee, TerminalID (the documented element order).
    let config = Config::generic(
        "https://mpi.mutualtrustbank.com:7777/Exec",
        "M77",
        Currency::BDT,
    )
    .unwrap()
    .approve_url("https://a/ok");
    let op = CreateOrder::purchase(Amount::from_minor(150000, Currency::BDT), "Tk")
        .cancel_url("https://a/c")
        .decline_url("https://a/d")
        .add_param("FA-DATA", "Phone=01700000000; Email=a&b@x.bd")
        .add_param("email", "a@x.bd")
        .fee(Amount::from_minor(25, Currency::BDT))
        .terminal_id("T1");
    let req = op.build_request(&config).unwrap();
    assert_request(
        &req,
        "https://mpi.mutualtrustbank.com:7777/Exec",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><TKKPG><Request><Operation>CreateOrder</Operation>\
         <Language>EN</Language><Order><OrderType>Purchase</OrderType><Merchant>M77</Merchant>\
         <Amount>150000</Amount><Currency>050</Currency><Description>Tk</Description>\
         <ApproveURL>https://a/ok</ApproveURL><CancelURL>https://a/c</CancelURL>\
         <DeclineURL>https://a/d</DeclineURL><AddParams><FA-DATA>Phone=01700000000; Email=a&amp;b@x.bd</FA-DATA>\
         <email>a@x.bd</email></AddParams><Fee>25</Fee><TerminalID>T1</TerminalID></Order></Request></TKKPG>",
    );
}

#[test]
fn get_order_status_matches_s1_sample() {
    // Kapital's TWEC document leaves both ids empty; filled with the ids of its
    // GetOrderInformation example.
    let expected = compact(&fixture("req_get_order_status_s1.xml"))
        .replace("<OrderID></OrderID>", "<OrderID>14008766</OrderID>")
        .replace(
            "<SessionID></SessionID>",
            "<SessionID>277F3E926B1FADDA45E449B0C0E8CF76</SessionID>",
        );
    let op = GetOrderStatus::new("14008766", "277F3E926B1FADDA45E449B0C0E8CF76");
    let req = op.build_request(&kapital().language(Language::Ru)).unwrap();
    assert_request(&req, KAPITAL_TEST, &expected);
    // The per-operation language wins over the config's.
    let req = op
        .clone()
        .language(Language::Ru)
        .build_request(&kapital().language(Language::Az))
        .unwrap();
    assert_request(&req, KAPITAL_TEST, &expected);
}

#[test]
fn get_order_information_matches_s1_sample() {
    let op = GetOrderInformation::new("14008766", "277F3E926B1FADDA45E449B0C0E8CF76");
    let req = op.build_request(&kapital()).unwrap();
    assert_request(
        &req,
        KAPITAL_TEST,
        &compact(&fixture("req_get_order_information_s1.xml")),
    );
}

#[test]
fn get_order_information_options_follow_session_id() {
    let op = GetOrderInformation::new("1", "S")
        .show_params(true)
        .show_operations(false)
        .classic_view(true);
    let req = op.build_request(&kapital()).unwrap();
    assert!(body(&req).ends_with(
        "</Order><SessionID>S</SessionID><ShowParams>true</ShowParams>\
         <ShowOperations>false</ShowOperations><ClassicView>true</ClassicView></Request></TKKPG>"
    ));
}

#[test]
fn refund_kapital_form_matches_s1_sample() {
    let expected = compact(&fixture("req_refund_kapital_s1.xml")).replace("refund_amount", "1050");
    let config = Config::kapital_test("your_merchant_id");
    let op = Refund::new(
        "original_order_id",
        "original_session_id",
        Amount::from_minor(1050, AZN),
    )
    .description("refund test");
    // Seed 001: the TwoId of the purchase must go in <TranId>. Without it nothing is built
    // (never an empty <TranId></TranId>), and the error names the field.
    let e = op.build_request(&config).unwrap_err();
    assert_eq!(e.field(), Some("TranId"), "{e}");
    assert!(e.to_string().contains("TwoId"), "{e}");
    let expected = expected.replace("<TranId></TranId>", "<TranId>2292054</TranId>");
    let req = op
        .clone()
        .tran_id("2292054")
        .build_request(&config)
        .unwrap();
    assert_request(&req, KAPITAL_TEST, &expected);
    // WithFee is the only other thing that changes.
    let req = op
        .clone()
        .tran_id("2292054")
        .with_fee(true)
        .build_request(&config)
        .unwrap();
    assert_request(
        &req,
        KAPITAL_TEST,
        &expected.replace("<WithFee>false</WithFee>", "<WithFee>true</WithFee>"),
    );
}

#[test]
fn reverse_kapital_form_matches_eyvazoff_template() {
    let op =
        Reverse::new("14008766", "277F3E926B1FADDA45E449B0C0E8CF76").description("reverse test");
    // The template's empty <TranId></TranId> is left out (azpay sends no empty element);
    // a given TranId is written where the template has it.
    let template = compact(&fixture("req_reverse_kapital_eyv.xml"));
    let req = op.build_request(&kapital()).unwrap();
    assert_request(
        &req,
        KAPITAL_TEST,
        &template.replace("<TranId></TranId>", ""),
    );
    let req = op
        .clone()
        .tran_id("2292054")
        .build_request(&kapital())
        .unwrap();
    assert_request(
        &req,
        KAPITAL_TEST,
        &template.replace("<TranId></TranId>", "<TranId>2292054</TranId>"),
    );
    // Kapital's Reverse has no amount: refused before sending.
    let e = op
        .amount(Amount::from_minor(1, AZN))
        .build_request(&kapital())
        .unwrap_err();
    assert_eq!(e.field(), Some("Amount"));
}

#[test]
fn completion_matches_arif_eyv_shape() {
    let op = Completion::new(
        "123",
        "277F3E926B1FADDA45E449B0C0E8CF76",
        Amount::parse_major("10", AZN).unwrap(),
    )
    .description("capture")
    .language(Language::Az);
    let req = op.build_request(&kapital()).unwrap();
    assert_request(&req, KAPITAL_TEST, &compact(&fixture("req_completion.xml")));
}

#[test]
fn refund_generic_form_liberty() {
    let config = Config::generic(
        "https://mof.libertybank.ge/Exec",
        "LIBERTY01",
        Currency::GEL,
    )
    .unwrap();
    let op = Refund::new(
        "1086880",
        "740A7AB7EB527908EB9507154CFAD389",
        Amount::parse_major("10.50", Currency::GEL).unwrap(),
    )
    // Kapital-only settings have no effect in the generic form.
    .tran_id("ignored")
    .with_fee(true);
    let req = op.build_request(&config).unwrap();
    assert_request(
        &req,
        "https://mof.libertybank.ge/Exec",
        &compact(&fixture("req_refund_generic_liberty.xml")),
    );
}

#[test]
fn reverse_generic_form_forte_lower_case_language() {
    let config = Config::generic("https://epay.fortebank.com:8443/Exec", "1", Currency::KZT)
        .unwrap()
        .language(Language::Ru)
        .language_case(LanguageCase::Lower);
    let op = Reverse::new("1", "8768767656747456A5D0D")
        .amount(Amount::from_minor(10000, Currency::KZT))
        .description("a");
    let req = op.build_request(&config).unwrap();
    assert_request(
        &req,
        "https://epay.fortebank.com:8443/Exec",
        &compact(&fixture("req_reverse_generic_forte.xml")),
    );
}

#[test]
fn reverse_generic_form_unified_payment_exact_bytes() {
    let ngn = Currency::new("NGN", 566, 2).unwrap();
    let config = Config::generic("https://example.invalid/Exec", "verbose", ngn).unwrap();
    let req = Reverse::new("1086880", "740A7AB7EB527908EB9507154CFAD389")
        .build_request(&config)
        .unwrap();
    assert_eq!(
        body(&req),
        fixture("req_reverse_generic_unifiedpayment.xml")
    );
}

#[test]
fn the_config_flag_switches_refund_and_reverse_forms() {
    let op = Refund::new("7", "S", Amount::from_minor(100, AZN)).tran_id("2292054");
    let kap = op.build_request(&kapital()).unwrap();
    let gen = op
        .build_request(&kapital().form(RequestForm::Generic))
        .unwrap();
    assert!(body(&kap).contains("<Positions>") && body(&kap).contains("<Source>1</Source>"));
    assert_eq!(
        body(&gen),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><TKKPG><Request><Operation>Refund</Operation>\
         <Language>EN</Language><Order><Merchant>E1000010</Merchant><OrderID>7</OrderID></Order>\
         <SessionID>S</SessionID><Refund><Amount>100</Amount><Currency>944</Currency></Refund>\
         </Request></TKKPG>"
    );
    let rev = Reverse::new("7", "S");
    let kap = rev
        .build_request(&kapital().form(RequestForm::Kapital))
        .unwrap();
    let gen = rev
        .build_request(&kapital().form(RequestForm::Generic))
        .unwrap();
    assert!(body(&kap).ends_with(
        "</Order><Description>Reverse of order 7</Description><SessionID>S</SessionID>\
         <Source>1</Source></Request></TKKPG>"
    ));
    assert!(body(&gen).ends_with(
        "<Order><Merchant>E1000010</Merchant><OrderID>7</OrderID></Order><SessionID>S</SessionID></Request></TKKPG>"
    ));
}

#[test]
fn presets() {
    let p = Config::kapital_production("E1");
    assert_eq!(p.base(), "https://3dsrv.kapitalbank.az:5443/Exec");
    assert_eq!(p.form_in_use(), RequestForm::Kapital);
    assert_eq!(p.currency_in_use(), AZN);
    assert_eq!(p.merchant_id(), "E1");
    // The test preset differs from production in the base URL only.
    let t = Config::kapital_test("E1");
    assert_eq!(t.base(), "https://tstpg.kapitalbank.az:5443/Exec");
    assert_eq!(t.clone().base_url(p.base()).unwrap(), p);
    assert_eq!(t.default_language(), azpay_core::Language::En);
    assert_eq!(
        t.language_case_in_use(),
        azpay_core::twec::LanguageCase::Upper
    );
    assert_eq!(
        t.xmlmsg_encoding_in_use(),
        azpay_core::twec::XmlMsgEncoding::Auto
    );
    assert_eq!(t.default_approve_url(), None);
    let g = Config::generic("https://twpg.ubrr.ru:8443/Exec", "M", Currency::RUB).unwrap();
    assert_eq!(g.form_in_use(), RequestForm::Generic);
    let req = GetOrderStatus::new("1", "S").build_request(&g).unwrap();
    assert_eq!(req.uri().to_string(), "https://twpg.ubrr.ru:8443/Exec");
    let dbg = format!("{:?}", kapital());
    assert!(
        dbg.contains("E1000010") && dbg.contains("tstpg.kapitalbank.az"),
        "{dbg}"
    );
}

fn field(e: BuildError) -> &'static str {
    e.field().unwrap_or("<none>")
}

#[test]
fn invalid_input_is_refused_naming_the_field() {
    let c = kapital();
    let azn = |m| Amount::from_minor(m, AZN);
    assert_eq!(
        field(GetOrderStatus::new("", "S").build_request(&c).unwrap_err()),
        "OrderID"
    );
    assert_eq!(
        field(GetOrderStatus::new("1", " ").build_request(&c).unwrap_err()),
        "SessionID"
    );
    assert_eq!(
        field(
            GetOrderStatus::new("1", "S")
                .build_request(&Config::kapital_test(""))
                .unwrap_err()
        ),
        "Merchant"
    );
    assert_eq!(
        field(
            CreateOrder::purchase(azn(0), "d")
                .build_request(&c)
                .unwrap_err()
        ),
        "Amount"
    );
    // Kapital's form takes 944 only: another currency is refused naming `Currency`, even
    // when the merchant's configured currency matches it; the generic form refuses only a
    // mismatch with the merchant's currency (`Amount`).
    assert_eq!(
        field(
            CreateOrder::purchase(Amount::from_minor(1, Currency::USD), "d")
                .build_request(&c)
                .unwrap_err()
        ),
        "Currency"
    );
    assert_eq!(
        field(
            CreateOrder::purchase(Amount::from_minor(1, Currency::USD), "d")
                .build_request(&c.clone().currency(Currency::USD))
                .unwrap_err()
        ),
        "Currency"
    );
    assert_eq!(
        field(
            CreateOrder::purchase(Amount::from_minor(1, Currency::USD), "d")
                .build_request(&c.clone().form(RequestForm::Generic))
                .unwrap_err()
        ),
        "Amount"
    );
    assert_eq!(
        field(
            CreateOrder::purchase(azn(1), "a\u{0}b")
                .build_request(&c)
                .unwrap_err()
        ),
        "Description"
    );
    assert_eq!(
        field(
            CreateOrder::purchase(azn(1), "\u{1b}[31m")
                .build_request(&c)
                .unwrap_err()
        ),
        "Description"
    );
    assert_eq!(
        field(
            CreateOrder::purchase(azn(1), "d")
                .build_request(&Config::kapital_test("E1"))
                .unwrap_err()
        ),
        "ApproveURL"
    );
    assert_eq!(
        field(
            CreateOrder::purchase(azn(1), "d")
                .add_param("a b", "x")
                .build_request(&c)
                .unwrap_err()
        ),
        "AddParams"
    );
    assert_eq!(
        field(
            CreateOrder::purchase(azn(1), "d")
                .add_param("ok", "\u{FFFE}")
                .build_request(&c)
                .unwrap_err()
        ),
        "AddParams"
    );
    assert_eq!(
        field(
            Refund::new("1", "S", azn(5))
                .tran_id("7")
                .description("\u{7}")
                .build_request(&c)
                .unwrap_err()
        ),
        "Description"
    );
    assert_eq!(
        field(Refund::new("1", "S", azn(0)).build_request(&c).unwrap_err()),
        "Amount"
    );
    // A bad base URL is refused when the configuration is built.
    assert_eq!(
        field(kapital().base_url("not a url").unwrap_err()),
        "base_url"
    );
}

#[test]
fn every_text_node_is_escaped() {
    let d = "Tom & Jerry <b>\"quoted\"</b> 'x' ]]> ödəniş ğ ı ş ü ç Ə\r\nline";
    let req = CreateOrder::purchase(Amount::from_minor(1, AZN), d)
        .build_request(&kapital())
        .unwrap();
    assert!(body(&req).contains(
        "<Description>Tom &amp; Jerry &lt;b&gt;&quot;quoted&quot;&lt;/b&gt; &apos;x&apos; ]]&gt; \
         ödəniş ğ ı ş ü ç Ə&#13;\nline</Description>"
    ));
    // Injection attempt in an id stays text.
    let req = GetOrderStatus::new("1</OrderID><OrderID>2", "S")
        .build_request(&kapital())
        .unwrap();
    assert!(body(&req).contains("<OrderID>1&lt;/OrderID&gt;&lt;OrderID&gt;2</OrderID>"));
}

#[test]
fn execute_marks_requests_as_needing_a_client_certificate() {
    let transport = |req: HttpRequest| -> Result<HttpResponse, TransportError> {
        let meta = RequestMeta::of(&req).copied().expect("meta attached");
        assert_eq!(meta.gateway, "twec");
        assert!(meta.requires_client_identity);
        assert!(meta.idempotent);
        assert_eq!(meta.operation, "get_order_status");
        Ok(http::Response::new(
            b"<TKKPG><Response><Status>00</Status><Order><OrderID>1</OrderID><OrderStatus>CREATED</OrderStatus></Order></Response></TKKPG>".to_vec(),
        ))
    };
    let out = execute(&GetOrderStatus::new("1", "S"), &kapital(), &transport).unwrap();
    assert_eq!(out.order_status, twec::OrderStatus::Created);
    let idempotent = [
        <CreateOrder as Operation>::IDEMPOTENT,
        <GetOrderStatus as Operation>::IDEMPOTENT,
        <GetOrderInformation as Operation>::IDEMPOTENT,
        <Completion as Operation>::IDEMPOTENT,
        <Reverse as Operation>::IDEMPOTENT,
        <Refund as Operation>::IDEMPOTENT,
    ];
    assert_eq!(idempotent, [false, true, true, false, false, false]);
}
