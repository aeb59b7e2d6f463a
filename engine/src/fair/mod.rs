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
//! - [`log`], [`log_canon`], [`log_decode`], [`log_build`], [`log_memory`]: `fairlog/v1`
//!   records (one canonical JSON encoding, a decoder that refuses anything else) and an
//!   in-memory log.
//! - [`signed_note`], [`checkpoint`]: C2SP signed notes (Ed25519) and `tlog-checkpoint`.
//! - [`bundle`], [`bundle_build`], [`bundle_verify`] (+ `_spin`, `_draw`), [`bundle_report`]:
//!   audit bundles of a spin or a draw, and the one offline `verify` that checks them.
//!
//! Nothing here reads a clock, the OS or the network, and no `rand` distribution decides a
//! result: only the raw ChaCha20 stream, [`uniform`] and [`pick`] do.

pub mod beacon;
pub mod bundle;
pub mod bundle_build;
pub mod bundle_report;
pub mod bundle_verify;
mod bundle_verify_contest;
mod bundle_verify_draw;
mod bundle_verify_spin;
pub mod checkpoint;
pub mod cosignature;
pub mod drand;
pub mod error;
pub mod fairdraw;
pub mod fairdraw_verify;
pub mod fairdraw_winners;
pub mod fairspin;
pub mod hash;
pub mod hexstr;
pub mod log;
mod log_build;
mod log_canon;
mod log_decode;
pub mod log_memory;
pub mod merkle;
pub mod merkle_tree;
pub mod merkle_verify;
pub mod pick;
pub mod signed_note;
pub mod stream;
pub mod uniform;

pub use beacon::Beacon;
pub use bundle::{Bundle, BundleBeacon, BundleError, BundleKind};
pub use bundle_report::{Check, Report, Status};
pub use bundle_verify::{verify as verify_bundle, verify_json as verify_bundle_json};
pub use checkpoint::Checkpoint;
pub use log::{LogError, Record};
pub use log_memory::MemoryLog;
pub use signed_note::{NoteError, VerifierKey};
pub use error::{FairError, MerkleError};
pub use hash::{Hash, sha256};
pub use merkle_tree::MerkleTree;
pub use pick::{Fenwick, pick};
pub use stream::Stream;
pub use uniform::uniform;
