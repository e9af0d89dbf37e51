//! The TWEC / TranzWare XML gateway (`TKKPG` documents over mutual TLS).
//!
//! Not yet implemented in this commit.
