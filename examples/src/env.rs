//! The site and credentials of an example, from environment variables.
//!
//! Entry point: [`client_or_exit`], called first thing in every example's `main`. It reads
//! `FRAPPE_URL` and the credentials the example accepts ([`Login`]); when something is missing
//! it prints which variables to set and exits with status 2 instead of panicking. The pure part,
//! [`settings`], takes a variable lookup so it can be tested without touching the process
//! environment. Credentials come from the environment rather than arguments because arguments
//! end up in shell history and process lists.

use std::fmt;

use frappe_runtime::{Auth, Client, ClientBuilder};

/// The site's base URL, e.g. `https://erp.example.com`.
pub const FRAPPE_URL: &str = "FRAPPE_URL";
/// API key (User → API Access → Generate Keys).
pub const FRAPPE_API_KEY: &str = "FRAPPE_API_KEY";
/// API secret belonging to [`FRAPPE_API_KEY`].
pub const FRAPPE_API_SECRET: &str = "FRAPPE_API_SECRET";
/// User name or e-mail for password login.
pub const FRAPPE_USER: &str = "FRAPPE_USER";
/// Password for [`FRAPPE_USER`].
pub const FRAPPE_PASSWORD: &str = "FRAPPE_PASSWORD";
/// An OAuth2 access token.
pub const FRAPPE_ACCESS_TOKEN: &str = "FRAPPE_ACCESS_TOKEN";

/// Which credentials an example accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// Whatever is set: an API key first, then user + password, then a bearer token.
    Any,
    /// `FRAPPE_API_KEY` + `FRAPPE_API_SECRET` only.
    ApiKey,
    /// `FRAPPE_USER` + `FRAPPE_PASSWORD` only.
    Password,
    /// `FRAPPE_ACCESS_TOKEN` only.
    Bearer,
}

/// Where to connect and how to authenticate.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The site's base URL.
    pub url: String,
    /// The credentials (their `Debug` shows no secret).
    pub auth: Auth,
}

/// The variables that were missing, and what would have been enough.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingEnv {
    /// Variables that are unset or empty.
    pub missing: Vec<&'static str>,
    /// The credentials the example accepts.
    pub login: Login,
}

impl fmt::Display for MissingEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "missing environment variables: {}",
            self.missing.join(", ")
        )?;
        writeln!(f, "set the site and credentials, for example:")?;
        writeln!(f, "  export {FRAPPE_URL}=https://erp.example.com")?;
        let key = "  export FRAPPE_API_KEY=<key> FRAPPE_API_SECRET=<secret>";
        let pwd = "  export FRAPPE_USER=<user> FRAPPE_PASSWORD=<password>";
        let bearer = "  export FRAPPE_ACCESS_TOKEN=<oauth access token>";
        match self.login {
            Login::Any => write!(f, "{key}\nor\n{pwd}\nor\n{bearer}"),
            Login::ApiKey => write!(f, "{key}"),
            Login::Password => write!(f, "{pwd}"),
            Login::Bearer => write!(f, "{bearer}"),
        }
    }
}

impl std::error::Error for MissingEnv {}

