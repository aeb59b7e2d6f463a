//! Raffles on both backends, through the service layer and over HTTP: tickets never past the
//! per-member limit under 50 concurrent buys; a retry is the first answer; a draw runs end to
//! end (with a recorded drand round too) and its bundle verifies in Rust and in Python and fails
//! when one entry is altered; a crash between close and payout pays every prize exactly once.

use std::collections::BTreeSet;

use app::features::raffles::server::service::{bundle, buy_at, open, open_at, run_due};
use app::platform::error::ErrorCode;
use app::platform::server::AppState;
use app::platform::server::store::AccountId;
use engine::access::{Role, RoleSet};
use engine::fair::{BundleBeacon, Status, verify_bundle};
use engine::ledger::{MemberId, Points};
use engine::raffle::{RaffleDraft, RafflePrize, RafflePrizeKind, RaffleSpec};
use engine::time::Timestamp;
use futures::future::join_all;

use crate::support::{Backend, TestApp, now, on_both_backends};
use crate::wheels::{member_with, recorded_relay};

fn at(secs: i64) -> Timestamp {
    Timestamp::from_unix_millis(secs * 1000)
}

fn prize(kind: RafflePrizeKind, count: u32) -> RafflePrize {
    RafflePrize { kind, count, label_fa: String::new(), label_en: String::new() }
}

/// A raffle selling from `opens` to `closes` (Unix seconds): 300 points to the first winner,
/// 100 to each of the next two, ten points a ticket, at most `limit` each.
fn spec(opens: i64, closes: i64, limit: u32, beacon: bool) -> RaffleSpec {
    RaffleSpec::parse(RaffleDraft {
        title_fa: "قرعه‌کشی آزمون".into(),
        title_en: "Test raffle".into(),
        description_fa: String::new(),
        description_en: String::new(),
        prizes: vec![
            prize(RafflePrizeKind::Points { points: Points::new(300).expect("points") }, 1),
            prize(RafflePrizeKind::Points { points: Points::new(100).expect("points") }, 2),
        ],
        ticket_price: Points::new(10).expect("points"),
        per_member_limit: limit,
        opens_at: at(opens),
        closes_at: at(closes),
        beacon,
        tiers: BTreeSet::new(),
        ticket_per_purchase: None,
        by_contest: false,
    })
    .expect("valid raffle")
}

async fn points(state: &AppState, account: AccountId) -> i64 {
    state.db.ledger.balances(MemberId::new(account.0).expect("member")).await.expect("balances").points.get()
}

async fn assert_sound(state: &AppState) {
    let audit = state.db.ledger.audit().await.expect("audit");
    assert!(audit.is_sound(), "{:?}", audit.violations);
}

fn seed(n: u8) -> [u8; 32] {
    [n; 32]
}

/// A raffle open now until an hour from now.
fn open_now(limit: u32) -> RaffleSpec {
    let secs = now().unix_millis() / 1000;
    spec(secs - 60, secs + 3600, limit, false)
}

on_both_backends! {
    async fn fifty_concurrent_buys_never_pass_the_per_member_limit(app) {
        let state = &app.state;
        let raffle = open(state, open_now(5)).await.expect("opened");
        let member = member_with(&app, "many", 1_000).await;
        let buys = (0..50).map(|n| {
            let key = format!("k{n}");
            async move { buy_at(state, member, raffle.id, 1, &seed(1), &key, now()).await }
        });
        let answers = join_all(buys).await;
        let bought = answers.iter().filter(|a| a.is_ok()).count();
        let refused = answers.iter().filter(|a| matches!(a, Err(ErrorCode::RaffleLimit))).count();
        assert_eq!((bought, refused), (5, 45), "{answers:?}");
        assert_eq!(points(state, member).await, 1_000 - 50, "five tickets charged, no more");
        let mut leaves: Vec<u64> = answers.iter().flatten().flat_map(|a| a.result().leaves()).collect();
        leaves.sort_unstable();
        assert_eq!(leaves, [0, 1, 2, 3, 4], "dense leaf indices");
        let stored = state.db.raffles.raffle(raffle.id).await.expect("read").expect("raffle");
        assert_eq!((stored.tickets, stored.entrants), (5, 1));
        assert_sound(state).await;
    }
}

