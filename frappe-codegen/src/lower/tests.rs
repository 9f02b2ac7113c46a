//! Lowering tests.
use super::*;
