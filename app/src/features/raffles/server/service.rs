//! Raffles on the server: an admin opens one, members buy tickets, and the scheduler closes,
//! reveals, draws and pays each when it is due, with no person involved.

use engine::fair::bundle::{BUNDLE_FORMAT, Bundle, BundleBeacon, BundleEntry, BundleKind, LogSection, LoggedRecord};
use engine::fair::{hexstr, sha256};
use engine::ledger::{LedgerError, MemberId, Outcome};
use engine::raffle::{BuyRefusal, RaffleSpec};
use engine::time::Timestamp;

use crate::features::accounts::server::service::internal;
use crate::features::pos::server::{self as pos, policy};
use crate::features::raffles::server::store::{BuyReceipt, BuyRefused, BuyWrite, NewRaffle, Stage, StoredRaffle};
use crate::platform::error::ErrorCode;
use crate::platform::server::clock;
use crate::platform::server::state::AppState;
use crate::platform::server::store::AccountId;

/// Longest client-seed phrase, in bytes.
const MAX_PHRASE_LEN: usize = 200;

fn member_of(account: AccountId) -> Result<MemberId, ErrorCode> {
    MemberId::new(account.0).map_err(|_| ErrorCode::UnknownMember)
}

fn unix_secs(at: Timestamp) -> Result<u64, ErrorCode> {
    u64::try_from(at.unix_millis().div_euclid(1000)).map_err(internal)
}

/// Opens a raffle: its rules, a fresh server seed and, with a beacon, the drand round pinned
/// `draw_delta_secs` after the moment its entries can be frozen. `DRAW_OPEN` is logged with it,
/// before any ticket. A raffle whose sales have already ended is refused.
pub async fn open(state: &AppState, spec: RaffleSpec) -> Result<StoredRaffle, ErrorCode> {
    open_at(state, spec, clock::now()).await
}

/// [`open`] as of `now` (the demo opens a raffle as it was three hours ago).
pub async fn open_at(state: &AppState, spec: RaffleSpec, now: Timestamp) -> Result<StoredRaffle, ErrorCode> {
    if spec.closes_at() <= now {
        return Err(ErrorCode::RaffleClosed);
    }
    let round = if spec.beacon() {
        if state.beacon.is_none() {
            return Err(ErrorCode::BeaconOff);
        }
        // A raffle that gives tickets for purchases freezes its entries once its last instant's
        // requests are answered: the round comes Δ after that.
        // A contest's draw likewise waits for its last instant's scores.
        let settle = if spec.ticket_per_purchase().is_some() || spec.by_contest() { state.config.request_timeout_secs } else { 0 };
        let frozen = unix_secs(spec.closes_at())?.saturating_add(settle);
        engine::fair::beacon::pin_round(frozen, state.config.draw_delta_secs).map_err(internal)?
    } else {
        0
    };
    let server_seed = clock::random_seed();
    // Coupon prizes: their codes are set aside now, so no sale takes them before the draw.
    let holder = prize_holder(&engine::fair::fairdraw::server_commit(&server_seed));
    for (listing, count) in spec.coupon_prizes() {
        if !state.db.coupons.hold(listing, count, &holder).await.map_err(internal)? {
            state.db.coupons.release(&holder).await.map_err(internal)?;
            return Err(ErrorCode::CouponSoldOut);
        }
    }
    match state.db.raffles.create(&NewRaffle { spec, server_seed, round }, now).await {
        Ok(raffle) => Ok(raffle),
        Err(e) => {
            state.db.coupons.release(&holder).await.map_err(internal)?;
            Err(internal(e))
        }
    }
}

/// Who the coupon codes of a raffle's prizes are held for: the raffle, named by its server
/// commitment (known before the raffle has an id).
pub fn prize_holder(server_commit: &engine::fair::Hash) -> String {
    format!("raffle:{}", hexstr::encode(server_commit))
}

