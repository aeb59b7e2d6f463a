//! The ledger's storage: every write is planned under row locks and applied exactly once per
//! client id, on both backends. The in-memory `Book` runs the same planner and is the model the
//! store must match; every test ends with the database auditing itself.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use app::platform::server::store::{LedgerStore, Login, NewAccount, StoreError, StoredProfile};
use engine::access::{Role, RoleSet};
use engine::card::CardNumber;
use engine::ledger::{
    Account, Adjustment, Amount, Book, ClientId, Earn, ExpiryPolicy, LedgerError, MemberId, Money, Outcome, Points,
    PostingKind, PurchaseId, PurchaseRef, Receipt, Request, Transfer,
};
use engine::time::Timestamp;

use crate::support::{TestApp, on_both_backends};

const NOW: Timestamp = Timestamp::from_unix_millis(1_750_000_000_000);
const NEVER: ExpiryPolicy = ExpiryPolicy::Never;

type Applied = Result<Outcome<Receipt>, LedgerError>;

/// Ledger members are accounts first.
async fn members(app: &TestApp, count: u64) -> Vec<MemberId> {
    let mut ids = Vec::new();
    for n in 0..count {
        let account = app
            .state
            .db
            .accounts
            .create_account(NewAccount {
                login: Login::parse(&format!("member{n}@example.com")).expect("valid login"),
                password_hash: "hash".into(),
                roles: RoleSet::of(&[Role::Member]),
                profile: StoredProfile::default(),
                card: CardNumber::issue(n + 1),
                now: NOW,
                owed_sign_up_award: false,
            })
            .await
            .expect("account created");
        ids.push(MemberId::new(account.id.0).expect("positive id"));
    }
    ids
}

fn client(id: &str) -> ClientId {
    ClientId::parse(id).expect("valid client id")
}

fn points(n: i64) -> Points {
    Points::new(n).expect("valid points")
}

fn rials(text: &str) -> Money {
    text.parse().expect("valid money")
}

fn after_days(days: u32) -> ExpiryPolicy {
    ExpiryPolicy::AfterDays(NonZeroU32::new(days).expect("non-zero"))
}

fn earn(member: MemberId, pts: i64, credit: &str, policy: ExpiryPolicy, pending_days: u32) -> Earn {
    Earn { member, points: points(pts), credit: rials(credit), policy, pending_days, purchase: None }
}

fn purchase_id(id: i64) -> PurchaseId {
    PurchaseId::new(id).expect("positive id")
}

/// An earn at the till, for purchase `id` of `total` rials.
fn bought(id: i64, total: &str, earn: Earn) -> Request {
    Request::Earn(Earn { purchase: Some(PurchaseRef { id: purchase_id(id), total: rials(total) }), ..earn })
}

fn returned(member: MemberId, purchase: i64, amount: &str) -> Request {
    Request::Return { member, purchase: purchase_id(purchase), returned: rials(amount) }
}

fn involves(transfer: &Transfer, member: MemberId) -> bool {
    [transfer.posting.from, transfer.posting.to]
        .iter()
        .any(|account| matches!(account, Account::Member { member: m, .. } if *m == member))
}

async fn apply(ledger: &dyn LedgerStore, id: &str, request: Request, at: Timestamp) -> Applied {
    ledger.apply(client(id), request, at).await.expect("the database answers")
}

async fn assert_sound(app: &TestApp) {
    let audit = app.state.db.ledger.audit().await.expect("audit runs");
    assert!(audit.is_sound(), "{:#?}", audit.violations);
}

/// Runs `count` writes at once on the multi-thread runtime and returns their answers in order.
async fn concurrently(
    ledger: &Arc<dyn LedgerStore>,
    count: usize,
    write: impl Fn(usize) -> (String, Request),
) -> Vec<Applied> {
    let tasks: Vec<_> = (0..count)
        .map(|n| {
            let (ledger, (id, request)) = (Arc::clone(ledger), write(n));
            tokio::spawn(async move { ledger.apply(client(&id), request, NOW).await })
        })
        .collect();
    let joined = tokio::time::timeout(Duration::from_secs(60), futures::future::join_all(tasks)).await;
    joined.expect("no write hangs").into_iter().map(|t| t.expect("task runs").expect("the database answers")).collect()
}

