use frappe_runtime::Document;

#[derive(Document)]
#[frappe(doctype = "ToDo")]
enum Status {
    Open,
    Closed,
}

fn main() {
    let _ = Status::DOCTYPE;
}
