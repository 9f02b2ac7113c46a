//! Whitelisted methods: a method that returns nothing, the server messages it printed, and a
//! success status whose body carries an exception.

use frappe_runtime::{Auth, Error};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::mock::{fast_client, json_response};

#[tokio::test]
async fn method_without_message_is_unit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.client.delete"))
        .respond_with(json_response(200, json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.client.rename_doc"))
        .respond_with(json_response(
            200,
            json!({"message": "B", "_server_messages": "[\"{\\\"message\\\": \\\"Renamed <b>A</b>\\\", \\\"alert\\\": 1}\"]"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("k", "s"));
    c.frappe_client().delete("ToDo", "t1").await.unwrap();
    let renamed = c
        .call("frappe.client.rename_doc")
        .args(json!({"doctype": "Role", "old_name": "A", "new_name": "B"}))
        .post_with_messages::<String>()
        .await
        .unwrap();
    assert_eq!(renamed.value, "B");
    assert_eq!(renamed.server_messages[0].message, "Renamed A");
}

#[tokio::test]
async fn a_200_carrying_an_exception_is_an_error() {
    // What Frappe sends for an exception whose http_status_code is 200 (RequestToken, an app's).
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/method/app.need_token"))
        .respond_with(json_response(
            200,
            json!({"exc_type": "RequestToken", "exception": "frappe.exceptions.RequestToken: token needed"}),
        ))
        .expect(3)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("k", "api-secret"));
    let call = || c.call("app.need_token");
    let untyped = call().get::<Value>().await.unwrap_err();
    assert!(matches!(untyped, Error::Api(_)), "{untyped:?}");
    assert_eq!(untyped.exc_type(), Some("RequestToken"));
    assert_eq!(
        untyped.to_string(),
        "request failed: HTTP 200 RequestToken: token needed"
    );
    let typed = c
        .call("app.need_token")
        .get::<Option<String>>()
        .await
        .unwrap_err();
    assert!(matches!(typed, Error::Api(_)), "{typed:?}");
    let whole = call().get_body::<Value>().await.unwrap_err();
    assert!(matches!(whole, Error::Api(_)), "{whole:?}");
}

/// A binding as frappe-codegen writes it for `def due(member: str, days: int = 7) -> list[str]`
/// with `methods=[...]` given by the test.
struct Due<const GET_ONLY: bool> {
    member: String,
    days: Option<i64>,
}

impl<const GET_ONLY: bool> frappe_runtime::Method for Due<GET_ONLY> {
    const PATH: &'static str = "library.api.due";
    const HTTP_METHODS: &'static [&'static str] = if GET_ONLY {
        &["GET"]
    } else {
        &["GET", "POST", "PUT", "DELETE"]
    };
    type Output = Vec<String>;
    fn write_args(&self, args: &mut frappe_runtime::Args) {
        args.arg("member", &self.member);
        args.optional("days", &self.days);
    }
}

#[tokio::test]
async fn a_typed_call_posts_unless_the_function_accepts_get_alone() {
    use wiremock::matchers::{body_json, query_param};
    let server = MockServer::start().await;
    // Any method accepted: POST (never retried), unset optional arguments not sent.
    Mock::given(method("POST"))
        .and(path("/api/method/library.api.due"))
        .and(body_json(json!({"member": "M-1"})))
        .respond_with(json_response(200, json!({"message": ["B-1", "B-2"]})))
        .expect(1)
        .mount(&server)
        .await;
    // GET alone: GET with the arguments in the query string.
    Mock::given(method("GET"))
        .and(path("/api/method/library.api.due"))
        .and(query_param("member", "M-2"))
        .and(query_param("days", "3"))
        .respond_with(json_response(200, json!({"message": ["B-3"]})))
        .expect(1)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("k", "s"));
    let posted = c
        .method(&Due::<false> {
            member: "M-1".into(),
            days: None,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(posted, ["B-1", "B-2"]);
    let got = c
        .method(&Due::<true> {
            member: "M-2".into(),
            days: Some(3),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(got, ["B-3"]);
    // `get_as` asks for GET although the function takes POST too (the POST mock expects one
    // call, made above), and decodes as the caller says.
    Mock::given(method("GET"))
        .and(path("/api/method/library.api.due"))
        .and(query_param("member", "M-3"))
        .respond_with(json_response(200, json!({"message": ["B-4", "B-5"]})))
        .expect(1)
        .mount(&server)
        .await;
    let read: Vec<String> = c
        .method(&Due::<false> {
            member: "M-3".into(),
            days: None,
        })
        .get_as()
        .await
        .unwrap();
    assert_eq!(read, ["B-4", "B-5"]);
    // An extra argument that repeats one of the call's: refused, nothing sent.
    let err = c
        .method(&Due::<false> {
            member: "M-1".into(),
            days: None,
        })
        .arg("member", "M-9")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_runs_typed_calls_too() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/method/library.api.due"))
            .respond_with(json_response(200, json!({"message": ["B-1"]})))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/method/library.api.due"))
            .respond_with(json_response(200, json!({"message": ["B-2"]})))
            .expect(1)
            .mount(&server)
            .await;
        server
    });
    let c = frappe_runtime::blocking::Client::new(server.uri(), Auth::token("k", "s")).unwrap();
    let call = Due::<false> {
        member: "M-1".into(),
        days: Some(7),
    };
    assert_eq!(c.method(&call).send().unwrap(), ["B-1"]);
    let read: Vec<Value> = c.method(&call).get_as().unwrap();
    assert_eq!(read, [json!("B-2")]);
    drop(rt);
}

/// `def report(names: list[str], detailed=False)` with `methods=["GET"]`.
struct Report {
    names: Option<Vec<String>>,
    detailed: Option<bool>,
}

impl frappe_runtime::Method for Report {
    const PATH: &'static str = "library.api.report";
    const HTTP_METHODS: &'static [&'static str] = &["GET"];
    type Output = Value;
    fn write_args(&self, args: &mut frappe_runtime::Args) {
        args.optional_structured("names", &self.names);
        args.optional("detailed", &self.detailed);
    }
}

#[tokio::test]
async fn typed_get_sends_booleans_as_digits_and_refuses_what_frappe_would() {
    use wiremock::matchers::query_param;
    let server = MockServer::start().await;
    // `cint("false")` is 0 but so is `cint("true")`: booleans travel as 1 / 0.
    Mock::given(method("GET"))
        .and(path("/api/method/library.api.report"))
        .and(query_param("detailed", "0"))
        .respond_with(json_response(200, json!({"message": "ok"})))
        .expect(1)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("k", "s"));
    let ok = c
        .method(&Report {
            names: None,
            detailed: Some(false),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(ok, json!("ok"));
    // An annotated list cannot travel in a query string (Frappe's type check refuses the text).
    let err = c
        .method(&Report {
            names: Some(vec!["a".into()]),
            detailed: None,
        })
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("\"names\" is annotated as a list"),
        "{err}"
    );
    // Arguments Frappe never passes to the function are refused rather than dropped by it.
    let err = c
        .method(&Report {
            names: None,
            detailed: None,
        })
        .arg("ignore_permissions", true)
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("ignore_permissions"), "{err}");
}
