use super::*;

#[test]
fn tier_multipliers_scale_purchase_points_and_round_down() {
    let starter = Policy::starter();
    let gold = run(&starter, &purchase(Some("gold"), "25000", noon()));
    assert_eq!(gold.points, pts(3));
    assert_eq!(gold.credit, rials("750"));
    assert!(
        gold.explain()
            .contains(&"rule purchase-points (applied): tier gold ×1.5".to_owned())
    );
    // 2 × 1.25 = 2.5, rounded down.
    assert_eq!(
        run(&starter, &purchase(Some("silver"), "25000", noon())).points,
        pts(2)
    );
    // Bonuses are not scaled.
    let signup = evaluate(&starter, &Event::SignUp, &History::default(), noon());
    assert_eq!(signup.points, pts(50));
}

#[test]
fn an_unknown_tier_gets_the_base_tier_with_a_note() {
    let award = run(
        &Policy::starter(),
        &purchase(Some("platinum"), "25000", noon()),
    );
    assert_eq!(award.points, pts(2));
    assert_eq!(award.credit, rials("250"));
    assert_eq!(
        notes(&award)[0],
        &Note::UnknownTier {
            tier: tid("platinum"),
            base: tid("bronze")
        }
    );
}

#[test]
fn multipliers_stack_exactly_and_round_once() {
    let policy = with(|d| {
        d.rules[0] = rule(
            "purchase-points",
            RuleKind::PerAmount {
                points: pts(1),
                per: rials("10000"),
                min_amount: None,
                branches: vec![],
            },
        );
        d.multipliers = vec![multiplier("a", "1.5"), multiplier("b", "1.5")];
    });
    // 1 × 1.5 × 1.5 = 2.25 → 2; flooring after each factor would give 1.
    let award = run(&policy, &purchase(None, "10000", noon()));
    assert_eq!(award.points, pts(2));
    assert!(
        award
            .explain()
            .contains(&"rule purchase-points (applied): 1 scaled to 2 (rounded down)".to_owned())
    );
    // With gold: 1 × 1.5 × 1.5 × 1.5 = 3.375 → 3.
    assert_eq!(
        run(&policy, &purchase(Some("gold"), "10000", noon())).points,
        pts(3)
    );
}

#[test]
fn multipliers_by_branch_tier_and_rule() {
    let policy = with(|d| {
        d.rules.push(rule(
            "visit",
            RuleKind::PerVisit {
                points: pts(10),
                min_amount: None,
                every_nth: None,
                branches: vec![],
            },
        ));
        let mut by_branch = multiplier("branch-2", "2");
        by_branch.branches = vec![branch(2)];
        let mut gold_only = multiplier("gold-visits", "3");
        gold_only.tiers = vec![tid("gold")];
        gold_only.rules = vec![rid("visit")];
        d.multipliers = vec![by_branch, gold_only];
    });
    let bronze = run(&policy, &purchase(None, "100000", noon()));
    assert_eq!(bronze.points, pts(20));
    assert!(
        bronze
            .explain()
            .contains(&"multiplier branch-2 (skipped): not valid at branch 1".to_owned())
    );
    assert!(
        bronze
            .explain()
            .contains(&"multiplier gold-visits (skipped): not valid for tier bronze".to_owned())
    );
    // Gold: purchase 10 × 1.5 = 15; visit 10 × 1.5 × 3 = 45.
    assert_eq!(
        run(&policy, &purchase(Some("gold"), "100000", noon())).points,
        pts(60)
    );
    let Event::Purchase(mut p) = purchase(None, "100000", noon()) else {
        unreachable!()
    };
    p.branch = branch(2);
    assert_eq!(run(&policy, &Event::Purchase(p)).points, pts(40));
}

#[test]
fn date_windows_follow_tehran_midnight_on_jalali_dates() {
    // Nowruz campaign: 1403/01/01 up to (not including) 1403/01/14.
    let window = DateWindow {
        start: jdate(1403, 1, 1),
        end: jdate(1403, 1, 14),
    };
    let policy = with(|d| {
        let mut nowruz = multiplier("nowruz", "2");
        nowruz.window = Some(window);
        d.multipliers = vec![nowruz];
    });
    let at = |t| {
        evaluate(
            &policy,
            &purchase(None, "50000", t),
            &History::default(),
            noon(),
        )
        .points
    };
    assert_eq!(
        at(tehran(1402, 12, 29, 24 * HOUR - 1)),
        pts(5),
        "last millisecond of 1402"
    );
    assert_eq!(
        at(tehran(1403, 1, 1, 0)),
        pts(10),
        "Nowruz midnight, Tehran"
    );
    assert_eq!(at(tehran(1403, 1, 13, 24 * HOUR - 1)), pts(10));
    assert_eq!(
        at(tehran(1403, 1, 14, 0)),
        pts(5),
        "the end date is excluded"
    );
    let outside = evaluate(
        &policy,
        &purchase(None, "50000", tehran(1403, 2, 1, 0)),
        &History::default(),
        noon(),
    );
    assert!(outside.explain().contains(
        &"multiplier nowruz (skipped): outside window 1403/01/01 to before 1403/01/14".to_owned()
    ));
}

#[test]
fn birthday_and_new_member_multipliers() {
    let policy = with(|d| {
        let mut birthday = multiplier("birthday-x2", "2");
        birthday.on_birthday = true;
        let mut welcome = multiplier("welcome-x3", "3");
        welcome.joined_within_days = NonZeroU32::new(30);
        d.multipliers = vec![birthday, welcome];
    });
    let day = tehran(1403, 5, 10, 12 * HOUR);
    let (gy, gm, gd) = jdate(1370, 5, 10).to_gregorian();
    let Event::Purchase(mut p) = purchase(None, "10000", day) else {
        unreachable!()
    };
    p.member.birthday = GregorianDate::new(gy, gm, gd);
    assert_eq!(run(&policy, &Event::Purchase(p.clone())).points, pts(2));
    p.member.signed_up_at = day.plus_days(-29);
    assert_eq!(run(&policy, &Event::Purchase(p.clone())).points, pts(6));
    p.member.signed_up_at = day.plus_days(-30);
    p.at = day.plus_days(1);
    let award = run(&policy, &Event::Purchase(p));
    assert_eq!(award.points, pts(1));
    assert!(notes(&award).contains(&&Note::NotBirthday));
    assert!(notes(&award).contains(&&Note::NotNewMember { days: 30 }));
}

#[test]
fn a_30_esfand_birthday_is_kept_on_29_esfand_in_common_years() {
    let (gy, gm, gd) = jdate(1399, 12, 30).to_gregorian();
    let born = GregorianDate::new(gy, gm, gd).unwrap();
    assert!(is_birthday(born, tehran(1404, 12, 29, HOUR)));
    assert!(is_birthday(born, tehran(1403, 12, 30, HOUR)));
    assert!(!is_birthday(born, tehran(1403, 12, 29, HOUR)));
}
