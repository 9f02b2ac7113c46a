//! The live tier: frappe-rs against a real Frappe 15.44.2 site, used as a user would, through
//! types generated from the site itself (`frappe_tests::live_site`).
//!
//! Run by `.ci/live`, which sets up and starts the kit in `../shared/frappe-server`, snapshots
//! the site's DocTypes for `build.rs`, and exports `FRAPPE_TEST_*`. Without a site these tests
//! fail; they never skip. Each test removes what it creates and passes when run twice against
//! the same site; names carry a per-run marker so parallel tests and earlier runs do not collide.

mod support;

mod auth;
mod bulk;
mod bulk_jobs;
mod codegen;
mod compact;
mod documents;
mod errors;
mod files;
mod filters;
mod history;
mod methods;
mod oauth;
mod paging;
mod reports;
mod site_rate_limit;
mod validation;
mod webhooks;
mod workflow;
