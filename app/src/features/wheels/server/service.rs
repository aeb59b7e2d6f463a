//! Spin wheels on the server: a member's spin (waiting here for the drand round of a beacon
//! wheel, before the spin's one transaction), the seed pair, and the audit bundle of a spin.

use engine::fair::bundle::{BUNDLE_FORMAT, Bundle, BundleBeacon, BundleKind, LogSection, LoggedRecord};
use engine::fair::fairspin::ClientSeed;
use engine::fair::{Record, hexstr};
use engine::ledger::{LedgerError, MemberId, Outcome};
use engine::time::Timestamp;

use crate::features::accounts::server::service::internal;
use crate::platform::server::clock;
use crate::features::pos::server::{self as pos, policy};
use crate::platform::server::state::AppState;
use crate::platform::server::store::{AccountId, RevealedPair, SeedPair, SpinReceipt, SpinRefusal, SpinWrite, VerifiedRound};
use crate::platform::error::ErrorCode;

fn member_of(account: AccountId) -> Result<MemberId, ErrorCode> {
    MemberId::new(account.0).map_err(|_| ErrorCode::UnknownMember)
}

/// A default client seed: 32 fresh random bytes, hex-encoded.
fn random_client_seed() -> ClientSeed {
    ClientSeed::from_bytes(&clock::random_seed())
}

/// The member's current seed pair, made on first use.
pub async fn current_pair(state: &AppState, account: AccountId) -> Result<SeedPair, ErrorCode> {
    let member = member_of(account)?;
    state.db.wheels.current_pair(member, clock::random_seed(), &random_client_seed(), clock::now()).await.map_err(internal)
}

pub async fn set_client_seed(state: &AppState, account: AccountId, seed: &str) -> Result<SeedPair, ErrorCode> {
    let member = member_of(account)?;
    let seed = ClientSeed::parse(seed).map_err(|_| ErrorCode::BadClientSeed)?;
    state.db.wheels.set_client_seed(member, &seed, clock::random_seed(), clock::now()).await.map_err(internal)
}

/// Reveals the current server seed and starts a new pair, with `client_seed` or a random one.
pub async fn rotate(state: &AppState, account: AccountId, client_seed: &str) -> Result<(Option<RevealedPair>, SeedPair), ErrorCode> {
    let member = member_of(account)?;
    let seed = match client_seed.trim() {
        "" => random_client_seed(),
        text => ClientSeed::parse(text).map_err(|_| ErrorCode::BadClientSeed)?,
    };
    state.db.wheels.rotate(member, clock::random_seed(), &seed, clock::now()).await.map_err(internal)
}

/// The drand round pinned to a request at `now`: the first published at or after `now + Δ`.
async fn pinned_round(state: &AppState, now: Timestamp) -> Result<VerifiedRound, ErrorCode> {
    let source = state.beacon.as_ref().ok_or(ErrorCode::BeaconOff)?;
    let secs = u64::try_from(now.unix_millis() / 1000).map_err(internal)?;
    let round = engine::fair::beacon::pin_round(secs, state.config.beacon_delta_secs).map_err(internal)?;
    source.round(round).await.map_err(|e| {
        tracing::warn!(error = %e, "spin refused: no beacon round");
        ErrorCode::BeaconUnavailable
    })
}

/// One spin of `wheel` by `account`, asked at `now`, under the member's idempotency `key`.
pub async fn spin_at(
    state: &AppState,
    account: AccountId,
    wheel: i64,
    key: &str,
    now: Timestamp,
) -> Result<Outcome<SpinReceipt>, ErrorCode> {
    let key = crate::platform::server::store::client_key(key).ok_or(ErrorCode::BadSpinKey)?;
    let member = member_of(account)?;
    let request = format!("wheel:{wheel}");
    let store = &state.db.wheels;
    // A retry answers at once, without waiting for another beacon round.
    if let Some((stored, receipt)) = store.spin_answer(member, key).await.map_err(internal)? {
        return if stored == request { Ok(Outcome::Replayed(receipt)) } else { Err(ErrorCode::IdempotencyConflict) };
    }
    let found = store.wheel(wheel).await.map_err(internal)?.ok_or(ErrorCode::NotFound)?;
    if !found.live {
        return Err(ErrorCode::WheelNotLive);
    }
    let rules = policy::in_force(state).await.map_err(internal)?;
    let tier = pos::held_tier(state, member, rules.tiers()).await?;
    let beacon = if found.spec.beacon() { Some(pinned_round(state, now).await?) } else { None };
    let write = SpinWrite {
        member,
        wheel,
        client_key: key.to_owned(),
        tier: Some(tier),
        requested_at: now,
        beacon,
        expiry: rules.expiry(),
        fresh_seed: clock::random_seed(),
    };
    match store.spin(&write, &request, now).await.map_err(internal)? {
        Ok(outcome) => Ok(outcome),
        Err(SpinRefusal::NoWheel) => Err(ErrorCode::NotFound),
        // The wheel was closed or its beacon mode changed while the round was awaited.
        Err(SpinRefusal::NotLive | SpinRefusal::BeaconMode) => Err(ErrorCode::WheelNotLive),
        Err(SpinRefusal::KeyReused) => Err(ErrorCode::IdempotencyConflict),
        Err(SpinRefusal::Ledger(LedgerError::InsufficientPoints { .. })) => Err(ErrorCode::InsufficientPoints),
        Err(SpinRefusal::Ledger(other)) => Err(internal(other)),
    }
}

