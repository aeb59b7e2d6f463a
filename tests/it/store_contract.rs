//! The storage contract: every backend must behave exactly like this.

use app::platform::server::store::{AccountId, Login, NewAccount, SessionRow, StoreError, StoredProfile};
use engine::access::{Role, RoleSet};
use engine::card::CardNumber;
use engine::profile::{City, Gender, PersonName};
use engine::time::{GregorianDate, Timestamp};

use crate::support::on_both_backends;

fn new_account(login: &str, card: u64) -> NewAccount {
    NewAccount {
        login: Login::parse(login).expect("valid login"),
        password_hash: "hash".into(),
        roles: RoleSet::of(&[Role::Member]),
        profile: StoredProfile::default(),
        card: CardNumber::issue(card),
        now: Timestamp::from_unix_millis(1_700_000_000_000),
        owed_sign_up_award: false,
    }
}

on_both_backends! {
    async fn accounts_are_found_by_login_and_card(app) {
        let accounts = &app.state.db.accounts;
        let created = accounts.create_account(new_account("09121112233", 1)).await.expect("created");
        let by_phone = accounts.account_by_login(&Login::parse("+98 912 111 2233").expect("login")).await.expect("read");
        assert_eq!(by_phone.as_ref(), Some(&created));
        let by_card = accounts.account_by_card(&CardNumber::issue(1)).await.expect("read");
        assert_eq!(by_card.map(|a| a.id), Some(created.id));
        assert_eq!(accounts.account(AccountId(created.id.0 + 1000)).await.expect("read"), None);
    }
}

on_both_backends! {
    async fn a_login_or_card_number_is_never_shared(app) {
        let accounts = &app.state.db.accounts;
        accounts.create_account(new_account("sara@example.com", 1)).await.expect("created");
        let same_login = accounts.create_account(new_account("SARA@example.com", 2)).await;
        assert!(matches!(same_login, Err(StoreError::Duplicate("login"))), "{same_login:?}");
        let same_card = accounts.create_account(new_account("other@example.com", 1)).await;
        assert!(matches!(same_card, Err(StoreError::Duplicate("card"))), "{same_card:?}");
        assert_eq!(accounts.count_accounts().await.expect("count"), 1, "a refused sign-up leaves nothing behind");
    }
}

on_both_backends! {
    async fn a_replaced_card_stops_identifying_its_holder(app) {
        let accounts = &app.state.db.accounts;
        let member = accounts.create_account(new_account("09121112233", 1)).await.expect("created");
        let later = Timestamp::from_unix_millis(1_800_000_000_000);
        accounts.replace_card(member.id, &CardNumber::issue(2), later).await.expect("replaced");
        assert_eq!(accounts.account_by_card(&CardNumber::issue(1)).await.expect("read"), None);
        let now = accounts.account_by_card(&CardNumber::issue(2)).await.expect("read").expect("found");
        assert_eq!(now.id, member.id);
        assert_eq!(now.created_at, member.created_at, "history stays with the member");
        let other = accounts.create_account(new_account("09125556677", 3)).await.expect("created");
        let taken = accounts.replace_card(other.id, &CardNumber::issue(1), later).await;
        assert!(matches!(taken, Err(StoreError::Duplicate(_))), "a retired number is never issued again");
        assert_eq!(accounts.account(other.id).await.expect("read").expect("found").card, CardNumber::issue(3));
    }
}

