//! TWEC / TranzWare: TKKPG XML on `POST /Exec`, the `/twec/index.jsp` hosted page, and the
//! XMLOut (`xmlmsg`) message posted back through the browser.

use std::collections::BTreeMap;

mod settings;
pub use settings::TwecSettings;

use crate::cards;

use crate::util::{self, xml_escape as esc};
use crate::xml::{self, Element, XmlError};
use crate::{
    page, CardAction, CardDecision, Gateway, HostedOutcome, Redirect, Sandbox, SandboxError,
};

/// Longest URL or description accepted.
const MAX_TEXT: usize = 2000;

#[derive(Debug, Default)]
pub(crate) struct State {
    orders: BTreeMap<u64, Order>,
    next_order: u64,
    next_two: u64,
    /// The action just carried out is answered with an HTML 500 (magic amount).
    html_500_next: bool,
}

impl State {
    /// An empty state whose ids continue after `offset` (see `SandboxConfig::id_offset`).
    pub(crate) fn with_id_offset(offset: u64) -> Self {
        State {
            next_order: offset,
            next_two: offset,
            ..State::default()
        }
    }
}

#[derive(Debug, Clone)]
struct Order {
    id: u64,
    session: String,
    preauth: bool,
    amount: u64,
    currency: String,
    language: String,
    description: String,
    approve_url: String,
    cancel_url: String,
    decline_url: String,
    status: &'static str,
    create_date: String,
    last_update: String,
    pay_date: Option<String>,
    pay_time: Option<util::DateTime>,
    two_id: Option<String>,
    /// Held (pre-auth) or charged amount, after reversals.
    approved_amount: u64,
    refunded: u64,
    refund_date: Option<String>,
}

impl Order {
    /// The status word answered: the real one, or an unknown word for the magic amount.
    fn reported_status(&self) -> &'static str {
        if self.amount == cards::TWEC_AMOUNT_UNKNOWN_STATUS && self.pay_time.is_some() {
            cards::TWEC_UNKNOWN_STATUS_WORD
        } else {
            self.status
        }
    }

    fn order_type(&self) -> &'static str {
        if self.preauth {
            "PreAuth"
        } else {
            "Purchase"
        }
    }
}

/// A request-level failure: the `Status` code to answer with.
struct Fail(&'static str);

fn response(operation: &str, status: &str, inner: &str) -> http::Response<Vec<u8>> {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TKKPG><Response><Operation>{}</Operation><Status>{}</Status>{}</Response></TKKPG>\n",
        esc(operation),
        status,
        inner
    );
    crate::respond::response(200, "application/xml; charset=utf-8", body.into_bytes())
}

fn pos_response(code: &str) -> String {
    format!("<POSResponse><l name=\"ResponseCode\" value=\"{code}\"/></POSResponse>")
}

fn required<'a>(request: &'a Element, path: &[&str]) -> Result<&'a str, Fail> {
    match request.text_at(path) {
        Some(t) if !t.is_empty() => Ok(t),
        _ => Err(Fail("30")),
    }
}

fn minor_units(text: &str) -> Result<u64, Fail> {
    if text.is_empty() || text.len() > 15 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Fail("30"));
    }
    match text.parse::<u64>() {
        Ok(v) if v > 0 => Ok(v),
        _ => Err(Fail("30")),
    }
}

fn optional_amount(request: &Element, path: &[&str]) -> Result<Option<u64>, Fail> {
    match request.text_at(path) {
        None | Some("") => Ok(None),
        Some(t) => minor_units(t).map(Some),
    }
}

fn response_description(code: &str) -> &'static str {
    match code {
        "001" => "Approved, no balances available",
        "050" => "General",
        "105" => "Card not supported",
        _ => "",
    }
}

