//! Azericard's vocabularies as open enums ([`Action`], [`Rc`], [`TrType`], [`ReplyCode`]) and
//! its [`ApiError`].

use crate::open_enum::open_enum;

open_enum! {
    /// `ACTION`: what the gateway did with a transaction (PROVIDERS.md §2.8, from the
    /// official document). Read by [`crate::azericard::TransactionStatus`] and carried,
    /// unconfirmed, by a callback.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum Action {
        /// `0`: the transaction succeeded (with `RC` `00`).
        Success = "0",
        /// `1`: a duplicate of an earlier transaction: not a success of this one.
        Duplicate = "1",
        /// `2`: declined.
        Declined = "2",
        /// `3`: a processing error (failed).
        ProcessingError = "3",
        /// `6`: a repeat of a declined transaction.
        RepeatDeclined = "6",
        /// `7`: a repeat with an authentication error.
        RepeatAuthenticationError = "7",
        /// `8`: a repeat of a transaction that ended without a response (failed).
        RepeatNoResponse = "8",
        Other(String),
    }
    match Trimmed;
}

open_enum! {
    /// `RC`: the ISO 8583 response code (field 39). Kept as text: the document's own samples
    /// carry `-19` as well as two-digit codes; only `00` is read as approval.
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum Rc {
        /// `00`: approved.
        Approved = "00",
        /// `05`: do not honour.
        DoNotHonour = "05",
        /// `51`: insufficient funds.
        InsufficientFunds = "51",
        /// `54`: expired card.
        ExpiredCard = "54",
        /// `-19`: authentication failed (the document's 3-D Secure sample).
        AuthenticationFailed = "-19",
        Other(String),
    }
    match Trimmed;
}

open_enum! {
    /// `TRTYPE`: the transaction type of a request (PROVIDERS.md §2.2).
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum TrType {
        /// `0`: pre-authorisation (a hold).
        PreAuth = "0",
        /// `1`: purchase (authorisation and capture at once).
        Purchase = "1",
        /// `21`: sales completion (capture of a hold).
        Completion = "21",
        /// `22`: online reversal (before settlement).
        Reversal = "22",
        /// `24`: offline reversal.
        OfflineReversal = "24",
        /// `90`: transaction status query.
        Status = "90",
        Other(String),
    }
    match Trimmed;
}

open_enum! {
    /// The bare text body Azericard answers a completion (21) or reversal (22/24) with
    /// (PROVIDERS.md §2.7: `0` done, `1` duplicate, `2` wrong parameter, `3` wrong `P_SIGN`;
    /// labels from other clients, the official document does not describe this reply).
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum ReplyCode {
        /// `0`: accepted and done.
        Accepted = "0",
        /// `1`: a duplicate request: it may have happened before; ask the status.
        Duplicate = "1",
        /// `2`: a parameter is wrong: refused.
        WrongParameter = "2",
        /// `3`: `P_SIGN` did not verify: refused.
        WrongSignature = "3",
        Other(String),
    }
    match Trimmed;
}

/// Azericard refused a status query with a bare reply code instead of a transaction record
/// (for example `3`, a wrong `P_SIGN`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Azericard refused the request: reply code {code}")]
#[non_exhaustive]
pub struct ApiError {
    /// The reply code.
    pub code: ReplyCode,
}

impl ApiError {
    pub(crate) fn new(code: ReplyCode) -> Self {
        ApiError { code }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip_and_keep_unknown_words() {
        for a in Action::KNOWN {
            let json = serde_json::to_string(a).unwrap();
            assert_eq!(&serde_json::from_str::<Action>(&json).unwrap(), a);
        }
        assert_eq!(Action::parse(" 0 "), Action::Success);
        assert_eq!(Action::parse("9"), Action::Other("9".into()));
        assert_eq!(
            serde_json::from_str::<Action>("2").unwrap(),
            Action::Declined
        );
        assert_eq!(Rc::parse("00"), Rc::Approved);
        assert_eq!(Rc::parse("-19"), Rc::AuthenticationFailed);
        assert_eq!(
            Rc::parse("0"),
            Rc::Other("0".into()),
            "RC is text: `0` is not `00`"
        );
        for t in TrType::KNOWN {
            assert_eq!(&TrType::parse(t.as_str()), t);
        }
        assert_eq!(ReplyCode::parse("0\n"), ReplyCode::Accepted);
        assert_eq!(ReplyCode::KNOWN.len(), 4);
        assert!(ApiError::new(ReplyCode::WrongSignature)
            .to_string()
            .contains('3'));
    }
}
