//! The subscription language: triggers such as `type = "track" and event = "Order Completed"`.
//!
//! A trigger is parsed once, when the plugins are created, into a [`Trigger`]; matching an
//! event only walks the parsed tree.

use crate::data::Data;
use std::fmt;

/// Why a trigger was refused: the trigger text, where it fails and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerError {
    pub trigger: String,
    /// Byte offset into the trigger where parsing failed.
    pub position: usize,
    pub message: String,
}

impl fmt::Display for TriggerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot parse trigger {:?} at position {}: {}",
            self.trigger, self.position, self.message
        )
    }
}

/// A parsed trigger.
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    event_type: String,
}

impl Trigger {
    /// Parses a trigger. (Only `type = "..."` for now.)
    pub fn parse(text: &str) -> Result<Self, TriggerError> {
        let fail = |position: usize, message: &str| TriggerError {
            trigger: text.to_owned(),
            position,
            message: message.to_owned(),
        };
        let rest = text
            .trim()
            .strip_prefix("type")
            .ok_or_else(|| fail(0, "expected a field"))?;
        let rest = rest
            .trim_start()
            .strip_prefix('=')
            .ok_or_else(|| fail(4, "expected ="))?
            .trim();
        let value = rest
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .ok_or_else(|| fail(6, "expected a quoted string"))?;
        Ok(Trigger {
            event_type: value.to_owned(),
        })
    }

    /// Whether `event` matches this trigger.
    pub fn matches<D: Data>(&self, event: &D) -> bool {
        event
            .get_key("type")
            .and_then(|t| t.as_string())
            .is_some_and(|t| t == self.event_type)
    }
}
