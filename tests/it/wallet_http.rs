//! The member's wallet page, over ledger activity written through the real store.

use std::num::NonZeroU32;

use app::platform::server::store::Login;
use engine::access::{Role, RoleSet};
use engine::ledger::{Amount, ClientId, Earn, ExpiryPolicy, MemberId, Money, Points, Request};

use crate::support::{now, on_both_backends};


on_both_backends! {
    async fn the_wallet_shows_balances_expiring_points_and_filtered_history(app) {
        let client = app.signed_in("09121234567", RoleSet::of(&[Role::Member])).await;
        let account = app.state.db.accounts.account_by_login(&Login::parse("09121234567").expect("login")).await.expect("read").expect("found");
        let member = MemberId::new(account.id.0).expect("id");
        let ledger = &app.state.db.ledger;
        let earn = |points: i64, credit: &str, days: u32| Request::Earn(Earn {
            member,
            points: Points::new(points).expect("points"),
            credit: credit.parse::<Money>().expect("money"),
            policy: ExpiryPolicy::AfterDays(NonZeroU32::new(days).expect("days")),
            pending_days: 0,
            purchase: None,
        });
        ledger.apply(ClientId::parse("soon").expect("id"), earn(120, "2500.50", 10), now()).await.expect("db").expect("earned");
        ledger.apply(ClientId::parse("later").expect("id"), earn(30, "0", 365), now()).await.expect("db").expect("earned");
        ledger.apply(ClientId::parse("spend").expect("id"), Request::Spend { member, amount: Amount::Points(Points::new(50).expect("points")) }, now()).await.expect("db").expect("spent");

        let page = client.text("/wallet").await;
        assert!(page.contains("data-test=\"points\""), "{page}");
        assert!(page.contains("۱۰۰"), "100 points left, in Persian digits");
        assert!(page.contains("۲۵۰۰.۵۰"), "credit in rials");
        assert!(page.contains("data-test=\"expiring\""), "the soonest lot expires within 30 days");
        assert!(page.contains("۷۰"), "70 of the soon-expiring lot remain after spending from it first");
        assert!(page.contains("+۱۲۰") && page.contains("-۵۰"), "history shows both directions");

        assert!(page.contains("data-test=\"tier\"") && page.contains("برنزی"), "the base tier, named in Persian");
        assert!(page.contains("data-test=\"tier-next\"") && page.contains("نقره‌ای"), "the progress names the next tier");

        let spent_only = client.text("/wallet?kind=spent").await;
        assert!(spent_only.contains("-۵۰") && !spent_only.contains("+۱۲۰"));
        let credit_only = client.text("/wallet?asset=credit").await;
        assert!(credit_only.contains("+۲۵۰۰.۵۰") && !credit_only.contains("-۵۰"));
        assert!(ledger.audit().await.expect("audit").is_sound());

        let admin = app.signed_in("admin@example.com", RoleSet::of(&[Role::Admin])).await;
        let report = admin.text("/admin/club").await;
        assert!(report.contains("data-test=\"liability\""));
        assert!(report.contains("۱۰۰") && report.contains("۲۵۰۰.۵۰") && report.contains("۷۰"), "points, credit and expiring totals");
    }
}
