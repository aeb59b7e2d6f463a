//! Every route, every role: who is let in. The expectations are written out here by hand, not
//! derived from the code under test.

use engine::access::{Role, RoleSet};

use crate::support::{Client, TestApp, location, on_both_backends};

const ALL: &[Option<Role>] = &[None, Some(Role::Member), Some(Role::Cashier), Some(Role::Partner), Some(Role::Auditor), Some(Role::Admin)];
const SIGNED_IN: &[Option<Role>] = &[Some(Role::Member), Some(Role::Cashier), Some(Role::Partner), Some(Role::Auditor), Some(Role::Admin)];
const MEMBER: &[Option<Role>] = &[Some(Role::Member)];
const TILL: &[Option<Role>] = &[Some(Role::Cashier), Some(Role::Admin)];
const ADMIN: &[Option<Role>] = &[Some(Role::Admin)];

enum Call {
    Page(&'static str),
    Form(&'static str),
    ServerFn(&'static str, &'static [(&'static str, &'static str)]),
}

/// `{member}` in a path is replaced with the id of a member that exists.
fn routes() -> Vec<(Call, &'static [Option<Role>])> {
    vec![
        (Call::Page("/"), ALL),
        (Call::Page("/signup"), ALL),
        (Call::Page("/login"), ALL),
        (Call::Page("/healthz"), ALL),
        (Call::Page("/card"), MEMBER),
        (Call::Page("/card/print"), MEMBER),
        (Call::Page("/profile"), MEMBER),
        (Call::Page("/wallet"), MEMBER),
        (Call::Form("/profile"), MEMBER),
        (Call::Form("/card/replace"), MEMBER),
        (Call::Page("/till"), TILL),
        (Call::Form("/till/purchase"), TILL),
        (Call::Page("/admin"), ADMIN),
        (Call::Page("/admin/club"), ADMIN),
        (Call::Page("/admin/rules"), ADMIN),
        (Call::Page("/admin/branches"), ADMIN),
        (Call::Form("/admin/branches"), ADMIN),
        (Call::Page("/admin/members/{member}"), ADMIN),
        (Call::Form("/admin/members/{member}/roles"), ADMIN),
        (Call::Form("/admin/members/{member}/adjust"), ADMIN),
        (Call::Page("/wheels"), MEMBER),
        (Call::Page("/fairness"), MEMBER),
        (Call::Form("/fairness/client-seed"), MEMBER),
        (Call::Form("/fairness/rotate"), MEMBER),
        (Call::Page("/admin/wheels"), ADMIN),
        (Call::Page("/admin/wheels/new"), ADMIN),
        (Call::Form("/admin/wheels"), ADMIN),
        (Call::Page("/audit"), ALL),
        (Call::ServerFn("viewer", &[]), ALL),
        (Call::ServerFn("live_wheels", &[]), MEMBER),
        (Call::ServerFn("my_fairness", &[]), MEMBER),
        (Call::ServerFn("admin_wheels", &[]), ADMIN),
        (Call::ServerFn("recent_spins", &[]), ALL),
        (Call::ServerFn("my_card", &[]), MEMBER),
        (Call::ServerFn("my_profile", &[]), MEMBER),
        (Call::ServerFn("my_wallet", &[("kind", ""), ("asset", "")]), MEMBER),
        (Call::ServerFn("till_lookup", &[("query", "09120000000")]), TILL),
        (Call::ServerFn("search_members", &[("query", "")]), ADMIN),
        (Call::ServerFn("member_detail", &[("id", "{member}")]), ADMIN),
        (Call::ServerFn("liability_report", &[]), ADMIN),
        (Call::ServerFn("list_branches", &[]), ADMIN),
        (Call::ServerFn("load_rules", &[("amount", ""), ("tier", "")]), ADMIN),
        // Last: it ends the session.
        (Call::Form("/logout"), SIGNED_IN),
    ]
}

#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    LetIn,
    SentToLogin,
    Refused,
}

async fn verdict(client: &Client, call: &Call, member: &str) -> Verdict {
    let fill = |s: &str| s.replace("{member}", member);
    let response = match call {
        Call::Page(path) => client.get(&fill(path)).await,
        Call::Form(path) => client.post_form(&fill(path), &[("member", "on")]).await,
        Call::ServerFn(name, args) => {
            let args: Vec<(&str, String)> = args.iter().map(|(k, v)| (*k, fill(v))).collect();
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            client.server_fn(name, &args).await
        }
    };
    match response.status().as_u16() {
        401 => Verdict::SentToLogin,
        403 => Verdict::Refused,
        303 if location(&response).starts_with("/login?next=") => Verdict::SentToLogin,
        status if status < 400 => Verdict::LetIn,
        status => panic!("unexpected status {status}"),
    }
}

async fn client_for(app: &TestApp, role: Option<Role>) -> Client {
    match role {
        None => app.client(),
        Some(role) => app.signed_in(&format!("{}@example.com", role.as_str()), RoleSet::of(&[role])).await,
    }
}

on_both_backends! {
    async fn every_route_lets_in_exactly_the_roles_it_should(app) {
        let member = app.account("09120000001", "password-123", RoleSet::of(&[Role::Member])).await;
        let member_id = member.id.0.to_string();
        let mut wrong = Vec::new();
        for role in ALL {
            let client = client_for(&app, *role).await;
            for (call, allowed) in routes() {
                let expected = if allowed.contains(role) {
                    Verdict::LetIn
                } else if role.is_none() {
                    Verdict::SentToLogin
                } else {
                    Verdict::Refused
                };
                let got = verdict(&client, &call, &member_id).await;
                if got != expected {
                    let name = match &call { Call::Page(p) => format!("GET {p}"), Call::Form(p) => format!("POST {p}"), Call::ServerFn(n, _) => format!("fn {n}") };
                    wrong.push(format!("{role:?} {name}: expected {expected:?}, got {got:?}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