on_both_backends! {
    async fn a_retried_buy_is_the_first_answer_and_a_changed_one_a_conflict(app) {
        let state = &app.state;
        let raffle = open(state, open_now(10)).await.expect("opened");
        let member = member_with(&app, "retry", 100).await;
        let first = buy_at(state, member, raffle.id, 3, &seed(2), "buy-1", now()).await.expect("bought");
        assert!(!first.is_replay());
        let again = buy_at(state, member, raffle.id, 3, &seed(2), "buy-1", now()).await.expect("replayed");
        assert!(again.is_replay());
        assert_eq!(again.result(), first.result(), "the very same receipt");
        assert_eq!(buy_at(state, member, raffle.id, 4, &seed(2), "buy-1", now()).await.err(), Some(ErrorCode::IdempotencyConflict));
        assert_eq!(points(state, member).await, 70, "charged once");
        // Retries answer concurrently too: twenty copies of one new request buy once.
        let three = seed(3);
        let copies = join_all((0..20).map(|_| buy_at(state, member, raffle.id, 2, &three, "buy-2", now()))).await;
        assert_eq!(copies.iter().filter(|c| matches!(c, Ok(o) if !o.is_replay())).count(), 1, "{copies:?}");
        assert!(copies.iter().all(|c| c.as_ref().map(|o| o.result()) == copies[0].as_ref().map(|o| o.result())));
        assert_eq!(points(state, member).await, 50);
        // Refusals charge nothing.
        let poor = member_with(&app, "poor", 5).await;
        assert_eq!(buy_at(state, poor, raffle.id, 1, &seed(4), "p1", now()).await.err(), Some(ErrorCode::InsufficientPoints));
        assert_eq!(buy_at(state, member, raffle.id, 0, &seed(4), "z", now()).await.err(), Some(ErrorCode::BadTicketCount));
        assert_eq!(buy_at(state, member, raffle.id, 1, &seed(4), "late", at(4_000_000_000)).await.err(), Some(ErrorCode::RaffleClosed));
        assert_eq!(buy_at(state, member, raffle.id + 99, 1, &seed(4), "none", now()).await.err(), Some(ErrorCode::NotFound));
        assert_eq!(buy_at(state, member, raffle.id, 1, &seed(4), "purchase:1", now()).await.err(), Some(ErrorCode::BadBuyKey), "the scheduler's keys");
        // One key names one buy per raffle: the same key in another raffle is another buy.
        let other = open(state, open_now(10)).await.expect("opened");
        assert!(!buy_at(state, member, other.id, 3, &seed(2), "buy-1", now()).await.expect("bought").is_replay());
        let secs = now().unix_millis() / 1000;
        assert_eq!(open(state, spec(secs - 600, secs - 1, 5, false)).await.err(), Some(ErrorCode::RaffleClosed), "sales already over");
        assert_eq!(points(state, poor).await, 5);
        assert_sound(state).await;
    }
}

/// Runs a raffle with four members to its result; the members in buying order.
async fn drawn_raffle(app: &TestApp) -> (i64, Vec<AccountId>) {
    let state = &app.state;
    let secs = now().unix_millis() / 1000;
    let raffle = open_at(state, spec(secs - 600, secs - 60, 10, false), at(secs - 600)).await.expect("opened");
    let mut members = Vec::new();
    for (n, name) in ["ali", "sara", "reza", "mina"].into_iter().enumerate() {
        let member = member_with(app, name, 100).await;
        let count = n as u32 + 1;
        buy_at(state, member, raffle.id, count, &seed(n as u8), "k", at(secs - 300)).await.expect("bought");
        members.push(member);
    }
    let run = run_due(state, now()).await.expect("scheduler");
    assert_eq!((run.closed, run.drawn, run.waiting), (1, 1, 0));
    (raffle.id, members)
}

