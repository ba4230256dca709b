//! What the runners of the conformance tables (`tests/mappings.rs`, `tests/triggers.rs`) share:
//! the event representation of the target, and running every row of a table.

use serde_json::Value;

/// The event representation of the target: `serde_json::Value` on the host, the page's own
/// values (`JsData`) in the browser.
#[cfg(not(target_arch = "wasm32"))]
pub type Native = serde_json::Value;
#[cfg(target_arch = "wasm32")]
pub type Native = pendo_wasm::web::JsData;

/// Runs `check` on every row of `table` (a JSON array, of `min_rows` rows at least) and reports
/// all the failing ones at once, each as `label(index, row, why)`.
pub fn run_table(
    table: &str,
    min_rows: usize,
    check: impl Fn(&Value) -> Result<(), String>,
    label: impl Fn(usize, &Value, String) -> String,
) {
    let rows: Vec<Value> = match serde_json::from_str(table) {
        Ok(rows) => rows,
        Err(error) => panic!("the conformance table is not a JSON array: {error}"),
    };
    assert!(
        rows.len() >= min_rows,
        "the table has {} rows, fewer than {min_rows}",
        rows.len()
    );
    let failures: Vec<String> = rows
        .iter()
        .enumerate()
        .filter_map(|(index, row)| check(row).err().map(|why| label(index, row, why)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
