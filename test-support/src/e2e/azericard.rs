//! The Azericard scenario: the signed form posted by the "browser" through the transport
//! under test, the hosted page paid, the signed BACKREF verified, status (90), completion
//! (21), reversals (22, 24), a decline, refusals (stale timestamp, reused nonce, wrong key)
//! and the unified verbs.

use azpay_core::azericard::{
    self, Complete, Config, GetStatus, Pay, Reverse, RsaPemSigner, RsaPublicKey, Stamp, TrType,
};
use azpay_core::unified::{self, GatewayKind, PaymentStatus};
use azpay_core::State;
use azpay_sandbox::{cards, credentials};

use super::{azn, card_post, text, unwrap, Client, Env};

/// A stamp from the clock (the sandbox checks the skew) and a fresh nonce.
pub fn azericard_stamp() -> Stamp {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    Stamp::new(
        timestamp(secs),
        format!(
            "{:08x}{:08x}{:08x}",
            std::process::id(),
            nanos,
            N.fetch_add(1, Ordering::SeqCst)
        ),
    )
    .expect("a clock stamp")
}

/// `YYYYMMDDHHMMSS` of Unix seconds.
pub fn timestamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

impl Env {
    /// The sandbox's Azericard terminal with its TEST-ONLY keys.
    pub fn azericard_config(&self) -> Config {
        let signer =
            RsaPemSigner::from_pem(azpay_sandbox::TEST_MERCHANT_PRIVATE_KEY_PEM.as_bytes())
                .expect("the test merchant key");
        Config::new(credentials::AZERICARD_TERMINAL, signer)
            .base_url(self.base())
            .expect("the sandbox's base URL")
            .merchant_name("azpay e2e shop")
            .merchant_url("https://shop.test")
            .callback_url(format!("{}/?shop=azericard", self.base()))
            .gateway_key(
                RsaPublicKey::from_pem(azpay_sandbox::TEST_GATEWAY_PUBLIC_KEY_PEM.as_bytes())
                    .expect("the test gateway key"),
            )
            .stamps(azericard_stamp)
    }
}

/// Hidden inputs of an auto-post page, in order.
fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    html.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .filter_map(|part| {
            let (name, rest) = part.split_once("\" value=\"")?;
            let value = rest.split_once('"')?.0;
            Some((
                name.to_owned(),
                value
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&"),
            ))
        })
        .collect()
}

/// The browser posts `form`, opens the card page and pays with `pan`: the BACKREF body.
async fn browser_pays<C: Client>(
    c: &C,
    env: &Env,
    form: &azericard::PaymentForm,
    pan: &str,
) -> Vec<u8> {
    let page = c.send(form.to_request()).await.expect("the form is posted");
    assert_eq!(page.status(), 200, "{}", text(&page));
    let html = text(&page);
    let at = html.find("/azericard/pay/").expect("the card page");
    let path: String = html[at..].chars().take_while(|ch| *ch != '"').collect();
    let done = c
        .send(card_post(&format!("{}{path}", env.base()), pan, &[]))
        .await
        .expect("the card is posted");
    let fields = hidden_inputs(&text(&done));
    assert!(fields.iter().any(|(k, _)| k == "P_SIGN"), "{}", text(&done));
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &fields {
        s.append_pair(k, v);
    }
    s.finish().into_bytes()
}

