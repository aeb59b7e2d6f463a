pub mod auth;
pub mod card_art;
pub mod forms;
pub mod service;
