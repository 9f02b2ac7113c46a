use frappe_runtime::Document;

struct Email(String);

#[derive(Document)]
#[frappe(doctype = "Contact")]
struct Contact {
    email: Email,
}

fn main() {
    let _ = Contact::email.eq(Email("a@example.com".into()));
}