pub async fn spin(state: &AppState, account: AccountId, wheel: i64, key: &str) -> Result<Outcome<SpinReceipt>, ErrorCode> {
    spin_at(state, account, wheel, key, clock::now()).await
}

/// The audit bundle of a spin: its wheel configuration, seed commitment, spin and seed reveal,
/// each with an inclusion proof to one freshly signed checkpoint. Only once the seed is revealed.
pub async fn spin_bundle(state: &AppState, spin: i64) -> Result<Bundle, ErrorCode> {
    let evidence = state.db.wheels.spin_evidence(spin).await.map_err(internal)?.ok_or(ErrorCode::NotFound)?;
    let (reveal_leaf, server_seed) = evidence.reveal.ok_or(ErrorCode::NotRevealed)?;
    let log = &state.db.fairlog;
    let size = log.size().await.map_err(internal)?;
    let root = log.root(size).await.map_err(internal)?.map_err(internal)?;
    let signer = state.fairlog_key.signer().await.map_err(internal)?;
    let checkpoint = signer.checkpoint(size, root).map_err(internal)?;
    let mut records = Vec::with_capacity(4);
    let mut beacon = BundleBeacon::NoBeacon;
    for index in [evidence.wheel_leaf, evidence.commit_leaf, evidence.spin_leaf, reveal_leaf] {
        let entry = log.record(index).await.map_err(internal)?.ok_or_else(|| internal(format!("log has no leaf {index}")))?;
        if index == evidence.spin_leaf
            && let Ok(Record::Spin(s)) = Record::decode(entry.record.as_bytes())
            && s.round != 0
        {
            beacon = BundleBeacon::drand(s.round, &s.beacon_signature);
        }
        let proof = log.inclusion_proof(index, size).await.map_err(internal)?.map_err(internal)?;
        records.push(LoggedRecord { index, record: entry.record, proof: proof.iter().map(|h| hexstr::encode(h)).collect() });
    }
    Ok(Bundle {
        format: BUNDLE_FORMAT.to_owned(),
        kind: BundleKind::Spin,
        log: LogSection { verifier_key: signer.verifier_key().encode(), checkpoint },
        records,
        beacon,
        server_seed: hexstr::encode(&server_seed),
        entries: Vec::new(),
        contest: None,
    })
}

/// Sets aside, for each coupon segment of `wheel`, as many codes of its listing as the segment
/// has stock left (what was held before is put back first). Called after the wheel is saved; a
/// segment whose codes cannot all be held pays only as many as are held.
pub async fn hold_coupons(state: &AppState, wheel: i64) -> Result<(), ErrorCode> {
    let stored = state.db.wheels.wheel(wheel).await.map_err(internal)?.ok_or(ErrorCode::NotFound)?;
    let coupons = &state.db.coupons;
    let mut short = false;
    for (at, segment) in stored.spec.segments().iter().enumerate() {
        if let engine::wheel::Prize::Coupon { listing } = segment.prize {
            let holder = crate::features::wheels::server::store_sql::coupon_holder(wheel, segment.id.as_str());
            coupons.release(&holder).await.map_err(internal)?;
            let left = stored.left.get(at).and_then(|l| l.stock).unwrap_or(0);
            let count = u32::try_from(left).map_err(internal)?;
            if count > 0 && !coupons.hold(listing, count, &holder).await.map_err(internal)? {
                short = true;
            }
        }
    }
    if short { Err(ErrorCode::CouponSoldOut) } else { Ok(()) }
}
