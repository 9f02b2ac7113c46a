//! [`WebhookError`]: why a webhook request was refused.

/// How many characters of serde's message an error keeps: it may quote a value of the body.
const MESSAGE_MAX_CHARS: usize = 300;

/// Why a webhook request was refused: its signature ([`is_signature`](Self::is_signature)),
/// or its body.
///
/// No variant carries the secret or the signature received.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret given to [`Verifier::new`](super::Verifier::new) is empty: anyone could sign.
    #[error("the webhook secret is empty")]
    EmptySecret,
    /// The request has no [`SIGNATURE_HEADER`](super::SIGNATURE_HEADER): the Webhook's *Enable
    /// Security* is off, or the request is not from the site.
    #[error(
        "the webhook request has no X-Frappe-Webhook-Signature header: enable the Webhook's \
         security and give it the secret"
    )]
    MissingSignature,
    /// The signature header is not base64 of a 32-byte HMAC-SHA256.
    #[error("the X-Frappe-Webhook-Signature header is not base64 of an HMAC-SHA256")]
    MalformedSignature,
    /// The signature is not the body's under this secret: another secret, or a changed body.
    #[error(
        "the webhook signature does not match the body: the Webhook has another secret, or the \
         body was changed"
    )]
    BadSignature,
    /// The body does not decode as the expected type.
    #[error("the webhook body is not {doctype} data: at {path}: {message}")]
    Decode {
        /// The DocType expected (the payload's [`Payload::DOCTYPE`](super::Payload::DOCTYPE)).
        doctype: &'static str,
        /// Where in the body decoding failed, e.g. `doc.items[0].qty` (`.` for the whole body).
        path: String,
        /// serde's message, at most 300 characters of it.
        message: String,
    },
    /// The body is a document of another DocType (its `doctype` key): the Webhook posts to
    /// the wrong URL.
    #[error("the webhook body is a {found} document, not {expected}")]
    WrongDocType {
        /// The DocType expected.
        expected: &'static str,
        /// The body's `doctype` (at most 140 characters of it).
        found: String,
    },
}

impl WebhookError {
    /// `true` when the request is refused for its signature (missing, malformed, not
    /// matching): it is not known to come from the site, and its body was not read. An HTTP
    /// receiver answers 401 to these and 400 to the others.
    pub fn is_signature(&self) -> bool {
        matches!(
            self,
            Self::MissingSignature | Self::MalformedSignature | Self::BadSignature
        )
    }

    /// A decode error for `doctype`, with serde's message shortened.
    pub(crate) fn decode(doctype: &'static str, path: String, message: &str) -> Self {
        Self::Decode {
            doctype,
            path,
            message: shorten(message, MESSAGE_MAX_CHARS),
        }
    }
}

/// At most `max` characters of `text`, `…` marking a cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_errors_are_told_apart_from_body_errors() {
        assert!(WebhookError::MissingSignature.is_signature());
        assert!(WebhookError::MalformedSignature.is_signature());
        assert!(WebhookError::BadSignature.is_signature());
        assert!(!WebhookError::decode("ToDo", ".".into(), "expected value").is_signature());
        assert!(
            !WebhookError::WrongDocType {
                expected: "ToDo",
                found: "Note".into()
            }
            .is_signature()
        );
    }

    #[test]
    fn long_serde_messages_are_cut() {
        let long = "x".repeat(1000);
        let WebhookError::Decode { message, .. } = WebhookError::decode("ToDo", ".".into(), &long)
        else {
            unreachable!()
        };
        assert_eq!(message.chars().count(), MESSAGE_MAX_CHARS + 1);
        assert!(message.ends_with('…'));
        assert_eq!(shorten("short", 10), "short");
    }
}
