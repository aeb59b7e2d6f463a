use super::*;

#[test]
fn the_starter_policy_parses_and_round_trips() {
    let starter = Policy::starter();
    assert_eq!(starter.rules().len(), 6);
    assert_eq!(starter.tiers().tiers().len(), 3);
    assert_eq!(Policy::from_json(&starter.to_json()).unwrap(), starter);
    assert_eq!(Policy::parse(starter.to_draft()), Ok(starter));
}

#[test]
fn awards_become_ledger_earn_requests() {
    let policy = Policy::starter();
    let member = MemberId::new(7).unwrap();
    let award = run(&policy, &purchase(None, "25000", noon()));
    let purchase_ref = PurchaseRef {
        id: PurchaseId::new(3).unwrap(),
        total: rials("25000"),
    };
    let earn = award.to_earn(&policy, member, Some(purchase_ref)).unwrap();
    assert_eq!(
        (earn.points, earn.credit, earn.pending_days),
        (pts(2), rials("250"), 7)
    );
    assert_eq!(
        earn.policy,
        ExpiryPolicy::AfterDays(NonZeroU32::new(365).unwrap())
    );
    let bonus = run(&policy, &Event::SignUp)
        .to_earn(&policy, member, None)
        .unwrap();
    assert_eq!(bonus.pending_days, 0, "a bonus is spendable at once");
    let nothing = run(&policy, &purchase(None, "0", noon()));
    assert_eq!(nothing.credit, Money::ZERO);
    assert_eq!(nothing.to_earn(&policy, member, Some(purchase_ref)), None);
}

#[test]
fn parse_refuses_bad_policies_naming_the_culprit() {
    let err = |edit: fn(&mut PolicyDraft)| try_with(edit).unwrap_err();
    assert_eq!(err(|d| d.schema = 2), PolicyError::UnsupportedSchema(2));
    assert_eq!(
        err(|d| d.rules[1].id = rid("birthday")),
        PolicyError::DuplicateId(rid("birthday"))
    );
    assert_eq!(
        err(|d| d.multipliers = vec![multiplier("sign-up", "2")]),
        PolicyError::DuplicateId(rid("sign-up"))
    );
    assert_eq!(
        err(|d| d.rules[1].kind = RuleKind::SignUp {
            points: Points::ZERO
        }),
        PolicyError::NoPoints(rid("sign-up"))
    );
    assert_eq!(
        err(|d| d.rules[0].kind = RuleKind::PerAmount {
            points: pts(1),
            per: Money::ZERO,
            min_amount: None,
            branches: vec![]
        }),
        PolicyError::ZeroStep(rid("purchase-points"))
    );
    assert_eq!(
        err(|d| d.rules[1].limits.push(Limit {
            max: pts(5),
            period: Period::Ever
        })),
        PolicyError::DuplicateLimit {
            rule: rid("sign-up"),
            period: Period::Ever
        }
    );
    assert_eq!(
        err(|d| d.rules[1].limits[0].max = Points::ZERO),
        PolicyError::ZeroLimit(rid("sign-up"))
    );
    let day = jdate(1403, 1, 5);
    assert_eq!(
        err(|d| d.rules[1].window = Some(DateWindow {
            start: jdate(1403, 1, 5),
            end: jdate(1403, 1, 5)
        })),
        PolicyError::BadWindow {
            id: rid("sign-up"),
            start: day,
            end: day
        }
    );
    // A date the derived Deserialize let through is refused here.
    let bad_day = JalaliDate {
        year: 1403,
        month: 7,
        day: 31,
    };
    let mut draft = Policy::starter().to_draft();
    draft.rules[1].window = Some(DateWindow {
        start: bad_day,
        end: jdate(1403, 8, 5),
    });
    assert!(matches!(
        Policy::parse(draft),
        Err(PolicyError::BadWindow { .. })
    ));
    for factor in ["0", "-1", "1.005", "100.01"] {
        let mut draft = Policy::starter().to_draft();
        draft.multipliers = vec![multiplier("x", factor)];
        assert_eq!(
            Policy::parse(draft),
            Err(PolicyError::BadFactor {
                id: rid("x"),
                factor: dec(factor)
            }),
            "{factor}"
        );
    }
    let mut unknown_rule = multiplier("x", "2");
    unknown_rule.rules = vec![rid("sign-up")];
    let mut draft = Policy::starter().to_draft();
    draft.multipliers = vec![unknown_rule];
    assert_eq!(
        Policy::parse(draft),
        Err(PolicyError::UnknownRule {
            multiplier: rid("x"),
            rule: rid("sign-up")
        })
    );
    let mut unknown_tier = multiplier("x", "2");
    unknown_tier.tiers = vec![tid("platinum")];
    let mut draft = Policy::starter().to_draft();
    draft.multipliers = vec![unknown_tier];
    assert_eq!(
        Policy::parse(draft),
        Err(PolicyError::UnknownTier {
            multiplier: rid("x"),
            tier: tid("platinum")
        })
    );
    assert_eq!(
        err(|d| d.pending_days = 400),
        PolicyError::PendingTooLong(400)
    );
    assert_eq!(
        err(|d| d.tiers.tiers[1].threshold = 0),
        PolicyError::Tiers(LadderError::NotIncreasing {
            tier: tid("silver"),
            threshold: 0,
            previous: 0
        })
    );
}

#[test]
fn json_errors_are_readable() {
    let mut json: serde_json::Value = serde_json::from_str(STARTER_JSON).unwrap();
    json["tiers"]["tiers"][2]["benefits"]["cashback_percent"] = "120".into();
    let error = Policy::from_json(&json.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("tier gold: cashback 120% must be within 0 to 100"),
        "{error}"
    );
    json["rules"][0]["id"] = "Purchase Points".into();
    let error = Policy::from_json(&json.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("\"Purchase Points\" is not a valid id"),
        "{error}"
    );
}
