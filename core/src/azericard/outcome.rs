//! The public answers: the payment form ([`PaymentForm`]), the reply to a completion or
//! reversal ([`ActionReply`]) and a transaction's status ([`TransactionStatus`]).

use serde::Serialize;

use super::codes::{Action, Rc, ReplyCode, TrType};
use super::wire::{self, Record};
use crate::{Amount, Currency, HttpRequest, State};

/// The payment page as a form the customer's browser posts to Azericard: the target URL and
/// the fields in order (unset optional fields are absent, never `None`). Send it to the
/// browser with [`PaymentForm::to_html`], or post [`PaymentForm::to_request`] in a test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentForm {
    action: String,
    fields: Vec<(&'static str, String)>,
}

impl PaymentForm {
    pub(crate) fn new(action: String, fields: Vec<(&'static str, String)>) -> Self {
        PaymentForm { action, fields }
    }

    /// The form's target: `{base}/cgi-bin/cgi_link`.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The fields, in the order they are posted.
    pub fn fields(&self) -> &[(&'static str, String)] {
        &self.fields
    }

    /// The value of field `name`, if present.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `application/x-www-form-urlencoded` body the browser sends.
    pub fn body(&self) -> Vec<u8> {
        let pairs: Vec<(&str, &str)> = self.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        wire::form_body(&pairs)
    }

    /// The `POST` the browser sends when the form is submitted (for tests and dry runs).
    pub fn to_request(&self) -> HttpRequest {
        let mut request = http::Request::new(self.body());
        *request.method_mut() = http::Method::POST;
        // The action passed the base-URL checks when the configuration was built.
        if let Ok(uri) = self.action.parse() {
            *request.uri_mut() = uri;
        }
        request.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        request
    }

    /// A complete HTML page whose form posts itself on load (with a button for browsers
    /// without JavaScript). Every value and the action are HTML-escaped.
    ///
    /// ```
    /// use azpay_core::azericard::{Config, Pay, SignError, Stamp};
    /// use azpay_core::{Amount, Currency};
    /// let signer = |_: &[u8]| -> Result<Vec<u8>, SignError> { Ok(vec![1; 256]) };
    /// let config = Config::new("17202191", signer)
    ///     .merchant_name("Shop \"<A&B>\"")
    ///     .merchant_url("https://shop.example.az")
    ///     .callback_url("https://shop.example.az/back");
    /// let form = Pay::purchase(Amount::parse_major("10.50", Currency::AZN)?, "000001", "Books")
    ///     .stamp(Stamp::new("20250123044608", "f2b2dd7e603a7ada")?)
    ///     .form(&config)?;
    /// let html = form.to_html();
    /// assert!(html.contains(r#"<input type="hidden" name="MERCH_NAME" value="Shop &quot;&lt;A&amp;B&gt;&quot;">"#));
    /// assert!(!html.contains("None"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_html(&self) -> String {
        let mut h = String::with_capacity(1024);
        h.push_str("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Azericard</title></head>\n");
        h.push_str("<body onload=\"document.forms[0].submit()\">\n<form method=\"post\" action=\"");
        h.push_str(&escape(&self.action));
        h.push_str("\">\n");
        for (k, v) in &self.fields {
            h.push_str("<input type=\"hidden\" name=\"");
            h.push_str(&escape(k));
            h.push_str("\" value=\"");
            h.push_str(&escape(v));
            h.push_str("\">\n");
        }
        h.push_str("<noscript><button type=\"submit\">Continue to payment</button></noscript>\n</form>\n</body></html>\n");
        h
    }
}

/// HTML-escapes text for an attribute value or element content.
pub(crate) fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Azericard's reply to a completion (21) or reversal (22, 24): a bare code.
///
/// | reply | `state` |
/// |---|---|
/// | `0` | [`State::Done`] |
/// | `1` duplicate | [`State::Pending`]: it may have happened before; ask the status |
/// | `2` wrong parameter, `3` wrong `P_SIGN` | [`State::Declined`] |
/// | any other | [`State::Pending`] |
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ActionReply {
    /// The uniform outcome of the action.
    pub state: State,
    /// The gateway's code.
    pub code: ReplyCode,
    /// Which action was asked (`21`, `22` or `24`).
    pub trtype: TrType,
}

impl ActionReply {
    pub(crate) fn new(code: ReplyCode, trtype: TrType) -> Self {
        let state = match code {
            ReplyCode::Accepted => State::Done,
            ReplyCode::WrongParameter | ReplyCode::WrongSignature => State::Declined,
            _ => State::Pending,
        };
        ActionReply {
            state,
            code,
            trtype,
        }
    }

