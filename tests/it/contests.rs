//! Contests on both backends: joining (fee charged once, retries the first answer, one join
//! per member under concurrent requests), scores from every metric's facts, the live board with
//! ties under both rules, the Redis and SQL boards giving the engine's answers, and a finish
//! that freezes, logs and pays once however often it runs; a drawn contest is drawn by
//! `fairdraw/v1` among its qualifiers and its bundle verifies.

use app::features::contests::server::board::{Leaderboard, RedisBoard, SqlBoard};
use app::features::contests::server::service::{create, create_at, join_at, publish, run_due};
use app::features::contests::server::store::{BoardRow, Stage};
use app::platform::error::ErrorCode;
use app::platform::server::AppState;
use app::platform::server::store::AccountId;
use engine::contest::{ContestDraft, ContestSpec, Metric, PrizeMode, Score, TieRule, standings};
use engine::fair::{Record, verify_bundle};
use engine::ledger::{ClientId, Earn, ExpiryPolicy, MemberId, Money, Points, Request};
use engine::raffle::{RafflePrize, RafflePrizeKind};
use engine::time::Timestamp;
use futures::future::join_all;

use crate::support::{Backend, TestApp, now, on_both_backends};
use crate::wheels::member_with;

fn at(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(ms)
}

fn points_prize(points: i64, count: u32) -> RafflePrize {
    RafflePrize { kind: RafflePrizeKind::Points { points: Points::new(points).expect("points") }, count, label_fa: String::new(), label_en: String::new() }
}

/// A contest that started ten minutes ago and ends in ten: 1,000 points for rank 1, 500 for
/// rank 2 and 100 each for ranks 3 and 4; a score of 2 qualifies.
pub(crate) fn draft(metric: Metric, tie_rule: TieRule) -> ContestDraft {
    let ms = now().unix_millis();
    ContestDraft {
        title_fa: "مسابقهٔ آزمون".into(),
        title_en: "Test contest".into(),
        description_fa: String::new(),
        description_en: String::new(),
        metric,
        starts_at: at(ms - 600_000),
        ends_at: at(ms + 600_000),
        entry_fee: Points::ZERO,
        min_score: 2,
        tie_rule,
        prize_mode: PrizeMode::ByRank,
        prizes: vec![points_prize(1_000, 1), points_prize(500, 1), points_prize(100, 2)],
        beacon: false,
        board_size: 10,
    }
}

pub(crate) fn spec(draft: ContestDraft) -> ContestSpec {
    ContestSpec::parse(draft).expect("valid contest")
}

fn member(account: AccountId) -> MemberId {
    MemberId::new(account.0).expect("member")
}

async fn points(state: &AppState, account: AccountId) -> i64 {
    state.db.ledger.balances(member(account)).await.expect("balances").points.get()
}

async fn assert_sound(state: &AppState) {
    let audit = state.db.ledger.audit().await.expect("audit");
    assert!(audit.is_sound(), "{:?}", audit.violations);
}

/// `n` points earned by `account` at `when`.
pub(crate) async fn earn(state: &AppState, account: AccountId, n: i64, when: Timestamp, tag: &str) {
    let request = Request::Earn(Earn { member: member(account), points: Points::new(n).expect("points"), credit: Money::ZERO, policy: ExpiryPolicy::Never, pending_days: 0, purchase: None });
    let id = ClientId::parse(&format!("earn-{}-{tag}", account.0)).expect("id");
    state.db.ledger.apply(id, request, when).await.expect("db").expect("earned");
}

/// The ledger's time of the start of the contest plus `secs`.
fn into(spec: &ContestSpec, secs: i64) -> Timestamp {
    at(spec.starts_at().unix_millis() + secs * 1000)
}

