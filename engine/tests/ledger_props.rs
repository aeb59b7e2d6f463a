//! Property tests of the ledger: conservation, no negative balance, idempotent replay, expiry
//! order, plus worked examples of returns and transfers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::num::NonZeroU32;

use engine::ledger::{
    Account, Adjustment, Amount, Asset, Book, ClientId, Earn, ExpiryPolicy, LedgerError, Lot,
    MemberAccount, MemberId, Money, Outcome, Points, PurchaseId, PurchaseRef, Request,
    SystemAccount,
};
use engine::time::Timestamp;
use proptest::prelude::*;

const DAY: i64 = 86_400_000;
/// 1403-01-01 00:00 Tehran, so month and year ends fall inside the generated time spans.
const START: i64 = 1_710_880_200_000;

fn member(i: u8) -> MemberId {
    MemberId::new(i64::from(i) + 1).unwrap()
}
fn pts(v: i64) -> Points {
    Points::new(v).unwrap()
}
fn rials(minor: i64) -> Money {
    Money::from_minor(minor).unwrap()
}
fn at(ms: i64) -> Timestamp {
    Timestamp::from_unix_millis(START + ms)
}
fn cid(n: usize) -> ClientId {
    ClientId::parse(&format!("req-{n}")).unwrap()
}
fn policy(kind: u8, days: u32) -> ExpiryPolicy {
    match kind % 4 {
        0 => ExpiryPolicy::Never,
        1 => ExpiryPolicy::AfterDays(NonZeroU32::new(days.max(1)).unwrap()),
        2 => ExpiryPolicy::EndOfMonth,
        _ => ExpiryPolicy::EndOfYear,
    }
}

