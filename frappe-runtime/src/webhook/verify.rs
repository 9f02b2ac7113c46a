//! [`Verifier`]: a Webhook's secret, checking the signature Frappe sends with each request.
//!
//! Frappe signs with `base64(hmac_sha256(secret.encode("utf8"), body))`, `body` being the
//! exact bytes it posts. The check recomputes the HMAC over the bytes received (never over a
//! re-serialization: key order, spacing and escapes would differ) and compares with
//! `hmac`'s `verify_slice`, in constant time.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::error::WebhookError;
use super::payload::{Payload, decode};

type HmacSha256 = Hmac<Sha256>;

/// The length of an HMAC-SHA256.
const SIGNATURE_LEN: usize = 32;

/// A Webhook's secret, ready to check requests: one per Webhook (or per secret, if several
/// Webhooks share one). Cheap to clone; `Debug` never shows the secret.
///
/// ```
/// use frappe_runtime::webhook::{Verifier, WebhookError};
///
/// let verifier = Verifier::new("the Webhook's secret")?;
/// let body = br#"{"name": "ATO-00001", "doctype": "API Test Order"}"#;
/// // What Frappe puts in X-Frappe-Webhook-Signature.
/// let signature = verifier.sign(body);
/// verifier.verify(Some(signature.as_bytes()), body)?;
///
/// let forged = Verifier::new("another secret")?.sign(body);
/// assert_eq!(
///     verifier.verify(Some(forged.as_bytes()), body),
///     Err(WebhookError::BadSignature)
/// );
/// # Ok::<(), WebhookError>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    /// The HMAC keyed with the secret, before any input: cloned per request.
    mac: HmacSha256,
}

impl Verifier {
    /// A verifier for the Webhook's secret (its *Webhook Secret* field, as typed: Frappe keys the
    /// HMAC with its UTF-8 bytes). An empty secret is refused
    /// ([`WebhookError::EmptySecret`]): Frappe refuses one too.
    pub fn new(secret: impl AsRef<[u8]>) -> Result<Self, WebhookError> {
        let secret = secret.as_ref();
        if secret.is_empty() {
            return Err(WebhookError::EmptySecret);
        }
        // HMAC takes a key of any length (a long one is hashed first): this cannot fail.
        let mac =
            <HmacSha256 as Mac>::new_from_slice(secret).map_err(|_| WebhookError::EmptySecret)?;
        Ok(Self { mac })
    }

    /// The signature Frappe sends for `body`: base64 of its HMAC-SHA256. For tests, and for
    /// forwarding a request signed the same way.
    pub fn sign(&self, body: &[u8]) -> String {
        let mut mac = self.mac.clone();
        mac.update(body);
        STANDARD.encode(mac.finalize().into_bytes())
    }

    /// Checks `signature` (the [`SIGNATURE_HEADER`](super::SIGNATURE_HEADER)'s value, `None`
    /// when the request has none) against `body`, the request body's bytes as received.
    ///
    /// Errors: [`MissingSignature`](WebhookError::MissingSignature),
    /// [`MalformedSignature`](WebhookError::MalformedSignature) (not base64 of 32 bytes), or
    /// [`BadSignature`](WebhookError::BadSignature) (another secret or another body).
    pub fn verify(&self, signature: Option<&[u8]>, body: &[u8]) -> Result<(), WebhookError> {
        let signature = signature.ok_or(WebhookError::MissingSignature)?;
        let signature = STANDARD
            .decode(signature.trim_ascii())
            .map_err(|_| WebhookError::MalformedSignature)?;
        if signature.len() != SIGNATURE_LEN {
            return Err(WebhookError::MalformedSignature);
        }
        let mut mac = self.mac.clone();
        mac.update(body);
        mac.verify_slice(&signature)
            .map_err(|_| WebhookError::BadSignature)
    }

    /// [`verify`](Self::verify), then [`decode`](super::decode) the body: into a generated
    /// struct (a body that is the document) or an [`Event`](super::Event) (a body from
    /// [`event_template`](super::event_template)). The body is not parsed unless the signature
    /// holds.
    pub fn decode<P: Payload>(
        &self,
        signature: Option<&[u8]>,
        body: &[u8],
    ) -> Result<P, WebhookError> {
        self.verify(signature, body)?;
        decode(body)
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier").field("secret", &"***").finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body as Frappe 15.44 posts it (`json.dumps`: `", "` and `": "` separators) and its
    /// signature under the secret `s3cret`, both computed by Python's `hmac`, `hashlib` and
    /// `base64` exactly as `webhook.py` does:
    /// `base64.b64encode(hmac.new(b"s3cret", body, hashlib.sha256).digest())`.
    const BODY: &[u8] =
        br#"{"event": "on_update", "doc": {"doctype": "ToDo", "name": "abc", "priority": "High"}}"#;
    const SIGNATURE: &str = "zuAq+GBd6XIwOZu+xmKmh+LbDlrRtx3KO0r2dL+XF+w=";

    fn verifier() -> Verifier {
        Verifier::new("s3cret").unwrap()
    }

    #[test]
    fn a_signature_computed_as_frappe_does_is_accepted() {
        assert_eq!(verifier().sign(BODY), SIGNATURE);
        assert_eq!(verifier().verify(Some(SIGNATURE.as_bytes()), BODY), Ok(()));
    }

    #[test]
    fn surrounding_whitespace_in_the_header_is_ignored() {
        let padded = format!(" {SIGNATURE}\t");
        assert_eq!(verifier().verify(Some(padded.as_bytes()), BODY), Ok(()));
    }

    #[test]
    fn another_secret_is_refused() {
        let other = Verifier::new("s3cret2").unwrap();
        assert_eq!(
            other.verify(Some(SIGNATURE.as_bytes()), BODY),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn a_tampered_body_is_refused() {
        let tampered = String::from_utf8_lossy(BODY).replace("High", "Low");
        assert_eq!(
            verifier().verify(Some(SIGNATURE.as_bytes()), tampered.as_bytes()),
            Err(WebhookError::BadSignature)
        );
        // The same document re-serialized (other spacing) is another body too.
        let compact =
            serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(BODY).unwrap())
                .unwrap();
        assert_eq!(
            verifier().verify(Some(SIGNATURE.as_bytes()), &compact),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn a_missing_header_is_refused() {
        assert_eq!(
            verifier().verify(None, BODY),
            Err(WebhookError::MissingSignature)
        );
    }

    #[test]
    fn a_malformed_signature_is_refused() {
        for bad in ["", "not base64!", "c2hvcnQ=", &SIGNATURE[..20]] {
            assert_eq!(
                verifier().verify(Some(bad.as_bytes()), BODY),
                Err(WebhookError::MalformedSignature),
                "{bad:?}"
            );
        }
        // Hex, as some other services sign, is not Frappe's encoding.
        let hex: String = STANDARD
            .decode(SIGNATURE)
            .unwrap()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(verifier().verify(Some(hex.as_bytes()), BODY).is_err());
    }

    #[test]
    fn an_empty_secret_is_refused() {
        assert_eq!(Verifier::new("").unwrap_err(), WebhookError::EmptySecret);
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let shown = format!("{:?}", Verifier::new("top-secret-value").unwrap());
        assert_eq!(shown, r#"Verifier { secret: "***" }"#);
    }
}
