//! The raffle server functions: views of raffles, a member's tickets and the winners.

use engine::access::Area;
use engine::fair::fairdraw::Entry;
use engine::fair::{MerkleTree, hexstr};
use engine::ledger::MemberId;
use engine::raffle::{Phase, RafflePrize, RafflePrizeKind, phase};

use crate::features::accounts::server::service::internal;
use crate::features::raffles::api::{RafflePageView, RafflePrizeView, RaffleView, TicketView, WinnerView};
use crate::features::raffles::server::store::{Stage, StoredRaffle};
use crate::platform::error::{AppError, ErrorCode};
use crate::platform::server::clock;
use crate::platform::server::queries::Ctx;

/// Tickets a page lists with receipts and proofs; a member holding more sees the count and the
/// first ones (every ticket is in the public bundle).
const TICKETS_SHOWN: usize = 100;

pub(crate) fn prize_view(prize: &RafflePrize) -> RafflePrizeView {
    let (kind, amount) = match &prize.kind {
        RafflePrizeKind::Points { points } => ("points", points.get().to_string()),
        RafflePrizeKind::Credit { credit } => ("credit", credit.to_string()),
        RafflePrizeKind::Item => ("item", String::new()),
        RafflePrizeKind::Coupon { listing } => ("coupon", listing.to_string()),
    };
    RafflePrizeView {
        kind: kind.to_owned(),
        amount,
        label_fa: prize.label_fa.clone(),
        label_en: prize.label_en.clone(),
        count: prize.count,
    }
}

pub(crate) fn raffle_view(raffle: &StoredRaffle) -> RaffleView {
    let spec = &raffle.spec;
    let phase = match (raffle.stage, phase(spec, clock::now())) {
        (Stage::Drawn, _) => "drawn",
        (Stage::Closed, _) => "closed",
        (Stage::Open, Phase::Upcoming) => "upcoming",
        (Stage::Open, Phase::Open) => "open",
        (Stage::Open, Phase::Closed) => "closing",
    };
    RaffleView {
        id: raffle.id,
        draw_id: raffle.draw_id.clone(),
        title_fa: spec.title_fa().as_str().to_owned(),
        title_en: spec.title_en().as_str().to_owned(),
        description_fa: spec.description_fa().to_owned(),
        description_en: spec.description_en().to_owned(),
        prizes: spec.prizes().iter().map(prize_view).collect(),
        prize_count: spec.prize_count(),
        ticket_price: spec.ticket_price().get(),
        per_member_limit: spec.per_member_limit(),
        opens_at_ms: spec.opens_at().unix_millis(),
        closes_at_ms: spec.closes_at().unix_millis(),
        beacon: spec.beacon(),
        round: raffle.round,
        tiers: spec.tiers().iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "),
        ticket_per_purchase: spec.ticket_per_purchase().map(|m| m.to_string()).unwrap_or_default(),
        by_contest: spec.by_contest(),
        phase: phase.to_owned(),
        tickets: raffle.tickets,
        entrants: raffle.entrants,
        server_commit: hexstr::encode(&raffle.server_commit),
        open_leaf: raffle.open_leaf,
    }
}

pub async fn raffles_list() -> Result<Vec<RaffleView>, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Member)?;
    let raffles = ctx.state.db.raffles.raffles().await.map_err(|e| ctx.fail(internal(e)))?;
    // A contest's draw is shown with its contest; nobody buys its tickets.
    Ok(raffles.iter().filter(|r| !r.spec.by_contest()).map(raffle_view).collect())
}

