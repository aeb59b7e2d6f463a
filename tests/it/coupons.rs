//! The partner coupon marketplace on both backends: 100 concurrent buys of a stock of 10 sell
//! 10 distinct codes; retries are the first answer; codes from a pool are checked row by row and
//! patterns too small are refused; a partner sees and redeems only its own codes; the REST
//! redemption marks a code used once, says when and where on a second try, in the request's
//! language; and the settlement report counts sales, redemptions and what is owed.

use std::collections::BTreeSet;

use app::features::coupons::server::service::{self as coupons, Codes};
use app::platform::error::ErrorCode;
use app::platform::server::AppState;
use app::platform::server::store::{AccountId, Login, NewAccount, StoredProfile};
use engine::access::{Role, RoleSet};
use engine::card::CardNumber;
use engine::coupon::{CategoryId, CouponValue, ListingDraft, ListingSpec};
use engine::ledger::{MemberId, Money, Points};
use engine::time::Timestamp;
use futures::future::join_all;
use serde_json::{Value, json};

use crate::support::{TestApp, now, on_both_backends};
use crate::wheels::member_top_up;

fn draft(price: i64, limit: u32) -> ListingDraft {
    let ms = now().unix_millis();
    ListingDraft {
        title_fa: "قهوهٔ رایگان".into(),
        title_en: "A free coffee".into(),
        terms_fa: String::new(),
        terms_en: String::new(),
        category: CategoryId::parse("cafe").expect("category"),
        image_url: String::new(),
        price: Points::new(price).expect("points"),
        value: CouponValue::Percent { percent: 20 },
        settlement_price: Money::from_minor(4_000_000).expect("money"),
        sale_from: Timestamp::from_unix_millis(ms - 60_000),
        sale_until: Timestamp::from_unix_millis(ms + 3_600_000),
        valid_until: Timestamp::from_unix_millis(ms + 7_200_000),
        per_member_limit: limit,
        tiers: BTreeSet::new(),
    }
}

fn spec(price: i64, limit: u32) -> ListingSpec {
    ListingSpec::parse(draft(price, limit)).expect("valid listing")
}

/// A member without the password hashing of a sign-up, with `points`.
async fn quick_member(app: &TestApp, n: u64, points: i64) -> AccountId {
    let new = NewAccount {
        login: Login::parse(&format!("buyer{n}@example.com")).expect("login"),
        password_hash: "no login".into(),
        roles: RoleSet::of(&[Role::Member]),
        profile: StoredProfile::default(),
        card: CardNumber::issue(n.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x55),
        now: now(),
        owed_sign_up_award: false,
    };
    let id = app.state.db.accounts.create_account(new).await.expect("account").id;
    if points > 0 {
        member_top_up(app, id, points).await;
    }
    id
}

async fn points(state: &AppState, account: AccountId) -> i64 {
    state.db.ledger.balances(MemberId::new(account.0).expect("member")).await.expect("balances").points.get()
}

async fn assert_sound(state: &AppState) {
    let audit = state.db.ledger.audit().await.expect("audit");
    assert!(audit.is_sound(), "{:?}", audit.violations);
}

fn pattern(count: u64) -> Codes<'static> {
    Codes::Pattern { pattern: "CAFE-####-####", charset: "ABCDEFGHJKMNPQRSTUVWXYZ23456789", count }
}

on_both_backends! {
    async fn a_hundred_concurrent_buys_of_a_stock_of_ten_sell_ten_distinct_codes(app) {
        let state = &app.state;
        let partner = coupons::create_partner(state, "کافه", "Cafe").await.expect("partner");
        let listing = coupons::create_listing(state, partner.id, spec(50, 2), pattern(10)).await.expect("listed");
        assert_eq!(listing.stock, 10);
        let mut members = Vec::new();
        for n in 0..100 {
            members.push(quick_member(&app, n, 100).await);
        }
        let buys = join_all(members.iter().map(|&m| coupons::buy_at(state, m, listing.id, "k", now()))).await;
        let sold: Vec<String> = buys.iter().filter_map(|b| b.as_ref().ok()).map(|o| o.result().code.clone()).collect();
        assert_eq!(sold.len(), 10, "{:?}", buys.iter().filter(|b| b.is_err()).take(3).collect::<Vec<_>>());
        assert_eq!(sold.iter().collect::<BTreeSet<_>>().len(), 10, "never two members the same code");
        assert!(buys.iter().all(|b| b.is_ok() || b.as_ref().err() == Some(&ErrorCode::CouponSoldOut)));
        let stored = state.db.coupons.listing(listing.id).await.expect("read").expect("listing");
        assert_eq!((stored.stock, stored.sold, stored.left()), (10, 10, 0), "stock never negative");
        let charged: i64 = join_all(members.iter().map(|&m| points(state, m))).await.iter().map(|p| 100 - p).sum();
        assert_eq!(charged, 10 * 50, "only the ten sales were charged");
        assert_sound(state).await;
    }
}