/// The member's client seed: 64 hex characters made by the browser, else `H(phrase)` of what
/// they typed. With neither (no JavaScript, nothing typed) it is derived from the form's `key`,
/// so a resent form is the same request and buys once; such a seed carries no entropy of the
/// member's: the server made the key.
pub fn client_seed(text: &str, key: &str) -> Result<[u8; 32], ErrorCode> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(sha256(format!("bashgah client seed of form key\n{}", key.trim()).as_bytes()));
    }
    if let Some(bytes) = hexstr::decode32(text) {
        return Ok(bytes);
    }
    if text.len() > MAX_PHRASE_LEN || text.chars().any(char::is_control) {
        return Err(ErrorCode::BadClientSeed);
    }
    Ok(sha256(text.as_bytes()))
}

/// `count` tickets of `raffle` for `account`, at `now`, under the member's idempotency `key`.
pub async fn buy_at(
    state: &AppState,
    account: AccountId,
    raffle: i64,
    count: u32,
    seed: &[u8; 32],
    key: &str,
    now: Timestamp,
) -> Result<Outcome<BuyReceipt>, ErrorCode> {
    let key = crate::platform::server::store::client_key(key).ok_or(ErrorCode::BadBuyKey)?;
    // `purchase:` and `contest:` keys are the scheduler's, for tickets it gives.
    if GRANT_KEYS.iter().any(|k| key.starts_with(k)) {
        return Err(ErrorCode::BadBuyKey);
    }
    let member = member_of(account)?;
    if state.db.raffles.raffle(raffle).await.map_err(internal)?.is_some_and(|r| r.spec.by_contest()) {
        return Err(ErrorCode::RaffleByContest);
    }
    enter(state, Entry { raffle, member, count, seed, key, granted: false }, now).await
}

/// The one ticket of a contest's qualifier in the contest's draw, with the seed the member's
/// browser made when they joined, judged as of `at` (the contest's last instant). Given once,
/// whatever reruns: the key is the contest's.
pub async fn grant_contest_ticket(
    state: &AppState,
    raffle: i64,
    member: MemberId,
    contest: i64,
    seed: &[u8; 32],
    at: Timestamp,
) -> Result<(), ErrorCode> {
    let key = format!("{CONTEST_KEY}{contest}");
    enter(state, Entry { raffle, member, count: 1, seed, key: &key, granted: true }, at).await.map(|_| ())
}

/// Closes a contest's draw once its tickets are given: its entries root is logged and the
/// server seed revealed; the scheduler draws it when its beacon round is out.
pub async fn close_contest_draw(state: &AppState, raffle: i64, now: Timestamp) -> anyhow::Result<bool> {
    Ok(state.db.raffles.close(raffle, now).await?)
}

/// One request for tickets, bought or given.
struct Entry<'a> {
    raffle: i64,
    member: MemberId,
    count: u32,
    seed: &'a [u8; 32],
    key: &'a str,
    granted: bool,
}

async fn enter(state: &AppState, entry: Entry<'_>, now: Timestamp) -> Result<Outcome<BuyReceipt>, ErrorCode> {
    let Entry { raffle, member, count, seed, key, granted } = entry;
    let request = format!("raffle:{raffle}:tickets:{count}:seed:{}:granted:{granted}", hexstr::encode(seed));
    let store = &state.db.raffles;
    if let Some((stored, receipt)) = store.buy_answer(raffle, member, key).await.map_err(internal)? {
        return if stored == request { Ok(Outcome::Replayed(receipt)) } else { Err(ErrorCode::IdempotencyConflict) };
    }
    let rules = policy::in_force(state).await.map_err(internal)?;
    let tier = pos::held_tier(state, member, rules.tiers()).await?;
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&clock::random_seed()[..16]);
    let write = BuyWrite { raffle, member, client_key: key.to_owned(), count, client_seed: *seed, tier, fresh_salt: salt, granted };
    match store.buy(&write, &request, now).await.map_err(internal)? {
        Ok(outcome) => Ok(outcome),
        Err(BuyRefused::NoRaffle) => Err(ErrorCode::NotFound),
        Err(BuyRefused::Rules(BuyRefusal::NoTickets)) => Err(ErrorCode::BadTicketCount),
        Err(BuyRefused::Rules(BuyRefusal::NotOpenYet)) => Err(ErrorCode::RaffleNotOpen),
        Err(BuyRefused::Rules(BuyRefusal::Closed) | BuyRefused::NotSelling) => Err(ErrorCode::RaffleClosed),
        Err(BuyRefused::Rules(BuyRefusal::TierNotAdmitted)) => Err(ErrorCode::RaffleTier),
        Err(BuyRefused::Rules(BuyRefusal::OverLimit { .. })) => Err(ErrorCode::RaffleLimit),
        Err(BuyRefused::KeyReused) => Err(ErrorCode::IdempotencyConflict),
        Err(BuyRefused::Ledger(LedgerError::InsufficientPoints { .. })) => Err(ErrorCode::InsufficientPoints),
        Err(BuyRefused::Ledger(other)) => Err(internal(other)),
    }
}