on_both_backends! {
    async fn joining_charges_the_fee_once_and_a_retry_is_the_first_answer(app) {
        let state = &app.state;
        let mut d = draft(Metric::PointsEarned, TieRule::SharedRank);
        d.entry_fee = Points::new(30).expect("points");
        let contest = create(state, spec(d)).await.expect("created");
        let ali = member_with(&app, "ali", 100).await;
        let first = join_at(state, ali, contest.id, &[1; 32], "join-1", now()).await.expect("joined");
        assert!(!first.is_replay());
        let again = join_at(state, ali, contest.id, &[1; 32], "join-1", now()).await.expect("replayed");
        assert!(again.is_replay());
        assert_eq!(again.result(), first.result());
        assert_eq!(join_at(state, ali, contest.id, &[2; 32], "join-1", now()).await.err(), Some(ErrorCode::IdempotencyConflict));
        assert_eq!(join_at(state, ali, contest.id, &[1; 32], "join-2", now()).await.err(), Some(ErrorCode::ContestJoined));
        assert_eq!(points(state, ali).await, 70, "the fee, once");
        // Fifty concurrent joins with fifty keys: one member joins once and pays once.
        let sara = member_with(&app, "sara", 100).await;
        let joins = join_all((0..50).map(|n| {
            let key = format!("k{n}");
            async move { join_at(state, sara, contest.id, &[3; 32], &key, now()).await }
        }))
        .await;
        assert_eq!(joins.iter().filter(|j| j.is_ok()).count(), 1, "{joins:?}");
        assert!(joins.iter().all(|j| j.is_ok() || j.as_ref().err() == Some(&ErrorCode::ContestJoined)));
        assert_eq!(points(state, sara).await, 70);
        let stored = state.db.contests.contest(contest.id).await.expect("read").expect("contest");
        assert_eq!(stored.entrants, 2);
        // Refusals charge nothing.
        let poor = member_with(&app, "poor", 10).await;
        assert_eq!(join_at(state, poor, contest.id, &[4; 32], "p", now()).await.err(), Some(ErrorCode::InsufficientPoints));
        assert_eq!(join_at(state, poor, contest.id, &[4; 32], "late", at(4_000_000_000_000)).await.err(), Some(ErrorCode::ContestEnded));
        assert_eq!(join_at(state, poor, contest.id + 9, &[4; 32], "none", now()).await.err(), Some(ErrorCode::NotFound));
        assert_eq!(join_at(state, poor, contest.id, &[4; 32], " ", now()).await.err(), Some(ErrorCode::BadJoinKey));
        assert_eq!(points(state, poor).await, 10);
        let ms = now().unix_millis();
        let mut over = draft(Metric::Spins, TieRule::SharedRank);
        (over.starts_at, over.ends_at) = (at(ms - 600_000), at(ms - 1_000));
        assert_eq!(create(state, spec(over)).await.err(), Some(ErrorCode::ContestEnded), "already over");
        assert_sound(state).await;
    }
}

