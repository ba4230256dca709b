//! [`Data`] for the page's own values: events are read in place, property by property.

use super::glue;
use crate::data::{Data, Kind};
use super::js::Array;
use wasm_bindgen::{JsCast, JsValue};

impl Data for JsValue {
    fn kind(&self) -> Kind {
        if self.is_null() || self.is_undefined() {
            Kind::Null
        } else if self.as_bool().is_some() {
            Kind::Bool
        } else if self.as_f64().is_some() {
            Kind::Number
        } else if self.is_string() {
            Kind::String
        } else if Array::is_array(self) {
            Kind::Array
        } else if self.is_object() && !self.is_function() {
            Kind::Object
        } else {
            Kind::Other
        }
    }

    fn get_key(&self, key: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        let value = glue::own_value(self, &JsValue::from_str(wasm_bindgen::intern(key)));
        (!value.is_undefined()).then_some(value)
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
        let keys = Array::new_with_length(entries.len() as u32);
        let values = Array::new_with_length(entries.len() as u32);
        for (index, (key, value)) in entries.into_iter().enumerate() {
            keys.set(index as u32, JsValue::from_str(wasm_bindgen::intern(&key)));
            values.set(index as u32, value);
        }
        glue::object_from(&keys, &values)
    }

    fn copy_object(base: Option<&Self>, remove: Option<&str>, set: Option<(&str, Self)>) -> Self {
        let remove = remove.map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED);
        let (set_key, set_value) = match set {
            Some((key, value)) => (JsValue::from_str(wasm_bindgen::intern(key)), value),
            None => (JsValue::UNDEFINED, JsValue::UNDEFINED),
        };
        glue::copy_object(
            base.unwrap_or(&JsValue::UNDEFINED),
            &remove,
            &set_key,
            &set_value,
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
