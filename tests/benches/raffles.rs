//! Raffle tickets per second and closing a raffle of 1,000,000 tickets, on SQLite and on
//! PostgreSQL: `cargo bench -p tests --bench raffles`.
//!
//! For each backend a fresh database is opened in-process. Step 1: `CLIENTS` members buy one
//! ticket per request back to back through `raffles::buy_at` for `RAFFLE_BENCH_SECS` seconds
//! (default 5); each buy is a whole transaction (the raffle row locked, the limit checked, points
//! charged, the ticket written, the answer stored). Step 2: the same with 100 tickets per request.
//! Step 3: a second raffle gets `RAFFLE_BENCH_TICKETS` tickets (default 1,000,000) in buys of
//! 10,000, then the scheduler's close (entries read, root computed, `DRAW_CLOSE` and
//! `DRAW_REVEAL` logged), draw (entries read again, seed, winners, ten prizes paid, `DRAW_RESULT`
//! logged) and the audit bundle are timed one by one, and the bundle is verified natively.
//! `RAFFLE_BENCH_BACKENDS` picks backends (`sqlite,postgres`).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use app::features::raffles::server::service::{buy_at, bundle, open};
use app::platform::server::store::AccountId;
use app::platform::server::{self, AppState};
use engine::access::{Role, RoleSet};
use engine::ledger::{ClientId, Earn, ExpiryPolicy, MemberId, Money, Points, Request};
use engine::raffle::{RaffleDraft, RafflePrize, RafflePrizeKind, RaffleSpec};
use engine::time::Timestamp;
use tokio::time::Instant;

mod support;
use support::{database_url, env_number, now, percentile, state};

const CLIENTS: usize = 16;
const BIG_BUY: u32 = 10_000;





async fn member(state: &AppState, name: &str) -> AccountId {
    let account = server::create_account(state, &format!("{name}@example.com"), "password-123", RoleSet::of(&[Role::Member]))
        .await
        .expect("account");
    let earn = Request::Earn(Earn {
        member: MemberId::new(account.id.0).expect("member"),
        points: Points::new(1_000_000_000).expect("points"),
        credit: Money::ZERO,
        policy: ExpiryPolicy::Never,
        pending_days: 0,
        purchase: None,
    });
    state.db.ledger.apply(ClientId::parse(&format!("bench-{name}")).expect("id"), earn, now()).await.expect("db").expect("earn");
    account.id
}

fn spec(closes: Timestamp, limit: u32, winners: u32) -> RaffleSpec {
    RaffleSpec::parse(RaffleDraft {
        title_fa: "قرعه".into(),
        title_en: "Bench raffle".into(),
        description_fa: String::new(),
        description_en: String::new(),
        prizes: vec![RafflePrize { kind: RafflePrizeKind::Points { points: Points::new(100).expect("points") }, count: winners, label_fa: String::new(), label_en: String::new() }],
        ticket_price: Points::new(1).expect("points"),
        per_member_limit: limit,
        opens_at: Timestamp::from_unix_millis(now().unix_millis() - 60_000),
        closes_at: closes,
        beacon: false,
        tiers: BTreeSet::new(),
        ticket_per_purchase: None,
        by_contest: false,
    })
    .expect("raffle")
}


