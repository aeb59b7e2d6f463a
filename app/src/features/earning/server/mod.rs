pub mod events;
pub mod referrals;
pub mod store;
pub mod store_sql;
