//! The wheel server functions: views of wheels, spins and seed pairs, checked by area.

use engine::access::Area;
use engine::fair::hexstr;
use engine::ledger::{Amount, MemberId};
use engine::wheel::{Odds, Payment, Prize, odds};
use rust_decimal::Decimal;

use crate::features::accounts::server::service::internal;
use crate::platform::server::clock;
use crate::features::pos::server::{self as pos, policy};
use crate::platform::server::queries::Ctx;
use crate::platform::server::store::{SeedPair, SpinReceipt, SpinRow, StoredWheel};
use crate::features::wheels::server::service as wheels;
use crate::features::wheels::api::{AuditListView, FairnessView, OddsView, PrizeView, SeedPairView, SegmentView, SpinRowView, SpinView, WheelPageView, WheelView};
use crate::platform::error::{AppError, ErrorCode};

const SPIN_ROWS: i64 = 50;

fn percent(fraction: Decimal) -> String {
    (fraction * Decimal::ONE_HUNDRED).round_dp(2).to_string()
}

fn odds_view(odds: &Odds) -> OddsView {
    OddsView {
        points_per_spin: odds.points_per_spin.round_dp(2).to_string(),
        credit_per_spin: odds.credit_per_spin.round_dp(0).to_string(),
        extra_spin_percent: percent(odds.extra_spin_chance),
        return_percent: odds.points_return_percent.round_dp(2).to_string(),
    }
}

fn prize_view(prize: &Prize) -> PrizeView {
    let (kind, amount) = match prize {
        Prize::Points { points } => ("points", points.get().to_string()),
        Prize::Credit { credit } => ("credit", credit.to_string()),
        Prize::ExtraSpin => ("extra_spin", String::new()),
        Prize::Nothing => ("nothing", String::new()),
        Prize::Coupon { listing } => ("coupon", listing.to_string()),
    };
    PrizeView { kind: kind.to_owned(), amount }
}

fn amount_text(amount: Option<Amount>) -> String {
    match amount {
        Some(Amount::Points(p)) => p.get().to_string(),
        Some(Amount::Credit(m)) => m.to_string(),
        None => String::new(),
    }
}

pub(crate) fn wheel_view(wheel: &StoredWheel) -> WheelView {
    let spec = &wheel.spec;
    let configured: Vec<u64> = spec.segments().iter().map(|s| s.weight).collect();
    let in_force: Vec<u64> = engine::wheel::in_force(spec, &wheel.left).iter().map(|s| s.weight).collect();
    let odds_configured = odds(spec, &configured);
    let odds_in_force = odds(spec, &in_force);
    let chance = |odds: &Option<Odds>, i: usize| odds.as_ref().and_then(|o| o.chances.get(i)).map(|c| percent(*c)).unwrap_or_else(|| "0".into());
    let free = spec.free_spins();
    WheelView {
        id: wheel.id,
        name_fa: spec.name_fa().as_str().to_owned(),
        name_en: spec.name_en().as_str().to_owned(),
        cost: spec.cost().get(),
        beacon: spec.beacon(),
        live: wheel.live,
        segments: spec
            .segments()
            .iter()
            .enumerate()
            .map(|(i, s)| SegmentView {
                id: s.id.as_str().to_owned(),
                label_fa: s.label_fa.as_str().to_owned(),
                label_en: s.label_en.as_str().to_owned(),
                colour: s.colour.as_str().to_owned(),
                prize: prize_view(&s.prize),
                weight: s.weight,
                weight_in_force: in_force.get(i).copied().unwrap_or(0),
                stock: s.stock,
                stock_left: wheel.left.get(i).and_then(|l| l.stock),
                budget: amount_text(s.budget),
                budget_left: amount_text(wheel.left.get(i).and_then(|l| l.budget)),
                chance: chance(&odds_configured, i),
                chance_in_force: chance(&odds_in_force, i),
            })
            .collect(),
        free_period: free.period.as_str().to_owned(),
        free_everyone: free.everyone,
        free_tiers: free.by_tier.iter().map(|(t, n)| format!("{}={n}", t.as_str())).collect::<Vec<_>>().join(", "),
        odds: odds_configured.as_ref().map(odds_view),
        odds_in_force: odds_in_force.as_ref().map(odds_view),
    }
}

fn pair_view(pair: &SeedPair) -> SeedPairView {
    SeedPairView {
        server_commit: hexstr::encode(&pair.server_commit),
        client_seed: pair.client_seed.as_str().to_owned(),
        next_nonce: pair.next_nonce,
    }
}

fn spin_row_view(row: &SpinRow) -> SpinRowView {
    SpinRowView {
        id: row.id,
        wheel: row.wheel,
        member: row.pseudonym.clone(),
        segment: row.segment,
        nonce: row.nonce,
        round: row.round,
        leaf_index: row.leaf_index,
        revealed: row.revealed,
        at_ms: row.at.unix_millis(),
    }
}

