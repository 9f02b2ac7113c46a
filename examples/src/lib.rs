//! Runnable examples of frappe-rs. Work in progress.
