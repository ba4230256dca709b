//! Send Track: `pendo.track(event, metadata)` from a Segment track.

use crate::prelude::*;

use super::definition::{required, Definition, Field, FieldKind};
use super::PendoCall;
use crate::data::Data;
use crate::mapping::Payload;

/// Send Track, declared: key, title, preset trigger and fields.
pub static DEFINITION: Definition = Definition {
    key: "track",
    title: "Send Track Event",
    preset_trigger: Some(r#"type = "track""#),
    fields: &[
        Field {
            key: "event",
            #[cfg(feature = "labels")]
            label: "Event name",
            kind: FieldKind::Text,
            missing: Some("Send Track skipped: the event has no name"),
            default: r#"{"@path": "$.event"}"#,
        },
        Field {
            key: "metadata",
            #[cfg(feature = "labels")]
            label: "Metadata",
            kind: FieldKind::Object,
            missing: None,
            default: r#"{"@path": "$.properties"}"#,
        },
    ],
};

/// What `perform` receives: the fields, checked.
pub struct Track<D> {
    /// The Pendo event name (the Segment event's name, by default).
    pub event: D,
    /// The event metadata (the event's properties, by default).
    pub metadata: Option<D>,
}

impl<D: Data> Track<D> {
    /// The checked fields of `payload`; `Err` says why the event is skipped.
    pub fn read(payload: &Payload<D>, event: &D) -> Result<Self, String> {
        let mut values = [None, None];
        DEFINITION.read(payload, event, &mut values)?;
        let [name, metadata] = values;
        let event = required(name)?;
        Ok(Track { event, metadata })
    }
}

/// `pendo.track(event, metadata)`, the metadata copied into a fresh plain object.
pub fn perform<D: Data>(track: Track<D>) -> PendoCall<D> {
    let metadata = track.metadata.map(|m| D::copy_object(Some(&m), None, None));
    PendoCall::Track(track.event, metadata)
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
