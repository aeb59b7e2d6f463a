//! Extractors that prove who is calling: a handler that takes `Entered<Admin>` cannot run for
//! anyone who may not enter the admin area, whatever the route table says. The guard checks the
//! route's area first; this is the second, independent check at the handler itself.

use std::marker::PhantomData;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;
use engine::access::{Area, may_enter};

use crate::platform::server::guard::{RequestViewer, error_response};
use crate::platform::server::store::Account;
use crate::platform::error::ErrorCode;
use crate::platform::i18n::Lang;

/// An area a handler can demand.
pub trait AreaMark: Send + Sync + 'static {
    const AREA: Area;
}

macro_rules! marks {
    ($($name:ident => $area:expr),* $(,)?) => {
        $(
            #[derive(Debug)]
            pub struct $name;
            impl AreaMark for $name {
                const AREA: Area = $area;
            }
        )*
    };
}

marks! {
    SignedIn => Area::Account,
    Member => Area::Member,
    Till => Area::Till,
    Partner => Area::Partner,
    Admin => Area::Admin,
}

/// The signed-in account, proven to be allowed into `A`'s area.
pub struct Entered<A: AreaMark> {
    pub account: Arc<Account>,
    area: PhantomData<A>,
}

impl<A: AreaMark, S: Send + Sync> FromRequestParts<S> for Entered<A> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        let viewer = parts.extensions.get::<RequestViewer>().and_then(|v| v.0.clone());
        match viewer {
            Some(account) if may_enter(Some(account.roles), A::AREA) => Ok(Self { account, area: PhantomData }),
            Some(_) => Err(error_response(ErrorCode::Forbidden, lang, parts.uri.path())),
            None => Err(error_response(ErrorCode::NotSignedIn, lang, parts.uri.path())),
        }
    }
}
