//! The web till: a cashier records a purchase, a return and a credit payment.

use app::features::pos::server as pos;
use app::platform::server::store::Login;
use engine::access::{Role, RoleSet};
use engine::earn::Policy;
use engine::ledger::MemberId;

use crate::support::{Client, TestApp, location, now, on_both_backends};

fn form_token(page: &str, action: &str) -> String {
    let form = page.find(&format!("action=\"{action}\"")).expect("the form is on the page");
    let token = page[form..].find("name=\"token\" value=\"").expect("a token") + form + "name=\"token\" value=\"".len();
    page[token..token + page[token..].find('"').expect("closing quote")].to_owned()
}

async fn setup(app: &TestApp) -> (Client, String, i64) {
    pos::policy::save(&app.state, &Policy::starter(), None).await.expect("policy");
    let (branch, _) = pos::keys::create_branch(&app.state, "شعبه مرکزی").await.expect("branch");
    let member = app.account("09121234567", "password-123", RoleSet::of(&[Role::Member])).await;
    let cashier = app.signed_in("cashier@example.com", RoleSet::of(&[Role::Cashier])).await;
    let account = app.state.db.accounts.account_by_login(&Login::parse("cashier@example.com").expect("login")).await.expect("read").expect("cashier");
    app.state.db.club.set_cashier_branches(account.id, &[branch.id], now()).await.expect("assign the branch");
    (cashier, member.card.to_string(), branch.id.get())
}


on_both_backends! {
    async fn a_cashier_records_only_at_their_own_branches(app) {
        let (cashier, card, mine) = setup(&app).await;
        let (other, _) = pos::keys::create_branch(&app.state, "شعبه دیگر").await.expect("another branch");
        let page = cashier.text(&format!("/till?q={card}")).await;
        assert!(!page.contains("شعبه دیگر"), "the till offers only the cashier's branches");
        let token = form_token(&page, "/till/purchase");
        let other_id = other.id.get().to_string();
        let forged = cashier.post_form("/till/purchase", &[("card", &card), ("branch", &other_id), ("amount", "500000"), ("token", &token)]).await;
        assert!(location(&forged).contains("error=not_your_branch"), "{}", location(&forged));
        // A purchase at the cashier's branch, then a return of it claimed at the other branch.
        let bought = cashier.post_form("/till/purchase", &[("card", &card), ("branch", &mine.to_string()), ("amount", "500000"), ("token", &token)]).await;
        let receipt = location(&bought).split("receipt=").nth(1).expect("a receipt number").to_owned();
        let elsewhere = cashier
            .post_form("/till/return", &[("card", &card), ("branch", &other_id), ("amount", "1"), ("receipt", &receipt), ("token", "r1")])
            .await;
        assert!(location(&elsewhere).contains("error=not_your_branch"), "{}", location(&elsewhere));

        let unassigned = app.signed_in("new-cashier@example.com", RoleSet::of(&[Role::Cashier])).await;
        let page = unassigned.text(&format!("/till?q={card}")).await;
        assert!(!page.contains("action=\"/till/purchase\""), "no branch, no forms");
        let refused = unassigned.post_form("/till/purchase", &[("card", &card), ("branch", &mine.to_string()), ("amount", "500000"), ("token", "u1")]).await;
        assert!(location(&refused).contains("error=not_your_branch"), "{}", location(&refused));

        let member = app.state.db.accounts.account_by_login(&Login::parse("09121234567").expect("login")).await.expect("read").expect("found");
        let balances = app.state.db.ledger.balances(MemberId::new(member.id.0).expect("id")).await.expect("balances");
        assert_eq!(balances.points.get() + balances.pending_points.get(), 50, "only the sale at the cashier's branch");
    }
}

on_both_backends! {
    async fn an_admin_assigns_a_cashiers_branches_on_the_member_page(app) {
        let (_, _, branch) = setup(&app).await;
        let admin = app.signed_in("admin@example.com", RoleSet::of(&[Role::Admin])).await;
        let cashier = app.state.db.accounts.account_by_login(&Login::parse("cashier@example.com").expect("login")).await.expect("read").expect("cashier");
        let page = admin.text(&format!("/admin/members/{}", cashier.id.0)).await;
        assert!(page.contains("data-test=\"branches\""), "the branches form");
        let saved = admin.post_form(&format!("/admin/members/{}/branches", cashier.id.0), &[]).await;
        assert!(location(&saved).ends_with("notice=branches_saved"), "{}", location(&saved));
        assert!(app.state.db.club.cashier_branches(cashier.id).await.expect("read").is_empty(), "all unchecked");
        let field = format!("branch_{branch}");
        admin.post_form(&format!("/admin/members/{}/branches", cashier.id.0), &[(field.as_str(), "on")]).await;
        assert_eq!(app.state.db.club.cashier_branches(cashier.id).await.expect("read").len(), 1);
        let unknown = admin.post_form(&format!("/admin/members/{}/branches", cashier.id.0), &[("branch_999", "on")]).await;
        assert!(location(&unknown).contains("error=not_found"), "{}", location(&unknown));
        assert_eq!(app.state.db.club.cashier_branches(cashier.id).await.expect("read").len(), 1, "a refused save changes nothing");
    }
}

