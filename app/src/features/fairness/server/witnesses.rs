//! Witnesses: auditors who cosign the log's checkpoints (C2SP tlog-cosignature/v1) after
//! checking that each is consistent with every earlier one they saw. The club accepts the
//! cosignatures of the witnesses it is configured with and shows them to everyone, so a member
//! can tell that the log they are shown is the one the auditors see.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use engine::access::Area;
use engine::fair::checkpoint;
use engine::fair::cosignature::verify_cosigned;
use engine::time::Timestamp;
use serde::Serialize;

use crate::features::accounts::server::service::internal;
use crate::features::fairness::server::routes::{Asker, Fail};
use crate::features::fairness::api::CosignatureView;
use crate::features::fairness::server::store::StoredCosignature;
use crate::platform::error::ErrorCode;
use crate::platform::server::clock;
use crate::platform::server::routes::Routes;
use crate::platform::server::state::AppState;

/// How far ahead of the server's clock a witness's timestamp may be.
const CLOCK_SKEW_SECS: u64 = 300;

pub fn routes() -> Routes {
    Routes::new()
        .post("/api/log/cosignatures", Area::Witness, submit)
        .get("/api/log/cosignatures", Area::Public, list)
        .server_fn("log_cosignatures", Area::Public)
}

/// Keeps every cosignature in `note` by a configured witness: the note must be a checkpoint of
/// this log, signed by its key, of a tree it has. Answers how many were new.
pub async fn accept(state: &AppState, note: &str, now: Timestamp) -> Result<usize, ErrorCode> {
    let signer = state.fairlog_key.signer().await.map_err(internal)?;
    let cp = checkpoint::verify_with(note, signer.verifier_key()).map_err(|_| ErrorCode::BadCosignature)?;
    // Signatures first, the log's tree only for a note a configured witness signed.
    let now_secs = u64::try_from(now.unix_millis() / 1000).unwrap_or(0);
    let mut verified = Vec::new();
    for witness in state.config.witnesses() {
        let Ok(cosigned) = verify_cosigned(note, &witness) else { continue };
        if cosigned.timestamp > now_secs + CLOCK_SKEW_SECS {
            return Err(ErrorCode::BadCosignature);
        }
        verified.push((witness, cosigned.timestamp));
    }
    if verified.is_empty() {
        return Err(ErrorCode::UnknownWitness);
    }
    let log = &state.db.fairlog;
    if cp.size > log.size().await.map_err(internal)? {
        return Err(ErrorCode::BadCosignature);
    }
    let root = log.root(cp.size).await.map_err(internal)?.map_err(|_| ErrorCode::BadCosignature)?;
    if root != cp.root {
        // Our own key signed a tree the log does not have: a split view or a stolen key.
        tracing::error!(size = cp.size, "A CHECKPOINT SIGNED BY THE LOG KEY DOES NOT MATCH THE LOG");
        return Err(ErrorCode::BadCosignature);
    }
    let log_line = signer.checkpoint(cp.size, root).map_err(internal)?;
    let mut new = 0;
    for (witness, timestamp) in verified {
        // What is kept is ours to vouch for: the body, the log's signature and this one
        // witness's line, never other lines a sender added.
        let line = engine::fair::signed_note::split(note)
            .ok()
            .and_then(|(_, lines)| lines.into_iter().find(|l| l.name == witness.name && l.key_id == witness.key_id()))
            .ok_or(ErrorCode::BadCosignature)?;
        let mut blob = line.key_id.to_vec();
        blob.extend_from_slice(&line.signature);
        let kept = format!("{log_line}\u{2014} {} {}\n", witness.name, base64_line(&blob));
        let stored = StoredCosignature { witness: witness.name.clone(), size: cp.size, root, signed_at: timestamp, note: kept };
        if log.add_cosignature(&stored, now).await.map_err(internal)? {
            new += 1;
        }
    }
    Ok(new)
}

fn base64_line(blob: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(blob)
}

#[derive(Serialize)]
struct Accepted {
    stored: usize,
}

/// `POST /api/log/cosignatures` with the cosigned checkpoint note as the body.
async fn submit(State(state): State<AppState>, asker: Asker, body: String) -> Result<Response, Fail> {
    let stored = accept(&state, &body, clock::now()).await.map_err(|code| asker.fail(code))?;
    Ok((StatusCode::CREATED, Json(Accepted { stored })).into_response())
}

pub async fn latest(state: &AppState) -> Result<Vec<CosignatureView>, ErrorCode> {
    let stored = state.db.fairlog.latest_cosignatures().await.map_err(internal)?;
    Ok(stored.into_iter().map(|c| CosignatureView { witness: c.witness, size: c.size, signed_at: c.signed_at, note: c.note }).collect())
}

/// The server function behind the audit page's list.
pub async fn latest_view() -> Result<Vec<CosignatureView>, crate::platform::error::AppError> {
    let ctx = crate::platform::server::queries::Ctx::load()?;
    latest(&ctx.state).await.map_err(|code| ctx.fail(code))
}

async fn list(State(state): State<AppState>, asker: Asker) -> Result<Json<Vec<CosignatureView>>, Fail> {
    latest(&state).await.map(Json).map_err(|code| asker.fail(code))
}
