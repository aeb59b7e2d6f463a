//! POS purchases per second, on SQLite and on PostgreSQL: `cargo bench -p tests --bench pos`.
//!
//! For each backend the real app is served in-process on 127.0.0.1:0 over a fresh database (a
//! SQLite file in a temporary folder; a new PostgreSQL database at `BASHGAH_TEST_POSTGRES`, by
//! default `postgres://postgres@127.0.0.1:5432/postgres`, dropped again at the end). A branch key,
//! the starter policy and `MEMBERS` members are seeded through the services and stores (no HTTP,
//! no password hashing). Then, all of it bounded in time:
//!
//! 1. open-loop load at fixed offered rates over a pool of keep-alive HTTP/1.1 connections: sends
//!    follow a fixed timetable and latency runs from the *scheduled* send time, so a slow answer
//!    delays the measurement of the sends queued behind it (no coordinated omission);
//! 2. a closed-loop saturation run (`CLOSED_CLIENTS` clients back to back);
//! 3. the same purchases without HTTP: `pos::record_purchase` called in-process, and one purchase's
//!    steps timed one by one (key, replay lookup, member, policy, the write transaction);
//! 4. the database's own ceiling: commits per second of a transaction with the same INSERT and
//!    UPDATE statements as one purchase, on the same tables, from as many concurrent connections
//!    as the app's pool holds, and of a one-row transaction.
//!
//! It prints Markdown tables and the machine's facts. Traffic goes to 127.0.0.1 only.
//! `POS_BENCH_SECS` shortens or lengthens each step (default 5); `POS_BENCH_BACKENDS` picks
//! backends (`sqlite,postgres`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use app::features::pos::server::{self as pos, MemberKey, PurchaseInput, Till};
use app::platform::server::store::{ExternalId, Login, NewAccount, PosKey, PosKind, PurchaseWrite, StoreError, StoredProfile};
use app::platform::server::{self, AppState, Config};
use engine::access::{Role, RoleSet};
use engine::card::CardNumber;
use engine::earn::{BranchId, Policy};
use engine::ledger::{MemberId, Money};
use engine::phone::PhoneNumber;
use engine::time::Timestamp;
use sqlx::Row;
use tokio::runtime::Runtime;
use tokio::time::Instant;

const MEMBERS: usize = 1_000;
const RATES: [u64; 7] = [500, 1_000, 2_000, 4_000, 8_000, 12_000, 16_000];
/// Keep-alive connections (and sending tasks) of the open-loop generator.
const OPEN_CONNECTIONS: usize = 256;
const CLOSED_CLIENTS: usize = 256;
/// How long after its window a step may still finish; later sends are counted as unsent.
const GRACE: Duration = Duration::from_secs(5);
/// The app's pool sizes (`app/src/server/store/connect.rs`): the ceiling uses as many connections.
const SQLITE_POOL: usize = 8;
const PG_POOL: usize = 16;
const AMOUNT: &str = "250000";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }

    fn pool_size(self) -> usize {
        match self {
            Self::Sqlite => SQLITE_POOL,
            Self::Postgres => PG_POOL,
        }
    }
}

fn step_duration() -> Duration {
    let secs = std::env::var("POS_BENCH_SECS").ok().and_then(|s| s.parse::<f64>().ok()).unwrap_or(5.0);
    Duration::from_secs_f64(secs.clamp(0.5, 30.0))
}

fn wall_now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Timestamp::from_unix_millis(ms)
}

/// A deterministic spread over the members, without a random-number crate.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn sha256_hex(text: &str) -> String {
    engine::fair::hexstr::encode(&engine::fair::hash::sha256(text.as_bytes()))
}

// ---------------------------------------------------------------------------------------------
// Measuring

/// CPU time of the whole machine, of this process (app and load generator) and of the
/// PostgreSQL server's processes, to tell who used the cores: the machine may be shared.
#[derive(Debug, Clone)]
struct Cpu {
    machine_busy: u64,
    machine_total: u64,
    process: u64,
    /// Per server process, so one that exits in between (an autovacuum worker) does not count
    /// as negative time; what such a process used is lost to "other processes".
    postgres: BTreeMap<u32, u64>,
}

/// Where a step's CPU went, in milliseconds (USER_HZ is 100 on Linux: 10 ms a tick).
#[derive(Debug, Clone, Copy, Default)]
struct CpuUse {
    /// Busy share of all cores, percent.
    busy: f64,
    process_ms: f64,
    postgres_ms: f64,
    /// Every other process's share of all cores, percent.
    others: f64,
}

/// utime + stime of a `/proc/<pid>/stat` text, and the command name.
fn proc_ticks(stat: &str) -> Option<(&str, u64)> {
    let (head, rest) = stat.rsplit_once(')')?;
    let comm = head.split_once('(')?.1;
    // `rest` starts at field 3 (the state); utime and stime are fields 14 and 15.
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((comm, utime + stime))
}

impl Cpu {
    fn read() -> Self {
        let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let fields: Vec<u64> = stat
            .lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .skip(1)
            .filter_map(|f| f.parse().ok())
            .collect();
        // user nice system idle iowait irq softirq steal (guest time is counted in user already)
        let total: u64 = fields.iter().take(8).sum();
        let idle = fields.get(3).copied().unwrap_or(0) + fields.get(4).copied().unwrap_or(0);
        let own = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let process = proc_ticks(&own).map_or(0, |(_, t)| t);
        let mut postgres = BTreeMap::new();
        if let Ok(dir) = std::fs::read_dir("/proc") {
            for entry in dir.flatten() {
                let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
                if let Ok(text) = std::fs::read_to_string(entry.path().join("stat"))
                    && let Some(("postgres", ticks)) = proc_ticks(&text)
                {
                    postgres.insert(pid, ticks);
                }
            }
        }
        Self { machine_busy: total.saturating_sub(idle), machine_total: total, process, postgres }
    }

