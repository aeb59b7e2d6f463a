//! `GET /metrics` in Prometheus text: requests and their latency per route, and the
//! group-commit writer's batch sizes, queue depth and commit times (`pos::writer`).
//!
//! Routes are labelled by their template (`/api/v1/purchases`, `/admin/raffles/{id}`), never by
//! the path a client sent, so nobody can grow the label set by asking for made-up paths: what
//! no route matched counts as `unmatched`.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::platform::server::client_addr::ClientAddress;
use crate::platform::server::state::AppState;

/// Seconds: from half a millisecond (a cached read) to ten seconds (a request about to time out).
const SECONDS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
const BATCH_SIZES: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1000.0];

pub const BATCH_SIZE: &str = "bashgah_write_batch_size";
pub const QUEUE_DEPTH: &str = "bashgah_write_queue_depth";
pub const COMMIT_SECONDS: &str = "bashgah_write_commit_seconds";
pub const PHASE_SECONDS: &str = "bashgah_write_phase_seconds";
pub const REJECTED: &str = "bashgah_write_rejected_total";
/// Batches whose one transaction failed and that were written one purchase at a time.
pub const BATCH_FAILURES: &str = "bashgah_write_batch_failures_total";

/// The process's recorder, installed on first use: metrics are per process, however many app
/// states a test builds in it.
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets(SECONDS)
            .and_then(|b| b.set_buckets_for_metric(Matcher::Full(BATCH_SIZE.to_owned()), BATCH_SIZES));
        let recorder = match builder {
            Ok(builder) => builder.build_recorder(),
            Err(error) => {
                tracing::error!(%error, "metrics buckets refused; histograms are summaries");
                PrometheusBuilder::new().build_recorder()
            }
        };
        let handle = recorder.handle();
        if let Err(error) = metrics::set_global_recorder(recorder) {
            tracing::error!(%error, "another metrics recorder is installed; /metrics stays empty");
        }
        handle
    })
}

/// Drains histogram samples into their buckets every few seconds, scraped or not.
pub fn spawn_upkeep() {
    let handle = handle();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            handle.run_upkeep();
        }
    });
}

/// The matched route's template, carried out to `track` on the response.
#[derive(Clone)]
struct RouteLabel(String);

/// Inside the router, where the matched route is known.
pub async fn label_route(request: Request, next: Next) -> Response {
    let label = request.extensions().get::<MatchedPath>().map(|p| RouteLabel(p.as_str().to_owned()));
    let mut response = next.run(request).await;
    if let Some(label) = label {
        response.extensions_mut().insert(label);
    }
    response
}

/// Outermost: counts every request and times it whole, guard and sessions included.
pub async fn track(request: Request, next: Next) -> Response {
    handle();
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let route = response.extensions().get::<RouteLabel>().map_or_else(|| "unmatched".to_owned(), |l| l.0.clone());
    let status = response.status().as_u16().to_string();
    metrics::counter!("bashgah_http_requests_total", "route" => route.clone(), "method" => method.clone(), "status" => status).increment(1);
    metrics::histogram!("bashgah_http_request_duration_seconds", "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    response
}

/// Who may read the metrics: the bearer of the configured token, or without one a client on
/// the loopback whose request no proxy forwarded.
fn may_read(state: &AppState, client: ClientAddress, headers: &HeaderMap) -> bool {
    match state.config.metrics_token() {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            // Compared by digest, so the time taken says nothing about the token's characters.
            .is_some_and(|sent| engine::fair::hash::sha256(sent.trim().as_bytes()) == engine::fair::hash::sha256(token.as_bytes())),
        None => client.0.is_loopback() && !headers.contains_key("x-forwarded-for") && !headers.contains_key("forwarded"),
    }
}

pub async fn render(State(state): State<AppState>, client: ClientAddress, headers: HeaderMap) -> Response {
    if !may_read(&state, client, &headers) {
        return (StatusCode::FORBIDDEN, [(header::WWW_AUTHENTICATE, "Bearer")], "metrics need the metrics token\n").into_response();
    }
    let handle = handle();
    handle.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], handle.render()).into_response()
}
