//! The admin's branches, API keys and earning rules, through the web pages.

use engine::access::{Role, RoleSet};
use engine::earn::Policy;

use crate::support::{location, on_both_backends};

fn secret_in(page: &str) -> Option<String> {
    let start = page.find("data-test=\"new-key-secret\">")? + "data-test=\"new-key-secret\">".len();
    let end = page[start..].find('<')?;
    Some(page[start..start + end].to_owned())
}

on_both_backends! {
    async fn an_admin_adds_a_branch_whose_key_is_shown_once_and_can_be_revoked(app) {
        let admin = app.signed_in("admin@example.com", RoleSet::of(&[Role::Admin])).await;
        let created = admin.post_form("/admin/branches", &[("name", "  شعبه   ونک ")]).await;
        assert_eq!(location(&created), "/admin/branches?notice=key_created");
        let page = admin.text("/admin/branches?notice=key_created").await;
        let secret = secret_in(&page).expect("the new key is shown");
        assert!(secret.starts_with("bk_") && secret.len() > 40, "{secret}");
        assert!(page.contains("شعبه ونک"), "the name is tidied");
        assert!(secret_in(&admin.text("/admin/branches").await).is_none(), "shown only once");

        let http = reqwest::Client::new();
        let lookup = |key: String| {
            let http = http.clone();
            let url = app.url("/api/v1/members/lookup?member=09120000000");
            async move { http.get(url).bearer_auth(key).send().await.expect("lookup").status().as_u16() }
        };
        assert_ne!(lookup(secret.clone()).await, 401, "the key opens the POS API");
        let duplicate = admin.post_form("/admin/branches", &[("name", "شعبه ونک")]).await;
        assert!(location(&duplicate).starts_with("/admin/branches?error=branch_exists"));

        let branches = app.state.db.club.branches().await.expect("branches");
        let keys = app.state.db.club.keys(branches[0].id).await.expect("keys");
        let revoked = admin.post_form(&format!("/admin/keys/{}/revoke", keys[0].id), &[]).await;
        assert_eq!(location(&revoked), "/admin/branches?notice=key_revoked");
        assert_eq!(lookup(secret).await, 401, "a revoked key is refused at once");
        let another = admin.post_form(&format!("/admin/branches/{}/keys", branches[0].id.get()), &[]).await;
        assert_eq!(location(&another), "/admin/branches?notice=key_created");
        let fresh = secret_in(&admin.text("/admin/branches").await).expect("a second key");
        assert_ne!(lookup(fresh).await, 401);
    }
}

on_both_backends! {
    async fn the_rules_are_checked_whole_before_saving_and_the_dry_run_explains(app) {
        let admin = app.signed_in("admin@example.com", RoleSet::of(&[Role::Admin])).await;
        let page = admin.text("/admin/rules").await;
        assert!(page.contains("data-test=\"tiers\""));

        let broken = admin.post_form("/admin/rules", &[("policy", "{\"schema\": 1, \"rules\": [")]).await;
        assert!(location(&broken).starts_with("/admin/rules?error=bad_policy&detail="));
        let mut draft = Policy::starter().to_draft();
        draft.tiers.tiers.retain(|tier| tier.threshold != 0);
        let no_base_tier = serde_json::to_string(&draft).expect("json");
        let refused = admin.post_form("/admin/rules", &[("policy", no_base_tier.as_str())]).await;
        assert!(location(&refused).starts_with("/admin/rules?error=bad_policy"), "a ladder without a base tier is refused");
        assert_eq!(app.state.db.club.policy_history(10).await.expect("history").len(), 0, "nothing was saved");

        let mut draft = Policy::starter().to_draft();
        draft.version += 1;
        let changed = serde_json::to_string(&draft).expect("json");
        let saved = admin.post_form("/admin/rules", &[("policy", changed.as_str())]).await;
        assert_eq!(location(&saved), "/admin/rules?notice=saved");
        assert_eq!(app.state.db.club.policy_history(10).await.expect("history").len(), 1);

        let run = admin.text("/admin/rules?amount=%DB%B2%DB%B5%DB%B0%DB%B0%DB%B0%DB%B0&tier=bronze").await;
        assert!(run.contains("data-test=\"dry-run-result\""), "{run}");
        assert!(run.contains("10,000 rials"), "the explanation names the rule's step");
    }
}