/// The prefix of the keys of tickets given for purchases.
const GRANT_KEY: &str = "purchase:";
/// The prefix of the keys of tickets given to a contest's qualifiers.
const CONTEST_KEY: &str = "contest:";
/// Keys no member may send.
const GRANT_KEYS: [&str; 2] = [GRANT_KEY, CONTEST_KEY];

/// Owed tickets given per scheduler run and raffle; the rest follow on the next runs.
const GRANTS_PER_RUN: i64 = 1_000;

/// Gives each purchase that earns a ticket by the raffle's rule its ticket, judged as of the
/// purchase's time, under the key `purchase:<id>`: a rerun or a crash gives each at most one,
/// and since the purchases are the source, none is lost. A purchase past the member's limit or
/// outside the admitted tiers earns nothing. Returns the tickets given.
pub async fn grant_owed(state: &AppState, raffle: i64, until: Timestamp) -> anyhow::Result<u64> {
    let owed = state.db.raffles.owed_tickets(raffle, until, GRANTS_PER_RUN).await?;
    let mut given = 0;
    for ticket in owed {
        let key = format!("{GRANT_KEY}{}", ticket.purchase);
        // Nobody's browser made this ticket's seed: the server draws it fresh.
        let seed = clock::random_seed();
        match enter(state, Entry { raffle, member: ticket.member, count: 1, seed: &seed, key: &key, granted: true }, ticket.at).await {
            Ok(_) => given += 1,
            // Another instance gave it first (with its own seed): given, once.
            Err(ErrorCode::IdempotencyConflict) => {}
            Err(ErrorCode::RaffleLimit | ErrorCode::RaffleTier) => {
                // Recorded as refused, so the purchase is not asked about again.
                state.db.raffles.skip_owed(raffle, ticket.purchase).await?;
            }
            Err(ErrorCode::RaffleClosed) => break,
            Err(code) => anyhow::bail!("cannot give the ticket of purchase {}: {}", ticket.purchase, code.as_str()),
        }
    }
    Ok(given)
}

/// What one run of the scheduler did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DrawRun {
    /// Tickets given for purchases.
    pub granted: u64,
    pub closed: u64,
    pub drawn: u64,
    /// Closed raffles still waiting for their pinned beacon round.
    pub waiting: u64,
}

