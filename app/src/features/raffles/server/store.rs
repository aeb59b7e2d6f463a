//! Raffles' storage. A buy is one transaction (points charged, tickets written); a close is one
//! (entries frozen and their root logged, the server seed revealed); a draw is one (winners
//! chosen by `fairdraw/v1`, prizes paid, the result logged). Each checks the raffle's stage
//! under its lock, so a retry, a crash and a second app instance all leave one outcome.

use async_trait::async_trait;
use engine::fair::Hash;
use engine::ledger::{Balances, ExpiryPolicy, LedgerError, MemberId, Outcome};
use engine::raffle::{BuyRefusal, RafflePrize, RaffleSpec};
use engine::tiers::TierId;
use engine::time::Timestamp;
use serde::{Deserialize, Serialize};

use crate::features::wheels::server::store::VerifiedRound;
use crate::platform::server::store::StoreResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Selling until `closes_at`.
    Open,
    /// Entries frozen and the server seed revealed; the draw waits for its beacon round.
    Closed,
    /// Winners drawn and paid.
    Drawn,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Drawn => "drawn",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            "drawn" => Some(Self::Drawn),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRaffle {
    pub id: i64,
    /// The draw's name in the log and in `fairdraw/v1`.
    pub draw_id: String,
    pub spec: RaffleSpec,
    pub server_commit: Hash,
    /// The pinned drand round, 0 for `beacon = none`.
    pub round: u64,
    pub stage: Stage,
    /// N so far.
    pub tickets: u64,
    pub entrants: u64,
    pub open_leaf: u64,
    pub entries_root: Option<Hash>,
    pub created_at: Timestamp,
}

/// A new raffle: its rules, a fresh server seed and the round pinned for its draw.
#[derive(Debug, Clone)]
pub struct NewRaffle {
    pub spec: RaffleSpec,
    pub server_seed: [u8; 32],
    pub round: u64,
}

/// One buy request.
#[derive(Debug, Clone)]
pub struct BuyWrite {
    pub raffle: i64,
    pub member: MemberId,
    /// The member's idempotency key: a retry with it gets the first answer.
    pub client_key: String,
    pub count: u32,
    pub client_seed: [u8; 32],
    pub tier: TierId,
    /// The member's salt in this draw, if this is their first buy (fresh CSPRNG bytes).
    pub fresh_salt: [u8; 16],
    /// A ticket the raffle's rules give (for a purchase), not one bought: nothing is charged.
    pub granted: bool,
}

/// A purchase that earns a free ticket and has not been given it yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwedTicket {
    pub purchase: i64,
    pub member: MemberId,
    /// When the purchase was recorded (server time): the ticket is judged as of then.
    pub at: Timestamp,
}

/// One ticket as its holder sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub leaf_index: u64,
    /// Hex of the RFC 6962 leaf hash.
    pub leaf_hash: String,
}

/// What a buy did, as the member's retry gets it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyReceipt {
    pub raffle: i64,
    pub draw_id: String,
    /// The tickets are the leaves `first_leaf .. first_leaf + count`; one buy's tickets carry
    /// the same user commit and client seed, so they share one leaf hash.
    pub first_leaf: u64,
    pub count: u32,
    /// Hex of the RFC 6962 leaf hash of each of them.
    pub leaf_hash: String,
    pub points_charged: i64,
    /// Hex of the member's user commit in this draw.
    pub user_commit: String,
    /// Hex of the client seed the tickets carry.
    pub client_seed: String,
    /// Tickets the member holds in this raffle now.
    pub held: u32,
    pub balances: Balances,
}

impl BuyReceipt {
    /// The leaf indices of the tickets bought.
    pub fn leaves(&self) -> std::ops::Range<u64> {
        self.first_leaf..self.first_leaf + u64::from(self.count)
    }
}

/// Why a buy was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuyRefused {
    NoRaffle,
    Rules(BuyRefusal),
    /// Sales stopped: the raffle is closed even if its clock says otherwise.
    NotSelling,
    Ledger(LedgerError),
    KeyReused,
}

/// One entry of the published list: pseudonymous, in leaf order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub leaf_index: u64,
    pub user_commit: Hash,
    pub weight: u64,
    pub client_seed: [u8; 32],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WinnerRow {
    pub position: u64,
    pub leaf_index: u64,
    pub member: MemberId,
    pub user_commit: Hash,
    pub prize: RafflePrize,
}

/// Where a draw's bundle comes from: its log leaves and, once revealed, the server seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawEvidence {
    pub open_leaf: u64,
    pub close_leaf: Option<u64>,
    pub reveal: Option<(u64, [u8; 32])>,
    pub result_leaf: Option<u64>,
    /// The beacon round and signature the result used (`None` for `beacon = none`).
    pub beacon: Option<VerifiedRound>,
}

#[async_trait]
pub trait RaffleStore: Send + Sync + 'static {
    /// Stores the raffle and logs its `DRAW_OPEN` in the same transaction.
    async fn create(&self, new: &NewRaffle, now: Timestamp) -> StoreResult<StoredRaffle>;
    /// Newest first.
    async fn raffles(&self) -> StoreResult<Vec<StoredRaffle>>;
    async fn raffle(&self, id: i64) -> StoreResult<Option<StoredRaffle>>;
    /// The stored answer of a buy key, with the digest of the request it answered.
    async fn buy_answer(&self, raffle: i64, member: MemberId, client_key: &str) -> StoreResult<Option<(String, BuyReceipt)>>;
    /// One buy, all or nothing. `request` is the digest of what was asked, for idempotency.
    async fn buy(&self, write: &BuyWrite, request: &str, now: Timestamp) -> StoreResult<Result<Outcome<BuyReceipt>, BuyRefused>>;
    /// Purchases recorded while `raffle` was open (up to `until`) that earn a ticket by its rule
    /// and have none yet, oldest first, at most `limit`.
    async fn owed_tickets(&self, raffle: i64, until: Timestamp, limit: i64) -> StoreResult<Vec<OwedTicket>>;
    /// Remembers that `purchase` earned no ticket in `raffle`.
    async fn skip_owed(&self, raffle: i64, purchase: i64) -> StoreResult<()>;
    /// The member's tickets in a raffle, in leaf order.
    async fn tickets(&self, raffle: i64, member: MemberId) -> StoreResult<Vec<Ticket>>;
    /// Open raffles whose `closes_at` has passed.
    async fn due_to_close(&self, now: Timestamp) -> StoreResult<Vec<i64>>;
    /// Freezes the entries (`DRAW_CLOSE`) and reveals the server seed (`DRAW_REVEAL`). `false`
    /// if the raffle is not open or not yet past its close.
    async fn close(&self, raffle: i64, now: Timestamp) -> StoreResult<bool>;
    /// Closed raffles, with their pinned round.
    async fn due_to_draw(&self) -> StoreResult<Vec<(i64, u64)>>;
    /// Draws the winners with the pinned round's verified signature (`None` for a raffle
    /// without a beacon), pays every prize and logs `DRAW_RESULT`. `false` if not closed.
    async fn draw(&self, raffle: i64, beacon: Option<&VerifiedRound>, expiry: ExpiryPolicy, now: Timestamp) -> StoreResult<bool>;
    /// All entries, in leaf order (empty before the close for nobody but the store to see).
    async fn entries(&self, raffle: i64) -> StoreResult<Vec<EntryRow>>;
    async fn winners(&self, raffle: i64) -> StoreResult<Vec<WinnerRow>>;
    async fn evidence(&self, raffle: i64) -> StoreResult<Option<DrawEvidence>>;
}
