//! Joining, logging in and out, the card, the profile and roles, through the real router.

use app::platform::server::store::Login;
use engine::access::{Role, RoleSet};
use engine::card::CardNumber;

use crate::support::{location, on_both_backends};

fn card_number_in(page: &str) -> String {
    let start = page.find("data-number=\"").expect("card number on the page") + "data-number=\"".len();
    page[start..start + 16].to_owned()
}

on_both_backends! {
    async fn health_names_the_backend_and_version(app) {
        let response = app.client().get("/healthz").await;
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.expect("json");
        let backend = match app.backend { crate::support::Backend::Sqlite => "sqlite", crate::support::Backend::Postgres => "postgres" };
        assert_eq!(body["backend"], backend);
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(body["status"], "ok");
    }
}

on_both_backends! {
    async fn a_visitor_joins_with_persian_digits_and_sees_a_persian_card(app) {
        let client = app.client();
        let response = client.post_form("/signup", &[("identifier", "۰۹۱۲ ۳۴۵ ۶۷۸۹"), ("password", "گذرواژه-امن")]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/card");
        let page = client.text("/card").await;
        assert!(page.contains(r#"lang="fa""#) && page.contains(r#"dir="rtl""#), "Persian is the default");
        let number = card_number_in(&page);
        assert!(CardNumber::parse(&number).is_ok(), "a Luhn-valid card number: {number}");
        let persian_grouped = engine::text::persian_digits(&CardNumber::parse(&number).expect("valid").grouped());
        assert!(page.contains(&persian_grouped), "the number is shown in Persian digits");
        assert!(page.contains("<svg"), "QR code and barcode are drawn");
        let stored = app.state.db.accounts.account_by_login(&Login::parse("09123456789").expect("login")).await.expect("read");
        assert_eq!(stored.map(|a| a.card.to_string()), Some(number));
    }
}

on_both_backends! {
    async fn a_taken_identifier_is_already_registered_whatever_the_password(app) {
        let first = app.client().post_form("/signup", &[("identifier", "sara@example.com"), ("password", "password-1")]).await;
        assert_eq!(location(&first), "/card");
        for password in ["password-1", "password-2"] {
            let again = app.client();
            let answer = again.post_form("/signup", &[("identifier", "Sara@Example.com"), ("password", password)]).await;
            assert_eq!(location(&answer), "/signup?error=already_registered&identifier=Sara%40Example.com");
            assert_eq!(location(&again.get("/card").await), "/login?next=%2Fcard", "no session was started");
        }
        assert_eq!(app.state.db.accounts.count_accounts().await.expect("count"), 1);
    }
}

on_both_backends! {
    async fn concurrent_sign_ups_of_one_number_make_one_account(app) {
        let attempts = (0..10).map(|_| {
            let client = app.client();
            async move { location(&client.post_form("/signup", &[("identifier", "09121234567"), ("password", "password-1")]).await) }
        });
        let answers = futures::future::join_all(attempts).await;
        assert_eq!(answers.iter().filter(|a| *a == "/card").count(), 1, "{answers:?}");
        let refused = |a: &String| a.starts_with("/signup?error=already_registered") || a.starts_with("/signup?error=too_many_attempts");
        assert!(answers.iter().filter(|a| *a != "/card").all(refused), "{answers:?}");
        assert_eq!(app.state.db.accounts.count_accounts().await.expect("count"), 1);
    }
}

on_both_backends! {
    async fn bad_sign_up_input_is_explained_and_creates_nothing(app) {
        let client = app.client();
        let landline = client.post_form("/signup", &[("identifier", "02188776655"), ("password", "password-1")]).await;
        assert_eq!(location(&landline), "/signup?error=bad_identifier&identifier=02188776655");
        let short = client.post_form("/signup", &[("identifier", "09121234567"), ("password", "short")]).await;
        assert!(location(&short).starts_with("/signup?error=bad_password"));
        let missing = client.post_form("/signup", &[]).await;
        assert!(location(&missing).starts_with("/signup?error=bad_identifier"));
        assert_eq!(app.state.db.accounts.count_accounts().await.expect("count"), 0);
        let page = client.text("/signup?error=bad_password").await;
        assert!(page.contains("گذرواژه باید ۸ تا ۱۲۸ نویسه باشد."), "the error is shown in Persian");
        let english = client.http.get(app.url("/signup?error=bad_password")).header("accept-language", "en").send().await.expect("get");
        assert!(english.text().await.expect("body").contains("The password must have 8 to 128 characters."));
    }
}

on_both_backends! {
    async fn logins_are_throttled_and_logout_ends_the_session(app) {
        app.account("09121234567", "password-1", RoleSet::of(&[Role::Member])).await;
        let client = app.client();
        for _ in 0..4 {
            let wrong = client.post_form("/login", &[("identifier", "09121234567"), ("password", "wrong-password")]).await;
            assert!(location(&wrong).starts_with("/login?error=wrong_credentials"));
        }
        let right = client.post_form("/login", &[("identifier", "۰۹۱۲۱۲۳۴۵۶۷"), ("password", "password-1"), ("next", "/profile")]).await;
        assert_eq!(location(&right), "/profile", "the page asked for before login");
        assert_eq!(client.get("/card").await.status(), 200);
        let limited = app.client().post_form("/login", &[("identifier", "09121234567"), ("password", "password-1")]).await;
        assert!(location(&limited).starts_with("/login?error=too_many_attempts"));
        assert!(limited.headers().get("retry-after").is_some());
        let out = client.post_form("/logout", &[]).await;
        assert_eq!(location(&out), "/");
        let after = client.get("/card").await;
        assert_eq!(location(&after), "/login?next=%2Fcard");
    }
}

on_both_backends! {
    async fn unknown_accounts_and_wrong_passwords_get_the_same_answer(app) {
        app.account("09121234567", "password-1", RoleSet::of(&[Role::Member])).await;
        let wrong = app.client().post_form("/login", &[("identifier", "09121234567"), ("password", "nope-nope")]).await;
        let unknown = app.client().post_form("/login", &[("identifier", "09129999999"), ("password", "nope-nope")]).await;
        assert_eq!(location(&wrong).replace("09121234567", "X"), location(&unknown).replace("09129999999", "X"));
    }
}

on_both_backends! {
    async fn writes_from_other_sites_are_refused(app) {
        let response = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .post(app.url("/signup"))
            .header("origin", "https://evil.example")
            .form(&[("identifier", "09121234567"), ("password", "password-1")])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 403);
        assert_eq!(app.state.db.accounts.count_accounts().await.expect("count"), 0);
    }
}

on_both_backends! {
    async fn english_is_used_when_asked_for_and_remembered(app) {
        let client = app.client();
        let page = client.http.get(app.url("/")).header("accept-language", "en-US,en;q=0.9").send().await.expect("get");
        let body = page.text().await.expect("body");
        assert!(body.contains(r#"lang="en""#) && body.contains(r#"dir="ltr""#));
        let switched = client.post_form("/lang", &[("lang", "en"), ("back", "/login")]).await;
        assert_eq!(location(&switched), "/login");
        let page = client.text("/login").await;
        assert!(page.contains(r#"lang="en""#) && page.contains("Log in"), "the choice is kept in a cookie");
        let back = client.post_form("/lang", &[("lang", "fa"), ("back", "https://evil.example")]).await;
        assert_eq!(location(&back), "/", "never redirects off-site");
        assert!(client.text("/").await.contains(r#"dir="rtl""#));
    }
}

on_both_backends! {
    async fn the_profile_takes_a_jalali_birthday_and_refuses_bad_input(app) {
        let client = app.signed_in("09121234567", RoleSet::of(&[Role::Member])).await;
        let saved = client
            .post_form("/profile", &[("first_name", " سارا "), ("last_name", "كريمي"), ("birthday", "۱۳۷۰/۰۵/۰۹"), ("city", "تهران"), ("gender", "female")])
            .await;
        assert_eq!(location(&saved), "/profile?notice=saved");
        let account = app.state.db.accounts.account_by_login(&Login::parse("09121234567").expect("login")).await.expect("read").expect("found");
        assert_eq!(account.profile.birthday.map(|d| d.to_iso()).as_deref(), Some("1991-07-31"));
        assert_eq!(account.display_name(), "سارا كريمي");
        let page = client.text("/profile").await;
        assert!(page.contains("۱۳۷۰/۰۵/۰۹"), "shown back in the Jalali calendar");
        let future = client.post_form("/profile", &[("first_name", "Other"), ("birthday", "1500/01/01")]).await;
        assert!(location(&future).starts_with("/profile?error=bad_birthday"));
        let gender = client.post_form("/profile", &[("gender", "robot")]).await;
        assert!(location(&gender).starts_with("/profile?error=bad_gender"));
        let unchanged = app.state.db.accounts.account(account.id).await.expect("read").expect("found");
        assert_eq!(unchanged.profile, account.profile, "a refused save changes nothing");
    }
}

on_both_backends! {
    async fn a_replaced_card_is_no_longer_found_at_the_till(app) {
        let member = app.signed_in("09121234567", RoleSet::of(&[Role::Member])).await;
        let old = card_number_in(&member.text("/card").await);
        let replaced = member.post_form("/card/replace", &[]).await;
        assert_eq!(location(&replaced), "/card?notice=card_replaced");
        let new = card_number_in(&member.text("/card").await);
        assert_ne!(old, new);
        let till = app.signed_in("cashier@example.com", RoleSet::of(&[Role::Cashier])).await;
        assert!(till.text(&format!("/till?q={old}")).await.contains("data-test=\"till-none\""));
        assert!(till.text(&format!("/till?q={new}")).await.contains("data-test=\"till-member\""));
        assert!(till.text("/till?q=۰۹۱۲۱۲۳۴۵۶۷").await.contains("data-test=\"till-member\""), "found by phone too");
    }
}

on_both_backends! {
    async fn an_admin_finds_a_member_however_it_is_typed_and_assigns_a_role(app) {
        let member_client = app.signed_in("09121234567", RoleSet::of(&[Role::Member])).await;
        member_client.post_form("/profile", &[("first_name", "علی"), ("last_name", "کریمی")]).await;
        let admin = app.signed_in("admin@example.com", RoleSet::of(&[Role::Admin])).await;
        for query in ["۰۹۱۲ ۱۲۳", "٠٩١٢١٢٣", "علي", "كريمی"] {
            let encoded: String = url_encode(query);
            let page = admin.text(&format!("/admin?q={encoded}")).await;
            assert!(page.contains("data-test=\"member-link\""), "query {query}");
        }
        assert!(admin.text("/admin?q=zzz").await.contains("data-test=\"no-results\""));
        let member = app.state.db.accounts.account_by_login(&Login::parse("09121234567").expect("login")).await.expect("read").expect("found");
        assert_eq!(member_client.get("/till").await.status(), 403);
        let path = format!("/admin/members/{}/roles", member.id.0);
        let saved = admin.post_form(&path, &[("member", "on"), ("cashier", "on")]).await;
        assert_eq!(location(&saved), format!("/admin/members/{}?notice=roles_saved", member.id.0));
        assert_eq!(member_client.get("/till").await.status(), 200, "the new role applies at once");
        let detail = admin.text(&format!("/admin/members/{}", member.id.0)).await;
        assert!(detail.contains("admin@example.com"), "the history names who changed the roles");
    }
}

on_both_backends! {
    async fn an_admin_cannot_remove_their_own_admin_role(app) {
        let admin = app.signed_in("admin@example.com", RoleSet::of(&[Role::Admin])).await;
        let me = app.state.db.accounts.account_by_login(&Login::parse("admin@example.com").expect("login")).await.expect("read").expect("found");
        let refused = admin.post_form(&format!("/admin/members/{}/roles", me.id.0), &[("member", "on")]).await;
        assert!(location(&refused).contains("error=own_admin_role"));
        assert_eq!(admin.get("/admin").await.status(), 200);
    }
}

fn url_encode(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
