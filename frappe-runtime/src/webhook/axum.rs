//! The webhook receiver as an [axum](https://docs.rs/axum) extractor: [`Webhook<P>`] checks the
//! signature with the state's [`Verifier`] and decodes the body into `P`.
//!
//! ```no_run
//! # // `axum` itself is the application's dependency; the runtime builds on `axum-core` only.
//! # mod todo { use frappe_runtime::serde::Deserialize;
//! #   #[derive(Debug, Deserialize, frappe_runtime::Document)]
//! #   #[serde(crate = "frappe_runtime::serde")]
//! #   #[frappe(doctype = "ToDo")]
//! #   pub struct ToDo { #[serde(default)] pub name: String } }
//! # use todo::ToDo;
//! use axum::{Router, routing::post};
//! use frappe_runtime::webhook::axum::Webhook;
//! use frappe_runtime::webhook::{Event, Verifier};
//!
//! // Reached only by requests signed with the secret, whose body is a ToDo event.
//! async fn todo_changed(Webhook(event): Webhook<Event<ToDo>>) {
//!     println!("{:?}: {}", event.event, event.doc.name);
//! }
//!
//! # async fn serve() -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = Verifier::new(std::env::var("WEBHOOK_SECRET")?)?;
//! let app = Router::new()
//!     .route("/frappe/todo", post(todo_changed))
//!     .with_state(verifier);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await?;
//! # Ok(()) }
//! ```
//!
//! The body is read whole, within axum's body limit (`DefaultBodyLimit`, 2 MiB unless the
//! router sets another), whatever its `Content-Type` (Frappe sends JSON under whichever
//! header the Webhook names, or none). Answers: 401 when the signature is missing, malformed
//! or wrong (the body is then never parsed), 400 when the body does not decode (naming the
//! DocType and the field), and axum's own answer when the body cannot be read (413 past the
//! limit). Frappe logs any non-2xx answer as a failed Webhook Request Log and tries again up
//! to 3 times.
//!
//! Feature `webhook-axum`, on `axum-core` 0.5 (axum 0.8).

use axum_core::extract::rejection::BytesRejection;
use axum_core::extract::{FromRef, FromRequest, Request};
use axum_core::response::{IntoResponse, Response};
use bytes::Bytes;
use http::StatusCode;

use super::{Payload, SIGNATURE_HEADER, Verifier, WebhookError};

/// A verified, decoded webhook request: `P` is a generated struct or an
/// [`Event`](super::Event) of one. The router's state must give a [`Verifier`]
/// (`.with_state(verifier)`, or a `FromRef` impl for a larger state).
///
/// It reads the body, so it is the handler's last argument.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook<P>(pub P);

impl<S, P> FromRequest<S> for Webhook<P>
where
    S: Send + Sync,
    Verifier: FromRef<S>,
    P: Payload,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Verifier::from_ref(state);
        // Refused before the body is read: nothing unsigned costs more than its headers.
        let Some(signature) = req.headers().get(SIGNATURE_HEADER).cloned() else {
            return Err(WebhookError::MissingSignature.into());
        };
        let body = Bytes::from_request(req, state)
            .await
            .map_err(WebhookRejection::Body)?;
        Ok(Self(verifier.decode(Some(signature.as_bytes()), &body)?))
    }
}

/// Why [`Webhook`] refused a request; its response is 401 for a signature, 400 for a body that
/// does not decode, or axum's answer for a body that could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The signature or the body was refused.
    Webhook(WebhookError),
    /// The body could not be read (too large, the connection failed).
    Body(BytesRejection),
}

impl From<WebhookError> for WebhookRejection {
    fn from(e: WebhookError) -> Self {
        Self::Webhook(e)
    }
}

impl WebhookRejection {
    /// The status this rejection answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Webhook(e) => status_of(e),
            Self::Body(e) => e.status(),
        }
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        match self {
            // The text says what is wrong, never the secret or the signature received.
            Self::Webhook(e) => (status_of(&e), e.to_string()).into_response(),
            Self::Body(e) => e.into_response(),
        }
    }
}

/// 401 for a signature, 400 for the body.
fn status_of(e: &WebhookError) -> StatusCode {
    if e.is_signature() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::BAD_REQUEST
    }
}

#[cfg(test)]
mod tests {
    use axum_core::body::Body;
    use serde::Deserialize;

    use super::*;
    use crate::document::{Document, FieldInfo};
    use crate::webhook::Event;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Note {
        name: String,
        title: String,
    }

    impl Document for Note {
        const DOCTYPE: &'static str = "Note";
        const FIELDS: &'static [FieldInfo] = &[];
    }

    const BODY: &str =
        r#"{"event": "on_update", "doc": {"doctype": "Note", "name": "n1", "title": "Hello"}}"#;

    fn verifier() -> Verifier {
        Verifier::new("s3cret").unwrap()
    }

    fn request(signature: Option<&str>, body: &str) -> Request {
        let mut req = http::Request::post("/hook");
        if let Some(signature) = signature {
            // Any spelling: header names are case-insensitive.
            req = req.header("x-frappe-webhook-signature", signature);
        }
        req.body(Body::from(body.to_owned())).unwrap()
    }

    async fn extract(req: Request) -> Result<Event<Note>, WebhookRejection> {
        Webhook::<Event<Note>>::from_request(req, &verifier())
            .await
            .map(|Webhook(event)| event)
    }

    #[tokio::test]
    async fn a_signed_request_is_decoded() {
        let signature = verifier().sign(BODY.as_bytes());
        let event = extract(request(Some(&signature), BODY)).await.unwrap();
        assert_eq!(event.doc.title, "Hello");
    }

    #[tokio::test]
    async fn signature_failures_answer_401() {
        let forged = Verifier::new("other").unwrap().sign(BODY.as_bytes());
        for (signature, error) in [
            (None, WebhookError::MissingSignature),
            (Some("!!"), WebhookError::MalformedSignature),
            (Some(forged.as_str()), WebhookError::BadSignature),
        ] {
            let rejection = extract(request(signature, BODY)).await.unwrap_err();
            assert_eq!(rejection.status(), StatusCode::UNAUTHORIZED);
            assert!(matches!(&rejection, WebhookRejection::Webhook(e) if *e == error));
            assert_eq!(rejection.into_response().status(), StatusCode::UNAUTHORIZED);
        }
    }

    #[tokio::test]
    async fn a_body_that_does_not_decode_answers_400_naming_the_doctype() {
        let body = BODY.replace(r#""title": "Hello""#, r#""title": 7"#);
        let signature = verifier().sign(body.as_bytes());
        let rejection = extract(request(Some(&signature), &body)).await.unwrap_err();
        assert_eq!(rejection.status(), StatusCode::BAD_REQUEST);
        let response = rejection.into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let text = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&text);
        assert!(
            text.starts_with("the webhook body is not Note data: at doc.title:"),
            "{text}"
        );
    }
}
