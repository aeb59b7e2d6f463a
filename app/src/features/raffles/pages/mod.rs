pub mod admin;
pub mod raffle;
#[cfg(feature = "hydrate")]
mod seed;
