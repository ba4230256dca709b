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

    /// RudderStack's messages as its SDK (v3) builds them, through the RudderStack presets.
    #[test]
    fn rudderstack_messages_make_pendo_calls() {
        use crate::actions::{Context, PendoCall};
        use crate::destination::Destination;
        use serde_json::json;
        let (destination, errors) =
            Destination::new_for(&json!({"apiKey": "k"}), Sdk::RudderStack, false).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(destination.actions(), Action::ALL);
        let group = || Some(json!("current"));
        let context = Context {
            settings: &destination.settings,
            current_group_id: &group,
        };
        let all = |event: Value| -> Vec<_> {
            Action::ALL
                .into_iter()
                .flat_map(|action| destination.dispatch(action, &event, &context))
                .collect()
        };
        let identify = json!({"type": "identify", "userId": "u1", "anonymousId": "a1",
            "context": {"traits": {"email": "ada@example.com"}, "page": {"url": "https://x/"}},
            "event": null, "properties": null});
        assert_eq!(
            all(identify),
            [Ok(PendoCall::Identify(json!({
                "visitor": {"email": "ada@example.com", "id": "u1"}, "account": {"id": "current"}
            })))]
        );
        let group_event = json!({"type": "group", "anonymousId": "a1", "groupId": "g1",
            "traits": {"name": "Acme", "parentAccount": {"id": "p1"}}, "context": {"traits": {}}});
        assert_eq!(
            all(group_event),
            [Ok(PendoCall::Identify(json!({
                "visitor": {"id": "_PENDO_T_a1"}, "account": {"name": "Acme", "id": "g1"},
                "parentAccount": {"id": "p1"}
            })))]
        );
        let track = json!({"type": "track", "userId": "u1", "event": "Order Completed",
            "properties": {"total": 120}});
        assert_eq!(
            all(track),
            [Ok(PendoCall::Track(
                json!("Order Completed"),
                Some(json!({"total": 120}))
            ))]
        );
        let no_properties =
            json!({"type": "track", "userId": "u1", "event": "Seen", "properties": null});
        assert_eq!(
            all(no_properties),
            [Ok(PendoCall::Track(json!("Seen"), None))]
        );
        let page = json!({"type": "page", "name": "Checkout", "properties": {"url": "https://shop.example/checkout"},
            "context": {"page": {"url": "https://shop.example/checkout"}}});
        assert_eq!(
            all(page),
            [Ok(PendoCall::PageLoad(json!(
                "https://shop.example/checkout"
            )))]
        );
        let no_group = json!({"type": "group", "userId": "u1", "traits": {}});
        assert!(matches!(&all(no_group)[..], [Err(why)] if why.contains("no account id")));
    }
}
