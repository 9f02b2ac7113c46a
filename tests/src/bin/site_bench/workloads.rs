//! The workloads: what frappe-rs runs in a child process, and the same requests as a curl
//! config file.

use std::fmt::Write as _;
use std::path::Path;

use frappe_runtime::{Auth, Changes, Client, Document, Row};
// ToDo as frappe-codegen generates it from Frappe 15's metadata: the bench decodes what a user's
// program decodes.
use frappe_tests::bindings::desk::ToDo;
use futures_util::{StreamExt as _, TryStreamExt as _};
use serde::de::IgnoredAny;
use serde_json::json;

use crate::Options;

/// The description every seeded row starts with; W1 and W2 list exactly these.
const ROW_PREFIX: &str = "frs-bench row";
/// The description of rows added only to make the table large (page depth).
const DEEP_PREFIX: &str = "frs-bench deep";
/// The description of the ToDos W3 creates.
const CREATE_PREFIX: &str = "frs-bench create";
/// The order W2 asks for; curl's list requests (W1 and W2) carry it too.
const ORDER: &str = "creation asc, name asc";
/// Rows per page in W1.
const PAGE: u64 = 500;
/// Creates in flight at once in W3's concurrent variant.
const CONCURRENCY: usize = 8;

/// The site under test.
#[derive(Clone)]
pub struct Site {
    /// Base URL.
    pub url: url::Url,
    key: String,
    secret: String,
}

impl Site {
    /// From `FRAPPE_TEST_URL`, `FRAPPE_TEST_API_KEY`, `FRAPPE_TEST_API_SECRET`.
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| {
            std::env::var(name).map_err(|_| {
                format!(
                    "{name} is not set (source the kit's test-env.sh, see ../shared/frappe-server)"
                )
            })
        };
        let url = var("FRAPPE_TEST_URL")?;
        let url = url::Url::parse(&url).map_err(|e| format!("FRAPPE_TEST_URL {url:?}: {e}"))?;
        Ok(Self {
            url,
            key: var("FRAPPE_TEST_API_KEY")?,
            secret: var("FRAPPE_TEST_API_SECRET")?,
        })
    }

    fn client(&self) -> Result<Client, String> {
        self.client_with(true)
    }

    /// A client whose lists ask for compact rows (`as_dict=0`, the default) or for objects.
    fn client_with(&self, compact_rows: bool) -> Result<Client, String> {
        Client::builder(self.url.as_str())
            .auth(Auth::token(self.key.as_str(), self.secret.as_str()))
            .compact_rows(compact_rows)
            .build()
            .map_err(|e| e.to_string())
    }

    /// Makes sure `rows` seeded rows exist (inserting the missing ones), and the ToDo table
    /// holds at least `table` rows (adding rows with the [`DEEP_PREFIX`]).
    pub fn seed(&self, rows: u64, table: u64) -> Result<(), String> {
        runtime()?.block_on(async {
            let client = self.client()?;
            let have = client
                .list::<ToDo>()
                .filter(seeded())
                .count()
                .await
                .map_err(|e| e.to_string())?;
            seed_rows(&client, ROW_PREFIX, have..rows).await?;
            let all = client
                .list::<ToDo>()
                .count()
                .await
                .map_err(|e| e.to_string())?;
            if all < table {
                eprintln!("adding {} rows to the ToDo table ...", table - all);
                seed_rows(&client, DEEP_PREFIX, all..table).await?;
            }
            Ok(())
        })
    }

    /// The curl auth and accept headers, as config lines.
    fn curl_headers(&self) -> String {
        format!(
            "header = \"Authorization: token {}:{}\"\nheader = \"Accept: application/json\"\n",
            self.key, self.secret
        )
    }

    /// The URL of a list request for the seeded rows, asking for compact rows as frappe-rs
    /// does (`as_dict=0`) or for objects.
    fn list_url(&self, page: Option<(u64, u64)>, compact: bool) -> String {
        let mut url = self.url.clone();
        url.set_path("/api/resource/ToDo");
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("fields", &json!(ToDo::list_fields()).to_string());
            q.append_pair(
                "filters",
                &json!([["description", "like", format!("{ROW_PREFIX}%")]]).to_string(),
            );
            q.append_pair("order_by", ORDER);
            match page {
                Some((start, len)) => {
                    q.append_pair("limit_start", &start.to_string());
                    q.append_pair("limit_page_length", &len.to_string());
                }
                None => {
                    q.append_pair("limit_page_length", "0");
                }
            }
            if compact {
                q.append_pair("as_dict", "0");
            }
        }
        url.to_string()
    }
}