/// Every member buys `count` tickets per request back to back for `window`; one table row.
async fn buy_loop(state: Arc<AppState>, members: &[AccountId], raffle: i64, count: u32, window: Duration) -> String {
    let started = Instant::now();
    let tasks: Vec<_> = members
        .iter()
        .enumerate()
        .map(|(c, &member)| {
            let state = state.clone();
            tokio::spawn(async move {
                let (mut ok, mut failed, mut n) = (Vec::new(), 0, 0u64);
                while started.elapsed() < window {
                    n += 1;
                    let t = Instant::now();
                    match buy_at(&state, member, raffle, count, &[c as u8; 32], &format!("b{count}-{c}-{n}"), now()).await {
                        Ok(_) => ok.push(t.elapsed().as_micros() as u64),
                        Err(_) => failed += 1,
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
    all.sort_unstable();
    let secs = started.elapsed().as_secs_f64();
    format!(
        "| {count} per buy | {} | {failed} | {:.0} | {:.0} | {:.1} | {:.1} |",
        all.len(),
        all.len() as f64 / secs,
        all.len() as f64 * f64::from(count) / secs,
        percentile(&all, 0.5),
        percentile(&all, 0.99),
    )
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let backends = std::env::var("RAFFLE_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let window = Duration::from_secs(env_number("RAFFLE_BENCH_SECS", 5));
    let tickets = env_number("RAFFLE_BENCH_TICKETS", 1_000_000);
    println!("Raffles, {CLIENTS} members, {} s per step, {} CPUs.\n", window.as_secs(), std::thread::available_parallelism().map_or(0, |n| n.get()));
    for backend in backends.split(',').map(str::trim).filter(|b| !b.is_empty()) {
        let dir = std::env::temp_dir().join(format!("bashgah-raffle-bench-{}-{backend}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        runtime.block_on(async {
            let url = database_url(backend, &dir, "raffles").await;
            let state = Arc::new(state(&url, &dir).await);
            let mut members = Vec::new();
            for i in 0..CLIENTS {
                members.push(member(&state, &format!("buyer{i}")).await);
            }
            let later = Timestamp::from_unix_millis(now().unix_millis() + 3_600_000);
            let raffle = open(&state, spec(later, engine::raffle::MAX_TICKETS_PER_MEMBER, 1)).await.expect("open");
            println!("### {backend}\n");
            println!("| step | buys | failed | buys/s | tickets/s | p50 ms | p99 ms |");
            println!("|---|---|---|---|---|---|---|");
            println!("{}", buy_loop(state.clone(), &members, raffle.id, 1, window).await);
            println!("{}", buy_loop(state.clone(), &members, raffle.id, 100, window).await);

            // The million: 100 holders of 10,000 tickets each, sold before the close.
            let closes = Timestamp::from_unix_millis(now().unix_millis() + 86_400_000);
            let big = open(&state, spec(closes, engine::raffle::MAX_TICKETS_PER_MEMBER, 10)).await.expect("open");
            let holders = tickets.div_ceil(u64::from(BIG_BUY)) as usize;
            let started = Instant::now();
            for h in 0..holders {
                let holder = member(&state, &format!("holder{h}")).await;
                buy_at(&state, holder, big.id, BIG_BUY, &[h as u8; 32], "big", now()).await.expect("bought");
            }
            let sold = started.elapsed();
            let after = Timestamp::from_unix_millis(closes.unix_millis() + 1);
            let t = Instant::now();
            assert!(state.db.raffles.close(big.id, after).await.expect("close"));
            let closed = t.elapsed();
            let expiry = ExpiryPolicy::Never;
            let t = Instant::now();
            assert!(state.db.raffles.draw(big.id, None, expiry, after).await.expect("draw"));
            let drawn = t.elapsed();
            let t = Instant::now();
            let bundle = bundle(&state, big.id).await.expect("bundle");
            let built = t.elapsed();
            let t = Instant::now();
            let key = state.fairlog_key.signer().await.expect("key").verifier_key().clone();
            let report = engine::fair::verify_bundle(&bundle, Some(&key));
            let verified = t.elapsed();
            assert!(report.ok(), "{report:?}");
            println!(
                "\n{} tickets ({holders} buys of {BIG_BUY}) sold in {:.1} s; close {:.2} s; draw and payout {:.2} s; \
                 bundle {:.2} s ({} entries); native verify {:.2} s; ledger sound: {}\n",
                bundle.entries.len(),
                sold.as_secs_f64(),
                closed.as_secs_f64(),
                drawn.as_secs_f64(),
                built.as_secs_f64(),
                bundle.entries.len(),
                verified.as_secs_f64(),
                state.db.ledger.audit().await.expect("audit").is_sound(),
            );
        });
        let _ = std::fs::remove_dir_all(&dir);
    }
}