on_both_backends! {
    async fn ties_share_a_rank_or_go_to_who_reached_the_score_first_and_prizes_are_paid_once(app) {
        let state = &app.state;
        for rule in [TieRule::SharedRank, TieRule::FirstToReach] {
            let s = spec(draft(Metric::PointsEarned, rule));
            let contest = create_at(state, s.clone(), into(&s, 0)).await.expect("created");
            let tag = rule.as_str();
            let names = ["a", "b", "c", "d", "e"].map(|n| format!("{n}-{tag}"));
            let mut members = Vec::new();
            for (n, name) in names.iter().enumerate() {
                let account = member_with(&app, name, 0).await;
                join_at(state, account, contest.id, &[n as u8; 32], "j", into(&s, 1 + n as i64)).await.expect("joined");
                members.push(account);
            }
            let [a, b, c, d, e] = members[..] else { unreachable!() };
            // b reaches 50 before a does; d earned before joining, which does not count.
            earn(state, b, 50, into(&s, 10), tag).await;
            earn(state, a, 20, into(&s, 11), tag).await;
            earn(state, a, 30, into(&s, 20), &format!("{tag}-2")).await;
            earn(state, c, 40, into(&s, 12), tag).await;
            earn(state, d, 40, into(&s, 3), tag).await;
            earn(state, d, 40, into(&s, 13), &format!("{tag}-2")).await;
            earn(state, e, 1, into(&s, 14), tag).await;
            publish(state, &state.db.contests.contest(contest.id).await.expect("read").expect("contest"), now()).await.expect("published");
            let top = state.board.top(contest.id, rule, 10).await.expect("top");
            let ranks: Vec<(AccountId, u64, u64)> = top.iter().map(|r| (AccountId(r.row.member.get()), r.rank, r.row.score)).collect();
            let expected = match rule {
                // 50, 50, 40, 40, 1: "1 1 3 3 5", b first on the board as the first to 50.
                TieRule::SharedRank => vec![(b, 1, 50), (a, 1, 50), (c, 3, 40), (d, 3, 40), (e, 5, 1)],
                TieRule::FirstToReach => vec![(b, 1, 50), (a, 2, 50), (c, 3, 40), (d, 4, 40), (e, 5, 1)],
            };
            assert_eq!(ranks, expected, "{rule:?}");
            for (account, rank, _) in &expected {
                let place = state.board.place(contest.id, rule, member(*account)).await.expect("place").expect("on the board");
                assert_eq!(place.rank, *rank, "{rule:?}: own rank of {account:?}");
            }
            // Past the end and the settle time: frozen, logged and paid, once however often run.
            let after = at(s.ends_at().unix_millis() + 60_000);
            let runs = join_all((0..4).map(|_| run_due(state, after))).await;
            assert_eq!(runs.iter().map(|r| r.as_ref().expect("ran").finished).sum::<u64>(), 1, "finished once");
            assert_eq!(run_due(state, after).await.expect("ran").finished, 0);
            let paid = match rule {
                // a and b share rank 1 and each win its prize; c and d share rank 3 and the
                // third line covers it; e (score 1) does not qualify.
                TieRule::SharedRank => [1_000, 1_000, 100, 100, 0],
                TieRule::FirstToReach => [500, 1_000, 100, 100, 0],
            };
            let earned = [50, 50, 40, 80, 1];
            for (n, account) in members.iter().enumerate() {
                assert_eq!(points(state, *account).await, earned[n] + paid[n], "{rule:?}: member {n}");
            }
            let stored = state.db.contests.contest(contest.id).await.expect("read").expect("contest");
            assert_eq!(stored.stage, Stage::Finished);
            let leaf = stored.result_leaf.expect("CONTEST_RESULT logged");
            let text = state.db.fairlog.record(leaf).await.expect("read").expect("leaf").record;
            let Ok(Record::ContestResult(result)) = Record::decode(text.as_bytes()) else {
                panic!("leaf {leaf} is not a CONTEST_RESULT")
            };
            assert_eq!(result.n, 5);
            assert_eq!(result.winners.len(), 4);
            let frozen = SqlBoard(state.db.contests.clone()).top(contest.id, rule, 10).await.expect("frozen");
            let facts = frozen.iter().map(|r| engine::contest::StandingFact {
                member: &r.row.pseudonym,
                rank: r.rank,
                score: r.row.score,
                reached_at: r.row.reached_at.unix_millis() as u64,
                joined: r.row.seq,
            });
            assert_eq!(engine::contest::standings_root(&stored.contest_id, facts).expect("root"), result.standings_root, "the published board is the logged one");
            let bundle = app::features::contests::server::service::bundle(state, contest.id).await.expect("bundle");
            let key = state.fairlog_key.signer().await.expect("key").verifier_key();
            let report = verify_bundle(&bundle, Some(key));
            assert!(report.ok(), "{report:?}");
            // One score changed after the freeze: the standings no longer hash to the logged root.
            let mut altered = bundle.clone();
            altered.contest.as_mut().expect("contest section").standings[2].score += 1;
            let report = verify_bundle(&altered, Some(key));
            assert_eq!(report.status("standings"), Some(engine::fair::Status::Failed), "{report:?}");
            // Ranks swapped and the root recomputed by a forger: the log's root still differs.
            let mut swapped = bundle.clone();
            swapped.contest.as_mut().expect("contest section").standings.swap(0, 1);
            assert!(!verify_bundle(&swapped, Some(key)).ok());
            let awards = state.db.contests.awards(contest.id).await.expect("awards");
            assert_eq!(awards.len(), 4);
        }
        assert_sound(state).await;
    }
}

