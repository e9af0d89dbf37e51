//! Fault injection for the served sandbox: what the network and a tired gateway do to a
//! client, on purpose and reproducibly.
//!
//! A [`Fault`] is a [`FaultKind`] with a rate in `0.0..=1.0`. [`serve`](crate::serve::serve)
//! (options [`ServeOptions::fault`](crate::serve::ServeOptions::fault), or at run time
//! [`ServerHandle::set_faults`](crate::serve::ServerHandle::set_faults)) draws one number per
//! gateway API request (`/api/...`, `/Exec`; hosted pages are never faulted) from a seeded
//! generator, so the same seed and the same request order give the same faults.
//!
//! | kind | text | when | what the client sees | executed? |
//! |---|---|---|---|---|
//! | [`FaultKind::Delay`] | `delay` (1000 ms), `delay=MILLIS` | after processing | the answer comes after the pause (a client with a shorter timeout gives up) | yes |
//! | [`FaultKind::Reset`] | `reset` | after processing | the connection closes halfway through the response | yes |
//! | [`FaultKind::Oversize`] | `oversize` | after processing | a 200 with a chunked body of 4 MiB of filler | yes |
//! | [`FaultKind::Garbage`] | `garbage` | after processing | bytes that are not HTTP, then the connection closes | yes |
//! | [`FaultKind::Status`] | `status:503` (any 100..=599) | before processing (like a load balancer) | that status with a short text body | no |
//! | [`FaultKind::DropBeforeProcessing`] | `drop-before-processing` (or `drop`) | before processing | the connection closes without an answer | no |
//!
//! "Executed" is what [`Sandbox::executed`](crate::Sandbox::executed) counts.
//!
//! ```
//! use azpay_sandbox::fault::{Fault, FaultKind};
//!
//! let fault = FaultKind::parse("reset:0.05").unwrap();
//! assert_eq!(fault, Fault::new(FaultKind::Reset, 0.05));
//! assert_eq!(FaultKind::parse("status:503").unwrap().kind, FaultKind::Status(503));
//! assert_eq!(FaultKind::parse("status:503:0.5").unwrap().rate, 0.5);
//! assert_eq!(FaultKind::parse("delay=250:1").unwrap().kind,
//!            FaultKind::Delay(std::time::Duration::from_millis(250)));
//! assert!(FaultKind::parse("reset:2").is_err());
//! assert_eq!(fault.to_string(), "reset:0.05");
//! ```

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// The default pause of [`FaultKind::Delay`] when the text gives none.
pub const DEFAULT_DELAY: Duration = Duration::from_millis(1000);

/// How many filler bytes [`FaultKind::Oversize`] sends (4 MiB, above every default limit).
pub const OVERSIZE_BYTES: usize = 4 << 20;

/// One kind of misbehaviour. See the [module docs](self) for what each does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultKind {
    /// Process the request, then wait this long before answering.
    Delay(Duration),
    /// Process the request, then close the connection halfway through the response.
    Reset,
    /// Process the request, then answer with a body larger than any client limit.
    Oversize,
    /// Process the request, then answer with bytes that are not HTTP and close.
    Garbage,
    /// Answer with this HTTP status without processing the request.
    Status(u16),
    /// Close the connection without processing the request or answering.
    DropBeforeProcessing,
}

