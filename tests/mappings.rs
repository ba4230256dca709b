//! The mapping conformance table (`tests/conformance/mappings.json`), run through the same
//! code on the host (`serde_json::Value`) and in the browser (`JsData`, the page's own values).
//!
//! Each row is `{"name", "mapping", "event", "expected"}`, where a missing `expected` means the
//! value is undefined, `{"name", "mapping", "event", "thrown": true}` for a mapping whose
//! evaluation fails for that event (where Segment's `transform` throws), or `{"name",
//! "mapping", "error": true}` for a mapping that must be refused when parsed. The same table
//! runs through Segment's own library (`tests/differential/conformance.test.mjs`): a row whose
//! outcome differs from Segment's names the documented divergence in `divergence`.

mod conformance;

use conformance::Native;
use pendo_core::data::Data;
use pendo_core::mapping::Mapping;
use serde_json::{json, Value};

const TABLE: &str = include_str!("conformance/mappings.json");

/// The table must keep covering every directive with several rows.
const MIN_ROWS: usize = 80;

/// Runs every row and reports all the failing ones at once, each by its name.
fn run_table<D: Data>() {
    conformance::run_table(TABLE, MIN_ROWS, run_row::<D>, |index, row, why| {
        let name = row
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| format!("row {index}"), str::to_owned);
        format!("- {name}: {why}")
    });
}

fn run_row<D: Data>(row: &Value) -> Result<(), String> {
    let mapping = row.get("mapping").ok_or("the row has no mapping")?;
    let mapping = to_data::<D>(&json!({ "f": mapping }))?;
    let parsed = Mapping::parse(&mapping);
    if row.get("error") == Some(&Value::Bool(true)) {
        return match parsed {
            Ok(_) => Err("the mapping was accepted, but should be refused".to_owned()),
            Err(_) => Ok(()),
        };
    }
    let parsed = parsed.map_err(|error| format!("the mapping was refused: {error}"))?;
    let event = to_data::<D>(row.get("event").unwrap_or(&json!({})))?;
    let thrown = row.get("thrown") == Some(&Value::Bool(true));
    let actual = match parsed.evaluate("f", &event) {
        Err(_) if thrown => return Ok(()),
        Err(error) => return Err(format!("the evaluation failed: {error}")),
        Ok(_) if thrown => return Err("the evaluation should fail for this event".to_owned()),
        Ok(None) => None,
        Ok(Some(value)) => {
            let text = value
                .to_json()
                .ok_or("the result cannot be written as JSON")?;
            Some(
                serde_json::from_str::<Value>(&text)
                    .map_err(|error| format!("the result's JSON does not read back: {error}"))?,
            )
        }
    };
    let expected = row.get("expected");
    if actual.as_ref() == expected {
        Ok(())
    } else {
        let show =
            |value: Option<&Value>| value.map_or_else(|| "undefined".to_owned(), Value::to_string);
        Err(format!(
            "expected {}, got {}",
            show(expected),
            show(actual.as_ref())
        ))
    }
}

fn to_data<D: Data>(value: &Value) -> Result<D, String> {
    D::parse_json(&value.to_string()).ok_or_else(|| format!("cannot build {value}"))
}

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn mapping_conformance() {
    run_table::<Native>()
}
