//! An admin corrects a member's points or credit: always with a reason, once per form.

use engine::access::{Role, RoleSet};
use engine::ledger::MemberId;

use crate::support::{location, on_both_backends};

fn token_in(page: &str) -> String {
    let form = page.find("data-test=\"adjust\"").expect("the adjustment form");
    let start = page[form..].find("name=\"token\" value=\"").expect("a token") + form + "name=\"token\" value=\"".len();
    page[start..start + page[start..].find('"').expect("quote")].to_owned()
}

on_both_backends! {
    async fn an_adjustment_needs_a_reason_applies_once_and_is_kept_with_it(app) {
        let member = app.account("09121234567", "password-123", RoleSet::of(&[Role::Member])).await;
        let admin = app.signed_in("admin@example.com", RoleSet::of(&[Role::Admin])).await;
        let page_url = format!("/admin/members/{}", member.id.0);
        let action = format!("{page_url}/adjust");
        let token = token_in(&admin.text(&page_url).await);

        let no_reason = admin.post_form(&action, &[("asset", "points"), ("direction", "grant"), ("amount", "100"), ("reason", "  "), ("token", &token)]).await;
        assert!(location(&no_reason).contains("error=reason_required"));
        let form = [("asset", "points"), ("direction", "grant"), ("amount", "۱۰۰"), ("reason", "جبران تأخیر ارسال"), ("token", token.as_str())];
        let granted = admin.post_form(&action, &form).await;
        assert_eq!(location(&granted), format!("{page_url}?notice=adjusted"));
        let again = admin.post_form(&action, &form).await;
        assert_eq!(location(&again), format!("{page_url}?notice=adjusted"), "a resent form is answered, not applied again");

        let ledger = &app.state.db.ledger;
        let id = MemberId::new(member.id.0).expect("id");
        assert_eq!(ledger.balances(id).await.expect("balances").points.get(), 100);

        let fresh = token_in(&admin.text(&page_url).await);
        let too_much = admin.post_form(&action, &[("asset", "points"), ("direction", "deduct"), ("amount", "500"), ("reason", "اشتباه"), ("token", &fresh)]).await;
        assert!(location(&too_much).contains("error=insufficient_points"), "{}", location(&too_much));
        let credit = admin.post_form(&action, &[("asset", "credit"), ("direction", "grant"), ("amount", "12500.50"), ("reason", "هدیه"), ("token", &fresh)]).await;
        assert_eq!(location(&credit), format!("{page_url}?notice=adjusted"), "a refused write leaves its token free");

        let trail = ledger.adjustments(id).await.expect("trail");
        assert_eq!(trail.len(), 2);
        assert!(trail.iter().any(|a| a.reason == "جبران تأخیر ارسال" && a.by_name == "admin@example.com"));
        let detail = admin.text(&page_url).await;
        assert!(detail.contains("جبران تأخیر ارسال") && detail.contains("+۱۰۰"), "the page shows the trail");
        assert!(ledger.audit().await.expect("audit").is_sound());
    }
}
