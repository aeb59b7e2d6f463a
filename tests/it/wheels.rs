//! Spin wheels through the service layer on both backends: a spin charges, draws, pays and logs
//! in one transaction; retries replay; a member without points cannot spin and stock never goes
//! below zero, under real concurrent requests; every spin's bundle verifies once revealed; a
//! beacon wheel uses only a verified drand round.

use std::sync::Arc;

use app::platform::server::store::AccountId;
use app::features::wheels::server::service::{rotate, spin_at, spin_bundle};
use app::platform::server::AppState;
use engine::access::{Role, RoleSet};
use engine::fair::{BundleBeacon, Status, verify_bundle};
use engine::ledger::{ClientId, Earn, ExpiryPolicy, MemberId, Money, Points, Request};
use engine::time::Timestamp;
use engine::wheel::{FreeSpins, Prize, SegmentDraft, WheelDraft, WheelSpec};

use crate::support::{Backend, TestApp, now, on_both_backends};


pub fn segment(id: &str, prize: Prize, weight: u64, stock: Option<u64>) -> SegmentDraft {
    SegmentDraft {
        id: id.into(),
        label_fa: format!("بخش {id}"),
        label_en: format!("Segment {id}"),
        colour: "#336699".into(),
        prize,
        weight,
        stock,
        budget: None,
    }
}

pub fn points(n: i64) -> Points {
    Points::new(n).expect("points")
}

pub fn spec(segments: Vec<SegmentDraft>, cost: i64, free: u32, beacon: bool) -> WheelSpec {
    WheelSpec::parse(WheelDraft {
        name_fa: "گردونه".into(),
        name_en: "Wheel".into(),
        segments,
        cost: points(cost),
        free_spins: FreeSpins { everyone: free, ..FreeSpins::NONE },
        beacon,
    })
    .expect("valid wheel")
}

/// A live wheel.
pub async fn live_wheel(state: &AppState, spec: &WheelSpec) -> i64 {
    let id = state.db.wheels.create_wheel(spec, now()).await.expect("create");
    assert!(state.db.wheels.set_live(id, true, now()).await.expect("open"));
    id
}

/// A member holding `balance` points.
pub async fn member_with(app: &TestApp, name: &str, balance: i64) -> AccountId {
    let account = app.account(&format!("{name}@example.com"), "password-123", RoleSet::of(&[Role::Member])).await;
    if balance > 0 {
        member_top_up(app, account.id, balance).await;
    }
    account.id
}

async fn balance(state: &AppState, account: AccountId) -> i64 {
    state.db.ledger.balances(MemberId::new(account.0).expect("member")).await.expect("balances").points.get()
}

async fn assert_sound(state: &AppState) {
    let audit = state.db.ledger.audit().await.expect("audit");
    assert!(audit.is_sound(), "{:?}", audit.violations);
}

