//! Handle 401, 403, 404 and 417 by matching on the error enum (`frappe_runtime::Error`; the
//! full match is `tasks::errors::explain`).
//!
//! ```sh
//! cargo run -p frappe-examples --bin handle_errors
//! ```

use frappe_examples::env::{Login, client_or_exit};
use frappe_examples::erpnext::selling::{Customer, CustomerType};
use frappe_examples::tasks::{customers::new_customer, errors::explain};
use frappe_runtime::{Auth, Client, Error};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let site = client.base_url().as_str();

    // 401: a key pair the site does not know.
    let wrong = Client::builder(site)
        .auth(Auth::token("no-such-key", "wrong"))
        .build()?;
    report("401", wrong.list::<Customer>().limit(1).send().await);

    // 403: no credentials at all (Frappe treats the request as Guest).
    let guest = Client::builder(site).build()?;
    report("403", guest.list::<Customer>().limit(1).send().await);

    // 404: a document that does not exist. Matching one variant inline:
    match client.get::<Customer>("no such customer, surely").await {
        Ok(c) => println!("404: unexpectedly found {}", c.name),
        Err(Error::NotFound(e)) => println!("404: not found ({})", e.message),
        Err(other) => println!("404: {}", explain(&other)),
    }

    // 417: a mandatory field left empty (MandatoryError).
    report(
        "417",
        client
            .create(&new_customer("", CustomerType::Company))
            .await,
    );

    Ok(())
}

fn report<T>(expected: &str, result: frappe_runtime::Result<T>) {
    match result {
        Ok(_) => println!("{expected}: unexpectedly succeeded"),
        Err(e) => println!("{expected}: {}", explain(&e)),
    }
}