    fn since(self, before: Self) -> CpuUse {
        let total = self.machine_total.saturating_sub(before.machine_total).max(1) as f64;
        let busy = self.machine_busy.saturating_sub(before.machine_busy) as f64;
        let process = self.process.saturating_sub(before.process) as f64;
        let postgres = self
            .postgres
            .iter()
            .map(|(pid, ticks)| ticks.saturating_sub(before.postgres.get(pid).copied().unwrap_or(0)))
            .sum::<u64>() as f64;
        CpuUse {
            busy: 100.0 * busy / total,
            process_ms: process * 10.0,
            postgres_ms: postgres * 10.0,
            others: (100.0 * (busy - process - postgres) / total).max(0.0),
        }
    }
}

/// What one step measured. Latencies in microseconds.
#[derive(Debug, Default)]
struct Tally {
    latencies: Vec<u64>,
    /// From the actual send, for open-loop steps: the difference is time spent queued behind the
    /// timetable (the generator's own slack included).
    service: Vec<u64>,
    ok: u64,
    errors: BTreeMap<String, u64>,
    unsent: u64,
    last_done: Option<Instant>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.latencies.extend(other.latencies);
        self.service.extend(other.service);
        self.ok += other.ok;
        for (k, v) in other.errors {
            *self.errors.entry(k).or_default() += v;
        }
        self.unsent += other.unsent;
        self.last_done = match (self.last_done, other.last_done) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }

    fn error(&mut self, what: impl Into<String>) {
        *self.errors.entry(what.into()).or_default() += 1;
    }

    fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }
}

fn percentile(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1] as f64 / 1000.0
}

struct Summary {
    step: String,
    offered: Option<u64>,
    achieved: f64,
    p50: f64,
    p99: f64,
    max: f64,
    service_p99: Option<f64>,
    errors: u64,
    unsent: u64,
    error_kinds: String,
    cpu: CpuUse,
    ok: u64,
}

