pub mod auth;
pub mod card;
pub mod home;
pub mod profile;