/// Inserts ToDos described `{prefix} {i}` for each `i` of `range`.
async fn seed_rows(
    client: &Client,
    prefix: &str,
    range: std::ops::Range<u64>,
) -> Result<(), String> {
    let docs: Vec<Changes<ToDo>> = range
        .map(|i| Changes::new().set(ToDo::description, format!("{prefix} {i:06}")))
        .collect();
    if docs.is_empty() {
        return Ok(());
    }
    client
        .insert_many(&docs)
        .concurrency(2)
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

fn seeded() -> serde_json::Value {
    json!([["description", "like", format!("{ROW_PREFIX}%")]])
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    multi_thread().build().map_err(|e| format!("tokio: {e}"))
}

/// `#[tokio::main]`'s runtime.
fn multi_thread() -> tokio::runtime::Builder {
    let mut b = tokio::runtime::Builder::new_multi_thread();
    b.enable_all();
    b
}

/// `#[tokio::main(flavor = "current_thread")]`'s runtime.
fn current_thread() -> tokio::runtime::Builder {
    let mut b = tokio::runtime::Builder::new_current_thread();
    b.enable_all();
    b
}

/// The speed of the link `AllOverLink` goes through: 1 Gbit/s.
pub const LINK_BYTES_PER_SEC: u64 = 125_000_000;

/// Sequential small requests in W0.
const PINGS: u64 = 1_000;

/// One measured task.
#[derive(Debug, Clone, Copy)]
pub enum Workload {
    /// W0: sequential small requests (`ping`), on a multi-thread runtime.
    Pings,
    /// W0 on a current-thread runtime.
    PingsCurrentThread,
    /// W1: every seeded row, pages of 500, through the stream.
    Pages,
    /// W2: every seeded row in one request.
    All,
    /// W1 with rows as objects (`compact_rows(false)`), as before compact rows.
    PagesObjects,
    /// W2 with rows as objects.
    AllObjects,
    /// W2 through a link of [`LINK_BYTES_PER_SEC`] (see `link.rs`).
    AllOverLink,
    /// W2 with every row parsed and nothing kept (`IgnoredAny` rows): what the transport and
    /// JSON parsing cost without building typed rows, the floor under `All`.
    AllParsed,
    /// W3: creates one after another.
    CreateSequential,
    /// W3: creates, [`CONCURRENCY`] in flight.
    CreateConcurrent,
    /// W3: creates with `insert_many`.
    CreateBulk,
}

impl Workload {
    /// In the order they run.
    pub const ALL: [Workload; 11] = [
        Self::Pings,
        Self::PingsCurrentThread,
        Self::Pages,
        Self::PagesObjects,
        Self::All,
        Self::AllObjects,
        Self::AllOverLink,
        Self::AllParsed,
        Self::CreateSequential,
        Self::CreateConcurrent,
        Self::CreateBulk,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pings => "w0-pings",
            Self::PingsCurrentThread => "w0-pings-current-thread",
            Self::Pages => "w1-pages",
            Self::All => "w2-all",
            Self::PagesObjects => "w1-pages-objects",
            Self::AllObjects => "w2-all-objects",
            Self::AllOverLink => "w2-all-link",
            Self::AllParsed => "w2-all-parsed",
            Self::CreateSequential => "w3-sequential",
            Self::CreateConcurrent => "w3-concurrent",
            Self::CreateBulk => "w3-bulk",
        }
    }

    /// The row label in the table.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pings => "W0 1000 pings, multi-thread",
            Self::PingsCurrentThread => "W0 1000 pings, current-thread",
            Self::Pages => "W1 pages of 500 (stream)",
            Self::All => "W2 all rows, one request",
            Self::PagesObjects => "W1 rows as objects",
            Self::AllObjects => "W2 rows as objects",
            Self::AllOverLink => "W2 over a 1 Gbit/s link",
            Self::AllParsed => "W2 rows parsed and dropped",
            Self::CreateSequential => "W3 creates, sequential",
            Self::CreateConcurrent => "W3 creates, 8 concurrent",
            Self::CreateBulk => "W3 creates, insert_many",
        }
    }

    /// Whether it goes through the link of set speed (`link.rs`).
    pub fn over_link(self) -> bool {
        matches!(self, Self::AllOverLink)
    }

    /// Whether it writes.
    pub fn is_create(self) -> bool {
        matches!(
            self,
            Self::CreateSequential | Self::CreateConcurrent | Self::CreateBulk
        )
    }

    /// Writes curl's config for the same requests into `dir`; `None` when curl has no
    /// counterpart (concurrent and bulk creates are compared with the sequential curl run).
    pub fn curl_config(
        self,
        site: &Site,
        o: &Options,
        dir: &Path,
    ) -> Result<Option<String>, String> {
        let mut config = site.curl_headers();
        match self {
            Self::Pings => {
                let url = site
                    .url
                    .join("/api/method/ping")
                    .map_err(|e| e.to_string())?;
                for _ in 0..PINGS {
                    let _ = writeln!(config, "url = \"{url}\"\noutput = \"/dev/null\"");
                }
            }
            Self::PingsCurrentThread => return Ok(None),
            Self::Pages | Self::PagesObjects => {
                let compact = matches!(self, Self::Pages);
                // The pages the stream asks for: full pages, then the short (or empty) last one.
                let mut start = 0;
                loop {
                    let _ = writeln!(
                        config,
                        "url = \"{}\"\noutput = \"/dev/null\"",
                        site.list_url(Some((start, PAGE)), compact)
                    );
                    if start + PAGE > o.rows {
                        break;
                    }
                    start += PAGE;
                }
            }
            Self::All | Self::AllObjects | Self::AllOverLink | Self::AllParsed => {
                let _ = writeln!(
                    config,
                    "url = \"{}\"\noutput = \"/dev/null\"",
                    site.list_url(None, !matches!(self, Self::AllObjects))
                );
            }
            Self::CreateSequential => {
                let url = site
                    .url
                    .join("/api/resource/ToDo")
                    .map_err(|e| e.to_string())?;
                for i in 0..o.creates {
                    let body = json!({"description": format!("{CREATE_PREFIX} curl {i}")});
                    let _ = writeln!(
                        config,
                        "next\n{}url = \"{url}\"\nheader = \"Content-Type: application/json\"\ndata = {}\noutput = \"/dev/null\"",
                        if i == 0 {
                            String::new()
                        } else {
                            site.curl_headers()
                        },
                        json!(body.to_string())
                    );
                }
            }
            Self::CreateConcurrent | Self::CreateBulk => return Ok(None),
        }
        let path = dir.join(format!("{}.curl", self.name()));
        std::fs::write(&path, config).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Some(path.to_string_lossy().into_owned()))
    }
}

