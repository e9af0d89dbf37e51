use azpay_core::{epoint, execute, Amount, Currency};
use azpay_transport_blocking::{from_env, BlockingTransport};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // EPOINT_PUBLIC_KEY, EPOINT_PRIVATE_KEY and EPOINT_BASE_URL, as `azpay sandbox` prints them.
    let config: epoint::Config = from_env()?;
    let transport = BlockingTransport::builder().build()?;
    let order_id = format!("order-{}", std::process::id());
    let pay = epoint::Pay::new(Amount::parse_major("30.75", Currency::AZN)?, order_id)
        .description("test payment");
    let redirect = execute(&pay, &config, &transport)?;
    println!("send the customer to {}", redirect.redirect_url);
    Ok(())
}
