//! What the server functions in `api` do on the server: read the request's context, check the
//! area, and answer.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::http::request::Parts;
use engine::access::{Area, may_enter};
use engine::card::CardNumber;
use engine::ledger::{Adjustment, MemberId};
use engine::tiers::TierId;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::features::accounts::server::service::internal;
use crate::features::accounts::server::card_art;
use crate::platform::server::clock;
use crate::features::pos::server as pos;
use crate::platform::server::guard::RequestViewer;
use crate::platform::server::state::AppState;
use crate::platform::server::store::{Account, AccountId, Login, StoredAdjustment, StoredProfile};
use crate::features::accounts::api::{CardView, ProfileView, ViewerView};
use crate::features::admin::api::{AdjustmentView, BranchChoice, MemberDetailView, MemberRow, RoleChangeView};
use crate::features::till::api::TillView;
use crate::platform::error::{AppError, ErrorCode};
use crate::platform::i18n::Lang;

const SEARCH_LIMIT: i64 = 50;

pub(crate) struct Ctx {
    pub(crate) state: AppState,
    lang: Lang,
    viewer: Option<Arc<Account>>,
}

impl Ctx {
    pub(crate) fn load() -> Result<Self, AppError> {
        let parts = use_context::<Parts>();
        let lang = parts.as_ref().and_then(|p| p.extensions.get::<Lang>().copied()).unwrap_or_default();
        let viewer = parts.as_ref().and_then(|p| p.extensions.get::<RequestViewer>().cloned()).unwrap_or_default().0;
        let state = use_context::<AppState>().ok_or_else(|| AppError::new(ErrorCode::Internal, lang))?;
        Ok(Self { state, lang, viewer })
    }

    pub(crate) fn fail(&self, code: ErrorCode) -> AppError {
        if let Some(response) = use_context::<ResponseOptions>() {
            response.set_status(StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
        }
        AppError::new(code, self.lang)
    }

    /// The viewer if signed in with a role that may use `area`; `None` for anyone else. For
    /// public pages that show a member more.
    pub(crate) fn viewer_in(&self, area: Area) -> Option<&Account> {
        self.viewer.as_deref().filter(|account| may_enter(Some(account.roles), area))
    }

    /// The viewer, if they may use `area`. The guard already checked the route; this checks the
    /// function again, so a new route can never expose it by mistake.
    pub(crate) fn require(&self, area: Area) -> Result<&Account, AppError> {
        match &self.viewer {
            Some(account) if may_enter(Some(account.roles), area) => Ok(account),
            Some(_) => Err(self.fail(ErrorCode::Forbidden)),
            None => Err(self.fail(ErrorCode::NotSignedIn)),
        }
    }
}

fn profile_view(account: &Account) -> ProfileView {
    let p: &StoredProfile = &account.profile;
    let text = |name: &Option<engine::profile::PersonName>| name.as_ref().map(|n| n.as_str().to_owned()).unwrap_or_default();
    ProfileView {
        login: account.login_text().to_owned(),
        first_name: text(&p.first_name),
        last_name: text(&p.last_name),
        birthday_iso: p.birthday.map(|d| d.to_iso()).unwrap_or_default(),
        city: p.city.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default(),
        gender: p.gender.map(|g| g.as_str().to_owned()).unwrap_or_default(),
    }
}

fn member_row(account: &Account) -> MemberRow {
    MemberRow {
        id: account.id.0,
        name: account.display_name(),
        phone: account.phone.as_ref().map(|p| p.to_string()).unwrap_or_default(),
        email: account.email.as_ref().map(|e| e.to_string()).unwrap_or_default(),
        card_number: account.card.to_string(),
        roles: account.roles.iter().collect(),
    }
}

fn adjustment_view(adjustment: StoredAdjustment) -> AdjustmentView {
    let (credit, signed) = match adjustment.change {
        Adjustment::GrantPoints { points, .. } => (false, format!("+{}", points.get())),
        Adjustment::DeductPoints { points } => (false, format!("-{}", points.get())),
        Adjustment::GrantCredit { credit } => (true, format!("+{credit}")),
        Adjustment::DeductCredit { credit } => (true, format!("-{credit}")),
    };
    AdjustmentView { at_ms: adjustment.at.unix_millis(), by_name: adjustment.by_name, reason: adjustment.reason, credit, signed }
}

/// The log's public key, for the audit page; public like the log itself.
pub async fn log_public_key() -> Result<String, AppError> {
    let ctx = Ctx::load()?;
    let signer = ctx.state.fairlog_key.signer().await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(signer.verifier_key().encode())
}

pub fn viewer() -> Result<Option<ViewerView>, AppError> {
    let ctx = Ctx::load()?;
    Ok(ctx.viewer.as_ref().map(|a| ViewerView {
        account_id: a.id.0,
        display_name: a.display_name(),
        roles: a.roles.iter().collect(),
    }))
}

pub async fn my_card() -> Result<CardView, AppError> {
    let ctx = Ctx::load()?;
    let account = ctx.require(Area::Member)?;
    Ok(CardView {
        holder: account.display_name(),
        number: account.card.to_string(),
        qr_svg: card_art::qr_svg(&account.card),
        barcode_svg: card_art::barcode_svg(&account.card),
        member_since_ms: account.created_at.unix_millis(),
    })
}

pub async fn my_profile() -> Result<ProfileView, AppError> {
    let ctx = Ctx::load()?;
    Ok(profile_view(ctx.require(Area::Member)?))
}

/// Finds accounts by name, phone, email or card number, however the letters and digits were typed.
pub async fn search_members(query: String) -> Result<Vec<MemberRow>, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Admin)?;
    let key = search_key_of(&query);
    let found = ctx.state.db.accounts.search(&key, SEARCH_LIMIT).await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(found.iter().map(member_row).collect())
}