on_both_backends! {
    async fn a_drawn_raffle_pays_its_winners_once_and_its_bundle_verifies(app) {
        let state = &app.state;
        let (raffle, members) = drawn_raffle(&app).await;
        let winners = state.db.raffles.winners(raffle).await.expect("winners");
        assert_eq!(winners.len(), 3, "three prizes, four entrants");
        let distinct: BTreeSet<_> = winners.iter().map(|w| w.member).collect();
        assert_eq!(distinct.len(), 3, "one prize per member");
        let mut paid = 0;
        for (n, member) in members.iter().enumerate() {
            let spent = 10 * (n as i64 + 1);
            let won: i64 = winners.iter().filter(|w| w.member.get() == member.0).map(|w| match w.prize.kind {
                RafflePrizeKind::Points { points } => points.get(),
                _ => 0,
            }).sum();
            assert_eq!(points(state, *member).await, 100 - spent + won, "member {n}");
            paid += won;
        }
        assert_eq!(paid, 500);
        assert_eq!(run_due(state, now()).await.expect("again"), Default::default(), "nothing is due twice");

        let bundle = bundle(state, raffle).await.expect("bundle");
        assert_eq!(bundle.entries.len(), 10);
        assert!(matches!(bundle.beacon, BundleBeacon::NoBeacon));
        let key = state.fairlog_key.signer().await.expect("key").verifier_key();
        let report = verify_bundle(&bundle, Some(key));
        assert!(report.ok(), "{report:?}");
        let mut altered = bundle.clone();
        altered.entries[3].weight = 2;
        let report = verify_bundle(&altered, Some(key));
        assert!(!report.ok());
        assert_eq!(report.checks.iter().find(|c| c.name == "entries").map(|c| c.status), Some(Status::Failed));
        python_agrees(&bundle, &altered, &key.encode());
        assert_sound(state).await;
    }
}

/// The Python verifier reports the same checks and statuses as the engine for both bundles.
fn python_agrees(good: &engine::fair::Bundle, bad: &engine::fair::Bundle, key: &str) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let published = std::fs::read_to_string(root.join("engine/tests/vectors/fairness.json")).expect("vectors");
    let mut vectors: serde_json::Value = serde_json::from_str(&published).expect("json");
    let pinned = engine::fair::signed_note::VerifierKey::parse(key).expect("key");
    for (name, bundle) in [("a drawn raffle", good), ("a drawn raffle, one entry altered", bad)] {
        let report = verify_bundle(bundle, Some(&pinned));
        let expect = serde_json::to_value(&report).expect("report")["checks"].clone();
        vectors["vectors"].as_array_mut().expect("list").push(serde_json::json!({
            "kind": "fair_bundle", "name": name, "pinned_key": key,
            "bundle": serde_json::to_value(bundle).expect("bundle"), "expect": expect, "ok": report.ok(),
        }));
    }
    let file = std::env::temp_dir().join(format!("bashgah-raffle-vectors-{}.json", std::process::id() as u64 * 1000 + u64::from(rand_suffix())));
    std::fs::write(&file, vectors.to_string()).expect("written");
    let output = std::process::Command::new("python3").arg(root.join("tests/fairness/verify.py")).arg(&file).output().expect("python3 runs");
    let _ = std::fs::remove_file(&file);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && stdout.contains(" passed, 0 failed"), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
}

fn rand_suffix() -> u16 {
    (now().unix_millis() % 1000) as u16
}

