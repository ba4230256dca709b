//! Entry points for the differential tests only (cargo feature `differential`, never shipped):
//! one trigger or one mapping evaluated on one event, exactly as the plugins evaluate them.

use alloc::string::ToString;
use alloc::vec::Vec;

use super::{glue, JsData};
use pendo_core::mapping::{Mapping, Payload, Thrown};
use pendo_core::trigger::Trigger;
use wasm_bindgen::prelude::*;

/// `{ok: true, matched}` for a trigger that parses, `{ok: false, error}` for one refused.
#[wasm_bindgen(js_name = triggerVerdict)]
pub fn trigger_verdict(text: &str, event: &JsValue) -> JsValue {
    match Trigger::parse::<JsData>(text) {
        Ok(trigger) => outcome(
            true,
            JsValue::from_bool(trigger.matches(&JsData(event.clone()))),
        ),
        Err(error) => outcome(false, JsValue::from_str(&error.to_string())),
    }
}

/// `{ok: true, value}` (no `value` key when it is undefined) for the mapping `{f: mapping}`'s
/// field `f`, `{ok: true, thrown}` when evaluating it fails for this event (where Segment's
/// `transform` throws), `{ok: false, error}` when the mapping is refused.
#[wasm_bindgen(js_name = mappingResult)]
pub fn mapping_result(mapping: &JsValue, event: &JsValue) -> JsValue {
    let whole = glue::object_from(
        &[JsValue::from_str("f")].into_iter().collect(),
        &[mapping.clone()].into_iter().collect(),
    );
    match Mapping::parse(&JsData(whole)) {
        Ok(parsed) => match parsed.payload(&JsData(event.clone())) {
            Ok(payload) => outcome(
                true,
                payload.get("f").map_or(JsValue::UNDEFINED, JsValue::from),
            ),
            Err(thrown) => thrown_outcome(&thrown),
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

/// [`mapping_result`] for a whole subscription mapping: `{ok: true, value}` with the payload
/// (an object of the defined fields, or the value of a single-directive mapping).
#[wasm_bindgen(js_name = payloadResult)]
pub fn payload_result(mapping: &JsValue, event: &JsValue) -> JsValue {
    match Mapping::parse(&JsData(mapping.clone())) {
        Ok(parsed) => match parsed.payload(&JsData(event.clone())) {
            Ok(Payload::Whole(value)) => outcome(true, value.0),
            Ok(payload @ Payload::Fields(..)) => {
                let (keys, values): (Vec<_>, Vec<_>) = payload
                    .entries()
                    .into_iter()
                    .map(|(key, value)| (JsValue::from_str(&key), value.0))
                    .unzip();
                let object =
                    glue::object_from(&keys.into_iter().collect(), &values.into_iter().collect());
                outcome(true, object)
            }
            Err(thrown) => thrown_outcome(&thrown),
        },
        Err(error) => outcome(false, JsValue::from_str(&error.to_string())),
    }
}

fn thrown_outcome(thrown: &Thrown) -> JsValue {
    let keys: super::js::Array = ["ok", "thrown"].map(JsValue::from).into_iter().collect();
    let values: super::js::Array = [JsValue::TRUE, JsValue::from_str(&thrown.to_string())]
        .into_iter()
        .collect();
    glue::object_from(&keys, &values)
}
