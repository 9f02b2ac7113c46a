//! Typed documents (a hand-written `Document`), `Link::fetch`, typed `insert_many`, and the
//! blocking client (feature `blocking`).

use frappe_runtime::Auth;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request};

use crate::mock::{fast_client, json_response};

#[derive(Debug, serde::Serialize, serde::Deserialize, PartialEq)]
struct Note {
    #[serde(default)]
    name: String,
    title: String,
    #[serde(default)]
    public: u8,
}

impl frappe_runtime::Document for Note {
    const DOCTYPE: &'static str = "Note";
    const FIELDS: &'static [frappe_runtime::FieldInfo] = &[
        frappe_runtime::FieldInfo {
            name: "name",
            column: true,
        },
        frappe_runtime::FieldInfo {
            name: "title",
            column: true,
        },
        frappe_runtime::FieldInfo {
            name: "public",
            column: true,
        },
    ];
}

impl frappe_runtime::Submittable for Note {}

#[tokio::test]
async fn typed_documents_and_links() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/resource/Note"))
        .and(query_param("fields", r#"["name","title","public"]"#))
        .and(query_param("filters", r#"[["title","like","%a%"]]"#))
        .respond_with(json_response(
            200,
            json!({"data": [{"name": "n1", "title": "abc", "public": 0}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/resource/Note/n1"))
        .respond_with(json_response(
            200,
            json!({"data": {"name": "n1", "title": "abc", "public": 1, "doctype": "Note"}}),
        ))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/resource/Note"))
        .respond_with(|req: &Request| {
            let mut body: Value = serde_json::from_slice(&req.body).unwrap();
            body["name"] = json!("n2");
            json_response(200, json!({ "data": body }))
        })
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/resource/Note/n1"))
        .and(wiremock::matchers::body_json(json!({"docstatus": 1})))
        .respond_with(json_response(
            200,
            json!({"data": {"name": "n1", "title": "abc", "public": 1}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/resource/Note/n1"))
        .respond_with(json_response(202, json!({"data": "ok"})))
        .expect(1)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("k", "s"));
    let listed = c
        .list::<Note>()
        .filter(json!(["title", "like", "%a%"]))
        .send()
        .await
        .unwrap();
    assert_eq!(listed[0].title, "abc");
    let note: Note = c.get("n1").await.unwrap();
    assert_eq!(note.public, 1);
    let link: frappe_runtime::Link<Note> = frappe_runtime::Link::new("n1");
    assert_eq!(link.fetch(&c).await.unwrap(), note);
    let new = Note {
        name: String::new(),
        title: "new".into(),
        public: 0,
    };
    assert_eq!(c.insert(&new).await.unwrap().name, "n2");
    let submitted: Note = c.submit("n1").await.unwrap();
    assert_eq!(submitted.name, "n1");
    c.delete::<Note>("n1").await.unwrap();
}

const TITLE: frappe_runtime::Field<Note, String> = frappe_runtime::Field::new("title");

#[tokio::test]
async fn typed_insert_many_takes_changes_or_documents() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/method/frappe.client.insert_many"))
        .respond_with(|req: &Request| {
            let body: Value = serde_json::from_slice(&req.body).unwrap();
            let n = body["docs"].as_array().map_or(0, Vec::len);
            json_response(
                200,
                json!({"message": (1..=n).map(|i| format!("n{i}")).collect::<Vec<_>>()}),
            )
        })
        .expect(2)
        .mount(&server)
        .await;
    let c = fast_client(&server, Auth::token("k", "s"));
    let changes = [
        frappe_runtime::Changes::new().set(TITLE, "a"),
        frappe_runtime::Changes::new().set(TITLE, "b"),
    ];
    assert_eq!(c.insert_many(&changes).await.unwrap(), ["n1", "n2"]);
    let whole = [Note {
        name: String::new(),
        title: "c".into(),
        public: 1,
    }];
    assert_eq!(c.insert_many(&whole).await.unwrap(), ["n1"]);
    let sent: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    // The DocType comes from `Note`; a Changes sends only what was set.
    assert_eq!(
        sent[0],
        json!({"docs": [{"doctype": "Note", "title": "a"}, {"doctype": "Note", "title": "b"}]})
    );
    assert_eq!(
        sent[1],
        json!({"docs": [{"doctype": "Note", "name": "", "title": "c", "public": 1}]})
    );
}

#[cfg(feature = "blocking")]
#[test]
fn blocking_facade_round_trip() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/method/frappe.desk.form.load.getdoctype"))
            .and(query_param("doctype", "ToDo"))
            .respond_with(json_response(
                200,
                json!({"docs": [{"name": "ToDo"}], "user_settings": "{}"}),
            ))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/resource/ToDo"))
            .respond_with(json_response(200, json!({"data": [{"name": "t1"}]})))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/resource/Note"))
            .and(wiremock::matchers::body_json(json!({"title": "from sync"})))
            .respond_with(json_response(
                200,
                json!({"data": {"name": "n9", "title": "from sync", "public": 0}}),
            ))
            .expect(1)
            .mount(&server)
            .await;
        server
    });
    let c = frappe_runtime::blocking::Client::new(server.uri(), Auth::token("k", "s")).unwrap();
    let body: frappe_runtime::Row = c
        .call("frappe.desk.form.load.getdoctype")
        .arg("doctype", "ToDo")
        .get_body()
        .unwrap();
    assert_eq!(body["docs"][0]["name"], "ToDo");
    let rows = c.doctype("ToDo").list().limit(1).send().unwrap();
    assert_eq!(rows[0]["name"], "t1");
    // The paging iterator: two pages of one row (the server always answers one), capped by
    // the limit.
    let streamed: Vec<frappe_runtime::Row> = c
        .doctype("ToDo")
        .list()
        .page_size(1)
        .limit(2)
        .stream()
        .collect::<frappe_runtime::Result<_>>()
        .unwrap();
    assert_eq!(streamed.len(), 2);
    let created: Note = c
        .create(&frappe_runtime::Changes::new().set(TITLE, "from sync"))
        .unwrap();
    assert_eq!(created.name, "n9");
    drop(server);
}
