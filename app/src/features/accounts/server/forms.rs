//! The handlers behind the site's HTML forms. They work with or without the WebAssembly front
//! end: each answers a plain form post with a redirect (post/redirect/get), carrying an error
//! code and the non-secret fields back to the form when the input was refused.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use engine::access::{Area, Role, RoleSet};
use engine::profile::{Birthday, City, Gender, PersonName, Profile};
use engine::time::GregorianDate;
use serde::Deserialize;
use tower_sessions::Session;

use crate::features::accounts::server::service as accounts;
use crate::platform::server::client_addr::ClientAddress;
use crate::platform::server::clock;
use crate::features::earning::server::events as earning;
use crate::platform::server::entered::{Admin, Entered, Member, SignedIn};
use crate::platform::server::guard::{LANG_COOKIE, SESSION_ACCOUNT};
use crate::features::earning::server::referrals;
use crate::platform::server::routes::Routes;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{Account, AccountId, StoredProfile};
use crate::platform::error::ErrorCode;
use crate::platform::i18n::Lang;

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Only paths on this site, so a crafted link cannot send people elsewhere after login. Browsers
/// drop tabs and newlines from a URL and read `\\` as `/`, so `/<TAB>/evil.example` would be
/// `//evil.example`: any control character, space or backslash refuses the path.
pub(crate) fn local_path(next: &str) -> Option<&str> {
    let plain = next.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    (plain && next.starts_with('/') && !next.starts_with("//")).then_some(next)
}

/// Joining, signing in and out, the language, and the member's own card and profile.
pub fn routes() -> Routes {
    Routes::new()
        .page("/", Area::Public)
        .page("/signup", Area::Public)
        .page("/login", Area::Public)
        .form("/signup", Area::Public, sign_up)
        .form("/login", Area::Public, log_in)
        .form("/lang", Area::Public, set_lang)
        .form("/logout", Area::Account, log_out)
        .page("/card", Area::Member)
        .page("/card/print", Area::Member)
        .page("/profile", Area::Member)
        .form("/profile", Area::Member, save_profile)
        .form("/card/replace", Area::Member, replace_card)
        .server_fn("viewer", Area::Public)
        .server_fn("my_card", Area::Member)
        .server_fn("my_profile", Area::Member)
}

pub(crate) fn back_with_error(form: &str, code: ErrorCode, fields: &[(&str, &str)]) -> Response {
    let mut url = format!("{form}?error={}", code.as_str());
    for (name, value) in fields {
        url.push_str(&format!("&{name}={}", encode(value)));
    }
    Redirect::to(&url).into_response()
}

/// Where an account lands after signing in when it did not ask for a page.
fn home_of(account: &Account) -> &'static str {
    if account.roles.contains(Role::Member) {
        "/card"
    } else if account.roles.contains(Role::Admin) {
        "/admin"
    } else if account.roles.contains(Role::Cashier) {
        "/till"
    } else {
        "/"
    }
}

async fn start_session(session: &Session, account: &Account) -> Result<(), ErrorCode> {
    // A new id at sign-in, so an id planted before login is worthless after it.
    session.cycle_id().await.map_err(accounts::internal)?;
    session.insert(SESSION_ACCOUNT, account.id.0).await.map_err(accounts::internal)
}

#[derive(Deserialize)]
pub struct CredentialsForm {
    #[serde(default)]
    identifier: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    /// The invite code of the link the sign-up page was opened from; sign-up only.
    #[serde(default, rename = "ref")]
    invite: String,
}

/// The refusal of a form, with `Retry-After` when a limit was spent.
fn refused(form: &str, code: ErrorCode, wait: u64, fields: &[(&str, &str)]) -> Response {
    let mut response = back_with_error(form, code, fields);
    if code == ErrorCode::TooManyAttempts
        && let Ok(value) = wait.to_string().parse()
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

pub async fn sign_up(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    session: Session,
    Form(form): Form<CredentialsForm>,
) -> Response {
    let result = accounts::register(&state, &form.identifier, &form.password, &address.to_string()).await;
    let started = match result {
        Ok(accounts::SignedUp::Claimed { code }) => {
            // No session: the account takes the password only when a cashier confirms the code.
            return Redirect::to(&format!("/signup?notice=claim_pending&code={code}")).into_response();
        }
        Ok(accounts::SignedUp::New(account)) => {
            referrals::link_inviter(&state, account.id, &form.invite).await;
            earning::reward_sign_up(&state, account.id).await;
            start_session(&session, &account).await.map(|()| account).map_err(|code| (code, 0))
        }
        Err(refusal) => Err(refusal),
    };
    match started {
        Ok(account) => Redirect::to(local_path(&form.next).unwrap_or(home_of(&account))).into_response(),
        Err((code, wait)) => {
            // The invite code goes back too, so fixing the input still credits the inviter.
            let mut fields = vec![("identifier", form.identifier.as_str())];
            if !form.invite.is_empty() {
                fields.push(("ref", form.invite.as_str()));
            }
            refused("/signup", code, wait, &fields)
        }
    }
}

pub async fn log_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    session: Session,
    Form(form): Form<CredentialsForm>,
) -> Response {
    let fields = [("identifier", form.identifier.as_str()), ("next", form.next.as_str())];
    match accounts::log_in(&state, &form.identifier, &form.password, &address.to_string()).await {
        Ok(account) => match start_session(&session, &account).await {
            Ok(()) => Redirect::to(local_path(&form.next).unwrap_or(home_of(&account))).into_response(),
            Err(code) => back_with_error("/login", code, &fields),
        },
        Err((code, wait)) => refused("/login", code, wait, &fields),
    }
}

