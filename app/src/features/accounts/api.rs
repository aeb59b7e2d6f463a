//! What a member asks about themselves: who is signed in, their card and their profile.

use engine::access::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::platform::error::AppError;

/// Who is looking at the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewerView {
    pub account_id: i64,
    pub display_name: String,
    pub roles: Vec<Role>,
}

impl ViewerView {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    pub holder: String,
    /// 16 ASCII digits.
    pub number: String,
    pub qr_svg: String,
    pub barcode_svg: String,
    pub member_since_ms: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    /// ISO `YYYY-MM-DD`, empty when not given.
    pub birthday_iso: String,
    pub city: String,
    /// `female`, `male`, `other`, or empty.
    pub gender: String,
}

#[server(endpoint = "viewer")]
pub async fn viewer() -> Result<Option<ViewerView>, AppError> {
    crate::platform::server::queries::viewer()
}

#[server(endpoint = "my_card")]
pub async fn my_card() -> Result<CardView, AppError> {
    crate::platform::server::queries::my_card().await
}

#[server(endpoint = "my_profile")]
pub async fn my_profile() -> Result<ProfileView, AppError> {
    crate::platform::server::queries::my_profile().await
}
