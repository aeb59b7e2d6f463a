//! Wheel spins per second end to end, on SQLite and on PostgreSQL:
//! `cargo bench -p tests --bench spins`.
//!
//! For each backend the real app is served in-process on 127.0.0.1:0 over a fresh database; a
//! live wheel (no beacon: a beacon spin waits about 3 s for its drand round by design) and
//! `CLIENTS` members with points are seeded through the stores. Each member signs in over HTTP
//! and then spins back to back through the `spin_wheel` server function (`POST /api/spin_wheel`),
//! for `SPIN_BENCH_SECS` seconds (default 5): a closed loop, one member per client, because one
//! member's spins queue on their seed pair by design. Each spin is a whole transaction: points
//! charged, outcome drawn, prize paid, stock and nonce updated, `WHEEL_CONFIG`/`SPIN` records
//! appended to the log. Then the same spins in-process through `wheels::spin_at`, without HTTP.
//! `SPIN_BENCH_BACKENDS` picks backends (`sqlite,postgres`).

use std::sync::Arc;
use std::time::Duration;

use app::platform::server::store::AccountId;
use app::features::wheels::server::service::spin_at;
use app::platform::server::{self, AppState};
use engine::access::{Role, RoleSet};
use engine::ledger::{ClientId, Earn, ExpiryPolicy, MemberId, Money, Points, Request};
use engine::wheel::{FreeSpins, Prize, SegmentDraft, WheelDraft, WheelSpec};
use tokio::time::Instant;

mod support;
use support::{database_url, now, percentile, state};

const CLIENTS: usize = 16;


fn window() -> Duration {
    Duration::from_secs(std::env::var("SPIN_BENCH_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(5))
}

fn segment(id: &str, prize: Prize, weight: u64) -> SegmentDraft {
    SegmentDraft { id: id.into(), label_fa: id.into(), label_en: id.into(), colour: "#123456".into(), prize, weight, stock: None, budget: None }
}


async fn spawn(url: &str, dir: &std::path::Path) -> (AppState, String) {
    let state = state(url, dir).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let serving = state.clone();
    tokio::spawn(async move { server::serve(serving, listener).await });
    (state, base)
}

async fn member(state: &AppState, i: usize) -> AccountId {
    let account = server::create_account(state, &format!("spinner{i}@example.com"), "password-123", RoleSet::of(&[Role::Member]))
        .await
        .expect("account");
    let earn = Request::Earn(Earn {
        member: MemberId::new(account.id.0).expect("member"),
        points: Points::new(100_000_000).expect("points"),
        credit: Money::ZERO,
        policy: ExpiryPolicy::Never,
        pending_days: 0,
        purchase: None,
    });
    state.db.ledger.apply(ClientId::parse(&format!("bench-{i}")).expect("id"), earn, now()).await.expect("db").expect("earn");
    account.id
}

async fn signed_in(base: &str, i: usize) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, base.parse().expect("origin"));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .expect("client");
    let form = [("identifier", format!("spinner{i}@example.com")), ("password", "password-123".to_owned())];
    let response = client.post(format!("{base}/login")).form(&form).send().await.expect("login");
    assert_eq!(response.status(), 303, "signed in");
    client
}


fn row(step: &str, mut micros: Vec<u64>, failed: usize, elapsed: Duration) -> String {
    micros.sort_unstable();
    format!(
        "| {step} | {} | {failed} | {:.0} | {:.1} | {:.1} | {:.1} |",
        micros.len(),
        micros.len() as f64 / elapsed.as_secs_f64(),
        percentile(&micros, 0.5),
        percentile(&micros, 0.99),
        percentile(&micros, 1.0),
    )
}