/// `workload NAME ROWS CREATES`: runs one workload with frappe-rs.
pub fn run_child(args: &[String]) -> Result<(), String> {
    let [name, rows, creates] = args else {
        return Err("usage: workload NAME ROWS CREATES".into());
    };
    let workload = Workload::ALL
        .into_iter()
        .find(|w| w.name() == name)
        .ok_or_else(|| format!("unknown workload {name}"))?;
    let rows: u64 = rows.parse().map_err(|e| format!("rows: {e}"))?;
    let creates: u64 = creates.parse().map_err(|e| format!("creates: {e}"))?;
    let site = Site::from_env()?;
    let runtime = match workload {
        Workload::PingsCurrentThread => current_thread(),
        _ => multi_thread(),
    }
    .build()
    .map_err(|e| format!("tokio: {e}"))?;
    runtime.block_on(async {
        let client = site.client_with(!matches!(
            workload,
            Workload::PagesObjects | Workload::AllObjects
        ))?;
        let seen = match workload {
            Workload::Pings | Workload::PingsCurrentThread => {
                for _ in 0..PINGS {
                    client.ping().await.map_err(|e| e.to_string())?;
                }
                PINGS
            }
            Workload::Pages | Workload::PagesObjects => client
                .list::<ToDo>()
                .filter(seeded())
                .page_size(PAGE)
                .stream()
                .try_fold(0u64, |n, _| async move { Ok(n + 1) })
                .await
                .map_err(|e| e.to_string())?,
            Workload::All | Workload::AllObjects | Workload::AllOverLink => client
                .list::<ToDo>()
                .filter(seeded())
                .order_by(ORDER)
                .all()
                .send()
                .await
                .map_err(|e| e.to_string())?
                .len()
                as u64,
            // The same request as `All` (its fields, filter and order): the rows are read by
            // the same code, each parsed as JSON and dropped at once.
            Workload::AllParsed => client
                .doctype(ToDo::DOCTYPE)
                .list_as::<IgnoredAny>()
                .fields(ToDo::list_fields())
                .filter(seeded())
                .order_by(ORDER)
                .all()
                .send()
                .await
                .map_err(|e| e.to_string())?
                .len() as u64,
            Workload::CreateSequential => {
                for i in 0..creates {
                    insert(&client, "seq", i).await?;
                }
                creates
            }
            Workload::CreateConcurrent => {
                futures_util::stream::iter(0..creates)
                    .map(|i| insert(&client, "conc", i))
                    .buffer_unordered(CONCURRENCY)
                    .try_for_each(|_| async { Ok(()) })
                    .await?;
                creates
            }
            Workload::CreateBulk => {
                let docs: Vec<Row> = (0..creates)
                    .map(|i| {
                        let mut row = Row::new();
                        row.insert(
                            "description".into(),
                            json!(format!("{CREATE_PREFIX} bulk {i}")),
                        );
                        row
                    })
                    .collect();
                client
                    .doctype("ToDo")
                    .insert_many(&docs)
                    .await
                    .map_err(|e| e.to_string())?
                    .len() as u64
            }
        };
        let expected = match workload {
            Workload::Pings | Workload::PingsCurrentThread => PINGS,
            w if w.is_create() => creates,
            _ => rows,
        };
        if seen != expected {
            return Err(format!(
                "{}: {seen} rows, expected {expected}",
                workload.name()
            ));
        }
        Ok(())
    })
}

