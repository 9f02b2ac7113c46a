//! PKCE (RFC 7636) and the `state` parameter: random values from the operating system's
//! CSPRNG (`getrandom`), the S256 challenge with SHA-256.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest as _, Sha256};

use crate::error::{Error, Result};

/// Random bytes in a code verifier: 32, which base64url makes the 43 characters RFC 7636 §4.1
/// recommends (256 bits of entropy; the minimum length is 43).
const VERIFIER_BYTES: usize = 32;

/// Random bytes in a `state`: 16 (128 bits), unguessable for a forged callback.
const STATE_BYTES: usize = 16;

/// `n` bytes from the OS CSPRNG, base64url without padding (only `A-Z a-z 0-9 - _`, all
/// unreserved in a URL and allowed in a verifier).
fn random_url_safe(n: usize) -> Result<String> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| {
        Error::InvalidInput(format!(
            "the operating system's random number generator failed ({e}); no authorization \
             can be started without it"
        ))
    })?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// A new code verifier.
pub(crate) fn verifier() -> Result<String> {
    random_url_safe(VERIFIER_BYTES)
}

/// A new `state`.
pub(crate) fn state() -> Result<String> {
    random_url_safe(STATE_BYTES)
}

/// The S256 code challenge of `verifier`: `BASE64URL(SHA256(ASCII(verifier)))`, no padding.
pub(crate) fn challenge_s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether `verifier` is a PKCE code verifier: 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`
/// (RFC 7636, 4.1).
pub(crate) fn is_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// Compares two strings in time that depends on their lengths only, so a `state` check does
/// not tell an attacker how many leading characters they guessed.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_the_rfc_7636_example() {
        // RFC 7636 Appendix B.
        assert_eq!(
            challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_have_the_recommended_form_and_differ() {
        let (a, b) = (verifier().unwrap(), verifier().unwrap());
        assert_eq!(a.len(), 43);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'),
            "{a}"
        );
        assert_ne!(a, b);
        assert_eq!(state().unwrap().len(), 22);
        assert_ne!(state().unwrap(), state().unwrap());
    }

    #[test]
    fn state_comparison() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
        assert!(same("", ""));
    }
}
