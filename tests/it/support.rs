//! Spawning the real app on port 0 over a fresh database, and a client for it.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};

use app::platform::server::{self, AppState, Config};
use engine::access::RoleSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a test body once per backend, as two tests named after the backend.
macro_rules! on_both_backends {
    ($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$meta])*
            async fn run($app: $crate::support::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run($crate::support::TestApp::spawn($crate::support::Backend::Sqlite).await).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run($crate::support::TestApp::spawn($crate::support::Backend::Postgres).await).await
            }
        }
    };
}
pub(crate) use on_both_backends;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Unique across processes and runs: process ids are reused, and files of earlier runs stay in
/// the temporary directory, so the name also carries the start time in nanoseconds.
fn unique_name() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("bashgah_t_{}_{}_{}", std::process::id(), nanos % 1_000_000_000_000, COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// The wall clock as the app reads it, for tests that write through the store directly.
pub fn now() -> engine::time::Timestamp {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_millis();
    engine::time::Timestamp::from_unix_millis(i64::try_from(ms).expect("fits"))
}

/// A URL of a new, empty database on `backend`.
pub async fn fresh_database_url(backend: Backend) -> String {
    let name = unique_name();
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("bashgah-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!("sqlite://{}", dir.join(format!("{name}.sqlite")).display())
        }
        Backend::Postgres => {
            let admin = std::env::var("BASHGAH_TEST_POSTGRES")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is needed for the tests: {e}"));
            sqlx::Executor::execute(&mut conn, sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .expect("create test database");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
            format!("{base}/{name}")
        }
    }
}

/// The test configuration with some settings changed: `("BASHGAH_BEACON", "drand")`, ….
pub fn test_config_with(database_url: &str, extra: &[(&str, String)]) -> Config {
    let site_root = std::env::var("BASHGAH_TEST_SITE_ROOT").unwrap_or_else(|_| "../target/site".to_owned());
    // Each test keeps its data (the log key) in a directory of its own, never in the tree.
    let data_dir = std::env::temp_dir().join("bashgah-tests").join(unique_name());
    let vars = [
        ("BASHGAH_DATA_DIR", data_dir.display().to_string()),
        ("BASHGAH_ADDR", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", database_url.to_owned()),
        ("BASHGAH_SITE_ROOT", site_root),
        ("BASHGAH_LOG", "warn".to_owned()),
        // Tests never reach the internet; the beacon tests serve recorded rounds themselves.
        ("BASHGAH_BEACON", "none".to_owned()),
        // Tests drive the raffle scheduler themselves, on their own clock.
        ("BASHGAH_DRAW_TICK_SECS", "600".to_owned()),
    ];
    let lookup = |name: &str| {
        let set = extra.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
        set.or_else(|| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()))
    };
    Config::from_sources(None, lookup)
        .expect("test configuration is valid")
}

pub struct TestApp {
    pub backend: Backend,
    pub addr: SocketAddr,
    pub state: AppState,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    /// `spawn` with some settings changed (see `test_config_with`).
    pub async fn spawn_with(backend: Backend, settings: &[(&str, String)]) -> Self {
        let url = fresh_database_url(backend).await;
        let config = test_config_with(&url, settings);
        let db = server::open_database(&config).await.expect("database opens");
        let state = server::app_state(config, db).expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let serving = state.clone();
        tokio::spawn(async move { server::serve(serving, listener).await });
        Self { backend, addr, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A browser-like client: it keeps cookies, sends this site as Origin, and does not follow
    /// redirects, so tests see each answer.
    pub fn client(&self) -> Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::ORIGIN, format!("http://{}", self.addr).parse().expect("origin"));
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .expect("client");
        Client { http, base: format!("http://{}", self.addr) }
    }

    /// Creates an account straight through the service layer.
    pub async fn account(&self, identifier: &str, password: &str, roles: RoleSet) -> app::platform::server::store::Account {
        server::create_account(&self.state, identifier, password, roles).await.expect("account created")
    }

    /// A client signed in as a new account holding `roles`.
    pub async fn signed_in(&self, identifier: &str, roles: RoleSet) -> Client {
        self.account(identifier, "password-123", roles).await;
        let client = self.client();
        let response = client.post_form("/login", &[("identifier", identifier), ("password", "password-123")]).await;
        assert_eq!(response.status(), 303, "login of {identifier}");
        client
    }
}

pub struct Client {
    pub http: reqwest::Client,
    base: String,
}

impl Client {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.base)).send().await.expect("GET")
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http.post(format!("{}{path}", self.base)).form(form).send().await.expect("POST")
    }

    /// Calls a server function the way the browser does (URL-encoded arguments).
    pub async fn server_fn(&self, name: &str, args: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}/api/{name}", self.base))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(args)
            .send()
            .await
            .expect("server fn")
    }

    pub async fn text(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.text().await.expect("body")
    }
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}
