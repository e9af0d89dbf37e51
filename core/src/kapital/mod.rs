//! Kapital Bank's JSON e-commerce API (`/api/order…`, HTTP Basic auth, hosted payment page).
//!
//! Not yet implemented in this commit.
