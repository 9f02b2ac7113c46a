//! Run a query or script report with filters.
//!
//! ```sh
//! cargo run -p frappe-examples --bin run_report -- "General Ledger" company="Test Co" \
//!     from_date=2026-01-01 to_date=2026-12-31 group_by="Group by Voucher (Consolidated)"
//! ```

use frappe_examples::env::{Login, arg_or_exit, client_or_exit, exit_usage};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = client_or_exit(Login::Any);
    let usage = "usage: run_report <report name> [filter=value ...]";
    let mut report = client.query_report(arg_or_exit(1, usage));
    for arg in std::env::args().skip(2) {
        let Some((key, value)) = arg.split_once('=') else {
            exit_usage(usage)
        };
        report = report.filter(key, value);
    }

    // GET /api/method/frappe.desk.query_report.run
    let output = report.run().await?;
    let labels: Vec<&str> = output
        .columns
        .iter()
        .map(|c| c.label.as_deref().or(c.fieldname.as_deref()).unwrap_or("?"))
        .collect();
    println!("{}", labels.join(" | "));
    for row in output.result.iter().take(20) {
        println!("{row}");
    }
    println!("({} rows)", output.result.len());
    Ok(())
}
