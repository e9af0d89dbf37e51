//! [`EPointSettings`]: how the simulated EPoint answers beyond the happy path (issue 17), set
//! with [`SandboxConfig::with_epoint`](crate::SandboxConfig::with_epoint) or at run time
//! through [`Sandbox::epoint_settings`](crate::Sandbox::epoint_settings).
//!
//! Saved-card charges (`/execute-pay`, `/split-execute-pay`) and payouts (`/refund-request`)
//! are decided by their amount:
//!
//! | amount (AZN) | answer | source of the shape |
//! |---|---|---|
//! | [`cards::EPOINT_INSUFFICIENT_FUNDS`](crate::cards::EPOINT_INSUFFICIENT_FUNDS) `1.16` | `{"status":"failed","code":"116","message":…,"transaction":…}` | an EPoint client's tests (public code #65738123960, #68309858732); EPoint's code table (`116` insufficient funds) |
//! | [`cards::EPOINT_UNDECIDED`](crate::cards::EPOINT_UNDECIDED) `2.22` | `{"status":"new",…}`: left undecided; `get-status` says `new` | `get-status`'s `new` (EPoint API v1.0.3) |
//! | [`EPointSettings::unknown_word_amount`] (default `3.33`) | `{"status":"<unknown_word>",…}` (default `in_progress_maybe`) | issue 12's example of a word no client knows |
//! | anything else | `success`, code `000` | EPoint API v1.0.3 |

/// How the sandbox posts EPoint callbacks to the result URL (serve mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CallbackEncoding {
    /// `application/x-www-form-urlencoded`: `data=…&signature=…` (EPoint's documented form).
    #[default]
    Form,
    /// `application/json`: `{"data":"…","signature":"…"}` ("the format you send requests in",
    /// seed 003, for a merchant that sends JSON).
    Json,
    /// `multipart/form-data` with one part per field.
    Multipart,
}

impl CallbackEncoding {
    /// `form`, `json` or `multipart`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "form" => Some(CallbackEncoding::Form),
            "json" => Some(CallbackEncoding::Json),
            "multipart" => Some(CallbackEncoding::Multipart),
            _ => None,
        }
    }
}

/// How amounts are written in EPoint's answers and callbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AmountForm {
    /// Two decimals always: `100.00`, `10.50`.
    #[default]
    Fixed,
    /// The shortest exact number, as EPoint's own examples and other clients' fixtures show
    /// JSON numbers: `100`, `10.5`, `10.05`.
    Shortest,
}

/// The multipart boundary the sandbox uses (fixed, so tests can write the bytes out).
pub const MULTIPART_BOUNDARY: &str = "azpay-sandbox-epoint-boundary";

/// EPoint's settings in the sandbox. Every field has a default that answers as before.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EPointSettings {
    /// How callbacks are posted (default: form).
    pub callback_encoding: CallbackEncoding,
    /// How amounts are written (default: two decimals).
    pub amount_form: AmountForm,
    /// Saved-card charges and payouts of this amount (minor units) answer
    /// [`EPointSettings::unknown_word`] (default 333, i.e. `3.33`).
    pub unknown_word_amount: Option<u64>,
    /// The status word such a charge answers (default `in_progress_maybe`).
    pub unknown_word: String,
    /// The next this many signed API requests are carried out and then answered `500` with
    /// an empty body, as EPoint's own server errors come (default 0).
    pub empty_500_next: u32,
    /// `/reverse` carries out the refund and then answers `500` with an HTML error page
    /// (default off): the client cannot know the refund happened.
    pub html_500_on_refund: bool,
}

impl Default for EPointSettings {
    fn default() -> Self {
        EPointSettings {
            callback_encoding: CallbackEncoding::Form,
            amount_form: AmountForm::Fixed,
            unknown_word_amount: Some(333),
            unknown_word: String::from("in_progress_maybe"),
            empty_500_next: 0,
            html_500_on_refund: false,
        }
    }
}

impl EPointSettings {
    /// Callbacks posted in this encoding.
    pub fn callback_encoding(mut self, encoding: CallbackEncoding) -> Self {
        self.callback_encoding = encoding;
        self
    }

    /// Amounts written in this form.
    pub fn amount_form(mut self, form: AmountForm) -> Self {
        self.amount_form = form;
        self
    }

    /// Charges and payouts of `minor` answer `word`.
    pub fn unknown_word_at(mut self, minor: u64, word: impl Into<String>) -> Self {
        self.unknown_word_amount = Some(minor);
        self.unknown_word = word.into();
        self
    }

    /// The next `n` signed API requests are answered `500` with an empty body (after they
    /// took effect).
    pub fn empty_500_next(mut self, n: u32) -> Self {
        self.empty_500_next = n;
        self
    }

    /// `/reverse` answers an HTML `500` after refunding.
    pub fn html_500_on_refund(mut self, on: bool) -> Self {
        self.html_500_on_refund = on;
        self
    }

    /// An amount in the configured form.
    pub(crate) fn amount(&self, minor: u64) -> String {
        match self.amount_form {
            AmountForm::Fixed => crate::util::major_fixed(minor),
            AmountForm::Shortest => crate::util::major_short(minor),
        }
    }
}

impl crate::Callback {
    /// The `Content-Type` and body of this callback in `encoding`: the form
    /// (`data=…&signature=…`), the JSON object `{"data":…,"signature":…}`, or
    /// `multipart/form-data` with the boundary [`MULTIPART_BOUNDARY`].
    pub fn encoded(&self, encoding: CallbackEncoding) -> (String, Vec<u8>) {
        match encoding {
            CallbackEncoding::Form => (
                String::from("application/x-www-form-urlencoded"),
                self.form_body().into_bytes(),
            ),
            CallbackEncoding::Json => (
                String::from("application/json"),
                crate::util::JsonObj::new()
                    .str("data", &self.data)
                    .str("signature", &self.signature)
                    .finish()
                    .into_bytes(),
            ),
            CallbackEncoding::Multipart => {
                let mut body = String::new();
                for (name, value) in [("data", &self.data), ("signature", &self.signature)] {
                    body.push_str(&format!(
                        "--{MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                    ));
                }
                body.push_str(&format!("--{MULTIPART_BOUNDARY}--\r\n"));
                (
                    format!("multipart/form-data; boundary={MULTIPART_BOUNDARY}"),
                    body.into_bytes(),
                )
            }
        }
    }
}

impl crate::Sandbox {
    /// EPoint's settings, to change at run time (e.g. through
    /// `ServerHandle::with_sandbox` in serve mode).
    pub fn epoint_settings(&mut self) -> &mut EPointSettings {
        &mut self.config.epoint
    }
}
