//! Clients pointed at a replay server, one per credential kind of the transcripts.
//!
//! Retries are off: a replayed exchange is expected exactly once, and the retry policy has its
//! own behaviour tests. Compact list rows are off: the transcripts asked for object rows (but
//! 033, which `compact_token` replays).

use frappe_runtime::{Auth, Client, RetryPolicy};

use super::transcript::{API_KEY, API_SECRET, LIMITED_API_KEY, LIMITED_API_SECRET};

fn build(uri: &str, auth: Auth) -> Client {
    Client::builder(uri)
        .auth(auth)
        .retry(RetryPolicy::none())
        .compact_rows(false)
        .build()
        .expect("client for the replay server")
}

/// Administrator's token, lists asking for compact rows (the default of a client).
pub fn compact_token(uri: &str) -> Client {
    Client::builder(uri)
        .auth(Auth::token(API_KEY, API_SECRET))
        .retry(RetryPolicy::none())
        .build()
        .expect("client for the replay server")
}

/// Administrator, `Authorization: token <API_KEY>:<API_SECRET>`.
pub fn token(uri: &str) -> Client {
    build(uri, Auth::token(API_KEY, API_SECRET))
}

/// limited@example.com, `token <LIMITED_API_KEY>:<LIMITED_API_SECRET>`.
pub fn limited(uri: &str) -> Client {
    build(uri, Auth::token(LIMITED_API_KEY, LIMITED_API_SECRET))
}

/// Administrator's key with a wrong secret (`wrongsecret000`, as the 401 transcripts sent).
pub fn wrong_secret(uri: &str) -> Client {
    build(uri, Auth::token(API_KEY, "wrongsecret000"))
}

/// Administrator's key pair as HTTP Basic.
pub fn basic(uri: &str) -> Client {
    build(uri, Auth::basic(API_KEY, API_SECRET))
}

/// No credentials.
pub fn guest(uri: &str) -> Client {
    build(uri, Auth::Guest)
}

/// Password login as `user`.
pub fn password(uri: &str, user: &str, pwd: &str) -> Client {
    build(uri, Auth::password(user, pwd))
}

/// Administrator token client on the v2 routes (`/api/v2/document`, `/api/v2/method`).
pub fn token_v2(uri: &str) -> Client {
    token(uri).with_api_version(frappe_runtime::ApiVersion::V2)
}

/// limited@example.com on the v2 routes.
pub fn limited_v2(uri: &str) -> Client {
    limited(uri).with_api_version(frappe_runtime::ApiVersion::V2)
}