/// A number typed with spaces or dashes (a phone or a card) is searched as its digits alone.
fn search_key_of(query: &str) -> String {
    let key = engine::text::search_key(query);
    if key.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-' || c == '+') {
        key.chars().filter(char::is_ascii_digit).collect()
    } else {
        key
    }
}

pub async fn member_detail(id: i64) -> Result<MemberDetailView, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Admin)?;
    let accounts = &ctx.state.db.accounts;
    let account = accounts
        .account(AccountId(id))
        .await
        .map_err(|e| ctx.fail(internal(e)))?
        .ok_or_else(|| ctx.fail(ErrorCode::NotFound))?;
    let changes = accounts.role_changes(account.id).await.map_err(|e| ctx.fail(internal(e)))?;
    let member = MemberId::new(account.id.0).map_err(|e| ctx.fail(internal(e)))?;
    let ledger = &ctx.state.db.ledger;
    let balances = ledger.balances(member).await.map_err(|e| ctx.fail(internal(e)))?;
    let adjustments = ledger.adjustments(member).await.map_err(|e| ctx.fail(internal(e)))?;
    let club = &ctx.state.db.club;
    let assigned = club.cashier_branches(account.id).await.map_err(|e| ctx.fail(internal(e)))?;
    let branches = club.branches().await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(MemberDetailView {
        branches: branches
            .into_iter()
            .map(|b| BranchChoice { assigned: assigned.contains(&b.id), id: b.id.get(), name: b.name })
            .collect(),
        points: balances.points.get(),
        credit: balances.credit.to_string(),
        adjustments: adjustments.into_iter().map(adjustment_view).collect(),
        token: clock::form_token(),
        row: member_row(&account),
        profile: profile_view(&account),
        created_at_ms: account.created_at.unix_millis(),
        role_changes: changes
            .into_iter()
            .map(|c| RoleChangeView { at_ms: c.at.unix_millis(), by_name: c.by_name, old: c.old.iter().collect(), new: c.new.iter().collect() })
            .collect(),
    })
}

/// The till identifies a member by the card in use (typed or scanned) or by mobile number.
pub async fn till_lookup(query: String) -> Result<Option<TillView>, AppError> {
    let ctx = Ctx::load()?;
    let viewer = ctx.require(Area::Till)?;
    let accounts = &ctx.state.db.accounts;
    let found = if let Ok(card) = CardNumber::parse(&query) {
        accounts.account_by_card(&card).await
    } else if let Some(login) = Login::parse(&query) {
        accounts.account_by_login(&login).await
    } else {
        return Ok(None);
    };
    let Some(account) = found.map_err(|e| ctx.fail(internal(e)))? else { return Ok(None) };
    let status = pos::status(&ctx.state, &account).await.map_err(|code| ctx.fail(code))?;
    let policy = pos::policy::active(&ctx.state).await.map_err(|code| ctx.fail(code))?;
    let ladder = policy.tiers();
    let tier = TierId::parse(&status.tier).ok();
    let tier = tier.as_ref().and_then(|id| ladder.get(id)).unwrap_or(ladder.base());
    let branches = crate::features::till::server::branches_of(&ctx.state, viewer).await.map_err(|code| ctx.fail(code))?;
    let claim = ctx.state.db.accounts.claim_opened_at(account.id).await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(Some(TillView {
        claim_opened_ms: claim.map(engine::time::Timestamp::unix_millis),
        member: member_row(&account),
        points: status.points.get(),
        pending_points: status.pending_points.get(),
        credit: status.credit.to_string(),
        tier_fa: tier.name_fa.clone(),
        tier_en: tier.name_en.clone(),
        branches: branches.into_iter().map(|b| (b.id.get(), b.name)).collect(),
        token: clock::form_token(),
    }))
}

#[cfg(test)]
mod tests {
    use super::search_key_of;

    #[test]
    fn numbers_are_searched_by_their_digits() {
        assert_eq!(search_key_of("۰۹۱۲ ۱۲۳-۴۵"), "091212345");
        assert_eq!(search_key_of("علي"), "علی");
    }
}
