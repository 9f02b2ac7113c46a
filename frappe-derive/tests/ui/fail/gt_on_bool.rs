use frappe_runtime::Document;

#[derive(Document)]
#[frappe(doctype = "Item")]
struct Item {
    disabled: bool,
}

fn main() {
    let _ = Item::disabled.gt(false);
}
