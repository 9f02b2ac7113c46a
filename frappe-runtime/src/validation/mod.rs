//! Checks a document against its DocType's metadata before it is sent: mandatory fields,
//! text length, integer range, non-negative numbers and Select options.
//!
//! Entry point: [`validate`], over a document's JSON body and the [`FieldRule`] table
//! `#[derive(Document)]` puts in [`Document::RULES`](crate::Document::RULES). The client runs it
//! before every typed insert and update (`insert`, `create`, `update`, `insert_many`,
//! `update_many`) and sends nothing when it fails; how much it checks is a [`Validation`]
//! (`ClientBuilder::validation`, `Client::with_validation`): by default lengths, integer ranges
//! and non-negative numbers; with [`Validation::Full`] also mandatory fields (which a DocType's
//! controller may fill in) and Select options (which the site may have gained since the code
//! was generated).
//!
//! Only what Frappe itself refuses on save is checked, and only what a client can tell without
//! the database: a document refused here would be refused by the server for the same field. What
//! the server fills in (defaults, the first option of a Select, a Link's user default, read-only
//! and fetched values, the name) is not required; what needs the stored document or other
//! documents (`set_only_once`, Link targets existing, `unique`), what the server silently
//! adjusts (precision, read-only values sent anyway) and what only the server knows
//! (`mandatory_depends_on`, controller code) are left to the server.

mod check;
mod problem;
mod rules;

pub use check::{Mode, Validation, validate};
pub use problem::{FieldProblem, RowRef, Rule, ValidationError};
pub use rules::FieldRule;
