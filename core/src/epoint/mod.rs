//! EPoint (`epoint.az`): signed JSON-in-base64 form API with signed callbacks.
//!
//! Not yet implemented in this commit.