on_both_backends! {
    async fn every_kind_of_write_matches_the_reference_book(app) {
        let ledger = app.state.db.ledger.as_ref();
        let [a, b] = members(&app, 2).await[..] else { panic!("two members") };
        let steps = [
            ("earn-1", bought(1, "1000", earn(a, 100, "50", after_days(30), 0))),
            ("earn-2", bought(2, "400", earn(b, 40, "0", ExpiryPolicy::EndOfMonth, 3))),
            ("spend-1", Request::Spend { member: a, amount: Amount::Points(points(30)) }),
            ("spend-2", Request::Spend { member: a, amount: Amount::Credit(rials("20.50")) }),
            ("spend-3", Request::Spend { member: a, amount: Amount::Points(points(1000)) }),
            ("gift-1", Request::MemberTransfer { from: a, to: b, amount: Amount::Points(points(20)) }),
            ("gift-2", Request::MemberTransfer { from: a, to: b, amount: Amount::Credit(rials("9.50")) }),
            ("gift-3", Request::MemberTransfer { from: b, to: a, amount: Amount::Credit(rials("100")) }),
            ("return-1", returned(a, 1, "500")),
            ("return-2", returned(b, 1, "1")),
            ("adjust-1", Request::Adjust { member: a, change: Adjustment::GrantCredit { credit: rials("10") } }),
            ("adjust-2", Request::Adjust {
                member: b,
                change: Adjustment::GrantPoints { points: points(7), policy: NEVER },
            }),
            ("adjust-3", Request::Adjust { member: b, change: Adjustment::DeductPoints { points: points(5) } }),
            ("return-3", returned(b, 2, "400")),
            ("earn-3", bought(1, "1000", earn(a, 1, "0", NEVER, 0))),
            ("sweep-1", Request::Sweep { member: a }),
        ];
        let mut book = Book::new();
        let mut refused = Vec::new();
        for (day, (id, request)) in (0..).zip(steps) {
            let at = NOW.plus_days(day * 3);
            let expected = book.apply(client(id), request.clone(), at);
            assert_eq!(apply(ledger, id, request, at).await, expected, "step {id}");
            if expected.is_err() {
                refused.push(id);
            }
        }
        assert_eq!(refused, ["spend-3", "gift-3", "return-2", "earn-3"], "the store refuses what the book refuses");
        assert_eq!(book.check_invariants(), Ok(()));
        for member in [a, b] {
            assert_eq!(ledger.balances(member).await.expect("balances"), book.balances(member), "member {member}");
            assert_eq!(ledger.lots(member).await.expect("lots"), book.lots(member), "member {member}");
            let mut history: Vec<_> = book.journal().iter().filter(|t| involves(t, member)).cloned().collect();
            history.reverse();
            assert_eq!(ledger.journal(member, 1000).await.expect("journal"), history, "member {member}");
            assert_eq!(ledger.journal(member, 2).await.expect("journal").len(), 2, "the limit holds");
        }
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn a_retry_replays_the_first_receipt_and_a_changed_body_conflicts(app) {
        let ledger = app.state.db.ledger.as_ref();
        let [a] = members(&app, 1).await[..] else { panic!("one member") };
        let request = bought(7, "250", earn(a, 25, "2.50", NEVER, 0));
        let first = apply(ledger, "till-7", request.clone(), NOW).await.expect("applied");
        assert!(!first.is_replay());
        let again = apply(ledger, "till-7", request, NOW.plus_days(1)).await.expect("replayed");
        assert_eq!(again, Outcome::Replayed(first.into_result()));
        let other = Request::Spend { member: a, amount: Amount::Points(points(1)) };
        assert_eq!(apply(ledger, "till-7", other, NOW).await, Err(LedgerError::IdempotencyConflict(client("till-7"))));
        assert_eq!(ledger.balances(a).await.expect("balances").points, points(25), "written once");

        // A refusal is not stored: the same id is judged afresh once the member can pay.
        let spend = Request::Spend { member: a, amount: Amount::Points(points(40)) };
        let refused = apply(ledger, "spin-1", spend.clone(), NOW).await;
        assert!(matches!(refused, Err(LedgerError::InsufficientPoints { .. })), "{refused:?}");
        let grant = Adjustment::GrantPoints { points: points(15), policy: NEVER };
        apply(ledger, "grant-1", Request::Adjust { member: a, change: grant }, NOW).await.expect("granted");
        assert!(apply(ledger, "spin-1", spend, NOW).await.is_ok_and(|o| !o.is_replay()));
        assert_eq!(ledger.balances(a).await.expect("balances").points, Points::ZERO);

        let stranger = MemberId::new(a.get() + 1000).expect("id");
        let unknown = ledger.apply(client("x-1"), Request::Sweep { member: stranger }, NOW).await;
        assert!(matches!(unknown, Err(StoreError::NotFound)), "a member must be an account: {unknown:?}");
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn the_sweep_expires_and_unlocks_each_lot_once(app) {
        let ledger = &app.state.db.ledger;
        let [a, b, c] = members(&app, 3).await[..] else { panic!("three members") };
        let writes = [
            bought(1, "100", earn(a, 100, "0", after_days(30), 7)),
            Request::Earn(earn(b, 40, "0", after_days(10), 0)),
            Request::Earn(earn(c, 10, "0", NEVER, 0)),
        ];
        for (n, request) in writes.into_iter().enumerate() {
            apply(ledger.as_ref(), &format!("earn-{n}"), request, NOW).await.expect("earned");
        }
        assert!(ledger.expiring_within(b, NOW, 9).await.expect("expiring").is_empty());
        let soon = ledger.expiring_within(b, NOW, 10).await.expect("expiring");
        assert_eq!(soon.iter().map(|l| l.remaining).collect::<Vec<_>>(), vec![points(40)]);
        assert!(ledger.expiring_within(c, NOW, 36_500).await.expect("expiring").is_empty(), "never expires");

        assert_eq!(ledger.sweep_due(NOW.plus_days(1)).await.expect("sweep"), 0, "nothing due yet");
        assert_eq!(ledger.sweep_due(NOW.plus_days(7)).await.expect("sweep"), 1, "a's lot unlocks");
        assert_eq!(ledger.sweep_due(NOW.plus_days(7)).await.expect("sweep"), 0, "and only once");
        let unlocked = ledger.balances(a).await.expect("balances");
        assert_eq!((unlocked.points, unlocked.pending_points), (points(100), Points::ZERO));

        assert_eq!(ledger.sweep_due(NOW.plus_days(10)).await.expect("sweep"), 1, "b's lot expires");
        assert_eq!(ledger.balances(b).await.expect("balances").points, Points::ZERO);
        let last = ledger.journal(b, 1).await.expect("journal");
        assert_eq!(last.iter().map(|t| t.posting.kind).collect::<Vec<_>>(), vec![PostingKind::Expire]);

        // Two jobs sweeping the same instant at once: one does the work, the other replays it.
        let at = NOW.plus_days(37);
        let (one, two) = tokio::join!(ledger.sweep_due(at), ledger.sweep_due(at));
        assert_eq!(one.expect("sweep") + two.expect("sweep"), 1, "a's lot expires once");
        assert_eq!(ledger.sweep_due(NOW.plus_days(38)).await.expect("sweep"), 0);
        assert_eq!(ledger.balances(a).await.expect("balances").points, Points::ZERO);
        assert_eq!(ledger.balances(c).await.expect("balances").points, points(10));
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn fifty_concurrent_purchases_are_each_applied_once(app) {
        let ledger = &app.state.db.ledger;
        let [a] = members(&app, 1).await[..] else { panic!("one member") };
        let answers = concurrently(ledger, 50, |n| {
            let id = i64::try_from(n).expect("small") + 1;
            (format!("purchase-{id}"), bought(id, "100", earn(a, 10, "1", NEVER, 0)))
        })
        .await;
        assert!(answers.iter().all(|a| matches!(a, Ok(Outcome::Created(_)))), "{answers:?}");
        let balances = ledger.balances(a).await.expect("balances");
        assert_eq!((balances.points, balances.credit), (points(500), rials("50")));
        assert_eq!(ledger.lots(a).await.expect("lots").len(), 50);
        assert_eq!(ledger.journal(a, 1000).await.expect("journal").len(), 100, "a points and a credit posting each");
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn concurrent_spends_succeed_exactly_as_far_as_the_credit_goes(app) {
        let ledger = &app.state.db.ledger;
        let [a] = members(&app, 1).await[..] else { panic!("one member") };
        let grant = Request::Adjust { member: a, change: Adjustment::GrantCredit { credit: rials("12500") } };
        apply(ledger.as_ref(), "grant", grant, NOW).await.expect("granted");
        let answers = concurrently(ledger, 100, |n| {
            (format!("spend-{n}"), Request::Spend { member: a, amount: Amount::Credit(rials("1000")) })
        })
        .await;
        let spent = answers.iter().filter(|a| matches!(a, Ok(Outcome::Created(_)))).count();
        let refused = answers.iter().filter(|a| matches!(a, Err(LedgerError::InsufficientCredit { .. }))).count();
        assert_eq!((spent, refused), (12, 88), "{answers:?}");
        assert_eq!(ledger.balances(a).await.expect("balances").credit, rials("500"));
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn a_hundred_concurrent_retries_apply_one_purchase_once(app) {
        let ledger = &app.state.db.ledger;
        let [a] = members(&app, 1).await[..] else { panic!("one member") };
        let request = bought(42, "3000", earn(a, 30, "3", after_days(90), 14));
        let answers = concurrently(ledger, 100, |_| ("till-42".to_owned(), request.clone())).await;
        let outcomes: Vec<Outcome<Receipt>> = answers.into_iter().map(|a| a.expect("applied or replayed")).collect();
        assert_eq!(outcomes.iter().filter(|o| !o.is_replay()).count(), 1, "one creates, the rest replay");
        assert!(outcomes.iter().all(|o| o.result() == outcomes[0].result()), "every answer is the same receipt");
        let balances = ledger.balances(a).await.expect("balances");
        assert_eq!((balances.pending_points, balances.credit), (points(30), rials("3")));
        assert_eq!(ledger.lots(a).await.expect("lots").len(), 1);
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn opposite_concurrent_transfers_neither_deadlock_nor_leak(app) {
        let ledger = &app.state.db.ledger;
        let [a, b] = members(&app, 2).await[..] else { panic!("two members") };
        for member in [a, b] {
            let request = Request::Earn(earn(member, 1000, "1000", NEVER, 0));
            apply(ledger.as_ref(), &format!("seed-{member}"), request, NOW).await.expect("earned");
        }
        let answers = concurrently(ledger, 100, |n| {
            let (from, to) = if n % 2 == 0 { (a, b) } else { (b, a) };
            let amount = if n % 4 < 2 { Amount::Points(points(7)) } else { Amount::Credit(rials("3.25")) };
            (format!("gift-{n}"), Request::MemberTransfer { from, to, amount })
        })
        .await;
        assert!(answers.iter().all(|a| matches!(a, Ok(Outcome::Created(_)))), "{answers:?}");
        let (x, y) = (ledger.balances(a).await.expect("balances"), ledger.balances(b).await.expect("balances"));
        assert_eq!(x.points.get() + y.points.get(), 2000, "points are conserved");
        assert_eq!(x.credit.to_minor() + y.credit.to_minor(), 200_000, "credit is conserved");
        // Each direction moved the same amounts, so both end where they started.
        assert_eq!((x.points, x.credit), (points(1000), rials("1000")));
        assert_eq!((y.points, y.credit), (points(1000), rials("1000")));
        assert_sound(&app).await;
    }
}
