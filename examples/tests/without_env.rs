//! Every example, started without `FRAPPE_URL` and credentials, prints what to set and exits
//! with status 2 (not a panic, which would exit with 101).

use std::process::Command;

const BINARIES: &[(&str, &str)] = &[
    ("auth_api_key", env!("CARGO_BIN_EXE_auth_api_key")),
    ("auth_password", env!("CARGO_BIN_EXE_auth_password")),
    ("auth_bearer", env!("CARGO_BIN_EXE_auth_bearer")),
    ("oauth_app", env!("CARGO_BIN_EXE_oauth_app")),
    ("list_customers", env!("CARGO_BIN_EXE_list_customers")),
    ("get_customer", env!("CARGO_BIN_EXE_get_customer")),
    ("create_customer", env!("CARGO_BIN_EXE_create_customer")),
    ("update_customer", env!("CARGO_BIN_EXE_update_customer")),
    ("delete_customer", env!("CARGO_BIN_EXE_delete_customer")),
    ("call_method", env!("CARGO_BIN_EXE_call_method")),
    ("upload_attach", env!("CARGO_BIN_EXE_upload_attach")),
    ("run_report", env!("CARGO_BIN_EXE_run_report")),
    ("handle_errors", env!("CARGO_BIN_EXE_handle_errors")),
    ("bulk_create", env!("CARGO_BIN_EXE_bulk_create")),
    ("submit_cancel", env!("CARGO_BIN_EXE_submit_cancel")),
    ("sync_since", env!("CARGO_BIN_EXE_sync_since")),
    ("workflow_action", env!("CARGO_BIN_EXE_workflow_action")),
    ("bulk_submit", env!("CARGO_BIN_EXE_bulk_submit")),
];

#[test]
fn every_example_explains_missing_settings_and_exits_2() {
    for (name, exe) in BINARIES {
        let out = Command::new(exe)
            .env_clear()
            .output()
            .unwrap_or_else(|e| panic!("{name}: cannot start {exe}: {e}"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains("export FRAPPE_URL="), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}

#[test]
fn a_missing_argument_is_a_usage_error_too() {
    let out = Command::new(env!("CARGO_BIN_EXE_get_customer"))
        .env_clear()
        .env("FRAPPE_URL", "http://127.0.0.1:9")
        .env("FRAPPE_API_KEY", "k")
        .env("FRAPPE_API_SECRET", "s")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: get_customer"));
}

#[test]
fn the_webhook_receiver_asks_for_its_secret() {
    let out = Command::new(env!("CARGO_BIN_EXE_webhook_receiver"))
        .env_clear()
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("export WEBHOOK_SECRET="), "{stderr}");
}