#[derive(Debug, Clone)]
enum Op {
    Earn {
        member: u8,
        points: i64,
        credit: i64,
        policy: u8,
        days: u32,
        pending: u32,
        purchase_total: Option<i64>,
    },
    SpendPoints {
        member: u8,
        points: i64,
    },
    SpendCredit {
        member: u8,
        credit: i64,
    },
    Transfer {
        from: u8,
        to: u8,
        amount: i64,
        credit: bool,
    },
    Return {
        member: u8,
        pick: usize,
        percent: i64,
    },
    Adjust {
        member: u8,
        kind: u8,
        amount: i64,
    },
    Sweep {
        member: u8,
    },
    Advance {
        hours: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let m = 0u8..3;
    prop_oneof![
        4 => (m.clone(), 0i64..500, 0i64..5_000, any::<u8>(), 1u32..40, prop_oneof![Just(0u32), 1u32..10], proptest::option::of(1i64..100_000))
            .prop_map(|(member, points, credit, policy, days, pending, purchase_total)| Op::Earn { member, points, credit, policy, days, pending, purchase_total }),
        2 => (m.clone(), 0i64..400).prop_map(|(member, points)| Op::SpendPoints { member, points }),
        1 => (m.clone(), 0i64..4_000).prop_map(|(member, credit)| Op::SpendCredit { member, credit }),
        2 => (m.clone(), m.clone(), 0i64..400, any::<bool>()).prop_map(|(from, to, amount, credit)| Op::Transfer { from, to, amount, credit }),
        2 => (m.clone(), any::<usize>(), 1i64..=100).prop_map(|(member, pick, percent)| Op::Return { member, pick, percent }),
        1 => (m.clone(), any::<u8>(), 0i64..300).prop_map(|(member, kind, amount)| Op::Adjust { member, kind, amount }),
        1 => m.prop_map(|member| Op::Sweep { member }),
        2 => (0i64..24 * 20).prop_map(|hours| Op::Advance { hours }),
    ]
}

/// Turns an op into a request against the current book; `None` for a pure clock advance.
fn request(op: &Op, book: &Book, purchases: &mut Vec<PurchaseId>) -> Option<Request> {
    Some(match *op {
        Op::Earn {
            member: m,
            points,
            credit,
            policy: p,
            days,
            pending,
            purchase_total,
        } => {
            let purchase = purchase_total.map(|total| {
                let id = PurchaseId::new(purchases.len() as i64 + 1).unwrap();
                purchases.push(id);
                PurchaseRef {
                    id,
                    total: rials(total),
                }
            });
            Request::Earn(Earn {
                member: member(m),
                points: pts(points),
                credit: rials(credit),
                policy: policy(p, days),
                pending_days: pending,
                purchase,
            })
        }
        Op::SpendPoints { member: m, points } => Request::Spend {
            member: member(m),
            amount: Amount::Points(pts(points)),
        },
        Op::SpendCredit { member: m, credit } => Request::Spend {
            member: member(m),
            amount: Amount::Credit(rials(credit)),
        },
        Op::Transfer {
            from,
            to,
            amount,
            credit,
        } => Request::MemberTransfer {
            from: member(from),
            to: member(to),
            amount: if credit {
                Amount::Credit(rials(amount * 10))
            } else {
                Amount::Points(pts(amount))
            },
        },
        Op::Return {
            member: m,
            pick,
            percent,
        } => {
            let id = *purchases.get(pick % purchases.len().max(1))?;
            let total = book.purchase(id).map_or(100, |p| p.total.to_minor());
            Request::Return {
                member: member(m),
                purchase: id,
                returned: rials(total * percent / 100),
            }
        }
        Op::Adjust {
            member: m,
            kind,
            amount,
        } => {
            let change = match kind % 4 {
                0 => Adjustment::GrantPoints {
                    points: pts(amount),
                    policy: policy(kind / 4, 30),
                },
                1 => Adjustment::DeductPoints {
                    points: pts(amount),
                },
                2 => Adjustment::GrantCredit {
                    credit: rials(amount * 10),
                },
                _ => Adjustment::DeductCredit {
                    credit: rials(amount * 10),
                },
            };
            Request::Adjust {
                member: member(m),
                change,
            }
        }
        Op::Sweep { member: m } => Request::Sweep { member: member(m) },
        Op::Advance { .. } => return None,
    })
}

/// Errors that only a bug can produce: bad input is refused with the other variants.
fn is_bug(error: &LedgerError) -> bool {
    matches!(
        error,
        LedgerError::CorruptSnapshot { .. }
            | LedgerError::MissingSnapshot(_)
            | LedgerError::AssetMismatch
            | LedgerError::Amount(_)
            | LedgerError::Id(_)
            | LedgerError::TimeOutOfRange
    )
}

/// What a failed write must leave exactly as it was.
fn fingerprint(book: &Book) -> (usize, Vec<String>) {
    let members = book
        .members()
        .map(|m| format!("{:?} {:?}", book.balances(m), book.lots(m)))
        .collect();
    (book.journal().len(), members)
}

/// Conservation counted from outside the book: everything the club's accounts gave out is held
/// or owed by members.
fn assert_conserved(book: &Book) {
    for asset in [Asset::Points, Asset::Credit] {
        let system: i128 = [
            SystemAccount::Issuance,
            SystemAccount::Redemption,
            SystemAccount::Expiry,
            SystemAccount::Adjustment,
        ]
        .into_iter()
        .map(|a| book.net_flow(Account::system(a, asset)))
        .sum();
        let members: i128 = book
            .members()
            .flat_map(|m| {
                MemberAccount::ALL
                    .into_iter()
                    .filter(move |a| a.asset() == asset)
                    .map(move |a| (m, a))
            })
            .map(|(m, a)| {
                let held = book.stored_balance(m, a);
                if a.is_debt() { -held } else { held }
            })
            .sum();
        assert_eq!(system + members, 0, "{} are not conserved", asset.name());
    }
}

/// Checks that a spend took the soonest-expiring points first: whenever a lot was drawn, every
/// spendable lot expiring strictly sooner is empty. Written without the library's own ordering.
fn assert_drawn_in_expiry_order(before: &[Lot], after: &[Lot]) {
    let expiry = |l: &Lot| l.expires_at.map_or(i64::MAX, |t| t.unix_millis());
    let left = |id| {
        after
            .iter()
            .find(|l: &&Lot| l.id == id)
            .map_or(Points::ZERO, |l| l.remaining)
    };
    let spendable: Vec<&Lot> = before
        .iter()
        .filter(|l| !l.is_pending() && !l.remaining.is_zero())
        .collect();
    for drawn in spendable.iter().filter(|l| left(l.id) < l.remaining) {
        for sooner in spendable.iter().filter(|l| expiry(l) < expiry(drawn)) {
            assert!(
                left(sooner.id).is_zero(),
                "lot {} was drawn while lot {}, expiring sooner, kept points",
                drawn.id,
                sooner.id
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any sequence of writes keeps every invariant, and a refused write changes nothing.
    #[test]
    fn writes_conserve_value_and_never_go_negative(ops in proptest::collection::vec(op(), 1..60)) {
        let mut book = Book::new();
        let mut purchases = Vec::new();
        let mut now = 0;
        for (n, op) in ops.iter().enumerate() {
            if let Op::Advance { hours } = op {
                now += hours * 3_600_000;
            }
            let Some(request) = request(op, &book, &mut purchases) else { continue };
            let before = fingerprint(&book);
            match book.apply(cid(n), request, at(now)) {
                Ok(outcome) => {
                    prop_assert!(!outcome.is_replay());
                    for b in &outcome.result().balances {
                        prop_assert_eq!(b.balances, book.balances(b.member));
                    }
                }
                Err(error) => {
                    prop_assert!(!is_bug(&error), "op {} {:?} failed with {}", n, op, error);
                    prop_assert_eq!(&before, &fingerprint(&book));
                }
            }
            if let Err(violation) = book.check_invariants() {
                return Err(TestCaseError::fail(format!("after op {n} {op:?}: {violation}")));
            }
            assert_conserved(&book);
        }
    }

    /// Repeating a write with the same body returns the first result and writes nothing;
    /// the same id with another body is refused and writes nothing.
    #[test]
    fn replays_are_idempotent(ops in proptest::collection::vec(op(), 1..40)) {
        let mut book = Book::new();
        let mut purchases = Vec::new();
        let mut done = Vec::new();
        let mut now = 0;
        for (n, op) in ops.iter().enumerate() {
            if let Op::Advance { hours } = op {
                now += hours * 3_600_000;
            }
            let Some(request) = request(op, &book, &mut purchases) else { continue };
            if let Ok(outcome) = book.apply(cid(n), request.clone(), at(now)) {
                done.push((cid(n), request, outcome.into_result()));
            }
        }
        let before = fingerprint(&book);
        let later = at(now + 400 * DAY);
        for (id, request, receipt) in &done {
            let again = book.apply(id.clone(), request.clone(), later);
            prop_assert_eq!(again, Ok(Outcome::Replayed(receipt.clone())));
            let other = Request::Sweep { member: member(7) };
            prop_assert_eq!(book.apply(id.clone(), other, later), Err(LedgerError::IdempotencyConflict(id.clone())));
        }
        prop_assert_eq!(before, fingerprint(&book));
    }

    /// Spends and deductions always take the soonest-expiring points first, and a sweep leaves
    /// no expired or overdue-pending points behind.
    #[test]
    fn spending_follows_expiry_order(ops in proptest::collection::vec(op(), 1..60)) {
        let mut book = Book::new();
        let mut purchases = Vec::new();
        let mut now = 0;
        for (n, op) in ops.iter().enumerate() {
            if let Op::Advance { hours } = op {
                now += hours * 3_600_000;
            }
            let Some(request) = request(op, &book, &mut purchases) else { continue };
            let spender = match &request {
                Request::Spend { member, amount: Amount::Points(_) } => Some(*member),
                Request::MemberTransfer { from, amount: Amount::Points(_), .. } => Some(*from),
                _ => None,
            };
            if let Some(spender) = spender {
                // Sweep first so that the spend itself moves nothing but the spent points.
                book.apply(ClientId::parse(&format!("sweep-{n}")).unwrap(), Request::Sweep { member: spender }, at(now)).unwrap();
                let lots = book.lots(spender).to_vec();
                if book.apply(cid(n), request, at(now)).is_ok() {
                    assert_drawn_in_expiry_order(&lots, book.lots(spender));
                }
            } else {
                let _ = book.apply(cid(n), request, at(now));
            }
            for m in book.members().collect::<Vec<_>>() {
                let swept = Request::Sweep { member: m };
                book.apply(ClientId::parse(&format!("check-{n}-{m}")).unwrap(), swept, at(now)).unwrap();
                for lot in book.lots(m).iter().filter(|l| !l.remaining.is_zero()) {
                    prop_assert!(!lot.is_expired(at(now)), "lot {} survived its expiry", lot.id);
                    prop_assert!(lot.pending_until.is_none_or(|t| t > at(now)), "lot {} is still pending", lot.id);
                }
            }
        }
    }

    /// Points and money survive the store's integer columns and JSON unchanged.
    #[test]
    fn amounts_round_trip(points in 0i64..=Points::MAX.get(), minor in 0i64..=Money::MAX.to_minor()) {
        let p = Points::new(points).unwrap();
        prop_assert_eq!(i64::from(p), points);
        let m = Money::from_minor(minor).unwrap();
        prop_assert_eq!(m.to_minor(), minor);
        prop_assert_eq!(serde_json::from_str::<Money>(&serde_json::to_string(&m).unwrap()).unwrap(), m);
    }

    /// The store keeps request bodies as JSON to compare replays; the round trip is lossless.
    #[test]
    fn requests_round_trip_through_json(ops in proptest::collection::vec(op(), 1..10)) {
        let book = Book::new();
        let mut purchases = vec![PurchaseId::new(1).unwrap()];
        for op in &ops {
            if let Some(request) = request(op, &book, &mut purchases) {
                let json = serde_json::to_string(&request).unwrap();
                prop_assert_eq!(serde_json::from_str::<Request>(&json).unwrap(), request);
            }
        }
    }
}

fn earn(book: &mut Book, id: &str, m: u8, points: i64, purchase: Option<(i64, i64)>, now: i64) {
    let request = Request::Earn(Earn {
        member: member(m),
        points: pts(points),
        credit: Money::ZERO,
        policy: ExpiryPolicy::Never,
        pending_days: 0,
        purchase: purchase.map(|(id, total)| PurchaseRef {
            id: PurchaseId::new(id).unwrap(),
            total: rials(total),
        }),
    });
    book.apply(ClientId::parse(id).unwrap(), request, at(now))
        .unwrap();
}

#[test]
fn a_return_after_spending_leaves_a_debt_that_later_earnings_settle() {
    let mut book = Book::new();
    earn(&mut book, "e1", 0, 100, Some((1, 100_000)), 0);
    let spend = Request::Spend {
        member: member(0),
        amount: Amount::Points(pts(70)),
    };
    book.apply(ClientId::parse("s1").unwrap(), spend, at(0))
        .unwrap();
    // Half the purchase comes back: 50 points are due, 30 are there, 20 become owed.
    let half = Request::Return {
        member: member(0),
        purchase: PurchaseId::new(1).unwrap(),
        returned: rials(50_000),
    };
    book.apply(ClientId::parse("r1").unwrap(), half.clone(), at(0))
        .unwrap();
    assert_eq!(
        (
            book.balances(member(0)).points,
            book.balances(member(0)).owed_points
        ),
        (pts(0), pts(20))
    );
    // The rest comes back: the other 50 are all owed.
    book.apply(ClientId::parse("r2").unwrap(), half, at(0))
        .unwrap();
    assert_eq!(book.balances(member(0)).owed_points, pts(70));
    let full = book.purchase(PurchaseId::new(1).unwrap()).unwrap();
    assert_eq!(
        (full.points_reversed, full.returned),
        (pts(100), rials(100_000))
    );
    earn(&mut book, "e2", 0, 50, None, DAY);
    assert_eq!(
        (
            book.balances(member(0)).points,
            book.balances(member(0)).owed_points
        ),
        (pts(0), pts(20))
    );
    earn(&mut book, "e3", 0, 50, None, DAY);
    assert_eq!(
        (
            book.balances(member(0)).points,
            book.balances(member(0)).owed_points
        ),
        (pts(30), pts(0))
    );
    book.check_invariants().unwrap();
}

#[test]
fn returns_cannot_exceed_the_purchase_and_partial_returns_round_down() {
    let mut book = Book::new();
    earn(&mut book, "e1", 0, 10, Some((1, 300)), 0);
    let third = Request::Return {
        member: member(0),
        purchase: PurchaseId::new(1).unwrap(),
        returned: rials(100),
    };
    book.apply(ClientId::parse("r1").unwrap(), third.clone(), at(0))
        .unwrap();
    assert_eq!(
        book.balances(member(0)).points,
        pts(7),
        "a third of 10 rounds down to 3"
    );
    book.apply(ClientId::parse("r2").unwrap(), third.clone(), at(0))
        .unwrap();
    book.apply(ClientId::parse("r3").unwrap(), third.clone(), at(0))
        .unwrap();
    assert_eq!(
        book.balances(member(0)).points,
        pts(0),
        "three thirds reverse exactly everything"
    );
    let err = book.apply(ClientId::parse("r4").unwrap(), third, at(0));
    assert!(matches!(
        err,
        Err(LedgerError::ReturnExceedsPurchase { .. })
    ));
    let other = Request::Return {
        member: member(1),
        purchase: PurchaseId::new(1).unwrap(),
        returned: rials(1),
    };
    assert!(matches!(
        book.apply(ClientId::parse("r5").unwrap(), other, at(0)),
        Err(LedgerError::PurchaseOfAnotherMember { .. })
    ));
}

#[test]
fn pending_points_unlock_after_the_return_window() {
    let mut book = Book::new();
    let request = Request::Earn(Earn {
        member: member(0),
        points: pts(40),
        credit: Money::ZERO,
        policy: ExpiryPolicy::AfterDays(NonZeroU32::new(10).unwrap()),
        pending_days: 7,
        purchase: None,
    });
    book.apply(cid(1), request, at(0)).unwrap();
    let spend = Request::Spend {
        member: member(0),
        amount: Amount::Points(pts(1)),
    };
    assert!(matches!(
        book.apply(cid(2), spend.clone(), at(7 * DAY - 1)),
        Err(LedgerError::InsufficientPoints { .. })
    ));
    assert_eq!(book.balances(member(0)).pending_points, pts(40));
    book.apply(cid(3), spend, at(7 * DAY)).unwrap();
    assert_eq!(book.balances(member(0)).points, pts(39));
    // The expiry clock started at unlock: ten days after day 7.
    let sweep = Request::Sweep { member: member(0) };
    book.apply(cid(4), sweep.clone(), at(17 * DAY - 1)).unwrap();
    assert_eq!(book.balances(member(0)).points, pts(39));
    book.apply(cid(5), sweep, at(17 * DAY)).unwrap();
    assert_eq!(book.balances(member(0)).points, pts(0));
    assert_eq!(
        book.net_flow(Account::system(SystemAccount::Expiry, Asset::Points)),
        39
    );
    book.check_invariants().unwrap();
}

#[test]
fn a_member_transfer_is_all_or_nothing_and_keeps_expiry() {
    let mut book = Book::new();
    let soon = Request::Earn(Earn {
        member: member(0),
        points: pts(30),
        credit: rials(500),
        policy: ExpiryPolicy::EndOfMonth,
        pending_days: 0,
        purchase: None,
    });
    book.apply(cid(1), soon, at(0)).unwrap();
    earn(&mut book, "late", 0, 30, None, 0);
    let too_much = Request::MemberTransfer {
        from: member(0),
        to: member(1),
        amount: Amount::Points(pts(61)),
    };
    let before = fingerprint(&book);
    assert!(matches!(
        book.apply(cid(2), too_much, at(0)),
        Err(LedgerError::InsufficientPoints { .. })
    ));
    assert_eq!(before, fingerprint(&book));
    let gift = Request::MemberTransfer {
        from: member(0),
        to: member(1),
        amount: Amount::Points(pts(40)),
    };
    book.apply(cid(3), gift, at(0)).unwrap();
    let received: Vec<_> = book
        .lots(member(1))
        .iter()
        .map(|l| (l.remaining.get(), l.expires_at.is_some()))
        .collect();
    assert_eq!(
        received,
        vec![(30, true), (10, false)],
        "the month-end lot goes first and keeps its date"
    );
    let credit = Request::MemberTransfer {
        from: member(0),
        to: member(1),
        amount: Amount::Credit(rials(200)),
    };
    book.apply(cid(4), credit, at(0)).unwrap();
    assert_eq!(
        (
            book.balances(member(0)).credit,
            book.balances(member(1)).credit
        ),
        (rials(300), rials(200))
    );
    let myself = Request::MemberTransfer {
        from: member(0),
        to: member(0),
        amount: Amount::Points(pts(1)),
    };
    assert_eq!(
        book.apply(cid(5), myself, at(0)),
        Err(LedgerError::SameMember)
    );
    book.check_invariants().unwrap();
}

#[test]
fn an_earn_for_a_known_purchase_is_refused() {
    let mut book = Book::new();
    earn(&mut book, "e1", 0, 10, Some((1, 100)), 0);
    let again = Request::Earn(Earn {
        member: member(0),
        points: pts(10),
        credit: Money::ZERO,
        policy: ExpiryPolicy::Never,
        pending_days: 0,
        purchase: Some(PurchaseRef {
            id: PurchaseId::new(1).unwrap(),
            total: rials(100),
        }),
    });
    assert_eq!(
        book.apply(cid(9), again, at(0)),
        Err(LedgerError::DuplicatePurchase(PurchaseId::new(1).unwrap()))
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// A store may load only the lots an earning touches (`Lot::due`), the rest summed: the
    /// plan is the very plan of the whole snapshot, and any other request refuses it.
    #[test]
    fn an_earning_planned_on_the_due_lots_alone_is_the_same_plan(
        ops in proptest::collection::vec(op(), 1..60),
        later_hours in 0i64..24 * 400,
        points in 0i64..500,
        pending in prop_oneof![Just(0u32), 1u32..10],
    ) {
        let mut book = Book::new();
        let mut purchases = Vec::new();
        let mut now = 0;
        for (n, op) in ops.iter().enumerate() {
            if let Op::Advance { hours } = op {
                now += hours * 3_600_000;
            }
            let Some(request) = request(op, &book, &mut purchases) else { continue };
            let _ = book.apply(cid(n), request, at(now));
        }
        let when = at(now + later_hours * 3_600_000);
        for m in 0..3 {
            let whole = book.snapshot(member(m));
            let partial = whole.for_earning(when).unwrap();
            let earn = Request::Earn(Earn {
                member: member(m),
                points: pts(points),
                credit: rials(100),
                policy: ExpiryPolicy::EndOfMonth,
                pending_days: pending,
                purchase: Some(PurchaseRef { id: PurchaseId::new(10_000).unwrap(), total: rials(1_000) }),
            });
            prop_assert_eq!(
                engine::ledger::plan(&earn, std::slice::from_ref(&partial), None, when),
                engine::ledger::plan(&earn, std::slice::from_ref(&whole), None, when)
            );
            if !partial.unread.is_empty() {
                let spend = Request::Spend { member: member(m), amount: Amount::Points(pts(1)) };
                prop_assert_eq!(
                    engine::ledger::plan(&spend, std::slice::from_ref(&partial), None, when),
                    Err(LedgerError::PartialSnapshot(member(m)))
                );
            }
        }
    }
}