// Purchases through the till's service; every metric's query runs on both backends.
on_both_backends! {
    async fn every_metric_is_summed_from_its_own_facts(app) {
        use app::features::pos::server as pos;
        let state = &app.state;
        let mut ids = Vec::new();
        for metric in Metric::ALL {
            let s = spec(draft(metric, TieRule::SharedRank));
            ids.push((metric, create_at(state, s.clone(), into(&s, 0)).await.expect("created").id));
        }
        let shopper = member_with(&app, "shopper", 0).await;
        for (_, id) in &ids {
            join_at(state, shopper, *id, &[7; 32], "j", now()).await.expect("joined");
        }
        let (branch, _) = pos::keys::create_branch(state, "شعبه").await.expect("branch");
        let till = pos::Till { branch: branch.id, cashier: None };
        let card = state.db.accounts.account(shopper).await.expect("read").expect("account").card;
        for (n, rials) in [1_000_000_i64, 250_000].into_iter().enumerate() {
            let input = pos::PurchaseInput {
                external_id: app::platform::server::store::ExternalId::parse(&format!("m-{n}")).expect("id"),
                member: pos::MemberKey::Card(card.clone()),
                amount: Money::from_minor(rials * 100).expect("money"),
                occurred_at: None,
            };
            pos::record_purchase(state, till, &input).await.expect("purchase");
        }
        for (metric, id) in ids {
            let rows = state.db.contests.scores(id, now()).await.expect("scores");
            let score = rows.iter().find(|r| r.member == member(shopper)).map_or(0, |r| r.score);
            let expected = match metric {
                Metric::PurchaseCount => 2,
                Metric::AmountSpent => 1_250_000,
                // The starter policy's points for the two purchases, pending or not.
                Metric::PointsEarned => {
                    let balances = state.db.ledger.balances(member(shopper)).await.expect("balances");
                    (balances.points.get() + balances.pending_points.get()) as u64
                }
                Metric::Referrals | Metric::Spins => 0,
            };
            assert_eq!(score, expected, "{metric:?}");
            assert!(metric != Metric::PointsEarned || score > 0, "purchases earned points");
        }
    }
}

/// Scores with ties of every kind: equal scores at the same and at different moments.
fn tied_rows(n: u64) -> Vec<BoardRow> {
    (1..=n)
        .map(|seq| BoardRow {
            member: MemberId::new(seq as i64).expect("member"),
            pseudonym: format!("{seq:064x}"),
            score: (seq * 7919) % 6,
            reached_at: at(1_000 + ((seq * 104_729) % 4) as i64),
            seq,
        })
        .collect()
}

/// What the engine says each member's rank is.
fn engine_ranks(rows: &[BoardRow], rule: TieRule) -> Vec<(MemberId, u64)> {
    standings(rows.iter().map(|r| Score { member: r.member, score: r.score, reached_at: r.reached_at, joined: r.seq }), rule)
        .into_iter()
        .map(|s| (s.score.member, s.rank))
        .collect()
}

