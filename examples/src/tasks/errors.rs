//! Turning the errors a site returns into advice, by matching on [`Error`].
//!
//! The runtime maps HTTP statuses to variants (401 [`Error::Unauthorized`], 403
//! [`Error::Forbidden`], 404 [`Error::NotFound`], 417 [`Error::Validation`], ...); each carries
//! the decoded [`ApiError`](frappe_runtime::ApiError) with Frappe's `exc_type` and messages.
//! `Error` is `#[non_exhaustive]`, so a match always ends with a catch-all arm.

use frappe_runtime::Error;

/// What went wrong and what to do about it, in one line.
pub fn explain(err: &Error) -> String {
    match err {
        Error::Unauthorized(e) => format!(
            "401 {}: the credentials were refused; check FRAPPE_API_KEY / FRAPPE_API_SECRET ({})",
            e.exc_type.as_deref().unwrap_or("AuthenticationError"),
            e.message
        ),
        Error::Forbidden(e) => format!(
            "403: this user may not do that (or no credentials were sent): {}",
            e.message
        ),
        Error::SessionExpired => "403: the login session expired; log in again".to_owned(),
        Error::NotFound(e) => format!("404: no such document or DocType: {}", e.message),
        Error::Validation(e) => match e.exc_type.as_deref() {
            Some("MandatoryError") => format!("417: a required field is missing: {}", e.message),
            Some("LinkValidationError") => {
                format!("417: a link points to a missing document: {}", e.message)
            }
            Some("TimestampMismatchError") => {
                "417: someone saved the document since you read it; reload and retry".to_owned()
            }
            other => format!("417 {}: {}", other.unwrap_or("ValidationError"), e.message),
        },
        Error::Duplicate(e) => format!("409: that name is taken: {}", e.message),
        other => format!("unexpected error: {other}"),
    }
}
