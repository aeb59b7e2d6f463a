//! The route table. A handler is registered only together with the area it belongs to, and the
//! guard finds a request's area in this table: a path that no route declared is refused before
//! any handler sees it. The pages (Leptos routes) and the server functions are registered by
//! Leptos; they are declared here too, and one that is not is never served.
//!
//! Architecture invariant: every route the server answers has exactly one declared area, and the
//! access-matrix test walks this table, not a copy of it.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{get, post};
use engine::access::Area;

use crate::platform::server::state::AppState;

/// How a route is reached, which is how the access-matrix test calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A page rendered by Leptos (GET).
    Page,
    /// An HTML form post answered with a redirect.
    Form,
    /// A server function (POST `/api/<name>`).
    ServerFn,
    /// A JSON or text endpoint of the public log, health or the POS API.
    Endpoint,
    /// Static files of the front end.
    Files,
}

/// One declared route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub method: Method,
    /// axum's syntax: `/admin/members/{id}`, `/pkg/{*file}`.
    pub path: String,
    pub area: Area,
    pub kind: Kind,
}

/// A feature's routes: the handlers, and what each declared.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    declared: Vec<Declared>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    fn declare(&mut self, method: Method, path: &str, area: Area, kind: Kind) {
        self.declared.push(Declared { method, path: path.to_owned(), area, kind });
    }

    /// An HTML form posted to `path`.
    pub fn form<H, T>(mut self, path: &str, area: Area, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, post(handler));
        self.declare(Method::POST, path, area, Kind::Form);
        self
    }

    /// A GET endpoint that is not a page.
    pub fn get<H, T>(mut self, path: &str, area: Area, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, get(handler));
        self.declare(Method::GET, path, area, Kind::Endpoint);
        self
    }

    /// A POST endpoint that is not a form (JSON APIs).
    pub fn post<H, T>(mut self, path: &str, area: Area, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, post(handler));
        self.declare(Method::POST, path, area, Kind::Endpoint);
        self
    }

    /// A Leptos page at `path` (Leptos syntax `:id` or axum's `{id}`).
    pub fn page(mut self, path: &str, area: Area) -> Self {
        self.declare(Method::GET, &axum_path(path), area, Kind::Page);
        self
    }

    /// The server function registered under `/api/<name>`.
    pub fn server_fn(mut self, name: &str, area: Area) -> Self {
        self.declare(Method::POST, &format!("/api/{name}"), area, Kind::ServerFn);
        self
    }

    /// Static files under `path` (`/pkg/{*file}`, `/style.css`), served by the fallback.
    pub fn files(mut self, path: &str) -> Self {
        self.declare(Method::GET, path, Area::Public, Kind::Files);
        self
    }

    /// A router made elsewhere (Swagger UI) whose GET paths are `paths`, all in `area`.
    pub fn mount(mut self, router: Router<AppState>, area: Area, paths: &[&str]) -> Self {
        self.router = self.router.merge(router);
        for path in paths {
            self.declare(Method::GET, path, area, Kind::Endpoint);
        }
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.declared.extend(other.declared);
        self
    }

    pub fn declared(&self) -> &[Declared] {
        &self.declared
    }

    /// The handlers, and the table the guard looks areas up in.
    pub fn split(self) -> (Router<AppState>, AreaTable) {
        let table = AreaTable::new(&self.declared);
        (self.router, table)
    }
}

/// Leptos writes parameters as `:id`; axum and the table as `{id}`.
fn axum_path(path: &str) -> String {
    path.split('/')
        .map(|part| match part.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Paths to areas, one lookup per method, in axum's own path syntax.
pub struct AreaTable {
    reads: matchit::Router<(Area, Kind)>,
    writes: matchit::Router<(Area, Kind)>,
    declared: Vec<Declared>,
}

impl AreaTable {
    fn new(declared: &[Declared]) -> Self {
        let mut table = Self { reads: matchit::Router::new(), writes: matchit::Router::new(), declared: declared.to_vec() };
        for route in declared {
            let side = if route.method == Method::GET { &mut table.reads } else { &mut table.writes };
            // A path declared twice keeps its first area; `conflicts` names it for the tests.
            let _ = side.insert(route.path.clone(), (route.area, route.kind));
        }
        // A server function answers GET as well as POST (the browser may use either).
        for route in declared.iter().filter(|r| r.kind == Kind::ServerFn) {
            let _ = table.reads.insert(route.path.clone(), (route.area, route.kind));
        }
        table
    }

    /// The area of a request, or `None` when no route declared its path.
    pub fn area(&self, method: &Method, path: &str) -> Option<(Area, Kind)> {
        let side = match *method {
            Method::GET | Method::HEAD => &self.reads,
            Method::OPTIONS => return self.reads.at(path).or_else(|_| self.writes.at(path)).ok().map(|m| *m.value),
            _ => &self.writes,
        };
        side.at(path).ok().map(|m| *m.value)
    }

    pub fn declared(&self) -> &[Declared] {
        &self.declared
    }

    /// The method a path is declared for when the request used another: `Allow` of a 405.
    pub fn allowed_instead(&self, method: &Method, path: &str) -> Option<Method> {
        match *method {
            Method::GET | Method::HEAD => self.writes.at(path).is_ok().then_some(Method::POST),
            _ => self.reads.at(path).is_ok().then_some(Method::GET),
        }
    }

    /// Routes declared twice with different areas, or with overlapping patterns: a mistake.
    pub fn conflicts(&self) -> Vec<String> {
        let mut reads = matchit::Router::new();
        let mut writes = matchit::Router::new();
        let mut out = Vec::new();
        for route in &self.declared {
            let side = if route.method == Method::GET { &mut reads } else { &mut writes };
            if let Err(e) = side.insert(route.path.clone(), ()) {
                out.push(format!("{} {}: {e}", route.method, route.path));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leptos_parameters_become_axum_parameters() {
        assert_eq!(axum_path("/admin/members/:id"), "/admin/members/{id}");
        assert_eq!(axum_path("/wallet"), "/wallet");
    }

    #[test]
    fn an_undeclared_path_has_no_area() {
        let routes = Routes::new().page("/wallet", Area::Member).server_fn("my_wallet", Area::Member).files("/pkg/{*file}");
        let (_, table) = routes.split();
        assert_eq!(table.area(&Method::GET, "/wallet"), Some((Area::Member, Kind::Page)));
        assert_eq!(table.area(&Method::POST, "/wallet"), None, "a page is not a form");
        assert_eq!(table.area(&Method::POST, "/api/my_wallet"), Some((Area::Member, Kind::ServerFn)));
        assert_eq!(table.area(&Method::GET, "/pkg/bashgah.js"), Some((Area::Public, Kind::Files)));
        assert_eq!(table.area(&Method::GET, "/api/other"), None);
        assert_eq!(table.area(&Method::GET, "/wallet/../admin"), None);
    }
}
