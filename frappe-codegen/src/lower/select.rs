//! Select fields: newline-separated options -> a Rust enum.
//!
//! Policy: options are split on `\n` and kept exactly (Frappe stores the raw option; a trailing
//! `\r` from Windows-edited files is dropped). A leading empty line means `""` is allowed and
//! becomes an `Empty` variant. Repeated options collapse into one variant (with a warning):
//! two variants with the same wire string could not both deserialize. A Select without any
//! non-empty option (options filled in by client scripts) stays a `String`.

use std::collections::BTreeSet;

use crate::error::Problem;
use crate::ir::{Enum, TypeRef, Variant};
use crate::naming;

/// The distinct options of a Select, in order; `None` when it has no real option.
pub fn options(
    doctype: &str,
    fieldname: &str,
    raw: &str,
    warnings: &mut Vec<Problem>,
) -> Option<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for option in raw.split('\n') {
        let option = option.strip_suffix('\r').unwrap_or(option);
        if !seen.insert(option.to_owned()) {
            if !option.is_empty() {
                warnings.push(Problem::field(
                    doctype,
                    fieldname,
                    format!(
                        "Select option {option:?} is listed more than once; it gets one variant"
                    ),
                ));
            }
            continue;
        }
        out.push(option.to_owned());
    }
    // A trailing newline ("A\nB\n") yields an empty option too, as it does in Frappe.
    out.iter().any(|o| !o.is_empty()).then_some(out)
}

/// The enum for a Select's options.
pub fn enum_for(
    ident: String,
    doctype: &str,
    fieldname: &str,
    options: &[String],
    derives: Vec<TypeRef>,
) -> Enum {
    let refs: Vec<&str> = options.iter().map(String::as_str).collect();
    let (names, other) = naming::variant_names(&refs);
    let variants = options
        .iter()
        .zip(names)
        .map(|(wire, ident)| Variant {
            docs: if wire.is_empty() {
                vec!["The empty option (`\"\"`).".to_owned()]
            } else {
                let mut d = naming::doc_lines(wire);
                if d.is_empty() {
                    d.push(format!("The option `{:?}`.", wire));
                }
                d
            },
            ident,
            wire: wire.clone(),
        })
        .collect();
    Enum {
        ident,
        // Inside a code span Markdown escapes would show; only backticks need removing.
        docs: vec![format!(
            "Options of {} (Select).",
            naming::code_span(&format!("{doctype}.{fieldname}"))
        )],
        derives,
        variants,
        other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_keep_exact_strings_and_drop_repeats() {
        let mut w = Vec::new();
        let got = options("ToDo", "status", "\nOpen\r\nClosed\nOpen\n", &mut w).unwrap();
        assert_eq!(got, ["", "Open", "Closed"]);
        assert_eq!(w.len(), 1);
        assert!(
            w[0].to_string()
                .starts_with("ToDo.status: Select option \"Open\"")
        );
    }

    #[test]
    fn no_real_option_means_no_enum() {
        let mut w = Vec::new();
        assert_eq!(options("X", "y", "", &mut w), None);
        assert_eq!(options("X", "y", "\n\n", &mut w), None);
        assert!(w.is_empty());
    }
}