/// Closes every raffle past its close (entries root logged, server seed revealed), then draws
/// and pays every closed one whose beacon round is published and verifies. A round that cannot
/// be fetched now is asked for again on the next run: never another round in its place.
pub async fn run_due(state: &AppState, now: Timestamp) -> anyhow::Result<DrawRun> {
    let store = &state.db.raffles;
    let mut run = DrawRun::default();
    for raffle in store.raffles().await? {
        if raffle.stage == Stage::Open && raffle.spec.ticket_per_purchase().is_some() {
            match grant_owed(state, raffle.id, now).await {
                Ok(given) => run.granted += given,
                Err(error) => tracing::error!(raffle = raffle.id, %error, "tickets for purchases not given; tried again at the next tick"),
            }
        }
    }
    // A purchase recorded just before the close may still be committing: a raffle that gives
    // tickets for purchases closes once every request of its last instant has been answered.
    let settle_ms = i64::try_from(state.config.request_timeout_secs).unwrap_or(i64::MAX).saturating_mul(1000);
    for id in store.due_to_close(now).await? {
        let Some(raffle) = store.raffle(id).await? else { continue };
        // A contest's draw is closed by its contest, once its qualifiers hold their tickets.
        if raffle.spec.by_contest() {
            continue;
        }
        if raffle.spec.ticket_per_purchase().is_some() {
            if now.unix_millis() < raffle.spec.closes_at().unix_millis().saturating_add(settle_ms) {
                continue;
            }
            match grant_owed(state, id, now).await {
                Ok(given) => run.granted += given,
                Err(error) => {
                    tracing::error!(raffle = id, %error, "tickets for purchases not given; the close waits for them");
                    continue;
                }
            }
        }
        if raffle.round != 0 && engine::fair::beacon::round_time(raffle.round)? <= unix_secs(now).unwrap_or(0) {
            // The scheduler was down past the round's time: the entries are frozen after the
            // beacon exists, so P5 does not hold for this draw. It is drawn anyway (sales ended
            // at the close), and the operator must be told.
            tracing::error!(raffle = id, round = raffle.round, "raffle closed after its pinned drand round was published: P5 does not hold for this draw");
        }
        if store.close(id, now).await? {
            run.closed += 1;
        }
    }
    let expiry = policy::in_force(state).await?.expiry();
    for (id, round) in store.due_to_draw().await? {
        let beacon = if round == 0 {
            None
        } else {
            let published = engine::fair::beacon::round_time(round)?;
            let Some(source) = state.beacon.as_ref().filter(|_| published <= unix_secs(now).unwrap_or(0)) else {
                run.waiting += 1;
                continue;
            };
            match source.round(round).await {
                Ok(verified) => Some(verified),
                Err(error) => {
                    tracing::warn!(raffle = id, round, %error, "beacon round not available yet; the draw waits for it");
                    run.waiting += 1;
                    continue;
                }
            }
        };
        if store.draw(id, beacon.as_ref(), expiry, now).await? {
            run.drawn += 1;
        }
    }
    Ok(run)
}

/// The audit bundle of a drawn raffle: its four records with inclusion proofs to one freshly
/// signed checkpoint, the beacon round and every entry in leaf order.
pub async fn bundle(state: &AppState, raffle: i64) -> Result<Bundle, ErrorCode> {
    let evidence = state.db.raffles.evidence(raffle).await.map_err(internal)?.ok_or(ErrorCode::NotFound)?;
    let (Some(close_leaf), Some((reveal_leaf, server_seed)), Some(result_leaf)) = (evidence.close_leaf, evidence.reveal, evidence.result_leaf)
    else {
        return Err(ErrorCode::DrawNotFinished);
    };
    let log = &state.db.fairlog;
    let size = log.size().await.map_err(internal)?;
    let root = log.root(size).await.map_err(internal)?.map_err(internal)?;
    let signer = state.fairlog_key.signer().await.map_err(internal)?;
    let checkpoint = signer.checkpoint(size, root).map_err(internal)?;
    let mut records = Vec::with_capacity(4);
    for index in [evidence.open_leaf, close_leaf, reveal_leaf, result_leaf] {
        let entry = log.record(index).await.map_err(internal)?.ok_or_else(|| internal(format!("log has no leaf {index}")))?;
        let proof = log.inclusion_proof(index, size).await.map_err(internal)?.map_err(internal)?;
        records.push(LoggedRecord { index, record: entry.record, proof: proof.iter().map(|h| hexstr::encode(h)).collect() });
    }
    let entries = state.db.raffles.entries(raffle).await.map_err(internal)?;
    Ok(Bundle {
        format: BUNDLE_FORMAT.to_owned(),
        kind: BundleKind::Draw,
        log: LogSection { verifier_key: signer.verifier_key().encode(), checkpoint },
        records,
        beacon: evidence.beacon.map_or(BundleBeacon::NoBeacon, |b| BundleBeacon::drand(b.round, &b.signature)),
        server_seed: hexstr::encode(&server_seed),
        entries: entries
            .iter()
            .map(|e| BundleEntry { user_commit: hexstr::encode(&e.user_commit), weight: e.weight, client_seed: hexstr::encode(&e.client_seed) })
            .collect(),
        contest: None,
    })
}
