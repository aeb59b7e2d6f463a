//! The fairness log's public endpoints, open to anyone without login: the signed checkpoint and
//! the log key (plain text), any record, inclusion and consistency proofs (JSON). Hashes are
//! lowercase hex. Errors are `{code, message}` in the request's language.

use std::convert::Infallible;
use std::fmt::Display;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::Json;
use engine::access::Area;
use engine::fair::{Hash, hexstr};
use serde::{Deserialize, Serialize};

use crate::platform::server::guard::request_lang;
use crate::platform::server::routes::Routes;
use crate::platform::server::state::AppState;
use crate::platform::error::{AppError, ErrorCode};
use crate::platform::i18n::Lang;

/// The public log, its proofs and bundles, and the audit page: open to everyone.
pub fn routes() -> Routes {
    Routes::new()
        .get("/api/log/checkpoint", Area::Public, checkpoint)
        .get("/api/log/key", Area::Public, key)
        .get("/api/log/records/{index}", Area::Public, record)
        .get("/api/log/proof/inclusion", Area::Public, inclusion)
        .get("/api/log/proof/consistency", Area::Public, consistency)
        .get("/api/log/bundles/spin/{id}", Area::Public, spin_bundle)
        .get("/api/log/bundles/draw/{id}", Area::Public, draw_bundle)
        .get("/api/log/bundles/contest/{id}", Area::Public, contest_bundle)
        .page("/audit", Area::Public)
        .server_fn("log_public_key", Area::Public)
        .server_fn("recent_spins", Area::Public)
        .server_fn("spin_bundle_text", Area::Public)
        .merge(crate::features::fairness::server::witnesses::routes())
}

pub(crate) struct Fail {
    code: ErrorCode,
    lang: Lang,
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(AppError::new(self.code, self.lang))).into_response()
    }
}

/// Whoever asks, known only by the language to answer in.
pub(crate) struct Asker(Lang);

impl<S: Send + Sync> FromRequestParts<S> for Asker {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<Lang>().copied().unwrap_or_else(|| request_lang(&parts.headers))))
    }
}

impl Asker {
    pub(crate) fn fail(&self, code: ErrorCode) -> Fail {
        Fail { code, lang: self.0 }
    }

    pub(crate) fn internal(&self, error: impl Display) -> Fail {
        tracing::error!(error = %error, "fairness log request failed");
        self.fail(ErrorCode::Internal)
    }
}

fn hex_all(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(|h| hexstr::encode(h)).collect()
}

