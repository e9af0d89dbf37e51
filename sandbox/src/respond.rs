//! What the simulated gateways and pages answer with: responses of a given type, redirects,
//! and the hosted pages' forms read into a [`CardAction`].

use crate::{page, util, Card, CardAction, HostedOutcome, Redirect};

/// The card details of a hosted-page POST, or the cancel button.
pub(crate) fn action_from_form(form: &[(String, String)]) -> CardAction {
    if util::form_get(form, "action") == Some("cancel") {
        return CardAction::Cancel;
    }
    let field = |k: &str| util::form_get(form, k).unwrap_or("").trim().to_owned();
    let mut card = Card::new(field("pan"));
    card.expiry = field("expiry");
    card.cvv = field("cvv");
    let holder = field("holder");
    if !holder.is_empty() {
        card.holder = holder;
    }
    card.save = matches!(util::form_get(form, "save"), Some("1" | "on" | "true"));
    CardAction::Pay(card)
}

/// Renders a hosted outcome as the browser response: a 302, an auto-posting form, or a page.
pub(crate) fn outcome_response(outcome: &HostedOutcome) -> http::Response<Vec<u8>> {
    match &outcome.redirect {
        Redirect::Get(url) => redirect_response(url),
        Redirect::PostForm { url, fields } => html_response(200, page::auto_post(url, fields)),
        Redirect::None => html_response(200, page::result(outcome)),
    }
}

pub(crate) fn response(
    status: u16,
    content_type: &str,
    body: impl Into<Vec<u8>>,
) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body.into());
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = http::HeaderValue::from_str(content_type) {
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, value);
    }
    response
}

pub(crate) fn json_response(status: u16, body: impl Into<Vec<u8>>) -> http::Response<Vec<u8>> {
    response(status, "application/json", body)
}

pub(crate) fn html_response(status: u16, body: impl Into<Vec<u8>>) -> http::Response<Vec<u8>> {
    response(status, "text/html; charset=utf-8", body)
}

pub(crate) fn text_response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    response(
        status,
        "text/plain; charset=utf-8",
        body.as_bytes().to_vec(),
    )
}

/// A `302` to `location`; a page with a link when the URL cannot be a header value.
pub(crate) fn redirect_response(location: &str) -> http::Response<Vec<u8>> {
    let page = format!(
        "<!doctype html><a href=\"{0}\">{0}</a>",
        util::html_escape(location)
    );
    match http::HeaderValue::from_str(location) {
        Ok(value) => {
            let mut response = html_response(302, page);
            response.headers_mut().insert(http::header::LOCATION, value);
            response
        }
        Err(_) => html_response(200, page),
    }
}
