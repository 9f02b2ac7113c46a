use frappe_runtime::Document;

#[derive(Document)]
#[frappe(doctype = "ToDo")]
enum Status {
    Open,
    Closed,
}

#[derive(Document)]
#[frappe(doctype = "Number")]
union Number {
    int: i64,
    float: f64,
}

fn main() {
    let _ = (Status::DOCTYPE, Number::DOCTYPE);
}
