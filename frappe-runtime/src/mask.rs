//! [`SecretMask`]: replaces the client's own secrets by `***` in text a server sent back.
//!
//! A proxy's 502 page may print the request's `Authorization` header, a debug page the cookie,
//! a misbehaving method its arguments. Key-based redaction (`api_error::redact_secrets`) cannot
//! see those, so every server text that goes into an error (and from there into `Display`,
//! `Debug` and logs) is also searched for the exact secrets the client holds: the API secret,
//! the Basic credential, the password, the session id, the bearer and refresh tokens, the OAuth
//! client secret (the list comes from `SessionState::secrets`). Each is searched as sent and in
//! the forms a server may echo it in: JSON-escaped, form- and percent-encoded, HTML-escaped.

use std::borrow::Cow;
use std::sync::Arc;

use crate::api_error::ApiError;

/// What a masked secret is replaced by.
pub(crate) const MASK: &str = "***";

/// The strings to mask, longest first (so a secret containing another is masked whole). Cheap
/// to clone.
#[derive(Clone, Default)]
pub(crate) struct SecretMask(Arc<[String]>);

impl std::fmt::Debug for SecretMask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretMask({} strings)", self.0.len())
    }
}

impl SecretMask {
    /// A mask for `secrets` and the encoded forms of each. Empty secrets are ignored; short ones
    /// are masked too (a short secret is still a secret).
    pub(crate) fn new<S: AsRef<str>>(secrets: impl IntoIterator<Item = S>) -> Self {
        let mut needles: Vec<String> = Vec::new();
        for secret in secrets {
            let secret = secret.as_ref();
            if secret.is_empty() {
                continue;
            }
            needles.extend(encoded_forms(secret));
        }
        needles.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Self(needles.into())
    }

    /// This mask and `extra` (secrets a request carries that the client does not hold: an
    /// authorization code, a PKCE verifier, a token passed to revoke).
    #[cfg(any(feature = "oauth", test))]
    pub(crate) fn with<S: AsRef<str>>(&self, extra: impl IntoIterator<Item = S>) -> Self {
        let extra: Vec<String> = extra
            .into_iter()
            .filter(|s| !s.as_ref().is_empty())
            .flat_map(|s| encoded_forms(s.as_ref()))
            .collect();
        if extra.is_empty() {
            return self.clone();
        }
        let mut needles: Vec<String> = self.0.iter().cloned().chain(extra).collect();
        needles.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Self(needles.into())
    }

    /// `text` with every occurrence of every secret replaced by `***`.
    pub(crate) fn str<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for needle in self.0.iter() {
            if out.contains(needle.as_str()) {
                out = Cow::Owned(out.replace(needle.as_str(), MASK));
            }
        }
        out
    }

    /// The length in bytes of the longest string masked (0 for none): a text cut short may end
    /// in at most this many bytes of a secret, too few to be recognised.
    pub(crate) fn longest(&self) -> usize {
        // Sorted longest first.
        self.0.first().map_or(0, String::len)
    }

    /// Masks `text` in place.
    pub(crate) fn string(&self, text: &mut String) {
        if let Cow::Owned(masked) = self.str(text) {
            *text = masked;
        }
    }

    /// Masks every text field of a decoded error response.
    pub(crate) fn api_error(&self, e: &mut ApiError) {
        if self.0.is_empty() {
            return;
        }
        self.string(&mut e.message);
        for m in &mut e.server_messages {
            self.string(&mut m.message);
            for field in [&mut m.title, &mut m.indicator].into_iter().flatten() {
                self.string(field);
            }
        }
        for field in [
            &mut e.exc_type,
            &mut e.traceback,
            &mut e.exc_source,
            &mut e.content_type,
        ]
        .into_iter()
        .flatten()
        {
            self.string(field);
        }
    }
}

/// `secret` as sent, and as a server may echo it: inside a JSON string, form-encoded (a login
/// body), percent-encoded (a URL), HTML-escaped (a page).
fn encoded_forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|j| j.strip_suffix('"'))
        .unwrap_or(secret)
        .to_owned();
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let percent = percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let html = secret
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    // JSON may escape `/` (`\/`), and Python's json.dumps escapes non-ASCII (`\u00f6`).
    let json_ascii: String = json
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                let mut buf = [0u16; 2];
                c.encode_utf16(&mut buf)
                    .iter()
                    .map(|u| format!("\\u{u:04x}"))
                    .collect()
            }
        })
        .collect();
    vec![
        secret.to_owned(),
        json.replace('/', "\\/"),
        json_ascii.replace('/', "\\/"),
        json,
        json_ascii,
        form,
        percent,
        html,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_is_masked_and_empty_is_ignored() {
        let mask = SecretMask::new(["pa ss/wö\"rd&1", "", "k"]);
        for text in [
            "pa ss/wö\"rd&1",
            r#"{"pwd": "pa ss/wö\"rd&1"}"#,
            r#"{"pwd": "pa ss\/w\u00f6\"rd&1"}"#,
            "usr=a&pwd=pa+ss%2Fw%C3%B6%22rd%261",
            "/x/pa%20ss%2Fw%C3%B6%22rd%261",
            "<p>pa ss/wö&quot;rd&amp;1</p>",
        ] {
            let masked = mask.str(text);
            assert!(!masked.contains("rd"), "{text} -> {masked}");
            assert!(masked.contains(MASK), "{text} -> {masked}");
        }
        // Short secrets are masked too; nothing else changes.
        assert_eq!(mask.str("a k b"), "a *** b");
        assert!(matches!(mask.str("nothing"), Cow::Borrowed(_)));
        assert!(SecretMask::new([""]).0.is_empty());
    }

    #[test]
    fn extra_secrets_join_the_mask() {
        let mask = SecretMask::new(["abc"]).with(["code/1", ""]);
        assert_eq!(mask.str("abc code/1 code%2F1"), "*** *** ***");
        assert_eq!(
            SecretMask::new(["abc"]).with([""; 0]).0.len(),
            mask_len("abc")
        );
    }

    fn mask_len(secret: &str) -> usize {
        SecretMask::new([secret]).0.len()
    }

    #[test]
    fn a_longer_secret_is_masked_whole() {
        // `abc` is a secret and so is `xabcx`: the longer one goes first.
        let mask = SecretMask::new(["abc", "xabcx"]);
        assert_eq!(mask.str("1 xabcx 2 abc"), "1 *** 2 ***");
    }
}
