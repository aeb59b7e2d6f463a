pub mod club;
pub mod members;
