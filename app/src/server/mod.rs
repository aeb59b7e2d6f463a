//! The IO shell: configuration, storage, HTTP. Everything here is compiled for the server only.

mod accounts;
mod adjustments;
mod auth;
mod card_art;
mod client_addr;
pub mod club_admin;
mod clock;
pub mod config;
pub mod demo;
mod earning;
mod fairlog_key;
mod fairlog_routes;
pub mod beacon;
mod forms;
pub mod guard;
pub mod pos;
pub mod queries;
mod referrals;
mod sessions;
pub mod wallet;
mod state;
mod till;
mod wheel_forms;
pub mod wheel_queries;
pub mod wheels;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use config::Config;
pub use earning::{AwardError, run_birthdays, run_birthdays_at};
pub use state::AppState;
pub use store::Database;

use crate::api::ErrorCode;
use crate::ui::{App, shell};

/// Opens the configured database and brings its schema up to date.
pub async fn open_database(config: &Config) -> anyhow::Result<Database> {
    let url = config.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
    }
    let db = Database::connect(&url).await?;
    db.migrate(&url).await?;
    Ok(db)
}

fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("bashgah")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build()
}

pub fn app_state(config: Config, db: Database) -> anyhow::Result<AppState> {
    Ok(AppState {
        db,
        leptos: leptos_options(&config),
        throttle: Arc::new(auth::LoginThrottle::new()),
        fairlog_key: Arc::new(fairlog_key::LogKey::new(&config)),
        beacon: beacon::from_config(&config)?,
        trusted_proxies: config.trusted_proxies().into(),
        config: Arc::new(config),
    })
}

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let up = state.db.ping().await;
    let body = serde_json::json!({
        "status": if up { "ok" } else { "database unavailable" },
        "backend": state.db.backend(),
        "version": env!("CARGO_PKG_VERSION"),
    });
    let status = if up { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, axum::Json(body))
}

async fn server_fn(State(state): State<AppState>, request: axum::extract::Request) -> impl IntoResponse {
    handle_server_fns_with_context(move || provide_context(state.clone()), request).await
}

/// The largest request body any route takes: every form and server function fits in a few
/// kilobytes, and the rules editor's policy in well under this.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// The whole HTTP surface; tests serve exactly this.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(sessions::DbSessionStore::new(state.db.sessions.clone()))
        .with_name("bashgah_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(7)));
    let routes = generate_route_list(App);
    let leptos = state.leptos.clone();
    let context_state = state.clone();
    Router::new()
        .route("/healthz", get(health))
        .route("/signup", post(forms::sign_up))
        .route("/login", post(forms::log_in))
        .route("/logout", post(forms::log_out))
        .route("/lang", post(forms::set_lang))
        .route("/profile", post(forms::save_profile))
        .route("/card/replace", post(forms::replace_card))
        .route("/admin/members/{id}/roles", post(forms::set_roles))
        .route("/admin/members/{id}/adjust", post(adjustments::adjust_member))
        .route("/admin/branches", post(club_admin::create_branch))
        .route("/admin/branches/{id}/keys", post(club_admin::issue_key))
        .route("/admin/keys/{id}/revoke", post(club_admin::revoke_key))
        .route("/admin/rules", post(club_admin::save_rules))
        .route("/till/purchase", post(till::purchase))
        .route("/till/return", post(till::return_purchase))
        .route("/till/redeem", post(till::redeem))
        .route("/admin/wheels", post(wheel_forms::create_wheel))
        .route("/admin/wheels/{id}", post(wheel_forms::update_wheel))
        .route("/admin/wheels/{id}/live", post(wheel_forms::set_live))
        .route("/wheels/{id}/spin", post(wheel_forms::spin))
        .route("/fairness/client-seed", post(wheel_forms::set_client_seed))
        .route("/fairness/rotate", post(wheel_forms::rotate))
        .route("/api/{*name}", get(server_fn).post(server_fn))
        .merge(pos::routes())
        .merge(fairlog_routes::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(leptos.clone()),
        )
        .fallback_service(ServeDir::new(&state.config.site_root))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::guard))
        .layer(sessions)
        // Outermost: what a request may cost is bounded before anything reads it.
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(state.config.request_timeout_secs)))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Housekeeping that keeps tables and memory from growing (lapsed sessions, idle throttle keys)
/// and the daily jobs (expiry, birthdays).
fn spawn_housekeeping(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        // The first round waits a full period: a server that just started has nothing urgent,
        // and members are swept lazily on their next write anyway.
        let period = Duration::from_secs(600);
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        // The Tehran day whose birthdays are paid; a failed run leaves it unset, to try again.
        let mut birthdays_done = None;
        loop {
            tick.tick().await;
            if let Err(e) = state.db.sessions.delete_expired_sessions(clock::now()).await {
                tracing::warn!(error = %e, "cannot delete expired sessions");
            }
            match run_expiry(&state).await {
                Ok(0) => {}
                Ok(members) => tracing::info!(members, "expired and unlocked points"),
                Err(e) => tracing::warn!(error = %e, "expiry job failed; it runs again in ten minutes"),
            }
            let today = clock::now().tehran_date();
            if birthdays_done != Some(today) {
                match run_birthdays(&state).await {
                    Ok(members) => {
                        birthdays_done = Some(today);
                        if members > 0 {
                            tracing::info!(members, "paid birthday bonuses");
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "birthday job failed; it runs again in ten minutes"),
                }
            }
            state.throttle.forget_idle();
        }
    });
}

/// Expires and unlocks every lot that is due. Idempotent: each member's sweep is keyed by the
/// instant, and what is done is never due again. Members are also swept lazily on their next write.
pub async fn run_expiry(state: &AppState) -> anyhow::Result<u64> {
    Ok(state.db.ledger.sweep_due(clock::now()).await?)
}

/// Binds the listener and serves until Ctrl-C or SIGTERM.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    // The log key is made or read now, so a missing or unreadable key stops the start.
    state.fairlog_key.signer().await?;
    spawn_housekeeping(&state);
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// Creates an account from the command line, with a message a person can act on when refused.
pub async fn create_account(
    state: &AppState,
    identifier: &str,
    password: &str,
    roles: engine::access::RoleSet,
) -> anyhow::Result<store::Account> {
    accounts::sign_up(state, identifier, password, roles).await.map_err(|code| match code {
        ErrorCode::AlreadyRegistered => {
            anyhow::anyhow!("{identifier} already has an account; assign roles on its admin page instead")
        }
        code => anyhow::anyhow!("{}", code.message(crate::i18n::Lang::En)),
    })
}
