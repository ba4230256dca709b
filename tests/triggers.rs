//! Runs the trigger conformance table, `conformance/triggers.json`, against the event
//! representation of the target: `serde_json::Value` on the host, the page's own values (`JsData`) in the browser.
//!
//! A row is either `{"trigger", "event", "expected"}`: the trigger parses and matches the event
//! or not; or `{"trigger", "error": true}`, maybe with `"position"`: the trigger is refused
//! (at that byte offset). A `"note"` says why a row is there.

mod conformance;

use conformance::Native;
use pendo_core::data::Data;
use pendo_core::trigger::Trigger;
use serde_json::Value;

const TABLE: &str = include_str!("conformance/triggers.json");

/// Runs every row and reports all the failing ones at once, each with its index and text.
fn run_table<D: Data>() {
    conformance::run_table(TABLE, 80, check_row::<D>, |index, row, why| {
        format!("row {index}: {why}\n  {row}")
    });
}

fn check_row<D: Data>(row: &Value) -> Result<(), String> {
    let trigger = row["trigger"].as_str().ok_or("no \"trigger\" string")?;
    let parsed = Trigger::parse::<D>(trigger);
    if row["error"] == Value::Bool(true) {
        return match (parsed, row["position"].as_u64()) {
            (Ok(_), _) => Err("parsed, but should be refused".to_owned()),
            (Err(error), Some(position)) if error.position as u64 != position => Err(format!(
                "refused at {} instead of {position}: {error}",
                error.position
            )),
            (Err(_), _) => Ok(()),
        };
    }
    let expected = row["expected"].as_bool().ok_or("no \"expected\" boolean")?;
    let event = D::parse_json(&row["event"].to_string()).ok_or("the event does not convert")?;
    let trigger = parsed.map_err(|error| format!("refused: {error}"))?;
    match trigger.matches(&event) {
        matched if matched == expected => Ok(()),
        matched => Err(format!("matched {matched}, expected {expected}")),
    }
}

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn trigger_conformance() {
    run_table::<Native>()
}
