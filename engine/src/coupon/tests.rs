use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;
use crate::ledger::{Money, Points};
use crate::tiers::TierId;
use crate::time::Timestamp;

fn at(secs: i64) -> Timestamp {
    Timestamp::from_unix_millis(secs * 1000)
}

fn draft() -> ListingDraft {
    ListingDraft {
        title_fa: "قهوهٔ رایگان".into(),
        title_en: "A free coffee".into(),
        terms_fa: String::new(),
        terms_en: String::new(),
        category: CategoryId::parse("cafe").expect("category"),
        image_url: String::new(),
        price: Points::new(200).expect("points"),
        value: CouponValue::Percent { percent: 20 },
        settlement_price: Money::from_minor(5_000_000).expect("money"),
        sale_from: at(1_000),
        sale_until: at(2_000),
        valid_until: at(3_000),
        per_member_limit: 2,
        tiers: BTreeSet::new(),
    }
}

fn bronze() -> TierId {
    TierId::parse("bronze").expect("tier")
}

#[test]
fn codes_are_upper_case_letters_digits_and_dashes() {
    assert_eq!(CodeText::parse(" cafe-12ab ").map(|c| c.as_str().to_owned()), Some("CAFE-12AB".into()));
    assert_eq!(CodeText::parse("abc"), None, "too short");
    assert_eq!(CodeText::parse("CAFE 12"), None, "no spaces");
    assert_eq!(CodeText::parse("CAFÉ-1234"), None, "ASCII only");
}

#[test]
fn a_pool_names_every_bad_row_and_loads_nothing_then() {
    let good = read_pool("code\nAAAA-0001\n\nAAAA-0002\n");
    assert_eq!(good.codes.len(), 2);
    assert!(good.errors.is_empty());
    let bad = read_pool("AAAA-0001\nx\nAAAA-0001\nBBBB-0002,extra\n");
    assert_eq!(
        bad.errors,
        vec![
            PoolError::NotACode { row: 2, text: "x".into() },
            PoolError::Duplicate { row: 3, code: "AAAA-0001".into(), first: 1 },
        ]
    );
    assert!(bad.codes.is_empty(), "a pool with errors loads nothing");
}

#[test]
fn a_pattern_too_small_for_the_stock_is_refused() {
    let pattern = CodePattern::parse("CAFE-##", "0123456789").expect("pattern");
    assert_eq!(pattern.space(), 100);
    assert!(matches!(pattern.check_stock(1), Err(PatternError::TooSmall { space: 100, stock: 1, need: 1_000 })));
    assert_eq!(CodePattern::parse("CAFE", "AB"), Err(PatternError::Shape), "no # position");
    assert_eq!(CodePattern::parse("CAFE-###", "A"), Err(PatternError::Charset));
}

#[test]
fn generated_codes_follow_the_pattern_are_distinct_and_avoid_taken_ones() {
    let pattern = CodePattern::parse("cafe-####", "ABCDEFGHJK23456789").expect("pattern");
    let taken: BTreeSet<CodeText> = pattern.generate(50, [1; 32], &BTreeSet::new()).expect("codes").into_iter().collect();
    let codes = pattern.generate(100, [2; 32], &taken).expect("codes");
    let distinct: BTreeSet<&CodeText> = codes.iter().collect();
    assert_eq!(distinct.len(), 100);
    assert!(codes.iter().all(|c| !taken.contains(c)));
    assert!(codes.iter().all(|c| c.as_str().starts_with("CAFE-") && c.as_str().len() == 9));
    assert_eq!(pattern.generate(100, [2; 32], &taken).expect("codes"), codes, "the same entropy makes the same codes");
}

#[test]
fn listings_are_checked_whole() {
    assert!(ListingSpec::parse(draft()).is_ok());
    let with = |change: fn(&mut ListingDraft)| {
        let mut d = draft();
        change(&mut d);
        ListingSpec::parse(d).err()
    };
    assert_eq!(with(|d| d.value = CouponValue::Percent { percent: 0 }), Some(ListingError::Percent));
    assert_eq!(with(|d| d.valid_until = at(1_500)), Some(ListingError::Window));
    assert_eq!(with(|d| d.per_member_limit = 0), Some(ListingError::Limit));
    assert_eq!(with(|d| d.image_url = "javascript:alert(1)".into()), Some(ListingError::Image));
    assert_eq!(with(|d| d.image_url = "//evil.example/x.png".into()), Some(ListingError::Image));
    assert_eq!(with(|d| d.image_url = "/img/a\".png".into()), Some(ListingError::Image));
    assert_eq!(with(|d| d.image_url = "https://cdn.example/coffee.png".into()), None);
}

#[test]
fn buying_follows_the_window_the_tiers_and_the_limit() {
    let spec = ListingSpec::parse(draft()).expect("valid");
    assert_eq!(buy(&spec, &bronze(), 0, at(999)), Err(BuyRefusal::NotOnSaleYet));
    assert_eq!(buy(&spec, &bronze(), 0, at(1_000)), Ok(Points::new(200).expect("points")));
    assert_eq!(buy(&spec, &bronze(), 2, at(1_500)), Err(BuyRefusal::OverLimit));
    assert_eq!(buy(&spec, &bronze(), 0, at(2_000)), Err(BuyRefusal::SaleEnded));
    let mut gold_only = draft();
    gold_only.tiers.insert(TierId::parse("gold").expect("tier"));
    assert_eq!(buy(&ListingSpec::parse(gold_only).expect("valid"), &bronze(), 0, at(1_500)), Err(BuyRefusal::TierNotAdmitted));
}

#[test]
fn a_code_is_redeemed_once_and_not_after_it_expires() {
    let fresh = CouponState { valid_until: at(3_000), used: None };
    assert_eq!(redeem(&fresh, at(2_999)), Ok(()));
    assert_eq!(redeem(&fresh, at(3_000)), Err(RedeemRefusal::Expired { at: at(3_000) }));
    let used = CouponState { valid_until: at(3_000), used: Some((at(2_500), "Vanak".into())) };
    assert_eq!(redeem(&used, at(2_600)), Err(RedeemRefusal::Used { at: at(2_500), place: "Vanak".into() }));
}

proptest! {
    /// Whatever the pattern and entropy, generated codes are distinct, valid and of the
    /// pattern's length.
    #[test]
    fn generated_codes_are_always_distinct(seed in any::<[u8; 32]>(), hashes in 4usize..8, count in 1u64..200) {
        let pattern = CodePattern::parse(&format!("X-{}", "#".repeat(hashes)), "ABC123").expect("pattern");
        prop_assume!(pattern.check_stock(count).is_ok());
        let codes = pattern.generate(count, seed, &BTreeSet::new()).expect("codes");
        let distinct: BTreeSet<&CodeText> = codes.iter().collect();
        prop_assert_eq!(distinct.len() as u64, count);
        prop_assert!(codes.iter().all(|c| c.as_str().len() == 2 + hashes));
    }
}
