//! # azpay-sandbox
//!
//! A local simulator of the three gateways azpay speaks (EPoint, Kapital Bank JSON, TWEC) for
//! demos and end-to-end tests. It is filled in by a later issue; today it only answers EPoint's
//! heartbeat, so that tools can check it is wired in.

/// The simulator. Later it will hold orders, cards and holds for every gateway.
#[derive(Debug, Default)]
pub struct Sandbox {
    handled: u64,
}

impl Sandbox {
    /// A new, empty sandbox.
    pub fn new() -> Self {
        Sandbox::default()
    }

    /// Answers one request without sockets.
    pub fn handle(&mut self, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
        self.handled += 1;
        let (status, body): (u16, &[u8]) = match (request.method().as_str(), request.uri().path()) {
            ("GET", "/api/heartbeat") => (200, br#"{"status":"ok"}"#),
            _ => (404, br#"{"status":"error","message":"not simulated yet"}"#),
        };
        let mut response = http::Response::new(body.to_vec());
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or_default();
        response
    }

    /// How many requests this sandbox has answered.
    pub fn handled(&self) -> u64 {
        self.handled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_the_heartbeat_and_counts() {
        let mut sb = Sandbox::new();
        let req = http::Request::get("http://127.0.0.1/api/heartbeat")
            .body(Vec::new())
            .unwrap();
        let resp = sb.handle(&req);
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.body(), br#"{"status":"ok"}"#);
        let req = http::Request::post("http://127.0.0.1/api/1/request")
            .body(Vec::new())
            .unwrap();
        assert_eq!(sb.handle(&req).status(), 404);
        assert_eq!(sb.handled(), 2);
    }
}