fn summarize(step: &str, offered: Option<u64>, mut tally: Tally, elapsed: Duration, cpu: CpuUse) -> Summary {
    tally.latencies.sort_unstable();
    tally.service.sort_unstable();
    let achieved = tally.ok as f64 / elapsed.as_secs_f64().max(1e-9);
    let error_kinds = tally.errors.iter().map(|(k, v)| format!("{k}×{v}")).collect::<Vec<_>>().join(", ");
    Summary {
        step: step.to_owned(),
        offered,
        achieved,
        p50: percentile(&tally.latencies, 0.50),
        p99: percentile(&tally.latencies, 0.99),
        max: tally.latencies.last().map_or(f64::NAN, |v| *v as f64 / 1000.0),
        service_p99: (!tally.service.is_empty()).then(|| percentile(&tally.service, 0.99)),
        errors: tally.error_count(),
        unsent: tally.unsent,
        error_kinds,
        cpu,
        ok: tally.ok,
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

// ---------------------------------------------------------------------------------------------
// The app under test

struct Member {
    card: String,
}

struct Subject {
    url: String,
    state: AppState,
    addr: std::net::SocketAddr,
    secret: String,
    branch: BranchId,
    members: Vec<Member>,
    /// Tells the external ids of each step apart.
    run: AtomicU64,
}

fn admin_url() -> String {
    std::env::var("BASHGAH_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn pg_database_name() -> String {
    format!("bashgah_bench_{}", std::process::id())
}

async fn fresh_database_url(backend: Backend, dir: &std::path::Path) -> Result<String, String> {
    match backend {
        Backend::Sqlite => Ok(format!("sqlite://{}", dir.join("bench.sqlite").display())),
        Backend::Postgres => {
            let admin = admin_url();
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
                .await
                .map_err(|e| format!("PostgreSQL at {admin} is not reachable: {e}"))?;
            let name = pg_database_name();
            sqlx::Executor::execute(&mut conn, sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}")))
                .await
                .map_err(|e| e.to_string())?;
            sqlx::Executor::execute(&mut conn, sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .map_err(|e| format!("cannot create the benchmark database: {e}"))?;
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
            Ok(format!("{base}/{name}"))
        }
    }
}

async fn drop_pg_database() {
    let admin = admin_url();
    if let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await {
        let name = pg_database_name();
        let _ =
            sqlx::Executor::execute(&mut conn, sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                .await;
    }
}

fn config(database_url: &str) -> Config {
    let vars = [
        ("BASHGAH_ADDR", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", database_url.to_owned()),
        ("BASHGAH_SITE_ROOT", "../target/site".to_owned()),
        ("BASHGAH_LOG", "warn".to_owned()),
    ];
    Config::from_sources(None, |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()))
        .expect("benchmark configuration is valid")
}

/// Opens the database, serves the app on 127.0.0.1:0 and seeds the branch, policy and members.
async fn spawn(url: String) -> Subject {
    let cfg = config(&url);
    let db = server::open_database(&cfg).await.expect("database opens and migrates");
    let state = server::app_state(cfg, db).expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    let serving = state.clone();
    tokio::spawn(async move { server::serve(serving, listener).await });

    let (branch, key) = pos::keys::create_branch(&state, "شعبه بنچمارک").await.expect("branch created");
    pos::policy::save(&state, &Policy::starter(), None).await.expect("starter policy saved");

    // Members straight through the account store: no argon2 per member. Sixteen at a time.
    let created = Arc::new(std::sync::Mutex::new(Vec::with_capacity(MEMBERS)));
    let mut tasks = Vec::new();
    for lane in 0..16 {
        let state = state.clone();
        let created = created.clone();
        tasks.push(tokio::spawn(async move {
            for i in (lane..MEMBERS).step_by(16) {
                let phone = PhoneNumber::parse(&format!("0912{:07}", i + 1)).expect("valid phone");
                let mut attempt = 0_u64;
                loop {
                    let new = NewAccount {
                        login: Login::Phone(phone.clone()),
                        password_hash: "benchmark member: no password".to_owned(),
                        roles: RoleSet::of(&[Role::Member]),
                        profile: StoredProfile::default(),
                        card: CardNumber::issue(splitmix((i as u64) << 8 | attempt)),
                        now: wall_now(),
                        owed_sign_up_award: false,
                    };
                    match state.db.accounts.create_account(new).await {
                        Ok(account) => {
                            created.lock().expect("member list").push(Member { card: account.card.as_str().to_owned() });
                            break;
                        }
                        Err(StoreError::Duplicate("card")) if attempt < 8 => attempt += 1,
                        Err(e) => panic!("cannot create member {i}: {e}"),
                    }
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("seeding task");
    }
    let members = std::mem::take(&mut *created.lock().expect("member list"));
    assert_eq!(members.len(), MEMBERS, "every member seeded");
    Subject { url, state, addr, secret: key.secret, branch: branch.id, members, run: AtomicU64::new(0) }
}

impl Subject {
    fn next_run(&self) -> u64 {
        self.run.fetch_add(1, Ordering::Relaxed)
    }

    fn member(&self, run: u64, i: u64) -> &Member {
        let n = self.members.len() as u64;
        let index = usize::try_from(splitmix(run << 40 ^ i) % n).unwrap_or(0);
        &self.members[index]
    }

    fn body(&self, run: u64, i: u64) -> String {
        let card = &self.member(run, i).card;
        format!("{{\"external_id\":\"r{run}-{i}\",\"member\":\"{card}\",\"amount\":\"{AMOUNT}\"}}")
    }
}

// ---------------------------------------------------------------------------------------------
// Load over HTTP

struct Http {
    client: reqwest::Client,
    url: String,
    auth: String,
}

impl Http {
    fn new(subject: &Subject) -> Self {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(OPEN_CONNECTIONS + CLOSED_CLIENTS)
            .tcp_nodelay(true)
            .timeout(GRACE + Duration::from_secs(5))
            .build()
            .expect("HTTP client");
        Self {
            client,
            url: format!("http://{}/api/v1/purchases", subject.addr),
            auth: format!("Bearer {}", subject.secret),
        }
    }

    async fn purchase(&self, body: String) -> Result<u16, String> {
        let response = self
            .client
            .post(&self.url)
            .header(reqwest::header::AUTHORIZATION, &self.auth)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| if e.is_timeout() { "timeout".to_owned() } else { "transport".to_owned() })?;
        let status = response.status().as_u16();
        // Read the whole answer, as a till would.
        response.bytes().await.map_err(|_| "body".to_owned())?;
        Ok(status)
    }
}

/// Sends `rate` purchases a second for `window` on a fixed timetable.
async fn open_loop(subject: Arc<Subject>, http: Arc<Http>, rate: u64, window: Duration) -> (Tally, Duration) {
    let run = subject.next_run();
    let total = (rate as f64 * window.as_secs_f64()).round() as u64;
    let period_ns = 1e9 / rate as f64;
    let start = Instant::now() + Duration::from_millis(20);
    let hard_stop = start + window + GRACE;
    let next = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::with_capacity(OPEN_CONNECTIONS);
    for _ in 0..OPEN_CONNECTIONS {
        let (subject, http, next) = (subject.clone(), http.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let scheduled = start + Duration::from_nanos((i as f64 * period_ns) as u64);
                if Instant::now() >= hard_stop {
                    tally.unsent += 1;
                    continue;
                }
                tokio::time::sleep_until(scheduled).await;
                let sent = Instant::now();
                let result = tokio::time::timeout_at(hard_stop, http.purchase(subject.body(run, i))).await;
                let done = Instant::now();
                match result {
                    Ok(Ok(201)) => {
                        tally.ok += 1;
                        tally.latencies.push(micros(done - scheduled));
                        tally.service.push(micros(done - sent));
                        tally.last_done = Some(tally.last_done.map_or(done, |d| d.max(done)));
                    }
                    Ok(Ok(status)) => tally.error(format!("HTTP {status}")),
                    Ok(Err(e)) => tally.error(e),
                    Err(_) => tally.error("past the grace period"),
                }
            }
            tally
        }));
    }
    let mut tally = Tally::default();
    for worker in workers {
        tally.merge(worker.await.expect("load worker"));
    }
    let end = tally.last_done.unwrap_or_else(Instant::now).max(start + window);
    (tally, end - start)
}

/// `clients` clients sending one purchase after another for `window`.
async fn closed_loop(subject: Arc<Subject>, http: Arc<Http>, clients: usize, window: Duration) -> (Tally, Duration) {
    let run = subject.next_run();
    let start = Instant::now();
    let stop = start + window;
    let next = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::with_capacity(clients);
    for _ in 0..clients {
        let (subject, http, next) = (subject.clone(), http.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            while Instant::now() < stop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let sent = Instant::now();
                let result = tokio::time::timeout_at(stop + GRACE, http.purchase(subject.body(run, i))).await;
                let done = Instant::now();
                match result {
                    Ok(Ok(201)) => {
                        tally.ok += 1;
                        tally.latencies.push(micros(done - sent));
                    }
                    Ok(Ok(status)) => tally.error(format!("HTTP {status}")),
                    Ok(Err(e)) => tally.error(e),
                    Err(_) => tally.error("past the grace period"),
                }
            }
            tally
        }));
    }
    let mut tally = Tally::default();
    for worker in workers {
        tally.merge(worker.await.expect("load worker"));
    }
    (tally, start.elapsed())
}

// ---------------------------------------------------------------------------------------------
// The same purchases without HTTP

fn input(subject: &Subject, run: u64, i: u64) -> PurchaseInput {
    PurchaseInput {
        external_id: ExternalId::parse(&format!("r{run}-{i}")).expect("external id"),
        member: MemberKey::Card(CardNumber::parse(&subject.member(run, i).card).expect("card")),
        amount: Money::from_str(AMOUNT).expect("amount"),
        occurred_at: None,
    }
}

/// `pos::record_purchase` called by `clients` tasks back to back: the app without HTTP and JSON.
async fn in_process(subject: Arc<Subject>, clients: usize, window: Duration) -> (Tally, Duration) {
    let run = subject.next_run();
    let start = Instant::now();
    let stop = start + window;
    let next = Arc::new(AtomicU64::new(0));
    let till = Till { branch: subject.branch, cashier: None };
    let mut workers = Vec::with_capacity(clients);
    for _ in 0..clients {
        let (subject, next) = (subject.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            while Instant::now() < stop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let input = input(&subject, run, i);
                let sent = Instant::now();
                let result = pos::record_purchase(&subject.state, till, &input).await;
                let done = Instant::now();
                match result {
                    Ok(outcome) if !outcome.is_replay() => {
                        tally.ok += 1;
                        tally.latencies.push(micros(done - sent));
                    }
                    Ok(_) => tally.error("replayed"),
                    Err(code) => tally.error(format!("{code:?}")),
                }
            }
            tally
        }));
    }
    let mut tally = Tally::default();
    for worker in workers {
        tally.merge(worker.await.expect("in-process worker"));
    }
    (tally, start.elapsed())
}

