//! Entry points for the differential tests only (cargo feature `differential`, never shipped):
//! one trigger or one mapping evaluated on one event, exactly as the plugins evaluate them.

use super::glue;
use crate::mapping::Mapping;
use crate::trigger::Trigger;
use wasm_bindgen::prelude::*;

/// `{ok: true, matched}` for a trigger that parses, `{ok: false, error}` for one refused.
#[wasm_bindgen(js_name = triggerVerdict)]
pub fn trigger_verdict(text: &str, event: &JsValue) -> JsValue {
    match Trigger::parse(text) {
        Ok(trigger) => outcome(true, JsValue::from_bool(trigger.matches(event))),
        Err(error) => outcome(false, JsValue::from_str(&error.to_string())),
    }
}

/// `{ok: true, value}` (no `value` key when it is undefined) for the mapping `{f: mapping}`'s
/// field `f`, `{ok: false, error}` when the mapping is refused.
#[wasm_bindgen(js_name = mappingResult)]
pub fn mapping_result(mapping: &JsValue, event: &JsValue) -> JsValue {
    let whole = glue::object_from(
        &[JsValue::from_str("f")].into_iter().collect(),
        &[mapping.clone()].into_iter().collect(),
    );
    match Mapping::parse(&whole) {
        Ok(parsed) => match parsed.evaluate("f", event) {
            Some(value) => outcome(true, value),
            None => outcome(true, JsValue::UNDEFINED),
        },
        Err(error) => outcome(false, JsValue::from_str(&error.to_string())),
    }
}

fn outcome(ok: bool, value: JsValue) -> JsValue {
    let key = if ok { "value" } else { "error" };
    let keys: super::js::Array = ["ok", key].map(JsValue::from).into_iter().collect();
    let values: super::js::Array = [JsValue::from_bool(ok), value].into_iter().collect();
    glue::object_from(&keys, &values)
}
