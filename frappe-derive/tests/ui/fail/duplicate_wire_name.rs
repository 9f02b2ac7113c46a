use frappe_runtime::Document;
use serde::Deserialize;

#[derive(Deserialize, Document)]
#[frappe(doctype = "ToDo")]
struct ToDo {
    description: String,
    #[serde(rename = "description")]
    summary: String,
    #[frappe(rename = "status")]
    #[serde(rename = "state")]
    status: String,
}

fn main() {}
