//! The few JavaScript built-ins the crate calls, bound directly.
//!
//! js-sys and web-sys bind all of JavaScript and the DOM: linking them puts a descriptor for
//! each of their bindings into the build, and the closure shims those descriptors name stay in
//! the `.wasm` after wasm-bindgen has dropped the descriptors. The crate needs an `Array`, the
//! console, `parseFloat` and a Unicode property test; page work (the agent's `<script>`, timers) is in `glue.js`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A JavaScript array.
    #[derive(Clone, Debug)]
    pub type Array;

    #[wasm_bindgen(constructor)]
    pub fn new() -> Array;

    #[wasm_bindgen(constructor)]
    pub fn new_with_length(length: u32) -> Array;

    #[wasm_bindgen(static_method_of = Array, js_name = isArray)]
    pub fn is_array(value: &JsValue) -> bool;

    #[wasm_bindgen(method, getter)]
    pub fn length(this: &Array) -> u32;

    #[wasm_bindgen(method, indexing_getter)]
    pub fn get(this: &Array, index: u32) -> JsValue;

    #[wasm_bindgen(method, indexing_setter)]
    pub fn set(this: &Array, index: u32, value: JsValue);

    #[wasm_bindgen(method)]
    pub fn push(this: &Array, value: &JsValue) -> u32;

    #[wasm_bindgen(js_namespace = console)]
    pub fn warn(message: &str);

    #[wasm_bindgen(js_namespace = console)]
    pub fn error(message: &str);

    #[wasm_bindgen(js_name = parseFloat)]
    pub fn parse_float(text: &str) -> f64;

    /// `Number(text)`, which never throws for a string.
    #[wasm_bindgen(js_name = Number)]
    pub fn number_of_text(text: &str) -> f64;
}

impl Array {
    /// `[a]`
    pub fn of1(a: &JsValue) -> Array {
        Array::of(&[a])
    }

    /// `[a, b]`
    pub fn of2(a: &JsValue, b: &JsValue) -> Array {
        Array::of(&[a, b])
    }

    fn of(items: &[&JsValue]) -> Array {
        let array = Array::new();
        for item in items {
            array.push(item);
        }
        array
    }

    /// The items, read one by one.
    pub fn iter(&self) -> impl Iterator<Item = JsValue> + '_ {
        (0..self.length()).map(move |index| self.get(index))
    }
}

impl FromIterator<JsValue> for Array {
    fn from_iter<I: IntoIterator<Item = JsValue>>(items: I) -> Self {
        let array = Array::new();
        for item in items {
            array.push(&item);
        }
        array
    }
}

#[wasm_bindgen(module = "/src/web/glue.js")]
extern "C" {
    /// Whether one character is `\p{Alphabetic}` (or `\p{N}` too, with `or_number`).
    #[wasm_bindgen(js_name = isLetter)]
    pub fn is_letter(character: &str, or_number: bool) -> bool;
}