impl FaultKind {
    /// Parses `KIND[:RATE]` as the CLI's `--fault` takes it (`reset:0.05`, `status:503`,
    /// `status:503:0.5`, `delay=1500:0.1`, `drop-before-processing`). The rate defaults to
    /// `1.0` (every request) and must be in `0..=1`.
    pub fn parse(text: &str) -> Result<Fault, ParseFaultError> {
        let text = text.trim();
        let err = |reason: &str| ParseFaultError(format!("`{text}`: {reason}"));
        let mut parts = text.split(':');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let kind =
            match name.as_str() {
                "reset" => FaultKind::Reset,
                "oversize" => FaultKind::Oversize,
                "garbage" => FaultKind::Garbage,
                "drop" | "drop-before-processing" => FaultKind::DropBeforeProcessing,
                "delay" => FaultKind::Delay(DEFAULT_DELAY),
                "status" => {
                    let code = parts
                        .next()
                        .ok_or_else(|| err("`status` needs a code, e.g. status:503"))?;
                    let code: u16 = code
                        .trim()
                        .parse()
                        .map_err(|_| err("the status code must be a number"))?;
                    if !(100..=599).contains(&code) {
                        return Err(err("the status code must be in 100..=599"));
                    }
                    FaultKind::Status(code)
                }
                other => match other.strip_prefix("delay=") {
                    Some(ms) => {
                        let ms = ms.trim().trim_end_matches("ms");
                        let ms: u64 = ms
                            .parse()
                            .map_err(|_| err("delay=MILLIS needs a number of milliseconds"))?;
                        FaultKind::Delay(Duration::from_millis(ms))
                    }
                    None => return Err(err(
                        "unknown fault; expected delay, delay=MILLIS, reset, oversize, garbage, \
                         status:CODE or drop-before-processing",
                    )),
                },
            };
        let rate = match parts.next() {
            None => 1.0,
            Some(r) => r
                .trim()
                .parse::<f64>()
                .map_err(|_| err("the rate must be a number in 0..=1"))?,
        };
        if parts.next().is_some() {
            return Err(err("too many `:` parts; expected KIND[:RATE]"));
        }
        if !(0.0..=1.0).contains(&rate) {
            return Err(err("the rate must be in 0..=1"));
        }
        Ok(Fault { kind, rate })
    }

    /// Whether the request is processed (counted by `executed`) before the fault strikes.
    pub fn processes_request(&self) -> bool {
        !matches!(self, FaultKind::Status(_) | FaultKind::DropBeforeProcessing)
    }

    /// A short name: `delay`, `reset`, `oversize`, `garbage`, `status`, `drop-before-processing`.
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Delay(_) => "delay",
            FaultKind::Reset => "reset",
            FaultKind::Oversize => "oversize",
            FaultKind::Garbage => "garbage",
            FaultKind::Status(_) => "status",
            FaultKind::DropBeforeProcessing => "drop-before-processing",
        }
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultKind::Delay(d) if *d == DEFAULT_DELAY => f.write_str("delay"),
            FaultKind::Delay(d) => write!(f, "delay={}", d.as_millis()),
            FaultKind::Status(code) => write!(f, "status:{code}"),
            other => f.write_str(other.name()),
        }
    }
}

/// A fault and how often it strikes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fault {
    /// What happens.
    pub kind: FaultKind,
    /// The share of gateway requests it strikes, `0.0..=1.0` (clamped).
    pub rate: f64,
}

impl Fault {
    /// `kind` at `rate` (clamped to `0..=1`; NaN is 0).
    pub fn new(kind: FaultKind, rate: f64) -> Self {
        let rate = if rate.is_nan() {
            0.0
        } else {
            rate.clamp(0.0, 1.0)
        };
        Fault { kind, rate }
    }

    /// `kind` on every request.
    pub fn always(kind: FaultKind) -> Self {
        Fault::new(kind, 1.0)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.rate)
    }
}

impl FromStr for Fault {
    type Err = ParseFaultError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FaultKind::parse(s)
    }
}

/// A `--fault` text that could not be read; the message says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFaultError(String);

impl fmt::Display for ParseFaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid fault {}", self.0)
    }
}

impl std::error::Error for ParseFaultError {}

/// Decides, request after request, which fault (if any) strikes: one draw per request from a
/// seeded generator, compared with the cumulative rates in order (so rates add up: `reset`
/// at 0.03 and `delay` at 0.02 fault 5 % of requests).
#[derive(Debug, Clone)]
pub struct FaultPlan {
    faults: Vec<Fault>,
    queued: std::collections::VecDeque<FaultKind>,
    state: u64,
    injected: Vec<(FaultKind, u64)>,
    considered: u64,
}

impl FaultPlan {
    /// A plan with these faults and this seed.
    pub fn new(faults: Vec<Fault>, seed: u64) -> Self {
        FaultPlan {
            faults,
            queued: std::collections::VecDeque::new(),
            state: seed,
            injected: Vec::new(),
            considered: 0,
        }
    }

