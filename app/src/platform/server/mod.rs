//! The IO shell: configuration, storage, HTTP. Everything here is compiled for the server only.

pub mod beacon;
pub mod bus;
pub mod caches;
pub mod client_addr;
pub mod clock;
pub mod config;
pub mod demo;
pub mod entered;
pub mod guard;
pub mod metrics;
pub mod queries;
pub mod routes;
pub mod sessions;
pub mod state;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use engine::access::Area;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use config::Config;
pub use crate::features::earning::server::events::{AwardError, pay_owed, run_birthdays, run_birthdays_at};
pub use routes::{AreaTable, Declared, Kind, Routes};
pub use state::AppState;
pub use store::Database;

use crate::platform::error::ErrorCode;
use crate::platform::ui::{App, shell};

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
    use crate::features::contests::server::board::{Leaderboard, MirroredBoard, RedisBoard, SqlBoard};
    let sql = SqlBoard(db.contests.clone());
    let board: Arc<dyn Leaderboard> = match config.redis_url() {
        Some(url) => Arc::new(MirroredBoard { sql, redis: RedisBoard::new(url, &config.redis_prefix)? }),
        None => Arc::new(sql),
    };
    let shared_throttle = config
        .redis_url()
        .map(|url| crate::features::accounts::server::auth::SharedThrottle::new(url, &config.redis_prefix))
        .transpose()?;
    let caches = Arc::new(caches::Caches::new(Duration::from_secs(config.cache_ttl_secs)));
    let bus = config.redis_url().map(|url| bus::Bus::new(url, &config.redis_prefix)).transpose()?.map(Arc::new);
    let writer = Arc::new(crate::features::pos::server::writer::Writer::new(db.pos.clone(), config.write_queue, config.write_batch));
    Ok(AppState {
        writer,
        caches,
        bus,
        board,
        db,
        leptos: leptos_options(&config),
        throttle: Arc::new(crate::features::accounts::server::auth::LoginThrottle::new(shared_throttle)),
        fairlog_key: Arc::new(crate::features::fairness::server::key::LogKey::new(&config)),
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

/// Every route of every feature, each with its area. A new feature adds one line here.
pub fn route_table() -> Routes {
    Routes::new()
        .get("/healthz", Area::Public, health)
        .get("/metrics", Area::Metrics, metrics::render)
        .files("/pkg/{*file}")
        .files("/fonts/{*file}")
        .files("/style.css")
        .files("/favicon.svg")
        .merge(crate::features::routes())
}

/// Pages and server functions that exist but declare no area: none may be served.
pub fn undeclared(table: &AreaTable) -> Vec<String> {
    let pages = generate_route_list(App).into_iter().map(|page| ("GET", page.path().to_owned()));
    let server_fns = leptos::server_fn::axum::server_fn_paths().map(|(path, _)| ("POST", path.to_owned()));
    pages
        .chain(server_fns)
        .filter(|(method, path)| {
            let method = if *method == "GET" { axum::http::Method::GET } else { axum::http::Method::POST };
            table.area(&method, path).is_none()
        })
        .map(|(method, path)| format!("{method} {path}"))
        .collect()
}

/// The largest request body a route takes: every form and server function fits in a few
/// kilobytes, and the rules editor's policy in well under this.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// Routes that take an upload, with their own limit: a coupon code pool of up to 100,000 rows.
const UPLOAD_LIMITS: &[(&str, usize)] = &[("/partner/listings", 4 * 1024 * 1024)];

/// Bounds what a request may cost before anything reads it: a body announced longer than its
/// route's limit is refused with 413 at once, and any body is cut off at the limit as it is read
/// (the extractors then answer 413 too).
async fn limit_body(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let limit = UPLOAD_LIMITS.iter().find(|(path, _)| *path == request.uri().path()).map_or(BODY_LIMIT_BYTES, |(_, limit)| *limit);
    let announced = request.headers().get(axum::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let (parts, body) = request.into_parts();
    next.run(axum::extract::Request::from_parts(parts, axum::body::Body::new(http_body_util::Limited::new(body, limit)))).await
}

/// The whole HTTP surface; tests serve exactly this.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(sessions::DbSessionStore::new(state.db.sessions.clone()))
        .with_name("bashgah_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(7)));
    let (handlers, table) = route_table().split();
    let table = Arc::new(table);
    for missing in undeclared(&table) {
        tracing::error!(route = %missing, "route declares no area; it is not served");
    }
    // Only declared pages are served; the guard refuses the rest, server functions included.
    let pages: Vec<_> = generate_route_list(App)
        .into_iter()
        .filter(|page| table.area(&axum::http::Method::GET, page.path()).is_some())
        .collect();
    let leptos = state.leptos.clone();
    let context_state = state.clone();
    let guarded = guard::Guarded { state: state.clone(), table };
    handlers
        .leptos_routes_with_context(
            &state,
            pages,
            move || provide_context(context_state.clone()),
            move || shell(leptos.clone()),
        )
        .route_layer(axum::middleware::from_fn(metrics::label_route))
        .fallback_service(ServeDir::new(&state.config.site_root))
        .layer(axum::middleware::from_fn_with_state(guarded, guard::guard))
        .layer(sessions)
        // Outermost: what a request may cost is bounded before anything reads it.
        .layer(axum::middleware::from_fn(limit_body))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(state.config.request_timeout_secs)))
        .layer(TraceLayer::new_for_http())
        .layer(axum::middleware::from_fn(metrics::track))
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
            if let Err(error) = crate::features::earning::server::events::pay_owed(&state).await {
                tracing::warn!(%error, "owed awards not paid; they are tried again in ten minutes");
            }
            audit_ledger(&state).await;
            state.throttle.forget_idle();
        }
    });
}

