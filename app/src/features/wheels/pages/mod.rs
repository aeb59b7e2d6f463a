pub mod admin;
pub mod fairness;
pub mod wheel;