on_both_backends! {
    async fn a_retry_is_the_first_answer_and_the_limit_holds_under_concurrent_buys(app) {
        let state = &app.state;
        let partner = coupons::create_partner(state, "کافه", "Cafe").await.expect("partner");
        let listing = coupons::create_listing(state, partner.id, spec(30, 2), pattern(20)).await.expect("listed");
        let ali = quick_member(&app, 1, 1_000).await;
        let first = coupons::buy_at(state, ali, listing.id, "buy-1", now()).await.expect("bought");
        let again = coupons::buy_at(state, ali, listing.id, "buy-1", now()).await.expect("replayed");
        assert!(again.is_replay());
        assert_eq!(again.result(), first.result(), "the same code, charged once");
        let copies = join_all((0..20).map(|n| {
            let key = format!("c{n}");
            async move { coupons::buy_at(state, ali, listing.id, &key, now()).await }
        }))
        .await;
        assert_eq!(copies.iter().filter(|c| c.is_ok()).count(), 1, "one more, then the limit of two");
        assert!(copies.iter().all(|c| c.is_ok() || c.as_ref().err() == Some(&ErrorCode::CouponLimit)));
        assert_eq!(points(state, ali).await, 1_000 - 60);
        let poor = quick_member(&app, 2, 10).await;
        assert_eq!(coupons::buy_at(state, poor, listing.id, "p", now()).await.err(), Some(ErrorCode::InsufficientPoints));
        assert_eq!(coupons::buy_at(state, poor, listing.id + 9, "p", now()).await.err(), Some(ErrorCode::NotFound));
        assert_eq!(coupons::buy_at(state, poor, listing.id, "p", Timestamp::from_unix_millis(4_000_000_000_000)).await.err(), Some(ErrorCode::CouponSaleEnded));
        assert_eq!(points(state, poor).await, 10, "refusals charge nothing");
        let held = state.db.coupons.held(MemberId::new(ali.0).expect("member")).await.expect("held");
        assert_eq!(held.len(), 2);
        assert_sound(state).await;
    }
}

on_both_backends! {
    async fn code_pools_are_checked_row_by_row_and_small_patterns_refused(app) {
        let state = &app.state;
        let partner = coupons::create_partner(state, "کتاب", "Books").await.expect("partner");
        let bad = coupons::create_listing(state, partner.id, spec(10, 1), Codes::Pool("code\nBOOK-0001\nno\nBOOK-0001\n")).await.err().expect("refused");
        assert_eq!(bad.code, ErrorCode::BadCodes);
        assert_eq!(bad.details.len(), 2, "{:?}", bad.details);
        assert!(bad.details[0].contains("row 3") && bad.details[1].contains("row 4") && bad.details[1].contains("row 2"), "{:?}", bad.details);
        let small = coupons::create_listing(state, partner.id, spec(10, 1), Codes::Pattern { pattern: "B-##", charset: "0123456789", count: 5 }).await.err().expect("refused");
        assert!(small.details[0].contains("100 codes"), "{:?}", small.details);
        let good = coupons::create_listing(state, partner.id, spec(10, 1), Codes::Pool("BOOK-0001\nbook-0002\n")).await.expect("listed");
        assert_eq!(good.stock, 2);
        // A code the brand already has elsewhere is refused, and nothing of the file is loaded.
        let again = coupons::create_listing(state, partner.id, spec(10, 1), Codes::Pool("BOOK-0003\nBOOK-0002\n")).await.err().expect("refused");
        assert_eq!(again.code, ErrorCode::BadCodes);
        assert_eq!(state.db.coupons.listings(Some(partner.id)).await.expect("list").len(), 1);
        // Generated codes never repeat the brand's own.
        let made = coupons::create_listing(state, partner.id, spec(10, 1), pattern(200)).await.expect("listed");
        assert_eq!(made.stock, 200);
        let all = state.db.coupons.partner_codes(partner.id).await.expect("codes");
        assert_eq!(all.iter().collect::<BTreeSet<_>>().len(), 202);
    }
}

