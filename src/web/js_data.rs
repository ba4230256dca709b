//! [`Data`] for the page's own values: events are read in place, property by property.

use alloc::string::String;
use alloc::vec::Vec;

use super::glue;
use super::js::{self, Array};
use pendo_core::data::{Data, Key, Kind};
use wasm_bindgen::JsValue;

/// A page value as the core reads and builds it: events are read in place, and what is built
/// for Pendo is built in the page.
#[derive(Clone, Debug, PartialEq)]
#[repr(transparent)]
pub struct JsData(pub JsValue);

impl From<JsValue> for JsData {
    fn from(value: JsValue) -> JsData {
        JsData(value)
    }
}

impl From<JsData> for JsValue {
    fn from(value: JsData) -> JsValue {
        value.0
    }
}

/// `Some` unless `value` is `undefined`: how glue.js says "absent".
fn defined(value: JsValue) -> Option<JsData> {
    (!value.is_undefined()).then_some(JsData(value))
}

/// The key's number in glue.js's table, registered the first time it is read.
fn handle(key: &Key) -> u32 {
    key.handle(glue::register_key)
}

/// The kinds in the order `glue.js`'s `kindOf` numbers them.
const KINDS: [Kind; 7] = [
    Kind::Null,
    Kind::Bool,
    Kind::Number,
    Kind::String,
    Kind::Array,
    Kind::Object,
    Kind::Other,
];

/// A key as `glue.js` takes it: its number when registered, else its name (`by_name`).
fn key_argument(key: Option<&Key>, by_name: bool) -> JsValue {
    match key {
        None => JsValue::UNDEFINED,
        Some(key) if by_name => JsValue::from_str(key.name()),
        Some(key) => JsValue::from(handle(key)),
    }
}

impl Data for JsData {
    fn kind(&self) -> Kind {
        KINDS
            .get(usize::from(glue::kind_of(&self.0)))
            .copied()
            .unwrap_or(Kind::Other)
    }

    fn get_key(&self, key: &str) -> Option<Self> {
        defined(glue::own_value(&self.0, &JsValue::from_str(key)))
    }

    fn field(&self, key: &Key) -> Option<Self> {
        match handle(key) {
            Key::NO_HANDLE => self.get_key(key.name()),
            handle => defined(glue::own_field(&self.0, handle)),
        }
    }

    fn is_text(&self, text: &Key) -> bool {
        match handle(text) {
            Key::NO_HANDLE => self.as_string().as_deref() == Some(text.name()),
            handle => glue::is_key_text(&self.0, handle),
        }
    }

    fn field_is_text(&self, key: &Key, text: &Key) -> bool {
        match (handle(key), handle(text)) {
            (Key::NO_HANDLE, _) | (_, Key::NO_HANDLE) => {
                self.field(key).is_some_and(|value| value.is_text(text))
            }
            (key, text) => glue::field_is_key_text(&self.0, key, text),
        }
    }

    fn is_non_empty_text(&self) -> bool {
        glue::is_non_empty_text(&self.0)
    }

    fn is_id(&self) -> bool {
        glue::is_id(&self.0)
    }

    fn get_index(&self, index: usize) -> Option<Self> {
        let index = u32::try_from(index).ok()?;
        defined(glue::item_at(&self.0, index))
    }

    // Arrays are read and filled by index, here and below: collecting them through iterator
    // adapters costs more code in the `.wasm`.
    fn items(&self) -> Vec<Self> {
        let array = glue::array_items(&self.0);
        let length = array.length();
        let mut items = Vec::with_capacity(length as usize);
        for index in 0..length {
            items.push(JsData(array.get(index)));
        }
        items
    }

    fn entries(&self) -> Vec<(String, Self)> {
        let flat = glue::own_entries(&self.0);
        let length = flat.length();
        let mut entries = Vec::with_capacity(length as usize / 2);
        let mut index = 0;
        while index + 1 < length {
            if let Some(key) = flat.get(index).as_string() {
                entries.push((key, JsData(flat.get(index + 1))));
            }
            index += 2;
        }
        entries
    }

