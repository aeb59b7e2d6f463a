pub mod admin;
pub mod raffle;
#[cfg(feature = "hydrate")]
pub(crate) mod seed;