/// A partner's till: an HTTP client that sends a partner key.
async fn redeem(app: &TestApp, key: &str, body: Value, lang: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/partner/redemptions"))
        .bearer_auth(key)
        .header("Accept-Language", lang)
        .json(&body)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

on_both_backends! {
    async fn a_code_is_redeemed_once_and_a_second_try_says_when_and_where(app) {
        let state = &app.state;
        let cafe = coupons::create_partner(state, "کافه", "Cafe").await.expect("partner");
        let other = coupons::create_partner(state, "کتاب", "Books").await.expect("partner");
        let listing = coupons::create_listing(state, cafe.id, spec(0, 3), pattern(5)).await.expect("listed");
        coupons::create_listing(state, other.id, spec(0, 3), pattern(5)).await.expect("listed");
        let (key, _) = coupons::issue_key(state, cafe.id, "Vanak").await.expect("key");
        let (other_key, _) = coupons::issue_key(state, other.id, "Tajrish").await.expect("key");
        let member = quick_member(&app, 1, 0).await;
        let code = coupons::buy_at(state, member, listing.id, "k", now()).await.expect("bought").into_result().code;

        let (status, first) = redeem(&app, &key, json!({ "code": code.to_lowercase(), "external_id": "r-1" }), "en").await;
        assert_eq!(status, 200, "{first}");
        assert_eq!((first["code"].as_str(), first["place"].as_str()), (Some(code.as_str()), Some("Vanak")));
        let (status, retry) = redeem(&app, &key, json!({ "code": code, "external_id": "r-1" }), "en").await;
        assert_eq!((status, &retry), (200, &first), "a retry is the first answer");
        let (status, twice) = redeem(&app, &key, json!({ "code": code, "external_id": "r-2" }), "fa").await;
        assert_eq!(status, 409);
        assert_eq!(twice["code"], "coupon_used");
        assert_eq!(twice["place"], "Vanak");
        assert_eq!(twice["used_at_ms"], first["used_at_ms"]);
        assert!(twice["message"].as_str().is_some_and(|m| m.contains("پیش‌تر") && m.contains("Vanak")), "in Persian, with where: {twice}");
        let (status, reused) = redeem(&app, &key, json!({ "code": "CAFE-0000-0000", "external_id": "r-1" }), "en").await;
        assert_eq!((status, reused["code"].as_str()), (409, Some("idempotency_conflict")));
        let (status, unknown) = redeem(&app, &key, json!({ "code": "CAFE-ZZZZ-ZZZZ", "external_id": "r-3" }), "en").await;
        assert_eq!((status, unknown["code"].as_str()), (404, Some("unknown_coupon")));
        // Another brand's key does not know this brand's codes.
        let (status, foreign) = redeem(&app, &other_key, json!({ "code": code, "external_id": "x-1" }), "en").await;
        assert_eq!((status, foreign["code"].as_str()), (404, Some("unknown_coupon")));
        // A code nobody bought is unknown too: free codes cannot be redeemed.
        let free = state.db.coupons.partner_codes(cafe.id).await.expect("codes").into_iter().find(|c| c.as_str() != code).expect("a free code");
        let (status, unsold) = redeem(&app, &key, json!({ "code": free.as_str(), "external_id": "r-4" }), "en").await;
        assert_eq!((status, unsold["code"].as_str()), (404, Some("unknown_coupon")));
        let (status, bad) = redeem(&app, "pk_wrong", json!({ "code": code, "external_id": "r-5" }), "en").await;
        assert_eq!((status, bad["code"].as_str()), (401, Some("bad_partner_key")));
        let (status, malformed) = redeem(&app, &key, json!({ "code": 5 }), "en").await;
        assert_eq!((status, malformed["code"].as_str()), (422, Some("bad_request")));
        // Expired: a code bought, then tried after its validity.
        let second = coupons::buy_at(state, member, listing.id, "k2", now()).await.expect("bought").into_result().code;
        // The liability: the second coupon is sold, unused and still good; the first is used.
        assert_eq!(state.db.coupons.outstanding(now()).await.expect("outstanding"), (1, 4_000_000));
        let later = Timestamp::from_unix_millis(now().unix_millis() + 10_000_000);
        assert_eq!(state.db.coupons.outstanding(later).await.expect("outstanding"), (0, 0), "expired coupons are no longer owed");
        let expired = coupons::redeem_at(state, cafe.id, "Vanak", &second, "r-6", later).await.err().expect("refused");
        assert_eq!(expired.code(), ErrorCode::CouponExpired);
        let held = state.db.coupons.held(MemberId::new(member.0).expect("member")).await.expect("held");
        assert!(held.iter().any(|h| h.code == code && h.used.as_ref().is_some_and(|(_, place)| place == "Vanak")), "the member sees it used");
        // The settlement: two sold, one redeemed, 40,000 rials owed for each sale.
        let lines = state.db.coupons.settlement(cafe.id, Timestamp::from_unix_millis(0), later).await.expect("settlement");
        assert_eq!(lines.len(), 1);
        assert_eq!((lines[0].sold, lines[0].redeemed, lines[0].expired_unused, lines[0].owed_minor), (2, 1, 1, 2 * 4_000_000));
    }
}

on_both_backends! {
    async fn a_partner_sees_and_redeems_only_its_own_brand(app) {
        let state = &app.state;
        let cafe = coupons::create_partner(state, "کافه", "Cafe").await.expect("partner");
        let books = coupons::create_partner(state, "کتاب", "Books").await.expect("partner");
        coupons::create_listing(state, cafe.id, spec(0, 3), pattern(5)).await.expect("listed");
        let book_listing = coupons::create_listing(state, books.id, spec(0, 3), pattern(5)).await.expect("listed");
        let admin = app.account("admin@example.com", "password-123", RoleSet::of(&[Role::Admin])).await;
        app.account("barista@example.com", "password-123", RoleSet::of(&[Role::Member])).await;
        coupons::add_partner_user(state, admin.id, cafe.id, "barista@example.com").await.expect("added");
        let client = app.client();
        let login = client.post_form("/login", &[("identifier", "barista@example.com"), ("password", "password-123")]).await;
        assert_eq!(login.status(), 303);
        // Asking for the other brand's page still shows one's own.
        let page = client.server_fn("partner_page", &[("partner", &books.id.to_string())]).await;
        assert_eq!(page.status(), 200);
        let body: Value = page.json().await.expect("JSON");
        assert_eq!(body["partner"], cafe.id);
        assert_eq!(body["listings"].as_array().map(Vec::len), Some(1));
        assert!(body["brands"].as_array().is_some_and(Vec::is_empty), "a partner is not offered other brands");
        // The other brand's sold code is unknown to this partner's redemption form.
        let member = quick_member(&app, 1, 0).await;
        let code = coupons::buy_at(state, member, book_listing.id, "k", now()).await.expect("bought").into_result().code;
        let tried = client.post_form("/partner/redeem", &[("partner", &books.id.to_string()), ("code", &code), ("key", "f-1")]).await;
        assert!(crate::support::location(&tried).contains("error=unknown_coupon"), "{}", crate::support::location(&tried));
        let csv = client.get(&format!("/partner/settlement.csv?partner={}", books.id)).await;
        assert_eq!(csv.status(), 200);
        let text = csv.text().await.expect("text");
        assert!(text.starts_with("listing,title_fa,title_en,sold,redeemed,expired_unused,owed_rials"), "{text}");
        assert_eq!(text.lines().count(), 1, "the café sold nothing; the bookshop's sale is not its to see: {text}");
        // A member without the role is refused the partner area.
        let stranger = app.signed_in("stranger@example.com", RoleSet::of(&[Role::Member])).await;
        let refused = stranger.server_fn("partner_page", &[("partner", "0")]).await;
        assert_eq!(refused.status(), 403);
    }
}

fn coupon_raffle(listing: i64, coupons: u32, opens: i64, closes: i64) -> engine::raffle::RaffleSpec {
    use engine::raffle::{RaffleDraft, RafflePrize, RafflePrizeKind, RaffleSpec};
    RaffleSpec::parse(RaffleDraft {
        title_fa: "قرعهٔ کوپن".into(),
        title_en: "Coupon raffle".into(),
        description_fa: String::new(),
        description_en: String::new(),
        prizes: vec![RafflePrize { kind: RafflePrizeKind::Coupon { listing }, count: coupons, label_fa: "قهوه".into(), label_en: "Coffee".into() }],
        ticket_price: Points::new(10).expect("points"),
        per_member_limit: 5,
        opens_at: Timestamp::from_unix_millis(opens),
        closes_at: Timestamp::from_unix_millis(closes),
        beacon: false,
        tiers: BTreeSet::new(),
        ticket_per_purchase: None,
        by_contest: false,
    })
    .expect("raffle")
}

on_both_backends! {
    async fn a_raffle_prize_can_be_a_coupon_held_from_sale_until_the_draw(app) {
        use app::features::raffles::server::service as raffles;
        let state = &app.state;
        let cafe = coupons::create_partner(state, "کافه", "Cafe").await.expect("partner");
        let listing = coupons::create_listing(state, cafe.id, spec(0, 3), pattern(5)).await.expect("listed");
        let ms = now().unix_millis();
        let (opens, closes) = (ms - 600_000, ms - 60_000);
        let raffle = raffles::open_at(state, coupon_raffle(listing.id, 2, opens, closes), Timestamp::from_unix_millis(opens)).await.expect("opened");
        let left = |l: &app::features::coupons::server::store::StoredListing| (l.sold, l.held, l.left());
        assert_eq!(left(&state.db.coupons.listing(listing.id).await.expect("read").expect("listing")), (0, 2, 3), "two codes held from sale");
        assert_eq!(
            raffles::open_at(state, coupon_raffle(listing.id, 4, opens, closes), Timestamp::from_unix_millis(opens)).await.err(),
            Some(ErrorCode::CouponSoldOut),
            "four are not left"
        );
        assert_eq!(left(&state.db.coupons.listing(listing.id).await.expect("read").expect("listing")), (0, 2, 3), "a refused raffle holds nothing");
        let mut members = Vec::new();
        for n in 0..3 {
            let member = quick_member(&app, n, 100).await;
            raffles::buy_at(state, member, raffle.id, 1, &[n as u8; 32], "t", Timestamp::from_unix_millis(opens + 1_000)).await.expect("ticket");
            members.push(member);
        }
        // A second raffle with two coupon prizes and one entrant gives one and puts one back.
        let lonely = raffles::open_at(state, coupon_raffle(listing.id, 2, opens, closes), Timestamp::from_unix_millis(opens)).await.expect("opened");
        raffles::buy_at(state, members[0], lonely.id, 1, &[9; 32], "t", Timestamp::from_unix_millis(opens + 1_000)).await.expect("ticket");
        let run = raffles::run_due(state, now()).await.expect("drawn");
        assert_eq!(run.drawn, 2);
        let mut won = 0;
        for member in &members {
            won += state.db.coupons.held(MemberId::new(member.0).expect("member")).await.expect("held").len();
        }
        assert_eq!(won, 3, "two winners of the first raffle and the only entrant of the second");
        assert_eq!(left(&state.db.coupons.listing(listing.id).await.expect("read").expect("listing")), (3, 0, 2), "the unwon prize is back on sale");
        assert_sound(state).await;
    }
}

on_both_backends! {
    async fn a_partner_uploads_a_pool_of_thirty_thousand_codes_through_the_form(app) {
        let state = &app.state;
        let cafe = coupons::create_partner(state, "کافه", "Cafe").await.expect("partner");
        let admin = app.account("admin@example.com", "password-123", RoleSet::of(&[Role::Admin])).await;
        app.account("barista@example.com", "password-123", RoleSet::of(&[Role::Member])).await;
        coupons::add_partner_user(state, admin.id, cafe.id, "barista@example.com").await.expect("added");
        let client = app.client();
        client.post_form("/login", &[("identifier", "barista@example.com"), ("password", "password-123")]).await;
        let pool: String = (0..30_000).map(|n| format!("CAFE-{n:06}\n")).collect();
        assert!(pool.len() > 64 * 1024, "bigger than any other form may be");
        let today = now().tehran_date().to_slashed();
        let later = now().plus_days(30).tehran_date().to_slashed();
        let form = [
            ("title_fa", "قهوه"), ("title_en", "Coffee"), ("category", "cafe"), ("price", "۵۰"), ("value_kind", "percent"),
            ("value_amount", "10"), ("settlement_price", "20000"), ("sale_from_date", &today), ("sale_from_time", "00:00"),
            ("sale_until_date", &later), ("sale_until_time", "23:59"), ("valid_until_date", &later), ("valid_until_time", "23:59"),
            ("per_member_limit", "1"), ("codes_from", "pool"), ("pool", &pool),
        ];
        let listed = client.post_form("/partner/listings", &form).await;
        assert!(crate::support::location(&listed).contains("notice=listed"), "{}", crate::support::location(&listed));
        let listing = state.db.coupons.listings(Some(cafe.id)).await.expect("list")[0].clone();
        assert_eq!(listing.stock, 30_000);
        assert_eq!(listing.spec.price().get(), 50, "Persian digits read");
        // A pool with a bad row names it and loads nothing.
        let mut bad = form.to_vec();
        bad.retain(|(k, _)| *k != "pool");
        bad.push(("pool", "TEA-0001\nTEA 0002\n"));
        let refused = client.post_form("/partner/listings", &bad).await;
        let to = crate::support::location(&refused);
        assert!(to.contains("error=bad_codes") && (to.contains("row+2") || to.contains("row%202")), "{to}");
        assert_eq!(state.db.coupons.listings(Some(cafe.id)).await.expect("list").len(), 1);
    }
}

on_both_backends! {
    async fn a_wheel_segment_can_be_a_coupon_paid_from_codes_held_for_it(app) {
        use app::features::wheels::server::service::{hold_coupons, spin_at};
        use engine::wheel::Prize;

        use crate::wheels::{live_wheel, segment, spec as wheel_spec};
        let state = &app.state;
        let cafe = coupons::create_partner(state, "کافه", "Cafe").await.expect("partner");
        let listing = coupons::create_listing(state, cafe.id, spec(0, 3), pattern(5)).await.expect("listed");
        let wheel = live_wheel(state, &wheel_spec(
            vec![segment("coffee", Prize::Coupon { listing: listing.id }, 1, Some(2)), segment("none", Prize::Nothing, 0, None)],
            10, 0, false,
        ))
        .await;
        hold_coupons(state, wheel).await.expect("held");
        let counts = |l: app::features::coupons::server::store::StoredListing| (l.sold, l.held, l.left());
        assert_eq!(counts(state.db.coupons.listing(listing.id).await.expect("read").expect("listing")), (0, 2, 3));
        let member = quick_member(&app, 1, 100).await;
        for n in 0..2 {
            let spun = spin_at(state, member, wheel, &format!("s{n}"), now()).await.expect("spun");
            assert_eq!(spun.result().segment, 0, "the only segment that can be won");
        }
        assert!(spin_at(state, member, wheel, "s3", now()).await.is_err(), "both codes are given: nothing is left to win");
        let held = state.db.coupons.held(MemberId::new(member.0).expect("member")).await.expect("held");
        assert_eq!(held.len(), 2, "two codes in the member's coupon wallet");
        assert_eq!(counts(state.db.coupons.listing(listing.id).await.expect("read").expect("listing")), (2, 0, 3));
        assert_eq!(points(state, member).await, 80, "two spins charged");
        // A segment asking for more codes than are left is refused when the wheel is saved.
        let greedy = live_wheel(state, &wheel_spec(vec![segment("coffee", Prize::Coupon { listing: listing.id }, 1, Some(10)), segment("none", Prize::Nothing, 1, None)], 10, 0, false)).await;
        assert_eq!(hold_coupons(state, greedy).await.err(), Some(ErrorCode::CouponSoldOut));
        assert_eq!(counts(state.db.coupons.listing(listing.id).await.expect("read").expect("listing")), (2, 0, 3), "nothing held for it");
        assert_sound(state).await;
    }
}
