//! The client's redirect policy. reqwest's own is switched off (`Policy::none()` in
//! [`ClientBuilder::build`](crate::ClientBuilder::build)) and redirects are decided here, so the
//! rule is the same whatever reqwest would do:
//!
//! - only GET and HEAD follow a redirect (a write is neither re-sent elsewhere by a 307/308 nor
//!   turned into a GET by a 301/302/303 whose answer would pass for the write's);
//! - only to the site's own origin: same scheme, host and port, so never to another host and
//!   never from https down to http (where the credentials would travel in clear text); and
//!   only below the site's base path (another site on the same host is another site);
//! - at most [`MAX_REDIRECTS`] hops per attempt.
//!
//! Anything else ends the call with [`Error::Redirect`](crate::Error::Redirect), naming the
//! `Location` without its user info or query. A 3xx without a `Location` is an error response
//! like any other. A followed hop carries the same headers and
//! credentials, which is safe because it stays on the origin they are meant for.

use reqwest::header::HeaderValue;
use reqwest::{Method, StatusCode};
use url::Url;

use crate::client::builder::redact_url;
use crate::error::RedirectReason;
use crate::mask::SecretMask;

/// Same-origin hops followed for one attempt; Frappe itself never redirects an API route, so a
/// few cover a proxy's canonical-path rewrites, and a loop ends quickly.
pub(crate) const MAX_REDIRECTS: usize = 5;

/// A redirect not followed: why, and the `Location` as it may be shown.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refused {
    pub(crate) reason: RedirectReason,
    pub(crate) location: String,
}

/// The statuses that carry a `Location` to go to (304 and 300 are not followed by anyone).
pub(crate) fn is_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// Where a redirect from `current` to `location` leads, after `hops` hops already followed, for
/// a request with `method` to the site at `site`; or why it is not followed (the `Location`
/// shown with the client's secrets masked by `mask`).
pub(crate) fn next_hop(
    method: &Method,
    current: &Url,
    site: &Url,
    location: &HeaderValue,
    hops: usize,
    mask: &SecretMask,
) -> Result<Url, Refused> {
    let raw = String::from_utf8_lossy(location.as_bytes());
    let next = current.join(raw.trim()).map_err(|_| Refused {
        reason: RedirectReason::InvalidLocation,
        location: shorten(&mask.str(&redact_url(raw.trim()))),
    })?;
    let refuse = |reason| {
        Err(Refused {
            reason,
            location: shown(&next, mask),
        })
    };
    // Another origin first: for a redirected login that is the reason worth reading.
    if !same_origin(&next, site) {
        refuse(RedirectReason::OtherOrigin)
    } else if !is_on_site(&next, site) {
        refuse(RedirectReason::OutsideBasePath)
    } else if !may_follow(method) {
        refuse(RedirectReason::NotGetOrHead)
    } else if hops >= MAX_REDIRECTS {
        refuse(RedirectReason::TooManyHops)
    } else {
        Ok(next)
    }
}

/// Whether a user-supplied `reqwest::Client` that ended at `reached` (after following
/// redirects on its own) went where this policy would have gone.
pub(crate) fn check_followed(
    method: &Method,
    reached: &Url,
    site: &Url,
    mask: &SecretMask,
) -> Result<(), Refused> {
    if may_follow(method) && is_on_site(reached, site) {
        Ok(())
    } else {
        Err(Refused {
            reason: RedirectReason::FollowedByHttpClient,
            location: shown(reached, mask),
        })
    }
}

fn may_follow(method: &Method) -> bool {
    *method == Method::GET || *method == Method::HEAD
}

/// Same scheme, host and port (default ports made explicit). Non-http(s) URLs have opaque
/// origins, equal to nothing.
fn same_origin(a: &Url, b: &Url) -> bool {
    a.origin() == b.origin()
}

