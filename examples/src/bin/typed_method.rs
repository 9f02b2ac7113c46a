//! Call whitelisted functions through typed bindings: `frappe-codegen --methods` turned the
//! example app's `@frappe.whitelist()` functions (`library_app/library_management/api.py`, the app package `library_app`, the
//! Library Member controller) into structs whose fields are the arguments
//! (`src/library/methods.rs`). A misspelled function or argument is a compile error.
//!
//! The example app is not installed on a real site, so against one this prints Frappe's
//! answer for a method it does not have; the calls themselves are the point.
//!
//! ```sh
//! cargo run -p frappe-examples --bin typed_method
//! ```

use frappe_examples::env::{Login, client_or_exit};
use frappe_examples::library::methods::library_app::library_management::api::{CatalogueSize, OverdueArticles};
use frappe_examples::library::methods::library_app::library_management::doctype::library_member::library_member::LibraryMemberRenewMembership;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);

    // `overdue_articles(member: str, as_of: str | None = None) -> list[str]`: the required
    // argument goes to `new`, the optional one is a field (left `None`, it is not sent and
    // Python's default applies; set here).
    let mut overdue = OverdueArticles::new("LM00001");
    overdue.as_of = Some("2026-12-01".into());
    match client.method(&overdue).send().await {
        Ok(articles) => println!("overdue: {articles:?}"),
        Err(e) => println!("overdue_articles: {e}"),
    }

    // `methods=["GET"]`: sent with GET (and retried on transient failures).
    match client.method(&CatalogueSize::new()).send().await {
        Ok(n) => println!("{n} articles"),
        Err(e) => println!("catalogue_size: {e}"),
    }

    // A controller method runs on one document.
    let renew = LibraryMemberRenewMembership { months: Some(6) };
    match client.document_method("LM00001", &renew).send().await {
        Ok(name) => println!("renewed: {name}"),
        Err(e) => println!("renew_membership: {e}"),
    }
    Ok(())
}