on_both_backends! {
    async fn a_spin_charges_draws_pays_and_logs_and_its_bundle_verifies(app) {
        let state = &app.state;
        let wheel = live_wheel(state, &spec(
            vec![
                segment("p50", Prize::Points { points: points(50) }, 3, None),
                segment("credit", Prize::Credit { credit: Money::from_minor(100_000).expect("money") }, 1, None),
                segment("again", Prize::ExtraSpin, 1, None),
                segment("none", Prize::Nothing, 2, None),
            ],
            100, 0, false,
        )).await;
        let member = member_with(&app, "spinner", 1_000).await;
        let log_before = state.db.fairlog.size().await.expect("size");
        let mut paid_with_points = 0;
        let mut won_points = 0;
        let mut receipts = Vec::new();
        for i in 0..6 {
            let outcome = spin_at(state, member, wheel, &format!("k{i}"), now()).await.expect("spin");
            assert!(!outcome.is_replay());
            let r = outcome.into_result();
            assert_eq!(r.nonce, i, "nonces count up from 0 under one pair");
            if matches!(r.payment, engine::wheel::Payment::Points { .. }) {
                paid_with_points += 1;
            }
            if let Prize::Points { points } = r.prize {
                won_points += points.get();
            }
            receipts.push(r);
        }
        let expected = 1_000 - 100 * paid_with_points + won_points;
        assert_eq!(balance(state, member).await, expected);
        assert_eq!(receipts.last().map(|r| r.balances.points.get()), Some(expected));
        // The spins and the member's seed commitment are in the log (the wheel's configuration
        // was logged when it opened).
        let log_after = state.db.fairlog.size().await.expect("size");
        assert_eq!(log_after - log_before, 6 + 1);

        // A retry gets the first answer and charges nothing; the key for another wheel is a conflict.
        let again = spin_at(state, member, wheel, "k0", now()).await.expect("replay");
        assert!(again.is_replay());
        assert_eq!(again.result(), &receipts[0]);
        assert_eq!(balance(state, member).await, expected);
        assert_eq!(spin_at(state, member, wheel + 1, "k0", now()).await.err(), Some(app::platform::error::ErrorCode::IdempotencyConflict));

        // Before rotation there is no bundle; after it, every spin's bundle verifies.
        assert_eq!(spin_bundle(state, receipts[0].spin).await.err(), Some(app::platform::error::ErrorCode::NotRevealed));
        let (revealed, fresh) = rotate(state, member, "my own seed").await.expect("rotate");
        let revealed = revealed.expect("a pair was in use");
        assert_eq!(revealed.spins, 6);
        assert_eq!(fresh.next_nonce, 0);
        assert_eq!(fresh.client_seed.as_str(), "my own seed");
        assert_ne!(fresh.server_commit, revealed.server_commit);
        let key = state.fairlog_key.signer().await.expect("key").verifier_key();
        for r in &receipts {
            let bundle = spin_bundle(state, r.spin).await.expect("bundle");
            assert_eq!(bundle.beacon, BundleBeacon::NoBeacon);
            let report = verify_bundle(&bundle, Some(key));
            assert!(report.ok(), "spin {} does not verify: {report:?}", r.spin);
            let outcome = report.checks.iter().find(|c| c.name == "outcome").expect("outcome");
            assert!(outcome.detail.starts_with(&format!("segment {} ", r.segment)), "{}", outcome.detail);
            // The same bundle with another server seed fails the commitment check.
            let mut forged = bundle.clone();
            forged.server_seed = "00".repeat(32);
            let report = verify_bundle(&forged, Some(key));
            assert_eq!(report.checks.iter().find(|c| c.name == "commitment").map(|c| c.status), Some(Status::Failed));
        }
        assert_sound(state).await;
    }
}

on_both_backends! {
    async fn without_points_there_is_no_spin_and_nothing_is_written(app) {
        let state = &app.state;
        let wheel = live_wheel(state, &spec(
            vec![segment("a", Prize::Nothing, 1, None), segment("b", Prize::Nothing, 1, None)],
            100, 0, false,
        )).await;
        let member = member_with(&app, "short", 150).await;
        spin_at(state, member, wheel, "first", now()).await.expect("first spin is covered");
        let size = state.db.fairlog.size().await.expect("size");
        let refused = spin_at(state, member, wheel, "second", now()).await;
        assert_eq!(refused.err(), Some(app::platform::error::ErrorCode::InsufficientPoints));
        assert_eq!(balance(state, member).await, 50);
        assert_eq!(state.db.fairlog.size().await.expect("size"), size, "a refused spin logs nothing");
        let spins = state.db.wheels.spins(Some(MemberId::new(member.0).expect("m")), 10).await.expect("spins");
        assert_eq!(spins.len(), 1);
        // The refused request used no nonce: the next covered spin takes nonce 1.
        member_top_up(&app, member, 100).await;
        let next = spin_at(state, member, wheel, "third", now()).await.expect("covered again");
        assert_eq!(next.result().nonce, 1);
        // A closed wheel does not spin.
        assert!(state.db.wheels.set_live(wheel, false, now()).await.expect("close"));
        assert_eq!(spin_at(state, member, wheel, "fourth", now()).await.err(), Some(app::platform::error::ErrorCode::WheelNotLive));
        assert_sound(state).await;
    }
}

/// Gives the member `n` points that never expire.
pub async fn member_top_up(app: &TestApp, member: AccountId, n: i64) {
    let earn = Request::Earn(Earn {
        member: MemberId::new(member.0).expect("member"),
        points: points(n),
        credit: Money::ZERO,
        policy: ExpiryPolicy::Never,
        pending_days: 0,
        purchase: None,
    });
    let id = ClientId::parse(&format!("top-up-{}-{n}", member.0)).expect("id");
    app.state.db.ledger.apply(id, earn, now()).await.expect("db").expect("earned");
}

