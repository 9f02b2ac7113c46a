//! Shared test support: transcript loading, wire replay (see `replay.rs`), clients, asserts.
#![allow(dead_code, unused_imports)]

pub mod check;
pub mod clients;
pub mod multipart;
pub mod replay;
pub mod transcript;

pub use replay::Replay;
pub use transcript::{core, erpnext};
