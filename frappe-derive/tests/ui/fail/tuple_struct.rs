use frappe_runtime::Document;

#[derive(Document)]
#[frappe(doctype = "ToDo")]
struct ToDo(String, i64);

#[derive(Document)]
#[frappe(doctype = "Note")]
struct Note;

fn main() {
    let _ = (ToDo::DOCTYPE, Note::DOCTYPE);
}