on_both_backends! {
    async fn a_cashier_records_a_purchase_once_however_often_the_form_is_sent(app) {
        let (cashier, card, branch) = setup(&app).await;
        let page = cashier.text(&format!("/till?q={card}")).await;
        assert!(page.contains("data-test=\"till-member\""));
        let token = form_token(&page, "/till/purchase");
        let form = [("card", card.as_str()), ("branch", &branch.to_string()), ("amount", "۲۵۰٬۰۰۰"), ("token", token.as_str())];
        let first = cashier.post_form("/till/purchase", &form).await;
        let again = cashier.post_form("/till/purchase", &form).await;
        assert!(location(&first).contains("notice=purchase"), "{}", location(&first));
        assert_eq!(location(&first), location(&again), "the resent form gets the first answer");
        assert!(location(&first).contains("points=25"), "one point per 10,000 rials: {}", location(&first));
        let shown = cashier.text(&location(&first)).await;
        assert!(shown.contains("data-test=\"notice\"") && shown.contains("۲۵"));

        let member = app.state.db.accounts.account_by_login(&Login::parse("09121234567").expect("login")).await.expect("read").expect("found");
        let balances = app.state.db.ledger.balances(MemberId::new(member.id.0).expect("id")).await.expect("balances");
        assert_eq!(balances.points.get() + balances.pending_points.get(), 25, "recorded once");
        assert!(app.state.db.ledger.audit().await.expect("audit").is_sound());
    }
}

on_both_backends! {
    async fn a_cashier_takes_a_return_and_refuses_a_payment_beyond_the_credit(app) {
        let (cashier, card, branch) = setup(&app).await;
        let branch = branch.to_string();
        let page = cashier.text(&format!("/till?q={card}")).await;
        let bought = cashier
            .post_form("/till/purchase", &[("card", &card), ("branch", &branch), ("amount", "500000"), ("token", &form_token(&page, "/till/purchase"))])
            .await;
        let receipt = location(&bought).split("receipt=").nth(1).expect("a receipt number").to_owned();
        let page = cashier.text(&format!("/till?q={card}")).await;
        let returned = cashier
            .post_form("/till/return", &[("card", &card), ("branch", &branch), ("amount", "250000"), ("receipt", &receipt), ("token", &form_token(&page, "/till/return"))])
            .await;
        assert!(location(&returned).contains("notice=return&points=25"), "half the points come back: {}", location(&returned));
        let too_much = cashier
            .post_form("/till/redeem", &[("card", &card), ("branch", &branch), ("amount", "1000000"), ("token", &form_token(&page, "/till/redeem"))])
            .await;
        assert!(location(&too_much).contains("error=insufficient_credit"), "{}", location(&too_much));
        let unknown = cashier
            .post_form("/till/return", &[("card", &card), ("branch", &branch), ("amount", "1"), ("receipt", "nope"), ("token", "x1")])
            .await;
        assert!(location(&unknown).contains("error=unknown_purchase"), "{}", location(&unknown));
        let bad_amount = cashier
            .post_form("/till/purchase", &[("card", &card), ("branch", &branch), ("amount", "ده"), ("token", "x2")])
            .await;
        assert!(location(&bad_amount).contains("error=bad_amount"));
        assert!(app.state.db.ledger.audit().await.expect("audit").is_sound());
    }
}

on_both_backends! {
    async fn a_member_enrolled_at_the_till_claims_the_account_on_the_web_once_a_cashier_confirms(app) {
        let (cashier, _, _) = setup(&app).await;
        let enrol = pos::EnrolInput { phone: engine::phone::PhoneNumber::parse("09125550000").expect("phone"), first_name: None, last_name: None };
        let enrolled = pos::enrol(&app.state, &enrol).await.expect("enrolled at the till");
        let card = enrolled.member.card_number.clone();
        let visitor = app.client();
        let claim = |password: &'static str| {
            let visitor = &visitor;
            async move { location(&visitor.post_form("/signup", &[("identifier", "۰۹۱۲۵۵۵۰۰۰۰"), ("password", password)]).await) }
        };
        let code_of = |to: &str| to.split("code=").nth(1).expect("a code").to_owned();
        let first = claim("my-own-password").await;
        assert!(first.starts_with("/signup?notice=claim_pending&code="), "{first}");
        assert_eq!(location(&visitor.get("/card").await), "/login?next=%2Fcard", "no session before a cashier confirms");
        let shown = visitor.text(&first).await;
        assert!(shown.contains("data-test=\"claim-code\""), "the page shows the code");
        let login = || async { location(&app.client().post_form("/login", &[("identifier", "09125550000"), ("password", "my-own-password")]).await) };
        assert!(login().await.starts_with("/login?error=wrong_credentials"), "no password until confirmed");

        let till = cashier.text(&format!("/till?q={card}")).await;
        assert!(till.contains("data-test=\"claim\""), "the till shows the open claim");
        let wrong = code_of(&first).chars().rev().collect::<String>() + "1";
        let account = enrolled.member.member_id.to_string();
        let refused = cashier.post_form("/till/claims/confirm", &[("account", account.as_str()), ("card", card.as_str()), ("code", wrong.as_str())]).await;
        assert!(location(&refused).contains("error=wrong_claim_code"), "{}", location(&refused));
        let right = code_of(&first);
        let late = cashier.post_form("/till/claims/confirm", &[("account", account.as_str()), ("card", card.as_str()), ("code", right.as_str())]).await;
        assert!(location(&late).contains("error=wrong_claim_code"), "a wrong code closed the claim");

        let second = claim("my-own-password").await;
        let code = code_of(&second);
        let confirmed = cashier.post_form("/till/claims/confirm", &[("account", account.as_str()), ("card", card.as_str()), ("code", code.as_str())]).await;
        assert!(location(&confirmed).contains("notice=claim_confirmed"), "{}", location(&confirmed));
        assert_eq!(login().await, "/card", "the member signs in with the password they chose");
        assert!(claim("another-password").await.starts_with("/signup?error=already_registered"), "a claimed account is taken");
    }
}
