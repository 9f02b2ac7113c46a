//! End-to-end tests across the frappe-rs crates live in `tests/tests/`.