on_both_backends! {
    async fn concurrent_spins_never_overdraw_and_take_distinct_nonces(app) {
        let state = Arc::new(app.state.clone());
        let wheel = live_wheel(&state, &spec(
            vec![segment("a", Prize::Nothing, 1, None), segment("b", Prize::Nothing, 1, None)],
            100, 0, false,
        )).await;
        let member = member_with(&app, "racer", 1_000).await;
        let tasks: Vec<_> = (0..30)
            .map(|i| {
                let state = state.clone();
                tokio::spawn(async move { spin_at(&state, member, wheel, &format!("race-{i}"), now()).await })
            })
            .collect();
        let mut ok = Vec::new();
        let mut refused = 0;
        for task in tasks {
            match task.await.expect("task") {
                Ok(outcome) => ok.push(outcome.into_result().nonce),
                Err(app::platform::error::ErrorCode::InsufficientPoints) => refused += 1,
                Err(other) => panic!("unexpected refusal {other:?}"),
            }
        }
        assert_eq!((ok.len(), refused), (10, 20), "exactly as many spins as the points pay for");
        ok.sort_unstable();
        assert_eq!(ok, (0..10).collect::<Vec<u64>>(), "each spin took its own nonce");
        assert_eq!(balance(&state, member).await, 0);
        assert_sound(&state).await;
    }
}

on_both_backends! {
    async fn stock_never_goes_below_zero_under_concurrent_spins(app) {
        let state = Arc::new(app.state.clone());
        let wheel = live_wheel(&state, &spec(
            vec![
                segment("prize", Prize::Points { points: points(10) }, 1_000, Some(3)),
                segment("none", Prize::Nothing, 1, None),
            ],
            10, 0, false,
        )).await;
        let members: Vec<AccountId> = {
            let mut list = Vec::new();
            for i in 0..4 {
                list.push(member_with(&app, &format!("stock{i}"), 1_000).await);
            }
            list
        };
        let tasks: Vec<_> = (0..24)
            .map(|i| {
                let state = state.clone();
                let member = members[i % members.len()];
                tokio::spawn(async move { spin_at(&state, member, wheel, &format!("stock-{i}"), now()).await })
            })
            .collect();
        let mut won = 0;
        for task in tasks {
            if task.await.expect("task").expect("spin").result().segment == 0 {
                won += 1;
            }
        }
        let left = state.db.wheels.wheel(wheel).await.expect("db").expect("wheel").left[0].stock;
        assert!(won <= 3, "{won} prizes paid from a stock of 3");
        assert_eq!(left, Some(3 - won));
        assert_sound(&state).await;
    }
}

