//! [`ValidationError`]: every problem the local checks found in one document, by field.
//!
//! Values are never shown: a problem says which rule a field breaks and what the rule allows
//! (the longest length, the options), not what was given, so a Password or any other secret a
//! field holds cannot reach `Display`, `Debug` or a log.

use std::fmt;

/// A document that breaks its DocType's rules, found before anything was sent. Lists every
/// problem, in field order (child rows after their table's own problems).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidationError {
    /// The DocType of the document.
    pub doctype: &'static str,
    /// The document's position (from 0) in a bulk call (`insert_many`, `update_many`);
    /// `None` for a single document.
    pub document: Option<usize>,
    /// Every problem found, at least one.
    pub problems: Vec<FieldProblem>,
}

/// One field that breaks one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldProblem {
    /// The child row the field belongs to, or `None` for a field of the document itself.
    pub row: Option<RowRef>,
    /// The field's wire name (Frappe's `fieldname`).
    pub field: &'static str,
    /// The rule it breaks.
    pub rule: Rule,
}

/// A row of a child table: the parent's Table field and the row's 1-based position in it (the
/// `idx` Frappe gives it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RowRef {
    /// The parent's Table field.
    pub table: &'static str,
    /// The child DocType.
    pub doctype: &'static str,
    /// The row's position, from 1.
    pub idx: usize,
}

/// Which rule a field breaks, with what the rule allows. Each is a check Frappe's own
/// validation makes on save, so the server would refuse the document for the same field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// A mandatory field (`reqd`) without a value: missing, `null`, blank text or no rows
    /// (Frappe's `MandatoryError`).
    Mandatory,
    /// Text longer than its `varchar` column (Frappe's `CharacterLengthExceededError`).
    Length {
        /// The most characters allowed.
        max: u32,
        /// The characters given.
        len: usize,
    },
    /// An integer beyond its column's range (Frappe's `CharacterLengthExceededError` too).
    Range {
        /// The largest absolute value allowed.
        max: u64,
    },
    /// A negative number in a `non_negative` field (Frappe's `NonNegativeError`).
    NonNegative,
    /// A Select value that is not one of the field's options (Frappe's `ValidationError`
    /// "cannot be ... It should be one of ...").
    Options {
        /// The options allowed.
        options: &'static [&'static str],
    },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Mandatory => f.write_str("is mandatory but has no value"),
            // Not the value's own length: the value may be a secret.
            Rule::Length { max, .. } => write!(f, "is longer than the {max} characters allowed"),
            Rule::Range { max } => write!(f, "is out of range (at most {max} either way)"),
            Rule::NonNegative => f.write_str("may not be negative"),
            Rule::Options { options } => {
                f.write_str("is not one of the options ")?;
                for (i, option) in options.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{option:?}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(row) = &self.row {
            write!(f, "{} row {}: ", row.table, row.idx)?;
        }
        write!(f, "{} {}", self.field, self.rule)
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.document {
            Some(i) => write!(f, "{} document #{i}: ", self.doctype)?,
            None => write!(f, "{}: ", self.doctype)?,
        }
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

impl ValidationError {
    /// The problems of the field `field` of the document itself (not of child rows).
    pub fn field(&self, field: &str) -> impl Iterator<Item = &FieldProblem> {
        self.problems
            .iter()
            .filter(move |p| p.row.is_none() && p.field == field)
    }
}