impl Sandbox {
    pub(crate) fn twec_handle(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        let root = match xml::parse(request.body()) {
            Ok(root) => root,
            Err(XmlError::Doctype | XmlError::Malformed | XmlError::TooLarge) => {
                return response("", "30", "")
            }
        };
        let Some(req) = root.child("request").filter(|_| root.name == "tkkpg") else {
            return response("", "30", "");
        };
        let operation = req.text_at(&["operation"]).unwrap_or("").to_owned();
        let name: &'static str = match operation.to_ascii_lowercase().as_str() {
            "createorder" => "CreateOrder",
            "getorderstatus" => "GetOrderStatus",
            "getorderinformation" => "GetOrderInformation",
            "completion" => "Completion",
            "reverse" => "Reverse",
            "refund" => "Refund",
            "" => return response("", "30", ""),
            _ if operation.len() <= 64 && operation.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                return response(&operation, "54", "")
            }
            _ => return response("", "54", ""),
        };
        let checked = (|| {
            let language = required(req, &["language"])?;
            if !matches!(language.to_ascii_uppercase().as_str(), "AZ" | "EN" | "RU") {
                return Err(Fail("30"));
            }
            let merchant = required(req, &["order", "merchant"])?;
            if merchant != self.config.twec_merchant_id {
                return Err(Fail("10"));
            }
            Ok(language.to_ascii_uppercase())
        })();
        let language = match checked {
            Ok(l) => l,
            Err(Fail(code)) => return response(name, code, ""),
        };
        self.count(Gateway::Twec, name);
        let result = match name {
            "CreateOrder" => self.twec_create(req, language),
            "GetOrderStatus" => self.twec_order(req).map(|o| {
                format!(
                    "<Order><OrderID>{}</OrderID><OrderStatus>{}</OrderStatus></Order>",
                    o.id,
                    o.reported_status()
                )
            }),
            "GetOrderInformation" => {
                // The bare `<Order><row>` document of Kapital's sample (seed 001) unless
                // `ClassicView` is asked for: then inside `TKKPG/Response` with `Status`, as
                // ForteBank's answers show it.
                let classic = req
                    .text_at(&["classicview"])
                    .is_some_and(|v| v.eq_ignore_ascii_case("true"));
                match self.twec_order(req).map(|o| self.twec_row(o)) {
                    Ok(row) if !classic => {
                        let body = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{row}\n");
                        return crate::respond::response(
                            200,
                            "application/xml; charset=utf-8",
                            body.into_bytes(),
                        );
                    }
                    other => other,
                }
            }
            "Completion" => self.twec_completion(req),
            "Reverse" => self.twec_reverse(req),
            _ => self.twec_refund(req),
        };
        match result {
            Ok(inner) => {
                if self.twec.html_500_next {
                    // The action was carried out; the answer is lost behind a proxy's page.
                    self.twec.html_500_next = false;
                    return crate::respond::html_response(
                        500,
                        "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>\
                         <body><h1>Internal Server Error</h1></body></html>",
                    );
                }
                response(name, "00", &inner)
            }
            Err(Fail(code)) => response(name, code, ""),
        }
    }

    fn twec_create(&mut self, req: &Element, language: String) -> Result<String, Fail> {
        let preauth = match required(req, &["order", "ordertype"])?
            .to_ascii_lowercase()
            .as_str()
        {
            "purchase" => false,
            "preauth" => true,
            _ => return Err(Fail("30")),
        };
        let amount = minor_units(required(req, &["order", "amount"])?)?;
        let currency = required(req, &["order", "currency"])?;
        if currency != "944" {
            return Err(Fail("30"));
        }
        let description = req.text_at(&["order", "description"]).unwrap_or("");
        let approve = required(req, &["order", "approveurl"])?;
        let cancel = req
            .text_at(&["order", "cancelurl"])
            .filter(|s| !s.is_empty())
            .unwrap_or(approve);
        let decline = req
            .text_at(&["order", "declineurl"])
            .filter(|s| !s.is_empty())
            .unwrap_or(approve);
        if [description, approve, cancel, decline]
            .iter()
            .any(|t| t.len() > MAX_TEXT)
        {
            return Err(Fail("30"));
        }
        if self.twec.orders.len() >= self.config.max_orders {
            return Err(Fail("96"));
        }
        self.twec.next_order += 1;
        let id = 100_000 + self.twec.next_order;
        let session = self.rng.string(b"0123456789ABCDEF", 32);
        let now = self.now().iso_space();
        let order = Order {
            id,
            session: session.clone(),
            preauth,
            amount,
            currency: currency.to_owned(),
            language,
            description: description.to_owned(),
            approve_url: approve.to_owned(),
            cancel_url: cancel.to_owned(),
            decline_url: decline.to_owned(),
            status: "CREATED",
            create_date: now.clone(),
            last_update: now,
            pay_date: None,
            pay_time: None,
            two_id: None,
            approved_amount: 0,
            refunded: 0,
            refund_date: None,
        };
        self.twec.orders.insert(id, order);
        Ok(format!(
            "<Order><OrderID>{id}</OrderID><SessionID>{session}</SessionID><URL>{}</URL></Order>",
            esc(&format!("{}/twec/index.jsp", self.config.base_url))
        ))
    }

    /// The order named by `Order/OrderID` and `SessionID`; an unknown order or a session that
    /// does not match answers Status 10 (no access).
    fn twec_order(&self, req: &Element) -> Result<&Order, Fail> {
        let id = required(req, &["order", "orderid"])?;
        let session = required(req, &["sessionid"])?;
        let id: u64 = id.parse().map_err(|_| Fail("30"))?;
        let order = self.twec.orders.get(&id).ok_or(Fail("10"))?;
        if !order.session.eq_ignore_ascii_case(session) {
            return Err(Fail("10"));
        }
        Ok(order)
    }

    fn twec_row(&self, o: &Order) -> String {
        let zero = "0000-00-00 00:00:00";
        let fields: Vec<(&str, String)> = vec![
            ("id", o.id.to_string()),
            ("SessionID", o.session.clone()),
            ("createDate", o.create_date.clone()),
            ("lastUpdateDate", o.last_update.clone()),
            ("payDate", o.pay_date.clone().unwrap_or_else(|| zero.into())),
            ("MerchantID", self.config.twec_merchant_id.clone()),
            ("Amount", o.amount.to_string()),
            ("Currency", o.currency.clone()),
            ("OrderLanguage", o.language.clone()),
            ("Description", o.description.clone()),
            ("ApproveURL", o.approve_url.clone()),
            ("CancelURL", o.cancel_url.clone()),
            ("DeclineURL", o.decline_url.clone()),
            ("Orderstatus", o.reported_status().to_owned()),
            ("Receipt", String::new()),
            ("twoId", o.two_id.clone().unwrap_or_default()),
            ("RefundAmount", o.refunded.to_string()),
            (
                "RefundCurrency",
                if o.refunded > 0 {
                    o.currency.clone()
                } else {
                    "null".into()
                },
            ),
            ("ExtSystemProcess", "0".into()),
            ("OrderType", o.order_type().into()),
            ("OrderSubType", String::new()),
            ("Fee", "0".into()),
            ("Email", String::new()),
            (
                "RefundDate",
                o.refund_date.clone().unwrap_or_else(|| zero.into()),
            ),
            (
                "TWODate",
                o.pay_time.map(|t| t.yymmdd()).unwrap_or_default(),
            ),
            (
                "TWOTime",
                o.pay_time.map(|t| t.hhmmss()).unwrap_or_default(),
            ),
        ];
        let mut row = String::from("<Order><row>");
        for (k, v) in fields {
            row.push_str(&format!("<{k}>{}</{k}>", esc(&v)));
        }
        row.push_str("</row></Order>");
        row
    }

    fn twec_order_mut(&mut self, req: &Element) -> Result<Order, Fail> {
        self.twec_order(req).cloned()
    }

    fn twec_store(&mut self, mut order: Order) {
        order.last_update = self.now().iso_space();
        if order.amount == cards::TWEC_AMOUNT_HTML_500_AFTER_ACTION {
            self.twec.html_500_next = true;
        }
        self.twec.orders.insert(order.id, order);
    }

    /// A `TranId` that is present and not empty must be the order's TwoId. Kapital's Refund
    /// (the form with `Source`) must carry one (seed 001): without it, Status 30.
    fn check_tran_id(req: &Element, order: &Order) -> Result<(), Fail> {
        let kapital_refund = req.child("refund").is_some() && req.child("source").is_some();
        if kapital_refund && req.text_at(&["tranid"]).is_none_or(str::is_empty) {
            return Err(Fail("30"));
        }
        match req.text_at(&["tranid"]) {
            None | Some("") => Ok(()),
            Some(t) if order.two_id.as_deref() == Some(t) => Ok(()),
            Some(_) => Err(Fail("54")),
        }
    }

    fn twec_completion(&mut self, req: &Element) -> Result<String, Fail> {
        let mut order = self.twec_order_mut(req)?;
        let amount = optional_amount(req, &["amount"])?;
        if !order.preauth || order.status != "PREAUTH-APPROVED" {
            return Err(Fail("54"));
        }
        let amount = amount.unwrap_or(order.approved_amount);
        if amount > order.approved_amount {
            return Err(Fail("54"));
        }
        order.approved_amount = amount;
        order.status = "APPROVED";
        // The vendor's Completion answer (its integration instruction, as ForteBank's test
        // answers repeat it): `POSResponse` with the host's `ResponseCode` and its `f` fields,
        // the `a` value written with raw `&` exactly as the vendor does.
        let inner = format!(
            "<POSResponse><l name=\"ResponseCode\" value=\"001\"/><f name=\"R\" value=\"D\"/>\
             <f name=\"a\" value=\"&F{amount}#&C{currency}#&R01#\"/>\
             <f name=\"h\" value=\"{h}\"/><f name=\"t\" value=\"{t}\"/></POSResponse>",
            currency = esc(&order.currency),
            h = "0010010090",
            t = order.two_id.clone().unwrap_or_default(),
        );
        self.twec_store(order);
        Ok(inner)
    }

    fn twec_reverse(&mut self, req: &Element) -> Result<String, Fail> {
        let mut order = self.twec_order_mut(req)?;
        let amount = optional_amount(req, &["amount"])?;
        Sandbox::check_tran_id(req, &order)?;
        if !matches!(order.status, "APPROVED" | "PREAUTH-APPROVED") || order.refunded > 0 {
            return Err(Fail("54"));
        }
        let amount = amount.unwrap_or(order.approved_amount);
        if amount > order.approved_amount {
            return Err(Fail("54"));
        }
        order.approved_amount -= amount;
        if order.approved_amount == 0 {
            order.status = "REVERSED";
        }
        // ForteBank's Reverse answer: `Order/OrderID` and `Reversal/RespCode`, `RespMessage`.
        let inner = format!(
            "<Order><OrderID>{}</OrderID></Order><Reversal><RespCode>001</RespCode>\
             <RespMessage></RespMessage></Reversal>",
            order.id
        );
        self.twec_store(order);
        Ok(inner)
    }

    fn twec_refund(&mut self, req: &Element) -> Result<String, Fail> {
        let mut order = self.twec_order_mut(req)?;
        let amount = minor_units(required(req, &["refund", "amount"])?)?;
        if let Some(currency) = req.text_at(&["refund", "currency"]) {
            if !currency.is_empty() && currency != order.currency {
                return Err(Fail("30"));
            }
        }
        Sandbox::check_tran_id(req, &order)?;
        if order.status != "APPROVED" {
            return Err(Fail("54"));
        }
        if amount > order.approved_amount.saturating_sub(order.refunded) {
            return Err(Fail("54"));
        }
        if order.amount == cards::TWEC_AMOUNT_REFUND_205 {
            // Kapital: no funds on the merchant's current account (seed 001): the host
            // refuses with response code 205; nothing changes.
            return Ok(pos_response("205"));
        }
        order.refunded += amount;
        order.refund_date = Some(self.now().iso_space());
        if order.refunded == order.approved_amount {
            order.status = "REFUNDED";
        }
        self.twec_store(order);
        // ForteBank's Refund answer: `Operation` and `Status` only.
        Ok(String::new())
    }

    // ---- hosted page -------------------------------------------------------------------------

    pub(crate) fn twec_page(
        &mut self,
        request: &http::Request<Vec<u8>>,
    ) -> http::Response<Vec<u8>> {
        let mut pairs = util::query_pairs(request.uri());
        let form_pairs = if request.method() == http::Method::POST {
            util::form_pairs(request.body())
        } else {
            Vec::new()
        };
        pairs.extend(form_pairs.iter().cloned());
        let id = util::form_get_ci(&pairs, "orderid")
            .unwrap_or("")
            .to_owned();
        let session = util::form_get_ci(&pairs, "sessionid")
            .unwrap_or("")
            .to_owned();
        let Some(order) = id
            .parse::<u64>()
            .ok()
            .and_then(|n| self.twec.orders.get_mut(&n))
        else {
            return crate::respond::html_response(404, page::message("TWEC", "Unknown order."));
        };
        if !order.session.eq_ignore_ascii_case(&session) {
            return crate::respond::html_response(403, page::message("TWEC", "Wrong session."));
        }
        if order.status == "CREATED" && order.session.eq_ignore_ascii_case(&session) {
            // The payment page is open: the order is being paid for.
            order.status = "ON-PAYMENT";
        }
        let order = order.clone();
        if order.status != "ON-PAYMENT" {
            return crate::respond::html_response(
                409,
                page::message(
                    "TWEC",
                    &format!("This order cannot be paid (status {}).", order.status),
                ),
            );
        }
        let form = page::CardForm {
            gateway: "TWEC",
            amount: Some(format!("{} AZN", util::major_fixed(order.amount))),
            description: Some(order.description.clone()),
            action: String::from("/twec/index.jsp"),
            hidden: vec![
                (String::from("ORDERID"), id.clone()),
                (String::from("SESSIONID"), session),
            ],
            cards: &[crate::cards::TWEC, crate::cards::DECLINE],
            save_checkbox: None,
            error: None,
        };
        match *request.method() {
            http::Method::GET => crate::respond::html_response(200, page::card_form(&form)),
            http::Method::POST => {
                let action = crate::respond::action_from_form(&form_pairs);
                match self.complete_payment(Gateway::Twec, &id, &action) {
                    Ok(outcome) => crate::respond::outcome_response(&outcome),
                    Err(e) => page::error_response(&form, &e),
                }
            }
            _ => crate::respond::text_response(405, "GET or POST"),
        }
    }

    pub(crate) fn twec_complete(
        &mut self,
        id: &str,
        action: &CardAction,
    ) -> Result<HostedOutcome, SandboxError> {
        let not_found = || SandboxError::NotFound(id.to_owned());
        let key = id.trim().parse::<u64>().map_err(|_| not_found())?;
        let mut order = self.twec.orders.get(&key).cloned().ok_or_else(not_found)?;
        if !matches!(order.status, "CREATED" | "ON-PAYMENT") {
            return Err(SandboxError::NotPayable {
                id: id.to_owned(),
                status: order.status.to_owned(),
            });
        }
        let now = self.now();
        let (status, code, url, card) = match action {
            CardAction::Cancel => ("CANCELED", None, order.cancel_url.clone(), None),
            CardAction::Pay(card) => match Sandbox::card_decision(Gateway::Twec, &card.pan) {
                CardDecision::Approve => (
                    if order.preauth {
                        "PREAUTH-APPROVED"
                    } else {
                        "APPROVED"
                    },
                    Some("001"),
                    order.approve_url.clone(),
                    Some(card),
                ),
                CardDecision::Decline => (
                    "DECLINED",
                    Some("050"),
                    order.decline_url.clone(),
                    Some(card),
                ),
                CardDecision::Unknown => (
                    "DECLINED",
                    Some("105"),
                    order.decline_url.clone(),
                    Some(card),
                ),
            },
        };
        let approved = code == Some("001");
        let mut approval = None;
        if approved {
            self.twec.next_two += 1;
            let two_id =
                if self.config.twec.no_two_id || order.amount == cards::TWEC_AMOUNT_NO_TWO_ID {
                    None
                } else {
                    Some((2_292_000 + self.twec.next_two).to_string())
                };
            let approval_code = format!("{:06}", self.rng.next_u64() % 1_000_000);
            let rrn = format!("{:012}", self.rng.next_u64() % 1_000_000_000_000);
            order.two_id = two_id.clone();
            order.approved_amount = order.amount;
            order.pay_date = Some(now.iso_space());
            order.pay_time = Some(now);
            approval = Some((two_id, approval_code, rrn));
        }
        order.status = status;
        order.last_update = now.iso_space();
        // The XMLOut message.
        let stamp = now.dmy_slash();
        let mut msg = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message date=\"{stamp}\">\
<Version>1.0</Version><OrderID>{}</OrderID><SessionId>{}</SessionId>\
<TransactionType>{}</TransactionType>",
            order.id,
            order.session,
            order.order_type()
        );
        if let Some(card) = card {
            let pan = util::digits(&card.pan);
            msg.push_str(&format!("<PAN>{}</PAN>", esc(&util::mask_pan(&pan, 'X'))));
        }
        msg.push_str(&format!(
            "<PurchaseAmount>{0}</PurchaseAmount><TotalAmount>{0}</TotalAmount>\
<Currency>{1}</Currency><TranDateTime>{stamp}</TranDateTime>",
            order.amount, order.currency
        ));
        if let Some(code) = code {
            msg.push_str(&format!(
                "<ResponseCode>{code}</ResponseCode><ResponseDescription>{}</ResponseDescription>",
                response_description(code)
            ));
        } else {
            msg.push_str("<ResponseDescription>Canceled by the cardholder</ResponseDescription>");
        }
        if let Some(CardAction::Pay(card)) = Some(action) {
            let brand = util::brand(&util::digits(&card.pan)).to_uppercase();
            msg.push_str(&format!("<Brand>{}</Brand>", esc(&brand)));
        }
        msg.push_str(&format!("<OrderStatus>{status}</OrderStatus>"));
        if let Some((two_id, approval_code, rrn)) = &approval {
            msg.push_str(&format!(
                "<ApprovalCode>{approval_code} A</ApprovalCode><AcqFee>0</AcqFee>\
<OrderDescription>{}</OrderDescription><ApprovalCodeScr>{approval_code}</ApprovalCodeScr>\
<PurchaseAmountScr>{}</PurchaseAmountScr><CurrencyScr>AZN</CurrencyScr>\
<OrderStatusScr>{status}</OrderStatusScr>",
                esc(&order.description),
                amount_scr(order.amount)
            ));
            if let CardAction::Pay(card) = action {
                msg.push_str(&format!("<Name>{}</Name>", esc(&card.holder)));
            }
            msg.push_str(&format!(
                "<Language>{}</Language><RRN>{rrn}</RRN>",
                esc(&order.language)
            ));
            if let Some(two_id) = two_id {
                msg.push_str(&format!("<TwoId>{two_id}</TwoId>"));
            }
        } else {
            msg.push_str(&format!(
                "<OrderDescription>{}</OrderDescription><Language>{}</Language>",
                esc(&order.description),
                esc(&order.language)
            ));
        }
        if self.config.twec.xmlout_signed {
            msg.push_str(&signature(&msg));
        }
        msg.push_str("</Message>");
        if self.config.twec.xmlout_base64 {
            use base64::Engine as _;
            msg = base64::engine::general_purpose::STANDARD.encode(msg.as_bytes());
        }
        self.twec.orders.insert(key, order);
        Ok(HostedOutcome {
            gateway: Gateway::Twec,
            id: key.to_string(),
            approved,
            status: status.to_owned(),
            redirect: Redirect::PostForm {
                url,
                fields: vec![(String::from("xmlmsg"), msg)],
            },
        })
    }
}