async fn insert(client: &Client, how: &str, i: u64) -> Result<(), String> {
    client
        .doctype("ToDo")
        .insert(&json!({"description": format!("{CREATE_PREFIX} {how} {i}")}))
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Time of one page request of the whole ToDo table, offset vs keyset, at its start and at its
/// end: (rows in the table, [(label, median milliseconds of `runs` requests)]).
pub fn page_depths(site: &Site, runs: usize) -> Result<(u64, Vec<(String, f64)>), String> {
    runtime()?.block_on(async {
        let client = site.client()?;
        let rows = client
            .list::<ToDo>()
            .count()
            .await
            .map_err(|e| e.to_string())?;
        let list = || client.list::<ToDo>().limit(PAGE);
        let last_start = rows.saturating_sub(PAGE);
        // The name just before the last page: where a keyset stream would be by then.
        let before_last = client
            .list::<ToDo>()
            .order_by("name asc")
            .start(last_start.saturating_sub(1))
            .first()
            .await
            .map_err(|e| e.to_string())?
            .map(|d| d.name)
            .ok_or("no seeded rows")?;
        let mut out = Vec::new();
        for (label, start, after) in [
            ("offset, first page", 0, None),
            ("offset, last page", last_start, None),
            ("keyset, first page", 0, Some(None)),
            ("keyset, last page", 0, Some(Some(before_last.clone()))),
        ] {
            let mut times = Vec::new();
            for _ in 0..runs.max(1) {
                let mut req = list().order_by("name asc").start(start);
                if let Some(Some(after)) = &after {
                    req = req.filter(json!([["name", ">", after]]));
                }
                let t = std::time::Instant::now();
                let got = req.send().await.map_err(|e| e.to_string())?;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                if got.is_empty() {
                    return Err(format!("{label}: no rows"));
                }
            }
            times.sort_by(f64::total_cmp);
            out.push((label.to_owned(), times[times.len() / 2]));
        }
        Ok((rows, out))
    })
}
