//! The earning events besides purchases, under the starter policy (sign-up 50, profile 100,
//! birthday 200, referral sign-up 100, referral first purchase 200), on both backends: each is
//! paid once however often it fires, and the ledger audits sound afterwards.

use app::features::pos::server::{self as pos, EnrolInput, MemberKey, PurchaseInput, Till, keys};
use app::platform::server::store::{AccountId, ExternalId, Login, NewAccount, PosKey, PosKind, PurchaseWrite, StoredProfile};
use app::platform::server;
use engine::access::{Role, RoleSet};
use engine::jalali::JalaliDate;
use engine::ledger::MemberId;
use engine::phone::PhoneNumber;
use engine::time::{GregorianDate, Timestamp};

use crate::support::{TestApp, location, on_both_backends};

const MEMBER: &[Role] = &[Role::Member];

async fn account_id(app: &TestApp, login: &str) -> AccountId {
    let login = Login::parse(login).expect("login");
    app.state.db.accounts.account_by_login(&login).await.expect("read").expect("account exists").id
}

/// Spendable points, after a sweep brings the stored balance up to date.
async fn points(app: &TestApp, account: AccountId) -> i64 {
    let member = MemberId::new(account.0).expect("member id");
    app.state.db.ledger.balances(member).await.expect("balances").points.get()
}

async fn assert_sound(app: &TestApp) {
    let audit = app.state.db.ledger.audit().await.expect("audit runs");
    assert!(audit.is_sound(), "{:?}", audit.violations);
}

/// Noon in Tehran on a Jalali day.
fn noon(year: i32, month: u8, day: u8) -> Timestamp {
    let start = Timestamp::from_tehran_start_of_day(JalaliDate::new(year, month, day).expect("date"));
    Timestamp::from_unix_millis(start.unix_millis() + 12 * 3600 * 1000)
}

async fn sign_up(app: &TestApp, phone: &str, invite: &str) -> reqwest::Response {
    app.client().post_form("/signup", &[("identifier", phone), ("password", "password-123"), ("ref", invite)]).await
}

async fn buy(app: &TestApp, till: Till, phone: &str, external_id: &str) {
    let input = PurchaseInput {
        external_id: ExternalId::parse(external_id).expect("external id"),
        member: MemberKey::Phone(PhoneNumber::parse(phone).expect("phone")),
        amount: "1000000".parse().expect("money"),
        occurred_at: None,
    };
    pos::record_purchase(&app.state, till, &input).await.expect("purchase recorded");
}

