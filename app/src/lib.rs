//! bashgah's web app. `platform` is what every feature stands on (configuration, storage core,
//! sessions, the guard and route table, the i18n and error cores, the page shell); `features`
//! holds one folder per feature with its routes and areas, server functions, pages, texts and,
//! behind the `ssr` feature, its services, forms and store.

pub mod features;
pub mod platform;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(platform::ui::App);
    // A marker the browser tests wait for: the page is live, not just rendered.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
