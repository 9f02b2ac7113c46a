//! Choice enums: serde renames, `rename_all`, `#[frappe(rename)]`, a `#[frappe(other)]`
//! catch-all, raw identifiers; warning-free.
#![deny(warnings, missing_docs)]

use frappe_runtime::{Choice, Document};
use serde::{Deserialize, Serialize};

/// Options with serde's `rename_all`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Choice)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `debit`
    Debit,
    /// `credit`
    Credit,
    /// A raw identifier.
    r#Match,
}

/// Options named by `#[frappe(rename)]`, no serde at all.
#[derive(Debug, Clone, PartialEq, Eq, Choice)]
pub enum Gender {
    /// Female
    Female,
    /// Male
    Male,
    /// Prefer not to say
    #[frappe(rename = "Prefer not to say")]
    Unsaid,
    /// Not among the options.
    #[frappe(other)]
    Other(Box<str>),
}

/// A document with Select fields.
#[derive(Debug, Document)]
#[frappe(doctype = "Entry")]
pub struct Entry {
    /// Kind
    pub kind: Kind,
    /// Gender
    pub gender: Option<Gender>,
}

fn main() {
    assert_eq!(Kind::OPTIONS, ["debit", "credit", "match"]);
    assert_eq!(Kind::from_wire("match"), Some(Kind::r#Match));
    assert_eq!(Gender::from_wire("Prefer not to say"), Some(Gender::Unsaid));
    assert_eq!(Gender::from_wire("X"), Some(Gender::Other("X".into())));
    assert_eq!(Gender::Other("X".into()).as_str(), "X");
    let filter = Entry::gender.is_in([Gender::Female, Gender::Unsaid]);
    assert_eq!(
        filter.to_json(),
        serde_json::json!(["gender", "in", ["Female", "Prefer not to say"]])
    );
    assert_eq!(
        Entry::kind.ne(Kind::Credit).to_json(),
        serde_json::json!(["kind", "!=", "credit"])
    );
}