pub async fn log_out(_: Entered<SignedIn>, session: Session) -> Response {
    // Deleting the stored session ends it on every tab at once.
    if let Err(e) = session.flush().await {
        tracing::warn!(error = %e, "cannot delete session");
    }
    Redirect::to("/").into_response()
}

#[derive(Deserialize)]
pub struct LangForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn set_lang(Form(form): Form<LangForm>) -> Response {
    let lang = Lang::parse(&form.lang).unwrap_or_default();
    let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    let mut response = Redirect::to(local_path(&form.back).unwrap_or("/")).into_response();
    if let Ok(value) = cookie.parse() {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    birthday: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    gender: String,
}

fn optional<T, E>(text: &str, parse: impl Fn(&str) -> Result<T, E>, code: ErrorCode) -> Result<Option<T>, ErrorCode> {
    if text.trim().is_empty() { Ok(None) } else { parse(text).map(Some).map_err(|_| code) }
}

impl ProfileForm {
    fn parse(&self) -> Result<Profile, ErrorCode> {
        let birthday = optional(
            &self.birthday,
            |text| {
                let date = GregorianDate::parse_any_calendar(text).ok_or(())?;
                Birthday::new(date, clock::today()).map_err(|_| ())
            },
            ErrorCode::BadBirthday,
        )?;
        Ok(Profile {
            first_name: optional(&self.first_name, PersonName::parse, ErrorCode::BadName)?,
            last_name: optional(&self.last_name, PersonName::parse, ErrorCode::BadName)?,
            birthday,
            city: optional(&self.city, City::parse, ErrorCode::BadCity)?,
            gender: optional(&self.gender, Gender::parse, ErrorCode::BadGender)?,
        })
    }
}

fn stored(profile: Profile) -> StoredProfile {
    StoredProfile {
        first_name: profile.first_name,
        last_name: profile.last_name,
        birthday: profile.birthday.map(Birthday::date),
        city: profile.city,
        gender: profile.gender,
    }
}

pub async fn save_profile(
    State(state): State<AppState>,
    member: Entered<Member>,
    Form(form): Form<ProfileForm>,
) -> Response {
    let fields = [
        ("first_name", form.first_name.as_str()),
        ("last_name", form.last_name.as_str()),
        ("birthday", form.birthday.as_str()),
        ("city", form.city.as_str()),
        ("gender", form.gender.as_str()),
    ];
    let account = member.account.as_ref();
    let saved = match form.parse() {
        Ok(profile) => {
            let complete = profile.is_complete();
            accounts::save_profile(&state, account.id, &stored(profile)).await.map(|()| complete)
        }
        Err(code) => Err(code),
    };
    match saved {
        Ok(complete) => {
            earning::reward_profile(&state, account, complete).await;
            Redirect::to("/profile?notice=saved").into_response()
        }
        Err(code) => back_with_error("/profile", code, &fields),
    }
}

pub async fn replace_card(State(state): State<AppState>, member: Entered<Member>) -> Response {
    match accounts::replace_card(&state, member.account.id).await {
        Ok(_) => Redirect::to("/card?notice=card_replaced").into_response(),
        Err(code) => back_with_error("/card", code, &[]),
    }
}

/// One checkbox per role; a checked box sends its name.
#[derive(Deserialize)]
pub struct RolesForm {
    member: Option<String>,
    cashier: Option<String>,
    partner: Option<String>,
    auditor: Option<String>,
    admin: Option<String>,
}

impl RolesForm {
    fn roles(&self) -> RoleSet {
        let checked = [
            (Role::Member, &self.member),
            (Role::Cashier, &self.cashier),
            (Role::Partner, &self.partner),
            (Role::Auditor, &self.auditor),
            (Role::Admin, &self.admin),
        ];
        checked.into_iter().filter(|(_, v)| v.is_some()).fold(RoleSet::empty(), |set, (role, _)| set.with(role))
    }
}

pub async fn set_roles(
    State(state): State<AppState>,
    admin: Entered<Admin>,
    Path(id): Path<i64>,
    Form(form): Form<RolesForm>,
) -> Response {
    let page = format!("/admin/members/{id}");
    match accounts::set_roles(&state, AccountId(id), form.roles(), &admin.account).await {
        Ok(()) => Redirect::to(&format!("{page}?notice=roles_saved")).into_response(),
        Err(code) => back_with_error(&page, code, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn redirects_stay_on_this_site() {
        assert_eq!(local_path("/card"), Some("/card"));
        assert_eq!(local_path("//evil.example"), None);
        assert_eq!(local_path("/\\evil.example"), None);
        assert_eq!(local_path("https://evil.example"), None);
        assert_eq!(local_path("/\t/evil.example"), None);
        assert_eq!(local_path("/\n/evil.example"), None);
        assert_eq!(local_path("/ /evil.example"), None);
        assert_eq!(local_path("/a\\b"), None);
        assert_eq!(local_path("/wallet?kind=earn&asset=points"), Some("/wallet?kind=earn&asset=points"));
    }
}
