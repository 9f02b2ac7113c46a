use frappe_runtime::Document;

#[derive(Document)]
#[frappe(doctype = "ToDo")]
struct ToDo<T> {
    description: T,
}

fn main() {
    let _ = ToDo::<String>::DOCTYPE;
}
