//! Select fields: newline-separated options -> a Rust enum.
//!
//! Policy: options are split on `\n` and kept exactly (Frappe stores the raw option; a trailing
//! `\r` from Windows-edited files is dropped). An empty line means the blank option `""` is
//! allowed: it gets no variant, the field is `Option<Enum>` and `None` is the blank option
//! (`frappe_runtime::wire::select::blank`), so there is one way to say "no value". Repeated
//! options collapse into one variant (with a warning): two variants with the same wire string
//! could not both deserialize. A Select without any non-empty option (options filled in by
//! client scripts) stays a `String`, and so does the naming series ([`is_naming_series`]).

use std::collections::BTreeSet;

use crate::error::Problem;
use crate::ir::{Enum, TypeRef, Variant};
use crate::naming;

/// The options of a Select, as an enum is generated from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The distinct non-empty options, in order.
    pub listed: Vec<String>,
    /// Whether the blank option (an empty line) is among them.
    pub blank: bool,
}

/// Whether a Select is the naming series: Frappe's convention is the fieldname
/// `naming_series` (`frappe/model/naming.py` `set_name_by_naming_series`, and
/// `_validate_selects` skips it), whose options are name patterns (`SINV-.YYYY.-`), not
/// choices: it stays text.
pub fn is_naming_series(fieldname: &str) -> bool {
    fieldname == "naming_series"
}

/// The options of a Select; `None` when it has no real option.
pub fn options(
    doctype: &str,
    fieldname: &str,
    raw: &str,
    warnings: &mut Vec<Problem>,
) -> Option<Options> {
    let mut seen = BTreeSet::new();
    let mut listed = Vec::new();
    let mut blank = false;
    for option in raw.split('\n') {
        let option = option.strip_suffix('\r').unwrap_or(option);
        if option.is_empty() {
            // A trailing newline ("A\nB\n") yields an empty option too, as it does in Frappe.
            blank = true;
            continue;
        }
        if !seen.insert(option.to_owned()) {
            warnings.push(Problem::field(
                doctype,
                fieldname,
                format!("Select option {option:?} is listed more than once; it gets one variant"),
            ));
            continue;
        }
        listed.push(option.to_owned());
    }
    (!listed.is_empty()).then_some(Options { listed, blank })
}

/// The enum for a Select's options (the blank one has no variant).
pub fn enum_for(
    ident: String,
    doctype: &str,
    fieldname: &str,
    options: &Options,
    derives: Vec<TypeRef>,
) -> Enum {
    let refs: Vec<&str> = options.listed.iter().map(String::as_str).collect();
    let (names, other) = naming::variant_names(&refs);
    let variants = options
        .listed
        .iter()
        .zip(names)
        .map(|(wire, ident)| Variant {
            docs: {
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
    // Inside a code span Markdown escapes would show; only backticks need removing.
    let mut docs = vec![format!(
        "Options of {} (Select).",
        naming::code_span(&format!("{doctype}.{fieldname}"))
    )];
    if options.blank {
        docs.push(String::new());
        docs.push(
            "The blank option (`\"\"`) has no variant: it is `None` in the field.".to_owned(),
        );
    }
    Enum {
        ident,
        docs,
        derives,
        variants,
        other,
        serde: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_keep_exact_strings_and_drop_repeats() {
        let mut w = Vec::new();
        let got = options("ToDo", "status", "\nOpen\r\nClosed\nOpen\n", &mut w).unwrap();
        assert_eq!(got.listed, ["Open", "Closed"]);
        assert!(got.blank);
        assert_eq!(w.len(), 1);
        assert!(
            w[0].to_string()
                .starts_with("ToDo.status: Select option \"Open\"")
        );
        let got = options("ToDo", "status", "Open\nClosed", &mut w).unwrap();
        assert!(!got.blank);
    }

    #[test]
    fn no_real_option_means_no_enum() {
        let mut w = Vec::new();
        assert_eq!(options("X", "y", "", &mut w), None);
        assert_eq!(options("X", "y", "\n\n", &mut w), None);
        assert!(w.is_empty());
    }

    #[test]
    fn only_the_naming_series_field_is_one() {
        assert!(is_naming_series("naming_series"));
        assert!(!is_naming_series("series") && !is_naming_series("naming_series_2"));
    }
}