/// Runs `spin(client, n)` back to back on every client for `window`; the future answers whether
/// the spin succeeded. Prints one table row.
async fn closed_loop<C, F, Fut>(step: &str, clients: Vec<C>, window: Duration, spin: F) -> String
where
    C: Send + 'static,
    F: Fn(C, usize, u64) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = (C, bool)> + Send,
{
    let started = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(c, client)| {
            let spin = spin.clone();
            tokio::spawn(async move {
                let (mut ok, mut failed) = (Vec::new(), 0);
                let mut client = client;
                let mut n = 0u64;
                while started.elapsed() < window {
                    n += 1;
                    let t = Instant::now();
                    let (back, done) = spin(client, c, n).await;
                    client = back;
                    if done {
                        ok.push(t.elapsed().as_micros() as u64);
                    } else {
                        failed += 1;
                    }
                }
                (ok, failed)
            })
        })
        .collect();
    let (mut all, mut failed) = (Vec::new(), 0);
    for task in tasks {
        let (ok, f) = task.await.expect("client");
        all.extend(ok);
        failed += f;
    }
    row(step, all, failed, started.elapsed())
}

async fn http_loop(base: Arc<String>, clients: Vec<reqwest::Client>, wheel: i64, window: Duration) -> String {
    closed_loop("HTTP `POST /api/spin_wheel`", clients, window, move |client: reqwest::Client, c, n| {
        let base = base.clone();
        async move {
            let form = [("wheel", wheel.to_string()), ("key", format!("http-{c}-{n}"))];
            let done = match client.post(format!("{base}/api/spin_wheel")).form(&form).send().await {
                Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                _ => false,
            };
            (client, done)
        }
    })
    .await
}

async fn service_loop(state: Arc<AppState>, members: Vec<AccountId>, wheel: i64, window: Duration) -> String {
    closed_loop("in-process `wheels::spin_at`", members, window, move |member: AccountId, c, n| {
        let state = state.clone();
        async move {
            let done = spin_at(&state, member, wheel, &format!("svc-{c}-{n}"), now()).await.is_ok();
            (member, done)
        }
    })
    .await
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let backends = std::env::var("SPIN_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    println!("Spins per second, {CLIENTS} members spinning back to back, {} s per step, {} CPUs.\n", window().as_secs(), std::thread::available_parallelism().map_or(0, |n| n.get()));
    for backend in backends.split(',').map(str::trim).filter(|b| !b.is_empty()) {
        let dir = std::env::temp_dir().join(format!("bashgah-spin-bench-{}-{backend}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        runtime.block_on(async {
            let url = database_url(backend, &dir, "spins").await;
            let (state, base) = spawn(&url, &dir).await;
            let spec = WheelSpec::parse(WheelDraft {
                name_fa: "گردونه".into(),
                name_en: "Bench wheel".into(),
                segments: vec![
                    segment("p5", Prize::Points { points: Points::new(5).expect("points") }, 5),
                    segment("again", Prize::ExtraSpin, 1),
                    segment("none", Prize::Nothing, 4),
                ],
                cost: Points::new(10).expect("points"),
                free_spins: FreeSpins::NONE,
                beacon: false,
            })
            .expect("wheel");
            let wheel = state.db.wheels.create_wheel(&spec, now()).await.expect("wheel");
            state.db.wheels.set_live(wheel, true, now()).await.expect("open");
            let mut members = Vec::new();
            for i in 0..CLIENTS {
                members.push(member(&state, i).await);
            }
            let mut clients = Vec::new();
            for i in 0..CLIENTS {
                clients.push(signed_in(&base, i).await);
            }
            println!("### {backend}\n");
            println!("| step | spins | failed | spins/s | p50 ms | p99 ms | max ms |");
            println!("|---|---|---|---|---|---|---|");
            println!("{}", http_loop(Arc::new(base.clone()), clients, wheel, window()).await);
            println!("{}", service_loop(Arc::new(state.clone()), members, wheel, window()).await);
            let audit = state.db.ledger.audit().await.expect("audit");
            let log = state.db.fairlog.size().await.expect("log size");
            println!("\nledger sound after the run: {}; log records: {log}\n", audit.is_sound());
        });
        let _ = std::fs::remove_dir_all(&dir);
    }
}
