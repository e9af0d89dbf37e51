use azpay_core::{epoint, execute_async, Amount, Currency};
use azpay_transport_hyper::{from_env, HyperTransport};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config: epoint::Config = from_env()?;
    let transport = HyperTransport::builder().build()?;
    let order_id = format!("order-{}", std::process::id());
    let pay = epoint::Pay::new(Amount::parse_major("30.75", Currency::AZN)?, order_id);
    let redirect = execute_async(&pay, &config, &transport).await?;
    let status = epoint::GetStatus::by_transaction(redirect.transaction);
    let outcome = execute_async(&status, &config, &transport).await?;
    println!("{}: {:?}", redirect.redirect_url, outcome.status);
    Ok(())
}
