//! Every route, every role: who is let in. The routes come from the server's own route table
//! (`app::platform::server::route_table`), so a route added anywhere is walked here with the area it
//! declared; the rule for an area comes from `engine::access::may_enter`. A route that declares
//! no area cannot be added to the table, and a page or server function that Leptos registers
//! without one fails `nothing_is_served_without_a_declared_area`.

use app::platform::server::{Declared, Kind, route_table, undeclared};
use engine::access::{Area, Role, RoleSet, may_enter};

use crate::support::{Client, TestApp, location, on_both_backends};

const ALL: &[Option<Role>] = &[None, Some(Role::Member), Some(Role::Cashier), Some(Role::Partner), Some(Role::Auditor), Some(Role::Admin)];

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Verdict {
    LetIn,
    SentToLogin,
    Refused,
    /// The POS API without a branch key.
    KeyRequired,
    SignatureRequired,
}

/// Arguments a server function needs to get past decoding to its access check.
fn server_fn_args(path: &str, member: &str) -> Vec<(&'static str, String)> {
    let one = || "1".to_owned();
    match path.trim_start_matches("/api/") {
        "search_members" | "till_lookup" => vec![("query", "09120000000".to_owned())],
        "member_detail" => vec![("id", member.to_owned())],
        "load_rules" => vec![("amount", String::new()), ("tier", String::new())],
        "my_wallet" => vec![("kind", String::new()), ("asset", String::new())],
        "wheel_page" | "admin_wheel" => vec![("id", one())],
        "spin_wheel" => vec![("wheel", one()), ("key", "matrix".to_owned())],
        "spin_bundle_text" => vec![("spin", one())],
        "raffle_page" | "contest_page" => vec![("id", one())],
        "partner_page" => vec![("partner", one())],
        "market" => vec![("category", String::new()), ("query", String::new())],
        "draw_bundle_text" => vec![("raffle", one())],
        "contest_bundle_text" => vec![("contest", one())],
        _ => Vec::new(),
    }
}

/// The path with its parameters filled: the member for member routes, 1 or a file otherwise.
fn concrete(path: &str, member: &str) -> String {
    path.split('/')
        .map(|part| match part {
            "{id}" if path.starts_with("/admin/members/") => member.to_owned(),
            "{*file}" => "bashgah.js".to_owned(),
            p if p.starts_with('{') => "1".to_owned(),
            p => p.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn expected(role: Option<Role>, route: &Declared) -> Verdict {
    if matches!(route.area, Area::Pos | Area::PartnerApi) {
        Verdict::KeyRequired
    } else if route.area == Area::Witness {
        Verdict::SignatureRequired
    } else if route.area == Area::Metrics {
        // Every test client is on the loopback and no token is configured; `security_http`
        // tests the token and the proxy rule.
        Verdict::LetIn
    } else if may_enter(role.map(|r| RoleSet::of(&[r])), route.area) {
        Verdict::LetIn
    } else if role.is_none() {
        Verdict::SentToLogin
    } else {
        Verdict::Refused
    }
}

async fn call(client: &Client, route: &Declared, member: &str) -> reqwest::Response {
    let path = concrete(&route.path, member);
    match route.kind {
        Kind::Form => client.post_form(&path, &[("member", "on")]).await,
        Kind::ServerFn => {
            let args = server_fn_args(&path, member);
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            client.server_fn(path.trim_start_matches("/api/"), &args).await
        }
        _ if route.method == "POST" => client.http.post(client.url(&path)).json(&serde_json::json!({})).send().await.expect("POST"),
        _ => client.get(&path).await,
    }
}

/// What the answer means for access. A redirect back to a form with `error=forbidden` is a
/// refusal, not a way in; any other answer, errors about the input included, got past the check.
fn verdict(response: &reqwest::Response, route: &Declared) -> Verdict {
    let status = response.status().as_u16();
    let to = location(response);
    match status {
        401 if matches!(route.area, Area::Pos | Area::PartnerApi) => Verdict::KeyRequired,
        403 | 422 if route.area == Area::Witness => Verdict::SignatureRequired,
        401 => Verdict::SentToLogin,
        403 => Verdict::Refused,
        _ if to.starts_with("/login?next=") || to.contains("error=not_signed_in") => Verdict::SentToLogin,
        _ if to.contains("error=forbidden") => Verdict::Refused,
        s if s >= 500 => panic!("{} {} answered {s}", route.method, route.path),
        _ => Verdict::LetIn,
    }
}

async fn client_for(app: &TestApp, role: Option<Role>) -> Client {
    match role {
        None => app.client(),
        Some(role) => app.signed_in(&format!("{}@example.com", role.as_str()), RoleSet::of(&[role])).await,
    }
}

// Leptos lists its routes by rendering the app, which needs a runtime to spawn on.
#[tokio::test]
async fn nothing_is_served_without_a_declared_area() {
    let (_, table) = route_table().split();
    assert_eq!(undeclared(&table), Vec::<String>::new());
    assert_eq!(table.conflicts(), Vec::<String>::new());
    let kinds = |kind| table.declared().iter().filter(|r| r.kind == kind).count();
    assert!(kinds(Kind::Page) >= 19 && kinds(Kind::Form) >= 20 && kinds(Kind::ServerFn) >= 19, "the table is the whole surface");
}

on_both_backends! {
    async fn every_declared_route_lets_in_exactly_the_roles_of_its_area(app) {
        let member = app.account("09120000001", "password-123", RoleSet::of(&[Role::Member])).await;
        let member_id = member.id.0.to_string();
        let mut routes: Vec<Declared> = route_table().declared().to_vec();
        // Last: it ends the session.
        routes.sort_by_key(|r| r.path == "/logout");
        let mut wrong = Vec::new();
        for role in ALL {
            let client = client_for(&app, *role).await;
            for route in &routes {
                let want = expected(*role, route);
                let got = verdict(&call(&client, route, &member_id).await, route);
                if got != want {
                    wrong.push(format!("{role:?} {} {}: expected {want:?}, got {got:?}", route.method, route.path));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

on_both_backends! {
    async fn paths_no_route_declared_are_refused_for_everyone(app) {
        let admin = app.signed_in("admin@example.com", RoleSet::of(&[Role::Admin])).await;
        for path in ["/admin/secret", "/api/not_a_function", "/api/v1/admin", "/till/"] {
            assert_eq!(admin.get(path).await.status(), 404, "GET {path}");
        }
        let posted = admin.post_form("/wallet", &[]).await;
        assert_eq!(posted.status(), 405, "a page is not a form");
        assert_eq!(posted.headers().get("allow").and_then(|v| v.to_str().ok()), Some("GET"));
        assert_eq!(admin.server_fn("not_a_function", &[]).await.status(), 404);
    }
}
