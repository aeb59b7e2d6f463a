//! Runs before every handler: works out the visitor's language and account, refuses
//! cross-site writes, and lets each request into its area only with a role that may enter.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use engine::access::may_enter;
use tower_sessions::Session;

use crate::platform::server::routes::{AreaTable, Kind};
use crate::platform::server::state::AppState;
use crate::platform::server::store::{Account, AccountId};
use crate::platform::error::{AppError, ErrorCode};
use crate::platform::i18n::Lang;

pub const SESSION_ACCOUNT: &str = "account";
pub const LANG_COOKIE: &str = "lang";

/// The signed-in account of this request, if any.
#[derive(Clone, Default)]
pub struct RequestViewer(pub Option<Arc<Account>>);

/// What the guard needs: the state, and the table of declared routes.
#[derive(Clone)]
pub struct Guarded {
    pub state: AppState,
    pub table: Arc<AreaTable>,
}

pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('='))
}

pub fn request_lang(headers: &HeaderMap) -> Lang {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    Lang::negotiate(cookie(headers, LANG_COOKIE), accept)
}

/// A write must come from a page of this site: its Origin (or, failing that, Referer) must name
/// the host it was sent to. Together with SameSite cookies this stops cross-site forms.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else { return false };
    let source = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER));
    let Some(source) = source.and_then(|v| v.to_str().ok()).and_then(|v| url::Url::parse(v).ok()) else {
        return false;
    };
    let source_host = match (source.host_str(), source.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => return false,
    };
    source_host.eq_ignore_ascii_case(host)
}

async fn load_viewer(state: &AppState, session: Option<&Session>) -> Result<Option<Arc<Account>>, ErrorCode> {
    let Some(session) = session else { return Ok(None) };
    let id = session.get::<i64>(SESSION_ACCOUNT).await.map_err(|_| ErrorCode::Internal)?;
    let Some(id) = id else { return Ok(None) };
    let account = state.db.accounts.account(AccountId(id)).await.map_err(|e| {
        tracing::error!(error = %e, "cannot load the session's account");
        ErrorCode::Internal
    })?;
    if account.is_none() {
        // The account is gone; so is any reason to keep the session.
        let _ = session.flush().await;
    }
    Ok(account.map(Arc::new))
}

pub fn error_response(code: ErrorCode, lang: Lang, path: &str) -> Response {
    let status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if path.starts_with("/api/") {
        return (status, axum::Json(AppError::new(code, lang))).into_response();
    }
    if code == ErrorCode::NotSignedIn {
        let next: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    let texts = lang.texts();
    let page = format!(
        "<!DOCTYPE html><html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"stylesheet\" href=\"/style.css\"><title>{}</title></head>\
         <body><main class=\"page narrow\"><h1>{}</h1><p class=\"error\">{}</p><p><a href=\"/\">{}</a></p></main></body></html>",
        lang.code(),
        lang.dir(),
        texts.club_name,
        texts.club_name,
        code.message(lang),
        texts.home,
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

pub async fn guard(State(Guarded { state, table }): State<Guarded>, mut request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let lang = request_lang(request.headers());
    // Fail closed: what no route declared, no handler sees.
    let Some((area, kind)) = table.area(request.method(), &path) else {
        if let Some(allowed) = table.allowed_instead(request.method(), &path) {
            let mut refused = error_response(ErrorCode::MethodNotAllowed, lang, &path);
            if let Ok(value) = allowed.as_str().parse() {
                refused.headers_mut().insert(header::ALLOW, value);
            }
            return refused;
        }
        return error_response(ErrorCode::NotFound, lang, &path);
    };
    if kind == Kind::Files {
        return next.run(request).await;
    }
    request.extensions_mut().insert(lang);
    // A bearer key or a witness signature is never sent by a browser on its own, so these need
    // no origin check; their handlers take that as their proof (`pos::api::Caller`,
    // `fairness::witnesses::accept`), never a session.
    if area.proves_itself() {
        return next.run(request).await;
    }
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if writes && !same_origin(request.headers()) {
        return error_response(ErrorCode::CrossSite, lang, &path);
    }
    let viewer = match load_viewer(&state, request.extensions().get::<Session>()).await {
        Ok(viewer) => viewer,
        Err(code) => return error_response(code, lang, &path),
    };
    if !may_enter(viewer.as_ref().map(|a| a.roles), area) {
        let code = if viewer.is_some() { ErrorCode::Forbidden } else { ErrorCode::NotSignedIn };
        return error_response(code, lang, &path);
    }
    request.extensions_mut().insert(RequestViewer(viewer));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn only_writes_from_this_site_are_accepted() {
        assert!(same_origin(&headers(&[(header::HOST, "127.0.0.1:3000"), (header::ORIGIN, "http://127.0.0.1:3000")])));
        assert!(same_origin(&headers(&[(header::HOST, "club.ir"), (header::REFERER, "https://club.ir/signup")])));
        assert!(!same_origin(&headers(&[(header::HOST, "club.ir"), (header::ORIGIN, "https://evil.example")])));
        assert!(!same_origin(&headers(&[(header::HOST, "club.ir")])));
        assert!(!same_origin(&headers(&[(header::HOST, "club.ir"), (header::ORIGIN, "null")])));
    }

    #[test]
    fn the_language_cookie_wins_over_the_browser() {
        assert_eq!(request_lang(&headers(&[(header::COOKIE, "a=b; lang=en")])), Lang::En);
        assert_eq!(request_lang(&headers(&[(header::ACCEPT_LANGUAGE, "en-GB")])), Lang::En);
        assert_eq!(request_lang(&headers(&[])), Lang::Fa);
    }

}
