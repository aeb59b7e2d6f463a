pub mod admin;
pub mod market;
pub mod partner;
pub mod wallet;
