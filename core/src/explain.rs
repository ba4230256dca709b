//! Explain mode (the setting `debug`): for each event, the text that says why it did or did not
//! reach Pendo. Built only when the mode is on, and only in builds with the feature `explain`.
//!
//! Values from events appear here only as JSON text, shortened, for the console: they never
//! become code, URLs or HTML.

use crate::prelude::*;

use crate::actions::PendoCall;
use crate::data::{Data, Kind};
use crate::mapping::Payload;
use crate::quote::quote;
use crate::trigger::Mismatch;

/// The most characters of one value shown; the rest is cut at a character boundary, with `…`.
pub const MAX_VALUE_CHARS: usize = 300;

/// The title of an event's explanation: its type and name (`track "Order Completed"`), and for
/// identify and group calls the user or group id they carry.
///
/// ```
/// use pendo_core::explain::title;
/// use serde_json::json;
/// assert_eq!(title(&json!({"type": "track", "event": "Order Completed"})), r#"track "Order Completed""#);
/// assert_eq!(title(&json!({"type": "identify", "userId": "u1"})), r#"identify, userId "u1""#);
/// assert_eq!(title(&json!({"type": "page", "name": "Pricing"})), r#"page "Pricing""#);
/// assert_eq!(title(&json!({"event": 5})), "an event without a type");
/// ```
pub fn title<D: Data>(event: &D) -> String {
    let text = |key: &str| {
        event
            .get_key(key)
            .filter(|value| value.kind() == Kind::String)
            .and_then(|value| value.as_string())
    };
    let Some(kind) = text("type") else {
        return "an event without a type".to_owned();
    };
    let mut title = shorten(kind);
    if let Some(name) = text("event").or_else(|| text("name")) {
        title = format!("{title} {}", quote(&shorten(name)));
    }
    let id = match title.as_str() {
        "identify" => Some("userId"),
        "group" => Some("groupId"),
        _ => None,
    };
    if let Some((key, value)) = id.and_then(|key| Some((key, event.get_key(key)?.to_json()?))) {
        title = format!("{title}, {key} {}", shorten(value));
    }
    title
}

/// The line of one subscription: its action, name and trigger, and the trigger's verdict.
///
/// ```
/// use pendo_core::{actions::Action, explain::verdict, trigger::Mismatch};
/// use serde_json::{json, Value};
/// assert_eq!(
///     verdict::<Value>(Action::Track, "Orders", r#"event = "Order Completed""#, &Ok(())),
///     r#"Send Track Event, subscription "Orders" (event = "Order Completed"): matched"#
/// );
/// let failed = Err(Mismatch { condition: "properties.total > 100".into(), saw: Some(json!(80)) });
/// assert_eq!(
///     verdict(Action::Track, "Big", "properties.total > 100", &failed),
///     r#"Send Track Event, subscription "Big" (properties.total > 100): not matched, properties.total > 100 is false: it saw 80"#
/// );
/// ```
pub fn verdict<D: Data>(
    action: crate::actions::Action,
    name: &str,
    trigger: &str,
    verdict: &Result<(), Mismatch<D>>,
) -> String {
    let head = format!(
        "{}, subscription {} ({})",
        action.title(),
        quote(name),
        shorten(trigger.to_owned())
    );
    match verdict {
        Ok(()) => format!("{head}: matched"),
        Err(Mismatch { condition, saw }) => {
            let saw = match saw {
                Some(value) => format!("it saw {}", json(value)),
                None => "the field is missing".to_owned(),
            };
            format!(
                "{head}: not matched, {} is false: {saw}",
                shorten(condition.clone())
            )
        }
    }
}

/// The payload line: what the subscription's mapping produced, as JSON.
pub fn payload<D: Data>(payload: &Payload<'_, D>) -> String {
    let value = match payload {
        Payload::Fields(..) => D::new_object(payload.entries()),
        Payload::Whole(value) => value.clone(),
    };
    format!("payload {}", json(&value))
}

/// The outcome line: the call made on `window.pendo`, or why there is none.
///
/// ```
/// use pendo_core::{actions::PendoCall, explain::outcome};
/// use serde_json::{json, Value};
/// let call = Ok(PendoCall::Track(json!("Hi"), Some(json!({"a": 1}))));
/// assert_eq!(outcome(&call), r#"Pendo call: pendo.track("Hi", {"a":1})"#);
/// let skipped: Result<PendoCall<Value>, String> = Err("Send Track skipped: the event has no name".into());
/// assert_eq!(outcome(&skipped), "no Pendo call: Send Track skipped: the event has no name");
/// ```
pub fn outcome<D: Data>(outcome: &Result<PendoCall<D>, String>) -> String {
    let call = match outcome {
        Err(reason) => return format!("no Pendo call: {reason}"),
        Ok(PendoCall::Initialize(options)) => format!("initialize({})", json(options)),
        Ok(PendoCall::Identify(options)) => format!("identify({})", json(options)),
        Ok(PendoCall::Track(name, None)) => format!("track({})", json(name)),
        Ok(PendoCall::Track(name, Some(metadata))) => {
            format!("track({}, {})", json(name), json(metadata))
        }
        Ok(PendoCall::PageLoad(url)) => format!("pageLoad({})", json(url)),
    };
    format!("Pendo call: pendo.{call}")
}

/// A value as JSON text, shortened; `undefined` for what JSON cannot show.
fn json<D: Data>(value: &D) -> String {
    shorten(value.to_json().unwrap_or_else(|| "undefined".to_owned()))
}

/// `text`, cut after [`MAX_VALUE_CHARS`] characters.
fn shorten(text: String) -> String {
    match text.char_indices().nth(MAX_VALUE_CHARS) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or_default()),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_values_are_cut_at_a_character() {
        let long = "é".repeat(MAX_VALUE_CHARS + 5);
        let cut = shorten(long);
        assert_eq!(cut.chars().count(), MAX_VALUE_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(shorten("short".to_owned()), "short");
    }

    #[test]
    fn titles_never_fail_on_odd_events() {
        assert_eq!(title(&json!(null)), "an event without a type");
        assert_eq!(title(&json!({"type": 5})), "an event without a type");
        assert_eq!(
            title(&json!({"type": "group", "groupId": 7})),
            "group, groupId 7"
        );
        assert_eq!(title(&json!({"type": "track", "event": 5})), "track");
    }
}