const STEPS: [&str; 5] = [
    "branch key (SELECT branch_keys)",
    "replay lookup (SELECT pos_requests)",
    "member by card (SELECT accounts ⨝ cards)",
    "policy in force (SELECT club_policies + JSON parse)",
    "write transaction (pos.purchase)",
];

/// One purchase's steps as `record_purchase` takes them, each timed, by `clients` tasks.
async fn steps(subject: Arc<Subject>, clients: usize, window: Duration) -> (Vec<Vec<u64>>, u64, Duration) {
    let run = subject.next_run();
    let start = Instant::now();
    let stop = start + window;
    let next = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::with_capacity(clients);
    for _ in 0..clients {
        let (subject, next) = (subject.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut times: Vec<Vec<u64>> = vec![Vec::new(); STEPS.len()];
            let digest = sha256_hex(&subject.secret);
            let db = &subject.state.db;
            while Instant::now() < stop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let input = input(&subject, run, i);
                let MemberKey::Card(card) = &input.member else { unreachable!("cards only") };
                let mut mark = Instant::now();
                let mut lap = |times: &mut Vec<Vec<u64>>, step: usize| {
                    let now = Instant::now();
                    times[step].push(micros(now - mark));
                    mark = now;
                };
                let branch = db.club.branch_by_key(&digest).await.expect("key lookup").expect("key known");
                lap(&mut times, 0);
                let key = PosKey { branch, kind: PosKind::Purchase, external_id: input.external_id.clone() };
                let stored = db.pos.answer(&key).await.expect("replay lookup");
                assert!(stored.is_none(), "fresh external id");
                lap(&mut times, 1);
                let account = db.accounts.account_by_card(card).await.expect("member lookup").expect("member known");
                lap(&mut times, 2);
                let policy = db.club.active_policy().await.expect("policy").map_or_else(Policy::starter, |v| v.policy);
                lap(&mut times, 3);
                let now = wall_now();
                let write = PurchaseWrite {
                    key,
                    body_hash: sha256_hex(&format!("card:{}\n{AMOUNT}\n", card.as_str())),
                    member: MemberId::new(account.id.0).expect("member id"),
                    signed_up_at: account.created_at,
                    birthday: account.profile.birthday,
                    amount: input.amount,
                    occurred_at: now,
                    recorded_by: None,
                    policy,
                };
                let written = db.pos.purchase(&write, now).await.expect("purchase written");
                assert!(written.is_ok(), "purchase accepted");
                lap(&mut times, 4);
            }
            times
        }));
    }
    let mut all: Vec<Vec<u64>> = vec![Vec::new(); STEPS.len()];
    for worker in workers {
        for (step, times) in worker.await.expect("step worker").into_iter().enumerate() {
            all[step].extend(times);
        }
    }
    let count = all.first().map_or(0, |t| t.len() as u64);
    (all, count, start.elapsed())
}

// ---------------------------------------------------------------------------------------------
// The database's own ceiling

/// Rows one purchase added to each table, averaged over every purchase of the run.
async fn rows_per_purchase(subject: &Subject, pool: &AnyPool) -> Vec<(&'static str, f64)> {
    const TABLES: [&str; 9] = [
        "pos_purchases",
        "ledger_purchases",
        "ledger_lots",
        "ledger_transfers",
        "ledger_requests",
        "earn_usage",
        "tier_contributions",
        "tier_states",
        "pos_requests",
    ];
    let _ = subject;
    let purchases = pool.count("pos_purchases").await.max(1) as f64;
    let mut out = Vec::new();
    for table in TABLES {
        out.push((table, pool.count(table).await as f64 / purchases));
    }
    out
}