/// Whether `url` is on the site at `base`: the same origin, and at or below the base path,
/// segment-wise (`/erp/files/x` is below `/erp/`, `/erpnext/..` and `/other-site/..` are not:
/// another site served from the same host must not get this one's credentials).
pub(crate) fn is_on_site(url: &Url, base: &Url) -> bool {
    let base_path = base.path().trim_end_matches('/');
    same_origin(url, base)
        && url
            .path()
            .strip_prefix(base_path)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// `url` for an error message or a log: no user info, no fragment, the query replaced by `?…`,
/// the client's secrets masked (before it is shortened, so no part of one survives the cut).
pub(crate) fn shown(url: &Url, mask: &SecretMask) -> String {
    let mut url = url.clone();
    let had_query = url.query().is_some();
    // Fails only for URLs that cannot have credentials anyway.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
    let mut out = url.to_string();
    if had_query {
        out.push_str("?…");
    }
    shorten(&mask.str(&out))
}

/// At most 300 characters: a `Location` is the server's text, of any length.
pub(crate) fn shorten(text: &str) -> String {
    crate::api_error::truncate_chars(text, 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(method: Method, from: &str, location: &str) -> Result<String, Refused> {
        let site = Url::parse("https://erp.example.com:8443/").unwrap();
        let from = Url::parse(from).unwrap();
        next_hop(
            &method,
            &from,
            &site,
            &HeaderValue::from_str(location).unwrap(),
            0,
            &SecretMask::default(),
        )
        .map(String::from)
    }

    fn reason(r: Result<String, Refused>) -> RedirectReason {
        r.unwrap_err().reason
    }

    const FROM: &str = "https://erp.example.com:8443/api/method/ping";

    #[test]
    fn same_origin_get_and_head_follow() {
        assert_eq!(
            hop(Method::GET, FROM, "/api/method/pong?x=1").unwrap(),
            "https://erp.example.com:8443/api/method/pong?x=1"
        );
        assert_eq!(
            hop(Method::HEAD, FROM, "https://erp.example.com:8443/files/a").unwrap(),
            "https://erp.example.com:8443/files/a"
        );
        // Relative to the current path.
        assert_eq!(
            hop(Method::GET, FROM, "pong").unwrap(),
            "https://erp.example.com:8443/api/method/pong"
        );
    }

    #[test]
    fn writes_never_follow() {
        for m in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
            assert_eq!(
                reason(hop(m.clone(), FROM, "/api/method/pong")),
                RedirectReason::NotGetOrHead,
                "{m}"
            );
        }
    }

    #[test]
    fn another_origin_or_a_weaker_scheme_is_refused() {
        for location in [
            // Same host and port, clear text: the Authorization header would travel unencrypted.
            "http://erp.example.com:8443/api/method/ping",
            "https://other.example.com:8443/api/method/ping",
            "https://erp.example.com/api/method/ping",
            "//evil.example.com/x",
            "ftp://erp.example.com:8443/x",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                reason(hop(Method::GET, FROM, location)),
                RedirectReason::OtherOrigin,
                "{location}"
            );
        }
    }

    #[test]
    fn a_site_under_a_path_keeps_to_it() {
        let site = Url::parse("https://h/erp/").unwrap();
        let from = Url::parse("https://h/erp/api/method/ping").unwrap();
        let to = |location: &str| {
            next_hop(
                &Method::GET,
                &from,
                &site,
                &HeaderValue::from_str(location).unwrap(),
                0,
                &SecretMask::default(),
            )
        };
        assert!(to("/erp/api/method/pong").is_ok());
        assert!(to("/erp").is_ok());
        for location in ["/other-site/api/method/ping", "/erpnext/x", "/"] {
            assert_eq!(
                to(location).unwrap_err().reason,
                RedirectReason::OutsideBasePath,
                "{location}"
            );
        }
        let elsewhere = Url::parse("https://h/other-site/x").unwrap();
        assert!(check_followed(&Method::GET, &elsewhere, &site, &SecretMask::default()).is_err());
    }

    #[test]
    fn hops_are_bounded() {
        let site = Url::parse("http://h/").unwrap();
        let loc = HeaderValue::from_static("/again");
        let none = SecretMask::default();
        assert!(next_hop(&Method::GET, &site, &site, &loc, MAX_REDIRECTS - 1, &none).is_ok());
        assert_eq!(
            next_hop(&Method::GET, &site, &site, &loc, MAX_REDIRECTS, &none)
                .unwrap_err()
                .reason,
            RedirectReason::TooManyHops
        );
    }

    #[test]
    fn the_location_is_shown_without_credentials_or_query() {
        let r = hop(
            Method::POST,
            FROM,
            "https://user:PW-SECRET@evil.example.com/login?token=Q-SECRET#frag",
        )
        .unwrap_err();
        assert_eq!(r.location, "https://evil.example.com/login?…");
        let r = hop(Method::GET, FROM, "http://u:PW-SECRET@h:99999/?q=Q-SECRET").unwrap_err();
        assert_eq!(r.reason, RedirectReason::InvalidLocation);
        assert!(!r.location.contains("SECRET"), "{}", r.location);
        let long = format!("/{}", "a".repeat(1000));
        let r = hop(Method::POST, FROM, &long).unwrap_err();
        assert!(r.location.chars().count() <= 301, "{}", r.location);
    }

    #[test]
    fn the_location_shown_has_the_secrets_masked() {
        let mask = SecretMask::new(["SID-SECRET-42"]);
        let site = Url::parse("https://h/").unwrap();
        let refused = |location: &str| {
            next_hop(
                &Method::POST,
                &site,
                &site,
                &HeaderValue::from_str(location).unwrap(),
                0,
                &mask,
            )
            .unwrap_err()
            .location
        };
        let shown = refused("/login/SID-SECRET-42/next");
        assert_eq!(shown, "https://h/login/***/next");
        // Straddling the 300-character cut: masked before the cut, nothing of it is left.
        let shown = refused(&format!("/{}SID-SECRET-42", "a".repeat(285)));
        assert!(!shown.contains("SID"), "{shown}");
        // Not a URL: shown as text, masked too.
        let shown = refused("http://h:99999/SID-SECRET-42");
        assert!(!shown.contains("SID-SECRET"), "{shown}");
        let reached = Url::parse("https://evil/SID-SECRET-42").unwrap();
        let shown = check_followed(&Method::GET, &reached, &site, &mask)
            .unwrap_err()
            .location;
        assert_eq!(shown, "https://evil/***");
    }

    #[test]
    fn a_client_that_followed_is_checked_by_the_same_rule() {
        let site = Url::parse("https://h/").unwrap();
        let here = Url::parse("https://h/files/b?x=1").unwrap();
        let there = Url::parse("https://evil/files/b?x=1").unwrap();
        assert!(check_followed(&Method::GET, &here, &site, &SecretMask::default()).is_ok());
        assert_eq!(
            check_followed(&Method::GET, &there, &site, &SecretMask::default()),
            Err(Refused {
                reason: RedirectReason::FollowedByHttpClient,
                location: "https://evil/files/b?…".into()
            })
        );
        // A POST that ended somewhere else was redirected, whatever the origin.
        assert!(check_followed(&Method::POST, &here, &site, &SecretMask::default()).is_err());
    }
}
