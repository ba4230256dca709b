//! [`Data`] for the page's own values: events are read in place, property by property.

use super::glue;
use super::js::Array;
use crate::data::{Data, Key, Kind};
use wasm_bindgen::{JsCast, JsValue};

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
        Some(key) => JsValue::from(key.handle()),
    }
}

impl Data for JsValue {
    fn kind(&self) -> Kind {
        KINDS
            .get(usize::from(glue::kind_of(self)))
            .copied()
            .unwrap_or(Kind::Other)
    }

    fn get_key(&self, key: &str) -> Option<Self> {
        let value = glue::own_value(self, &JsValue::from_str(key));
        (!value.is_undefined()).then_some(value)
    }

    fn field(&self, key: &Key) -> Option<Self> {
        if key.handle() == Key::NO_HANDLE {
            return self.get_key(key.name());
        }
        let value = glue::own_field(self, key.handle());
        (!value.is_undefined()).then_some(value)
    }

    fn is_text(&self, text: &Key) -> bool {
        if text.handle() == Key::NO_HANDLE {
            return self.as_string().as_deref() == Some(text.name());
        }
        glue::is_key_text(self, text.handle())
    }

    fn is_non_empty_text(&self) -> bool {
        glue::is_non_empty_text(self)
    }

    fn is_id(&self) -> bool {
        glue::is_id(self)
    }

    fn get_index(&self, index: usize) -> Option<Self> {
        let index = u32::try_from(index).ok()?;
        let value = glue::item_at(self, index);
        (!value.is_undefined()).then_some(value)
    }

    fn items(&self) -> Vec<Self> {
        glue::array_items(self).iter().collect()
    }

    fn entries(&self) -> Vec<(String, Self)> {
        if !self.is_object() {
            return Vec::new();
        }
        let pair = glue::own_entries(self);
        let keys: Array = pair.get(0).unchecked_into();
        let values: Array = pair.get(1).unchecked_into();
        keys.iter()
            .zip(values.iter())
            .filter_map(|(key, value)| Some((key.as_string()?, value)))
            .collect()
    }

    fn as_bool(&self) -> Option<bool> {
        JsValue::as_bool(self)
    }

    fn as_f64(&self) -> Option<f64> {
        JsValue::as_f64(self)
    }

    fn as_string(&self) -> Option<String> {
        JsValue::as_string(self)
    }

    fn null() -> Self {
        JsValue::NULL
    }

    fn from_bool(value: bool) -> Self {
        JsValue::from_bool(value)
    }

    fn from_f64(value: f64) -> Self {
        JsValue::from_f64(value)
    }

    fn from_str(value: &str) -> Self {
        JsValue::from_str(value)
    }

    fn new_array(items: Vec<Self>) -> Self {
        items.into_iter().collect::<Array>().into()
    }

    fn new_object(entries: Vec<(String, Self)>) -> Self {
        let keys = Array::new();
        let values = Array::new();
        for (index, (key, value)) in (0u32..).zip(entries) {
            keys.set(index, JsValue::from_str(&key));
            values.set(index, value);
        }
        glue::object_from(&keys, &values)
    }

    fn object_of(entries: Vec<(&Key, Self)>) -> Self {
        let registered = entries
            .iter()
            .all(|(key, _)| key.handle() != Key::NO_HANDLE);
        if !registered || entries.len() > 3 {
            return Self::new_object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key.name().to_owned(), value))
                    .collect(),
            );
        }
        // The objects built for Pendo per event have at most three keys: one call builds them.
        let mut slots = entries
            .into_iter()
            .map(|(key, value)| (key.handle(), value));
        let mut next = || slots.next().unwrap_or((0, JsValue::UNDEFINED));
        let ((k1, v1), (k2, v2), (k3, v3)) = (next(), next(), next());
        glue::object_of_keys(k1, &v1, k2, &v2, k3, &v3)
    }

    fn copy_object(base: Option<&Self>, remove: Option<&Key>, set: Option<(&Key, Self)>) -> Self {
        let unregistered =
            |key: Option<&Key>| key.is_some_and(|key| key.handle() == Key::NO_HANDLE);
        let by_name = unregistered(remove) || unregistered(set.as_ref().map(|(key, _)| *key));
        let (set_key, set_value) = match set {
            Some((key, value)) => (key_argument(Some(key), by_name), value),
            None => (JsValue::UNDEFINED, JsValue::UNDEFINED),
        };
        glue::copy_object(
            base.unwrap_or(&JsValue::UNDEFINED),
            &key_argument(remove, by_name),
            &set_key,
            &set_value,
            by_name,
        )
    }

    fn to_json(&self) -> Option<String> {
        glue::to_json(self).as_string()
    }

    fn parse_json(text: &str) -> Option<Self> {
        let boxed = glue::parse_json(text);
        if boxed.is_undefined() {
            return None;
        }
        Some(glue::own_value(&boxed, &JsValue::from_str("value")))
    }

    fn number_to_string(n: f64) -> String {
        glue::number_to_string(n)
    }

    fn change_case(&self, upper: bool) -> Option<Self> {
        let changed = glue::change_case(self, upper);
        (!changed.is_undefined()).then_some(changed)
    }

    fn fold_case(text: &str) -> String {
        glue::fold_case(text)
    }
}
