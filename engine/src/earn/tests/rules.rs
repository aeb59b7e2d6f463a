use super::*;

#[test]
fn per_amount_pays_whole_steps_and_explains_itself() {
    let award = run(&Policy::starter(), &purchase(None, "25000", noon()));
    assert_eq!(award.points, pts(2));
    assert_eq!(award.credit, rials("250"));
    assert_eq!(
        award.explain(),
        vec![
            "rule purchase-points (applied): 1 point per 10,000 rials × 25,000 rials = 2",
            "tier bronze (applied): tier bronze cashback 1% of 25,000 rials = 250 rials",
        ]
    );
    assert_eq!(
        award.by_rule,
        vec![RulePoints {
            rule: rid("purchase-points"),
            points: pts(2)
        }]
    );
    assert!(
        award.usage.is_empty(),
        "an unlimited rule needs no usage rows"
    );
}

#[test]
fn per_amount_rounds_down_and_skips_less_than_one_step() {
    let award = run(&Policy::starter(), &purchase(None, "29999.99", noon()));
    assert_eq!(award.points, pts(2));
    assert_eq!(
        award.credit,
        rials("299.99"),
        "1% of 29,999.99 rounds down to the hundredth"
    );
    let award = run(&Policy::starter(), &purchase(None, "9999", noon()));
    assert_eq!(award.points, Points::ZERO);
    assert!(matches!(notes(&award)[0], Note::LessThanOneStep { .. }));
    assert!(award.explain()[0].contains("skipped"));
}

#[test]
fn minimum_amounts_and_branches_restrict_purchase_rules() {
    let policy = with(|d| {
        d.rules = vec![rule(
            "big-spender",
            RuleKind::PerAmount {
                points: pts(5),
                per: rials("1000"),
                min_amount: Some(rials("50000")),
                branches: vec![branch(2)],
            },
        )];
    });
    let small = run(&policy, &purchase(None, "40000", noon()));
    assert_eq!(
        notes(&small)[0],
        &Note::BelowMinimum {
            min: rials("50000"),
            amount: rials("40000")
        }
    );
    let elsewhere = run(&policy, &purchase(None, "60000", noon()));
    assert_eq!(
        notes(&elsewhere)[0],
        &Note::OtherBranch { branch: branch(1) }
    );
    let Event::Purchase(mut p) = purchase(None, "60000", noon()) else {
        unreachable!()
    };
    p.branch = branch(2);
    assert_eq!(run(&policy, &Event::Purchase(p)).points, pts(300));
}

#[test]
fn per_visit_pays_each_or_every_nth_visit() {
    let policy = with(|d| {
        d.rules = vec![
            rule(
                "visit",
                RuleKind::PerVisit {
                    points: pts(3),
                    min_amount: None,
                    every_nth: None,
                    branches: vec![],
                },
            ),
            rule(
                "fifth-visit",
                RuleKind::PerVisit {
                    points: pts(50),
                    min_amount: None,
                    every_nth: NonZeroU32::new(5),
                    branches: vec![],
                },
            ),
        ];
    });
    // `facts` has four visits before, so this is visit #5.
    let award = run(&policy, &purchase(None, "1000", noon()));
    assert_eq!(award.points, pts(53));
    assert_eq!(
        award.lines[0].to_string(),
        "rule visit (applied): visit #5: 3 points"
    );
    let Event::Purchase(mut p) = purchase(None, "1000", noon()) else {
        unreachable!()
    };
    p.member.visits_before = 5;
    let award = run(&policy, &Event::Purchase(p));
    assert_eq!(award.points, pts(3));
    assert_eq!(notes(&award)[1], &Note::NotNthVisit { every: 5, visit: 6 });
}

#[test]
fn first_purchase_bonus_only_on_the_first() {
    let policy = with(|d| {
        d.rules
            .push(rule("welcome", RuleKind::FirstPurchase { points: pts(30) }))
    });
    assert_eq!(
        run(&policy, &purchase(None, "10000", noon())).points,
        pts(1)
    );
    let Event::Purchase(mut p) = purchase(None, "10000", noon()) else {
        unreachable!()
    };
    p.member.first_purchase = true;
    assert_eq!(run(&policy, &Event::Purchase(p)).points, pts(31));
}

#[test]
fn bonus_events_pay_their_rule_only() {
    let policy = with(|d| {
        d.rules.push(rule(
            "app-review",
            RuleKind::Custom {
                event: EventName::parse("app-review").unwrap(),
                points: pts(40),
            },
        ));
    });
    let cases = [
        (Event::SignUp, "sign-up", 50),
        (Event::ProfileCompleted, "profile-completed", 100),
        (Event::Birthday { year: 1403 }, "birthday", 200),
        (
            Event::Referral {
                step: ReferralStep::InviteeSignedUp,
            },
            "referral-sign-up",
            100,
        ),
        (
            Event::Referral {
                step: ReferralStep::InviteeFirstPurchase,
            },
            "referral-first-purchase",
            200,
        ),
        (
            Event::Custom {
                name: EventName::parse("app-review").unwrap(),
            },
            "app-review",
            40,
        ),
    ];
    for (event, id, points) in cases {
        let award = run(&policy, &event);
        assert_eq!(award.points, pts(points), "{id}");
        assert_eq!(award.credit, Money::ZERO, "no cashback without a purchase");
        assert_eq!(
            award.lines.len(),
            1,
            "{id}: only the matching rule explains itself"
        );
        assert_eq!(award.lines[0].subject, Subject::Rule(rid(id)));
    }
    let other = run(
        &policy,
        &Event::Custom {
            name: EventName::parse("survey").unwrap(),
        },
    );
    assert!(other.is_empty() && other.lines.is_empty());
}

#[test]
fn rule_windows_and_disabled_rules_skip_with_a_reason() {
    let policy = with(|d| {
        d.rules[1].window = Some(DateWindow {
            start: jdate(1403, 7, 1),
            end: jdate(1403, 8, 1),
        });
        d.rules[2].enabled = false;
    });
    let signup = run(&policy, &Event::SignUp);
    assert_eq!(signup.points, Points::ZERO);
    assert_eq!(
        signup.explain(),
        vec!["rule sign-up (skipped): outside window 1403/07/01 to before 1403/08/01"]
    );
    let profile = run(&policy, &Event::ProfileCompleted);
    assert_eq!(
        profile.explain(),
        vec!["rule profile-completed (skipped): disabled"]
    );
}

#[test]
fn rial_amounts_print_grouped() {
    assert_eq!(rials_text("0"), "0");
    assert_eq!(rials_text("999"), "999");
    assert_eq!(rials_text("1000"), "1,000");
    assert_eq!(rials_text("1234567.5"), "1,234,567.50");
}

fn rials_text(text: &str) -> String {
    crate::earn::rials(rials(text))
}
