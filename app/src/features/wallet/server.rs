//! Wallets: a member's balances, points expiring soon and history in the member's terms, and
//! the club's liability across all of them.

use engine::access::Area;
use engine::ledger::{Account, Amount, MemberAccount, MemberId, PostingKind, Transfer};

use engine::tiers::{Measure, progress};

use crate::features::accounts::server::service::internal;
use crate::features::pos::server as pos;
use crate::platform::server::clock;
use crate::features::earning::server::referrals;
use crate::platform::server::queries::Ctx;
use crate::platform::server::routes::Routes;
use crate::features::admin::api::LiabilityView;
use crate::features::wallet::api::{ExpiringView, HistoryKind, HistoryRow, TierProgressView, WalletView};
use crate::platform::error::AppError;

/// The member's wallet.
pub fn routes() -> Routes {
    Routes::new().page("/wallet", Area::Member).server_fn("my_wallet", Area::Member)
}

const EXPIRING_DAYS: u32 = 30;
const HISTORY_ROWS: i64 = 200;

pub async fn my_wallet(kind: String, asset: String) -> Result<WalletView, AppError> {
    let ctx = Ctx::load()?;
    let account = ctx.require(Area::Member)?;
    let member = MemberId::new(account.id.0).map_err(|e| ctx.fail(internal(e)))?;
    let ledger = &ctx.state.db.ledger;
    let balances = ledger.balances(member).await.map_err(|e| ctx.fail(internal(e)))?;
    let expiring = ledger.expiring_within(member, clock::now(), EXPIRING_DAYS).await.map_err(|e| ctx.fail(internal(e)))?;
    let journal = ledger.journal(member, HISTORY_ROWS).await.map_err(|e| ctx.fail(internal(e)))?;
    let kind = HistoryKind::parse(&kind);
    let credit_only = match asset.as_str() {
        "points" => Some(false),
        "credit" => Some(true),
        _ => None,
    };
    let history = journal
        .iter()
        .filter_map(|t| history_row(member, t))
        .filter(|row| kind.is_none_or(|k| row.kind == k) && credit_only.is_none_or(|c| row.credit == c))
        .collect();
    let tier = tier_progress(&ctx, member).await?;
    let code = referrals::invite_code(&ctx.state, account.id).await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(WalletView {
        tier,
        points: balances.points.get(),
        pending_points: balances.pending_points.get(),
        owed_points: balances.owed_points.get(),
        credit: balances.credit.to_string(),
        owed_credit: balances.owed_credit.to_string(),
        expiring_points: expiring.iter().map(|lot| lot.remaining.get()).sum(),
        expiring: expiring
            .iter()
            .filter_map(|lot| Some(ExpiringView { points: lot.remaining.get(), expires_at_ms: lot.expires_at?.unix_millis() }))
            .collect(),
        history,
        invite_link: invite_link(&ctx, code.as_str()),
    })
}

/// The sign-up address carrying `code`, at the club's configured public address: a Host header
/// is chosen by whoever sends the request, so it must not decide where invitees are sent.
fn invite_link(ctx: &Ctx, code: &str) -> String {
    format!("{}/signup?ref={code}", ctx.state.config.public_url())
}

async fn tier_progress(ctx: &Ctx, member: MemberId) -> Result<TierProgressView, AppError> {
    let policy = pos::policy::active(&ctx.state).await.map_err(|code| ctx.fail(code))?;
    let ladder = policy.tiers();
    let now = clock::now();
    let held = pos::held_tier(&ctx.state, member, ladder).await.map_err(|code| ctx.fail(code))?;
    let value = ctx.state.db.pos.tier_value(member, ladder, now).await.map_err(|e| ctx.fail(internal(e)))?;
    let progress = progress(ladder, &held, value);
    let tier = ladder.get(&progress.tier).unwrap_or(ladder.base());
    let next = progress.next.as_ref().and_then(|id| ladder.get(id));
    Ok(TierProgressView {
        name_fa: tier.name_fa.clone(),
        name_en: tier.name_en.clone(),
        next_fa: next.map(|t| t.name_fa.clone()),
        next_en: next.map(|t| t.name_en.clone()),
        needed: progress.needed,
        per_mille: progress.per_mille,
        measure: match ladder.measure() {
            Measure::PointsEarned => "points_earned",
            Measure::AmountSpent => "amount_spent",
            Measure::Visits => "visits",
        }
        .to_owned(),
        multiplier: tier.benefits.multiplier.to_string(),
        cashback_percent: tier.benefits.cashback_percent.to_string(),
    })
}

/// How much of the member's spendable value a posting moved: in when it reached one of the
/// member's balances, out when it left one. Moves that don't change what the member can spend
/// (between their own accounts, into debt) still show, so the statement explains every balance.
fn history_row(member: MemberId, transfer: &Transfer) -> Option<HistoryRow> {
    let own = |account: &Account| matches!(account, Account::Member { member: m, .. } if *m == member);
    let spendable = |account: &Account| {
        matches!(account, Account::Member { account: MemberAccount::Points | MemberAccount::PendingPoints | MemberAccount::Credit, .. })
    };
    let posting = &transfer.posting;
    let incoming = own(&posting.to) && spendable(&posting.to);
    let outgoing = own(&posting.from) && spendable(&posting.from);
    let sign = match (incoming, outgoing) {
        (true, false) => "+",
        (false, true) => "-",
        _ if own(&posting.to) || own(&posting.from) => "",
        _ => return None,
    };
    let (credit, amount) = match posting.amount {
        Amount::Points(points) => (false, points.get().to_string()),
        Amount::Credit(money) => (true, money.to_string()),
    };
    let kind = match posting.kind {
        PostingKind::Earn => HistoryKind::Earned,
        PostingKind::Settle => HistoryKind::Settled,
        PostingKind::Unlock => HistoryKind::Unlocked,
        PostingKind::Spend => HistoryKind::Spent,
        PostingKind::Expire => HistoryKind::Expired,
        PostingKind::Reverse => HistoryKind::Returned,
        PostingKind::MemberTransfer => HistoryKind::Gift,
        PostingKind::Adjust => HistoryKind::Adjusted,
    };
    Some(HistoryRow { at_ms: transfer.at.unix_millis(), kind, credit, signed: format!("{sign}{amount}") })
}

pub async fn liability_report() -> Result<LiabilityView, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Admin)?;
    let report = ctx.state.db.ledger.liability(clock::now(), EXPIRING_DAYS).await.map_err(|e| ctx.fail(internal(e)))?;
    let (coupons, coupons_minor) = ctx.state.db.coupons.outstanding(clock::now()).await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(LiabilityView {
        members: report.members,
        points: report.points.get(),
        pending_points: report.pending_points.get(),
        owed_points: report.owed_points.get(),
        credit: report.credit.to_string(),
        owed_credit: report.owed_credit.to_string(),
        expiring_points: report.expiring_points.get(),
        expiring_days: EXPIRING_DAYS,
        outstanding_coupons: coupons,
        outstanding_coupons_value: engine::ledger::Money::from_minor(coupons_minor).map(|m| m.to_string()).unwrap_or_default(),
    })
}