/// The benchmark's own pool, opened like the app's (`connect.rs`).
#[derive(Clone)]
enum AnyPool {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl AnyPool {
    async fn open(backend: Backend, url: &str) -> Self {
        match backend {
            Backend::Sqlite => {
                let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                    .expect("SQLite URL")
                    .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5));
                let pool = sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(SQLITE_POOL as u32)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(options)
                    .await
                    .expect("SQLite pool");
                Self::Sqlite(pool)
            }
            Backend::Postgres => {
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(PG_POOL as u32)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect(url)
                    .await
                    .expect("PostgreSQL pool");
                Self::Postgres(pool)
            }
        }
    }

    async fn count(&self, table: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) AS n FROM {table}"));
        match self {
            Self::Sqlite(p) => sqlx::query(sql).fetch_one(p).await.expect("count").get("n"),
            Self::Postgres(p) => sqlx::query(sql).fetch_one(p).await.expect("count").get("n"),
        }
    }

    async fn text(&self, sql: &'static str) -> String {
        match self {
            Self::Sqlite(p) => sqlx::query(sql).fetch_one(p).await.expect(sql).get(0),
            Self::Postgres(p) => sqlx::query(sql).fetch_one(p).await.expect(sql).get(0),
        }
    }

    async fn ids(&self, sql: &'static str) -> Vec<i64> {
        match self {
            Self::Sqlite(p) => sqlx::query(sql).fetch_all(p).await.expect(sql).iter().map(|r| r.get(0)).collect(),
            Self::Postgres(p) => sqlx::query(sql).fetch_all(p).await.expect(sql).iter().map(|r| r.get(0)).collect(),
        }
    }

    async fn close(&self) {
        match self {
            Self::Sqlite(p) => p.close().await,
            Self::Postgres(p) => p.close().await,
        }
    }
}

/// What a ceiling transaction writes, shaped like one purchase.
#[derive(Clone)]
struct Shape {
    branch: i64,
    members: Arc<Vec<i64>>,
    transfers: usize,
    contributions: usize,
    request: String,
    receipt: String,
    response: String,
    /// Just one INSERT: the commit itself.
    minimal: bool,
}

/// The INSERT and UPDATE statements of one purchase (`pos_sql.rs` `try_purchase` and the ledger's
/// `lock_member` and `write`), with plausible values, in one write transaction. On PostgreSQL the
/// member's row is locked `FOR UPDATE` as the app does; SQLite's lock is `BEGIN IMMEDIATE`.
macro_rules! ceiling_transaction {
    ($pool:expr, $begin:literal, $lock:literal, $shape:expr, $n:expr) => {{
        let shape: &Shape = $shape;
        let n: u64 = $n;
        let member = shape.members[usize::try_from(splitmix(n) % shape.members.len() as u64).unwrap_or(0)];
        let at = wall_now().unix_millis();
        let mut tx = $pool.begin_with($begin).await?;
        if shape.minimal {
            sqlx::query("INSERT INTO tier_contributions (member, measure, at, value) VALUES ($1, 'visits', $2, 1)")
                .bind(member)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok::<(), sqlx::Error>(());
        }
        let external_id = format!("ceiling-{n}");
        let client_id = format!("pos:ceiling:{n}");
        sqlx::query("INSERT INTO ledger_members (member) VALUES ($1) ON CONFLICT (member) DO NOTHING")
            .bind(member)
            .execute(&mut *tx)
            .await?;
        if !$lock.is_empty() {
            sqlx::query($lock).bind(member).fetch_one(&mut *tx).await?;
        }
        let id: i64 = sqlx::query(
            "INSERT INTO pos_purchases (branch_id, external_id, member, amount, occurred_at, recorded_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(shape.branch)
        .bind(&external_id)
        .bind(member)
        .bind(25_000_000_i64)
        .bind(at)
        .bind(None::<i64>)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .get("id");
        sqlx::query(
            "INSERT INTO ledger_purchases (id, member, total, returned, points_earned, points_reversed, \
             credit_earned, credit_reversed, at) VALUES ($1, $2, $3, 0, 25, 0, 250000, 0, $4)",
        )
        .bind(id)
        .bind(member)
        .bind(25_000_000_i64)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO ledger_lots (member, earned_at, expires_at, pending_until, purchase, original, remaining) \
             VALUES ($1, $2, $3, $4, $5, 25, 25)",
        )
        .bind(member)
        .bind(at)
        .bind(at + 365 * 86_400_000)
        .bind(at + 7 * 86_400_000)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        for t in 0..shape.transfers {
            let (account, asset, amount) =
                if t % 2 == 0 { ("pending_points", "points", 25_i64) } else { ("credit", "credit", 250_000_i64) };
            let _: i64 = sqlx::query(
                "INSERT INTO ledger_transfers (client_id, from_member, from_account, to_member, to_account, asset, \
                 amount, kind, at) VALUES ($1, NULL, 'issuance', $2, $3, $4, $5, 'earn', $6) RETURNING id",
            )
            .bind(&client_id)
            .bind(member)
            .bind(account)
            .bind(asset)
            .bind(amount)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?
            .get("id");
        }
        sqlx::query(
            "UPDATE ledger_members SET pending_points = pending_points + 25, credit = credit + 250000 WHERE member = $1",
        )
        .bind(member)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO ledger_requests (client_id, request, receipt, at) VALUES ($1, $2, $3, $4)")
            .bind(&client_id)
            .bind(&shape.request)
            .bind(&shape.receipt)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        for c in 0..shape.contributions {
            let measure = ["points_earned", "amount_spent", "visits"][c % 3];
            sqlx::query("INSERT INTO tier_contributions (member, measure, at, value) VALUES ($1, $2, $3, $4)")
                .bind(member)
                .bind(measure)
                .bind(at)
                .bind(25_i64)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO pos_requests (branch_id, kind, external_id, body_hash, status, response, created_at) \
             VALUES ($1, 'purchase', $2, $3, 201, $4, $5)",
        )
        .bind(shape.branch)
        .bind(&external_id)
        .bind(sha256_hex(&external_id))
        .bind(&shape.response)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<(), sqlx::Error>(())
    }};
}

