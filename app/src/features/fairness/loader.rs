//! Fetches `/pkg/verifier.js` (and its wasm) once, on first use, and calls its `verify_bundle`.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = "
let loading;
export function load_verifier() {
  if (!loading) {
    loading = import('/pkg/verifier.js').then(async (m) => { await m.default(); return m; });
    loading.catch(() => { loading = undefined; });
  }
  return loading;
}
")]
extern "C" {
    fn load_verifier() -> js_sys::Promise;
}

/// Starts loading the module, so that it is there by the time a visitor asks.
pub fn preload() {
    let _ = load_verifier();
}

/// The verifier's JSON answer for `bundle` with `key` pinned (or empty).
pub async fn verify(bundle: &str, key: &str) -> Result<String, String> {
    let module = JsFuture::from(load_verifier()).await.map_err(|e| format!("cannot load the verifier: {e:?}"))?;
    let function = js_sys::Reflect::get(&module, &JsValue::from_str("verify_bundle"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("the verifier has no verify_bundle")?;
    let answer = function
        .call2(&JsValue::NULL, &JsValue::from_str(bundle), &JsValue::from_str(key))
        .map_err(|e| format!("the verifier failed: {e:?}"))?;
    answer.as_string().ok_or_else(|| "the verifier answered no text".to_owned())
}