fn text(body: String) -> Response {
    // Answers change as the log grows; a cache must ask again.
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

/// The signed checkpoint (C2SP signed note) of the log as it is now.
async fn checkpoint(State(state): State<AppState>, asker: Asker) -> Result<Response, Fail> {
    let log = &state.db.fairlog;
    let size = log.size().await.map_err(|e| asker.internal(e))?;
    let root = log.root(size).await.map_err(|e| asker.internal(e))?.map_err(|e| asker.internal(e))?;
    let signer = state.fairlog_key.signer().await.map_err(|e| asker.internal(e))?;
    let note = signer.checkpoint(size, root).map_err(|e| asker.internal(e))?;
    Ok(text(note))
}

/// The log's public key as a C2SP verifier-key string (`name+keyid+key`).
async fn key(State(state): State<AppState>, asker: Asker) -> Result<Response, Fail> {
    let signer = state.fairlog_key.signer().await.map_err(|e| asker.internal(e))?;
    Ok(text(signer.verifier_key().encode()))
}

#[derive(Serialize)]
struct RecordView {
    index: u64,
    kind: String,
    /// The canonical record text: exactly the bytes of the leaf.
    record: String,
    leaf_hash: String,
    /// When it was logged, Unix milliseconds.
    at: i64,
}

async fn record(
    State(state): State<AppState>,
    asker: Asker,
    index: Result<Path<u64>, PathRejection>,
) -> Result<Response, Fail> {
    // An index that is not a number names no record either.
    let Ok(Path(index)) = index else { return Err(asker.fail(ErrorCode::UnknownLogRecord)) };
    let entry = state.db.fairlog.record(index).await.map_err(|e| asker.internal(e))?;
    let entry = entry.ok_or_else(|| asker.fail(ErrorCode::UnknownLogRecord))?;
    let view = RecordView {
        index: entry.index,
        kind: entry.kind,
        record: entry.record,
        leaf_hash: hexstr::encode(&entry.leaf_hash),
        at: entry.at.unix_millis(),
    };
    // A logged record never changes.
    Ok(([(header::CACHE_CONTROL, "public, max-age=31536000, immutable")], Json(view)).into_response())
}

#[derive(Deserialize)]
struct InclusionQuery {
    index: u64,
    /// The tree size the proof leads to; the log's current size when absent.
    size: Option<u64>,
}

#[derive(Serialize)]
struct InclusionView {
    index: u64,
    size: u64,
    leaf_hash: String,
    /// The root the proof leads to; verify against a signed checkpoint of `size`, not this.
    root: String,
    proof: Vec<String>,
}

async fn inclusion(
    State(state): State<AppState>,
    asker: Asker,
    query: Result<Query<InclusionQuery>, QueryRejection>,
) -> Result<Json<InclusionView>, Fail> {
    let Ok(Query(query)) = query else { return Err(asker.fail(ErrorCode::BadRequest)) };
    let log = &state.db.fairlog;
    let entry = log.record(query.index).await.map_err(|e| asker.internal(e))?;
    let entry = entry.ok_or_else(|| asker.fail(ErrorCode::UnknownLogRecord))?;
    let current = log.size().await.map_err(|e| asker.internal(e))?;
    let size = query.size.unwrap_or(current);
    if size <= entry.index || size > current {
        return Err(asker.fail(ErrorCode::BadTreeSize));
    }
    let proof = log.inclusion_proof(entry.index, size).await.map_err(|e| asker.internal(e))?;
    let proof = proof.map_err(|_| asker.fail(ErrorCode::BadTreeSize))?;
    let root = log.root(size).await.map_err(|e| asker.internal(e))?.map_err(|e| asker.internal(e))?;
    Ok(Json(InclusionView {
        index: entry.index,
        size,
        leaf_hash: hexstr::encode(&entry.leaf_hash),
        root: hexstr::encode(&root),
        proof: hex_all(&proof),
    }))
}

#[derive(Deserialize)]
struct ConsistencyQuery {
    old: u64,
    /// The log's current size when absent.
    new: Option<u64>,
}

#[derive(Serialize)]
struct ConsistencyView {
    old: u64,
    new: u64,
    old_root: String,
    new_root: String,
    proof: Vec<String>,
}

async fn consistency(
    State(state): State<AppState>,
    asker: Asker,
    query: Result<Query<ConsistencyQuery>, QueryRejection>,
) -> Result<Json<ConsistencyView>, Fail> {
    let Ok(Query(query)) = query else { return Err(asker.fail(ErrorCode::BadRequest)) };
    let log = &state.db.fairlog;
    let current = log.size().await.map_err(|e| asker.internal(e))?;
    let (old, new) = (query.old, query.new.unwrap_or(current));
    if old == 0 || old > new || new > current {
        return Err(asker.fail(ErrorCode::BadTreeSize));
    }
    let proof = log.consistency_proof(old, new).await.map_err(|e| asker.internal(e))?;
    let proof = proof.map_err(|_| asker.fail(ErrorCode::BadTreeSize))?;
    let old_root = log.root(old).await.map_err(|e| asker.internal(e))?.map_err(|e| asker.internal(e))?;
    let new_root = log.root(new).await.map_err(|e| asker.internal(e))?.map_err(|e| asker.internal(e))?;
    Ok(Json(ConsistencyView {
        old,
        new,
        old_root: hexstr::encode(&old_root),
        new_root: hexstr::encode(&new_root),
        proof: hex_all(&proof),
    }))
}

/// A bundle as a download named `<what>-<id>.bundle.json`.
fn attachment(bundle: engine::fair::Bundle, what: &str, id: i64) -> Response {
    let name = format!("attachment; filename=\"{what}-{id}.bundle.json\"");
    let mut response = Json(bundle).into_response();
    if let Ok(value) = header::HeaderValue::from_str(&name) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The audit bundle of a spin, once its server seed is revealed (409 before).
async fn spin_bundle(
    State(state): State<AppState>,
    asker: Asker,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, Fail> {
    let Ok(Path(id)) = id else { return Err(asker.fail(ErrorCode::NotFound)) };
    let bundle = crate::features::wheels::server::service::spin_bundle(&state, id).await.map_err(|code| asker.fail(code))?;
    Ok(attachment(bundle, "spin", id))
}

/// The audit bundle of a drawn raffle: every entry, the four records and their proofs.
async fn draw_bundle(
    State(state): State<AppState>,
    asker: Asker,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, Fail> {
    let Ok(Path(id)) = id else { return Err(asker.fail(ErrorCode::NotFound)) };
    let bundle = crate::features::raffles::server::service::bundle(&state, id).await.map_err(|code| asker.fail(code))?;
    Ok(attachment(bundle, "raffle", id))
}

/// The audit bundle of a finished contest: its rules, frozen standings and two records.
async fn contest_bundle(
    State(state): State<AppState>,
    asker: Asker,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, Fail> {
    let Ok(Path(id)) = id else { return Err(asker.fail(ErrorCode::NotFound)) };
    let bundle = crate::features::contests::server::service::bundle(&state, id).await.map_err(|code| asker.fail(code))?;
    Ok(attachment(bundle, "contest", id))
}