fn spin_view(receipt: &SpinReceipt, replayed: bool) -> SpinView {
    SpinView {
        spin: receipt.spin,
        segment: receipt.segment,
        prize: prize_view(&receipt.prize),
        paid_with: match receipt.payment {
            Payment::Bonus => "bonus",
            Payment::Free => "free",
            Payment::Points { .. } => "points",
        }
        .to_owned(),
        nonce: receipt.nonce,
        round: receipt.round,
        points: receipt.balances.points.get(),
        credit: receipt.balances.credit.to_string(),
        bonus_spins: receipt.bonus_spins,
        replayed,
    }
}

fn member(ctx: &Ctx) -> Result<(crate::platform::server::store::AccountId, MemberId), AppError> {
    let account = ctx.require(Area::Member)?;
    let member = MemberId::new(account.id.0).map_err(|e| ctx.fail(internal(e)))?;
    Ok((account.id, member))
}

pub async fn live_wheels() -> Result<Vec<WheelView>, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Member)?;
    let wheels = ctx.state.db.wheels.wheels().await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(wheels.iter().filter(|w| w.live).map(wheel_view).collect())
}

pub async fn wheel_page(id: i64) -> Result<WheelPageView, AppError> {
    let ctx = Ctx::load()?;
    let (account, member) = member(&ctx)?;
    let state = &ctx.state;
    let wheel = state.db.wheels.wheel(id).await.map_err(|e| ctx.fail(internal(e)))?;
    let wheel = wheel.filter(|w| w.live).ok_or_else(|| ctx.fail(ErrorCode::WheelNotLive))?;
    let pair = wheels::current_pair(state, account).await.map_err(|code| ctx.fail(code))?;
    let balances = state.db.ledger.balances(member).await.map_err(|e| ctx.fail(internal(e)))?;
    let period = wheel.spec.free_spins().period.key(clock::now());
    let standing = state.db.wheels.member_wheel(member, id, &period).await.map_err(|e| ctx.fail(internal(e)))?;
    let rules = policy::in_force(state).await.map_err(|e| ctx.fail(internal(e)))?;
    let tier = pos::held_tier(state, member, rules.tiers()).await.map_err(|code| ctx.fail(code))?;
    let allowance = wheel.spec.free_spins().allowance(Some(&tier));
    let spins = state.db.wheels.spins(Some(member), SPIN_ROWS).await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(WheelPageView {
        wheel: wheel_view(&wheel),
        points: balances.points.get(),
        free_left: allowance.saturating_sub(standing.free_used),
        bonus_spins: standing.bonus_spins,
        pair: pair_view(&pair),
        deployment_beacon: state.beacon.is_some(),
        key: clock::form_token(),
        last: spins.iter().find(|s| s.wheel == id).map(spin_row_view),
    })
}

pub async fn spin_wheel(wheel: i64, key: String) -> Result<SpinView, AppError> {
    let ctx = Ctx::load()?;
    let (account, _) = member(&ctx)?;
    let outcome = wheels::spin(&ctx.state, account, wheel, &key).await.map_err(|code| ctx.fail(code))?;
    Ok(spin_view(outcome.result(), outcome.is_replay()))
}

pub async fn my_fairness() -> Result<FairnessView, AppError> {
    let ctx = Ctx::load()?;
    let (account, member) = member(&ctx)?;
    let pair = wheels::current_pair(&ctx.state, account).await.map_err(|code| ctx.fail(code))?;
    let spins = ctx.state.db.wheels.spins(Some(member), SPIN_ROWS).await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(FairnessView { pair: pair_view(&pair), spins: spins.iter().map(spin_row_view).collect() })
}

pub async fn admin_wheels() -> Result<Vec<WheelView>, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Admin)?;
    let wheels = ctx.state.db.wheels.wheels().await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(wheels.iter().map(wheel_view).collect())
}

pub async fn admin_wheel(id: i64) -> Result<Option<WheelView>, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Admin)?;
    let wheel = ctx.state.db.wheels.wheel(id).await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(wheel.as_ref().map(wheel_view))
}

/// Public: the latest spins of everyone, known by pseudonym.
pub async fn recent_spins() -> Result<AuditListView, AppError> {
    let ctx = Ctx::load()?;
    let spins = ctx.state.db.wheels.spins(None, SPIN_ROWS).await.map_err(|e| ctx.fail(internal(e)))?;
    let log_size = ctx.state.db.fairlog.size().await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(AuditListView { spins: spins.iter().map(spin_row_view).collect(), log_size, deployment_beacon: ctx.state.beacon.is_some() })
}

pub async fn spin_bundle_text(spin: i64) -> Result<String, AppError> {
    let ctx = Ctx::load()?;
    let bundle = wheels::spin_bundle(&ctx.state, spin).await.map_err(|code| ctx.fail(code))?;
    bundle.to_json().map_err(|e| ctx.fail(internal(e)))
}
