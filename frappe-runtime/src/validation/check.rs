//! The checks themselves: a document's JSON body against its DocType's [`FieldRule`]s.
//!
//! Each check mirrors one of Frappe's (`frappe/model/base_document.py`, `document.py`) and
//! errs on the side of the server: where Frappe's test is more than a local one can know (HTML
//! stripped before the mandatory test, `cint` of text), a value the client cannot judge for
//! certain passes, so a rejection here is one the server would make too.

use serde_json::{Map, Value};

use super::problem::{FieldProblem, RowRef, Rule, ValidationError};
use super::rules::FieldRule;
use crate::document::Document;

/// How much the client checks before it sends a typed document.
///
/// The default, [`Values`](Self::Values), checks the values given against the columns: lengths,
/// integer ranges and non-negative numbers, which Frappe's save refuses and sites rarely
/// customize. Frappe checks them after the controller's `validate`, so a controller that
/// shortens a value itself (Blog Post's `meta_title`, a website route) saves what the client
/// refuses: send such a document through [`Client::without_validation`](crate::Client::without_validation). [`Full`](Self::Full) also requires the
/// mandatory fields and checks Select options, which is opt-in because each can refuse what
/// the server accepts: a controller may fill mandatory fields in before Frappe checks them
/// (ERPNext's Sales Invoice fills each row's `item_name` and `conversion_factor`, and
/// `conversion_rate`), and a Select value outside the generated options is written on purpose
/// (`Other(..)`), usually because the site has gained the option since (a Property Setter),
/// while the generated enum already keeps the known options free of typos.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Validation {
    /// Nothing is checked: every document is sent as is.
    Off,
    /// Lengths, integer ranges and non-negative numbers are checked; mandatory fields and
    /// Select options are left to the server.
    #[default]
    Values,
    /// Everything the rules say: also mandatory fields and Select options.
    Full,
}

/// Whether the body creates a document or updates one: it decides the mandatory check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// An insert: every mandatory field needs a value (the server fills in the others it
    /// knows, which the rules leave out).
    Create,
    /// A partial update: only the keys sent are checked, so a mandatory field fails only when
    /// it is sent empty. A child table sent is a whole new set of rows, each checked as created.
    Update,
}

/// Checks `body`, a document of `D` (or the fields of an update) as it goes on the wire,
/// against `D`'s [`RULES`](Document::RULES), as much as `level` says; every problem found is
/// in the error.
///
/// ```
/// use frappe_runtime::validation::{FieldRule, Mode, Rule, Validation, validate};
/// # struct ToDo;
/// # impl frappe_runtime::Document for ToDo {
/// #     const DOCTYPE: &'static str = "ToDo";
/// #     const FIELDS: &'static [frappe_runtime::FieldInfo] = &[];
/// #     const RULES: &'static [FieldRule] = &[
/// #         FieldRule::new("description").mandatory(),
/// #         FieldRule::new("status").options(&["Open", "Closed", "Cancelled"]),
/// #     ];
/// # }
/// let body = serde_json::json!({"status": "Done"});
/// let body = body.as_object().unwrap();
/// let err = validate::<ToDo>(body, Mode::Create, Validation::Full).unwrap_err();
/// assert_eq!(err.problems.len(), 2);
/// assert_eq!(err.problems[0].rule, Rule::Mandatory);
/// assert!(validate::<ToDo>(body, Mode::Create, Validation::Values).is_ok());
/// ```
pub fn validate<D: Document>(
    body: &Map<String, Value>,
    mode: Mode,
    level: Validation,
) -> Result<(), ValidationError> {
    if D::RULES.is_empty() || level == Validation::Off {
        return Ok(());
    }
    let mut problems = Vec::new();
    let full = level == Validation::Full;
    let cx = Cx {
        mandatory: full,
        options: full,
    };
    cx.check_doc(D::RULES, body, mode, None, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ValidationError {
            doctype: D::DOCTYPE,
            document: None,
            problems,
        })
    }
}

