use super::*;

fn limited(limits: Vec<Limit>) -> Policy {
    with(|d| {
        d.rules = vec![rule(
            "visit",
            RuleKind::PerVisit {
                points: pts(40),
                min_amount: None,
                every_nth: None,
                branches: vec![],
            },
        )];
        d.rules[0].limits = limits;
    })
}

fn visit_at(policy: &Policy, history: &mut History, at: Timestamp) -> Award {
    let award = evaluate(policy, &purchase(None, "1000", at), history, at);
    history.record(award.usage.clone());
    award
}

#[test]
fn a_daily_limit_resets_at_tehran_midnight() {
    let policy = limited(vec![Limit {
        max: pts(100),
        period: Period::Day,
    }]);
    let mut history = History::default();
    let evening = tehran(1403, 5, 10, 20 * HOUR);
    assert_eq!(visit_at(&policy, &mut history, evening).points, pts(40));
    assert_eq!(visit_at(&policy, &mut history, evening).points, pts(40));
    let third = visit_at(&policy, &mut history, tehran(1403, 5, 10, 24 * HOUR - 1));
    assert_eq!(third.points, pts(20));
    assert!(
        third
            .explain()
            .contains(&"rule visit (applied): limit 100/day reached, capped to 20".to_owned())
    );
    let fourth = visit_at(&policy, &mut history, tehran(1403, 5, 10, 24 * HOUR - 1));
    assert_eq!(fourth.points, Points::ZERO);
    assert!(
        fourth
            .explain()
            .contains(&"rule visit (skipped): limit 100/day reached, nothing awarded".to_owned())
    );
    assert!(fourth.usage.is_empty());
    // 20:30 UTC is midnight in Tehran: a new day.
    assert_eq!(
        visit_at(&policy, &mut history, tehran(1403, 5, 11, 0)).points,
        pts(40)
    );
    assert_eq!(
        history.used(&rid("visit"), "day:1403-05-10".parse().unwrap()),
        pts(100)
    );
}

#[test]
fn a_monthly_limit_resets_at_the_jalali_month_end() {
    let policy = limited(vec![Limit {
        max: pts(100),
        period: Period::JalaliMonth,
    }]);
    let mut history = History::default();
    // Shahrivar has 31 days, Mehr starts the 30-day months.
    for _ in 0..2 {
        visit_at(&policy, &mut history, tehran(1403, 6, 1, HOUR));
    }
    let capped = visit_at(&policy, &mut history, tehran(1403, 6, 31, 24 * HOUR - 1));
    assert_eq!(capped.points, pts(20));
    assert!(
        capped
            .explain()
            .contains(&"rule visit (applied): limit 100/month reached, capped to 20".to_owned())
    );
    assert_eq!(
        visit_at(&policy, &mut history, tehran(1403, 7, 1, 0)).points,
        pts(40)
    );
}

#[test]
fn a_yearly_limit_resets_at_nowruz_after_a_leap_esfand() {
    let policy = limited(vec![Limit {
        max: pts(60),
        period: Period::JalaliYear,
    }]);
    let mut history = History::default();
    assert_eq!(
        visit_at(&policy, &mut history, tehran(1403, 12, 30, 0)).points,
        pts(40)
    );
    assert_eq!(
        visit_at(&policy, &mut history, tehran(1403, 12, 30, 24 * HOUR - 1)).points,
        pts(20)
    );
    assert_eq!(
        visit_at(&policy, &mut history, tehran(1404, 1, 1, 0)).points,
        pts(40)
    );
}

#[test]
fn the_tightest_of_several_limits_decides_and_each_period_is_recorded() {
    let policy = limited(vec![
        Limit {
            max: pts(1000),
            period: Period::Ever,
        },
        Limit {
            max: pts(50),
            period: Period::Day,
        },
    ]);
    let mut history = History::new([RuleUsage {
        rule: rid("visit"),
        period: PeriodKey::Ever,
        points: pts(990),
    }]);
    let at = tehran(1403, 5, 10, HOUR);
    let award = visit_at(&policy, &mut history, at);
    assert_eq!(award.points, pts(10));
    assert_eq!(
        award.usage,
        vec![
            RuleUsage {
                rule: rid("visit"),
                period: PeriodKey::Ever,
                points: pts(10)
            },
            RuleUsage {
                rule: rid("visit"),
                period: "day:1403-05-10".parse().unwrap(),
                points: pts(10)
            },
        ]
    );
    assert_eq!(visit_at(&policy, &mut history, at).points, Points::ZERO);
}

#[test]
fn period_keys_have_one_spelling() {
    let at = tehran(1403, 1, 9, HOUR);
    let keys = PeriodKey::all_at(at).map(|k| k.to_string());
    assert_eq!(
        keys,
        ["day:1403-01-09", "month:1403-01", "year:1403", "ever"].map(String::from)
    );
    for key in PeriodKey::all_at(at) {
        assert_eq!(key.to_string().parse::<PeriodKey>(), Ok(key));
        assert_eq!(
            serde_json::from_str::<PeriodKey>(&serde_json::to_string(&key).unwrap()).unwrap(),
            key
        );
    }
    for bad in [
        "day:1403-1-9",
        "day:1403-12-31",
        "month:1403-13",
        "week:1",
        "year:",
        "Ever",
        "",
    ] {
        assert!(bad.parse::<PeriodKey>().is_err(), "{bad}");
    }
}
