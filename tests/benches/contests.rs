//! The live leaderboard of a contest with many entrants, on SQLite and on PostgreSQL, with the
//! SQL board and the Redis board: `cargo bench -p tests --bench contests`.
//!
//! For each backend a fresh database is opened in-process and `CONTEST_BENCH_ENTRANTS` members
//! (default 10,000) join one points contest; each earns points once (scores 1 to 500, so ties
//! are many). Then, timed: summing every entrant's score from the ledger (what each scheduler
//! tick does), publishing the board to SQL and to Redis, reading the top 10 and one member's
//! rank (mean of `CONTEST_BENCH_READS` reads, default 1,000, each backend) and the finish (scores
//! as of the end, standings frozen, every prize paid, `CONTEST_RESULT` logged). Redis is
//! `BASHGAH_TEST_REDIS` (default `redis://127.0.0.1:6379`). `CONTEST_BENCH_BACKENDS` picks
//! backends (`sqlite,postgres`).

use std::time::Duration;

use app::features::contests::server::board::{Leaderboard, RedisBoard, SqlBoard};
use app::features::contests::server::service::{create_at, join_at};
use app::platform::server::store::{AccountId, Login, NewAccount, StoredProfile};
use app::platform::server::AppState;
use engine::access::{Role, RoleSet};
use engine::card::CardNumber;
use engine::contest::{ContestDraft, ContestSpec, Metric, PrizeMode, TieRule};
use engine::ledger::{ClientId, Earn, ExpiryPolicy, MemberId, Money, Points, Request};
use engine::raffle::{RafflePrize, RafflePrizeKind};
use engine::time::Timestamp;
use tokio::time::Instant;

mod support;
use support::{database_url, env_number, now, state};





/// A member account without the password hashing of a sign-up (nobody logs in as it).
async fn member(state: &AppState, n: u64) -> AccountId {
    let new = NewAccount {
        login: Login::parse(&format!("m{n}@bench.example")).expect("login"),
        password_hash: "bench: no login".into(),
        roles: RoleSet::of(&[Role::Member]),
        profile: StoredProfile::default(),
        card: CardNumber::issue(n.wrapping_mul(0x9e37_79b9_7f4a_7c15)),
        now: now(),
        owed_sign_up_award: false,
    };
    state.db.accounts.create_account(new).await.expect("account").id
}

fn spec(starts: Timestamp, ends: Timestamp) -> ContestSpec {
    let prize = |points, count| RafflePrize { kind: RafflePrizeKind::Points { points: Points::new(points).expect("points") }, count, label_fa: String::new(), label_en: String::new() };
    ContestSpec::parse(ContestDraft {
        title_fa: "مسابقه".into(),
        title_en: "Bench contest".into(),
        description_fa: String::new(),
        description_en: String::new(),
        metric: Metric::PointsEarned,
        starts_at: starts,
        ends_at: ends,
        entry_fee: Points::ZERO,
        min_score: 1,
        tie_rule: TieRule::SharedRank,
        prize_mode: PrizeMode::ByRank,
        prizes: vec![prize(1_000, 1), prize(500, 2), prize(100, 7)],
        beacon: false,
        board_size: 10,
    })
    .expect("contest")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let backends = std::env::var("CONTEST_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let entrants = env_number("CONTEST_BENCH_ENTRANTS", 10_000);
    let reads = env_number("CONTEST_BENCH_READS", 1_000);
    let redis_url = std::env::var("BASHGAH_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    println!("Contest leaderboard, {entrants} entrants, {reads} reads per measurement, {} CPUs.\n", std::thread::available_parallelism().map_or(0, |n| n.get()));
    println!("| backend | sum scores | publish SQL | publish Redis | top 10 SQL | top 10 Redis | own rank SQL | own rank Redis | finish and pay |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for backend in backends.split(',').map(str::trim).filter(|b| !b.is_empty()) {
        let dir = std::env::temp_dir().join(format!("bashgah-contest-bench-{}-{backend}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        runtime.block_on(async {
            let url = database_url(backend, &dir, "contests").await;
            let state = state(&url, &dir).await;
            let start = Timestamp::from_unix_millis(now().unix_millis() - 3_600_000);
            let end = Timestamp::from_unix_millis(now().unix_millis() + 3_600_000);
            let contest = create_at(&state, spec(start, end), start).await.expect("created");
            let mut members = Vec::new();
            for n in 0..entrants {
                let account = member(&state, n).await;
                join_at(&state, account, contest.id, &[1; 32], "join", Timestamp::from_unix_millis(start.unix_millis() + 1)).await.expect("joined");
                let earn = Request::Earn(Earn {
                    member: MemberId::new(account.0).expect("member"),
                    points: Points::new((n * 7919 % 500 + 1) as i64).expect("points"),
                    credit: Money::ZERO,
                    policy: ExpiryPolicy::Never,
                    pending_days: 0,
                    purchase: None,
                });
                let when = Timestamp::from_unix_millis(start.unix_millis() + 1_000 + n as i64);
                state.db.ledger.apply(ClientId::parse(&format!("bench-{n}")).expect("id"), earn, when).await.expect("db").expect("earn");
                members.push(account);
            }
            let t = Instant::now();
            let rows = state.db.contests.scores(contest.id, now()).await.expect("scores");
            let summed = t.elapsed();
            assert_eq!(rows.len() as u64, entrants);
            let sql = SqlBoard(state.db.contests.clone());
            let redis = RedisBoard::new(&redis_url, &format!("bashgah-bench-{}", std::process::id())).expect("redis");
            let mut publish = Vec::new();
            for board in [&sql as &dyn Leaderboard, &redis] {
                let t = Instant::now();
                board.publish(contest.id, &rows, now()).await.expect("published");
                publish.push(t.elapsed());
            }
            let mut top = Vec::new();
            let mut place = Vec::new();
            for board in [&sql as &dyn Leaderboard, &redis] {
                let t = Instant::now();
                for _ in 0..reads {
                    assert_eq!(board.top(contest.id, TieRule::SharedRank, 10).await.expect("top").len(), 10);
                }
                top.push(t.elapsed() / reads as u32);
                let t = Instant::now();
                for n in 0..reads {
                    let who = MemberId::new(members[(n as usize * 7) % members.len()].0).expect("member");
                    assert!(board.place(contest.id, TieRule::SharedRank, who).await.expect("place").is_some());
                }
                place.push(t.elapsed() / reads as u32);
            }
            let t = Instant::now();
            let after = Timestamp::from_unix_millis(end.unix_millis() + 60_000);
            assert!(state.db.contests.finish(contest.id, ExpiryPolicy::Never, after).await.expect("finish"));
            let finished = t.elapsed();
            let audit = state.db.ledger.audit().await.expect("audit");
            assert!(audit.is_sound(), "{:?}", audit.violations);
            println!(
                "| {backend} | {:.0} ms | {:.0} ms | {:.0} ms | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {:.0} ms |",
                ms(summed),
                ms(publish[0]),
                ms(publish[1]),
                ms(top[0]),
                ms(top[1]),
                ms(place[0]),
                ms(place[1]),
                ms(finished),
            );
        });
        let _ = std::fs::remove_dir_all(&dir);
    }
}