/// What one validation run checks.
struct Cx {
    /// Whether mandatory fields are required ([`Validation::Full`]).
    mandatory: bool,
    /// Whether Select values are checked against the options ([`Validation::Full`]).
    options: bool,
}

impl Cx {
    fn check_doc(
        &self,
        rules: &'static [FieldRule],
        body: &Map<String, Value>,
        mode: Mode,
        row: Option<RowRef>,
        problems: &mut Vec<FieldProblem>,
    ) {
        let mut child_problems = Vec::new();
        for rule in rules {
            let value = body.get(rule.name);
            let mut problem = |kind| {
                problems.push(FieldProblem {
                    row,
                    field: rule.name,
                    rule: kind,
                })
            };
            let Some(value) = value else {
                if self.mandatory && rule.mandatory && mode == Mode::Create {
                    problem(Rule::Mandatory);
                }
                continue;
            };
            if is_empty(value) {
                if self.mandatory && rule.mandatory {
                    problem(Rule::Mandatory);
                }
                continue;
            }
            if let (Some(max), Value::String(text)) = (rule.max_length, value) {
                // Frappe strips a Select's value before it measures it.
                let text = if rule.options.is_empty() {
                    text
                } else {
                    text.trim()
                };
                let len = text.chars().count();
                if len > max as usize {
                    problem(Rule::Length { max, len });
                }
            }
            if let Some(max) = rule.max_abs {
                if int_abs(value).is_some_and(|abs| abs > u128::from(max)) {
                    problem(Rule::Range { max });
                }
            }
            if rule.non_negative && number(value).is_some_and(|n| n < 0.0) {
                problem(Rule::NonNegative);
            }
            if self.options && !rule.options.is_empty() {
                let text = select_text(value).unwrap_or_default();
                if !text.is_empty() && !rule.options.contains(&text.as_str()) {
                    problem(Rule::Options {
                        options: rule.options,
                    });
                }
            }
            if let (Some(rows), Value::Array(items)) = (rule.rows, value) {
                for (i, item) in items.iter().enumerate() {
                    if let Value::Object(item) = item {
                        let at = RowRef {
                            table: rule.name,
                            doctype: rows.doctype,
                            idx: i + 1,
                        };
                        self.check_doc(
                            rows.rules,
                            item,
                            Mode::Create,
                            Some(at),
                            &mut child_problems,
                        );
                    }
                }
            }
        }
        problems.append(&mut child_problems);
    }
}

/// Frappe's "missing": `None`, `[]`, or text that is blank once stripped (`has_content`, which
/// also strips HTML tags first; a value that is only tags is left for the server to judge).
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Bool(_) | Value::Number(_) | Value::Object(_) => false,
    }
}

/// The absolute value Frappe's `abs(cint(value))` sees, when it is certain: integers, floats
/// (truncated, as `int()` does) and text holding an integer.
fn int_abs(value: &Value) -> Option<u128> {
    match value {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(u128::from(i.unsigned_abs()))
            } else if let Some(u) = n.as_u64() {
                Some(u128::from(u))
            } else {
                // Saturates beyond u128, still far past any column's range.
                n.as_f64().map(|f| f.trunc().abs() as u128)
            }
        }
        Value::String(text) => text.trim().parse::<i128>().ok().map(|i| i.unsigned_abs()),
        _ => None,
    }
}

/// The number Frappe's `flt(value)` sees, when it is certain.
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(text) => text.trim().parse::<f64>().ok(),
        _ => None,
    }
}

/// The text Frappe compares with a Select's options: `cstr(value).strip()`, for values Python
/// finds true (Frappe skips `0` as it skips `""`).
fn select_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_owned()),
        Value::Number(n) if (n.is_i64() || n.is_u64()) && n.as_u64() != Some(0) => {
            Some(n.to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
