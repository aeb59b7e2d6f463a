//! The till: enrol a member, look one up, record a purchase or a return, pay with credit. One set
//! of services, used by the REST API under `/api/v1` (`api`, authenticated with a branch key) and
//! by the web till page (authenticated by the cashier's session); both hand them parsed input.

mod api;
pub mod keys;
mod members;
mod openapi;
pub mod policy;
mod purchases;
pub mod store;
pub mod store_sql;
mod store_batch;
pub mod writer;

use engine::card::CardNumber;
use engine::earn::BranchId;
use engine::phone::PhoneNumber;

use crate::platform::server::caches::Holder;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{Account, AccountId};
use crate::platform::error::ErrorCode;

pub use members::{EnrolInput, Enrolled, MemberStatus, MemberView, enrol, held_tier, lookup, status};
pub use purchases::{PurchaseInput, RedemptionInput, ReturnInput, dry_run, record_purchase, record_return, redeem_credit};

/// Where a write comes from: the branch, and the cashier when a person at the web till made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Till {
    pub branch: BranchId,
    pub cashier: Option<AccountId>,
}

/// How the till names a member: the card in use, or the mobile number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberKey {
    Card(CardNumber),
    Phone(PhoneNumber),
}

impl MemberKey {
    /// A card number or a mobile number, in any digit script: sixteen digits are a card, which
    /// must carry its check digit; anything else must be a mobile number.
    pub fn parse(text: &str) -> Result<Self, ErrorCode> {
        match CardNumber::parse(text) {
            Ok(card) => Ok(Self::Card(card)),
            Err(engine::card::CardError::BadCheckDigit) => Err(ErrorCode::MistypedCard),
            Err(engine::card::CardError::WrongLength) => {
                PhoneNumber::parse(text).map(Self::Phone).map_err(|_| ErrorCode::BadMemberKey)
            }
        }
    }

    /// A card number only, as paying with credit needs.
    pub fn card(text: &str) -> Result<Self, ErrorCode> {
        match CardNumber::parse(text) {
            Ok(card) => Ok(Self::Card(card)),
            Err(engine::card::CardError::BadCheckDigit) => Err(ErrorCode::MistypedCard),
            Err(engine::card::CardError::WrongLength) => Err(ErrorCode::CardRequired),
        }
    }

    /// One canonical spelling, for request hashes.
    fn canonical(&self) -> String {
        match self {
            Self::Card(card) => format!("card:{}", card.as_str()),
            Self::Phone(phone) => format!("phone:{}", phone.as_str()),
        }
    }
}

/// Who the key names, as a write needs them: a card through the instance's cache.
async fn find_holder(state: &AppState, key: &MemberKey) -> Result<Holder, ErrorCode> {
    let found = match key {
        MemberKey::Card(card) => {
            let load = async { Ok(state.db.accounts.account_by_card(card).await?.as_ref().map(Holder::from)) };
            state.caches.holder_of(card, load).await
        }
        MemberKey::Phone(_) => return find_member(state, key).await.map(|account| Holder::from(&account)),
    };
    found.map_err(crate::features::accounts::server::service::internal)?.ok_or(ErrorCode::UnknownMember)
}

/// The account the key names.
async fn find_member(state: &AppState, key: &MemberKey) -> Result<Account, ErrorCode> {
    let found = match key {
        MemberKey::Card(card) => state.db.accounts.account_by_card(card).await,
        MemberKey::Phone(phone) => state.db.accounts.account_by_login(&crate::platform::server::store::Login::Phone(phone.clone())).await,
    };
    found.map_err(crate::features::accounts::server::service::internal)?.ok_or(ErrorCode::UnknownMember)
}

/// The POS API and its OpenAPI document with Swagger UI.
pub fn routes() -> crate::platform::server::routes::Routes {
    api::routes().merge(openapi::routes())
}