/// Reads the settings through `var` (a lookup such as `std::env::var(..).ok()`); empty values
/// count as unset.
pub fn settings(
    login: Login,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Settings, MissingEnv> {
    let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
    let url = get(FRAPPE_URL);
    let key = || Some(Auth::token(get(FRAPPE_API_KEY)?, get(FRAPPE_API_SECRET)?));
    let password = || Some(Auth::password(get(FRAPPE_USER)?, get(FRAPPE_PASSWORD)?));
    let bearer = || Some(Auth::bearer(get(FRAPPE_ACCESS_TOKEN)?));
    let auth = match login {
        Login::Any => key().or_else(password).or_else(bearer),
        Login::ApiKey => key(),
        Login::Password => password(),
        Login::Bearer => bearer(),
    };
    match (url, auth) {
        (Some(url), Some(auth)) => Ok(Settings { url, auth }),
        (url, auth) => {
            let wanted: &[&'static str] = match login {
                Login::Any => &[],
                Login::ApiKey => &[FRAPPE_API_KEY, FRAPPE_API_SECRET],
                Login::Password => &[FRAPPE_USER, FRAPPE_PASSWORD],
                Login::Bearer => &[FRAPPE_ACCESS_TOKEN],
            };
            let mut missing = Vec::new();
            if url.is_none() {
                missing.push(FRAPPE_URL);
            }
            if auth.is_none() {
                if login == Login::Any {
                    missing.push("credentials (an API key, a user + password or a token)");
                } else {
                    missing.extend(wanted.iter().copied().filter(|v| get(v).is_none()));
                }
            }
            Err(MissingEnv { missing, login })
        }
    }
}

/// A client for the site in the environment. On missing variables or an invalid URL it prints
/// what to fix to stderr and exits with status 2.
pub fn client_or_exit(login: Login) -> Client {
    build_or_exit(builder_or_exit(login))
}

/// A client builder for the site in the environment, for examples that tune the client
/// (concurrency, timeouts) before [`build_or_exit`]. Exits with status 2 like
/// [`client_or_exit`].
pub fn builder_or_exit(login: Login) -> ClientBuilder {
    match settings(login, |name| std::env::var(name).ok()) {
        Ok(s) => Client::builder(&s.url).auth(s.auth),
        Err(missing) => exit_usage(&missing.to_string()),
    }
}

/// Builds the client, or prints why not (e.g. an invalid `FRAPPE_URL`) and exits with status 2.
pub fn build_or_exit(builder: ClientBuilder) -> Client {
    builder
        .build()
        .unwrap_or_else(|e| exit_usage(&format!("{FRAPPE_URL}: {e}")))
}

/// The `n`-th command-line argument (1-based), or prints `usage` (e.g. `"usage: get_customer
/// <name>"`) and exits with status 2.
pub fn arg_or_exit(n: usize, usage: &str) -> String {
    std::env::args().nth(n).unwrap_or_else(|| exit_usage(usage))
}

/// Prints `message` to stderr and exits with status 2 (the conventional "usage" status).
pub fn exit_usage(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn api_key_wins_when_several_are_set() {
        let s = settings(
            Login::Any,
            lookup(&[
                (FRAPPE_URL, "https://erp.example.com"),
                (FRAPPE_API_KEY, "k"),
                (FRAPPE_API_SECRET, "s3cr3t"),
                (FRAPPE_USER, "u"),
                (FRAPPE_PASSWORD, "p"),
            ]),
        )
        .unwrap();
        assert_eq!(s.url, "https://erp.example.com");
        assert_eq!(s.auth.kind(), "token");
        assert!(!format!("{s:?}").contains("s3cr3t"));
    }

    #[test]
    fn falls_back_to_password_then_bearer() {
        let url = (FRAPPE_URL, "http://127.0.0.1:8000");
        let pwd = settings(
            Login::Any,
            lookup(&[url, (FRAPPE_USER, "u"), (FRAPPE_PASSWORD, "p")]),
        );
        assert_eq!(pwd.unwrap().auth.kind(), "password");
        let bearer = settings(Login::Any, lookup(&[url, (FRAPPE_ACCESS_TOKEN, "t")]));
        assert_eq!(bearer.unwrap().auth.kind(), "bearer");
    }

    #[test]
    fn names_exactly_what_is_missing() {
        let err = settings(Login::ApiKey, lookup(&[(FRAPPE_API_KEY, "k")])).unwrap_err();
        assert_eq!(err.missing, [FRAPPE_URL, FRAPPE_API_SECRET]);
        let text = err.to_string();
        assert!(text.contains("export FRAPPE_URL="), "{text}");
        assert!(text.contains("FRAPPE_API_SECRET=<secret>"), "{text}");
        assert!(!text.contains("FRAPPE_PASSWORD"), "{text}");
    }

    #[test]
    fn empty_values_count_as_unset() {
        let err = settings(
            Login::Bearer,
            lookup(&[(FRAPPE_URL, " "), (FRAPPE_ACCESS_TOKEN, "")]),
        )
        .unwrap_err();
        assert_eq!(err.missing, [FRAPPE_URL, FRAPPE_ACCESS_TOKEN]);
    }

    #[test]
    fn any_login_lists_every_way_to_authenticate() {
        let err = settings(Login::Any, lookup(&[(FRAPPE_URL, "https://h")])).unwrap_err();
        assert_eq!(err.missing.len(), 1);
        let text = err.to_string();
        for var in [FRAPPE_API_KEY, FRAPPE_USER, FRAPPE_ACCESS_TOKEN] {
            assert!(text.contains(var), "{text}");
        }
    }
}
