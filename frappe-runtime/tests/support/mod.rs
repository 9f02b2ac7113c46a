//! Shared test support: transcript loading and wire replay (see `replay.rs`).
#![allow(dead_code, unused_imports)]

pub mod multipart;
pub mod replay;
pub mod transcript;

pub use replay::Replay;
pub use transcript::{core, erpnext};
