//! The member's client seed, made in the browser: 32 bytes from `crypto.getRandomValues`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "
export function random_seed_hex() {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
")]
extern "C" {
    pub fn random_seed_hex() -> String;
}
