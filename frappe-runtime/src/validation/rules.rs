//! [`FieldRule`]: what the metadata says about one field, as far as the client can check it.
//!
//! `#[derive(Document)]` builds one per field that carries a rule attribute
//! (`#[frappe(mandatory, max_length = 140, ...)]`, which frappe-codegen writes from the DocType's
//! metadata) into [`Document::RULES`](crate::Document::RULES): a static table, so a DocType's
//! checks cost no generated code beyond the table itself. The builders are `const fn`s so the
//! table is a constant.

use crate::document::Document;

/// The checks of one field. Build it with [`FieldRule::new`] and the chained `const fn`s.
///
/// ```
/// use frappe_runtime::validation::FieldRule;
/// const RULES: &[FieldRule] = &[
///     FieldRule::new("description").mandatory(),
///     FieldRule::new("status").max_length(140).options(&["Open", "Closed"]),
///     FieldRule::new("pages").max_abs(2_147_483_647).non_negative(),
/// ];
/// assert_eq!(RULES[1].name(), "status");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldRule {
    pub(crate) name: &'static str,
    pub(crate) mandatory: bool,
    pub(crate) max_length: Option<u32>,
    pub(crate) max_abs: Option<u64>,
    pub(crate) non_negative: bool,
    pub(crate) options: &'static [&'static str],
    pub(crate) rows: Option<Rows>,
}

/// The DocType and rules of a child table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rows {
    pub(crate) doctype: &'static str,
    pub(crate) rules: &'static [FieldRule],
}

impl FieldRule {
    /// No checks yet for the field of wire name `name`.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            mandatory: false,
            max_length: None,
            max_abs: None,
            non_negative: false,
            options: &[],
            rows: None,
        }
    }

    /// Must have a value when the document is created, and may not be emptied by an update
    /// (Frappe's `reqd`, for fields the server fills in nothing for: no default, not a Check,
    /// not a Select with a first option, not a Link the user's defaults may fill, not read-only
    /// or fetched). Checked with [`Validation::Full`](super::Validation::Full) only.
    pub const fn mandatory(mut self) -> Self {
        self.mandatory = true;
        self
    }

    /// At most `max` characters (Unicode scalar values, as Python counts them): the `varchar`
    /// column's width, Frappe's `length` or 140.
    pub const fn max_length(mut self, max: u32) -> Self {
        self.max_length = Some(max);
        self
    }

    /// An integer whose absolute value is at most `max`: the `int` (2³¹-1) or `bigint` (2⁶³-1)
    /// column's range, as Frappe checks it (`abs(value) > max` is refused).
    pub const fn max_abs(mut self, max: u64) -> Self {
        self.max_abs = Some(max);
        self
    }

    /// A number that may not be below zero (Frappe's `non_negative`).
    pub const fn non_negative(mut self) -> Self {
        self.non_negative = true;
        self
    }

    /// A Select field: a non-empty value must be one of `options` (surrounding whitespace
    /// ignored, as Frappe strips it). Checked with [`Validation::Full`](super::Validation::Full)
    /// only.
    pub const fn options(mut self, options: &'static [&'static str]) -> Self {
        self.options = options;
        self
    }

    /// A child table of `C` rows: each row is checked against `C`'s rules.
    pub const fn rows<C: Document>(mut self) -> Self {
        self.rows = Some(Rows {
            doctype: C::DOCTYPE,
            rules: C::RULES,
        });
        self
    }

    /// The field's wire name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Whether the field is mandatory (see [`mandatory`](Self::mandatory)).
    pub const fn is_mandatory(&self) -> bool {
        self.mandatory
    }

    /// The longest value allowed, in characters, if the field has a `varchar` column.
    pub const fn max_length_of(&self) -> Option<u32> {
        self.max_length
    }

    /// The largest absolute value allowed, if the field has an integer column.
    pub const fn max_abs_of(&self) -> Option<u64> {
        self.max_abs
    }

    /// Whether negative numbers are refused.
    pub const fn is_non_negative(&self) -> bool {
        self.non_negative
    }

    /// The Select options a value must be one of; empty when the field is not checked so.
    pub const fn options_of(&self) -> &'static [&'static str] {
        self.options
    }

    /// The child DocType, when the field is a child table whose rows are checked.
    pub fn rows_doctype(&self) -> Option<&'static str> {
        self.rows.map(|rows| rows.doctype)
    }
}