on_both_backends! {
    async fn a_crash_between_close_and_payout_pays_every_prize_once(app) {
        let state = &app.state;
        let secs = now().unix_millis() / 1000;
        let raffle = open_at(state, spec(secs - 600, secs - 60, 10, false), at(secs - 600)).await.expect("opened");
        let member = member_with(&app, "solo", 100).await;
        buy_at(state, member, raffle.id, 2, &seed(9), "k", at(secs - 300)).await.expect("bought");
        // The close commits; the process dies before the draw.
        assert!(state.db.raffles.close(raffle.id, now()).await.expect("closed"));
        assert!(!state.db.raffles.close(raffle.id, now()).await.expect("idempotent"), "a second close does nothing");
        // A new process on the same database: nothing of the first one's memory survives.
        let config = (*state.config).clone();
        let db = app::platform::server::open_database(&config).await.expect("reopened");
        let restarted = app::platform::server::app_state(config, db).expect("state");
        let run = run_due(&restarted, now()).await.expect("scheduler");
        assert_eq!((run.closed, run.drawn), (0, 1), "the restarted scheduler draws what was closed");
        assert_eq!(run_due(&restarted, now()).await.expect("again").drawn, 0);
        assert_eq!(run_due(state, now()).await.expect("the old one too").drawn, 0);
        let winners = restarted.db.raffles.winners(raffle.id).await.expect("winners");
        assert_eq!(winners.len(), 1, "one member, one prize");
        assert_eq!(points(&restarted, member).await, 100 - 20 + 300, "the first prize, paid once");
        assert_sound(&restarted).await;
    }
}

