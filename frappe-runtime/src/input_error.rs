//! [`InputError`]: a value the types refuse before anything is sent.
//!
//! The types half of the crate (filters, changes) reports bad input with this small error rather
//! than the client's [`Error`](crate::Error), so that it compiles without the `client` feature
//! and its HTTP stack. With `client`, it converts into [`Error::InvalidInput`] (`?` does it), so
//! a call that takes a filter or changes reports it like any other invalid input.
//!
//! [`Error::InvalidInput`]: crate::Error::InvalidInput

use std::fmt;

/// Invalid input to a filter or to [`Changes`](crate::Changes), detected before anything was
/// sent: a filter value with no JSON form (NaN, infinity), a document that does not serialize to
/// a JSON object. The message names the field or DocType.
///
/// Converts into the client's `Error::InvalidInput` (feature `client`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    message: String,
}

impl InputError {
    pub(crate) fn new(message: String) -> Self {
        Self { message }
    }

    /// What is wrong, naming the field or DocType (without the "invalid input" prefix of
    /// `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid input: {}", self.message)
    }
}

impl std::error::Error for InputError {}

#[cfg(feature = "client")]
impl From<InputError> for crate::Error {
    fn from(e: InputError) -> Self {
        Self::InvalidInput(e.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_the_clients_invalid_input() {
        let e = InputError::new("rate >: the value has no JSON form".into());
        assert_eq!(e.message(), "rate >: the value has no JSON form");
        #[cfg(feature = "client")]
        assert_eq!(e.to_string(), crate::Error::from(e).to_string());
        #[cfg(not(feature = "client"))]
        assert_eq!(
            e.to_string(),
            "invalid input: rate >: the value has no JSON form"
        );
    }
}
