//! Send Track: `pendo.track(event, metadata)` from a Segment track.

use super::{optional_object, PendoCall};
use crate::data::Data;
use crate::mapping::Payload;

pub const KEY: &str = "track";
pub const TITLE: &str = "Send Track Event";
pub const PRESET_TRIGGER: &str = r#"type = "track""#;

/// `event` (required) from `event`, `metadata` from `properties`.
pub const DEFAULT_MAPPING: &str = r#"{
  "event": {"@path": "$.event"},
  "metadata": {"@path": "$.properties"}
}"#;

pub fn perform<D: Data>(payload: &Payload<D>) -> Result<PendoCall<D>, String> {
    let name = payload
        .get("event")
        .filter(Data::is_non_empty_text)
        .ok_or("Send Track skipped: the event has no name")?;
    let metadata = optional_object(payload, "metadata")?;
    Ok(PendoCall::Track(
        name,
        metadata.map(|m| D::copy_object(Some(&m), None, None)),
    ))
}
#[cfg(test)]
mod tests {
    use super::super::test_support::{run, settings};
    use super::super::{Action, PendoCall};
    use serde_json::json;

    #[test]
    fn name_and_properties() {
        let call = run(
            Action::Track,
            json!({"event": "Order Completed", "properties": {"total": 120}}),
            None,
            &settings(),
        );
        assert_eq!(
            call,
            Ok(PendoCall::Track(
                "Order Completed".into(),
                Some(json!({"total": 120}))
            ))
        );
        let call = run(Action::Track, json!({"event": "Ping"}), None, &settings());
        assert_eq!(call, Ok(PendoCall::Track(json!("Ping"), None)));
    }

    #[test]
    fn skips_without_a_name() {
        for event in [
            json!({}),
            json!({"event": ""}),
            json!({"event": 5}),
            json!({"event": null}),
        ] {
            assert!(run(Action::Track, event, None, &settings()).is_err());
        }
    }
}
