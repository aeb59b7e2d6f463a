//! Account use cases: parse the input, let the engine rule, then store.

use engine::access::{Role, RoleSet};
use engine::card::CardNumber;
use engine::password::Password;

use crate::features::accounts::server::auth;
use crate::platform::server::clock;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{Account, AccountId, Login, NewAccount, StoreError, StoredProfile};
use crate::platform::error::ErrorCode;

/// How many fresh numbers to try when a random card number is already taken.
const CARD_ATTEMPTS: usize = 8;

pub(crate) fn internal(error: impl std::fmt::Display) -> ErrorCode {
    tracing::error!(error = %error, "request failed");
    ErrorCode::Internal
}

/// Creates an account with the given roles, without a sign-up bonus (the command line, the demo).
/// A taken login is always `AlreadyRegistered`, whatever
/// the password: sign-up must never work as a login (it would be one without the login's limits).
pub async fn sign_up(state: &AppState, identifier: &str, password: &str, roles: RoleSet) -> Result<Account, ErrorCode> {
    let login = Login::parse(identifier).ok_or(ErrorCode::BadIdentifier)?;
    create(state, login, password, roles, false).await
}

/// What a web sign-up did.
pub enum SignedUp {
    /// A new account, signed in.
    New(Account),
    /// The phone belongs to a member enrolled at a till, who has no password yet: a claim is
    /// open, and a cashier who is shown this code at the till gives the account the password.
    Claimed { code: String },
}

/// A visitor's sign-up on the web, within the sign-up limits of its address; `Err(wait)` in
/// seconds when they are spent.
pub async fn register(state: &AppState, identifier: &str, password: &str, address: &str) -> Result<SignedUp, (ErrorCode, u64)> {
    let login = Login::parse(identifier).ok_or((ErrorCode::BadIdentifier, 0))?;
    state
        .throttle
        .sign_up(login.as_str(), address)
        .await
        .map_err(|wait| (ErrorCode::TooManyAttempts, wait.as_secs().max(1)))?;
    match create(state, login.clone(), password, RoleSet::of(&[Role::Member]), true).await {
        Ok(account) => Ok(SignedUp::New(account)),
        Err(ErrorCode::AlreadyRegistered) => claim(state, &login, password).await.map_err(|code| (code, 0)),
        Err(code) => Err((code, 0)),
    }
}

/// The digest a claim's code is kept as, bound to its account.
pub fn claim_digest(account: AccountId, code: &str) -> String {
    let text = format!("claim:{}:{}", account.0, code.trim());
    engine::fair::hexstr::encode(&engine::fair::hash::sha256(text.as_bytes()))
}

/// Opens a claim when the taken login is a till-enrolled member without a password; any other
/// taken login is `AlreadyRegistered`, whatever the password.
async fn claim(state: &AppState, login: &Login, password: &str) -> Result<SignedUp, ErrorCode> {
    let account = state.db.accounts.account_by_login(login).await.map_err(internal)?.ok_or(ErrorCode::AlreadyRegistered)?;
    if !account.password_hash.is_empty() {
        return Err(ErrorCode::AlreadyRegistered);
    }
    let password = Password::parse(password).map_err(|_| ErrorCode::BadPassword)?;
    let hash = auth::hash_password(&password).await.map_err(internal)?;
    let code = format!("{:06}", clock::random_u64() % 1_000_000);
    let opened = state.db.accounts.open_claim(account.id, &hash, &claim_digest(account.id, &code), clock::now()).await.map_err(internal)?;
    if opened { Ok(SignedUp::Claimed { code }) } else { Err(ErrorCode::AlreadyRegistered) }
}

/// Confirms a claim at the till with the code its claimant shows.
pub async fn confirm_claim(state: &AppState, account: AccountId, code: &str) -> Result<(), ErrorCode> {
    let code = engine::text::ascii_digits(code.trim());
    match state.db.accounts.confirm_claim(account, &claim_digest(account, &code)).await.map_err(internal)? {
        true => Ok(()),
        false => Err(ErrorCode::WrongClaimCode),
    }
}

/// Makes the account; `sign_up_bonus` owes it the policy's sign-up award in the same transaction.
async fn create(state: &AppState, login: Login, password: &str, roles: RoleSet, sign_up_bonus: bool) -> Result<Account, ErrorCode> {
    let password = Password::parse(password).map_err(|_| ErrorCode::BadPassword)?;
    let password_hash = auth::hash_password(&password).await.map_err(internal)?;
    for _ in 0..CARD_ATTEMPTS {
        let new = NewAccount {
            login: login.clone(),
            password_hash: password_hash.clone(),
            roles,
            profile: StoredProfile::default(),
            card: CardNumber::issue(clock::random_u64()),
            now: clock::now(),
            owed_sign_up_award: sign_up_bonus,
        };
        match state.db.accounts.create_account(new).await {
            Ok(account) => return Ok(account),
            Err(StoreError::Duplicate("card")) => continue,
            Err(StoreError::Duplicate(_)) => return Err(ErrorCode::AlreadyRegistered),
            Err(e) => return Err(internal(e)),
        }
    }
    Err(internal("no free card number after several tries"))
}

/// Checks a login, within the attempt limits of the account and of the client's address.
pub async fn log_in(state: &AppState, identifier: &str, password: &str, address: &str) -> Result<Account, (ErrorCode, u64)> {
    let login = Login::parse(identifier).ok_or((ErrorCode::WrongCredentials, 0))?;
    state
        .throttle
        .attempt(login.as_str(), address)
        .await
        .map_err(|wait| (ErrorCode::TooManyAttempts, wait.as_secs().max(1)))?;
    let account = state.db.accounts.account_by_login(&login).await.map_err(|e| (internal(e), 0))?;
    let hash = account.as_ref().map(|a| a.password_hash.as_str());
    if auth::verify_password(password, hash).await {
        account.ok_or((ErrorCode::WrongCredentials, 0))
    } else {
        Err((ErrorCode::WrongCredentials, 0))
    }
}

/// Issues a new card; the old number stops identifying the member at once.
pub async fn replace_card(state: &AppState, id: AccountId) -> Result<CardNumber, ErrorCode> {
    for _ in 0..CARD_ATTEMPTS {
        let card = CardNumber::issue(clock::random_u64());
        match state.db.accounts.replace_card(id, &card, clock::now()).await {
            Ok(()) => {
                crate::platform::server::bus::announce(state, crate::platform::server::caches::Change::Cards).await;
                return Ok(card);
            }
            Err(StoreError::Duplicate(_)) => continue,
            Err(StoreError::NotFound) => return Err(ErrorCode::NotFound),
            Err(e) => return Err(internal(e)),
        }
    }
    Err(internal("no free card number after several tries"))
}

pub async fn set_roles(state: &AppState, target: AccountId, roles: RoleSet, by: &Account) -> Result<(), ErrorCode> {
    if target == by.id && !roles.contains(Role::Admin) {
        return Err(ErrorCode::OwnAdminRole);
    }
    state.db.accounts.account(target).await.map_err(internal)?.ok_or(ErrorCode::NotFound)?;
    state.db.accounts.set_roles(target, roles, by.id, clock::now()).await.map_err(internal)
}

pub async fn save_profile(state: &AppState, id: AccountId, profile: &StoredProfile) -> Result<(), ErrorCode> {
    state.db.accounts.update_profile(id, profile).await.map_err(internal)
}

