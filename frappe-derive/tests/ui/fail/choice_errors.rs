use frappe_runtime::Choice;

#[derive(Choice)]
enum Status {
    Open,
    #[frappe(rename = "Open")]
    Reopened,
    Pair(String, String),
    #[frappe(other)]
    Unknown,
}

#[derive(Choice)]
struct NotAnEnum {
    value: String,
}

fn main() {
    // The stand-in impls keep uses of the types compiling.
    let _ = (Status::Open.as_str(), <NotAnEnum as Choice>::OPTIONS);
}
