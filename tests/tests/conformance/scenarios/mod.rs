//! The scenarios, by what they exercise. Each takes a [`Target`](crate::Target) and returns its
//! normalised observation.

pub mod auth;
pub mod dates;
pub mod doc_methods;
pub mod docstatus;
pub mod documents;
pub mod errors;
pub mod files;
pub mod lists;
pub mod methods;
pub mod naming;
pub mod singles;
pub mod trees;
