//! The POS REST API over real HTTP, on both backends: branch keys, enrolment and lookup,
//! purchases with the starter policy, returns, credit payments, limits and tiers applied in the
//! ledger's transaction, and the concurrency the issue asks for. Every test ends with the ledger
//! auditing itself.

use app::platform::error::ErrorCode;
use app::platform::i18n::Lang;
use app::features::pos::server::{keys, policy};
use engine::card::CardNumber;
use engine::earn::{Policy, PolicyDraft};
use futures::future::join_all;
use serde_json::{Value, json};

use crate::support::{TestApp, on_both_backends};

/// A till: an HTTP client that sends a branch key.
struct Till {
    http: reqwest::Client,
    base: String,
    key: String,
}

impl Till {
    async fn open(app: &TestApp) -> Self {
        let (_, key) = keys::create_branch(&app.state, "شعبه آزمون").await.expect("branch created");
        Self::with_key(app, &key.secret)
    }

    fn with_key(app: &TestApp, key: &str) -> Self {
        Self { http: reqwest::Client::new(), base: app.url(""), key: key.to_owned() }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (u16, String) {
        let response = request.bearer_auth(&self.key).send().await.expect("request sent");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    async fn post_raw(&self, path: &str, body: &Value) -> (u16, String) {
        self.send(self.http.post(format!("{}{path}", self.base)).json(body)).await
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let (status, text) = self.post_raw(path, &body).await;
        (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} answered non-JSON {text:?}: {e}")))
    }

    async fn lookup(&self, query: &[(&str, &str)]) -> (u16, Value) {
        let (status, text) = self.send(self.http.get(format!("{}/api/v1/members/lookup", self.base)).query(query)).await;
        (status, serde_json::from_str(&text).expect("JSON"))
    }

    async fn enrol(&self, phone: &str) -> Value {
        let (status, body) = self.post("/api/v1/members", json!({ "phone": phone })).await;
        assert!(status == 201 || status == 200, "enrol {phone}: {status} {body}");
        body
    }

    async fn buy(&self, external_id: &str, card: &Value, amount: &str) -> (u16, Value) {
        self.post("/api/v1/purchases", json!({ "external_id": external_id, "member": card, "amount": amount })).await
    }

    /// `buy` with owned arguments, for many concurrent calls.
    async fn buy_owned(&self, external_id: String, card: Value, amount: &str) -> (u16, Value) {
        self.buy(&external_id, &card, amount).await
    }

    async fn member(&self, card: &Value) -> Value {
        let (status, body) = self.lookup(&[("member", card.as_str().expect("card"))]).await;
        assert_eq!(status, 200, "{body}");
        body
    }
}

async fn assert_sound(app: &TestApp) {
    let audit = app.state.db.ledger.audit().await.expect("audit runs");
    assert!(audit.is_sound(), "{:?}", audit.violations);
}

fn code(body: &Value) -> &str {
    body["code"].as_str().unwrap_or_default()
}

on_both_backends! {
    async fn only_a_live_branch_key_opens_the_api(app) {
        let till = Till::open(&app).await;
        let enrol = json!({ "phone": "09121110000" });
        for key in ["", "bk_not-a-real-key", "secret"] {
            let (status, body) = Till::with_key(&app, key).post("/api/v1/members", enrol.clone()).await;
            assert_eq!((status, code(&body)), (401, "bad_api_key"), "key {key:?}");
        }
        let anonymous = reqwest::Client::new().get(app.url("/api/v1/members/lookup?member=09121110000")).send().await.expect("sent");
        assert_eq!(anonymous.status(), 401);
        assert_eq!(anonymous.headers().get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer"));

        let (status, _) = till.post("/api/v1/members", enrol.clone()).await;
        assert_eq!(status, 201, "a live key works, and needs no Origin header");

        let branch = app.state.db.club.branches().await.expect("branches")[0].clone();
        let second = keys::issue_key(&app.state, branch.id).await.expect("second key");
        let stored = app.state.db.club.keys(branch.id).await.expect("keys");
        assert_eq!(stored.len(), 2);
        assert!(till.key.starts_with(&stored[1].prefix) && stored[1].prefix.len() < 12, "only a short prefix is kept");
        let (status, _) = Till::with_key(&app, &second.secret).post("/api/v1/members", enrol.clone()).await;
        assert_eq!(status, 200, "the second key works (and is cached now)");
        keys::revoke_key(&app.state, second.stored.id).await.expect("revoked");
        let (status, body) = Till::with_key(&app, &second.secret).post("/api/v1/members", enrol.clone()).await;
        assert_eq!((status, code(&body)), (401, "bad_api_key"), "a revoked key is refused at once");
        let (status, _) = till.post("/api/v1/members", enrol).await;
        assert_eq!(status, 200, "the other key still works");
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn a_replaced_card_stops_buying_at_once_though_it_was_cached(app) {
        let till = Till::open(&app).await;
        let old = till.enrol("09121234567").await["card_number"].clone();
        let (status, _) = till.buy("sale-1", &old, "10000").await;
        assert_eq!(status, 201);
        let member = app.state.db.accounts.account_by_card(&CardNumber::parse(old.as_str().expect("text")).expect("card")).await.expect("read").expect("found");
        let new = app::features::accounts::server::service::replace_card(&app.state, member.id).await.expect("replaced");
        let (status, body) = till.buy("sale-2", &old, "10000").await;
        assert_eq!((status, code(&body)), (404, "unknown_member"), "the old card names nobody: {body}");
        let (status, _) = till.buy("sale-3", &json!(new.as_str()), "10000").await;
        assert_eq!(status, 201);
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn a_member_enrols_once_and_is_found_by_card_or_phone(app) {
        let till = Till::open(&app).await;
        let (status, first) = till.post("/api/v1/members", json!({ "phone": "0912 345 6789", "first_name": "سارا", "last_name": "کریمی" })).await;
        assert_eq!(status, 201, "{first}");
        let card = first["card_number"].as_str().expect("card number").to_owned();
        assert_eq!(card.len(), 16);
        let (status, again) = till.post("/api/v1/members", json!({ "phone": "+98 912 345 6789" })).await;
        assert_eq!((status, &again), (200, &first), "the same phone is the same member");

        let by_card = till.member(&json!(card)).await;
        assert_eq!(by_card["member_id"], first["member_id"]);
        assert_eq!(by_card["name"], "سارا کریمی");
        // Enrolment pays the starter policy's sign-up bonus, spendable at once.
        assert_eq!((by_card["points"].as_i64(), by_card["credit"].as_str(), by_card["tier"].as_str()), (Some(50), Some("0.00"), Some("bronze")));
        for phone in ["۰۹۱۲۳۴۵۶۷۸۹", "٠٩١٢٣٤٥٦٧٨٩", "09123456789", "+989123456789"] {
            let (status, by_phone) = till.lookup(&[("member", phone)]).await;
            assert_eq!((status, &by_phone), (200, &by_card), "phone {phone}");
        }
        let spaced: String = card.chars().enumerate().flat_map(|(i, c)| (i % 4 == 0 && i > 0).then_some(' ').into_iter().chain([c])).collect();
        assert_eq!(till.lookup(&[("member", &spaced)]).await.1, by_card, "a card typed in groups");

        let (status, body) = till.lookup(&[("member", "09129999999")]).await;
        assert_eq!((status, code(&body)), (404, "unknown_member"));
        for member in ["1234", "0912345678", "card 9800"] {
            let (status, body) = till.lookup(&[("member", member)]).await;
            assert_eq!((status, code(&body)), (422, "bad_member_key"), "{member}");
        }
        let (status, body) = till.lookup(&[]).await;
        assert_eq!((status, code(&body)), (422, "bad_request"), "no member named");
        let last = card.chars().last().and_then(|c| c.to_digit(10)).expect("a digit");
        let mistyped = format!("{}{}", &card[..15], (last + 1) % 10);
        let (status, body) = till.lookup(&[("member", &mistyped)]).await;
        assert_eq!((status, code(&body)), (404, "mistyped_card"), "a wrong check digit names no card");
        let (status, body) = till.post("/api/v1/members", json!({ "phone": "12345" })).await;
        assert_eq!((status, code(&body)), (422, "bad_phone"));
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn a_purchase_earns_by_the_starter_policy_and_a_retry_replays_it(app) {
        let till = Till::open(&app).await;
        let card = till.enrol("09121234567").await["card_number"].clone();
        let body = json!({ "external_id": "sale-1", "member": card, "amount": "1250000" });
        let (status, first) = till.post_raw("/api/v1/purchases", &body).await;
        assert_eq!(status, 201, "{first}");
        let receipt: Value = serde_json::from_str(&first).expect("JSON");
        // 1 point per 10,000 rials, pending through the 7-day return window; bronze pays 1% cashback.
        assert_eq!(receipt["points_earned"], 125);
        assert_eq!((receipt["points_balance"].as_i64(), receipt["points_pending"].as_i64()), (Some(50), Some(125)), "50: the sign-up bonus");
        assert_eq!((receipt["credit_earned"].as_str(), receipt["credit_balance"].as_str()), (Some("12500.00"), Some("12500.00")));
        assert_eq!(receipt["tier"], "bronze");

        let (status, again) = till.post_raw("/api/v1/purchases", &body).await;
        assert_eq!((status, &again), (200, &first), "the same id and body: the first answer, byte for byte");
        let by_phone = json!({ "external_id": "sale-1", "member": "09121234567", "amount": "1250000" });
        let (status, conflict) = till.post("/api/v1/purchases", by_phone).await;
        assert_eq!((status, code(&conflict)), (409, "idempotency_conflict"), "another body under the same id");
        let (status, conflict) = till.buy("sale-1", &card, "1250001").await;
        assert_eq!((status, code(&conflict)), (409, "idempotency_conflict"));
        let member = till.member(&card).await;
        assert_eq!((member["pending_points"].as_i64(), member["credit"].as_str()), (Some(125), Some("12500.00")), "applied once");

        for amount in [json!(1250000), json!("0"), json!("-5"), json!("1.005"), json!("abc")] {
            let (status, body) = till.post("/api/v1/purchases", json!({ "external_id": "sale-2", "member": card, "amount": amount })).await;
            assert_eq!((status, code(&body)), (422, "bad_amount"), "amount {amount}");
        }
        let (status, body) = till.post("/api/v1/purchases", json!({ "external_id": "", "member": card, "amount": "10" })).await;
        assert_eq!((status, code(&body)), (422, "bad_external_id"));
        let (status, body) = till.buy("sale-3", &json!("9800000000000000"), "10").await;
        assert_eq!((status, code(&body)), (404, "mistyped_card"), "a card number with a wrong check digit names no card");
        for at in [json!(1_750_000_000_000_i64), json!("yesterday"), json!("2026-13-01T00:00:00Z")] {
            let body = json!({ "external_id": "sale-4", "member": card, "amount": "10", "occurred_at": at });
            let (status, body) = till.post("/api/v1/purchases", body).await;
            assert_eq!(status, 422, "occurred_at {at}");
            assert!(["bad_occurred_at", "bad_request"].contains(&code(&body)), "{at}: {body}");
        }
        // Well-formed, but ahead of the server's clock: a conflict with the present, not bad input.
        let ahead = json!({ "external_id": "sale-5", "member": card, "amount": "10", "occurred_at": "2100-01-01T00:00:00Z" });
        let (status, body) = till.post("/api/v1/purchases", ahead).await;
        assert_eq!((status, code(&body)), (409, "occurred_at_in_future"));
        assert_sound(&app).await;
    }
}

/// RFC 3339 at `hours_ago` before now, in Tehran's offset, with milliseconds.
fn rfc3339_ago(hours_ago: i64) -> String {
    let now = time::OffsetDateTime::now_utc() - time::Duration::hours(hours_ago);
    let tehran = now.to_offset(time::UtcOffset::from_hms(3, 30, 0).expect("offset"));
    tehran.format(&time::format_description::well_known::Rfc3339).expect("format")
}

on_both_backends! {
    async fn a_sale_back_dated_past_the_window_is_refused_naming_occurred_at(app) {
        let till = Till::open(&app).await;
        let card = till.enrol("09121234567").await["card_number"].clone();
        let sale = |id: &str, at: String| json!({ "external_id": id, "member": card, "amount": "1000000", "occurred_at": at });
        let (status, recent) = till.post("/api/v1/purchases", sale("sale-1", rfc3339_ago(71))).await;
        assert_eq!(status, 201, "71 hours back is inside the 72-hour window: {recent}");
        let (status, old) = till.post("/api/v1/purchases", sale("sale-2", rfc3339_ago(73))).await;
        assert_eq!((status, code(&old)), (409, "occurred_at_too_old"));
        assert!(old["message"].as_str().expect("message").contains("occurred_at"), "{old}");
        assert_eq!(till.member(&card).await["pending_points"].as_i64(), Some(100), "only the recent sale earned");
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn errors_answer_in_the_requested_language(app) {
        let till = Till::open(&app).await;
        let card = till.enrol("09121234567").await["card_number"].clone();
        let body = json!({ "external_id": "pay-1", "card_number": card, "amount": "1000" });
        for (lang, header) in [(Lang::Fa, "fa-IR,fa;q=0.9"), (Lang::En, "en-US,en;q=0.8")] {
            let request = till.http.post(app.url("/api/v1/credit/redemptions")).header("accept-language", header).json(&body);
            let (status, text) = till.send(request).await;
            let answer: Value = serde_json::from_str(&text).expect("JSON");
            assert_eq!(status, 409);
            assert_eq!(answer["code"], "insufficient_credit");
            assert_eq!(answer["message"], ErrorCode::InsufficientCredit.message(lang), "{header}");
            let request = till.http.get(app.url("/api/v1/members/lookup?member=1")).header("accept-language", header);
            let answer: Value = serde_json::from_str(&Till::with_key(&app, "bk_x").send(request).await.1).expect("JSON");
            assert_eq!(answer["message"], ErrorCode::BadApiKey.message(lang), "{header}");
        }
        assert_ne!(ErrorCode::InsufficientCredit.message(Lang::Fa), ErrorCode::InsufficientCredit.message(Lang::En));
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn returns_reverse_in_proportion_and_never_more_than_was_bought(app) {
        let till = Till::open(&app).await;
        let card = till.enrol("09121234567").await["card_number"].clone();
        let (status, _) = till.buy("sale-1", &card, "1000000").await;
        assert_eq!(status, 201);
        let give_back = |id: &str, amount: &str| json!({ "external_id": id, "purchase_external_id": "sale-1", "amount": amount });

        let (status, first) = till.post("/api/v1/returns", give_back("ret-1", "250000")).await;
        assert_eq!(status, 201, "{first}");
        assert_eq!((first["points_reversed"].as_i64(), first["credit_reversed"].as_str()), (Some(25), Some("2500.00")));
        assert_eq!((first["points_pending"].as_i64(), first["credit_balance"].as_str()), (Some(75), Some("7500.00")));
        let (status, again) = till.post("/api/v1/returns", give_back("ret-1", "250000")).await;
        assert_eq!((status, &again), (200, &first), "a retried return is not applied twice");
        let (status, conflict) = till.post("/api/v1/returns", give_back("ret-1", "100")).await;
        assert_eq!((status, code(&conflict)), (409, "idempotency_conflict"));

        let (status, second) = till.post("/api/v1/returns", give_back("ret-2", "250000")).await;
        assert_eq!(status, 201);
        assert_eq!((second["points_reversed"].as_i64(), second["returned_total"].as_str()), (Some(25), Some("500000.00")));
        let (status, too_much) = till.post("/api/v1/returns", give_back("ret-3", "500000.01")).await;
        assert_eq!((status, code(&too_much)), (409, "return_exceeds_purchase"));
        let (status, last) = till.post("/api/v1/returns", give_back("ret-4", "500000")).await;
        assert_eq!(status, 201);
        assert_eq!((last["points_reversed"].as_i64(), last["credit_reversed"].as_str()), (Some(50), Some("5000.00")));
        assert_eq!((last["points_pending"].as_i64(), last["credit_balance"].as_str()), (Some(0), Some("0.00")));
        let (status, body) = till.post("/api/v1/returns", give_back("ret-5", "1")).await;
        assert_eq!((status, code(&body)), (409, "return_exceeds_purchase"), "nothing is left to return");
        let unknown = json!({ "external_id": "ret-6", "purchase_external_id": "no-such-sale", "amount": "1" });
        let (status, body) = till.post("/api/v1/returns", unknown).await;
        assert_eq!((status, code(&body)), (404, "unknown_purchase"));

        // Credit already spent when its purchase comes back is owed, then settled by the next earnings.
        let (status, _) = till.buy("sale-2", &card, "1000000").await;
        assert_eq!(status, 201);
        let (status, _) = till.post("/api/v1/credit/redemptions", json!({ "external_id": "pay-1", "card_number": card, "amount": "8000" })).await;
        assert_eq!(status, 201);
        let whole = json!({ "external_id": "ret-7", "purchase_external_id": "sale-2", "amount": "1000000" });
        let (status, owed) = till.post("/api/v1/returns", whole).await;
        assert_eq!(status, 201);
        assert_eq!((owed["credit_balance"].as_str(), owed["credit_owed"].as_str()), (Some("0.00"), Some("8000.00")));
        let (_, settled) = till.buy("sale-3", &card, "1000000").await;
        assert_eq!((settled["credit_balance"].as_str(), settled["credit_owed"].as_str()), (Some("2000.00"), Some("0.00")));
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn credit_pays_as_far_as_it_goes_and_a_refusal_changes_nothing(app) {
        let till = Till::open(&app).await;
        let card = till.enrol("09121234567").await["card_number"].clone();
        till.buy("sale-1", &card, "1000000").await;
        let pay = |id: &str, amount: &str| json!({ "external_id": id, "card_number": card, "amount": amount });
        let (status, paid) = till.post("/api/v1/credit/redemptions", pay("pay-1", "4000")).await;
        assert_eq!(status, 201, "{paid}");
        assert_eq!((paid["amount"].as_str(), paid["credit_balance"].as_str()), (Some("4000.00"), Some("6000.00")));
        let (status, refused) = till.post("/api/v1/credit/redemptions", pay("pay-2", "6000.01")).await;
        assert_eq!((status, code(&refused)), (409, "insufficient_credit"));
        assert_eq!(till.member(&card).await["credit"], "6000.00", "nothing taken");
        let (status, paid) = till.post("/api/v1/credit/redemptions", pay("pay-2", "6000")).await;
        assert_eq!((status, paid["credit_balance"].as_str()), (201, Some("0.00")), "a refused id is judged afresh");
        let by_phone = json!({ "external_id": "pay-3", "phone": "09121234567", "amount": "1" });
        let (status, body) = till.post("/api/v1/credit/redemptions", by_phone).await;
        assert_eq!((status, code(&body)), (422, "bad_request"), "a phone alone does not pay with credit");
        let short = json!({ "external_id": "pay-3", "card_number": "1234", "amount": "1" });
        let (status, body) = till.post("/api/v1/credit/redemptions", short).await;
        assert_eq!((status, code(&body)), (422, "card_required"));
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn a_daily_limit_holds_under_twenty_concurrent_purchases(app) {
        let mut draft: PolicyDraft = Policy::starter().to_draft();
        let mut rule = serde_json::to_value(&draft.rules[0]).expect("rule");
        rule["limits"] = json!([{ "max": 25, "period": "day" }]);
        draft.rules[0] = serde_json::from_value(rule).expect("limited rule");
        draft.version = 2;
        policy::save(&app.state, &Policy::parse(draft).expect("valid policy"), None).await.expect("saved");
        let versions = app.state.db.club.policy_history(10).await.expect("history");
        assert_eq!((versions.len(), versions[0].policy.version(), versions[0].created_by), (1, 2, None));
        assert_eq!(policy::active(&app.state).await.expect("policy").version(), 2, "the newest version is in force");

        let till = Till::open(&app).await;
        let card = till.enrol("09121234567").await["card_number"].clone();
        let sales = (0..20).map(|n| till.buy_owned(format!("sale-{n}"), card.clone(), "100000"));
        let answers = join_all(sales).await;
        assert!(answers.iter().all(|(status, _)| *status == 201), "{answers:?}");
        let earned: i64 = answers.iter().map(|(_, body)| body["points_earned"].as_i64().expect("points")).sum();
        assert_eq!(earned, 25, "20 purchases of 10 points each, capped at 25 a day");
        assert_eq!(till.member(&card).await["pending_points"], 25);
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn a_promotion_shows_at_once_and_pays_the_new_benefits(app) {
        let till = Till::open(&app).await;
        let card = till.enrol("09121234567").await["card_number"].clone();
        let (_, big) = till.buy("sale-1", &card, "10000000").await;
        assert_eq!((big["points_earned"].as_i64(), big["tier"].as_str()), (Some(1000), Some("silver")), "1,000 points earned reach silver");
        assert_eq!(big["credit_earned"], "100000.00", "the purchase itself was made as bronze");
        assert_eq!(till.member(&card).await["tier"], "silver");
        let (_, next) = till.buy("sale-2", &card, "1000000").await;
        assert_eq!((next["points_earned"].as_i64(), next["credit_earned"].as_str()), (Some(125), Some("20000.00")), "silver: ×1.25 and 2%");
        // Returning the big purchase takes the points back; the tier holds through the grace period.
        let whole = json!({ "external_id": "ret-1", "purchase_external_id": "sale-1", "amount": "10000000" });
        let (status, back) = till.post("/api/v1/returns", whole).await;
        assert_eq!((status, back["tier"].as_str()), (201, Some("silver")));
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn fifty_concurrent_purchases_of_one_member_all_apply_once(app) {
        let till = Till::open(&app).await;
        let card = till.enrol("09121234567").await["card_number"].clone();
        let answers = join_all((0..50).map(|n| till.buy_owned(format!("sale-{n}"), card.clone(), "100000"))).await;
        assert!(answers.iter().all(|(status, _)| *status == 201), "{answers:?}");
        let mut ids: Vec<i64> = answers.iter().map(|(_, b)| b["purchase_id"].as_i64().expect("id")).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 50);
        let member = till.member(&card).await;
        assert_eq!((member["pending_points"].as_i64(), member["credit"].as_str()), (Some(50 * 10), Some("50000.00")));
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn a_hundred_concurrent_payments_succeed_exactly_as_far_as_the_credit_goes(app) {
        let till = Till::open(&app).await;
        let card = till.enrol("09121234567").await["card_number"].clone();
        till.buy("sale-1", &card, "1000000").await;
        let till = &till;
        let pays = (0..100).map(|n| {
            let body = json!({ "external_id": format!("pay-{n}"), "card_number": card, "amount": "150" });
            async move { till.post("/api/v1/credit/redemptions", body).await }
        });
        let answers = join_all(pays).await;
        let paid = answers.iter().filter(|(status, _)| *status == 201).count();
        let refused = answers.iter().filter(|(status, body)| *status == 409 && code(body) == "insufficient_credit").count();
        assert_eq!((paid, refused), (66, 34), "10,000 rials pay 66 times 150");
        assert_eq!(till.member(&card).await["credit"], "100.00");
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn a_hundred_concurrent_retries_of_one_purchase_apply_it_once(app) {
        let till = Till::open(&app).await;
        let card = till.enrol("09121234567").await["card_number"].clone();
        let body = json!({ "external_id": "sale-1", "member": card, "amount": "500000" });
        let answers = join_all((0..100).map(|_| till.post_raw("/api/v1/purchases", &body))).await;
        let created = answers.iter().filter(|(status, _)| *status == 201).count();
        let replayed = answers.iter().filter(|(status, _)| *status == 200).count();
        assert_eq!((created, replayed), (1, 99), "{answers:?}");
        assert!(answers.iter().all(|(_, text)| *text == answers[0].1), "every answer is the same body");
        assert_eq!(till.member(&card).await["pending_points"], 50);
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn the_openapi_document_and_swagger_ui_are_served_from_the_binary(app) {
        let http = reqwest::Client::new();
        let doc: Value = http.get(app.url("/api/v1/openapi.json")).send().await.expect("sent").json().await.expect("JSON");
        for path in ["/api/v1/members", "/api/v1/members/lookup", "/api/v1/purchases", "/api/v1/returns", "/api/v1/credit/redemptions"] {
            assert!(doc["paths"][path].is_object(), "{path} is documented");
        }
        assert_eq!(doc["components"]["securitySchemes"]["branch_key"]["scheme"], "bearer");
        let ui = http.get(app.url("/api/v1/docs/")).send().await.expect("sent");
        assert_eq!(ui.status(), 200);
        let page = ui.text().await.expect("page");
        assert!(page.contains("swagger-ui") && !page.contains("https://"), "served locally, no CDN");
        let script = http.get(app.url("/api/v1/docs/swagger-ui-bundle.js")).send().await.expect("sent");
        assert_eq!(script.status(), 200);
    }
}

/// `(sum, count)` of a histogram in the Prometheus text `/metrics` serves.
async fn histogram(app: &TestApp, name: &str) -> (f64, f64) {
    let text = app.client().get("/metrics").await.text().await.expect("metrics");
    let value = |suffix: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(&format!("{name}_{suffix} ")))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or_else(|| panic!("{name}_{suffix} in {text}"))
    };
    (value("sum"), value("count"))
}

on_both_backends! {
    async fn concurrent_purchases_of_many_members_commit_together_and_each_applies_once(app) {
        let till = Till::open(&app).await;
        let mut cards = Vec::new();
        for n in 0..40 {
            cards.push(till.enrol(&format!("0912{n:07}")).await["card_number"].clone());
        }
        // 400 purchases, ten per member, each sent twice at the same moment.
        let sends = (0..400).flat_map(|n| {
            let card = cards[n % 40].clone();
            [(format!("sale-{n}"), card.clone()), (format!("sale-{n}"), card)]
        });
        let answers = join_all(sends.map(|(id, card)| till.buy_owned(id, card, "100000"))).await;
        let created = answers.iter().filter(|(status, _)| *status == 201).count();
        let replayed = answers.iter().filter(|(status, _)| *status == 200).count();
        assert_eq!((created, replayed), (400, 400), "each purchase applies once and its twin replays it");
        for pair in answers.chunks(2) {
            assert_eq!(pair[0].1["purchase_id"], pair[1].1["purchase_id"], "a retry is the first answer");
        }
        for card in &cards {
            let member = till.member(card).await;
            assert_eq!((member["pending_points"].as_i64(), member["credit"].as_str()), (Some(100), Some("10000.00")), "{member}");
        }
        let (writes, batches) = histogram(&app, "bashgah_write_batch_size").await;
        assert!(writes >= 400.0 && batches < writes, "purchases shared commits: {writes} writes in {batches} batches");
        let text = app.client().get("/metrics").await.text().await.expect("metrics");
        assert!(!text.contains("bashgah_write_batch_failures_total"), "no batch fell back to one at a time");
        assert_sound(&app).await;
    }
}

#[tokio::test]
async fn a_full_write_queue_answers_503_with_retry_after_and_the_retries_apply_once() {
    let settings = [("BASHGAH_WRITE_QUEUE", "1".to_owned()), ("BASHGAH_WRITE_BATCH", "1".to_owned())];
    let app = TestApp::spawn_with(crate::support::Backend::Sqlite, &settings).await;
    let till = Till::open(&app).await;
    let mut cards = Vec::new();
    for n in 0..20 {
        cards.push(till.enrol(&format!("0912{n:07}")).await["card_number"].clone());
    }
    let send = |n: usize| {
        let body = json!({ "external_id": format!("sale-{n}"), "member": cards[n % 20], "amount": "100000" });
        till.http.post(format!("{}/api/v1/purchases", till.base)).bearer_auth(&till.key).json(&body).send()
    };
    let answers = join_all((0..200).map(send)).await;
    let mut unanswered = Vec::new();
    for (n, answer) in answers.into_iter().enumerate() {
        let answer = answer.expect("answered");
        match answer.status().as_u16() {
            201 => {}
            503 => {
                assert_eq!(answer.headers()["retry-after"], "1");
                let body: Value = answer.json().await.expect("JSON");
                assert_eq!(code(&body), "writes_queued");
                unanswered.push(n);
            }
            other => panic!("purchase {n}: {other}"),
        }
    }
    assert!(!unanswered.is_empty(), "a queue of one overflows under 200 concurrent purchases");
    for n in &unanswered {
        let (status, body) = till.buy(&format!("sale-{n}"), &cards[n % 20], "100000").await;
        assert_eq!(status, 201, "a refused purchase was never written: {body}");
    }
    for card in &cards {
        assert_eq!(till.member(card).await["pending_points"].as_i64(), Some(100), "ten purchases each, none twice");
    }
    assert_sound(&app).await;
}
