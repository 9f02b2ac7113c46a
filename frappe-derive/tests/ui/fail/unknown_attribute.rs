use frappe_runtime::Document;

#[derive(Document)]
#[frappe(doctype = "ToDo", submitable)]
struct ToDo {
    #[frappe(renam = "description")]
    desc: String,
}

fn main() {
    // The stand-in impl keeps uses of the type from failing too.
    let _ = ToDo::desc.like("%x%");
}
