//! A demo club: an admin, a cashier, a few members, the starter earning policy and a branch with
//! a POS API key, so a fresh checkout has something to show and the POS API works at once.

use engine::access::{Role, RoleSet};
use engine::earn::Policy;
use engine::profile::PersonName;

use super::accounts;
use super::pos;
use super::state::AppState;
use super::store::StoredProfile;

pub const ADMIN_LOGIN: &str = "admin@bashgah.local";
pub const CASHIER_LOGIN: &str = "cashier@bashgah.local";
pub const BRANCH_NAME: &str = "شعبه مرکزی";

const MEMBERS: [(&str, &str, &str); 4] = [
    ("09120000001", "سارا", "کریمی"),
    ("09120000002", "علی", "رضایی"),
    ("09120000003", "مریم", "احمدی"),
    ("09120000004", "Reza", "Tehrani"),
];

/// What the demo created and how to sign in, for the operator's terminal.
pub struct DemoLogins {
    pub password: String,
    pub lines: Vec<String>,
}

/// Seeds the demo club into an empty database; leaves any other database untouched.
pub async fn seed(state: &AppState) -> anyhow::Result<Option<DemoLogins>> {
    if state.db.accounts.count_accounts().await? > 0 {
        return Ok(None);
    }
    let password = format!("demo-{:06}", super::clock::random_u64() % 1_000_000);
    let err = |code: crate::api::ErrorCode| anyhow::anyhow!("cannot seed the demo club: {}", code.as_str());
    let admin = accounts::sign_up(state, ADMIN_LOGIN, &password, RoleSet::of(&[Role::Admin])).await.map_err(err)?;
    accounts::sign_up(state, CASHIER_LOGIN, &password, RoleSet::of(&[Role::Cashier])).await.map_err(err)?;
    let mut lines = vec![format!("admin:   {ADMIN_LOGIN}"), format!("cashier: {CASHIER_LOGIN}")];
    for (phone, first, last) in MEMBERS {
        let member = accounts::sign_up(state, phone, &password, RoleSet::of(&[Role::Member])).await.map_err(err)?;
        let profile = StoredProfile {
            first_name: PersonName::parse(first).ok(),
            last_name: PersonName::parse(last).ok(),
            ..StoredProfile::default()
        };
        accounts::save_profile(state, member.id, &profile).await.map_err(err)?;
        lines.push(format!("member:  {phone} ({first} {last})"));
    }
    // Stored rather than left to the fallback, so the admin sees a first version with its author.
    pos::policy::save(state, &Policy::starter(), Some(admin.id)).await.map_err(err)?;
    let (branch, key) = pos::keys::create_branch(state, BRANCH_NAME).await.map_err(err)?;
    lines.push(format!("POS API: branch {} ({}), key {}", branch.id, branch.name, key.secret));
    Ok(Some(DemoLogins { password, lines }))
}

pub fn print(logins: &DemoLogins) {
    println!("Demo club created. Sign in with any of these, password {}:", logins.password);
    for line in &logins.lines {
        println!("  {line}");
    }
}
