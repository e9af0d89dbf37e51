//! Compile-time proof that every gateway's configuration, operations, flows, outcomes and
//! errors can cross threads (`Send + Sync`): a server shares one `Config` between tasks and
//! moves operations and results across them. A type that stops being `Send + Sync` breaks
//! this file's build.

use azpay_core::{epoint as e, kapital as k, twec as t};

#[allow(dead_code)]
fn assert_send_sync<T: Send + Sync>() {}

const _: fn() = || {
    // Core
    assert_send_sync::<azpay_core::BuildError>();
    assert_send_sync::<azpay_core::TransportError>();
    assert_send_sync::<azpay_core::SignatureError>();
    assert_send_sync::<azpay_core::RawBody>();
    assert_send_sync::<azpay_core::RequestMeta>();
    assert_send_sync::<azpay_core::ClientIdentity>();
    assert_send_sync::<azpay_core::HttpRequest>();
    assert_send_sync::<azpay_core::Amount>();

    // EPoint
    assert_send_sync::<e::Config>();
    assert_send_sync::<e::EPoint>();
    assert_send_sync::<e::ApiError>();
    assert_send_sync::<azpay_core::ResponseError<e::ApiError>>();
    assert_send_sync::<azpay_core::Error<e::ApiError>>();
    assert_send_sync::<e::ApplePay>();
    assert_send_sync::<e::AppleSession>();
    assert_send_sync::<e::Checkout>();
    assert_send_sync::<e::GetCardStatus>();
    assert_send_sync::<e::GetStatus>();
    assert_send_sync::<e::GooglePay>();
    assert_send_sync::<e::Heartbeat>();
    assert_send_sync::<e::Pay>();
    assert_send_sync::<e::PayAndSaveCard>();
    assert_send_sync::<e::PayWithSavedCard>();
    assert_send_sync::<e::Payout>();
    assert_send_sync::<e::PreAuth>();
    assert_send_sync::<e::PreAuthComplete>();
    assert_send_sync::<e::Refund>();
    assert_send_sync::<e::SaveCard>();
    assert_send_sync::<e::SplitPay>();
    assert_send_sync::<e::SplitPayAndSaveCard>();
    assert_send_sync::<e::SplitPayWithSavedCard>();
    assert_send_sync::<e::TokenPayment>();
    assert_send_sync::<e::TokenWidget>();
    assert_send_sync::<e::WalletPayment>();
    assert_send_sync::<e::WalletStatus>();
    assert_send_sync::<e::Acknowledgement>();
    assert_send_sync::<e::CardInfo>();
    assert_send_sync::<e::CheckoutPage>();
    assert_send_sync::<e::HeartbeatStatus>();
    assert_send_sync::<e::PaymentRedirect>();
    assert_send_sync::<e::PaymentResult>();
    assert_send_sync::<e::PaymentStatus>();
    assert_send_sync::<e::SavedCardRedirect>();
    assert_send_sync::<e::TokenPayResult>();
    assert_send_sync::<e::TokenPaymentCreated>();
    assert_send_sync::<e::WidgetUrl>();
    assert_send_sync::<e::Callback>();
    assert_send_sync::<e::Status>();
    assert_send_sync::<e::BankCode>();
    assert_send_sync::<e::OperationCode>();
    assert_send_sync::<e::CardStatus>();
    assert_send_sync::<azpay_core::OneStep<e::Pay>>();

    // Kapital
    assert_send_sync::<k::Config>();
    assert_send_sync::<k::Kapital>();
    assert_send_sync::<k::ApiError>();
    assert_send_sync::<k::ErrorDetails>();
    assert_send_sync::<k::Decline>();
    assert_send_sync::<k::RedirectError>();
    assert_send_sync::<azpay_core::ResponseError<k::ApiError>>();
    assert_send_sync::<azpay_core::Error<k::ApiError>>();
    assert_send_sync::<k::CreateOrder>();
    assert_send_sync::<k::ExecTran>();
    assert_send_sync::<k::GetOrder>();
    assert_send_sync::<k::SetDstToken>();
    assert_send_sync::<k::SetSrcToken>();
    assert_send_sync::<k::PayWithSavedCard>();
    assert_send_sync::<k::Payout>();
    assert_send_sync::<k::SavedCardPreAuth>();
    assert_send_sync::<k::FlowOutcome>();
    assert_send_sync::<k::FlowStep>();
    assert_send_sync::<k::CreatedOrder>();
    assert_send_sync::<k::Merchant>();
    assert_send_sync::<k::Order>();
    assert_send_sync::<k::OrderTypeInfo>();
    assert_send_sync::<k::Terminal>();
    assert_send_sync::<k::Token>();
    assert_send_sync::<k::TokenAttached>();
    assert_send_sync::<k::TranResult>();
    assert_send_sync::<k::Transaction>();
    assert_send_sync::<k::OrderState>();
    assert_send_sync::<k::Tran>();
    assert_send_sync::<k::UnverifiedRedirect>();
    assert_send_sync::<k::OrderStatus>();
    assert_send_sync::<k::PmoResultCode>();

    // TWEC
    assert_send_sync::<t::Config>();
    assert_send_sync::<t::Twec>();
    assert_send_sync::<t::ApiError>();
    assert_send_sync::<azpay_core::ResponseError<t::ApiError>>();
    assert_send_sync::<azpay_core::Error<t::ApiError>>();
    assert_send_sync::<t::Completion>();
    assert_send_sync::<t::CreateOrder>();
    assert_send_sync::<t::GetOrderInformation>();
    assert_send_sync::<t::GetOrderStatus>();
    assert_send_sync::<t::Refund>();
    assert_send_sync::<t::Reverse>();
    assert_send_sync::<t::CreatedOrder>();
    assert_send_sync::<t::OperationOutcome>();
    assert_send_sync::<t::OrderInformation>();
    assert_send_sync::<t::OrderStatusOutcome>();
    assert_send_sync::<t::UnverifiedXmlOut>();
    assert_send_sync::<t::OrderStatus>();
    assert_send_sync::<t::ResponseCode>();
    assert_send_sync::<t::StatusCode>();
};