async fn ceiling_once(pool: &AnyPool, shape: &Shape, n: u64) -> Result<(), sqlx::Error> {
    match pool {
        AnyPool::Sqlite(p) => ceiling_transaction!(p, "BEGIN IMMEDIATE", "", shape, n),
        AnyPool::Postgres(p) => ceiling_transaction!(
            p,
            "BEGIN",
            "SELECT points, pending_points, owed_points, credit, owed_credit FROM ledger_members WHERE member = $1 FOR UPDATE",
            shape,
            n
        ),
    }
}

async fn ceiling(pool: AnyPool, shape: Shape, connections: usize, window: Duration, offset: u64) -> (Tally, Duration) {
    let start = Instant::now();
    let stop = start + window;
    let next = Arc::new(AtomicU64::new(offset));
    let mut workers = Vec::with_capacity(connections);
    for _ in 0..connections {
        let (pool, shape, next) = (pool.clone(), shape.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            while Instant::now() < stop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let sent = Instant::now();
                match ceiling_once(&pool, &shape, n).await {
                    Ok(()) => {
                        tally.ok += 1;
                        tally.latencies.push(micros(sent.elapsed()));
                    }
                    Err(e) => tally.error(e.to_string().chars().take(60).collect::<String>()),
                }
            }
            tally
        }));
    }
    let mut tally = Tally::default();
    for worker in workers {
        tally.merge(worker.await.expect("ceiling worker"));
    }
    (tally, start.elapsed())
}

// ---------------------------------------------------------------------------------------------
// One backend, start to end

/// The group-commit writer's histograms as `/metrics` has them: batches, purchases in them,
/// seconds spent writing them. Process-wide, so a step reads the difference.
#[derive(Debug, Clone, Copy, Default)]
struct WriterStats {
    batches: f64,
    writes: f64,
    seconds: f64,
    /// Seconds reading, planning, writing, committing (`bashgah_write_phase_seconds`).
    phases: [f64; 4],
}

const PHASES: [&str; 4] = ["read", "plan", "write", "commit"];

impl WriterStats {
    async fn read(http: &Http) -> Self {
        let base = http.url.trim_end_matches("/api/v1/purchases");
        let text = match http.client.get(format!("{base}/metrics")).send().await {
            Ok(answer) => answer.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let value = |name: &str| {
            text.lines().find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse::<f64>().ok())).unwrap_or(0.0)
        };
        Self {
            batches: value("bashgah_write_batch_size_count "),
            writes: value("bashgah_write_batch_size_sum "),
            seconds: value("bashgah_write_commit_seconds_sum "),
            phases: PHASES.map(|p| value(&format!("bashgah_write_phase_seconds_sum{{phase=\"{p}\"}} "))),
        }
    }

    fn since(self, before: Self) -> Self {
        Self {
            batches: self.batches - before.batches,
            writes: self.writes - before.writes,
            seconds: self.seconds - before.seconds,
            phases: std::array::from_fn(|i| self.phases[i] - before.phases[i]),
        }
    }
}

