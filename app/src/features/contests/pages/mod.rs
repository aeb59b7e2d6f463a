pub mod admin;
pub mod contest;
