//! The server-function surface: what the pages ask the server for. Each function is a public
//! HTTP endpoint under `/api/`; its body only authorises and delegates to `server::queries`.

mod error;

use engine::access::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use error::{AppError, ErrorCode};

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub card_number: String,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChangeView {
    pub at_ms: i64,
    pub by_name: String,
    pub old: Vec<Role>,
    pub new: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberDetailView {
    pub row: MemberRow,
    pub profile: ProfileView,
    pub created_at_ms: i64,
    pub role_changes: Vec<RoleChangeView>,
}

#[server(endpoint = "viewer")]
pub async fn viewer() -> Result<Option<ViewerView>, AppError> {
    Ok(crate::server::queries::viewer()?)
}

#[server(endpoint = "my_card")]
pub async fn my_card() -> Result<CardView, AppError> {
    crate::server::queries::my_card().await
}

#[server(endpoint = "my_profile")]
pub async fn my_profile() -> Result<ProfileView, AppError> {
    crate::server::queries::my_profile().await
}

#[server(endpoint = "search_members")]
pub async fn search_members(query: String) -> Result<Vec<MemberRow>, AppError> {
    crate::server::queries::search_members(query).await
}

#[server(endpoint = "member_detail")]
pub async fn member_detail(id: i64) -> Result<MemberDetailView, AppError> {
    crate::server::queries::member_detail(id).await
}

#[server(endpoint = "till_lookup")]
pub async fn till_lookup(query: String) -> Result<Option<MemberRow>, AppError> {
    crate::server::queries::till_lookup(query).await
}
