//! Frappe's own rate limiter (`rate_limit` in site_config.json: a budget of server time per
//! window, site-wide), on the real server. `.ci/live` runs this alone, after the other live
//! tests, with `{"limit": 0.000001, "window": 3}` set: one request per 3-second window goes
//! through, the next ones get 429 with `Retry-After` (the seconds left in the window).

use frappe_runtime::{Error, RetryPolicy};
use std::time::Duration;

use crate::support::{admin, url, var};

#[tokio::test]
#[ignore = "needs the site's rate_limit set: run alone by .ci/live"]
async fn the_sites_rate_limit_is_waited_out_for_reads_and_reported_for_writes() {
    let client = frappe_runtime::Client::builder(url())
        .auth(frappe_runtime::Auth::token(
            var("FRAPPE_TEST_API_KEY"),
            var("FRAPPE_TEST_API_SECRET"),
        ))
        .retry(RetryPolicy::new(
            4,
            Duration::from_millis(100),
            Duration::from_secs(5),
        ))
        .build()
        .unwrap();
    // Spend the window's budget; whether this one passes depends on the window it lands in.
    let _ = client.ping().await;
    // A read: answered 429 with Retry-After, waited out (no busy loop: a few attempts), then
    // served in the next window.
    let before = client.stats();
    client.ping().await.unwrap();
    let used = client.stats().since(&before);
    assert!(used.retries >= 1, "the 429 was waited out: {used:?}");
    assert!(
        used.attempts <= 3,
        "one wait per window, no busy loop: {used:?}"
    );
    // The site's X-RateLimit-* headers, as the last answer reported them.
    let site = used
        .site_rate_limit
        .expect("the site reports its rate limit");
    assert!(site.limit <= Duration::from_micros(1), "{site:?}");
    assert!(site.reset <= Duration::from_secs(3), "{site:?}");
    assert!(
        site.used.is_some(),
        "a served request says what it used: {site:?}"
    );

    // A write is not retried: the 429 comes back typed, with the server's Retry-After.
    let err = client
        .doctype("ToDo")
        .insert(&serde_json::json!({"description": "rate limited", "status": "Cancelled"}))
        .await;
    match err {
        Err(Error::RateLimited { retry_after, .. }) => {
            let wait = retry_after.expect("Frappe sends Retry-After with its 429");
            assert!(wait <= Duration::from_secs(3), "{wait:?}");
        }
        // The insert may land in a fresh window and pass: then the next call is refused.
        Ok(row) => {
            let name = row["name"].as_str().unwrap().to_owned();
            let err = client
                .doctype("ToDo")
                .insert(&serde_json::json!({"description": "rate limited", "status": "Cancelled"}))
                .await
                .unwrap_err();
            assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
            // Clean up once the window has passed (a read and a delete, retried as needed).
            tokio::time::sleep(Duration::from_secs(3)).await;
            admin().doctype("ToDo").delete(&name).await.unwrap();
        }
        Err(other) => panic!("expected RateLimited, got {other:?}"),
    }
}
