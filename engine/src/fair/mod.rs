//! Provable fairness core (`/work/shared/specs/fairness.md`): pure functions, value in, value out.
//!
//! One job per file:
//! - [`hash`]: SHA-256 and the spec's encodings `u64(n)` and `lp(x)`.
//! - [`stream`]: the ChaCha20 keystream read as little-endian u64 words.
//! - [`uniform`]: exact Lemire sampling with rejection.
//! - [`pick`]: weighted index by cumulative sums (linear definition and Fenwick tree).
//! - [`merkle`], [`merkle_tree`], [`merkle_verify`]: RFC 6962 tree hash, stored tree serving
//!   inclusion and consistency proofs, RFC 9162 verification.
//! - [`beacon`]: drand quicknet round timing and `ρ = H(signature)`.
//! - [`drand`]: BLS signature check of a quicknet round against the pinned key.
//! - [`fairdraw`], [`fairdraw_winners`], [`fairdraw_verify`]: raffles, lotteries, giveaways
//!   (`fairdraw/v1`): encodings, winner selection, whole-draw run and check.
//! - [`fairspin`]: the spin wheel (`fairspin/v1`).
//!
//! Nothing here reads a clock, the OS or the network, and no `rand` distribution decides a
//! result: only the raw ChaCha20 stream, [`uniform`] and [`pick`] do.

pub mod beacon;
pub mod drand;
pub mod error;
pub mod fairdraw;
pub mod fairdraw_verify;
pub mod fairdraw_winners;
pub mod fairspin;
pub mod hash;
pub mod merkle;
pub mod merkle_tree;
pub mod merkle_verify;
pub mod pick;
pub mod stream;
pub mod uniform;

pub use beacon::Beacon;
pub use error::{FairError, MerkleError};
pub use hash::{Hash, sha256};
pub use merkle_tree::MerkleTree;
pub use pick::{Fenwick, pick};
pub use stream::Stream;
pub use uniform::uniform;
