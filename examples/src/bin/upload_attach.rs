//! Upload a file and attach it to a document.
//!
//! ```sh
//! cargo run -p frappe-examples --bin upload_attach -- "Ada Industries" ./contract.pdf
//! ```

use frappe_examples::env::{Login, arg_or_exit, client_or_exit};
use frappe_examples::erpnext::selling::Customer;
use frappe_runtime::{Document, UploadFile};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let usage = "usage: upload_attach <customer name> <file>";
    let customer = arg_or_exit(1, usage);
    let path = arg_or_exit(2, usage);
    let bytes = std::fs::read(&path).map_err(|e| anyhow::anyhow!("cannot read {path}: {e}"))?;
    let file_name = std::path::Path::new(&path)
        .file_name()
        .map_or_else(|| path.clone(), |f| f.to_string_lossy().into_owned());

    // POST /api/method/upload_file (multipart); the File document records the attachment.
    let upload = UploadFile::bytes(file_name, bytes)
        .attach_to(Customer::DOCTYPE, &customer)
        .private(true);
    let file = client.upload(upload).await?;
    println!(
        "uploaded {:?} -> {:?} ({} bytes)",
        file.file_name,
        file.file_url,
        file.file_size.unwrap_or(0)
    );
    println!(
        "attached to {:?} {:?}",
        file.attached_to_doctype, file.attached_to_name
    );
    Ok(())
}
