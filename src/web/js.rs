//! The few JavaScript values and built-ins the crate uses, bound directly or through `glue.js`.
//!
//! js-sys and web-sys bind all of JavaScript and the DOM: linking them puts a descriptor for
//! each of their bindings into the build, and the closure shims those descriptors name stay in
//! the `.wasm` after wasm-bindgen has dropped the descriptors. The crate needs an `Array`,
//! `parseFloat`, `Number` and a Unicode property test; page work (the agent's `<script>`, timers, the
//! console) is in `glue.js`.
//!
//! Nothing here calls a method through a prototype at call time: the page may have replaced
//! `Array.prototype.push` or the global `Array`, so arrays are made by `glue.js` as literals
//! and filled by index, and `parseFloat` is the one `glue.js` took when it loaded.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A JavaScript array.
    #[derive(Clone, Debug)]
    pub type Array;

    #[wasm_bindgen(method, getter)]
    pub fn length(this: &Array) -> u32;

    #[wasm_bindgen(method, indexing_getter)]
    pub fn get(this: &Array, index: u32) -> JsValue;

    #[wasm_bindgen(method, indexing_setter)]
    pub fn set(this: &Array, index: u32, value: JsValue);
}

#[wasm_bindgen(module = "/src/web/glue.js")]
extern "C" {
    /// `[]`.
    #[wasm_bindgen(js_name = newArray)]
    fn new_array() -> Array;

    /// Whether one character is `\p{Alphabetic}` (or `\p{N}` too, with `or_number`).
    #[wasm_bindgen(js_name = isLetter)]
    pub fn is_letter(character: &str, or_number: bool) -> bool;

    /// JavaScript's `parseFloat`, as it was when the page glue loaded.
    #[wasm_bindgen(js_name = parseNumber)]
    pub fn parse_float(text: &str) -> f64;

    /// `Number(text)`, which never throws for a string (as `+text`: the page may have
    /// replaced the global `Number`).
    #[wasm_bindgen(js_name = numberOfText)]
    pub fn number_of_text(text: &str) -> f64;
}

impl Array {
    /// `[]`
    pub fn new() -> Array {
        new_array()
    }

    /// The items, read one by one.
    pub fn iter(&self) -> impl Iterator<Item = JsValue> + '_ {
        (0..self.length()).map(move |index| self.get(index))
    }
}

impl Default for Array {
    fn default() -> Self {
        Array::new()
    }
}

impl FromIterator<JsValue> for Array {
    fn from_iter<I: IntoIterator<Item = JsValue>>(items: I) -> Self {
        let array = Array::new();
        for (index, item) in (0u32..).zip(items) {
            array.set(index, item);
        }
        array
    }
}
