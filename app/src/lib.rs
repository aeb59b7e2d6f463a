//! bashgah's web app: the Leptos UI (compiled for the server and for the browser) and, behind
//! the `ssr` feature, the server.

pub mod api;
pub mod i18n;
mod i18n_wheel;
pub mod ui;
pub mod verify_text;

#[cfg(feature = "hydrate")]
mod draw_timing;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(ui::App);
    // A marker the browser tests wait for: the page is live, not just rendered.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