/// A local drand relay serving recorded quicknet rounds: round 123, or a forged copy of it.
pub async fn recorded_relay(forged: bool) -> String {
    use axum::extract::Path;
    use axum::routing::get;
    const SIG_123: &str = "b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92";
    let signature = if forged { format!("{}{}", &SIG_123[..40], "00").to_owned() + &SIG_123[42..] } else { SIG_123.to_owned() };
    let route = format!("/{}/public/{{round}}", engine::fair::beacon::QUICKNET_CHAIN_HASH);
    let router = axum::Router::new().route(
        &route,
        get(move |Path(round): Path<u64>| {
            let signature = signature.clone();
            async move {
                if round == 123 {
                    Ok(axum::Json(serde_json::json!({ "round": 123, "signature": signature, "randomness": "00" })))
                } else {
                    Err(axum::http::StatusCode::NOT_FOUND)
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

/// 3 s before time(123) = 1692803733: with Δ = 3 s the spin is pinned to round 123.
const BEFORE_ROUND_123: i64 = 1_692_803_730_000;

async fn beacon_app(forged: bool) -> TestApp {
    let relay = recorded_relay(forged).await;
    TestApp::spawn_with(Backend::Sqlite, &[
        ("BASHGAH_BEACON", "drand".to_owned()),
        ("BASHGAH_BEACON_RELAYS", relay),
        ("BASHGAH_BEACON_PATIENCE_SECS", "1".to_owned()),
    ])
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_beacon_spin_uses_the_verified_drand_round() {
    let app = beacon_app(false).await;
    let state = &app.state;
    let wheel = live_wheel(state, &spec(vec![segment("a", Prize::Nothing, 1, None), segment("b", Prize::ExtraSpin, 1, None)], 100, 1, true)).await;
    let member = member_with(&app, "beacon", 0).await;
    let receipt = spin_at(state, member, wheel, "b1", Timestamp::from_unix_millis(BEFORE_ROUND_123)).await.expect("spin").into_result();
    assert_eq!(receipt.round, 123);
    assert!(matches!(receipt.payment, engine::wheel::Payment::Free));
    rotate(state, member, "").await.expect("rotate");
    let bundle = spin_bundle(state, receipt.spin).await.expect("bundle");
    assert!(matches!(bundle.beacon, BundleBeacon::Drand { round: 123, .. }));
    let key = state.fairlog_key.signer().await.expect("key").verifier_key();
    let report = verify_bundle(&bundle, Some(key));
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.checks.iter().find(|c| c.name == "beacon").map(|c| c.status), Some(Status::Passed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_beacon_round_is_refused_and_nothing_is_charged() {
    let app = beacon_app(true).await;
    let state = &app.state;
    let wheel = live_wheel(state, &spec(vec![segment("a", Prize::Nothing, 1, None), segment("b", Prize::Nothing, 1, None)], 100, 1, true)).await;
    let member = member_with(&app, "forged", 0).await;
    let size = state.db.fairlog.size().await.expect("size");
    let refused = spin_at(state, member, wheel, "f1", Timestamp::from_unix_millis(BEFORE_ROUND_123)).await;
    assert_eq!(refused.err(), Some(app::platform::error::ErrorCode::BeaconUnavailable));
    assert_eq!(state.db.fairlog.size().await.expect("size"), size);
    // A wheel with a beacon cannot spin where the deployment has none.
    let offline = TestApp::spawn(Backend::Sqlite).await;
    let wheel = live_wheel(&offline.state, &spec(vec![segment("a", Prize::Nothing, 1, None), segment("b", Prize::Nothing, 1, None)], 100, 1, true)).await;
    let member = member_with(&offline, "offline", 0).await;
    assert_eq!(spin_at(&offline.state, member, wheel, "o1", now()).await.err(), Some(app::platform::error::ErrorCode::BeaconOff));
}

on_both_backends! {
    async fn re_saving_a_live_wheel_keeps_what_is_left(app) {
        let state = &app.state;
        let configured = spec(
            vec![
                segment("prize", Prize::Points { points: points(10) }, 1_000_000, Some(5)),
                segment("none", Prize::Nothing, 1, None),
            ],
            10, 0, false,
        );
        let wheel = live_wheel(state, &configured).await;
        let member = member_with(&app, "resave", 1_000).await;
        let mut won = 0;
        for i in 0..2 {
            if spin_at(state, member, wheel, &format!("resave-{i}"), now()).await.expect("spin").result().segment == 0 {
                won += 1;
            }
        }
        assert!(won >= 1, "a weight of a million to one wins");
        let left_of = |w: &app::platform::server::store::StoredWheel| w.left[0].stock;
        let before = left_of(&state.db.wheels.wheel(wheel).await.expect("db").expect("wheel"));
        assert_eq!(before, Some(5 - won));
        // The admin saves the editor again, unchanged: the configured total, not what was left.
        assert!(state.db.wheels.update_wheel(wheel, &configured, now()).await.expect("update"));
        assert_eq!(left_of(&state.db.wheels.wheel(wheel).await.expect("db").expect("wheel")), before, "nothing refilled");
        // Raising the total by two adds two to what is left.
        let raised = spec(
            vec![
                segment("prize", Prize::Points { points: points(10) }, 1_000_000, Some(7)),
                segment("none", Prize::Nothing, 1, None),
            ],
            10, 0, false,
        );
        assert!(state.db.wheels.update_wheel(wheel, &raised, now()).await.expect("update"));
        assert_eq!(left_of(&state.db.wheels.wheel(wheel).await.expect("db").expect("wheel")), Some(7 - won));
    }
}