    /// Replaces the faults (the generator and the counts go on).
    pub fn set_faults(&mut self, faults: Vec<Fault>) {
        self.faults = faults;
    }

    /// The current faults.
    pub fn faults(&self) -> &[Fault] {
        &self.faults
    }

    /// Makes the next `n` requests fail with `kind`, before any random draw (tests: "the
    /// first attempt fails, the retry succeeds").
    pub fn queue(&mut self, kind: FaultKind, n: usize) {
        self.queued.extend(std::iter::repeat_n(kind, n));
    }

    /// Draws for one request.
    pub fn pick(&mut self) -> Option<FaultKind> {
        self.considered += 1;
        if let Some(kind) = self.queued.pop_front() {
            self.count(kind);
            return Some(kind);
        }
        if self.faults.is_empty() {
            return None;
        }
        // splitmix64
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let draw = (z >> 11) as f64 / (1u64 << 53) as f64;
        let mut cumulative = 0.0;
        for fault in &self.faults {
            cumulative += fault.rate;
            if draw < cumulative {
                let kind = fault.kind;
                self.count(kind);
                return Some(kind);
            }
        }
        None
    }

    fn count(&mut self, kind: FaultKind) {
        match self.injected.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => self.injected.push((kind, 1)),
        }
    }

    /// How many times each kind was injected so far.
    pub fn injected(&self) -> &[(FaultKind, u64)] {
        &self.injected
    }

    /// How many faults were injected so far, all kinds together.
    pub fn injected_total(&self) -> u64 {
        self.injected.iter().map(|(_, n)| n).sum()
    }

    /// How many requests were considered (gateway API requests).
    pub fn considered(&self) -> u64 {
        self.considered
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_and_rejects_nonsense() {
        let cases = [
            ("delay", FaultKind::Delay(DEFAULT_DELAY), 1.0),
            (
                "delay=500:0.25",
                FaultKind::Delay(Duration::from_millis(500)),
                0.25,
            ),
            ("reset:0.05", FaultKind::Reset, 0.05),
            ("oversize:0", FaultKind::Oversize, 0.0),
            ("garbage:1", FaultKind::Garbage, 1.0),
            ("status:503", FaultKind::Status(503), 1.0),
            ("status:502:0.1", FaultKind::Status(502), 0.1),
            (
                "drop-before-processing:0.5",
                FaultKind::DropBeforeProcessing,
                0.5,
            ),
            ("DROP", FaultKind::DropBeforeProcessing, 1.0),
        ];
        for (text, kind, rate) in cases {
            let f = FaultKind::parse(text).unwrap();
            assert_eq!((f.kind, f.rate), (kind, rate), "{text}");
            // Display round-trips.
            assert_eq!(FaultKind::parse(&f.to_string()).unwrap(), f, "{text}");
        }
        for bad in [
            "",
            "boom",
            "reset:1.5",
            "reset:-0.1",
            "reset:x",
            "status",
            "status:99",
            "status:abc",
            "reset:0.1:2",
            "delay=abc",
        ] {
            assert!(FaultKind::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_plan_is_deterministic_and_keeps_its_rate() {
        let faults = vec![Fault::new(FaultKind::Reset, 0.05)];
        let run = |seed| {
            let mut plan = FaultPlan::new(faults.clone(), seed);
            (0..10_000)
                .map(|_| plan.pick().is_some())
                .collect::<Vec<_>>()
        };
        let a = run(7);
        assert_eq!(a, run(7));
        assert_ne!(a, run(8));
        let hits = a.iter().filter(|h| **h).count();
        assert!((400..600).contains(&hits), "{hits}");
        let mut never = FaultPlan::new(vec![Fault::new(FaultKind::Reset, 0.0)], 1);
        assert!((0..1000).all(|_| never.pick().is_none()));
        let mut always = FaultPlan::new(vec![Fault::always(FaultKind::Garbage)], 1);
        assert!((0..1000).all(|_| always.pick() == Some(FaultKind::Garbage)));
        assert_eq!(always.injected_total(), 1000);
    }
}