struct Report {
    writer: Vec<(String, WriterStats)>,
    backend: Backend,
    version: String,
    http: Vec<Summary>,
    direct: Vec<Summary>,
    steps: Vec<(usize, u64, Duration, Vec<Vec<u64>>)>,
    ceilings: Vec<Summary>,
    rows: Vec<(&'static str, f64)>,
    policy_parse_us: f64,
}

/// Runs a step on `rt` and reads the CPU time it took.
fn measure(rt: &Runtime, step: impl std::future::Future<Output = (Tally, Duration)>) -> (Tally, Duration, CpuUse) {
    let before = Cpu::read();
    let (tally, elapsed) = rt.block_on(step);
    (tally, elapsed, Cpu::read().since(before))
}

fn run_backend(backend: Backend, window: Duration) -> Result<Report, String> {
    let dir = std::env::temp_dir().join(format!("bashgah-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // The app on a runtime of its own, as many workers as cores, like `#[tokio::main]`; the load
    // generator on another, so neither's scheduling hides the other's work.
    let app_rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("app runtime");
    let load_rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("load runtime");

    let url = app_rt.block_on(fresh_database_url(backend, &dir))?;
    eprintln!("[{}] seeding {MEMBERS} members …", backend.name());
    let seeded = Instant::now();
    let subject = Arc::new(app_rt.block_on(spawn(url)));
    eprintln!("[{}] seeded in {:.1} s", backend.name(), seeded.elapsed().as_secs_f64());
    let http = Arc::new(Http::new(&subject));

    // Warm-up: connections and statement caches. Not reported.
    let warmup = Duration::from_secs_f64((window.as_secs_f64() / 2.5).max(1.0));
    let _ = load_rt.block_on(open_loop(subject.clone(), http.clone(), 400, warmup));

    let mut report = Report {
        writer: Vec::new(),
        backend,
        version: String::new(),
        http: Vec::new(),
        direct: Vec::new(),
        steps: Vec::new(),
        ceilings: Vec::new(),
        rows: Vec::new(),
        policy_parse_us: 0.0,
    };
    for rate in RATES {
        eprintln!("[{}] open loop at {rate}/s …", backend.name());
        let before = load_rt.block_on(WriterStats::read(&http));
        let (tally, elapsed, cpu) =
            measure(&load_rt, open_loop(subject.clone(), http.clone(), rate, window));
        report.writer.push((format!("open loop {rate}/s"), load_rt.block_on(WriterStats::read(&http)).since(before)));
        let s = summarize(&format!("open loop {rate}/s"), Some(rate), tally, elapsed, cpu);
        let overloaded = s.unsent > 0 || s.p99 > 1_000.0;
        report.http.push(s);
        if overloaded {
            eprintln!("[{}] overloaded at {rate}/s: higher rates skipped", backend.name());
            break;
        }
    }
    eprintln!("[{}] closed loop, {CLOSED_CLIENTS} clients …", backend.name());
    let before = load_rt.block_on(WriterStats::read(&http));
    let (tally, elapsed, cpu) = measure(&load_rt, closed_loop(subject.clone(), http.clone(), CLOSED_CLIENTS, window));
    report.writer.push((format!("closed loop, {CLOSED_CLIENTS} clients"), load_rt.block_on(WriterStats::read(&http)).since(before)));
    report.http.push(summarize(&format!("closed loop, {CLOSED_CLIENTS} clients"), None, tally, elapsed, cpu));

    // Without HTTP: the app's service called in-process, on the app's runtime.
    for clients in [CLOSED_CLIENTS, 1] {
        eprintln!("[{}] in-process record_purchase, {clients} tasks …", backend.name());
        let before = load_rt.block_on(WriterStats::read(&http));
        let (tally, elapsed, cpu) = measure(&app_rt, in_process(subject.clone(), clients, window));
        report.writer.push((format!("record_purchase, {clients} tasks"), load_rt.block_on(WriterStats::read(&http)).since(before)));
        report.direct.push(summarize(&format!("record_purchase, {clients} tasks"), None, tally, elapsed, cpu));
    }
    for clients in [1, CLOSED_CLIENTS] {
        eprintln!("[{}] steps timed, {clients} tasks …", backend.name());
        let (times, count, elapsed) = app_rt.block_on(steps(subject.clone(), clients, window.mul_f64(0.6)));
        report.steps.push((clients, count, elapsed, times));
    }
    let parse_start = std::time::Instant::now();
    let json = Policy::starter().to_json();
    for _ in 0..1_000 {
        std::hint::black_box(Policy::from_json(std::hint::black_box(&json)).expect("policy parses"));
    }
    report.policy_parse_us = parse_start.elapsed().as_secs_f64() * 1e6 / 1_000.0;

    // The database's own ceiling, on the same tables, with the app idle.
    let pool = app_rt.block_on(AnyPool::open(backend, &subject.url));
    report.version = app_rt.block_on(pool.text(match backend {
        Backend::Sqlite => "SELECT 'SQLite ' || sqlite_version()",
        Backend::Postgres => "SELECT 'PostgreSQL ' || current_setting('server_version')",
    }));
    report.rows = app_rt.block_on(rows_per_purchase(&subject, &pool));
    let per = |table: &str| report.rows.iter().find(|(t, _)| *t == table).map_or(0.0, |(_, v)| *v);
    let members = app_rt.block_on(pool.ids("SELECT id FROM accounts ORDER BY id"));
    let shape = Shape {
        branch: subject.branch.get(),
        members: Arc::new(members),
        transfers: per("ledger_transfers").round() as usize,
        contributions: per("tier_contributions").round() as usize,
        request: app_rt.block_on(pool.text("SELECT request FROM ledger_requests ORDER BY client_id LIMIT 1")),
        receipt: app_rt.block_on(pool.text("SELECT receipt FROM ledger_requests ORDER BY client_id LIMIT 1")),
        response: app_rt.block_on(pool.text("SELECT response FROM pos_requests ORDER BY external_id LIMIT 1")),
        minimal: false,
    };
    let connections = backend.pool_size();
    eprintln!("[{}] database ceiling, {connections} connections …", backend.name());
    let (tally, elapsed, cpu) = measure(&app_rt, ceiling(pool.clone(), shape.clone(), connections, window, 0));
    report.ceilings.push(summarize(
        &format!("purchase-shaped write transaction, {connections} connections"),
        None,
        tally,
        elapsed,
        cpu,
    ));
    let (tally, elapsed, cpu) =
        measure(&app_rt, ceiling(pool.clone(), shape.clone(), 1, window.mul_f64(0.6), 10_000_000));
    report.ceilings.push(summarize("purchase-shaped write transaction, 1 connection", None, tally, elapsed, cpu));
    let minimal = Shape { minimal: true, ..shape };
    let (tally, elapsed, cpu) =
        measure(&app_rt, ceiling(pool.clone(), minimal, connections, window.mul_f64(0.6), 20_000_000));
    report.ceilings.push(summarize(&format!("one-INSERT transaction, {connections} connections"), None, tally, elapsed, cpu));

    app_rt.block_on(async {
        pool.close().await;
        subject.state.db.close().await;
    });
    drop(http);
    drop(subject);
    load_rt.shutdown_timeout(Duration::from_secs(2));
    app_rt.shutdown_timeout(Duration::from_secs(2));
    if backend == Backend::Postgres {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("cleanup runtime");
        rt.block_on(drop_pg_database());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(report)
}

// ---------------------------------------------------------------------------------------------
// Output

fn ms(v: f64) -> String {
    if v.is_nan() {
        "–".to_owned()
    } else if v < 10.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.1}")
    }
}

fn rate_table(out: &mut String, rows: &[Summary], with_offered: bool) {
    if with_offered {
        out.push_str("| load | offered/s | achieved/s | p50 ms | p99 ms | max ms | p99 from send ms | errors | unsent | CPU busy | other processes | CPU ms/purchase: app+load | PostgreSQL |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    } else {
        out.push_str("| run | per second | p50 ms | p99 ms | max ms | errors | CPU busy | other processes | CPU ms/op: this process | PostgreSQL |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    }
    for s in rows {
        let errors = if s.error_kinds.is_empty() { s.errors.to_string() } else { format!("{} ({})", s.errors, s.error_kinds) };
        let per_op = |ms: f64| if s.ok > 0 { format!("{:.2}", ms / s.ok as f64) } else { "–".to_owned() };
        let cpu = format!(
            "{:.0}% | {:.0}% | {} | {}",
            s.cpu.busy,
            s.cpu.others,
            per_op(s.cpu.process_ms),
            per_op(s.cpu.postgres_ms)
        );
        if with_offered {
            let _ = writeln!(
                out,
                "| {} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {cpu} |",
                s.step,
                s.offered.map_or("–".to_owned(), |o| o.to_string()),
                s.achieved,
                ms(s.p50),
                ms(s.p99),
                ms(s.max),
                s.service_p99.map_or("–".to_owned(), ms),
                errors,
                s.unsent,
            );
        } else {
            let _ = writeln!(
                out,
                "| {} | {:.0} | {} | {} | {} | {} | {cpu} |",
                s.step,
                s.achieved,
                ms(s.p50),
                ms(s.p99),
                ms(s.max),
                errors,
            );
        }
    }
}

fn print_report(reports: &[Report], skipped: &[String], window: Duration) {
    let mut out = String::new();
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("model name").map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned()))
        .unwrap_or_default();
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:").and_then(|m| m.trim().trim_end_matches(" kB").parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    let _ = writeln!(out, "\n## POS purchases per second — results\n");
    let _ = writeln!(
        out,
        "Machine: {cores} cores ({cpu}), {mem_gib:.0} GiB; load generator and app in one process on 127.0.0.1; \
         {MEMBERS} members, starter policy, amount {AMOUNT} rials, {:.1} s per step, {OPEN_CONNECTIONS} keep-alive \
         connections open-loop. Latency of open-loop steps runs from the scheduled send time.\n",
        window.as_secs_f64()
    );
    for r in reports {
        let _ = writeln!(out, "### {} ({})\n", r.backend.name(), r.version);
        let _ = writeln!(out, "Over HTTP (`POST /api/v1/purchases`):\n");
        rate_table(&mut out, &r.http, true);
        let _ = writeln!(out, "\nThe group-commit writer during each of those steps and the next two:\n");
        let _ = writeln!(
            out,
            "| step | batches | purchases | mean batch | ms per batch | µs per purchase: read | plan | write | commit |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        );
        for (step, w) in &r.writer {
            let per = |x: f64, n: f64| if n > 0.0 { x / n } else { 0.0 };
            let _ = write!(out, "| {step} | {:.0} | {:.0} | {:.1} | {:.2} |", w.batches, w.writes, per(w.writes, w.batches), per(w.seconds * 1e3, w.batches));
            for phase in w.phases {
                let _ = write!(out, " {:.0} |", per(phase * 1e6, w.writes));
            }
            let _ = writeln!(out);
        }
        let _ = writeln!(out, "\nWithout HTTP (`pos::record_purchase` in-process):\n");
        rate_table(&mut out, &r.direct, false);
        let _ = writeln!(out, "\nThe database's own ceiling (no app; same tables, same INSERT/UPDATE statements as one purchase):\n");
        rate_table(&mut out, &r.ceilings, false);
        let _ = writeln!(out, "\nOne purchase's steps without the writer (`PosStore::purchase`, the path a failed batch falls back to; the three lookups before it are cached on the served path), mean and p99 in ms:\n");
        let mut header = "| step |".to_owned();
        let mut rule = "|---|".to_owned();
        for (clients, count, elapsed, _) in &r.steps {
            let _ = write!(
                header,
                " {clients} task(s): mean | p99 ({count} purchases, {:.0}/s) |",
                *count as f64 / elapsed.as_secs_f64()
            );
            rule.push_str("---:|---:|");
        }
        let _ = writeln!(out, "{header}\n{rule}");
        for (i, name) in STEPS.iter().enumerate() {
            let mut line = format!("| {name} |");
            for (_, _, _, times) in &r.steps {
                let mut t = times[i].clone();
                t.sort_unstable();
                let mean = t.iter().sum::<u64>() as f64 / t.len().max(1) as f64 / 1000.0;
                let _ = write!(line, " {} | {} |", ms(mean), ms(percentile(&t, 0.99)));
            }
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "\nPolicy JSON parse alone: {:.1} µs.\n", r.policy_parse_us);
        let rows: Vec<String> = r.rows.iter().map(|(t, v)| format!("{t} {v:.2}")).collect();
        let _ = writeln!(out, "Rows written per purchase (whole run): {}.\n", rows.join(", "));
    }
    for s in skipped {
        let _ = writeln!(out, "Skipped: {s}\n");
    }
    print!("{out}");
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken from the command line.
    tracing_subscriber::fmt().with_env_filter("warn").with_writer(std::io::stderr).init();
    let window = step_duration();
    let wanted = std::env::var("POS_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".to_owned());
    let started = std::time::Instant::now();
    let mut reports = Vec::new();
    let mut skipped = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let key = match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        if !wanted.to_ascii_lowercase().contains(key) {
            continue;
        }
        match run_backend(backend, window) {
            Ok(report) => reports.push(report),
            Err(why) => {
                eprintln!("[{}] skipped: {why}", backend.name());
                skipped.push(format!("{}: {why}", backend.name()));
            }
        }
    }
    print_report(&reports, &skipped, window);
    eprintln!("total {:.0} s", started.elapsed().as_secs_f64());
}