on_both_backends! {
    async fn the_sign_up_bonus_is_paid_once_even_if_the_sign_up_is_retried(app) {
        for _ in 0..2 {
            let response = sign_up(&app, "09121234567", "").await;
            assert_eq!(response.status(), 303, "a retried sign-up is answered, not an error page");
        }
        let member = account_id(&app, "09121234567").await;
        assert_eq!(points(&app, member).await, 50, "spendable at once, and only once");

        let enrol = EnrolInput { phone: PhoneNumber::parse("09127654321").expect("phone"), first_name: None, last_name: None };
        assert!(pos::enrol(&app.state, &enrol).await.expect("enrolled").created);
        assert!(!pos::enrol(&app.state, &enrol).await.expect("found").created);
        assert_eq!(points(&app, account_id(&app, "09127654321").await).await, 50, "enrolled at the till");

        let admin = app.account("admin@example.com", "password-123", RoleSet::of(&[Role::Admin])).await;
        assert_eq!(points(&app, admin.id).await, 0, "an account made outside sign-up earns nothing");
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn profile_completion_is_paid_once_even_if_saved_complete_twice(app) {
        let client = app.signed_in("09121234567", RoleSet::of(MEMBER)).await;
        let member = account_id(&app, "09121234567").await;
        let partial = [("first_name", "سارا"), ("last_name", "کریمی")];
        assert_eq!(location(&client.post_form("/profile", &partial).await), "/profile?notice=saved");
        assert_eq!(points(&app, member).await, 0, "not complete yet");

        let complete = [("first_name", "سارا"), ("last_name", "کریمی"), ("birthday", "۱۳۷۰/۰۵/۰۹"), ("city", "تهران"), ("gender", "female")];
        for _ in 0..2 {
            assert_eq!(location(&client.post_form("/profile", &complete).await), "/profile?notice=saved");
        }
        assert_eq!(points(&app, member).await, 100);
        client.post_form("/profile", &partial).await;
        client.post_form("/profile", &complete).await;
        assert_eq!(points(&app, member).await, 100, "completing it again pays nothing");
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn the_birthday_job_pays_on_the_day_once_a_year(app) {
        let born = app.account("09121234567", "password-123", RoleSet::of(MEMBER)).await;
        let other = app.account("09127654321", "password-123", RoleSet::of(MEMBER)).await;
        let birthday = |day| {
            let (y, m, d) = JalaliDate::new(1369, 1, day).expect("date").to_gregorian();
            StoredProfile { birthday: GregorianDate::new(y, m, d), ..StoredProfile::default() }
        };
        app.state.db.accounts.update_profile(born.id, &birthday(1)).await.expect("saved");
        app.state.db.accounts.update_profile(other.id, &birthday(2)).await.expect("saved");

        assert_eq!(server::run_birthdays_at(&app.state, noon(1404, 12, 29)).await.expect("job runs"), 0, "nobody's day");
        assert_eq!(server::run_birthdays_at(&app.state, noon(1405, 1, 1)).await.expect("job runs"), 1);
        assert_eq!(server::run_birthdays_at(&app.state, noon(1405, 1, 1)).await.expect("job runs"), 0, "run twice");
        assert_eq!(points(&app, born.id).await, 200);
        assert_eq!(points(&app, other.id).await, 0, "not their day");
        assert_eq!(server::run_birthdays_at(&app.state, noon(1405, 1, 2)).await.expect("job runs"), 1, "the other's day");
        assert_eq!(points(&app, other.id).await, 200);

        assert_eq!(server::run_birthdays_at(&app.state, noon(1406, 1, 1)).await.expect("job runs"), 1, "next year again");
        let member = MemberId::new(born.id.0).expect("member id");
        assert_eq!(app.state.db.ledger.lots(member).await.expect("lots").len(), 2, "one bonus per year");
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn an_inviter_earns_when_the_invitee_joins_and_on_their_first_purchase_only(app) {
        let inviter_client = app.signed_in("09121111111", RoleSet::of(MEMBER)).await;
        let inviter = account_id(&app, "09121111111").await;
        let wallet = inviter_client.text("/wallet").await;
        assert!(wallet.contains("data-test=\"invite\""), "{wallet}");
        let at = wallet.find("/signup?ref=").expect("invite link on the wallet") + "/signup?ref=".len();
        let code = wallet.get(at..at + 8).expect("eight characters").to_owned();
        assert!(inviter_client.text("/wallet").await.contains(&code), "the same code every time");

        let page = app.client().text(&format!("/signup?ref={code}")).await;
        assert!(page.contains(&format!("value=\"{code}\"")), "the form keeps the code");
        assert_eq!(sign_up(&app, "09122222222", &code).await.status(), 303);
        let invitee = account_id(&app, "09122222222").await;
        assert_eq!(app.state.db.referrals.inviter(invitee).await.expect("read"), Some(inviter));
        assert_eq!(points(&app, invitee).await, 50, "the invitee's own sign-up bonus");
        assert_eq!(points(&app, inviter).await, 100, "the referral sign-up bonus");
        sign_up(&app, "09122222222", &code).await;
        assert_eq!(points(&app, inviter).await, 100, "a retried sign-up pays the inviter nothing more");

        let (branch, _) = keys::create_branch(&app.state, "شعبه آزمون").await.expect("branch");
        let till = Till { branch: branch.id, cashier: None };
        buy(&app, till, "09122222222", "sale-1").await;
        assert_eq!(points(&app, inviter).await, 300, "the invitee's first purchase");
        buy(&app, till, "09122222222", "sale-2").await;
        assert_eq!(points(&app, inviter).await, 300, "a second purchase pays the inviter nothing");
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn an_unknown_invite_code_is_ignored_and_nobody_invites_themselves(app) {
        for (phone, code) in [("09121111111", "ZZZZZZZZ"), ("09122222222", "not a code!")] {
            let response = sign_up(&app, phone, code).await;
            assert_eq!((response.status().as_u16(), location(&response).as_str()), (303, "/card"), "{code}");
            let member = account_id(&app, phone).await;
            assert_eq!(app.state.db.referrals.inviter(member).await.expect("read"), None);
            assert_eq!(points(&app, member).await, 50);
        }
        let member = account_id(&app, "09121111111").await;
        assert!(!app.state.db.referrals.set_inviter(member, member).await.expect("write"), "self-referral");
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn a_crash_between_a_first_purchase_and_the_referral_bonus_loses_no_bonus(app) {
        let inviter = app.account("09121111111", "password-123", RoleSet::of(MEMBER)).await;
        let invitee = app.account("09122222222", "password-123", RoleSet::of(MEMBER)).await;
        assert!(app.state.db.referrals.set_inviter(invitee.id, inviter.id).await.expect("link"));
        let before = points(&app, inviter.id).await;
        let (branch, _) = keys::create_branch(&app.state, "شعبه آزمون").await.expect("branch");
        let now = crate::support::now();
        // The store commits the sale; the process dies before the service pays what it owes.
        let write = PurchaseWrite {
            key: PosKey { branch: branch.id, kind: PosKind::Purchase, external_id: ExternalId::parse("crash-1").expect("id") },
            body_hash: "crash".into(),
            member: MemberId::new(invitee.id.0).expect("member"),
            signed_up_at: invitee.created_at,
            birthday: None,
            amount: "1000000".parse().expect("money"),
            occurred_at: now,
            recorded_by: None,
            policy: pos::policy::active(&app.state).await.expect("policy"),
        };
        app.state.db.pos.purchase(&write, now).await.expect("database").expect("recorded");
        assert_eq!(points(&app, inviter.id).await, before, "not paid before the crash");
        assert_eq!(app.state.db.pos.owed_awards().await.expect("count"), 1, "owed in the sale's own transaction");

        // After the restart, the housekeeping round pays it, once.
        assert_eq!(server::pay_owed(&app.state).await.expect("round").paid, 1);
        assert_eq!(points(&app, inviter.id).await, before + 200, "the referral first-purchase bonus");
        assert_eq!(server::pay_owed(&app.state).await.expect("round").paid, 0);
        assert_eq!(app.state.db.pos.owed_awards().await.expect("count"), 0);
        assert_eq!(points(&app, inviter.id).await, before + 200, "paid once");
        assert_sound(&app).await;
    }
}

on_both_backends! {
    async fn an_enrolment_owes_its_sign_up_bonus_in_its_own_transaction(app) {
        let new = NewAccount {
            login: Login::parse("09123334444").expect("login"),
            password_hash: String::new(),
            roles: RoleSet::of(MEMBER),
            profile: StoredProfile::default(),
            card: engine::card::CardNumber::issue(42),
            now: Timestamp::from_unix_millis(1_800_000_000_000),
            owed_sign_up_award: true,
        };
        // The account commits; the process dies before the bonus is paid.
        let member = app.state.db.accounts.create_account(new).await.expect("account");
        assert_eq!(points(&app, member.id).await, 0);
        assert_eq!(app.state.db.pos.owed_awards().await.expect("count"), 1);
        assert_eq!(server::pay_owed(&app.state).await.expect("round").paid, 1);
        assert_eq!(server::pay_owed(&app.state).await.expect("round").paid, 0);
        assert_eq!(points(&app, member.id).await, 50, "the sign-up bonus, once");
        assert_sound(&app).await;
    }
}
