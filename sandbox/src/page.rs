//! The hosted payment pages: plain HTML, every inserted value escaped.

use crate::util::html_escape as esc;
use crate::{HostedOutcome, SandboxConfig, SandboxError};

/// What a card form shows.
pub(crate) struct CardForm<'a> {
    pub gateway: &'a str,
    pub amount: Option<String>,
    pub description: Option<String>,
    /// The form's action (same path, with its query).
    pub action: String,
    pub hidden: Vec<(String, String)>,
    pub cards: &'a [&'a str],
    /// `Some(checked)` shows a "save my card" box.
    pub save_checkbox: Option<bool>,
    pub error: Option<String>,
}

const STYLE: &str = "body{font-family:sans-serif;max-width:32em;margin:2em auto;padding:0 1em}\
label{display:block;margin:.6em 0}input[type=text]{width:100%;padding:.3em}\
.err{color:#b00}.note{color:#555;font-size:.9em}button{margin:.8em .4em 0 0;padding:.4em 1.2em}";

fn shell(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n",
        esc(title)
    )
}

pub(crate) fn card_form(form: &CardForm<'_>) -> String {
    let mut body = format!("<h1>{} sandbox payment</h1>\n", esc(form.gateway));
    if let Some(amount) = &form.amount {
        body.push_str(&format!(
            "<p>Amount: <b id=\"amount\">{}</b></p>\n",
            esc(amount)
        ));
    }
    if let Some(description) = &form.description {
        body.push_str(&format!(
            "<p>Description: <span id=\"description\">{}</span></p>\n",
            esc(description)
        ));
    }
    if let Some(error) = &form.error {
        body.push_str(&format!(
            "<p class=\"err\" id=\"error\">{}</p>\n",
            esc(error)
        ));
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"{}\" accept-charset=\"utf-8\">\n",
        esc(&form.action)
    ));
    for (k, v) in &form.hidden {
        body.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
            esc(k),
            esc(v)
        ));
    }
    let first = form.cards.first().copied().unwrap_or("");
    body.push_str(&format!(
        "<label>Card number <input type=\"text\" name=\"pan\" id=\"pan\" value=\"{}\" autocomplete=\"off\"></label>\n\
<label>Expiry (MM/YY) <input type=\"text\" name=\"expiry\" id=\"expiry\" value=\"12/30\"></label>\n\
<label>CVV <input type=\"text\" name=\"cvv\" id=\"cvv\" value=\"123\"></label>\n\
<label>Name on card <input type=\"text\" name=\"holder\" id=\"holder\" value=\"TEST CARDHOLDER\"></label>\n",
        esc(first)
    ));
    if let Some(checked) = form.save_checkbox {
        body.push_str(&format!(
            "<label><input type=\"checkbox\" name=\"save\" id=\"save\" value=\"1\"{}> Save my card</label>\n",
            if checked { " checked" } else { "" }
        ));
    }
    body.push_str(
        "<button type=\"submit\" name=\"action\" value=\"pay\" id=\"pay\">Pay</button>\
<button type=\"submit\" name=\"action\" value=\"cancel\" id=\"cancel\">Cancel</button>\n</form>\n",
    );
    body.push_str("<p class=\"note\">Test cards: ");
    let list: Vec<String> = form
        .cards
        .iter()
        .map(|c| {
            let tag = if *c == crate::cards::DECLINE {
                " (always declined)"
            } else {
                " (approved)"
            };
            format!("<code>{}</code>{tag}", esc(c))
        })
        .collect();
    body.push_str(&list.join(", "));
    body.push_str(". Any expiry and CVV are accepted.</p>");
    shell(&format!("{} sandbox payment", form.gateway), &body)
}

pub(crate) fn message(gateway: &str, text: &str) -> String {
    shell(
        &format!("{gateway} sandbox"),
        &format!(
            "<h1>{} sandbox</h1>\n<p id=\"message\">{}</p>",
            esc(gateway),
            esc(text)
        ),
    )
}

pub(crate) fn error_response(form: &CardForm<'_>, error: &SandboxError) -> http::Response<Vec<u8>> {
    match error {
        SandboxError::InvalidCard(reason) => {
            let form = CardForm {
                gateway: form.gateway,
                amount: form.amount.clone(),
                description: form.description.clone(),
                action: form.action.clone(),
                hidden: form.hidden.clone(),
                cards: form.cards,
                save_checkbox: form.save_checkbox,
                error: Some(reason.clone()),
            };
            crate::respond::html_response(400, card_form(&form))
        }
        SandboxError::NotFound(_) => {
            crate::respond::html_response(404, message(form.gateway, &error.to_string()))
        }
        _ => crate::respond::html_response(409, message(form.gateway, &error.to_string())),
    }
}

/// A page that POSTs `fields` to `url` at once (with a button for browsers without scripts).
pub(crate) fn auto_post(url: &str, fields: &[(String, String)]) -> String {
    let mut body = format!(
        "<h1>Returning to the shop</h1>\n<form id=\"return\" method=\"post\" action=\"{}\">\n",
        esc(url)
    );
    for (k, v) in fields {
        body.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
            esc(k),
            esc(v)
        ));
    }
    body.push_str(
        "<button type=\"submit\">Continue</button>\n</form>\n\
<script>document.getElementById('return').submit();</script>",
    );
    shell("Returning to the shop", &body)
}

pub(crate) fn result(outcome: &HostedOutcome) -> String {
    let gateway = match outcome.gateway {
        crate::Gateway::EPoint => "EPoint",
        crate::Gateway::Kapital => "Kapital",
        crate::Gateway::Twec => "TWEC",
        crate::Gateway::Payriff => "Payriff",
        crate::Gateway::Azericard => "Azericard",
    };
    let text = format!(
        "Payment {}: {} (status {}). No merchant return URL was given.",
        outcome.id,
        if outcome.approved {
            "approved"
        } else {
            "not approved"
        },
        outcome.status
    );
    message(gateway, &text)
}

pub(crate) fn index(config: &SandboxConfig) -> String {
    let body = format!(
        "<h1>azpay sandbox</h1>\n<ul>\n\
<li>EPoint: <code>{0}/api/1/…</code>, public key <code>{1}</code></li>\n\
<li>Kapital JSON: <code>{0}/api/order</code>, user <code>{2}</code></li>\n\
<li>TWEC: <code>POST /Exec</code>, merchant <code>{3}</code></li>\n</ul>\n\
<p>Test cards: EPoint any card; Kapital <code>{4}</code>, <code>{5}</code>; TWEC <code>{6}</code>; \
<code>{7}</code> is always declined.</p>",
        esc(&config.base_url),
        esc(&config.epoint_public_key),
        esc(&config.kapital_username),
        esc(&config.twec_merchant_id),
        crate::cards::KAPITAL_VISA,
        crate::cards::KAPITAL_MASTERCARD,
        crate::cards::TWEC,
        crate::cards::DECLINE,
    );
    shell("azpay sandbox", &body)
}