pub async fn azericard_every_operation<C: Client>(c: &C, env: &Env) {
    let config = env.azericard_config();
    let base_order: u64 = u64::from(std::process::id() % 10_000) * 100;
    let order = |n: u64| format!("{:08}", base_order + n);

    // Purchase: form, page, BACKREF verified, status confirms, reversal, status returned.
    let form = Pay::purchase(azn("10.50"), order(1), "e2e purchase")
        .form(&config)
        .unwrap();
    let body = browser_pays(c, env, &form, cards::AZERICARD_VISA).await;
    let claim = azericard::verify_callback(&config, &body).expect("BACKREF verifies");
    assert_eq!(claim.order(), order(1));
    let status = unwrap("status", c.exec(&claim.status_query(), &config).await);
    assert_eq!(status.state, State::Done);
    assert!(claim.claim_matches(&status));
    assert_eq!(status.amount, Some(azn("10.50")));
    let mut tampered = body.clone();
    let at = tampered.iter().position(|b| *b == b'=').unwrap() + 1;
    tampered[at] ^= 1;
    assert!(azericard::verify_callback(&config, &tampered).is_err());
    let reverse = Reverse::new(order(1), azn("10.50"), claim.rrn(), claim.int_ref());
    assert_eq!(
        unwrap("reverse", c.exec(&reverse, &config).await).state,
        State::Done
    );
    assert_eq!(
        unwrap("reverse again", c.exec(&reverse, &config).await).state,
        State::Pending
    );
    let after = unwrap("status", c.exec(&GetStatus::new(order(1)), &config).await);
    assert_eq!(after.state, State::Returned);
    let reversal = GetStatus::new(order(1)).tran_trtype(TrType::Reversal);
    assert_eq!(
        unwrap("status 22", c.exec(&reversal, &config).await).state,
        State::Returned
    );

    // Hold: completion (21), then an offline reversal (24).
    let form = Pay::preauth(azn("3"), order(2), "e2e hold")
        .form(&config)
        .unwrap();
    let claim = azericard::verify_callback(
        &config,
        &browser_pays(c, env, &form, cards::AZERICARD_MASTERCARD).await,
    )
    .unwrap();
    let held = unwrap("status 0", c.exec(&claim.status_query(), &config).await);
    assert_eq!(
        (held.state, PaymentStatus::from_azericard(&held)),
        (State::Done, PaymentStatus::Authorized)
    );
    let complete = Complete::new(order(2), azn("3"), claim.rrn(), claim.int_ref());
    assert_eq!(
        unwrap("complete", c.exec(&complete, &config).await).state,
        State::Done
    );
    let wrong = Complete::new(order(2), azn("3"), "000000000000", claim.int_ref());
    assert_eq!(
        unwrap("complete wrong rrn", c.exec(&wrong, &config).await).state,
        State::Declined
    );
    let offline = Reverse::new(order(2), azn("3"), claim.rrn(), claim.int_ref()).offline();
    assert_eq!(
        unwrap("reverse 24", c.exec(&offline, &config).await).state,
        State::Done
    );

    // A decline.
    let form = Pay::purchase(azn("1"), order(3), "e2e decline")
        .form(&config)
        .unwrap();
    let claim =
        azericard::verify_callback(&config, &browser_pays(c, env, &form, cards::DECLINE).await)
            .unwrap();
    let declined = unwrap("status", c.exec(&claim.status_query(), &config).await);
    assert_eq!(declined.state, State::Declined);

    // Refusals: a stale timestamp, a reused nonce, another merchant key.
    let stale = Stamp::new("20000101000000", "0123456789abcdef").unwrap();
    let err = c
        .exec(&GetStatus::new(order(1)).stamp(stale), &config)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            azpay_core::Error::Response(azpay_core::ResponseError::Api(_))
        ),
        "{err:?}"
    );
    let fresh = azericard_stamp();
    let _ = unwrap(
        "status",
        c.exec(&GetStatus::new(order(1)).stamp(fresh.clone()), &config)
            .await,
    );
    let reused = complete.clone().stamp(fresh);
    assert_eq!(
        unwrap("reused nonce", c.exec(&reused, &config).await).state,
        State::Pending
    );
    let other_key = |_: &[u8]| -> Result<Vec<u8>, azericard::SignError> { Ok(vec![0x42; 256]) };
    let forged = Config::new(credentials::AZERICARD_TERMINAL, other_key)
        .base_url(env.base())
        .unwrap()
        .stamps(azericard_stamp);
    assert_eq!(
        unwrap("forged", c.exec(&reverse, &forged).await).state,
        State::Declined
    );

    // The unified verbs.
    let uconfig = unified::Config::new().azericard(config.clone());
    let created = unified::CreatePayment::new(GatewayKind::Azericard, azn("4.20"), order(4))
        .description("e2e unified")
        .form(&uconfig)
        .unwrap();
    let body = browser_pays(c, env, &created.form, cards::AZERICARD_VISA_2).await;
    let ret = unified::Return::azericard_callback(&config, &body).unwrap();
    let unified::Verification::Query(q) = ret.verify().unwrap() else {
        panic!("an Azericard return is confirmed by a query")
    };
    let state = unwrap("unified status", c.exec(&q, &uconfig).await);
    assert_eq!(
        (state.status, state.state),
        (PaymentStatus::Paid, State::Done)
    );
    let unified::Return::Azericard(cb) = &ret else {
        unreachable!()
    };
    let payment = created.payment.with_azericard_refs(cb.rrn(), cb.int_ref());
    let refund = unwrap(
        "unified refund",
        c.exec(&unified::Refund::full(&payment), &uconfig).await,
    );
    assert!(refund.approved());
    let state = unwrap(
        "unified status",
        c.exec(&unified::GetStatus::new(&payment), &uconfig).await,
    );
    assert_eq!(state.state, State::Returned);
}
