//! Invalid input is refused before anything is sent, and the error names the wire field.

use azpay_core::epoint::{self, Config};
use azpay_core::{
    execute, Amount, BuildError, Currency, Error, HttpRequest, HttpResponse, Operation,
    TransportError,
};

fn config() -> Config {
    Config::new("i000000001", "k")
}

fn azn(text: &str) -> Amount {
    Amount::parse_major(text, Currency::AZN).unwrap()
}

fn field<O: Operation<Gateway = epoint::EPoint>>(op: &O, config: &Config) -> &'static str {
    match op.build_request(config) {
        Err(e) => e.field().unwrap_or_else(|| panic!("no field in {e}")),
        Ok(r) => panic!("built {r:?}"),
    }
}

#[test]
fn order_id_length() {
    assert_eq!(
        field(&epoint::Pay::new(azn("1"), ""), &config()),
        "order_id"
    );
    let long = "x".repeat(256);
    assert_eq!(
        field(&epoint::Pay::new(azn("1"), long.as_str()), &config()),
        "order_id"
    );
    // 255 characters (not bytes) are fine.
    let max = "ə".repeat(255);
    assert!(epoint::Pay::new(azn("1"), max.as_str())
        .build_request(&config())
        .is_ok());
    assert_eq!(
        field(&epoint::GetStatus::by_order_id(""), &config()),
        "order_id"
    );
    assert_eq!(
        field(
            &epoint::PayWithSavedCard::new("ce1", azn("1"), long.as_str()),
            &config()
        ),
        "order_id"
    );
}

#[test]
fn description_length() {
    let ok = "d".repeat(1000);
    assert!(epoint::Pay::new(azn("1"), "o")
        .description(ok.as_str())
        .build_request(&config())
        .is_ok());
    let long = "d".repeat(1001);
    assert_eq!(
        field(
            &epoint::Pay::new(azn("1"), "o").description(long.as_str()),
            &config()
        ),
        "description"
    );
    assert_eq!(
        field(
            &epoint::SaveCard::new().description(long.as_str()),
            &config()
        ),
        "description"
    );
    assert_eq!(
        field(&epoint::TokenWidget::new(azn("1"), "o", ""), &config()),
        "description"
    );
}

#[test]
fn amounts() {
    let zero = Amount::from_minor(0, Currency::AZN);
    assert_eq!(field(&epoint::Pay::new(zero, "o"), &config()), "amount");
    assert_eq!(
        field(&epoint::PreAuthComplete::new(zero, "te1"), &config()),
        "amount"
    );
    assert_eq!(
        field(
            &epoint::Refund::new("te1", Currency::AZN).amount(zero),
            &config()
        ),
        "amount"
    );
    assert_eq!(
        field(
            &epoint::Refund::new("te1", Currency::AZN).amount(Amount::from_minor(1, Currency::USD)),
            &config()
        ),
        "amount"
    );
    let jpy = Currency::new("JPY", 392, 0).unwrap();
    assert_eq!(
        field(
            &epoint::Pay::new(Amount::from_minor(100, jpy), "o"),
            &config()
        ),
        "currency"
    );
    assert_eq!(
        field(&epoint::Refund::new("te1", jpy), &config()),
        "currency"
    );
    // Other two-decimal currencies go out as documented, with two decimals.
    assert!(
        epoint::Pay::new(Amount::from_minor(100, Currency::USD), "o")
            .build_request(&config())
            .is_ok()
    );
}

#[test]
fn split_amount_must_be_positive_and_less_than_amount() {
    let op = epoint::SplitPay::new(azn("10"), "o", "i2", azn("10"));
    assert_eq!(field(&op, &config()), "split_amount");
    let op = epoint::SplitPay::new(azn("10"), "o", "i2", azn("11"));
    assert_eq!(field(&op, &config()), "split_amount");
    let op = epoint::SplitPayWithSavedCard::new(
        "ce1",
        azn("10"),
        "o",
        "i2",
        Amount::from_minor(0, Currency::AZN),
    );
    assert_eq!(field(&op, &config()), "split_amount");
    let op = epoint::SplitPayAndSaveCard::new(
        azn("10"),
        "o",
        "i2",
        Amount::from_minor(100, Currency::USD),
    );
    assert_eq!(field(&op, &config()), "split_amount");
    let op = epoint::SplitPay::new(azn("10"), "o", " ", azn("1"));
    assert_eq!(field(&op, &config()), "split_user");
    assert!(epoint::SplitPay::new(azn("10"), "o", "i2", azn("9.99"))
        .build_request(&config())
        .is_ok());
}

#[test]
fn identifiers_must_not_be_empty() {
    assert_eq!(
        field(&epoint::PayWithSavedCard::new("", azn("1"), "o"), &config()),
        "card_id"
    );
    assert_eq!(
        field(&epoint::Payout::new(" ", azn("1"), "o"), &config()),
        "card_id"
    );
    assert_eq!(field(&epoint::GetCardStatus::new(""), &config()), "card_id");
    assert_eq!(
        field(&epoint::GetStatus::by_transaction(""), &config()),
        "transaction"
    );
    assert_eq!(
        field(&epoint::Refund::new("", Currency::AZN), &config()),
        "transaction"
    );
    assert_eq!(
        field(&epoint::PreAuthComplete::new(azn("1"), ""), &config()),
        "transaction"
    );
    assert_eq!(
        field(&epoint::WalletPayment::new("", azn("1"), "o"), &config()),
        "wallet_id"
    );
    assert_eq!(field(&epoint::AppleSession::new(""), &config()), "origin");
    assert_eq!(
        field(
            &epoint::ApplePay::new("", serde_json::json!({}), serde_json::json!({})),
            &config()
        ),
        "id"
    );
    assert_eq!(
        field(
            &epoint::GooglePay::new("1", serde_json::Value::Null, serde_json::json!({})),
            &config()
        ),
        "token"
    );
}

#[test]
fn redirect_urls_must_not_be_empty_when_set() {
    assert_eq!(
        field(
            &epoint::Pay::new(azn("1"), "o").success_redirect_url(""),
            &config()
        ),
        "success_redirect_url"
    );
    assert_eq!(
        field(&epoint::SaveCard::new().error_redirect_url(" "), &config()),
        "error_redirect_url"
    );
    // A configuration default that is empty is refused too.
    let c = config().error_redirect_url("");
    assert_eq!(
        field(&epoint::PayAndSaveCard::new(azn("1"), "o"), &c),
        "error_redirect_url"
    );
}

#[test]
fn nothing_is_sent_when_invalid() {
    let transport = |_: HttpRequest| -> Result<HttpResponse, TransportError> { panic!("sent") };
    let r = execute(&epoint::Pay::new(azn("1"), ""), &config(), &transport);
    match r {
        Err(Error::Build(BuildError::InvalidInput { field, reason })) => {
            assert_eq!(field, "order_id");
            assert_eq!(reason, "must not be empty");
        }
        other => panic!("{other:?}"),
    }
}
