//! How an action is declared: its key and title, its preset trigger, and its fields, each
//! declared once (key, label, type, whether it is required, default mapping), as Segment's
//! destinations declare theirs. The preset mapping, the checks made before `perform`, the
//! README's field tables and the TypeScript declarations all come from, or are tested against,
//! these declarations.

use crate::prelude::*;

use super::{id_value, visitor_id};
use crate::data::{Data, Kind};
use crate::mapping::Payload;

/// One action, declared.
#[derive(Debug)]
pub struct Definition {
    /// The `partnerAction` key Segment uses in subscriptions.
    pub key: &'static str,
    /// The action's name in Segment's UI.
    pub title: &'static str,
    /// The trigger of the action's preset subscription, for the actions that have one.
    pub preset_trigger: Option<&'static str>,
    /// The action's fields, in declared order.
    pub fields: &'static [Field],
}

/// One field of an action.
#[derive(Debug)]
pub struct Field {
    /// The key in the subscription's mapping.
    pub key: &'static str,
    /// The field's name in Segment's UI (feature `labels`).
    #[cfg(feature = "labels")]
    pub label: &'static str,
    /// What the field must hold.
    pub kind: FieldKind,
    /// What the console says when a required field is missing; `None` for an optional field.
    pub missing: Option<&'static str>,
    /// The field's default mapping, as mapping JSON.
    pub default: &'static str,
}

/// What a field holds, checked before `perform` runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A non-empty string; anything else counts as missing.
    Text,
    /// An id: a non-empty string or a finite number; anything else counts as missing.
    Id,
    /// A visitor id: an id, else `_PENDO_T_` + the event's anonymous id.
    VisitorId,
    /// An object; `null` counts as missing, any other value is refused.
    Object,
}

impl FieldKind {
    /// The type Segment's UI and the TypeScript declarations give the field.
    pub fn type_name(self) -> &'static str {
        match self {
            FieldKind::Text | FieldKind::Id | FieldKind::VisitorId => "string",
            FieldKind::Object => "object",
        }
    }
}

/// A required field's value from [`Definition::read`], which has checked that it is there.
pub fn required<D>(value: Option<D>) -> Result<D, String> {
    value.ok_or_else(|| String::from("skipped: a required field is missing"))
}

impl Field {
    /// Whether the event is skipped without this field (it has a `missing` message).
    pub fn required(&self) -> bool {
        self.missing.is_some()
    }
}

impl Definition {
    /// The preset's mapping: each field's default, in declared order.
    ///
    /// ```
    /// use pendo_core::actions::track;
    /// assert_eq!(
    ///     track::DEFINITION.default_mapping(),
    ///     r#"{"event":{"@path": "$.event"},"metadata":{"@path": "$.properties"}}"#
    /// );
    /// ```
    pub fn default_mapping(&self) -> String {
        let mut mapping = String::from("{");
        for (index, field) in self.fields.iter().enumerate() {
            if index > 0 {
                mapping.push(',');
            }
            mapping.push('"');
            mapping.push_str(field.key);
            mapping.push_str("\":");
            mapping.push_str(field.default);
        }
        mapping.push('}');
        mapping
    }

    /// Fills `values` with the mapped values of the declared fields, in declared order, each
    /// checked against its kind (`values` has one slot per field). `Err` says why the event is
    /// skipped: a required field missing, or a field of the wrong type.
    pub fn read<D: Data>(
        &self,
        payload: &Payload<D>,
        event: &D,
        values: &mut [Option<D>],
    ) -> Result<(), String> {
        debug_assert_eq!(
            values.len(),
            self.fields.len(),
            "{} reads all its fields",
            self.key
        );
        for (slot, field) in values.iter_mut().zip(self.fields) {
            let mapped = payload.get(field.key);
            let value = match field.kind {
                FieldKind::Text => mapped.filter(Data::is_non_empty_text),
                FieldKind::Id => id_value(mapped),
                FieldKind::VisitorId => visitor_id(mapped, event),
                FieldKind::Object => match mapped {
                    Some(value) if value.is_object() => Some(value),
                    Some(value) if value.kind() != Kind::Null => {
                        return Err(crate::concat(&[
                            "field \"",
                            field.key,
                            "\" must be an object",
                        ]))
                    }
                    _ => None,
                },
            };
            if let (None, Some(missing)) = (&value, field.missing) {
                return Err(missing.to_owned());
            }
            *slot = value;
        }
        Ok(())
    }
}
