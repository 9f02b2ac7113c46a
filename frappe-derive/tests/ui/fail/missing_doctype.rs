use frappe_runtime::Document;

#[derive(Document)]
struct ToDo {
    description: String,
}

#[derive(Document)]
#[frappe(doctype = "")]
struct Empty {
    description: String,
}

#[derive(Document)]
#[frappe(doctype = Note)]
struct Note {
    title: String,
}

fn main() {
    let _ = (ToDo::DOCTYPE, Empty::description, Note::title);
}
