//! Key-based redaction of credentials in JSON text: shared by the client's error excerpts and
//! by [`Changes`](crate::Changes)' `Debug`, so it is compiled without the `client` feature too.

/// Keys whose string values are credentials (`api_secret`, `pwd`, `new_password`,
/// `access_token`, `client_secret`, `sid`, ...).
pub(crate) fn is_sensitive_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["secret", "password", "token"]
        .iter()
        .any(|word| key.contains(word))
        || matches!(key.as_str(), "pwd" | "sid")
}

/// `text` (JSON, possibly cut short) with the string and number values of credential keys
/// replaced by `***` (a numeric PIN or key is a credential too), so that a body excerpt in an
/// error — e.g. a token response or `generate_keys` result that failed to decode — never
/// carries the credential.
pub(crate) fn redact_secrets(text: &str) -> std::borrow::Cow<'_, str> {
    /// Index of the `"` closing the string that opens at `start`.
    fn string_end(b: &[u8], start: usize) -> Option<usize> {
        let mut k = start + 1;
        while k < b.len() {
            match b[k] {
                b'\\' => k += 2,
                b'"' => return Some(k),
                _ => k += 1,
            }
        }
        None
    }
    fn skip_ws(b: &[u8], mut k: usize) -> usize {
        while k < b.len() && b[k].is_ascii_whitespace() {
            k += 1;
        }
        k
    }
    let b = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'"' {
            i += 1;
            continue;
        }
        let Some(end) = string_end(b, i) else { break };
        let key = &text[i + 1..end];
        i = end + 1;
        let colon = skip_ws(b, i);
        if b.get(colon) != Some(&b':') || !is_sensitive_key(key) {
            continue;
        }
        let value = skip_ws(b, colon + 1);
        if b.get(value) != Some(&b'"') {
            let number = b[value.min(b.len())..]
                .iter()
                .take_while(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E'))
                .count();
            if number > 0 {
                out.push_str(&text[copied..value]);
                out.push_str("***");
                copied = value + number;
                i = copied;
            }
            continue;
        }
        out.push_str(&text[copied..=value]);
        out.push_str("***");
        match string_end(b, value) {
            Some(value_end) => {
                copied = value_end;
                i = value_end + 1;
            }
            None => {
                // Cut off inside the secret: drop the rest.
                copied = b.len();
                break;
            }
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// serde's message for a failure at `json_path`, unless the failing value sits under a credential
/// key: serde quotes an unexpected string (`invalid type: string "<the token>"`), so then only
/// the kind of failure is kept.
#[cfg(any(feature = "client", feature = "webhook"))]
pub(crate) fn redact_decode_message(json_path: &str, message: String) -> String {
    let last = json_path.rsplit('.').next().unwrap_or("");
    let key = last.split('[').next().unwrap_or("");
    if is_sensitive_key(key) {
        "the value does not have the expected type (not shown: it is a credential)".to_owned()
    } else {
        message
    }
}
