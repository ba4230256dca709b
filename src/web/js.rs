//! The JavaScript built-ins the crate uses: `js-sys`'s `Array`, and the few built-ins that
//! `glue.js` took when it loaded, so that the page's own patches cannot reach them.
//!
//! `js-sys` for `Array` costs 1,300 bytes raw / 0.65 KB gzip on the `.wasm` over the minimal
//! hand-written binding it replaced (measured on this build).
//!
//! Arrays are made as literals by `glue.js` and filled by index, never with `new Array` or
//! `push`: the page may have replaced the global `Array` or `Array.prototype.push`.

use wasm_bindgen::prelude::*;

pub use js_sys::Array;

#[wasm_bindgen(module = "/src/web/glue.js")]
extern "C" {
    /// `[]`, a literal (see the module's header).
    #[wasm_bindgen(js_name = newArray)]
    fn new_array() -> Array;

    /// Whether one character is `\p{Alphabetic}` (or `\p{N}` too, with `or_number`): a
    /// regular expression compiled once, which `js-sys` would compile per call.
    #[wasm_bindgen(js_name = isLetter)]
    pub fn is_letter(character: &str, or_number: bool) -> bool;

    /// JavaScript's `parseFloat` as it was when `glue.js` loaded: `js_sys::parse_float` looks
    /// up the global at each call, and a page may replace it.
    #[wasm_bindgen(js_name = parseNumber)]
    pub fn parse_float(text: &str) -> f64;

    /// `Number(text)`, as `+text`: `js_sys::Number` calls the global `Number`, which a page may
    /// replace.
    #[wasm_bindgen(js_name = numberOfText)]
    pub fn number_of_text(text: &str) -> f64;
}

/// An array of `items`, filled by index (see the module's header).
pub fn array_of(items: impl IntoIterator<Item = JsValue>) -> Array {
    let array = new_array();
    for (index, item) in (0u32..).zip(items) {
        array.set(index, item);
    }
    array
}