/// Sales close 60 s before time(123) = 1692803733, so the draw is pinned to round 123.
const CLOSE_BEFORE_ROUND_123: i64 = 1_692_803_673;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_beacon_raffle_waits_for_its_pinned_round_and_draws_with_it() {
    let relay = recorded_relay(false).await;
    let app = TestApp::spawn_with(Backend::Sqlite, &[
        ("BASHGAH_BEACON", "drand".to_owned()),
        ("BASHGAH_BEACON_RELAYS", relay),
        ("BASHGAH_BEACON_PATIENCE_SECS", "1".to_owned()),
    ])
    .await;
    let state = &app.state;
    let raffle = open_at(state, spec(CLOSE_BEFORE_ROUND_123 - 600, CLOSE_BEFORE_ROUND_123, 5, true), at(CLOSE_BEFORE_ROUND_123 - 600))
        .await
        .expect("opened");
    assert_eq!(raffle.round, 123, "pinned Δ = 60 s after the close");
    for (n, name) in ["b1", "b2"].into_iter().enumerate() {
        let member = member_with(&app, name, 100).await;
        buy_at(state, member, raffle.id, 2, &seed(n as u8), "k", at(CLOSE_BEFORE_ROUND_123 - 100)).await.expect("bought");
    }
    // Closed at once; round 123 is not published until 60 s later, so the draw waits.
    let run = run_due(state, at(CLOSE_BEFORE_ROUND_123 + 1)).await.expect("scheduler");
    assert_eq!((run.closed, run.drawn, run.waiting), (1, 0, 1));
    let run = run_due(state, at(CLOSE_BEFORE_ROUND_123 + 61)).await.expect("scheduler");
    assert_eq!((run.closed, run.drawn, run.waiting), (0, 1, 0));
    let bundle = bundle(state, raffle.id).await.expect("bundle");
    assert!(matches!(bundle.beacon, BundleBeacon::Drand { round: 123, .. }));
    let report = verify_bundle(&bundle, Some(state.fairlog_key.signer().await.expect("key").verifier_key()));
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.checks.iter().find(|c| c.name == "beacon").map(|c| c.status), Some(Status::Passed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_beacon_round_is_asked_for_again_never_replaced() {
    // A relay that has nothing: the round never arrives while it is down.
    let app = TestApp::spawn_with(Backend::Sqlite, &[
        ("BASHGAH_BEACON", "drand".to_owned()),
        ("BASHGAH_BEACON_RELAYS", "http://127.0.0.1:9".to_owned()),
        ("BASHGAH_BEACON_PATIENCE_SECS", "1".to_owned()),
    ])
    .await;
    let state = &app.state;
    let raffle = open_at(state, spec(CLOSE_BEFORE_ROUND_123 - 600, CLOSE_BEFORE_ROUND_123, 5, true), at(CLOSE_BEFORE_ROUND_123 - 600))
        .await
        .expect("opened");
    for _ in 0..2 {
        let run = run_due(state, at(CLOSE_BEFORE_ROUND_123 + 120)).await.expect("scheduler");
        assert_eq!((run.drawn, run.waiting), (0, 1));
    }
    let stored = state.db.raffles.raffle(raffle.id).await.expect("read").expect("raffle");
    assert_eq!(stored.round, 123, "still pinned to its round");
    assert_eq!(bundle(state, raffle.id).await.err(), Some(ErrorCode::DrawNotFinished));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_beacon_raffle_cannot_open_where_the_deployment_has_no_beacon() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    assert_eq!(open(&app.state, open_now_with_beacon()).await.err(), Some(ErrorCode::BeaconOff));
}

fn open_now_with_beacon() -> RaffleSpec {
    let secs = now().unix_millis() / 1000;
    spec(secs - 60, secs + 3600, 5, true)
}

on_both_backends! {
    async fn members_buy_over_http_and_only_admins_open_raffles(app) {
        let admin = app.signed_in("admin@example.com", RoleSet::of(&[Role::Admin, Role::Member])).await;
        let today = now().tehran_date();
        let tomorrow = now().plus_days(1).tehran_date();
        let form = [
            ("title_fa", "جشنواره"), ("title_en", "Festival"), ("ticket_price", "۱۰"), ("per_member_limit", "3"),
            ("opens_date", &today.to_slashed()), ("opens_time", "00:00"),
            ("closes_date", &tomorrow.to_slashed()), ("closes_time", "23:59"),
            ("prize_kind_0", "item"), ("prize_label_fa_0", "دوچرخه"), ("prize_label_en_0", "Bicycle"), ("prize_count_0", "1"),
        ];
        let opened = admin.post_form("/admin/raffles", &form).await;
        assert!(crate::support::location(&opened).starts_with("/admin/raffles?notice=opened"), "{}", crate::support::location(&opened));
        let raffle = app.state.db.raffles.raffles().await.expect("list")[0].clone();
        assert_eq!(raffle.spec.ticket_price().get(), 10);
        assert_eq!(raffle.spec.closes_at().tehran_date(), tomorrow);
        assert_eq!(raffle.spec.closes_at().tehran_minutes(), 23 * 60 + 59, "Tehran time");
        let broken = admin.post_form("/admin/raffles", &[("title_fa", "x")]).await;
        assert!(crate::support::location(&broken).contains("error=bad_raffle"));

        let member = app.signed_in("member@example.com", RoleSet::of(&[Role::Member])).await;
        let denied = member.post_form("/admin/raffles", &form).await;
        assert!(!crate::support::location(&denied).contains("notice=opened"));
        assert_eq!(app.state.db.raffles.raffles().await.expect("list").len(), 1, "a member cannot open raffles");
        let account = app.state.db.accounts.account_by_login(&app::platform::server::store::Login::parse("member@example.com").expect("login"))
            .await.expect("read").expect("member");
        crate::wheels::member_top_up(&app, account.id, 100).await;
        let path = format!("/raffles/{}/tickets", raffle.id);
        let bought = member.post_form(&path, &[("key", "form-1"), ("count", "2"), ("client_seed", "my lucky phrase")]).await;
        assert_eq!(crate::support::location(&bought), format!("/raffles/{}?notice=bought&tickets=2", raffle.id));
        let again = member.post_form(&path, &[("key", "form-1"), ("count", "2"), ("client_seed", "my lucky phrase")]).await;
        assert_eq!(crate::support::location(&again), crate::support::location(&bought), "a resent form buys once");
        assert_eq!(points(&app.state, account.id).await, 80);
        let over = member.post_form(&path, &[("key", "form-2"), ("count", "2")]).await;
        assert!(crate::support::location(&over).contains("error=raffle_limit"));
        // Without JavaScript nor a phrase the seed comes from the form's key: a resent form buys once.
        let plain = member.post_form(&path, &[("key", "form-3"), ("count", "1")]).await;
        assert_eq!(crate::support::location(&plain), format!("/raffles/{}?notice=bought&tickets=1", raffle.id));
        let resent = member.post_form(&path, &[("key", "form-3"), ("count", "1")]).await;
        assert_eq!(crate::support::location(&resent), crate::support::location(&plain));
        assert_eq!(points(&app.state, account.id).await, 70);
        let page = member.text(&format!("/raffles/{}", raffle.id)).await;
        assert!(page.contains("data-test=\"ticket\""), "the member sees their tickets");
        let anonymous = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        anonymous.post(app.url(&path)).form(&[("key", "x"), ("count", "1")]).send().await.expect("sent");
        let stored = app.state.db.raffles.raffle(raffle.id).await.expect("read").expect("raffle");
        assert_eq!(stored.tickets, 3, "nobody buys without signing in");
        let not_yet = anonymous.get(app.url(&format!("/api/log/bundles/draw/{}", raffle.id))).send().await.expect("sent");
        assert_eq!(not_yet.status(), 409, "the bundle exists once drawn");
    }
}

/// Records a purchase of `rials` for `member` at `branch`, as a till would.
async fn purchase(state: &AppState, branch: engine::earn::BranchId, member: AccountId, id: &str, rials: i64) {
    use app::features::pos::server::{MemberKey, PurchaseInput, Till, record_purchase};
    let card = state.db.accounts.account(member).await.expect("read").expect("member").card;
    let input = PurchaseInput {
        external_id: app::platform::server::store::ExternalId::parse(id).expect("id"),
        member: MemberKey::Card(card),
        amount: engine::ledger::Money::from_minor(rials * 100).expect("money"),
        occurred_at: None,
    };
    record_purchase(state, Till { branch, cashier: None }, &input).await.expect("recorded");
}

on_both_backends! {
    async fn purchases_over_the_amount_earn_one_free_ticket_each_once(app) {
        let state = &app.state;
        let secs = now().unix_millis() / 1000;
        let mut rules = open_now(2);
        let mut draft: RaffleDraft = rules.clone().into();
        draft.ticket_per_purchase = Some(engine::ledger::Money::from_minor(100_000_000).expect("money"));
        draft.opens_at = at(secs - 5);
        rules = RaffleSpec::parse(draft).expect("valid");
        let raffle = open(state, rules).await.expect("opened");
        let (branch, _) = app::features::pos::server::keys::create_branch(state, "شعبه آزمون").await.expect("branch");
        let member = member_with(&app, "shopper", 0).await;
        purchase(state, branch.id, member, "big-1", 1_500_000).await;
        purchase(state, branch.id, member, "small-1", 200_000).await;
        purchase(state, branch.id, member, "big-2", 1_000_000).await;
        purchase(state, branch.id, member, "big-3", 3_000_000).await;
        let run = run_due(state, now()).await.expect("scheduler");
        assert_eq!(run.granted, 2, "two big purchases, limit 2: the third earns nothing");
        assert_eq!(run_due(state, now()).await.expect("again").granted, 0, "each purchase once");
        let member_id = MemberId::new(member.0).expect("member");
        assert_eq!(state.db.raffles.tickets(raffle.id, member_id).await.expect("tickets").len(), 2);
        assert_eq!(points(state, member).await, 0, "given tickets cost nothing");
        // A purchase before the raffle opened earns nothing either.
        let stored = state.db.raffles.raffle(raffle.id).await.expect("read").expect("raffle");
        assert_eq!(stored.tickets, 2);
        assert_sound(state).await;
    }
}
