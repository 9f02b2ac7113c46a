use frappe_runtime::Document;

#[derive(Document)]
#[frappe(doctype = "Item")]
struct Item {
    qty: i64,
}

fn main() {
    let _ = Item::qty.like("1%");
}