    /// Whether the gateway did it (`0`).
    pub fn is_done(&self) -> bool {
        self.state.is_done()
    }
}

/// A transaction's status (TRTYPE 90), read from a JSON, form or XML reply.
///
/// `state` (PROVIDERS.md §2.8, §2.13):
///
/// | `ACTION` / `RC` | transaction asked (`TRAN_TRTYPE`) | `state` |
/// |---|---|---|
/// | `0` and `00` | `0` hold, `1` purchase, `21` completion | [`State::Done`] |
/// | `0` and `00` | `22` / `24` reversal | [`State::Returned`] |
/// | `0` and `00`, "Transaction state" `Reversed`, `Refunded` or `Voided` (a guess: the document lists no values) | any | [`State::Returned`] |
/// | `0` with another or no `RC` | any | [`State::Pending`] (inconsistent: never success) |
/// | `2`, `6`, `7` (declined) | any | [`State::Declined`] |
/// | `3`, `8` (failed) | any | [`State::Declined`] |
/// | `1` (duplicate), any other | any | [`State::Pending`] |
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TransactionStatus {
    /// The uniform state (table above).
    pub state: State,
    /// `ACTION`.
    pub action: Action,
    /// `RC` (`Response code`), when present.
    pub rc: Option<Rc>,
    /// The transaction status message, when present.
    pub message: Option<String>,
    /// `TERMINAL`.
    pub terminal: Option<String>,
    /// The masked card number.
    pub card: Option<String>,
    /// The amount, when its text and currency read exactly.
    pub amount: Option<Amount>,
    /// The amount as sent.
    pub amount_text: Option<String>,
    /// The currency as sent (`AZN` or `944`).
    pub currency: Option<String>,
    /// The transaction date as sent.
    pub date: Option<String>,
    /// "Transaction state" as sent (its values are not documented).
    pub transaction_state: Option<String>,
    /// The merchant's `ORDER`.
    pub order: Option<String>,
    /// The bank's approval code.
    pub approval: Option<String>,
    /// `RRN`.
    pub rrn: Option<String>,
    /// `INT_REF`.
    pub int_ref: Option<String>,
    /// The transaction type the status is about (the reply's, else the one asked).
    pub tran_trtype: TrType,
}

impl TransactionStatus {
    pub(crate) fn from_record(r: &Record, asked: &TrType) -> Result<Self, String> {
        let s = |aliases: &[&str]| r.get(aliases).filter(|v| !v.is_empty()).map(str::to_owned);
        let action = r
            .get(&["action"])
            .filter(|v| !v.is_empty())
            .ok_or("the reply has no ACTION")?;
        let action = Action::parse(action);
        let rc = s(&["rc", "responsecode"]).map(|v| Rc::parse(&v));
        let tran_trtype = s(&["originaltransactiontrtype", "trantrtype", "origtrtype"])
            .map(|v| TrType::parse(&v))
            .unwrap_or_else(|| asked.clone());
        let amount_text = s(&["transactionamount", "amount"]);
        let currency = s(&["transactioncurrency", "currency"]);
        let amount = match (&amount_text, &currency) {
            (Some(a), Some(c)) => Currency::parse(c)
                .ok()
                .and_then(|c| Amount::parse_wire(a, c).ok()),
            (Some(a), None) => Amount::parse_wire(a, Currency::AZN).ok(),
            _ => None,
        };
        let transaction_state = s(&["transactionstate"]);
        let mut state = status_state(&action, rc.as_ref(), &tran_trtype);
        if state == State::Done && transaction_state.as_deref().is_some_and(is_returned_word) {
            state = State::Returned;
        }
        Ok(TransactionStatus {
            state,
            action,
            rc,
            message: s(&[
                "transactionstatusmessage",
                "statusmessage",
                "message",
                "desc",
            ]),
            terminal: s(&["terminal"]),
            card: s(&["cardnumber", "card"]),
            amount,
            amount_text,
            currency,
            date: s(&["transactiondate", "date"]),
            transaction_state,
            order: s(&["merchantorderid", "order"]),
            approval: s(&["banksapprovalcode", "approvalcode", "approval"]),
            rrn: s(&["transactionrrn", "rrn"]),
            int_ref: s(&["intref"]),
            tran_trtype,
        })
    }

    /// Whether `ACTION` is `0` and `RC` is `00`.
    pub fn is_approved(&self) -> bool {
        self.action == Action::Success && self.rc == Some(Rc::Approved)
    }
}

/// Whether an (undocumented) "Transaction state" word says the money went back: `Reversed`,
/// `Refunded`, `Voided` in any case. A guess that can only turn "done" into "returned".
pub(crate) fn is_returned_word(word: &str) -> bool {
    ["reversed", "refunded", "voided"]
        .iter()
        .any(|w| crate::state::word_is(word, w))
}

/// The uniform state of a transaction status (see [`TransactionStatus`]).
pub(crate) fn status_state(action: &Action, rc: Option<&Rc>, trtype: &TrType) -> State {
    match action {
        Action::Success if rc == Some(&Rc::Approved) => match trtype {
            TrType::Reversal | TrType::OfflineReversal => State::Returned,
            _ => State::Done,
        },
        Action::Declined
        | Action::RepeatDeclined
        | Action::RepeatAuthenticationError
        | Action::ProcessingError
        | Action::RepeatNoResponse => State::Declined,
        _ => State::Pending,
    }
}