/// Closes, reveals, draws and pays the raffles that are due, every `draw_tick_secs`. Each step
/// checks the raffle's stage under its lock, so several instances may run this side by side.
fn spawn_draws(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        let period = Duration::from_secs(state.config.draw_tick_secs);
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            // Contests first: a drawn contest's qualifiers get their tickets and its draw closes,
            // and the raffles' run below draws it.
            match crate::features::contests::server::service::run_due(&state, clock::now()).await {
                Ok(run) if run.finished > 0 => tracing::info!(finished = run.finished, "contests finished"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "the contest scheduler failed; it runs again at the next tick"),
            }
            match crate::features::raffles::server::service::run_due(&state, clock::now()).await {
                Ok(run) if run.closed + run.drawn > 0 => tracing::info!(closed = run.closed, drawn = run.drawn, "raffles closed and drawn"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "the raffle scheduler failed; it runs again at the next tick"),
            }
        }
    });
}

/// Re-checks every ledger invariant from the stored rows. A violation means money-like data is
/// wrong: it is logged as an error with every violation, for an operator to act on.
async fn audit_ledger(state: &AppState) {
    match state.db.ledger.audit().await {
        Ok(audit) if audit.is_sound() => {}
        Ok(audit) => tracing::error!(violations = ?audit.violations, "LEDGER AUDIT FAILED: the stored ledger breaks its invariants"),
        Err(error) => tracing::error!(%error, "the ledger audit could not run"),
    }
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
    spawn_draws(&state);
    metrics::spawn_upkeep();
    if let Some(bus) = &state.bus {
        bus.clone().listen(state.caches.clone());
    }
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
    crate::features::accounts::server::service::sign_up(state, identifier, password, roles).await.map_err(|code| match code {
        ErrorCode::AlreadyRegistered => {
            anyhow::anyhow!("{identifier} already has an account; assign roles on its admin page instead")
        }
        code => anyhow::anyhow!("{}", code.message(crate::platform::i18n::Lang::En)),
    })
}
