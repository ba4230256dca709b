//! The SDKs that hand events to the destination: Segment's analytics.js, and (feature
//! `rudderstack`) RudderStack's JavaScript SDK. The actions, triggers, mappings and the snippet
//! are the same for both; what differs is where each SDK keeps things in its messages, which
//! the presets say (their triggers and mappings), and how the page asks each SDK who the user
//! and group are, which [`IdentityReaders`] say.

use crate::prelude::*;

use crate::actions::Action;

/// The SDK whose events the destination receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sdk {
    /// Segment's analytics.js (`@segment/analytics-next`).
    Segment,
    /// RudderStack's JavaScript SDK (`@rudderstack/analytics-js`, v3), through
    /// `rudderanalytics.addCustomIntegration`.
    #[cfg(feature = "rudderstack")]
    RudderStack,
}

/// How the page reads the current user and group from the SDK's instance: each entry is a chain
/// of method calls without arguments (`["user", "id"]` is `analytics.user().id()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdentityReaders {
    /// The user id.
    pub user_id: &'static [&'static str],
    /// The anonymous id.
    pub anonymous_id: &'static [&'static str],
    /// The user traits.
    pub user_traits: &'static [&'static str],
    /// The group id, also read by Send Identify for an event without one.
    pub group_id: &'static [&'static str],
    /// The group traits.
    pub group_traits: &'static [&'static str],
}

const SEGMENT_READERS: IdentityReaders = IdentityReaders {
    user_id: &["user", "id"],
    anonymous_id: &["user", "anonymousId"],
    user_traits: &["user", "traits"],
    group_id: &["group", "id"],
    group_traits: &["group", "traits"],
};

/// The presets for RudderStack's messages: (action, trigger, mapping JSON). RudderStack keeps
/// an identify's traits under `context.traits` (all the user's traits so far), a group's under
/// `traits`, and a page's URL in `properties.url`; page calls run Send Page, as RudderStack's
/// own Pendo integration does for them.
#[cfg(feature = "rudderstack")]
pub const RUDDERSTACK_PRESETS: [(Action, &str, &str); 4] = [
    (
        Action::Identify,
        r#"type = "identify""#,
        r#"{"visitorId":{"@path": "$.userId"},"visitorData":{"@path": "$.context.traits"},"accountId":{"@if": {"exists": {"@path": "$.context.groupId"}, "then": {"@path": "$.context.groupId"}, "else": {"@path": "$.groupId"}}}}"#,
    ),
    (
        Action::Group,
        r#"type = "group""#,
        r#"{"visitorId":{"@path": "$.userId"},"accountId":{"@path": "$.groupId"},"accountData":{"@path": "$.traits"},"parentAccountData":{"@path": "$.traits.parentAccount"}}"#,
    ),
    (
        Action::Track,
        r#"type = "track""#,
        r#"{"event":{"@path": "$.event"},"metadata":{"@path": "$.properties"}}"#,
    ),
    (
        Action::Page,
        r#"type = "page""#,
        r#"{"url":{"@path": "$.properties.url"}}"#,
    ),
];

#[cfg(feature = "rudderstack")]
const RUDDERSTACK_READERS: IdentityReaders = IdentityReaders {
    user_id: &["getUserId"],
    anonymous_id: &["getAnonymousId"],
    user_traits: &["getUserTraits"],
    group_id: &["getGroupId"],
    group_traits: &["getGroupTraits"],
};

impl Sdk {
    /// The preset subscription of `action` for this SDK's messages (trigger, mapping JSON),
    /// for the actions that have one.
    ///
    /// ```
    /// use pendo_core::{actions::Action, sdk::Sdk};
    /// assert_eq!(Sdk::Segment.preset(Action::Track).map(|(trigger, _)| trigger), Some(r#"type = "track""#));
    /// assert_eq!(Sdk::Segment.preset(Action::Page), None);
    /// ```
    pub fn preset(self, action: Action) -> Option<(&'static str, String)> {
        match self {
            Sdk::Segment => action.preset(),
            #[cfg(feature = "rudderstack")]
            Sdk::RudderStack => RUDDERSTACK_PRESETS
                .iter()
                .find(|(a, _, _)| *a == action)
                .map(|(_, trigger, mapping)| (*trigger, String::from(*mapping))),
        }
    }

    /// How the page reads the current user and group from this SDK.
    pub fn identity_readers(self) -> IdentityReaders {
        match self {
            Sdk::Segment => SEGMENT_READERS,
            #[cfg(feature = "rudderstack")]
            Sdk::RudderStack => RUDDERSTACK_READERS,
        }
    }

    /// The key under which the SDK hands each message to the destination, when it wraps it:
    /// RudderStack calls a custom integration's `track` (and the others) with `{message}`.
    pub fn message_key(self) -> Option<&'static str> {
        match self {
            Sdk::Segment => None,
            #[cfg(feature = "rudderstack")]
            Sdk::RudderStack => Some("message"),
        }
    }

    /// How the console's messages start, naming the destination.
    pub fn log_prefix(self) -> &'static str {
        match self {
            Sdk::Segment => "Pendo Web (actions): ",
            #[cfg(feature = "rudderstack")]
            Sdk::RudderStack => "Pendo (RudderStack): ",
        }
    }
}

#[cfg(all(test, feature = "rudderstack"))]
mod tests {
    use super::*;
    use crate::mapping::Mapping;
    use serde_json::Value;

    /// Every RudderStack preset maps only the fields its action declares, and parses.
    #[test]
    fn rudderstack_presets_map_declared_fields() {
        for action in Action::ALL {
            let (trigger, mapping) = Sdk::RudderStack.preset(action).unwrap();
            crate::trigger::Trigger::parse::<Value>(trigger).unwrap();
            let json: Value = serde_json::from_str(&mapping).unwrap();
            Mapping::parse(&json).unwrap();
            let declared: Vec<&str> = action.definition().fields.iter().map(|f| f.key).collect();
            let mapped: Vec<&str> = json
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.as_str())
                .collect();
            assert_eq!(mapped, declared, "{}", action.key());
        }
    }
}