/// Public: the rules, odds, winners and fairness facts; a signed-in member also sees their
/// tickets, with receipts and (once frozen) inclusion proofs, and the buy form.
pub async fn raffle_page(id: i64) -> Result<RafflePageView, AppError> {
    let ctx = Ctx::load()?;
    let member = ctx.viewer_in(Area::Member).map(|account| MemberId::new(account.id.0)).transpose().map_err(|e| ctx.fail(internal(e)))?;
    let state = &ctx.state;
    let store = &state.db.raffles;
    let raffle = store.raffle(id).await.map_err(|e| ctx.fail(internal(e)))?.ok_or_else(|| ctx.fail(ErrorCode::NotFound))?;
    let tickets = match member {
        Some(member) => store.tickets(id, member).await.map_err(|e| ctx.fail(internal(e)))?,
        None => Vec::new(),
    };
    let signer = state.fairlog_key.signer().await.map_err(|e| ctx.fail(internal(e)))?;
    // Proofs exist once the entries are frozen; the tree is recomputed from the entries.
    let tree = if raffle.stage != Stage::Open && !tickets.is_empty() {
        let entries = store.entries(id).await.map_err(|e| ctx.fail(internal(e)))?;
        let entries: Vec<Entry> = entries.iter().map(|e| Entry { user_commit: e.user_commit, weight: e.weight, client_seed: e.client_seed }).collect();
        let leaves = engine::fair::fairdraw::leaf_hashes(&raffle.draw_id, &entries).map_err(|e| ctx.fail(internal(e)))?;
        Some(MerkleTree::new(leaves))
    } else {
        None
    };
    let mut views = Vec::with_capacity(tickets.len().min(TICKETS_SHOWN));
    for ticket in tickets.iter().take(TICKETS_SHOWN) {
        let receipt = signer.receipt(&raffle.draw_id, ticket.leaf_index, &ticket.leaf_hash).map_err(|e| ctx.fail(internal(e)))?;
        let proof = match &tree {
            Some(tree) => {
                let at = usize::try_from(ticket.leaf_index).map_err(|e| ctx.fail(internal(e)))?;
                tree.inclusion_proof(at).map_err(|e| ctx.fail(internal(e)))?.iter().map(|h| hexstr::encode(h)).collect()
            }
            None => Vec::new(),
        };
        views.push(TicketView { leaf_index: ticket.leaf_index, leaf_hash: ticket.leaf_hash.clone(), receipt, proof });
    }
    let winners = store.winners(id).await.map_err(|e| ctx.fail(internal(e)))?;
    let points = match member {
        Some(member) => state.db.ledger.balances(member).await.map_err(|e| ctx.fail(internal(e)))?.points.get(),
        None => 0,
    };
    Ok(RafflePageView {
        raffle: raffle_view(&raffle),
        member: member.is_some(),
        points,
        held: u32::try_from(tickets.len()).unwrap_or(u32::MAX),
        tickets: views,
        winners: winners
            .iter()
            .map(|w| WinnerView {
                position: w.position,
                leaf_index: w.leaf_index,
                user_commit: hexstr::encode(&w.user_commit),
                prize: prize_view(&w.prize),
                you: Some(w.member) == member,
            })
            .collect(),
        entries_root: raffle.entries_root.map(|r| hexstr::encode(&r)).unwrap_or_default(),
        key: clock::form_token(),
    })
}

pub async fn admin_raffles() -> Result<Vec<RaffleView>, AppError> {
    let ctx = Ctx::load()?;
    ctx.require(Area::Admin)?;
    let raffles = ctx.state.db.raffles.raffles().await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(raffles.iter().map(raffle_view).collect())
}

pub async fn audit_draws() -> Result<Vec<RaffleView>, AppError> {
    let ctx = Ctx::load()?;
    let raffles = ctx.state.db.raffles.raffles().await.map_err(|e| ctx.fail(internal(e)))?;
    Ok(raffles.iter().map(raffle_view).collect())
}

/// Public: anyone may fetch and verify a drawn raffle's bundle.
pub async fn draw_bundle_text(raffle: i64) -> Result<String, AppError> {
    let ctx = Ctx::load()?;
    let bundle = crate::features::raffles::server::service::bundle(&ctx.state, raffle).await.map_err(|code| ctx.fail(code))?;
    bundle.to_json().map_err(|e| ctx.fail(internal(e)))
}