fn redis_url() -> String {
    std::env::var("BASHGAH_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

on_both_backends! {
    async fn the_redis_and_sql_boards_give_the_engines_ranks(app) {
        let state = &app.state;
        // Accounts for the board rows to name (the SQL board's rows refer to members).
        for n in 1..=40 {
            app.account(&format!("m{n}@example.com"), "password-123", engine::access::RoleSet::of(&[engine::access::Role::Member])).await;
        }
        let rows = tied_rows(40);
        let contest = create(state, spec(draft(Metric::Spins, TieRule::SharedRank))).await.expect("created");
        let sql = SqlBoard(state.db.contests.clone());
        let prefix = format!("bashgah-test-{}-{}", std::process::id(), now().unix_millis());
        let redis = RedisBoard::new(&redis_url(), &prefix).expect("redis client");
        for board in [&sql as &dyn Leaderboard, &redis] {
            board.publish(contest.id, &rows, now()).await.expect("published");
        }
        for rule in [TieRule::SharedRank, TieRule::FirstToReach] {
            let expected = engine_ranks(&rows, rule);
            for board in [&sql as &dyn Leaderboard, &redis] {
                let name = board.name();
                let top: Vec<(MemberId, u64)> = board.top(contest.id, rule, 100).await.expect("top").iter().map(|r| (r.row.member, r.rank)).collect();
                assert_eq!(top, expected, "{name} {rule:?}: the whole board");
                let first: Vec<(MemberId, u64)> = board.top(contest.id, rule, 7).await.expect("top").iter().map(|r| (r.row.member, r.rank)).collect();
                assert_eq!(first, expected[..7], "{name} {rule:?}: the top 7");
                for (who, rank) in &expected {
                    let place = board.place(contest.id, rule, *who).await.expect("place").map(|r| r.rank);
                    assert_eq!(place, Some(*rank), "{name} {rule:?}: {who}");
                }
                let zero = rows.iter().find(|r| r.score == 0).expect("a zero score").member;
                assert_eq!(board.place(contest.id, rule, zero).await.expect("place"), None, "{name}: score zero is not on the board");
                assert_eq!(board.len(contest.id).await.expect("len"), expected.len() as u64, "{name}");
            }
        }
        // A new publish replaces the board whole.
        for board in [&sql as &dyn Leaderboard, &redis] {
            board.publish(contest.id, &rows[..3], now()).await.expect("published");
            assert_eq!(board.len(contest.id).await.expect("len"), rows[..3].iter().filter(|r| r.score > 0).count() as u64, "{}", board.name());
        }
    }
}

/// The app answers the contest page from Redis when `REDIS_URL` is set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_the_live_board_is_read_from_redis() {
    let prefix = format!("bashgah-test-app-{}-{}", std::process::id(), now().unix_millis());
    let app = TestApp::spawn_with(Backend::Sqlite, &[("REDIS_URL", redis_url()), ("BASHGAH_REDIS_PREFIX", prefix)]).await;
    let state = &app.state;
    assert_eq!(state.board.name(), "redis");
    let s = spec(draft(Metric::PointsEarned, TieRule::SharedRank));
    let contest = create_at(state, s.clone(), into(&s, 0)).await.expect("created");
    let ali = member_with(&app, "ali", 0).await;
    join_at(state, ali, contest.id, &[1; 32], "j", into(&s, 1)).await.expect("joined");
    earn(state, ali, 40, into(&s, 5), "x").await;
    assert_eq!(run_due(state, now()).await.expect("ran").published, 1);
    let place = state.board.place(contest.id, TieRule::SharedRank, member(ali)).await.expect("place").expect("on the board");
    assert_eq!((place.rank, place.row.score), (1, 40));
    let client = app.client();
    let login = client.post_form("/login", &[("identifier", "ali@example.com"), ("password", "password-123")]).await;
    assert_eq!(login.status(), 303);
    let page = client.server_fn("contest_page", &[("id", &contest.id.to_string())]).await;
    assert_eq!(page.status(), 200);
    let body: serde_json::Value = page.json().await.expect("JSON");
    assert_eq!(body["board_source"], "redis");
    assert_eq!(body["you"]["rank"], 1);
    assert_eq!(body["joined"], true);
}

on_both_backends! {
    async fn a_drawn_contest_is_drawn_among_its_qualifiers_and_its_bundle_verifies(app) {
        let state = &app.state;
        let mut d = draft(Metric::PointsEarned, TieRule::SharedRank);
        d.prize_mode = PrizeMode::Drawn;
        d.prizes = vec![points_prize(700, 2)];
        let s = spec(d);
        let contest = create_at(state, s.clone(), into(&s, 0)).await.expect("created");
        let raffle = contest.raffle.expect("a drawn contest has its draw");
        let mut members = Vec::new();
        for (n, name) in ["q1", "q2", "q3", "low"].into_iter().enumerate() {
            let account = member_with(&app, name, 0).await;
            join_at(state, account, contest.id, &[n as u8 + 1; 32], "j", into(&s, 1)).await.expect("joined");
            earn(state, account, if name == "low" { 1 } else { 10 + n as i64 }, into(&s, 5), "x").await;
            members.push(account);
        }
        // Nobody buys a ticket in a contest's draw.
        assert_eq!(
            app::features::raffles::server::service::buy_at(state, members[0], raffle, 1, &[9; 32], "buy", now()).await.err(),
            Some(ErrorCode::RaffleByContest)
        );
        let after = at(s.ends_at().unix_millis() + 60_000);
        assert_eq!(run_due(state, after).await.expect("ran").finished, 1);
        let drawn = app::features::raffles::server::service::run_due(state, after).await.expect("draws");
        assert_eq!(drawn.drawn, 1);
        let stored = state.db.raffles.raffle(raffle).await.expect("read").expect("raffle");
        assert_eq!((stored.tickets, stored.entrants), (3, 3), "one ticket per qualifier, none for the member below the minimum");
        let winners = state.db.raffles.winners(raffle).await.expect("winners");
        assert_eq!(winners.len(), 2);
        let mut paid = 0;
        for (n, account) in members.iter().enumerate() {
            let won = points(state, *account).await - if n == 3 { 1 } else { 10 + n as i64 };
            assert!(won == 0 || won == 700, "{won}");
            paid += won;
        }
        assert_eq!(paid, 1_400);
        assert_eq!(points(state, members[3]).await, 1, "not a qualifier");
        let bundle = app::features::raffles::server::service::bundle(state, raffle).await.expect("bundle");
        let key = state.fairlog_key.signer().await.expect("key").verifier_key();
        let report = verify_bundle(&bundle, Some(key));
        assert!(report.ok(), "{report:?}");
        assert_eq!(run_due(state, after).await.expect("ran").finished, 0);
        assert_sound(state).await;
    }
}

on_both_backends! {
    async fn the_demo_club_has_running_contests_and_members_holding_coupons(app) {
        let state = &app.state;
        app::platform::server::demo::seed(state).await.expect("demo club").expect("seeded");
        let contests = state.db.contests.contests().await.expect("contests");
        assert_eq!(contests.len(), 2);
        for contest in &contests {
            assert_eq!(contest.stage, Stage::Open);
            assert_eq!(contest.entrants, 4);
            let top = state.board.top(contest.id, contest.spec.tie_rule(), 10).await.expect("board");
            assert_eq!(top.len(), 4, "every demo member has purchases: {top:?}");
            assert_eq!(top[0].rank, 1);
        }
        // Two partner brands with a listing each, and every member holding a coupon, one used.
        let listings = state.db.coupons.listings(None).await.expect("listings");
        assert_eq!(listings.len(), 2);
        let held: u64 = listings.iter().map(|l| l.sold).sum();
        let mut used = 0;
        for partner in state.db.coupons.partners().await.expect("partners") {
            used += state.db.coupons.settlement(partner.id, Timestamp::from_unix_millis(0), now()).await.expect("settlement").iter().map(|l| l.redeemed).sum::<u64>();
        }
        assert_eq!((held, used), (4, 1));
        assert_sound(state).await;
    }
}

on_both_backends! {
    async fn members_join_over_http_and_only_admins_set_contests_up(app) {
        use engine::access::{Role, RoleSet};
        let admin = app.signed_in("admin@example.com", RoleSet::of(&[Role::Admin])).await;
        let today = now().tehran_date();
        let next_week = now().plus_days(7).tehran_date();
        let form = [
            ("title_fa", "قهرمان"), ("title_en", "Champion"), ("metric", "purchase_count"), ("entry_fee", "۲۵"),
            ("min_score", "1"), ("tie_rule", "first_to_reach"), ("prize_mode", "by_rank"), ("board_size", "10"),
            ("starts_date", &today.to_slashed()), ("starts_time", "00:00"),
            ("ends_date", &next_week.to_slashed()), ("ends_time", "20:00"),
            ("prize_kind_0", "points"), ("prize_amount_0", "۵۰۰"), ("prize_count_0", "1"),
        ];
        let created = admin.post_form("/admin/contests", &form).await;
        assert!(crate::support::location(&created).starts_with("/admin/contests?notice=created"), "{}", crate::support::location(&created));
        let contest = app.state.db.contests.contests().await.expect("list")[0].clone();
        assert_eq!(contest.spec.entry_fee().get(), 25, "Persian digits read");
        assert_eq!(contest.spec.tie_rule(), TieRule::FirstToReach);
        assert_eq!(contest.spec.ends_at().tehran_minutes(), 20 * 60, "Tehran time");
        let mut bad = form.to_vec();
        bad.retain(|(k, _)| *k != "metric");
        bad.push(("metric", "likes"));
        let refused = admin.post_form("/admin/contests", &bad).await;
        assert!(crate::support::location(&refused).contains("error=bad_contest"), "{}", crate::support::location(&refused));
        assert!(crate::support::location(&refused).contains("detail="), "the admin is told why");

        let member = app.signed_in("member@example.com", RoleSet::of(&[Role::Member])).await;
        let denied = member.post_form("/admin/contests", &form).await;
        assert!(!crate::support::location(&denied).contains("notice=created"));
        assert_eq!(app.state.db.contests.contests().await.expect("list").len(), 1, "a member cannot set contests up");
        let account = app.state.db.accounts.account_by_login(&app::platform::server::store::Login::parse("member@example.com").expect("login"))
            .await.expect("read").expect("member");
        crate::wheels::member_top_up(&app, account.id, 100).await;
        let path = format!("/contests/{}/join", contest.id);
        let joined = member.post_form(&path, &[("key", "form-1")]).await;
        assert_eq!(crate::support::location(&joined), format!("/contests/{}?notice=joined", contest.id));
        let again = member.post_form(&path, &[("key", "form-1")]).await;
        assert_eq!(crate::support::location(&again), crate::support::location(&joined), "a resent form joins once");
        let twice = member.post_form(&path, &[("key", "form-2")]).await;
        assert!(crate::support::location(&twice).contains("error=contest_joined"));
        assert_eq!(points(&app.state, account.id).await, 75, "the fee, once");
        let long_key = "k".repeat(65);
        let forged = member.post_form(&path, &[("key", long_key.as_str())]).await;
        assert!(crate::support::location(&forged).contains("error=bad_join_key"));
        let missing = member.post_form("/contests/999/join", &[("key", "x")]).await;
        assert!(crate::support::location(&missing).contains("error=not_found"));
        let page = member.text(&format!("/contests/{}", contest.id)).await;
        assert!(page.contains("data-test=\"joined\""), "the member sees they are in");
        let anonymous = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        anonymous.post(app.url(&path)).form(&[("key", "x")]).send().await.expect("sent");
        let stored = app.state.db.contests.contest(contest.id).await.expect("read").expect("contest");
        assert_eq!(stored.entrants, 1, "nobody joins without signing in");
        let public = anonymous.get(app.url(&format!("/contests/{}", contest.id))).send().await.expect("sent");
        assert_eq!(public.status(), 200, "the board is public");
    }
}

/// With Redis configured but not answering, the board is still published to the database and
/// the page is answered from there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_outage_falls_back_to_the_database_board() {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("REDIS_URL", "redis://127.0.0.1:1".to_owned())]).await;
    let state = &app.state;
    let s = spec(draft(Metric::PointsEarned, TieRule::SharedRank));
    let contest = create_at(state, s.clone(), into(&s, 0)).await.expect("created");
    let ali = member_with(&app, "ali", 0).await;
    join_at(state, ali, contest.id, &[1; 32], "j", into(&s, 1)).await.expect("joined");
    earn(state, ali, 40, into(&s, 5), "x").await;
    let started = std::time::Instant::now();
    let stored = state.db.contests.contest(contest.id).await.expect("read").expect("contest");
    assert!(publish(state, &stored, now()).await.is_err(), "the Redis half of the publish is reported");
    let place = state.board.place(contest.id, TieRule::SharedRank, member(ali)).await.expect("answered from the database");
    assert_eq!(place.map(|p| (p.rank, p.row.score)), Some((1, 40)));
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "a dead Redis costs seconds, not minutes: {:?}", started.elapsed());
}