on_both_backends! {
    async fn profiles_round_trip_and_feed_search(app) {
        let accounts = &app.state.db.accounts;
        let member = accounts.create_account(new_account("09121112233", 1)).await.expect("created");
        let profile = StoredProfile {
            first_name: PersonName::parse("علی").ok(),
            last_name: PersonName::parse("کریمی").ok(),
            birthday: GregorianDate::new(1991, 7, 31),
            city: City::parse("شیراز").ok(),
            gender: Some(Gender::Male),
        };
        accounts.update_profile(member.id, &profile).await.expect("saved");
        let read = accounts.account(member.id).await.expect("read").expect("found");
        assert_eq!(read.profile, profile);
        for query in ["علی", "کریمی", "0912111", "112233"] {
            let found = accounts.search(&engine::text::search_key(query), 10).await.expect("search");
            assert_eq!(found.iter().map(|a| a.id).collect::<Vec<_>>(), vec![member.id], "query {query}");
        }
        let card_digits = &CardNumber::issue(1).as_str()[4..12].to_owned();
        assert_eq!(accounts.search(card_digits, 10).await.expect("search").len(), 1);
        assert!(accounts.search("%", 10).await.expect("search").is_empty(), "wildcards are literal");
    }
}

on_both_backends! {
    async fn role_changes_are_recorded_with_who_and_what(app) {
        let accounts = &app.state.db.accounts;
        let admin = accounts.create_account(NewAccount { roles: RoleSet::of(&[Role::Admin]), ..new_account("admin@example.com", 1) }).await.expect("admin");
        let member = accounts.create_account(new_account("09121112233", 2)).await.expect("member");
        let cashier = RoleSet::of(&[Role::Member, Role::Cashier]);
        let at = Timestamp::from_unix_millis(1_750_000_000_000);
        accounts.set_roles(member.id, cashier, admin.id, at).await.expect("set");
        accounts.set_roles(member.id, cashier, admin.id, at).await.expect("unchanged is fine");
        assert_eq!(accounts.account(member.id).await.expect("read").expect("found").roles, cashier);
        let history = accounts.role_changes(member.id).await.expect("history");
        assert_eq!(history.len(), 1, "setting the same roles again records nothing");
        assert_eq!((history[0].old, history[0].new, history[0].by, history[0].at), (member.roles, cashier, admin.id, at));
        assert_eq!(history[0].by_name, "admin@example.com");
    }
}

on_both_backends! {
    async fn sessions_lapse_and_ids_are_never_overwritten(app) {
        let sessions = &app.state.db.sessions;
        // Far in the future, so the server's own sweep of lapsed sessions leaves these alone.
        let now = Timestamp::from_unix_millis(4_102_444_800_000);
        let row = SessionRow { data: "{\"account\":1}".into(), expires_at: now.plus_days(1), ends_at: now.plus_days(30) };
        assert!(sessions.insert_session("a", &row).await.expect("insert"));
        assert!(!sessions.insert_session("a", &SessionRow { data: "{}".into(), ..row.clone() }).await.expect("insert"));
        assert_eq!(sessions.load_session("a", now).await.expect("load"), Some(row.clone()));
        assert_eq!(sessions.load_session("a", now.plus_days(2)).await.expect("load"), None, "lapsed");
        sessions.upsert_session("a", &SessionRow { data: "{}".into(), ..row.clone() }).await.expect("upsert");
        assert_eq!(sessions.load_session("a", now).await.expect("load").map(|r| r.data).as_deref(), Some("{}"));
        assert_eq!(sessions.delete_expired_sessions(now.plus_days(2)).await.expect("sweep"), 1);
        sessions.delete_session("a").await.expect("delete of a missing session is fine");

        // Used again and again, a session still ends when its lifetime is over.
        let ending = SessionRow { data: "{}".into(), expires_at: now.plus_days(40), ends_at: now.plus_days(30) };
        assert!(sessions.insert_session("b", &ending).await.expect("insert"));
        let later = SessionRow { ends_at: now.plus_days(90), ..ending.clone() };
        sessions.upsert_session("b", &later).await.expect("upsert keeps the end");
        assert!(sessions.load_session("b", now.plus_days(29)).await.expect("load").is_some());
        assert_eq!(sessions.load_session("b", now.plus_days(31)).await.expect("load"), None, "ended");
        assert_eq!(sessions.delete_expired_sessions(now.plus_days(31)).await.expect("sweep"), 1);
    }
}
