//! Test-only crate: the suite lives in `it/` (one integration binary, `cargo nextest run`).