    fn as_bool(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn as_f64(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn as_string(&self) -> Option<String> {
        self.0.as_string()
    }

    fn null() -> Self {
        JsData(JsValue::NULL)
    }

    fn from_bool(value: bool) -> Self {
        JsData(JsValue::from_bool(value))
    }

    fn from_f64(value: f64) -> Self {
        JsData(JsValue::from_f64(value))
    }

    fn from_str(value: &str) -> Self {
        JsData(JsValue::from_str(value))
    }

    fn new_array(items: Vec<Self>) -> Self {
        let array = Array::new();
        for (index, item) in (0u32..).zip(items) {
            array.set(index, item.0);
        }
        JsData(array.into())
    }

    fn new_object(entries: Vec<(String, Self)>) -> Self {
        let keys = Array::new();
        let values = Array::new();
        for (index, (key, value)) in (0u32..).zip(entries) {
            keys.set(index, JsValue::from_str(&key));
            values.set(index, value.0);
        }
        JsData(glue::object_from(&keys, &values))
    }

    fn object_of(entries: Vec<(&Key, Self)>) -> Self {
        let registered = entries.iter().all(|(key, _)| handle(key) != Key::NO_HANDLE);
        if !registered || entries.len() > 3 {
            let (keys, values) = (Array::new(), Array::new());
            for (index, (key, value)) in (0u32..).zip(entries) {
                keys.set(index, JsValue::from_str(key.name()));
                values.set(index, value.0);
            }
            return JsData(glue::object_from(&keys, &values));
        }
        // The objects built for Pendo per event have at most three keys: one call builds them.
        let mut slots = entries
            .into_iter()
            .map(|(key, value)| (handle(key), value.0));
        let mut next = || slots.next().unwrap_or((0, JsValue::UNDEFINED));
        let ((k1, v1), (k2, v2), (k3, v3)) = (next(), next(), next());
        JsData(glue::object_of_keys(k1, &v1, k2, &v2, k3, &v3))
    }

    fn copy_object(base: Option<&Self>, remove: Option<&Key>, set: Option<(&Key, Self)>) -> Self {
        let unregistered = |key: Option<&Key>| key.is_some_and(|key| handle(key) == Key::NO_HANDLE);
        let by_name = unregistered(remove) || unregistered(set.as_ref().map(|(key, _)| *key));
        let (set_key, set_value) = match set {
            Some((key, value)) => (key_argument(Some(key), by_name), value.0),
            None => (JsValue::UNDEFINED, JsValue::UNDEFINED),
        };
        JsData(glue::copy_object(
            base.map_or(&JsValue::UNDEFINED, |base| &base.0),
            &key_argument(remove, by_name),
            &set_key,
            &set_value,
            by_name,
        ))
    }

    fn to_json(&self) -> Option<String> {
        glue::to_json(&self.0).as_string()
    }

    fn parse_json(text: &str) -> Option<Self> {
        let boxed = glue::parse_json(text);
        if boxed.is_undefined() {
            return None;
        }
        Some(JsData(glue::own_value(&boxed, &JsValue::from_str("value"))))
    }

    fn number_to_string(n: f64) -> String {
        glue::number_to_string(n)
    }

    fn change_case(&self, upper: bool) -> Option<Self> {
        defined(glue::change_case(&self.0, upper))
    }

    fn fold_case(text: &str) -> String {
        glue::fold_case(text)
    }

    fn trim(text: &str) -> String {
        glue::trim_text(text)
    }

    fn parse_number(literal: &str) -> f64 {
        js::parse_float(literal)
    }

    fn text_to_number(text: &str) -> f64 {
        js::number_of_text(text)
    }

    fn is_letter(c: char, or_number: bool) -> bool {
        if c.is_ascii() {
            c.is_ascii_alphabetic() || (or_number && c.is_ascii_digit())
        } else {
            js::is_letter(c.encode_utf8(&mut [0; 4]), or_number)
        }
    }
}