/// An enveloped XML-DSig `<Signature>` in the layout of the TDB sample (PROTOCOLS.md §3.5):
/// `SignedInfo` (C14N, RSA-SHA1, one `Reference` with the enveloped-signature transform and a
/// SHA-1 digest of the message so far), `SignatureValue` and `KeyInfo` (`KeyName`,
/// `KeyValue/RSAKeyValue`, `X509Data`). The digest is
/// real; the signature value and certificate are placeholders (the sandbox has no bank key):
/// clients must not trust XMLOut anyway.
fn signature(message_so_far: &str) -> String {
    use base64::Engine as _;
    use sha1::Digest as _;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let digest = b64(&sha1::Sha1::digest(message_so_far.as_bytes()));
    let value = b64(&sha1::Sha1::digest(
        format!("azpay-sandbox:{digest}").as_bytes(),
    ));
    format!(
        "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo>\
<CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>\
<SignatureMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#rsa-sha1\"/>\
<Reference URI=\"\"><Transforms><Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\
<Transform Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/></Transforms><DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/>\
<DigestValue>{digest}</DigestValue></Reference></SignedInfo>\
<SignatureValue>{value}</SignatureValue><KeyInfo><KeyName>azpay-sandbox</KeyName>\
<KeyValue><RSAKeyValue><Modulus>{}</Modulus><Exponent>AQAB</Exponent></RSAKeyValue></KeyValue>\
<X509Data><X509Certificate>{}</X509Certificate></X509Data></KeyInfo></Signature>",
        b64(b"azpay sandbox: not a key"),
        b64(b"azpay sandbox: not a certificate")
    )
}

/// `PurchaseAmountScr` as the gateway writes it for display: major units, two decimals,
/// thousands grouped with a space (`6 000.00` in ForteBank's XMLOut, public code #2938232092;
/// `1.00` in TDB's).
fn amount_scr(minor: u64) -> String {
    let whole = (minor / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02}", minor % 100)
}

#[cfg(test)]
mod tests {
    #[test]
    fn amounts_for_display_are_grouped_as_the_gateway_writes_them() {
        assert_eq!(super::amount_scr(600_000), "6 000.00");
        assert_eq!(super::amount_scr(100), "1.00");
        assert_eq!(super::amount_scr(1050), "10.50");
        assert_eq!(super::amount_scr(123_456_789), "1 234 567.89");
        assert_eq!(super::amount_scr(5), "0.05");
    }
}
