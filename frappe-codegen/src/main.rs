//! The `frappe-codegen` command line. Work in progress.
fn main() {
    eprintln!("frappe-codegen: not implemented yet");
    std::process::exit(2);
}
