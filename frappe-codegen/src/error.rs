//! Errors and problems.
//!
//! Loading fails fast with an [`Error`] naming the file and JSON path. Lowering never stops at
//! the first mistake: it collects every [`Problem`] across all DocTypes and reports them together
//! ([`Error::Problems`]); non-fatal findings (an unknown fieldtype mapped to `serde_json::Value`)
//! are [`Problem`]s too, returned as warnings next to the output.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong (or worth a warning) with a DocType or one of its fields.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The DocType at fault (may be empty when the DocType itself has no name).
    pub doctype: String,
    /// The field at fault, if the problem is about one field.
    pub field: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

impl Problem {
    /// A problem with the DocType as a whole.
    pub fn doctype(doctype: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            doctype: doctype.into(),
            field: None,
            message: message.into(),
        }
    }

    /// A problem with one field.
    pub fn field(
        doctype: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            doctype: doctype.into(),
            field: Some(field.into()),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let doctype = if self.doctype.is_empty() {
            "<unnamed DocType>"
        } else {
            &self.doctype
        };
        match &self.field {
            Some(field) => write!(f, "{doctype}.{field}: {}", self.message),
            None => write!(f, "{doctype}: {}", self.message),
        }
    }
}

/// Every problem found in one run, reported together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} problem(s) in the DocType metadata:", self.0.len())?;
        for p in &self.0 {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// Everything that can go wrong in frappe-codegen.
///
/// `Debug` prints the same readable text as `Display`: a `build.rs` that returns this error
/// from `main` or calls `.expect(..)` shows the message (every problem on its own line) rather
/// than a dump of the variant's fields.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file is not valid JSON, or its JSON does not have the expected shape.
    #[error("{file}: {message} (at {json_path})")]
    Json {
        /// The file (or a description of an in-memory body).
        file: String,
        /// Where in the JSON the problem is, e.g. `docs[1].fields[3].reqd`.
        json_path: String,
        /// What is wrong.
        message: String,
    },
    /// The metadata is inconsistent (one or more DocTypes or fields are at fault).
    #[error(transparent)]
    Problems(#[from] Problems),
    /// A bench's `apps/` folder and its `sites/apps.txt` disagree, so the apps' order is unknown.
    #[error("{}: {message}", path.display())]
    Bench {
        /// The file or folder at fault.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A selection names DocTypes or modules that are not in the metadata.
    #[error("{0}")]
    Selection(String),
    /// A source holds no DocType metadata (a directory with neither DocType files nor
    /// fixtures), or `check` found none to compare the snapshot with.
    #[error("{0}")]
    NoMetadata(String),
    /// A generated crate's name that Cargo would refuse.
    #[error(
        "{0:?} is not a valid Cargo package name: use ASCII letters, digits, `-` and `_`, \
         starting with a letter"
    )]
    CrateName(String),
    /// Fetching metadata from a site failed.
    #[error("fetching metadata from the site failed: {0}")]
    Site(String),
    /// The site has no DocType of this name (it answered 404).
    #[error("the site has no DocType {0:?}")]
    MissingDocType(String),
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_doctype_and_field() {
        let p = Problems(vec![
            Problem::field(
                "Sales Invoice",
                "items",
                "Table options \"Sales Invoce Item\" is not a known DocType",
            ),
            Problem::doctype("", "the DocType has no name"),
        ]);
        assert_eq!(
            p.to_string(),
            "2 problem(s) in the DocType metadata:\n  Sales Invoice.items: Table options \
             \"Sales Invoce Item\" is not a known DocType\n  <unnamed DocType>: the DocType has no name"
        );
    }

    #[test]
    fn debug_is_the_readable_message() {
        // What `fn main() -> Result<(), Error>` or `.expect(..)` in a build script prints.
        let e = Error::from(Problems(vec![Problem::field("ToDo", "status", "bad")]));
        assert_eq!(
            format!("{e:?}"),
            "1 problem(s) in the DocType metadata:\n  ToDo.status: bad"
        );
        let e = Error::io("snap.json", std::io::Error::other("gone"));
        assert_eq!(format!("{e:?}"), "snap.json: gone");
    }
}
