//! Routing: which gateway (or hosted page) answers a request, by its path. The table is in
//! the [crate docs](crate).

use crate::respond::{html_response, text_response};
use crate::{page, Sandbox, MAX_BODY};

impl Sandbox {
    /// Answers one request without sockets.
    pub fn handle(&mut self, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        self.handled += 1;
        if request.body().len() > MAX_BODY {
            return text_response(413, "request body too large");
        }
        let path = request.uri().path().to_owned();
        let method = request.method().clone();
        if path == "/api/heartbeat" || path.starts_with("/api/1/") {
            self.epoint_handle(request)
        } else if path == "/api/order" || path.starts_with("/api/order/") {
            self.kapital_handle(request)
        } else if path.eq_ignore_ascii_case("/exec") {
            if method != http::Method::POST {
                return text_response(405, "POST a TKKPG XML document to /Exec");
            }
            self.twec_handle(request)
        } else if path.starts_with("/api/v3/") {
            self.payriff_handle(request)
        } else if path.starts_with("/payriff/pay/") {
            self.payriff_page(request)
        } else if path == "/cgi-bin/cgi_link" {
            self.azericard_handle(request)
        } else if path.starts_with("/azericard/pay/") {
            self.azericard_page(request)
        } else if path.starts_with("/epoint/pay/") {
            self.epoint_page(request)
        } else if path == "/flex" {
            self.kapital_page(request)
        } else if path == "/twec/index.jsp" {
            self.twec_page(request)
        } else if path == "/" && (method == http::Method::GET || method == http::Method::POST) {
            // POST too: the merchant return URLs `azpay sandbox` prints point here, and TWEC's
            // page returns by auto-posting `xmlmsg` to them.
            html_response(200, page::index(&self.config))
        } else {
            text_response(404, "not found")
        }
    }
}
