use chrono::NaiveDate;
use frappe_runtime::Document;

#[derive(Document)]
#[frappe(doctype = "ToDo")]
struct ToDo {
    date: Option<NaiveDate>,
}

fn main() {
    let _ = ToDo::date.gte("2024-01-01");
}
